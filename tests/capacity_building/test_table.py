"""The capacity-building table reader: its rules, checked one by one, and its cost on long lines."""

from __future__ import annotations

import re

from meakg.loaders import SOURCES_DIR, capacity_building
from meakg.loaders.capacity_building.layout import read_layout
from meakg.loaders.capacity_building.table import _PHRASES, PHRASE_WORDS, _budget_runs, _budget_suffix
from meakg.loaders.reference import load_reference

SOURCE = SOURCES_DIR / "cms-capacity-building-work-plan-2012-2014.txt"
REFERENCE = load_reference()
BUDGET_1_6 = "No additional funds required provided that the CMS CB Unit staff numbers retained."
# about 200 KB: read word by word from each start, as before, such a line took minutes (a 56 KB line, 21 s)
REPEATS = 15_000


def parse_with(old: str, new: str):
    text = SOURCE.read_text(encoding="utf-8")
    assert old in text
    return capacity_building.parse(text.replace(old, new), path=SOURCE, reference=REFERENCE,
                                    layout=read_layout(SOURCE.with_suffix(".table.yaml")))


def activity(plan, number: str):
    return next(a for a in plan.activities if a.number == number)


def test_a_200_kb_methodology_line_is_read_whole() -> None:
    old = "made trainings undertaken. Subject to the results | required provided that"
    plan = parse_with(old, old.replace(" |", " of the survey" * REPEATS + " |"))
    follow_up = activity(plan, "1.6")
    # every word is kept; a line this wide no longer fits the title column, so "made trainings" and
    # "designed" are read as methodology (the title is "Follow up tailor-")
    assert len(follow_up.methodology) == 14 * REPEATS + 103
    assert follow_up.methodology.startswith("Possible follow up measures made trainings undertaken. Subject to the "
                                            "results of the survey of the survey")
    assert follow_up.methodology.endswith("of the survey designed recorded by M&E.")
    assert follow_up.budget.text == BUDGET_1_6


def test_a_200_kb_first_line_of_a_row_is_read_whole() -> None:
    old = "1.6 Follow up tailor- CMS Sec. Possible  follow  up  measures | No additional funds"
    plan = parse_with(old, old.replace(" |", " of the survey" * REPEATS + " |"))
    follow_up = activity(plan, "1.6")
    assert follow_up.methodology.startswith("Possible follow up measures of the survey of the survey")
    assert (follow_up.responsibility, follow_up.budget.text) == (("CMS Sec.",), BUDGET_1_6)


def test_budget_runs_agree_with_the_phrases_as_one_pattern_on_every_line_of_the_table() -> None:
    phrase = rf"(?:{'|'.join(_PHRASES)})[.,;]?"
    whole = re.compile(rf"{phrase}(?:\s+{phrase})*", re.IGNORECASE)
    checked = 0
    for line in SOURCE.read_text(encoding="utf-8").splitlines()[113:270]:
        words = line.replace("|", " ").split()
        expected = [bool(whole.fullmatch(" ".join(words[i:]))) for i in range(len(words))] + [True]
        assert _budget_runs(words) == expected, line
        checked += len(words)
    assert checked == 729


def test_no_budget_phrase_spans_more_words_than_phrase_words() -> None:
    longest = ["no additional funds", "the cms cb unit staff", "staff numbers retained", "depending on the region",
               "US$ 45,000 - 90,000", "3 - 4 days"]
    phrase = re.compile(rf"(?:{'|'.join(_PHRASES)})[.,;]?", re.IGNORECASE)
    assert all(phrase.fullmatch(p) for p in longest)
    assert max(len(p.split()) for p in longest) == PHRASE_WORDS


def test_a_budget_run_starts_after_the_last_full_stop_inside_the_line() -> None:
    assert _budget_suffix("trainees. 3-4 days for 20-40 participants".split()) == 1
    assert _budget_suffix("Handbook designed. No additional funds required.".split()) == 2
    assert _budget_suffix("analysed and reported".split()) == 3
