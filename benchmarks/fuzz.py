"""Fuzz meakg with Hypothesis: mutated source documents through the public build function, query
parameters, query files, RDF files given to `meakg validate`, and query texts (lexer edge cases, SERVICE
however spelt, flat chains that overflow the engine) through the CLI, the Python API and the endpoint,
and files of every kind given to `meakg query --file`; print what happened.

    python benchmarks/fuzz.py [--cases 10000] [--seed 0] [--bound 10]

Allowed outcomes: success (exit 0; exit 1 too for `validate`, which means "does not conform"), or
one line `Error: ...` on stderr with exit 2 (a query stopped by its --timeout is one of these).
Anything else is counted: a traceback (an exception other than MeakgError, or more than one line;
for the endpoint an HTTP 500 or an answer that is not one line of text), a hang (no answer within
--bound seconds) or a crash (the process died; for the endpoint, a refused connection). Every
SERVICE in the generated texts points at a local listener, which counts the connections it is
offered: the run prints that count, which must be 0. Each case runs in a worker process that is
replaced after a hang or a crash, so one bad case cannot end the run.
``tests/test_fuzz.py`` runs a small seeded sample of the same cases.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import os
import pickle
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("build", "params", "query-file", "validate", "sparql-cli", "sparql-api", "sparql-endpoint", "file-kind")
FRONTS = {"sparql-cli": "cli", "sparql-api": "api", "sparql-endpoint": "endpoint"}
LISTENER = os.environ.get("MEAKG_FUZZ_LISTENER", "127.0.0.1:9")  # where generated SERVICE IRIs point
MAX_TEXT = 900_000  # characters: chains stay under the 1,000,000 the engine accepts, so they reach it
QUERY_TIMEOUT = "5"  # seconds, passed to meakg query: below the bound, so a slow query is an Error, not a hang
ALLOWED = ("ok", "error", "timeout")

# Inputs that broke parsers before, or look like they might: escapes, huge numbers, deep nesting, tags.
NASTY = ["", "\x00", "\r", "\r\n", "\t", "\x1b[2J", "\u202e", "\ufeff", "\u2028", "é", "{", "}}}}", "{" * 5000,
         "(" * 3000, "[" * 2000, "<", ">", '"', "'''", '"""', "#", "#+ ", "\\", "\\u0000", "%00", "9" * 5000,
         "-1", "0x1F", "1e999", "NaN", "US$", "US$ 1,000,000-", "Target ", "Aichi Target 99", "Target 1\tTarget 2",
         "Resolution 10.", "decision XII/", "!!python/object/apply:os.system ['true']", "&anchor", "*alias",
         "SERVICE <http://127.0.0.1:9/> { }", "aichi:", "inst:", "<http://a b>", "<>", "_:b", "@prefix",
         "ORDER BY", "SELECT *", "LIMIT 0", "\n" * 50, " " * 500, "x" * 70000]
RAW = [b"\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80", b"\x00\x00", b"\xfe\xff"]


def sample_rdf() -> dict[str, bytes]:
    """Return a small valid graph in every format validate reads (the seeds of the RDF mutations)."""
    from rdflib import Dataset

    ttl = """@prefix mea: <https://w3id.org/meakg/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/meakg/id/instrument/demo> a mea:Agreement ; rdfs:label "Demo Agreement"@en ; mea:acronym "DEMO" .
<https://w3id.org/meakg/id/activity/demo/1> a mea:JointActivity ; rdfs:label "An activity" ;
    skos:notation "1" ; mea:supportsTarget <https://w3id.org/meakg/id/target/aichi/12> ;
    mea:budget [ a mea:Budget ; <https://schema.org/minValue> "10"^^xsd:decimal ] .
"""
    ds = Dataset()
    ds.graph("https://w3id.org/meakg/graph/demo").parse(data=ttl, format="turtle")
    found = {".ttl": ttl.encode()}
    for suffix, fmt in ((".nt", "nt"), (".nq", "nquads"), (".trig", "trig"), (".jsonld", "json-ld"), (".rdf", "xml")):
        source = ds if suffix in (".nq", ".trig") else ds.graph("https://w3id.org/meakg/graph/demo")
        found[suffix] = source.serialize(format=fmt, encoding="utf-8")
    return found


