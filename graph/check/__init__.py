"""Checking data against the SHACL shapes: the stored build or a partner's file (``validate``, which writes
the report: ``findings``), by meakg's engine on an Oxigraph store (``engine``, reading the shapes through
``shapes`` and judging literals through ``values``), or by pySHACL for what the engine does not read, with
SPARQL-based targets evaluated on Oxigraph (``targets``)."""
