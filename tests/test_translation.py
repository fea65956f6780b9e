"""Translations that are behind their source: stale and missing blocks, `status`, `translated`."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit as _edit
from conftest import pdf_text

EN = "sample/modules/first-steps/en.yaml"
ES = "sample/modules/first-steps/es.yaml"
RECORD = "sample/modules/first-steps/en.translated.yaml"  # which source text each block was translated from



@pytest.fixture
def content(sample, tmp_path):
    """tests/roots/minimal as `sample/`, checked from its parent so paths read `sample/...`."""
    return sample("minimal").rename(tmp_path / "sample")


@pytest.fixture
def module(content):
    return content / "modules/first-steps"


def _check(run, content: Path, *options: str):
    return run("check", "--content", "sample", *options, cwd=content.parent)


def _row(output: str, name: str) -> list[str]:
    """The cells of the first table row that starts with `name`."""
    for line in output.splitlines():
        if line.startswith(name + "  "):
            return line[len(name):].split()
    raise AssertionError(f"no row {name!r} in:\n{output}")


def test_sample_starts_up_to_date(run, content):
    result = _check(run, content, "--strict")
    assert (result.code, result.lines) == (0, [])


def test_changed_source_makes_translation_stale(run, content, module):
    _edit(module / "es.yaml", "    title: Bienvenida al grupo\n", "    title: Bienvenidas al grupo\n")
    stale = [f"{EN}:6: warning: stale translation of sessions.welcome.title (source changed at {ES}:6)"]
    strict = _check(run, content, "--strict")
    assert (strict.code, strict.lines) == (1, stale)
    plain = _check(run, content)
    assert (plain.code, plain.lines) == (0, stale)


def test_block_without_fingerprint_is_stale(run, content, module):
    record = module / "en.translated.yaml"
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    record.write_text("".join(line for line in lines if not line.startswith("summary: ")), encoding="utf-8")
    assert _check(run, content).lines == [
        f"{EN}:2: warning: stale translation of summary (source changed at {ES}:2)"]


def test_fingerprint_of_unknown_key_is_a_warning(run, content, module):
    record = module / "en.translated.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "sessions.gone.title: 0123456789ab\n", encoding="utf-8")
    line = len(record.read_text(encoding="utf-8").splitlines())
    result = _check(run, content)
    assert (result.code, result.lines) == (0, [f"{RECORD}:{line}: warning: unknown key in translated_from: sessions.gone.title"])


def test_a_mapping_inside_the_text_file_is_still_read(run, content, module):
    """How earlier versions kept the fingerprints: read, and the record file's entries win."""
    record = module / "en.translated.yaml"
    summary = next(line for line in record.read_text(encoding="utf-8").splitlines() if line.startswith("summary: "))
    record.write_text(record.read_text(encoding="utf-8").replace(summary + "\n", ""), encoding="utf-8")
    en = module / "en.yaml"
    en.write_text(en.read_text(encoding="utf-8") + "translated_from:\n  " + summary + "\n", encoding="utf-8")
    assert _check(run, content, "--strict").lines == []


def test_translated_marks_only_the_named_key(run, content, module):
    _edit(module / "es.yaml", "title: Primeros pasos\n", "title: Primeros pasos juntas\n")
    _edit(module / "es.yaml", "    title: Bienvenida al grupo\n", "    title: Bienvenidas al grupo\n")
    text = (module / "en.yaml").read_bytes()
    before = (module / "en.translated.yaml").read_text(encoding="utf-8")
    result = run("translated", "--lang", "en", "modules/first-steps:sessions.welcome.title", "--content", "sample",
                 cwd=content.parent)
    assert result.code == 0
    assert "marked modules/first-steps:sessions.welcome.title\n" in result.out
    assert "1 block marked" in result.out
    assert (module / "en.yaml").read_bytes() == text  # the translator's file is never touched
    after = (module / "en.translated.yaml").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 1 and changed[0][1].startswith("sessions.welcome.title: ")  # one fingerprint line
    assert len(before) == len(after)
    # The other change is still stale.
    assert _check(run, content).lines == [
        f"{EN}:1: warning: stale translation of title (source changed at {ES}:1)"]


def test_translated_follows_a_link_and_keeps_the_file_mode(run, content, module):
    """A translation file that is a link stays a link; a new record file is as readable as
    the text it describes, not private to the one who ran the command."""
    (module / "en.translated.yaml").unlink()
    real = content / "shared-en.yaml"
    (module / "en.yaml").rename(real)
    (module / "en.yaml").symlink_to(Path("../../shared-en.yaml"))
    result = run("translated", "--lang", "en", "--all", "modules/first-steps", "--content", "sample", cwd=content.parent)
    assert result.code == 0, result.err
    assert (module / "en.yaml").is_symlink()
    assert (module / "en.translated.yaml").stat().st_mode & 0o044 == 0o044
    assert _check(run, content, "--strict").lines == []


