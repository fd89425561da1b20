"""Partners: who a middle power should deepen ties with, what it buys, and a partner portfolio.

Pure functions over DataFrames and arrays (see :mod:`geohedge.views.partners` for the store
reads and the shock-model runs): :func:`partner_scores` ranks partners on seven components
with user weights; :func:`deepen_result` turns a shock-model solve into what deepening ties
buys; :func:`optimal_portfolio` and :func:`frontier` choose target trade shares that
minimise the tail loss from great-power shock scenarios.
"""

from geohedge.partners.deepen import deepen_result, deepen_scenario
from geohedge.partners.portfolio import frontier, optimal_portfolio
from geohedge.partners.results import (
    Component,
    DeepenResult,
    Frontier,
    GravityFit,
    PartnerScores,
    PortfolioResult,
    Weights,
)
from geohedge.partners.scoring import (
    COMPONENTS,
    default_weights,
    gravity_benchmark,
    load_weights,
    parse_weights,
    partner_scores,
)

__all__ = [
    "COMPONENTS", "Component", "DeepenResult", "Frontier", "GravityFit", "PartnerScores", "PortfolioResult", "Weights",
    "deepen_result", "deepen_scenario", "default_weights", "frontier", "gravity_benchmark", "load_weights",
    "optimal_portfolio", "parse_weights", "partner_scores",
]
