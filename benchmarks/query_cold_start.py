"""Cold-start time of a saved query from the command line: ``meakg query target-alignment``, N times.

Each run is a fresh interpreter (a subprocess), as a user typing the command would get, with the
stored build current (it is built once first and not counted). Prints min and median wall time,
with ``python -c pass`` as the floor, and which heavy modules the query path imported (none
expected: no rdflib, owlrl, pyshacl or loaders). Then what the engine's child process costs: each
run, in a fresh process, times the query in process (the store opened here) and through
``queries.engine.Engine`` (a forked child that opens the store, answers, and is reused).

    python benchmarks/query_cold_start.py            # 20 runs
    python benchmarks/query_cold_start.py -n 50 --query activities-for-target --param target=aichi:12

With PYTHONDONTWRITEBYTECODE set, every run also compiles our modules from source; the script
says which case it measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("rdflib", "owlrl", "pyshacl", "loaders")
# Runs the installed console script's function (meakg.graph.cli.main:main) exactly as `meakg` does.
CLI = "import sys; from meakg.graph.cli.main import main; sys.argv[0] = 'meakg'; main()"
PROBE = ("import sys; from meakg.graph.cli.main import main; sys.argv[0] = 'meakg'; main(); "
         f"print('HEAVY', sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})), file=sys.stderr)")


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="runs (default 20)")
    parser.add_argument("--query", default="target-alignment")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    query_args = ["query", args.query, *[a for p in args.param for a in ("--param", p)], "--format", "csv"]

    warm = subprocess.run([sys.executable, "-c", PROBE, *query_args], cwd=ROOT, check=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # builds if stale
    heavy = next((line for line in warm.stderr.splitlines() if line.startswith("HEAVY")), "HEAVY ?")
    floor = [timed([sys.executable, "-c", "pass"]) for _ in range(args.n)]
    script = Path(sys.executable).parent / "meakg"  # the console script, as a user runs it
    command = [str(script)] if script.exists() else [sys.executable, "-c", CLI]
    runs = [timed([*command, *query_args]) for _ in range(args.n)]
    cached = "off (PYTHONDONTWRITEBYTECODE)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    print(f"meakg {' '.join(query_args)}  ({args.n} cold runs of {command[0]}; bytecode cache {cached})")
    print(f"  query     min {min(runs) * 1000:7.1f} ms   median {statistics.median(runs) * 1000:7.1f} ms")
    print(f"  python -c pass  min {min(floor) * 1000:5.1f} ms   median {statistics.median(floor) * 1000:7.1f} ms")
    print(f"  heavy modules imported: {heavy.removeprefix('HEAVY ')}")
    child = [subprocess.run([sys.executable, "-c", CHILD_COST, args.query], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split() for _ in range(args.n)]
    for number, label in enumerate(("in process: open + query", "child: fork + open + query",
                                    "child, reused: query")):
        times = [float(run[number]) for run in child]
        print(f"  {label:<28} min {min(times):7.1f} ms   median {statistics.median(times):7.1f} ms")


# In one fresh process: the query in process, then through a new engine child, then through it again.
CHILD_COST = """
import sys, time
import pyoxigraph
from meakg.graph.build.current import ensure_current
from meakg.graph.build.store import build_dir
from meakg.queries import catalogue
from meakg.queries.engine import Engine
query = catalogue.load(sys.argv[1])
location = build_dir() / ensure_current().store
engine = Engine(location)
t0 = time.perf_counter(); catalogue.run(query, store=engine)
t1 = time.perf_counter(); catalogue.run(query, store=engine)
t2 = time.perf_counter(); catalogue.run(query, store=pyoxigraph.Store.read_only(str(location)))
t3 = time.perf_counter()
print(f"{(t3 - t2) * 1000:.2f} {(t1 - t0) * 1000:.2f} {(t2 - t1) * 1000:.2f}")
"""


if __name__ == "__main__":
    main()
