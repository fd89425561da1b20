"""The linearised welfare decomposition of Caliendo & Parro (2015): terms of trade and
volume of trade, by country and sector.

Source: Caliendo, L. and Parro, F. (2015), "Estimates of the Trade and Welfare Effects of
NAFTA", Review of Economic Studies 82(1), 1-44, section 4.3 (the decomposition of
``d ln W_n``) and Table 2; computed as the authors' replication code does
(``Welfarelineal.m`` in Data_and_Codes_CP.zip): finite changes ``c_hat - 1`` and
``T1 / T0 - 1`` in place of the differentials. It is an approximation of the exact change
``W_hat - 1`` that is good for small shocks and drifts for large ones (CP2015's NAFTA
counterfactual: Mexico +1.31% linearised against +0.01% exact).

Notation (axis order and units)
-------------------------------
============ ============ ==============================================================
name         shape        meaning
============ ============ ==============================================================
``T0, T1``   (N, N, J)    baseline and counterfactual sales of exporter i to importer n,
                          sector j, at exporter prices ``[n, i, j]`` (any money unit)
``c_hat``    (N, J)       change in unit costs of input bundles (model numeraire)
``tau0``     (N, N, J)    baseline ad valorem tariffs (fractions)
``d_hat``    (N, N, J)    change in iceberg trade costs (1: none)
``I0``       (N,)         baseline income ``VA + R + D``, same unit as the flows
============ ============ ==============================================================

For country n and sector j (n's exports ``T0[i, n, j]``, imports ``T0[n, i, j]``)::

    ToT[n, j] = (sum_i T0[i,n,j] (c_hat[n,j] - 1) - sum_i T0[n,i,j] (c_hat[i,j] - 1)) / I0[n]
    VoT[n, j] = sum_i tau0[n,i,j] T0[n,i,j] ((T1 / T0 - 1)[n,i,j] - (c_hat[i,j] - 1)) / I0[n]
    TC[n, j]  = -sum_i (1 + tau0[n,i,j]) T0[n,i,j] (d_hat[n,i,j] - 1) / I0[n]

Domestic sales enter both sums of ToT and cancel. TC, the direct effect of a change in
iceberg costs, is zero for tariff-only shocks (CP2015 change tariffs only); its form
follows the extension in the ``cp2015`` R package (github.com/paulofelipe/cp2015,
``compute_results.R``). Embargoed flows (``d_hat`` infinite) contribute through ToT and
VoT only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["WelfareDecomposition", "welfare_decomposition"]


@dataclass(frozen=True, eq=False)
class WelfareDecomposition:
    """CP2015's linearised welfare change by country and sector, as fractions of income
    (0.01 = 1%): ``terms_of_trade``, ``volume_of_trade``, ``trade_cost`` (N, J); their sums
    over sectors are the country totals, and ``total()`` is the linearised welfare change."""

    terms_of_trade: np.ndarray
    volume_of_trade: np.ndarray
    trade_cost: np.ndarray

    def tot(self) -> np.ndarray:
        return self.terms_of_trade.sum(axis=1)

    def vot(self) -> np.ndarray:
        return self.volume_of_trade.sum(axis=1)

    def tc(self) -> np.ndarray:
        return self.trade_cost.sum(axis=1)

    def total(self) -> np.ndarray:
        """The linearised welfare change (N,): terms of trade + volume of trade + trade costs."""
        return self.tot() + self.vot() + self.tc()


def welfare_decomposition(
    T0: np.ndarray, T1: np.ndarray, c_hat: np.ndarray, tau0: np.ndarray, I0: np.ndarray, d_hat: np.ndarray | None = None,
) -> WelfareDecomposition:
    """Terms-of-trade, volume-of-trade and trade-cost parts of the linearised welfare change
    (CP2015 section 4.3, as ``Welfarelineal.m`` computes it; module docstring)."""
    dc = c_hat - 1.0
    exports = np.einsum("inj,nj->nj", T0, dc)  # sum_i T0[i, n, j] (c_hat[n, j] - 1)
    imports = np.einsum("nij,ij->nj", T0, dc)  # sum_i T0[n, i, j] (c_hat[i, j] - 1)
    tot = (exports - imports) / I0[:, None]
    growth = np.divide(T1, T0, out=np.ones_like(T1), where=T0 > 0) - 1.0
    vot = np.einsum("nij,nij->nj", tau0 * T0, growth - dc[None, :, :]) / I0[:, None]
    if d_hat is None:
        tc = np.zeros_like(tot)
    else:
        dd = np.where(np.isfinite(d_hat), d_hat - 1.0, 0.0)
        tc = -np.einsum("nij,nij->nj", (1.0 + tau0) * T0, dd) / I0[:, None]
    return WelfareDecomposition(terms_of_trade=tot, volume_of_trade=vot, trade_cost=tc)
