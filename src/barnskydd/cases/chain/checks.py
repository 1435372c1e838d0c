"""Pure checks of a step's input against a snapshot of its case, no database.

`CaseFacts.of(case)` takes the snapshot (the dates, deadlines and interventions the checks
need); each step's check (named in its spec) refuses what the input model alone cannot know
is wrong: a date before the step it follows or in the future, an extension that does not
move the deadline later, an SiS placement without LVU, a transfer to the own municipality.
Each refusal is an InvalidInput naming the input's field, in Swedish.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from barnskydd.cases.chain import inputs as i
from barnskydd.cases.chain.transitions import STEP_VERBS, allowed_steps
from barnskydd.cases.codes import (
    BBIC_AREAS,
    LVU_ONLY,
    PLACEMENTS,
    CaseStatus,
    InterventionCategory,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
)
from barnskydd.cases.communication.models import RECIPIENT_LABELS, Communication
from barnskydd.cases.models import Case
from barnskydd.core.actor import Actor
from barnskydd.core.clock import local_date, today
from barnskydd.core.db import utcnow
from barnskydd.core.errors import ForbiddenTransition, InvalidInput, NotFound
from barnskydd.core.settings import get_settings
from barnskydd.early_help import rules as early_help
from barnskydd.law import rules as law
from barnskydd.people.rules import age_in_years
from barnskydd.staff.competence import rules as competence
from barnskydd.staff.competence.codes import QualificationMode, Shortfall
from barnskydd.staff.competence.standing import standing
from barnskydd.voice.codes import AUTO_BAND, NEEDS_REASON, VoiceReason, VoiceStatus
from barnskydd.voice.itemset import item_set

MSG_VOICE_REASON = "Ange varför barnet inte fick svara: välj ett skäl."
MSG_VOICE_OTHER = "Skriv skälet med egna ord när du väljer Annat skäl."
MSG_VOICE_MODE = "Ange hur barnet svarar."
MSG_VOICE_BAND = "Välj en åldersgrupp: efter ålder, 4-7, 8-12 eller 13-20."
MSG_DECISION_IN_FOLLOW_UP = (
    "Under en uppföljning efter en utredning utan insats (23 kap. 1 § socialtjänstlagen "
    "(2025:400)) beslutas inga insatser. Avsluta uppföljningen och utred behovet i ett nytt "
    "ärende (23 kap. 5 §)."
)
MSG_FOLLOW_UP_WITH_INTERVENTION = (
    "Uppföljning enligt 23 kap. 1 § socialtjänstlagen (2025:400) gäller när utredningen avslutas "
    "utan beslut om insats, men en insats har beslutats i ärendet. Välj 'Insats beviljas'."
)

# A protection assessment may be dated a little ahead: the desk's clock and the server's differ.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Running:
    """An intervention as the checks see it."""

    id: int
    start_on: dt.date
    ended_on: dt.date | None
    category: InterventionCategory = InterventionCategory.OTHER


@dataclass(frozen=True, slots=True)
class Sent:
    """A communication as the checks see it (förvaltningslagen 25 §)."""

    to: str
    sent_on: dt.date
    answer_by: dt.date
    answered_on: dt.date | None

    def awaits(self, on: dt.date) -> bool:
        """Return whether a decision on this day must still wait for the answer."""
        answered = self.answered_on is not None and self.answered_on <= on
        return self.sent_on <= on <= self.answer_by and not answered


# The refusal names the paragraph; see docs/communication.md for the rule and its reading.
COMMUNICATION_RULE = "förvaltningslagen (2017:900) 25 §"


def _sent(case: Case) -> tuple[Sent, ...]:
    session = object_session(case)
    if session is None:
        return ()
    rows = session.scalars(
        select(Communication).where(Communication.case_id == case.id).order_by(Communication.id)
    )
    return tuple(
        Sent(RECIPIENT_LABELS[c.recipient_kind].lower(), c.sent_on, c.answer_by, c.answered_on)
        for c in rows
    )


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the checks need to know about a case, taken before the step."""

    status: CaseStatus
    received_at: dt.datetime
    preliminary_due: dt.date
    preliminary_extendable: bool
    municipality_code: str
    investigation_started_on: dt.date | None = None
    investigation_due: dt.date | None = None
    investigation_completed_on: dt.date | None = None
    interventions: tuple[Running, ...] = ()
    followed_up_on: tuple[dt.date, ...] = ()
    communications: tuple[Sent, ...] = ()
    today: dt.date | None = None
    now: dt.datetime | None = None
    child_born: dt.date | None = None
    # The actor's competence, for a step 25 kap. 1 § reserves (None: not checked).
    standing: competence.Standing | None = None
    qualification_mode: QualificationMode = QualificationMode.WARN

    @classmethod
    def of(
        cls,
        case: Case,
        *,
        actor: Actor | None = None,
        step: str | None = None,
        co_signed_by: str | None = None,
    ) -> CaseFacts:
        """Take the snapshot of a loaded case (and the actor's competence, for a reserved step)."""
        investigation = case.investigation
        session = object_session(case)
        checked = (
            actor is not None
            and session is not None
            and step is not None
            and competence.reserved().task_of(step) is not None
        )
        return cls(
            status=case.status,
            received_at=case.report.received_at,
            preliminary_due=case.report.preliminary_due,
            preliminary_extendable=(
                law.rule_set_by_id(case.law).preliminary_assessment.extension is not None
            ),
            municipality_code=case.unit.municipality_code,
            investigation_started_on=investigation.started_on if investigation else None,
            investigation_due=investigation.due if investigation else None,
            investigation_completed_on=investigation.completed_on if investigation else None,
            interventions=tuple(
                Running(x.id, x.start_on, x.ended_on, x.category) for x in case.interventions
            ),
            followed_up_on=tuple(f.followed_up_on for f in case.follow_ups),
            communications=_sent(case),
            child_born=case.child.birth_date,
            standing=standing(session, actor, today(), co_signed_by=co_signed_by)
            if checked and session is not None and actor is not None
            else None,
            qualification_mode=QualificationMode(get_settings().qualification_check),
        )

    @property
    def received_on(self) -> dt.date:
        """The Swedish date the report came in."""
        return local_date(self.received_at)

    def day(self) -> dt.date:
        """Today in Sweden (or the snapshot's own today, for a test)."""
        return self.today or today()

    def moment(self) -> dt.datetime:
        """Now (or the snapshot's own now, for a test)."""
        return self.now or utcnow()

    def investigation(self) -> tuple[dt.date, dt.date]:
        """Return the investigation's start and deadline, or refuse: there is none."""
        if self.investigation_started_on is None or self.investigation_due is None:
            raise NotFound("Ärendet har ingen utredning.")
        return self.investigation_started_on, self.investigation_due

    def follow_up_from(self) -> dt.date:
        """The day a follow-up without interventions counts from: the investigation's end."""
        if self.investigation_completed_on is None:
            raise NotFound("Ärendet har ingen avslutad utredning att följa upp.")
        return self.investigation_completed_on


