"""One-dimensional ideal points per country and session from UN General Assembly votes.

Estimator
---------
A dynamic ordered item response model in the spirit of Bailey, Strezhnev & Voeten
(2017), "Estimating Dynamic State Preferences from United Nations Voting Data",
*Journal of Conflict Resolution* 61(2): 430-456 (their eq. 1-3), estimated by maximum a
posteriori (MAP) instead of MCMC:

- Votes are ordered: no < abstain < yes. ``P(y = k) = F(u - eta) - F(l - eta)`` with
  ``eta = beta[j] theta[c, t]``, item cut-points ``a1[j] <= a2[j]`` and the logistic
  ``F`` (an ordered logit; Bailey et al. use an ordered probit, which differs by a scale
  factor of about 1.7 that the final standardisation removes). Items where nobody
  abstained are binary logits (``a1 = a2``).
- **Comparability over time** comes from two sources, as in Bailey et al.:
  (1) *bridging*: roll calls on identical resolutions in different sessions share one
  set of item parameters (identical = same normalised description text, at most once per
  session, amendment and paragraph votes excluded; Bailey et al. identify identical
  resolutions by hand, so this automatic rule is an approximation of theirs), and
  (2) a Gaussian random walk for each country, ``theta[c, t] ~ N(theta[c, t'],
  rw_sd**2 (t - t'))`` between consecutive sessions it voted in.
- **Every session anchored**: besides the random-walk links, each country-session has
  the normal factor ``theta[c, t] ~ N(0, session_sd**2)`` (the prior of a one-session
  fit), not only the country's first session. Measured against the published series
  (docs/alignment.md): with the first session as the only anchor, a bloc that votes as
  one (the USSR, Belarus, Ukraine, Bulgaria, Hungary, Poland, Czechoslovakia, Mongolia)
  drifts along its trajectory to the extreme at the price of a single N(0, 1) factor,
  while the likelihood of its ~50 votes a session keeps rising; in session 22 (1967) it
  sat 3.5 SD below the session mean (published 1.4), the spread of a session's ideal
  points drifted from 1.5 in the 1970s to 0.55 in the 1990s, and 38 of 71 sessions fell
  below r = 0.95. Neither bridging (off: same result) nor the random-walk SD (0.1-1.0:
  no better) was the cause.
- Priors on items: ``beta ~ N(0, beta_sd**2)`` with ``beta_sd = 1``, the scale of the
  unit-variance ideal points (with ``beta_sd = 5`` the penalty on
  ``|theta| |beta|``, which is all a joint MAP sees of the two priors, is too weak to
  stop quasi-separated blocs); cut-points ``a1, a2 ~ N(0, 5**2)``.
- Fitting: block coordinate ascent on the log posterior: a damped Newton step on all
  items at once (a 3 x 3 system per item; concave in the item parameters given theta),
  then a damped Newton step on all ideal points at once (the Hessian is banded: the
  random-walk precision plus a diagonal; one ``solveh_banded`` call). Both steps halve
  until the posterior does not decrease, so the iteration is monotone. It stops when the
  largest change of an ideal point is below ``tol``; otherwise it raises
  :class:`~geohedge.errors.ConvergenceError`.
- Start: per session, each country's agreement with the anchor country (the USA),
  standardised; sessions without a shared vote start at 0.
- Identification: the priors fix location and scale; the sign is set so that the USA's
  mean ideal point is positive (the only orientation rule: no other country is used).
  The reported points are then standardised by one affine map over all country-sessions
  (mean 0, SD 1), which keeps sessions comparable.

Uncertainty
-----------
``laplace`` (default): standard errors from the curvature of the log posterior in the
ideal points at the mode, with the item parameters held at their estimates (each
country's trajectory is one tridiagonal block, inverted exactly). Like the standard
errors of joint-maximum-likelihood and EM ideal points (Imai, Lo & Olmsted 2016), these
ignore the item parameters' own uncertainty and so understate it somewhat.
``bootstrap``: a parametric bootstrap (Lewis & Poole 2004): votes are simulated from the
fitted model for the same country-roll-call pairs, the model is refitted from the
estimates, and the standard error is the SD of each ideal point over ``n_boot`` refits.

Assumptions: one dimension; a country's preference moves as a random walk (smooth unless
the votes say otherwise); identical resolutions mean the same thing in every session;
absences are ignored (missing at random); every vote is conditionally independent given
the ideal points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geohedge.alignment import _kernels as K
from geohedge.alignment.agreement import select_roll_calls, vote_matrix
from geohedge.alignment.results import IdealPoints, Provenance
from geohedge.errors import ConvergenceError, InputError

__all__ = ["bridge_items", "ideal_points"]

_Y = {"no": 0, "abstain": 1, "yes": 2}
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class _Data:
    y: np.ndarray  # sorted: all no, then abstain, then yes
    i: np.ndarray
    j: np.ndarray
    I: int
    J: int
    country: np.ndarray  # per country-session
    session: np.ndarray
    group: np.ndarray
    binary: np.ndarray
    n_votes: np.ndarray
    item_ids: np.ndarray
    n0: int
    n1: int


def bridge_items(roll_calls: pd.DataFrame, bridge_on: str = "descr") -> pd.Series:
    """Item id per roll call: identical resolutions in different sessions share one id.

    Identical means the same text in column ``bridge_on`` (``descr`` for the unvotes
    data, where it holds the resolution's description; ``short`` for UN Digital Library
    data, where it holds the resolution title and ``descr`` only the agenda item), after
    lower-casing and collapsing white space, occurring at most once in each session it
    appears in; amendment and paragraph votes are never bridged.
    """
    if bridge_on not in ("descr", "short"):
        raise InputError(f"unknown bridging column {bridge_on!r}; use 'descr' or 'short'")
    other = "short" if bridge_on == "descr" else "descr"
    text = roll_calls[bridge_on].where(roll_calls[bridge_on].notna(), roll_calls.get(other))
    key = text.fillna("").astype(str).str.lower().str.replace(r"\s+", " ", regex=True).str.strip()
    partial = roll_calls["amend"].astype("boolean").fillna(False).astype(bool) | roll_calls["para"].astype("boolean").fillna(False).astype(bool)
    frame = pd.DataFrame({"rcid": roll_calls["rcid"].to_numpy(), "key": key.to_numpy(), "session": roll_calls["session"].to_numpy(), "partial": partial.to_numpy()})
    per_session = frame.groupby(["key", "session"])["rcid"].transform("size")
    n_sessions = frame.groupby("key")["session"].transform("nunique")
    ok = (~frame["partial"]) & (frame["key"].str.len() >= 12) & (per_session == 1) & (n_sessions > 1)
    item_key = np.where(ok, "k:" + frame["key"], "r:" + frame["rcid"].astype(str))
    return pd.Series(pd.factorize(item_key)[0], index=roll_calls.index, name="item")


def _prepare(votes: pd.DataFrame, calls: pd.DataFrame, bridge: bool, bridge_on: str) -> _Data:
    v = votes[votes["rcid"].isin(calls["rcid"]) & votes["vote"].isin(list(_Y))]
    item = bridge_items(calls, bridge_on) if bridge else pd.Series(np.arange(len(calls)), index=calls.index)
    item_of = pd.Series(item.to_numpy(), index=calls["rcid"].to_numpy())
    session_of = pd.Series(calls["session"].to_numpy(), index=calls["rcid"].to_numpy())
    sess = session_of.reindex(v["rcid"]).to_numpy()
    cs = pd.DataFrame({"country": v["country"].to_numpy(), "session": sess})
    keys = cs.drop_duplicates().sort_values(["country", "session"], ignore_index=True)
    idx = pd.MultiIndex.from_frame(keys)
    i = idx.get_indexer(pd.MultiIndex.from_frame(cs))
    j_raw = item_of.reindex(v["rcid"]).to_numpy()
    j_codes, j = np.unique(j_raw, return_inverse=True)
    y = v["vote"].map(_Y).to_numpy(dtype=np.int8)
    order = np.argsort(y, kind="stable")
    y, i, j = y[order], i[order], j[order]
    J = len(j_codes)
    has_abstain = np.bincount(j, y == 1, minlength=J) > 0
    group = pd.factorize(keys["country"])[0]
    return _Data(y, i.astype(np.int64), j.astype(np.int64), len(keys), J, keys["country"].to_numpy(),
                 keys["session"].to_numpy(dtype=np.int64), group, ~has_abstain, np.bincount(i, minlength=len(keys)), j_codes,
                 int(np.sum(y == 0)), int(np.sum(y == 1)))


def _start(votes: pd.DataFrame, calls: pd.DataFrame, d: _Data, anchor: str) -> np.ndarray:
    """Start: each country's agreement with ``anchor`` in each session, standardised per
    session (sessions without a shared vote start at 0). Orientation only: the anchor
    starts at the positive end."""
    codes, V = vote_matrix(votes, calls["rcid"].to_numpy())
    session_of = calls["session"].to_numpy()
    a = codes.index(anchor)
    pos = pd.Series(np.arange(d.I), index=pd.MultiIndex.from_arrays([d.country, d.session]))
    theta = np.zeros(d.I)
    value = np.where(V == 0, np.nan, (V - 1) / 2.0)
    agree = 1.0 - np.abs(value - value[a][None, :])
    for session in np.unique(session_of):
        block = agree[:, session_of == session]
        counts = np.sum(~np.isnan(block), axis=1)
        score = np.where(counts > 0, np.nansum(block, axis=1) / np.maximum(counts, 1), np.nan)
        ok = ~np.isnan(score)
        if ok.sum() < 2 or np.nanstd(score) == 0:
            continue
        score = (score - np.nanmean(score)) / np.nanstd(score)
        at = pos.reindex(pd.MultiIndex.from_arrays([np.asarray(codes)[ok], np.full(int(ok.sum()), session)])).to_numpy()
        keep = ~np.isnan(at)
        theta[at[keep].astype(int)] = score[ok][keep]
    return theta


def _sweep(d: _Data, x: np.ndarray, bands, s_beta, s_alpha) -> np.ndarray:
    """One block-coordinate ascent sweep: items given theta, then theta given items."""
    theta, beta, a1, a2 = np.split(x, [d.I, d.I + d.J, d.I + 2 * d.J])
    beta, a1, a2, _ = K.item_newton_step(theta, beta, a1, a2, d.i, d.j, d.J, d.n0, d.n1, d.binary, s_beta, s_alpha)
    theta, _, _ = K.theta_newton_step(theta, beta, a1, a2, d.i, d.j, d.I, d.n0, d.n1, bands, d.group)
    return np.concatenate([theta, beta, a1, a2])


def _objective(d: _Data, x: np.ndarray, bands, s_beta, s_alpha) -> float:
    theta, beta, a1, a2 = np.split(x, [d.I, d.I + d.J, d.I + 2 * d.J])
    if np.any(a2[~d.binary] - a1[~d.binary] <= 0) or not np.all(np.isfinite(x)):
        return -np.inf
    return _log_posterior(d, theta, beta, a1, a2, bands, s_beta, s_alpha)


def _fit(d: _Data, theta, beta, a1, a2, bands, s_beta, s_alpha, tol, max_iter, progress, label):
    """Block coordinate ascent accelerated by SQUAREM (Varadhan & Roland 2008, scheme S3),
    with the plain double sweep as the fallback whenever the extrapolation does not
    raise the log posterior: the iteration stays monotone."""
    x = np.concatenate([theta, beta, a1, a2])
    last = np.inf
    for it in range(1, max_iter + 1):
        x1 = _sweep(d, x, bands, s_beta, s_alpha)
        x2 = _sweep(d, x1, bands, s_beta, s_alpha)
        r = x1 - x
        v = x2 - 2.0 * x1 + x
        nv = float(np.linalg.norm(v))
        alpha = -float(np.linalg.norm(r)) / nv if nv > 0 else -1.0
        alpha = min(alpha, -1.0)
        new = x2
        if alpha < -1.0:
            trial = _sweep(d, x - 2.0 * alpha * r + alpha**2 * v, bands, s_beta, s_alpha)
            if _objective(d, trial, bands, s_beta, s_alpha) >= _objective(d, x2, bands, s_beta, s_alpha):
                new = trial
        # measured on the reported (standardised) scale: a slow drift of the overall
        # scale, traded against beta, leaves the reported points unchanged
        last = float(np.max(np.abs(_std(new[: d.I]) - _std(x[: d.I]))))
        x = new
        if progress is not None:
            progress(f"{label}: max change {last:.1e}", it, max_iter)
        if last < tol:
            theta, beta, a1, a2 = np.split(x, [d.I, d.I + d.J, d.I + 2 * d.J])
            return theta, beta, a1, a2, it
    raise ConvergenceError("ideal points did not converge; raise max_iter or loosen tol", iterations=max_iter, residual=last, tolerance=tol)


def _std(theta: np.ndarray) -> np.ndarray:
    return (theta - theta.mean()) / theta.std()


def _log_posterior(d: _Data, theta, beta, a1, a2, bands, s_beta, s_alpha) -> float:
    return float(
        K.item_loglik(theta, beta, a1, a2, d.i, d.j, d.J, d.n0, d.n1, s_beta, s_alpha).sum()
        - 0.5 * float(theta @ (bands[0] * theta)) - float(np.sum(bands[1, :-1] * theta[:-1] * theta[1:]))
    )


def ideal_points(
    votes: pd.DataFrame,
    roll_calls: pd.DataFrame,
    issues: pd.DataFrame | None = None,
    *,
    issue: str | None = None,
    important_only: bool = False,
    sessions: tuple[int, int] | None = None,
    bridge: bool = True,
    bridge_on: str = "descr",
    rw_sd: float = 0.25,
    session_sd: float | None = 1.0,
    beta_sd: float = 1.0,
    anchor: str = "USA",
    uncertainty: str = "laplace",
    n_boot: int = 20,
    seed: int = 0,
    tol: float = 1e-3,
    max_iter: int = 500,
    source: str = "UN General Assembly votes",
    progress: Progress | None = None,
) -> IdealPoints:
    """Dynamic one-dimensional ideal points per country and session (module docstring).

    Parameters
    ----------
    votes, roll_calls, issues
        Frames as for :func:`geohedge.alignment.agreement_scores` (``roll_calls`` also
        needs ``descr``, ``short``, ``amend`` and ``para`` for bridging).
    issue, important_only
        Restrict the roll calls (as for agreement).
    sessions
        ``(first, last)`` sessions to use; default all.
    bridge, bridge_on
        Share item parameters across identical resolutions, matched on column
        ``bridge_on`` (``descr`` for unvotes data, ``short`` for UN Digital Library data;
        see :func:`bridge_items`).
    rw_sd
        Random-walk standard deviation per session, on the prior scale (theta of a
        country's first session ~ N(0, 1)). Smaller is smoother.
    session_sd
        Prior SD of every later country-session around 0 (module docstring); ``None``
        anchors only a country's first session (the model before the published series
        was available to compare with; kept for that comparison).
    beta_sd
        Prior SD of the item discriminations.
    anchor
        Country whose mean ideal point is made positive (orientation only).
    uncertainty
        ``laplace`` or ``bootstrap`` (with ``n_boot`` refits and ``seed``).
    tol, max_iter
        Stop when no ideal point moves more than ``tol`` in one iteration.
    progress
        Optional callback ``progress(step, done, total)``.

    Returns
    -------
    IdealPoints

    Raises
    ------
    InputError
        Bad option, or the anchor did not vote.
    ConvergenceError
        ``max_iter`` reached before ``tol``.
    """
    if uncertainty not in ("laplace", "bootstrap"):
        raise InputError(f"unknown uncertainty method {uncertainty!r}; use 'laplace' or 'bootstrap'")
    for name, value in (("rw_sd", rw_sd), ("beta_sd", beta_sd), ("session_sd", 1.0 if session_sd is None else session_sd)):
        if not value > 0:
            raise InputError(f"{name} must be positive, got {value}")
    if uncertainty == "bootstrap" and n_boot < 2:
        raise InputError(f"bootstrap needs n_boot >= 2, got {n_boot}")
    calls = select_roll_calls(roll_calls, issues, issue=issue, important_only=important_only)
    if sessions is not None:
        calls = calls[(calls["session"] >= sessions[0]) & (calls["session"] <= sessions[1])]
        if calls.empty:
            raise InputError(f"no roll calls in sessions {sessions[0]}-{sessions[1]}")
    d = _prepare(votes, calls, bridge, bridge_on)
    if anchor not in set(d.country):
        raise InputError(f"anchor {anchor!r} cast no vote in the selected roll calls; pick another anchor country")
    s_beta, s_alpha = beta_sd, 5.0
    bands = K.rw_precision_bands(d.group, d.session, rw_sd, 1.0, session_sd)
    theta0 = _start(votes, calls, d, anchor)
    beta0 = np.zeros(d.J)
    share_no = np.bincount(d.j, d.y == 0, minlength=d.J) / np.bincount(d.j, minlength=d.J)
    share_yes = np.bincount(d.j, d.y == 2, minlength=d.J) / np.bincount(d.j, minlength=d.J)
    clip = np.clip
    a1 = np.log(clip(share_no, 0.01, 0.99) / (1 - clip(share_no, 0.01, 0.99)))
    a2 = -np.log(clip(share_yes, 0.01, 0.99) / (1 - clip(share_yes, 0.01, 0.99)))
    a2 = np.where(d.binary, a1, np.maximum(a2, a1 + 0.1))
    for _ in range(3):  # items first, from the PCA start
        beta0, a1, a2, _ = K.item_newton_step(theta0, beta0, a1, a2, d.i, d.j, d.J, d.n0, d.n1, d.binary, s_beta, s_alpha)
    theta, beta, a1, a2, iters = _fit(d, theta0, beta0, a1, a2, bands, s_beta, s_alpha, tol, max_iter, progress, "ideal points")
    sign = 1.0 if theta[d.country == anchor].mean() >= 0 else -1.0
    logpost = _log_posterior(d, theta, beta, a1, a2, bands, s_beta, s_alpha)
    if uncertainty == "laplace":
        _, _, neg_hess = K.theta_newton_step(theta, beta, a1, a2, d.i, d.j, d.I, d.n0, d.n1, bands, d.group, max_halvings=0)
        sd_raw = np.sqrt(K.block_inverse_diagonal(neg_hess, d.group))
    else:
        sd_raw = _bootstrap(d, theta, beta, a1, a2, bands, s_beta, s_alpha, tol, max_iter, n_boot, seed, progress)
    theta = sign * theta
    beta = sign * beta
    m, s = float(theta.mean()), float(theta.std())
    frame = pd.DataFrame({
        "country": d.country, "session": d.session, "year": d.session + 1945,
        "ideal_point": (theta - m) / s, "se": sd_raw / s, "n_votes": d.n_votes,
    })
    items = _items_frame(calls, bridge, bridge_on, beta * s, a1 - beta * m, a2 - beta * m, d)
    settings = {"bridge": bridge, "bridge_on": bridge_on, "rw_sd": rw_sd, "session_sd": session_sd, "beta_sd": beta_sd, "anchor": anchor, "tol": tol, "issue": issue, "important_only": important_only,
                "n_boot": n_boot if uncertainty == "bootstrap" else 0, "seed": seed, "model": "ordered logit, random walk with every session anchored, MAP"}
    subset = ", ".join(x for x in (f"issue {issue}" if issue else "", "important votes" if important_only else "") if x) or "all roll calls"
    prov = Provenance(source, f"sessions {int(d.session.min())}-{int(d.session.max())}", "ideal point (SD units, USA > 0)", subset)
    return IdealPoints(frame, items, iters, logpost, uncertainty, settings, prov)


def _items_frame(calls, bridge, bridge_on, beta, c1, c2, d: _Data) -> pd.DataFrame:
    item = bridge_items(calls, bridge_on) if bridge else pd.Series(np.arange(len(calls)), index=calls.index)
    grouped = pd.DataFrame({"item": item.to_numpy(), "rcid": calls["rcid"].to_numpy()}).groupby("item")["rcid"].agg(lambda r: tuple(sorted(int(x) for x in r)))
    rcids = grouped.reindex(d.item_ids).to_numpy()
    return pd.DataFrame({
        "item": np.arange(d.J), "rcids": rcids, "beta": beta, "cut_no_abstain": c1, "cut_abstain_yes": c2,
        "n_votes": np.bincount(d.j, minlength=d.J), "bridged": [len(r) > 1 for r in rcids],
    })


def _bootstrap(d: _Data, theta, beta, a1, a2, bands, s_beta, s_alpha, tol, max_iter, n_boot, seed, progress) -> np.ndarray:
    """Parametric bootstrap SD of theta: simulate votes from the fit, refit from the fit."""
    rng = np.random.default_rng(seed)
    eta = beta[d.j] * theta[d.i]
    p_ge1 = 1.0 / (1.0 + np.exp(-(eta - a1[d.j])))
    p_ge2 = 1.0 / (1.0 + np.exp(-(eta - a2[d.j])))
    draws = np.empty((n_boot, d.I))
    for b in range(n_boot):
        u = rng.random(len(eta))
        y = np.where(u < p_ge2, 2, np.where(u < p_ge1, 1, 0)).astype(np.int8)
        order = np.argsort(y, kind="stable")
        y, i, j = y[order], d.i[order], d.j[order]
        binary = np.bincount(j, y == 1, minlength=d.J) == 0
        # items that gain or lose abstentions in the draw start from a workable cut gap
        a2b = np.where(binary, a1, np.where(d.binary, a1 + 0.5, a2))
        db = _Data(y, i, j, d.I, d.J, d.country, d.session, d.group, binary, d.n_votes, d.item_ids,
                   int(np.sum(y == 0)), int(np.sum(y == 1)))
        th, *_ = _fit(db, theta.copy(), beta.copy(), a1.copy(), a2b, bands, s_beta, s_alpha, tol, max_iter, None, "bootstrap")
        draws[b] = th
        if progress is not None:
            progress("bootstrap", b + 1, n_boot)
    return draws.std(axis=0, ddof=1)