def test_translated_prefix_marks_every_key_under_it(run, content, module):
    _edit(module / "es.yaml", "          - Formen un círculo.\n", "          - Formen un círculo grande.\n")
    _edit(module / "es.yaml", "          - Formen parejas.\n", "          - Formen parejas o tríos.\n")
    _edit(module / "es.yaml", "    - Tengo mi tarjeta.\n", "    - Tengo mi tarjeta y mi DNI.\n")
    result = run("translated", "--lang", "en", "modules/first-steps:sessions.welcome.activities",
                 "--content", "sample", cwd=content.parent)
    assert result.code == 0
    assert result.out.count("marked modules/first-steps:sessions.welcome.activities.") == 5
    assert "(was already up to date)" in result.out  # the titles and the role card did not change
    assert _check(run, content).lines == [
        f"{EN}:40: warning: stale translation of handout.checklist (source changed at {ES}:40)"]


def test_translated_never_marks_in_bulk_by_accident(run, content, module):
    en = module / "en.translated.yaml"
    before = en.read_bytes()
    unit = run("translated", "--lang", "en", "modules/first-steps", "--content", "sample", cwd=content.parent)
    everything = run("translated", "--lang", "en", "--all", "--content", "sample", cwd=content.parent)
    no_lang = run("translated", "modules/first-steps:title", "--content", "sample", cwd=content.parent)
    source = run("translated", "--lang", "es", "modules/first-steps:title", "--content", "sample", cwd=content.parent)
    unknown = run("translated", "--lang", "en", "modules/first-steps:nothing", "--content", "sample", cwd=content.parent)
    not_translated = run("check", "modules/first-steps:title", "--content", "sample", cwd=content.parent)
    assert (unit.code, everything.code, no_lang.code, source.code, unknown.code, not_translated.code) == (2, 2, 2, 1, 1, 2)
    assert "add --all" in unit.err and "--yes-i-checked-every-block" in everything.err
    assert en.read_bytes() == before
    whole = run("translated", "--lang", "en", "--all", "modules/first-steps", "--content", "sample", cwd=content.parent)
    assert whole.code == 0 and "22 blocks marked" in whole.out


def test_translated_refuses_a_block_with_no_translation(run, content, module):
    _edit(module / "en.yaml", "    title: Welcome to the group\n", "")
    _edit(module / "es.yaml", "title: Primeros pasos\n", "title: Primeros pasos juntas\n")
    en = module / "en.translated.yaml"
    before = en.read_bytes()
    result = run("translated", "--lang", "en", "modules/first-steps:sessions.welcome.title", "modules/first-steps:title",
                 "--content", "sample", cwd=content.parent)
    assert result.code == 1
    assert f"{EN}:5: error: cannot mark sessions.welcome.title: it has no translation yet" in result.err
    assert en.read_bytes() == before  # nothing marked, not even the good key
    # A prefix skips it and says so.
    prefix = run("translated", "--lang", "en", "modules/first-steps:sessions.welcome", "--content", "sample",
                 cwd=content.parent)
    assert prefix.code == 0
    assert "skipped modules/first-steps:sessions.welcome.title: it has no translation yet" in prefix.out


def test_whole_curriculum_first_import(run, content, module):
    record = module / "en.translated.yaml"
    text = record.read_text(encoding="utf-8")
    record.unlink()  # no fingerprints at all
    assert len(_check(run, content).lines) == 22
    result = run("translated", "--lang", "en", "--all", "--yes-i-checked-every-block", "--content", "sample",
                 cwd=content.parent)
    assert result.code == 0
    assert "22 stale before" in result.out
    assert record.read_text(encoding="utf-8") == text  # the same record, sorted
    assert _check(run, content, "--strict").code == 0


def test_missing_block_is_a_warning_and_builds_marked(run, content, module, tmp_path):
    _edit(module / "en.yaml", "title: First steps\n", "")
    out = tmp_path / "out"
    result = run("--content", "sample", "--out", str(out), "--jobs", "1", "--only", "handout", "--lang", "en",
                 cwd=content.parent)
    assert result.code == 0
    assert result.lines == [f"{EN}:1: warning: missing translation of title"]
    text = pdf_text(out / "en/handouts/first-steps.pdf")
    assert "FOR PARTICIPANTS Primeros pasos Edition 0.9" in text  # the source text, as it is
    # The document says it once, in its edition line; the page footers repeat only the edition.
    assert text.count("(translation pending)") == 1
    assert "Edition 0.9 · EN · January 15, 2026 (translation pending)" in text
    assert "Do what feels safest." in text