# ------------------------------------------------------------------ Hypothesis strategies (the cases)

def strategies():
    """Return {kind: a Hypothesis strategy of cases}; a case is a plain tuple a worker can run."""
    from hypothesis import strategies as st

    sys.path.insert(0, str(ROOT))
    from meakg import loaders
    from meakg.queries import catalogue

    documents = {s.path.name: s.path.read_bytes() for s in loaders.sources()}
    query_files = {p.name: p.read_bytes() for p in sorted((ROOT / "queries").glob("*.rq"))}
    rdf = sample_rdf()
    saved = catalogue.list_queries()
    names = [q.name for q in saved] + ["no-such-query", "Target-Alignment", "../etc/passwd", ""]
    params = sorted({p.name for q in saved for p in q.params} | {"x", "", "=", "target target"})
    text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
    payload = st.one_of(text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.sampled_from(RAW),
                        st.binary(max_size=16))

    @st.composite
    def mutated(draw, seeds: dict[str, bytes]):
        name = draw(st.sampled_from(sorted(seeds)))
        data = seeds[name]
        for _ in range(draw(st.integers(1, 4))):
            data = mutate(draw, data)
        return name, data

    def mutate(draw, data: bytes) -> bytes:
        lines = data.split(b"\n")
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        line = draw(st.integers(0, max(len(lines) - 1, 0)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate-line", "drop-line", "swap-lines",
                                   "truncate", "tabs", "insert-line"]))
        if op == "insert":
            return data[:at] + draw(payload) + data[at:]
        if op == "delete":
            return data[:at] + data[at + draw(st.integers(1, 200)):]
        if op == "replace":
            return data[:at] + draw(payload) + data[at + draw(st.integers(1, 20)):]
        if op == "duplicate-line":
            lines.insert(line, lines[line])
        elif op == "drop-line":
            del lines[line]
        elif op == "swap-lines":
            other = draw(st.integers(0, len(lines) - 1))
            lines[line], lines[other] = lines[other], lines[line]
        elif op == "truncate":
            return data[:at]
        elif op == "tabs":
            lines[line] = lines[line].replace(b"\t", b" ") if b"\t" in lines[line] else lines[line].replace(b" ", b"\t")
        else:
            lines.insert(line, draw(payload))
        return b"\n".join(lines)

    pairs = st.lists(st.tuples(st.one_of(st.sampled_from(params), text), text), max_size=3)
    files = mutated(query_files).map(lambda c: c[1].decode("utf-8", "replace"))
    sparql = st.one_of(service_texts(st), chains(st), files, st.text(max_size=200))
    return {
        **{kind: sparql.map(lambda t, kind=kind: (kind, t)) for kind in FRONTS},
        "file-kind": st.tuples(st.just("file-kind"), st.sampled_from(FILE_KINDS)),
        "build": mutated(documents).map(lambda c: ("build", *c)),
        "params": st.tuples(st.just("params"), st.sampled_from(names), pairs,
                            st.sampled_from(["table", "csv", "json", "markdown"])),
        "query-file": mutated(query_files).map(lambda c: ("query-file", *c)),
        "validate": st.tuples(mutated(rdf), st.booleans()).map(lambda c: ("validate", *c[0], c[1])),
    }


SERVICE_WORDS = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT"]
# What stood before SERVICE and hid it from the old lexical check, or might: separators, comments ended
# by each line end SPARQL knows, strings and prefixed names with escaped quotes.
BEFORE = ["", "{} .", "{} ;", "# c\r", "# c\n", "#\r\n", "?s mea:a\\' ?o . ", "?s ?p 'x\\'' . ", '"\\"" ',
          "OPTIONAL { } ", "{ ?s mea:a\\' ?o } UNION {", "GRAPH ?g {", "<urn:a> <urn:b> <urn:c> .", "\t", "\u000b"]
CHAIN_SIZES = [10, 1000, 5000, 10_000, 50_000, 150_000]
FILE_KINDS = ["/dev/zero", "/dev/null", "/dev/urandom", "fifo", "directory", "symlink-to-device", "big", "empty",
              "binary", "dangling-symlink"]


