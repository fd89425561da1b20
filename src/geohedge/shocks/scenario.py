"""Scenario files: a TOML spec validated with pydantic, and its translation into model arrays.

A scenario names a base year, the trade elasticities, and a list of shocks::

    name = "us-tariff-mys-24"
    title = "US +24 pp tariff on Malaysian goods"
    base_year = 2022

    [elasticities]
    kind = "cp2015"          # or "uniform" (value = 5), "file" (path = "theta.csv"),
                             # or "set" with set = "BSY2021" (a published set); the shorthand
                             # elasticities = "BSY2021" means the same

    [[shocks]]
    type = "tariff"          # percentage points of ad valorem tariff
    mode = "add"             # "add": value pp on top of the baseline rate; "set": the new rate itself
    importers = ["USA"]      # countries (ISO3, ISO2 or names), blocs (EU27, ASEAN, ...) or "world"
    exporters = ["MYS"]
    sectors = ["goods"]      # ICIO codes or groups: goods, manufacturing, services; default all
    value = 24
    both_ways = false        # also apply with importers and exporters swapped

Shock types: ``tariff`` (``value`` in percentage points; with ``mode = "add"``, the
default, added to each flow's baseline applied tariff; with ``mode = "set"`` the new rate
itself, e.g. 0 to remove tariffs; the result stays above -100%), ``trade_cost`` (``value`` = percent change in iceberg trade costs,
above -100, e.g. -20 for a deep agreement), ``embargo`` (no value: trade stops, i.e. a
prohibitive tariff). Two shocks of the same type on the same importer, exporter and
sector, or an embargo overlapping any other shock, are contradictory and rejected.

Every error is an :class:`~geohedge.errors.InputError` whose message starts with the
field's path (``shocks[1].importers: ...``).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from geohedge import countries as _countries
from geohedge.errors import InputError
from geohedge.shocks import elasticities as _el
from geohedge.shocks.calibrate import SECTOR_GROUPS, sector_group

__all__ = [
    "ElasticitySpec",
    "Scenario",
    "ShockArrays",
    "ShockSpec",
    "ShockType",
    "builtin_scenario",
    "builtin_scenarios",
    "load_scenario",
    "parse_scenario",
    "scenario_theta",
    "shock_arrays",
]

ShockType = Literal["tariff", "trade_cost", "embargo"]
WORLD = "WORLD"
ALL = "ALL"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, str_strip_whitespace=True)


class ElasticitySpec(_Model):
    """``[elasticities]``: where the sector trade elasticities come from."""

    kind: Literal["cp2015", "uniform", "file", "set"] = "uniform"
    set: str | None = Field(default=None, description="published set (kind = 'set'): " + ", ".join(_el.SETS))
    across_sets: list[str] = Field(default_factory=list, description="Monte Carlo: draw uniformly across these published sets ('all' for every set), then within each by spread")
    value: float = Field(default=_el.DEFAULT_THETA, gt=0, description="uniform value; fallback for services under cp2015")
    path: str | None = Field(default=None, description="CSV with columns sector, theta (kind = 'file'), relative to the scenario file")
    values: dict[str, float] = Field(default_factory=dict, description="per-sector overrides {ICIO code: theta}")
    spread: float = Field(default=0.2, ge=0, le=2, description="Monte Carlo: standard deviation of log theta")

    @model_validator(mode="after")
    def _path_for_file(self) -> ElasticitySpec:
        if self.kind == "file" and not self.path and not self.values:
            raise ValueError("kind = 'file' needs path = 'your.csv' (columns sector, theta)")
        if self.kind == "set":
            if not self.set or self.set.strip().upper() not in _el.SETS:
                raise ValueError(f"kind = 'set' needs set = one of {', '.join(_el.SETS)}; got {self.set!r}")
        sets = [s.strip().upper() for s in self.across_sets]
        if sets == ["ALL"]:
            sets = list(_el.SETS)
        bad = [s for s in sets if s not in _el.SETS]
        if bad:
            raise ValueError(f"across_sets: unknown set {bad[0]!r}; published sets: {', '.join(_el.SETS)} (or 'all')")
        object.__setattr__(self, "across_sets", sets)
        for s, v in self.values.items():
            if s.upper() not in _el.ICIO_SECTORS:
                raise ValueError(f"unknown sector {s!r} in values; use ICIO codes such as C26")
            if not (math.isfinite(v) and v > 0):
                raise ValueError(f"theta for {s} must be positive and finite, got {v}")
        return self


def _resolve_target(entry: str) -> str:
    key = entry.strip()
    if key.upper() == WORLD:
        return WORLD
    if key.upper() in _countries.bloc_names():
        return key.upper()
    try:
        return _countries.resolve(key)
    except InputError as exc:
        raise ValueError(f"unknown country or bloc {entry!r} ({exc}); blocs: {', '.join(_countries.bloc_names())}") from None


def _resolve_sector(entry: str) -> str:
    key = entry.strip()
    if key.lower() in (*SECTOR_GROUPS, "all"):
        return key.lower()
    if key.upper() in _el.ICIO_SECTORS:
        return key.upper()
    raise ValueError(f"unknown sector {entry!r}; use all, goods, manufacturing, services or an ICIO code ({', '.join(_el.ICIO_SECTORS)})")


class ShockSpec(_Model):
    """One ``[[shocks]]`` entry."""

    type: ShockType
    importers: list[str] = Field(min_length=1)
    exporters: list[str] = Field(min_length=1)
    sectors: list[str] = Field(default_factory=lambda: ["all"], min_length=1)
    value: float | None = Field(default=None, validate_default=True)
    mode: Literal["add", "set"] = Field(default="add", description="tariff: add value pp to the baseline rate, or set the rate to value")
    both_ways: bool = False

    @field_validator("importers", "exporters")
    @classmethod
    def _targets(cls, v: list[str]) -> list[str]:
        return [_resolve_target(e) for e in v]

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, v: list[str]) -> list[str]:
        return [_resolve_sector(e) for e in v]

    @field_validator("value")
    @classmethod
    def _value(cls, v: float | None, info: ValidationInfo) -> float | None:
        kind = info.data.get("type")
        if kind == "embargo":
            if v is not None:
                raise ValueError("an embargo takes no value (trade stops); remove 'value'")
        elif v is None:
            if kind is not None:
                raise ValueError(f"a {kind} shock needs a value ({'percentage points' if kind == 'tariff' else 'percent change'})")
        elif v <= -100:
            unit = "pp" if kind == "tariff" else "%"
            raise ValueError(f"{kind} value {v:g} {unit} is impossible: it must be above -100")
        return v

    def sector_codes(self, sectors: Sequence[str] = _el.ICIO_SECTORS) -> set[str]:
        out: set[str] = set()
        for s in self.sectors:
            if s == "all":
                out |= set(sectors)
            elif s in SECTOR_GROUPS:
                out |= {c for c in sectors if s in sector_group(c)}
            else:
                out.add(s)
        return out


def _members(target: str) -> set[str] | None:
    """ISO3 members of a resolved target; ``None`` is the whole world."""
    if target == WORLD:
        return None
    if target in _countries.bloc_names():
        return set(_countries.bloc_members(target))
    return {target}


def _union(targets: Sequence[str]) -> set[str] | None:
    out: set[str] = set()
    for t in targets:
        m = _members(t)
        if m is None:
            return None
        out |= m
    return out


def _meet(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """Intersection where ``None`` is everything; returns an empty set when disjoint."""
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def _directions(s: ShockSpec) -> list[tuple[set[str] | None, set[str] | None]]:
    imp, exp = _union(s.importers), _union(s.exporters)
    return [(imp, exp), (exp, imp)] if s.both_ways else [(imp, exp)]


class Scenario(_Model):
    """A validated scenario (see the module docstring for the file format)."""

    @model_validator(mode="before")
    @classmethod
    def _elasticity_shorthand(cls, data: object) -> object:
        if isinstance(data, Mapping) and isinstance(data.get("elasticities"), str):
            key = data["elasticities"].strip()
            spec = {"kind": key.lower()} if key.lower() in ("cp2015", "uniform") else {"kind": "set", "set": key}
            data = {**data, "elasticities": spec}
        return data

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    title: str = ""
    description: str = ""
    base_year: int = Field(default=2022, ge=1995, le=2100)
    elasticities: ElasticitySpec = Field(default_factory=ElasticitySpec)
    shocks: list[ShockSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _no_contradictions(self) -> Scenario:
        for b, sb in enumerate(self.shocks):
            for a in range(b):
                sa = self.shocks[a]
                clash = sa.type == sb.type or "embargo" in (sa.type, sb.type)
                if not clash:
                    continue
                sectors = sa.sector_codes() & sb.sector_codes()
                if not sectors:
                    continue
                for ia, ea in _directions(sa):
                    for ib, eb in _directions(sb):
                        imp, exp = _meet(ia, ib), _meet(ea, eb)
                        if (imp is None or imp) and (exp is None or exp):
                            who_i = "any importer" if imp is None else ", ".join(sorted(imp)[:3])
                            who_e = "any exporter" if exp is None else ", ".join(sorted(exp)[:3])
                            raise ValueError(
                                f"shocks[{b}] contradicts shocks[{a}]: both set a {sb.type if sa.type == sb.type else 'embargo and a ' + (sa.type if sb.type == 'embargo' else sb.type)} "
                                f"on imports of {who_i} from {who_e} in sector {min(sectors)}; merge them or make them disjoint"
                            )
        return self


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "scenario"


def parse_scenario(data: Mapping | str, *, origin: str = "scenario", base_dir: Path | None = None) -> Scenario:
    """Validate a scenario from TOML text or an already parsed mapping.

    ``base_dir`` is where a relative elasticity ``path`` is looked up (the file's folder).

    Raises
    ------
    InputError
        Malformed TOML, or any invalid field; the message starts with the field's path.
    """
    if isinstance(data, str):
        try:
            data = tomllib.loads(data)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{origin}: not valid TOML ({exc})") from None
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if err.get("type") == "missing":
            msg = "missing (required field)"
        elif err.get("type") == "finite_number":
            msg = "must be a finite number, not NaN or infinity"
        elif err.get("type") == "extra_forbidden":
            msg = "unknown field (check the spelling)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise InputError(f"{origin}: {_loc(tuple(err.get('loc', ())))}: {msg}{more}") from None
    el = scenario.elasticities
    if el.kind == "file" and el.path:
        path = Path(el.path)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise InputError(f"{origin}: elasticities.path: file {path} not found")
        values = _el.read_theta_csv(path.read_text(encoding="utf-8"), origin=f"{origin}: elasticities.path ({path.name})")
        values.update({k.upper(): v for k, v in el.values.items()})
        scenario = scenario.model_copy(update={"elasticities": el.model_copy(update={"values": values})})
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario TOML file.

    Raises
    ------
    InputError
        The file is missing or invalid.
    """
    p = Path(path)
    if not p.is_file():
        names = ", ".join(builtin_scenarios())
        raise InputError(f"scenario file {str(path)!r} not found; give a TOML file or a built-in name ({names})")
    return parse_scenario(p.read_text(encoding="utf-8"), origin=p.name, base_dir=p.parent)


def _builtin_dir():
    return resources.files("geohedge").joinpath("_data", "scenarios")


def builtin_scenarios() -> dict[str, Scenario]:
    """The scenarios shipped with geohedge, by name."""
    out = {}
    for entry in sorted(_builtin_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            s = parse_scenario(entry.read_text(encoding="utf-8"), origin=entry.name)
            out[s.name] = s
    return out


def builtin_scenario(name: str) -> Scenario:
    """A built-in scenario by name.

    Raises
    ------
    InputError
        No built-in scenario has that name.
    """
    known = builtin_scenarios()
    if name not in known:
        raise InputError(f"no built-in scenario {name!r}; built-in: {', '.join(known)} (or give a TOML file)")
    return known[name]


@dataclass(frozen=True, eq=False)
class ShockArrays:
    """A scenario translated to the model's arrays on a table's countries and sectors.

    ``kappa_hat`` (N, N, J) and ``tau_new`` (N, N, J) are indexed [importer n, exporter i,
    sector j]; ``notes`` lists what was left out (bloc members outside the table,
    non-tradable sectors).
    """

    kappa_hat: np.ndarray
    tau_new: np.ndarray
    touched: np.ndarray  # (N,) bool: country is an importer or exporter of some shock
    notes: tuple[str, ...] = field(default=())


def shock_arrays(
    scenario: Scenario,
    countries: Sequence[str],
    sectors: Sequence[str],
    tradable: np.ndarray | None = None,
    tau0: np.ndarray | None = None,
) -> ShockArrays:
    """Translate the shocks of a scenario into ``kappa_hat`` and ``tau_new`` for a table.

    ``tau0`` (N, N, J) holds the baseline tariffs (default zero); a tariff shock adds to it
    (``mode = "add"``) or replaces it (``mode = "set"``), and
    ``kappa_hat = (1 + tau_new) / (1 + tau0) * d_hat``. Domestic cells (importer = exporter)
    are never shocked; shocks skip non-tradable sectors.

    Raises
    ------
    InputError
        A country named in the scenario is not a separate region of the table, or a
        sector is not in the table.
    """
    countries = list(countries)
    N, J = len(countries), len(sectors)
    pos = {c: k for k, c in enumerate(countries)}
    spos = {s: k for k, s in enumerate(sectors)}
    tradable = np.ones(J, bool) if tradable is None else np.asarray(tradable, bool)
    base = np.zeros((N, N, J)) if tau0 is None else np.asarray(tau0, dtype=float)
    tau = base.copy()
    d_hat = np.ones((N, N, J))
    embargo = np.zeros((N, N, J), bool)
    touched = np.zeros(N, bool)
    notes: list[str] = []
    for k, s in enumerate(scenario.shocks):
        sides = []
        for fld in ("importers", "exporters"):
            idx: set[int] = set()
            for t in getattr(s, fld):
                members = _members(t)
                if members is None:
                    idx |= set(range(N))
                elif t in _countries.bloc_names():
                    absent = sorted(members - set(pos))
                    if absent:
                        notes.append(f"shocks[{k}].{fld}: {t} members not in the table left out: {', '.join(absent)}")
                    idx |= {pos[m] for m in members if m in pos}
                elif t not in pos:
                    name = _countries.country(t).name
                    raise InputError(
                        f"shocks[{k}].{fld}: {t} ({name}) is not a separate region of the input-output table "
                        f"(it is inside the rest of the world); use one of its {N} regions"
                    )
                else:
                    idx.add(pos[t])
            sides.append(np.array(sorted(idx), dtype=int))
        codes = s.sector_codes(sectors)
        missing = sorted(c for c in codes if c not in spos)
        if missing:
            raise InputError(f"shocks[{k}].sectors: sector {missing[0]} is not in the table")
        js = np.array(sorted(spos[c] for c in codes), dtype=int)
        skipped = [sectors[j] for j in js if not tradable[j] and sectors[j] in s.sectors]
        if skipped:
            notes.append(f"shocks[{k}].sectors: non-tradable sectors are not shocked: {', '.join(skipped)}")
        js = js[tradable[js]]
        for imp, exp in [(sides[0], sides[1]), (sides[1], sides[0])] if s.both_ways else [(sides[0], sides[1])]:
            if len(imp) == 0 or len(exp) == 0 or len(js) == 0:
                continue
            touched[imp] = True
            touched[exp] = True
            cell = np.ix_(imp, exp, js)
            if s.type == "tariff":
                new = s.value / 100.0 if s.mode == "set" else base[cell] + s.value / 100.0
                if (np.asarray(new) <= -1).any():
                    raise InputError(f"shocks[{k}]: a tariff of {s.value:+g} pp takes some baseline rates to -100% or below")
                tau[cell] = new
            elif s.type == "trade_cost":
                d_hat[cell] = 1.0 + s.value / 100.0
            else:
                embargo[cell] = True
    diag = np.arange(N)
    tau[diag, diag, :] = base[diag, diag, :]
    d_hat[diag, diag, :] = 1.0
    embargo[diag, diag, :] = False
    kappa = (1.0 + tau) / (1.0 + base) * d_hat
    kappa[embargo] = np.inf
    tau[embargo] = base[embargo]
    return ShockArrays(kappa_hat=kappa, tau_new=tau, touched=touched, notes=tuple(notes))


def scenario_theta(scenario: Scenario, sectors: Sequence[str]) -> np.ndarray:
    """Trade elasticities (J,) for a scenario on a table's sectors."""
    el = scenario.elasticities
    if el.kind == "cp2015":
        base = _el.cp2015_theta(sectors, default=el.value)
    elif el.kind == "set":
        base = _el.set_theta(el.set or "", sectors)
    elif el.kind == "uniform":
        base = _el.uniform_theta(sectors, el.value)
    else:
        base = _el.theta_vector(sectors, {k.upper(): v for k, v in el.values.items()}, default=el.value, origin="elasticities")
        return base
    over = {k.upper(): v for k, v in el.values.items()}
    if over:
        base = np.array([over.get(s, b) for s, b in zip(sectors, base, strict=True)])
    return base
