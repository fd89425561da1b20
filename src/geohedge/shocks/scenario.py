"""Scenario files: a TOML spec validated with pydantic, and its translation into model arrays.

A scenario names a base year, the trade elasticities, the deficit rule and a list of
shocks, applied in order::

    name = "us-reciprocal-2025-04"
    title = "US reciprocal tariffs of 2 April 2025"
    source = "Executive Order 14257 of 2 April 2025, Annex I"   # cited in outputs
    date = "2025-04-02"
    base_year = 2022
    deficits = "fixed"       # fixed | zero | proportional (see below)

    [elasticities]
    kind = "cp2015"          # or "uniform" (value = 5), "file" (path = "theta.csv"),
                             # or "set" with set = "BSY2021" (a published set); the shorthand
                             # elasticities = "BSY2021" means the same

    [[shocks]]
    type = "tariff"          # percentage points of ad valorem tariff
    importers = ["USA"]      # countries (ISO3, ISO2 or names), blocs (EU27, ASEAN, ...), "all"
    exporters = "all"        # (or "world"), or "ROW" (the rest-of-world region, where the table has one)
    except_exporters = ["CAN", "MEX"]   # taken out of exporters (they must be in it)
    sectors = "goods"        # ICIO codes or groups: goods, manufacturing, services; default all
    except_sectors = ["C26"] # taken out of sectors
    value = 10
    label = "10% floor"

    [[shocks]]
    type = "tariff"
    importers = ["USA"]
    exporters = ["MYS"]
    sectors = "goods"
    value = 24
    combine = "max"          # overlaps the floor: the higher of the two ("add": the sum)
    retaliation = "same"     # MYS answers with +24 pp on its imports from the USA
    coverage = 1.0           # share of each flow the tariff applies to (0-1)

Shock types: ``tariff`` (``value`` in percentage points; ``mode = "add"``, the default,
adds it to each flow's baseline applied tariff; ``mode = "set"`` makes it the new rate,
e.g. 0 to remove tariffs; ``mode = "at_least"`` raises the rate to ``value`` where it is
lower, e.g. the EU's all-in 15%), ``trade_cost`` (``value`` = percent change in iceberg
trade costs, above -100), ``embargo`` (no value: trade stops, i.e. a prohibitive tariff).

- ``coverage`` c: the shock applies to the share c of each flow (a product exemption
  mapped onto a sector): the flow's tariff becomes ``tau0 + c * (tau_full - tau0)``, the
  trade-weighted rate the flow pays at baseline composition, and a trade-cost change
  becomes ``1 + c * value / 100``. Within-sector substitution towards the exempt products
  is not modelled (sectors are the model's goods), so a partly covered flow reacts like a
  whole flow at the average rate.
- ``combine``: shocks of one type on the same importer, exporter and sector are rejected
  as contradictory unless the later one says how it combines with what the earlier ones
  set: ``"max"`` keeps the higher tariff (or the larger trade-cost change), ``"add"``
  adds this shock's increment (compounds a trade-cost change). An embargo never combines.
- ``retaliation`` (tariffs): each country among ``exporters`` answers on its imports
  from ``importers``, in the same sectors and with the same coverage and mode, with the
  same rate (``"same"``), a given rate in pp, or not at all (``"none"``, the default);
  the answer takes the shock's ``combine``. It needs named imposing countries (not "all").
- ``deficits``: ``fixed`` holds each country's deficit in units of world value added
  (CP2015's baseline convention); ``zero`` first solves the baseline with every deficit
  set to zero and reports changes from there (CP2015's Table 2); ``proportional`` keeps
  each deficit a constant share of the country's value added (expenditure ``E = phi Y``,
  structural gravity's convention).

Every error is an :class:`~geohedge.errors.InputError` whose message starts with the
field's path (``shocks[1].importers: ...``).
"""

from __future__ import annotations

import functools
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
    "DEFICITS",
    "ROW",
    "ElasticitySpec",
    "Layer",
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
    "shock_layers",
]

ShockType = Literal["tariff", "trade_cost", "embargo"]
WORLD = "WORLD"
ALL = "ALL"
#: The rest-of-world region of a table that keeps one (``baseline_from_iotable(rest_of_world="region")``).
ROW = "ROW"
#: Deficit rules of a scenario (module docstring).
DEFICITS = ("fixed", "zero", "proportional")


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
    if key.upper() in (WORLD, ALL):
        return WORLD
    if key.upper() == ROW:
        return ROW
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


