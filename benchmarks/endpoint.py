"""Print the size of each export and the SPARQL endpoint's response time for a saved query.

    python benchmarks/endpoint.py [--runs 50] [--bounds]

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
    graphs = sum(1 for g in exported.graphs() if len(g))
    print(f"Exports (--graphs all, with description; {triples} quads in {graphs} graphs):")
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


CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FLAT = "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }"


def _post(url: str, query: str, timeout: float = 60) -> int:
    import urllib.error

    request = urllib.request.Request(url, data=query.encode(), method="POST", headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return 0


def bounds() -> None:
    """Time-outs under load (--timeout 2), and other clients' ASK {} while one client crashes the engine."""
    import threading

    with tempfile.TemporaryDirectory() as tmp, start(port=0, location=Path(tmp) / "store", timeout=2) as server:
        for clients in (1, 8, 16):
            answers, started = [], time.perf_counter()

            def one(answers=answers, started=started):
                answers.append((_post(server.query_url, CROSS_JOIN), time.perf_counter() - started))

            threads = [threading.Thread(target=one) for _ in range(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            statuses = sorted({status for status, _ in answers})
            slowest = max(seconds for _, seconds in answers)
            started = time.perf_counter()
            ask = _post(server.query_url, "ASK {}")
            print(f"Cross join x{clients} at once, --timeout 2: HTTP {statuses} within {slowest:.1f} s; "
                  f"then ASK {{}} HTTP {ask} in {(time.perf_counter() - started) * 1000:.0f} ms")
        stop, asked, crashed = threading.Event(), [], []

        def ask_loop():
            while not stop.is_set():
                asked.append(_post(server.query_url, "ASK {}"))

        askers = [threading.Thread(target=ask_loop) for _ in range(58)]
        for thread in askers:
            thread.start()
        until = time.perf_counter() + 15
        while time.perf_counter() < until:
            crashed.append(_post(server.query_url, FLAT))
        stop.set()
        for thread in askers:
            thread.join()
        print(f"One client sending 10,000-UNION queries for 15 s ({len(crashed)} sent, HTTP {sorted(set(crashed))}) "
              f"while 58 others send ASK {{}}: {sum(s == 200 for s in asked)} of {len(asked)} answered 200")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--bounds", action="store_true", help="also time-outs under load and crashes beside others")
    args = parser.parse_args()
    export_sizes()
    endpoint_times(args.runs)
    if args.bounds:
        bounds()


if __name__ == "__main__":
    main()
