"""A long writer in one process (the import) and the cyclic collector.

Such a writer holds what it has built to its end (the source it read, the cases it made, the
session's rows), so every full collection walks all of it again: a cost that grows with the
run. `frozen` hands out `gc.freeze`, which moves what is alive now out of the collector's
sight, and gives it back at the end; garbage made after a freeze is collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def frozen() -> Iterator[Callable[[], None]]:
    """Yield `gc.freeze` to call now and then; everything frozen is unfrozen at the end."""
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
