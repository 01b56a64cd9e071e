"""Print the size of each export and the SPARQL endpoint's response time for a saved query.

    python benchmarks/endpoint.py [--runs 50]

Starts `meakg serve`'s Oxigraph server on a free loopback port (store in a temporary directory),
runs queries/target-alignment.rq (or a plain alignment query if it is missing) over HTTP GET,
and reports the wall-clock time per request as seen by an HTTP client, JSON results.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from meakg.graph.export.rdf import Format, choose, load, render  # noqa: E402
from meakg.graph.serve.endpoint import start  # noqa: E402

SAVED = ROOT / "queries" / "target-alignment.rq"
FALLBACK = """PREFIX mea: <https://w3id.org/meakg/ontology#>
SELECT ?ms ?aichi ?plan WHERE { ?a a mea:TargetAlignment ; mea:inPlan ?plan ; mea:sourceTarget ?ms ;
  mea:alignedTarget ?aichi } ORDER BY ?ms ?aichi"""


def export_sizes() -> None:
    ds = load()
    exported = choose(ds, "all")
    triples = sum(len(g) for g in exported.graphs())
    print(f"Exports (--graphs all, with description; {triples} quads in {sum(1 for g in exported.graphs() if len(g))} graphs):")
    for fmt in Format:
        started = time.perf_counter()
        text = render(exported, fmt)
        elapsed = time.perf_counter() - started
        print(f"  {fmt.value:<9} {len(text.encode('utf-8')):>9,} bytes   rendered in {elapsed * 1000:6.0f} ms")


def endpoint_times(runs: int) -> None:
    query = SAVED.read_text(encoding="utf-8") if SAVED.exists() else FALLBACK
    name = SAVED.name if SAVED.exists() else "fallback alignment query"
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        server = start(port=0, location=Path(tmp) / "store")
        startup = time.perf_counter() - started
        with server:
            url = server.query_url + "?" + urllib.parse.urlencode({"query": query})
            request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
            times, size = [], 0
            for _ in range(runs + 3):
                started = time.perf_counter()
                with urllib.request.urlopen(request, timeout=60) as response:
                    size = len(response.read())
                times.append(time.perf_counter() - started)
            times = sorted(times[3:])  # the first requests warm caches
    ms = [t * 1000 for t in times]
    print(f"Endpoint: load + start {startup:.2f} s; {name} over HTTP GET, JSON ({size:,} bytes), {runs} runs:")
    print(f"  median {statistics.median(ms):.1f} ms, min {ms[0]:.1f} ms, "
          f"p95 {ms[max(0, int(len(ms) * 0.95) - 1)]:.1f} ms, max {ms[-1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    export_sizes()
    endpoint_times(args.runs)


if __name__ == "__main__":
    main()
