"""The municipality's own numbers on the desk: charts with their tables, CSV and Excel.

Team leads see their own unit; analysts and administrators the municipality or any unit
(barnskydd.stats.municipal decides). Counts only, suppressed as in the national release:
never a name, an identity number, a case number or free text.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from starlette.responses import Response

from barnskydd.cases.codes import REPORTER_LABELS
from barnskydd.cases.deadlines import RULE_LABELS
from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import SWEDEN, today
from barnskydd.core.errors import InvalidInput
from barnskydd.staff import deployment
from barnskydd.staff.models import Unit
from barnskydd.stats import municipal
from barnskydd.voice.itemset import THEME_LABELS, THEMES
from barnskydd.web.deps import SessionDep, require
from barnskydd.web.templating import render

router = APIRouter()
Reader = Depends(require(Role.TEAM_LEAD, Role.ANALYST, Role.ADMIN))
ID = re.compile(r"[0-9]{1,9}")
MSG_UNIT = "Välj en enhet i listan."
CHART_WIDTH = 300  # px: the longest bar
SUPPRESSED = "–"
FIELDS = {"from": "fran", "to": "till"}


def _bars(
    items: list[tuple[str, int | float | None]], *, percent: bool = False
) -> list[dict[str, Any]]:
    """Return a chart's bars: shown values scaled to CHART_WIDTH, suppressed ones not drawn."""
    shown = [v for _, v in items if v is not None]
    top = 1.0 if percent else float(max(shown, default=0) or 1)
    out = []
    for label, value in items:
        if value is None:
            out.append({"label": label, "value": SUPPRESSED, "width": 0})
            continue
        text = f"{value * 100:.0f} %" if percent else str(value)
        out.append({"label": label, "value": text, "width": round(value * CHART_WIDTH / top)})
    return out


def _float(value: object) -> float | None:
    return float(str(value)) if value not in (None, "") else None


def _percent(value: float | None) -> str:
    return SUPPRESSED if value is None else f"{value * 100:.0f} %"


def _query(request: Request, session: SessionDep, user: Actor) -> tuple[
    dict[str, str], dict[str, str], municipal.Period, int | None, list[tuple[int, str]]
]:  # fmt: skip
    """Read the filters: the period (fran, till as YYYY-MM) and the unit (enhet)."""
    params = request.query_params
    values = {k: params.get(k, "").strip() for k in ("fran", "till", "enhet")}
    errors: dict[str, str] = {}
    default = municipal.default_period(today())
    chosen = default
    start = values["fran"] or default.months[0]
    end = values["till"] or default.months[-1]
    try:
        chosen = municipal.period(start, end)
    except InvalidInput as error:
        errors[FIELDS.get(error.field or "", "fran")] = error.message
    values["fran"], values["till"] = start, end
    code = deployment.municipality(session).code
    query = select(Unit.id, Unit.name).where(Unit.municipality_code == code).order_by(Unit.name)
    if user.role is Role.TEAM_LEAD:
        query = query.where(Unit.id == user.unit_id)
    units = [(int(i), str(n)) for i, n in session.execute(query)]
    unit_id = int(values["enhet"]) if ID.fullmatch(values["enhet"]) else None
    if values["enhet"] and unit_id not in {u for u, _ in units}:
        errors["enhet"] = MSG_UNIT
        unit_id = None
    if user.role is Role.TEAM_LEAD:
        unit_id = user.unit_id
    return values, errors, chosen, unit_id, units


# The numbers change slowly and take seconds on a large municipality: each app process keeps
# a period's numbers for CACHE_SECONDS (the page says when they were counted), on the app's
# state, so one app's database never answers for another's. The access check runs on every
# request, before the cache is asked.
CACHE_SECONDS = 300
CACHE_SIZE = 64
Cache = dict[tuple[Any, ...], tuple[float, dt.datetime, municipal.Numbers]]


_STATE_LOCK = threading.Lock()


def _cache_of(request: Request) -> tuple[Cache, threading.Lock]:
    """Return the app's cache of numbers and the lock its computations take."""
    with _STATE_LOCK:
        state = request.app.state
        if getattr(state, "municipal_numbers", None) is None:
            state.municipal_numbers = {}
            state.municipal_numbers_lock = threading.Lock()
        return state.municipal_numbers, state.municipal_numbers_lock


