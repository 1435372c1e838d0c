"""Generate a synthetic municipality's case chain through the service layer.

Reports arrive over [start, end); every case is then carried along the chain in date order
(an event queue), so a later report about the same child sees that child's cases as they
stood on that day. A step whose natural date falls after `end` is not taken: the case stays
at the step it would be in on `end`, which gives the inbox live, due-soon and overdue items.
Everything is drawn from one random.Random(seed); the same seed, dates and scale give the
same data in an empty database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import itertools
import random
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cases import chain, family, hooks
from barnskydd.cases import service as cases
from barnskydd.cases.chain import inputs as step
from barnskydd.cases.codes import (
    BBIC_AREAS,
    BbicSide,
    CaseStatus,
    InvestigationOutcome,
    LegalBasis,
    PreliminaryOutcome,
    ReporterCategory,
)
from barnskydd.cases.family import GuardianInput
from barnskydd.cases.models import Case as CaseRow
from barnskydd.cases.schemas import ReportCreate, SiblingCreate
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.errors import InvalidInput
from barnskydd.documents.codes import DocumentKind
from barnskydd.law import rules as law
from barnskydd.reference import municipalities
from barnskydd.synth import calibration as cal
from barnskydd.synth import competence as synth_competence
from barnskydd.synth import deadlines as synth_deadlines
from barnskydd.synth import decisions as synth_decisions
from barnskydd.synth import deviations as synth_deviations
from barnskydd.synth import documents as synth_documents
from barnskydd.synth import early_help as synth_early_help
from barnskydd.synth import extracts as synth_extracts
from barnskydd.synth import voice as voice_synth
from barnskydd.synth import workload as synth_workload
from barnskydd.synth.identities import ChildFactory, SynthChild, adult_name
from barnskydd.synth.journal import Journals
from barnskydd.synth.organisation import Team, create_staff
from barnskydd.synth.plans import Plans
from barnskydd.synth.reports import arrivals, report_data
from barnskydd.synth.timeline import CaseTimeline, Investigation, plan_investigation

# Every fifth completed investigation gets two documents: a few for the demo, not calibrated.
DOCUMENT_EVERY = 5


@dataclass
class GenerationReport:
    """What one generation run created (counts only, no personal data)."""

    municipality_code: str
    municipality_name: str
    start: dt.date
    end: dt.date
    seed: int
    scale: float
    children_0_17: int
    children_0_17_label: str
    units: int = 0
    staff: int = 0
    reports: int = 0
    children: int = 0
    steps: int = 0
    preliminary: Counter[str] = field(default_factory=Counter)
    investigations: Counter[str] = field(default_factory=Counter)
    interventions: Counter[str] = field(default_factory=Counter)
    extensions: int = 0
    later_steps: Counter[str] = field(default_factory=Counter)
    follow_ups: int = 0
    closed_after_follow_up: int = 0
    journal_entries: int = 0
    documents: int = 0
    plan_items: int = 0
    communications: int = 0


@dataclass
class _Child:
    synth: SynthChild
    team: Team
    cases: list[_Case] = field(default_factory=list)


@dataclass
class _Case:
    case_id: int
    child: _Child
    actor: Actor
    received_at: dt.datetime
    reporter: ReporterCategory
    status: CaseStatus = CaseStatus.AWAITING_PROTECTION_ASSESSMENT


def sibling_data(child: SynthChild) -> SiblingCreate:
    """Return a drawn sibling as the report's registration names it."""
    return SiblingCreate(
        identity=child.identity,
        first_name=child.first_name,
        last_name=child.last_name,
        protected_identity=child.protected,
    )


