"""Leader-follower batching: what threads ask for at the same moment goes in one send."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class _Ticket(Generic[T, R]):
    """One item, and what its send gave."""

    item: T
    result: R | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class Batcher(Generic[T, R]):
    """Sends what several threads ask for at the same moment in one go, and adds no wait.

    At most `in_flight` sends are under way at a time. A thread whose item arrives while all
    are taken waits for a free one; the thread that gets it sends every item queued by then
    (perhaps not its own, if another send took that), and each thread takes its own result (or
    a copy of the error) from whichever send carried its item. Alone, an item is sent at once:
    under load the batches grow by themselves. The client sends its lookups so (one request
    for many), and the index commits its log so (one commit for many requests, in_flight 1).
    """

    def __init__(self, send: Callable[[list[T]], list[R]], *, in_flight: int = 1) -> None:
        self._send = send
        self._queue: list[_Ticket[T, R]] = []
        self._queue_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(in_flight)

    def __call__(self, item: T) -> R:
        """Return the result of sending the item, perhaps together with others."""
        ticket: _Ticket[T, R] = _Ticket(item)
        with self._queue_lock:
            self._queue.append(ticket)
        with self._slots:
            with self._queue_lock:
                batch, self._queue = self._queue, []
            if batch:  # else other sends took every queued item, this one's too
                self._send_batch(batch)
        ticket.done.wait()
        if ticket.error is not None:
            raise copy.copy(ticket.error) from None
        return ticket.result  # type: ignore[return-value]

    def _send_batch(self, batch: list[_Ticket[T, R]]) -> None:
        try:
            results = self._send([t.item for t in batch])
        except BaseException as error:
            for t in batch:
                t.error = error
                t.done.set()
            return
        for t, result in zip(batch, results, strict=True):
            t.result = result
            t.done.set()
