"""What other features want to hear from the case chain, without cases importing them.

The national lookup keeps one row per child in its outbox; it subscribes here (in
barnskydd.lookup.outbox) and is told whenever a report is registered or a step changes what
the lookup publishes about the child. Subscribers run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

ChildChanged = Callable[[Session, int], None]
_subscribers: list[ChildChanged] = []


def on_child_changed(subscriber: ChildChanged) -> ChildChanged:
    """Subscribe to a child's cases changing in a way other features publish (idempotent)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)
    return subscriber


def subscribers() -> tuple[ChildChanged, ...]:
    """Return the subscribers, in the order they subscribed."""
    return tuple(_subscribers)


def child_changed(session: Session, child_id: int) -> None:
    """Tell every subscriber that the child's cases changed."""
    for subscriber in _subscribers:
        subscriber(session, child_id)
