"""barnskydd staff competence ... and barnskydd competence ...: staff competence and the
Öppna jämförelser indicators (docs/competence.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from barnskydd.cases.chain import signatures
from barnskydd.cli._common import UserOption, actor, command_session, fail, parse_date, print_json
from barnskydd.core.clock import today
from barnskydd.staff import employment
from barnskydd.staff.competence import report
from barnskydd.staff.competence import service as competence
from barnskydd.staff.competence.codes import DEGREE_LABELS, NOT_RECORDED_LABEL, Degree
from barnskydd.staff.competence.inputs import (
    CompetenceSet,
    EarlierPeriod,
    IntroductionStart,
    ItemDone,
)
from barnskydd.staff.competence.service import CompetenceView

staff_app = typer.Typer(
    help="Personalens kompetens: examen, erfarenhet, introduktion, medundertecknare.",
    no_args_is_help=True,
)
app = typer.Typer(help="Kompetens i kommunen: Öppna jämförelser.", no_args_is_help=True)

Username = Annotated[str, typer.Argument(help="Medarbetarens användarnamn.")]


def _day(value: str | None, option: str) -> str | None:
    return None if value is None else parse_date(value, option).isoformat()


def _earlier(values: list[str]) -> list[EarlierPeriod]:
    periods = []
    for value in values:
        start, sep, end = value.partition(":")
        if not sep:
            fail(
                f"--earlier: ange en period som FRÅN:TILL (ÅÅÅÅ-MM-DD:ÅÅÅÅ-MM-DD), inte '{value}'."
            )
        periods.append(
            EarlierPeriod.from_text(
                {"start_on": _day(start, "--earlier"), "end_on": _day(end, "--earlier")}
            )
        )
    return periods


def _print(shown: CompetenceView) -> None:
    degree = DEGREE_LABELS[shown.degree] if shown.degree else NOT_RECORDED_LABEL
    typer.echo(f"{shown.username} ({shown.display_name})")
    typer.echo(f"  Examen: {degree}" + (f", {shown.degree_on}" if shown.degree_on else ""))
    if shown.degree_kind:
        typer.echo(f"  Vilken examen: {shown.degree_kind}")
    typer.echo(f"  Erfarenhet av barnutredningar: {shown.years:.1f} år".replace(".", ","))
    for period in shown.periods:
        typer.echo(f"    {period.start_on} – {period.end_on or 'pågår'}")
    alone = "ja" if shown.independent else "nej"
    typer.echo(f"  Arbetar självständigt: {alone}")
    if shown.introduction:
        intro = shown.introduction
        typer.echo(
            f"  Introduktion: {intro.name} (version {intro.version}), start {intro.started_on}, "
            f"{intro.done} av {len(intro.items)} delar klara"
        )
        for item in intro.items:
            typer.echo(f"    [{'x' if item.completed_on else ' '}] {item.key}: {item.title}")
    if shown.may_co_sign_now:
        typer.echo(f"  Får medunderteckna: {', '.join(shown.may_co_sign_now)}")


@staff_app.command("set")
def set_competence(
    username: Username,
    degree: Annotated[Degree | None, typer.Option(help="Examen.")] = None,
    degree_date: Annotated[str | None, typer.Option(help="Examensdatum (ÅÅÅÅ-MM-DD).")] = None,
    degree_kind: Annotated[
        str | None, typer.Option(help="Vilken examen, vid annan relevant examen.")
    ] = None,
    certificate: Annotated[
        str | None, typer.Option(help="Socialstyrelsens bevis, vid utländsk utbildning.")
    ] = None,
    experience_from: Annotated[
        str | None, typer.Option(help="Arbetar med barnutredningar sedan (ÅÅÅÅ-MM-DD).")
    ] = None,
    earlier: Annotated[
        list[str] | None,
        typer.Option(help="Tidigare period FRÅN:TILL (ÅÅÅÅ-MM-DD:ÅÅÅÅ-MM-DD); kan upprepas."),
    ] = None,
    independent_from: Annotated[
        str | None, typer.Option(help="Arbetar självständigt från (ÅÅÅÅ-MM-DD).")
    ] = None,
    supervision_minutes: Annotated[
        int | None, typer.Option(help="Handledning, minuter per vecka.")
    ] = None,
    as_user: str = UserOption,
) -> None:
    """Registrera en medarbetares examen och erfarenhet; det som inte anges behålls."""
    given = {
        "degree": degree.value if degree else None,
        "degree_on": _day(degree_date, "--degree-date"),
        "degree_kind": degree_kind,
        "certificate_ref": certificate,
        "experience_from": _day(experience_from, "--experience-from"),
        "independent_from": _day(independent_from, "--independent-from"),
        "supervision_minutes_per_week": None
        if supervision_minutes is None
        else str(supervision_minutes),
    }
    data = CompetenceSet.from_text({k: v for k, v in given.items() if v is not None})
    periods = _earlier(earlier) if earlier else None
    with command_session() as session:
        shown = competence.update(
            session,
            actor=actor(session, as_user),
            username=username,
            data=data,
            earlier=periods,
            today=today(),
        )
    typer.echo(f"Kompetensen för {username} är sparad.")
    _print(shown)


@staff_app.command("show")
def show(
    username: Username,
    on: Annotated[str | None, typer.Option(help="Dag (ÅÅÅÅ-MM-DD); i dag om inget anges.")] = None,
    json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Visa en medarbetares kompetens (examen, erfarenhet, introduktion)."""
    day = parse_date(on, "--on") if on else today()
    with command_session() as session:
        shown = competence.get(session, actor=actor(session, as_user), username=username, on=day)
    if json:
        print_json(shown.as_json())
    else:
        _print(shown)


