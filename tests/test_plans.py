"""Plans a facilitator can run, the incident form on paper and on a phone, and the pocket
card after a photocopy: what each prints, read back from the PDF (or, for every module of
the real curriculum, from the HTML its PDF is made from)."""

from __future__ import annotations

import ctypes
import math
import re
import shutil
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
import yaml
from pypdf import PdfReader

from conftest import CONTENT, pdf_text
from taller.checking import check
from taller.content.schedule import DAY_LENGTH
from taller.diagnostics import Diagnostics
from taller.kinds import KINDS, plan
from taller.language.catalogs import translations
from taller.options import Options
from taller.render.html import Renderer, RenderOptions
from taller.views.base import LanguageView, minutes

MODULE = "modules/first-steps"
SIX_HOURS = 6 * 60
START_LINE = "Start time: %(start)s (change it to yours)"
RADIO = 1 << 15  # /Ff bit 16: a radio group


def _start_line(content: Path, lang: str, start: str) -> str:
    """The start-time line as the interface catalog of `lang` has it (English without one)."""
    return translations(content, lang).gettext(START_LINE) % {"start": start}


def _long_module(content: Path, sessions: int = 4) -> None:
    """The sample's one 50-minute session made 120 minutes long and taught `sessions` times
    (ids welcome, s2, s3…): eight hours of sessions, more than a day holds without lunch."""
    folder = content / MODULE
    module = (folder / "module.yaml").read_text(encoding="utf-8")
    module = module.replace("    minutes: 50\n", "    minutes: 120\n").replace(
        "      - id: practice\n        type: role-play\n        arc: practice\n        minutes: 30\n",
        "      - id: practice\n        type: role-play\n        arc: practice\n        minutes: 100\n")
    head, _, session = module.partition("sessions:\n")
    copies = [session] + [session.replace("  - id: welcome\n", f"  - id: s{n}\n", 1) for n in range(2, sessions + 1)]
    (folder / "module.yaml").write_text(head + "sessions:\n" + "".join(copies), encoding="utf-8")
    for lang in ("es", "en"):
        path = folder / f"{lang}.yaml"
        text = path.read_text(encoding="utf-8")
        start, end = text.index("sessions:\n  welcome:\n") + len("sessions:\n"), text.index("handout:\n")
        block = text[start:end]
        copies = "".join(block.replace("  welcome:\n", f"  s{n}:\n", 1) for n in range(2, sessions + 1))
        path.write_text(text[:end] + copies + text[end:], encoding="utf-8")


def _stretches(module_view) -> list[int]:
    """Minutes from each day's start, or from a lunch, to the end of the last session before
    the next lunch or the day's end: how long the group goes without a meal."""
    found = []
    for day in module_view.days:
        since = minutes(day.slots[0].start)
        for slot in day.slots:
            if slot.kind == "lunch":
                since = minutes(slot.end)
            elif slot.kind == "session":
                found.append(minutes(slot.end) - since)
    return found


def test_a_long_module_plan_has_lunch_and_goes_on_the_next_day(run, sample, tmp_path):
    content = sample()
    _long_module(content)
    out = tmp_path / "out"
    assert run("--content", str(content), "--out", str(out), "--only", "guide", "--jobs", "1", "-q").code == 0
    es = pdf_text(out / "es/guides/first-steps.pdf")
    plan_part = es[es.index("Plan de las sesiones"):es.index("Lista de materiales")]
    # 09:00 session, break, session, lunch, session; the fourth would end after 18:00.
    for expected in ("Día 1", "09:00–11:00", "11:00–11:15 Pausa", "11:15–13:15", "13:15–14:15 Almuerzo",
                     "14:15–16:15", "Día 2", "09:00–11:00"):
        assert expected in plan_part, expected
    assert plan_part.index("Almuerzo") < plan_part.index("Día 2")
    assert "Sesión 1.4" in plan_part[plan_part.index("Día 2"):]
    en = pdf_text(out / "en/guides/first-steps.pdf")
    assert "13:15–14:15 Lunch" in en and "Day 2" in en
    # Each session's own heading says which day it is on.
    assert "Hora: Día 2 · 09:00–11:00" in es


