"""spyvm/png.py: screenshots of 1-bit forms, compressed, read back by an
independent decoder (tests/pngutil.py, Python's zlib)."""

import random
import struct
import zlib

from spyvm.png import form_to_png
from tests.pngutil import read_png


def chunks(data):
    """(kind, body) of each chunk, checking every chunk's CRC-32."""
    assert data[:8] == '\x89PNG\r\n\x1a\n'
    pos = 8
    found = []
    while pos < len(data):
        length, = struct.unpack('>I', data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        found.append((kind, body))
        pos += 12 + length
    return found


def test_pixels_round_trip(tmpdir):
    rnd = random.Random(5)
    width, height = 37, 11                  # rows of 3 words, the last one partial
    words = [rnd.randrange(0x10000) for i in range(3 * height)]
    path = str(tmpdir.join('f.png'))
    open(path, 'wb').write(form_to_png(words, width, height))
    w, h, rows = read_png(path)
    assert (w, h) == (width, height)
    for y in range(height):
        for x in range(width):
            black = (words[y * 3 + x // 16] >> (15 - x % 16)) & 1
            assert rows[y][x] == black, (x, y)


def test_chunks_are_well_formed_and_the_data_compressed():
    width, height = 640, 480
    words = [0] * (40 * height)
    words[40 * 100 + 3] = 0x8001            # a mostly white screen
    data = form_to_png(words, width, height)
    kinds = [kind for kind, body in chunks(data)]
    assert kinds == ['IHDR', 'IDAT', 'IEND']
    raw = zlib.decompress(dict(chunks(data))['IDAT'])
    assert len(raw) == height * (1 + width // 8)
    assert len(data) < len(raw) // 20       # stored blocks would be larger than raw


def test_a_short_bitmap_reads_as_white_past_its_end(tmpdir):
    path = str(tmpdir.join('s.png'))
    open(path, 'wb').write(form_to_png([0xFFFF], 16, 2))
    w, h, rows = read_png(path)
    assert rows[0] == [1] * 16 and rows[1] == [0] * 16