def test_stale_block_builds_with_the_old_translation_marked(run, content, module, tmp_path):
    _edit(module / "es.yaml", "    - Escucha a tus compañeras.\n", "    - Escucha con calma a tus compañeras.\n")
    out = tmp_path / "out"
    result = run("--content", "sample", "--out", str(out), "--jobs", "1", "--only", "handout", cwd=content.parent)
    assert result.code == 0
    en = pdf_text(out / "en/handouts/first-steps.pdf")
    # A list block: its items print as they are, and the handout says once that some are behind.
    assert "1 Listen to your fellow workers. 2 Do what feels safest." in en
    assert en.count("(translation pending)") == 1
    es = pdf_text(out / "es/handouts/first-steps.pdf")
    assert "pendiente)" not in es and "Escucha con calma a tus compañeras." in es


def test_the_notice_is_only_on_the_documents_that_print_a_pending_text(run, content, module, tmp_path):
    """A facilitator's step behind its source is in the guide, not in the handout."""
    _edit(module / "es.yaml", "          - Formen parejas.\n", "          - Formen parejas o tríos.\n")
    out = tmp_path / "out"
    result = run("--content", "sample", "--out", str(out), "--jobs", "1", "--only", "handout,guide", "--lang", "en",
                 cwd=content.parent)
    assert result.code == 0, result.err
    assert "(translation pending)" not in pdf_text(out / "en/handouts/first-steps.pdf")
    guide = pdf_text(out / "en/guides/first-steps.pdf")
    assert guide.count("(translation pending)") == 1 and "Form pairs." in guide


def test_pending_mark_is_in_the_output_language(run, content, tmp_path):
    # With English as the source, the Spanish texts have no fingerprints: all pending.
    _edit(content / "curriculum/curriculum.yaml", "source_language: es", "source_language: en")
    out = tmp_path / "out"
    result = run("--content", "sample", "--out", str(out), "--jobs", "1", "--only", "handout", "--lang", "es",
                 cwd=content.parent)
    assert result.code == 0
    assert "Edición 0.9 · ES · 15 de enero de 2026 (traducción pendiente)" in pdf_text(out / "es/handouts/first-steps.pdf")


def test_strict_build_refuses_a_pending_translation(run, content, module, tmp_path):
    _edit(module / "en.yaml", "title: First steps\n", "")
    out = tmp_path / "out"
    result = run("--content", "sample", "--out", str(out), "--jobs", "1", "--strict", cwd=content.parent)
    assert result.code == 1
    assert result.lines == [f"{EN}:1: warning: missing translation of title"]
    assert not out.exists()


def test_missing_block_in_the_source_is_still_an_error(run, content, module):
    _edit(module / "es.yaml", "title: Primeros pasos\n", "")
    result = _check(run, content)
    assert result.code == 1
    assert f"{ES}:1: error: missing text title" in result.lines


@pytest.mark.parametrize("text", ["", "# to do\n", "translated_from:\n  title: 0123456789ab\n"])
def test_emptied_translation_file_is_an_error(run, content, module, text):
    (module / "en.yaml").write_text(text, encoding="utf-8")
    result = _check(run, content)
    assert result.code == 1
    assert result.lines == [f"{EN}:1: error: translation file is empty"]


def test_status_counts_current_stale_and_missing(run, content, module):
    _edit(module / "es.yaml", "title: Primeros pasos\n", "title: Primeros pasos juntas\n")
    _edit(module / "en.yaml", "    title: Welcome to the group\n", "")
    result = run("status", "--content", "sample", cwd=content.parent)
    assert result.code == 0  # stale blocks are work to do, not a failure
    assert result.err == ""
    assert _row(result.out, "modules/first-steps") == ["22", "20", "1", "1", "90%"]
    total = int(_row(result.out, "es (source)")[0])
    assert _row(result.out, "es (source)") == [str(total), str(total), "0", "0", "100%"]
    assert _row(result.out, "en")[:4] == [str(total), str(total - 2), "1", "1"]
    assert _row(result.out, "total")[:4] == [str(total), str(total - 2), "1", "1"]
    assert _row(result.out, "glossary") == ["4", "4", "0", "0", "100%"]


def test_status_with_a_missing_translation_file(run, content, module):
    (module / "en.yaml").unlink()
    result = run("status", "--lang", "en", "--content", "sample", cwd=content.parent)
    assert result.code == 1  # a missing file is an error, shown above the table
    assert f"{EN}: error: missing en text file for modules/first-steps" in result.err
    assert _row(result.out, "modules/first-steps") == ["22", "0", "0", "22", "0%"]


