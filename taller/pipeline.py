"""The build, as named phases: check → plan → render HTML → render PDF → offline edition →
write → manifest. Everything is checked and made before anything is written, and a
build's writes into OUT stay together or not at all."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import checkpoints
from .diagnostics import ContentError, Diagnostics
from .options import Options
from .write import InterruptedAfterCommit, atomic_write, transaction

# Loading, checking and rendering (YAML, Jinja, Markdown, WeasyPrint) are imported where
# they are used: a no-op build stops at the build stamp and must not pay a third of a
# second to import them.


@dataclass
class Report:
    """What a build did, for the summary line."""

    outputs: int = 0
    pages: int = 0
    rendered: list[str] = field(default_factory=list)  # paths of the outputs rendered (not from the cache)
    zips: list[tuple[str, int]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # every file written or kept in OUT


def build(options: Options, diags: Diagnostics) -> Report:
    """Build every requested artifact; writes nothing when the content has errors, and
    nothing at all when nothing changed since the last build into the same folder."""
    from .incremental.stamp import BuildStamp

    stamp = BuildStamp.of(options)
    saved = stamp.replay(options.out, diags) if stamp else None
    if saved is not None:  # nothing changed since the last build into this folder
        return Report(outputs=saved["count"], pages=saved["pages"], zips=[tuple(z) for z in saved["zips"]])
    with transaction(options.out):
        report = _build(options, diags)
    try:
        if stamp and report.outputs and not diags.errors and not (options.strict and diags.warnings):
            stamp.save(options.out, report.paths, report, diags)
    except KeyboardInterrupt:
        raise InterruptedAfterCommit from None  # the outputs are in place; only the stamp is not
    return report


def _build(options: Options, diags: Diagnostics) -> Report:
    """The phases of one build (see `build`); each returns early, before any write, on errors."""
    from .checking import check
    from .content.participants import read_participants
    from .incremental.folder import CacheFolder
    from .kinds import KINDS, plan
    from .render.html import Renderer, RenderOptions

    report = Report()
    cur = check(options, diags)
    if cur is None or diags.errors or (options.strict and diags.warnings):  # --strict: a warning stops it too
        return report
    participants = read_participants(options.participants, diags) if options.participants else ()
    if diags.errors:
        return report
    artifacts = plan(cur, options.langs or cur.languages, [KINDS[k] for k in options.kinds or KINDS])
    if options.select is not None:  # watch mode: only what the edited files affect
        artifacts = [a for a in artifacts if options.select(a)]
    # Outputs with participants' names: never cached, kept as HTML, previewed or zipped.
    personal = {a for a in artifacts if participants and a.kind.personal}
    renderer = Renderer(cur, RenderOptions(options.content, options.org or cur.default_org, options.paper,
                                           options.start, participants, options.edition))
    cache = CacheFolder(options.cache_dir)
    sources = _render_html(renderer, artifacts, options.keep_html, diags)
    if diags.errors:
        return report
    results, rendered = _render_pdf(artifacts, sources, options, personal, cache)
    made = _made(cur, artifacts, results, diags)
    if diags.errors:  # checked and rendered everything first: write nothing from a failed build
        return report
    edition = _offline_edition(cur, renderer, [m for m in made if m.artifact not in personal], options, cache)
    from .output.manifest import previous_entries, write_manifest

    # A partial build keeps the entries of the outputs it did not make.
    previous = [] if options.everything else previous_entries(options.out, diags)
    if options.strict and diags.warnings:  # --strict: a warning found while making them stops it too
        return report
    written = _write(options, made, sources, personal, edition)
    records = [m.record for m in made] + (edition.records if edition else [])
    write_manifest(options.out, records, previous)
    report.zips = [(name, len(data)) for name, data in edition.zips.items()] if edition else []
    report.paths = written  # what the no-op stamp checks is still there: every file of this build
    report.outputs, report.pages = len(records), sum(m.record.pages for m in made)
    report.rendered = [a.path for a in rendered]
    return report


def _render_html(renderer, artifacts: list, keep_html: bool, diags: Diagnostics) -> dict:
    """Each artifact's source for its render job (render/sources.py)."""
    sources = {}
    for artifact in artifacts:
        try:
            sources[artifact] = renderer.source(artifact, keep_html)
        except ContentError as exc:
            diags.add(exc.diagnostic())
    return sources