def _date(facts: CaseFacts, value: dt.date, *, not_before: dt.date, field: str, what: str) -> None:
    if value > facts.day():
        raise InvalidInput(f"{what} kan inte ligga i framtiden.", field=field)
    if value < not_before:
        raise InvalidInput(f"{what} kan inte ligga före {not_before.isoformat()}.", field=field)


def _decided(facts: CaseFacts, decided_on: dt.date, not_before: dt.date) -> None:
    _date(facts, decided_on, not_before=not_before, field="decided_on", what="Beslutsdatum")


def _communicated(facts: CaseFacts, on: dt.date, field: str) -> None:
    """Refuse a decision while a party may still answer what was communicated to it."""
    waiting = [c for c in facts.communications if c.awaits(on)]
    if waiting:
        first = min(waiting, key=lambda c: c.answer_by)
        raise ForbiddenTransition(
            f"Beslutet väntar på kommuniceringen ({COMMUNICATION_RULE}): {first.to} har till "
            f"{first.answer_by.isoformat()} att yttra sig. Registrera svaret, eller besluta "
            "när svarstiden har gått ut.",
            field=field,
        )


def _later(new_due: dt.date, due: dt.date) -> None:
    if new_due <= due:
        raise InvalidInput(
            f"Den nya tidsfristen måste ligga efter nuvarande ({due.isoformat()}).",
            field="new_due",
        )