def test_no_module_of_the_curriculum_goes_six_hours_without_lunch():
    """Every real module's plan, as the guide prints it: lunch before six hours of sessions,
    no day past nine hours, and training-trainers (585 minutes) over two days."""
    diags = Diagnostics()
    cur = check(Options(content=CONTENT, content_display="content", out=Path("unused")), diags)
    assert cur is not None and not diags.errors
    view = LanguageView(cur, "es")
    for module in cur.modules:
        planned = view.module(module)
        assert max(_stretches(planned)) <= SIX_HOURS, module.id
        for day in planned.days:
            assert minutes(day.slots[-1].end) - minutes(day.slots[0].start) <= DAY_LENGTH, module.id
        assert [s.id for s in planned.sessions] == [s.id for s in module.sessions], module.id
        if sum(s.minutes for s in module.sessions) > SIX_HOURS:
            assert any(slot.kind == "lunch" for day in planned.days for slot in day.slots), module.id
    assert len(view.module(cur.module("training-trainers")).days) == 2


def test_no_guide_prints_a_command_line_flag():
    """Every guide of the real curriculum in both languages: the start time as a line the
    facilitator can act on, never `--start` (read from the HTML each guide's PDF is made of)."""
    diags = Diagnostics()
    cur = check(Options(content=CONTENT, content_display="content", out=Path("unused")), diags)
    renderer = Renderer(cur, RenderOptions(CONTENT, cur.default_org))
    guides = [a for a in plan(cur, cur.languages, [KINDS["guide"]]) if a.variant.name is None]
    assert len(guides) == 2 * len(cur.modules)
    start = cur.start or "09:00"
    for artifact in guides:
        html = renderer.html(artifact)
        assert "--start" not in html, artifact.path
        assert _start_line(CONTENT, artifact.lang, start) in html, artifact.path


def test_the_start_time_comes_from_the_curriculum_and_the_track(run, sample, tmp_path):
    content = sample()
    out = tmp_path / "out"
    assert run("--content", str(content), "--out", str(out), "--only", "guide,agenda", "--jobs", "1", "-q").code == 0
    en = pdf_text(out / "en/guides/first-steps.pdf")
    assert "Start time: 09:00 (change it to yours)" in en and "--start" not in en
    es = pdf_text(out / "es/guides/first-steps.pdf")
    assert _start_line(content, "es", "09:00") in es and "--start" not in es

    # A group that works at night sets its own start: every clock follows, lunch too.
    curriculum = content / "curriculum/curriculum.yaml"
    curriculum.write_text(curriculum.read_text(encoding="utf-8") + 'start: "18:30"\n', encoding="utf-8")
    assert run("--content", str(content), "--out", str(out), "--only", "guide,agenda", "--jobs", "1", "-q").code == 0
    en = pdf_text(out / "en/guides/first-steps.pdf")
    assert "Start time: 18:30 (change it to yours)" in en and "18:30–18:50" in en
    assert "Start time: 18:30 (change it to yours)" in pdf_text(out / "en/workshops/short/agenda.pdf")

    # The track's own start wins over the curriculum's, on its agenda only.
    tracks = content / "tracks/tracks.yaml"
    tracks.write_text(tracks.read_text(encoding="utf-8").replace("    days: 1\n", '    days: 1\n    start: "8:00"\n'),
                      encoding="utf-8")
    assert run("--content", str(content), "--out", str(out), "--only", "guide,agenda", "--jobs", "1", "-q").code == 0
    agenda = pdf_text(out / "en/workshops/short/agenda.pdf")
    assert "Start time: 08:00 (change it to yours)" in agenda and "08:00–08:50" in agenda
    assert "18:30–18:50" in pdf_text(out / "en/guides/first-steps.pdf")

    # The command line still sets it, for those who use it; the text never names it.
    assert run("--content", str(content), "--out", str(out), "--only", "guide", "--start", "14:30",
               "--jobs", "1", "-q").code == 0
    en = pdf_text(out / "en/guides/first-steps.pdf")
    assert "Start time: 14:30 (change it to yours)" in en and "--start" not in en


