"""Collect everything held about one person, table by table, as the model registry lists them.

`RULES` names every table of the registry (barnskydd.models): how it is extracted, that its
rows are extracted as part of another table's item, or why it holds nothing about a person in
the social services' care. A table added without an entry fails tests/extract/test_registry.py,
so nothing new is silently left out of an extract.

Only rows reached from the subject are read: the child's own row and cases, and the rows that
hang from those cases; for a guardian, the guardian rows carrying their identity number. A
sibling's case, another child's rows and the reporter's identity (its own item, proposed
withheld) never come in by another path. Texts are scrubbed of other people's identity numbers
and of the names of siblings and other registered people (extract.rules.scrub).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from barnskydd.audit.models import AuditEntry
from barnskydd.cases.codes import (
    BBIC_LABELS,
    CHANNEL_LABELS,
    CONCERN_LABELS,
    INTERVENTION_LABELS,
    INVESTIGATION_LABELS,
    JOURNAL_KIND_LABELS,
    PRELIMINARY_LABELS,
    REPORTER_LABELS,
    STATUS_LABELS,
)
from barnskydd.cases.communication.models import RECIPIENT_LABELS, Communication
from barnskydd.cases.decisions.codes import OUTCOME_LABELS, WAY_LABELS
from barnskydd.cases.decisions.models import Decision, DecisionNotice
from barnskydd.cases.journal.models import JournalEntry
from barnskydd.cases.models import (
    Case,
    FollowUp,
    Intervention,
    Investigation,
    PlacementReview,
    PreliminaryAssessment,
    PreliminaryExtension,
    ProtectionAssessment,
    Report,
    ReporterFeedback,
)
from barnskydd.cases.plan.models import KIND_LABELS as PLAN_KIND_LABELS
from barnskydd.cases.plan.models import PARTY_LABELS, PlanItem
from barnskydd.core.actor import Actor
from barnskydd.core.errors import InvalidInput
from barnskydd.deviations.codes import KIND_LABELS as DEVIATION_KIND_LABELS
from barnskydd.deviations.codes import STATUS_LABELS as DEVIATION_STATUS_LABELS
from barnskydd.deviations.models import Deviation
from barnskydd.dictation.models import DictationJob
from barnskydd.documents.codes import KIND_LABELS
from barnskydd.documents.models import Document
from barnskydd.drafts.models import Draft
from barnskydd.early_help.codes import GIVEN_DURING
from barnskydd.early_help.models import EarlyHelp
from barnskydd.extract.codes import REQUESTER_LABELS, Ground
from barnskydd.extract.models import ExtractRequest
from barnskydd.extract.rules import FieldValue, Item, Others, scrub, scrub_fields
from barnskydd.lookup.models import LookupNotice, LookupPublication
from barnskydd.lookup.rules import STATUS_CLASS_LABELS
from barnskydd.people import access, guardians
from barnskydd.people.codes import PROTECTED_LABELS, RELATION_LABELS
from barnskydd.people.models import Child, ChildAccess, Guardian
from barnskydd.people.rules import formatted, parse_identity
from barnskydd.staff.models import StaffMember
from barnskydd.voice.codes import MODE_LABELS as VOICE_MODE_LABELS
from barnskydd.voice.codes import REASON_LABELS as VOICE_REASON_LABELS
from barnskydd.voice.codes import STATUS_LABELS as VOICE_STATUS_LABELS
from barnskydd.voice.models import ChildVoiceRecord


@dataclass
class Subject:
    """The person and the rows the collection starts from."""

    actor: Actor
    number: str
    child: Child | None
    cases: list[Case]
    guardian_rows: list[Guardian]
    others: Others
    case_numbers: dict[int, str] = field(default_factory=dict)

    @property
    def case_ids(self) -> list[int]:
        """Return the ids of the child's cases."""
        return [c.id for c in self.cases]


Collector = Callable[[Session, Subject], Iterator[Item]]


