"""Safety and privacy of a build: what it may read, what its outputs may say about the
machine and the people, and that a failed or interrupted build loses nothing.

- resource policy: the PDF fetcher serves files under templates/ and the content folder
  (links followed, so no escape) and the bundled fonts, and refuses everything else; no
  PDF embeds a file or links to one;
- no leaks: no path, user or host name in any output; the same content gives the same
  bytes in two checkouts in differently named folders;
- privacy: participants' names reach their certificates and nothing else (no other
  output, no cache entry, no log line);
- nothing lost: a build that fails or is interrupted after writing leaves every previous
  output exactly as it was, and no temporary file;
- offline: a whole build works in a namespace with no network.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import CONTENT, ROOT, ROOTS, copy_of, manifest, pdf_text
from taller import checkpoints, pipeline
from taller.diagnostics import ContentError
from taller.output import manifest as manifest_module
from taller.paths import CACHE_DIR, TEMPLATES
from taller.write import atomic_write, transaction

BUILD = str(ROOT / "build.py")
# Who "builds" in the subprocess builds below: a user and a home nobody else has, so any
# trace of them in an output is a leak, never a coincidence.
USER_TOKEN = "usr7c41e0"
HOST_TOKEN = "host9b2f5d"


def _copy_sample(target: Path) -> Path:
    shutil.copytree(ROOTS / "minimal", target)
    shutil.copytree(CONTENT / "locales", target / "locales")
    return target


def _build(content: Path, out: Path, *argv: str, env: dict | None = None,
           prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, BUILD, "--content", str(content), "--out", str(out),
                           "--jobs", "1", *argv], capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)


def _builder_env(home: Path) -> dict:
    home.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "USER": USER_TOKEN, "LOGNAME": USER_TOKEN, "USERNAME": USER_TOKEN, "HOME": str(home)}


# --- Reading every byte an output holds -----------------------------------------------------

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")


def _pdf_parts(data: bytes) -> list[tuple[bool, bytes]]:
    """(is_font, bytes) for the PDF's structure (streams cut out) and each decompressed stream."""
    parts, structure, last = [], [], 0
    for match in _STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        structure.append(data[last:match.start()])
        last = end if end >= 0 else len(data)
        try:
            body = zlib.decompressobj().decompress(data[match.end():])
        except zlib.error:
            body = data[match.end():last]  # not compressed (or not zlib)
        parts.append((body.startswith(_FONT_MAGIC), body))
    structure.append(data[last:])
    return [(False, b"".join(structure)), *parts]


def _parts(name: str, data: bytes) -> list[tuple[str, bool, bytes]]:
    """Every readable piece of a file: itself, a PDF's streams, a zip's members (recursively)."""
    if name.endswith(".pdf"):
        return [(name, is_font, part) for is_font, part in _pdf_parts(data)]
    if name.endswith(".zip"):
        pieces = [(name, False, data)]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                pieces += _parts(f"{name}!{member}", archive.read(member))
        return pieces
    return [(name, False, data)]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _find(folder: Path, needles: list[str], words: list[str] = ()) -> list[str]:
    """Where any of `needles` (anywhere) or `words` (as whole words, outside font programs
    and copied stylesheets, where short words occur by chance: CSS has `:root`) occur."""
    found = []
    for rel, data in _files(folder).items():
        for name, is_font, part in _parts(rel, data):
            for needle in needles:
                if needle.encode() in part:
                    found.append(f"{name}: {needle!r}")
            if is_font or name.endswith(".css"):
                continue
            for word in words:
                if re.search(rb"(?<![\w:-])" + re.escape(word.encode()) + rb"(?![\w-])", part):
                    found.append(f"{name}: word {word!r}")
    return found


def _identity(base: Path) -> tuple[list[str], list[str]]:
    """What would identify the machine or the person who built: paths (as written and as
    file URLs), the builder's names; and, as whole words, this machine's real names."""
    import getpass

    needles = [str(base), quote(str(base)), "file:", USER_TOKEN, HOST_TOKEN]
    words = [w for w in (getpass.getuser(), os.uname().nodename) if len(w) >= 4]  # "vm" occurs by chance
    return needles, words


# --- Resource policy ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def policy_roots(tmp_path_factory):
    """A content copy with a file inside, a link inside pointing outside, and a file outside."""
    base = tmp_path_factory.mktemp("policy")
    content = _copy_sample(base / "content")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.css").write_text('p::after { content: "OUTSIDE-MARKER"; }', encoding="utf-8")
    (content / "inside.css").write_text('p::after { content: "INSIDE-MARKER"; }', encoding="utf-8")
    (content / "inside.txt").write_text("INSIDE-SECRET", encoding="utf-8")
    (content / "escape.css").symlink_to(outside / "secret.css")
    (content / "sub").mkdir()
    (content / "sub/escape-dir").symlink_to(outside, target_is_directory=True)
    return content, outside


