"""Site: the offline edition for USB sticks and phones: HTML pages, an index with page
previews, and one reproducible zip per language with a SHA256SUMS file.

Everything opens from the file system (file://) with relative links only: no CDN, web
font or remote image. Fonts are copied next to the stylesheets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from html import escape
from dataclasses import dataclass
from pathlib import Path

from . import checkpoints
from .artifacts import Artifact
from .pdf import FONT_SCHEME, font_dir
from .render import TEMPLATES, Renderer
from .write import OutputRecord, atomic_write, record

HTML_KINDS = ("handout", "guide", "glossary")
ASSETS = "assets"


@dataclass(frozen=True)
class SiteFile:
    """A file of the offline edition (page, stylesheet, font, thumbnail, index)."""

    path: str
    data: bytes


def html_pages(renderer: Renderer, artifacts: list[Artifact]) -> list[tuple[Artifact, SiteFile]]:
    """The HTML edition of handouts, guides and the glossary, from the same templates."""
    pages = []
    for artifact in artifacts:
        if artifact.kind.name not in HTML_KINDS or artifact.variant.name:
            continue
        path = html_path(artifact)
        up = "../" * path.count("/")
        html = renderer.html(artifact, assets=f"{up}{ASSETS}/")
        renderer.env(artifact.lang)  # makes the language's catalog
        gettext = renderer.gettext[artifact.lang].gettext
        everything, printable = escape(gettext("All materials")), escape(gettext("Print (PDF)"))
        nav = (f'<nav class="site"><a href="{up}index-{artifact.lang}.html">{everything}</a>'
               f'<a href="{up}{artifact.path}">{printable}</a></nav>')
        html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, html, count=1)
        pages.append((artifact, SiteFile(path, html.encode("utf-8"))))
    return pages


def html_path(artifact: Artifact) -> str:
    """`es/handouts/x.pdf` → `es/html/handouts/x.html`."""
    lang, rest = artifact.path.split("/", 1)
    return f"{lang}/html/{rest[:-4]}.html"


def assets() -> list[SiteFile]:
    """Stylesheets (font URLs made relative) and the bundled fonts."""
    files = []
    for css in sorted((TEMPLATES / "css").glob("*.css")):
        text = css.read_text(encoding="utf-8").replace(f"url({FONT_SCHEME}", "url(../fonts/")
        files.append(SiteFile(f"{ASSETS}/css/{css.name}", text.encode("utf-8")))
    files += [SiteFile(f"{ASSETS}/fonts/{f.name}", f.read_bytes()) for f in sorted(font_dir().glob("*.ttf"))]
    return files


def thumbnail(pdf: bytes, cache: Path) -> bytes:
    """A PNG of the first page (pypdfium2), cached by the PDF's hash."""
    key = cache / f"thumb-{hashlib.sha256(pdf).hexdigest()}.png"
    try:
        return key.read_bytes()
    except OSError:
        pass
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=110 / 842).to_pil().convert("L")  # ~110 px high, grey like a copy
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    atomic_write(key, buffer.getvalue())
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


def site_records(pages: list[tuple[Artifact, SiteFile]]) -> list[OutputRecord]:
    """Manifest entries of the HTML pages (kind `html`)."""
    return [record(f.path, f.data, 1, a.lang, "html", a.module, None) for a, f in pages]


def index_entries(records: list[dict], thumbs: dict[str, str], html_for: dict[str, str]) -> list[dict]:
    """Index rows for one language, grouped by module, then shared materials, then workshops."""
    groups: dict[str, dict] = {}
    for entry in sorted(records, key=lambda e: e["path"]):
        if entry["kind"] == "html":
            continue
        group = entry["module"] or (f"track:{entry['track']}" if entry.get("track") else "shared")
        groups.setdefault(group, {"id": group, "module": entry["module"], "track": entry.get("track"), "items": []})
        groups[group]["items"].append({**entry, "thumb": thumbs.get(entry["path"], ""),
                                       "html": html_for.get(entry["path"], ""), "kb": max(1, round(entry["bytes"] / 1024))})
    return list(groups.values())



def write_site(cur, renderer: Renderer, artifacts: list[Artifact], entries: list[dict], out: Path,
               cache: Path, zip_name: str) -> tuple[list[OutputRecord], list[tuple[str, int]]]:
    """Write the HTML edition, thumbnails, indexes and zips; returns the HTML pages'
    manifest entries and each zip's name and size."""
    from babel import Locale

    from .i18n import long_date
    from .views import LanguageView

    pages = html_pages(renderer, artifacts)
    files: dict[str, bytes] = {f.path: f.data for f in assets()}
    files.update({f.path: f.data for _, f in pages})
    thumbs = {}
    for entry in entries:
        if entry["kind"] != "html" and (out / entry["path"]).is_file():
            thumbs[entry["path"]] = f"thumbs/{entry['path'][:-4]}.png"
            files[thumbs[entry["path"]]] = thumbnail((out / entry["path"]).read_bytes(), cache)
    html_for = {a.path: f.path for a, f in pages}
    zips, used_zips = [], set()
    for lang in sorted({e["lang"] for e in entries}):
        view = LanguageView(cur, lang)
        groups = index_entries([e for e in entries if e["lang"] == lang], thumbs, html_for)
        for group in groups:
            if group["module"]:
                group["title"] = view.text(f"modules/{group['module']}", "title")
            elif group["track"]:
                group["title"] = view.text("tracks", f"{group['track']}.title")
            else:
                group["title"] = view.text("curriculum", "title")
        env = renderer.env(lang)
        stamp = f"{cur.version} · {lang.upper()} · {long_date(cur.edition_date, lang)}"
        index = env.get_template("index.html.j2").render(
            lang=lang, curriculum=view.curriculum(), groups=groups, stamp=stamp).encode("utf-8")
        files[f"index-{lang}.html"] = index
        members = {name: data for name, data in files.items()
                   if name.startswith((f"{lang}/", ASSETS + "/", f"thumbs/{lang}/"))}
        members.update({name: (out / name).read_bytes() for name in (e["path"] for e in entries)
                        if name.startswith(f"{lang}/") and name.endswith(".pdf") and (out / name).is_file()})
        members["index.html"] = members[f"index-{lang}.html"] = index
        # Compressing every PDF again takes longer than a no-op build may: reuse the zip
        # made from exactly these members.
        digest = hashlib.sha256(str(cur.edition_date).encode())
        for member in sorted(members):
            digest.update(member.encode() + b"\0" + hashlib.sha256(members[member]).digest())
        cached = cache / f"zip-{digest.hexdigest()}.zip"
        used_zips.add(cached.name)
        try:
            data = cached.read_bytes()
        except OSError:
            data = zip_bytes(members, cur.edition_date)
            atomic_write(cached, data)
        name = f"{zip_name}-{lang}.zip"
        checkpoints.reached(checkpoints.ZIP)
        atomic_write(out / name, data)
        zips.append((name, len(data)))
    source = cur.source_language
    choices = [{"lang": lang, "name": Locale.parse(lang).get_display_name(lang).capitalize(),
                "title": LanguageView(cur, lang).text("curriculum", "title")}
               for lang in sorted({e["lang"] for e in entries})]
    files["index.html"] = renderer.env(source).get_template("languages.html.j2").render(
        lang=source, title=LanguageView(cur, source).text("curriculum", "title"), languages=choices).encode("utf-8")
    for name, data in files.items():
        atomic_write(out / name, data)
    for old in cache.glob("zip-*.zip"):  # only the zips of the latest build are worth keeping
        if old.name not in used_zips:
            old.unlink(missing_ok=True)
    return site_records(pages), zips
