"""meakg: build, reason over, validate, store, query and export the MEA knowledge graph."""
