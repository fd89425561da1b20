"""Builder: UN General Assembly roll-call votes 1946-2019 (``../shared/data/unga/``) and the
published Bailey-Strezhnev-Voeten ideal points and agreement scores, sessions 1-78
(``../shared/data/unga-idealpoints/``).

Writes, content unchanged (re-encoded as zstd Parquet):

``un_votes.parquet``, ``un_roll_calls.parquet``, ``un_roll_call_issues.parquet``
    the three ``unvotes`` tables under their own names and columns, so
    :func:`geohedge.data.sources.unga.read_unvotes` reads the shipped folder exactly as it
    reads ``../shared/data/unga`` (country codes are mapped to ISO3 when loaded, not here).
``unga_idealpoints.parquet``
    ``IdealpointestimatesAll_Jun2024.csv`` without its row-number column: ``ccode,
    session, NVotesAll, IdealPointAll``, the posterior quantiles ``QO%All`` ... ``Q100%All``,
    ``iso3c, Countryname`` and the agreement columns ``USAgree, RUSSAgree, BrazilAgree,
    ChinaAgree, IndiaAgree, IsraelAgree`` (NA where the pair did not both vote).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geohedge.data.derived._write import input_files, shipped, write_parquet
from geohedge.data.derived.manifest import ShippedFile

__all__ = ["IDEALPOINT_COLUMNS", "build"]

UNVOTES = ("un_votes", "un_roll_calls", "un_roll_call_issues")
IDEALPOINTS = "unga-idealpoints/IdealpointestimatesAll_Jun2024.csv"
IDEALPOINT_COLUMNS = (
    "ccode", "session", "NVotesAll", "IdealPointAll", "QO%All", "Q5%All", "Q10%All", "Q50%All", "Q90%All", "Q95%All",
    "Q100%All", "iso3c", "Countryname", "USAgree", "RUSSAgree", "BrazilAgree", "ChinaAgree", "IndiaAgree", "IsraelAgree",
)

VOTES_SOURCE = "UN General Assembly roll-call votes, sessions 1-74 (1946 - January 2020)"
VOTES_RELEASE = "Voeten, United Nations General Assembly Voting Data, as packaged in the unvotes R package (commit 7eb7034)"
VOTES_TAKEN_FROM = "github.com/dgrtwo/unvotes@7eb7034, data/*.rda (converted to Parquet, content unchanged, in shared/data/unga)"
VOTES_ATTRIBUTION = ("Erik Voeten, \"Data and Analyses of Voting in the UN General Assembly\", Harvard Dataverse, "
                     "hdl:1902.1/12379; as packaged in the unvotes R package (github.com/dgrtwo/unvotes, MIT)")
IDEAL_SOURCE = "Bailey, Strezhnev & Voeten ideal points and agreement with six powers, UN General Assembly sessions 1-78 (1946-2024)"
IDEAL_RELEASE = "IdealpointestimatesAll_Jun2024.csv (June 2024 release)"
IDEAL_TAKEN_FROM = ("github.com/tongyu03/DSE3101-Predictive-Modelling-of-Global-Trade-Flows@98ab7b673cf2c6415f6e86ba2e63eee0b51f07ae, "
                    "data/IdealpointestimatesAll_Jun2024.csv (with CRLF line ends restored its sha256 matches the Harvard Dataverse file)")
IDEAL_ATTRIBUTION = ("Bailey, Strezhnev & Voeten (2017), \"Estimating Dynamic State Preferences from United Nations Voting Data\", "
                     "Journal of Conflict Resolution 61(2); Voeten, Strezhnev & Bailey (2009), \"United Nations General Assembly "
                     "Voting Data\", Harvard Dataverse, hdl:1902.1/12379")


def build(shared: Path, out: Path) -> list[ShippedFile]:
    """Derive the UN votes and published ideal-point files from ``shared`` into ``out``."""
    votes_meta = dict(dataset="unvotes", source=VOTES_SOURCE, release=VOTES_RELEASE, taken_from=VOTES_TAKEN_FROM,
                      licence="MIT (unvotes package); data: Harvard Dataverse terms of use", attribution=VOTES_ATTRIBUTION,
                      builder=__name__)
    built = []
    for stem in UNVOTES:
        frame = pd.read_parquet(shared / "unga" / f"{stem}.parquet")
        built.append(shipped(write_parquet(frame, out / f"{stem}.parquet"), inputs=input_files(shared, [f"unga/{stem}.parquet"]),
                             note="content unchanged; absences are not listed", **votes_meta))
    raw = pd.read_csv(shared / IDEALPOINTS, na_values=["NA"], keep_default_na=False)
    missing = [c for c in IDEALPOINT_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(f"{IDEALPOINTS}: missing columns {missing}")
    ideal = raw[list(IDEALPOINT_COLUMNS)].sort_values(["session", "ccode"], ignore_index=True)
    built.append(shipped(
        write_parquet(ideal, out / "unga_idealpoints.parquet"), dataset="bsv", source=IDEAL_SOURCE, release=IDEAL_RELEASE,
        taken_from=IDEAL_TAKEN_FROM, licence="Harvard Dataverse terms of use (default CC0 1.0); attribute the authors",
        attribution=IDEAL_ATTRIBUTION, builder=__name__, inputs=input_files(shared, [IDEALPOINTS]),
        note="row-number column dropped, rows sorted by session and COW code, values unchanged; iso3c codes both Yemens (COW 678, 680) YAR",
    ))
    return built
