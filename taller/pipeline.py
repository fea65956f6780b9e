"""The pipeline: load → validate → render → pdf → write. Everything is checked before
anything is written."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .artifacts import KINDS, Artifact, plan
from .diagnostics import ContentError, Diagnostics, Location
from .load import ContentFolder, load
from .model import Curriculum
from .render import TEMPLATES, Renderer, RenderOptions
from .validate import validate
from .write import OutputRecord, atomic_write, record, write_manifest


@dataclass
class Options:
    """Everything the command line can set."""

    content: Path
    content_display: str
    out: Path
    langs: list[str] | None = None
    kinds: list[str] | None = None
    org: str | None = None
    paper: str = "a4"
    jobs: int = 1
    keep_html: bool = False
    start: str = "09:00"
    strict: bool = False


@dataclass
class Report:
    """What a build did, for the summary line."""

    outputs: int = 0
    pages: int = 0
    rendered: int = 0


def check(options: Options, diags: Diagnostics) -> Curriculum | None:
    """Load and validate; returns the curriculum when it has no errors."""
    cur = load(ContentFolder(options.content, options.content_display), diags)
    if cur is None:
        return None
    validate(cur, diags)
    for lang in options.langs or []:
        if lang not in cur.languages:
            diags.error(Location(options.content_display), f"language '{lang}' is not declared in curriculum.yaml (declared: {', '.join(cur.languages)})")
    if options.org and options.org not in cur.orgs:
        diags.error(Location(options.content_display), f"unknown organisation '{options.org}' (known: {', '.join(sorted(cur.orgs)) or 'none'})")
    return None if diags.errors else cur


def build(options: Options, diags: Diagnostics) -> Report:
    """Build every requested artifact; writes nothing when the content has errors."""
    report = Report()
    cur = check(options, diags)
    if cur is None:
        return report
    langs = options.langs or cur.languages
    kinds = options.kinds or list(KINDS)
    renderer = Renderer(cur, RenderOptions(options.content, options.org or cur.default_org, options.paper, options.start))
    artifacts = plan(cur, langs, kinds)
    htmls = {}
    for artifact in artifacts:
        try:
            htmls[artifact] = renderer.html(artifact)
        except ContentError as exc:
            diags.items.append(exc.diagnostic())
    if diags.errors:
        return report
    results = _render_pdfs(artifacts, htmls, options)
    records: list[OutputRecord] = []
    for artifact in artifacts:
        data, pages = results[artifact]
        atomic_write(options.out / artifact.path, data)
        if options.keep_html:
            atomic_write(options.out / "_html" / (artifact.path[:-4] + ".html"), htmls[artifact].encode("utf-8"))
        records.append(record(artifact.path, data, pages, artifact.lang, artifact.kind.name, artifact.module, artifact.variant))
        report.pages += pages
    write_manifest(options.out, records)
    report.outputs = report.rendered = len(records)
    return report


# One PdfWriter per worker process: fonts are configured once, not once per document.
_WRITER = None


def _roots(content: Path) -> list[Path]:
    return [TEMPLATES, content.resolve()]


def _init_worker(content: Path) -> None:
    global _WRITER
    from .pdf import PdfWriter

    _WRITER = PdfWriter(_roots(content))


def _pdf_job(html: str) -> tuple[bytes, int]:
    return _WRITER.pdf(html, TEMPLATES)


def _render_pdfs(artifacts: list[Artifact], htmls: dict, options: Options) -> dict[Artifact, tuple[bytes, int]]:
    jobs = max(1, min(options.jobs, len(artifacts), os.cpu_count() or 1))
    if jobs == 1:
        _init_worker(options.content)
        return {a: _pdf_job(htmls[a]) for a in artifacts}
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(options.content,)) as pool:
        futures = {a: pool.submit(_pdf_job, htmls[a]) for a in artifacts}
        return {a: f.result() for a, f in futures.items()}
