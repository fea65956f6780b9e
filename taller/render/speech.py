"""Speech: the parts of a handout read aloud, as Ogg Opus files (the format of WhatsApp
voice notes), offline.

A part is said by espeak-ng (Debian's package, its Latin American Spanish voice for `es`)
or taken from a member's recording; ffmpeg (Debian's package) decodes the recordings,
whatever phone made them, and encodes every file: the whole material (its parts one after
another, a short silence between) and each part on its own, mono, 16 kHz, 20 kbit/s, about
120 KB a minute. Encoding takes as long as the sound lasts, so a material is encoded once,
whole, and each part's file is cut from it without encoding it again (oggopus.py).

The job runs in the render workers like a page of HTML (render/jobs.py) and its result is
cached like a PDF: the render cache keys it on everything the sound is made from (the words
and pauses of every part, the hash of every recording, the voice, the settings and both
tools' versions; `Speech.key_text`) and keeps the files, packed into one entry (`pack`;
its entry in the cache folder's `render/` is named like a PDF, but holds these).
So the audio needs no cache subfolder of its own: the share images keep theirs (`pages/`)
because they are drawn in the main process from a cached PDF, while these files are the
job's own result.
The same text gives the same bytes: espeak-ng has no randomness, and ffmpeg's bit-exact
mode writes no version and a fixed Ogg serial number where it would otherwise draw a random
one. A tool that fails is an unexpected failure (one line, nothing written, nothing cached);
a recording ffmpeg cannot decode is a content error, named by its file.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from ..content.audiofiles import ogg_seconds
from ..messages import _
from .oggopus import cut, read_stream
from .weasy import Rendered

ESPEAK, FFMPEG = "espeak-ng", "ffmpeg"
# espeak-ng's voice for a language, where its own code is not the one to use; any other
# language is spoken by espeak-ng's voice of that code, if it has one (`qu`: Quechua).
VOICES = {"es": "es-419", "en": "en-us"}  # the Spanish of Latin America; the English of the Americas
RATE = 150         # words a minute: espeak-ng says 175, quick for a first listen
AMPLITUDE = 85     # of espeak-ng's 100, whose loudest sounds reach full scale and clip
RAW_RATE = 22_050  # espeak-ng's samples a second; recordings are decoded to it, to be joined
OPUS = ("-ar", "16000", "-ac", "1", "-c:a", "libopus", "-b:a", "20k", "-vbr", "on", "-application", "voip")
# Pauses, in milliseconds: after the material's name, after a heading, after each line,
# and the silence between two parts of the whole file.
AFTER_LEAD, AFTER_HEADING, AFTER_LINE, BETWEEN_PARTS = 700, 800, 600, 700
WHOLE = "whole"  # the name of the whole material among the files (`pack`)
_MAGIC = b"taller-audio-1\n"


@dataclass(frozen=True)
class SpokenPart:
    """One part as the job gets it: the words to say, or a member's recording of them."""

    name: str                       # `part-03`
    ssml: str = ""                  # what espeak-ng says (SSML: the pauses are breaks)
    recording: bytes | None = None  # the recording's bytes, read through the guard
    format: str = ""                # its container (content/audiofiles.py), which ffmpeg is told to read
    shown: str = ""                 # the recording as messages name it
    digest: str = ""                # its SHA-256: what the cache key holds instead of the bytes


@dataclass(frozen=True)
class Speech:
    """The source of one material's audio (a render job's input that is not HTML): its
    parts, and whether the whole is made (not without every part: a language espeak-ng
    has no voice for has only its recorded parts)."""

    voice: str | None
    parts: tuple[SpokenPart, ...]
    whole: bool = True

    def key_text(self) -> str:
        """The text the render cache keys on."""
        said = [(p.name, p.ssml, p.format, p.digest) for p in self.parts]
        return json.dumps(["speech", self.voice, RATE, AMPLITUDE, OPUS, AFTER_LEAD, AFTER_HEADING, AFTER_LINE, BETWEEN_PARTS,
                           self.whole, tool_versions(), said], ensure_ascii=False)

    def kept(self) -> dict[str, str]:
        """--keep-html keeps nothing of it: it has no HTML."""
        return {}

    def job(self) -> tuple:
        """Its render job (render/jobs.py): the function a worker calls, and its arguments."""
        return speak, (self,)


