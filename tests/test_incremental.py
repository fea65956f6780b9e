"""Incremental builds: nothing is rendered twice; an edit re-renders exactly what it affects."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from conftest import copy_of, manifest, pdf_text
from taller.diagnostics import Diagnostics
from taller.kinds import KINDS, Artifact
from taller.options import Options
from taller.pipeline import build
from taller.watch import affected


def _build(content: Path, out: Path):
    diags = Diagnostics()
    report = build(Options(content=content, content_display="sample", out=out, jobs=2), diags)
    assert diags.errors == []
    return report


def test_unchanged_build_renders_nothing(minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")  # its cache holds every output
    again = _build(content, out)
    assert again.rendered == []
    assert again.outputs == len(manifest(minimal_build)) > 20


def test_edit_rerenders_exactly_the_affected_outputs(minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")
    path = content / "modules/first-steps/es.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Formen parejas.", "Formen parejas con calma."),
                    encoding="utf-8")
    report = _build(content, out)
    # The step is in the guide (and the manual) only; the English block is now stale and is
    # printed with "(translation pending)", so the English guide and manual change too.
    assert sorted(report.rendered) == ["en/book.pdf", "en/guides/first-steps.pdf",
                                       "es/book.pdf", "es/guides/first-steps.pdf"]


def test_each_guide_is_laid_out_once_for_the_guide_and_the_manual(sample, tmp_path, monkeypatch):
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
                           kinds=["guide", "book"], jobs=1), diags)
    assert diags.errors == [] and sorted(report.rendered) == ["es/book.pdf", "es/guides/first-steps.pdf"]
    guide_layouts = [t for t in titles if t and "Primeros pasos" in t]
    assert len(guide_layouts) == 1, titles  # not once more inside the manual


def test_a_no_op_build_does_not_import_weasyprint(minimal_build, tmp_path):
    import subprocess
    import sys

    content, out = copy_of(minimal_build, tmp_path / "copy")
    _build(content, out)  # this OUT's stamp
    code = ("import sys; from taller.cli import main; code = main(['--content', sys.argv[1], '--out', sys.argv[2], '-q']);"
            " print('weasyprint' in sys.modules); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", code, str(content), str(out)], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_watch_selects_what_an_edit_affects(tmp_path):
    content = tmp_path / "content"
    select = affected({content / "modules/first-steps/es.yaml"}, content, {"short": {"first-steps"}, "other": {"x"}})
    assert select(Artifact(KINDS["handout"], "es", module="first-steps"))
    assert select(Artifact(KINDS["book"], "en"))
    assert select(Artifact(KINDS["agenda"], "es", track="short"))
    assert not select(Artifact(KINDS["agenda"], "es", track="other"))
    assert not select(Artifact(KINDS["handout"], "es", module="second"))
    assert not select(Artifact(KINDS["card"], "es"))
    assert affected({content / "glossary/es.yaml"}, content, {}) is None  # shared text: everything


def _lines_of(process) -> queue.Queue:
    """Each line the process prints, as it prints it: a thread drains the pipe (so the
    watcher never blocks on output) and the test waits on the queue, an event per line."""
    lines: queue.Queue = queue.Queue()

    def drain():
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)  # the process ended

    threading.Thread(target=drain, daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue, seen: list[str], wanted) -> str:
    """The next line for which `wanted` holds; every line read is kept in `seen`."""
    while True:
        line = lines.get(timeout=600)  # a line comes at every step; only a hung watcher waits this long
        assert line is not None, "the watcher ended: " + "\n".join(seen)
        seen.append(line)
        if wanted(line):
            return line


def test_watch_rebuilds_on_save(sample, tmp_path):
    import subprocess
    import sys

    content, out = sample(), tmp_path / "out"
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen([sys.executable, "build.py", "watch", "--content", str(content), "--out", str(out),
                                "--lang", "es", "--only", "handout"], cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        lines, seen = _lines_of(process), []
        first = _wait_for(lines, seen, lambda line: line.startswith("rebuilt "))  # the first build
        _wait_for(lines, seen, lambda line: line.startswith("watching "))
        path = content / "modules/first-steps/es.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("El grupo tiene un acuerdo.", "El grupo tiene un acuerdo claro."),
                        encoding="utf-8")
        ready = _wait_for(lines, seen, lambda line: line.startswith(("ready ", "rebuilt ")))
        # The plain handout is written and announced before its booklet and large-print forms.
        assert ready.startswith("ready es/handouts/first-steps.pdf in "), seen
        rebuilt = _wait_for(lines, seen, lambda line: line.startswith("rebuilt "))
        assert first.startswith("rebuilt 3 of 3 outputs"), seen
        assert rebuilt.startswith("rebuilt 3 of 3 outputs"), seen
        assert "es/handouts/first-steps.pdf" in rebuilt
        assert "El grupo tiene un acuerdo claro." in pdf_text(out / "es/handouts/first-steps.pdf")
    finally:
        process.terminate()
        process.wait(timeout=30)
