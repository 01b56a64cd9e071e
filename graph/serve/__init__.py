"""The build for other programs over HTTP: the read-only SPARQL endpoint (``endpoint``), the gate
that bounds every request in front of it (``gate``), and pushing named graphs to a partner's store
(``publish``)."""
