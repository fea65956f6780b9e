"""Render jobs: which documents to lay out, and the worker processes that lay them out.

A job is one call in a worker (one page, imposed if its variant asks; or a joined
document, which also gives the outputs whose pages are its parts), and the artifacts its
results are for. WeasyPrint is imported in the workers only, when something must render.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import checkpoints
from ..paths import TEMPLATES
from .fonts import use_bundled_fonts_only
from .sources import Joined, Page
from .weasy import Rendered

_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}

# One PdfWriter per worker process: fonts are configured once, not once per document.
_WRITER = None


@dataclass(frozen=True)
class Job:
    """One call in a worker, and the artifacts its results are for (in order)."""

    function: Callable[..., list[Rendered]]
    args: tuple
    targets: list[Any]


def plan_jobs(todo: Sequence[Any], sources: dict[Any, Page | Joined], sheet: str) -> list[Job]:
    """Jobs for the artifacts in `todo`. A joined document's job also gives every artifact
    to render whose page is one of its parts (same language, same HTML: the manual gives
    the guides). Joined documents first, then the biggest pages, so no worker is left with a
    long one at the end."""
    jobs = []
    served: set = set()
    for joined in (a for a in todo if isinstance(sources[a], Joined)):
        parts = sources[joined].parts
        mine = sorted((a for a in todo if a.lang == joined.lang and a not in served
                       and isinstance(sources[a], Page) and sources[a].html in parts),
                      key=lambda a: parts.index(sources[a].html))  # the job gives them in this order
        wanted = tuple(part in {sources[a].html for a in mine} for part in parts)
        jobs.append(Job(_joined_job, (sources[joined], sheet, wanted), [joined, *mine]))
        served.update([joined, *mine])
    singles = sorted((a for a in todo if a not in served), key=lambda a: -len(sources[a].key_text()))
    return jobs + [Job(*sources[a].job(), [a]) if hasattr(sources[a], "job") else  # not HTML: speech (render/speech.py)
                   Job(_page_job, (sources[a].html, a.variant.forms, a.variant.impose, a.variant.fixed_faces, sheet), [a])
                   for a in singles]


# Told in this process as each job finishes: its targets, and the first target of the
# earliest job not finished yet (the one a worker is on now), or None after the last.
Done = Callable[[list[Any], Any], None]


def run_jobs(jobs: list[Job], content: Path, workers: int, done: Done | None = None) -> dict[Any, Rendered]:
    """Each target's rendering: in this process for one worker, else in a pool; `done`
    hears of each job as it finishes (for the progress bar)."""
    results: dict[Any, Rendered] = {}
    for job, rendered in zip(jobs, _run(jobs, content, workers, done or _nobody)):
        results.update(zip(job.targets, rendered))
    return results


def _nobody(targets: list[Any], current: Any) -> None:
    """No one is listening for finished jobs."""


def _roots(content: Path) -> list[Path]:
    return [TEMPLATES, content.resolve()]


def _init_worker(content: Path) -> None:
    global _WRITER
    from .weasy import PdfWriter

    if _WRITER is None or _WRITER.roots != _roots(content):  # stays warm across watch rebuilds
        _WRITER = PdfWriter(_roots(content))


# A page that loads what every document loads (stylesheets, each bundled face, hyphenation
# patterns), so the first real render after `warm_worker` pays no start-up cost.
_WARM_PAGE = """<!doctype html><html lang="{lang}"><head><link rel="stylesheet" href="css/print.css">
<link rel="stylesheet" href="css/handout.css"></head><body><h1>Aa</h1><p>Aa <strong>Bb</strong> <em>Cc</em>
<strong><em>Dd</em></strong> responsabilidades</p></body></html>"""


def warm_worker(content: Path, langs: list[str]) -> None:
    """Import WeasyPrint and render a tiny page in this process (watch mode's warm worker)."""
    import gc

    _init_worker(content)
    for lang in langs:
        _WRITER.pdf(_WARM_PAGE.format(lang=lang), TEMPLATES)
    # What is alive now (WeasyPrint, fonts, the parsed content) lives as long as the process:
    # the garbage collector stops walking it on every collection (a tenth of each render).
    gc.freeze()


def _init_pool_worker(content: Path) -> None:
    """A worker process leaves Ctrl-C to the parent, which cancels the pool: otherwise
    every idle worker prints a traceback of its own. SIGTERM ends it plainly (the parent's
    handler, inherited by fork, is about undoing the parent's writes)."""
    import gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked by `_run` while forking
    _init_worker(content)
    gc.freeze()  # what the worker starts with lives as long as it: collections need not walk it


def _page_job(html: str, forms: bool, impose: str | None, fixed_faces: bool, sheet: str) -> list[Rendered]:
    """Render one document and impose it on sheets if its variant asks (in the worker, so
    the cache keeps the finished file and a no-op build does no pypdf work either)."""
    rendered = _WRITER.pdf(html, TEMPLATES, forms=forms, fixed_faces=fixed_faces)
    if rendered.overflow or not impose:
        return [rendered]
    from .imposition import impose as lay_out

    pdf, pages = lay_out(rendered.pdf, impose, sheet)
    return [replace(rendered, pdf=pdf, pages=pages)]


def _joined_job(joined: Joined, sheet: str, wanted: tuple[bool, ...]) -> list[Rendered]:
    """The joined document, then each wanted part's own PDF, from one layout of each part."""
    whole, parts = _WRITER.book(joined.front, joined.parts, joined.back, TEMPLATES, sheet, wanted)
    return [whole, *(part for part in parts if part is not None)]


def _run(jobs: list[Job], content: Path, workers: int, done: Done) -> list[list[Rendered]]:
    """The jobs' results, in order: in this process for one worker, else in a pool."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    workers = max(1, min(workers, len(jobs), os.cpu_count() or 1))
    if not jobs:
        return []
    use_bundled_fonts_only()  # set before the workers fork, so each inherits it
    if workers == 1:
        _init_worker(content)
        checkpoints.reached(checkpoints.RENDERING)
        results = []
        for number, job in enumerate(jobs):
            results.append(job.function(*job.args))
            done(job.targets, jobs[number + 1].targets[0] if number + 1 < len(jobs) else None)
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_pool_worker, initargs=(content,)) as pool:
        # Workers are forked as jobs are submitted, with this process's signal handlers:
        # a Ctrl-C or `kill` landing before a worker has set its own would make it print a
        # traceback. Held back while forking, a signal reaches this process just after, and
        # each worker once its own handlers are set.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            try:
                futures = [pool.submit(job.function, *job.args) for job in jobs]
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a held-back signal lands here
            checkpoints.reached(checkpoints.RENDERING)  # the workers are rendering now
            # Told here, in this process, as each job finishes (its results are still read
            # in the jobs' order below): a Ctrl-C while waiting lands in this loop too.
            order = {future: number for number, future in enumerate(futures)}
            pending, earliest = set(futures), 0
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=order.get):
                    future.result()  # a failed job stops the build now, as reading it in order would
                    while earliest < len(futures) and futures[earliest] not in pending:
                        earliest += 1
                    done(jobs[order[future]].targets, jobs[earliest].targets[0] if earliest < len(jobs) else None)
            return [f.result() for f in futures]
        except BaseException:
            _stop(pool)
            raise


def _stop(pool) -> None:
    """Ctrl-C, `kill` or a failed job: stop every worker now, and wait until the pool's
    own thread has ended. Leaving the pool to wind down on its own would render every
    queued document first, and its thread, still closing its pipe while Python exits,
    makes the exit print a traceback ("Bad file descriptor") after our one line."""
    manager = getattr(pool, "_executor_manager_thread", None)
    workers = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:  # they only render into memory: nothing of theirs needs undoing
        if worker.is_alive():
            worker.terminate()
    if manager is not None:
        manager.join()