@dataclass(frozen=True, slots=True)
class Collected:
    """The table is extracted by a collector of its own."""

    collect: Collector


@dataclass(frozen=True, slots=True)
class Within:
    """The table's rows are extracted as part of another table's items."""

    table: str


@dataclass(frozen=True, slots=True)
class Nothing:
    """The table holds nothing about a person in the social services' care, and why."""

    reason: str


Rule = Collected | Within | Nothing


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _item(
    subject: Subject,
    key: str,
    kind: str,
    label: str,
    *,
    on: dt.date | dt.datetime | None,
    case_id: int | None = None,
    text: str | None = None,
    fields: dict[str, FieldValue] | None = None,
    proposed: Ground | None = None,
) -> Item:
    """Build an item, its texts scrubbed of other people's identities."""
    return Item(
        key=key,
        kind=kind,
        label=label,
        on=on,
        case_number=subject.case_numbers.get(case_id) if case_id is not None else None,
        text=scrub(text, subject.others),
        fields=scrub_fields(fields or {}, subject.others),
        proposed=proposed,
    )


def _child(session: Session, s: Subject) -> Iterator[Item]:
    child = s.child
    if child is None:
        return
    address = access.visible_address(child)
    yield _item(
        s,
        f"child:{child.id}",
        "child",
        "Personuppgifter",
        on=child.created_at,
        fields={
            "namn": f"{child.first_name} {child.last_name}",
            "personnummer": child.display_identity,
            "födelsedatum": child.birth_date.isoformat(),
            "skyddade personuppgifter": PROTECTED_LABELS[child.protected_identity],
            "adress": address if address is not None else "skyddad" if child.address else None,
        },
    )


def _cases(session: Session, s: Subject) -> Iterator[Item]:
    for case in s.cases:
        yield _item(
            s,
            f"case:{case.id}",
            "case",
            "Ärende",
            on=case.opened_at,
            case_id=case.id,
            fields={
                "ärendenummer": case.case_number,
                "status": STATUS_LABELS[case.status],
                "enhet": case.unit.name,
                "avslutat": _iso(case.closed_on),
            },
        )


def _reports(session: Session, s: Subject) -> Iterator[Item]:
    for report in session.scalars(select(Report).where(Report.case_id.in_(s.case_ids))):
        yield _item(
            s,
            f"report:{report.id}",
            "report",
            "Orosanmälan",
            on=report.received_at,
            case_id=report.case_id,
            text=report.free_text,
            fields={
                "kanal": CHANNEL_LABELS[report.channel],
                "anmälarkategori": REPORTER_LABELS[report.reporter_category],
                "anmälningsskyldig": report.mandatory_reporter,
                "begärt återkoppling": report.feedback_requested,
                "organisation": report.reporter_organisation,
                "oro": [CONCERN_LABELS[c.concern] for c in report.concerns],
            },
        )
        if report.reporter_name or report.reporter_contact:
            yield _item(
                s,
                f"report:{report.id}:reporter",
                "reporter_identity",
                "Anmälarens identitet",
                on=report.received_at,
                case_id=report.case_id,
                fields={"namn": report.reporter_name, "kontakt": report.reporter_contact},
                proposed=Ground.REPORTER,
            )


def _chain_rows(session: Session, s: Subject) -> Iterator[Item]:
    ids = s.case_ids
    for p in session.scalars(
        select(ProtectionAssessment).where(ProtectionAssessment.case_id.in_(ids))
    ):
        yield _item(
            s,
            f"protection_assessment:{p.id}",
            "protection_assessment",
            "Skyddsbedömning",
            on=p.assessed_at,
            case_id=p.case_id,
            text=p.notes,
            fields={"omedelbart skydd behövs": p.immediate_protection_needed},
        )
    for a in session.scalars(
        select(PreliminaryAssessment).where(PreliminaryAssessment.case_id.in_(ids))
    ):
        yield _item(
            s,
            f"preliminary_assessment:{a.id}",
            "preliminary_assessment",
            "Förhandsbedömning",
            on=a.decided_on,
            case_id=a.case_id,
            text=a.notes,
            fields={"beslut": PRELIMINARY_LABELS[a.outcome], "överflyttat till": a.transferred_to},
        )
    for e in session.scalars(
        select(PreliminaryExtension).where(PreliminaryExtension.case_id.in_(ids))
    ):
        yield _item(
            s,
            f"preliminary_extension:{e.id}",
            "preliminary_extension",
            "Förlängd förhandsbedömning",
            on=e.decided_on,
            case_id=e.case_id,
            text=e.reason,
            fields={"ny sista dag": e.new_due.isoformat()},
        )


