"""Checking data against the SHACL shapes: the stored build or a partner's file (``validate``), with
SPARQL-based targets evaluated on Oxigraph (``targets``)."""
