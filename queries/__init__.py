"""Saved SPARQL queries (``*.rq`` with a grlc-style header) and the catalogue that lists and runs them."""