def _numbers(request: Request, session: SessionDep, user: Actor) -> tuple[
    municipal.Numbers, dict[str, str], dict[str, str], list[tuple[int, str]], dt.datetime
]:  # fmt: skip
    values, errors, chosen, unit_id, units = _query(request, session, user)
    unit_id, _ = municipal.scope(session, user, unit_id)
    release_dir = request.app.state.settings.national_release_dir
    key = (chosen, unit_id, today(), str(release_dir))
    cache, lock = _cache_of(request)
    hit = cache.get(key)
    if hit is None or time.monotonic() - hit[0] > CACHE_SECONDS:
        with lock:  # one computation per process at a time; a request waiting then hits
            hit = cache.get(key)
            if hit is None or time.monotonic() - hit[0] > CACHE_SECONDS:
                result = municipal.numbers(
                    session,
                    actor=user,
                    period=chosen,
                    unit_id=unit_id,
                    today=today(),
                    release_dir=release_dir,
                )
                if len(cache) >= CACHE_SIZE:
                    cache.pop(min(cache, key=lambda k: cache[k][0]))
                hit = cache[key] = (time.monotonic(), dt.datetime.now(SWEDEN), result)
    return hit[2], values, errors, units, hit[1]


@router.get("/statistik/kommun")
def page(request: Request, session: SessionDep, user: Actor = Reader) -> Response:
    """Show the period's numbers: a chart and its table per measure, and the downloads."""
    result, values, errors, units, counted_at = _numbers(request, session, user)
    t = result.tables
    months = [r for r in t["reports_by_month"] if r["reporter_category"] == municipal.ALL]
    by_month: dict[str, dict[str, Any]] = {}
    for row in t["reports_by_month"]:
        by_month.setdefault(row["month"], {})[row["reporter_category"]] = row["reports"]
    reporters = list(t["outcomes_by_reporter"])
    voice_rows = [
        {
            "label": f"{r['year']} {r['unit'] or 'kommunen'}",
            "bars": _bars(
                [(THEME_LABELS[k], _float(r[f"{k}_share_positive"])) for k in THEMES],
                percent=True,
            ),
            "row": r,
        }
        for r in result.voice
    ]
    query = "&".join(f"{k}={v}" for k, v in values.items() if v)
    context = {
        "result": result,
        "values": values,
        "errors": errors,
        "units": units,
        "own_unit_only": user.role is Role.TEAM_LEAD,
        "month_bars": _bars([(str(r["month"]), r["reports"]) for r in months]),
        "by_month": by_month,
        "reporter_keys": [(c.value, label) for c, label in REPORTER_LABELS.items()],
        "reporter_bars": _bars(
            [
                (municipal.REPORTER_NAMES[r["reporter_category"]], r["reports"])
                for r in reporters[:-1]
            ]
        ),
        "reporters": [(municipal.REPORTER_NAMES[r["reporter_category"]], r) for r in reporters],
        "concern_bars": _bars(
            [
                (municipal.CONCERN_NAMES[r["concern"]], r["reports"])
                for r in t["outcomes_by_concern"]
            ]
        ),
        "concerns": [(municipal.CONCERN_NAMES[r["concern"]], r) for r in t["outcomes_by_concern"]],
        "timeliness_bars": _bars(
            [(RULE_LABELS[r["rule"]], r["share_on_time"]) for r in t["timeliness"]], percent=True
        ),
        "timeliness": [(RULE_LABELS[r["rule"]], r) for r in t["timeliness"]],
        "rereports": t["rereports"][0],
        "voice": voice_rows,
        "theme_labels": [(k, THEME_LABELS[k]) for k in THEMES],
        "percent": _percent,
        "suppressed": SUPPRESSED,
        "chart_width": CHART_WIDTH,
        "query": query,
        "counted_at": f"{counted_at:%H:%M}",
        "cache_minutes": CACHE_SECONDS // 60,
    }
    return render(request, "municipal.html", context, status_code=422 if errors else 200)


def _file_name(result: municipal.Numbers, suffix: str) -> str:
    return f"kommunens-siffror-{result.period.months[0]}-{result.period.months[-1]}.{suffix}"


@router.get("/statistik/kommun.csv")
def download_csv(request: Request, session: SessionDep, user: Actor = Reader) -> Response:
    """Download every table as one CSV file (suppressed cells empty)."""
    result, _, errors, _, _ = _numbers(request, session, user)
    if errors:
        return Response("; ".join(errors.values()), status_code=422, media_type="text/plain")
    return Response(
        municipal.csv_text(result).encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_file_name(result, "csv")}"'},
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/statistik/kommun.xlsx")
def download_xlsx(request: Request, session: SessionDep, user: Actor = Reader) -> Response:
    """Download the tables as an Excel workbook (suppressed cells empty)."""
    result, _, errors, _, _ = _numbers(request, session, user)
    if errors:
        return Response("; ".join(errors.values()), status_code=422, media_type="text/plain")
    return Response(
        municipal.workbook_bytes(result),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{_file_name(result, "xlsx")}"'},
    )
