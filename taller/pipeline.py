"""The build, as named phases: check → plan → render HTML → render PDF → offline edition →
write → manifest. Everything is checked and made before anything is written, and a
build's writes into OUT stay together or not at all."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import checkpoints, progress
from .diagnostics import ContentError, Diagnostics, Location
from .messages import _, reason
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
    artifacts: list = field(default_factory=list)  # what this build made, for the summary (counts by kind)
    unchanged: bool = False  # a no-op: nothing had changed since the last build into this folder
    listed: dict = field(default_factory=dict)  # each output that lists others (Kind.lists) → what it lists


def build(options: Options, diags: Diagnostics) -> Report:
    """Build every requested artifact; writes nothing when the content has errors, and
    nothing at all when nothing changed since the last build into the same folder. One
    build at a time per OUT and per cache folder: a second one stops with an error."""
    from .incremental.folder import CacheFolder, NotACacheFolder
    from .locks import Busy, Unlockable, locked

    try:
        CacheFolder(options.cache_dir).claim()
    except NotACacheFolder:
        diags.error(Location(str(options.cache_dir)), _("this folder has other files in it and is not a cache folder "
                                                        "of this program: give --cache a new or empty folder"))
        return Report()
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            _cache_full(options, diags)
        else:
            diags.error(Location(str(options.cache_dir)), _("cannot use this cache folder ({reason})").format(
                reason=reason(exc)))
        return Report()
    try:
        with locked(options.out, diags):
            try:
                with locked(options.cache_dir, diags):
                    return _build_locked(options, diags)
            except Busy as exc:
                diags.error(Location(str(options.cache_dir)), _("another build is using this cache folder (pid {pid}); "
                                                                "wait or use another --cache").format(pid=exc.pid))
    except Busy as exc:
        diags.error(Location(str(options.out)), _("another build is writing here (pid {pid}); wait or use another "
                                                  "--out").format(pid=exc.pid))
    except Unlockable as exc:
        if exc.folder == str(options.out):  # the output folder: where it is, and why it cannot be
            diags.error(Location(exc.folder), _("cannot make or write the output folder here ({reason}): nothing "
                                                "was written; choose another with --out").format(reason=exc.reason))
        else:
            diags.error(Location(exc.folder), _("cannot use this folder ({reason})").format(reason=exc.reason))
    return Report()


def _build_locked(options: Options, diags: Diagnostics) -> Report:
    """`build`, with OUT's and the cache folder's locks held: first undo what a killed build
    left (write.recover), then the no-op check, then the build."""
    from .incremental.folder import CacheFolder, CacheFull
    from .incremental.stamp import BuildStamp
    from .output.manifest import owned
    from .write import RecoveryError, recover

    owned_paths = owned(options.out)
    folders = {str(Path(p).parent) for p in owned_paths or ()}  # where temporary files may be
    try:
        if recover(options.out, folders):
            diags.warning(Location(str(options.out)), _("the last build here was cut off before it finished: its "
                                                        "half-written outputs were removed, the build before it is back"))
            owned_paths = owned(options.out)  # the manifest as the last build that finished left it
    except RecoveryError:
        diags.error(Location(str(options.out)), _("the last build here was cut off, and what it left half-written "
                                                  "cannot all be undone (a file or folder of the same name is in the "
                                                  "way): nothing was written; move this folder's contents away or use "
                                                  "another --out"))
        return Report()
    cache = CacheFolder(options.cache_dir)
    cache.sweep()
    stamp = BuildStamp.of(options)
    saved = stamp.replay(options.out, diags) if stamp else None
    if saved is not None:  # nothing changed since the last build into this folder
        return Report(outputs=saved["count"], pages=saved["pages"], zips=[tuple(z) for z in saved["zips"]],
                      unchanged=True)
    try:
        with transaction(options.out):
            report = _build(options, diags, cache, owned_paths)
    except CacheFull:
        _cache_full(options, diags)
        return Report()
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            diags.error(Location(str(options.out)), _("the disk is full (no space left): nothing was written, "
                                                      "the previous outputs are unchanged; free some space"))
            return Report()
        where = Path(os.path.abspath(exc.filename)) if isinstance(exc.filename, str) else None
        if where is None or not where.is_relative_to(Path(os.path.abspath(options.out))):
            raise
        # A read-only stick, a file where a folder should be: OUT is as it was.
        shown = where.relative_to(Path(os.path.abspath(options.out)))
        diags.error(Location(str(options.out)), _("cannot write {path} ({reason}): nothing was written, the previous "
                                                  "outputs are unchanged").format(path=shown, reason=reason(exc)))
        return Report()
    for path in cache.damaged:
        diags.warning(Location(str(path)), _("this cache entry was damaged (its bytes no longer match their hash): "
                                             "it was dropped and made again"))
    try:
        if stamp and report.outputs and not diags.errors and not (options.strict and diags.warnings):
            stamp.save(options.out, report.paths, report, diags)
    except KeyboardInterrupt:
        raise InterruptedAfterCommit from None  # the outputs are in place; only the stamp is not
    except OSError:  # the stamp only saves time: the next build is a full one
        pass
    return report


def _cache_full(options: Options, diags: Diagnostics) -> None:
    if options.cache is not None:
        message = _("the cache folder is full (no space left on its disk): nothing was written; free some space, "
                    "or use --cache on another disk")
    else:
        message = _("the cache folder beside the content is full (no space left on its disk): nothing was written; "
                    "free some space, or use --cache on another disk")
    diags.error(Location(str(options.cache_dir)), message)


def _build(options: Options, diags: Diagnostics, cache, owned: set[str] | None) -> Report:
    """The phases of one build (see `build`); each returns early, before any write, on errors."""
    from .checking import check
    from .content.participants import read_participants
    from .kinds import KINDS, plan
    from .render.html import Renderer, RenderOptions

    report = Report()
    options.progress.phase(progress.LOADING)
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
    _kind_checks(renderer, options, artifacts, diags)
    options.progress.phase(progress.PREPARING, len(artifacts))
    later = [a for a in artifacts if a.kind.lists is not None]  # print plans: made from the others' pages
    first = [a for a in artifacts if a.kind.lists is None]
    sources = _render_html(renderer, first, options.keep_html, diags, options.progress)
    if diags.errors:
        return report
    results, rendered = _render_pdf(first, sources, options, personal, cache, prune=not later)
    if later:
        report.listed = _render_listings(cur, renderer, later, sources, results, rendered, options, personal, cache,
                                         diags)
        if diags.errors:
            return report
    pictures: set[str] = set()  # the cache entries of the pictures of pages (Kind.files) this build used
    made, anew = _made(cur, artifacts, results, personal, diags, cache, set(rendered), pictures)
    if options.everything:  # a build of everything knows every live entry
        cache.prune(cache.pages, pictures)
    if diags.errors:  # checked and rendered everything first: write nothing from a failed build
        return report
    offline = [m for m in made if m.artifact not in personal and m.artifact.kind.offline]
    if options.every_kind:
        options.progress.phase(progress.PACKING)
    edition = _offline_edition(cur, renderer, offline, options, cache)
    from .output.manifest import previous_entries, write_manifest

    # A partial build keeps the entries of the outputs it did not make.
    previous = [] if options.everything else previous_entries(options.out, diags)
    if options.strict and diags.warnings:  # --strict: a warning found while making them stops it too
        return report
    files = _outputs(options, made, sources, personal, edition)
    foreign = _not_ours(options, owned, [*files, "manifest.json"])
    if foreign:
        shown = ", ".join(foreign[:5]) + (_(" and {count} more").format(count=len(foreign) - 5) if len(foreign) > 5 else "")
        diags.error(Location(str(options.out)), _("{count} file(s) here were not made by this program and would be "
                                                  "overwritten ({files}): move them away, use another --out, or add "
                                                  "--force to overwrite them").format(count=len(foreign), files=shown))
        return report
    options.progress.phase(progress.WRITING, where=str(options.out))
    _write(options, files, edition.zips if edition else {})
    records = [m.record for m in made] + (edition.records if edition else [])
    # What builds wrote here besides the outputs: still on disk, so still ours.
    kept = {p for p in owned or () if p not in files and p != "manifest.json" and os.path.isfile(options.out / p)}
    write_manifest(options.out, records, previous, sorted(kept | set(files)))
    report.zips = [(name, len(data)) for name, data in edition.zips.items()] if edition else []
    report.paths = list(files)  # what the no-op stamp checks is still there: every file of this build
    report.outputs, report.pages = len(records), sum(m.record.pages for m in made)
    report.rendered = anew
    report.artifacts = [m.artifact for m in made]
    return report


def _kind_checks(renderer, options: Options, artifacts: list, diags: Diagnostics) -> None:
    """Each kind's own checks of the content only it reads (Kind.check: the recordings),
    before anything is rendered: their errors stop the build with the others."""
    from .content.load import ContentFolder

    for kind in dict.fromkeys(a.kind for a in artifacts):
        if kind.check is not None:
            kind.check(renderer, ContentFolder(options.content, options.content_display),
                       [a for a in artifacts if a.kind is kind], diags)


def _render_html(renderer, artifacts: list, keep_html: bool, diags: Diagnostics, shown) -> dict:
    """Each artifact's source for its render job (render/sources.py)."""
    sources = {}
    for artifact in artifacts:
        try:
            sources[artifact] = renderer.source(artifact, keep_html)
        except ContentError as exc:
            diags.add(exc.diagnostic())
        shown.advance(current=artifact.path)
    return sources


