"""The small 7-day sentiment chart of the digest: a PNG (matplotlib, Agg backend), French labels.

Stacked bars per local day (négatif, neutre, positif, non évalué), the day covered highlighted.
Drawn at twice its display size (520 × 230 CSS pixels) so it stays sharp on phones.
"""

from __future__ import annotations

import io
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display, whatever the environment says

from matplotlib.figure import Figure

from vigie.digest import french

WIDTH, HEIGHT = 520, 230   # display size in CSS pixels; the PNG is twice as large
COLOURS = {"negative": "#dc2626", "neutral": "#9ca3af", "positive": "#16a34a", "unknown": "#e5e7eb"}
LABELS = {"negative": "Négatif", "neutral": "Neutre", "positive": "Positif", "unknown": "Non évalué"}


def sentiment_chart(daily: list[dict]) -> bytes:
    """PNG of ``daily`` (dicts with date, negative, neutral, positive, unknown), oldest first."""
    fig = Figure(figsize=(WIDTH / 100, HEIGHT / 100), dpi=200)
    ax = fig.add_axes((0.03, 0.14, 0.94, 0.7))
    days = [date.fromisoformat(d["date"]) for d in daily]
    xs = list(range(len(daily)))
    bottom = [0] * len(daily)
    for key in ("negative", "neutral", "positive", "unknown"):
        values = [d.get(key, 0) for d in daily]
        if not any(values) and key == "unknown":
            continue
        ax.bar(xs, values, bottom=bottom, color=COLOURS[key], width=0.62, label=LABELS[key], linewidth=0)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    top = max(bottom) if bottom and max(bottom) else 1
    for x, total in zip(xs, bottom, strict=True):
        ax.text(x, total + top * 0.03, french.number(total), ha="center", va="bottom", fontsize=10, color="#374151")
    ax.set_xticks(xs, [french.chart_day(d) for d in days], fontsize=10, color="#374151")
    if xs:
        ax.get_xticklabels()[-1].set_fontweight("bold")
        ax.axvspan(xs[-1] - 0.45, xs[-1] + 0.45, color="#dbeafe", zorder=0)
    ax.set_ylim(0, top * 1.22)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#d1d5db")
    ax.tick_params(axis="x", length=0)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=10, frameon=False,
              handlelength=1, handleheight=1, columnspacing=1.2)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()
