"""The Öppna jämförelser competence indicators of the municipality on a reference date.

Who is counted: the case workers (handläggare) on the reference date, that is every staff
member employed in the case worker role on that date (staff_employment) who was then working
with child investigations (a period of experience covers the date, or none is recorded);
staff who started after it or left before it are not, whether or not they are active today.
Their degree counts only if awarded by the date, their experience up to the date. A worker
whose competence is not recorded is counted, as "not recorded". Team leads are not counted.
Supervision is the minutes a week recorded now (the record keeps no history of it).
Socialstyrelsen's exact survey question and measurement date are unverified
(../shared/research/capabilities.md 3.2); the shares are those it reports: a socionom degree
and at least 3 years, more than 5 years, less than 1 year of experience in child
investigations. Counts only, never a person.
"""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core.actor import Role
from barnskydd.staff.competence.models import ExperiencePeriod, StaffCompetence
from barnskydd.staff.competence.rules import (
    Indicators,
    Period,
    Span,
    Worker,
    counted,
    indicators,
)
from barnskydd.staff.models import Employment

# (key, Swedish label): the rows of the page, the chart and the CSV file, in order.
SHARES: tuple[tuple[str, str], ...] = (
    ("qualified", "Behörig examen (socionom eller annan relevant)"),
    ("socionom", "Socionomexamen"),
    ("socionom_3_years", "Socionomexamen och minst 3 års erfarenhet"),
    ("socionom_over_5_years", "Socionomexamen och mer än 5 års erfarenhet"),
    ("socionom_under_1_year", "Socionomexamen och mindre än 1 års erfarenhet"),
    ("not_recorded", "Kompetens inte registrerad"),
)


def workers(session: Session, on: dt.date) -> list[Worker]:
    """Return the counted workers on the reference date, without names."""
    spans: dict[int, list[Span]] = {}
    for job in session.scalars(select(Employment).where(Employment.role == Role.CASE_WORKER)):
        spans.setdefault(job.staff_id, []).append(Span(job.start_on, job.end_on))
    records = {r.staff_id: r for r in session.scalars(select(StaffCompetence))}
    periods: dict[int, list[Period]] = {}
    for row in session.scalars(select(ExperiencePeriod).order_by(ExperiencePeriod.start_on)):
        periods.setdefault(row.staff_id, []).append(Period(row.start_on, row.end_on))
    found = []
    for staff_id in sorted(spans):
        own = periods.get(staff_id, [])
        if not counted(spans[staff_id], own, on):
            continue
        record = records.get(staff_id)
        found.append(
            Worker(
                degree=record.degree if record else None,
                periods=tuple(own),
                supervision_minutes_per_week=record.supervision_minutes_per_week
                if record
                else None,
                degree_on=record.degree_on if record else None,
            )
        )
    return found


def compute(session: Session, on: dt.date) -> Indicators:
    """Return the municipality's indicators on the reference date."""
    return indicators(workers(session, on), on)


def rows(found: Indicators) -> list[dict[str, object]]:
    """Return the indicators as rows: key, label, count, share of the headcount."""
    return [
        {
            "key": key,
            "label": label,
            "count": getattr(found, key),
            "share": found.share(getattr(found, key)),
        }
        for key, label in SHARES
    ]


def as_json(found: Indicators) -> dict[str, object]:
    """Return the indicators as the CLI's JSON prints them."""
    return {
        "on": found.on.isoformat(),
        "headcount": found.headcount,
        "indicators": {r["key"]: {"count": r["count"], "share": r["share"]} for r in rows(found)},
        "supervision_hours_per_week": {
            "reported": found.supervision_reported,
            "mean": found.supervision_mean_hours,
            "min": found.supervision_min_hours,
            "max": found.supervision_max_hours,
        },
    }


def csv_text(found: Indicators) -> str:
    """Return the indicators as a CSV file (semicolons and decimal commas, as Excel in Sweden)."""
    out = io.StringIO()
    out.write("referensdatum;indikator;antal;antal_handlaggare;andel\r\n")
    for row in rows(found):
        share = "" if row["share"] is None else f"{row['share']:.3f}".replace(".", ",")
        out.write(
            f"{found.on.isoformat()};{row['label']};{row['count']};{found.headcount};{share}\r\n"
        )
    return out.getvalue()
