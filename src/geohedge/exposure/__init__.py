"""Exposure: direct trade shares and concentration, value-chain (Leontief) exposure,
critical-material supply risk; by partner, bloc and sector. Pure functions: no I/O."""

from geohedge.exposure.materials import supply_risk
from geohedge.exposure.results import Provenance, SupplyRisk, ValueAddedExposure
from geohedge.exposure.trade import (
    DEFAULT_BLOCS,
    bloc_shares,
    bloc_table,
    concentration,
    concentration_summary,
    partner_shares,
    partner_table,
    sector_destinations,
)
from geohedge.exposure.value_chain import (
    ValueChainModel,
    value_added_by_bloc,
    value_added_by_sector,
    value_added_exposure,
    value_chain_model,
)

__all__ = [
    "DEFAULT_BLOCS",
    "Provenance",
    "SupplyRisk",
    "ValueAddedExposure",
    "ValueChainModel",
    "bloc_shares",
    "bloc_table",
    "concentration",
    "concentration_summary",
    "partner_shares",
    "partner_table",
    "sector_destinations",
    "supply_risk",
    "value_added_by_bloc",
    "value_added_by_sector",
    "value_added_exposure",
    "value_chain_model",
]
