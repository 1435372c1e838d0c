"""barnskydd workload ...: the weighted caseload, the model file, load ratings, measurement weeks.

A work-environment tool: per worker only for the unit's team lead (or an administrator),
sorted by name, never ranked; there is no export per person.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.cli._common import UserOption, actor, command_session, fail, parse_date, print_json
from barnskydd.core.clock import today
from barnskydd.core.errors import NotFound
from barnskydd.staff.models import Unit
from barnskydd.workload import measurement
from barnskydd.workload import model as workload_model
from barnskydd.workload import service as workload
from barnskydd.workload.points import BAND_LABELS, KIND_LABELS

app = typer.Typer(
    help="Arbetsbelastning: viktad ärendebelastning, modellfilen, skattningar och mätveckor.",
    no_args_is_help=True,
)
week_app = typer.Typer(help="Mätveckor: öppna, registrera tid, stäng.", no_args_is_help=True)
app.add_typer(week_app, name="week")

UnitOption = typer.Option("--unit", help="Enhetens id eller namn.")
DateOption = typer.Option("--on", metavar="ÅÅÅÅ-MM-DD", help="Dagen som räknas (i dag).")


def _unit_id(session: Session, unit: str) -> int:
    found = session.scalar(
        select(Unit.id).where(Unit.id == int(unit))
        if unit.isdigit() and len(unit) < 10  # a longer number is no unit's id (nor a name)
        else select(Unit.id).where(Unit.name == unit)
    )
    if found is None:
        raise NotFound(f"Enheten '{unit}' finns inte.", field="unit")
    return found


def _model() -> workload_model.Loaded:
    try:
        return workload_model.current()
    except workload_model.ModelError as error:
        fail(error.message)


def _view_json(view: workload.UnitLoad, path: Path) -> dict[str, Any]:
    # The unit's figures only: a worker's load is read on the team lead's screen (the desk
    # page, or this command without --json), never exported per person (issue 15).
    return {
        "unit": {"id": view.unit_id, "name": view.unit_name},
        "on": view.on.isoformat(),
        "model": {"name": view.model_name, "version": view.model_version, "file": str(path)},
        "norm": view.norm,
        "points": view.points,
        "full_time": view.full_time,
        "points_per_full_time": view.points_per_full_time,
        "unassigned_points": view.unassigned_points,
        "deadline_risk": {
            "now": view.deadline_risk,
            "before": view.deadline_risk_before,
            "window_days": view.risk_window_days,
        },
        "unit_trend": [
            {"on": d.isoformat(), "points_per_full_time": v} for d, v in view.unit_trend()
        ],
        "alerts": [{"kind": a.kind, "text": a.text} for a in view.alerts],
    }


@app.command("show")
def show_command(
    unit: Annotated[str, UnitOption],
    on: Annotated[str | None, DateOption] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv resultatet som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Visa enhetens viktade ärendebelastning per handläggare (i namnordning) och per heltid."""
    day = parse_date(on, "--on") if on is not None else today()
    loaded = _model()
    with command_session() as session:
        who = actor(session, as_user)
        view = workload.unit_load(
            session, actor=who, unit_id=_unit_id(session, unit), on=day, model=loaded.model
        )
    if as_json:
        print_json(_view_json(view, loaded.path))
        return
    typer.echo(
        f"{view.unit_name} den {view.on.isoformat()} "
        f"(modell {view.model_name} {view.model_version})"
    )
    per = "–" if view.points_per_full_time is None else view.points_per_full_time
    typer.echo(
        f"Poäng {view.points} på {view.full_time} heltider: {per} per heltid (norm {view.norm})."
    )
    for w in view.workers:
        rating = "–" if w.rating is None else w.rating
        typer.echo(
            f"  {w.name}: {w.score.points} av {w.score.norm} ({w.score.percent} %), "
            f"{BAND_LABELS[w.score.band].lower()}, egen skattning {rating}"
        )
    for a in view.alerts:
        typer.echo(f"Att uppmärksamma: {a.text}")


@app.command("model")
def model_command(
    check: Annotated[
        Path | None, typer.Option("--check", help="Kontrollera en modellfil (TOML).")
    ] = None,
) -> None:
    """Visa modellen som gäller, eller kontrollera en modellfil innan den tas i bruk."""
    if check is not None:
        try:
            found = workload_model.load(check)
        except workload_model.ModelError as error:
            fail(error.message)
        typer.echo(f"Modellfilen är giltig: {found.model.name} version {found.model.version}.")
        return
    loaded = _model()
    m = loaded.model
    typer.echo(f"{m.model.name} version {m.model.version} ({loaded.path})")
    typer.echo(f"Källa: {m.model.source}")
    typer.echo(f"Norm: {m.model.norm} poäng per heltid")
    for kind, label in KIND_LABELS.items():
        if hasattr(m.phases, kind.value):
            typer.echo(f"  {label}: {getattr(m.phases, kind.value)}")