def _as_list(v: object) -> object:
    """A single string (``"all"``, ``"goods"``, ``"MYS"``) stands for a one-element list."""
    return [v] if isinstance(v, str) else v


def _codes(entries: Sequence[str], sectors: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for s in entries:
        if s == "all":
            out |= set(sectors)
        elif s in SECTOR_GROUPS:
            out |= {c for c in sectors if s in sector_group(c)}
        else:
            out.add(s)
    return out


class ShockSpec(_Model):
    """One ``[[shocks]]`` entry (see the module docstring for every field)."""

    type: ShockType
    importers: list[str] = Field(min_length=1)
    exporters: list[str] = Field(min_length=1)
    except_importers: list[str] = Field(default_factory=list, description="countries or blocs taken out of importers")
    except_exporters: list[str] = Field(default_factory=list, description="countries or blocs taken out of exporters")
    sectors: list[str] = Field(default_factory=lambda: ["all"], min_length=1)
    except_sectors: list[str] = Field(default_factory=list, description="ICIO codes or groups taken out of sectors")
    value: float | None = Field(default=None, validate_default=True)
    mode: Literal["add", "set", "at_least"] = Field(
        default="add", description="tariff: add value pp to the baseline rate, set the rate to value, or raise it to at least value")
    coverage: float = Field(default=1.0, description="share of each flow the shock applies to (0-1), e.g. the part of a sector an exemption leaves taxed")
    combine: Literal["max", "add"] | None = Field(
        default=None, description="how this shock combines with earlier shocks of its type on the same flows: the higher rate, or the sum of the increments")
    retaliation: Literal["none", "same"] | float = Field(
        default="none", description="tariffs: each exporter answers on its imports from the importers with the same rate ('same'), a given rate (pp) or not ('none')")
    both_ways: bool = False
    label: str = Field(default="", description="what this shock stands for (a rate's legal source, an exemption)")

    @field_validator("importers", "exporters", "sectors", "except_importers", "except_exporters", "except_sectors", mode="before")
    @classmethod
    def _single(cls, v: object) -> object:
        return _as_list(v)

    @field_validator("importers", "exporters", "except_importers", "except_exporters")
    @classmethod
    def _targets(cls, v: list[str]) -> list[str]:
        return [_resolve_target(e) for e in v]

    @field_validator("sectors", "except_sectors")
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

    @field_validator("coverage")
    @classmethod
    def _coverage(cls, v: float) -> float:
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"coverage {v:g} is impossible: it is the share of each flow the shock applies to, between 0 and 1")
        return v

    @field_validator("retaliation", mode="before")
    @classmethod
    def _retaliation(cls, v: object) -> object:
        if isinstance(v, str) and v.strip().lower() in ("none", "same"):
            return v.strip().lower()
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ValueError(f"retaliation {v!r} is not understood; use 'same', 'none' or a rate in percentage points")
        if not math.isfinite(v) or v <= -100:
            raise ValueError(f"retaliation rate {v:g} pp is impossible: it must be a finite number above -100")
        return float(v)

    @model_validator(mode="after")
    def _consistent(self) -> ShockSpec:
        if self.type == "embargo" and self.coverage != 1.0:
            raise ValueError("an embargo stops the whole flow; coverage must be 1 (use a tariff with coverage for a partial measure)")
        if self.type != "tariff" and self.mode != "add":
            raise ValueError(f"mode applies to tariffs only, not to a {self.type} shock; remove 'mode'")
        if self.retaliation != "none":
            if self.type != "tariff":
                raise ValueError(f"retaliation answers a tariff, not a {self.type} shock; remove 'retaliation'")
            if WORLD in self.importers:
                raise ValueError("retaliation needs an imposing country, but importers is 'all'; name the imposing countries in importers")
            if self.both_ways:
                raise ValueError("retaliation and both_ways cannot be combined (both_ways already applies the shock in both directions)")
        for fld, base in (("except_importers", "importers"), ("except_exporters", "exporters")):
            inside = _union(getattr(self, base))
            for t in getattr(self, fld):
                m = _members(t)
                if inside is not None and (m is None or not m <= inside):
                    raise ValueError(f"{fld}: {t} is not among the {base} ({', '.join(getattr(self, base))}); 'except' can only take out countries that are in {base}")
        codes = self.sector_codes()
        for s in self.except_sectors:
            if not _codes([s], _el.ICIO_SECTORS) <= _codes(self.sectors, _el.ICIO_SECTORS):
                raise ValueError(f"except_sectors: {s} is not among the sectors ({', '.join(self.sectors)}); 'except' can only take out sectors that are in sectors")
        if not codes:
            raise ValueError(f"sectors {', '.join(self.sectors)} except {', '.join(self.except_sectors)} leaves no sector")
        return self

    def sector_codes(self, sectors: Sequence[str] = _el.ICIO_SECTORS) -> set[str]:
        """The sector codes this shock applies to (``sectors`` less ``except_sectors``)."""
        return _codes(self.sectors, sectors) - _codes(self.except_sectors, sectors)


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


