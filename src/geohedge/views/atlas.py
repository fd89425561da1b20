"""Store-backed vulnerability atlas: plan it, run it on ``dask.distributed``, store and read it.

:func:`plan_atlas` checks every input (targets, shock families, options) and builds the
pieces before any work starts. :func:`run_atlas` solves the pieces not already stored:

- on a ``dask.distributed`` cluster: a :class:`~distributed.LocalCluster` with one worker
  process per core (one thread each) by default, or an existing scheduler by address. The
  calibrated baseline (about 8 MB) is scattered to every worker once and tasks refer to
  it; each task is a batch of pieces (:func:`geohedge.shocks.atlas.batches`);
- or in this process (``serial=True``), the reference the cluster is measured against.

Each finished task is written to the store at once, in its own transaction (the store is
opened for that write only, so other readers can open it between writes): a run killed at
any point leaves every finished piece stored and the rest of the store untouched, and
running it again solves only what is missing. Pieces are keyed by the data version, the
scenario, the draws, the seed and the tolerance (:class:`~geohedge.shocks.atlas.AtlasPiece`),
so the same inputs reuse stored pieces and changed inputs never mix with them.

Stored in table ``atlas`` (columns :data:`geohedge.shocks.atlas.COLUMNS` plus ``dataset``,
``run`` and ``computed_at``); each run's provenance (data version, families with their
scenario rules, seed, draws, elasticities) is a row of ``provenance`` with dataset
``atlas`` and scope ``run=<run>``, its note the JSON of all that.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geohedge import __version__
from geohedge import countries as _countries
from geohedge.data.store import Store
from geohedge.errors import GeohedgeError, InputError, ModelError, StoreError
from geohedge.shocks import atlas as A
from geohedge.shocks.calibrate import Baseline
from geohedge.views.baseline import query_baseline

__all__ = [
    "AtlasInterrupted",
    "AtlasPlan",
    "AtlasRun",
    "AtlasView",
    "default_workers",
    "plan_atlas",
    "query_atlas",
    "query_families",
    "query_placement",
    "query_schedule_family",
    "run_atlas",
]

DATASET = "atlas"
SOURCE = "geohedge atlas: Caliendo-Parro (2015) GE model with input-output links, Monte Carlo over trade elasticities"
Progress = Callable[[str, int, int], None]
_ADDRESS = re.compile(r"^(tcp|tls|ucx|inproc|ws|wss)://[^\s/]+(:\d+)?/?$")


@dataclass(frozen=True, eq=False)
class AtlasPlan:
    """Everything a run needs, checked: pieces, the families, the baseline and where to store."""

    pieces: tuple[A.AtlasPiece, ...]
    skipped: tuple[tuple[str, str, str], ...]
    targets: tuple[str, ...]
    families: tuple[A.ShockFamily, ...]
    config: A.AtlasConfig
    run: str
    data_version: str
    baseline: Baseline
    store_path: Path

    def provenance_note(self) -> str:
        """JSON of the run's definition (stored in the provenance row)."""
        return json.dumps({
            "run": self.run, "geohedge": __version__, "data_version": self.data_version, "year": self.baseline.year,
            "config": {**self.config.__dict__, "across_sets": list(self.config.across_sets)},
            "elasticities": self.config.elasticity_spec(),
            "families": [f.definition() for f in self.families], "targets": list(self.targets),
        }, sort_keys=True)


@dataclass(frozen=True)
class AtlasRun:
    """What :func:`run_atlas` did: pieces reused from the store and solved now, timings."""

    run: str
    pieces: int
    reused: int
    computed: int
    not_applicable: int
    failed: int
    tasks: int
    workers: int
    mode: str
    wall_seconds: float
    compute_seconds: float
    solves: int
    store_seconds: float
    startup_seconds: float = 0.0
    cpu_seconds: float = 0.0

    def summary(self) -> str:
        per = self.compute_seconds / self.solves if self.solves else float("nan")
        return (f"atlas run {self.run}: {self.pieces} pieces ({self.reused} reused from the store, {self.computed} solved now, "
                f"{self.failed} failed or infeasible; {self.not_applicable} pairs do not apply); {self.solves} solves in "
                f"{self.wall_seconds:.1f} s on {self.workers} {self.mode} worker(s) ({per * 1e3:.0f} ms per solve, {self.tasks} tasks)")


