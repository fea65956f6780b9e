"""Share images (kind `image`): the pocket card's two faces and each handout page as PNGs
for phones, 1080 px wide, grey, sharp, at most 300 KB each, in the manifest and the zips."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from conftest import CONTENT, copy_of, edit, manifest
from taller.diagnostics import Diagnostics
from taller.options import Options
from taller.pipeline import build
from taller.watch import affected

WIDTH, BUDGET = 1080, 300 * 1024
LANGS = ("es", "en")


def _images(out: Path) -> dict[str, dict]:
    return {path: entry for path, entry in manifest(out).items() if entry["kind"] == "image"}


def _pages(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_card_faces_and_every_handout_page_are_listed(minimal_build, lang):
    images = _images(minimal_build)
    handout_pages = manifest(minimal_build)[f"{lang}/handouts/first-steps.pdf"]["pages"]
    assert handout_pages == _pages(minimal_build / f"{lang}/handouts/first-steps.pdf") == 2
    expected = {f"{lang}/share/card-front.png": None, f"{lang}/share/card-back.png": None,
                **{f"{lang}/share/first-steps-{n}.png": "first-steps" for n in range(1, handout_pages + 1)}}
    mine = {path: entry for path, entry in images.items() if entry["lang"] == lang}
    assert {path: entry["module"] for path, entry in mine.items()} == expected  # two faces, a page each, no crop marks
    for path, entry in mine.items():
        data = (minimal_build / path).read_bytes()
        assert entry["bytes"] == len(data) <= BUDGET and entry["pages"] == 1 and entry["variant"] is None
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG" and image.mode == "L" and image.width == WIDTH, path


def test_a_card_face_is_the_card_not_the_sheet(minimal_build):
    """A face is 90 × 62 mm: 1080 px wide, 744 high give or take the last pixel's rounding
    (an A4 sheet would be 1528 high)."""
    for face in ("front", "back"):
        width, height = Image.open(minimal_build / f"es/share/card-{face}.png").size
        assert width == WIDTH and abs(height - WIDTH * 62 / 90) <= 1, (face, height)


def test_a_handout_image_is_the_printed_handout_drawn(minimal_build):
    """The very PDF of the handout, page by page, not a layout of its own."""
    from taller.render.raster import page_pictures

    pdf = (minimal_build / "es/handouts/first-steps.pdf").read_bytes()
    assert page_pictures(pdf, [0, 1], WIDTH, BUDGET) == [
        (minimal_build / f"es/share/first-steps-{n}.png").read_bytes() for n in (1, 2)]


def _box(pdf: Path, text: str, page_number: int = 0) -> tuple[int, int, int, int]:
    """Where `text` is printed on a page, in pixels of its 1080 px picture (left, top, right, bottom)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[page_number]
        textpage = page.get_textpage()
        found = textpage.search(text).get_next()
        assert found, text
        index, count = found
        boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
        scale, height = WIDTH / page.get_width(), page.get_height()
    finally:
        document.close()
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
    return (int(left * scale), int((height - top) * scale), int(right * scale) + 1, int((height - bottom) * scale) + 1)


@pytest.mark.parametrize(("image", "pdf", "text"), [
    ("es/share/first-steps-1.png", "es/handouts/first-steps.pdf", "El grupo tiene un acuerdo."),
    ("es/share/card-front.png", None, "Muestra tu DNI si lo llevas."),
])
def test_text_is_sharp_where_the_pdf_prints_it(minimal_build, tmp_path, image, pdf, text):
    """Where the PDF's text layer puts a line of body text, the picture has black glyph
    cores and edges that go from paper to ink within a pixel or two; the margin is paper."""
    pdf_path = minimal_build / pdf if pdf else _card_faces(minimal_build, tmp_path)
    picture = Image.open(minimal_build / image)
    left, top, right, bottom = _box(pdf_path, text)
    line = picture.crop((left, top, right, bottom))
    values = list(line.get_flattened_data())
    assert min(values) < 40  # ink, not a grey smear
    assert sum(v < 128 for v in values) / len(values) > 0.08  # the line is written, not blank
    rows = [values[y * line.width:(y + 1) * line.width] for y in range(line.height)]
    steepest = max(abs(a - c) for row in rows for a, c in zip(row, row[2:]))
    assert steepest > 200  # from paper to ink within two pixels: no blur
    assert picture.getpixel((2, 2)) == 255  # the margin is paper


def _card_faces(minimal_build: Path, tmp_path: Path) -> Path:
    """The un-imposed card the images are drawn from (front, back, crop marks), found in
    the sample build's render cache by drawing its first page."""
    import pypdfium2

    from taller.incremental.folder import CacheFolder
    from taller.render.raster import page_pictures

    cache = CacheFolder(minimal_build.parent / ".taller-cache")
    front = (minimal_build / "es/share/card-front.png").read_bytes()
    for entry in sorted(cache.render.glob("*.pdf")):
        pdf = cache.read(entry)
        if not pdf.startswith(b"%PDF"):  # the audio edition's renderings are its packed sound files
            continue
        document = pypdfium2.PdfDocument(pdf)
        pages, width = len(document), document[0].get_width()
        document.close()
        if pages == 3 and round(width) == round(90 / 25.4 * 72) and page_pictures(pdf, [0], WIDTH, BUDGET)[0] == front:
            path = tmp_path / "card.pdf"
            path.write_bytes(pdf)
            return path
    raise AssertionError("no un-imposed card in the render cache")


