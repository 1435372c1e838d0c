"""Retention (gallring) by document class, from rules kept as data (law/retention_rules/*.toml).

`weed_after` is a pure function: given a document class, the last entry in the person's file,
the person's birth date, the municipality and (for an investigation) the day its case was
closed, it returns the day the duty to weed arises, the last day by which it must be done (or
"never" for both), the rule that decided and its paragraph. docs/retention.md tells the sources.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from barnskydd.core.errors import InvalidInput
from barnskydd.law.calendar import add_months
from barnskydd.lookup.rules import expires_on as lookup_expires_on
from barnskydd.reference import municipalities

__all__ = [
    "CLASSES",
    "NEVER",
    "ClassRule",
    "Research",
    "RetentionRules",
    "Verdict",
    "in_research_sample",
    "load",
    "weed_after",
]

NEVER = "never"
# The document classes, in the order the plan lists them.
CLASSES = (
    "not_opened_report",
    "investigation",
    "placement",
    "paternity",
    "adoption",
    "journal",
    "document",
    "voice",
    "lookup_entry",
)


@dataclass(frozen=True, slots=True)
class ClassRule:
    """How long one document class is kept, and the paragraph that says so."""

    name: str
    label: str
    rule: str
    reference: str
    confirmed: bool
    years: int = 5
    never: bool = False
    research: bool = True  # the research sample of SoF 13 kap. 1 § applies
    min_age: int | None = None
    closed_from: date | None = None
    before_rule: str | None = None
    before_reference: str | None = None


@dataclass(frozen=True, slots=True)
class Research:
    """The persons and municipalities whose documents are kept for research."""

    rule: str
    reference: str
    confirmed: bool
    counties: frozenset[str]
    municipalities: frozenset[str]
    birth_days: frozenset[int]


@dataclass(frozen=True, slots=True)
class RetentionRules:
    """One retention rule set: the classes, the research sample and the year-end rule."""

    id: str
    name: str
    effective_from: date
    weed_by_reference: str
    research: Research
    classes: Mapping[str, ClassRule]


@dataclass(frozen=True, slots=True)
class Verdict:
    """When a document may and must be weeded (None: never) and the rule that decided."""

    weed_from: date | None
    weed_by: date | None
    rule: str
    reference: str

    @property
    def never(self) -> bool:
        """Tell whether the document is never weeded."""
        return self.weed_from is None

    def due(self, as_of: date) -> bool:
        """Tell whether the duty to weed has arisen by this day."""
        return self.weed_from is not None and self.weed_from <= as_of

    def to_dict(self) -> dict[str, str]:
        """Return the verdict as the CLI's JSON object."""
        return {
            "weed_from": self.weed_from.isoformat() if self.weed_from else NEVER,
            "weed_by": self.weed_by.isoformat() if self.weed_by else NEVER,
            "rule": self.rule,
            "reference": self.reference,
        }


def _class_rule(name: str, table: Mapping[str, object]) -> ClassRule:
    closed_from = table.get("closed_from")
    min_age = table.get("min_age")
    return ClassRule(
        name=name,
        label=str(table["label"]),
        rule=str(table["rule"]),
        reference=str(table["reference"]),
        confirmed=bool(table["confirmed"]),
        years=int(str(table.get("years", 5))),
        never=bool(table.get("never", False)),
        research=bool(table.get("research", True)),
        min_age=int(str(min_age)) if min_age is not None else None,
        closed_from=closed_from if isinstance(closed_from, date) else None,
        before_rule=str(table["before_rule"]) if "before_rule" in table else None,
        before_reference=str(table["before_reference"]) if "before_reference" in table else None,
    )


@cache
def load() -> RetentionRules:
    """Read the shipped retention rule set; every class must be there, with its paragraph."""
    text = (
        resources.files("barnskydd.law")
        .joinpath("retention_rules/sol_2025_400.toml")
        .read_text(encoding="utf-8")
    )
    data = tomllib.loads(text)
    classes = {name: _class_rule(name, table) for name, table in data["classes"].items()}
    missing = sorted(set(CLASSES) - set(classes))
    if missing:
        msg = f"retention rules lack the classes {', '.join(missing)}"
        raise ValueError(msg)
    research = data["research"]
    return RetentionRules(
        id=data["id"],
        name=data["name"],
        effective_from=data["effective_from"],
        weed_by_reference=data["weed_by_reference"],
        research=Research(
            rule=research["rule"],
            reference=research["reference"],
            confirmed=research["confirmed"],
            counties=frozenset(research["counties"]),
            municipalities=frozenset(research["municipalities"]),
            birth_days=frozenset(research["birth_days"]),
        ),
        classes=classes,
    )


def class_rule(name: str) -> ClassRule:
    """Return one class's rule; refuse an unknown class with a Swedish message."""
    rules = load().classes
    if name not in rules:
        known = ", ".join(CLASSES)
        raise InvalidInput(f"Okänd dokumentklass '{name}'; välj en av {known}.", field="class")
    return rules[name]


def in_research_sample(municipality_code: str, birth_date: date) -> bool:
    """Tell whether SoF 13 kap. 1 § keeps this person's documents for research."""
    research = load().research
    municipality = municipalities.get(municipality_code)
    if municipality.code in research.municipalities:
        return True
    if municipality.county_code in research.counties:
        return True
    return birth_date.day in research.birth_days


def _years_after(day: date, years: int) -> date:
    # The same day number `years` later; 29 February becomes 28 February (lag 1930:173 1 §).
    return add_months(day, 12 * years)


def _by_end_of_next_year(weed_from: date) -> date:
    return date(weed_from.year + 1, 12, 31)


def weed_after(
    document_class: str,
    *,
    last_entry: date,
    birth_date: date,
    municipality_code: str,
    closed_on: date | None = None,
) -> Verdict:
    """Return when a document of this class may and must be weeded, and why.

    `last_entry` is the last entry in the person's file (16 kap. 1 §: five years after it);
    `closed_on` the day an investigation's case was closed (None: still open, so it closes
    after 2026-01-15 and 16 kap. 2 a § applies). Placements, paternity and adoption are never
    weeded (2 §); nor anything of a person in the research sample (SoF 13 kap. 1 §), except
    the lookup's entry, which is not part of the file.
    """
    rule = class_rule(document_class)
    municipalities.get(municipality_code)  # refuse an unknown code for every class
    if last_entry < birth_date:
        raise InvalidInput(
            "Sista anteckningen kan inte ligga före födelsedagen.", field="last_entry"
        )
    if rule.never:
        return Verdict(None, None, rule.rule, rule.reference)
    if rule.name == "lookup_entry":
        # The entry's last day is expires_on; the index drops it the day after, at once.
        last_day = lookup_expires_on(last_entry, birth_date)
        gone = date.fromordinal(last_day.toordinal() + 1)
        return Verdict(gone, gone, rule.rule, rule.reference)
    if rule.research and in_research_sample(municipality_code, birth_date):
        research = load().research
        return Verdict(None, None, research.rule, research.reference)
    weed_from = _years_after(last_entry, rule.years)
    if rule.min_age is not None and rule.closed_from is not None:
        if closed_on is not None and closed_on < rule.closed_from:
            assert rule.before_rule is not None
            assert rule.before_reference is not None
            return Verdict(
                weed_from, _by_end_of_next_year(weed_from), rule.before_rule, rule.before_reference
            )
        weed_from = max(weed_from, _years_after(birth_date, rule.min_age))
    return Verdict(weed_from, _by_end_of_next_year(weed_from), rule.rule, rule.reference)
