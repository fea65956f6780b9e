"""Benchmarks (not tests): cold, no-op, one-module edit and watch-mode rebuilds, against
bare WeasyPrint rendering the same HTML. Prints a table and writes bench/results.json.

Run with `make bench`. Each run works on a copy of content/ in a temporary folder, so the
project's own cache and dist/ are untouched.

- bare WeasyPrint renders the HTML files `--keep-html` keeps, one after another in one warm
  process. `bare_weasyprint_s`: one document per output, as a build without reuse makes
  them (the manual as one document, `book.html`). The build itself lays out each guide once
  and joins those pages into the manual (taller/pdf.py, PdfWriter.book);
  `bare_laid_out_only_s` is bare WeasyPrint on just the documents the build lays out (the
  manual's `book.front.html` and `book.back.html` instead of `book.html`).
- watch edit-to-PDF: from saving a module's Spanish text to its new plain handout PDF, with
  `watch` running (it writes that handout first, then the booklet and large print); the
  median of three saves. The no-op figure is the median of three runs.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for the kind registry

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
EDIT_FILE = "modules/safety/es.yaml"
EDIT_FROM, EDIT_TO = "title: Seguridad y cuidado colectivo", "title: Seguridad y cuidado colectivo entre todas"


def timed(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([PY, "build.py", *args, "-q"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def bare_weasyprint(html_dir: Path, content: Path) -> dict[str, float]:
    """Seconds for WeasyPrint alone on each kept HTML file, one process, sequentially."""
    code = f"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from taller.render.fonts import use_bundled_fonts_only
use_bundled_fonts_only()  # as the build renders: the bundled fonts only
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from taller.render.policy import make_fetcher
from taller.paths import TEMPLATES
root = Path({str(html_dir)!r})
fonts, fetcher = FontConfiguration(), make_fetcher([TEMPLATES, Path({str(content)!r})])
seconds = {{}}
for f in sorted(root.rglob('*.html')):
    started = time.perf_counter()
    HTML(string=f.read_text(), base_url=TEMPLATES.as_uri() + '/', url_fetcher=fetcher).write_pdf(font_config=fonts)
    seconds[str(f.relative_to(root))] = time.perf_counter() - started
print(json.dumps(seconds))
"""
    out = subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def by_kind(outputs: list[dict]) -> dict[str, dict[str, int]]:
    """Files, pages and bytes a page of every kind in the registry (a kind the build did not
    make shows 0 files, so a new kind is never left out of the figures unseen)."""
    from taller.kinds import KINDS

    rows = {}
    for kind in [*KINDS, "html"]:
        mine = [o for o in outputs if o["kind"] == kind]
        pages = sum(o["pages"] for o in mine)
        rows[kind] = {"files": len(mine), "pages": pages,
                      "bytes_per_page": round(sum(o["bytes"] for o in mine) / pages) if pages else 0}
    return rows


def watch_edits(content: Path, out: Path, edits: int = 3) -> list[float]:
    """Seconds from saving a handout's text to its new PDF, with `watch` already running,
    for each of `edits` saves (each a new title, so nothing comes from the cache)."""
    target = out / "es/handouts/safety.pdf"
    log = out.parent / "watch.log"  # a file, not a pipe: warnings must never block the watcher
    with log.open("w") as handle:
        proc = subprocess.Popen([PY, "build.py", "watch", "--content", str(content), "--out", str(out), "--lang", "es",
                                 "--only", "handout"], cwd=ROOT, stderr=handle, stdout=handle, text=True)
    seconds = []
    try:
        while "watching" not in log.read_text():
            time.sleep(0.1)
        path = content / EDIT_FILE
        for _ in range(edits):
            time.sleep(3.0)  # the previous rebuild (booklet and large print too) is done
            before = target.stat().st_mtime_ns
            edited = f"{EDIT_TO} {time.time_ns()}"  # never seen before: not in the render cache
            text = path.read_text(encoding="utf-8").replace(EDIT_TO, edited, 1)
            started = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            while target.stat().st_mtime_ns == before:
                if time.perf_counter() - started > 60:
                    return seconds + [float("nan")]
                time.sleep(0.005)
            seconds.append(time.perf_counter() - started)
            time.sleep(3.0)
            path.write_text(text.replace(edited, EDIT_TO, 1), encoding="utf-8")  # back, for the next
    finally:
        proc.terminate()
        proc.wait()
    return seconds


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        content, out = Path(tmp) / "content", Path(tmp) / "out"
        shutil.copytree(ROOT / "content", content)
        base = ["--content", str(content), "--out", str(out)]
        cold = timed(*base, "--keep-html")
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        outputs = json.loads((out / "manifest.json").read_text())["outputs"]
        pdfs = [o for o in outputs if o["path"].endswith(".pdf")]  # the HTML edition's pages are not PDF pages
        pages, size = sum(o["pages"] for o in pdfs), sum(o["bytes"] for o in pdfs)
        per_kind = by_kind(outputs)
        seconds = bare_weasyprint(out / "_html", content)
        # One document per output (the manual whole), as a build without reuse renders them:
        bare = sum(t for name, t in seconds.items() if not name.endswith((".front.html", ".back.html")))
        # Only the documents this build lays out (the manual's front and appendices, not the whole):
        laid_out = sum(t for name, t in seconds.items() if not name.endswith("/book.html"))
        noop = statistics.median(timed(*base, "--keep-html") for _ in range(3))  # the cold build's options: a true no-op
        path = content / EDIT_FILE
        path.write_text(path.read_text(encoding="utf-8").replace(EDIT_FROM, EDIT_TO), encoding="utf-8")
        edit = timed(*base, "--keep-html")
        watch = statistics.median(watch_edits(content, out))
    results = {
        "cold_full_build_s": round(cold, 2), "pages": pages, "pages_per_s": round(pages / cold, 1),
        "bare_weasyprint_s": round(bare, 2), "cold_over_bare": round(cold / bare, 2),
        "bare_laid_out_only_s": round(laid_out, 2), "cold_over_laid_out_only": round(cold / laid_out, 2),
        "noop_rebuild_s": round(noop, 2), "one_module_edit_s": round(edit, 2),
        "watch_edit_to_pdf_s": round(watch, 2), "peak_memory_mb": round(peak_mb),
        "bytes_per_page": round(size / pages), "cores": os.cpu_count(),
    }
    results["per_kind"] = per_kind
    targets = {"cold_over_bare": 0.6, "noop_rebuild_s": 0.5, "watch_edit_to_pdf_s": 0.5, "peak_memory_mb": 400,
               "bytes_per_page": 4096}
    print(f"{'measure':<22} {'value':>10}  target")
    for key, value in results.items():
        if key == "per_kind":
            continue
        target = targets.get(key)
        mark = "" if target is None else (f"<= {target}  " + ("met" if value <= target else "missed"))  # NaN: missed
        print(f"{key:<22} {value:>10}  {mark}")
    print(f"\n{'kind':<16} {'files':>6} {'pages':>6} {'bytes/page':>10}")
    for kind, row in per_kind.items():
        print(f"{kind:<16} {row['files']:>6} {row['pages']:>6} {row['bytes_per_page']:>10}")
    clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in results.items()}  # NaN is not JSON
    (ROOT / "bench/results.json").write_text(json.dumps(clean, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