class AtlasInterrupted(GeohedgeError):
    """The run was interrupted (Ctrl-C); what finished is stored."""

    http_status = 503


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _data_version(store: Store, year: int) -> str:
    rows = store.run(
        "SELECT table_name || '|' || dataset || '|' || scope || '|' || coalesce(sha256, '') || '|' || CAST(loaded_at AS VARCHAR) "
        "FROM provenance WHERE (table_name IN ('icio_flows', 'icio_final', 'icio_nodes') AND scope = ?) "
        "OR table_name IN ('tariffs', 'tariff_schedules') ORDER BY 1", [f"year={year}"])
    return hashlib.sha256("\n".join([f"geohedge {__version__}", *(r[0] for r in rows)]).encode()).hexdigest()[:24]


def query_schedule_family(store: Store, schedule: str = A.APRIL_2025) -> A.ShockFamily:
    """The shock family of a stored tariff schedule (table ``tariff_schedules``; rates are
    fractions there, pp in the family).

    The April 2025 family adds each target's own announced rate to the US tariff on its
    goods and leaves every other country's tariffs as they are (one tariff shock per
    target, in today's scenario language).

    Raises
    ------
    InputError
        No such schedule in the store (run 'geohedge data build').
    """
    if not store.has_table("tariff_schedules"):
        raise InputError(f"no tariff schedules in the store, so no family {schedule!r}; run 'geohedge data build'")
    frame = store.query("SELECT imposer, target, rate, note FROM tariff_schedules WHERE schedule = ? ORDER BY target", [schedule])
    if frame.empty:
        raise InputError(f"no tariff schedule {schedule!r} in the store; run 'geohedge data build'")
    imposers = frame["imposer"].unique()
    if len(imposers) != 1:
        raise InputError(f"tariff schedule {schedule!r} has several imposers ({', '.join(imposers)}); the atlas needs one")
    who = _countries.country(str(imposers[0])).name if imposers[0] not in _countries.bloc_names() else str(imposers[0])
    title = f"{who} adds the target's own rate of schedule {schedule} to its tariff on the target's goods ({frame['note'].iloc[0]})"
    return A.schedule_family(schedule, str(imposers[0]), dict(zip(frame["target"], (100.0 * frame["rate"]).round(10), strict=True)), title)


#: Built-in scenarios offered as schedule families: name -> imposer.
SCENARIO_FAMILIES = {A.APRIL_2025: "USA"}


def _schedules(store: Store, base: Baseline) -> dict[str, A.ShockFamily]:
    from geohedge.shocks.scenario import builtin_scenarios

    known = builtin_scenarios()
    out = {name: A.scenario_family(known[name], imp, countries=base.countries, sectors=base.sectors, tradable=base.tradable)
           for name, imp in SCENARIO_FAMILIES.items() if name in known}
    if store.has_table("tariff_schedules"):
        out |= {s: query_schedule_family(store, s) for (s,) in store.run("SELECT DISTINCT schedule FROM tariff_schedules ORDER BY 1")}
    return out


def query_families(store: Store, names: Sequence[str] | None = None, *, baseline: Baseline | None = None) -> list[A.ShockFamily]:
    """Shock families by name (default :data:`~geohedge.shocks.atlas.DEFAULT_FAMILIES`).

    Schedule families come from the built-in scenario of the April 2025 US tariffs
    (``us-reciprocal-2025-04``: each target at the rate that scenario gives it) and from the
    store's ``tariff_schedules`` (``us-2025-04-02``: the rates of the shipped file as stored).

    Raises
    ------
    InputError
        An unknown family, or one listed twice.
    """
    schedules = _schedules(store, baseline if baseline is not None else query_baseline(store))
    fams = [A.family(f, schedules=schedules) for f in (names or A.DEFAULT_FAMILIES)]
    dup = {f.name for f in fams if sum(g.name == f.name for g in fams) > 1}
    if dup:
        raise InputError(f"shock family {sorted(dup)[0]!r} is listed twice")
    return fams