@staff_app.command("introduction")
def introduction(
    username: Username,
    start: Annotated[str, typer.Option(help="Startdag (ÅÅÅÅ-MM-DD).")],
    programme: Annotated[str, typer.Option(help="Programmets id.")] = "introduktion-barn-unga",
    version: Annotated[int | None, typer.Option(help="Version (senaste om inget anges).")] = None,
    planned_end: Annotated[str | None, typer.Option(help="Planerat slut (ÅÅÅÅ-MM-DD).")] = None,
    mentor: Annotated[str | None, typer.Option(help="Mentorns användarnamn.")] = None,
    as_user: str = UserOption,
) -> None:
    """Starta en medarbetares introduktionsprogram (ersätter ett tidigare)."""
    given = {
        "programme": programme,
        "version": None if version is None else str(version),
        "started_on": _day(start, "--start"),
        "planned_end": _day(planned_end, "--planned-end"),
        "mentor": mentor,
    }
    data = IntroductionStart.from_text({k: v for k, v in given.items() if v is not None})
    with command_session() as session:
        shown = competence.start_introduction(
            session, actor=actor(session, as_user), username=username, data=data, today=today()
        )
    _print(shown)


@staff_app.command("item")
def item(
    username: Username,
    key: Annotated[str, typer.Argument(help="Delens nyckel i programmet.")],
    done: Annotated[
        str | None, typer.Option(help="Klar den (ÅÅÅÅ-MM-DD); i dag om inget anges.")
    ] = None,
    as_user: str = UserOption,
) -> None:
    """Markera en del av introduktionsprogrammet som klar."""
    day = _day(done, "--done") or today().isoformat()
    data = ItemDone.from_text({"item": key, "completed_on": day})
    with command_session() as session:
        shown = competence.complete_item(
            session, actor=actor(session, as_user), username=username, data=data, today=today()
        )
    intro = shown.introduction
    if intro is not None:
        typer.echo(f"{username}: {intro.done} av {len(intro.items)} delar klara.")


@staff_app.command("co-signer")
def co_signer(
    username: Username,
    signer: Annotated[str, typer.Argument(help="Medundertecknarens användarnamn.")],
    remove: Annotated[bool, typer.Option("--remove", help="Ta bort medundertecknaren.")] = False,
    as_user: str = UserOption,
) -> None:
    """Utse (eller ta bort) en medundertecknare för en ny medarbetares steg."""
    with command_session() as session:
        shown = competence.set_co_signer(
            session,
            actor=actor(session, as_user),
            username=username,
            co_signer=signer,
            named=not remove,
            today=today(),
        )
    typer.echo(f"Medundertecknare för {username}: {', '.join(shown.co_signers) or 'inga'}.")


@app.command("indicators")
def indicators(
    on: Annotated[str | None, typer.Option(help="Referensdatum (ÅÅÅÅ-MM-DD).")] = None,
    json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON.")] = False,
    csv: Annotated[bool, typer.Option("--csv", help="Skriv ut som CSV.")] = False,
) -> None:
    """Öppna jämförelsers kompetensindikatorer för kommunen på ett referensdatum."""
    day = parse_date(on, "--on") if on else today()
    with command_session() as session:
        found = report.compute(session, day)
    if json:
        print_json(report.as_json(found))
        return
    if csv:
        typer.echo(report.csv_text(found), nl=False)
        return
    typer.echo(f"Handläggare {day}: {found.headcount}")
    for row in report.rows(found):
        share = "–" if row["share"] is None else f"{float(str(row['share'])) * 100:.0f} %"
        typer.echo(f"  {row['label']}: {row['count']} ({share})")


@staff_app.command("employment")
def employment_command(
    username: Username,
    start: Annotated[
        str | None, typer.Option("--from", help="Anställningens första dag (ÅÅÅÅ-MM-DD).")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Sista dagen (ÅÅÅÅ-MM-DD); kontot stängs."),
    ] = None,
    as_user: str = UserOption,
) -> None:
    """Ange när en medarbetare började i sin roll och, när den slutar, sista dagen."""
    if start is None and until is None:
        fail("Ange --from, --until eller båda.")
    with command_session() as session:
        periods = employment.update(
            session,
            actor=actor(session, as_user),
            username=username,
            start_on=parse_date(start, "--from") if start else None,
            end_on=parse_date(until, "--until") if until else None,
            today=today(),
        )
    for period in periods:
        typer.echo(
            f"{username}: {period.role.value} {period.start_on or 'okänd start'} – "
            f"{period.end_on or 'pågår'}"
        )


@staff_app.command("co-signatures")
def co_signatures(
    json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """Visa stegen som väntar på din medundertecknande."""
    with command_session() as session:
        waiting = signatures.awaiting_me(session, actor=actor(session, as_user))
    if json:
        print_json([s.as_json() for s in waiting])
        return
    if not waiting:
        typer.echo("Inga steg väntar på din medundertecknande.")
    for shown in waiting:
        typer.echo(f"{shown.id}: {shown.case_number} {shown.step_title}, av {shown.actor}")


@staff_app.command("co-sign")
def co_sign(
    signature: Annotated[int, typer.Argument(help="Medundertecknandets id.")],
    as_user: str = UserOption,
) -> None:
    """Medunderteckna, som dig själv, ett steg som väntar på dig."""
    with command_session() as session:
        shown = signatures.confirm(
            session, actor=actor(session, as_user), signature_id=signature, today=today()
        )
    typer.echo(f"Medundertecknat: {shown.case_number} {shown.step_title} av {shown.actor}.")
