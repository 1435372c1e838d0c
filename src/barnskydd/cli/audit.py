"""barnskydd audit ...: verify the hash-chained audit trail and publish its head."""

from __future__ import annotations

import json
from typing import NoReturn

import typer
from joserfc.jwk import OKPKey

from barnskydd.audit import anchor as anchors
from barnskydd.audit import service as audit
from barnskydd.audit.rules import Anchor, BreakKind, ChainBreak
from barnskydd.cli._common import EXIT_INVALID, command_session, fail
from barnskydd.core.db import utcnow
from barnskydd.core.errors import InvalidInput
from barnskydd.core.settings import Mode, get_settings

app = typer.Typer(help="Revisionsloggen.", no_args_is_help=True)

# Exit codes of verify and anchor (docs/chain.md): 0 the chain holds.
EXIT_ENTRY = 1  # an entry is edited, malformed, missing or out of place (it is named)
EXIT_HEAD = 5  # the head row is missing or disagrees with the entries (a cut tail)
EXIT_ANCHOR = 6  # the chain disagrees with a published anchor, or the anchor file is not intact
_EXITS = {BreakKind.ENTRY: EXIT_ENTRY, BreakKind.HEAD: EXIT_HEAD, BreakKind.ANCHOR: EXIT_ANCHOR}


def _report(broken: ChainBreak) -> NoReturn:
    where = f" vid post {broken.seq}" if broken.seq is not None else ""
    fail(f"revisionsloggen är bruten{where}: {broken.reason}", _EXITS[broken.kind])


def _key(*, create: bool) -> OKPKey:
    try:
        return anchors.load_key(get_settings().audit_anchor_key_file, create=create)
    except InvalidInput as error:
        fail(error.message, EXIT_INVALID)


def _published(key: OKPKey | None) -> list[Anchor]:
    path = get_settings().audit_anchor_file
    if not path.exists():
        return []
    try:
        return anchors.read(path, key if key is not None else _key(create=False))
    except anchors.AnchorsBroken as error:
        _report(error.broken)


@app.command()
def verify() -> None:
    """Kontrollera hela kedjan, dess huvud och varje publicerat ankare; nämn första brottet.

    Slutkod 1: en post är bruten (nämns); 5: huvudet saknas eller slutet är avskuret; 6:
    kedjan stämmer inte med ett ankare, eller ankarfilen är inte hel; 2: nyckel saknas.
    """
    published = _published(None)
    with command_session() as session:
        broken = audit.verify(session, anchors=published)
        count = audit.count(session)
    if broken is not None:
        _report(broken)
    if published:
        last = published[-1]
        checked = (
            f"{len(published)} ankare stämmer (senaste: post {last.seq}, {last.at.isoformat()})"
        )
    else:
        checked = (
            "inga publicerade ankare, så en omskrivning av hela kedjan upptäcks inte "
            "(se `barnskydd audit anchor`)"
        )
    typer.echo(f"Revisionsloggen är hel: {count} poster kontrollerade; {checked}.")


@app.command("anchor")
def anchor_head() -> None:
    """Publicera kedjans huvud: lägg till en signerad rad i ankarfilen.

    Posterna sedan förra ankaret kontrolleras först; en bruten kedja ankras inte.
    Kör med jämna mellanrum (systemd-timer eller cron, docs/chain.md).
    """
    settings = get_settings()
    key = _key(create=settings.mode is Mode.DEMO)
    if not key.is_private:
        fail(f"{settings.audit_anchor_key_file}: nyckeln saknar sin privata del.", EXIT_INVALID)
    published = _published(key)
    with command_session() as session:
        head = audit.verified_head(session, since=published[-1] if published else None)
    if isinstance(head, ChainBreak):
        _report(head)
    if head is None:
        typer.echo("Revisionsloggen är tom; inget att förankra.")
        return
    seq, digest = head
    anchors.append(
        settings.audit_anchor_file, anchors.line(key, seq=seq, digest=digest, at=utcnow())
    )
    typer.echo(f"Förankrade post {seq} ({digest[:12]}…) i {settings.audit_anchor_file}.")


@app.command()
def keygen() -> None:
    """Skapa ankarnas nyckel (Ed25519, aldrig över en befintlig); visa dess publika del."""
    path = get_settings().audit_anchor_key_file
    try:
        key = anchors.create_key(path)
    except InvalidInput as error:
        fail(error.message, EXIT_INVALID)
    typer.echo(f"Skapade ankarnyckeln {path} (läsbar bara för dig). Publik nyckel:")
    typer.echo(json.dumps(anchors.public_jwk(key)))
