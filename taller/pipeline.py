"""The pipeline: load → validate → render → pdf → write. Everything is checked before
anything is written."""

from __future__ import annotations

import os
import signal
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import checkpoints
from .artifacts import KINDS, Artifact, BookParts, plan
from .diagnostics import ContentError, Diagnostics, Location
from .model import Curriculum
from .paths import TEMPLATES
from .pdf import SUBSET_FALLBACK, Rendered
from .write import InterruptedAfterCommit, OutputRecord, atomic_write, record, transaction, write_manifest

# Loading, checking and rendering (YAML, Jinja, Markdown) are imported where they are used:
# a no-op build stops at the build stamp and must not pay a third of a second to import them.


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
    participants: Path | None = None
    select: object = None  # a predicate on Artifact (watch mode); None: everything planned
    strict: bool = False
    edition: str = "full"  # "no-contacts": no organisation name, logo or contact values (taller/editions.py)


@dataclass
class Report:
    """What a build did, for the summary line."""

    outputs: int = 0
    pages: int = 0
    rendered_paths: list[str] = field(default_factory=list)
    zips: list[tuple[str, int]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # every file written or kept in OUT
    rendered: int = 0


def check(options: Options, diags: Diagnostics) -> Curriculum | None:
    """Load and validate; returns the curriculum when it has no errors."""
    from .load import ContentFolder, load
    from .validate import validate
    from .workshop import check_tracks

    cur = load(ContentFolder(options.content, options.content_display), diags)
    if cur is None:
        return None
    validate(cur, diags)
    check_tracks(cur, diags)
    for lang in options.langs or []:
        if lang not in cur.languages:
            diags.error(Location(options.content_display), f"language '{lang}' is not declared in curriculum.yaml (declared: {', '.join(cur.languages)})")
    if options.org and options.org not in cur.orgs:
        orgs = f"{options.content_display.rstrip('/')}/orgs"
        diags.error(Location(orgs), f"unknown organisation '{options.org}' for --org: no file {orgs}/{options.org}.yaml "
                                    f"(known: {', '.join(sorted(cur.orgs)) or 'none'})")
    return None if diags.errors else cur


def build(options: Options, diags: Diagnostics) -> Report:
    """Build every requested artifact; writes nothing when the content has errors.
    Its writes into OUT stay together or not at all: a build that fails or is interrupted
    after some outputs were written puts every previous output back (write.transaction)."""
    from .stamp import BuildStamp

    stamp = BuildStamp.of(options)
    saved = stamp.replay(options.out, diags) if stamp else None
    if saved is not None:  # nothing changed since the last build into this folder
        return Report(outputs=saved["count"], pages=saved["pages"], rendered=0,
                      zips=[tuple(z) for z in saved["zips"]])
    with transaction(options.out):
        report = _build(options, diags)
    try:
        if stamp and report.outputs and not diags.errors and not (options.strict and diags.warnings):
            stamp.save(options.out, report.paths, report, diags)
    except KeyboardInterrupt:
        raise InterruptedAfterCommit from None  # the outputs are in place; only the stamp is not
    return report


def _build(options: Options, diags: Diagnostics) -> Report:
    """The build itself: load, validate, render, then write (see `build`)."""
    from .participants import read_participants
    from .render import Renderer, RenderOptions

    report = Report()
    cur = check(options, diags)
    if cur is None or (options.strict and diags.warnings):  # --strict: a warning stops the build too
        return report
    langs = options.langs or cur.languages
    kinds = options.kinds or list(KINDS)
    participants = read_participants(options.participants, diags) if options.participants else ()
    if diags.errors:
        return report
    renderer = Renderer(cur, RenderOptions(options.content, options.org or cur.default_org, options.paper,
                                           options.start, participants, options.edition))
    artifacts = plan(cur, langs, kinds)
    if options.select is not None:  # watch mode: only what the edited files affect
        artifacts = [a for a in artifacts if options.select(a)]
    htmls: dict[Artifact, str] = {}  # what --keep-html keeps: the manual as one document
    sources: dict[Artifact, str | BookParts] = {}  # what is rendered: the manual from its parts
    for artifact in artifacts:
        try:
            if artifact.kind.name == "book":
                sources[artifact] = renderer.book_parts(artifact)
                if options.keep_html:
                    htmls[artifact] = renderer.html(artifact)
            else:
                sources[artifact] = htmls[artifact] = renderer.html(artifact)
        except ContentError as exc:
            diags.add(exc.diagnostic())
    if diags.errors:
        return report
    # Certificates with names are personal data: never cached.
    uncacheable = {a for a in artifacts if participants and a.kind.name == "certificate"}
    results, rendered_now = _render_pdfs(artifacts, sources, options, uncacheable)
    outputs: dict[Artifact, tuple[bytes, int]] = {}
    for artifact in artifacts:
        rendered = results[artifact]
        for level, message in rendered.messages:
            if message == SUBSET_FALLBACK:
                diags.warning(None, message)  # about the machine, not this file: shown once
                continue
            # A refused resource means a template or content reference broke the policy.
            (diags.error if level == "error" else diags.warning)(None, f"{artifact.path}: {message}")
        if rendered.overflow:
            _overflow_error(cur, artifact, rendered.overflow, diags)
            continue
        outputs[artifact] = rendered.pdf, rendered.pages
    if diags.errors:  # checked and rendered everything first: write nothing from a failed build
        return report
    records: list[OutputRecord] = []
    for artifact, (data, pages) in outputs.items():
        atomic_write(options.out / artifact.path, data)
        checkpoints.reached(checkpoints.WRITING)
        # Certificates with names are personal data: their HTML is never kept.
        if options.keep_html and not (participants and artifact.kind.name == "certificate"):
            _keep_html(options.out / "_html" / artifact.path[:-4], htmls[artifact], sources[artifact])
        records.append(record(artifact.path, data, pages, artifact.lang, artifact.kind.name, artifact.module,
                              artifact.variant.name, artifact.track))
        report.pages += pages
    if options.kinds is None and options.select is None:  # a full build also makes the offline edition
        from .paths import cache_root
        from .site import write_site

        # Certificates with names are personal data: no preview, no index entry, not in the
        # zips that travel on USB sticks. They are printed from OUT, never passed on.
        previous = [asdict(r) for r in records if not (participants and r.kind == "certificate")]
        html_records, report.zips = write_site(cur, renderer, artifacts, previous, options.out,
                                               cache_root(options.content), f"taller-{cur.version}")
        records += html_records
    write_manifest(options.out, records, partial=bool(options.kinds or options.langs or options.select))
    report.paths = [r.path for r in records] + [name for name, _ in report.zips]
    report.outputs, report.rendered = len(records), len(rendered_now)
    report.rendered_paths = [a.path for a in rendered_now]
    return report


def _keep_html(stem: Path, html: str, source: str | BookParts) -> None:
    """--keep-html: `<stem>.html` is the output as one document; a manual also keeps the
    front and appendices it is joined from (`.front.html`, `.back.html`; its module pages
    are the guides' HTML)."""
    atomic_write(stem.with_name(stem.name + ".html"), html.encode("utf-8"))
    if isinstance(source, BookParts):
        atomic_write(stem.with_name(stem.name + ".front.html"), source.front.encode("utf-8"))
        atomic_write(stem.with_name(stem.name + ".back.html"), source.back.encode("utf-8"))


def _overflow_error(cur: Curriculum, artifact: Artifact, key: str, diags: Diagnostics) -> None:
    unit, _, text_key = key.partition(":")
    block = cur.texts.get(unit, {}).get(artifact.lang, None)
    loc = block.blocks[text_key].loc if block and text_key in block.blocks else None
    diags.error(loc, f"{unit} text '{text_key}' does not fit its box on the {artifact.kind.name} "
                     f"({artifact.path}): shorten it")


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}