def _render_listings(cur, renderer, later: list, sources: dict, results: dict, rendered: list, options: Options,
                     personal: set, cache, diags: Diagnostics) -> dict:
    """Make the outputs that list others with their pages (Kind.lists), once those are made:
    what they list that this build did not make (`plan`, `--only print-plan`) is rendered
    like any output, from the cache where it can be, but not written. Adds to `sources`,
    `results` and `rendered`; returns what each lists."""
    from .output.printplan import describe
    from .render.sources import Page

    wanted = {a: a.kind.lists(cur, a) for a in later}
    missing = list(dict.fromkeys(x for listed in wanted.values() for x in listed if x not in results))
    sources.update(_render_html(renderer, missing, False, diags, progress.SILENT))
    if diags.errors:
        return {}
    private = {a for a in missing if renderer.options.participants and a.kind.personal}  # names: never cached
    results.update(_render_pdf(missing, sources, options, private, cache, prune=False)[0])
    listed = {a: [describe(x, sources[x], results[x]) for x in wanted[a]] for a in later}
    for artifact in later:
        try:
            sources[artifact] = Page(renderer.html(artifact, extra={"listed": listed[artifact],
                                                                    "workshop": options.workshop}))
        except ContentError as exc:
            diags.add(exc.diagnostic())
        options.progress.advance(current=artifact.path)
    if diags.errors:
        return {}
    made, again = _render_pdf(later, sources, options, personal, cache,
                              live=[a for a in results if a not in missing])
    results.update(made)
    rendered.extend(again)
    return listed