def _investigations(session: Session, s: Subject) -> Iterator[Item]:
    query = select(Investigation).where(Investigation.case_id.in_(s.case_ids))
    for inv in session.scalars(query):
        yield _item(
            s,
            f"investigation:{inv.id}",
            "investigation",
            "Utredning",
            on=inv.started_on,
            case_id=inv.case_id,
            fields={
                "inledd": inv.started_on.isoformat(),
                "avslutad": _iso(inv.completed_on),
                "resultat": INVESTIGATION_LABELS[inv.outcome] if inv.outcome else None,
            },
        )
        for ext in inv.extensions:
            yield _item(
                s,
                f"investigation_extension:{ext.id}",
                "investigation_extension",
                "Förlängd utredning",
                on=ext.decided_on,
                case_id=inv.case_id,
                text=ext.reason,
                fields={"ny sista dag": ext.new_due.isoformat()},
            )
        for note in inv.bbic_notes:
            yield _item(
                s,
                f"bbic_note:{note.id}",
                "bbic_note",
                "Utredningstext (BBIC)",
                on=note.updated_at,
                case_id=inv.case_id,
                text=note.text,
                fields={"sida": BBIC_LABELS[note.side], "område": note.area},
            )


def _interventions(session: Session, s: Subject) -> Iterator[Item]:
    ids = s.case_ids
    for i in session.scalars(select(Intervention).where(Intervention.case_id.in_(ids))):
        yield _item(
            s,
            f"intervention:{i.id}",
            "intervention",
            "Insats",
            on=i.decided_on,
            case_id=i.case_id,
            fields={
                "insats": INTERVENTION_LABELS[i.category],
                "lagrum": str(i.legal_basis),
                "från": i.start_on.isoformat(),
                "till": _iso(i.ended_on),
                "skäl för avslut": i.end_reason,
            },
        )
    reviews = (
        select(PlacementReview, Intervention.case_id)
        .join(Intervention, PlacementReview.intervention_id == Intervention.id)
        .where(Intervention.case_id.in_(ids))
        .order_by(PlacementReview.reviewed_on, PlacementReview.id)
    )
    for review, case_id in session.execute(reviews):
        yield _item(
            s,
            f"placement_review:{review.id}",
            "placement_review",
            "Övervägande av placering",
            on=review.reviewed_on,
            case_id=case_id,
            text=review.notes,
            fields={"vårdplanen reviderad": review.care_plan_revised},
        )
    for f in session.scalars(select(FollowUp).where(FollowUp.case_id.in_(ids))):
        yield _item(
            s,
            f"follow_up:{f.id}",
            "follow_up",
            "Uppföljning",
            on=f.followed_up_on,
            case_id=f.case_id,
            text=f.notes,
        )
    for r in session.scalars(select(ReporterFeedback).where(ReporterFeedback.case_id.in_(ids))):
        yield _item(
            s,
            f"reporter_feedback:{r.id}",
            "reporter_feedback",
            "Återkoppling till anmälaren",
            on=r.given_at,
            case_id=r.case_id,
            fields={"besked": PRELIMINARY_LABELS[r.outcome]},
        )


