"""How cost grows with data: build, validate, cold `meakg query` and every saved query, at growing sizes.

Two kinds of size:

* ``1x``, ``10x``, ``100x`` ... documents: k copies of each bundled document (joint work plan,
  Doc.16.2 analysis, capacity-building plan), each under a renumbered file name
  (``cbd-cms-joint-work-plan-2016-2018-k007.txt``) and listed in a generated ``sources.yaml``.
  The text is the bundled text itself, so the real loaders parse it whatever their internals;
  the file name is each copy's key, so plans, activities, rows and cells get their own IRIs
  while instruments, targets and agents are shared, as in real documents.
* ``100k``, ``1m`` ... triples: synthetic copies of the bundled build, every ``/id/`` IRI renumbered
  per copy (the ontology once), saved as a build directory without reasoning again.

Per size it prints: build (documents only; a fresh build directory, with ``--out`` Turtle, whose
share is shown apart), validate (documents only), cold ``meakg query target-alignment`` (fresh
interpreter, median of 5), every saved query run in one process on the read-only store (median of
3 runs), adding one document to the built graph (an incremental build: one more joint work plan
listed in sources.yaml; documents only), and the peak memory (max RSS) of each step. For ``Nx`` with
N > 1 it also builds and validates *varied* copies: each copy of Doc.16.2 with its own cost-sharing
sentences (other instruments, grades and shares), so that no two copies describe the same post, as
real documents would not (plain copies make every instrument pay each post N times: N^2 findings).
Every step runs in a subprocess with its own ``MEAKG_BUILD_DIR`` under ``--work``. It prints three
tables: the figures of issue 21 against their targets, one line per size, and each saved query.

    python benchmarks/scale.py                        # 1x and 10x documents, 100k triples
    python benchmarks/scale.py --sizes 100x,1m        # the big ones (minutes; not run by CI)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Runs `meakg ARGS` in this interpreter, then reports its own peak memory on stderr.
# Peak memory is VmHWM (this process's own high-water mark): ru_maxrss would include the parent's.
PEAK = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
CLI = ("import sys; from meakg.graph.cli.main import main; sys.argv = ['meakg', *sys.argv[1:]]\n"
       "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\nelse:\n    code = 0\n"
       f"print('MAXRSS', {PEAK}, file=sys.stderr)\n"
       "sys.exit(code if code in (0, 1) else code)\n")
QUERIES = ("import json, statistics, sys, time\n"
           "from meakg.graph.build.current import open_store\nfrom meakg.queries import catalogue\n"
           "store = open_store(); out = {}\n"
           "for name in catalogue.names():\n"
           "    q = catalogue.load(name); params = {'node': 'inst:aewa'} if name == 'where-from' else {}\n"
           "    runs = []\n"
           "    for _ in range(3):\n"
           "        t = time.perf_counter(); rows = len(catalogue.run(q, store=store, params=params).rows)\n"
           "        runs.append(time.perf_counter() - t)\n"
           "    out[name] = [statistics.median(runs), rows]\n"
           f"print(json.dumps({{'queries': out, 'maxrss': {PEAK}}}))\n")


# The cost-sharing sentences of Doc.16.2 (paragraph 52): the posts they describe are named by the instruments
# sharing them and the grade, so copies of the document describe the same posts (every instrument paying
# each post once per copy). A varied copy names other instruments, grades and shares: its own posts.
COST_SHARES = ("CMS and ASCOBANS are a concrete example where a percentage of time of each staff is set out in "
               "advance (P2: 75% for ASCOBANS, 25% for CMS; P4: 15% for ASCOBANS and 85% CMS, D1 3% ASCOBANS and "
               "97% CMS. IOSEA also has a similar arrangement for its P5, where CMS pays 12.5% and IOSEA 87.5%.")
VARIED_SHARES = ("CMS and {a} are a concrete example where a percentage of time of each staff is set out in advance "
                 "({g[0]}: {p[0]}% for {a}, {q[0]}% for CMS; {g[1]}: {p[1]}% for {a} and {q[1]}% CMS, {g[2]} {p[2]}% "
                 "{a} and {q[2]}% CMS. {b} also has a similar arrangement for its {g[3]}, where CMS pays {p[3]}% and "
                 "{b} {q[3]}%.")
# instruments the reference data knows by one word, as the sentences name them; UN grades as printed
PARTNERS = ("ASCOBANS", "AEWA", "EUROBATS", "ACCOBAMS", "ACAP", "Ramsar", "CITES", "Basel", "Rotterdam",
            "Stockholm", "UNFCCC", "Saiga", "Sharks", "Raptors", "Dugong", "IOSEA", "CBD")
GRADES = tuple(f"{level}{dash}{n}" for dash in ("", "-") for level in "PDG" for n in range(1, 10))
MOST_VARIED = len(PARTNERS) * (len(GRADES) // 4)


def varied(text: str, number: int) -> str:
    """Return the Doc.16.2 *text* with copy *number*'s own cost-sharing sentences: no two copies (up to
    MOST_VARIED) share a post, so each post's shares are one copy's and add up to 100.

    >>> varied(COST_SHARES, 20).split("(")[1].split(";")[0]
    'P5: 74% for ACCOBAMS, 26% for CMS'
    """
    if number >= MOST_VARIED:
        raise SystemExit(f"at most {MOST_VARIED - 1} varied copies, asked for copy {number}")
    block, n = divmod(number, len(PARTNERS))
    a, b = PARTNERS[n], PARTNERS[(n + 4) % len(PARTNERS)]
    grades = GRADES[4 * block: 4 * block + 4]
    shift = Decimal(number % 10) - 1          # every copy its own shares (each post's still add up to 100)
    shares = [Decimal(75), Decimal(15), Decimal(3), Decimal("12.5")]
    shares = [share + shift if share + shift > 0 else share + 1 for share in shares]
    sentence = VARIED_SHARES.format(a=a, b=b, g=grades, p=shares, q=[100 - share for share in shares])
    if COST_SHARES not in text:
        raise SystemExit("the cost-sharing sentences of Doc.16.2 are no longer as benchmarks/scale.py knows them")
    return text.replace(COST_SHARES, sentence)


def generate_documents(folder: Path, copies: int, *, vary: bool = False) -> Path:
    """Write *copies* renumbered copies of each bundled document and their sources.yaml into *folder*; with
    *vary*, each copy of Doc.16.2 with its own cost-sharing sentences (see varied)."""
    import yaml

    from meakg.loaders import SOURCES_DIR

    entries = yaml.safe_load((SOURCES_DIR / "sources.yaml").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    listed = []
    for number in range(1, copies + 1):
        for entry in entries:
            source = SOURCES_DIR / entry["file"]
            name = f"{source.stem}-k{number:03d}{source.suffix}" if copies > 1 else source.name
            text = source.read_bytes()
            if vary and copies > 1 and entry["loader"] == "services-analysis":
                text = varied(text.decode("utf-8"), number).encode("utf-8")
            (folder / name).write_bytes(text)
            if entry.get("layout"):  # how the document is printed (capacity-building): one file serves every copy
                (folder / entry["layout"]).write_bytes((SOURCES_DIR / entry["layout"]).read_bytes())
            copy = dict(entry, file=name)
            if "symbol" in copy and copies > 1:
                copy["symbol"] = f"{entry['symbol']}/k{number:03d}"
            listed.append(copy)
    (folder / "sources.yaml").write_text(yaml.safe_dump(listed, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder


def synthetic_build(directory: Path, triples: int) -> int:
    """Save a build of about *triples* distinct triples: copies of the bundled build, /id/ IRIs renumbered."""
    from meakg.graph import progress
    from meakg.graph.build import current

    progress.set_quiet(True)
    lines = current.ensure_built(ROOT / "build").read_bytes().splitlines()
    tail = b"<https://w3id.org/meakg/graph/ontology> ."
    ontology = [line for line in lines if line.endswith(tail)]
    data = [line for line in lines if not line.endswith(tail)]
    copies = max(1, round((triples - len(ontology)) / len(data)))
    iri = re.compile(rb"<(https://w3id\.org/meakg/id/[^>]*)>")
    out = set(ontology) | set(data)
    for number in range(1, copies):
        tail = f"-s{number}>".encode()
        out.update(iri.sub(lambda m, tail=tail: b"<" + m[1] + tail, line) for line in data)
    current.save_lines(sorted(out), directory)
    return len(out)


def add_document(folder: Path, number: int) -> None:
    """List one more renumbered copy of the joint work plan in *folder*'s sources.yaml (an incremental build)."""
    import yaml

    from meakg.loaders import SOURCES_DIR

    listed = yaml.safe_load((folder / "sources.yaml").read_text(encoding="utf-8"))
    plan = next(e for e in listed if e["loader"] == "joint-work-plan")
    source = SOURCES_DIR / Path(plan["file"]).name.replace(re.search(r"(-k\d+)?\.txt$", plan["file"])[0], ".txt")
    name = f"{source.stem}-k{number:03d}{source.suffix}"
    (folder / name).write_bytes(source.read_bytes())
    listed.append(dict(plan, file=name))
    (folder / "sources.yaml").write_text(yaml.safe_dump(listed, sort_keys=False, allow_unicode=True), encoding="utf-8")