def ssml(lead: str, heading: str, lines: tuple[str, ...]) -> str:
    """What espeak-ng is given for one part: each text a sentence, a pause after each."""
    said = [(lead, AFTER_LEAD)] if lead else []
    said += [(heading, AFTER_HEADING), *((line, AFTER_LINE) for line in lines)]
    body = "".join(f'{escape(_sentence(text), quote=False)}<break time="{pause}ms"/>' for text, pause in said if text)
    return f"<speak>{body}</speak>"


def _sentence(text: str) -> str:
    """A heading or item ends as a sentence, so the voice falls at its end as a reader does."""
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?…:;»\"”" else f"{text}."


@lru_cache(maxsize=1)
def tool_versions() -> tuple[str, str]:
    """Both tools' version lines (part of the cache key: a new ffmpeg may encode differently)."""
    return tuple(_version(tool) for tool in (ESPEAK, FFMPEG))


def _version(tool: str) -> str:
    if shutil.which(tool) is None:
        return ""
    flag = "--version" if tool == ESPEAK else "-version"
    done = subprocess.run([tool, flag], capture_output=True, text=True, check=False)
    return (done.stdout.splitlines() or [""])[0].split(" Data at:")[0].strip()


def can_encode() -> bool:
    """Whether ffmpeg is here to make Ogg Opus files at all."""
    return shutil.which(FFMPEG) is not None


@lru_cache(maxsize=None)
def voice_for(lang: str) -> str | None:
    """espeak-ng's voice for `lang`, or None when espeak-ng is not installed or has none."""
    if shutil.which(ESPEAK) is None:
        return None
    wanted = VOICES.get(lang, lang)
    done = subprocess.run([ESPEAK, "--voices"], capture_output=True, text=True, check=False)
    languages = {line.split()[1] for line in done.stdout.splitlines()[1:] if len(line.split()) > 1}
    return wanted if wanted in languages else None


def speak(speech: Speech) -> list[Rendered]:
    """The job: each part's samples (said, or decoded from its recording), then every file
    in one ffmpeg run; one result, the files packed (`pack`)."""
    samples, problems = [], []
    for part in speech.parts:
        if part.recording is not None:
            decoded = _decode(part)
            if decoded is None:
                problems.append(("error", _("{path}: ffmpeg cannot decode this recording: record it again, or save "
                                            "it as .ogg or .m4a").format(path=part.shown)))
                continue
            samples.append((part.name, decoded))
        else:
            samples.append((part.name, _say(part.ssml, speech.voice)))
    if problems:
        return [Rendered(b"", 0, None, tuple(problems))]
    if not samples:  # nothing to say: no voice for the language, and nothing recorded
        return [Rendered(pack([]), 0)]
    return [Rendered(pack(_encode(samples, speech.whole)), 0)]


def _say(text: str, voice: str) -> bytes:
    """16-bit mono samples at RAW_RATE of espeak-ng saying `text` (SSML)."""
    done = subprocess.run([ESPEAK, "-m", "-v", voice, "-s", str(RATE), "-a", str(AMPLITUDE), "--stdin", "--stdout"],
                          input=text.encode("utf-8"), capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"espeak-ng failed: {done.stderr.decode(errors='replace').strip()[:200]}")
    return _wav_samples(done.stdout)


def _wav_samples(wav: bytes) -> bytes:
    """The samples of espeak-ng's WAV (it streams, so its sizes are placeholders: all after `data`)."""
    at = 12
    while at + 8 <= len(wav):
        name, size = wav[at:at + 4], struct.unpack_from("<I", wav, at + 4)[0]
        if name == b"data":
            return wav[at + 8:]
        at += 8 + size
    raise RuntimeError("espeak-ng gave no sound")


