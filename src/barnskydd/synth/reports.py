"""Draw the content of one synthetic report of concern (reporter, channel, concerns, text)."""

from __future__ import annotations

import datetime as dt
import random

from barnskydd.cases.codes import CONCERN_LABELS, NEVER_MANDATORY, Concern, ReporterCategory
from barnskydd.cases.schemas import ReportCreate
from barnskydd.core.actor import Actor
from barnskydd.core.clock import SWEDEN
from barnskydd.reference.municipalities import Municipality
from barnskydd.synth import calibration as cal
from barnskydd.synth.identities import SynthChild, adult_name

ORGANISATIONS: dict[ReporterCategory, str] = {
    ReporterCategory.POLICE: "Polismyndigheten",
    ReporterCategory.SCHOOL: "{m} kommun, grundskola",
    ReporterCategory.PRESCHOOL: "{m} kommun, förskola",
    ReporterCategory.HEALTH_CARE: "Vårdcentralen {m}",
    ReporterCategory.DENTAL_CARE: "Folktandvården {m}",
    ReporterCategory.CHILD_PSYCHIATRY: "Barn- och ungdomspsykiatrin",
    ReporterCategory.SOCIAL_SERVICES: "{m} kommun, vuxenenheten",
    ReporterCategory.OTHER_AUTHORITY: "Försäkringskassan",
    ReporterCategory.OTHER: "Idrottsförening i {m}",
}
NAMED_PRIVATE = frozenset({ReporterCategory.PRIVATE_PERSON, ReporterCategory.RELATIVE})


def mandatory(rng: random.Random, reporter: ReporterCategory) -> bool:
    """Return whether a reporter of this category is under the duty to report."""
    if reporter in NEVER_MANDATORY:
        return False
    if reporter is ReporterCategory.OTHER:
        return rng.random() < cal.OTHER_MANDATORY_SHARE
    return True


def concerns(rng: random.Random, *, age: int) -> list[Concern]:
    """Draw one to three concern categories, weighted by the child's age band."""
    weights = cal.CONCERNS_TEEN if age >= 13 else cal.CONCERNS_YOUNG
    count = cal.draw(rng, cal.CONCERN_COUNT_WEIGHTS)
    drawn: list[Concern] = []
    while len(drawn) < count:
        concern = cal.draw(rng, weights)
        if concern not in drawn:
            drawn.append(concern)
    return drawn


def report_data(
    rng: random.Random,
    *,
    child: SynthChild,
    team_unit_id: int,
    actor: Actor,
    received_at: dt.datetime,
    reporter: ReporterCategory,
    municipality: Municipality,
) -> ReportCreate:
    """Draw the rest of a report for a child and reporter; the text says it is synthetic."""
    duty = mandatory(rng, reporter)
    channel = cal.draw(rng, cal.CHANNEL_MIX[duty])
    received_on = received_at.astimezone(SWEDEN).date()
    age = (received_on - child.birth_date).days // 365
    drawn = concerns(rng, age=age)
    organisation = ORGANISATIONS.get(reporter)
    name = None
    if reporter in NAMED_PRIVATE or (duty and reporter is not ReporterCategory.POLICE):
        name = adult_name(rng)
    text = (
        "Syntetisk testanmälan. Oro gällande: "
        + ", ".join(CONCERN_LABELS[c].lower() for c in drawn)
        + "."
    )
    return ReportCreate(
        child_identity=child.identity,
        child_first_name=child.first_name,
        child_last_name=child.last_name,
        protected_identity=child.protected,
        received_at=received_at,
        channel=channel,
        reporter_category=reporter,
        mandatory_reporter=duty,
        feedback_requested=duty and _asks_for_feedback(child, received_at),
        reporter_name=name,
        reporter_organisation=organisation.format(m=municipality.name) if organisation else None,
        concerns=drawn,
        free_text=text,
        unit_id=team_unit_id,
        assigned_to_id=actor.staff_id,
    )


def _asks_for_feedback(child: SynthChild, received_at: dt.datetime) -> bool:
    # A generator of its own, seeded by the report: the main one's draws stay as they were.
    own = random.Random(f"feedback:{child.identity}:{received_at.isoformat()}")
    return own.random() < cal.FEEDBACK_REQUESTED_SHARE


def _arrival_weight(day: dt.date) -> float:
    weight = cal.WEEKEND_WEIGHT if day.weekday() >= 5 else 1.0
    return weight * (cal.JULY_WEIGHT if day.month == 7 else 1.0)


def arrivals(
    rng: random.Random, start: dt.date, end: dt.date, count: int
) -> list[tuple[dt.datetime, ReporterCategory]]:
    """Draw receipt times and reporters over [start, end), sorted by time."""
    days = [start + dt.timedelta(days=n) for n in range((end - start).days)]
    chosen = rng.choices(days, weights=[_arrival_weight(d) for d in days], k=count)
    arrivals = []
    for day in chosen:
        reporter = cal.draw(rng, cal.REPORTER_MIX)
        if reporter is ReporterCategory.POLICE and rng.random() < cal.POLICE_OUT_OF_HOURS_SHARE:
            minute = rng.randrange(0, 24 * 60)
        else:
            minute = rng.randrange(cal.OFFICE_HOURS[0] * 60, cal.OFFICE_HOURS[1] * 60)
        moment = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=SWEDEN)
        arrivals.append((moment, reporter))
    arrivals.sort(key=lambda a: a[0])
    return arrivals