def _transfer(facts: CaseFacts, code: str | None) -> None:
    if not code:
        raise InvalidInput("Ange vilken kommun ärendet flyttas över till.", field="transferred_to")
    if code == facts.municipality_code:
        raise InvalidInput(
            "Ärendet kan inte flyttas över till den egna kommunen.", field="transferred_to"
        )


def assess_protection(facts: CaseFacts, data: i.AssessProtection) -> None:
    """The assessment lies between the report's arrival and now."""
    if data.assessed_at < facts.received_at or data.assessed_at > facts.moment() + CLOCK_SKEW:
        raise InvalidInput(
            "Skyddsbedömningen måste göras efter att anmälan kom in och "
            "kan inte ligga i framtiden.",
            field="assessed_at",
        )


def decide_preliminary(facts: CaseFacts, data: i.DecidePreliminary) -> None:
    """Decided between receipt and today; a transfer names another municipality."""
    _decided(facts, data.decided_on, facts.received_on)
    if data.outcome is PreliminaryOutcome.TRANSFERRED:
        _transfer(facts, data.transferred_to)


def offer_early_help(facts: CaseFacts, data: i.OfferEarlyHelp) -> None:
    """Decided in range, started no earlier, with the consent 21 kap. 2 § SoL asks for."""
    _decided(facts, data.decided_on, facts.received_on)
    if data.started_on is not None and data.started_on < data.decided_on:
        raise InvalidInput("Stödet kan inte börja före beslutet.", field="started_on")
    _early_help(facts, data, data.decided_on)


def give_early_help(facts: CaseFacts, data: i.GiveEarlyHelp) -> None:
    """Started between the report and today, not an excluded intervention, with the consent
    21 kap. 2 § SoL asks for."""
    _date(facts, data.started_on, not_before=facts.received_on, field="started_on", what="Startdag")
    _early_help(facts, data, data.started_on)


def _early_help(facts: CaseFacts, data: i.OfferEarlyHelp | i.GiveEarlyHelp, on: dt.date) -> None:
    """Refuse what 11 kap. 5 § excludes, and early help without the consent 21 kap. 2 § asks."""
    if facts.child_born is None:
        return
    age = age_in_years(facts.child_born, on)
    early_help.refuse_excluded(data.service, age)
    early_help.check_consent(
        age,
        guardian_consent=data.guardian_consent,
        child_alone_suitable=data.child_alone_suitable,
        suitability_note=data.suitability_note,
    )


def extend_preliminary(facts: CaseFacts, data: i.ExtendPreliminary) -> None:
    """Only where the rule set allows it, decided in range, to a later deadline."""
    if not facts.preliminary_extendable:
        raise InvalidInput("Regelverket medger inte förlängd förhandsbedömning.", field="new_due")
    _decided(facts, data.decided_on, facts.received_on)
    _later(data.new_due, facts.preliminary_due)


def record_bbic(facts: CaseFacts, data: i.RecordBbic) -> None:
    """An area of the chosen side, in a case that has an investigation."""
    if data.area not in BBIC_AREAS[data.side]:
        raise InvalidInput(f"Okänt BBIC-område '{data.area}' för sidan {data.side}.", field="area")
    facts.investigation()


def extend_investigation(facts: CaseFacts, data: i.ExtendInvestigation) -> None:
    """Decided during the investigation, to a later deadline."""
    started_on, due = facts.investigation()
    _decided(facts, data.decided_on, started_on)
    _later(data.new_due, due)


def _no_decision_in_follow_up(facts: CaseFacts) -> None:
    """No intervention is decided in a follow-up after an investigation without one.

    That follow-up (23 kap. 1 §) ends when the nämnd opens a new investigation (5 §): the need
    for an intervention is investigated in a case of its own, from a new report or application.
    """
    if facts.status is CaseStatus.FOLLOW_UP and not facts.interventions:
        raise ForbiddenTransition(MSG_DECISION_IN_FOLLOW_UP)


