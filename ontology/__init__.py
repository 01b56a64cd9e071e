"""The base of meakg: the OWL ontology and SHACL shapes (data), the reference facts, and the
vocabulary, IRIs and errors every other package imports. Imports nothing of ours."""
