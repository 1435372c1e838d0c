"""Migrations and models agree on every dialect (alembic check after upgrade head)."""

from __future__ import annotations

from barnskydd.core import migrate


def test_migrations_match_the_models(database_url: str) -> None:
    migrate.check(database_url)