def _journal(session: Session, s: Subject) -> Iterator[Item]:
    query = select(JournalEntry).where(JournalEntry.case_id.in_(s.case_ids))
    for e in session.scalars(query.order_by(JournalEntry.at, JournalEntry.id)):
        yield _item(
            s,
            f"journal_entry:{e.id}",
            "journal_entry",
            "Journalanteckning",
            on=e.at,
            case_id=e.case_id,
            text=e.text,
            fields={
                "typ": JOURNAL_KIND_LABELS[e.kind],
                "deltagare": e.participants,
                "barnet ensamt": e.child_alone,
                "minuter": e.minutes,
                "signerad": _iso(e.signed_at),
                "rättar anteckning": str(e.corrects_id) if e.corrects_id else None,
            },
        )
    yield from _mentions(session, s)


def _plan(session: Session, s: Subject) -> Iterator[Item]:
    query = select(PlanItem).where(PlanItem.case_id.in_(s.case_ids))
    for p in session.scalars(query.order_by(PlanItem.created_at, PlanItem.id)):
        yield _item(
            s,
            f"plan_item:{p.id}",
            "plan_item",
            "Utredningsplan",
            on=p.planned_on or p.created_at,
            case_id=p.case_id,
            text=p.text,
            fields={
                "slag": PLAN_KIND_LABELS[p.kind],
                "kontakt": PARTY_LABELS[p.party] if p.party else None,
                "samtycke": p.consent,
                "planerat": _iso(p.planned_on),
                "barnet ensamt": p.child_alone,
            },
        )


def _communications(session: Session, s: Subject) -> Iterator[Item]:
    query = select(Communication).where(Communication.case_id.in_(s.case_ids))
    for c in session.scalars(query.order_by(Communication.sent_on, Communication.id)):
        yield _item(
            s,
            f"communication:{c.id}",
            "communication",
            "Kommunicering före beslut",
            on=c.sent_on,
            case_id=c.case_id,
            text=c.material,
            fields={
                "mottagare": f"{RECIPIENT_LABELS[c.recipient_kind]}: {c.recipient}",
                "svar senast": c.answer_by.isoformat(),
                "svar inkom": _iso(c.answered_on),
                "svar": c.answer,
            },
        )


def _decisions(session: Session, s: Subject) -> Iterator[Item]:
    query = select(Decision).where(Decision.case_id.in_(s.case_ids))
    for d in session.scalars(query.order_by(Decision.decided_on, Decision.id)):
        notices = session.scalars(select(DecisionNotice).where(DecisionNotice.decision_id == d.id))
        told = "; ".join(
            f"{n.party} {n.told_on.isoformat()} ({WAY_LABELS[n.way]})" for n in notices
        )
        yield _item(
            s,
            f"decision:{d.id}",
            "decision",
            "Beslut om insats",
            on=d.decided_on,
            case_id=d.case_id,
            text=d.reason,
            fields={
                "beslut": OUTCOME_LABELS[d.outcome],
                "insats": INTERVENTION_LABELS[d.category],
                "lagrum": str(d.legal_basis),
                "ansökan inkom": _iso(d.applied_on),
                "underrättade": told or None,
            },
        )


def _voice(session: Session, s: Subject) -> Iterator[Item]:
    """Yield what the child said at follow-ups and överväganden, each answer with its item."""
    query = select(ChildVoiceRecord).where(ChildVoiceRecord.case_id.in_(s.case_ids))
    for r in session.scalars(query.order_by(ChildVoiceRecord.taken_on, ChildVoiceRecord.id)):
        given = {a.item_id: a.value for a in r.answers if a.value is not None}
        words = " ".join(a.words for a in r.answers if a.words)
        yield _item(
            s,
            f"child_voice_record:{r.id}",
            "child_voice",
            "Barnets röst",
            on=r.taken_on,
            case_id=r.case_id,
            text=words or None,
            fields={
                "hur barnets synpunkter inhämtades": VOICE_STATUS_LABELS[r.status],
                "skäl": VOICE_REASON_LABELS[r.reason] if r.reason else r.reason_text,
                "sätt": VOICE_MODE_LABELS[r.mode] if r.mode else None,
                "åldersgrupp": r.band,
                "svar": "; ".join(f"{item} {value}" for item, value in given.items()) or None,
            },
        )


