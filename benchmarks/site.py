"""Time `meakg site`: the whole static site of the current build, N times, with its size.

The stored build is made current first (not counted). Prints min and median wall time of
``build_site`` in this process (reading the store, rendering, writing the files atomically), and of
rendering alone (``pages.render_all``: every page, download and the search index, in memory), the
number of pages and files, the total size and the search index's size.

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

from meakg.graph.build.current import ensure_built, open_store  # noqa: E402
from meakg.graph.site import pages  # noqa: E402
from meakg.graph.site.write import build_site, environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="runs (default 5)")
    args = parser.parse_args()
    ensure_built()
    whole, render = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.n):
            start = time.perf_counter()
            site = build_site(Path(tmp) / "site")
            whole.append(time.perf_counter() - start)
            start = time.perf_counter()
            pages.render_all(open_store(), env=environment())
            render.append(time.perf_counter() - start)
        size = sum((site.out / f).stat().st_size for f in site.files)
        index = (site.out / "assets/search-index.js").stat().st_size
    print(f"meakg site: {site.pages} pages, {len(site.files)} files, {size / 1e6:.1f} MB "
          f"(search index {index / 1e6:.2f} MB)")
    print(f"{args.n} runs: build_site min {min(whole):.2f} s, median {statistics.median(whole):.2f} s; "
          f"rendering alone min {min(render):.2f} s, median {statistics.median(render):.2f} s")


if __name__ == "__main__":
    main()