# One PdfWriter per worker process: fonts are configured once, not once per document.
_WRITER = None


def _roots(content: Path) -> list[Path]:
    return [TEMPLATES, content.resolve()]


def _init_worker(content: Path) -> None:
    global _WRITER
    from .pdf import PdfWriter

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


def _pdf_job(html: str, forms: bool, impose: str | None, sheet: str):
    """Render one document and impose it on sheets if its variant asks (in the worker, so
    the cache keeps the finished file and a no-op build does no pypdf work either)."""
    rendered = _WRITER.pdf(html, TEMPLATES, forms=forms, fixed_faces=impose == "cards")
    if rendered.overflow or not impose:
        return rendered
    from .imposition import impose_booklet, impose_cards

    if impose == "cards":
        return replace(rendered, pdf=impose_cards(rendered.pdf, sheet), pages=2)
    pdf, pages = impose_booklet(rendered.pdf, sheet)
    return replace(rendered, pdf=pdf, pages=pages)


def _book_job(parts: BookParts, sheet: str, wanted: tuple[bool, ...]):
    """The manual and the wanted guides of its language, from one layout of each guide."""
    return _WRITER.book(parts.front, parts.guides, parts.back, TEMPLATES, sheet, wanted)


def _render_pdfs(artifacts: list[Artifact], sources: dict, options: Options,
                 uncacheable: set[Artifact]) -> tuple[dict[Artifact, Rendered], list[Artifact]]:
    """Rendered PDFs of every artifact, from the cache where nothing changed, and the
    artifacts actually rendered. WeasyPrint is only imported when something must render.

    A manual to render also renders its language's guides (it is made of their pages), so
    those guides are not rendered on their own."""
    from .cache import RenderCache, assets_fingerprint
    from .render import PAPER

    cache = RenderCache(options.content, assets_fingerprint(TEMPLATES))
    sheet = PAPER[options.paper]
    text = {a: s.key_text() if isinstance(s, BookParts) else s for a, s in sources.items()}
    keys = {a: cache.key(text[a], a.variant.forms, a.variant.impose, sheet) for a in artifacts}
    results = {}
    for artifact in artifacts:
        hit = None if artifact in uncacheable else cache.get(keys[artifact])
        if hit is not None:
            results[artifact] = hit
    todo = [a for a in artifacts if a not in results]
    jobs = _jobs(todo, sources, text, sheet)
    for (function, _, targets), result in zip(jobs, _run(jobs, options)):
        if function is _book_job:
            book, guides = result
            by_module = dict(zip(sources[targets[0]].modules, guides))
            results[targets[0]] = book
            results.update({g: by_module[g.module] for g in targets[1:]})
        else:
            results[targets[0]] = result
    for artifact in todo:
        if artifact not in uncacheable:
            cache.put(keys[artifact], results[artifact])
    if options.kinds is None and options.langs is None and options.select is None:  # a full build knows every live entry
        cache.prune({keys[a] for a in artifacts if a not in uncacheable})
    return results, todo


