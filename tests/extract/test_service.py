"""The extract of one person: everything of theirs, nothing of anyone else's; review; PDF."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.audit import service as audit
from barnskydd.audit.models import AuditEntry
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound, PermissionDenied
from barnskydd.documents import service as documents
from barnskydd.documents.schemas import DocumentCreate
from barnskydd.extract import service as extracts
from barnskydd.extract.codes import Ground, Requester
from barnskydd.extract.schemas import ExtractRead
from barnskydd.people.rules import parse_identity
from barnskydd.staff import deployment
from barnskydd.web.extract_pdf import render_pdf
from tests.documents import samples
from tests.extract.factories import (
    CHILD_TEXT,
    GUARDIAN_PNR,
    OTHER_TEXT,
    REPORTER,
    SIBLING_PNR,
    SIBLING_TEXT,
    family_with_sibling,
    number,
)
from tests.factories import CHILD_PNR, OTHER_CHILD_PNR

PURPOSE = "registerutdrag"
TODAY = dt.date(2025, 7, 1)


def _json(session: Session, actor: object, pnr: str) -> str:
    found = extracts.collect(session, actor=actor, number=number(pnr), purpose=PURPOSE)  # type: ignore[arg-type]
    return json.dumps(ExtractRead.of(found).model_dump(mode="json"), ensure_ascii=False)


def _forms(pnr: str) -> list[str]:
    digits = number(pnr)
    return [digits, digits[2:], pnr, pnr[2:]]


def test_a_childs_extract_holds_every_item_of_theirs_and_nothing_of_the_others(
    session: Session,
) -> None:
    fam = family_with_sibling(session)
    found = extracts.collect(session, actor=fam.lead, number=number(CHILD_PNR), purpose=PURPOSE)
    kinds = {item.kind for item in found.items}
    assert {"child", "case", "report", "reporter_identity", "journal_entry", "guardian"} <= kinds
    assert "audit_entry" in kinds  # the reads of her data before this one
    out = json.dumps(ExtractRead.of(found).model_dump(mode="json"), ensure_ascii=False)
    assert CHILD_TEXT in out
    assert fam.case.case_number in out
    for other in (SIBLING_PNR, OTHER_CHILD_PNR):
        for form in _forms(other):
            assert form not in out
    for text in (SIBLING_TEXT, OTHER_TEXT, "Ebba Lind", "Elis", fam.sibling_case.case_number):
        assert text not in out
    assert fam.other_case.case_number not in out
    assert REPORTER not in out  # proposed withheld under 26 kap. 5 § until released
    assert "26 kap. 5 §" in out


def test_a_guardians_extract_holds_their_rows_not_the_childs_file(session: Session) -> None:
    fam = family_with_sibling(session)
    out = _json(session, fam.admin, GUARDIAN_PNR)
    assert "Lena Lind" in out
    assert "070-123 45 67" in out
    assert fam.case.case_number in out  # where they are recorded
    for text in (CHILD_TEXT, SIBLING_TEXT, OTHER_TEXT, REPORTER):
        assert text not in out
    for other in (CHILD_PNR, SIBLING_PNR, OTHER_CHILD_PNR):
        for form in _forms(other):
            assert form not in out


def test_a_person_held_nowhere_gets_an_empty_extract(session: Session) -> None:
    fam = family_with_sibling(session)
    found = extracts.collect(
        session, actor=fam.lead, number=number("19900101-0017"), purpose=PURPOSE
    )
    assert found.items == []


@pytest.mark.parametrize("role", ["worker", "analyst"])
def test_case_workers_and_analysts_are_refused_and_the_refusal_is_audited(
    session: Session, role: str
) -> None:
    fam = family_with_sibling(session)
    who = getattr(fam, role)
    with pytest.raises(PermissionDenied):
        extracts.collect(session, actor=who, number=number(CHILD_PNR), purpose=PURPOSE)
    (last,) = [e for e in audit.get_all(session) if e.actor == who.username][-1:]
    assert (last.action, last.entity, last.purpose) == ("refused", "person_extract", PURPOSE)


def test_the_read_is_audited_with_its_purpose_against_the_child(session: Session) -> None:
    fam = family_with_sibling(session)
    extracts.collect(session, actor=fam.lead, number=number(CHILD_PNR), purpose=PURPOSE)
    entries = audit.get_all(session, child_id=fam.case.child_id)
    assert (entries[-1].action, entries[-1].entity, entries[-1].purpose) == (
        "read",
        "person_extract",
        PURPOSE,
    )


def test_a_request_is_due_in_a_month_moved_to_a_working_day(session: Session) -> None:
    fam = family_with_sibling(session)
    request = extracts.create(
        session,
        actor=fam.lead,
        identity=parse_identity(CHILD_PNR),
        received_on=dt.date(2025, 5, 6),  # a month on: 6 June, national day
        requester=Requester.SELF,
        today=TODAY,
    )
    assert request.due == dt.date(2025, 6, 9)
    (listed,) = extracts.get_all(session, actor=fam.lead, today=TODAY)
    assert (listed.id, listed.days_left, listed.overdue) == (request.id, -22, True)
    assert extracts.get_all(session, actor=fam.worker, today=TODAY) == []


def test_a_guardians_request_needs_the_custody_check(session: Session) -> None:
    fam = family_with_sibling(session)
    with pytest.raises(InvalidInput) as refused:
        extracts.create(
            session,
            actor=fam.lead,
            identity=parse_identity(CHILD_PNR),
            received_on=TODAY,
            requester=Requester.GUARDIAN,
            today=TODAY,
        )
    assert refused.value.field == "custody_checked"


def test_withheld_items_are_left_out_of_the_pdf_and_named_by_paragraph(session: Session) -> None:
    fam = family_with_sibling(session)
    deployment.set_municipality(session, "1480")
    request = extracts.create(
        session,
        actor=fam.lead,
        identity=parse_identity(CHILD_PNR),
        received_on=TODAY,
        requester=Requester.SELF,
        today=TODAY,
    )
    with pytest.raises(InvalidInput):  # nothing reviewed yet
        extracts.produce(session, actor=fam.lead, request_id=request.id, purpose=PURPOSE)
    found = extracts.collect_for(session, actor=fam.lead, request_id=request.id, purpose=PURPOSE)
    journal_key = next(i.key for i in found.items if i.kind == "journal_entry")
    decisions = {i.key: i.proposed for i in found.items}
    decisions[journal_key] = Ground.GUARDIAN_HARM
    extracts.decide(
        session, actor=fam.lead, request_id=request.id, decisions=decisions, purpose=PURPOSE
    )
    produced = extracts.produce(session, actor=fam.lead, request_id=request.id, purpose=PURPOSE)
    pdf = render_pdf(produced, municipality="Göteborg", today=TODAY)
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )  # justified lines: spaces vary
    assert "Registerutdrag" in text
    assert fam.case.case_number in text
    assert "Oro för Saga Lind och [namn borttaget] ([personnummer borttaget])." in text  # released
    assert CHILD_TEXT not in text
    assert REPORTER not in text
    assert "12 kap. 3 §" in text
    assert "26 kap. 5 §" in text
    for other in (SIBLING_TEXT, OTHER_TEXT, SIBLING_PNR, OTHER_CHILD_PNR):
        assert other not in text
    assert request.produced_at is not None
    assert extracts.get_all(session, actor=fam.lead, today=TODAY) == []


def test_a_review_of_an_item_not_in_the_extract_is_refused(session: Session) -> None:
    fam = family_with_sibling(session)
    request = extracts.create(
        session,
        actor=fam.lead,
        identity=parse_identity(CHILD_PNR),
        received_on=TODAY,
        requester=Requester.SELF,
        today=TODAY,
    )
    sibling_entry = f"case:{fam.sibling_case.id}"
    with pytest.raises(InvalidInput):
        extracts.decide(
            session,
            actor=fam.lead,
            request_id=request.id,
            decisions={sibling_entry: None},
            purpose=PURPOSE,
        )


def test_another_units_team_lead_does_not_find_the_request(session: Session) -> None:
    from barnskydd.core.actor import Role
    from barnskydd.staff import service as staff

    fam = family_with_sibling(session)
    request = extracts.create(
        session,
        actor=fam.lead,
        identity=parse_identity(CHILD_PNR),
        received_on=TODAY,
        requester=Requester.SELF,
        today=TODAY,
    )
    unit = staff.create_unit(session, name="Barn och unga Väster", municipality_code="1480")
    other = staff.actor_for(
        staff.create(
            session, username="olle", display_name="Olle", role=Role.TEAM_LEAD, unit_id=unit.id
        )
    )
    with pytest.raises(NotFound):
        extracts.get(session, actor=other, request_id=request.id)
    with pytest.raises(PermissionDenied):  # the child's cases are in another unit
        extracts.collect(session, actor=other, number=number(CHILD_PNR), purpose=PURPOSE)
    refused = session.scalars(
        select(AuditEntry).where(AuditEntry.actor == "olle", AuditEntry.action == "refused")
    ).all()
    assert refused == [] or refused[-1].entity == "person_extract"


def test_protected_identity_hides_the_address_and_the_shared_contacts(session: Session) -> None:
    from barnskydd.people.codes import ProtectedIdentity
    from barnskydd.people.models import Guardian

    fam = family_with_sibling(session)
    child = fam.case.child
    child.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    child.address = "Hemliga vägen 1"
    guardian = session.get(Guardian, fam.guardian_id)
    assert guardian is not None
    guardian.shares_child_address = True
    session.flush()
    out = _json(session, fam.lead, CHILD_PNR)
    assert "Hemliga vägen 1" not in out
    assert "070-123 45 67" not in out
    assert '"kontaktuppgifter skyddade": true' in out


def test_a_guardian_in_another_units_case_is_for_an_administrator(session: Session) -> None:
    from barnskydd.core.actor import Role
    from barnskydd.staff import service as staff

    fam = family_with_sibling(session)
    unit = staff.create_unit(session, name="Barn och unga Norr", municipality_code="1480")
    other = staff.actor_for(
        staff.create(
            session, username="nils", display_name="N", role=Role.TEAM_LEAD, unit_id=unit.id
        )
    )
    with pytest.raises(PermissionDenied):
        extracts.collect(session, actor=other, number=number(GUARDIAN_PNR), purpose=PURPOSE)
    found = extracts.collect(session, actor=fam.admin, number=number(GUARDIAN_PNR), purpose=PURPOSE)
    assert [i.kind for i in found.items if i.kind == "guardian"] == ["guardian"]


def test_the_pdf_attaches_a_copy_of_each_released_document_and_audits_each_read(
    session: Session,
) -> None:
    fam = family_with_sibling(session)
    deployment.set_municipality(session, "1480")
    released_file, withheld_file = samples.pdf("Intyg från skolan"), samples.png()
    kept, held = (
        documents.create(
            session,
            actor=fam.worker,
            case=fam.case,
            data=DocumentCreate(title=title),
            filename=filename,
            content=content,
        )
        for title, filename, content in (
            ("Intyg från skolan", "intyg.pdf", released_file),
            ("Foto från hembesök", "foto.png", withheld_file),
        )
    )
    request = extracts.create(
        session,
        actor=fam.lead,
        identity=parse_identity(CHILD_PNR),
        received_on=TODAY,
        requester=Requester.SELF,
        today=TODAY,
    )
    found = extracts.collect_for(session, actor=fam.lead, request_id=request.id, purpose=PURPOSE)
    decisions = {i.key: i.proposed for i in found.items}
    decisions[f"document:{held.id}"] = Ground.OTHER_PERSON
    extracts.decide(
        session, actor=fam.lead, request_id=request.id, decisions=decisions, purpose=PURPOSE
    )
    produced = extracts.produce(session, actor=fam.lead, request_id=request.id, purpose=PURPOSE)
    assert [c.document_id for c in produced.copies] == [kept.id]
    reads = [
        e.entity_id
        for e in audit.get_all(session, child_id=fam.case.child_id)
        if (e.entity, e.action, e.actor, e.purpose)
        == ("document", "read", fam.lead.username, PURPOSE)
    ]
    assert reads == [kept.id]
    reader = PdfReader(io.BytesIO(render_pdf(produced, municipality="Göteborg", today=TODAY)))
    assert reader.attachments == {f"{kept.id}-intyg.pdf": [released_file]}
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Bifogade kopior av dokument" in text
    assert "Foto från hembesök" not in text


def test_the_deadline_is_extended_once_by_two_months_with_the_reason_told_in_time(
    session: Session,
) -> None:
    fam = family_with_sibling(session)
    received = dt.date(2025, 7, 1)
    request = extracts.create(
        session,
        actor=fam.lead,
        identity=parse_identity(CHILD_PNR),
        received_on=received,
        requester=Requester.SELF,
        today=received,
    )
    assert request.due == dt.date(2025, 8, 1)
    later = dt.date(2025, 8, 20)

    def extend(**changes: object) -> object:
        args: dict[str, object] = {
            "reason": "Många ärenden under tio år.",
            "told_on": dt.date(2025, 7, 20),
            "today": later,
            **changes,
        }
        return extracts.extend(session, actor=fam.lead, request_id=request.id, **args)  # type: ignore[arg-type]

    for changes, field in (
        ({"reason": " "}, "reason"),
        ({"reason": "<b>Svårt</b>"}, "reason"),
        ({"told_on": dt.date(2025, 6, 30)}, "told_on"),
        ({"told_on": dt.date(2025, 8, 21)}, "told_on"),
        ({"told_on": dt.date(2025, 8, 4)}, "told_on"),  # after the first month
    ):
        with pytest.raises(InvalidInput) as refused:
            extend(**changes)
        assert refused.value.field == field
        assert request.extended_due is None
    extend()
    # 2025-10-01 is a Wednesday: three months from the day received
    assert (request.extended_due, request.extension_told_on) == (
        dt.date(2025, 10, 1),
        dt.date(2025, 7, 20),
    )
    [open_request] = extracts.get_all(session, actor=fam.lead, today=later)
    assert (open_request.due, open_request.extended, open_request.overdue) == (
        dt.date(2025, 10, 1),
        True,
        False,
    )
    with pytest.raises(ForbiddenTransition):
        extend()
    assert extracts.get_all(session, actor=fam.worker, today=later) == []
    with pytest.raises(PermissionDenied):
        extracts.extend(
            session,
            actor=fam.worker,
            request_id=request.id,
            reason="x",
            told_on=received,
            today=later,
        )