def _problems(rendered) -> list[tuple[str, str]]:
    """A render's messages, without the note about this machine's font subsetter."""
    from taller.render.fonts import SUBSET_FALLBACK

    return [m for m in rendered.messages if m[1] != SUBSET_FALLBACK]


def test_fetcher_serves_templates_content_and_bundled_fonts(policy_roots):
    from taller.render.policy import make_fetcher

    content, _ = policy_roots
    fetch = make_fetcher([TEMPLATES, content.resolve()]).fetch
    assert b"@font-face" in fetch((TEMPLATES / "css/print.css").as_uri()).read()
    assert fetch((content / "inside.txt").as_uri()).read() == b"INSIDE-SECRET"
    assert fetch("font:AtkinsonHyperlegible-Regular.ttf").read()[:4] == b"\x00\x01\x00\x00"


@pytest.mark.parametrize("url", [
    "escape.css",                               # a link inside the content copy, to outside
    "sub/escape-dir/secret.css",                # a linked folder inside, to outside
    "../outside/secret.css",                    # ../ out of the content folder
    "sub/../../outside/secret.css",
    "sub/%2e%2e/%2e%2e/outside/secret.css",     # the same, percent-encoded
    "file:///etc/passwd",
    "file://otherhost/etc/passwd",
    "http://example.org/x.css", "https://example.org/x.css", "ftp://example.org/x.css",
    "data:text/css,p{color:red}",
    "font:../../../../etc/passwd", "font:NotBundled.ttf",
    "",                                         # the content folder itself: a folder, not a file
    "missing.css",
])
def test_fetcher_refuses_everything_else(policy_roots, url):
    from taller.render.policy import make_fetcher

    content, _ = policy_roots
    fetch = make_fetcher([TEMPLATES, content.resolve()]).fetch
    if not re.match(r"^[a-z]+:", url):
        url = content.as_uri() + "/" + url
    with pytest.raises(ContentError, match="refused|unknown bundled font"):
        fetch(url)


def test_a_stylesheet_linked_out_of_the_content_folder_is_not_used(policy_roots):
    from taller.render.weasy import PdfWriter

    content, _ = policy_roots
    writer = PdfWriter([TEMPLATES, content.resolve()])
    page = '<html lang="es"><head><link rel="stylesheet" href="{}"></head><body><p>Hola</p></body></html>'
    allowed = writer.pdf(page.format("inside.css"), content)
    assert _problems(allowed) == []
    refused = writer.pdf(page.format("escape.css"), content)
    assert [level for level, _ in _problems(refused)] == ["error"]
    assert "refused to read 'escape.css'" in _problems(refused)[0][1]
    texts = {}
    for name, rendered in (("allowed", allowed), ("refused", refused)):
        path = content.parent / f"{name}.pdf"
        path.write_bytes(rendered.pdf)
        texts[name] = pdf_text(path)
    assert "INSIDE-MARKER" in texts["allowed"]  # the check below can fail: CSS does reach the page
    assert "OUTSIDE-MARKER" not in texts["refused"]


def test_pdf_never_embeds_files_or_links_to_them(policy_roots):
    """`rel=attachment` would embed a file (even one the fetcher may serve), and WeasyPrint
    makes a relative `<a href>` an absolute file:// link holding the machine's path."""
    from taller.render.weasy import PdfWriter

    content, _ = policy_roots
    html = ('<html lang="es"><head><link rel="attachment" href="inside.txt"></head><body>'
            '<p><a rel="attachment" href="inside.txt">adjunto</a> <a href="other.html">otra</a> '
            '<a href="https://example.org/guia">web</a> <a href="#arriba" id="arriba">arriba</a></p></body></html>')
    rendered = PdfWriter([TEMPLATES, content.resolve()]).pdf(html, content)
    assert sorted(message for _, message in _problems(rendered)) == [
        "refused a link to 'other.html': a PDF links only to web, mail and phone addresses, never to a file "
        "of the machine that built it",
        "refused an attachment ('inside.txt', rel=attachment): a PDF never embeds files",
        "refused an attachment (<link rel=attachment>): a PDF never embeds files",
    ]
    assert {level for level, _ in _problems(rendered)} == {"error"}  # the build fails, nothing written
    pieces = [part for _, part in _pdf_parts(rendered.pdf)]
    assert not any(b"INSIDE-SECRET" in p or b"/EmbeddedFile" in p or b"file:" in p for p in pieces)
    assert any(b"https://example.org/guia" in p for p in pieces)  # only what is unsafe is taken out


# --- No leaks, same bytes everywhere, names only on certificates ----------------------------

NAMES = {"first checkout": ["Rosa Quispe Mamani", "Maribel Ñahui"],
         "segunda-copia": ["Yolanda Ccori Huamán", "Elsa Turpo"]}


