"""Shocks: scenario files and a general-equilibrium model of trade with input-output links
(Caliendo & Parro 2015, solved in changes). Pure functions: no I/O beyond reading the
scenario TOML a caller names.

Typical use::

    from geohedge.shocks import baseline_from_iotable, builtin_scenario, solve
    b = baseline_from_iotable(table)            # table: geohedge.IOTable
    result = solve(b, builtin_scenario("us-tariff-mys-24"))
    result.to_frame(); result.diversion("MYS").summary()
"""

from geohedge.shocks.calibrate import Baseline, baseline_from_iotable
from geohedge.shocks.model import (
    EquilibriumResiduals,
    equilibrium_residuals,
    solve,
    solve_arrays,
)
from geohedge.shocks.montecarlo import montecarlo_welfare
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
    "baseline_from_iotable",
    "builtin_scenario",
    "builtin_scenarios",
    "equilibrium_residuals",
    "load_scenario",
    "montecarlo_welfare",
    "parse_scenario",
    "solve",
    "solve_arrays",
]