@dataclass(frozen=True)
class Side:
    """The countries on one side of a layer: ``members`` (``None`` = every region) less ``excluded``."""

    targets: tuple[str, ...]
    excluded: tuple[str, ...] = ()

    def members(self) -> set[str] | None:
        m = _union(self.targets)
        ex = _union(self.excluded) or set()
        return None if m is None else m - ex

    def overlaps(self, other: Side) -> set[str] | None:
        """Countries on both sides (``None``: every region but finitely many); empty when disjoint."""
        a, b = self.members(), other.members()
        if a is None and b is None:
            return None
        if a is None:
            return b - (_union(self.excluded) or set())
        if b is None:
            return a - (_union(other.excluded) or set())
        return a & b


@dataclass(frozen=True)
class Layer:
    """One shock as applied, in order: a ``[[shocks]]`` entry, or the retaliation it provokes."""

    origin: str
    index: int
    type: str
    importers: Side
    exporters: Side
    sectors: frozenset[str]
    value: float | None
    mode: str
    coverage: float
    combine: str | None
    both_ways: bool
    label: str

    def directions(self) -> list[tuple[Side, Side]]:
        return [(self.importers, self.exporters), (self.exporters, self.importers)] if self.both_ways else [(self.importers, self.exporters)]


def shock_layers(shocks: Sequence[ShockSpec]) -> list[Layer]:
    """The layers of a scenario in the order they apply: each shock, then its retaliation."""
    out = []
    for k, s in enumerate(shocks):
        imp = Side(tuple(s.importers), tuple(s.except_importers))
        exp = Side(tuple(s.exporters), tuple(s.except_exporters))
        codes = frozenset(s.sector_codes())
        out.append(Layer(f"shocks[{k}]", k, s.type, imp, exp, codes, s.value, s.mode, s.coverage, s.combine, s.both_ways, s.label))
        if s.retaliation != "none":
            v = s.value if s.retaliation == "same" else float(s.retaliation)
            out.append(Layer(f"shocks[{k}].retaliation", k, s.type, exp, imp, codes, v, s.mode, s.coverage, s.combine, False,
                             f"retaliation against {s.label or 'shocks[' + str(k) + ']'}"))
    return out


