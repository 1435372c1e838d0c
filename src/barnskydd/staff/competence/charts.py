"""The chart of the Öppna jämförelser page: shares of the case workers (SVG, matplotlib Agg)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

_SVG = {"Date": None}  # no timestamp, so the same figures give the same file
BAR = "#1f4e79"  # 9.5:1 against white


def indicators_svg(rows: Sequence[Mapping[str, object]], title: str) -> str:
    """Return a horizontal bar chart of each indicator's share (%), labelled with its value."""
    labels = [str(r["label"]) for r in rows]
    shares = [float(str(r["share"])) * 100 if r["share"] is not None else 0.0 for r in rows]
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(rows) + 1.2))
    positions = list(range(len(rows)))[::-1]
    ax.barh(positions, shares, color=BAR)
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=9)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Andel av handläggarna (%)")
    ax.set_title(title, fontsize=10)
    for y, share, row in zip(positions, shares, rows, strict=True):
        text = "–" if row["share"] is None else f"{share:.0f} %"
        ax.text(min(share + 1, 92), y, text, va="center", fontsize=9, color="#1a1a1a")
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata=_SVG)
    plt.close(fig)
    return buffer.getvalue()