def decide_intervention(facts: CaseFacts, data: i.DecideIntervention) -> None:
    """SiS needs LVU; decided between receipt and today; not started before the decision;
    no communication still awaiting its answer (FL 25 §)."""
    _no_decision_in_follow_up(facts)
    if data.category in LVU_ONLY and data.legal_basis is not LegalBasis.LVU:
        raise InvalidInput(
            "Placering på särskilt ungdomshem kräver beslut enligt LVU.", field="legal_basis"
        )
    _decided(facts, data.decided_on, facts.received_on)
    if data.start_on is not None and data.start_on < data.decided_on:
        raise InvalidInput("Insatsen kan inte börja före beslutet.", field="start_on")
    youth_service = data.category is InterventionCategory.YOUTH_SERVICE
    if youth_service and data.judgment_final_on is None:
        raise InvalidInput(
            "Ange dagen då domen om ungdomstjänst vann laga kraft.", field="judgment_final_on"
        )
    if not youth_service and data.judgment_final_on is not None:
        raise InvalidInput(
            "Dagen för laga kraft anges bara för ungdomstjänst.", field="judgment_final_on"
        )
    if data.judgment_final_on is not None and data.judgment_final_on > facts.day():
        raise InvalidInput(
            "Dagen för laga kraft kan inte ligga i framtiden.", field="judgment_final_on"
        )
    _communicated(facts, data.decided_on, "decided_on")


def refuse_intervention(facts: CaseFacts, data: i.RefuseIntervention) -> None:
    """Not an SiS placement (LVU only); applied for before the decision; decided in range;
    no communication still awaiting its answer (FL 25 §: a refusal goes against the party)."""
    _no_decision_in_follow_up(facts)
    if data.category in LVU_ONLY:
        raise InvalidInput(
            "Placering på särskilt ungdomshem söks inte enligt SoL; den beslutas enligt LVU.",
            field="category",
        )
    if data.category is InterventionCategory.YOUTH_SERVICE:
        raise InvalidInput(
            "Ungdomstjänst döms ut av domstol och söks inte hos nämnden.", field="category"
        )
    if data.applied_on > data.decided_on:
        raise InvalidInput("Ansökan kan inte ha kommit in efter beslutet.", field="applied_on")
    _decided(facts, data.decided_on, facts.received_on)
    _communicated(facts, data.decided_on, "decided_on")


def complete_investigation(facts: CaseFacts, data: i.CompleteInvestigation) -> None:
    """Completed during the investigation; 'interventions' needs one; a transfer names another."""
    started_on, _ = facts.investigation()
    _date(
        facts,
        data.completed_on,
        not_before=started_on,
        field="completed_on",
        what="Datum för avslut",
    )
    if data.outcome is InvestigationOutcome.INTERVENTIONS and not facts.interventions:
        raise ForbiddenTransition(
            "Utredningen kan inte avslutas med insats innan minst en insats har beslutats.",
            field="outcome",
        )
    if data.outcome is InvestigationOutcome.NO_INTERVENTION_FOLLOW_UP and facts.interventions:
        raise ForbiddenTransition(MSG_FOLLOW_UP_WITH_INTERVENTION, field="outcome")
    if data.outcome is InvestigationOutcome.TRANSFERRED:
        _transfer(facts, data.transferred_to)
    _communicated(facts, data.completed_on, "completed_on")


def end_intervention(facts: CaseFacts, data: i.EndIntervention) -> None:
    """A running intervention of the case, ended on or after its start."""
    running = next(
        (x for x in facts.interventions if x.id == data.intervention_id and x.ended_on is None),
        None,
    )
    if running is None:
        raise InvalidInput("Ingen pågående insats med det id:t i ärendet.", field="intervention_id")
    _date(facts, data.ended_on, not_before=running.start_on, field="ended_on", what="Slutdatum")


