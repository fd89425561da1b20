"""Charts for the brief, drawn with matplotlib to self-contained SVG text.

SVG embeds directly in the HTML (no CDN, no scripts) and converts cleanly to PDF. Every
function returns the SVG markup as a string; nothing is written to disk. Fonts are
converted to paths so the chart looks the same on any machine.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

__all__ = ["PALETTE", "bar_chart", "line_chart", "scatter_chart"]

#: Colour-blind-safe palette (Okabe & Ito 2008), in the order series are drawn.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")

_RC = {
    "svg.fonttype": "path",
    "svg.hashsalt": "geohedge",  # deterministic ids: same input, same SVG
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
}


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # The RDF metadata block only names its vocabularies by URL; drop it so the page
    # holds no address but the SVG namespace itself.
    return re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float] | dict[str, Sequence[float]],
    *,
    title: str,
    xlabel: str = "",
    horizontal: bool = True,
    percent: bool = False,
    width: float = 6.0,
) -> str:
    """Horizontal (default) or vertical bars; ``values`` may be a dict of named series (grouped bars)."""
    series = values if isinstance(values, dict) else {"": values}
    n = len(labels)
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(width, max(1.8, 0.28 * n * max(1, len(series) * 0.6) + 0.8)) if horizontal else (width, 3.2))
        k = len(series)
        h = 0.8 / k
        for s, (name, vals) in enumerate(series.items()):
            pos = [i + (s - (k - 1) / 2) * h for i in range(n)]
            vals = [v * 100 if percent else v for v in vals]
            if horizontal:
                ax.barh(pos, vals, height=h, color=PALETTE[s % len(PALETTE)], label=name or None)
            else:
                ax.bar(pos, vals, width=h, color=PALETTE[s % len(PALETTE)], label=name or None)
        if horizontal:
            ax.set_yticks(range(n), labels)
            ax.invert_yaxis()
            ax.set_xlabel(xlabel + (" (%)" if percent and "%" not in xlabel else ""))
            ax.axvline(0, color="#333", lw=0.6)
        else:
            ax.set_xticks(range(n), labels, rotation=45 if n > 6 else 0, ha="right" if n > 6 else "center")
            ax.set_ylabel(xlabel + (" (%)" if percent and "%" not in xlabel else ""))
            ax.axhline(0, color="#333", lw=0.6)
        if k > 1:
            ax.legend(frameon=False, fontsize=8)
        ax.set_title(title, loc="left")
        return _svg(fig)


def line_chart(
    x: Sequence[float],
    series: dict[str, Sequence[float]],
    *,
    title: str,
    ylabel: str = "",
    percent: bool = False,
    width: float = 6.0,
) -> str:
    """One line per named series over a shared x axis (years, dates)."""
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(width, 3.0))
        for s, (name, ys) in enumerate(series.items()):
            ys = [y * 100 if percent and y is not None else y for y in ys]
            ax.plot(list(x), ys, color=PALETTE[s % len(PALETTE)], lw=1.6, label=name)
        ax.set_ylabel(ylabel + (" (%)" if percent and "%" not in ylabel else ""))
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=8)
        ax.set_title(title, loc="left")
        return _svg(fig)


def scatter_chart(
    x: Sequence[float],
    y: Sequence[float],
    labels: Sequence[str],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    highlight: Sequence[str] = (),
    width: float = 6.0,
) -> str:
    """Labelled points (e.g. partners by reliability and potential); ``highlight`` labels in colour."""
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(width, 4.0))
        hi = set(highlight)
        colors = [PALETTE[1] if lab in hi else PALETTE[0] for lab in labels]
        ax.scatter(list(x), list(y), c=colors, s=18)
        for xi, yi, lab in zip(x, y, labels, strict=True):
            ax.annotate(lab, (xi, yi), fontsize=7, xytext=(3, 2), textcoords="offset points")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title, loc="left")
        return _svg(fig)
