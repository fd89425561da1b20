"""Imported by the scenario fork server only (:data:`geohedge.api._runner.PRELOAD`): builds
the per-process tables every run needs once, so each forked run starts with them.

Importing it does work on purpose (country index, built-in scenarios, the scenario
model's schema); nothing else imports it.
"""

from __future__ import annotations

from geohedge import countries as _countries
from geohedge.shocks.scenario import builtin_scenarios as _builtin_scenarios

_countries.resolve("MYS")
_builtin_scenarios()
