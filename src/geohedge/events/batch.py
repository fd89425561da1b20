"""Coding many texts: sentences of several articles parsed in one stream, in worker processes.

:func:`code_texts` is what ``geohedge events ingest`` calls; each worker loads and verifies
the English pipeline once (:mod:`geohedge.events.pipeline`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sys
from collections.abc import Callable, Iterator, Sequence

from geohedge.events.actors import default_actors
from geohedge.events.classify import _finish, _parse, _plan, _Plan, not_english
from geohedge.events.pipeline import load_pipeline
from geohedge.events.results import CodedText
from geohedge.events.text import Counted, article_sentences

__all__ = ["code_texts"]


def _code_batch(batch: Sequence[tuple[str, _dt.date | None]]) -> list[CodedText]:
    """Code several texts, parsing all their sentences in one stream (the parser is faster
    on large batches than on one article's few dozen sentences)."""
    actors = default_actors()
    plans: list[_Plan | None] = []
    out: list[CodedText | None] = []
    for text, day in batch:
        skipped = not_english(text)
        if skipped is not None:
            out.append(skipped)
            plans.append(None)
            continue
        counter = Counted(article_sentences(text))
        plans.append(_plan(counter, day, actors))
        out.append(CodedText((), counter.n, "en"))
    docs = iter(_parse([s for p in plans if p is not None for _, s, _ in p.todo]))
    result = []
    for plan, coded in zip(plans, out, strict=True):
        if plan is None:
            result.append(coded)
            continue
        mine = [next(docs) for _ in plan.todo]
        result.append(CodedText(tuple(_finish(plan, mine)), coded.n_sentences, "en"))
    return result


def _init_worker() -> None:
    load_pipeline()


def code_texts(
    items: Sequence[tuple[str, _dt.date | None]],
    *,
    n_process: int = 1,
    batch_size: int = 8,
    progress: Callable[[int, int], None] | None = None,
) -> list[CodedText]:
    """Code many texts, in ``n_process`` worker processes when there are enough of them.

    Parameters
    ----------
    items
        ``(text, date)`` pairs.
    n_process
        Worker processes (forked with the loaded pipeline where that is safe, else spawned,
        each then loading and verifying it once, about 2 s); 1 codes in this process. With fewer than ``2 * batch_size * n_process`` texts the work stays
        here, where starting workers would cost more than it saves.
    progress
        Called with (texts done, total).

    Returns
    -------
    list of CodedText
        In the order of ``items``.
    """
    total = len(items)
    if n_process <= 1 or total < 2 * batch_size * n_process:
        out: list[CodedText] = []
        for start in range(0, total, batch_size):
            out += _code_batch(items[start:start + batch_size])
            if progress:
                progress(len(out), total)
        return out
    load_pipeline()  # verify here first: a bad model is one clear error, not one per worker
    method = _start_method()
    if method == "fork":
        return _pool(items, n_process, batch_size, progress, method)
    with _spawnable_main():
        return _pool(items, n_process, batch_size, progress, method)


def _start_method() -> str:
    """``fork`` where the platform has it and this process runs no other thread: workers
    then start in milliseconds with the verified pipeline already loaded (shared
    copy-on-write) instead of importing spaCy and loading the model again (2-7 s each).
    A process with threads (a web server) uses ``spawn``, as forking it is unsafe."""
    import multiprocessing
    import threading

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


@contextlib.contextmanager
def _spawnable_main() -> Iterator[None]:
    """Spawned workers re-import the main script by its path; a main read from standard
    input ("<stdin>") has none, so it is hidden from them while the pool runs."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    hide = path is not None and not os.path.exists(path)
    if hide:
        del main.__file__
    try:
        yield
    finally:
        if hide:
            main.__file__ = path


def _pool(items, n_process: int, batch_size: int, progress, method: str) -> list[CodedText]:
    import concurrent.futures as cf
    import multiprocessing

    total = len(items)
    batches = [items[i:i + batch_size] for i in range(0, total, batch_size)]
    results: list[list[CodedText] | None] = [None] * len(batches)
    done = 0
    with cf.ProcessPoolExecutor(max_workers=n_process, mp_context=multiprocessing.get_context(method),
                                initializer=_init_worker) as pool:
        futures = {pool.submit(_code_batch, b): k for k, b in enumerate(batches)}
        for fut in cf.as_completed(futures):
            results[futures[fut]] = fut.result()
            done += len(batches[futures[fut]])
            if progress:
                progress(done, total)
    return [c for r in results if r is not None for c in r]
