"""The scale benchmark's generated documents are real documents: the loaders parse every copy."""

import importlib.util
from pathlib import Path

from rdflib import RDF, URIRef

from meakg.graph.build.assemble import build

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("scale", ROOT / "benchmarks" / "scale.py")
scale = importlib.util.module_from_spec(spec)
spec.loader.exec_module(scale)
MEA = "https://w3id.org/meakg/ontology#"


def test_generated_copies_parse_into_their_own_plans_and_activities(tmp_path):
    folder = scale.generate_documents(tmp_path / "sources", 2)
    assert sorted(p.name for p in folder.iterdir())[:2] == ["cbd-cms-joint-work-plan-2016-2018-k001.txt",
                                                            "cbd-cms-joint-work-plan-2016-2018-k002.txt"]
    ds = build(folder, reason=False)
    plans = {str(o).rsplit("/", 1)[-1] for _, _, o, _ in ds.quads((None, URIRef(MEA + "inPlan"), None, None))}
    assert plans == {f"{stem}-k00{n}" for n in (1, 2) for stem in ("cbd-cms-joint-work-plan-2016-2018",
                                                                   "cms-capacity-building-work-plan-2012-2014")}
    assert len({s for s, *_ in ds.quads((None, RDF.type, URIRef(MEA + "JointActivity"), None))}) == 2 * 26


def test_varied_copies_describe_their_own_posts_and_conform(tmp_path):
    from meakg.graph.check.validate import validate

    folder = scale.generate_documents(tmp_path / "sources", 3, vary=True)
    ds = build(folder, reason=True)
    shares: dict = {}
    for share, _, post, _ in ds.quads((None, URIRef(MEA + "post"), None, None)):
        percent = next(o for _, _, o, _ in ds.quads((share, URIRef(MEA + "percent"), None, None)))
        shares.setdefault(str(post).rsplit("/", 1)[-1], []).append(percent.toPython())
    # copy 1 names AEWA and Ramsar, copy 2 EUROBATS and CITES, copy 3 ACCOBAMS and Basel; grades P1-P4 each time
    assert set(shares) == {f"cms-{a}-p{n}" for a in ("aewa", "eurobats", "accobams") for n in (1, 2, 3)} | {
        "ramsar-p4", "cites-p4", "basel-p4"}
    assert all(sum(found) == 100 for found in shares.values())
    assert sorted(shares["cms-eurobats-p1"]) == [24, 76] and sorted(shares["basel-p4"]) == [14.5, 85.5]
    assert not [f for f in validate(ds).findings if f.shape.startswith("CostShare")]


def test_plain_copies_repeat_the_posts(tmp_path):
    text = scale.generate_documents(tmp_path / "sources", 2)
    copies = sorted(p for p in text.iterdir() if "doc-16-2" in p.name)
    assert copies[0].read_bytes() == copies[1].read_bytes()
    assert scale.COST_SHARES in copies[0].read_text(encoding="utf-8")
