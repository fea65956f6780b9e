"""The audio edition (kind `audio`) and our own voices: every handout and the pocket card as
Ogg Opus voice notes, whole and a file a part, in the manifest with their duration and in
each language's zip; a member's recording used in place of the synthetic part once
`recorded` says which text it was made from, and not after that text changed; a bad
recording one `path: error:` line; and the recording script (kind `recording-script`)."""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import wave
import zipfile
from pathlib import Path

import pytest

from conftest import CONTENT, ROOTS, edit, line_of, manifest, pdf_text

pytestmark = pytest.mark.skipif(not (shutil.which("espeak-ng") and shutil.which("ffmpeg")),
                                reason="espeak-ng and ffmpeg are not installed (make installs them when run as root)")

HANDOUT_PARTS, CARD_PARTS = 8, 8  # the minimal handout's sections (contacts last); the card's
GAP = 0.7  # the silence between two parts of a whole file (render/speech.py)


def _audio(out: Path, lang: str) -> dict[str, dict]:
    return {path: entry for path, entry in manifest(out).items() if entry["kind"] == "audio" and entry["lang"] == lang}


def decoded_seconds(path: Path) -> float:
    """How long the file plays, as ffmpeg decodes it (not as this program reckons it)."""
    done = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", "48000", "-"],
                          capture_output=True, check=True)
    assert not done.stderr, done.stderr  # decodes without a complaint
    return len(done.stdout) / 2 / 48000


def _sample(tmp_path: Path, name: str = "minimal") -> Path:
    content = tmp_path / name
    shutil.copytree(ROOTS / name, content)
    shutil.copytree(CONTENT / "locales", content / "locales")
    return content