class _Run:
    """One generation: the random stream, the event queue and what is known about each child."""

    def __init__(
        self, session: Session, rng: random.Random, report: GenerationReport, teams: list[Team]
    ) -> None:
        self.session, self.rng, self.report, self.teams = session, rng, report, teams
        self.municipality = municipalities.get(report.municipality_code)
        self.end = report.end
        self.cutoff = dt.datetime.combine(report.end, dt.time(), tzinfo=SWEDEN)
        self.queue: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        self.order = itertools.count()
        self.children_factory = ChildFactory(rng, end=report.end)
        self.children: dict[str, _Child] = {}
        self.sibling_arrivals = 0  # arrivals to skip: siblings' cases stand in for them
        self.history_at: list[dt.datetime] = []
        self.history_child: list[str] = []
        self.journals = Journals(session, seed=report.seed, end=report.end)
        self.plans = Plans(session, seed=report.seed, end=report.end)
        county = self.municipality.county_code
        self.neighbours = [
            m.code
            for m in municipalities.all_municipalities()
            if m.county_code == county and m.code != self.municipality.code
        ]

    def at(self, when: dt.datetime | dt.date, action: Callable[[], None]) -> None:
        """Queue an action; one dated after the cutoff is never taken."""
        moment = (
            when
            if isinstance(when, dt.datetime)
            else dt.datetime.combine(when, dt.time(12), tzinfo=SWEDEN)
        )
        if isinstance(when, dt.datetime) and moment >= self.cutoff:
            return
        if not isinstance(when, dt.datetime) and when > self.end:
            return
        heapq.heappush(self.queue, (moment, next(self.order), action))

    def run(self) -> None:
        """Take queued steps in date order until none is left."""
        while self.queue:
            _, _, action = heapq.heappop(self.queue)
            action()

    def take(self, case: _Case, data: step.StepInput) -> chain.Taken:
        """Take one step of a case; its status is then the one the transition table gives."""
        loaded = cases.load(self.session, case.case_id, whole_chain=False)
        taken = chain.take(self.session, actor=case.actor, case=loaded, data=data)
        case.status = taken.status
        self.report.steps += 1
        return taken

    def transfer_target(self) -> str:
        """Return a municipality in the same county (or any other) to transfer a case to."""
        pool = self.neighbours or [
            m.code for m in municipalities.all_municipalities() if m.code != self.municipality.code
        ]
        return self.rng.choice(pool)

    def pick_child(self, received_at: dt.datetime) -> _Child:
        """Return a new child, or (about 1 report in 1.8 otherwise) an earlier reported one."""
        rng = self.rng
        if self.history_child and rng.random() > 1 / cal.REPORTS_PER_CHILD:
            if rng.random() < cal.RECENT_REREPORT_SHARE:
                since = received_at - dt.timedelta(days=cal.RECENT_WINDOW_DAYS)
                first = bisect_left(self.history_at, since)
            else:
                first = 0
            if first < len(self.history_child):
                return self.children[
                    self.history_child[rng.randrange(first, len(self.history_child))]
                ]
        synth = self.children_factory.new(received_at.astimezone(SWEDEN).date())
        child = _Child(synth=synth, team=rng.choice(self.teams))
        self.children[synth.identity] = child
        self.report.children += 1
        return child

    def receive(self, received_at: dt.datetime, reporter: ReporterCategory) -> None:
        """Register one report and queue its protection assessment."""
        if self.sibling_arrivals:
            # A sibling's case took this arrival's place: the reports per child stay calibrated.
            self.sibling_arrivals -= 1
            return
        child = self.pick_child(received_at)
        self.history_at.append(received_at)
        self.history_child.append(child.synth.identity)
        actor = self.rng.choice(child.team.case_workers)
        data: ReportCreate = report_data(
            self.rng,
            child=child.synth,
            team_unit_id=child.team.unit_id,
            actor=actor,
            received_at=received_at,
            reporter=reporter,
            municipality=self.municipality,
        )
        new_family = not child.cases
        sibling = self.sibling(child, received_at) if new_family else None
        if sibling is not None:
            data = data.model_copy(update={"siblings": [sibling_data(sibling.synth)]})
        registered = cases.register_report(self.session, actor=actor, data=data)
        opened = [(child, registered)]
        if sibling is not None:
            (number,) = family.group_cases(self.session, case=registered)
            other = self.session.scalars(select(CaseRow).where(CaseRow.case_number == number))
            opened.append((sibling, other.one()))
        parents = self.parents(child.synth) if new_family else []
        for who, row in opened:
            for parent in parents:
                family.add_guardian(self.session, actor=actor, case=row, data=parent)
            self.open(who, row.id, actor, received_at, reporter)

    def open(
        self,
        child: _Child,
        case_id: int,
        actor: Actor,
        received_at: dt.datetime,
        reporter: ReporterCategory,
    ) -> None:
        """Follow one registered case: queue its protection assessment."""
        case = _Case(
            case_id=case_id, child=child, actor=actor, received_at=received_at, reporter=reporter
        )
        child.cases.append(case)
        self.report.reports += 1  # per child, as the national figures count them
        self.report.steps += 1
        timeline = CaseTimeline(self.rng, received_at)
        self.at(timeline.protection_at, lambda: self.protect(case, timeline))

    def sibling(self, child: _Child, received_at: dt.datetime) -> _Child | None:
        """Draw, now and then, a sibling the same report is about (same surname and team)."""
        if self.rng.random() >= cal.SIBLING_REPORT_SHARE:
            return None
        synth = self.children_factory.new(received_at.astimezone(SWEDEN).date())
        synth = dataclasses.replace(
            synth, last_name=child.synth.last_name, protected=child.synth.protected
        )
        sibling = _Child(synth=synth, team=child.team)
        self.sibling_arrivals += 1
        self.children[synth.identity] = sibling
        self.history_child.append(synth.identity)
        self.history_at.append(received_at)
        self.report.children += 1
        return sibling

    def parents(self, child: SynthChild) -> list[GuardianInput]:
        """Draw the child's guardians: one or two parents, now and then with an interpreter."""
        rng = self.rng
        count = 2 if rng.random() < cal.TWO_GUARDIANS_SHARE else 1
        drawn = []
        for index, relation in enumerate(("mother", "father")[:count]):
            born = child.birth_date - dt.timedelta(days=365 * rng.randint(*cal.PARENT_AGE_YEARS))
            number = self.children_factory.adult(born, boy=relation == "father")
            first, _, _last = adult_name(rng).partition(" ")
            language = (
                cal.draw(rng, cal.INTERPRETER_LANGUAGES)
                if rng.random() < cal.INTERPRETER_SHARE
                else None
            )
            fields = {
                "identity": number,
                "first_name": first,
                "last_name": child.last_name,
                "relation": relation,
                "phone": f"070-{rng.randrange(100, 1000)} {rng.randrange(10, 100)} "
                f"{rng.randrange(10, 100)}",
                "shares_child_address": "ja" if index == 0 else "nej",
                "interpreter": language or "",
            }
            drawn.append(GuardianInput.from_text(fields))
        return drawn

    def protect(self, case: _Case, timeline: CaseTimeline) -> None:
        """Take the protection assessment and queue the preliminary decision."""
        self.take(
            case,
            step.AssessProtection(
                assessed_at=timeline.protection_at,
                immediate_protection_needed=self.rng.random() < cal.IMMEDIATE_PROTECTION_SHARE,
            ),
        )
        self.at(timeline.preliminary_on, lambda: self.decide(case, timeline.preliminary_on))

    def decide(self, case: _Case, decided_on: dt.date) -> None:
        """Decide after the preliminary assessment; an opened investigation is planned."""
        rng = self.rng
        others = {c.status for c in case.child.cases if c is not case}
        join = 0.0
        if CaseStatus.INVESTIGATION in others:
            join = cal.ALREADY_ONGOING_UNDER_INVESTIGATION
        elif others & {CaseStatus.INTERVENTIONS, CaseStatus.FOLLOW_UP}:
            join = cal.ALREADY_ONGOING_WITH_INTERVENTIONS
        if rng.random() < join:
            outcome = PreliminaryOutcome.ALREADY_ONGOING
        elif rng.random() < cal.TRANSFERRED_SHARE:
            outcome = PreliminaryOutcome.TRANSFERRED
        elif rng.random() < cal.OPEN_SHARE_OF_NEW[case.reporter]:
            outcome = PreliminaryOutcome.INVESTIGATION_OPENED
        else:
            outcome = PreliminaryOutcome.NOT_OPENED
        early = synth_early_help.instead(case.case_id, decided_on, outcome)
        taken = self.take(
            case,
            early
            or step.DecidePreliminary(
                decided_on=decided_on,
                outcome=outcome,
                transferred_to=self.transfer_target()
                if outcome is PreliminaryOutcome.TRANSFERRED
                else None,
            ),
        )
        self.report.preliminary[
            str(PreliminaryOutcome.EARLY_HELP_OFFERED if early else outcome)
        ] += 1
        self.journals.preliminary(case.case_id, case.actor, case.received_at, decided_on)
        if taken.status is not CaseStatus.INVESTIGATION:
            return
        rule_set = law.rule_set_for(case.received_at.astimezone(SWEDEN).date())
        plan = plan_investigation(rng, decided_on, law.investigation_due(decided_on, rule_set).due)
        self.journals.investigation(
            case.case_id, case.actor, case.received_at, decided_on, plan.completed_on
        )
        self.plans.investigation(case.case_id, case.actor, decided_on, plan.completed_on)
        self.at(plan.first_note_on, lambda: self.note(case, BbicSide.CHILD_DEVELOPMENT))
        if plan.extension is not None:
            extension = plan.extension
            self.at(extension.decided_on, lambda: self.extend(case, plan))
        given = synth_early_help.during(case.case_id, decided_on, plan.completed_on)
        if given is not None:
            self.at(given.started_on, partial(self.give_early_help, case, given))
        self.at(plan.completed_on, lambda: self.complete(case, plan))

    def give_early_help(self, case: _Case, data: step.GiveEarlyHelp) -> None:
        """Give the family early help while the investigation runs."""
        self.take(case, data)

    def note(self, case: _Case, side: BbicSide) -> None:
        """Save one BBIC note of the investigation."""
        area = self.rng.choice(list(BBIC_AREAS[side]))
        text = f"Syntetisk text (testdata) om {BBIC_AREAS[side][area].lower()}."
        self.take(case, step.RecordBbic(side=side, area=area, text=text))

    def extend(self, case: _Case, plan: Investigation) -> None:
        """Extend the investigation for särskilda skäl."""
        assert plan.extension is not None
        self.take(
            case,
            step.ExtendInvestigation(
                decided_on=plan.extension.decided_on,
                new_due=plan.extension.new_due,
                reason=self.rng.choice(cal.EXTENSION_REASONS),
            ),
        )
        self.report.extensions += 1

    def complete(self, case: _Case, plan: Investigation) -> None:
        """Complete the investigation, deciding interventions first when it leads to some."""
        self.note(case, BbicSide.PARENTING_CAPACITY)
        self.note(case, BbicSide.FAMILY_AND_ENVIRONMENT)
        if case.case_id % DOCUMENT_EVERY == 0:
            self.documents(case, plan.completed_on)
        outcome = cal.draw(self.rng, cal.INVESTIGATION_OUTCOMES)
        # Its own random stream, so that the follow-ups change nothing else of the run.
        aside = random.Random(case.case_id * 7919)
        if (
            outcome is InvestigationOutcome.NO_INTERVENTION
            and aside.random() < cal.FOLLOW_UP_AFTER_INVESTIGATION_SHARE
        ):
            outcome = InvestigationOutcome.NO_INTERVENTION_FOLLOW_UP
        starts: list[tuple[int, dt.date]] = []
        if outcome is InvestigationOutcome.INTERVENTIONS:
            count = 2 if self.rng.random() < cal.SECOND_INTERVENTION_SHARE else 1
            starts = [self.intervene(case, plan.completed_on) for _ in range(count)]
        synth_decisions.decide(
            self.session, case.case_id, case.actor, plan.completed_on, end=self.end
        )
        taken = self.take(
            case,
            step.CompleteInvestigation(
                completed_on=plan.completed_on,
                outcome=outcome,
                transferred_to=self.transfer_target()
                if outcome is InvestigationOutcome.TRANSFERRED
                else None,
            ),
        )
        self.report.investigations[str(outcome)] += 1
        if taken.status is CaseStatus.CLOSED:
            return
        if outcome is InvestigationOutcome.NO_INTERVENTION_FOLLOW_UP:
            self.follow_up_after(case, plan.completed_on, aside)
            return
        first_start = min(start for _, start in starts)
        follow_up_on = first_start + dt.timedelta(days=self.rng.randint(*cal.FOLLOW_UP_DAYS))
        ends = [
            (i, start + dt.timedelta(days=30 * self.rng.randint(*cal.INTERVENTION_MONTHS)))
            for i, start in starts
        ]
        self.at(follow_up_on, lambda: self.follow_up(case, follow_up_on))
        for intervention_id, ended_on in ends:
            self.at(ended_on, partial(self.stop, case, intervention_id, ended_on))
        last_end = max(e for _, e in ends)
        final = max(last_end, follow_up_on) + dt.timedelta(days=self.rng.randint(3, 21))
        if last_end > follow_up_on:
            self.at(final, lambda: self.follow_up(case, final))
        closing = final + dt.timedelta(days=self.rng.randint(0, 14))
        self.at(closing, lambda: self.close(case, closing))

    def documents(self, case: _Case, on: dt.date) -> None:
        """Store the investigation as a PDF and a drawing by the child as a PNG."""
        loaded = cases.load(self.session, case.case_id, whole_chain=False)
        at = dt.datetime.combine(on, dt.time(9), tzinfo=SWEDEN)
        # Their own random stream, so that the documents change nothing else of the run.
        drawing = synth_documents.drawing_png(random.Random(case.case_id))
        for title, kind, name, content in (
            (
                "Utredning (testdata)",
                DocumentKind.DRAWN_UP,
                "utredning.pdf",
                synth_documents.investigation_pdf(loaded.case_number, on),
            ),
            ("Barnets teckning (testdata)", DocumentKind.INCOMING, "teckning.png", drawing),
        ):
            synth_documents.add(
                self.session,
                actor=case.actor,
                case=loaded,
                title=title,
                kind=kind,
                filename=name,
                content=content,
                at=at,
            )
            self.report.documents += 1

    def intervene(self, case: _Case, decided_on: dt.date) -> tuple[int, dt.date]:
        """Decide one intervention under SoL or LVU; return its id and start."""
        lvu = self.rng.random() < cal.LVU_SHARE
        category = cal.draw(self.rng, cal.LVU_INTERVENTIONS if lvu else cal.SOL_INTERVENTIONS)
        start = decided_on + dt.timedelta(days=self.rng.randint(*cal.INTERVENTION_START_DAYS))
        decided = self.take(
            case,
            step.DecideIntervention(
                category=category,
                legal_basis=LegalBasis.LVU if lvu else LegalBasis.SOL,
                decided_on=decided_on,
                start_on=start,
            ),
        )
        self.report.interventions[f"{category}/{'lvu' if lvu else 'sol'}"] += 1
        return decided.record.id, start

    def follow_up_after(self, case: _Case, completed_on: dt.date, rng: random.Random) -> None:
        """Follow the child's situation up after an investigation without an intervention
        (23 kap. 1 §): one or two contacts, closed within six months (5 §), some after it."""
        low, high = cal.FOLLOW_UP_AFTER_INVESTIGATION_DAYS
        first = completed_on + dt.timedelta(days=rng.randint(low, high))
        days = [first]
        if rng.random() < 0.5:
            days.append(first + dt.timedelta(days=rng.randint(low, high)))
        for day in days:
            self.at(day, partial(self.follow_up, case, day))
        last = days[-1]  # at most 160 days after the investigation: inside the six months
        if rng.random() < cal.FOLLOW_UP_AFTER_INVESTIGATION_LATE_SHARE:
            closing = completed_on + dt.timedelta(days=185 + rng.randint(0, 40))
        else:
            closing = min(last + dt.timedelta(days=rng.randint(1, 14)), completed_on + SIX_MONTHS)
        self.at(closing, partial(self.close, case, closing))

    def follow_up(self, case: _Case, on: dt.date) -> None:
        """Record a follow-up."""
        voice_synth.follow_up(self.session, partial(self.take, case), case.case_id, on)
        self.report.follow_ups += 1

    def stop(self, case: _Case, intervention_id: int, on: dt.date) -> None:
        """End an intervention."""
        self.take(
            case,
            step.EndIntervention(
                intervention_id=intervention_id,
                ended_on=on,
                reason="Insatsen har avslutats enligt plan.",
            ),
        )

    def close(self, case: _Case, on: dt.date) -> None:
        """Close a followed-up case."""
        self.take(case, step.Close(closed_on=on))
        self.report.closed_after_follow_up += 1


