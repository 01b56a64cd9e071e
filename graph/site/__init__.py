"""The static website: where each page is and how pages link (``links``), what the pages show (``data`` read
from the store; ``pages``; ``entities``: an entity page in plain words; ``questions``: answers and a page per
parameter value; ``matrices``; ``alignment``: a targets x targets matrix per joint work plan), exact words on
source pages (``marks``), plain words (``plain``), the search index (``search``), writing them and recording
the build they show (``write``), and the Jinja2 ``templates/`` with their assets."""
