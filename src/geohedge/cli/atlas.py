"""``geohedge atlas``: every target country against every great power's shock family, with
Monte Carlo over the trade elasticities, on ``dask.distributed``; ``atlas show`` ranks it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from geohedge.cli._common import FORMATS, check_format, console, open_store, print_frame, progress, write_frame
from geohedge.errors import InputError

atlas_app = typer.Typer(
    help="The vulnerability atlas: every country against every great power's shock, Monte Carlo over elasticities, on Dask.",
)


def register(app: typer.Typer) -> None:
    """Add ``geohedge atlas ...`` to the root app."""
    app.add_typer(atlas_app, name="atlas")


def _list(text: str | None, what: str) -> list[str] | None:
    if text is None:
        return None
    out = [t.strip() for t in text.split(",") if t.strip()]
    if not out:
        raise InputError(f"{what} {text!r} lists nothing; give comma-separated values")
    return out


@atlas_app.callback(invoke_without_command=True)
def run_cmd(
    ctx: typer.Context,
    targets: Annotated[str | None, typer.Option(help="Target countries, comma-separated (ISO3, ISO2 or names); default every region of the ICIO table.")] = None,
    shocks: Annotated[str | None, typer.Option(help="Shock families, comma-separated: <imposer>-tariff-<pp>, <imposer>-embargo, us-reciprocal-2025-04 or a stored schedule (us-2025-04-02); default the seven of 'atlas families'.")] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws of the trade elasticities per (target, shock).")] = 50,
    seed: Annotated[int, typer.Option(help="Random seed (same seed and inputs give the same stored results).")] = 0,
    elasticities: Annotated[str, typer.Option(help="Central elasticities of the point solve: cp2015 or a published set (BSY2021, ...).")] = "cp2015",
    across_sets: Annotated[str, typer.Option("--across-sets", help="Published sets each draw picks from ('all', a comma-separated list, or 'none' to draw around the central set).")] = "all",
    spread: Annotated[float, typer.Option(help="Log-sd of each draw around its set.")] = 0.1,
    scheduler: Annotated[str | None, typer.Option(help="Existing Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")] = None,
    workers: Annotated[int | None, typer.Option(help="Local cluster workers (default one per core).")] = None,
    serial: Annotated[bool, typer.Option("--serial", help="Solve in this process, without Dask.")] = False,
    solves_per_task: Annotated[int, typer.Option(help="Solves batched into one task.")] = 50,
    out: Annotated[Path | None, typer.Option(help="Also export the run's table to this Parquet file.")] = None,
) -> None:
    """Run the atlas (pieces already stored with the same inputs are reused; Ctrl-C keeps what finished)."""
    if ctx.invoked_subcommand is not None:
        given = [p for p in ctx.params if getattr(ctx.get_parameter_source(p), "name", "DEFAULT") not in ("DEFAULT", "DEFAULT_MAP")]
        if given:
            raise InputError(f"--{given[0].replace('_', '-')} belongs to 'geohedge atlas' itself, not to 'atlas {ctx.invoked_subcommand}'")
        return
    from geohedge.shocks.atlas import SETS, AtlasConfig
    from geohedge.views.atlas import AtlasInterrupted, plan_atlas, query_atlas, run_atlas

    sets = _list(across_sets, "--across-sets") or []
    sets = list(SETS) if [s.lower() for s in sets] == ["all"] else [] if [s.lower() for s in sets] == ["none"] else [s.upper() for s in sets]
    config = AtlasConfig(draws=draws, seed=seed, elasticities=elasticities, across_sets=tuple(sets), spread=spread)
    if out is not None and out.suffix.lower() != ".parquet":
        raise InputError(f"--out {out} must end in .parquet")
    with open_store(read_only=True) as store:
        plan = plan_atlas(store, _list(targets, "--targets"), _list(shocks, "--shocks"), config)
    err = Console(stderr=True)
    err.print(f"atlas: {len(plan.targets)} targets x {len(plan.families)} shock families = {len(plan.pieces)} pieces "
              f"({len(plan.skipped)} pairs do not apply), {draws} draws each; store {plan.store_path}", highlight=False)
    try:
        with progress("atlas", eta=True) as update:
            result = run_atlas(plan, scheduler=scheduler, workers=workers, serial=serial, solves_per_task=solves_per_task, progress=update)
    except AtlasInterrupted as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(130) from None
    err.print(result.summary(), highlight=False)
    if out is not None:
        with open_store(read_only=True) as store:
            view = query_atlas(store, plan.run)
        write_frame(view.frame, "parquet", out)
    console.print(f"Show it with: geohedge atlas show{' --run ' + plan.run if plan.run else ''}", style="dim", highlight=False)


def _display(frame, names: dict[str, str]):
    import pandas as pd

    def pct(v: pd.Series) -> pd.Series:
        return v.map(lambda x: "" if pd.isna(x) else f"{x:+.2%}")

    out = pd.DataFrame({
        "rank": frame["rank"], "target": frame["target"], "name": frame["target"].map(names),
        "real_income_median": pct(frame["welfare_median"]),
        "90%_interval": [f"{a:+.2%} to {b:+.2%}" for a, b in zip(frame["welfare_p05"], frame["welfare_p95"], strict=True)],
        "exports_change": pct(frame["exports_change_median"]),
        "exports_change_usd_mn": frame["exports_change_usd_mn_median"].map(lambda x: f"{x:+,.0f}"),
    })
    div = []
    for r in frame.itertuples(index=False):
        parts = [f"{getattr(r, f'diversion_{k}_partner')} {getattr(r, f'diversion_{k}_usd_mn'):+,.0f}"
                 for k in (1, 2, 3) if isinstance(getattr(r, f"diversion_{k}_partner"), str)]
        div.append(", ".join(parts))
    out["diverted_to_usd_mn"] = div
    out["status"] = frame["status"]
    return out


@atlas_app.command("show")
def show_cmd(
    shocks: Annotated[str | None, typer.Option(help="Only these shock families (comma-separated).")] = None,
    top: Annotated[int, typer.Option(help="Most exposed targets shown per family (table format).")] = 10,
    run: Annotated[str | None, typer.Option(help="A stored run (or a prefix of it); default the latest.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table (ranked, per family), csv, json or parquet (every column).")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write the whole table to this file.")] = None,
) -> None:
    """The stored atlas, ranked: the most exposed countries per shock family."""
    from geohedge import countries
    from geohedge.views.atlas import query_atlas

    check_format(fmt, FORMATS)
    if top < 1:
        raise InputError(f"--top must be at least 1, got {top}")
    with open_store(read_only=True) as store:
        view = query_atlas(store, run, families=_list(shocks, "--shocks"))
    if fmt != "table" or out is not None:
        write_frame(view.frame, fmt, out, caption=view.caption)
        return
    fams = {f["name"]: f["title"] for f in view.note.get("families", [])}
    names = {t: countries.country(t).name for t in view.frame["target"].unique()}
    for fam in view.families:
        part = view.frame[view.frame["family"] == fam]
        ok = part[part["status"] == "ok"]
        bad = part[part["status"] != "ok"]
        title = f"{fam}: {fams.get(fam, '')} — {len(ok)} targets ranked, most exposed first"
        print_frame(_display(ok.head(top), names), title=title)
        if len(bad):
            console.print(f"  not solved ({len(bad)}): " + "; ".join(f"{r.target} {r.status}: {r.message}" for r in bad.head(5).itertuples()),
                          markup=False, highlight=False)
    console.print(view.caption, style="dim", markup=False, highlight=False)


@atlas_app.command("families")
def families_cmd() -> None:
    """The default shock families and the patterns for others."""
    import pandas as pd

    from geohedge.views.atlas import query_families

    with open_store(read_only=True) as store:
        rows = [{"family": f.name, "imposer": f.imposer, "kind": f.kind, "title": f.title} for f in query_families(store)]
    print_frame(pd.DataFrame(rows), title="Default shock families of 'geohedge atlas'")
    console.print("Others: <imposer>-tariff-<pp> (e.g. jpn-tariff-10) and <imposer>-embargo (e.g. rus-embargo); "
                  "imposer an ISO3 code or bloc (eu27, asean, ...).", highlight=False)