def plan_atlas(
    store: Store,
    targets: Sequence[str] | None = None,
    families: Sequence[str] | None = None,
    config: A.AtlasConfig | None = None,
    *,
    year: int | None = None,
) -> AtlasPlan:
    """Check the inputs and build the atlas's pieces (no solving).

    Parameters
    ----------
    targets
        Countries (ISO3, ISO2 or names); default every region of the ICIO table.
    families
        Shock family names (:func:`geohedge.shocks.atlas.family`); default
        :data:`~geohedge.shocks.atlas.DEFAULT_FAMILIES`.

    Raises
    ------
    InputError
        An unknown country or one outside the table, an unknown family, a bad option.
    """
    config = config or A.AtlasConfig()
    for s in [config.elasticities, *config.across_sets]:
        if s.lower() != "cp2015" and s.strip().upper() not in A.SETS:
            raise InputError(f"unknown elasticity set {s!r}; use cp2015 or one of {', '.join(A.SETS)}")
    base = query_baseline(store, year)
    fams = query_families(store, families, baseline=base)
    wanted = tuple(dict.fromkeys(_countries.resolve(t) for t in targets)) if targets else base.countries
    version = _data_version(store, base.year)
    pieces, skipped = A.atlas_pieces(wanted, fams, config, countries=base.countries, base_year=base.year, data_version=version)
    run = hashlib.sha256(json.dumps([version, config.__dict__], sort_keys=True, default=str).encode()).hexdigest()[:16]
    return AtlasPlan(tuple(pieces), tuple(skipped), tuple(wanted), tuple(fams), config, run, version, base, Path(store.path))


# --- writing ------------------------------------------------------------------------------


def _stored_keys(path: Path) -> set[str]:
    if not path.exists():
        return set()
    with _open(path, read_only=True) as store:
        if not store.has_table("atlas"):
            return set()
        return {r[0] for r in store.run("SELECT key FROM atlas WHERE dataset = ?", [DATASET])}


def _open(path: Path, *, read_only: bool, attempts: int = 50) -> Store:
    """Open the store, waiting briefly while another process holds it (a reader between writes)."""
    for k in range(attempts):
        try:
            return Store(path, read_only=read_only)
        except StoreError as exc:
            if "lock" not in str(exc).lower() or k == attempts - 1:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


def _merge_note(old: str | None, new: str) -> str:
    """A run's provenance note covering every invocation that added pieces to it (same data
    and settings; families and targets accumulate)."""
    if not old:
        return new
    a, b = json.loads(old), json.loads(new)
    fams = {f["name"]: f for f in a.get("families", [])} | {f["name"]: f for f in b["families"]}
    b["families"] = list(fams.values())
    b["targets"] = list(dict.fromkeys([*a.get("targets", []), *b["targets"]]))
    return json.dumps(b, sort_keys=True)


