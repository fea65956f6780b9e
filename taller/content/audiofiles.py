"""Audio files as a member's phone makes them: what a file is, by its own bytes, and how
long it plays, read from its container's headers alone.

A recording is checked before anything decodes it: a photo or a text renamed `part-01.ogg`
is one clear error here, never a decoder's complaint, and the decoder (ffmpeg, in the
render stage) is told which container to read instead of guessing. Four containers are
known, the ones phones and WhatsApp make: Ogg (Opus or Vorbis), WAV (PCM), MP3 and M4A
(MP4 with a sound track). Nothing here decodes a sample.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ..messages import _

OGG, WAV, MP3, M4A = "ogg", "wav", "mp3", "m4a"
OPUS_RATE = 48_000  # an Ogg Opus granule position counts samples at 48 kHz, whatever was recorded


@dataclass(frozen=True)
class AudioInfo:
    """What a file is: its container (the decoder's input format) and how long it plays."""

    format: str
    seconds: float


class NotAudio(Exception):
    """The bytes are not a recording of a known format (the message says why, for a person)."""


def probe(data: bytes) -> AudioInfo:
    """The container and duration of `data`; raises `NotAudio`. The container is known by its
    first bytes, not by the file's name: a phone's `.ogg` may be Opus or Vorbis, and a file
    named `.mp3` may really be an M4A."""
    if data[:4] == b"OggS":
        return AudioInfo(OGG, ogg_seconds(data))
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return AudioInfo(WAV, _wav_seconds(data))
    if data[4:8] == b"ftyp":
        return AudioInfo(M4A, _mp4_seconds(data))
    if data[:3] == b"ID3" or _mp3_frame(data, 0) is not None:
        return AudioInfo(MP3, _mp3_seconds(data))
    raise NotAudio(_("it is not a sound recording (Ogg, WAV, MP3 or M4A)"))


# --- Ogg: pages of up to 255 segments; the last page's granule position is the end ---------

def ogg_pages(data: bytes):
    """Each page of an Ogg file as (offset, header type, granule position, serial, body);
    raises `NotAudio` where the page structure breaks."""
    at = 0
    while at < len(data):
        if data[at:at + 4] != b"OggS" or len(data) < at + 27:
            raise NotAudio(_("its Ogg pages are damaged at byte {offset}").format(offset=at))
        kind, granule, serial = data[at + 5], *struct.unpack_from("<qI", data, at + 6)
        count = data[at + 26]
        lacing = data[at + 27:at + 27 + count]
        start = at + 27 + count
        end = start + sum(lacing)
        if len(lacing) < count or end > len(data):
            raise NotAudio(_("its Ogg pages are damaged at byte {offset}").format(offset=at))
        yield at, kind, granule, serial, data[start:end]
        at = end


def ogg_seconds(data: bytes) -> float:
    """How long an Ogg Opus or Ogg Vorbis stream plays: its last granule position, less the
    Opus pre-skip, over its rate (48 kHz for Opus, the header's for Vorbis)."""
    rate, skip, last, first_serial = None, 0, 0, None
    for _offset, _kind, granule, serial, body in ogg_pages(data):
        if first_serial is None:
            first_serial = serial
            if body[:8] == b"OpusHead" and len(body) >= 19:
                rate, skip = OPUS_RATE, struct.unpack_from("<H", body, 10)[0]
            elif body[:7] == b"\x01vorbis" and len(body) >= 16:
                rate = struct.unpack_from("<I", body, 12)[0]
            else:
                raise NotAudio(_("it is an Ogg file, but not of Opus or Vorbis sound"))
        if serial == first_serial and granule >= 0:  # -1: no packet ends on this page
            last = granule
    if not rate:
        raise NotAudio(_("it is an Ogg file, but not of Opus or Vorbis sound"))
    return max(0, last - skip) / rate


# --- WAV: RIFF chunks; `fmt ` says the rate, `data` holds the samples ---------------------

def _wav_seconds(data: bytes) -> float:
    """Seconds of PCM in a WAV file: its data chunk's size (or, for a recorder that never
    wrote the size, what is there) over the bytes a second."""
    fmt, at = None, 12
    while at + 8 <= len(data):
        name, size = data[at:at + 4], struct.unpack_from("<I", data, at + 4)[0]
        if name == b"fmt " and size >= 16:
            fmt = struct.unpack_from("<HHIIHH", data, at + 8)
        elif name == b"data":
            if fmt is None or not fmt[3]:
                break
            available = len(data) - at - 8
            return min(size, available) / fmt[3]  # byte rate
        at += 8 + size + (size & 1)  # chunks are padded to an even size
    raise NotAudio(_("it is a WAV file without sound in it"))


# --- M4A: MP4 boxes; `moov/mvhd` has the duration, a track's `hdlr` says it is sound ------

def _boxes(data: bytes, start: int, end: int):
    """(type, body start, body end) of each MP4 box between `start` and `end`."""
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, at)
        header = 8
        if size == 1 and at + 16 <= end:  # a 64-bit size follows the type
            size, header = struct.unpack_from(">Q", data, at + 8)[0], 16
        elif size == 0:  # to the end of the file
            size = end - at
        if size < header or at + size > end:
            raise NotAudio(_("its MP4 boxes are damaged at byte {offset}").format(offset=at))
        yield kind, at + header, at + size
        at += size


