"""Time `meakg site`: the whole static site of the current build, N times, with its size.

The stored build is made current first (not counted). Prints min and median wall time of
``graph.site.build_site`` in this process (stages: reading the store, rendering, writing files
atomically), the number of pages and files, and the total size.

    python benchmarks/site.py            # 5 runs into a temporary folder
    python benchmarks/site.py -n 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from meakg.graph.build.current import ensure_built  # noqa: E402
from meakg.graph.site.write import build_site  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="runs (default 5)")
    args = parser.parse_args()
    ensure_built()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.n):
            start = time.perf_counter()
            site = build_site(Path(tmp) / "site")
            times.append(time.perf_counter() - start)
        size = sum((site.out / f).stat().st_size for f in site.files)
    print(f"meakg site: {site.pages} pages, {len(site.files)} files, {size / 1e6:.1f} MB")
    print(f"{args.n} runs: min {min(times):.2f} s, median {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