@pytest.fixture(scope="module")
def checkouts(tmp_path_factory):
    """The minimal curriculum built (everything, --keep-html) in two checkouts whose folder
    names differ, by a user with its own name and home, each with its own participants."""
    base = tmp_path_factory.mktemp("checkouts")
    builds = {}
    for name, names in NAMES.items():
        folder = base / name
        content = _copy_sample(folder / "content")
        people = folder / "people.csv"
        people.write_text("nombre\n" + "\n".join(names) + "\n", encoding="utf-8")
        out = folder / "out"
        result = _build(content, out, "--keep-html", "--participants", str(people), "--jobs", "2",
                        env=_builder_env(folder / "home"))
        assert result.returncode == 0, result.stderr
        builds[name] = {"content": content, "out": out, "people": people, "log": result.stdout + result.stderr,
                        "cache": folder / CACHE_DIR}
    return base, builds


def _certificate(path: str) -> bool:
    return path.endswith("/certificate.pdf")


def test_two_checkouts_give_the_same_bytes(checkouts):
    base, builds = checkouts
    one, two = (_files(b["out"]) for b in builds.values())
    assert sorted(one) == sorted(two)
    assert len(manifest(builds["first checkout"]["out"])) > 20  # every kind, both languages
    different = [path for path in one if one[path] != two[path]]
    # Only what holds the names differs: the certificates, and their size and hash in the manifest.
    assert sorted(different) == sorted({p for p in one if _certificate(p)} | {"manifest.json"})

    def without_certificate_hashes(entries: dict) -> dict:
        return {p: {k: v for k, v in e.items() if not (_certificate(p) and k in ("bytes", "sha256"))}
                for p, e in entries.items()}

    assert without_certificate_hashes(manifest(builds["first checkout"]["out"])) == \
        without_certificate_hashes(manifest(builds["segunda-copia"]["out"]))
    # The certificates themselves: the second checkout with the first one's names.
    second = builds["segunda-copia"]
    again = second["out"].parent / "again"
    result = _build(second["content"], again, "--only", "certificate", "--lang", "es",
                    "--participants", str(builds["first checkout"]["people"]))
    assert result.returncode == 0, result.stderr
    certificate = "es/workshops/short/certificate.pdf"
    assert (again / certificate).read_bytes() == one[certificate]


def test_no_path_user_or_host_name_in_any_output(checkouts):
    base, builds = checkouts
    needles, words = _identity(base)
    for build in builds.values():
        assert (build["out"] / "_html").is_dir() and (build["out"] / "manifest.json").is_file()
        assert _find(build["out"], needles, words) == []


def test_names_reach_only_the_certificates(checkouts):
    base, builds = checkouts
    everyone = [name for names in NAMES.values() for name in names]
    for label, build in builds.items():
        certificate = build["out"] / "es/workshops/short/certificate.pdf"
        assert all(name in pdf_text(certificate) for name in NAMES[label])  # the names were used
        assert not any(name in build["log"] for name in everyone)
        for folder in (build["out"], build["cache"]):  # HTML, JSON, zips, logs: names as text
            assert _find(folder, everyone) == [], folder
        for path in build["out"].glob("*/workshops/*/*.pdf"):  # the sign-in sheet beside them, above all
            if not _certificate(str(path)):
                assert not any(name in pdf_text(path) for name in NAMES[label]), path
    # A PDF holds glyph codes, an image pixels: what proves that no other output and no
    # cache entry holds a name, not even as a page preview or a hash, is that the two
    # checkouts, with other names, made the same bytes (above) and the same cache.
    caches = [_files(b["cache"]) for b in builds.values()]
    assert caches[0] and caches[0] == caches[1]


# --- Offline --------------------------------------------------------------------------------


def _namespace_prefix() -> list[str]:
    """`unshare` with a new network and host-name namespace, or a skip saying why not."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("`unshare` (util-linux) is not installed: cannot build without a network here")
    problems = []
    for prefix in ([unshare, "-n", "-u"], [unshare, "-r", "-n", "-u"]):  # as root; else in a user namespace
        probe = subprocess.run([*prefix, "true"], capture_output=True, text=True, timeout=60)
        if probe.returncode == 0:
            return prefix
        problems.append(probe.stderr.strip())
    pytest.skip(f"cannot make a namespace without network here (needs root on CI): {'; '.join(problems)}")


def test_whole_build_works_with_no_network(tmp_path):
    prefix = _namespace_prefix()
    # In the namespace the only network is a loopback that is down: prove it first.
    probe = subprocess.run([*prefix, sys.executable, "-c",
                            "import socket; socket.create_connection(('192.0.2.1', 80), timeout=5)"],
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode != 0 and "unreachable" in probe.stderr.lower(), probe.stderr
    content = _copy_sample(tmp_path / "content")
    out = tmp_path / "out"
    # A host name of its own, too: any trace of it in an output is a leak.
    result = _build(content, out, "--jobs", "2", prefix=(*prefix, "sh", "-c", 'hostname "$0" && exec "$@"', HOST_TOKEN))
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr
    assert len(manifest(out)) > 20
    assert "Haz lo que te parezca más seguro." in pdf_text(out / "es/handouts/first-steps.pdf")
    assert _find(out, [HOST_TOKEN, str(tmp_path), "file:"]) == []


# --- Nothing lost ---------------------------------------------------------------------------


def _snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `out` (hidden ones too) with its bytes and modification time."""
    return {str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()} if out.exists() else {}


