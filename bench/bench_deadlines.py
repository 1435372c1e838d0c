"""Time the deadline computation: every receipt day over ten years, repeated.

For each day from 2016-01-01 to 2025-12-31 the report's three deadlines are computed
(skyddsbedömning, förhandsbedömning, and an investigation opened ten days after receipt),
so the run crosses the switch from SoL 2001:453 to SoL 2025:400. Prints figures only;
nothing here fails on time.

    .venv/bin/python bench/bench_deadlines.py [--iterations N]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import Counter
from datetime import date, timedelta

from barnskydd.law.rules import deadlines

FIRST = date(2016, 1, 1)
LAST = date(2025, 12, 31)
INVESTIGATION_AFTER = timedelta(days=10)
DEADLINES_PER_REPORT = 3


def receipt_days() -> list[date]:
    """Return every day from FIRST to LAST."""
    return [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]


def run_once(days: list[date]) -> Counter[str]:
    """Compute the deadlines of one report per day; count reports per law."""
    laws: Counter[str] = Counter()
    for received in days:
        laws[deadlines(received, received + INVESTIGATION_AFTER).law] += 1
    return laws


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description="Time the deadline computation.")
    parser.add_argument("--iterations", type=int, default=50, help="timed passes (default 50)")
    iterations = parser.parse_args().iterations

    days = receipt_days()
    started = time.perf_counter()
    laws = run_once(days)  # first pass loads the rule sets and the holiday years
    cold = time.perf_counter() - started

    started = time.perf_counter()
    for _ in range(iterations):
        run_once(days)
    warm = time.perf_counter() - started

    reports = len(days) * iterations
    computed = reports * DEADLINES_PER_REPORT
    cpu = platform.processor() or platform.machine()
    print(f"machine:    {platform.platform()}, {os.cpu_count()} CPUs ({cpu})")
    print(f"python:     {platform.python_implementation()} {platform.python_version()}")
    print(
        f"data:       {len(days)} receipt days {FIRST}..{LAST} "
        f"({', '.join(f'{law}: {n}' for law, n in sorted(laws.items()))}), "
        f"{DEADLINES_PER_REPORT} deadlines each, investigation opened receipt + "
        f"{INVESTIGATION_AFTER.days} days"
    )
    print(f"first pass: {cold * 1000:.1f} ms (loads rule sets and holiday years)")
    print(
        f"timed:      {iterations} passes, {reports} reports, {computed} deadlines in {warm:.3f} s"
    )
    print(f"rate:       {computed / warm:,.0f} deadlines/s ({reports / warm:,.0f} reports/s)")


if __name__ == "__main__":
    main()
