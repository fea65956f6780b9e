"""Every page of the sample offline edition through axe-core at phone width, in Debian's
Chromium: no violation of impact serious or critical, every page with one <main> and
everything inside landmarks (the rules a screen reader's user meets first)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edition_pages

AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
ALWAYS = {"landmark-one-main", "region"}  # moderate in axe, but a page without them is hard to move around


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test installs it with npm)")
    return AXE.read_text(encoding="utf-8")


def failing(result: dict) -> list[str]:
    """The violations this project does not accept, one line each."""
    return [f"{v['id']} ({v['impact']}) ×{len(v['nodes'])}: {v['nodes'][0]['target']} {v['help']}"
            for v in result["violations"] if v["impact"] in ("serious", "critical") or v["id"] in ALWAYS]


def audit(page, path: Path, axe_source: str) -> dict:
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.add_script_tag(content=axe_source)
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                         TAGS)


def test_every_page_passes_axe_at_360_px(minimal_build, browser, axe_source):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    problems = {}
    pages = edition_pages(minimal_build)
    assert len(pages) > 15
    for path in pages:
        found = failing(audit(page, path, axe_source))
        if found:
            problems[str(path.relative_to(minimal_build))] = found
    context.close()
    assert problems == {}


def test_axe_would_see_a_page_without_main(minimal_build, browser, axe_source, tmp_path):
    """The audit itself works: a page with its <main> taken away fails it."""
    source = minimal_build / "es/html/handouts/first-steps.html"
    broken = tmp_path / "broken.html"
    broken.write_text(source.read_text(encoding="utf-8").replace("<main>", "<div>").replace("</main>", "</div>"),
                      encoding="utf-8")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    ids = {line.split(" ")[0] for line in failing(audit(context.new_page(), broken, axe_source))}
    context.close()
    assert {"landmark-one-main", "region"} <= ids
