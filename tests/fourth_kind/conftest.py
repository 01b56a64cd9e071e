"""The fourth kind's package is imported by its test from this folder (as a new loader package would
be from loaders/), not collected on its own."""

collect_ignore = ["resolution_list"]
