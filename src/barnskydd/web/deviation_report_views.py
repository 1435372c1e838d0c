"""What deviations add up to: the learning dashboard, the 34 kap. list and the IVO report PDF.

The dashboard shows counts only (suppressed below the statistics' threshold), never a name,
an identity number, a case number or free text (tests/web/test_deviations.py checks). The
34 kap. list is exported as CSV or PDF only once every decision on it has its reason.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from barnskydd.core.actor import Actor
from barnskydd.core.clock import local_date, today
from barnskydd.core.errors import InvalidInput, NotFound
from barnskydd.deviations import dashboard, quarterly
from barnskydd.deviations import service as deviations
from barnskydd.deviations.codes import ASSESSMENT_LABELS, CHANNEL_LABELS
from barnskydd.staff import deployment
from barnskydd.staff.models import Unit
from barnskydd.web import forms
from barnskydd.web.deps import CurrentUser, RowId, SessionDep
from barnskydd.web.deviation_pdf import ivo_report_pdf, quarterly_pdf
from barnskydd.web.refusal import Attempt
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
YEAR = re.compile(r"[0-9]{4}")
ID = re.compile(r"[0-9]{1,9}")
MSG_YEAR = "Ange ett år med fyra siffror."
MSG_UNIT = "Välj en enhet i listan."
CHART_WIDTH = 300  # px: the longest bar


def _bars(table: dashboard.Table) -> list[dict[str, Any]]:
    """Return a chart's bars: shown counts scaled to CHART_WIDTH, suppressed ones not drawn."""
    shown = [v for v in table.cells.values() if isinstance(v, int)]
    top = max(shown, default=0) or 1
    return [
        {"label": label, "value": value, "width": (value * CHART_WIDTH) // top}
        if isinstance(value, int)
        else {"label": label, "value": value, "width": 0}
        for label, value in table.cells.items()
    ]


def _sum(months: list[dashboard.Month], part: str) -> dashboard.Table:
    """Return a table's year total per label, suppressed again (from the raw cells' sums)."""
    totals: dict[str, int] = {}
    for month in months:
        for label, value in getattr(month, part).cells.items():
            totals.setdefault(label, 0)
            if isinstance(value, int):
                totals[label] += value
    return dashboard.protect(totals)


@router.get("/avvikelser/larande")
def dashboard_page(
    request: Request, session: SessionDep, user: CurrentUser, ar: str = "", enhet: str = ""
) -> Response:
    """Show a unit's (or all units') deviations by month, as charts and tables."""
    errors: dict[str, str] = {}
    year = int(ar) if YEAR.fullmatch(ar) and 1900 <= int(ar) <= 2199 else None
    if ar and year is None:
        errors["ar"] = MSG_YEAR
    year = year or today().year
    units = [(u.id, u.name) for u in session.scalars(select(Unit).order_by(Unit.name))]
    unit_id = int(enhet) if ID.fullmatch(enhet) else None
    if enhet and unit_id not in {u for u, _ in units}:
        errors["enhet"] = MSG_UNIT
        unit_id = None
    months = dashboard.get(session, actor=user, year=year, unit_id=unit_id)
    context = {
        "year": year,
        "units": units,
        "months": months,
        "charts": [
            ("Avvikelser per slag", _bars(_sum(months, "by_kind"))),
            ("Bidragande faktorer", _bars(_sum(months, "by_factor"))),
            ("Automatiska avvikelser per tidsfrist", _bars(_sum(months, "auto_by_rule"))),
        ],
        "suppressed": dashboard.SUPPRESSED,
        "chart_width": CHART_WIDTH,
        "own_unit_only": user.role == "team_lead",
        "values": {"ar": ar or str(year), "enhet": enhet},
        "errors": errors,
    }
    return render(request, "deviation_dashboard.html", context, status_code=422 if errors else 200)


def _quarter_context(session: Session, user: Actor, quarter: str) -> dict[str, Any]:
    return {"quarter": quarter, "rows": quarterly.get_rows(session, actor=user, quarter=quarter)}


def _quarter(kvartal: str) -> str:
    return kvartal.strip() or quarterly.quarter_of(today())


@router.get("/avvikelser/34-kap")
def quarterly_page(
    request: Request, session: SessionDep, user: CurrentUser, kvartal: str = ""
) -> Response:
    """Show the quarter's decisions not carried out within three months, with their reasons."""
    quarter = _quarter(kvartal)
    try:
        context = _quarter_context(session, user, quarter)
    except InvalidInput as error:
        context = {"quarter": kvartal, "rows": [], "errors": {"kvartal": error.message}}
        return render(request, "deviation_quarterly.html", context, status_code=422)
    return render(request, "deviation_quarterly.html", context)


@router.post("/avvikelser/34-kap")
def quarterly_reasons(
    request: Request, session: SessionDep, user: CurrentUser, form: FormDep
) -> Response:
    """Record the reasons typed for the quarter's decisions."""
    quarter = _quarter(forms.text(form, "kvartal"))
    attempt = Attempt(session)
    with attempt:
        for row in quarterly.get_rows(session, actor=user, quarter=quarter):
            reason = forms.text(form, f"reason_{row.intervention_id}")
            if reason:
                quarterly.set_reason(
                    session,
                    actor=user,
                    quarter=quarter,
                    intervention_id=row.intervention_id,
                    reason=reason,
                )
    if attempt.refused:
        context = _quarter_context(session, user, quarter)
        context.update(errors=attempt.errors, values=forms.values(form))
        return render(request, "deviation_quarterly.html", context, status_code=422)
    request.session["flash"] = "Skälen är sparade."
    return RedirectResponse(f"/avvikelser/34-kap?kvartal={quarter}", status_code=303)


def _export(session: Session, user: Actor, request: Request, kvartal: str) -> Any:
    quarter = _quarter(kvartal)
    try:
        return quarter, quarterly.export_rows(session, actor=user, quarter=quarter)
    except InvalidInput as error:
        context: dict[str, Any] = (
            _quarter_context(session, user, quarter)
            if error.field == "reason"
            else {"quarter": kvartal, "rows": []}
        )
        context["errors"] = {"kvartal" if error.field == "quarter" else "__form__": error.message}
        return render(request, "deviation_quarterly.html", context, status_code=422)


def _sender(session: Session) -> str:
    code = deployment.recorded(session)
    return deployment.label(code) if code else "Socialnämnden"


@router.get("/avvikelser/34-kap.csv")
def quarterly_csv(
    request: Request, session: SessionDep, user: CurrentUser, kvartal: str = ""
) -> Response:
    """Download the quarter's list as CSV (refused while a reason is missing)."""
    result = _export(session, user, request, kvartal)
    if isinstance(result, Response):
        return result
    quarter, rows = result
    return Response(
        quarterly.to_csv(rows).encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ej-verkstallda-{quarter}.csv"'},
    )


@router.get("/avvikelser/34-kap.pdf")
def quarterly_pdf_view(
    request: Request, session: SessionDep, user: CurrentUser, kvartal: str = ""
) -> Response:
    """Download the quarter's list as PDF (refused while a reason is missing)."""
    result = _export(session, user, request, kvartal)
    if isinstance(result, Response):
        return result
    quarter, rows = result
    pdf = quarterly_pdf(sender=_sender(session), quarter=quarter, rows=rows, made_on=today())
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="ej-verkstallda-{quarter}.pdf"'},
    )