def test_a_start_time_not_written_as_a_time_is_an_error_at_its_line(run, sample):
    content = sample()
    curriculum = content / "curriculum/curriculum.yaml"
    lines = curriculum.read_text(encoding="utf-8").splitlines()
    curriculum.write_text("\n".join(lines + ["start: 9am"]) + "\n", encoding="utf-8")
    result = run("check", "--content", str(content), "-q")
    assert result.code == 1
    assert [line for line in result.lines if ": error: " in line] == [
        f"{content}/curriculum/curriculum.yaml:{len(lines) + 1}: error: curriculum: 'start' must be a time written "
        "HH:MM in quotes, such as \"09:00\"; not '9am'"]


def test_debrief_and_evaluation_are_asked_in_the_closing_activity(run, sample, tmp_path):
    out = tmp_path / "out"
    assert run("--content", str(sample()), "--out", str(out), "--only", "guide", "--lang", "en", "--jobs", "1",
               "-q").code == 0
    en = pdf_text(out / "en/guides/first-steps.pdf")
    # The plan's row for the last activity says the questions are asked in it.
    assert "09:20–09:50 Practice in pairs · debrief and evaluation" in en
    # In the session: inside the last activity (09:20–09:50), before the key messages.
    session = en[en.index("2. Practice in pairs"):]
    closing = session[:session.index("KEY MESSAGES")]
    for expected in ("DEBRIEF AND EVALUATION, IN THIS ACTIVITY",
                     "At the start of this activity (09:20), ask the debrief questions. At its end, before 09:50, "
                     "ask the evaluation questions.", "How did you feel?", "What does the group agreement say?"):
        assert expected in closing, expected
    assert "How did you feel?" not in session[session.index("KEY MESSAGES"):]


def test_the_one_day_track_teaches_detention_and_hands_out_the_card():
    """«Conoce tus derechos»: the detention session, the pocket card on its agenda, one day."""
    diags = Diagnostics()
    cur = check(Options(content=CONTENT, content_display="content", out=Path("unused")), diags)
    assert not [d for d in diags.items if "conoce-tus-derechos" in str(d)]
    track = next(t for t in cur.tracks if t.id == "conoce-tus-derechos")
    assert "police-encounters/detention" in [ref for ref, _ in track.sessions]
    assert [m for m, _ in track.materials] == ["pocket-cards"]
    renderer = Renderer(cur, RenderOptions(CONTENT, cur.default_org))
    agenda = next(a for a in plan(cur, ["es"], [KINDS["agenda"]]) if a.track == track.id)
    html = renderer.html(agenda)
    assert "Si me detienen" in html and "tarjetas de bolsillo" in html
    assert "Día 2" not in html and track.days == 1


# The incident form: the real form's fields, in the sample (its own form is the old one).
@pytest.fixture(scope="module")
def form_pdfs(tmp_path_factory) -> Path:
    from conftest import ROOTS
    from taller.cli import main

    folder = tmp_path_factory.mktemp("form")
    content = folder / "sample"
    shutil.copytree(ROOTS / "minimal", content)
    shutil.copytree(CONTENT / "locales", content / "locales")
    shutil.rmtree(content / "incident-form")
    shutil.copytree(CONTENT / "incident-form", content / "incident-form")
    out = folder / "out"
    assert main(["--content", str(content), "--out", str(out), "--only", "incident-form", "--jobs", "1", "-q"]) == 0
    return out


def _fields(path: Path) -> list[dict]:
    """Every field the form declares at its top (/AcroForm /Fields), resolved."""
    acroform = PdfReader(path).trailer["/Root"]["/AcroForm"]
    return [ref.get_object() for ref in acroform["/Fields"]]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_fillable_form_tooltips_are_its_labels(form_pdfs, lang):
    texts = yaml.safe_load((CONTENT / f"incident-form/{lang}.yaml").read_text(encoding="utf-8"))
    labels = texts["fields"]
    fields = _fields(form_pdfs / f"{lang}/incident-form.fillable.pdf")
    assert len(fields) > 40
    for field in fields:
        name, tooltip = str(field["/T"]), str(field["/TU"])
        assert tooltip != name, name
        field_id = next(f for f in sorted(labels, key=len, reverse=True) if name == f or name.startswith(f + "-"))
        # A text or radio field says its label; a tick box its label and its option.
        assert tooltip == labels[field_id] or tooltip.startswith(labels[field_id] + ": "), (name, tooltip)
    if lang == "es":
        tooltips = {str(f["/TU"]) for f in fields}
        assert "Tipo de hecho: Le quitaron dinero o cosas" in tooltips
        assert "Institución: Funcionario municipal (fiscalización u otro)" in tooltips
        assert "Institución: Dueño o encargado del local" in tooltips
        assert "Fecha en que se hizo este registro" in tooltips
        assert any(t.startswith("Marca de la compañera (la marca ella): ") for t in tooltips)


