"""The voice report on the desk: the same protected tables as the CLI's, with a chart.

Team leads see their own unit and the municipality; analysts and administrators every unit.
The tables are the report's (barnskydd.voice.report), suppressed the same way, so the page
shows nothing the CSV files would not; never a table per worker.
"""

from __future__ import annotations

import base64

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from starlette.responses import Response

from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import today
from barnskydd.staff.models import Unit
from barnskydd.stats.suppression import DEFAULT_THRESHOLD
from barnskydd.voice import report
from barnskydd.voice.charts import shares_svg
from barnskydd.voice.codes import REASON_LABELS
from barnskydd.voice.itemset import THEME_LABELS, THEMES
from barnskydd.web.deps import SessionDep, require
from barnskydd.web.templating import render

router = APIRouter()
Reader = Depends(require(Role.TEAM_LEAD, Role.ANALYST, Role.ADMIN))


@router.get("/rost/statistik")
def statistics(
    request: Request,
    session: SessionDep,
    user: Actor = Reader,
    ar: int | None = Query(None, ge=2000, le=2999),
) -> Response:
    """Show the year's participation and themes, suppressed, with a chart of the shares."""
    year = ar or today().year
    tables = report.count(session, year)
    published = report.rows(tables, report.suppress(tables))
    if user.role is Role.TEAM_LEAD:
        own = session.scalar(select(Unit.name).where(Unit.id == user.unit_id))
        keep = {own, ""}
        published = {t: [r for r in rows if r["unit"] in keep] for t, rows in published.items()}
    series = {
        (str(r["unit"]) or "Kommunen"): {t: str(r[f"{t}_share_positive"]) for t in THEMES}
        for r in published[report.THEMES_TABLE]
    }
    chart = shares_svg(series, f"Andel positiva svar per tema {year}")
    context = {
        "year": year,
        "participation": published[report.PARTICIPATION],
        "themes": published[report.THEMES_TABLE],
        "theme_labels": [(t, THEME_LABELS[t]) for t in THEMES],
        "reason_labels": [(f"reason_{r.value}", label) for r, label in REASON_LABELS.items()],
        "chart": base64.b64encode(chart.encode()).decode(),
        "threshold": DEFAULT_THRESHOLD,
    }
    return render(request, "voice_stats.html", context)
