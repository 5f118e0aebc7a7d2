"""Decode PNG files in tests (any bit depth/colour type of greyscale or RGB),
independently of the VM's own writer."""

import struct
import zlib


def read_png(path):
    """Returns (width, height, rows) where rows[y][x] is 1 for black, 0 for white."""
    data = open(path, 'rb').read()
    assert data[:8] == '\x89PNG\r\n\x1a\n', '%s is not a PNG' % path
    pos = 8
    idat = []
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == 'IHDR':
            width, height, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
        elif kind == 'IDAT':
            idat.append(body)
        pos += 12 + length
    assert interlace == 0
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    bpp = max(1, depth * channels // 8)
    stride = (width * depth * channels + 7) // 8
    raw = zlib.decompress(''.join(idat))
    rows = []
    prev = [0] * stride
    p = 0
    for y in range(height):
        ftype = ord(raw[p])
        line = [ord(c) for c in raw[p + 1:p + 1 + stride]]
        p += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        prev = line
        row = []
        for x in range(width):
            if depth == 1 and channels == 1:
                bit = (line[x // 8] >> (7 - x % 8)) & 1
                row.append(0 if bit else 1)
            else:
                first = line[x * bpp]
                row.append(1 if first < 128 else 0)
        rows.append(row)
    return width, height, rows


def diff_pixels(a, b):
    """Number of differing pixels between two decoded images of the same size."""
    (wa, ha, ra), (wb, hb, rb) = a, b
    assert (wa, ha) == (wb, hb), 'sizes differ: %dx%d vs %dx%d' % (wa, ha, wb, hb)
    return sum(1 for y in range(ha) for x in range(wa) if ra[y][x] != rb[y][x])
