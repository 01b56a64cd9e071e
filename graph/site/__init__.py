"""The static website: where each page is and how pages link (``links``), what the pages show
(``data`` read from the store, ``pages``, ``matrices``), writing them (``write``), and the Jinja2
``templates/`` with their assets."""
