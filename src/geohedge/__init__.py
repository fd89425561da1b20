"""geohedge: analytics for middle powers hedging against great-power pressure.

The public API is this short list; everything else is reachable through its module.
Importing geohedge does nothing else: no folders, no logging set-up, no data loaded.
"""

__version__ = "0.1.0"  # first: modules below read it

from geohedge.countries import Country, bloc_members, country, groups_of, resolve
from geohedge.data.bundle import build_bundle
from geohedge.views.exposure import exposure_view
from geohedge.data.queries import query_status, query_trade
from geohedge.data.store import Store, open_store
from geohedge.errors import ConvergenceError, DataError, GeohedgeError, InputError, ModelError, StoreError
from geohedge.iotable import IOTable
from geohedge.report.brief import build_brief


__all__ = [
    "__version__",
    "Country",
    "resolve",
    "country",
    "groups_of",
    "bloc_members",
    "IOTable",
    "Store",
    "open_store",
    "build_bundle",
    "query_status",
    "query_trade",
    "exposure_view",
    "build_brief",
    "GeohedgeError",
    "InputError",
    "DataError",
    "ModelError",
    "ConvergenceError",
    "StoreError",
]
