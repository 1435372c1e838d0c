"""barnskydd person ...: register extract requests, review them, print or write the extract.

Team leads and administrators only; every collection is audited with its purpose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from barnskydd.audit.purpose import check_purpose
from barnskydd.cli._common import (
    UserOption,
    actor,
    command_session,
    fail,
    parse_date,
    print_json,
    whole_number_between,
)
from barnskydd.core.bounds import INT32_MAX
from barnskydd.core.clock import today
from barnskydd.core.errors import InvalidInput
from barnskydd.extract import service as extracts
from barnskydd.extract.codes import GROUNDS, Ground, Requester
from barnskydd.extract.schemas import ExtractRead, RequestRead
from barnskydd.people.rules import Identity, parse_identity
from barnskydd.staff import deployment
from barnskydd.web.extract_pdf import render_pdf

app = typer.Typer(
    help="Registerutdrag om en person (barn eller vårdnadshavare).", no_args_is_help=True
)

IdentityOption = Annotated[
    str,
    typer.Option(
        "--identity", help="Personens personnummer, samordningsnummer eller reservnummer."
    ),
]
PurposeOption = Annotated[str, typer.Option("--purpose", help="Varför uppgifterna läses (loggas).")]
REQUEST_CHECK = whole_number_between("--request", 1, INT32_MAX)
GROUND_NAMES = ", ".join(f"{g.value} ({GROUNDS[g].reference})" for g in Ground)


def _identity(value: str) -> Identity:
    try:
        return parse_identity(value)
    except InvalidInput as error:
        fail(f"--identity: {error.message}")


def _purpose(value: str) -> str:
    try:
        return check_purpose(value)
    except InvalidInput as error:
        fail(f"--purpose: {error.message}")


@app.command(help="Skriv ut allt som finns om en person (undantagna uppgifter utan innehåll).")
def extract(
    identity: IdentityOption,
    purpose: PurposeOption,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut utdraget som JSON.")] = False,
    request: Annotated[
        int | None,
        typer.Option(
            "--request", callback=REQUEST_CHECK, help="Begärans nummer: använd dess granskning."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Skriv det granskade utdraget som PDF (kräver --request)."),
    ] = None,
    as_user: str = UserOption,
) -> None:
    """Print everything held about a person (withheld items without their content)."""
    who_is = _identity(identity)
    purpose = _purpose(purpose)
    if out is not None and request is None:
        fail("--out: ange --request; bara ett granskat utdrag kan tas fram som PDF.")
    with command_session() as session:
        who = actor(session, as_user)
        if request is not None:
            found = extracts.get(session, actor=who, request_id=request)
            if found.identity_number != who_is.number:
                fail("--identity: begäran gäller en annan person.")
        if out is not None and request is not None:
            result = extracts.produce(session, actor=who, request_id=request, purpose=purpose)
            municipality = deployment.municipality(session).name
            out.write_bytes(render_pdf(result, municipality=municipality, today=today()))
        elif request is not None:
            result = extracts.collect_for(session, actor=who, request_id=request, purpose=purpose)
        else:
            result = extracts.collect(session, actor=who, number=who_is.number, purpose=purpose)
        read = ExtractRead.of(result)
    if as_json:
        print_json(read.model_dump(mode="json"))
    else:
        for item in read.items:
            state = f"undantas ({item.withheld.reference})" if item.withheld else "lämnas ut"
            day = str(item.date)[:10] if item.date else "          "
            typer.echo(f"{day}  {item.label:<40} {item.key:<32} {state}")
        typer.echo(f"{len(read.items)} uppgifter, {read.undecided} ej granskade.")
    if out is not None:
        typer.echo(f"Utdraget är skrivet till {out}.")


@app.command(
    "request", help="Registrera en begäran om registerutdrag; skriver sista dag och, sist, numret."
)
def register(
    identity: IdentityOption,
    received: Annotated[str, typer.Option("--received", help="När begäran kom in, ÅÅÅÅ-MM-DD.")],
    requester: Annotated[
        Requester,
        typer.Option("--requester", help="Vem som begär: self, guardian eller representative."),
    ] = Requester.SELF,
    custody_checked: Annotated[
        bool,
        typer.Option("--custody-checked", help="Vårdnaden är kontrollerad (krävs för guardian)."),
    ] = False,
    as_user: str = UserOption,
) -> None:
    """Register a request for an extract; print its deadline and, last, its number."""
    who_is = _identity(identity)
    day = parse_date(received, "--received")
    with command_session() as session:
        who = actor(session, as_user)
        created = extracts.create(
            session,
            actor=who,
            identity=who_is,
            received_on=day,
            requester=requester,
            custody_checked=custody_checked,
            today=today(),
        )
        number, due = created.id, created.due
    typer.echo(f"Begäran är registrerad; besvaras senast {due.isoformat()}.")
    typer.echo(str(number))


@app.command(
    "extend",
    help="Förläng en begärans frist med två månader (art. 12.3); skriver den nya sista dagen.",
)
def extend(
    request_id: Annotated[int, typer.Argument(min=1, max=INT32_MAX, help="Begärans nummer.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Skälen till förseningen, som den enskilde fick.")
    ],
    told: Annotated[
        str, typer.Option("--told", help="När den enskilde underrättades, ÅÅÅÅ-MM-DD.")
    ],
    as_user: str = UserOption,
) -> None:
    """Extend a request's deadline by two further months; print the new last day."""
    day = parse_date(told, "--told")
    with command_session() as session:
        who = actor(session, as_user)
        try:
            extended = extracts.extend(
                session, actor=who, request_id=request_id, reason=reason, told_on=day, today=today()
            )
        except InvalidInput as error:
            fail(f"{error.message} (--{'told' if error.field == 'told_on' else error.field})")
        deadline = extended.deadline
    typer.echo(f"Fristen är förlängd; besvaras senast {deadline.isoformat()}.")
    typer.echo(deadline.isoformat())