def _who(m: set[str] | None, what: str) -> str:
    return f"any {what}" if m is None else ", ".join(sorted(m)[:3]) + (" ..." if len(m) > 3 else "")


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
    source: str = Field(default="", description="where the shocks come from (order, announcement, paper), for citing")
    date: str = Field(default="", description="date of the measures (ISO 8601), e.g. 2025-04-02")
    base_year: int = Field(default=2022, ge=1995, le=2100)
    deficits: str = Field(default="fixed", description="fixed (CP2015: held in world-GDP units), zero (first solve the "
                          "baseline without deficits, as CP2015's Table 2), proportional (a constant share of each country's GDP, E = phi Y)")
    elasticities: ElasticitySpec = Field(default_factory=ElasticitySpec)
    shocks: list[ShockSpec] = Field(default_factory=list)

    @field_validator("deficits")
    @classmethod
    def _deficits(cls, v: str) -> str:
        if v not in DEFICITS:
            raise ValueError(f"deficits {v!r} is not a deficit rule; use fixed (held in world-GDP units, CP2015), zero (a baseline "
                             "without deficits first, CP2015 Table 2) or proportional (a constant share of GDP, E = phi Y)")
        return v

    @model_validator(mode="after")
    def _no_contradictions(self) -> Scenario:
        layers = shock_layers(self.shocks)
        for b, lb in enumerate(layers):
            for a in range(b):
                la = layers[a]
                if not (la.type == lb.type or "embargo" in (la.type, lb.type)):
                    continue
                sectors = la.sectors & lb.sectors
                if not sectors:
                    continue
                for ia, ea in la.directions():
                    for ib, eb in lb.directions():
                        imp, exp = ia.overlaps(ib), ea.overlaps(eb)
                        if (imp is None or imp) and (exp is None or exp):
                            if la.type == lb.type != "embargo" and lb.combine is not None:
                                continue
                            what = lb.type if la.type == lb.type else "embargo and a " + (la.type if lb.type == "embargo" else lb.type)
                            hint = ("; an embargo cannot be combined with another shock, make them disjoint" if "embargo" in (la.type, lb.type)
                                    else f'; say how they combine with combine = "max" or "add" on {lb.origin}, or make them disjoint')
                            raise ValueError(
                                f"{lb.origin} contradicts {la.origin}: both set a {what} on imports of {_who(imp, 'importer')} "
                                f"from {_who(exp, 'exporter')} in sector {min(sectors)}{hint}"
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


@functools.lru_cache(maxsize=1)
def _builtins() -> tuple[tuple[str, Scenario], ...]:
    out = []
    for entry in sorted(_builtin_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            s = parse_scenario(entry.read_text(encoding="utf-8"), origin=entry.name)
            out.append((s.name, s))
    return tuple(out)


def builtin_scenarios() -> dict[str, Scenario]:
    """The scenarios shipped with geohedge, by name (parsed once per process: they are package data)."""
    return dict(_builtins())


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
    sector j]; ``touched`` (N,) marks importers and exporters of some shock; ``notes`` lists
    what was left out (bloc members outside the table, non-tradable sectors); ``d_hat``
    (N, N, J) is the iceberg part of ``kappa_hat`` (1 where only tariffs change; ``None``
    when unknown), used by the welfare decomposition.
    """

    kappa_hat: np.ndarray
    tau_new: np.ndarray
    touched: np.ndarray
    notes: tuple[str, ...] = field(default=())
    d_hat: np.ndarray | None = None


def _side_index(side: Side, fld: str, origin: str, pos: Mapping[str, int], N: int, notes: list[str]) -> np.ndarray:
    idx: set[int] = set()
    for t in side.targets:
        members = _members(t)
        if members is None:
            idx |= set(range(N))
        elif t == ROW:
            if ROW in pos:
                idx.add(pos[ROW])
            else:
                notes.append(f"{origin}.{fld}: the table has no rest-of-world region (it is folded into its countries); ROW left out")
        elif t in _countries.bloc_names():
            absent = sorted(members - set(pos))
            if absent:
                notes.append(f"{origin}.{fld}: {t} members not in the table left out: {', '.join(absent)}")
            idx |= {pos[m] for m in members if m in pos}
        elif t not in pos:
            name = _countries.country(t).name
            raise InputError(
                f"{origin}.{fld}: {t} ({name}) is not a separate region of the input-output table "
                f"(it is inside the rest of the world); use one of its {N} regions"
            )
        else:
            idx.add(pos[t])
    for t in side.excluded:
        members = _members(t) or set()
        idx -= {pos[m] for m in members if m in pos}
    return np.array(sorted(idx), dtype=int)


def shock_arrays(
    scenario: Scenario,
    countries: Sequence[str],
    sectors: Sequence[str],
    tradable: np.ndarray | None = None,
    tau0: np.ndarray | None = None,
) -> ShockArrays:
    """Translate the shocks of a scenario into ``kappa_hat`` and ``tau_new`` for a table.

    ``tau0`` (N, N, J) holds the baseline tariffs (default zero). Layers
    (:func:`shock_layers`) apply in order: a tariff layer's full rate is ``tau0 + v``
    (``mode = "add"``), ``v`` (``"set"``) or ``max(tau0, v)`` (``"at_least"``), and the
    flow's rate is ``tau0 + coverage * (full - tau0)``; on flows an earlier tariff layer set,
    ``combine = "max"`` keeps the higher rate and ``"add"`` adds the increment. Then
    ``kappa_hat = (1 + tau_new) / (1 + tau0) * d_hat``. Domestic cells (importer =
    exporter) are never shocked; shocks skip non-tradable sectors.

    Raises
    ------
    InputError
        A country named in the scenario is not a separate region of the table, a sector is
        not in the table, or a tariff would reach -100% or below.
    """
    countries = list(countries)
    N, J = len(countries), len(sectors)
    pos = {c: k for k, c in enumerate(countries)}
    spos = {s: k for k, s in enumerate(sectors)}
    tradable = np.ones(J, bool) if tradable is None else np.asarray(tradable, bool)
    base = np.zeros((N, N, J)) if tau0 is None else np.asarray(tau0, dtype=float)
    tau = base.copy()
    d_hat = np.ones((N, N, J))
    tariff_set = np.zeros((N, N, J), bool)
    cost_set = np.zeros((N, N, J), bool)
    embargo = np.zeros((N, N, J), bool)
    touched = np.zeros(N, bool)
    notes: list[str] = []
    for layer in shock_layers(scenario.shocks):
        sides = (_side_index(layer.importers, "importers", layer.origin, pos, N, notes),
                 _side_index(layer.exporters, "exporters", layer.origin, pos, N, notes))
        spec = scenario.shocks[layer.index]
        codes = spec.sector_codes(sectors)
        missing = sorted(c for c in codes if c not in spos)
        if missing:
            raise InputError(f"{layer.origin}.sectors: sector {missing[0]} is not in the table")
        named = set(spec.sectors)
        js = np.array(sorted(spos[c] for c in codes), dtype=int)
        skipped = [sectors[j] for j in js if not tradable[j] and sectors[j] in named]
        if skipped:
            notes.append(f"{layer.origin}.sectors: non-tradable sectors are not shocked: {', '.join(skipped)}")
        js = js[tradable[js]] if len(js) else js
        dirs = [(sides[0], sides[1]), (sides[1], sides[0])] if layer.both_ways else [(sides[0], sides[1])]
        for imp, exp in dirs:
            if len(imp) == 0 or len(exp) == 0 or len(js) == 0:
                continue
            touched[imp] = True
            touched[exp] = True
            cell = np.ix_(imp, exp, js)
            c = layer.coverage
            if layer.type == "tariff":
                b0 = base[cell]
                v = layer.value / 100.0
                full = b0 + v if layer.mode == "add" else (np.full_like(b0, v) if layer.mode == "set" else np.maximum(b0, v))
                new = b0 + c * (full - b0)
                had = tariff_set[cell]
                if layer.combine == "max":
                    new = np.where(had, np.maximum(tau[cell], new), new)
                elif layer.combine == "add":
                    new = np.where(had, tau[cell] + (new - b0), new)
                if (new <= -1).any():
                    raise InputError(f"{layer.origin}: a tariff of {layer.value:+g} pp takes some baseline rates to -100% or below")
                tau[cell] = new
                tariff_set[cell] = True
            elif layer.type == "trade_cost":
                factor = np.full((len(imp), len(exp), len(js)), 1.0 + c * layer.value / 100.0)
                had = cost_set[cell]
                if layer.combine == "max":
                    prev = d_hat[cell]
                    factor = np.where(had & (np.abs(prev - 1) > np.abs(factor - 1)), prev, factor)
                elif layer.combine == "add":
                    factor = np.where(had, d_hat[cell] * factor, factor)
                d_hat[cell] = factor
                cost_set[cell] = True
            else:
                embargo[cell] = True
    diag = np.arange(N)
    tau[diag, diag, :] = base[diag, diag, :]
    d_hat[diag, diag, :] = 1.0
    embargo[diag, diag, :] = False
    kappa = (1.0 + tau) / (1.0 + base) * d_hat
    kappa[embargo] = np.inf
    tau[embargo] = base[embargo]
    d_hat[embargo] = 1.0
    return ShockArrays(kappa_hat=kappa, tau_new=tau, touched=touched, notes=tuple(dict.fromkeys(notes)), d_hat=d_hat)


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
