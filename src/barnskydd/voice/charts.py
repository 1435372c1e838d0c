"""A chart of the voice report: the share positive per theme (SVG, matplotlib's Agg backend)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from barnskydd.voice.itemset import THEME_LABELS, THEMES

_SVG = {"Date": None}  # no timestamp, so the same figures give the same file


def shares_svg(series: dict[str, dict[str, str]], title: str) -> str:
    """Return an SVG bar chart of the share positive per theme, one bar per series (row)."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    width = 0.8 / max(1, len(series))
    colours = ("#1f4e79", "#9bb7d4", "#7a4b00", "#4a4a4a")
    for n, (name, shares) in enumerate(series.items()):
        xs = [i + n * width for i in range(len(THEMES))]
        ys = [float(shares[t]) * 100 if shares.get(t) else 0.0 for t in THEMES]
        ax.bar(xs, ys, width=width, label=name, color=colours[n % len(colours)])
    ax.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(THEMES))])
    ax.set_xticklabels([THEME_LABELS[t] for t in THEMES], rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("Andel positiva svar (%)")
    ax.set_ylim(0, 100)
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata=_SVG)
    plt.close(fig)
    return buffer.getvalue()
