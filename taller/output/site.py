"""The offline edition for USB sticks and phones: HTML pages, an index with page previews,
and one reproducible zip per language with a SHA256SUMS file.

Everything opens from the file system (file://) with relative links only: no CDN, web
font or remote image. Fonts are copied next to the stylesheets. It is made from the
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
from ..paths import TEMPLATES
from ..render.fonts import FONT_SCHEME, font_dir
from .manifest import OutputRecord, record

if TYPE_CHECKING:
    from ..content.model import Curriculum
    from ..kinds.base import Artifact
    from ..render.html import Renderer

ASSETS = "assets"


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

    files: dict[str, bytes]        # path in OUT → bytes (pages, stylesheets, fonts, previews, indexes)
    zips: dict[str, bytes]         # zip name → bytes
    records: list[OutputRecord]    # the manifest entries of the HTML pages (kind `html`)


def html_pages(renderer: Renderer, artifacts: list[Artifact]) -> list[tuple[Artifact, str, bytes]]:
    """The HTML edition of the kinds that have one, from the same templates."""
    pages = []
    for artifact in artifacts:
        if not artifact.kind.html_edition or artifact.variant.name:
            continue
        path = html_path(artifact)
        up = "../" * path.count("/")
        nav = {"index": f"{up}index-{artifact.lang}.html", "pdf": f"{up}{artifact.path}"}
        html = renderer.html(artifact, assets=f"{up}{ASSETS}/", site_nav=nav)
        pages.append((artifact, path, html.encode("utf-8")))
    return pages


def html_path(artifact: Artifact) -> str:
    """`es/handouts/x.pdf` → `es/html/handouts/x.html`."""
    lang, rest = artifact.stem.split("/", 1)
    return f"{lang}/html/{rest}.html"


def assets() -> dict[str, bytes]:
    """Stylesheets (font URLs made relative) and the bundled fonts."""
    files = {}
    for css in sorted((TEMPLATES / "css").glob("*.css")):
        text = css.read_text(encoding="utf-8").replace(f"url({FONT_SCHEME}", "url(../fonts/")
        files[f"{ASSETS}/css/{css.name}"] = text.encode("utf-8")
    files.update({f"{ASSETS}/fonts/{f.name}": f.read_bytes() for f in sorted(font_dir().glob("*.ttf"))})
    return files


def thumbnail(pdf: bytes, cache: CacheFolder, used: set[str]) -> bytes:
    """A PNG of the first page (pypdfium2), cached by the PDF's hash."""
    name = f"{hashlib.sha256(pdf).hexdigest()}.png"
    used.add(name)
    cached = cache.read(cache.thumbs / name)
    if cached is not None:
        return cached
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=110 / 842).to_pil().convert("L")  # ~110 px high, grey like a copy
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    cache.write(cache.thumbs / name, buffer.getvalue())
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes], date: dt.date) -> bytes:
    """A reproducible zip: sorted entries, one fixed timestamp, fixed permissions."""
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    files = {**files, "SHA256SUMS": sums.encode("ascii")}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(max(date.year, 1980), date.month, date.day, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


def index_groups(made: list[Made], thumbs: dict[str, str], html_for: dict[str, str], gettext) -> list[dict]:
    """Index rows for one language, grouped by module, then shared materials, then workshops."""
    groups: dict[str, dict] = {}
    for item in sorted(made, key=lambda m: m.record.path):
        entry, artifact = item.record, item.artifact
        group = entry.module or (f"track:{entry.track}" if entry.track else "shared")
        groups.setdefault(group, {"id": group, "module": entry.module, "track": entry.track, "items": []})
        groups[group]["items"].append({
            "path": entry.path, "lang": entry.lang, "pages": entry.pages, "kb": max(1, round(entry.bytes / 1024)),
            "label": gettext(artifact.kind.label), "variant": gettext(artifact.variant.label) if entry.variant else "",
            "thumb": thumbs.get(entry.path, ""), "html": html_for.get(entry.path, "")})
    return list(groups.values())


def offline_edition(cur: Curriculum, renderer: Renderer, made: list[Made], chooser: list[str], cache: CacheFolder,
                    zip_name: str) -> tuple[Edition, set[str], set[str]]:
    """The offline edition of the languages of `made`; the language chooser (`index.html`)
    lists every language of `chooser`. Also returns the thumbnails and zips it used."""
    langs = sorted({m.artifact.lang for m in made})
    pages = html_pages(renderer, [m.artifact for m in made])
    files: dict[str, bytes] = assets()
    files.update({path: data for _, path, data in pages})
    thumbs, used_thumbs = {}, set()
    for item in made:
        if item.artifact.kind.suffix == ".pdf":
            thumbs[item.record.path] = f"thumbs/{item.artifact.stem}.png"
            files[thumbs[item.record.path]] = thumbnail(item.data, cache, used_thumbs)
    html_for = {a.path: path for a, path, _ in pages}
    zips, used_zips = {}, set()
    for lang in langs:
        view = renderer.view(lang)
        renderer.env(lang)  # makes the language's catalog
        mine = [m for m in made if m.artifact.lang == lang]
        groups = index_groups(mine, thumbs, html_for, renderer.gettext[lang].gettext)
        for group in groups:
            if group["module"]:
                group["title"] = view.text(f"modules/{group['module']}", "title")
            elif group["track"]:
                group["title"] = view.text("tracks", f"{group['track']}.title")
            else:
                group["title"] = view.text("curriculum", "title")
        stamp = f"{cur.version} · {lang.upper()} · {long_date(cur.edition_date, lang)}"
        index = renderer.env(lang).get_template("index.html.j2").render(
            lang=lang, curriculum=view.curriculum(), groups=groups, stamp=stamp).encode("utf-8")
        files[f"index-{lang}.html"] = index
        members = {name: data for name, data in files.items()
                   if name.startswith((f"{lang}/", ASSETS + "/", f"thumbs/{lang}/"))}
        members.update({m.record.path: m.data for m in mine})
        members["index.html"] = members[f"index-{lang}.html"] = index
        zips[f"{zip_name}-{lang}.zip"] = _zip(members, cur.edition_date, cache, used_zips)
    source = cur.source_language
    choices = [{"lang": lang, "name": language_name(lang), "title": renderer.view(lang).text("curriculum", "title")}
               for lang in sorted(chooser)]
    files["index.html"] = renderer.env(source).get_template("languages.html.j2").render(
        lang=source, title=renderer.view(source).text("curriculum", "title"), languages=choices).encode("utf-8")
    records = [record(path, data, 1, a.lang, "html", a.module, None) for a, path, data in pages]
    return Edition(files, zips, records), used_thumbs, used_zips


def _zip(members: dict[str, bytes], date: dt.date, cache: CacheFolder, used: set[str]) -> bytes:
    """The zip of `members`; compressing every PDF again takes longer than a no-op build
    may, so the zip made from exactly these members is reused."""
    digest = hashlib.sha256(str(date).encode())
    for member in sorted(members):
        digest.update(member.encode() + b"\0" + hashlib.sha256(members[member]).digest())
    name = f"{digest.hexdigest()}.zip"
    used.add(name)
    data = cache.read(cache.zips / name)
    if data is None:
        data = zip_bytes(members, date)
        cache.write(cache.zips / name, data)
    return data