def _deviations(session: Session, s: Subject) -> Iterator[Item]:
    """Yield the deviations linked to the person's cases (never who reported them)."""
    query = select(Deviation).where(Deviation.case_id.in_(s.case_ids))
    for d in session.scalars(query.order_by(Deviation.occurred_on, Deviation.id)):
        inquiry = d.investigation
        yield _item(
            s,
            f"deviation:{d.id}",
            "deviation",
            "Avvikelse i ärendet",
            on=d.occurred_on,
            case_id=d.case_id,
            text=d.what_happened,
            fields={
                "slag": DEVIATION_KIND_LABELS[d.kind],
                "status": DEVIATION_STATUS_LABELS[d.status],
                "omedelbara åtgärder": d.immediate_measures,
                "utredning": inquiry.what_happened if inquiry is not None else None,
                "missad tidsfrist": d.rule,
            },
        )


def _mentions(session: Session, s: Subject) -> Iterator[Item]:
    """Yield, for a guardian, the child's journal entries that name them (proposed withheld)."""
    for row in s.guardian_rows:
        name = f"{row.first_name} {row.last_name}".casefold()
        query = select(JournalEntry).where(JournalEntry.case_id.in_(_cases_of(session, row)))
        for e in session.scalars(query.order_by(JournalEntry.at)):
            if name in e.text.casefold() or name in e.participants.casefold():
                yield _item(
                    s,
                    f"journal_entry:{e.id}:mention",
                    "journal_mention",
                    "Journalanteckning i barnets ärende som nämner personen",
                    on=e.at,
                    text=e.text,
                    proposed=Ground.OTHER_PERSON,
                )


def _cases_of(session: Session, row: Guardian) -> list[int]:
    return list(session.scalars(select(Case.id).where(Case.child_id == row.child_id)))


def _guardians(session: Session, s: Subject) -> Iterator[Item]:
    """Yield the child's guardians (for a child) and the person's own guardian rows."""
    rows: list[tuple[Guardian, str]] = []
    if s.child is not None:
        listed = select(Guardian).where(Guardian.child_id == s.child.id).order_by(Guardian.id)
        rows += [(g, "Vårdnadshavare och hushåll") for g in session.scalars(listed)]
    rows += [(g, "Registrerad som vårdnadshavare eller i hushåll") for g in s.guardian_rows]
    for g, label in rows:
        child = session.get(Child, g.child_id)
        assert child is not None  # a foreign key
        cases = session.scalars(select(Case).where(Case.child_id == g.child_id)).all()
        shown = guardians.view(
            session, s.actor, child, g, assigned_to_id=cases[0].assigned_to_id if cases else None
        )
        own = g in s.guardian_rows
        yield _item(
            s,
            f"guardian:{g.id}",
            "guardian",
            label,
            on=g.updated_at,
            fields={
                "namn": f"{g.first_name} {g.last_name}",
                "personnummer": shown.identity if own else None,
                "relation": RELATION_LABELS[g.relation],
                "vårdnad": g.custody,
                "telefon": shown.phone,
                "e-post": shown.email,
                "adress": shown.address,
                "kontaktuppgifter skyddade": shown.contact_hidden,
                "tolk": shown.interpreter_label,
                "ärenden": [c.case_number for c in cases] if own else [],
            },
        )


def _documents(session: Session, s: Subject) -> Iterator[Item]:
    query = select(Document).where(Document.case_id.in_(s.case_ids)).order_by(Document.id)
    for d in session.scalars(query):
        yield _item(
            s,
            f"document:{d.id}",
            "document",
            "Dokument (uppgifter om filen)",
            on=d.uploaded_at,
            case_id=d.case_id,
            fields={
                "titel": d.title,
                "typ": KIND_LABELS[d.kind],
                "filnamn": d.filename,
                "format": d.media_type,
                "storlek (byte)": d.size,
            },
        )


