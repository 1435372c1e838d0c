"""Docs that tests keep true: glossary, settings and the CLI reference."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from barnskydd.cases import codes
from barnskydd.cases.chain.transitions import Step
from barnskydd.cases.codes import CaseStatus
from barnskydd.cases.communication.models import Recipient
from barnskydd.cases.decisions.codes import DecisionOutcome, NoticeWay
from barnskydd.cases.plan.models import ContactParty, PlanItemKind
from barnskydd.cases.search import SearchPurpose
from barnskydd.cases.team import DeadlineRisk
from barnskydd.cli import app
from barnskydd.cli.reference import render
from barnskydd.core.settings import Settings
from barnskydd.deviations.codes import Assessment, DeviationKind, DeviationStatus, Factor
from barnskydd.documents.codes import DocumentKind
from barnskydd.extract.codes import Ground, Requester
from barnskydd.people.codes import ProtectedIdentity, ProtectionChange
from barnskydd.staff.competence.codes import Degree, Shortfall
from barnskydd.voice.codes import VoiceMode, VoiceReason, VoiceStatus
from barnskydd.workload.points import Band, ItemKind, Uplift
from barnskydd.workload.records import TimeCategory

DOCS = Path(__file__).resolve().parent.parent / "docs"
CODE_LISTS: list[type[StrEnum]] = [
    CaseStatus,
    Step,
    codes.ReporterCategory,
    codes.Channel,
    codes.Concern,
    codes.PreliminaryOutcome,
    codes.InvestigationOutcome,
    codes.InterventionCategory,
    codes.LegalBasis,
    codes.BbicSide,
    codes.JournalKind,
    ProtectedIdentity,
    ProtectionChange,
    SearchPurpose,
    DeadlineRisk,
    DocumentKind,
    PlanItemKind,
    ContactParty,
    Recipient,
    DecisionOutcome,
    NoticeWay,
    Requester,
    Ground,
    VoiceStatus,
    VoiceReason,
    VoiceMode,
    DeviationKind,
    DeviationStatus,
    Assessment,
    Factor,
    ItemKind,
    Uplift,
    Band,
    TimeCategory,
    Degree,
    Shortfall,
]


@pytest.mark.parametrize("enum", CODE_LISTS, ids=lambda e: e.__name__)
def test_every_code_is_in_the_glossary(enum: type[StrEnum]) -> None:
    glossary = (DOCS / "glossary.md").read_text(encoding="utf-8")
    section = glossary.split(f"(`{enum.__name__}`)")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE))
    assert documented == {m.value for m in enum}


def test_every_setting_is_documented() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"BARNSKYDD_{name.upper()}" in text, name


def test_the_cli_reference_is_up_to_date() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(app), (
        "docs/cli.md is stale: run `make docs`"
    )
