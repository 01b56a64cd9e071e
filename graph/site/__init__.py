"""The static website: where each page is and how pages link (``links``), what the pages show (``data`` read
from the store; ``pages``; ``entities``: an entity page in plain words; ``questions``: answers and a page per
parameter value; ``matrices``), exact words on source pages (``marks``), plain words (``plain``), the search
index (``search``), writing them (``write``), and the Jinja2 ``templates/`` with their assets."""