def _render_pdf(artifacts: list, sources: dict, options: Options, personal: set, cache, prune: bool = True,
                live: list = ()) -> tuple[dict, list]:
    """The rendering of every artifact, from the cache where nothing changed, and the
    artifacts actually rendered. WeasyPrint is only imported when something must render.
    A build of everything prunes the cache to what it used: `live`, what an earlier call of
    this build rendered, is kept too; `prune=False` when a later call is to come."""
    from .incremental.cache import RenderCache, assets_fingerprint
    from .paths import TEMPLATES
    from .render.jobs import plan_jobs, run_jobs
    from .render.sheets import PAPER

    renders = RenderCache(cache, assets_fingerprint(TEMPLATES))
    sheet = PAPER[options.paper]
    keys = {a: renders.key(sources[a].key_text(), a.variant.forms, a.variant.impose, a.variant.fixed_faces, sheet)
            for a in artifacts}
    # Artifacts of one document (a handout and its share images: the same HTML, the same
    # options) share one rendering: read from the cache once, or laid out once.
    document = {a: a if a in personal else keys[a] for a in artifacts}
    hits, results = {}, {}
    for artifact in artifacts:
        if artifact not in personal and document[artifact] not in hits:
            hits[document[artifact]] = renders.get(keys[artifact])
        if hits.get(document[artifact]) is not None:
            results[artifact] = hits[document[artifact]]
    todo = [a for a in artifacts if a not in results]
    first = {}
    for artifact in todo:
        first.setdefault(document[artifact], artifact)
    jobs = plan_jobs(list(first.values()), sources, sheet)
    if jobs:
        options.progress.phase(progress.RENDERING, sum(len(job.targets) for job in jobs))
    results.update(run_jobs(jobs, options.content, options.jobs,
                            lambda targets, now: options.progress.advance(len(targets), now.path if now else None)))
    for artifact in todo:
        results[artifact] = results[first[document[artifact]]]
    for artifact in first.values():
        if artifact not in personal:
            renders.put(keys[artifact], results[artifact])
    if options.everything and prune:  # a build of everything knows every live entry
        keys.update({a: renders.key(sources[a].key_text(), a.variant.forms, a.variant.impose, a.variant.fixed_faces,
                                    sheet) for a in live})
        renders.prune({keys[a] for a in [*artifacts, *live] if a not in personal})
        cache.drop_earlier_layout()
    return results, todo