@app.command("rate")
def rate_command(
    rating: Annotated[int, typer.Option("--rating", help="Upplevd belastning 1 (låg) – 5.")],
    month: Annotated[
        str | None, typer.Option("--month", metavar="ÅÅÅÅ-MM-DD", help="Någon dag i månaden.")
    ] = None,
    flex: Annotated[int | None, typer.Option("--flex", help="Flexsaldo i timmar.")] = None,
    as_user: str = UserOption,
) -> None:
    """Skatta din egen arbetsbelastning för innevarande eller förra månaden."""
    day = parse_date(month, "--month") if month is not None else today()
    with command_session() as session:
        row = workload.rate(
            session, actor=actor(session, as_user), month=day, rating=rating,
            flex_hours=flex, today=today(),
        )  # fmt: skip
        typer.echo(f"Skattningen {row.rating} för {row.month.isoformat()[:7]} är sparad.")


@app.command("employment")
def employment_command(
    username: Annotated[str, typer.Argument(help="Handläggarens användarnamn.")],
    rate: Annotated[int, typer.Option("--rate", help="Tjänstgöringsgrad i procent, 1–100.")],
    as_user: str = UserOption,
) -> None:
    """Ange en handläggares tjänstgöringsgrad (normen räknas om efter den)."""
    with command_session() as session:
        member = workload.set_employment_rate(
            session, actor=actor(session, as_user), username=username, rate=rate
        )
        typer.echo(f"{member.display_name} arbetar {member.employment_rate} % av heltid.")


@week_app.command("open")
def week_open(
    unit: Annotated[str, UnitOption],
    start: Annotated[
        str | None, typer.Option("--start", metavar="ÅÅÅÅ-MM-DD", help="Första dag (i dag).")
    ] = None,
    as_user: str = UserOption,
) -> None:
    """Öppna en mätvecka (sju dagar) för enheten."""
    day = parse_date(start, "--start") if start is not None else today()
    with command_session() as session:
        week = measurement.open_week(
            session, actor=actor(session, as_user), unit_id=_unit_id(session, unit),
            starts_on=day, today=today(),
        )  # fmt: skip
        typer.echo(f"Mätvecka {week.id} är öppen {week.starts_on} – {week.ends_on}.")


@week_app.command("record")
def week_record(
    week: Annotated[int, typer.Option("--week", help="Mätveckans id.")],
    category: Annotated[
        str,
        typer.Option(
            "--category", help="child, parents, network, documentation, travel, administration."
        ),
    ],
    minutes: Annotated[int, typer.Option("--minutes", help="Minuter i hela kvartar.")],
    day: Annotated[
        str | None, typer.Option("--day", metavar="ÅÅÅÅ-MM-DD", help="Dagen (i dag).")
    ] = None,
    as_user: str = UserOption,
) -> None:
    """Registrera din tid i en kategori en dag under mätveckan."""
    on = parse_date(day, "--day") if day is not None else today()
    with command_session() as session:
        measurement.record(
            session, actor=actor(session, as_user), week_id=week, day=on,
            category=category, minutes=minutes, today=today(),
        )  # fmt: skip
    typer.echo("Tiden är registrerad.")


@week_app.command("close")
def week_close(
    week: Annotated[int, typer.Option("--week", help="Mätveckans id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv resultatet som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Stäng mätveckan: enhetens summor sparas om minst fem deltog, allt enskilt raderas."""
    with command_session() as session:
        closed = measurement.close(session, actor=actor(session, as_user), week_id=week)
    if as_json:
        print_json(
            {
                "week": closed.week_id,
                "participants": closed.participants,
                "kept": closed.kept,
                "totals": {k.value: v for k, v in closed.totals.items()},
            }
        )
        return
    if closed.kept:
        typer.echo(
            f"Mätveckan är stängd; {closed.participants} deltog och enhetens summor är sparade."
        )
    else:
        typer.echo(
            f"Mätveckan är stängd; färre än {measurement.MIN_PARTICIPANTS} deltog "
            f"({closed.participants}), så inget sparades."
        )


@week_app.command("close-due")
def week_close_due() -> None:
    """Stäng varje mätvecka vars sista dag har passerat (appen gör det en gång om dagen)."""
    with command_session() as session:
        closed = measurement.close_due(session, today=today())
    typer.echo(f"{closed} mätveckor stängda.")