def _no_temp_files(*folders: Path) -> None:
    """No temporary file, journal or lock of a build is left (they would travel on the stick)."""
    for folder in folders:
        assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name in (".taller-journal", ".taller-lock")], folder


@pytest.fixture
def previous(run, sample, tmp_path):
    """A first build, then an edit, so that the next build would change outputs."""
    content = sample()
    out = tmp_path / "out"
    assert run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout",
               "--lang", "es", "--keep-html", "-q").code == 0
    path = content / "modules/first-steps/es.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Hoy aprendimos a cuidarnos en grupo.",
                                                             "Hoy aprendimos algo nuevo."), encoding="utf-8")
    return content, out, _snapshot(out)


def test_interrupted_build_puts_every_previous_output_back(run, previous, monkeypatch):
    content, out, before = previous
    assert before
    written = []
    real_write = pipeline.atomic_write

    def write_then_interrupt(path, data):
        real_write(path, data)
        if path.suffix == ".pdf":
            # The output is on disk now: is it the new one (changed or added)?
            written.append(before.get(str(path.relative_to(out)), (None,))[0] != path.read_bytes())
        if len(written) == 3:
            raise KeyboardInterrupt  # Ctrl-C, after some outputs were written

    monkeypatch.setattr(pipeline, "atomic_write", write_then_interrupt)
    result = run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout,guide",
                 "--lang", "es", "--keep-html")
    assert result.code == 1
    assert result.err.splitlines()[-1] == "interrupted: previous outputs are unchanged"
    assert len(written) == 3 and all(written)  # new outputs had really replaced old ones
    assert _snapshot(out) == before  # the same bytes, the same dates; no guide, no temp file


def test_build_failing_after_writing_puts_every_previous_output_back(run, previous, monkeypatch):
    content, out, before = previous

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(manifest_module, "write_manifest", disk_full)  # the last write of a build
    result = run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout,guide",
                 "--lang", "es", "--keep-html")
    assert result.code == 1
    assert result.lines[-1] == (f"{out}: error: the disk is full (no space left): nothing was written, the "
                                "previous outputs are unchanged; free some space")
    assert "unexpected failure" not in result.err
    assert _snapshot(out) == before