def follow_up(facts: CaseFacts, data: i.FollowUp) -> None:
    """Followed up after the first intervention started, or after the investigation ended.

    Without an intervention the case is in follow-up under 23 kap. 1 § SoL 2025:400: the
    investigation ended without one, and the nämnd follows the child's situation up.
    """
    starts = [x.start_on for x in facts.interventions]
    first = min(starts) if starts else facts.follow_up_from()
    _date(
        facts,
        data.followed_up_on,
        not_before=first,
        field="followed_up_on",
        what="Uppföljningsdatum",
    )
    _voice(data)


def _voice(data: i.FollowUp | i.ReviewPlacement) -> None:
    """The child's voice: a reason when not offered or not possible, a mode when answered."""
    if data.voice_status in NEEDS_REASON and data.voice_reason is None:
        raise InvalidInput(MSG_VOICE_REASON, field="voice_reason")
    if data.voice_reason is VoiceReason.OTHER and not data.voice_reason_text:
        raise InvalidInput(MSG_VOICE_OTHER, field="voice_reason_text")
    if data.voice_status is VoiceStatus.ANSWERED and data.voice_mode is None:
        raise InvalidInput(MSG_VOICE_MODE, field="voice_mode")
    if data.voice_band not in (AUTO_BAND, *item_set().band_ids):
        raise InvalidInput(MSG_VOICE_BAND, field="voice_band")


def review_placement(facts: CaseFacts, data: i.ReviewPlacement) -> None:
    """A running placement of the case, reviewed on or after its start and not in the future."""
    placement = next(
        (
            x
            for x in facts.interventions
            if x.id == data.intervention_id and x.ended_on is None and x.category in PLACEMENTS
        ),
        None,
    )
    if placement is None:
        raise InvalidInput(
            "Ingen pågående placering med det id:t i ärendet.", field="intervention_id"
        )
    _date(
        facts,
        data.reviewed_on,
        not_before=placement.start_on,
        field="reviewed_on",
        what="Datum för övervägandet",
    )
    _voice(data)


def close(facts: CaseFacts, data: i.Close) -> None:
    """Every intervention has ended; closed after the last follow-up."""
    running = sum(1 for x in facts.interventions if x.ended_on is None)
    if running:
        raise ForbiddenTransition(
            f"Ärendet kan inte avslutas: {running} insats(er) pågår fortfarande."
        )
    last = max(facts.followed_up_on, default=facts.follow_up_from())
    _date(facts, data.closed_on, not_before=last, field="closed_on", what="Avslutsdatum")


CO_SIGNER_SHORTFALLS = (Shortfall.NEEDS_CO_SIGNER, Shortfall.CO_SIGNER_NOT_ALLOWED)


def qualification(
    facts: CaseFacts, step: str, verb: str, co_signed_by: str | None
) -> competence.Judgement | None:
    """A step 25 kap. 1 § reserves: refused, or returned as a warning, when the actor falls short.

    Refused in the municipality's "refuse" mode, naming the paragraph (next to the co-signer's
    field when a co-signer is what is missing); in "warn" mode the judgement is returned for
    the chain to record and the edges to show.
    """
    if facts.standing is None:
        return None
    judgement = competence.judge(facts.standing, step, verb, co_signed_by)
    if judgement is None:
        return None
    if facts.qualification_mode is QualificationMode.REFUSE:
        field = "co_signed_by" if judgement.shortfall in CO_SIGNER_SHORTFALLS else None
        raise ForbiddenTransition(judgement.message, field=field)
    return judgement


def reassignment_warning(
    session: Session, receiver: Actor, status: CaseStatus, on: dt.date
) -> str | None:
    """Return what a team lead should know when giving a case to this worker: the first open
    step 25 kap. 1 § reserves that the worker falls short for (never a refusal)."""
    for step in allowed_steps(status):
        if competence.reserved().task_of(step.value) is None:
            continue
        found = standing(session, receiver, on, co_signed_by=None)
        judgement = (
            None if found is None else competence.judge(found, step.value, STEP_VERBS[step], None)
        )
        return None if judgement is None else f"Observera: {judgement.message}"
    return None