def _tone(path: Path, seconds: float, rate: int = 16000) -> None:
    """A phone's WAV recording, made here: a 440 Hz tone, mono, 16 bits."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
                      for n in range(int(seconds * rate)))
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(frames)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_handout_and_the_card_is_ogg_opus_whole_and_in_parts(minimal_build, lang):
    entries = _audio(minimal_build, lang)
    expected = {f"{lang}/audio/card.ogg": None,
                **{f"{lang}/audio/card-part-{n:02d}.ogg": None for n in range(1, CARD_PARTS + 1)},
                f"{lang}/audio/first-steps.ogg": "first-steps",
                **{f"{lang}/audio/first-steps-part-{n:02d}.ogg": "first-steps" for n in range(1, HANDOUT_PARTS + 1)}}
    assert {path: entry["module"] for path, entry in entries.items()} == expected
    for path, entry in entries.items():
        data = (minimal_build / path).read_bytes()
        assert data[:4] == b"OggS" and data[28:36] == b"OpusHead", path
        assert data[37] == 1, path  # one channel: mono, like a voice note
        assert entry["bytes"] == len(data) and entry["pages"] == 0 and entry["variant"] is None
        assert entry["duration"] == pytest.approx(decoded_seconds(minimal_build / path), abs=0.02), path
        assert 8_000 <= len(data) * 8 / entry["duration"] <= 24_000, path  # bits a second, Ogg pages and all
    for whole, count in (("card", CARD_PARTS), ("first-steps", HANDOUT_PARTS)):
        parts = sum(entries[f"{lang}/audio/{whole}-part-{n:02d}.ogg"]["duration"] for n in range(1, count + 1))
        assert entries[f"{lang}/audio/{whole}.ogg"]["duration"] == pytest.approx(parts + GAP * (count - 1), abs=0.05)
    # Only sounds carry a duration: every other entry reads as it did before.
    assert all("duration" not in entry for entry in manifest(minimal_build).values() if entry["kind"] != "audio")
    with zipfile.ZipFile(minimal_build / f"taller-0.9-{lang}.zip") as archive:
        zipped = {name.split("/", 1)[1] for name in archive.namelist()}
    assert set(expected) <= zipped


def test_only_audio_for_one_language_gives_the_same_bytes(run, tmp_path, minimal_build):
    """A cold build of `--only audio --lang es`, with a cache of its own: every file the
    full build made, byte for byte (the Ogg serial numbers are fixed), and nothing else."""
    out = tmp_path / "out"
    result = run("--content", str(_sample(tmp_path)), "--out", str(out), "--cache", str(tmp_path / "cache"),
                 "--only", "audio", "--lang", "es", "--jobs", "1", "-q")
    assert (result.code, result.lines) == (0, [])
    assert set(manifest(out)) == set(_audio(minimal_build, "es"))
    for path in manifest(out):
        assert (out / path).read_bytes() == (minimal_build / path).read_bytes(), path


def test_what_is_read_is_the_handout_in_reading_order(tmp_path):
    """Headings announced, steps with their number, no facilitator note, no small print."""
    from taller.checking import check
    from taller.diagnostics import Diagnostics
    from taller.kinds.audio import parts
    from taller.options import Options
    from taller.render.html import Renderer, RenderOptions

    content = _sample(tmp_path)
    cur = check(Options(content=content, content_display=str(content), out=tmp_path / "out"), Diagnostics())
    renderer = Renderer(cur, RenderOptions(content, cur.default_org))
    said = [(p.lead, p.heading, p.lines, p.recordable) for p in parts(renderer, "es", "first-steps")]
    assert said == [
        ("Módulo 1. Para participantes.", "Primeros pasos", ("Hoy aprendimos a cuidarnos en grupo.",), True),
        ("", "Lo que debes saber", ("El grupo tiene un acuerdo.",), True),
        ("", "Qué hacer", ("Paso 1. Escucha a tus compañeras.", "Paso 2. Haz lo que te parezca más seguro."), True),
        ("", "Lista para marcar", ("Tengo mi tarjeta.",), True),
        ("", "Palabras para usar", ("testigo", "Qué quieren decir: el glosario."), True),
        ("", "La ley dice", ("Un hecho de prueba",), True),
        ("", "A dónde acudir", ("A la organización.",), True),
        ("", "Contactos", ("Organización de Prueba, Arequipa",), False),  # the phone is blank: nothing to say
    ]
    card = parts(renderer, "en", None)
    assert [p.heading for p in card][:3] == ["If they ask for your ID", "If you are detained", "Phrases to say"]
    assert card[0].lead == "Know your rights" and not card[6].recordable


def test_a_recording_replaces_its_part_until_its_text_changes(run, tmp_path):
    content, out = _sample(tmp_path), tmp_path / "out"
    build = ("--content", str(content), "--out", str(out), "--only", "audio", "--lang", "es", "--jobs", "1", "-q")
    recording = content / "audio/es/first-steps/part-01.wav"
    _tone(recording, 2.0)
    shown = f"{content}/audio/es/first-steps/part-01.wav"

    first = run(*build)  # not marked yet: the synthetic voice reads the part
    assert (first.code, first.lines) == (0, [
        f"{shown}: warning: not used yet: nobody has said which text it was made from; after listening to it, run "
        "`python build.py recorded --lang es first-steps 1`"])
    synthetic = _audio(out, "es")
    assert synthetic["es/audio/first-steps-part-01.ogg"]["duration"] > 5

    marked = run("recorded", "--content", str(content), "--lang", "es", "first-steps", "1")
    assert marked.code == 0, marked.err
    assert marked.out == f"recorded: {shown} (Primeros pasos), made from its text as it is now\n"
    assert "part-01:" in (content / "audio/es/first-steps/recorded.yaml").read_text(encoding="utf-8")

    second = run(*build)
    assert (second.code, second.lines) == (0, [])
    voiced = _audio(out, "es")
    assert voiced["es/audio/first-steps-part-01.ogg"]["duration"] == pytest.approx(2.0, abs=0.01)
    assert decoded_seconds(out / "es/audio/first-steps-part-01.ogg") == pytest.approx(2.0, abs=0.01)
    whole = synthetic["es/audio/first-steps.ogg"]["duration"] - synthetic["es/audio/first-steps-part-01.ogg"]["duration"]
    assert voiced["es/audio/first-steps.ogg"]["duration"] == pytest.approx(whole + 2.0, abs=0.02)
    status = run("status", "--content", str(content))
    assert "  first-steps: 1 of 7 parts in our own voices, 0 older than their text, 0 not marked" in status.out

    text = content / "modules/first-steps/es.yaml"
    edit(text, "Hoy aprendimos a cuidarnos en grupo.", "Hoy aprendimos a cuidarnos juntas.")
    third = run(*build)
    assert third.code == 0  # and the English translation of that text is stale now: said too, at its own line
    assert [line for line in third.lines if "/audio/" in line] == [
        f"{shown}: warning: recording is older than its text (changed at modules/first-steps/es.yaml:"
        f"{line_of(text, 'intro:')})"]
    assert _audio(out, "es")["es/audio/first-steps-part-01.ogg"]["duration"] > 5  # the synthetic voice again


def test_a_bad_recording_is_one_error_and_nothing_is_written(run, tmp_path):
    content, out = _sample(tmp_path), tmp_path / "out"
    folder = content / "audio/es/first-steps"
    folder.mkdir(parents=True)
    (folder / "part-02.ogg").write_text("this is a shopping list, not a recording\n", encoding="utf-8")
    (folder / "part-03.mp3").write_bytes(b"")
    # Ten minutes and a second of WAV, at 100 bytes a second (8-bit samples, 100 Hz).
    with wave.open(str(folder / "part-04.wav"), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(100)
        sound.writeframes(b"\x80" * 60_100)
    with (folder / "part-05.m4a").open("wb") as huge:  # over 20 MB (sparse: nothing is really written)
        huge.truncate(20 * 1024 * 1024 + 1)
    private = tmp_path / "private.ogg"
    shutil.copy(Path(__file__).parent / "roots" / "minimal" / "orgs" / "test-org.yaml", private)
    (folder / "part-06.ogg").symlink_to(private)
    shown = f"{content}/audio/es/first-steps"
    result = run("--content", str(content), "--out", str(out), "--only", "audio", "--lang", "es", "--jobs", "1")
    assert result.code == 1
    assert result.lines == [
        f"{shown}/part-02.ogg: error: not a recording: it is not a sound recording (Ogg, WAV, MP3 or M4A)",
        f"{shown}/part-03.mp3: error: the recording is empty (0 bytes)",
        f"{shown}/part-04.wav: error: the recording plays for 10 min 1 s; the limit is 10 minutes: record the "
        "part again, shorter",
        f"{shown}/part-05.m4a: error: sound file is too large (20971521 bytes; the limit is 20971520)",
        f"{shown}/part-06.ogg: error: refused: this file is a link to a place outside the content folder; copy the "
        "file into the folder instead",
    ]
    assert not out.exists()


def test_a_language_without_a_voice_gets_its_recorded_parts_only(run, tmp_path):
    """Aymara: espeak-ng has no voice for it. A note while it is still being translated
    (a warning once it is declared complete), no synthetic audio, and a recorded part's file."""
    content, out = _sample(tmp_path, "three-languages"), tmp_path / "out"
    build = ("--content", str(content), "--out", str(out), "--only", "audio,recording-script", "--lang", "ay",
             "--jobs", "1")
    _tone(tmp_path / "tone.wav", 1.5)  # recorded on a phone that saves M4A (AAC), as many do
    _phone(tmp_path / "tone.wav", content / "audio/ay/card/part-02.m4a", "aac")
    assert run("recorded", "--content", str(content), "--lang", "ay", "card", "2").code == 0
    result = run(*build)
    assert result.code == 0, result.err
    notes = [line for line in result.err.splitlines() if "espeak-ng" in line]
    assert notes == [f"note: espeak-ng has no voice for 'ay' (or is not installed): its audio edition has only the "
                     f"parts recorded in {content}/audio/ay/"]
    audio = {path: entry["duration"] for path, entry in manifest(out).items() if entry["kind"] == "audio"}
    # The recording (give or take an AAC frame), and no whole card: it would have holes.
    assert audio == {"ay/audio/card-part-02.ogg": pytest.approx(1.5, abs=0.07)}
    assert b"Rosa" not in (out / "ay/audio/card-part-02.ogg").read_bytes()  # the sound only, not the phone's notes
    assert (out / "ay/recording-scripts/first-steps.pdf").is_file()  # to record the rest in our own voices

    edit(content / "curriculum/curriculum.yaml", "languages_in_progress: [ay]\n", "")
    complete = run(*build)
    assert [line for line in complete.lines if "espeak-ng" in line] == [notes[0].replace("note:", "warning:", 1)]


