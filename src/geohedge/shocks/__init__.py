"""Shocks: scenario files and a general-equilibrium model of trade with input-output links
(Caliendo & Parro 2015, solved in changes). Pure functions: no I/O beyond reading the
scenario TOML a caller names and the scenario and elasticity files shipped in the package.

Typical use on the ICIO table::

    from geohedge.shocks import baseline_from_iotable, builtin_scenario, solve
    b = baseline_from_iotable(table)            # table: geohedge.IOTable
    result = solve(b, builtin_scenario("us-reciprocal-2025-04"))
    result.to_frame(); result.diversion("MYS").summary()

Any economy, from arrays (flows, value-added and input shares, tariffs, elasticities)::

    from geohedge.shocks import baseline_from_arrays, solve_counterfactual
    b = baseline_from_arrays(trade, gamma_va=gva, gamma_io=gio, tau=tau0, theta=theta)
    r = solve_counterfactual(b, tau1=tau_new, deficits="zero")
    r.to_frame()[["country", "real_income_change", "welfare_linear_cp2015"]]
"""

from geohedge.shocks.calibrate import Baseline, baseline_from_arrays, baseline_from_iotable
from geohedge.shocks.decomposition import WelfareDecomposition, welfare_decomposition
from geohedge.shocks.library import deepen_ties_scenario
from geohedge.shocks.model import (
    EquilibriumResiduals,
    equilibrium_residuals,
    rebalance_baseline,
    solve,
    solve_arrays,
    solve_counterfactual,
)
from geohedge.shocks.montecarlo import montecarlo_welfare, welfare_by_set
from geohedge.shocks.results import (
    Convergence,
    DiversionResult,
    MonteCarloResult,
    ShockResult,
)
from geohedge.shocks.scenario import (
    Scenario,
    builtin_scenario,
    builtin_scenarios,
    load_scenario,
    parse_scenario,
)

__all__ = [
    "Baseline",
    "Convergence",
    "DiversionResult",
    "EquilibriumResiduals",
    "MonteCarloResult",
    "Scenario",
    "ShockResult",
    "WelfareDecomposition",
    "baseline_from_arrays",
    "baseline_from_iotable",
    "builtin_scenario",
    "builtin_scenarios",
    "deepen_ties_scenario",
    "equilibrium_residuals",
    "load_scenario",
    "montecarlo_welfare",
    "parse_scenario",
    "rebalance_baseline",
    "solve",
    "solve_arrays",
    "solve_counterfactual",
    "welfare_by_set",
    "welfare_decomposition",
]
