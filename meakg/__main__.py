"""``python -m meakg``: the ``meakg`` command."""

from meakg.graph.cli.main import main

main()
