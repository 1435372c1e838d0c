"""The case chain's hooks: held, they tell each subscriber once of every child, at the end."""

from __future__ import annotations

from collections.abc import Collection

import pytest
from sqlalchemy.orm import Session

from barnskydd.cases import hooks


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    monkeypatch.setattr(hooks, "_subscribers", [])
    monkeypatch.setattr(hooks, "_many", {})
    calls: list[object] = []

    def one(_session: Session, child_id: int) -> None:
        calls.append(child_id)

    def many(_session: Session, child_ids: Collection[int]) -> None:
        calls.append(sorted(child_ids))

    hooks.on_children_changed(one, many)
    return calls


def test_a_change_is_told_at_once_when_not_held(heard: list[object]) -> None:
    hooks.child_changed(Session(), 7)
    assert heard == [7]


def test_held_changes_are_told_once_at_the_end(heard: list[object]) -> None:
    session = Session()
    with hooks.held(session):
        for child_id in (3, 1, 3):
            hooks.child_changed(session, child_id)
        with hooks.held(session):  # nested: the outer block tells
            hooks.child_changed(session, 2)
        assert heard == []
    assert heard == [[1, 2, 3]]
    hooks.child_changed(session, 5)  # no longer held
    assert heard == [[1, 2, 3], 5]


def test_a_failed_block_tells_nothing(heard: list[object]) -> None:
    session = Session()

    def fails() -> None:
        with hooks.held(session):
            hooks.child_changed(session, 4)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fails()
    assert heard == []
    hooks.child_changed(session, 6)
    assert heard == [6]
