"""Exposure: direct trade shares and concentration, value-chain (Leontief) exposure,
critical-material supply risk; by partner, bloc and sector. Pure functions: no I/O."""

from geohedge.exposure.results import Provenance, ValueAddedExposure
from geohedge.exposure.value_chain import ValueChainModel, value_added_exposure, value_chain_model

__all__ = ["Provenance", "ValueAddedExposure", "ValueChainModel", "value_chain_model", "value_added_exposure"]
