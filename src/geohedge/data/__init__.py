"""Data layer: sources (files and downloads), the offline bundle, and the DuckDB store.

This package and ``cli``, ``report`` and ``api`` are the only places that do I/O.
"""