REPORT_DRAFT_FIELDS = ("child_identity", "child_first_name", "child_last_name", "free_text")


def _drafts(session: Session, s: Subject) -> Iterator[Item]:
    """Yield unsaved form input about the child's cases, and report drafts naming the child."""
    keys = [f"case:{case_id}:%" for case_id in s.case_ids]
    query = select(Draft).where(
        or_(Draft.form_key == "report_new", *(Draft.form_key.like(k) for k in keys))
    )
    for draft in session.scalars(query.order_by(Draft.id)):
        data = draft.data if isinstance(draft.data, dict) else {}
        if draft.form_key == "report_new":
            if not _names_subject(data.get("child_identity"), s.number):
                continue
            data = {k: data.get(k) for k in REPORT_DRAFT_FIELDS}
        fields: dict[str, FieldValue] = {
            k: v if isinstance(v, str | int | bool) or v is None else str(v)
            for k, v in data.items()
        }
        yield _item(
            s, f"draft:{draft.id}", "draft", "Osparat utkast", on=draft.updated_at, fields=fields
        )


def _early_help(session: Session, s: Subject) -> Iterator[Item]:
    """Yield the early help (11 kap. 5 § SoL) given in the child's cases, at the screen-out or
    later in the open case."""
    query = select(EarlyHelp).where(EarlyHelp.case_id.in_(s.case_ids))
    for e in session.scalars(query.order_by(EarlyHelp.started_on, EarlyHelp.id)):
        yield _item(
            s,
            f"early_help:{e.id}",
            "early_help",
            "Tidigt stöd",
            on=e.started_on,
            case_id=e.case_id,
            text=e.suitability_note,
            fields={
                "insats": e.service.name,
                "gavs": GIVEN_DURING[e.given_during],
                "på familjens egen begäran": e.requested_by_family,
                "vårdnadshavarnas samtycke": e.guardian_consent,
                "lämpligt att barnet själv tar emot": e.child_alone_suitable,
                "informerad om behovsprövad hjälp": e.informed_of_assessed_route,
            },
        )


def _dictation(session: Session, s: Subject) -> Iterator[Item]:
    """Yield dictated drafts not yet accepted or discarded (the audio is not given out)."""
    query = select(DictationJob).where(
        DictationJob.case_id.in_(s.case_ids), DictationJob.draft.is_not(None)
    )
    for job in session.scalars(query.order_by(DictationJob.created_at, DictationJob.id)):
        yield _item(
            s,
            f"dictation_job:{job.id}",
            "dictation_job",
            "Diktat, ej granskat utkast",
            on=job.created_at,
            case_id=job.case_id,
            text=job.draft,
            fields={"fält": job.field, "längd (s)": round(job.seconds)},
        )


def _names_subject(value: object, number: str) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return parse_identity(value).number == number
    except InvalidInput:
        return False


def _lookup(session: Session, s: Subject) -> Iterator[Item]:
    if s.child is None:
        return
    child_id = s.child.id
    for p in session.scalars(
        select(LookupPublication).where(LookupPublication.child_id == child_id)
    ):
        yield _item(
            s,
            f"lookup_publication:{p.id}",
            "lookup_publication",
            "Uppgift i det nationella uppslaget",
            on=p.updated_at,
            fields={
                "tillbakadragen": p.withdrawn,
                "status": STATUS_CLASS_LABELS[p.status_class] if p.status_class else None,
                "senaste anmälan (månad)": p.latest_report_month,
                "kontakt": p.contact_unit,
                "gäller till": _iso(p.expires_on),
            },
        )
    for n in session.scalars(select(LookupNotice).where(LookupNotice.child_id == child_id)):
        yield _item(
            s,
            f"lookup_notice:{n.id}",
            "lookup_notice",
            "En annan kommun har frågat efter barnet i uppslaget",
            on=n.asked_at,
            fields={
                "kommun": n.asking_municipality,
                "frågade": n.asked_by,
                "kontakt": n.contact,
                "syfte": n.purpose,
            },
        )


