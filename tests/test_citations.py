"""Decision, resolution, meeting and document symbols found in running text."""

import pytest

from meakg.loaders.citations import find_citations


@pytest.mark.parametrize("printed, key, label", [
    ("following CBD COP Decision XII/6 and", "cbd-decision-xii-6", "CBD decision XII/6"),
    ("MOP Resolution 5.17 acknowledges", "aewa-resolution-5.17", "AEWA Resolution 5.17"),
    ("Recalling Resolution 10.9 of the CMS Conference of the Parties", "cms-resolution-10.9", "CMS Resolution 10.9"),
    ("under UNEP/CMS/Res.10.7: Outreach", "cms-resolution-10.7", "CMS Resolution 10.7"),
    ("Recognizing UNEP/ASCOBANS/Resolution 5.2d and", "ascobans-resolution-5.2d", "ASCOBANS Resolution 5.2d"),
    ("can be found under UNEP/CMS/Conf.10.10: Online", "unep-cms-conf.10.10", "UNEP/CMS/Conf.10.10"),
    ("Consider to hold joint side event at CBD COP13.", "cbd-cop-13", "CBD COP13"),
    ("At its 41st Meeting the Convention on Migratory Species (CMS) Standing Committee", "cms-stc-41",
     "41st Meeting of the CMS Standing Committee"),
    ("the decision taken by the Standing Committee at its 41st Meeting", "cms-stc-41",
     "41st Meeting of the CMS Standing Committee"),
    ("at the 9th AEWA Standing Committee Meeting", "aewa-stc-9", "9th Meeting of the AEWA Standing Committee"),
    ("the decision on the next steps at COP 11, a further", "cms-cop-11", "CMS COP11"),
])
def test_one_citation_is_found_with_its_normal_key_and_label(printed, key, label):
    [cited] = find_citations(printed)
    assert (cited.key, cited.label) == (key, label)


def test_mop_takes_the_agreement_named_before_it():
    cited = find_citations("Invites the Meeting of the Parties to AEWA at its sixth session (MOP6) to take a decision")
    assert [c.key for c in cited] == ["aewa-mop-6"]


def test_symbol_inside_a_document_symbol_is_not_a_meeting():
    assert [c.key for c in find_citations("UNEP/CMS/COP11/Doc.16.2")] == ["unep-cms-cop11-doc.16.2"]


def test_repeated_citation_is_listed_once_in_order_of_first_mention():
    cited = find_citations("CMS Resolution 10.9 ... CMS Resolution 10.7 ... Resolution 10.9")
    assert [c.label for c in cited] == ["CMS Resolution 10.9", "CMS Resolution 10.7"]


def test_text_without_symbols_cites_nothing():
    assert find_citations("Keep each other informed about scientific advances.") == []
