"""Compare two TriG exports named graph by named graph: the check that a refactoring kept the graph.

    meakg export --format trig --graphs all --out before.trig     # before the change
    meakg export --format trig --graphs all --out after.trig      # after it
    python tests/tools/compare_exports.py before.trig after.trig

Prints each named graph with its size in both and whether they are isomorphic (same triples up to
blank node names, ``rdflib.compare.isomorphic``); for a graph that differs, up to ten triples only
in each. Exit code 0 when every graph is isomorphic and no graph is missing, 1 otherwise.
"""

from __future__ import annotations

import sys

from rdflib import Dataset
from rdflib.compare import graph_diff, isomorphic, to_isomorphic


def named_graphs(path: str) -> dict:
    ds = Dataset()
    ds.parse(path, format="trig")
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def compare(before: str, after: str) -> bool:
    """Print the comparison of the two exports; return whether they hold the same graphs."""
    a, b = named_graphs(before), named_graphs(after)
    same = set(a) == set(b)
    for name in sorted(set(a) ^ set(b)):
        print(f"{name}: only in {before if name in a else after}")
    for name in sorted(set(a) & set(b)):
        iso = isomorphic(a[name], b[name])
        print(f"{name}: {len(a[name])} / {len(b[name])} triples, {'isomorphic' if iso else 'DIFFERENT'}")
        if not iso:
            same = False
            _, only_a, only_b = graph_diff(to_isomorphic(a[name]), to_isomorphic(b[name]))
            for triple in sorted(only_a)[:10]:
                print("  -", *triple)
            for triple in sorted(only_b)[:10]:
                print("  +", *triple)
    return same


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(0 if compare(sys.argv[1], sys.argv[2]) else 1)