def _write(plan: AtlasPlan, rows: Sequence[A.AtlasRow]) -> None:
    """Store finished rows and the run's provenance in one transaction."""
    frame = A.rows_frame(rows)
    frame.insert(0, "run", plan.run)
    frame["computed_at"] = _dt.datetime.now(_dt.UTC).replace(tzinfo=None, microsecond=0)
    frame.insert(0, "dataset", DATASET)
    with _open(plan.store_path, read_only=False) as store, store.batch():
        keys = list(frame["key"])
        store.run(f"DELETE FROM atlas WHERE key IN ({','.join('?' * len(keys))})", keys)
        from geohedge.data.store import registered

        with registered(store.con, "_atlas_rows", frame):
            store.run("INSERT INTO atlas BY NAME SELECT * FROM _atlas_rows")
        scope = f"run={plan.run}"
        n = store.run("SELECT count(*) FROM atlas WHERE dataset = ? AND run = ?", [DATASET, plan.run])[0][0]
        old = store.run("SELECT note FROM provenance WHERE dataset = ? AND scope = ?", [DATASET, scope])
        note = _merge_note(old[0][0] if old else None, plan.provenance_note())
        store.run("DELETE FROM provenance WHERE dataset = ? AND scope = ?", [DATASET, scope])
        store.run(
            "INSERT INTO provenance VALUES (?, ?, 'atlas', ?, ?, ?, ?, ?, ?, ?, ?)",
            [DATASET, scope, SOURCE, __version__, f"ICIO {plan.baseline.year} baseline, data version {plan.data_version}",
             plan.run, n, bool(plan.baseline.approximate), note, frame["computed_at"].iloc[0]],
        )


# --- running ------------------------------------------------------------------------------


@dataclass
class _Tally:
    done: int = 0
    failed: int = 0
    solves: int = 0
    compute: float = 0.0
    cpu: float = 0.0
    store: float = 0.0
    startup: float = 0.0

    def add(self, plan: AtlasPlan, rows: Sequence[A.AtlasRow]) -> None:
        t0 = time.perf_counter()
        _write(plan, rows)
        self.store += time.perf_counter() - t0
        self.done += len(rows)
        self.failed += sum(r.status != "ok" for r in rows)
        self.solves += sum(r.solves for r in rows)
        self.compute += sum(r.seconds for r in rows)
        self.cpu += sum(r.cpu_seconds for r in rows)


def _connect(scheduler: str | None, workers: int, timeout: float):
    """A Dask client (and the LocalCluster it owns, if any)."""
    import dask
    from dask.distributed import Client, LocalCluster

    if scheduler is None:
        # distributed sets MALLOC_TRIM_THRESHOLD_ in its workers to hand memory back to the
        # system sooner; that also turns off glibc's adaptive mmap threshold, so each of the
        # solver's 2.5 MB temporaries is mapped and unmapped afresh (page faults: 50% more
        # time per iteration measured on the 80 x 50 table). The atlas's workers hold little
        # memory, so they run without it.
        env = {k: v for k, v in (dask.config.get("distributed.nanny.pre-spawn-environ") or {}).items() if k != "MALLOC_TRIM_THRESHOLD_"}
        with dask.config.set({"distributed.nanny.pre-spawn-environ": env}):
            # Loopback only, any free port (other users of the machine may run clusters too).
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address="127.0.0.1:0", silence_logs=50)  # CRITICAL: the CLI reports progress and errors itself
        return Client(cluster), cluster
    if not _ADDRESS.match(scheduler):
        raise InputError(f"--scheduler {scheduler!r} is not a scheduler address; give one like tcp://10.0.0.5:8786")
    try:
        return Client(scheduler, timeout=f"{timeout}s"), None
    except Exception as exc:  # refused, timed out, or something that is not a Dask scheduler answered
        first = f"{type(exc).__name__}: {str(exc).splitlines()[0]}" if str(exc) else type(exc).__name__
        raise InputError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s ({first}); "
                         "check the address and that the scheduler runs, or leave out --scheduler for a local cluster") from None


def _task_error(exc: BaseException) -> GeohedgeError:
    if isinstance(exc, GeohedgeError):
        return exc
    if isinstance(exc, ModuleNotFoundError | ImportError) and "geohedge" in str(exc):
        return InputError(f"the cluster's workers cannot import geohedge ({exc}); install geohedge {__version__} on every worker")
    return ModelError(f"an atlas task failed on the cluster: {type(exc).__name__}: {exc}".splitlines()[0])