def _render_pdf(artifacts: list, sources: dict, options: Options, personal: set, cache) -> tuple[dict, list]:
    """The rendering of every artifact, from the cache where nothing changed, and the
    artifacts actually rendered. WeasyPrint is only imported when something must render."""
    from .incremental.cache import RenderCache, assets_fingerprint
    from .paths import TEMPLATES
    from .render.jobs import plan_jobs, run_jobs
    from .render.sheets import PAPER

    renders = RenderCache(cache, assets_fingerprint(TEMPLATES))
    sheet = PAPER[options.paper]
    keys = {a: renders.key(sources[a].key_text(), a.variant.forms, a.variant.impose, a.variant.fixed_faces, sheet)
            for a in artifacts}
    results = {}
    for artifact in artifacts:
        hit = None if artifact in personal else renders.get(keys[artifact])
        if hit is not None:
            results[artifact] = hit
    todo = [a for a in artifacts if a not in results]
    results.update(run_jobs(plan_jobs(todo, sources, sheet), options.content, options.jobs))
    for artifact in todo:
        if artifact not in personal:
            renders.put(keys[artifact], results[artifact])
    if options.everything:  # a build of everything knows every live entry
        renders.prune({keys[a] for a in artifacts if a not in personal})
        cache.drop_earlier_layout()
    return results, todo


def _made(cur, artifacts: list, results: dict, diags: Diagnostics) -> list:
    """The outputs, with their manifest entries; WeasyPrint's messages and texts that did
    not fit their box become diagnostics."""
    from .output.manifest import record
    from .output.site import Made
    from .render.fonts import SUBSET_FALLBACK

    made = []
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
        made.append(Made(artifact, rendered.pdf, record(artifact.path, rendered.pdf, rendered.pages, artifact.lang,
                                                        artifact.kind.name, artifact.module, artifact.variant.name,
                                                        artifact.track)))
    return made


def _offline_edition(cur, renderer, made: list, options: Options, cache):
    """The offline edition of the languages built, when every kind was (None otherwise).
    The language chooser keeps every language whose edition is in OUT, so a `--lang es`
    build after a full one still offers English."""
    if not options.every_kind:
        return None
    from .output.site import offline_edition

    built = {m.artifact.lang for m in made}
    chooser = built | {lang for lang in cur.languages if (options.out / f"index-{lang}.html").is_file()}
    edition, thumbs, zips = offline_edition(cur, renderer, made, sorted(chooser), cache, f"taller-{cur.version}")
    if options.everything:  # only the previews and zips of the latest full build are worth keeping
        cache.prune(cache.thumbs, thumbs)
        cache.prune(cache.zips, zips)
    return edition


def _write(options: Options, made: list, sources: dict, personal: set, edition) -> list[str]:
    """Everything into OUT, through temporary files and renames (write.py); returns the
    paths written, relative to OUT."""
    written = []
    for item in made:
        atomic_write(options.out / item.record.path, item.data)
        written.append(item.record.path)
        checkpoints.reached(checkpoints.WRITING)
        if options.keep_html and item.artifact not in personal:
            for suffix, html in sources[item.artifact].kept().items():
                path = f"_html/{item.artifact.stem}{suffix}.html"
                atomic_write(options.out / path, html.encode("utf-8"))
                written.append(path)
    if edition is None:
        return written
    for name, data in edition.zips.items():
        checkpoints.reached(checkpoints.ZIP)
        atomic_write(options.out / name, data)
        written.append(name)
    for name, data in edition.files.items():
        atomic_write(options.out / name, data)
        written.append(name)
    return written


def _overflow_error(cur, artifact, key: str, diags: Diagnostics) -> None:
    """A text that spilled out of its fixed-size box, named by the `unit:key` the template marks it with."""
    unit, _, text_key = key.partition(":")
    textset = cur.texts.get(unit, {}).get(artifact.lang, None)
    loc = textset.blocks[text_key].loc if textset and text_key in textset.blocks else None
    diags.error(loc, f"{unit} text '{text_key}' does not fit its box on the {artifact.kind.name} "
                     f"({artifact.path}): shorten it")

