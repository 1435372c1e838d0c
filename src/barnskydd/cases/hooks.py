"""What other features want to hear from the case chain, without cases importing them.

The national lookup keeps one row per child in its outbox; it subscribes here (in
barnskydd.lookup.outbox) and is told whenever a report is registered or a step changes what
the lookup publishes about the child. Subscribers run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

ChildChanged = Callable[[Session, int], None]
ChildrenChanged = Callable[[Session, Collection[int]], None]
_subscribers: list[ChildChanged] = []
_many: dict[ChildChanged, ChildrenChanged] = {}
_HELD = "hooks.held"  # session.info key: the children changed while the hooks are held


def on_child_changed(subscriber: ChildChanged) -> ChildChanged:
    """Subscribe to a child's cases changing in a way other features publish (idempotent)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)
    return subscriber


def subscribers() -> tuple[ChildChanged, ...]:
    """Return the subscribers, in the order they subscribed."""
    return tuple(_subscribers)


def child_changed(session: Session, child_id: int) -> None:
    """Tell every subscriber that the child's cases changed (or note it, while held)."""
    held: set[int] | None = session.info.get(_HELD)
    if held is not None:
        held.add(child_id)
        return
    for subscriber in _subscribers:
        subscriber(session, child_id)


def on_children_changed(subscriber: ChildChanged, many: ChildrenChanged) -> None:
    """Give a subscriber a way to hear of many children at once (an import's whole run)."""
    on_child_changed(subscriber)
    _many[subscriber] = many


def children_changed(session: Session, child_ids: Collection[int]) -> None:
    """Tell every subscriber that these children's cases changed: at once where it can."""
    if not child_ids:
        return
    for subscriber in _subscribers:
        many = _many.get(subscriber)
        if many is not None:
            many(session, child_ids)
        else:
            for child_id in sorted(child_ids):
                subscriber(session, child_id)


@contextmanager
def held(session: Session) -> Iterator[None]:
    """Note the children changed meanwhile and tell the subscribers once, at the end.

    For a writer of many cases in one transaction (the synthetic generator): each subscriber
    then brings its rows up to date in one pass instead of once per report and step. Nothing
    is told if the block fails; its transaction is then rolled back anyway.
    """
    if _HELD in session.info:  # already held further out: that one tells
        yield
        return
    changed: set[int] = set()
    session.info[_HELD] = changed
    try:
        yield
    finally:
        del session.info[_HELD]
    children_changed(session, changed)
