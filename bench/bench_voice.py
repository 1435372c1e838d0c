"""Time the voice report over ten synthetic Göteborg-size years of anonymous responses.

The responses are drawn straight into `voice_response` (the report reads nothing else), with
the synthetic municipality's calibration (barnskydd.synth.voice): about 8,500 follow-ups a
year in ten units, Göteborg's size (the generator at scale 0.2 gives about 1,700 a year in
2025). Then `voice report` is run for each of the ten years into a temporary directory: the
SQL grouping, the suppression with its complements and the CSV files. Prints figures only;
nothing here fails on time.

    .venv/bin/python bench/bench_voice.py [--per-year N] [--units N]

At full size on the answers the synthetic municipality itself records (bench_web's database:
one Göteborg year generated through the service layer, its follow-ups with the child's voice
and the anonymous `voice_response` rows, replicated to --years years; cached in bench/out/
and copied before use), on SQLite or PostgreSQL (a throwaway server from the cached dump):

    .venv/bin/python bench/bench_voice.py --replicated --years 10 [--backend sqlite|postgresql|both]

`voice report` is then run for every year that holds responses. The load average is printed;
on this shared machine the figures are pessimistic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_web, next to this file
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `tests` imports

import bench_web as web
from barnskydd.core import migrate
from barnskydd.core.db import make_engine, session_factory, transaction
from barnskydd.staff import service as staff
from barnskydd.synth import voice as synth_voice
from barnskydd.voice import report
from barnskydd.voice.codes import VoiceContext, VoiceStatus
from barnskydd.voice.itemset import THEMES, item_set
from barnskydd.voice.models import VoiceResponse

FIRST_YEAR, YEARS = 2016, 10
GOTEBORG = "1480"
CATEGORIES = ("open_care", "family_home", "residential_hvb", "other")


def _rows(rng: random.Random, year: int, units: list[int], count: int) -> list[dict[str, object]]:
    """Draw one year's anonymous responses as the follow-ups of the synthetic municipality do."""
    items = item_set()
    rows = []
    for _ in range(count):
        band = rng.choices(items.band_ids, weights=(2, 3, 5))[0]
        data = synth_voice.follow_up_input(rng, band, dt.date(year, 6, 1))
        scores: dict[str, int | None] = dict.fromkeys(THEMES)
        if data.voice_status is VoiceStatus.ANSWERED:
            answers = synth_voice.answers(rng, band, boy=rng.random() < 0.5)
            by_id = {i.id: i.theme for i in items.items[band]}
            scores.update({by_id[k]: v for k, v in answers.values.items()})
        rows.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128)).hex,
                "municipality_code": GOTEBORG,
                "unit_id": rng.choice(units),
                "month": f"{year:04d}-{rng.randint(1, 12):02d}",
                "context": VoiceContext.INTERVENTION_FOLLOW_UP,
                "status": data.voice_status,
                "reason": data.voice_reason,
                "band": band,
                "gender": rng.choice(("girl", "boy")),
                "intervention_category": rng.choice(CATEGORIES),
                "item_set_version": items.version,
                **scores,
            }
        )
    return rows


def _report_years(url: str, folder: Path) -> None:
    """Run the report for every year with responses; print time, cells and peak memory."""
    engine = make_engine(url)
    factory = session_factory(engine)
    with factory() as session:
        months = session.execute(
            select(func.min(VoiceResponse.month), func.max(VoiceResponse.month))
        ).one()
    years = range(int(months[0][:4]), int(months[1][:4]) + 1)
    tracemalloc.start()
    timings, suppressed, cells = [], 0, 0
    for year in years:
        with transaction(factory) as session:
            begin = time.perf_counter()
            written = report.write(session, year, folder / f"out-{year}")
            timings.append(time.perf_counter() - begin)
            suppressed += written.suppressed
            cells += written.cells
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    engine.dispose()
    spread = f"per year: min {min(timings):.2f} s, max {max(timings):.2f} s"
    print(f"  report:         {sum(timings):.2f} s for {len(years)} years "
          f"{years[0]}-{years[-1]} ({spread})")  # fmt: skip
    print(f"  suppressed:     {suppressed} of {cells} cells")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory:    {peak / 2**20:.1f} MiB traced in the report; process max RSS "
          f"{rss:.0f} MiB")  # fmt: skip
    print(f"  load:           {web._load()} at the end")


def replicated(backend: str, years: int) -> None:
    """Run the report on a copy of bench_web's N-year database."""
    with web.replicated(backend, years) as url, tempfile.TemporaryDirectory() as folder:
        print(f"[{backend}]")
        web.print_rows(url, ("voice_response", "child_voice_record", "child_voice_answer"))
        _report_years(url, Path(folder))


def main() -> None:
    """Build the data, run the report for each year and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-year", type=int, default=8500)
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--replicated", action="store_true", help="bench_web's replicated years")
    parser.add_argument("--years", type=int, default=10, help="with --replicated: years (10)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    args = parser.parse_args()
    if args.replicated:
        web.print_header(args.years)
        for backend in ("sqlite", "postgresql"):
            if args.backend in (backend, "both"):
                replicated(backend, args.years)
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'voice.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        factory = session_factory(engine)
        rng = random.Random(1)
        started = time.perf_counter()
        with transaction(factory) as session:
            units = [
                staff.create_unit(
                    session, name=f"Göteborg enhet {n + 1}", municipality_code=GOTEBORG
                ).id
                for n in range(args.units)
            ]
            for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
                session.execute(insert(VoiceResponse), _rows(rng, year, units, args.per_year))
        built = time.perf_counter() - started
        with transaction(factory) as session:
            total = session.scalar(select(func.count()).select_from(VoiceResponse)) or 0
        tracemalloc.start()
        timings, suppressed, cells = [], 0, 0
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            with transaction(factory) as session:
                begin = time.perf_counter()
                written = report.write(session, year, Path(folder) / f"out-{year}")
                timings.append(time.perf_counter() - begin)
                suppressed += written.suppressed
                cells += written.cells
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        engine.dispose()
    cpu = platform.processor() or platform.machine()
    print(f"machine:     {platform.platform()}, {os.cpu_count()} CPUs ({cpu}), SQLite")
    print(f"python:      {platform.python_implementation()} {platform.python_version()}")
    print(
        f"data:        {total:,} responses, {YEARS} years x {args.per_year:,}, {args.units} units"
    )
    print(f"build:       {built:.1f} s (drawing and inserting, not measured below)")
    spread = f"per year: min {min(timings):.2f} s, max {max(timings):.2f} s"
    print(f"report:      {sum(timings):.2f} s for {YEARS} years ({spread})")
    print(f"suppressed:  {suppressed} of {cells} cells")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory: {peak / 2**20:.1f} MiB traced in the report; process max RSS {rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
