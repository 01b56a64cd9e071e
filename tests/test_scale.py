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