def run_atlas(
    plan: AtlasPlan,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    serial: bool = False,
    solves_per_task: int = 50,
    progress: Progress | None = None,
    connect_timeout: float = 5.0,
) -> AtlasRun:
    """Solve the plan's pieces that are not stored yet, storing each task as it finishes.

    Parameters
    ----------
    scheduler
        Address of an existing Dask scheduler (``tcp://host:port``); default a
        LocalCluster of ``workers`` processes.
    workers
        LocalCluster workers (default one per core, :func:`default_workers`).
    serial
        Solve in this process without Dask (the reference for the benchmark).
    progress
        ``progress(step, done, total)`` after every stored task (pieces).

    Raises
    ------
    InputError
        Bad ``workers`` or ``scheduler``, or the scheduler cannot be reached within
        ``connect_timeout`` seconds.
    AtlasInterrupted
        Ctrl-C: the finished tasks are stored, the rest is not; the message says how many.
    ModelError
        A task failed on the cluster for a reason other than the model (e.g. a worker died).
    """
    t0 = time.perf_counter()
    nworkers = default_workers() if workers is None else workers
    if nworkers < 1:
        raise InputError(f"--workers must be at least 1, got {nworkers}")
    if serial and scheduler:
        raise InputError("--serial and --scheduler exclude each other; give one")
    # Fail before any solving when the store cannot take the results (e.g. a server holds it).
    _open(plan.store_path, read_only=False).close()
    done = _stored_keys(plan.store_path)
    todo = [p for p in plan.pieces if p.key not in done]
    tally = _Tally()
    total = len(todo)
    mode = "serial" if serial else ("remote" if scheduler else "local")
    if progress is not None:
        progress(f"{len(plan.pieces) - total} pieces already stored", 0, total)

    def report(rows: Sequence[A.AtlasRow]) -> None:
        tally.add(plan, rows)
        if progress is not None:
            progress(f"{rows[-1].family} {rows[-1].target}", tally.done, total)

    ntasks = 0
    try:
        if not todo:
            pass
        elif serial:
            tasks = A.batches(todo, solves_per_task)
            ntasks = len(tasks)
            for batch in tasks:
                report(A.run_batch(plan.baseline, batch))
        else:
            nworkers, ntasks = _run_dask(plan, todo, scheduler, nworkers, solves_per_task, connect_timeout, report, tally)
    except KeyboardInterrupt:
        raise AtlasInterrupted(
            f"interrupted: {tally.done} of {total} pieces solved and stored in {plan.store_path} "
            f"({len(plan.pieces) - total} were stored before); run the same command again to finish the rest"
        ) from None
    return AtlasRun(
        run=plan.run, pieces=len(plan.pieces), reused=len(plan.pieces) - total, computed=tally.done,
        not_applicable=len(plan.skipped), failed=tally.failed, tasks=ntasks, workers=1 if serial else nworkers, mode=mode,
        wall_seconds=time.perf_counter() - t0, compute_seconds=tally.compute, solves=tally.solves, store_seconds=tally.store,
        startup_seconds=tally.startup, cpu_seconds=tally.cpu,
    )


def _run_dask(plan: AtlasPlan, todo, scheduler, nworkers, solves_per_task, timeout, report, tally: _Tally) -> tuple[int, int]:
    from dask.distributed import as_completed

    t0 = time.perf_counter()
    client, cluster = _connect(scheduler, nworkers, timeout)
    futures = []
    try:
        if scheduler is not None:
            nworkers = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values()))
        # At least four tasks per worker thread, so none idles while another finishes a long one.
        tasks = A.batches(todo, solves_per_task, min_tasks=4 * nworkers)
        # One copy of the baseline per worker, sent once; tasks carry only a reference.
        [base] = client.scatter([plan.baseline], broadcast=True, hash=False)
        tally.startup = time.perf_counter() - t0
        futures = [client.submit(A.run_batch, base, batch, pure=False, key=f"atlas-{plan.run}-{k}") for k, batch in enumerate(tasks)]
        for fut in as_completed(futures):
            try:
                rows = fut.result()
            except Exception as exc:  # a task's own exception, re-raised here by distributed
                raise _task_error(exc) from exc
            report(rows)
            fut.release()
    finally:
        for f in futures:
            f.cancel()
        client.close()
        if cluster is not None:
            cluster.close()
    return nworkers, len(tasks)


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class AtlasView:
    """A stored atlas run, ranked: ``frame`` has the stored columns plus ``rank`` and ``of``
    (see :func:`geohedge.shocks.atlas.ranked`), ``families`` the family names in order,
    ``caption`` the unit, year, source and run."""

    run: str
    frame: pd.DataFrame
    families: tuple[str, ...]
    caption: str
    note: dict

    def heat(self) -> pd.DataFrame:
        """Median welfare change (relative), one row per target, one column per family."""
        ok = self.frame[self.frame["status"] == "ok"]
        return ok.pivot(index="target", columns="family", values="welfare_median").reindex(columns=list(self.families))


