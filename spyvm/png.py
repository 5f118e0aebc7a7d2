"""A minimal PNG writer for 1-bit Smalltalk forms (RPython, no zlib needed).

The image data goes into stored (uncompressed) deflate blocks; PNG wants a CRC-32
per chunk and an Adler-32 over the zlib stream, both computed here."""

from rpython.rlib.rarithmetic import r_uint, intmask


def _crc_table():
    table = []
    for n in range(256):
        c = r_uint(n)
        for k in range(8):
            if c & 1:
                c = r_uint(0xEDB88320) ^ (c >> 1)
            else:
                c = c >> 1
        table.append(c)
    return table

CRC_TABLE = _crc_table()


def crc32(data, crc=r_uint(0xFFFFFFFF)):
    for ch in data:
        crc = CRC_TABLE[intmask((crc ^ r_uint(ord(ch))) & r_uint(0xFF))] ^ (crc >> 8)
    return crc


def be32(value):
    """Big-endian bytes of the low 32 bits of an int."""
    return (chr((value >> 24) & 0xFF) + chr((value >> 16) & 0xFF) +
            chr((value >> 8) & 0xFF) + chr(value & 0xFF))


def chunk(kind, data):
    crc = crc32(data, crc32(kind)) ^ r_uint(0xFFFFFFFF)
    return be32(len(data)) + kind + data + be32(intmask(crc))


def zlib_stored(data):
    """A zlib stream made of stored deflate blocks."""
    out = ['\x78\x01']
    pos = 0
    n = len(data)
    while True:
        size = min(65535, n - pos)
        final = 1 if pos + size >= n else 0
        out.append(chr(final))
        out.append(chr(size & 0xFF) + chr(size >> 8))
        out.append(chr(~size & 0xFF) + chr((~size >> 8) & 0xFF))
        end = pos + size
        assert end >= pos >= 0
        out.append(data[pos:end])
        pos = end
        if final:
            break
    a = 1
    b = 0
    for ch in data:
        a = (a + ord(ch)) % 65521
        b = (b + a) % 65521
    out.append(be32((b << 16) | a))
    return ''.join(out)


def form_to_png(words, width, height):
    """PNG bytes for a 1-bit form: rows of (width+15)//16 words, MSB leftmost,
    1 = black. PNG grey 1-bit has 1 = white, so the bits are inverted."""
    raster_width = (width + 15) // 16
    row_bytes = (width + 7) // 8
    rows = []
    for y in range(height):
        row = ['\x00']                      # filter type: none
        base = y * raster_width
        for i in range(row_bytes):
            word = words[base + i // 2] if base + i // 2 < len(words) else 0
            if i % 2 == 0:
                byte = word >> 8
            else:
                byte = word & 0xFF
            row.append(chr(~byte & 0xFF))
        rows.append(''.join(row))
    ihdr = be32(width) + be32(height) + '\x01\x00\x00\x00\x00'
    return ('\x89PNG\r\n\x1a\n' + chunk('IHDR', ihdr) +
            chunk('IDAT', zlib_stored(''.join(rows))) + chunk('IEND', ''))
