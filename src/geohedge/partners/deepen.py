"""Deepening ties, quantified: the scenario (tariffs removed, trade costs cut both ways between
the home country and a partner) and what its shock-model solution means for the home country.

The scenario is solved by :func:`geohedge.shocks.solve` (Caliendo & Parro 2015 in changes);
this module only builds the scenario and reads the result: the home country's welfare
(real income) change, its direct trade shares with each great-power bloc and its effective
exposure to each (``(s W)_b``, direct plus one step through partners) before and after, its
great-power concentration ``C = sum_b (s W)_b`` (:mod:`geohedge.partners.scoring`), and its
trade with the partner.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geohedge import countries as _countries
from geohedge.errors import InputError
from geohedge.exposure.trade import DEFAULT_BLOCS, bloc_of
from geohedge.partners import _kernels as K
from geohedge.partners.results import DeepenResult
from geohedge.shocks.results import ShockResult
from geohedge.shocks.scenario import Scenario, parse_scenario

__all__ = ["bloc_exposure", "concentration_of", "deepen_result", "deepen_scenario", "gp_weight_matrix"]


def gp_weight_matrix(codes: Sequence[str], V: np.ndarray, blocs: Sequence[str] = DEFAULT_BLOCS) -> tuple[np.ndarray, tuple[str, ...]]:
    """``W`` (N, B) for countries ``codes`` given total trade ``V`` (N, N); returns ``W`` and the bloc names.

    ``W[p, b] = 1`` if ``p`` belongs to bloc ``b``, else the share of ``p``'s own trade that is
    with ``b`` (one step of indirect exposure); ``C = sum_b (s W)_b`` is the great-power
    concentration of trade shares ``s``.
    """
    mapping = bloc_of(list(codes), blocs)
    known = set(_countries.bloc_names())
    names = tuple(dict.fromkeys(b.strip().upper() if b.strip().upper() in known else _countries.resolve(b) for b in blocs))
    member = np.array([[mapping[c] == b for b in names] for c in codes], dtype=bool)
    return K.gp_weights(V, member), names


def deepen_scenario(home: str, partner: str, *, cost_cut: float = 20.0, base_year: int = 2022, elasticities: str = "uniform") -> Scenario:
    """Tariffs set to zero and iceberg trade costs cut by ``cost_cut`` percent, both ways, all sectors.

    Elasticities default to ``uniform`` (theta = 5 in every sector): under the
    Caliendo–Parro (2015) sector estimates, goods such as petroleum and mining carry
    elasticities above 15 (up to about 50), so a 20% cut multiplies a small flow's share by
    ``0.8**-51`` and MYS–TUR trade grows 24-fold; ``cp2015`` remains available.

    Raises
    ------
    InputError
        Unknown country, the same country twice, or a cut outside [0, 100).
    """
    h, p = _countries.resolve(home), _countries.resolve(partner)
    if h == p:
        raise InputError(f"--deepen {partner}: the partner must differ from the home country {h}")
    if not (0.0 <= cost_cut < 100.0):
        raise InputError(f"cost cut {cost_cut:g}% must be in [0, 100), e.g. 20 for a 20% cut in trade costs")
    spec = {
        "name": f"deepen-{h.lower()}-{p.lower()}",
        "title": f"{h}-{p} deeper ties: tariffs removed, trade costs -{cost_cut:g}% both ways",
        "description": f"{h} and {p} remove remaining tariffs and cut iceberg trade costs by {cost_cut:g}% both ways, all tradable sectors.",
        "base_year": base_year,
        "elasticities": {"kind": elasticities},
        "shocks": [
            {"type": "tariff", "importers": [h], "exporters": [p], "value": 0, "mode": "set", "both_ways": True},  # removes the baseline rate
            {"type": "trade_cost", "importers": [h], "exporters": [p], "value": -float(cost_cut), "both_ways": True},
        ],
    }
    return parse_scenario(spec, origin="deepen")


def bloc_exposure(T: np.ndarray, countries: Sequence[str], home: str, blocs: Sequence[str] = DEFAULT_BLOCS) -> pd.Series:
    """``home``'s effective exposure to each great-power bloc, ``(s W)_b`` (share of trade), from
    trade ``T`` (N, N, J) [importer, exporter, sector]; the values sum to ``C``."""
    X = T.sum(axis=2).astype(float)
    np.fill_diagonal(X, 0.0)
    V = X + X.T
    W, names = gp_weight_matrix(list(countries), V, blocs)
    h = list(countries).index(home)
    return pd.Series(V[h] / V[h].sum() @ W, index=list(names))


def concentration_of(T: np.ndarray, countries: Sequence[str], home: str, blocs: Sequence[str] = DEFAULT_BLOCS) -> float:
    """Great-power concentration ``C`` of ``home`` from trade ``T`` (N, N, J) [importer, exporter, sector]."""
    return float(bloc_exposure(T, countries, home, blocs).sum())


def deepen_result(result: ShockResult, home: str, partner: str, *, cost_cut: float, blocs: Sequence[str] = DEFAULT_BLOCS) -> DeepenResult:
    """Read a solved deepen-ties scenario for the home country.

    Raises
    ------
    InputError
        ``home`` or ``partner`` is not a region of the solved model.
    """
    for c in (home, partner):
        if c not in result.countries:
            raise InputError(f"{c} is not a region of the model; regions: {', '.join(result.countries)}")
    f = result.to_frame().set_index("country")
    div = result.diversion(home, blocs)
    bil = result.bilateral_frame()
    rows = []
    for flow, (ex, im) in (("exports", (home, partner)), ("imports", (partner, home))):
        hit = bil[(bil["exporter"] == ex) & (bil["importer"] == im)]
        base = float(hit["base_usd_mn"].sum())
        new = float(hit["new_usd_mn"].sum())
        rows.append({"flow": flow, "base_usd_mn": base, "new_usd_mn": new, "change_usd_mn": new - base,
                     "change": new / base - 1.0 if base > 0 else np.nan})
    e0 = bloc_exposure(result.T0, result.countries, home, blocs)
    e1 = bloc_exposure(result.T1, result.countries, home, blocs)
    c0, c1 = float(e0.sum()), float(e1.sum())
    exposure = pd.DataFrame({"bloc": e0.index, "base_share": e0.to_numpy(), "new_share": e1.to_numpy()})
    exposure["change_pp"] = 100 * (exposure["new_share"] - exposure["base_share"])
    return DeepenResult(
        home=home, partner=partner, cost_cut=float(cost_cut), scenario=result.scenario,
        welfare_change=float(f.loc[home, "welfare_change"]), partner_welfare_change=float(f.loc[partner, "welfare_change"]),
        blocs=div.blocs.copy(), exposure=exposure, concentration_base=c0, concentration_new=c1, trade=pd.DataFrame(rows),
        convergence=result.convergence.label(), provenance=result.provenance, notes=tuple(result.notes),
    )
