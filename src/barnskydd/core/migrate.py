"""Run Alembic from code, so an installed package can migrate its own database."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError

from barnskydd.core.errors import InvalidInput

TARGETS = ("head", "heads")  # besides a revision id (or a unique start of one)


def alembic_config(url: str) -> Config:
    """Return an Alembic config pointing at the packaged migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(files("barnskydd") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def known_revision(config: Config, revision: str) -> str:
    """Return the revision if the packaged migrations have it, else raise InvalidInput."""
    if revision in TARGETS:
        return revision
    script = ScriptDirectory.from_config(config)
    try:
        found = script.get_revision(revision) if revision.isalnum() else None
    except (CommandError, RevisionError):
        found = None
    if found is None:
        raise InvalidInput(
            f"Revisionen '{revision}' finns inte bland migreringarna; ange head eller en "
            "av revisionerna i barnskydd/migrations/versions.",
            field="revision",
        )
    return revision


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database to the given revision (head, or one the migrations have)."""
    config = alembic_config(url)
    command.upgrade(config, known_revision(config, revision))


def check(url: str) -> None:
    """Fail when the models and the migrations disagree (alembic check)."""
    command.check(alembic_config(url))
