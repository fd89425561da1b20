"""Charts for the brief, drawn with matplotlib to self-contained SVG text.

SVG embeds directly in the HTML (no CDN, no scripts) and converts cleanly to PDF. Every
function returns the SVG markup as a string; nothing is written to disk. Fonts are
converted to paths so the chart looks the same on any machine.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

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


@contextmanager
def _figure(figsize: tuple[float, float]) -> Iterator[tuple[object, object]]:
    """A figure and its axes under the house style, closed whatever happens (a chart that
    fails must not leave its figure open for the next one)."""
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=figsize)
        try:
            yield fig, ax
        finally:
            plt.close(fig)


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
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
    size = (width, max(1.8, 0.28 * n * max(1, len(series) * 0.6) + 0.8)) if horizontal else (width, 3.2)
    with _figure(size) as (fig, ax):
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
    ylim: tuple[float, float] | None = None,
    secondary: dict[str, Sequence[float]] | None = None,
    secondary_label: str = "",
    secondary_ylim: tuple[float, float] | None = None,
) -> str:
    """One line per named series over a shared x axis (years, dates).

    ``percent`` multiplies the left-axis series by 100. Series in another unit (an index
    0-1 beside shares in %) go in ``secondary``, drawn dashed against a right axis of their
    own, so that no quantity is read on another's scale.

    Raises
    ------
    ValueError
        A series whose length differs from ``x`` (the caller must align it first).
    """
    xs = list(x)
    for name, ys in {**series, **(secondary or {})}.items():
        if len(ys) != len(xs):
            raise ValueError(f"series {name!r} has {len(ys)} values for {len(xs)} x positions")
    with _figure((width, 3.0)) as (fig, ax):
        handles = []
        for s, (name, ys) in enumerate(series.items()):
            ys = [y * 100 if percent and y is not None else y for y in ys]
            handles += ax.plot(xs, ys, color=PALETTE[s % len(PALETTE)], lw=1.6, label=name)
        ax.set_ylabel(ylabel + (" (%)" if percent and "%" not in ylabel else ""))
        if ylim is not None:
            ax.set_ylim(*ylim)
        if secondary:
            ax2 = ax.twinx()
            ax2.spines["right"].set_visible(True)
            for s, (name, ys) in enumerate(secondary.items(), start=len(series)):
                handles += ax2.plot(xs, list(ys), color=PALETTE[s % len(PALETTE)], lw=1.4, ls="--", label=name)
            ax2.set_ylabel(secondary_label)
            if secondary_ylim is not None:
                ax2.set_ylim(*secondary_ylim)
        if len(handles) > 1:
            ax.legend(handles=handles, labels=[h.get_label() for h in handles], frameon=False, fontsize=8)
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
    """Labelled points (e.g. partners by reliability and potential); ``highlight`` labels in colour.

    Labels never overlap each other: each is placed at the first of eight positions around
    its point whose box is free, highlighted points first; a point with no free position
    stays unlabelled (the table beside the chart lists every value).
    """
    with _figure((width, 4.0)) as (fig, ax):
        hi = set(highlight)
        colors = [PALETTE[1] if lab in hi else PALETTE[0] for lab in labels]
        ax.scatter(list(x), list(y), c=colors, s=18)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title, loc="left")
        _place_labels(fig, ax, list(x), list(y), list(labels), hi)
        return _svg(fig)


_OFFSETS = ((4, 3), (4, -9), (-4, 3), (-4, -9), (0, 6), (0, -12), (8, -3), (-8, -3))


def _place_labels(fig, ax, xs: list[float], ys: list[float], labels: list[str], hi: set[str]) -> None:
    renderer = fig.canvas.get_renderer()
    taken = []
    order = sorted(range(len(labels)), key=lambda k: (labels[k] not in hi, k))
    points = ax.transData.transform(list(zip(xs, ys, strict=True))) if xs else []
    for k in order:
        for dx, dy in _OFFSETS:
            ann = ax.annotate(labels[k], (xs[k], ys[k]), fontsize=7, xytext=(dx, dy), textcoords="offset points",
                              ha="left" if dx >= 0 else "right", color=PALETTE[1] if labels[k] in hi else "#333")
            box = ann.get_window_extent(renderer).expanded(1.05, 1.1)
            clash = any(box.overlaps(b) for b in taken) or any(
                box.contains(px, py) for j, (px, py) in enumerate(points) if j != k)
            if not clash:
                taken.append(box)
                break
            ann.remove()