def _access(session: Session, s: Subject) -> Iterator[Item]:
    if s.child is None:
        return
    query = (
        select(ChildAccess, StaffMember.display_name)
        .join(StaffMember, StaffMember.id == ChildAccess.staff_id)
        .where(ChildAccess.child_id == s.child.id)
    )
    for entry, name in session.execute(query):
        yield _item(
            s,
            f"child_access:{entry.child_id}:{entry.staff_id}",
            "child_access",
            "Namngiven personal (skyddade personuppgifter)",
            on=entry.granted_at,
            fields={"personal": name, "beslutad av": entry.granted_by},
        )


def _audit(session: Session, s: Subject) -> Iterator[Item]:
    """Yield the audit trail's entries about the child, or about the person's guardian rows."""
    conditions = []
    if s.child is not None:
        conditions.append(AuditEntry.child_id == s.child.id)
    ids = [g.id for g in s.guardian_rows]
    if ids:
        conditions.append((AuditEntry.entity == "guardian") & AuditEntry.entity_id.in_(ids))
    if not conditions:
        return
    query = select(AuditEntry).where(or_(*conditions)).order_by(AuditEntry.seq)
    for e in session.scalars(query):
        yield _item(
            s,
            f"audit_entry:{e.seq}",
            "audit_entry",
            "Loggad åtgärd",
            on=e.at,
            case_id=e.case_id,
            fields={
                "åtgärd": e.action,
                "avser": e.entity,
                "av": e.actor,
                "roll": e.role,
                "syfte": e.purpose,
            },
        )


def _requests(session: Session, s: Subject) -> Iterator[Item]:
    query = select(ExtractRequest).where(ExtractRequest.identity_number == s.number)
    for r in session.scalars(query.order_by(ExtractRequest.id)):
        yield _item(
            s,
            f"extract_request:{r.id}",
            "extract_request",
            "Begäran om registerutdrag",
            on=r.received_on,
            fields={
                "begärd av": REQUESTER_LABELS[r.requester],
                "utlämnat": _iso(r.produced_at),
            },
        )


STAFF = "staff and their accounts: not a person in the social services' care"
RULES: dict[str, Rule] = {
    "child": Collected(_child),
    "case": Collected(_cases),
    "report": Collected(_reports),
    "report_concern": Within("report"),
    "protection_assessment": Collected(_chain_rows),
    "preliminary_assessment": Within("protection_assessment"),
    "preliminary_extension": Within("protection_assessment"),
    "investigation": Collected(_investigations),
    "investigation_extension": Within("investigation"),
    "bbic_note": Within("investigation"),
    "intervention": Collected(_interventions),
    "follow_up": Within("intervention"),
    "placement_review": Within("intervention"),
    "reporter_feedback": Within("intervention"),
    "journal_entry": Collected(_journal),
    "plan_item": Collected(_plan),
    "communication": Collected(_communications),
    "decision": Collected(_decisions),
    "decision_notice": Within("decision"),
    "child_voice_record": Collected(_voice),
    "child_voice_answer": Within("child_voice_record"),
    "deviation": Collected(_deviations),
    "deviation_factor": Within("deviation"),
    "lex_sarah_investigation": Within("deviation"),
    "ivo_report": Within("deviation"),
    "deviation_action": Within("deviation"),
    "non_execution_reason": Nothing("why an intervention waited: a reason for IVO, no child data"),
    "deviation_scan_run": Nothing("the day a scan ran and what it created: counts only"),
    "voice_response": Nothing("anonymous counts for statistics: no column joins back to a person"),
    "guardian": Collected(_guardians),
    "document": Collected(_documents),
    "draft": Collected(_drafts),
    "lookup_publication": Collected(_lookup),
    "lookup_notice": Within("lookup_publication"),
    "child_access": Collected(_access),
    "audit_entry": Collected(_audit),
    "extract_request": Collected(_requests),
    "extract_decision": Nothing("the review of an extract: item keys and grounds, no content"),
    "audit_head": Nothing("the audit chain's last number and hash"),
    "weeding_log": Nothing("what a weeding run removed: class, rule and count, no personal data"),
    "deployment": Nothing("which municipality the database serves"),
    "unit": Nothing("the municipality's teams"),
    "staff_member": Nothing(STAFF),
    "staff_employment": Nothing(STAFF),
    "login_attempt": Nothing(STAFF),
    "early_help": Collected(_early_help),
    "early_help_service": Nothing("the municipality's catalogue of early help: no person"),
    "dictation_job": Collected(_dictation),
    "imported_record": Nothing("which source system id became which row: ids only, no content"),
    "staff_competence": Nothing(STAFF),
    "experience_period": Nothing(STAFF),
    "introduction": Nothing(STAFF),
    "introduction_item": Nothing(STAFF),
    "co_signer": Nothing(STAFF),
    "step_co_signature": Nothing(STAFF),
    "qualification_warning": Nothing(STAFF),
    "load_rating": Nothing(STAFF),
    "measurement_week": Nothing(STAFF),
    "measurement_entry": Nothing(STAFF),
    "measurement_total": Nothing("a unit's time use in a measurement week: totals only"),
}