# Inside the six months of 23 kap. 5 § from any day (the shortest six months are 181 days).
SIX_MONTHS = dt.timedelta(days=175)


def generate(
    session: Session,
    *,
    municipality_code: str,
    start: dt.date,
    end: dt.date,
    seed: int,
    scale: float = 1.0,
) -> GenerationReport:
    """Create a synthetic municipality's staff, children, reports and chain steps; flush only."""
    if not start < end:
        raise InvalidInput("Startdatum måste ligga före slutdatum.", field="start")
    if end > today():
        raise InvalidInput("Slutdatum kan inte ligga i framtiden.", field="end")
    if scale <= 0:
        raise InvalidInput("Skalan måste vara större än noll.", field="scale")
    municipality = municipalities.get(municipality_code)
    estimate, label = municipalities.estimated_children_0_17(municipality)
    children = municipality.children_0_17 or estimate
    if municipality.children_0_17:
        label = f"SCB:s siffra för {municipality.year}"
    rng = random.Random(seed)
    scaled_children = max(1, round(children * scale))
    days = (end - start).days
    per_year = scaled_children * cal.REPORTS_PER_1000_CHILDREN / 1000
    report = GenerationReport(
        municipality_code=municipality.code,
        municipality_name=municipality.name,
        start=start,
        end=end,
        seed=seed,
        scale=scale,
        children_0_17=children,
        children_0_17_label=label,
    )
    teams, report.staff = create_staff(
        session, rng, municipality=municipality, children=scaled_children, reports_per_year=per_year
    )
    report.units = len(teams)
    synth_early_help.catalogue(session)
    synth_competence.add(session, teams, seed=seed, end=end)  # before any step is checked
    run = _Run(session, rng, report, teams)
    for received_at, reporter in arrivals(rng, start, end, round(per_year * days / 365)):
        run.at(received_at, partial(run.receive, received_at, reporter))
    with hooks.held(session):  # the lookup's outbox: every child once, at the end
        run.run()
    report.later_steps = synth_deadlines.add(session, seed=seed, end=end)
    report.journal_entries = run.journals.entries
    report.plan_items = run.plans.items
    report.communications = run.plans.communications
    synth_extracts.add(session, seed=seed, end=end)
    synth_deviations.add(session, rng, teams, reports=report.reports, end=end)
    synth_workload.add(session, rng, teams, end=end)
    session.flush()
    return report
