"""``geohedge scenario``: run, validate and list shock scenarios; Monte Carlo over elasticities."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from geohedge.cli._common import (
    check_format,
    console,
    open_store,
    progress,
    write_frame,
)
from geohedge.errors import InputError

scenario_app = typer.Typer(help="General-equilibrium shock scenarios (tariffs, trade costs, embargoes).", no_args_is_help=True)

VIEWS = ("countries", "welfare", "decomposition", "sectors", "bilateral", "diversion", "diversions", "concentration", "blocs", "tariffs")
FOCUS_VIEWS = ("diversion", "diversions", "concentration", "blocs")
ROW_MODES = ("fold", "region")


def register(app: typer.Typer) -> None:
    """Add ``geohedge scenario ...`` to the root app."""
    app.add_typer(scenario_app, name="scenario")


def _scenario(spec: str):
    from geohedge.shocks.scenario import builtin_scenarios, load_scenario

    path = Path(spec)
    if path.is_file():
        return load_scenario(path)
    known = builtin_scenarios()
    if spec in known:
        return known[spec]
    if path.suffix.lower() == ".toml" or "/" in spec:
        return load_scenario(path)  # raises: file not found, naming the built-ins
    raise InputError(f"{spec!r} is neither a scenario file nor a built-in scenario; built-in: {', '.join(known)}")


def _baseline(year: int, rest_of_world: str = "fold"):
    from geohedge.views.baseline import query_baseline

    with open_store(read_only=True) as store:
        return query_baseline(store, year, rest_of_world=rest_of_world)


def _stderr() -> Console:
    return Console(stderr=True)


@scenario_app.command("run")
def run_cmd(
    spec: Annotated[str, typer.Argument(metavar="FILE|NAME", help="Scenario TOML file or built-in name (see 'scenario examples').")],
    focus: Annotated[str | None, typer.Option(help="Focus country for the trade-diversion table, e.g. MYS.")] = None,
    view: Annotated[str | None, typer.Option(help=f"Table to output: {', '.join(VIEWS)} (default: diversion with --focus, else countries).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write the table to this file.")] = None,
    tol: Annotated[float, typer.Option(help="Solver tolerance.")] = 1e-8,
    rest_of_world: Annotated[str, typer.Option("--rest-of-world", help="fold (sales to the rest of the world folded into the 80 countries) or region (kept as a buyer-only region ROW).")] = "fold",
) -> None:
    """Solve a scenario on the ICIO table and show welfare (exact and CP2015's decomposition), prices, trade and diversion."""
    from geohedge.countries import resolve
    from geohedge.shocks.model import solve

    check_format(fmt, ("table", "csv", "json", "parquet"))
    view = view or ("diversion" if focus else "countries")
    if view not in VIEWS:
        raise InputError(f"unknown view {view!r}; use one of {', '.join(VIEWS)}")
    if view in FOCUS_VIEWS and not focus:
        raise InputError(f"--view {view} needs --focus COUNTRY")
    if rest_of_world not in ROW_MODES:
        raise InputError(f"--rest-of-world {rest_of_world!r} is not understood; use fold or region")
    iso = resolve(focus) if focus else None
    scenario = _scenario(spec)
    base = _baseline(scenario.base_year, rest_of_world)
    if iso is not None and iso not in base.countries:
        raise InputError(f"{iso} is not a separate region of the ICIO {base.year} table; use one of its {base.N} regions")
    result = solve(base, scenario, tol=tol)
    if view == "countries":
        frame = result.to_frame().sort_values("welfare_change", ignore_index=True)
    elif view == "welfare":
        frame = result.welfare_frame()
    elif view == "decomposition":
        frame = result.decomposition_frame(iso)
    elif view == "sectors":
        frame = result.sectors_frame(iso)
    elif view == "bilateral":
        frame = result.bilateral_frame()
    elif view == "tariffs":
        frame = result.tariffs_frame(by_sector=True)
    elif view == "diversions":
        frame = result.largest_diversions(iso, 10)
    else:
        div = result.diversion(iso)
        frame = {"diversion": div.to_frame(), "concentration": div.concentration, "blocs": div.blocs}[view]
    if fmt == "table" and out is None:
        console.print(f"[bold]{scenario.title or scenario.name}[/]")
        if scenario.source:
            console.print(f"source: {scenario.source}", style="dim")
        console.print(result.summary(iso))
        if iso is not None:
            console.print(result.diversion(iso).summary())
        for note in result.notes:
            console.print(f"note: {note}", style="dim")
        shocked = result.tariffs_frame()
        if not shocked.empty:
            shown = shocked.head(10).assign(tariff_base=lambda f: f["tariff_base"].map("{:.1%}".format),
                                            tariff_new=lambda f: f["tariff_new"].map("{:.1%}".format))
            write_frame(shown, "table", None, title=f"{scenario.name}: tariffs of the shocked flows ({len(shocked)} pairs; largest 10)",
                        caption="baseline and counterfactual ad valorem tariff, weighted by baseline trade over the shocked sectors; "
                                "--view tariffs for every sector")
        if iso is not None and view == "diversion":
            sec = result.sectors_frame(iso)
            sec = sec.reindex((sec["exports_base_usd_mn"] * sec["exports_change"].fillna(0)).abs().sort_values(ascending=False).index).head(10)
            write_frame(sec[["sector", "output_base_usd_mn", "output_change", "exports_base_usd_mn", "exports_change"]], "table", None,
                        title=f"{iso}: output and exports by sector (10 largest export changes; --view sectors for all)",
                        caption="relative changes; USD mn of the baseline year")
            write_frame(result.largest_diversions(iso, 10), "table", None, title=f"{iso}: the ten largest bilateral diversions",
                        caption="exports to and imports from each partner, USD mn, exporter prices")
            frame = frame.groupby("flow", group_keys=False).head(12)
    write_frame(frame, fmt, out, title=f"{scenario.name}: {view}", caption=result.provenance.label()
                + ("; welfare_change = real_income_change is exact (W_hat - 1); *_cp2015 columns: CP2015's linearised decomposition"
                   if view == "countries" else ""))


@scenario_app.command("validate")
def validate_cmd(
    file: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
) -> None:
    """Check a scenario file; print its shocks or a one-line error (exit code 2)."""
    from geohedge.shocks.scenario import load_scenario

    s = load_scenario(file)
    console.print(f"[bold]{s.name}[/]: valid ({len(s.shocks)} shocks, base year {s.base_year}, elasticities {s.elasticities.kind}, deficits {s.deficits})")
    for k, sh in enumerate(s.shocks):
        value = "" if sh.value is None else f" {sh.value:+g}{' pp' if sh.type == 'tariff' else '%'}"
        extra = [f"mode {sh.mode}"] if sh.mode != "add" else []
        extra += [f"coverage {sh.coverage:g}"] if sh.coverage != 1 else []
        extra += [f"combine {sh.combine}"] if sh.combine else []
        extra += [f"retaliation {sh.retaliation}"] if sh.retaliation != "none" else []
        def _ex(items: list[str]) -> str:
            return f" except {','.join(items)}" if items else ""
        console.print(f"  shocks[{k}] {sh.type}{value}: {','.join(sh.exporters)}{_ex(sh.except_exporters)} -> "
                      f"{','.join(sh.importers)}{_ex(sh.except_importers)}{' (both ways)' if sh.both_ways else ''}, "
                      f"sectors {','.join(sh.sectors)}{_ex(sh.except_sectors)}" + (f"; {'; '.join(extra)}" if extra else "")
                      + (f"  [{sh.label}]" if sh.label else ""))


@scenario_app.command("examples")
def examples_cmd() -> None:
    """List the built-in scenarios (run them by name)."""
    from geohedge.shocks.scenario import builtin_scenarios

    table = Table(title="Built-in scenarios")
    for col in ("name", "title", "shocks"):
        table.add_column(col)
    for name, s in builtin_scenarios().items():
        table.add_row(name, s.title, str(len(s.shocks)))
    console.print(table)
    console.print("run one: geohedge scenario run us-tariff-mys-24 --focus MYS", style="dim")


@scenario_app.command("montecarlo")
def montecarlo_cmd(
    spec: Annotated[str, typer.Argument(metavar="FILE|NAME", help="Scenario TOML file or built-in name.")],
    draws: Annotated[int, typer.Option(help="Number of elasticity draws.")] = 200,
    seed: Annotated[int | None, typer.Option(help="Random seed (same seed, same numbers).")] = None,
    focus: Annotated[str | None, typer.Option(help="Country to summarise, e.g. MYS.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write the table to this file.")] = None,
) -> None:
    """Welfare changes as medians and 90% bands over draws of the trade elasticities."""
    from geohedge.countries import resolve
    from geohedge.shocks.montecarlo import montecarlo_welfare

    check_format(fmt, ("table", "csv", "json", "parquet"))
    if draws < 1:
        raise InputError(f"--draws must be at least 1, got {draws}")
    iso = resolve(focus) if focus else None
    scenario = _scenario(spec)
    base = _baseline(scenario.base_year)
    with progress(f"Monte Carlo {scenario.name}") as bar:
        result = montecarlo_welfare(base, scenario, draws=draws, seed=seed, progress=bar)
    frame = result.to_frame().sort_values("welfare_change_median", ignore_index=True)
    if fmt == "table" and out is None:
        console.print(result.summary(iso))
        by_set = result.by_set()
        if iso is not None and not by_set.empty:
            write_frame(by_set[by_set["country"] == iso].sort_values("welfare_change_median", ignore_index=True), "table", None,
                        title=f"{iso}: median real income change by elasticity set", caption="exact W_hat - 1")
    write_frame(frame, fmt, out, title=f"{scenario.name}: welfare change over {len(result.draws)} draws", caption=result.provenance.label())
