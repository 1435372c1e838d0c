"""Deadlines of the case chain, computed from rule sets kept as data (TOML, one per law).

A rule set says which law applies to reports received in a span of dates and, for each
deadline, how long the period is, whether lag (1930:173) moves its last day to a vardag,
and where the law says so. The files live in `barnskydd/law/rulesets/`; docs/law.md
tells how to add one.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from itertools import pairwise

from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.law.calendar import OutsideCalendar, add_months, check_covered, period_end

__all__ = [
    "ALL_RULE_NAMES",
    "COUNTED_FROM",
    "LATER_RULE_NAMES",
    "RULE_NAMES",
    "Deadline",
    "Deadlines",
    "Rule",
    "RuleSet",
    "RuleSetError",
    "days_left",
    "deadlines",
    "investigation_due",
    "later_deadline",
    "load_rule_sets",
    "parse_rule_set",
    "preliminary_assessment_due",
    "protection_assessment_due",
    "rule_set_by_id",
    "rule_set_for",
    "validate_rule_sets",
]

RULE_NAMES = ("protection_assessment", "preliminary_assessment", "investigation")
# The deadlines after the first three, in the order a case meets them. A rule set holds the
# ones its law has; a rule that came in later than the rule set says so with `in_force_from`.
LATER_RULE_NAMES = (
    "feedback",
    "emergency_home",
    "unexecuted_decision",
    "youth_service",
    "placement_review",
    "lvu_review",
    "care_plan_revision",
    "follow_up",
)
ALL_RULE_NAMES = RULE_NAMES + LATER_RULE_NAMES
# What each period is counted from; a rule set that says otherwise is a mistake.
COUNTED_FROM = {
    "protection_assessment": "received",
    "preliminary_assessment": "received",
    "investigation": "investigation_start",
    "feedback": "preliminary_decision",
    "emergency_home": "investigation_completed",
    "unexecuted_decision": "intervention_decision",
    "youth_service": "judgment_final",
    "placement_review": "placement_start",
    "lvu_review": "care_start",
    "care_plan_revision": "placement_start",
    "follow_up": "investigation_or_placement_end",
}
_COUNTED_FROM = COUNTED_FROM
_RULE_SET_KEYS = frozenset({"id", "name", "title", "effective_from", "effective_to", "rules"})
_RULE_KEYS = frozenset(
    {
        "days",
        "weeks",
        "months",
        "in_force_from",
        "counted_from",
        "moves_to_working_day",
        "extension",
        "reference",
        "confirmed",
        "note",
    }
)
_ONE_DAY = timedelta(days=1)


class RuleSetError(Exception):
    """A rule set file that is malformed, incomplete, or leaves a gap or overlap in time."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One deadline of a rule set: its period, its legal source and how sure we are of it."""

    name: str
    days: int
    months: int
    counted_from: str
    moves_to_working_day: bool
    reference: str
    confirmed: bool
    note: str
    extension: str | None = None
    weeks: int = 0
    in_force_from: date | None = None

    def applies_to_event(self, event: date) -> bool:
        """Tell whether the rule was in force on the day its period counts from."""
        return self.in_force_from is None or event >= self.in_force_from

    def period(self) -> dict[str, int]:
        """Return the period's parts that are not zero, as JSON-ready numbers."""
        parts = {"months": self.months, "weeks": self.weeks, "days": self.days}
        return {unit: n for unit, n in parts.items() if n}


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The deadlines of one law, for reports received from `effective_from` to `effective_to`."""

    id: str
    name: str
    title: str
    effective_from: date
    effective_to: date | None
    protection_assessment: Rule
    preliminary_assessment: Rule
    investigation: Rule
    later: tuple[Rule, ...] = ()

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Return the rules in the order of the case chain."""
        return (self.protection_assessment, self.preliminary_assessment, self.investigation)

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        """Return the first three rules and then the later ones this law has."""
        return self.rules + self.later

    def rule(self, name: str) -> Rule | None:
        """Return the rule of this name, or None when this law has no such deadline."""
        for rule in self.all_rules:
            if rule.name == name:
                return rule
        return None

    def applies_to(self, received: date) -> bool:
        """Tell whether a report received on this day falls under this rule set."""
        if received < self.effective_from:
            return False
        return self.effective_to is None or received <= self.effective_to


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day for one step and the provision that sets it."""

    due: date
    reference: str

    def to_dict(self) -> dict[str, str]:
        """Return the deadline as JSON-ready strings."""
        return {"due": self.due.isoformat(), "reference": self.reference}


@dataclass(frozen=True, slots=True)
class Deadlines:
    """All deadlines of one report, under the law named by `law`."""

    law: str
    protection_assessment: Deadline
    preliminary_assessment: Deadline
    investigation: Deadline | None = None

    def to_dict(self) -> dict[str, str | dict[str, str]]:
        """Return the deadlines as a JSON-ready dict; `investigation` only when it was asked."""
        result: dict[str, str | dict[str, str]] = {
            "law": self.law,
            "protection_assessment": self.protection_assessment.to_dict(),
            "preliminary_assessment": self.preliminary_assessment.to_dict(),
        }
        if self.investigation is not None:
            result["investigation"] = self.investigation.to_dict()
        return result


def _fail(source: str, problem: str) -> RuleSetError:
    return RuleSetError(f"{source}: {problem}")


def _unknown_keys(table: Mapping[str, object], allowed: frozenset[str]) -> list[str]:
    return sorted(set(table) - allowed)


def _string(table: Mapping[str, object], key: str, source: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, f"'{key}' must be a non-empty string")
    return value


def _natural(table: Mapping[str, object], key: str, source: str) -> int:
    value = table.get(key, 0)
    # bool is an int in Python; a TOML `true` here is a typo, not a number.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(source, f"'{key}' must be a whole number of 0 or more")
    return value


def _flag(table: Mapping[str, object], key: str, source: str) -> bool:
    value = table.get(key)
    if not isinstance(value, bool):
        raise _fail(source, f"'{key}' must be true or false")
    return value


def _day(value: object, key: str, source: str) -> date:
    # A TOML datetime parses to datetime, a subclass of date; a rule set holds days only.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _fail(source, f"'{key}' must be a date such as 2025-07-01")
    return value


def _parse_rule(name: str, table: object, source: str) -> Rule:
    where = f"{source} [rules.{name}]"
    if not isinstance(table, Mapping):
        raise _fail(where, "must be a table")
    if unknown := _unknown_keys(table, _RULE_KEYS):
        raise _fail(where, f"unknown keys {unknown}")
    counted_from = _string(table, "counted_from", where)
    if counted_from != _COUNTED_FROM[name]:
        raise _fail(where, f"'counted_from' must be '{_COUNTED_FROM[name]}'")
    extension = table.get("extension")
    if extension is not None and not isinstance(extension, str):
        raise _fail(where, "'extension' must be a string when given")
    raw_in_force = table.get("in_force_from")
    in_force_from = None if raw_in_force is None else _day(raw_in_force, "in_force_from", where)
    return Rule(
        name=name,
        days=_natural(table, "days", where),
        weeks=_natural(table, "weeks", where),
        in_force_from=in_force_from,
        months=_natural(table, "months", where),
        counted_from=counted_from,
        moves_to_working_day=_flag(table, "moves_to_working_day", where),
        reference=_string(table, "reference", where),
        confirmed=_flag(table, "confirmed", where),
        note=_string(table, "note", where),
        extension=extension,
    )


def parse_rule_set(data: Mapping[str, object], *, source: str) -> RuleSet:
    """Build a rule set from parsed TOML, or raise RuleSetError naming `source` and the fault."""
    if unknown := _unknown_keys(data, _RULE_SET_KEYS):
        raise _fail(source, f"unknown keys {unknown}")
    rules = data.get("rules")
    if not isinstance(rules, Mapping):
        raise _fail(source, "a [rules] table is required")
    if missing := [name for name in RULE_NAMES if name not in rules]:
        raise _fail(source, f"missing rules {missing}")
    if unknown := sorted(set(rules) - set(ALL_RULE_NAMES)):
        raise _fail(source, f"unknown rules {unknown}")
    effective_from = _day(data.get("effective_from"), "effective_from", source)
    raw_to = data.get("effective_to")
    effective_to = None if raw_to is None else _day(raw_to, "effective_to", source)
    if effective_to is not None and effective_to < effective_from:
        raise _fail(source, "'effective_to' is before 'effective_from'")
    return RuleSet(
        id=_string(data, "id", source),
        name=_string(data, "name", source),
        title=_string(data, "title", source),
        effective_from=effective_from,
        effective_to=effective_to,
        protection_assessment=_parse_rule(
            "protection_assessment", rules["protection_assessment"], source
        ),
        preliminary_assessment=_parse_rule(
            "preliminary_assessment", rules["preliminary_assessment"], source
        ),
        investigation=_parse_rule("investigation", rules["investigation"], source),
        later=tuple(
            _parse_rule(name, rules[name], source) for name in LATER_RULE_NAMES if name in rules
        ),
    )


def validate_rule_sets(rule_sets: Iterable[RuleSet]) -> tuple[RuleSet, ...]:
    """Return the rule sets by date, or raise RuleSetError on a gap, overlap or duplicate id."""
    ordered = tuple(sorted(rule_sets, key=lambda rule_set: rule_set.effective_from))
    if not ordered:
        raise RuleSetError("no rule sets found")
    seen: set[str] = set()
    for rule_set in ordered:
        if rule_set.id in seen:
            raise RuleSetError(f"rule set id '{rule_set.id}' is used twice")
        seen.add(rule_set.id)
    for earlier, later in pairwise(ordered):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            raise RuleSetError(
                f"rule sets '{earlier.id}' and '{later.id}' overlap: '{earlier.id}' must end "
                f"on {later.effective_from - _ONE_DAY}"
            )
        if earlier.effective_to + _ONE_DAY != later.effective_from:
            raise RuleSetError(
                f"gap between rule sets '{earlier.id}' (to {earlier.effective_to}) and "
                f"'{later.id}' (from {later.effective_from})"
            )
    return ordered


@cache
def load_rule_sets() -> tuple[RuleSet, ...]:
    """Read, check and cache the rule sets shipped in barnskydd/law/rulesets/."""
    folder = resources.files("barnskydd.law").joinpath("rulesets")
    parsed = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml"):
            continue
        source = f"rulesets/{entry.name}"
        try:
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise _fail(source, f"not valid TOML ({exc})") from exc
        parsed.append(parse_rule_set(data, source=source))
    return validate_rule_sets(parsed)


def rule_set_for(received: date) -> RuleSet:
    """Return the rule set for a report received on this day."""
    for rule_set in load_rule_sets():
        if rule_set.applies_to(received):
            return rule_set
    first = load_rule_sets()[0].effective_from
    raise InvalidInput(
        f"Ingen regeluppsättning gäller för anmälningar mottagna {received.isoformat()}; "
        f"tidsfristerna beräknas för anmälningar mottagna från och med {first.isoformat()}.",
        field="received",
    )


def rule_set_by_id(id: str) -> RuleSet:
    """Return the rule set with this id."""
    for rule_set in load_rule_sets():
        if rule_set.id == id:
            return rule_set
    raise NotFound(f"Regeluppsättningen '{id}' finns inte.", field="id")


def _due(start: date, rule: Rule) -> Deadline:
    if rule.moves_to_working_day:
        due = period_end(start, days=rule.days, weeks=rule.weeks, months=rule.months)
    else:
        due = add_months(start, rule.months) + timedelta(days=rule.days + 7 * rule.weeks)
    return Deadline(due=due, reference=rule.reference)


def later_deadline(name: str, event: date) -> Deadline:
    """Return the deadline of a later rule counted from `event`, under the law in force then.

    The first three deadlines follow the law of the day the report came in; a later one
    follows the rule set in force on the day of its event (the decision, the placement's
    start, the judgment's entry into force), so a placement begun under SoL 2025:400 is
    reviewed under it even when the report came in under SoL 2001:453.
    """
    if name not in ALL_RULE_NAMES:
        known = ", ".join(ALL_RULE_NAMES)
        raise InvalidInput(f"Regeln '{name}' finns inte. Kända regler: {known}.", field="rule")
    with _named("event"):
        check_covered(event)
        rule_set = rule_set_for(event)
        rule = rule_set.rule(name)
        if rule is None:
            raise InvalidInput(
                f"Regeln '{name}' gäller inte för en händelse {event.isoformat()}: "
                f"{rule_set.name} har ingen sådan frist.",
                field="event",
            )
        if not rule.applies_to_event(event) and rule.in_force_from is not None:
            raise InvalidInput(
                f"Regeln '{name}' gäller inte för en händelse {event.isoformat()}: fristen i "
                f"{rule_set.name} gäller från och med {rule.in_force_from.isoformat()}.",
                field="event",
            )
        return _due(event, rule)


def protection_assessment_due(received: date, rule_set: RuleSet) -> Deadline:
    """Return when the skyddsbedömning is due: genast, the day the report came in."""
    return _due(received, rule_set.protection_assessment)


def preliminary_assessment_due(received: date, rule_set: RuleSet) -> Deadline:
    """Return when the decision to open an investigation or not is due."""
    return _due(received, rule_set.preliminary_assessment)


def investigation_due(start: date, rule_set: RuleSet) -> Deadline:
    """Return when an investigation opened on `start` must be finished, unless extended."""
    return _due(start, rule_set.investigation)


def deadlines(received: date, investigation_start: date | None = None) -> Deadlines:
    """Return the deadlines of a report under the rule set in force on the day it came in."""
    rule_set = rule_set_for(received)
    investigation = None
    if investigation_start is not None:
        if investigation_start < received:
            raise InvalidInput(
                f"Utredningen kan inte ha inletts ({investigation_start.isoformat()}) före "
                f"den dag anmälan kom in ({received.isoformat()}).",
                field="investigation_start",
            )
        with _named("investigation_start"):
            investigation = investigation_due(check_covered(investigation_start), rule_set)
    with _named("received"):
        check_covered(received)
        protection = protection_assessment_due(received, rule_set)
        preliminary = preliminary_assessment_due(received, rule_set)
    return Deadlines(
        law=rule_set.name,
        protection_assessment=protection,
        preliminary_assessment=preliminary,
        investigation=investigation,
    )


@contextmanager
def _named(field: str) -> Iterator[None]:
    """Name the input whose deadline falls outside the calendar (the day or a later one)."""
    try:
        yield
    except OutsideCalendar as error:
        raise OutsideCalendar(error.message, field=field) from None


def days_left(due: date, today: date) -> int:
    """Return the days from `today` to `due`; 0 on the last day, negative once it has passed."""
    return (due - today).days