def _jobs(todo: list[Artifact], sources: dict, text: dict, sheet: str) -> list[tuple]:
    """Each job: (function, arguments, the artifacts its result is for). A manual's job also
    gives its language's guides. Manuals first, then the biggest documents, so no worker is
    left with a long one at the end."""
    jobs = []
    for book in (a for a in todo if isinstance(sources[a], BookParts)):
        guides = _guides_of(book, sources, todo)
        wanted = tuple(m in {g.module for g in guides} for m in sources[book].modules)
        jobs.append((_book_job, (sources[book], sheet, wanted), [book, *guides]))
    served = {a for _, _, targets in jobs for a in targets}
    singles = sorted((a for a in todo if a not in served), key=lambda a: -len(text[a]))
    return jobs + [(_pdf_job, (sources[a], a.variant.forms, a.variant.impose, sheet), [a]) for a in singles]


def _run(jobs: list[tuple], options: Options) -> list:
    """The jobs' results, in order: in this process for one worker, else in a pool."""
    from concurrent.futures import ProcessPoolExecutor

    workers = max(1, min(options.jobs, len(jobs), os.cpu_count() or 1))
    if not jobs:
        return []
    if workers == 1:
        _init_worker(options.content)
        checkpoints.reached(checkpoints.RENDERING)
        return [function(*args) for function, args, _ in jobs]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_pool_worker, initargs=(options.content,)) as pool:
        # Workers are forked as jobs are submitted, with this process's signal handlers:
        # a Ctrl-C or `kill` landing before a worker has set its own would make it print a
        # traceback. Held back while forking, a signal reaches this process just after, and
        # each worker once its own handlers are set.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            futures = [pool.submit(function, *args) for function, args, _ in jobs]
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        try:
            checkpoints.reached(checkpoints.RENDERING)  # the workers are rendering now
            return [f.result() for f in futures]
        except BaseException:
            # Ctrl-C (or a failed job): cancel the queued documents, or leaving the
            # `with` would wait until every one of them is rendered.
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _guides_of(book: Artifact, sources: dict, todo: list[Artifact]) -> list[Artifact]:
    """The guides to render that the manual's job renders anyway: same language, same HTML."""
    parts: BookParts = sources[book]
    html = dict(zip(parts.modules, parts.guides))
    return [a for a in todo if a.kind.name == "guide" and a.lang == book.lang and html.get(a.module) == sources[a]]
