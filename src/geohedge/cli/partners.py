"""``geohedge partners`` and ``geohedge portfolio``: who to deepen ties with, what it buys, and
a partner portfolio against great-power shocks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer

from geohedge.cli._common import (
    check_format,
    console,
    open_store,
    progress,
    write_frame,
)
from geohedge.errors import InputError

FORMATS = ("table", "csv", "json", "parquet")


def register(app: typer.Typer) -> None:
    """Add ``geohedge partners`` and ``geohedge portfolio`` to the root app."""
    app.command("partners")(partners_cmd)
    app.command("portfolio")(portfolio_cmd)


def _pct(value: float, option: str, lo: float = 0.0, hi: float = 100.0) -> float:
    if not (lo <= value <= hi):
        raise InputError(f"{option} {value:g} must be a percentage in [{lo:g}, {hi:g}]")
    return value / 100.0


def _num(v: object, spec: str) -> str:
    return "" if v is None or (isinstance(v, float) and not np.isfinite(v)) else format(v, spec)


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The ranking's main columns for reading in a terminal (csv, json and parquet carry all of them)."""
    return pd.DataFrame({
        "rank": frame["rank"], "partner": frame["partner"],
        "score pp": [_num(v, ".3f") for v in frame["score_pp"]],
        "80% rank": [f"{int(a)}-{int(b)}" if np.isfinite(a) else "" for a, b in zip(frame["rank_p10"], frame["rank_p90"], strict=True)],
        "VA red. pp": [_num(v, "+.2f") for v in frame["va_exposure_reduction_pp"]],
        "CVaR red. pp": [_num(v, "+.2f") for v in frame["cvar_reduction_pp"]],
        "fits pp": [_num(v, ".2f") for v in frame["shift_pp"]],
        "quality": [_num(v, ".2f") for v in frame["quality"]],
        "WGI": [_num(v, "+.2f") for v in frame["stability_wgi"]],
        "FTA": ["since " + d[:4] if d else "" for d in frame["agreement_since"].fillna("")],
        "trade": [_num(v, ".1%") for v in frame["trade_share"]],
        "flags": [f.split(": ")[0] if f.startswith("imputed") else f.replace("; imputed: ", "; imputed|").split("|")[0] for f in frame["flags"]],
    })


def partners_cmd(
    country: Annotated[str, typer.Argument(help="Home country: ISO3, ISO2 or name, e.g. MYS.")],
    top: Annotated[int, typer.Option(help="Show the N best partners (the table always keeps --show partners).")] = 15,
    weights: Annotated[Path | None, typer.Option(help="TOML scoring profile (see geohedge/_data/partner_weights.toml).")] = None,
    show: Annotated[list[str], typer.Option(help="Partner kept in the table whatever its rank, with what holds it back (repeatable).")] = ["TUR"],
    seed: Annotated[int, typer.Option(help="Seed of the weight and input draws behind the rank intervals.")] = 0,
    deepen: Annotated[str | None, typer.Option(help="Quantify deepening ties with this partner (shock-model scenario).")] = None,
    cost_cut: Annotated[float, typer.Option(help="With --deepen: cut in trade costs both ways, percent.")] = 20.0,
    elasticities: Annotated[str, typer.Option(help="With --deepen: trade elasticities, uniform (theta 5) or cp2015.")] = "uniform",
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write the table to this file.")] = None,
) -> None:
    """Rank COUNTRY's partners by the great-power exposure reduction they can deliver within
    capacity, discounted by reliability (with 80% rank intervals), or (--deepen) what deepening
    ties with one partner buys."""
    from geohedge.countries import resolve

    check_format(fmt, FORMATS)
    iso = resolve(country)
    if deepen is not None:
        _deepen(iso, resolve(deepen), cost_cut, elasticities, fmt, out)
        return
    if top < 1:
        raise InputError(f"--top must be at least 1, got {top}")
    if seed < 0:
        raise InputError(f"--seed must be a non-negative integer, got {seed}")
    from geohedge.partners import explain_partner
    from geohedge.partners.scoring import default_weights, load_weights
    from geohedge.views.partners import partner_ranking

    w = load_weights(weights) if weights is not None else default_weights()
    keep = [p for p in dict.fromkeys(resolve(s) for s in show) if p != iso]
    with open_store(read_only=True) as store, progress(f"Scoring {iso}'s partners") as bar:
        res = partner_ranking(store, iso, weights=w, seed=seed, progress=bar)
    frame = res.to_frame()
    shown = frame[((frame["rank"] <= top) & frame["reduces_exposure"]) | frame["partner"].isin(keep)]
    if fmt == "table" and out is None:
        console.print(res.summary())
        for note in res.notes:
            console.print(f"note: {note}", style="dim")
        write_frame(display_table(shown), fmt, None, title=f"{iso}: partners that would reduce its great-power exposure ({res.weights.origin}; seed {seed})",
                    caption=res.provenance.label())
        for p in keep:
            if p in set(frame["partner"]):
                console.print(explain_partner(res, p).summary())
            else:
                console.print(f"{p} is not a separate region of the ICIO {res.year} table, so it cannot be scored.")
        return
    write_frame(shown, fmt, out, title=f"{iso}: partners ranked ({res.weights.origin})", caption=res.provenance.label())


