"""Builds that share a cache or do part of the work: nothing they do undoes another's.

- two OUT folders on one cache (dist/ and a USB stick): each keeps its no-op stamp;
- `--lang es` after a full build: the offline edition still offers every language on disk,
  and the index and the manifest agree;
- a third language, one Babel knows nothing about (Aymara), through the whole build.
"""

from __future__ import annotations

import re
import shutil

from conftest import CONTENT, ROOTS, copy_of, manifest


def test_a_build_into_another_folder_keeps_this_folders_no_op(run, minimal_build, tmp_path):
    content, a = copy_of(minimal_build, tmp_path / "copy")
    b = tmp_path / "b"
    assert run("--content", str(content), "--out", str(a), "--jobs", "2").code == 0
    assert run("--content", str(content), "--out", str(b), "--jobs", "2").code == 0
    # Without its rendered PDFs, only a no-op (nothing loaded, nothing rendered) can rebuild A
    # with nothing rendered: the stamp of A must have survived the build into B.
    for pdf in (content.parent / ".taller-cache").rglob("*.pdf"):
        pdf.unlink()
    again = run("--content", str(content), "--out", str(a), "--jobs", "2")
    assert again.code == 0
    assert again.out.startswith("Nothing had changed since the last build: "), again.out


def test_a_partial_build_keeps_the_index_whole(run, minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")
    path = content / "modules/first-steps/es.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Bienvenida al grupo", "Bienvenidas al grupo"),
                    encoding="utf-8")
    assert run("--content", str(content), "--out", str(out), "--jobs", "2", "--lang", "es", "-q").code == 0
    chooser = (out / "index.html").read_text(encoding="utf-8")
    linked = sorted(re.findall(r'href="index-(\w+)\.html"', chooser))
    languages = sorted({entry["lang"] for entry in manifest(out).values()})
    assert linked == languages == ["en", "es"]
    for lang in linked:
        index = (out / f"index-{lang}.html").read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"#][^"]*)"', index):  # an anchor of the page itself needs no file
            assert (out / href).is_file(), (lang, href)  # every link of every index is to a file on disk
    assert "Bienvenidas al grupo" in (out / "es/html/guides/first-steps.html").read_text(encoding="utf-8")


def test_a_third_language_babel_does_not_know_builds_everything(run, tmp_path):
    content = tmp_path / "three"
    shutil.copytree(ROOTS / "three-languages", content)
    shutil.copytree(CONTENT / "locales", content / "locales")
    out = tmp_path / "out"
    result = run("--content", str(content), "--out", str(out), "--jobs", "2")
    assert result.code == 0, result.err
    # Aymara is in progress and named: what it lacks (its catalog, texts) is a note, not a warning.
    assert result.lines == []
    entries = manifest(out)
    assert {e["lang"] for e in entries.values()} == {"es", "en", "ay"}
    assert {e["kind"] for e in entries.values() if e["lang"] == "ay"} == {
        "handout", "legal-sheet", "guide", "session-plan", "observer-form", "card", "contacts", "follow-up-card",
        "incident-form", "witness-sheet", "glossary", "book", "legal-review", "agenda", "sign-in", "evaluation",
        "certificate", "image", "recording-script", "print-plan", "html"}  # no audio: espeak-ng has no Aymara voice
    assert (out / "taller-0.9-ay.zip").is_file() and (out / "index-ay.html").is_file()
    assert sorted(re.findall(r'href="index-(\w+)\.html"', (out / "index.html").read_text(encoding="utf-8"))) == [
        "ay", "en", "es"]


def test_a_full_build_clears_what_an_earlier_version_left_in_the_cache(run, minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")
    cache = content.parent / ".taller-cache"
    earlier = ["0" * 64 + ".pdf", "1" * 64 + ".json", "stamp-" + "2" * 16 + ".json", "zip-" + "3" * 64 + ".zip"]
    for name in [*earlier, "notes.txt"]:
        (cache / name).write_bytes(b"x")
    assert run("--content", str(content), "--out", str(out), "-q").code == 0
    assert sorted(p.name for p in cache.iterdir() if p.is_file()) == ["CACHEDIR.TAG", "notes.txt"]  # only what we know is ours
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == ["pages", "render", "stamps", "thumbs", "zips"]


def test_a_strict_build_writes_nothing_for_a_warning_found_while_building(run, minimal_build, tmp_path):
    """An unreadable previous manifest is found only when the manifest is merged: with
    --strict the build still stops before it writes anything."""
    content, out = copy_of(minimal_build, tmp_path / "copy")
    (out / "manifest.json").write_text("{ not json", encoding="utf-8")
    before = sorted((p.relative_to(out), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file())
    result = run("--content", str(content), "--out", str(out), "--strict", "--lang", "es", "--only", "handout")
    assert result.code == 1
    assert result.lines == [f"{out / 'manifest.json'}: warning: the previous manifest cannot be read: it lists only "
                            "this build's outputs now"]
    assert sorted((p.relative_to(out), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()) == before


def test_a_no_op_notices_a_missing_file_of_the_offline_edition(run, minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")
    assert run("--content", str(content), "--out", str(out), "-q").code == 0  # this OUT's stamp
    (out / "search-es.html").unlink()
    assert run("--content", str(content), "--out", str(out), "-q").code == 0
    assert (out / "search-es.html").is_file()
