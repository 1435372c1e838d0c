"""Arbetsbelastning: the team lead's workload page, measurement weeks, the worker's own rating.

Per worker only for the unit's team lead (or an administrator), sorted by name; no ranking
and no download per person (tests/web/test_access_matrix.py holds every route).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.core.actor import Actor, Role
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput
from barnskydd.web import forms
from barnskydd.web.deps import RowId, SessionDep, require
from barnskydd.web.refusal import Attempt, refused_page
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep
from barnskydd.workload import indicators, measurement
from barnskydd.workload import model as workload_model
from barnskydd.workload import service as workload
from barnskydd.workload.points import BAND_LABELS

router = APIRouter(dependencies=[Depends(verify_csrf)])
TeamLead = Annotated[Actor, Depends(require(Role.TEAM_LEAD, Role.ADMIN))]
Worker = Annotated[Actor, Depends(require(Role.CASE_WORKER, Role.TEAM_LEAD))]

ID = re.compile(r"[0-9]{1,9}")
MSG_UNIT = "Välj en enhet i listan."
MSG_DATE = "Ange ett datum som ÅÅÅÅ-MM-DD."
CHART_HEIGHT = 40
BAR_WIDTH = 14


def _unit(
    session: Session, user: Actor, enhet: str | None
) -> tuple[list[tuple[int, str]], int | None]:
    units = [(u.id, u.name) for u in workload.units(session, actor=user)]
    if enhet is None:
        return units, units[0][0] if units else None
    chosen = int(enhet) if ID.fullmatch(enhet) else None
    if chosen not in {u for u, _ in units}:
        raise InvalidInput(MSG_UNIT, field="enhet")
    return units, chosen


def _day(value: str | None) -> dt.date:
    if not value:
        return today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(MSG_DATE, field="datum") from None


def _bars(trend: list[workload.TrendPoint]) -> list[dict[str, Any]]:
    top = max([p.points for p in trend] + [p.norm for p in trend] + [1.0])
    return [
        {
            "x": i * (BAR_WIDTH + 4),
            "height": max(1, round(CHART_HEIGHT * p.points / top)),
            "above": p.points > p.norm,
            "norm_y": CHART_HEIGHT - round(CHART_HEIGHT * p.norm / top),
        }
        for i, p in enumerate(trend)
    ]


# The figures move by the day (open cases, trend by month): one computation per unit, day,
# model and database is kept for CACHE_SECONDS in each app process, so that several team
# leads and reloads do not each read thousands of cases. Access is checked and the audit
# entry written on every view (docs/workload.md).
CACHE_SECONDS = 60.0
_cache: dict[tuple[str, int, dt.date, str, float], tuple[float, Any, Any]] = {}
_computing = threading.Lock()  # team leads arriving together wait for one computation


def _figures(
    session: Session, user: Actor, unit_id: int, on: dt.date, loaded: workload_model.Loaded
) -> tuple[workload.UnitLoad, list[indicators.MonthUse]]:
    workload.check_reader(user, unit_id)
    key = (
        str(session.get_bind().engine.url),
        unit_id,
        on,
        str(loaded.path),
        loaded.path.stat().st_mtime,
    )
    hit = _cache.get(key)
    if hit is None or hit[0] <= time.monotonic():
        with _computing:
            hit = _cache.get(key)
            if hit is None or hit[0] <= time.monotonic():
                view = workload.unit_load(
                    session, actor=user, unit_id=unit_id, on=on, model=loaded.model
                )
                use = indicators.time_use(session, actor=user, unit_id=unit_id, on=on)
                now = time.monotonic()
                for stale in [k for k, v in _cache.items() if v[0] <= now]:
                    del _cache[stale]
                _cache[key] = (now + CACHE_SECONDS, view, use)
                return view, use
    workload.record_read(session, user, unit_id)
    return hit[1], hit[2]


def load_context(session: Session, user: Actor, unit_id: int | None, on: dt.date) -> dict[str, Any]:
    """Return the workload page's context as plain data."""
    try:
        loaded = workload_model.current()
    except workload_model.ModelError as error:
        return {"view": None, "model_error": error.message}
    view, use = (None, []) if unit_id is None else _figures(session, user, unit_id, on, loaded)
    weeks = (
        [] if unit_id is None else measurement.closed_weeks(session, actor=user, unit_id=unit_id)
    )
    return {
        "view": view,
        "bars": {w.staff_id: _bars(w.trend) for w in view.workers} if view else {},
        "chart_height": CHART_HEIGHT,
        "bar_width": BAR_WIDTH,
        "band_labels": BAND_LABELS,
        "use": use,
        "weeks": weeks[:3],
        "categories": measurement.CATEGORY_LABELS,
        "model_path": loaded.path.name,
        "model_error": None,
    }


@router.get("/enhet/belastning")
def workload_page(
    request: Request,
    session: SessionDep,
    user: TeamLead,
    enhet: str | None = None,
    datum: str | None = None,
) -> Response:
    """Show the unit's weighted caseload per worker against the norm, its trend and alerts."""
    try:
        units, chosen = _unit(session, user, enhet)
        on = _day(datum)
    except InvalidInput as exc:
        units, _ = _unit(session, user, None)
        context = {**load_context(session, user, None, today()), "units": units}
        context.update(
            errors={exc.field or "enhet": exc.message},
            values={"enhet": enhet or "", "datum": datum or ""},
        )
        return render(request, "workload.html", context, status_code=422)
    context = {**load_context(session, user, chosen, on), "units": units, "on": on}
    return render(request, "workload.html", context)


