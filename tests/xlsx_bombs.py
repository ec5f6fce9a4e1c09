"""Hostile workbooks, small on disk and huge once unpacked (issue 20 §1), for the tests and bench/.

A real attacker's file is built in milliseconds: a block of sheet XML is deflated once, with a full flush that
forgets the history, so that the same compressed bytes stand for every repetition of the block. The other
parts come from a genuine workbook written by openpyxl.
"""

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}"><sheetData>'
TAIL = "</sheetData></worksheet>"
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Raison sociale</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>SIRET</t></is></c></row>')
BLOCK = 1024 * 1024


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _repeated(head: bytes, pattern: bytes, size: int, tail: bytes) -> tuple[bytes, int]:
    """Raw deflate of head + pattern repeated up to about `size` bytes + tail, and the unpacked size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = pattern * max(1, BLOCK // len(pattern))
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)  # no history: reusable as is
    count = max(1, size // len(block))
    end = compressor.compress(tail) + compressor.flush()
    return start + repeat * count + end, len(head) + len(block) * count + len(tail)


def _genuine_parts() -> dict[str, bytes]:
    workbook = Workbook()
    workbook.active.append(["Raison sociale", "SIRET"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive of (name, raw deflate data, crc, unpacked size) entries, written by hand since zipfile
    cannot store data deflated beforehand."""
    out, central = io.BytesIO(), []
    for name, data, crc, size in entries:
        offset, encoded = out.tell(), name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0))
        out.write(encoded + data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                                   len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    directory = b"".join(central)
    start = out.tell()
    out.write(directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory),
                                      start, 0))
    return out.getvalue()


def workbook(replace: dict[str, bytes] | None = None, bomb: tuple[str, bytes, bytes, int, bytes] | None = None) -> bytes:
    """A genuine workbook, some parts replaced (`replace`: name -> XML), one of them possibly a bomb
    (`bomb`: name, head, repeated pattern, unpacked size, tail). The bomb's CRC is not computed: it is only
    checked at the end of the part, which a guarded reader never reaches, and an attacker need not get it right."""
    parts = {**_genuine_parts(), **(replace or {})}
    entries = [(name, _deflate(data), zlib.crc32(data), len(data)) for name, data in parts.items()
               if not bomb or name != bomb[0]]
    if bomb:
        name, head, pattern, size, tail = bomb
        data, unpacked = _repeated(head, pattern, size, tail)
        entries.append((name, data, 0, unpacked))
    return _zip(entries)


def sheet_bomb(pattern: str, size: int, head: str = HEAD + HEADER_ROW, tail: str = TAIL) -> bytes:
    """A workbook whose first sheet is `head`, then `pattern` repeated up to `size` bytes, then `tail`."""
    return workbook(bomb=(SHEET, head.encode(), pattern.encode(), size, tail.encode()))


GIGABYTE = 1024 ** 3


def big_sheet() -> bytes:
    """A sheet of company rows that unpacks to more than 1 GB (3 MB on disk)."""
    row = ('<row><c t="inlineStr"><is><t>Forges de Thiers</t></is></c>'
           '<c t="inlineStr"><is><t>44306184100047</t></is></c></row>')
    return sheet_bomb(row, int(1.1 * GIGABYTE))


def empty_rows() -> bytes:
    """Millions of empty rows, 1 GB unpacked (1 MB on disk): openpyxl yields each of them."""
    return sheet_bomb("<row/>", GIGABYTE)


def wide_row() -> bytes:
    """A single row of 20 million cells (0.4 MB on disk)."""
    return sheet_bomb('<c t="n"><v>1</v></c>', 20_000_000 * 20, head=HEAD + '<row r="1">', tail="</row>" + TAIL)
