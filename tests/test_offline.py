"""The offline edition: HTML pages, index with previews, zips; no external resource, and it
works in a real browser opened from the file system with the network blocked."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import edition_pages, manifest
from taller.kinds import KINDS

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//|ftp:)|url\(\s*["']?\s*(?:https?:|//)|@import""", re.I)
LINK = re.compile(r"""(?:src|href)\s*=\s*"([^"#]+)""")


@pytest.fixture(scope="module")
def site(minimal_build) -> Path:
    return minimal_build


def test_index_html_pages_and_zips_exist(site):
    assert (site / "index.html").is_file() and (site / "index-es.html").is_file()
    entries = manifest(site)
    html = {p for p, e in entries.items() if e["kind"] == "html"}
    assert {"es/html/handouts/first-steps.html", "en/html/guides/first-steps.html", "es/html/glossary.html",
            "es/html/card.html", "es/html/incident-form.html", "es/html/contacts.html", "search-es.html"} <= html
    index = (site / "index-es.html").read_text(encoding="utf-8")
    # Not for phones: the lawyer's packet, the recording scripts, a workshop's print plan.
    offline = {name for name, kind in KINDS.items() if kind.offline}
    assert {"legal-review", "print-plan"} - offline == {"legal-review", "print-plan"}
    for path, entry in entries.items():
        if path.startswith("es/") and entry["kind"] in offline:
            assert f'href="{path}"' in index, path
            if path.endswith(".pdf") and not entry["variant"]:  # a preview of each material's plain form
                assert (site / "thumbs" / (path[:-4] + ".png")).read_bytes().startswith(b"\x89PNG")
    assert "Hoja para participantes" in index and "páginas" in index


def _visible_text(html: str) -> str:
    return " ".join(re.sub(r"<style.*?</style>|<[^>]+>", " ", html, flags=re.S).split())


def test_the_index_a_member_can_use(site):
    """Modules in the curriculum's order with their numbers, a contents at the top, the
    member's materials first with "read on screen" as the main link, the manual last,
    plurals right, previews drawn at twice their size."""
    from PIL import Image

    index = (site / "index-es.html").read_text(encoding="utf-8")
    text = _visible_text(index)
    assert text.index("Contenido") < text.index("Para llevar contigo") < text.index("Módulo 1 · Primeros pasos")
    module = index[index.index('id="module-first-steps"'):]
    module = module[:module.index("</section>")]
    assert module.index("Hoja para participantes") < module.index("Para facilitadoras") < module.index("Guía")
    first = module[module.index('<a class="main"'):]
    assert first.startswith('<a class="main" href="es/html/handouts/first-steps.html">leer en pantalla</a>')
    assert text.rindex("Manual") > text.index("Taller")
    assert re.search(r"\b1 hoja\b", text) and not re.search(r"\b1 (páginas|hojas)\b", text)
    with Image.open(site / "thumbs/es/handouts/first-steps.png") as thumb:
        assert thumb.height == 220, thumb.size  # shown 110 px high


def test_pages_link_their_neighbours_and_the_index_at_their_module(site):
    page = (site / "es/html/guides/first-steps.html").read_text(encoding="utf-8")
    assert 'href="../../../index-es.html#module-first-steps"' in page
    assert '<nav class="site"' in page and "<main>" in page
    css = page[page.index("@media print"):]
    assert "nav.site" in css[:css.index("}")]  # the page's navigation is not printed