def test_yes_no_questions_are_radio_groups_big_enough_to_tap(form_pdfs):
    fields = _fields(form_pdfs / "es/incident-form.fillable.pdf")
    groups = [f for f in fields if f.get("/FT") == "/Btn" and int(f.get("/Ff", 0)) & RADIO]
    assert len(groups) >= 3
    by_name = {str(g["/T"]): g for g in groups}
    for name in ("detained", "money-demanded", "signed-record"):
        group = by_name[name]
        assert len(group["/Kids"]) == 2 and [str(o) for o in group["/Opt"]] == ["yes", "no"]
        assert str(group["/TU"]).startswith("¿")  # the question, in Spanish
    # Every box (tick box or radio button) is at least 18 pt a side; text fields as tall.
    for field in fields:
        if "/Rect" not in field:
            continue  # a radio group: its buttons carry the boxes
        x0, y0, x1, y1 = (float(v) for v in field["/Rect"])
        assert abs(y1 - y0) >= 18, (field["/T"], abs(y1 - y0))
        if field.get("/FT") == "/Btn":
            assert abs(x1 - x0) >= 18, field["/T"]


def test_printed_form_asks_the_new_questions(form_pdfs):
    es = pdf_text(form_pdfs / "es/incident-form.pdf")
    for expected in ("Fecha de los hechos", "Le quitaron dinero o cosas", "Funcionario municipal (fiscalización u otro)",
                     "Dueño o encargado del local", "Marca de la compañera (la marca ella)",
                     "Estoy de acuerdo con lo que dice esta ficha y con el uso que marqué",
                     "Fecha en que se hizo este registro"):
        assert expected in es, expected
    assert PdfReader(form_pdfs / "es/incident-form.pdf").get_fields() in (None, {})


def _char_sizes(path: Path) -> list[tuple[str, float]]:
    """Each character PDFium finds on the pages, with its printed size in points: the font
    size times the vertical scale of the character's matrix (WeasyPrint draws in CSS pixels,
    scaled by 0.75; the imposition would scale a card too)."""
    document = pypdfium2.PdfDocument(path)
    found = []
    try:
        for page in document:
            textpage = page.get_textpage()
            for index in range(textpage.count_chars()):
                char = chr(pdfium_c.FPDFText_GetUnicode(textpage, index))
                if not char.strip() or pdfium_c.FPDFText_IsGenerated(textpage, index) == 1:
                    continue
                matrix = pdfium_c.FS_MATRIX()
                pdfium_c.FPDFText_GetMatrix(textpage, index, ctypes.byref(matrix))
                size = pdfium_c.FPDFText_GetFontSize(textpage, index) * math.hypot(matrix.b, matrix.d)
                found.append((char, round(size, 2)))
    finally:
        document.close()
    return found


def test_pocket_card_reads_after_a_photocopy(minimal_build):
    """Body text at least 8 pt; only the edition line is smaller, and it is at least 6 pt."""
    for lang, stamp in (("es", "Edición 0.9 · ES · 15 de enero de 2026"), ("en", "Edition 0.9 · EN · January 15, 2026")):
        chars = _char_sizes(minimal_build / f"{lang}/card.pdf")
        assert chars and min(size for _, size in chars) >= 5.95, lang
        small = "".join(char for char, size in chars if size < 7.95)
        # Eight cards on the sheet, one edition line each, and nothing else that small.
        assert small == re.sub(r"\s", "", stamp) * 8, (lang, small[:80])