def service_texts(st):
    """Federated queries spelt every way the old lexer missed, each pointing at the counting listener."""
    @st.composite
    def build(draw):
        word = draw(st.sampled_from(SERVICE_WORDS))
        host = draw(st.sampled_from([LISTENER, LISTENER.replace("127.0.0.1", "localhost")]))
        before = draw(st.sampled_from(BEFORE))
        closing = "}" * before.count("{")
        tail = draw(st.sampled_from(["", " #'", ' #"', "\n"]))
        return f"SELECT * WHERE {{ {before}{closing} {word} <http://{host}/sparql> {{ ?s ?p ?o }} }}{tail}"
    return build()


def chains(st):
    """Flat constructs with no nesting that overflowed the engine's stack, and deep ones, bounded in length."""
    shapes = {
        "union": lambda n: "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * n) + " }",
        "path": lambda n: "SELECT * WHERE { ?s " + "/".join(["a"] * n) + " ?o }",
        "or": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(["?o"] * n) + ") }",
        "optional": lambda n: "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL{}" * n + "}",
        "nest": lambda n: "ASK " + "{" * n + "}" * n,
        "bind": lambda n: "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(n)) + "}",
        "parens": lambda n: "ASK { FILTER(" + "(" * n + "1" + ")" * n + ") }",
    }

    @st.composite
    def build(draw):
        text = shapes[draw(st.sampled_from(sorted(shapes)))](draw(st.sampled_from(CHAIN_SIZES)))
        return text if len(text) <= MAX_TEXT else text[:MAX_TEXT]
    return build()


# ------------------------------------------------------------------ running one case (in the worker)

def run_case(case: tuple, work: Path) -> tuple[str, str]:
    """Run *case*; return (outcome, detail): ok, error (one line, exit 2) or traceback."""
    kind = case[0]
    if kind == "build":
        return _build(case[1], case[2], work)
    if kind == "params":
        _, name, pairs, fmt = case
        args = ["query", name, "--format", fmt, "--timeout", QUERY_TIMEOUT]
        for key, value in pairs:
            args += ["--param", f"{key}={value}"]
        return _cli(args)
    if kind == "query-file":
        path = work / case[1]
        path.write_bytes(case[2])
        return _cli(["query", "--file", str(path), "--format", "csv", "--timeout", QUERY_TIMEOUT])
    if kind == "validate":
        path = work / f"data{case[1]}"
        path.write_bytes(case[2])
        return _cli(["validate", str(path)] + ([] if case[3] else ["--no-reason"]), conform_exit=1)
    if kind in FRONTS:
        return _sparql(FRONTS[kind], case[1], work)
    if kind == "file-kind":
        return _cli(["query", "--file", str(_file_of_kind(case[1], work)), "--timeout", QUERY_TIMEOUT])
    raise ValueError(kind)


def _sparql(front: str, text: str, work: Path) -> tuple[str, str]:
    if front == "cli":
        sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode("utf-8", "surrogatepass")), encoding="utf-8")
        try:
            return _cli(["sparql", "-", "--format", "csv", "--timeout", QUERY_TIMEOUT])
        finally:
            sys.stdin = sys.__stdin__
    if front == "api":
        import meakg
        from meakg.ontology.errors import MeakgError

        try:
            meakg.sparql(text, timeout=float(QUERY_TIMEOUT))
        except MeakgError as err:
            return ("error", str(err)) if "\n" not in str(err) else ("traceback", f"multi-line: {str(err)!r}")
        except Exception as err:  # noqa: BLE001 - the point is to count them
            return "traceback", _where(err)
        return "ok", ""
    return _endpoint(text, work)


_server = None