def run_cli(args: list[str], env: dict) -> tuple[float, int, int, str]:
    """Run `meakg ARGS` in a fresh interpreter; return seconds, exit code, peak memory in MiB and its stderr."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CLI, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    rss = next((int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("MAXRSS")), 0)
    if done.returncode not in (0, 1):
        raise SystemExit(f"meakg {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds, done.returncode, rss // 1024, done.stderr


def step_seconds(stderr: str, prefix: str) -> float:
    """The time a progress line starting with *prefix* reports ('meakg: Writing x.ttl: 1.2 s' -> 1.2)."""
    found = [line for line in stderr.splitlines() if line.startswith(f"meakg: {prefix}")]
    return float(found[-1].rsplit(": ", 1)[1].split()[0]) if found else 0.0


def cold_query(env: dict, runs: int = 5) -> float:
    script = Path(sys.executable).parent / "meakg"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "meakg.graph.cli.main"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*command, "query", "target-alignment", "--format", "csv"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def saved_queries(env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", QUERIES], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True)
    return json.loads(done.stdout.splitlines()[-1])


def measure(size: str, work: Path, skip: frozenset = frozenset()) -> dict:
    """Measure one size ('10x' documents or '100k' triples); return its figures (but the steps in *skip*)."""
    directory = work / f"build-{size}"
    shutil.rmtree(directory, ignore_errors=True)
    env = {**os.environ, "MEAKG_BUILD_DIR": str(directory)}
    row: dict = {"size": size}
    if size.endswith("x"):
        copies = int(size[:-1])
        shutil.rmtree(work / f"sources-{size}", ignore_errors=True)
        folder = generate_documents(work / f"sources-{size}", copies)
        row["build"], _, row["build_mib"], log = run_cli(["build", "--sources", str(folder),
                                                          "--out", str(work / f"{size}.ttl")], env)
        row["turtle"] = step_seconds(log, f"Writing {work / f'{size}.ttl'}")
        if "validate" not in skip:
            row["validate"], code, row["validate_mib"], _ = run_cli(["validate", "--quiet"], env)
            row["conforms"] = code == 0
        if "varied" not in skip and copies > 1:
            row.update(measure_varied(size, work, copies, skip))
    else:
        start = time.perf_counter()  # in a subprocess, so that this one stays small
        triples = int(float(size[:-1]) * (1_000_000 if size.endswith("m") else 1_000))
        subprocess.run([sys.executable, __file__, "--synthetic", str(triples), str(directory)], cwd=ROOT, check=True)
        row["save"] = time.perf_counter() - start
    manifest = json.loads((directory / "manifest.json").read_text())
    row["quads"] = sum(manifest["triples"].values())
    row["cold_query"] = cold_query(env)
    answers = saved_queries(env) if "queries" not in skip else {"queries": {}, "maxrss": 0}
    row["queries"], row["queries_mib"] = answers["queries"], answers["maxrss"] // 1024
    if size.endswith("x"):
        add_document(folder, copies + 1)
        row["add_one"], _, row["add_one_mib"], _ = run_cli(["build", "--quiet", "--sources", str(folder)], env)
    return row


def measure_varied(size: str, work: Path, copies: int, skip: frozenset) -> dict:
    """Build and validate *copies* varied copies (no two describing the same post); return their figures."""
    directory = work / f"build-{size}-varied"
    shutil.rmtree(directory, ignore_errors=True)
    shutil.rmtree(work / f"sources-{size}-varied", ignore_errors=True)
    env = {**os.environ, "MEAKG_BUILD_DIR": str(directory)}
    folder = generate_documents(work / f"sources-{size}-varied", copies, vary=True)
    row: dict = {}
    row["varied_build"], _, row["varied_build_mib"], _ = run_cli(["build", "--quiet", "--sources", str(folder)], env)
    if "validate" not in skip:
        row["varied_validate"], code, row["varied_validate_mib"], _ = run_cli(["validate", "--quiet"], env)
        row["varied_conforms"] = code == 0
    shutil.rmtree(directory, ignore_errors=True)
    return row


def report(rows: list[dict]) -> str:
    return "\n\n".join([targets(rows), sizes(rows), per_query(rows)])


def targets(rows: list[dict]) -> str:
    """The figures of issue 21 against their targets, from the sizes measured (1x, 10x, 100x, 1m)."""
    by = {row["size"]: row for row in rows}
    lines = ["| figure | target | measured |", "|---|---|---|"]
    if "build" in by.get("1x", {}):
        lines.append(f"| `meakg build`, bundled documents | <= 1.5 s | {by['1x']['build']:.1f} s |")
    if "build" in by.get("100x", {}):
        big = by["100x"]
        lines.append(f"| build, 100x documents | <= 60 s, <= 1.5 GiB | {big['build']:.1f} s, "
                     f"{big['build_mib']:,} MiB |")
    if "100x" in by and ("validate" in by["100x"] or "varied_validate" in by["100x"]):
        big = by["100x"]
        lines.append(f"| validate, 100x documents: copies / varied copies | <= 60 s each | "
                     f"{_seconds(big, 'validate', 'conforms')} / "
                     f"{_seconds(big, 'varied_validate', 'varied_conforms')} |")
    for step in ("build", "validate", "varied_build", "varied_validate"):
        # one copy is the bundled documents, varied or not
        at = {size: by.get(size, {}).get(step if size != "1x" else step.replace("varied_", ""))
              for size in ("1x", "10x", "100x")}
        if all(at.values()):
            growth = [at["10x"] / at["1x"], at["100x"] / at["10x"]]
            lines.append(f"| growth of {step.replace('_', ' ')}, 1x -> 10x -> 100x | <= 10x per 10x | "
                         f"{growth[0]:.1f}x, {growth[1]:.1f}x |")
    million = by.get("1m", {}).get("queries")
    if million:
        worst = sorted(million.items(), key=lambda item: -item[1][0])[:5]
        over = sum(1 for t, n in million.values() if t > 0.3 and t * 1000 > max(n, 1))
        lines.append("| each saved query at 1M triples (slowest five: ms, rows, ms per row) | <= 0.3 s, or <= 1 ms per "
                     "row | " + "; ".join(f"`{name}` {t * 1000:.0f} ms, {n:,} rows, {t * 1000 / max(n, 1):.2f}"
                                          for name, (t, n) in worst) + f" ({over} over both bounds) |")
    if "add_one" in by.get("10x", {}):
        ten = by["10x"]
        lines.append(f"| add one document to a built 10x graph | <= 25 % of a full build | {ten['add_one']:.1f} s "
                     f"({ten['add_one'] / (ten['build'] - ten['turtle']):.0%}) |")
    return "\n".join(lines)


def _seconds(row: dict, key: str, conforms: str) -> str:
    if key not in row:
        return "-"
    return f"{row[key]:.1f} s" + ("" if row[conforms] else " (violations)")


def sizes(rows: list[dict]) -> str:
    """One line per size: every step's time and peak memory."""
    lines = ["| size | quads | build (of which --out Turtle) | build peak | validate | validate peak | "
             "varied copies: build / validate (peak) | cold query | saved queries: sum / slowest | queries peak | "
             "add one document (share of the build without --out) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        times = {name: t for name, (t, _) in row["queries"].items()} or {"-": 0.0}
        slowest = max(times, key=times.get)
        build = (f"{row['build']:.1f} s ({row['turtle']:.1f} s)" if "build" in row
                 else f"(saved in {row['save']:.1f} s)")
        added = (f"{row['add_one']:.1f} s ({row['add_one'] / (row['build'] - row['turtle']):.0%}), "
                 f"{row['add_one_mib']} MiB" if "add_one" in row else "-")
        varied = (f"{row['varied_build']:.1f} s / {_seconds(row, 'varied_validate', 'varied_conforms')} "
                  f"({row.get('varied_validate_mib', '-')} MiB)" if "varied_build" in row else "-")
        lines.append(
            f"| {row['size']} | {row['quads']:,} | {build} | {row.get('build_mib', '-')} MiB | "
            f"{_seconds(row, 'validate', 'conforms')} | {row.get('validate_mib', '-')} MiB | {varied} | "
            f"{row['cold_query'] * 1000:.0f} ms | {sum(times.values()):.2f} s / {times[slowest] * 1000:.0f} ms "
            f"`{slowest}` | {row['queries_mib']} MiB | {added} |")
    return "\n".join(lines)


def per_query(rows: list[dict]) -> str:
    """Each saved query's time at each size, and its rows at the largest."""
    lines = ["Each saved query (ms, median of 3, in process; rows at the last size):", "",
             "| query | " + " | ".join(row["size"] for row in rows) + " | rows |", "|---|" + "---|" * (len(rows) + 1)]
    for name in sorted({name for row in rows for name in row["queries"]}):
        found = [row["queries"][name] for row in rows if name in row["queries"]]
        lines.append(f"| `{name}` | " + " | ".join(f"{row['queries'][name][0] * 1000:.1f}" if name in row["queries"]
                                                  else "-" for row in rows) + f" | {found[-1][1]:,} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1x,10x,100k", help="comma-separated: Nx documents, Nk or Nm triples")
    parser.add_argument("--work", type=Path, default=None,
                        help="where to put documents and builds (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    parser.add_argument("--skip", default="",
                        help="comma-separated steps to leave out: validate, queries, varied (the varied copies)")
    parser.add_argument("--synthetic", nargs=2, metavar=("TRIPLES", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.synthetic:
        synthetic_build(Path(args.synthetic[1]), int(args.synthetic[0]))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="meakg-scale-"))
    rows = []
    for size in args.sizes.split(","):
        print(f"... {size}", file=sys.stderr, flush=True)
        rows.append(measure(size.strip().lower(), work, frozenset(filter(None, args.skip.split(",")))))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=2))
    print(report(rows))


if __name__ == "__main__":
    main()