def test_a_broken_record_file_is_fixed_before_anything_is_marked(run, content, module):
    """A record file with a merge conflict in it is an error to fix, never rewritten with
    only the newly marked block (which would make every other block stale)."""
    record = module / "en.translated.yaml"
    broken = record.read_text(encoding="utf-8").replace("summary: ", "<<<<<<< HEAD\nsummary: ", 1)
    record.write_text(broken, encoding="utf-8")
    result = run("translated", "--lang", "en", "modules/first-steps:title", "--content", "sample", cwd=content.parent)
    assert result.code == 1
    assert result.err.splitlines()[-1] == "nothing marked"
    assert any(line.startswith(f"{RECORD}:") and ": error: " in line for line in result.err.splitlines())
    assert record.read_text(encoding="utf-8") == broken


def test_translated_drops_the_record_of_a_block_no_longer_there(run, content, module):
    """A block taken out of the translation takes its fingerprint with it on the next
    `translated`, so no "unknown key" warning stays behind for ever."""
    record = module / "en.translated.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "sessions.gone.title: 0123456789ab\n", encoding="utf-8")
    _edit(module / "es.yaml", "title: Primeros pasos\n", "title: Primeros pasos juntas\n")
    result = run("translated", "--lang", "en", "modules/first-steps:title", "--content", "sample", cwd=content.parent)
    assert result.code == 0, result.err
    assert "sessions.gone.title" not in record.read_text(encoding="utf-8")
    assert _check(run, content, "--strict").lines == []


def _notes(result) -> list[str]:
    return [line for line in result.err.splitlines() if ": note: " in line]


def test_a_language_in_progress_is_summed_up_in_one_note_per_file(run, content, module):
    _edit(content / "curriculum/curriculum.yaml", "languages: [es, en]\n", "languages: [es, en]\nlanguages_in_progress: [en]\n")
    _edit(module / "es.yaml", "title: Primeros pasos\n", "title: Primeros pasos juntas\n")
    _edit(module / "en.yaml", "    title: Welcome to the group\n", "")
    result = _check(run, content, "--strict")
    assert (result.code, result.lines) == (0, [])  # work under way: --strict does not fail on it
    assert _notes(result) == [
        f"{EN}: note: en: 2 of 22 texts still to translate (1 missing, 1 stale): the missing print in Spanish (es), "
        "the stale in their old translation, with a notice; `check --verbose` lists each"]
    verbose = _check(run, content, "--verbose")
    assert _notes(verbose) == [f"{EN}:1: note: stale translation of title (source changed at {ES}:1)",
                               f"{EN}:5: note: missing translation of sessions.welcome.title"]
    status = run("status", "--content", "sample", cwd=content.parent)
    assert _row(status.out, "en (in progress)")[:4] == [_row(status.out, "es (source)")[0], str(
        int(_row(status.out, "es (source)")[0]) - 2), "1", "1"]
    # Once the language is marked complete, each text behind is a warning again.
    _edit(content / "curriculum/curriculum.yaml", "languages_in_progress: [en]\n", "")
    assert _check(run, content, "--strict").code == 1


def test_a_fresh_translation_file_is_missing_not_stale(run, content, module):
    """How a new module's translation starts (content/README.md, "Adding a module")."""
    (module / "en.yaml").write_text("# English text of this module\n", encoding="utf-8")
    (module / "en.translated.yaml").unlink()
    result = _check(run, content)
    assert (result.code, result.lines) == (0, [
        f"{EN}: warning: en: none of its 22 texts is translated yet: they print in Spanish (es) with a notice; "
        "`check --verbose` lists each"])
    verbose = _check(run, content, "--verbose")
    assert len(verbose.lines) == 22 and all(": warning: missing translation of " in line for line in verbose.lines)
    status = run("status", "--content", "sample", cwd=content.parent)
    assert _row(status.out, "modules/first-steps") == ["22", "0", "0", "22", "0%"]


@pytest.mark.parametrize("line, message", [
    ("languages_in_progress: [fr]", "curriculum: 'fr' in languages_in_progress must be one of the translations in "
                                    "languages (en)"),
    ("languages_in_progress: [es]", "curriculum: 'es' in languages_in_progress must be one of the translations in "
                                    "languages (en)"),
    ("language_names: {fr: Français}", "curriculum: language_names names 'fr', which is not in languages"),
])
def test_the_language_fields_name_declared_languages(run, content, line, message):
    _edit(content / "curriculum/curriculum.yaml", "languages: [es, en]\n", f"languages: [es, en]\n{line}\n")
    result = _check(run, content)
    assert (result.code, result.lines) == (1, [f"sample/curriculum/curriculum.yaml:5: error: {message}"])
