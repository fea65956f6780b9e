"""The offline edition: HTML pages, index with previews, zips; no external resource, and it
works in a real browser opened from the file system with the network blocked."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import manifest

CHROMIUM = Path("/usr/bin/chromium")
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//|ftp:)|url\(\s*["']?\s*(?:https?:|//)|@import""", re.I)
LINK = re.compile(r"""(?:src|href)\s*=\s*"([^"#]+)""")


@pytest.fixture(scope="module")
def site(minimal_build) -> Path:
    return minimal_build


def test_index_html_pages_and_zips_exist(site):
    assert (site / "index.html").is_file() and (site / "index-es.html").is_file()
    entries = manifest(site)
    html = {p for p, e in entries.items() if e["kind"] == "html"}
    assert {"es/html/handouts/first-steps.html", "en/html/guides/first-steps.html", "es/html/glossary.html"} <= html
    index = (site / "index-es.html").read_text(encoding="utf-8")
    for path, entry in entries.items():
        if path.startswith("es/") and entry["kind"] not in ("html", "legal-review"):  # the lawyer's packet: not for phones
            assert f'href="{path}"' in index, path
            assert (site / "thumbs" / (path[:-4] + ".png")).read_bytes().startswith(b"\x89PNG")
    assert "Hoja para participantes" in index and "páginas" in index


@pytest.mark.parametrize("lang", ["es", "en"])
def test_zip_checksums_verify(site, tmp_path, lang):
    archive = site / f"taller-0.9-{lang}.zip"
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in z.infolist()} == {(2026, 1, 15, 0, 0, 0)}
        z.extractall(tmp_path)
    assert f"{lang}/handouts/first-steps.pdf" in names and "index.html" in names
    assert not any(n.startswith(("es/", "en/")) and not n.startswith(f"{lang}/") for n in names)
    result = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


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


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


def test_pages_load_offline_in_a_browser_at_phone_width(site, browser, tmp_path):
    pages = [site / "index.html", site / "index-es.html", site / "index-en.html"] + sorted(site.rglob("html/**/*.html"))
    context = browser.new_context(viewport={"width": 360, "height": 740})
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    for path in pages:
        response = page.goto(path.as_uri())
        assert response is None or response.ok, path
        page.wait_for_load_state("load")
        # Measured once the bundled font is in use: before it, the page is laid out in a
        # fallback font for a moment, and that moment is what a busy machine measured.
        width = page.evaluate("document.fonts.ready.then(() => document.documentElement.scrollWidth)")
        assert width <= 360, (path, width)
        # The bundled font loads from the relative assets folder (fonts.load waits for it).
        loaded = page.evaluate("async () => (await document.fonts.load('16px \"Atkinson Hyperlegible\"')).length")
        assert loaded >= 1, path
    page.goto((site / "es/html/handouts/first-steps.html").as_uri())
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    assert (tmp_path / "phone.png").stat().st_size > 1000
    assert outside == []
    assert failed == []
    context.close()
