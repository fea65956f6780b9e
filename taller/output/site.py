"""The offline edition for USB sticks and phones: HTML pages, an index with page previews,
a search page, and one reproducible zip per language.

Everything opens from the file system (file://) with no network. Each HTML page carries
its stylesheets and icons inside it, so a page forwarded alone on WhatsApp looks the same
(render/stylesheets.py); the index's previews are files beside it. It is made from the
outputs this build holds in memory, never by reading them back from OUT, and returns its
files for the write phase; it writes nothing itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..incremental.folder import CacheFolder
from ..language.catalogs import language_name, long_date
from ..messages import N_
from ..render.stylesheets import inline
from . import pages as page_tools
from .manifest import OutputRecord, record
from .search import search_entries

if TYPE_CHECKING:
    from ..content.model import Curriculum
    from ..kinds.base import Artifact
    from ..render.html import Renderer

# A sound's file name ends so (kinds/audio.py: Ogg Opus, what WhatsApp's voice notes are).
AUDIO = ".ogg"

# The zip's read-me, in each language (the interface catalog of the output's language).
README_NAME = N_("README.txt")
README_LINES = (
    N_("%(title)s: edition %(version)s, %(language)s."),
    "",
    N_("Open index.html with the browser of your phone or computer. No internet is needed."),
    N_("The PDF files, to print, are in the folder %(lang)s."),
    N_("SHA256SUMS lets you check that every file arrived whole (sha256sum -c SHA256SUMS)."),
)
IN_ITS_OWN_ZIP = N_("It is in its own zip file, %(name)s")


@dataclass(frozen=True)
class Made:
    """An output this build made (rendered or from the cache), with its bytes."""

    artifact: Artifact
    data: bytes
    record: OutputRecord


@dataclass
class Edition:
    """The offline edition of some languages: files for OUT, and what the manifest and the
    summary say of them."""

    files: dict[str, bytes]        # path in OUT → bytes (pages, previews, indexes)
    zips: dict[str, bytes]         # zip name → bytes
    records: list[OutputRecord]    # the manifest entries of the HTML pages (kind `html`)


def html_path(artifact: Artifact) -> str:
    """`es/handouts/x.pdf` → `es/html/handouts/x.html`."""
    lang, rest = artifact.stem.split("/", 1)
    return f"{lang}/html/{rest}.html"


def material_key(artifact: Artifact) -> tuple:
    """What names a material across its forms: its kind, language, module and track."""
    return (artifact.kind.name, artifact.lang, artifact.module, artifact.track)


def other_forms(made: list[Made]) -> dict[tuple, list[Made]]:
    """The outputs that are another form of a material (its share images, its audio), by
    the material they show (`Kind.of`)."""
    forms: dict[tuple, list[Made]] = {}
    for m in made:
        if m.artifact.kind.of is not None:
            forms.setdefault(material_key(m.artifact.kind.of(m.artifact)), []).append(m)
    return forms


def _sounds(forms: list[Made], made: bool = False) -> list:
    """A material's audio: the whole first (its name is the stem its parts' names extend:
    `x.ogg`, `x-part-01.ogg`), then the parts in order; their paths, or the outputs."""
    sounds = sorted((m for m in forms if m.record.path.endswith(AUDIO)), key=lambda m: (len(m.record.path), m.record.path))
    return sounds if made else [m.record.path for m in sounds]


def html_pages(renderer: Renderer, made: list[Made]) -> list[tuple[Artifact, str, bytes]]:
    """The HTML edition of the kinds that have one, from the same templates. A page of a
    per-module kind links the same kind's pages of the modules before and after it; a page
    whose material has audio plays it, whole and part by part."""
    chosen = [m.artifact for m in made if m.artifact.kind.html_edition and not m.artifact.variant.name]
    forms = other_forms(made)
    pages = []
    for artifact in chosen:
        path = html_path(artifact)
        up = "../" * path.count("/")
        anchor = f"#module-{artifact.module}" if artifact.module else ""
        siblings = [a for a in chosen if a.kind is artifact.kind and a.lang == artifact.lang and a.module]
        nav = {"index": f"{up}index-{artifact.lang}.html{anchor}", "pdf": f"{up}{artifact.path}",
               "search": f"{up}search-{artifact.lang}.html", "prev": None, "next": None}
        if artifact in siblings:
            at = siblings.index(artifact)
            for key, other in (("prev", siblings[at - 1] if at else None),
                               ("next", siblings[at + 1] if at + 1 < len(siblings) else None)):
                if other is not None:
                    title = renderer.view(other.lang).text(f"modules/{other.module}", "title")
                    nav[key] = {"href": f"{up}{html_path(other)}", "title": title}
        html = renderer.html(artifact, site_nav=nav)
        translations = renderer.gettext[artifact.lang]  # made with the page's environment
        sounds = [f"{up}{path}" for path in _sounds(forms.get(material_key(artifact), []))]
        if sounds:
            html = page_tools.with_players(html, sounds[0], sounds[1:], translations)
        html = page_tools.with_contents(html, translations)
        pages.append((artifact, path, html.encode("utf-8")))
    return pages


def thumbnail(pdf: bytes, cache: CacheFolder, used: set[str]) -> bytes:
    """A PNG of the first page (pypdfium2), cached by the PDF's hash: drawn at twice the
    size it is shown, so it is sharp on a phone's screen, in a few greys like a copy."""
    name = f"{hashlib.sha256(pdf).hexdigest()}-2x.png"
    used.add(name)
    cached = cache.read(cache.thumbs / name)
    if cached is not None:
        return cached
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=220 / page.get_height()).to_pil().convert("L")  # 220 px high, shown at 110
    finally:
        document.close()
    # 16 greys keep text readable and the file a third of the size of 256.
    image = image.quantize(colors=16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    cache.write(cache.thumbs / name, buffer.getvalue())
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes], date: dt.date, top: str = "") -> bytes:
    """A reproducible zip: sorted entries, one fixed timestamp, fixed permissions; every
    entry inside the folder `top`, with the SHA256SUMS of its files."""
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    files = {**files, "SHA256SUMS": sums.encode("ascii")}
    prefix = f"{top}/" if top else ""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
        if top:  # the folder itself first: unzip makes it even where it shows no files
            folder = zipfile.ZipInfo(prefix, date_time=stamp)
            folder.external_attr = (0o40755 << 16) | 0x10
            archive.writestr(folder, b"")
        for name in sorted(files):
            info = zipfile.ZipInfo(prefix + name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


def _item(made: Made, thumbs: dict[str, str], html_for: dict[str, str], gettext) -> dict:
    entry, artifact = made.record, made.artifact
    return {"path": entry.path, "pages": entry.pages, "kb": max(1, round(entry.bytes / 1024)),
            # An imposed form counts sheets: its pages are sheet sides, not pages of the material.
            "sheets": (entry.pages + 1) // 2 if artifact.variant.impose else 0,
            "label": gettext(artifact.kind.label), "thumb": thumbs.get(entry.path, ""),
            "html": html_for.get(entry.path, ""), "variants": [], "images": [], "audio": []}


def _minutes(entry: OutputRecord) -> int:
    """A sound's length in whole minutes, at least one (the index says "3 min")."""
    return max(1, round((getattr(entry, "duration", None) or 0) / 60))


def index_groups(cur: Curriculum, made: list[Made], thumbs: dict[str, str], html_for: dict[str, str],
                 gettext, view) -> list[dict]:
    """The index of one language: what a member keeps with her, then the modules in the
    curriculum's order, then each workshop, then the facilitators' shared materials (the
    manual among them) last. In a group, participants' materials before facilitators';
    the other forms of a material (booklet, large print) and its share images beside it."""
    groups: dict[str, dict] = {"keep": {"id": "keep", "number": None, "track": None, "title": ""}}
    for number, module in enumerate(cur.modules, 1):
        groups[f"module-{module.id}"] = {"id": f"module-{module.id}", "number": number, "track": None,
                                         "title": view.text(f"modules/{module.id}", "title")}
    for track in cur.tracks:
        groups[f"track-{track.id}"] = {"id": f"track-{track.id}", "number": None, "track": track.id,
                                       "title": view.text("tracks", f"{track.id}.title")}
    groups["facilitators"] = {"id": "facilitators", "number": None, "track": None, "title": ""}
    for group in groups.values():
        group.update(participants=[], facilitators=[])

    def group_of(m: Made) -> dict:
        if m.record.module:
            return groups[f"module-{m.record.module}"]
        if m.record.track:
            return groups[f"track-{m.record.track}"]
        return groups["keep" if m.artifact.kind.for_participants else "facilitators"]

    plain: dict[tuple, dict] = {}
    for m in (m for m in made if not m.artifact.variant.name and m.artifact.kind.of is None):
        item = _item(m, thumbs, html_for, gettext)
        plain[material_key(m.artifact)] = item
        group_of(m)["participants" if m.artifact.kind.for_participants else "facilitators"].append(item)
    for key, forms in other_forms(made).items():
        item = plain.get(key)
        if item is None:  # its material was not built (a partial build): the forms alone are not listed
            continue
        item["audio"] = [{"path": m.record.path, "minutes": _minutes(m.record)} for m in _sounds(forms, made=True)]
        item["images"] = [{"path": m.record.path} for m in sorted(forms, key=lambda m: m.record.path)
                          if not m.record.path.endswith(AUDIO)]
    for m in made:
        if m.artifact.variant.name and m.artifact.kind.of is None:
            item = plain.get(material_key(m.artifact))
            if item is not None:
                variant = _item(m, thumbs, html_for, gettext)
                variant["label"] = gettext(m.artifact.variant.label)
                item["variants"].append(variant)
    return [g for g in groups.values() if g["participants"] or g["facilitators"]]


def offline_edition(cur: Curriculum, renderer: Renderer, made: list[Made], chooser: list[str], cache: CacheFolder,
                    zip_name: str) -> tuple[Edition, set[str], set[str]]:
    """The offline edition of the languages of `made`; the language chooser (`index.html`)
    lists every language of `chooser`. Also returns the thumbnails and zips it used."""
    langs = sorted({m.artifact.lang for m in made})
    for lang in set(langs) | set(chooser) | {cur.source_language}:
        renderer.env(lang)  # makes each language's catalog
    pages = html_pages(renderer, made)
    files: dict[str, bytes] = {path: data for _, path, data in pages}
    thumbs, used_thumbs = {}, set()
    for item in made:
        if item.artifact.kind.suffix == ".pdf" and not item.artifact.variant.name:
            thumbs[item.record.path] = f"thumbs/{item.artifact.stem}.png"
            files[thumbs[item.record.path]] = thumbnail(item.data, cache, used_thumbs)
    html_for = {a.path: path for a, path, _ in pages}
    search_records = []
    zips, used_zips = {}, set()
    for lang in langs:
        view, gettext = renderer.view(lang), renderer.gettext[lang].gettext
        mine = [m for m in made if m.artifact.lang == lang]
        groups = index_groups(cur, mine, thumbs, html_for, gettext, view)
        stamp = f"{cur.version} · {lang.upper()} · {long_date(cur.edition_date, lang, cur.source_language)}"
        env = renderer.env(lang)

        def index(languages_href: str) -> bytes:
            return env.get_template("index.html.j2").render(
                lang=lang, curriculum=view.curriculum(), groups=groups, stamp=stamp, stylesheet=inline,
                search=f"search-{lang}.html", languages=languages_href).encode("utf-8")

        files[f"index-{lang}.html"] = index("index.html")
        search = env.get_template("search.html.j2").render(
            lang=lang, title=view.text("curriculum", "title"), stylesheet=inline, index=f"index-{lang}.html",
            entries=search_entries([(path, data) for a, path, data in pages if a.lang == lang])).encode("utf-8")
        files[f"search-{lang}.html"] = search
        search_records.append(record(f"search-{lang}.html", search, 1, lang, "html", None, None))
        # One language's zip: its own files, an index whose "Other languages" says which
        # file holds each of the others, a read-me in its language, all in one folder.
        members = {name: data for name, data in files.items()
                   if name.startswith((f"{lang}/", f"thumbs/{lang}/")) or name == f"search-{lang}.html"}
        members.update({m.record.path: m.data for m in mine})
        members["index.html"] = members[f"index-{lang}.html"] = index("languages.html")
        members["languages.html"] = _chooser(cur, renderer, lang, chooser, zip_name, own=lang)
        members[gettext(README_NAME)] = _readme(cur, renderer, lang)
        top = f"{zip_name}-{lang}"
        zips[f"{top}.zip"] = _zip(members, cur.edition_date, top, cache, used_zips)
    files["index.html"] = _chooser(cur, renderer, cur.source_language, chooser, zip_name)
    records = [record(path, data, 1, a.lang, "html", a.module, None) for a, path, data in pages]
    return Edition(files, zips, records + search_records), used_thumbs, used_zips


def _chooser(cur: Curriculum, renderer: Renderer, lang: str, langs: list[str], zip_name: str,
             own: str | None = None) -> bytes:
    """The language chooser: in OUT every language's index; in the zip of `own` only its
    index, and for each other language the zip that holds it (in that language's words)."""
    choices = []
    for other in sorted(langs):
        choice = {"lang": other, "name": language_name(other, cur.language_names),
                  "title": renderer.view(other).text("curriculum", "title"),
                  "href": f"index-{other}.html" if own in (None, other) else "", "zip": own not in (None, other)}
        if choice["zip"]:
            choice["zip_note"] = renderer.gettext[other].gettext(IN_ITS_OWN_ZIP) % {"name": f"{zip_name}-{other}.zip"}
        choices.append(choice)
    return renderer.env(lang).get_template("languages.html.j2").render(
        lang=lang, title=renderer.view(lang).text("curriculum", "title"), languages=choices,
        stylesheet=inline).encode("utf-8")


def _readme(cur: Curriculum, renderer: Renderer, lang: str) -> bytes:
    gettext = renderer.gettext[lang].gettext
    values = {"title": renderer.view(lang).text("curriculum", "title"), "version": cur.version,
              "language": language_name(lang, cur.language_names), "lang": f"{lang}/"}
    lines = [gettext(line) % values if line else "" for line in README_LINES]
    # CRLF: the read-me is opened in Notepad as often as anywhere.
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _zip(members: dict[str, bytes], date: dt.date, top: str, cache: CacheFolder, used: set[str]) -> bytes:
    """The zip of `members`; compressing every PDF again takes longer than a no-op build
    may, so the zip made from exactly these members is reused."""
    digest = hashlib.sha256(f"{date}\0{top}".encode())
    for member in sorted(members):
        digest.update(member.encode() + b"\0" + hashlib.sha256(members[member]).digest())
    name = f"{digest.hexdigest()}.zip"
    used.add(name)
    data = cache.read(cache.zips / name)
    if data is None:
        data = zip_bytes(members, date, top)
        cache.write(cache.zips / name, data)
    return data