def test_the_recording_script_numbers_the_parts_and_says_where_they_go(minimal_build):
    entry = manifest(minimal_build)["es/recording-scripts/first-steps.pdf"]
    assert (entry["kind"], entry["module"]) == ("recording-script", "first-steps")
    text = pdf_text(minimal_build / "es/recording-scripts/first-steps.pdf")
    assert "Parte 3 · Qué hacer" in text and "Paso 1. Escucha a tus compañeras." in text
    assert "Guárdala como content/audio/es/first-steps/part-03.ogg" in text
    assert "python build.py recorded --lang es first-steps 1 2 3 4 5 6 7" in text
    assert "Parte 8 · Contactos" in text and "La voz del programa lee esta parte" in text
    assert "unos 10 s" in text and "130 palabras por minuto" in text
    card = pdf_text(minimal_build / "en/recording-scripts/card.pdf")
    assert "Part 1 · If they ask for your ID" in card and "content/audio/en/card/part-01.ogg" in card
    assert not any(path.startswith("es/recording-scripts/") for path in _zipped(minimal_build, "es"))


@pytest.mark.parametrize(("name", "codec", "container"), [
    ("part-01.m4a", "aac", "m4a"), ("part-01.mp3", "libmp3lame", "mp3"), ("part-01.ogg", "libvorbis", "ogg"),
    ("part-01.opus", "libopus", "ogg"), ("part-01.wav", "pcm_s16le", "wav"), ("part-01.mp3", "aac", "m4a")])