def _week_context(session: Session, user: Actor, unit_id: int | None) -> dict[str, Any]:
    units = [(u.id, u.name) for u in workload.units(session, actor=user)]
    current = (
        None
        if unit_id is None
        else measurement.current_week(session, unit_id=unit_id, today=today())
    )
    return {
        "units": units,
        "unit_id": unit_id,
        "current": current,
        "weeks": []
        if unit_id is None
        else measurement.closed_weeks(session, actor=user, unit_id=unit_id),
        "categories": measurement.CATEGORY_LABELS,
        "min_participants": measurement.MIN_PARTICIPANTS,
        "today": today(),
    }


@router.get("/enhet/tidsmatning")
def week_page(
    request: Request, session: SessionDep, user: TeamLead, enhet: str | None = None
) -> Response:
    """Show the unit's measurement week (open or closed) and open a new one."""
    try:
        _, chosen = _unit(session, user, enhet)
    except InvalidInput as exc:
        context = {**_week_context(session, user, None), "errors": {"enhet": exc.message}}
        return render(request, "measurement.html", context, status_code=422)
    return render(request, "measurement.html", _week_context(session, user, chosen))


@router.post("/enhet/tidsmatning")
def open_week(request: Request, session: SessionDep, user: TeamLead, form: FormDep) -> Response:
    """Open a seven-day measurement week for the unit."""
    attempt = Attempt(session)
    unit_id: int | None = None
    with attempt:
        _, unit_id = _unit(session, user, forms.text(form, "enhet") or None)
        if unit_id is None:
            raise InvalidInput(MSG_UNIT, field="enhet")
        start = _day(forms.text(form, "starts_on") or None)
        measurement.open_week(session, actor=user, unit_id=unit_id, starts_on=start, today=today())
    if attempt.refused:
        context = _week_context(session, user, unit_id)
        return refused_page(request, "measurement.html", context, attempt.errors, form)
    request.session["flash"] = "Mätveckan är öppnad."
    return RedirectResponse(f"/enhet/tidsmatning?enhet={unit_id}", status_code=303)


@router.post("/enhet/tidsmatning/{week_id}/stang")
def close_week(request: Request, session: SessionDep, user: TeamLead, week_id: RowId) -> Response:
    """Close the week: unit totals are kept from five participants, every entry is deleted."""
    attempt = Attempt(session)
    closed = None
    with attempt:
        closed = measurement.close(session, actor=user, week_id=week_id)
    if attempt.refused or closed is None:
        context = _week_context(session, user, user.unit_id)
        return refused_page(request, "measurement.html", context, attempt.errors, FormData())
    request.session["flash"] = (
        "Mätveckan är stängd och enhetens summor sparade; de enskilda registreringarna är raderade."
        if closed.kept
        else f"Mätveckan är stängd. Färre än {measurement.MIN_PARTICIPANTS} deltog, så inget "
        "sparades; de enskilda registreringarna är raderade."
    )
    return RedirectResponse(f"/enhet/tidsmatning?enhet={closed.unit_id}", status_code=303)


def _own_context(session: Session, user: Actor) -> dict[str, Any]:
    week = (
        measurement.current_week(session, unit_id=user.unit_id, today=today())
        if user.unit_id is not None
        else None
    )
    return {
        "ratings": workload.own_ratings(session, actor=user),
        "month": workload.month_start(today()),
        "previous": workload.previous_month(workload.month_start(today())),
        "week": week,
        "entries": measurement.own_entries(session, actor=user, week_id=week.id, today=today())
        if week
        else [],
        "categories": measurement.CATEGORY_LABELS,
        "today": today(),
    }


@router.get("/min-belastning")
def own_page(request: Request, session: SessionDep, user: Worker) -> Response:
    """Show the worker's own load ratings and, during a measurement week, their time form."""
    return render(request, "own_load.html", _own_context(session, user))


def _int(form_value: str, field: str, message: str) -> int:
    if not re.fullmatch(r"-?[0-9]{1,4}", form_value):
        raise InvalidInput(message, field=field)
    return int(form_value)


@router.post("/min-belastning")
def rate(request: Request, session: SessionDep, user: Worker, form: FormDep) -> Response:
    """Record the worker's own rating of this or last month (1–5) and, optionally, flex."""
    attempt = Attempt(session)
    with attempt:
        rating = _int(forms.text(form, "rating"), "rating", workload.MSG_RATING)
        flex_text = forms.text(form, "flex_hours")
        flex = _int(flex_text, "flex_hours", workload.MSG_FLEX) if flex_text else None
        month = _day(forms.text(form, "month") or None)
        workload.rate(
            session, actor=user, month=month, rating=rating, flex_hours=flex, today=today()
        )
    if attempt.refused:
        return refused_page(
            request, "own_load.html", _own_context(session, user), attempt.errors, form
        )
    request.session["flash"] = "Tack! Din skattning är sparad."
    return RedirectResponse("/min-belastning", status_code=303)


@router.post("/min-belastning/tid")
def record_time(request: Request, session: SessionDep, user: Worker, form: FormDep) -> Response:
    """Record the worker's minutes in one category on one day of the open week."""
    attempt = Attempt(session)
    with attempt:
        week_id = _int(forms.text(form, "week_id"), "week_id", measurement.MSG_WEEK)
        minutes = _int(forms.text(form, "minutes"), "minutes", measurement.MSG_MINUTES)
        day = _day(forms.text(form, "day") or None)
        measurement.record(
            session,
            actor=user,
            week_id=week_id,
            day=day,
            category=forms.text(form, "category"),
            minutes=minutes,
            today=today(),
        )
    if attempt.refused:
        return refused_page(
            request, "own_load.html", _own_context(session, user), attempt.errors, form
        )
    request.session["flash"] = "Tiden är registrerad."
    return RedirectResponse("/min-belastning", status_code=303)
