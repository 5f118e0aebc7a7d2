"""PNG screenshots of 1-bit Smalltalk forms, compressed by zlib (RPython's
rzlib binding), which also gives each chunk its CRC-32."""

from rpython.rlib import rzlib
from rpython.rlib.rarithmetic import intmask

SIGNATURE = '\x89PNG\r\n\x1a\n'


def be32(value):
    """Big-endian bytes of the low 32 bits of an int."""
    return (chr((value >> 24) & 0xFF) + chr((value >> 16) & 0xFF) +
            chr((value >> 8) & 0xFF) + chr(value & 0xFF))


def chunk(kind, data):
    crc = rzlib.crc32(data, rzlib.crc32(kind))
    return be32(len(data)) + kind + data + be32(intmask(crc))


def deflate(data):
    """A zlib stream of data, compressed as well as zlib can."""
    stream = rzlib.deflateInit(rzlib.Z_BEST_COMPRESSION)
    try:
        return rzlib.compress(stream, data, rzlib.Z_FINISH)
    finally:
        rzlib.deflateEnd(stream)


def form_rows(words, width, height):
    """PNG's filtered rows (filter type 0) of a form: rows of (width+15)//16
    words, MSB leftmost, 1 = black. PNG grey 1-bit has 1 = white, so the bits
    are inverted; words past the end of a short bitmap read as 0."""
    raster_width = (width + 15) // 16
    row_bytes = (width + 7) // 8
    rows = []
    for y in range(height):
        row = ['\x00']
        base = y * raster_width
        for i in range(row_bytes):
            word = words[base + i // 2] if base + i // 2 < len(words) else 0
            if i % 2 == 0:
                byte = word >> 8
            else:
                byte = word & 0xFF
            row.append(chr(~byte & 0xFF))
        rows.append(''.join(row))
    return ''.join(rows)


def form_to_png(words, width, height):
    """PNG bytes for a 1-bit form."""
    ihdr = be32(width) + be32(height) + '\x01\x00\x00\x00\x00'
    return (SIGNATURE + chunk('IHDR', ihdr) +
            chunk('IDAT', deflate(form_rows(words, width, height))) + chunk('IEND', ''))