def _mp4_seconds(data: bytes) -> float:
    moov = next(((s, e) for kind, s, e in _boxes(data, 0, len(data)) if kind == b"moov"), None)
    if moov is None:
        raise NotAudio(_("it is an MP4 file without its index (moov): the recording may not have been finished"))
    seconds, sound = None, False
    for kind, start, end in _boxes(data, *moov):
        if kind == b"mvhd" and end - start >= 20:
            version = data[start]
            if version == 1 and end - start >= 32:
                scale, length = struct.unpack_from(">IQ", data, start + 20)
            else:
                scale, length = struct.unpack_from(">II", data, start + 12)
            seconds = length / scale if scale else None
        elif kind == b"trak":
            sound = sound or _is_sound_track(data, start, end)
    if seconds is None or not sound:
        raise NotAudio(_("it is an MP4 file without a sound track"))
    return seconds


def _is_sound_track(data: bytes, start: int, end: int) -> bool:
    for kind, s, e in _boxes(data, start, end):
        if kind == b"mdia":
            for inner, hs, he in _boxes(data, s, e):
                if inner == b"hdlr" and he - hs >= 12 and data[hs + 8:hs + 12] == b"soun":
                    return True
    return False


# --- MP3: an optional ID3 tag, then frames; each frame header says its length ------------

_MP3_BITRATES = {  # kbit/s by (MPEG-1?, layer) and the header's index
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits


def _mp3_frame(data: bytes, at: int) -> tuple[int, int, int] | None:
    """(frame length, samples, rate) of the MP3 frame header at `at`, or None."""
    if at + 4 > len(data) or data[at] != 0xFF or data[at + 1] & 0xE0 != 0xE0:
        return None
    version, layer_bits = (data[at + 1] >> 3) & 3, (data[at + 1] >> 1) & 3
    bitrate_index, rate_index, padding = data[at + 2] >> 4, (data[at + 2] >> 2) & 3, (data[at + 2] >> 1) & 1
    if version == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None  # reserved values (and free format, which phones never write)
    layer, mpeg1 = 4 - layer_bits, version == 3
    bitrate = _MP3_BITRATES[(mpeg1, 1 if layer == 1 else 2 if not mpeg1 else layer)][bitrate_index] * 1000
    rate = _MP3_RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4, 384, rate
    samples = 1152 if layer == 2 or mpeg1 else 576
    return samples // 8 * bitrate // rate + padding, samples, rate


def _mp3_seconds(data: bytes) -> float:
    at = 0
    if data[:3] == b"ID3" and len(data) >= 10:  # ID3v2: its size is four 7-bit bytes
        size = data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9]
        at = 10 + size + (10 if data[5] & 0x10 else 0)
    seconds, frames = 0.0, 0
    while True:
        frame = _mp3_frame(data, at)
        if frame is None:
            break
        length, samples, rate = frame
        seconds += samples / rate
        frames += 1
        at += length
    # One lucky pair of bytes is not an MP3: a real one is frame after frame to its end
    # (an ID3v1 tag of 128 bytes may close it).
    if frames < 2 or len(data) - at > 128 + 4096:
        raise NotAudio(_("it is not a sound recording (Ogg, WAV, MP3 or M4A)"))
    return seconds
