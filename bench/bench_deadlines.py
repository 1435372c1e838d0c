"""Time the deadline computation: every receipt day over ten years, repeated.

For each day from 2016-01-01 to 2025-12-31 the report's three deadlines are computed
(skyddsbedömning, förhandsbedömning, and an investigation opened ten days after receipt),
so the run crosses the switch from SoL 2001:453 to SoL 2025:400. Then the later rules
(issue 12): for each rule and each event day from 2016-01-01 to 2027-12-31 that the law
in force that day has, one `later_deadline` call. Prints figures only; nothing here fails
on time.

    .venv/bin/python bench/bench_deadlines.py [--iterations N]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import Counter
from datetime import date, timedelta

from barnskydd.law.rules import LATER_RULE_NAMES, deadlines, later_deadline, rule_set_for

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


LATER_LAST = date(2027, 12, 31)


def later_events() -> list[tuple[str, date]]:
    """Return (rule, event day) for every later rule the law of the event day has."""
    events = []
    day = FIRST
    while day <= LATER_LAST:
        rule_set = rule_set_for(day)
        for name in LATER_RULE_NAMES:
            rule = rule_set.rule(name)
            if rule is not None and rule.applies_to_event(day):
                events.append((name, day))
        day += timedelta(days=1)
    return events


def run_later(events: list[tuple[str, date]]) -> None:
    """Compute one later deadline per (rule, event day)."""
    for name, day in events:
        later_deadline(name, day)


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

    events = later_events()
    per_rule = Counter(name for name, _ in events)
    run_later(events)  # warm the holiday years past 2025
    later_passes = max(1, iterations // 5)
    started = time.perf_counter()
    for _ in range(later_passes):
        run_later(events)
    later_time = time.perf_counter() - started
    done = len(events) * later_passes
    print(
        f"later:      {len(events)} (rule, event day) pairs {FIRST}..{LATER_LAST} "
        f"({', '.join(f'{name}: {n}' for name, n in per_rule.items())})"
    )
    print(
        f"timed:      {later_passes} passes, {done} later deadlines in {later_time:.3f} s, "
        f"rate {done / later_time:,.0f} deadlines/s"
    )


if __name__ == "__main__":
    main()
