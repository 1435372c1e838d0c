"""Guidance at each step: what the law asks and what must be documented, per rule set.

One TOML file per rule set in `barnskydd/law/guidance/`, shipped as package data next to
the rule sets and named by the same id, so the guidance shown follows the law the case's
deadlines follow. Each step has its paragraphs (`law`; `rule:NAME` stands for that rule's
reference, so a paragraph number is never typed twice), a short paraphrase in the
project's own words (`in_short`), a checklist of what to document (`document_this`) and
links to Socialstyrelsen's published guidance and the statute (`read_more`). The texts are
paraphrases: Socialstyrelsen's own texts may be quoted only with source and not
commercially, so they are linked, not copied.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from barnskydd.law.rules import rule_set_by_id

__all__ = [
    "ALLOWED_HOSTS",
    "MAX_TEXT",
    "GuidanceError",
    "Link",
    "StepGuidance",
    "guidance_for",
    "load_guidance",
]

MAX_TEXT = 600
# Where a read_more link may point: the public bodies and the statute's publishers.
ALLOWED_HOSTS = (
    "socialstyrelsen.se",
    "kunskapsguiden.se",
    "riksdagen.se",
    "lagen.nu",
    "jo.se",
    "ivo.se",
)
_STEP_KEYS = frozenset({"law", "in_short", "document_this", "read_more"})


class GuidanceError(Exception):
    """A guidance file that is malformed or cites a rule its rule set lacks."""


@dataclass(frozen=True, slots=True)
class Link:
    """A link to published guidance or the statute."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class StepGuidance:
    """What the law asks at one step, under one rule set."""

    step: str
    law: tuple[str, ...]
    in_short: str
    document_this: tuple[str, ...]
    read_more: tuple[Link, ...]


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise GuidanceError(f"{where}: must be a list of non-empty strings")
    return tuple(value)


def _link(value: object, where: str) -> Link:
    if not isinstance(value, Mapping) or set(value) != {"title", "url"}:
        raise GuidanceError(f"{where}: a link is {{ title = ..., url = ... }}")
    title, url = value["title"], value["url"]
    if not isinstance(title, str) or not isinstance(url, str):
        raise GuidanceError(f"{where}: title and url must be strings")
    host = url.removeprefix("https://").split("/", 1)[0].removeprefix("www.")
    if not url.startswith("https://") or host not in ALLOWED_HOSTS:
        raise GuidanceError(f"{where}: {url} is not an https link to {', '.join(ALLOWED_HOSTS)}")
    return Link(title=title, url=url)


def _resolve(reference: str, rule_set_id: str, where: str) -> str:
    if not reference.startswith("rule:"):
        return reference
    rule = rule_set_by_id(rule_set_id).rule(reference.removeprefix("rule:"))
    if rule is None:
        raise GuidanceError(f"{where}: {rule_set_id} has no rule '{reference}'")
    return rule.reference


def parse_guidance(data: Mapping[str, object], *, source: str) -> dict[str, StepGuidance]:
    """Build one rule set's guidance per step, or raise GuidanceError naming the fault."""
    rule_set_id = data.get("rule_set")
    steps = data.get("steps")
    if not isinstance(rule_set_id, str) or not isinstance(steps, Mapping):
        raise GuidanceError(f'{source}: needs rule_set = "..." and [steps.NAME] tables')
    found = {}
    for step, table in steps.items():
        where = f"{source} [steps.{step}]"
        if not isinstance(table, Mapping) or set(table) != _STEP_KEYS:
            raise GuidanceError(f"{where}: needs exactly {sorted(_STEP_KEYS)}")
        in_short = table["in_short"]
        if not isinstance(in_short, str) or not 0 < len(in_short) <= MAX_TEXT:
            raise GuidanceError(f"{where}: in_short must be 1-{MAX_TEXT} characters")
        checklist = _strings(table["document_this"], where)
        if len(" ".join(checklist)) > MAX_TEXT:
            raise GuidanceError(f"{where}: document_this is longer than {MAX_TEXT} characters")
        links = table["read_more"]
        if not isinstance(links, list) or not links:
            raise GuidanceError(f"{where}: read_more needs at least one link")
        found[step] = StepGuidance(
            step=step,
            law=tuple(_resolve(r, rule_set_id, where) for r in _strings(table["law"], where)),
            in_short=in_short,
            document_this=checklist,
            read_more=tuple(_link(x, where) for x in links),
        )
    return found


@cache
def load_guidance() -> dict[str, dict[str, StepGuidance]]:
    """Read the shipped guidance: rule set id -> step -> guidance."""
    folder = resources.files("barnskydd.law").joinpath("guidance")
    result: dict[str, dict[str, StepGuidance]] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        rule_set_id = entry.name.removesuffix(".toml")
        if data.get("rule_set") != rule_set_id:
            raise GuidanceError(f"guidance/{entry.name}: rule_set must be '{rule_set_id}'")
        result[rule_set_id] = parse_guidance(data, source=f"guidance/{entry.name}")
    return result


def guidance_for(rule_set_id: str, step: str) -> StepGuidance | None:
    """Return the guidance of a step under a rule set, or None when there is none."""
    return load_guidance().get(rule_set_id, {}).get(step)
