"""Leader-follower batching: what threads ask for at the same moment goes in one send."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class _Ticket(Generic[T, R]):
    """One item, and what its send gave."""

    item: T
    result: R | None = None
    error: BaseException | None = None
    done: bool = False


class Batcher(Generic[T, R]):
    """Sends what several threads ask for at the same moment in one go, and adds no wait.

    One send is under way at a time. A thread whose item arrives meanwhile waits for its turn;
    the thread that gets it sends every item queued by then, and each waiting thread takes its
    own result (or a copy of the error) from that send. Alone, an item is sent at once: under
    load the batches grow by themselves. The client sends its lookups so (one request for
    many), and the index commits its log so (one commit for many requests).
    """

    def __init__(self, send: Callable[[list[T]], list[R]]) -> None:
        self._send = send
        self._queue: list[_Ticket[T, R]] = []
        self._queue_lock = threading.Lock()
        self._turn = threading.Lock()

    def __call__(self, item: T) -> R:
        """Return the result of sending the item, perhaps together with others."""
        ticket: _Ticket[T, R] = _Ticket(item)
        with self._queue_lock:
            self._queue.append(ticket)
        with self._turn:
            if not ticket.done:  # else an earlier turn sent it
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._send_batch(batch)
        if ticket.error is not None:
            raise copy.copy(ticket.error) from None
        return ticket.result  # type: ignore[return-value]

    def _send_batch(self, batch: list[_Ticket[T, R]]) -> None:
        try:
            results = self._send([t.item for t in batch])
        except BaseException as error:
            for t in batch:
                t.error, t.done = error, True
            return
        for t, result in zip(batch, results, strict=True):
            t.result, t.done = result, True