@pytest.mark.parametrize("lang", LANGS)
def test_the_images_are_in_their_languages_zip(minimal_build, lang):
    with zipfile.ZipFile(minimal_build / f"taller-0.9-{lang}.zip") as archive:
        # Members may sit under one top folder: compare the path inside it.
        names = {name.split("/", 1)[1] for name in archive.namelist() if "/" in name} | set(archive.namelist())
        for path in (p for p, e in _images(minimal_build).items() if e["lang"] == lang):
            assert path in names, path
            member = next(n for n in archive.namelist() if n == path or n.endswith("/" + path))
            assert archive.read(member) == (minimal_build / path).read_bytes()


def test_same_pdf_same_image_bytes_and_the_cache_spares_drawing_them_again(run, sample, tmp_path, minimal_build):
    """A cold build of only the images, one worker, its own cache: the same bytes as the
    sample build's; built again into another folder with that cache, nothing is drawn."""
    content, cache = sample(), tmp_path / "cache"
    first = run("--content", str(content), "--out", str(tmp_path / "one"), "--cache", str(cache), "--only", "image",
                "--jobs", "1")
    assert first.code == 0 and first.lines == []
    images = _images(minimal_build)
    assert set(_images(tmp_path / "one")) == set(images)
    for path in images:
        assert (tmp_path / "one" / path).read_bytes() == (minimal_build / path).read_bytes(), path
    assert len(list((cache / "pages").iterdir())) == len(images)  # each picture kept once, by its PDF
    diags = Diagnostics()
    again = build(Options(content=content, content_display="sample", out=tmp_path / "two", cache=cache, langs=["es"],
                          kinds=["image"]), diags)
    assert diags.items == [] and again.rendered == []  # the PDFs and their pictures from the cache
    assert set(_images(tmp_path / "two")) == {p for p in images if p.startswith("es/")}


def test_the_handout_is_laid_out_once_for_itself_and_its_images(sample, tmp_path, monkeypatch):
    from taller.render.weasy import PdfWriter

    titles = []
    layout = PdfWriter._layout

    def counting(self, html, *args, **kwargs):
        document = layout(self, html, *args, **kwargs)
        titles.append(document.metadata.title)
        return document

    monkeypatch.setattr(PdfWriter, "_layout", counting)  # jobs=1: the layouts happen in this process
    diags = Diagnostics()
    report = build(Options(content=sample(), content_display="sample", out=tmp_path / "out", langs=["es"],
                           kinds=["handout", "image"], jobs=1), diags)
    assert diags.items == []
    assert {"es/handouts/first-steps.pdf", "es/share/first-steps-1.png", "es/share/card-front.png"} <= set(report.rendered)
    # Plain, booklet and large print: three layouts; the images take the plain one's PDF.
    assert sum(1 for t in titles if t and "Primeros pasos" in t) == 3, titles
    assert sum(1 for t in titles if t and "Conoce tus derechos" in t) == 1, titles  # the card's faces, not imposed


def _rebuild(content: Path, out: Path, changed: Path):
    diags = Diagnostics()
    report = build(Options(content=content, content_display="sample", out=out, jobs=2,
                           select=affected({changed}, content, {"short": {"first-steps"}})), diags)
    assert diags.errors == []
    return report


def test_an_edit_to_a_module_redraws_its_images_and_not_the_cards(minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")
    before = {p: (out / p).read_bytes() for p in _images(out)}
    path = content / "modules/first-steps/es.yaml"
    edit(path, "El grupo tiene un acuerdo.", "El grupo tiene un acuerdo claro.")
    report = _rebuild(content, out, path)
    assert "es/share/first-steps-1.png" in report.rendered
    assert not any("card" in p for p in report.rendered if "/share/" in p), report.rendered
    assert (out / "es/share/first-steps-1.png").read_bytes() != before["es/share/first-steps-1.png"]
    assert (out / "es/share/card-front.png").read_bytes() == before["es/share/card-front.png"]


def test_an_edit_to_the_card_redraws_the_card_images(minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")
    before = (out / "es/share/card-front.png").read_bytes()
    path = content / "card/es.yaml"
    edit(path, "Muestra tu DNI si lo llevas.", "Muestra tu DNI si lo tienes.")
    report = _rebuild(content, out, path)
    assert "es/share/card-front.png" in report.rendered
    assert "es/share/first-steps-1.png" not in report.rendered  # same handout PDF: its pictures from the cache
    assert (out / "es/share/card-front.png").read_bytes() != before


def test_a_page_over_budget_gets_fewer_greys(minimal_build):
    """The budget is kept by reducing the greys (still mode L), not by shrinking the page."""
    from taller.render.raster import page_pictures

    pdf = (minimal_build / "es/handouts/first-steps.pdf").read_bytes()
    full, = page_pictures(pdf, [0], WIDTH, BUDGET)
    tight, = page_pictures(pdf, [0], WIDTH, len(full) - 1)
    greys = {}
    for name, data in (("full", full), ("tight", tight)):
        image = Image.open(io.BytesIO(data))
        assert image.mode == "L" and image.width == WIDTH
        greys[name] = len(set(image.get_flattened_data()))
    assert greys["full"] > 16 >= greys["tight"] and len(tight) < len(full)


def test_the_real_curriculum_images_are_within_budget(run, tmp_path):
    """Every share image of the real content, both languages, under 300 KB and 1080 px wide."""
    out = tmp_path / "out"
    result = run("--content", str(CONTENT), "--out", str(out), "--cache", str(tmp_path / "cache"), "--only", "image",
                 "--jobs", "2", "-q")
    assert result.code == 0, result.err
    images = _images(out)
    assert len(images) > 2 * (2 + 2 * 5)  # both faces and every handout page, both languages
    for path, entry in images.items():
        assert entry["bytes"] <= BUDGET, (path, entry["bytes"])
        assert Image.open(out / path).size[0] == WIDTH
