"""The canonical inter-country input-output table.

Every source (the offline bundle's ICIO cache, the full OECD ICIO CSV release) parses to
one :class:`IOTable`; nothing downstream knows which source a table came from.

Notation (axis order and units)
-------------------------------
============ ================ ============================================================
name         shape            meaning (USD millions, current prices)
============ ================ ============================================================
``Z``        (N*J, N*J)       intermediate flows; rows sell, columns buy; node r = n*J + j
``F``        (N*J, M)         sales to final demand, by destination region: the N countries,
                              then any region outside the table (``final_regions``; e.g.
                              ``ROW``, whose purchases the table does not model and so are
                              final demand from its point of view); M = N when there is none
``x``        (N*J,)           output: ``Z.sum(1) + F.sum(1)``
``va``       (N*J,)           value added: ``x - Z.sum(0)``
============ ================ ============================================================

Nodes are ordered country-major (all sectors of the first country, then the next), as in
the OECD ICIO files and pymrio.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["IOTable"]


@dataclass(frozen=True, eq=False)
class IOTable:
    """An inter-country input-output table (USD millions), country-major node order.

    Attributes
    ----------
    year
        Reference year.
    countries, sectors
        Codes (ICIO country codes are ISO3; sector codes are ICIO/ISIC rev.4 codes).
    Z
        Intermediate flows, shape (N*J, N*J).
    F
        Final-demand sales by destination region, shape (N*J, M): the N countries in order,
        then the regions of ``final_regions`` beyond them.
    gross_output
        Output as reported by the source, shape (N*J,), or ``None``; may differ from
        ``x`` where the source balanced the table (the bundle: within 1.6%).
    approximate
        ``True`` when part of ``F``'s split across destinations was estimated rather than read.
    final_regions
        Labels of ``F``'s columns when it has more than the N countries (the countries, then
        e.g. ``"ROW"``); empty means ``countries``.
    approximate_nodes
        (N*J,) bool or ``None``: which sellers' destination split is estimated.
    source
        Human-readable source, e.g. ``"OECD ICIO 2025 release via sanction-simulator 0.1.4"``.
    meta
        Source-specific records kept for provenance (e.g. the bundle's ``audit``).
    """

    year: int
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    Z: np.ndarray
    F: np.ndarray
    gross_output: np.ndarray | None = None
    country_names: dict[str, str] = field(default_factory=dict)
    sector_names: dict[str, str] = field(default_factory=dict)
    approximate: bool = False
    source: str = ""
    meta: dict[str, object] = field(default_factory=dict)
    final_regions: tuple[str, ...] = ()
    approximate_nodes: np.ndarray | None = None

    @property
    def destinations(self) -> tuple[str, ...]:
        """Labels of ``F``'s columns: the countries, then any region outside the table."""
        return self.final_regions or self.countries

    @property
    def F_countries(self) -> np.ndarray:
        """Final sales to the table's own N countries, shape (N*J, N)."""
        return self.F[:, : self.n_countries]

    @property
    def x(self) -> np.ndarray:
        """Output by node: intermediate plus final sales, ``x = Z 1 + F 1``."""
        return self.Z.sum(axis=1) + self.F.sum(axis=1)

    @property
    def va(self) -> np.ndarray:
        """Value added by node: output less intermediate inputs, ``va = x - 1'Z``."""
        return self.x - self.Z.sum(axis=0)

    @property
    def n_countries(self) -> int:
        return len(self.countries)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    def node_index(self) -> pd.MultiIndex:
        """(country, sector) index of the nodes, country-major."""
        return pd.MultiIndex.from_product([self.countries, self.sectors], names=["country", "sector"])

    def bilateral_trade(self) -> pd.DataFrame:
        """Exports by exporter, importer and sector (intermediate plus final), USD millions.

        Returns
        -------
        DataFrame
            Columns ``exporter, importer, sector, value_usd_mn``; importers include any
            region outside the table (``final_regions``); domestic sales and zero flows are
            left out.
        """
        N, J = self.n_countries, self.n_sectors
        M = self.F.shape[1]
        # Sum intermediate sales over the buying sectors of each destination country.
        inter = np.zeros((N * J, M))
        inter[:, :N] = self.Z.reshape(N * J, N, J).sum(axis=2)  # (N*J seller, N buyer country)
        total = (inter + self.F).reshape(N, J, M)  # exporter, sector, importer
        e, j, m = np.nonzero(total)
        keep = e != m
        e, j, m = e[keep], j[keep], m[keep]
        c = np.asarray(self.countries)
        d = np.asarray(self.destinations)
        s = np.asarray(self.sectors)
        return pd.DataFrame(
            {"exporter": c[e], "importer": d[m], "sector": s[j], "value_usd_mn": total[e, j, m]}
        )
