"""The synthetic municipality: deterministic, calibrated, and valid by the service layer's rules."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.cases.codes import NEVER_MANDATORY, CaseStatus, PreliminaryOutcome, ReporterCategory
from barnskydd.cases.models import (
    Case,
    FollowUp,
    Intervention,
    Investigation,
    InvestigationExtension,
    PreliminaryAssessment,
    ProtectionAssessment,
    Report,
)
from barnskydd.core.actor import Role
from barnskydd.core.clock import local_date, today
from barnskydd.core.db import make_engine, session_factory, transaction, utcnow
from barnskydd.core.errors import InvalidInput
from barnskydd.documents import rules
from barnskydd.documents.models import Document
from barnskydd.law import rules as law
from barnskydd.people.models import Child
from barnskydd.people.rules import age_on, parse_identity
from barnskydd.staff.models import StaffMember
from barnskydd.synth.generator import GenerationReport, generate
from tests.conftest import migrated_database

SMALL = "0483"  # Katrineholm; at scale 0.04 about 50 reports a year
# A window across 2025-07-01, so both SoL 2001:453 and SoL 2025:400 apply.
START, END = dt.date(2025, 5, 1), dt.date(2025, 9, 1)


def _small(session: Session, seed: int = 7) -> GenerationReport:
    return generate(session, municipality_code=SMALL, start=START, end=END, seed=seed, scale=0.04)


@pytest.fixture
def two_fresh_databases(
    migrated_engine: Engine,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[Engine]]:
    """Two fresh, migrated, empty databases of the dialect under test."""
    dialect = migrated_engine.dialect.name
    engines = []
    for _ in range(2):
        url = migrated_database(dialect, request, tmp_path_factory.mktemp("synth"))
        engines.append(make_engine(url))
    yield engines
    for engine in engines:
        engine.dispose()


def _fingerprint(engine: Engine, seed: int) -> tuple[object, ...]:
    with transaction(session_factory(engine)) as session:
        report = _small(session, seed=seed)
        rows = session.execute(
            select(Case.case_number, Case.status, Report.received_at, Report.reporter_category)
            .join(Report, Report.case_id == Case.id)
            .order_by(Case.id)
        ).all()
        return (report, [tuple(r) for r in rows])


def test_same_seed_gives_same_counts_and_case_numbers(two_fresh_databases: list[Engine]) -> None:
    first, second = (_fingerprint(engine, seed=7) for engine in two_fresh_databases)
    assert first == second
    assert first[1], "the run generated no cases"


def test_different_seed_gives_different_data(session: Session) -> None:
    _small(session, seed=1)
    cut = session.scalar(select(func.max(Case.id)))
    _small(session, seed=2)
    times = [
        session.scalars(select(Report.received_at).join(Case).where(where).order_by(Case.id)).all()
        for where in (Case.id <= cut, Case.id > cut)
    ]
    assert times[0] != times[1]


def test_generated_chain_is_valid(session: Session) -> None:
    _small(session)
    assert audit.verify(session) is None
    for report in session.scalars(select(Report)):
        received = local_date(report.received_at)
        rule_set = law.rule_set_for(received)
        assert report.case.law == rule_set.id
        assert report.protection_due == law.protection_assessment_due(received, rule_set).due
        assert report.preliminary_due == law.preliminary_assessment_due(received, rule_set).due
        if report.mandatory_reporter:
            assert report.reporter_category not in NEVER_MANDATORY
    laws = set(session.scalars(select(Case.law)))
    assert len(laws) == 2, "the window spans both rule sets"
    for child in session.scalars(select(Child)):
        identity = parse_identity(child.identity_number, today=END)
        assert 0 <= age_on(identity, END) <= 17


def test_no_step_is_dated_after_the_end(session: Session) -> None:
    _small(session)
    assert session.scalar(select(func.max(Report.received_at))) < utcnow()
    assert local_date(session.scalar(select(func.max(Report.received_at)))) < END
    assert local_date(session.scalar(select(func.max(ProtectionAssessment.assessed_at)))) < END
    for column in (
        PreliminaryAssessment.decided_on,
        Investigation.completed_on,
        InvestigationExtension.decided_on,
        Intervention.decided_on,
        Intervention.ended_on,
        FollowUp.followed_up_on,
        Case.closed_on,
    ):
        latest = session.scalar(select(func.max(column)))
        assert latest is None or latest <= END, column


def test_open_cases_remain_at_the_end(session: Session) -> None:
    _small(session)
    statuses = set(session.scalars(select(Case.status)))
    assert CaseStatus.CLOSED in statuses
    assert statuses & {CaseStatus.PRELIMINARY_ASSESSMENT, CaseStatus.INVESTIGATION}


def test_demo_accounts_exist(session: Session) -> None:
    _small(session)
    roles = dict(session.execute(select(StaffMember.username, StaffMember.role)).all())
    assert roles["handlaggare"] is Role.CASE_WORKER
    assert roles["arbetsledare"] is Role.TEAM_LEAD
    assert roles["analytiker"] is Role.ANALYST
    assert roles["admin"] is Role.ADMIN
    workers = session.scalars(select(StaffMember).where(StaffMember.role == Role.CASE_WORKER))
    assert all(w.unit_id is not None for w in workers)


def test_future_end_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInput):
        generate(
            session,
            municipality_code=SMALL,
            start=today(),
            end=today() + dt.timedelta(days=1),
            seed=1,
        )


def test_mixes_follow_the_published_figures(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("one larger run is enough; the mixes do not depend on the dialect")
    end = today()
    report = generate(
        session,
        municipality_code=SMALL,
        start=end - dt.timedelta(days=365),
        end=end,
        seed=3,
        scale=0.3,
    )
    reports = report.reports
    assert reports == pytest.approx(report.children_0_17 * 0.3 * 0.19, rel=0.02)
    children = session.scalar(select(func.count(func.distinct(Case.child_id))))
    assert 1.5 <= reports / children <= 2.1
    outcomes = Counter(session.scalars(select(PreliminaryAssessment.outcome)))
    assert 0.36 <= outcomes[PreliminaryOutcome.INVESTIGATION_OPENED] / reports <= 0.5
    assert outcomes[PreliminaryOutcome.ALREADY_ONGOING] > 0
    assert outcomes[PreliminaryOutcome.TRANSFERRED] > 0
    reporters = Counter(session.scalars(select(Report.reporter_category)))
    big_four = sum(
        reporters[c]
        for c in (
            ReporterCategory.POLICE,
            ReporterCategory.SCHOOL,
            ReporterCategory.PRESCHOOL,
            ReporterCategory.HEALTH_CARE,
        )
    )
    assert 0.52 <= big_four / reports <= 0.68
    on_time = Counter(session.scalars(select(PreliminaryAssessment.on_time)))
    assert 0.05 <= on_time[False] / sum(on_time.values()) <= 0.35
    assert session.scalar(select(func.count(InvestigationExtension.id)))
    lvu = session.scalars(select(Intervention).where(Intervention.category == "sis_secure"))
    assert all(i.legal_basis == "lvu" for i in lvu)


def test_some_cases_get_a_pdf_and_a_png_through_the_documents_service(session: Session) -> None:
    report = generate(
        session,
        municipality_code=SMALL,
        start=dt.date(2024, 1, 1),
        end=dt.date(2025, 6, 1),
        seed=7,
        scale=0.04,
    )
    stored = list(session.scalars(select(Document).order_by(Document.id)))
    assert report.documents == len(stored) > 0
    assert {d.media_type for d in stored} == {"application/pdf", "image/png"}
    for document in stored:
        assert rules.check(document.filename, document.content).sha256 == document.sha256
        case = session.get(Case, document.case_id)
        assert case is not None
        assert local_date(document.uploaded_at) >= local_date(case.opened_at)
    created = [e for e in audit.get_all(session) if e.entity == "document" and e.action == "create"]
    assert len(created) == len(stored)
