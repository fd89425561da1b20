"""Errors raised by geohedge.

Every error a user can cause or fix is a :class:`GeohedgeError`; the CLI prints its
message on one line (``error: ...``) and exits with code 2, the API maps it to
``http_status``. Anything else escaping geohedge is a bug and keeps its traceback.

::

    GeohedgeError                 (500)
    ├── InputError                (400)  unknown country, bad option, bad scenario or file argument
    ├── DataError                 (422)  malformed file, checksum mismatch, schema or missing data
    ├── ModelError                (500)
    │   └── ConvergenceError      (500)  solver stopped before its tolerance (iterations, residual)
    └── StoreError                (503)  store missing, locked or unreadable
"""

from __future__ import annotations

__all__ = [
    "ConvergenceError",
    "DataError",
    "GeohedgeError",
    "InputError",
    "ModelError",
    "StoreError",
]


class GeohedgeError(Exception):
    """Base of all errors geohedge raises on purpose."""

    http_status = 500


class InputError(GeohedgeError):
    """Input the user gave is invalid: an unknown country, an impossible option value."""

    http_status = 400


class DataError(GeohedgeError):
    """A data file or download is malformed, corrupt or incomplete."""

    http_status = 422


class ModelError(GeohedgeError):
    """A model cannot produce a valid result for its inputs."""

    http_status = 500


class ConvergenceError(ModelError):
    """An iterative solver stopped before reaching its tolerance."""

    def __init__(self, message: str, *, iterations: int, residual: float, tolerance: float):
        super().__init__(
            f"{message} (iterations={iterations}, residual={residual:.3g}, tolerance={tolerance:.3g})"
        )
        self.iterations = iterations
        self.residual = residual
        self.tolerance = tolerance


class StoreError(GeohedgeError):
    """The local store is missing, locked or cannot be read or written."""

    http_status = 503