def test_interrupted_first_build_leaves_no_folder_behind(run, sample, tmp_path, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(manifest_module, "write_manifest", interrupt)
    out = tmp_path / "new" / "out"
    result = run("--content", str(sample()), "--out", str(out), "--jobs", "1", "--only", "handout", "--lang", "es")
    assert result.code == 1
    assert not (tmp_path / "new").exists()


def test_ctrl_c_while_putting_files_back_waits_until_all_are_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    atomic_write(out / "a.pdf", b"old a")
    atomic_write(out / "b.pdf", b"old b")
    before = _snapshot(out)
    real_replace = os.replace

    def replace_with_a_second_ctrl_c(src, dst):
        if str(src).endswith(".old.tmp"):  # putting a previous output back
            os.kill(os.getpid(), signal.SIGINT)
        real_replace(src, dst)

    with pytest.raises(KeyboardInterrupt):
        with transaction(out):
            atomic_write(out / "a.pdf", b"new a")
            atomic_write(out / "b.pdf", b"new b")
            atomic_write(out / "new/c.pdf", b"new c")
            monkeypatch.setattr(os, "replace", replace_with_a_second_ctrl_c)
            raise RuntimeError("the render failed")
    monkeypatch.undo()
    assert _snapshot(out) == before
    assert not (out / "new").exists()


def test_interrupted_just_before_a_file_is_replaced_leaves_no_backup(tmp_path, monkeypatch):
    """The previous version is kept aside as a hard link before the new file is renamed
    over it; interrupted in between, the path and its backup are the same file, and a
    rename of one onto the other does nothing: the backup must still go."""
    out = tmp_path / "out"
    atomic_write(out / "a.pdf", b"old a")
    before = _snapshot(out)
    real_replace = os.replace

    def interrupted_replace(src, dst):
        if str(src).endswith(".tmp") and not str(src).endswith(".old.tmp"):  # the new file's rename
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        with transaction(out):
            atomic_write(out / "a.pdf", b"new a")
    monkeypatch.undo()
    assert _snapshot(out) == before
    _no_temp_files(out)


@pytest.fixture(scope="session")
def built_once(minimal_build) -> Path:
    """The shared full build of the minimal sample (content, cache and OUT side by side);
    each interrupt test works on a copy of it."""
    return minimal_build.parent


_WITH_CTRL_C = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")


def _interrupted_build(root: Path, moment: str, sig: int) -> tuple[subprocess.CompletedProcess, dict, dict]:
    """A rebuild after an edit, signalled (to its whole process group, as Ctrl-C or `kill`
    reach it) at the moment it reports; returns it and OUT before and after."""
    content, out = root / "sample", root / "out"
    path = content / "modules/first-steps/es.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Bienvenida", "Hola"), encoding="utf-8")
    before = _snapshot(out)
    report, pause = os.pipe()
    env = {**os.environ, "TALLER_PAUSE_AT": moment, "TALLER_PAUSE_FD": str(pause)}
    # As from a terminal, where Ctrl-C reaches the build: a shell that started this test
    # suite in the background may have set SIGINT to be ignored, and children inherit that.
    process = subprocess.Popen([sys.executable, "-c", _WITH_CTRL_C, BUILD, "--content", str(content), "--out", str(out),
                                "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, env=env, pass_fds=(pause,))
    os.close(pause)
    with os.fdopen(report) as reports:
        reached = reports.readline()  # the build's own word that it is there (or EOF: it ended)
    if reached:
        os.killpg(process.pid, sig)
    stdout, stderr = process.communicate(timeout=600)
    assert reached.startswith(moment), f"the build never reached {moment}: " + stdout + stderr
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), before, _snapshot(out)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("moment", [checkpoints.RENDERING, checkpoints.WRITING, checkpoints.ZIP])
def test_ctrl_c_or_kill_during_a_real_build(built_once, tmp_path, moment, sig):
    """The real command, with worker processes, sent SIGINT (as Ctrl-C in a terminal does)
    or SIGTERM while rendering, after its first output is written, or as the zip is
    written: one line, exit 1, previous outputs, no temp file."""
    shutil.copytree(built_once, tmp_path / "b", symlinks=True)
    result, before, after = _interrupted_build(tmp_path / "b", moment, sig)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr == "interrupted: previous outputs are unchanged\n"  # no worker's traceback
    assert after == before
    _no_temp_files(tmp_path / "b" / "out", tmp_path / "b" / CACHE_DIR)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_after_the_summary_still_ends_with_a_message(built_once, tmp_path, sig):
    """A signal between the summary and the exit: the handler is still in place, so the
    process says so and exits 1 (never killed by the signal, -15), and the message does
    not claim that the previous outputs are back: the new ones are all in place."""
    shutil.copytree(built_once, tmp_path / "b", symlinks=True)
    result, before, after = _interrupted_build(tmp_path / "b", checkpoints.SUMMARY, sig)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 warning (above):" in result.stdout.splitlines()  # the summary, then the signal
    assert result.stderr.splitlines()[-1] == "interrupted after the build had finished: the new outputs are complete"
    assert "Traceback" not in result.stderr
    assert after != before
    assert "Hola" in pdf_text(tmp_path / "b" / "out" / "es/guides/first-steps.pdf")
    assert manifest(tmp_path / "b" / "out")["es/guides/first-steps.pdf"]["sha256"] == hashlib.sha256(
        (tmp_path / "b" / "out" / "es/guides/first-steps.pdf").read_bytes()).hexdigest()
    _no_temp_files(tmp_path / "b" / "out", tmp_path / "b" / CACHE_DIR)


def _build_in(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, BUILD, "--content", str(root / "sample"), "--out", str(root / "out"),
                           "--jobs", "2", *extra], cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)


@pytest.mark.parametrize("moment", [checkpoints.RENDERING, checkpoints.WRITING, checkpoints.ZIP])
def test_after_kill_9_the_next_build_finds_the_previous_build_whole(built_once, tmp_path, moment):
    """kill -9 runs no cleanup at all: the next build undoes the half-done writes from the
    journal and removes every temporary file before anything else. With the edit taken
    back, that next build is a no-op, and OUT is byte for byte the build before the kill."""
    root = tmp_path / "b"
    shutil.copytree(built_once, root, symlinks=True)
    path = root / "sample/modules/first-steps/es.yaml"
    original = path.read_text(encoding="utf-8")
    result, before, after = _interrupted_build(root, moment, signal.SIGKILL)
    assert result.returncode == -signal.SIGKILL
    if moment != checkpoints.RENDERING:
        assert after != before  # the kill left OUT half-written
    path.write_text(original, encoding="utf-8")
    again = _build_in(root)
    assert again.returncode == 0, again.stderr
    cut_off = [f"{root / 'out'}: warning: the last build here was cut off before it finished: its half-written "
               "outputs were removed, the build before it is back"]
    assert [line for line in again.stderr.splitlines() if "cut off" in line] == (
        [] if moment == checkpoints.RENDERING else cut_off)
    assert _snapshot(root / "out") == before
    _no_temp_files(root / "out", root / CACHE_DIR)