@app.command("requests", help="Lista obesvarade begäranden, närmast sista dag först.")
def list_requests(
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON.")] = False,
    as_user: str = UserOption,
) -> None:
    """List the requests not yet answered, the most urgent first."""
    with command_session() as session:
        who = actor(session, as_user)
        extracts.authorize(session, actor=who)
        reads = [RequestRead.of(r) for r in extracts.get_all(session, actor=who, today=today())]
    if as_json:
        print_json([r.model_dump(mode="json") for r in reads])
        return
    for r in reads:
        late = "  FÖRSENAD" if r.overdue else ""
        longer = " (förlängd)" if r.extended else ""
        typer.echo(
            f"{r.id:>6}  inkom {r.received_on}  senast {r.due}{longer}  {r.days_left} dagar{late}"
        )


@app.command(
    help="Lämna ut eller undanta uppgifter i en begärans utdrag (granskningen sparas per uppgift)."
)
def review(
    request: Annotated[
        int, typer.Argument(min=1, max=INT32_MAX, help="Begärans nummer.", metavar="BEGÄRAN")
    ],
    purpose: PurposeOption,
    release: Annotated[
        list[str] | None, typer.Option("--release", help="Uppgift (nyckel) som lämnas ut.")
    ] = None,
    withhold: Annotated[
        list[str] | None,
        typer.Option(
            "--withhold", help=f"NYCKEL=GRUND för en uppgift som undantas; grunder: {GROUND_NAMES}."
        ),
    ] = None,
    proposed: Annotated[
        bool, typer.Option("--proposed", help="Godta förslaget för alla ej granskade uppgifter.")
    ] = False,
    as_user: str = UserOption,
) -> None:
    """Release or withhold items of a request's extract (the review is recorded per item)."""
    purpose = _purpose(purpose)
    decisions: dict[str, Ground | None] = dict.fromkeys(release or [])
    for entry in withhold or []:
        key, _, code = entry.partition("=")
        try:
            decisions[key] = Ground(code)
        except ValueError:
            fail(f"--withhold: '{code}' är ingen grund; välj {GROUND_NAMES}.")
    with command_session() as session:
        who = actor(session, as_user)
        if proposed:
            current = extracts.collect_for(session, actor=who, request_id=request, purpose=purpose)
            for item in current.undecided:
                decisions.setdefault(item.key, item.proposed)
        result = extracts.decide(
            session, actor=who, request_id=request, decisions=decisions, purpose=purpose
        )
        left = len(result.undecided)
    typer.echo(f"Granskningen är sparad; {left} uppgifter är inte granskade.")
