"""The saved questions on the site: each answer as a table in plain words with a one-line answer above
it, and a page of each parameterised question for every value the graph holds.

Which values a parameter takes is read from the store (``VALUES``: one SPARQL query per parameter
name, the same name meaning the same kind of thing in every saved query). ``where-from`` is not
paged per value: its answer is the "where does this come from" section of every entity page.

>>> value_slug("https://w3id.org/meakg/id/target/aichi/12"), value_slug("Gorilla Agreement")
('aichi-12', 'gorilla-agreement')
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from meakg.graph.site import plain
from meakg.graph.site.data import ID, Data, Locator
from meakg.graph.site.matrices import instrument
from meakg.ontology.vocab import curie, natural_key, slug
from meakg.queries import catalogue
from meakg.queries.render import published

# parameter name -> the values the graph holds for it (?value), read from the store
VALUES = {
    "target": "SELECT DISTINCT ?value WHERE { ?value a mea:Target }",
    "gbfTarget": "SELECT DISTINCT ?value WHERE { ?value skos:inScheme <https://w3id.org/meakg/id/scheme/kmgbf> "
                 "FILTER NOT EXISTS { ?value a mea:Goal } }",
    "instrument": "SELECT DISTINCT ?value WHERE { ?i a mea:Instrument ; mea:acronym ?value }",
    "named": "SELECT DISTINCT ?value WHERE { ?place schema:mentions ?value }",
    "plan": "SELECT DISTINCT ?value WHERE { ?value a mea:WorkPlan }",
}
ON_ENTITY_PAGES = {"node"}   # where-from: answered on every entity page
CHOOSE = {"target": "a target", "gbfTarget": "a GBF target", "instrument": "an instrument",
          "named": "something the documents name", "plan": "a work plan"}


@dataclass(frozen=True)
class Cell:
    text: str
    iri: str | None = None        # linked to its page
    url: str | None = None        # a link out
    place: str | None = None      # a citation: site path of the exact place
    number: bool = False


@dataclass(frozen=True)
class Answer:
    """A query's answer for people: headers in words, cells, the one-line answer, the download names."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    summary: str


@dataclass(frozen=True)
class Choice:
    """One value of a parameterised question, with its page."""

    value: str           # as bound (an IRI or a literal)
    label: str
    path: str            # site path of its page


def value_slug(value: str) -> str:
    """Return the file name (without .html) of a value's page: the CURIE or literal as a slug."""
    short = curie(value) if value.startswith("http") else None
    if value.startswith("http") and short is None:
        short = value[len(ID):] if value.startswith(ID) else value.rsplit("/", 1)[-1]
    return slug((short or value).replace(":", "-").replace("/", "-"))


def choices(query, data: Data, store) -> dict[str, list[Choice]]:
    """Return, per parameter of *query* that the site pages, the values the graph holds, in natural order."""
    found = {}
    for param in query.params:
        if param.name not in VALUES:
            continue
        values = [row[0] for row in catalogue.run_text(VALUES[param.name], store=store).values() if row[0]]
        listed = []
        for value in values:
            label = data.label(value) if value.startswith("http") else value
            listed.append(Choice(value, label, f"queries/{query.name}/{value_slug(value)}.html"))
        paths = [c.path for c in listed]
        if len(set(paths)) != len(paths):
            raise ValueError(f"two values of {query.name}'s {param.name} share a page name")
        found[param.name] = sorted(listed, key=lambda c: natural_key(c.label.lower()))
    return found


def published_for(query, name: str | None = None, value: str | None = None) -> str:
    """Return the text that runs *query* as its page answers it: ``published`` (its defaults bound in a trailing
    VALUES row), with the parameter *name* bound to *value* instead for a value's page.

    >>> from meakg.queries.catalogue import load
    >>> published_for(load("instrument-profile"), "instrument", "Gorilla Agreement").splitlines()[-1]
    'VALUES ?instrument { "Gorilla Agreement" }'
    >>> published_for(load("activities-for-target"), "target", ID + "target/aichi/12").splitlines()[-1]
    'VALUES ?target { <https://w3id.org/meakg/id/target/aichi/12> }'
    """
    if name is not None:
        query = replace(query, params=tuple(replace(p, default=value) if p.name == name else p for p in query.params))
    return published(query)


def bound_value(choice: Choice) -> str:
    """Return a choice as a ``--param`` value: an IRI in angle brackets, a literal as it is."""
    return f"<{choice.value}>" if choice.value.startswith("http") else choice.value


