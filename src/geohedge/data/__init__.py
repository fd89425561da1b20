"""Data layer: sources (files and downloads), the offline bundle, and the DuckDB store.

This package, ``views`` and ``cli``, ``report`` and ``api`` are the only places that do I/O;
store-backed assembly for each topic lives in :mod:`geohedge.views`.
"""
