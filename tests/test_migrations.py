"""Migrations and models agree on every dialect (alembic check after upgrade head).

Run from an empty database here, not copied from the suite's template (tests/conftest.py), so
that this test itself runs every migration.
"""

from __future__ import annotations

from barnskydd.core import migrate


def test_migrations_match_the_models(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    migrate.check(empty_database_url)
