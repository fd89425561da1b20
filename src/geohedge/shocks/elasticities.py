"""Sector trade elasticities ``theta[j]`` for the ICIO 2025 sectors.

Three sources, chosen in a scenario's ``[elasticities]`` table:

- ``cp2015``: the sector estimates of Caliendo & Parro (2015), "Estimates of the Trade and
  Welfare Effects of NAFTA", Review of Economic Studies 82(1), 1-44, Table 1, as used in
  the paper's counterfactuals: the digits are those of the authors' replication package
  (Data_and_Codes_CP.zip, file ``T.txt``, 20 ISIC rev. 3 goods sectors; mirrored in
  github.com/powell001/Caliendo_Parro_2015_Python, ``data/original_data/T.txt``), mapped
  to the 50 ICIO 2025 sectors below. CP2015 treat services as non-tradable (their code
  gives them 8.22, which never matters there because services are not traded); here
  services are traded, so they get the scenario's fallback ``value`` (default 5).
- ``uniform``: one value for every sector (default 5, a central value in the trade
  literature; Head & Mayer 2014, "Gravity Equations", Handbook of International Economics
  vol. 4, report a median structural estimate near 5).
- ``file``: a CSV with columns ``sector, theta`` (ICIO codes), read by the caller
  (:func:`read_theta_csv` parses the text; nothing here opens files).
- ``set``: one of the eight published sets compiled with the OECD ICIO cubes (shipped in
  ``geohedge/_data/derived/icio_cubes_elasticities.csv``, :data:`SETS`): Caliendo & Parro
  (2015) ``CP2015``, Bagwell, Staiger & Yurukoglu (2021) ``BSY2021``, Giri, Yi &
  Yilmazkuday (2021) ``GYY2021``, Shapiro (2016) ``SHAPIRO2016``, Fontagné, Guimbard &
  Orefice (2022) ``FGO2022``, Lashkaripour & Lugovskyy (2023) ``LL2023``, a uniform 4
  ``UNIFORM4`` and the cubes' in-sample estimates ``INSAMPLE``. They are given for the 27
  ICIO goods sectors and one services aggregate; every services sector of the 50-sector
  table takes the aggregate's value. (The cubes' CP2015 set averages CP2015's sectors
  slightly differently from ``cp2015`` above, e.g. wood and paper together at 14.01.)

Mapping choices (ICIO code -> CP2015 sector): C21 pharmaceuticals -> chemicals;
C26 computers, electronic and optical -> mean of CP2015's office machinery (12.95),
communication equipment (3.95) and medical/precision instruments (8.71); C301 and C302T309
-> other transport; B09 mining support services -> mining; C17_18 paper and printing ->
paper.
"""

from __future__ import annotations

import functools
import io
import math
from importlib import resources
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from geohedge.errors import InputError

__all__ = [
    "CP2015_MAP", "CP2015_TABLE1", "DEFAULT_THETA", "ICIO_SECTORS", "SETS", "cp2015_theta", "published_sets",
    "read_theta_csv", "set_theta", "theta_vector", "uniform_theta",
]

#: Published elasticity sets: geohedge name -> the cubes' key.
SETS: dict[str, str] = {
    "CP2015": "CP", "BSY2021": "BSY", "GYY2021": "GYY", "SHAPIRO2016": "Shap", "FGO2022": "FGO",
    "LL2023": "LL", "UNIFORM4": "U4", "INSAMPLE": "IS",
}

#: Uniform default trade elasticity.
DEFAULT_THETA = 5.0

#: The 50 sectors of the OECD ICIO 2025 release, in table order.
ICIO_SECTORS: tuple[str, ...] = (
    "A01", "A02", "A03", "B05", "B06", "B07", "B08", "B09", "C10T12", "C13T15", "C16", "C17_18",
    "C19", "C20", "C21", "C22", "C23", "C24A", "C24B", "C25", "C26", "C27", "C28", "C29", "C301",
    "C302T309", "C31T33", "D", "E", "F", "G", "H49", "H50", "H51", "H52", "H53", "I", "J58T60",
    "J61", "J62_63", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T",
)

#: Caliendo & Parro (2015), Table 1 as used in their counterfactuals (replication file
#: ``T.txt``, in its order): sector -> theta.
CP2015_TABLE1: dict[str, float] = {
    "Agriculture": 9.11,
    "Mining": 13.53,
    "Food": 2.62,
    "Textile": 8.10,
    "Wood": 11.50,
    "Paper": 16.52,
    "Petroleum": 64.85,
    "Chemicals": 3.13,
    "Plastic": 1.67,
    "Minerals": 2.41,
    "Basic metals": 3.28,
    "Metal products": 6.99,
    "Machinery n.e.c.": 1.45,
    "Office": 12.95,
    "Electrical": 12.91,
    "Communication": 3.95,
    "Medical": 8.71,
    "Auto": 8.22,
    "Other Transport": 8.22,
    "Other": 3.98,
}

