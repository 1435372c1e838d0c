"""barnskydd demo / summary: set up the embedded demo database and show where the chain stands.

The summary prints counts, case numbers, dates and legal references only: never a child's
name, identity number or free text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from barnskydd.cases import service as cases
from barnskydd.cases.codes import STATUS_LABELS, CaseStatus
from barnskydd.cases.models import Case, Investigation, Report
from barnskydd.cli._common import SEED_CHECK, command_session, fail
from barnskydd.cli.synth import describe
from barnskydd.core import migrate
from barnskydd.core.actor import SYSTEM, Role
from barnskydd.core.clock import today
from barnskydd.core.settings import get_settings
from barnskydd.reference.municipalities import get as get_municipality
from barnskydd.staff import deployment
from barnskydd.staff.models import StaffMember, Unit
from barnskydd.staff.passwords import set_demo_passwords
from barnskydd.synth.generator import generate
from barnskydd.synth.organisation import DEMO_ACCOUNTS

# Oskarshamn: about 27,000 inhabitants, so about 1,000 reports a year; loads in well under a
# minute. Göteborg-size (1480) is for bench/bench_load.py.
DEFAULT_MUNICIPALITY = "0882"
DEMO_DAYS = 365
URGENT_SHOWN = 5

ROLE_LABELS = {
    Role.CASE_WORKER: "handläggare",
    Role.TEAM_LEAD: "arbetsledare",
    Role.ANALYST: "analytiker",
    Role.ADMIN: "administratör",
    Role.LEX_SARAH: "lex Sarah-ansvarig",
    Role.SYSTEM: "system",
}

app = typer.Typer(help="Demodatabasen och dess sammanfattning.", no_args_is_help=True)


def _reference(session: Session, case_id: int, status: CaseStatus) -> str:
    """Return the legal reference of the step a case waits on."""
    if status is CaseStatus.AWAITING_PROTECTION_ASSESSMENT:
        column = Report.protection_reference
    elif status is CaseStatus.PRELIMINARY_ASSESSMENT:
        column = Report.preliminary_reference
    else:
        column = Investigation.reference
    table = Investigation if column is Investigation.reference else Report
    return session.scalar(select(column).where(table.case_id == case_id)) or ""


def summary_lines(session: Session, *, on: dt.date) -> list[str]:
    """Return the Swedish summary of the database on a day (no personal data)."""
    counts = cases.summary(session, today=on)
    units = session.execute(select(Unit.name).order_by(Unit.id)).scalars().all()
    lines = [f"Barnskydd – läget {on.isoformat()}"]
    if units:
        lines.append("Enheter: " + ", ".join(units))
    lines += [
        f"Anmälningar: {counts.reports} om {counts.children} barn",
        "Ärenden per status:",
        *(f"  {STATUS_LABELS[s]:<18} {counts.by_status.get(s, 0):>6}" for s in CaseStatus),
        f"Öppna steg med lagstadgad tidsfrist: {counts.open_items}",
        f"  varav efter tidsfristen: {counts.overdue_items}",
    ]
    items = cases.open_items(session, actor=SYSTEM, today=on, limit=URGENT_SHOWN)
    if items:
        lines.append("Mest brådskande:")
    for item in items:
        left = f"{-item.days_left} dagar sen" if item.overdue else f"{item.days_left} dagar kvar"
        reference = item.reference or _reference(session, item.case_id, item.status)
        lines.append(
            f"  {item.case_number}  {item.step:<18} senast {item.due}  ({left})  {reference}"
        )
    staff = session.execute(
        select(StaffMember.username, StaffMember.role, Unit.name)
        .outerjoin(Unit, Unit.id == StaffMember.unit_id)
        .where(StaffMember.username.in_(DEMO_ACCOUNTS))
        .order_by(StaffMember.id)
    ).all()
    if staff:
        lines.append("Demokonton:")
        lines += [
            f"  {username:<13} {ROLE_LABELS[role]}" + (f", {unit}" if unit else "")
            for username, role, unit in staff
        ]
    return lines


def _reset(url: str) -> None:
    """Delete the embedded SQLite file; other databases are never dropped from here."""
    if not url.startswith("sqlite:///") or url.startswith("sqlite:///:memory:"):
        fail("--reset fungerar bara för den inbäddade SQLite-filen.")
    path = Path(url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _municipality(session: Session, requested: str | None, *, configured: str | None) -> str:
    """Return the demo's municipality: the database's; refuse another one asked for."""
    current = deployment.recorded(session)  # command_session recorded a configured code
    if current is None:
        return get_municipality(requested or DEFAULT_MUNICIPALITY).code
    if requested is None or get_municipality(requested).code == current:
        return current
    asked, held = deployment.label(requested), deployment.label(current)
    if configured is not None:
        fail(f"--municipality är {asked} men {deployment.SETTING} och databasen är {held}.")
    fail(f"Demodatabasen är byggd för {held}, inte {asked}; bygg om den med --reset.")


def start_main_job() -> None:
    """Start the main job after the demo is set up: the social worker's desk on loopback."""
    from barnskydd.cli.web import serve

    serve()


@app.command("demo")
def demo(
    municipality: Annotated[
        str | None,
        typer.Option(
            help="Kommunkod för den syntetiska kommunen (standard: databasens kommun, annars "
            f"BARNSKYDD_MUNICIPALITY_CODE, annars {DEFAULT_MUNICIPALITY})."
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Slumpfrö; samma frö ger samma data.", callback=SEED_CHECK)
    ] = 1,
    reset: Annotated[bool, typer.Option(help="Töm demodatabasen först.")] = False,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Starta webbappen efteråt.")
    ] = True,
) -> None:
    """Skapa demodatabasen med en syntetisk kommun (om den är tom) och sammanfatta den."""
    settings = get_settings()
    url = settings.database_url
    if reset:
        _reset(url)
    migrate.upgrade(url)
    end = today()
    with command_session() as session:
        code = _municipality(session, municipality, configured=settings.municipality_code)
        if not session.scalar(select(func.count(Case.id))):
            typer.echo("Skapar en syntetisk kommun (ett år fram till i dag) ...")
            report = generate(
                session,
                municipality_code=code,
                start=end - dt.timedelta(days=DEMO_DAYS),
                end=end,
                seed=seed,
            )
            for line in describe(report):
                typer.echo(line)
            typer.echo("")
        set_demo_passwords(session, settings=settings)
        lines = summary_lines(session, on=end)
    for line in lines:
        typer.echo(line)
    if serve:
        start_main_job()


@app.command("summary")
def summary() -> None:
    """Skriv ut en sammanfattning av den konfigurerade databasen."""
    with command_session() as session:
        lines = summary_lines(session, on=today())
    for line in lines:
        typer.echo(line)
