"""Charts of a release (SVG, matplotlib's Agg backend so no display is needed)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from barnskydd.cases.codes import REPORTER_LABELS, ReporterCategory
from barnskydd.stats.measures import MEASURES_BY_NAME

if TYPE_CHECKING:
    from barnskydd.stats.release import Release

_SVG = {"Date": None}  # no timestamp, so the same release gives the same file


def write(release: Release, directory: Path) -> list[str]:
    """Write the charts and return their paths relative to the release directory."""
    directory.mkdir()
    year = release.years[-1]
    files = [
        _funnel(release, year, directory / f"anmalare_{year}.svg"),
        _children(release, directory / "barn_per_ar.svg"),
    ]
    return [f"charts/{f.name}" for f in files]


def _funnel(release: Release, year: int, path: Path) -> Path:
    """Plot reports and opened investigations per reporter category for one year."""
    rows = release.rows(MEASURES_BY_NAME["funnel_by_reporter"], year)
    rows.sort(key=lambda r: r["reports"] or 0)
    labels = [REPORTER_LABELS[ReporterCategory(str(r["reporter_category"]))] for r in rows]
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.barh(labels, [r["reports"] or 0 for r in rows], label="Anmälningar", color="#9bb7d4")
    ax.barh(
        labels,
        [r["investigation_opened"] or 0 for r in rows],
        label="Utredning inleds",
        color="#1f4e79",
    )
    ax.set_title(f"Anmälningar och inledda utredningar per anmälare {year}")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata=_SVG)
    plt.close(fig)
    return path


def _children(release: Release, path: Path) -> Path:
    """Plot reported and re-reported children per year."""
    rows = release.tables["rereports"]
    years = [int(r["year"]) for r in rows]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(years, [r["children"] or 0 for r in rows], marker="o", label="Anmälda barn")
    ax.plot(
        years,
        [r["children_rereported_within_12_months"] or 0 for r in rows],
        marker="o",
        label="Anmälda igen inom 12 månader",
    )
    ax.set_xticks(years)
    ax.set_ylim(bottom=0)
    ax.set_title("Barn som anmälts, per år")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata=_SVG)
    plt.close(fig)
    return path
