"""A small seeded sample of benchmarks/fuzz.py: mutated documents, parameters, query files, RDF files, query
texts (SERVICE however spelt, flat chains) through the CLI, the API and the endpoint, and files of every
kind give success or one line `Error:` with exit 2, within a time bound; never a traceback, hang or crash,
and never a connection to the address the SERVICE clauses name.

`python benchmarks/fuzz.py` runs 10,000 such cases and prints the counts.
"""

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from service_listener import Listener  # tests/: conftest puts it on the path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("meakg_fuzz", ROOT / "benchmarks" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)
STRATEGIES = fuzz.strategies()
EXAMPLES = {"build": 20, "params": 25, "query-file": 25, "validate": 15, "sparql-cli": 15, "sparql-api": 15,
            "sparql-endpoint": 15, "file-kind": 10}


@pytest.fixture(scope="module")
def listener():
    """The local listener the generated SERVICE IRIs point at: it must be offered no connection."""
    found = Listener()
    fuzz.LISTENER = f"127.0.0.1:{found.port}"
    yield found
    found.close()


@pytest.fixture(scope="module")
def runner():
    from meakg.graph.build.current import ensure_built

    ensure_built()
    handle = fuzz.Runner(bound=20.0)
    yield handle
    handle.close()


@pytest.mark.parametrize("kind", fuzz.KINDS)
def test_fuzzed_inputs_give_success_or_one_line_error(kind, runner, listener):
    @settings(max_examples=EXAMPLES[kind], derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(STRATEGIES[kind])
    def check(case):
        outcome, detail, _ = runner.run(case)
        assert outcome in fuzz.ALLOWED, f"{outcome}: {detail}"

    check()
    assert listener.connections == 0  # no SERVICE call got out of the engine


def test_the_runner_counts_a_dead_worker_as_a_crash_and_carries_on_with_a_new_one():
    handle = fuzz.Runner(bound=5.0)
    try:
        outcome, detail, _ = handle.run(("no-such-kind",))  # the worker raises outside any case handler: it dies
        assert (outcome, detail) == ("crash", "worker died with 1")
        assert handle.run(("validate", ".ttl", b"<a:s> <a:p> <a:o> .", False))[:2] == ("ok", "")
    finally:
        handle.close()


def test_a_document_with_a_file_separator_character_builds_found_by_the_fuzzer(runner):
    # \x1c ends a line for str.splitlines (how the loaders number lines) but is no newline:
    # provenance's selector counted newlines and ran past the end of the text (ValueError)
    name = "unep-cms-cop11-doc-16-2-common-services.txt"
    data = (ROOT / "loaders" / "sources" / name).read_bytes()
    mutated = b"\x1c" * 3 + data  # three more lines to loaders than newlines: locators near the end ran off it
    assert runner.run(("build", name, mutated))[:2] == ("ok", "")