def test_a_recording_is_known_by_its_bytes_whatever_its_name(tmp_path, name, codec, container):
    """What phones save, known by the bytes (an M4A named .mp3 is an M4A), with its length."""
    from taller.content.audiofiles import probe

    _tone(tmp_path / "tone.wav", 1.5)
    _phone(tmp_path / "tone.wav", tmp_path / name, codec, container)
    info = probe((tmp_path / name).read_bytes())
    # Counted from the headers: an MP3's or M4A's whole frames, the encoder's padding too.
    assert info.format == container and info.seconds == pytest.approx(1.5, abs=0.15)


def _phone(wav: Path, target: Path, codec: str, container: str | None = None) -> None:
    """`wav` as a phone would save it, with ffmpeg: `codec` in the container of `target`'s
    name, and what a phone writes beside the sound (a title, the place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    muxer = {"m4a": "ipod", "mp3": "mp3", "ogg": "ogg", "wav": "wav"}[container or target.suffix[1:].replace("opus", "ogg")]
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-c:a", codec, "-metadata", "title=Rosa en la plaza",
                    "-metadata", "location=+00.0000+000.0000/", "-f", muxer, str(target)], check=True)


def _zipped(out: Path, lang: str) -> set[str]:
    with zipfile.ZipFile(out / f"taller-0.9-{lang}.zip") as archive:
        return {name.split("/", 1)[1] for name in archive.namelist() if "/" in name}
