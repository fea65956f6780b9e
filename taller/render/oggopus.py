"""Ogg Opus streams cut into pieces without encoding them again: a part of a handout is the
stretch of the whole handout's file between two silences, as a file of its own.

Encoding costs as long as the sound lasts, so each material's sound is encoded once, whole,
and each part's file is made of the whole's own Opus packets (RFC 7845): the packets from a
little before the part starts (the 80 ms of "pre-roll" a decoder needs to settle, taken from
the silence before the part) to the one where it ends, in a new stream whose header says how
much to skip at the start and whose last granule position says where to stop. A part's file
plays exactly the samples of that stretch of the whole, so the two never differ.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

SERIAL = 0          # the stream's serial number, fixed (ffmpeg's bit-exact mode uses 0 too)
PRE_ROLL = 3840     # 80 ms at 48 kHz, as RFC 7845 asks of a decoder that starts mid-stream
# Milliseconds a frame lasts, by the TOC byte's configuration (RFC 6716 §3.1): SILK's
# three bandwidths, then the hybrid's two, then CELT's four.
_FRAME_MS = (10, 20, 40, 60) * 3 + (10, 20) * 2 + (2.5, 5, 10, 20) * 4


@dataclass(frozen=True)
class Stream:
    """An Ogg Opus stream as packets: its two header packets, its audio packets, each with
    the granule position (48 kHz) where it ends, and the stream's last granule position
    (where playing stops: the encoder's padding after it is not heard)."""

    head: bytes
    tags: bytes
    packets: list[tuple[bytes, int]]
    end: int

    @property
    def pre_skip(self) -> int:
        return struct.unpack_from("<H", self.head, 10)[0]


def read_stream(data: bytes) -> Stream:
    """The packets of a single-stream Ogg Opus file, as ffmpeg writes it: each page's
    granule position must be where its last packet ends, counted from the packets' own
    lengths, or the stream is not one this module can cut (an unexpected failure, never a
    file that plays the wrong stretch)."""
    packets, partial, at, granule, end = [], b"", 0, 0, 0
    while at < len(data):
        page_granule = struct.unpack_from("<q", data, at + 6)[0]
        count = data[at + 26]
        lacing = data[at + 27:at + 27 + count]
        body = at + 27 + count
        for size in lacing:
            partial += data[body:body + size]
            body += size
            if size < 255:  # a packet ends here
                if len(packets) >= 2:
                    granule += duration(partial)
                packets.append((partial, granule))
                partial = b""
        last_page = body >= len(data)
        if len(packets) > 2 and page_granule >= 0 and page_granule != granule and not (last_page and page_granule < granule):
            raise RuntimeError(f"the encoded stream's page at byte {at} ends at {page_granule}, its packets at {granule}")
        end = page_granule if page_granule >= 0 else end
        at = body
    (head, _), (tags, _) = packets[0], packets[1]
    return Stream(head, tags, packets[2:], end)


def duration(packet: bytes) -> int:
    """Samples (at 48 kHz) an Opus packet decodes to, from its TOC byte."""
    frame = int(_FRAME_MS[packet[0] >> 3] * 48)
    code = packet[0] & 3
    frames = 1 if code == 0 else 2 if code in (1, 2) else packet[1] & 0x3F
    return frame * frames


def cut(stream: Stream, start: int, end: int) -> bytes:
    """The file of samples `start` to `end` of the whole (48 kHz samples after the whole's
    own pre-skip): its packets from PRE_ROLL before `start` to the one holding `end`."""
    # As granule positions of the whole; never past its end (rounding between sample rates).
    begin, finish = start + stream.pre_skip, min(end + stream.pre_skip, stream.end)
    first = 0  # the last packet that starts at least PRE_ROLL before `begin` (or the first)
    for number, (packet, granule) in enumerate(stream.packets):
        if granule - duration(packet) > begin - PRE_ROLL:
            break
        first = number
    origin = stream.packets[first][1] - duration(stream.packets[first][0])  # where the new stream's clock starts
    chosen = [(p, g - origin) for p, g in stream.packets[first:] if g - duration(p) < finish]
    head = stream.head[:10] + struct.pack("<H", begin - origin) + stream.head[12:]
    return write_stream(head, stream.tags, chosen, finish - origin)


def write_stream(head: bytes, tags: bytes, packets: list[tuple[bytes, int]], end: int) -> bytes:
    """An Ogg file: the header page, the tags page, then the packets, about a second a page;
    the last page's granule position is `end` (where playing stops)."""
    pages = [_page(head, 0, 0, 0x02), _page(tags, 0, 1, 0)]
    batch: list[tuple[bytes, int]] = []
    for number, (packet, granule) in enumerate(packets):
        if batch and (len(batch) == 50 or _segments(batch) + len(packet) // 255 + 1 > 255):
            pages.append(_page(batch, batch[-1][1], len(pages), 0))
            batch = []
        batch.append((packet, granule))
    pages.append(_page(batch, end, len(pages), 0x04))  # the last: end of stream, where playing stops
    return b"".join(pages)


def _segments(batch: list[tuple[bytes, int]]) -> int:
    return sum(len(packet) // 255 + 1 for packet, _granule in batch)


def _page(packets: bytes | list[tuple[bytes, int]], granule: int, sequence: int, flags: int) -> bytes:
    """One Ogg page holding whole packets (a header packet, or audio packets), CRC filled in."""
    packets = [packets] if isinstance(packets, bytes) else [packet for packet, _granule in packets]
    lacing = b"".join(b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255]) for packet in packets)
    header = struct.pack("<4sBBqIII", b"OggS", 0, flags, granule, SERIAL, sequence, 0) + bytes([len(lacing)]) + lacing
    page = header + b"".join(packets)
    return page[:22] + struct.pack("<I", _crc(page)) + page[26:]


def _table() -> list[int]:
    table = []
    for byte in range(256):
        value = byte << 24
        for _bit in range(8):
            value = ((value << 1) ^ 0x04C11DB7) if value & 0x80000000 else value << 1
        table.append(value & 0xFFFFFFFF)
    return table


_CRC = _table()


def _crc(page: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, starting at 0)."""
    value = 0
    for byte in page:
        value = ((value << 8) & 0xFFFFFFFF) ^ _CRC[(value >> 24) ^ byte]
    return value