def collectors() -> list[Collector]:
    """Return the collectors in the order of RULES."""
    return [rule.collect for rule in RULES.values() if isinstance(rule, Collected)]


def collect(session: Session, subject: Subject) -> list[Item]:
    """Return every item held about the subject, oldest first."""
    items = [item for collector in collectors() for item in collector(session, subject)]
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)

    def moment(item: Item) -> dt.datetime:
        on = item.on
        if isinstance(on, dt.datetime):
            return on if on.tzinfo else on.replace(tzinfo=dt.UTC)
        if isinstance(on, dt.date):
            return dt.datetime.combine(on, dt.time(), tzinfo=dt.UTC)
        return epoch

    return sorted(items, key=moment)


def subject_of(session: Session, *, actor: Actor, number: str) -> Subject:
    """Find the child and guardian rows with the identity number, and the others near them."""
    child = session.scalars(select(Child).where(Child.identity_number == number)).first()
    cases = (
        list(session.scalars(select(Case).where(Case.child_id == child.id).order_by(Case.id)))
        if child
        else []
    )
    rows = list(
        session.scalars(
            select(Guardian).where(Guardian.identity_number == number).order_by(Guardian.id)
        )
    )
    return Subject(
        actor=actor,
        number=number,
        child=child,
        cases=cases,
        guardian_rows=rows,
        others=_others(session, number, child, cases, rows),
        case_numbers={c.id: c.case_number for c in cases},
    )


def _others(
    session: Session, number: str, child: Child | None, cases: list[Case], rows: list[Guardian]
) -> Others:
    """Return the other children near the subject: siblings of a report, the guardians' children."""
    groups = {c.report_group for c in cases if c.report_group is not None}
    child_ids: set[int] = {g.child_id for g in rows}
    if groups:
        child_ids |= set(
            session.scalars(select(Case.child_id).where(Case.report_group.in_(groups)))
        )
    if child is not None:
        shared = select(Guardian.identity_number).where(
            Guardian.child_id == child.id, Guardian.identity_number.is_not(None)
        )
        child_ids |= set(
            session.scalars(select(Guardian.child_id).where(Guardian.identity_number.in_(shared)))
        )
        child_ids.discard(child.id)
    others = (
        list(session.scalars(select(Child).where(Child.id.in_(child_ids)))) if child_ids else []
    )
    return Others(
        subject_number=number,
        numbers=frozenset(o.identity_number for o in others),
        names=tuple(f"{o.first_name} {o.last_name}" for o in others),
    )


def shown_number(number: str) -> str:
    """Return the identity number as shown."""
    return formatted(number)
