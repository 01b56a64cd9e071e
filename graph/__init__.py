"""The graph once built, in rooms by job; each sub-package's docstring says what it owns.

- ``build``: from documents to the stored build (sources, assemble, reason, dataset, store, current)
- ``check``: SHACL validation of the build or a partner's file (validate, targets)
- ``export``: files for partners (RDF in every syntax, VoID/DCAT description, SSSOM, the query catalogue)
- ``serve``: the SPARQL endpoint, the gate in front of it, and publishing to a partner's store
- ``site``: the static website
- ``cli``: the ``meakg`` command, thin over the functions above

Beside them, what every room uses: ``files`` (how every file is written) and ``progress`` (lines on stderr).
Imports point from cli to the rooms, and from the rooms to ``build`` and these two modules.
"""
