"""barnskydd report ...: register a report of concern (for scripts and administrators)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import select

from barnskydd.cases import family
from barnskydd.cases import service as cases
from barnskydd.cases.codes import Channel, Concern, ReporterCategory
from barnskydd.cases.schemas import ReportCreate
from barnskydd.cli._common import UserOption, actor, command_session, fail, parse_datetime
from barnskydd.people.codes import ProtectedIdentity
from barnskydd.staff.models import Unit

app = typer.Typer(help="Orosanmälningar.", no_args_is_help=True)


@app.command()
def register(
    child: Annotated[
        str, typer.Option(help="Barnets personnummer, samordningsnummer eller reservnummer.")
    ],
    first_name: Annotated[str, typer.Option(help="Barnets förnamn.")],
    last_name: Annotated[str, typer.Option(help="Barnets efternamn.")],
    received: Annotated[
        str, typer.Option(help="När anmälan kom in (ÅÅÅÅ-MM-DDTTT:MM, svensk tid om zon saknas).")
    ],
    reporter: Annotated[ReporterCategory, typer.Option(help="Anmälarkategori.")],
    concern: Annotated[list[Concern], typer.Option(help="Oro (kan anges flera gånger).")],
    unit: Annotated[str, typer.Option(help="Enhetens namn.")],
    channel: Annotated[Channel, typer.Option(help="Hur anmälan kom in.")] = Channel.PHONE,
    mandatory: Annotated[
        bool, typer.Option("--mandatory/--not-mandatory", help="Anmälaren är anmälningsskyldig.")
    ] = False,
    feedback: Annotated[
        bool | None,
        typer.Option(
            "--feedback-requested/--no-feedback-requested",
            help="Anmälaren vill ha återkoppling (19 kap. 6 § socialtjänstlagen); utan flaggan "
            "är det inte registrerat och veckofristen visas för en anmälningsskyldig anmälare.",
        ),
    ] = None,
    reporter_name: Annotated[str | None, typer.Option(help="Anmälarens namn.")] = None,
    organisation: Annotated[str | None, typer.Option(help="Anmälarens organisation.")] = None,
    text: Annotated[str, typer.Option(help="Anmälans innehåll (fritext).")] = "",
    protected: Annotated[
        ProtectedIdentity, typer.Option(help="Skyddad identitet.")
    ] = ProtectedIdentity.NONE,
    sibling: Annotated[
        list[str] | None,
        typer.Option(
            help="Ett syskon som anmälan också gäller, IDENTITET:FÖRNAMN:EFTERNAMN (kan anges "
            "flera gånger); varje syskon får ett eget, länkat ärende."
        ),
    ] = None,
    as_user: str = UserOption,
) -> None:
    """Registrera en anmälan; skriver ut ärendenumret och de två första tidsfristerna.

    Med --sibling öppnas ett länkat ärende per syskon i samma transaktion (allt eller
    inget), vart och ett utskrivet som "Syskon: BU-...".
    """
    received_at = parse_datetime(received, "--received")
    siblings = [_sibling(text, index) for index, text in enumerate(sibling or [])]
    with command_session() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.name == unit))
        if unit_id is None:
            fail(f"--unit: enheten '{unit}' finns inte.")
        data = ReportCreate(
            child_identity=child,
            child_first_name=first_name,
            child_last_name=last_name,
            protected_identity=protected,
            received_at=received_at,
            channel=channel,
            reporter_category=reporter,
            mandatory_reporter=mandatory,
            feedback_requested=feedback,
            reporter_name=reporter_name,
            reporter_organisation=organisation,
            concerns=concern,
            free_text=text,
            unit_id=unit_id,
            siblings=siblings,
        )
        case = cases.register_report(session, actor=actor(session, as_user), data=data)
        report = case.report
        lines = [
            f"Registrerad: {case.case_number}",
            f"Skyddsbedömning senast {report.protection_due} ({report.protection_reference})",
            f"Förhandsbedömning senast {report.preliminary_due} ({report.preliminary_reference})",
        ]
        lines += [f"Syskon: {number}" for number in family.group_cases(session, case=case)]
    for line in lines:
        typer.echo(line)


def _sibling(text: str, index: int) -> dict[str, str]:
    """Split IDENTITY:FIRST:LAST, or exit 2 naming the option."""
    parts = [part.strip() for part in text.split(":")]
    if len(parts) != 3 or not all(parts):
        fail(f"--sibling nr {index + 1}: skriv IDENTITET:FÖRNAMN:EFTERNAMN.")
    return {"identity": parts[0], "first_name": parts[1], "last_name": parts[2]}
