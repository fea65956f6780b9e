"""Bad content: each problem is one `path:line: error: message` line, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit as _edit


def _build_fails(run, content: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / "out"
    result = run("build", "--content", "sample", "--out", str(out), cwd=content.parent)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert not out.exists()  # nothing written from content with errors
    return result.lines


@pytest.fixture
def content(sample, tmp_path):
    path = sample("minimal")
    return path.rename(tmp_path / "sample")


def test_missing_file(run, content, tmp_path):
    (content / "modules/first-steps/en.yaml").unlink()
    assert _build_fails(run, content, tmp_path) == [
        "sample/modules/first-steps/en.yaml: error: missing en text file for modules/first-steps"]


def test_yaml_syntax_error(run, content, tmp_path):
    _edit(content / "modules/first-steps/es.yaml", "  welcome:\n", "  welcome:\n   bad: [unclosed\n")
    lines = _build_fails(run, content, tmp_path)
    assert len(lines) == 1
    assert lines[0].startswith("sample/modules/first-steps/es.yaml:7: error: YAML syntax error:")


def test_wrong_type(run, content, tmp_path):
    _edit(content / "modules/first-steps/module.yaml", "minutes: 20", "minutes: twenty")
    assert _build_fails(run, content, tmp_path) == [  # one error, not a second about the sum of minutes
        "sample/modules/first-steps/module.yaml:16: error: activity: 'minutes' must be a whole number, not 'twenty'",
    ]


def test_activities_that_do_not_add_up(run, content, tmp_path):
    _edit(content / "modules/first-steps/module.yaml", "minutes: 20", "minutes: 25")
    assert _build_fails(run, content, tmp_path) == [
        "sample/modules/first-steps/module.yaml:6: error: session 'welcome' lasts 50 minutes but its activities add up to 55"]


def test_unknown_key(run, content, tmp_path):
    _edit(content / "modules/first-steps/module.yaml", "    minutes: 50\n", "    minutes: 50\n    colour: red\n")
    assert _build_fails(run, content, tmp_path) == [
        "sample/modules/first-steps/module.yaml:8: error: session: unknown key 'colour'"]


@pytest.mark.parametrize("old, new, where", [("  - id: welcome\n", "  - idd: welcome\n", "6: error: session"),
                                             ("      - id: circle\n", "      - idd: circle\n", "13: error: activity")])
def test_a_lost_id_is_one_error_not_one_per_text(run, content, tmp_path, old, new, where):
    # Without its id a session (or activity) matches none of its texts; they must not each
    # become an "unknown key" error in es.yaml and en.yaml, burying the real one.
    _edit(content / "modules/first-steps/module.yaml", old, new)
    assert _build_fails(run, content, tmp_path) == [
        f"sample/modules/first-steps/module.yaml:{where}: missing 'id'",
        f"sample/modules/first-steps/module.yaml:{where}: unknown key 'idd'",
    ]


def test_unknown_text_key(run, content, tmp_path):
    _edit(content / "modules/first-steps/en.yaml", "title: First steps\n", "title: First steps\ntitel: typo\n")
    assert _build_fails(run, content, tmp_path) == [
        "sample/modules/first-steps/en.yaml:2: error: unknown key 'titel'"]


# A missing block of a translation is a warning: see test_translation.py.


def test_emptied_translation_file(run, content, tmp_path):
    (content / "modules/first-steps/en.yaml").write_text("", encoding="utf-8")
    assert _build_fails(run, content, tmp_path) == ["sample/modules/first-steps/en.yaml:1: error: translation file is empty"]


def test_dangling_references(run, content, tmp_path):
    _edit(content / "modules/first-steps/module.yaml", "glossary: [testigo, placa]", "glossary: [testigo, plaka]")
    _edit(content / "modules/first-steps/module.yaml", "legal_facts: [test-fact]\n    activities",
          "legal_facts: [no-such-fact]\n    activities")
    _edit(content / "tracks/tracks.yaml", "modules: [first-steps]", "modules: [first-steps, second]")
    assert _build_fails(run, content, tmp_path) == [
        "sample/modules/first-steps/module.yaml:10: error: unknown glossary term 'plaka': did you mean 'placa'?",
        "sample/modules/first-steps/module.yaml:11: error: unknown legal fact 'no-such-fact'",
        "sample/tracks/tracks.yaml:4: error: unknown module 'second'",
    ]


def test_duplicate_ids(run, content, tmp_path):
    _edit(content / "glossary/glossary.yaml", "terms: [testigo, placa]", "terms: [testigo, placa, testigo]")
    assert _build_fails(run, content, tmp_path) == [
        "sample/glossary/glossary.yaml:1: error: duplicate glossary term id 'testigo' (first at sample/glossary/glossary.yaml:1)"]


def test_duplicate_yaml_key(run, content, tmp_path):
    _edit(content / "legal/es.yaml", "  title: Un hecho de prueba\n", "  title: Un hecho de prueba\n  title: Otro\n")
    assert _build_fails(run, content, tmp_path) == ["sample/legal/es.yaml:4: error: duplicate key 'title'"]


def test_all_problems_reported_together(run, content, tmp_path):
    _edit(content / "modules/first-steps/module.yaml", "    minutes: 50\n", "    minutes: 50\n    colour: red\n")
    _edit(content / "modules/first-steps/en.yaml", "title: First steps\n", "title: First steps\ntitel: typo\n")
    assert len(_build_fails(run, content, tmp_path)) == 2


def test_check_writes_nothing_and_passes_on_good_content(run, content, tmp_path):
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run("check", "--content", "sample", cwd=content.parent)
    assert result.code == 0
    assert result.lines == []
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # no dist/, no cache


def test_check_on_missing_folder(run, tmp_path):
    result = run("check", "--content", str(tmp_path / "nowhere"))
    assert result.code == 1
    assert result.lines == [f"{tmp_path / 'nowhere'}: error: content folder not found; give the curriculum's folder "
                            "with --content DIR"]


@pytest.mark.parametrize("argv, message", [
    (["--paper", "a5"], "build.py build: error: argument --paper: invalid choice: 'a5' (choose from 'a4', 'letter')"),
    (["--jobs", "0"], "build.py build: error: argument --jobs: needs a whole number of 1 or more, not '0'"),
    (["--only", "poster"], "build.py build: error: argument --only: unknown kind 'poster'; known: handout, legal-sheet, "
                           "guide, session-plan, observer-form, card, contacts, follow-up-card, incident-form, witness-sheet, "
                           "glossary, book, legal-review, agenda, sign-in, evaluation, certificate, image, audio, "
                           "recording-script, print-plan"),
    (["--start", "9am"], "build.py build: error: argument --start: needs a time as HH:MM, such as 09:00; not '9am'"),
    (["publish"], "build.py: error: unknown command 'publish' (commands: build, check, status, translated, reviewed, plan, watch, "
                  "new-language, po, recorded)"),
    (["build", "--track", "x"], "build.py build: error: unrecognized arguments: --track x"),
    (["check", "--out", "x"], "build.py check: error: unrecognized arguments: --out x"),
    (["--cache", "dist/.c"], "build.py build: error: --cache dist/.c is inside --out dist: keep the cache out of the "
                             "content folder (it would change what is built) and out of OUT (it would travel on USB sticks)"),
    (["plan", "--track", "short", "--participants", "10", "--facilitators", "0"],
     "build.py plan: error: argument --facilitators: needs a whole number of 1 or more, not '0'"),
    (["plan", "--track", "short"], "build.py plan: error: the following arguments are required: --participants"),
    (["translated", "--lang", "en"], "build.py translated: error: name the blocks to mark as unit:key "
                                     "(e.g. modules/documenting:sessions.consent.title), or use --all"),
])
def test_bad_usage_is_one_line_and_exit_2(run, argv, message):
    """A usage error names the option of the command it was given to, and says what it needs."""
    result = run(*argv)
    assert result.code == 2
    assert result.err.splitlines()[-1] == message
    assert result.out == ""


def test_options_are_not_case_sensitive_where_a_word_is_meant(run, tmp_path):
    result = run("check", "--content", str(tmp_path / "nowhere"))  # a valid command line...
    assert result.code == 1
    assert run("--paper", "A4", "--edition", "No-Contacts", "--content", str(tmp_path / "nowhere")).code == 1  # ...and so is this


def test_a_version_that_would_name_a_folder_is_an_error(run, content, tmp_path):
    """The version names the zips (taller-<version>-es.zip): it must never lead out of OUT."""
    _edit(content / "curriculum/curriculum.yaml", 'version: "0.9"', 'version: "x/../../../evil"')
    assert _build_fails(run, content, tmp_path) == [
        "sample/curriculum/curriculum.yaml:1: error: curriculum: 'version' must be letters, digits, '.', '-' or '_' "
        "(such as 1.0), not 'x/../../../evil'"]
    assert not list(tmp_path.parent.rglob("evil*"))