def _runs(store: Store) -> pd.DataFrame:
    return store.query("SELECT run, max(computed_at) AS last_at, count(*) AS pieces FROM atlas WHERE dataset = ? GROUP BY run ORDER BY last_at DESC, run",
                       [DATASET])


def query_atlas(store: Store, run: str | None = None, *, families: Sequence[str] | None = None) -> AtlasView:
    """A stored atlas (default the latest run), ranked within each family.

    Raises
    ------
    InputError
        No atlas is stored (run 'geohedge atlas'), or no stored run or family matches.
    """
    if not store.has_table("atlas") or not (runs := _runs(store)).shape[0]:
        raise InputError("no atlas in the store; run 'geohedge atlas' first (e.g. 'geohedge atlas --targets MYS,VNM --draws 5')")
    if run is None:
        run = str(runs["run"].iloc[0])
    else:
        match = [r for r in runs["run"] if r.startswith(run)]
        if len(match) != 1:
            raise InputError(f"{'no' if not match else 'more than one'} stored atlas run matches {run!r}; stored runs: {', '.join(runs['run'])}")
        run = match[0]
    frame = store.query("SELECT * EXCLUDE (dataset) FROM atlas WHERE dataset = ? AND run = ? ORDER BY family, target", [DATASET, run])
    prov = store.run("SELECT note, origin FROM provenance WHERE dataset = ? AND scope = ?", [DATASET, f"run={run}"])
    note = json.loads(prov[0][0]) if prov and prov[0][0] else {}
    order = [f["name"] for f in note.get("families", [])]
    names = [*[f for f in order if f in set(frame["family"])], *sorted(set(frame["family"]) - set(order))]
    if families:
        wanted = [f.strip().lower() for f in families]
        bad = [f for f in wanted if f not in names]
        if bad:
            raise InputError(f"shock family {bad[0]!r} is not in atlas run {run}; stored families: {', '.join(names)}")
        names = wanted
        frame = frame[frame["family"].isin(wanted)]
    cfg = note.get("config", {})
    caption = (f"Real income change of each target (median and 90% interval over {cfg.get('draws', '?')} elasticity draws, "
               f"across sets {', '.join(cfg.get('across_sets', [])) or 'none'}, seed {cfg.get('seed', '?')}); exports at exporter "
               f"prices, USD mn of {note.get('year', '?')}; {SOURCE}; OECD ICIO {note.get('year', '?')}; run {run}")
    return AtlasView(run, A.ranked(frame.reset_index(drop=True)), tuple(names), caption, note)


def query_placement(store: Store, iso3: str) -> pd.DataFrame | None:
    """Where ``iso3`` stands in the latest stored atlas: one row per family with ``family,
    rank, of, welfare_median, welfare_p05, welfare_p95, status`` (``None`` when no atlas is
    stored or the country is not in it)."""
    if not store.has_table("atlas") or not _runs(store).shape[0]:
        return None
    view = query_atlas(store)
    mine = view.frame[view.frame["target"] == iso3]
    if mine.empty:
        return None
    cols = ["family", "rank", "of", "welfare_median", "welfare_p05", "welfare_p95", "exports_change_median", "status"]
    return mine.set_index("family").reindex([f for f in view.families if f in set(mine["family"])]).reset_index()[cols]