def test_after_kill_9_the_same_build_again_finishes(built_once, tmp_path):
    root = tmp_path / "b"
    shutil.copytree(built_once, root, symlinks=True)
    result, before, after = _interrupted_build(root, checkpoints.ZIP, signal.SIGKILL)
    assert result.returncode == -signal.SIGKILL
    again = _build_in(root)
    assert again.returncode == 0, again.stderr
    assert "Hola" in pdf_text(root / "out/es/guides/first-steps.pdf")
    entries = manifest(root / "out")
    for rel, entry in entries.items():
        assert hashlib.sha256((root / "out" / rel).read_bytes()).hexdigest() == entry["sha256"], rel
    _no_temp_files(root / "out", root / CACHE_DIR)


def _paused_build(root: Path, out: Path) -> tuple[subprocess.Popen, str]:
    """A build of `root`'s content into `out`, held at the rendering checkpoint (it holds
    its locks there); returns it and its pid as it reported it."""
    path = root / "sample/modules/first-steps/es.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Bienvenida", "Hola"), encoding="utf-8")
    report, pause = os.pipe()
    env = {**os.environ, "TALLER_PAUSE_AT": checkpoints.RENDERING, "TALLER_PAUSE_FD": str(pause)}
    process = subprocess.Popen([sys.executable, BUILD, "--content", str(root / "sample"), "--out", str(out),
                                "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, env=env, pass_fds=(pause,))
    os.close(pause)
    with os.fdopen(report) as reports:
        reached = reports.readline()
    assert reached.startswith(checkpoints.RENDERING), process.communicate()
    return process, reached.split()[1]


def test_a_second_build_into_the_same_out_or_cache_stops_at_once(built_once, tmp_path):
    """Two builds at once mixed two organisations' materials and both said success: now
    the second stops with one line naming the first, and writes nothing; once the first is
    killed (kill -9: its lock file stays), the next build takes the stale lock over."""
    root = tmp_path / "b"
    shutil.copytree(built_once, root, symlinks=True)
    out = root / "out"
    first, pid = _paused_build(root, out)
    try:
        before = _snapshot(out)
        second = _build_in(root)
        assert second.returncode == 1
        assert second.stderr.splitlines()[0] == f"{out}: error: another build is writing here (pid {pid}); " \
                                                "wait or use another --out"
        other = subprocess.run([sys.executable, BUILD, "--content", str(root / "sample"), "--out", str(tmp_path / "o2"),
                                "--jobs", "1"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
        assert other.returncode == 1
        assert other.stderr.splitlines()[0] == f"{(root / CACHE_DIR).resolve()}: error: another build is using this " \
                                               f"cache folder (pid {pid}); wait or use another --cache"
        assert not (tmp_path / "o2").exists()  # nothing made for a build that did not run
        assert _snapshot(out) == before
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.communicate(timeout=60)
    assert (out / ".taller-lock").read_text() == f"{pid}\n"  # left behind by the kill
    third = _build_in(root)
    assert third.returncode == 0, third.stderr
    assert "Hola" in pdf_text(out / "es/guides/first-steps.pdf")
    _no_temp_files(out, root / CACHE_DIR)


def test_a_damaged_cache_entry_of_the_same_size_is_made_again_never_served(run, minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")
    good = (out / "es/handouts/first-steps.pdf").read_bytes()
    entries = sorted((tmp_path / "copy" / CACHE_DIR / "render").glob("*.pdf"))
    damaged = next(p for p in entries if p.read_bytes().endswith(good))  # this handout's entry
    data = bytearray(damaged.read_bytes())
    data[-20] ^= 0xFF  # one byte flipped: same size, different bytes
    damaged.write_bytes(bytes(data))
    (out / "es/handouts/first-steps.pdf").unlink()  # so the build needs it
    result = run("--content", str(content), "--out", str(out), "--jobs", "1")
    assert result.code == 0, result.err
    assert f"{damaged}: warning: this cache entry was damaged (its bytes no longer match their hash): it was " \
           "dropped and made again" in result.lines
    assert (out / "es/handouts/first-steps.pdf").read_bytes() == good
    assert "(1 made anew)" in result.out


def test_a_damaged_output_of_the_same_size_is_made_again_by_a_no_op_build(run, minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")
    assert run("--content", str(content), "--out", str(out), "-q").code == 0  # this OUT's stamp
    path = out / "es/handouts/first-steps.pdf"
    good = path.read_bytes()
    path.write_bytes(good[:-20] + bytes(b ^ 0xFF for b in good[-20:]))  # same size
    result = run("--content", str(content), "--out", str(out), "--jobs", "1")
    assert result.code == 0, result.err
    assert path.read_bytes() == good


def test_the_no_op_check_never_opens_what_the_content_does_not_use(minimal_build, tmp_path, monkeypatch):
    """A video beside the content, a link to a private file of the machine, a pipe: the
    stamp lists their names and never opens them; it opens only the content files."""
    import builtins
    import io

    from taller.incremental.stamp import BuildStamp
    from taller.options import Options

    root = tmp_path / "copy"
    content, out = copy_of(minimal_build, root)
    secret = tmp_path / "private.txt"
    secret.write_text("not for the materials", encoding="utf-8")
    os.symlink(secret, content / "materials/private.yaml")
    os.mkfifo(content / "materials/video.mp4")
    (content / "materials/film.mp4").write_bytes(b"\0" * 1000)
    opened = []
    real_open = builtins.open

    def recording_open(file, *args, **kwargs):
        opened.append(Path(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    monkeypatch.setattr(io, "open", recording_open)
    stamp = BuildStamp.of(Options(content=content, content_display=str(content), out=out))
    monkeypatch.undo()
    assert stamp is not None
    inside = sorted(str(p.relative_to(content)) for p in opened if p.is_relative_to(content))
    assert inside and all(name.endswith((".yaml", ".svg", ".po")) for name in inside), inside
    assert "materials/private.yaml" not in inside and secret not in opened
    secret.write_text("changed, and never read", encoding="utf-8")
    assert BuildStamp.of(Options(content=content, content_display=str(content), out=out)).value == stamp.value
    (content / "materials/film.mp4").write_bytes(b"\1" * 1000)  # a file it does not read: same stamp
    assert BuildStamp.of(Options(content=content, content_display=str(content), out=out)).value == stamp.value
    (content / "materials/new.mp4").write_bytes(b"")  # a new name: a new stamp (the build says if it matters)
    assert BuildStamp.of(Options(content=content, content_display=str(content), out=out)).value != stamp.value
    # A link that stays inside the folder is read by the loader: its target's bytes count.
    (content / "art").mkdir()
    (content / "art/logo-data").write_text("<svg>one</svg>", encoding="utf-8")
    os.symlink("../art/logo-data", content / "orgs/linked.svg")
    before = BuildStamp.of(Options(content=content, content_display=str(content), out=out)).value
    (content / "art/logo-data").write_text("<svg>two</svg>", encoding="utf-8")
    assert BuildStamp.of(Options(content=content, content_display=str(content), out=out)).value != before
    (content / "materials/unused.svg").write_bytes(b"\0" * 9_000_000)  # too large to use: no fast path lost
    assert BuildStamp.of(Options(content=content, content_display=str(content), out=out)) is not None


def test_a_file_in_out_that_no_build_wrote_is_left_alone(run, sample, tmp_path):
    """A person's own index.html on the USB stick: named in one error, nothing written;
    with --force it is replaced."""
    out = tmp_path / "usb"
    out.mkdir()
    (out / "index.html").write_text("<p>mis fotos</p>", encoding="utf-8")
    content = sample()
    result = run("--content", str(content), "--out", str(out), "--jobs", "2", "--lang", "es")
    assert result.code == 1
    assert result.lines[-1] == (f"{out}: error: 1 file(s) here were not made by this program and would be "
                                "overwritten (index.html): move them away, use another --out, or add --force to "
                                "overwrite them")
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "<p>mis fotos</p>"
    forced = run("--content", str(content), "--out", str(out), "--jobs", "2", "--lang", "es", "--force", "-q")
    assert forced.code == 0, forced.err
    assert "mis fotos" not in (out / "index.html").read_text(encoding="utf-8")
    again = run("--content", str(content), "--out", str(out), "--jobs", "2", "--lang", "es", "-q")
    assert again.code == 0, again.err  # now the manifest lists it: ours


def test_a_full_cache_disk_is_one_clear_error(run, sample, tmp_path, monkeypatch):
    from taller.incremental import folder

    def no_space(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folder, "atomic_write", no_space)
    out = tmp_path / "out"
    content = sample()
    result = run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout", "--lang", "es")
    assert result.code == 1
    cache = (content.parent / CACHE_DIR).resolve()
    assert result.lines[-1] == (f"{cache}: error: the cache folder beside the content is full (no space left on its "
                                "disk): nothing was written; free some space, or use --cache on another disk")
    assert not out.exists()


def test_a_renderer_message_about_a_certificate_never_repeats_a_name(run, sample, tmp_path, monkeypatch):
    """WeasyPrint's messages may quote the text they are about (a missing glyph, a value):
    about a certificate with names, the message is replaced, never shown."""
    from taller.render import jobs

    real = jobs.run_jobs

    def quoting_the_name(todo, *args, **kwargs):
        results = real(todo, *args, **kwargs)
        return {a: type(r)(r.pdf, r.pages, r.overflow, (("warning", "No glyph for 'Rosa Quispe'"),))
                for a, r in results.items()}

    monkeypatch.setattr(jobs, "run_jobs", quoting_the_name)
    names = tmp_path / "names.csv"
    names.write_text("nombre\nRosa Quispe\n", encoding="utf-8")
    result = run("--content", str(sample()), "--out", str(tmp_path / "out"), "--jobs", "1", "--only", "certificate",
                 "--lang", "es", "--participants", str(names))
    assert result.code == 0, result.err
    assert "Rosa" not in result.err + result.out and "Quispe" not in result.err + result.out
    assert any("the renderer reported a problem (warning) it may have quoted a participant's name in" in line
               for line in result.lines)


# --- from a cold review: a person's files are never lost to the build's own bookkeeping ---


def test_a_file_where_a_folder_is_needed_is_named_and_nothing_is_written(run, sample, tmp_path):
    out = tmp_path / "usb"
    out.mkdir()
    (out / "en").write_text("mine", encoding="utf-8")
    content = sample()
    result = run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout")
    assert result.code == 1
    assert result.lines[-1] == (f"{out}: error: 1 file(s) here were not made by this program and would be "
                                "overwritten (en): move them away, use another --out, or add --force to overwrite them")
    assert sorted(p.name for p in out.iterdir()) == ["en"] and (out / "en").read_text(encoding="utf-8") == "mine"
    forced = run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout", "--force")
    assert forced.code == 1 and "unexpected failure" not in forced.err
    assert forced.lines[-1] == (f"{out}: error: cannot write en/handouts (Not a directory): nothing was written, "
                                "the previous outputs are unchanged")
    assert sorted(p.name for p in out.iterdir()) == ["en"]  # no journal, no half-written es/


def test_a_manifest_that_is_not_ours_does_not_make_the_folder_ours(run, sample, tmp_path):
    out = tmp_path / "webapp"
    out.mkdir()
    (out / "manifest.json").write_text('{"name": "My web app"}', encoding="utf-8")
    (out / "index.html").write_text("<p>mine</p>", encoding="utf-8")
    result = run("--content", str(sample()), "--out", str(out), "--jobs", "2", "--lang", "es")
    assert result.code == 1
    refused = [line for line in result.lines if "not made by this program" in line]
    assert len(refused) == 1 and "index.html" in refused[0] and "manifest.json" in refused[0]
    assert (out / "index.html").read_text(encoding="utf-8") == "<p>mine</p>"


def test_a_cache_folder_with_other_files_is_refused_and_left_alone(run, sample, tmp_path):
    home = tmp_path / "home"
    (home / "zips").mkdir(parents=True)
    (home / "zips/family-photos.zip").write_bytes(b"x")
    (home / "docs").mkdir()
    (home / "docs/.draft.notes123.tmp").write_bytes(b"x")
    out = tmp_path / "out"
    content = sample()
    result = run("--content", str(content), "--out", str(out), "--jobs", "1", "--cache", str(home))
    assert result.code == 1
    assert result.lines == [f"{home}: error: this folder has other files in it and is not a cache folder of this "
                            "program: give --cache a new or empty folder"]
    assert (home / "zips/family-photos.zip").exists() and (home / "docs/.draft.notes123.tmp").exists()
    assert not out.exists()
    fresh = tmp_path / "new-cache"
    assert run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout", "--lang", "es",
               "--cache", str(fresh), "-q").code == 0
    assert (fresh / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f597d28d172789f06886806bc55")


def test_a_forged_journal_or_manifest_never_moves_or_deletes_a_file_it_names(run, minimal_build, tmp_path):
    content, out = copy_of(minimal_build, tmp_path / "copy")
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    (out / ".taller-journal").write_text(json.dumps({"path": "index.html", "backup": "notes.txt", "dirs": []}) + "\n"
                                         + json.dumps({"path": "x", "backup": "..", "dirs": []}) + "\n", encoding="utf-8")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / ".thesis.chapter1.tmp").write_text("chapter one", encoding="utf-8")
    saved = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    saved["files"] += ["../victim/x", str(victim / "y")]
    (out / "manifest.json").write_text(json.dumps(saved), encoding="utf-8")
    result = run("--content", str(content), "--out", str(out), "--jobs", "1", "--only", "handout", "--lang", "es")
    assert "unexpected failure" not in result.err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert (victim / ".thesis.chapter1.tmp").read_text(encoding="utf-8") == "chapter one"
    assert not (out / ".taller-journal").exists()


def test_outputs_are_readable_by_others_like_any_file(run, sample, tmp_path):
    out = tmp_path / "out"
    assert run("--content", str(sample()), "--out", str(out), "--jobs", "1", "--only", "handout", "--lang", "es",
               "-q").code == 0
    umask = os.umask(0o022)
    os.umask(umask)
    for path in (out / "manifest.json", out / "es/handouts/first-steps.pdf"):
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path
