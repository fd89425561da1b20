"""Partners: who a middle power should deepen ties with, what it buys, and a partner portfolio.

Pure functions over DataFrames and arrays (see :mod:`geohedge.views.partners` for the store
reads and the shock-model runs): :func:`partner_scores` ranks partners by the reduction in
great-power exposure they can deliver, discounted by reliability (with rank intervals);
:func:`explain_partner` says what holds one partner back; :func:`deepen_result` turns a
shock-model solve into what deepening ties buys; :func:`optimal_portfolio` and
:func:`frontier` choose target trade shares that minimise the tail loss from great-power
shock scenarios; :func:`potential_backtest` tests whether untapped potential predicted trade.
"""

from geohedge.partners.agreements import agreements_between, check_agreements
from geohedge.partners.backtest import potential_backtest
from geohedge.partners.deepen import deepen_result, deepen_scenario
from geohedge.partners.explain import explain_partner
from geohedge.partners.gravity import gravity_benchmark
from geohedge.partners.portfolio import frontier, optimal_portfolio
from geohedge.partners.results import (
    Backtest,
    Component,
    DeepenResult,
    Frontier,
    GravityFit,
    PartnerData,
    PartnerExplanation,
    PartnerScores,
    PortfolioResult,
    VAExposure,
    Weights,
)
from geohedge.partners.scoring import (
    COMPONENTS,
    default_weights,
    load_weights,
    parse_weights,
    partner_scores,
    score_partners,
)

__all__ = [
    "COMPONENTS", "Backtest", "Component", "DeepenResult", "Frontier", "GravityFit", "PartnerData", "PartnerExplanation",
    "PartnerScores", "PortfolioResult", "VAExposure", "Weights",
    "agreements_between", "check_agreements", "deepen_result", "deepen_scenario", "default_weights", "explain_partner", "frontier",
    "gravity_benchmark", "load_weights", "optimal_portfolio", "parse_weights", "partner_scores", "potential_backtest", "score_partners",
]