def _endpoint(text: str, work: Path) -> tuple[str, str]:
    import urllib.error
    import urllib.request

    global _server
    if _server is None:
        from meakg.graph.serve.endpoint import start

        _server = start(port=0, location=work / "endpoint-store", timeout=float(QUERY_TIMEOUT), max_concurrent=2)
    request = urllib.request.Request(_server.query_url, data=text.encode("utf-8", "surrogatepass"), method="POST",
                                     headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return "ok", ""
    except urllib.error.HTTPError as err:
        body = err.read().decode("utf-8", "replace")
        if err.code < 500 or err.code == 503:
            if body.count("\n") == 1 and body.endswith("\n"):
                return ("timeout" if "ran longer than" in body else "error"), f"HTTP {err.code}: {body.strip()}"
        return "traceback", f"HTTP {err.code}: {body[:300]!r}"
    except OSError as err:
        return "crash", f"the endpoint did not answer: {err}"


def _file_of_kind(kind: str, work: Path) -> Path:
    """Return a path that is a file of *kind* (made in *work* where needed)."""
    if kind.startswith("/dev/"):
        return Path(kind)
    path = work / f"kind-{kind}"
    if path.exists() or path.is_symlink():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "symlink-to-device":
        path.symlink_to("/dev/zero")
    elif kind == "dangling-symlink":
        path.symlink_to(work / "nothing-here")
    elif kind == "big":
        with open(path, "wb") as out:
            out.truncate(5_000_000)
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    else:
        path.write_bytes(b"")
    return path


def _build(name: str, data: bytes, work: Path) -> tuple[str, str]:
    import yaml

    from meakg.graph.build.assemble import build
    from meakg.ontology.errors import MeakgError

    folder = work / "sources"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    entries = [e for e in yaml.safe_load((ROOT / "loaders/sources/sources.yaml").read_text()) if e["file"] == name]
    (folder / "sources.yaml").write_text(yaml.safe_dump(entries))
    for entry in entries:  # a layout file the document's loader reads beside it
        if entry.get("layout"):
            shutil.copy(ROOT / "loaders/sources" / entry["layout"], folder / entry["layout"])
    (folder / name).write_bytes(data)
    try:
        build(folder, reason=False)
    except MeakgError as err:
        message = str(err)
        return ("error", message) if "\n" not in message else ("traceback", f"multi-line error: {message!r}")
    except Exception as err:  # noqa: BLE001 - the point is to count them
        return "traceback", _where(err)
    return "ok", ""


def _cli(args: list[str], *, conform_exit: int | None = None) -> tuple[str, str]:
    from meakg.graph.cli import main as cli

    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["meakg", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.main()
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
    except Exception as error:  # noqa: BLE001
        return "traceback", _where(error)
    message = err.getvalue()
    if code == 0 or (conform_exit is not None and code == conform_exit):
        return "ok", ""
    if code == 2 and message.startswith("Error: ") and message.count("\n") == 1:
        return ("timeout" if "ran longer than" in message else "error"), message.strip()
    return "traceback", f"exit {code}: {message[-300:]!r}"


def _where(err: BaseException) -> str:
    import traceback

    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if str(ROOT) in f.filename and ".venv" not in f.filename] or frames
    last = ours[-1] if ours else None
    place = f"{Path(last.filename).relative_to(ROOT) if str(ROOT) in last.filename else last.filename}:{last.lineno}" \
        if last else "?"
    return f"{err.__class__.__name__} at {place}: {str(err)[:200]!r}"


def worker() -> None:
    """Read pickled cases from stdin, answer pickled (outcome, detail, seconds) on a private copy of stdout."""
    sys.path.insert(0, str(ROOT))
    channel = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # stray prints must not corrupt the channel
    os.chdir(tempfile.mkdtemp(prefix="meakg-fuzz-"))
    os.environ.setdefault("MEAKG_BUILD_DIR", str(ROOT / "build"))
    work = Path.cwd()
    source = sys.stdin.buffer
    if os.environ.get("MEAKG_FUZZ_ENDPOINT"):  # start the endpoint before the first case's clock runs
        _sparql("endpoint", "ASK {}", work)
    ready = pickle.dumps("ready")
    channel.write(struct.pack(">I", len(ready)) + ready)
    channel.flush()
    while True:
        header = source.read(4)
        if len(header) < 4:
            return
        case = pickle.loads(source.read(struct.unpack(">I", header)[0]))
        started = time.monotonic()
        outcome, detail = run_case(case, work)
        reply = pickle.dumps((outcome, detail, time.monotonic() - started))
        channel.write(struct.pack(">I", len(reply)) + reply)
        channel.flush()


class Runner:
    """Runs cases in a worker process; a hang or a crash is counted and the worker replaced."""

    def __init__(self, bound: float = 10.0, *, endpoint: bool = False):
        self.bound, self.process, self.endpoint = bound, None, endpoint

    def _start(self) -> None:
        env = {**os.environ, "MEAKG_BUILD_DIR": os.environ.get("MEAKG_BUILD_DIR", str(ROOT / "build"))}
        env["MEAKG_FUZZ_ENDPOINT"] = "1" if self.endpoint else ""
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        env=env)
        started = time.monotonic() - self.bound + 180  # up to 180 s to load the endpoint's store
        pickle.loads(self._read(struct.unpack(">I", self._read(4, started))[0], started))

    def run(self, case: tuple) -> tuple[str, str, float]:
        if self.process is None or self.process.poll() is not None:
            self._start()
        if case[0] == "sparql-endpoint" and not self.endpoint:
            self.endpoint = True
            self.close()
            self._start()
        data = pickle.dumps(case)
        started = time.monotonic()
        try:
            self.process.stdin.write(struct.pack(">I", len(data)) + data)
            self.process.stdin.flush()
            header = self._read(4, started)
            reply = self._read(struct.unpack(">I", header)[0], started)
        except TimeoutError:
            self.close()
            return "hang", f"no answer within {self.bound:g} s", time.monotonic() - started
        except (EOFError, BrokenPipeError):
            code = self.process.wait(10)
            self.process = None
            return "crash", f"worker died with {code}", time.monotonic() - started
        return pickle.loads(reply)

    def _read(self, size: int, started: float) -> bytes:
        found = b""
        fd = self.process.stdout.fileno()
        while len(found) < size:
            left = self.bound - (time.monotonic() - started)
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, size - len(found))
            if not chunk:
                raise EOFError
            found += chunk
        return found

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def fuzz(runner: Runner, kind: str, strategy, *, examples: int, seed_number: int, counts: collections.Counter,
         bad: list[str]) -> float:
    """Run *examples* cases of *kind* drawn from *strategy*, counting outcomes; return the slowest case's seconds."""
    from hypothesis import HealthCheck, given, seed, settings

    slowest = 0.0

    @seed(seed_number)
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(case):
        nonlocal slowest
        outcome, detail, seconds = runner.run(case)
        counts[outcome] += 1
        slowest = max(slowest, seconds)
        if outcome not in ALLOWED and len(bad) < 50:
            bad.append(f"{kind}: {outcome}: {detail}  case={case!r:.400}")

    run()
    return slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases in all, shared among the kinds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bound", type=float, default=10.0, help="seconds a case may take before it is a hang")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    from service_listener import Listener

    from meakg.graph.build.current import ensure_built

    ensure_built()
    listener = Listener()
    os.environ["MEAKG_FUZZ_LISTENER"] = f"127.0.0.1:{listener.port}"
    global LISTENER
    LISTENER = os.environ["MEAKG_FUZZ_LISTENER"]
    runner = Runner(args.bound)
    counts: dict[str, collections.Counter] = {kind: collections.Counter() for kind in KINDS}
    bad: list[str] = []
    started = time.monotonic()
    for number, (kind, strategy) in enumerate(strategies().items()):
        share = args.cases // len(KINDS) + (1 if number < args.cases % len(KINDS) else 0)
        slowest = fuzz(runner, kind, strategy, examples=share, seed_number=args.seed + number,
                      counts=counts[kind], bad=bad)
        print(f"{kind:<11} {sum(counts[kind].values()):>6} cases  " +
              "  ".join(f"{o} {counts[kind][o]}" for o in (*ALLOWED, "traceback", "hang", "crash")) +
              f"  slowest {slowest:.2f} s", flush=True)
    runner.close()
    total = sum(counts.values(), collections.Counter())
    print(f"{'all':<11} {sum(total.values()):>6} cases  " +
          "  ".join(f"{o} {total[o]}" for o in (*ALLOWED, "traceback", "hang", "crash")) +
          f"  in {time.monotonic() - started:.0f} s")
    print(f"outbound connections offered to the listener the SERVICE IRIs name: {listener.connections}")
    for line in bad:
        print("  " + line)


if __name__ == "__main__":
    main()
