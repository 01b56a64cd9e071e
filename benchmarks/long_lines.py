"""Time to parse the capacity-building plan with one line made very long (the loader must stay linear).

    python benchmarks/long_lines.py [--sizes 7 56 250 1000]

Inserts " of the survey" repeated into a methodology line of row 1.6 (a continuation line) and into
the row's first line, to the given sizes in KB, and prints the parse time of the whole document.
Before the reading became linear, a 56 KB line took 21 s (2-core machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from meakg.loaders import SOURCES_DIR, capacity_building  # noqa: E402
from meakg.loaders.capacity_building.layout import read_layout  # noqa: E402
from meakg.loaders.reference import load_reference  # noqa: E402

SOURCE = SOURCES_DIR / "cms-capacity-building-work-plan-2012-2014.txt"
LINES = {"continuation line": "made trainings undertaken. Subject to the results | required provided that",
         "first line of a row": "1.6 Follow up tailor- CMS Sec. Possible  follow  up  measures | No additional funds"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[7, 56, 250, 1000], help="line sizes in KB")
    args = parser.parse_args()
    text, reference = SOURCE.read_text(encoding="utf-8"), load_reference()
    layout = read_layout(SOURCE.with_suffix(".table.yaml"))
    for where, line in LINES.items():
        for size in args.sizes:
            head, tail = line.split(" |", 1)
            long_line = head + " of the survey" * (size * 1000 // 14) + " |" + tail
            start = time.perf_counter()
            capacity_building.parse(text.replace(line, long_line), path=SOURCE, reference=reference, layout=layout)
            print(f"{where:<20} {len(long_line) / 1000:>7.0f} KB  {time.perf_counter() - start:6.2f} s")


if __name__ == "__main__":
    main()