def _decode(part: SpokenPart) -> bytes | None:
    """A recording as 16-bit mono samples at RAW_RATE; None when ffmpeg cannot decode it.
    ffmpeg is told the container the bytes were checked to be (never left to guess from
    content that came from someone else), and reads the very bytes the guard read, from a
    private temporary file: an M4A keeps its index at its end and its encoder's delay in an
    edit list, which ffmpeg honours only in a file it can seek in."""
    demuxer = {"m4a": "mov", "ogg": "ogg", "wav": "wav", "mp3": "mp3"}[part.format]
    with tempfile.NamedTemporaryFile(prefix="taller-recording-") as copy:
        copy.write(part.recording)
        copy.flush()
        done = subprocess.run([FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-f", demuxer, "-i", copy.name,
                               "-vn", "-ac", "1", "-ar", str(RAW_RATE), "-f", "s16le", "pipe:1"],
                              capture_output=True, check=False)
    return done.stdout if done.returncode == 0 and done.stdout else None


def _encode(samples: list[tuple[str, bytes]], whole: bool) -> list[tuple[str, bytes, float]]:
    """Every file: the parts one after another, silence between them, encoded once, and
    each part's file cut from it (oggopus.py). Returns (name, Ogg Opus bytes, seconds)."""
    gap = b"\0\0" * (RAW_RATE * BETWEEN_PARTS // 1000)
    spans, at = [], 0
    for _name, pcm in samples:
        spans.append((at, at + len(pcm) // 2))
        at += len(pcm) // 2 + len(gap) // 2
    # Bit-exact: no version in the file and Ogg serial number 0, so the same samples give
    # the same bytes on every build.
    done = subprocess.run([FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "s16le", "-ar", str(RAW_RATE),
                           "-ac", "1", "-i", "pipe:0", *OPUS, "-fflags", "+bitexact", "-flags:a", "+bitexact",
                           "-map_metadata", "-1", "-f", "ogg", "pipe:1"],
                          input=gap.join(pcm for _name, pcm in samples), capture_output=True, check=False)
    if done.returncode != 0 or not done.stdout.startswith(b"OggS"):
        raise RuntimeError(f"ffmpeg failed: {done.stderr.decode(errors='replace').strip()[:300]}")
    encoded = done.stdout
    stream = read_stream(encoded)
    made = [(WHOLE, encoded, round(ogg_seconds(encoded), 2))] if whole else []
    for (name, _pcm), (start, end) in zip(samples, spans):
        part = cut(stream, _at_48k(start), _at_48k(end))
        made.append((name, part, round(ogg_seconds(part), 2)))
    return made


def _at_48k(sample: int) -> int:
    """A sample of the RAW_RATE stream, as a 48 kHz position (Opus counts time at 48 kHz)."""
    return sample * 48_000 // RAW_RATE


def pack(files: list[tuple[str, bytes, float]]) -> bytes:
    """Several files as one render result (the render cache keeps one entry a job)."""
    header = json.dumps([{"name": name, "bytes": len(data), "seconds": seconds} for name, data, seconds in files])
    return _MAGIC + struct.pack(">I", len(header)) + header.encode("ascii") + b"".join(data for _n, data, _s in files)


def unpack(packed: bytes) -> list[tuple[str, bytes, float]]:
    """The files `pack` packed, in order: (name, bytes, seconds)."""
    if not packed.startswith(_MAGIC):
        return []
    at = len(_MAGIC) + 4
    size = struct.unpack_from(">I", packed, len(_MAGIC))[0]
    files = []
    body = at + size
    for entry in json.loads(packed[at:body]):
        files.append((entry["name"], packed[body:body + entry["bytes"]], entry["seconds"]))
        body += entry["bytes"]
    return files
