"""Errors that say what to do, at the line to change, and only the root of a cascade: a tab,
a colon in a text, a line indented wrong, an id mistyped or written with accents, a session
id that the structure and its texts write two ways (review §4 "Content errors")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CONTENT
from conftest import edit as _edit
from conftest import line_of as _line_of

MODULE = "modules/first-steps"


def _check(run, root: Path, *options: str) -> list[str]:
    """`check` on `root`: it fails cleanly; the diagnostic lines."""
    result = run("check", "--content", str(root), *options)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err and "unexpected failure" not in result.err, result.err
    return result.lines


def _errors(lines: list[str]) -> list[str]:
    return [line for line in lines if ": error: " in line or line.startswith("error: ")]


# --- YAML: a tab, a colon in a text, a line indented wrong -------------------------------------


def test_a_tab_says_tab_and_use_spaces(run, sample):
    root = sample()
    path = root / MODULE / "es.yaml"
    _edit(path, "    title: Bienvenida al grupo\n", "\ttitle: Bienvenida al grupo\n")
    line = _line_of(path, "Bienvenida al grupo")
    assert _check(run, root) == [f"{path}:{line}: error: a tab character (column 1): YAML files are indented with "
                                 "spaces only; use spaces instead of the tab"]
    assert _check(run, root, "--ui", "es") == [
        f"{path}:{line}: error: un tabulador (tecla Tab) en la columna 1: los archivos YAML se sangran solo con "
        "espacios; usa espacios en lugar del tabulador"]


def test_a_colon_in_a_value_says_to_put_the_text_in_double_quotes(run, sample):
    root = sample()
    path = root / MODULE / "es.yaml"
    _edit(path, "    title: Bienvenida al grupo\n", "    title: Bienvenida: al grupo\n")
    line = _line_of(path, "Bienvenida: al grupo")
    assert _check(run, root) == [f"{path}:{line}: error: a colon followed by a space inside a text: put the text in "
                                 'double quotes, like this: title: "Bienvenida: al grupo"']
    assert _check(run, root, "--ui", "es") == [
        f"{path}:{line}: error: dos puntos seguidos de un espacio dentro de un texto: pon el texto entre comillas "
        'dobles, así: title: "Bienvenida: al grupo"']


def test_a_colon_in_a_list_item_is_named_in_its_own_file_and_nothing_follows_from_it(run, sample):
    """Valid YAML (a `key: value` item): before, the first line blamed the English file
    ("has 2 items; the source has 1") and the real cause came last."""
    root = sample()
    path = root / MODULE / "es.yaml"
    _edit(path, "          - Formen parejas.\n", "          - Formen parejas: de dos en dos.\n")
    line = _line_of(path, "Formen parejas: de dos")
    lines = _check(run, root)
    assert _errors(lines) == [f"{path}:{line}: error: a colon followed by a space inside a text: put the text in "
                              'double quotes, like this: - "Formen parejas: de dos en dos."']
    # The source text did change: its translation is rightly stale, nothing else.
    assert all("stale translation" in other for other in lines if other not in _errors(lines)), lines


@pytest.mark.parametrize("old, new, needle, message", [
    # A key one space too far in: PyYAML stops at the next line ("did not find expected key").
    ("    title: Bienvenida al grupo\n", "     title: Bienvenida al grupo\n", "Bienvenida al grupo",
     "this line is indented 5 spaces; indent it 4 spaces, to line up with the lines it belongs with"),
    # A key one space short: PyYAML blames the next line ("mapping values are not allowed").
    ("    title: Bienvenida al grupo\n", "   title: Bienvenida al grupo\n", "Bienvenida al grupo",
     "this line is indented 3 spaces; indent it 4 spaces, to line up with the lines it belongs with"),
    # A list item one space short.
    ("    - Haz lo que te parezca más seguro.\n", "   - Haz lo que te parezca más seguro.\n", "Haz lo que",
     "this line is indented 3 spaces; indent it 4 spaces, to line up with the lines it belongs with"),
])
def test_an_indentation_error_points_at_the_line_that_is_wrong(run, sample, old, new, needle, message):
    root = sample()
    path = root / MODULE / "es.yaml"
    _edit(path, old, new)
    assert _check(run, root) == [f"{path}:{_line_of(path, needle)}: error: {message}"]


def test_an_indentation_error_in_spanish(run, sample):
    root = sample()
    path = root / MODULE / "es.yaml"
    _edit(path, "    title: Bienvenida al grupo\n", "     title: Bienvenida al grupo\n")
    assert _check(run, root, "--ui", "es") == [
        f"{path}:{_line_of(path, 'Bienvenida')}: error: esta línea empieza con 5 espacios; ponle 4, para alinearla "
        "con las líneas a las que pertenece"]


def test_a_syntax_error_no_single_fix_explains_keeps_pyyaml_s_words(run, sample):
    root = sample()
    path = root / MODULE / "es.yaml"
    _edit(path, "  welcome:\n", "  welcome:\n    bad: [unclosed\n")
    assert _check(run, root) == [f"{path}:{_line_of(path, 'bad:') + 1}: error: YAML syntax error: "
                                 "did not find expected ',' or ']'"]


# --- Unknown ids: the closest known ones, and no accents ---------------------------------------


def test_unknown_ids_suggest_the_closest_known_ones(run, sample):
    root = sample()
    module, tracks, curriculum = root / MODULE / "module.yaml", root / "tracks/tracks.yaml", root / "curriculum/curriculum.yaml"
    _edit(module, "glossary: [testigo, placa]", "glossary: [testigo, plaka]")
    _edit(module, "    legal_facts: [test-fact]\n    activities", "    legal_facts: [test-fatc]\n    activities")
    _edit(module, "materials: [markers, cards]", "materials: [marker, cards]")
    _edit(module, "  glossary: [testigo]\n", "  glossary: [téstigo]\n")
    _edit(tracks, "modules: [first-steps]", "modules: [first-steps]\n    sessions: [first-steps/welcom]")
    _edit(curriculum, "default_org: test-org", "default_org: test-orgg")
    assert _check(run, root) == [
        f"{curriculum}:{_line_of(curriculum, 'default_org')}: error: default_org 'test-orgg' has no file "
        "orgs/test-orgg.yaml: did you mean 'test-org'?",
        f"{module}:3: error: unknown glossary term 'téstigo': ids have no accents or ñ; did you mean 'testigo'?",
        f"{module}:9: error: unknown material 'marker': did you mean 'markers'?",
        f"{module}:10: error: unknown glossary term 'plaka': did you mean 'placa'?",
        f"{module}:11: error: unknown legal fact 'test-fatc': did you mean 'test-fact'?",
        f"{tracks}:5: error: track 'short': unknown session 'first-steps/welcom' (write module/session): "
        "did you mean 'first-steps/welcome'?",
    ]


def test_an_unknown_id_in_spanish(run, sample):
    root = sample()
    module = root / MODULE / "module.yaml"
    _edit(module, "glossary: [testigo, placa]", "glossary: [testigo, plaka]")
    assert _check(run, root, "--ui", "es") == [
        f"{module}:10: error: no existe el término del glosario 'plaka': ¿quisiste decir 'placa'?"]


def test_unknown_modules_and_organisations_suggest_too(run, sample):
    root = sample()
    curriculum = root / "curriculum/curriculum.yaml"
    _edit(curriculum, "  - first-steps\n", "  - first-step\n")
    # One error: the folder it meant is not "not listed", the track naming it is not "unknown module".
    assert _check(run, root) == [
        f"{curriculum}:{_line_of(curriculum, 'first-step')}: error: module 'first-step' has no file "
        f"{root}/modules/first-step/module.yaml: did you mean 'first-steps'?"]
    _edit(curriculum, "  - first-step\n", "  - first-steps\n")
    assert _check(run, root, "--org", "test-orgg") == [
        f"{root}/orgs: error: unknown organisation 'test-orgg' for --org: no file {root}/orgs/test-orgg.yaml "
        "(known: test-org): did you mean 'test-org'?"]


def test_an_id_written_with_accents_says_ids_have_none(run, sample):
    root = sample()
    structure = root / "glossary/glossary.yaml"
    _edit(structure, "terms: [testigo, placa]", "terms: [testigo, placa, señal]")
    assert _check(run, root) == [
        f"{structure}:1: error: glossary: 'señal' is not a valid id (use lower case letters, digits and '-'): "
        "ids have no accents or ñ; write 'senal'"]


# --- One root error, one line: an id written two ways ------------------------------------------


def test_a_typo_in_a_session_id_of_module_yaml_is_one_error(run, sample):
    """Before: a `missing text` per text of the session in es.yaml, an `unknown key` per
    text in es.yaml and en.yaml, a `missing translation` per text in en.yaml."""
    root = sample()
    module = root / MODULE / "module.yaml"
    _edit(module, "  - id: welcome\n", "  - id: welcom\n")
    assert _check(run, root) == [
        f"{module}:6: error: session 'welcom': its texts in {root}/{MODULE}/es.yaml, {root}/{MODULE}/en.yaml are "
        "written under 'welcome'; did you mean 'welcome'? Write the same id in both places"]
    assert _check(run, root, "--ui", "es") == [
        f"{module}:6: error: sesión 'welcom': sus textos en {root}/{MODULE}/es.yaml, {root}/{MODULE}/en.yaml están "
        "escritos con 'welcome'; ¿quisiste decir 'welcome'? Escribe el mismo id en los dos lugares"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_typo_in_a_session_key_of_one_text_file_is_one_error_there(run, sample, lang):
    root = sample()
    path = root / MODULE / f"{lang}.yaml"
    _edit(path, "  welcome:\n", "  welcom:\n")
    assert _check(run, root) == [
        f"{path}:5: error: session 'welcom': {root}/{MODULE}/module.yaml:6 has 'welcome'; did you mean 'welcome'? "
        "Write the same id in both places"]


def test_a_typo_in_an_activity_id_is_one_error(run, sample):
    root = sample()
    module = root / MODULE / "module.yaml"
    _edit(module, "      - id: circle\n", "      - id: cirlce\n")
    assert _check(run, root) == [
        f"{module}:13: error: activity 'cirlce': its texts in {root}/{MODULE}/es.yaml, {root}/{MODULE}/en.yaml are "
        "written under 'circle'; did you mean 'circle'? Write the same id in both places"]


def test_a_typo_in_a_glossary_id_is_one_error_not_one_per_reference(run, sample):
    root = sample()
    structure = root / "glossary/glossary.yaml"
    _edit(structure, "terms: [testigo, placa]", "terms: [testigo, plaka]")
    assert _check(run, root) == [
        f"{structure}:1: error: glossary term 'plaka': its texts in {root}/glossary/es.yaml, {root}/glossary/en.yaml "
        "are written under 'placa'; did you mean 'placa'? Write the same id in both places"]


def test_a_session_id_typo_in_the_real_curriculum_is_one_error_not_a_cascade(run, tmp_path):
    """The review's case on a copy of the real content: before, 73 errors and 22 warnings
    (each text of the session missing and unknown, in both languages, and the track naming it)."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    module = root / "modules/documenting/module.yaml"
    _edit(module, "  - id: consent\n", "  - id: consnet\n")
    result = run("check", "--content", str(root))
    assert result.code == 1
    assert result.lines == [
        f"{module}:{_line_of(module, 'consnet')}: error: session 'consnet': its texts in "
        f"{root}/modules/documenting/es.yaml, {root}/modules/documenting/en.yaml are written under 'consent'; "
        "did you mean 'consent'? Write the same id in both places"]