def _made(cur, artifacts: list, results: dict, personal: set, diags: Diagnostics, cache,
          rendered_now: set, used: set[str]) -> tuple[list, list[str]]:
    """The outputs, with their manifest entries, and the paths of those made anew (not from
    the cache); WeasyPrint's messages and texts that did not fit their box become
    diagnostics, once for a rendering that several outputs share. A message about an output
    with participants' names is never shown as it is: it may quote a name (a missing glyph,
    a bad value). A kind with `files` gives its own files from its rendering."""
    from .output.manifest import record
    from .output.site import Made
    from .render.fonts import SUBSET_FALLBACK

    made, anew, reported = [], [], set()
    for artifact in artifacts:
        rendered = results[artifact]
        shared = id(rendered) in reported  # its messages are the first output's
        reported.add(id(rendered))
        for level, message in () if shared else rendered.messages:
            if message == SUBSET_FALLBACK:
                # About the machine, not this file: shown once. The constant only marks the
                # message (it is kept in the render cache as it is); the words are shown here.
                diags.warning(None, _("fonts are subset with fontTools, several times slower than HarfBuzz: install "
                                      "the system package libharfbuzz-subset0 (`make` does it when run as root with "
                                      "apt-get)"))
                continue
            if artifact in personal:
                message = _("the renderer reported a problem ({level}) it may have quoted a participant's name in, "
                            "so it is not shown; build without --participants to see it").format(level=level)
            # A refused resource means a template or content reference broke the policy.
            (diags.error if level == "error" else diags.warning)(None, f"{artifact.path}: {message}")
        if rendered.overflow:
            _overflow_error(cur, artifact, rendered.overflow, diags)
            continue
        if artifact.kind.files is not None:
            for file in artifact.kind.files(artifact, rendered, cache, used):
                made.append(Made(artifact, file.data, record(file.path, file.data, file.pages, artifact.lang,
                                                             artifact.kind.name, artifact.module, artifact.variant.name,
                                                             artifact.track, duration=file.duration)))
                fresh = artifact in rendered_now if file.fresh is None else file.fresh
                anew += [file.path] if fresh else []
            continue
        made.append(Made(artifact, rendered.pdf, record(artifact.path, rendered.pdf, rendered.pages, artifact.lang,
                                                        artifact.kind.name, artifact.module, artifact.variant.name,
                                                        artifact.track)))
        anew += [artifact.path] if artifact in rendered_now else []
    return made, anew


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


def _outputs(options: Options, made: list, sources: dict, personal: set, edition) -> dict[str, bytes]:
    """Every file this build writes into OUT, by path relative to OUT, in writing order."""
    files = {}
    for item in made:
        files[item.record.path] = item.data
        if options.keep_html and item.artifact not in personal:
            for suffix, html in sources[item.artifact].kept().items():
                files[f"_html/{item.artifact.stem}{suffix}.html"] = html.encode("utf-8")
    if edition is not None:
        files.update(edition.zips)
        files.update(edition.files)
    return files


def _not_ours(options: Options, owned: set[str] | None, paths) -> list[str]:
    """Paths this build would overwrite that no earlier build of this program wrote (the
    manifest in OUT does not list them): a person's own `index.html` on a USB stick."""
    if options.force:
        return []
    foreign = [p for p in paths if (owned is None or p not in owned) and os.path.lexists(options.out / p)]
    # A person's file where this build needs a folder (`en` beside `es/`): in the way too.
    for p in paths:
        for parent in Path(p).parents:
            if str(parent) != "." and (options.out / parent).exists() and not (options.out / parent).is_dir() \
                    and str(parent) not in foreign:
                foreign.append(str(parent))
    return foreign


def _write(options: Options, files: dict[str, bytes], zips) -> None:
    """Everything into OUT, through temporary files and renames (write.py)."""
    changed = False
    for path, data in files.items():
        if path in zips:
            checkpoints.reached(checkpoints.ZIP)
        if atomic_write(options.out / path, data) and not changed:
            changed = True
            checkpoints.reached(checkpoints.WRITING)  # the first output that changed is in place


def _overflow_error(cur, artifact, key: str, diags: Diagnostics) -> None:
    """A text that spilled out of its fixed-size box, named by the `unit:key` the template marks it with."""
    unit, _colon, text_key = key.partition(":")
    textset = cur.texts.get(unit, {}).get(artifact.lang, None)
    loc = textset.blocks[text_key].loc if textset and text_key in textset.blocks else None
    diags.error(loc, _("{unit} text '{key}' does not fit its box on the {kind} ({path}): shorten it").format(
        unit=unit, key=text_key, kind=artifact.kind.name, path=artifact.path))

