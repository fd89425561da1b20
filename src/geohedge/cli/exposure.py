"""``geohedge exposure``: direct, value-chain and critical-material exposure of a country."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from geohedge.cli._common import (
    FORMATS,
    BlocsFileOpt,
    LabelsOpt,
    bloc_list,
    check_format,
    check_top,
    check_labels,
    console,
    load_extra_blocs,
    open_store,
    progress,
    write_frame,
)

#: Shown in the table view whatever their rank: the great powers.
ALWAYS_SHOW = ("USA", "CHN", "RUS", "JPN")
#: Candidate partners shown by default too: Türkiye, the partner in the case geohedge grew
#: from (Malaysia's outreach to Ankara); replace with --with.
DEFAULT_WITH = "TUR"


def register(app: typer.Typer) -> None:
    """Add ``exposure`` to the root app."""
    app.command("exposure")(exposure_cmd)


def exposure_cmd(
    country: Annotated[str, typer.Argument(help="ISO3, ISO2 or name, e.g. MYS, 'Malaysia'.")],
    year: Annotated[int | None, typer.Option(help="Year (default: 2022, the ICIO year, for ICIO countries; 2023, BACI, for others).")] = None,
    by: Annotated[str, typer.Option(help="partner, bloc, sector or year (trend; trade channel).")] = "partner",
    channel: Annotated[str, typer.Option(help="trade, value-added or materials.")] = "trade",
    dataset: Annotated[str | None, typer.Option(help="Trade channel source (default: the series, ICIO cubes 2011-2022 then BACI 2023): icio_cubes, baci_pairs, icio (50-sector 2022 table), baci_raw (raw materials) or baci.")] = None,
    blocs: Annotated[str | None, typer.Option(help="Comma-separated blocs or countries, e.g. USA,CHN,EU27,RUS,JPN (default).")] = None,
    blocs_file: BlocsFileOpt = None,
    with_: Annotated[str, typer.Option("--with", help="Partners always shown in the table view besides the great powers.")] = DEFAULT_WITH,
    top: Annotated[int, typer.Option(help="Rows in the table view (the great powers and --with partners are added).")] = 15,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or parquet (parquet needs --out).")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write the full table to this file.")] = None,
    labels: LabelsOpt = "code",
) -> None:
    """How exposed a country is to each partner and bloc: trade, value added, materials."""
    from geohedge import countries
    from geohedge.exposure.trade import DEFAULT_BLOCS
    from geohedge.views.exposure import exposure_view

    check_format(fmt, FORMATS)
    check_top(top)
    check_labels(labels)
    iso3 = countries.resolve(country)
    extra = load_extra_blocs(blocs_file)
    chosen = bloc_list(blocs, extra, DEFAULT_BLOCS)
    pinned = [*ALWAYS_SHOW, *(countries.resolve(w) for w in with_.split(",") if w.strip())]
    with open_store(read_only=True) as store, progress("exposure") as update:
        view = exposure_view(store, iso3, channel=channel, by=by, year=year, dataset=dataset, blocs=chosen, extra=extra, progress=update)
    frame = view.frame
    if fmt == "table" and out is None:
        frame = _shortlist(frame, pinned, top)
        for line in view.summary:
            console.print(line)
        write_frame(_compact(frame), fmt, None, title=f"{countries.country(iso3).name}: {view.channel} exposure by {view.by}", caption=view.caption)
        if len(frame) < len(view.frame):
            console.print(f"[dim]{len(frame)} of {len(view.frame)} rows shown; --format csv or --out for all[/]")
        for note in view.notes:
            console.print(f"[yellow]note[/] {note}")
        return
    write_frame(frame, fmt, out, labels=labels)


def _shortlist(frame: pd.DataFrame, pinned: list[str], top: int) -> pd.DataFrame:
    key = next((c for c in ("partner", "source") if c in frame), None)
    if key is None or len(frame) <= top:
        return frame.head(max(top, 1)) if key is None and "year" not in frame else frame
    keep = frame.index[:top].union(frame.index[frame[key].isin(pinned)])
    return frame.loc[keep]


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """The table view: a single year goes to the title's caption, long sector names are
    shortened (values are formatted by :func:`geohedge.cli._common.print_frame`)."""
    out = frame.copy()
    if "year" in out and out["year"].nunique() == 1:
        out = out.drop(columns="year")
    if "sector_name" in out:
        out["sector_name"] = out["sector_name"].map(lambda t: t if not isinstance(t, str) or len(t) <= 32 else t[:31] + "…")
    return out