def _deepen(iso: str, partner: str, cost_cut: float, elasticities: str, fmt: str, out: Path | None) -> None:
    from geohedge.views.partners import deepen_ties

    if elasticities not in ("uniform", "cp2015"):
        raise InputError(f"--elasticities {elasticities!r}: use uniform or cp2015")
    with open_store(read_only=True) as store:
        res = deepen_ties(store, iso, partner, cost_cut=cost_cut, elasticities=elasticities)
    if fmt == "table" and out is None:
        console.print(res.summary())
        console.print(f"solver: {res.convergence}", style="dim")
        for note in res.notes:
            console.print(f"note: {note}", style="dim")
    write_frame(res.to_frame(), fmt, out, title=f"{iso}-{partner}: deeper ties", caption=res.provenance.label())


def portfolio_cmd(
    country: Annotated[str, typer.Argument(help="Home country: ISO3, ISO2 or name, e.g. MYS.")],
    max_shift: Annotated[float, typer.Option(help="Cap on total reallocation, percent of trade.")] = 10.0,
    growth: Annotated[float, typer.Option(help="Capacity: trade with a partner can grow at most this much, percent.")] = 50.0,
    flow: Annotated[str, typer.Option(help="exports or imports.")] = "exports",
    alpha: Annotated[float, typer.Option(help="CVaR level, percent (0 = expected loss).")] = 50.0,
    show_frontier: Annotated[bool, typer.Option("--frontier", help="Output the efficient frontier instead of the target shares.")] = False,
    top: Annotated[int, typer.Option(help="Table output: show the N partners with the largest target shares (csv, json and parquet get all).")] = 15,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write the table to this file.")] = None,
) -> None:
    """Target shares of COUNTRY's exports (or imports) by partner that minimise the CVaR of the loss
    across great-power shock scenarios, within capacity and reallocation limits."""
    from geohedge.countries import resolve
    from geohedge.views.partners import (
        partner_frontier,
        partner_portfolio,
        scenario_losses,
    )

    check_format(fmt, FORMATS)
    if flow not in ("exports", "imports"):
        raise InputError(f"--flow {flow!r}: use exports or imports")
    r = _pct(max_shift, "--max-shift")
    g = _pct(growth, "--growth", 0.0, 1000.0)
    a = _pct(alpha, "--alpha", 0.0, 99.0)
    iso = resolve(country)
    with open_store(read_only=True) as store, progress(f"Great-power scenarios for {iso}") as bar:
        losses = scenario_losses(store, iso, flow=flow, progress=bar)
    if show_frontier:
        shifts = sorted({0.0, 0.02, 0.05, 0.10, 0.15, 0.20, 0.30, r})
        fr = partner_frontier(None, iso, flow=flow, alpha=a, growth=g, shifts=shifts, losses=losses)
        if fmt == "table" and out is None:
            console.print(fr.summary())
        write_frame(fr.to_frame(), fmt, out, title=f"{iso} {flow}: CVaR loss against reallocation", caption=fr.provenance.label())
        return
    res = partner_portfolio(None, iso, max_shift=r, flow=flow, alpha=a, growth=g, losses=losses)
    frame = res.to_frame()
    if fmt == "table" and out is None:
        console.print(res.summary())
        for name, title, wl in zip(losses.scenarios, losses.titles, losses.welfare, strict=True):
            console.print(f"scenario {name}: {title} ({iso} welfare {wl:+.3%})", style="dim")
        frame = frame.head(top)
    write_frame(frame, fmt, out, title=f"{iso} {flow}: target shares (max shift {r:.0%}, growth cap {g:.0%})", caption=res.provenance.label())