class Answers:
    """Turns query results into plain-word tables, linking things and citations."""

    def __init__(self, data: Data, place) -> None:
        self.data, self.place = data, place       # place(locator) -> site path of its exact words
        self.by_label: dict[str, list[Locator]] = {}
        for loc in data.locators.values():
            self.by_label.setdefault(loc.label, []).append(loc)
        self.symbols = {key: data.value(ID + "document/" + key, "http://purl.org/dc/terms/identifier") or key
                        for key in {loc.document for loc in data.locators.values()}}

    def locator(self, label: str, record: dict) -> Locator | None:
        """Return the locator a row's label names: the only one, or the one in the row's document or plan."""
        found = self.by_label.get(label, [])
        if len(found) > 1:
            keys = {v[len(ID):].split("/", 1)[1] for v in record.values() if v and v.startswith(ID + "plan/")}
            keys |= {k for k, symbol in self.symbols.items() if symbol in record.values() or k in record.values()}
            found = [loc for loc in found if loc.document in keys]
        return found[0] if len(found) == 1 else None

    def table(self, result, *, name: str, about: str = "") -> Answer:
        variables = result.variables
        records = result.records()
        rows = []
        for row, record in zip(result.rows, records, strict=True):
            rows.append(tuple(self.cell(column, term, record) for column, term in zip(variables, row, strict=True)))
        keep = list(range(len(variables)))
        if about and len(rows) > 1:   # a value's page: a column holding that one value on every row says nothing
            keep = [i for i in keep if len({r[i] for r in rows}) > 1 or rows[0][i].text != about]
        return Answer(tuple(plain.header(variables[i]) for i in keep), tuple(tuple(r[i] for i in keep) for r in rows),
                      summary(name, records, about, self.data))

    def cell(self, column: str, term, record: dict) -> Cell:
        if term is None:
            return Cell("")
        value = term.value
        if not hasattr(term, "datatype"):      # an IRI
            if value.startswith(ID) or value in self.data.by_subject:
                return Cell(self.data.label(value), iri=value)
            return Cell(plain.site_name(value), url=value)
        if value.startswith(("http://", "https://")) and " " not in value:   # a URL given as text
            return Cell(plain.site_name(value), url=value)
        if column == "locator":
            loc = self.locator(value, record)
            return Cell(value, place=self.place(loc) if loc else None)
        if column == "instrument":
            return Cell(value, iri=instrument(self.data, value))
        if value in ("true", "false") and term.datatype.value.endswith("#boolean"):
            return Cell("yes" if value == "true" else "no")
        if plain.is_number(value) and term.datatype.value in plain.NUMERIC:
            currency = record.get("currency") or record.get("currencies")
            if currency and any(w in column.lower() for w in ("amount", "total", "value", "cost")):
                return Cell(plain.amount(value, currency), number=True)
            return Cell(plain.number(value, term.datatype.value) + (" %" if column == "percent" else ""), number=True)
        return Cell(value)


def summary(name: str, records: list[dict], about: str, data: Data) -> str:
    """Return the one-line answer above a table: what the rows add up to, in words."""
    n = len(records)
    count = {"activities-for-target": f"{_distinct(records, 'activity')} joint activities serve {about}",
             "gbf-targets-for-joint-activities": f"{_distinct(records, 'activity')} joint activities relate to "
                                                 f"{about or 'the GBF targets'} through published mappings",
             "instrument-profile": f"{n} facts about {about}, from {_distinct(records, 'locator')} places in the "
                                   "documents and the reference data",
             "mentions": f"{about or 'Things'} named {n} times in {_distinct(records, 'document')} documents",
             "target-alignment": f"{n} pairs of targets aligned, served by "
                                 f"{sum(int(r.get('activityCount') or 0) for r in records)} activity listings"}
    if n == 0:
        return f"No answer{' for ' + about if about else ''}: the graph holds nothing that fits."
    if name in count and all(k in (records[0] if records else {}) for k in _needs(name)):
        return count[name].replace(" 1 joint activities serve", " 1 joint activity serves") + "."
    if n == 1:
        return " · ".join(f"{plain.header(k)}: {plain.number(v) if plain.is_number(v) else v}"
                          for k, v in records[0].items() if v and not v.startswith("http")) + "."
    return f"{n} rows{' for ' + about if about else ''}."


def _needs(name: str) -> tuple[str, ...]:
    return {"activities-for-target": ("activity",), "gbf-targets-for-joint-activities": ("activity",),
            "instrument-profile": ("locator",), "mentions": ("document",),
            "target-alignment": ("activityCount",)}.get(name, ())


def _distinct(records: list[dict], column: str) -> int:
    return len({r.get(column) for r in records if r.get(column)})