@router.get("/avvikelser/{deviation_id}/ivo.pdf")
def ivo_pdf(session: SessionDep, user: CurrentUser, deviation_id: RowId) -> Response:
    """Download the IVO report with the investigation attached (the Lex Sarah role)."""
    deviation = deviations.get_investigated(session, actor=user, deviation_id=deviation_id)
    report, investigation = deviation.ivo_report, deviation.investigation
    if report is None or investigation is None or investigation.assessment is None:
        raise NotFound("Avvikelsen har ingen anmälan till IVO.")
    when = deviation.occurred_on.isoformat()
    fields = [
        ("Anmälan gäller", ASSESSMENT_LABELS[investigation.assessment]),
        ("Anmälare", f"{_sender(session)}, socialnämnden (27 kap. 6 § SoL)"),
        ("Nämndens diarienummer", report.sender_diary_no or ""),
        ("Verksamhet", report.activity or ""),
        ("Kontaktperson", report.contact_person or ""),
        ("Vad har hänt och när", f"{when}: {deviation.what_happened}"),
        (
            "Åtgärder som vidtogs genast",
            (deviation.immediate_measures or "")
            + (
                f" ({local_date(deviation.immediate_measures_at).isoformat()})"
                if deviation.immediate_measures_at
                else ""
            ),
        ),
        (
            "Bedömd",
            local_date(investigation.decided_at).isoformat() if investigation.decided_at else "",
        ),
        (
            "Skickas via",
            CHANNEL_LABELS[report.channel] if report.channel else "e-tjänst eller post",
        ),
        ("Utredningen bifogas", "Ja"),
    ]
    attachment = [
        ("Vad har hänt?", investigation.what_happened),
        ("Varför har det hänt?", investigation.why),
        (
            "Vad kan göras för att förhindra att något liknande inträffar igen?",
            investigation.prevention,
        ),
    ]
    pdf = ivo_report_pdf(sender=_sender(session), fields=fields, investigation=attachment)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="lex-sarah-{deviation.id}.pdf"'},
    )