@pytest.mark.parametrize("lang, readme", [("es", "LEEME.txt"), ("en", "README.txt")])
def test_zip_unpacks_into_one_folder_with_a_readme_and_checksums(site, tmp_path, lang, readme):
    archive = site / f"taller-0.9-{lang}.zip"
    top = f"taller-0.9-{lang}"
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in z.infolist()} == {(2026, 1, 15, 0, 0, 0)}
    result = subprocess.run(["unzip", "-q", str(archive)], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == [top]
    folder = tmp_path / top
    assert f"{lang}/handouts/first-steps.pdf" in [n.removeprefix(top + "/") for n in names]
    assert (folder / "index.html").is_file() and (folder / readme).is_file()
    assert "index.html" in (folder / readme).read_text(encoding="utf-8")
    assert not any((folder / other).exists() for other in ("es", "en") if other != lang)
    result = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # "Other languages" inside the zip names the file that holds the other language.
    other = "en" if lang == "es" else "es"
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="languages.html"' in index
    assert f"taller-0.9-{other}.zip" in (folder / "languages.html").read_text(encoding="utf-8")


def test_search_finds_a_section_from_file_urls(site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto((site / "search-es.html").as_uri())
    page.fill("#q", "Ronda de nombres")
    links = page.eval_on_selector_all("#results a", "els => els.map(e => e.getAttribute('href'))")
    assert links and all(link.startswith("es/html/") for link in links), links
    page.fill("#q", "RONDA DE NOMBRES")  # capitals and accents do not matter
    assert page.eval_on_selector_all("#results a", "els => els.length") == len(links)
    page.click("#results a")
    page.wait_for_load_state("load")
    assert "/es/html/" in page.url and "#" in page.url
    context.close()


def test_no_external_resource_anywhere(site):
    scanned = 0
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css"):
            scanned += 1
            text = path.read_text(encoding="utf-8")
            assert not EXTERNAL.search(text), (path, EXTERNAL.search(text).group(0))
    assert scanned > 5


def test_every_link_resolves(site):
    for page in list(site.glob("*.html")) + list(site.rglob("html/**/*.html")):
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            assert (page.parent / target).resolve().is_file(), (page, target)


@pytest.mark.parametrize("width", [320, 360])
def test_pages_load_offline_in_a_browser_and_fit_a_phone(site, browser, tmp_path, width):
    """Every page at 320 and 360 px: nothing wider than the screen, no request leaves the
    file system, and a content page asks for nothing but itself (its styles are inside)."""
    context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True)
    outside: list[str] = []
    requested: list[str] = []

    def guard(route):
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    failed: list[str] = []
    # A preview still loading lazily when the test moves on is cancelled (ERR_ABORTED): not missing.
    page.on("requestfailed", lambda request: request.failure == "net::ERR_ABORTED" or failed.append(request.url))
    for path in edition_pages(site):
        requested.clear()
        response = page.goto(path.as_uri())
        assert response is None or response.ok, path
        page.wait_for_load_state("load")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5).map(e => e.tagName + '.' + e.className)""")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, wide[:5])
        if "/html/" in path.as_posix():  # itself, and the sounds its players play (they cannot be inside it)
            assert [url for url in requested if not url.endswith(".ogg")] == [path.as_uri()], (path, requested)
    page.goto((site / "es/html/handouts/first-steps.html").as_uri())
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    assert (tmp_path / "phone.png").stat().st_size > 1000
    assert outside == []
    assert failed == []
    context.close()


STANDALONE_REFERENCE = re.compile(
    r"""<link[^>]+rel=["']?stylesheet|<img[^>]+src\s*=\s*["']?(?!data:)|url\(\s*["']?(?!data:|#)|<script[^>]+src""", re.I)


@pytest.mark.parametrize("rel", ["es/html/handouts/first-steps.html", "es/html/guides/first-steps.html",
                                 "es/html/card.html", "en/html/incident-form.html", "es/html/glossary.html"])
def test_a_page_forwarded_alone_looks_the_same(site, browser, tmp_path, rel):
    """Copied alone into an empty folder (as WhatsApp passes it on), a page refers to no
    file beside it, and in the browser its styles are there: icons stay icon-sized."""
    for page_path in site.rglob("html/**/*.html"):
        text = page_path.read_text(encoding="utf-8")
        found = STANDALONE_REFERENCE.search(text)
        assert found is None, (page_path, found and found.group(0))
    alone = tmp_path / "Downloads" / Path(rel).name
    alone.parent.mkdir()
    alone.write_bytes((site / rel).read_bytes())
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(alone.as_uri())
    page.wait_for_load_state("load")
    assert [url for url in requests if not url.endswith(".ogg")] == [alone.as_uri()]
    styled = page.evaluate("""() => ({
        icons: [...document.querySelectorAll('.icon')].map(e => e.getBoundingClientRect().width),
        main: getComputedStyle(document.body).maxWidth,
        size: getComputedStyle(document.documentElement).fontSize})""")
    assert styled["size"] == "17px" and styled["main"] != "none", styled
    assert all(0 < w <= 40 for w in styled["icons"]), styled
    context.close()


@pytest.mark.parametrize("rel", ["es/html/handouts/first-steps.html", "es/html/card.html"])
def test_players_load_their_audio_from_the_files(site, browser, rel):
    """A player for the whole material and one for each part, each loading its sound from
    the edition's own files (its duration known, no sound played)."""
    entries = manifest(site)
    page_text = (site / rel).read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto((site / rel).as_uri())
    players = page.eval_on_selector_all("audio", "els => els.map(e => e.getAttribute('src'))")
    sounds = [p for p, e in entries.items() if e["kind"] == "audio" and p.startswith("es/")
              and (e["module"] == "first-steps" if "handouts" in rel else e["module"] is None)]
    assert len(players) == len(sounds) > 2 and 'class="listen whole"' in page_text
    page.wait_for_function("() => [...document.querySelectorAll('audio')].every(a => a.readyState >= 1)", timeout=20000)
    durations = page.eval_on_selector_all("audio", "els => els.map(e => e.duration)")
    whole = entries[players[0].replace("../", "")]["duration"]
    assert abs(durations[0] - whole) < 0.5 and all(d > 0 for d in durations), (durations, whole)
    assert abs(sum(durations[1:]) - durations[0]) < 0.1 * durations[0] + 2  # the parts make up the whole
    context.close()
    index = (site / "index-es.html").read_text(encoding="utf-8")
    assert 'href="es/audio/first-steps.ogg"' in index