#: ICIO 2025 goods sector -> CP2015 sector(s) (several: their mean).
CP2015_MAP: dict[str, tuple[str, ...]] = {
    "A01": ("Agriculture",), "A02": ("Agriculture",), "A03": ("Agriculture",),
    "B05": ("Mining",), "B06": ("Mining",), "B07": ("Mining",), "B08": ("Mining",), "B09": ("Mining",),
    "C10T12": ("Food",), "C13T15": ("Textile",), "C16": ("Wood",), "C17_18": ("Paper",),
    "C19": ("Petroleum",), "C20": ("Chemicals",), "C21": ("Chemicals",), "C22": ("Plastic",),
    "C23": ("Minerals",), "C24A": ("Basic metals",), "C24B": ("Basic metals",),
    "C25": ("Metal products",), "C26": ("Office", "Communication", "Medical"),
    "C27": ("Electrical",), "C28": ("Machinery n.e.c.",), "C29": ("Auto",),
    "C301": ("Other Transport",), "C302T309": ("Other Transport",), "C31T33": ("Other",),
}


def cp2015_theta(sectors: Sequence[str], default: float = DEFAULT_THETA) -> np.ndarray:
    """CP2015 Table 1 estimates for ICIO sector codes; ``default`` for services."""
    return np.array([
        float(np.mean([CP2015_TABLE1[c] for c in CP2015_MAP[s]])) if s in CP2015_MAP else default
        for s in sectors
    ])


@functools.lru_cache(maxsize=1)
def published_sets() -> pd.DataFrame:
    """The shipped published sets: ``set_name`` (geohedge name), ``sector`` (27 ICIO goods
    codes and ``SERV``), ``theta``, ``paper``."""
    path = resources.files("geohedge").joinpath("_data", "derived", "icio_cubes_elasticities.csv")
    raw = pd.read_csv(io.StringIO(path.read_text(encoding="utf-8")), dtype={"set": str, "sector": str})
    names = {v: k for k, v in SETS.items()}
    return pd.DataFrame({"set_name": raw["set"].map(names), "sector": raw["sector"], "theta": raw["epsilon"], "paper": raw["paper"]})


def set_theta(name: str, sectors: Sequence[str]) -> np.ndarray:
    """A published set's elasticities for ICIO sector codes (services take the aggregate).

    Raises
    ------
    InputError
        Unknown set name.
    """
    key = name.strip().upper()
    if key not in SETS:
        raise InputError(f"unknown elasticity set {name!r}; published sets: {', '.join(SETS)}")
    frame = published_sets()
    values = dict(zip(frame.loc[frame["set_name"] == key, "sector"], frame.loc[frame["set_name"] == key, "theta"], strict=True))
    services = values["SERV"]
    return np.array([float(values.get(s, services)) for s in sectors])


def uniform_theta(sectors: Sequence[str], value: float = DEFAULT_THETA) -> np.ndarray:
    """The same elasticity for every sector."""
    _check(value, "elasticities.value")
    return np.full(len(sectors), float(value))


def _check(value: float, field: str) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise InputError(f"{field}: trade elasticity must be a positive finite number, got {value!r}")


def read_theta_csv(text: str, *, origin: str = "elasticity file") -> dict[str, float]:
    """Parse CSV text with columns ``sector, theta`` into ``{sector: theta}``.

    Raises
    ------
    InputError
        Missing columns, duplicate sectors, or a value that is not a positive number.
    """
    try:
        frame = pd.read_csv(io.StringIO(text), dtype={"sector": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{origin}: not a CSV with columns sector, theta ({exc})") from None
    if not {"sector", "theta"} <= set(frame.columns):
        raise InputError(f"{origin}: needs columns 'sector' and 'theta', found {', '.join(map(str, frame.columns))}")
    dup = frame["sector"][frame["sector"].duplicated()]
    if len(dup):
        raise InputError(f"{origin}: sector {dup.iloc[0]!r} is listed twice")
    out: dict[str, float] = {}
    for row in frame.itertuples(index=False):
        theta = pd.to_numeric(row.theta, errors="coerce")
        _check(float(theta) if pd.notna(theta) else float("nan"), f"{origin}: sector {row.sector} theta")
        out[str(row.sector).strip().upper()] = float(theta)
    return out


def theta_vector(sectors: Sequence[str], values: Mapping[str, float], *, default: float | None = None, origin: str = "elasticities") -> np.ndarray:
    """Elasticities from a ``{sector: theta}`` mapping in table order.

    Raises
    ------
    InputError
        A sector of the mapping is not in the table, or a table sector has no value and
        no ``default`` is given.
    """
    unknown = sorted(set(values) - set(sectors))
    if unknown:
        raise InputError(f"{origin}: unknown sector {unknown[0]!r}; ICIO sectors are {', '.join(sectors)}")
    missing = [s for s in sectors if s not in values]
    if missing and default is None:
        raise InputError(f"{origin}: no elasticity for sector {missing[0]!r} ({len(missing)} sectors missing); add them or set a default")
    return np.array([float(values.get(s, default)) for s in sectors])
