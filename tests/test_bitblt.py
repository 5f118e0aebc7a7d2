"""BitBlt copyBits (96), drawLoopX:Y: (104) and scanCharacters (103).

Expected bitmaps come from hand computation or from a per-pixel reference
written here independently of the word-based Blue Book algorithm: for each
destination pixel inside the destination rectangle, the clipping rectangle, the
destination form and (if there is one) with its source pixel inside the source
form, result = bit (3 - 2*s - d) of the rule, where s is the source pixel ANDed
with the halftone bit. Sources are read from a snapshot, so overlapping copies
behave like memmove.
"""

import random
import pytest

from spyvm import bitblt
from spyvm.prims import inputoutput
from spyvm.bootstrap import Bootstrap
from spyvm.error import PrimitiveFailedError
from spyvm.model import (W_PointersObject, W_WordsObject, W_BytesObject,
                         W_SmallInteger)
from spyvm.primitives import prim_table


# -- fixtures and helpers --------------------------------------------------------------

class FakeInterp(object):
    def __init__(self, space):
        self.space = space
        self.w_display = None
        self.damage = []

    def display_damaged(self, x, y, w, h):
        self.damage.append((x, y, w, h))


class FakeFrame(object):
    """Just the stack operations the primitive wrapper uses."""
    def __init__(self, items):
        self.stack = list(items)

    def peek(self, n):
        return self.stack[-1 - n]

    def pop_n(self, n):
        del self.stack[len(self.stack) - n:]

    def push(self, w_value):
        self.stack.append(w_value)


class Env(object):
    def __init__(self):
        self.boot = Bootstrap()
        self.space = self.boot.space
        self.interp = FakeInterp(self.space)
        b = self.boot
        b.make_class('CharacterScanner', 0x6000 + 27)
        b.set_super('CharacterScanner', 'BitBlt')

    def cls(self, name):
        return self.boot.classes[name]

    def wrap(self, value):
        if value is None:
            return self.space.w_nil
        if isinstance(value, int):
            return self.space.wrap_int(value)
        return value

    def form(self, width, height, rows=None, fill=0, rng=None, byte_bits=False):
        """A Form; rows is a list of pixel lists (1 = black), or random bits
        (including the pad bits) when rng is given."""
        raster = (width + 15) // 16
        words = [fill] * (raster * height)
        if rng is not None:
            words = [rng.randrange(0x10000) for _ in range(raster * height)]
        if rows is not None:
            for y, row in enumerate(rows):
                for x, bit in enumerate(row):
                    i = y * raster + x // 16
                    m = 1 << (15 - x % 16)
                    words[i] = (words[i] | m) if bit else (words[i] & ~m)
        if byte_bits:
            w_bits = W_BytesObject(self.cls('String'), 2 * len(words))
            w_bits.bytes = []
            for w in words:
                w_bits.bytes += [chr(w >> 8), chr(w & 0xFF)]
        else:
            w_bits = W_WordsObject(self.cls('WordArray'), len(words))
            w_bits.words = words
        w_form = W_PointersObject(self.cls('Form'), 4, self.space.w_nil)
        w_form.store_field(0, w_bits)
        w_form.store_field(1, self.wrap(width))
        w_form.store_field(2, self.wrap(height))
        w_form.store_field(3, self.space.wrap_point(0, 0))
        return w_form

    def halftone(self, words):
        w_form = self.form(16, 16)
        w_form.fetch_field(0).words = list(words)
        return w_form

    def bitblt(self, dest, source=None, halftone=None, rule=3, dest_x=0, dest_y=0,
               width=0, height=0, source_x=0, source_y=0, clip=(0, 0, 1000, 1000),
               cls='BitBlt', size=14):
        w_bb = W_PointersObject(self.cls(cls), size, self.space.w_nil)
        values = [dest, source, halftone, rule, dest_x, dest_y, width, height,
                  source_x, source_y, clip[0], clip[1], clip[2], clip[3]]
        for i, value in enumerate(values):
            if i < size:
                w_bb.store_field(i, self.wrap(value))
        return w_bb

    def copy_bits(self, w_bb):
        return inputoutput.primitiveCopyBits(self.interp, None, w_bb)


@pytest.fixture
def env():
    return Env()


def words_of(w_form):
    w_bits = w_form.fetch_field(0)
    if isinstance(w_bits, W_BytesObject):
        b = w_bits.bytes
        return [(ord(b[2 * i]) << 8) | ord(b[2 * i + 1]) for i in range(len(b) // 2)]
    return list(w_bits.words)


def pixels(w_form):
    """All pixels of all rows, pad bits included: rows of raster*16 pixels."""
    width = w_form.fetch_field(1).value
    height = w_form.fetch_field(2).value
    raster = (width + 15) // 16
    words = words_of(w_form)
    rows = []
    for y in range(height):
        row = []
        for i in range(raster):
            w = words[y * raster + i]
            row += [(w >> (15 - b)) & 1 for b in range(16)]
        rows.append(row)
    return rows


def rule_result(rule, s, d):
    """The combination rule as a truth table: bit (3 - 2s - d) of the rule."""
    return (rule >> (3 - 2 * s - d)) & 1


def ref_copy_bits(dst, dw, dh, src, sw, sh, halftone, rule, dest_x, dest_y,
                  width, height, source_x, source_y, clip):
    """Per-pixel reference: dst/src are pixel rows (src None: all ones)."""
    out = [list(row) for row in dst]
    snap = None if src is None else [list(row) for row in src]
    cx, cy, cw, ch = clip
    for y in range(dest_y, dest_y + height):
        for x in range(dest_x, dest_x + width):
            if not (cx <= x < cx + cw and cy <= y < cy + ch):
                continue
            if not (0 <= x < dw and 0 <= y < dh):
                continue
            if snap is not None:
                sx = source_x + (x - dest_x)
                sy = source_y + (y - dest_y)
                if not (0 <= sx < sw and 0 <= sy < sh):
                    continue
                s = snap[sy][sx]
            else:
                s = 1
            if halftone is not None:
                s &= (halftone[y & 15] >> (15 - (x & 15))) & 1
            out[y][x] = rule_result(rule, s, dst[y][x])
    return out


def form_size(w_form):
    return w_form.fetch_field(1).value, w_form.fetch_field(2).value


def check_against_reference(env, dest, source, halftone_words, rule, dest_x, dest_y,
                            width, height, source_x, source_y, clip):
    dw, dh = form_size(dest)
    before = pixels(dest)
    if source is None:
        src, sw, sh = None, 0, 0
    else:
        src = pixels(source)
        sw, sh = form_size(source)
    expected = ref_copy_bits(before, dw, dh, src, sw, sh, halftone_words, rule,
                             dest_x, dest_y, width, height, source_x, source_y, clip)
    w_halftone = None if halftone_words is None else env.halftone(halftone_words)
    w_bb = env.bitblt(dest, source, w_halftone, rule, dest_x, dest_y, width, height,
                      source_x, source_y, clip)
    assert env.copy_bits(w_bb) is w_bb
    assert pixels(dest) == expected
    for w in words_of(dest):
        assert 0 <= w <= 0xFFFF


def row_bits(n, seed):
    rng = random.Random(seed)
    return [rng.randrange(2) for _ in range(n)]


# -- copyBits: the combination rules -------------------------------------------------

@pytest.mark.parametrize('rule', range(16))
@pytest.mark.parametrize('offset', [0, 13, 30])
def test_each_rule_truth_table(env, rule, offset):
    # Source pixels 1 1 0 0 over dest pixels 1 0 1 0 give the rule's four bits,
    # (s,d) = (1,1) (1,0) (0,1) (0,0) -> bits 0 1 2 3 of the rule.
    source = env.form(4, 1, rows=[[1, 1, 0, 0]])
    dest = env.form(40, 1, rows=[[0] * offset + [1, 0, 1, 0]])
    w_bb = env.bitblt(dest, source, None, rule, offset, 0, 4, 1, 0, 0)
    env.copy_bits(w_bb)
    row = pixels(dest)[0]
    assert row[offset:offset + 4] == [rule & 1, (rule >> 1) & 1, (rule >> 2) & 1, (rule >> 3) & 1]
    assert row[:offset] == [0] * offset
    assert row[offset + 4:] == [0] * (48 - offset - 4)


@pytest.mark.parametrize('rule', range(16))
def test_each_rule_whole_words(env, rule):
    # A word-aligned copy of two full words: compare with word arithmetic.
    src_words = [0xFF00, 0x0F0F]
    dst_words = [0xF0F0, 0x3C3C]
    source = env.form(32, 1)
    source.fetch_field(0).words = list(src_words)
    dest = env.form(32, 1)
    dest.fetch_field(0).words = list(dst_words)
    env.copy_bits(env.bitblt(dest, source, None, rule, 0, 0, 32, 1))
    expected = []
    for s, d in zip(src_words, dst_words):
        word = 0
        for bit in range(16):
            sb = (s >> bit) & 1
            db = (d >> bit) & 1
            word |= rule_result(rule, sb, db) << bit
        expected.append(word)
    assert words_of(dest) == expected


@pytest.mark.parametrize('rule', range(16))
def test_each_rule_against_reference(env, rule):
    rng = random.Random(rule)
    dest = env.form(45, 3, rng=rng)
    source = env.form(37, 4, rng=rng)
    check_against_reference(env, dest, source, None, rule, 5, 0, 30, 3, 3, 1,
                            (0, 0, 45, 3))


# -- clipping ------------------------------------------------------------------------------

def test_clip_rectangle_and_negative_dest(env):
    source = env.form(32, 4, fill=0xFFFF)
    dest = env.form(32, 4)
    # dest rectangle x -3..6, y -1..1; clip x 2..6 -> pixels x 2..6, y 0..1
    env.copy_bits(env.bitblt(dest, source, None, 3, -3, -1, 10, 3, 0, 0, (2, 0, 5, 10)))
    rows = pixels(dest)
    for y in range(4):
        for x in range(32):
            expected = 1 if (2 <= x <= 6 and 0 <= y <= 1) else 0
            assert rows[y][x] == expected, (x, y)


def test_clip_to_destination_bounds(env):
    # The clipping rectangle is larger than the form: nothing outside is written,
    # not even the pad bits of the last word of each row.
    source = env.form(40, 10, fill=0xFFFF)
    dest = env.form(20, 3)
    env.copy_bits(env.bitblt(dest, source, None, 3, -5, -5, 40, 10, 0, 0,
                             (-100, -100, 1000, 1000)))
    rows = pixels(dest)
    for y in range(3):
        assert rows[y] == [1] * 20 + [0] * 12
    assert len(words_of(dest)) == 6


def test_negative_source_coordinates(env):
    # src(0,0) is the only black source pixel; dest(x, y) <- src(x - 7, y - 6).
    # Source clipping moves the rectangle to x 7..8, y 6..8; the rest stays black.
    source = env.form(16, 16, rows=[[1]])
    dest = env.form(16, 16, fill=0xFFFF)
    env.copy_bits(env.bitblt(dest, source, None, 3, 5, 5, 4, 4, -2, -1))
    rows = pixels(dest)
    for y in range(16):
        for x in range(16):
            if 7 <= x <= 8 and 6 <= y <= 8:
                expected = 1 if (x, y) == (7, 6) else 0
            else:
                expected = 1
            assert rows[y][x] == expected, (x, y)


def test_source_clipped_at_right_and_bottom(env):
    source = env.form(10, 2, fill=0xFFFF)
    dest = env.form(32, 5)
    env.copy_bits(env.bitblt(dest, source, None, 3, 3, 1, 20, 20, 4, 0))
    rows = pixels(dest)
    for y in range(5):
        for x in range(32):
            assert rows[y][x] == (1 if (3 <= x < 9 and 1 <= y < 3) else 0), (x, y)


def test_empty_rectangles_do_nothing(env):
    rng = random.Random(7)
    source = env.form(20, 4, rng=rng)
    dest = env.form(20, 4, rng=rng)
    before = words_of(dest)
    for (w, h, clip) in [(0, 4, (0, 0, 99, 99)), (5, 0, (0, 0, 99, 99)),
                         (-3, 4, (0, 0, 99, 99)), (5, 4, (0, 0, 0, 99)),
                         (5, 4, (30, 0, 10, 10))]:
        env.interp.w_display = dest
        w_bb = env.bitblt(dest, source, None, 15, 1, 1, w, h, 0, 0, clip)
        assert env.copy_bits(w_bb) is w_bb
    assert words_of(dest) == before
    assert env.interp.damage == []


# -- skew, wide forms ----------------------------------------------------------------------

@pytest.mark.parametrize('sx,dx,w', [(3, 10, 20), (10, 3, 20), (0, 15, 17), (15, 0, 17),
                                     (1, 0, 15), (0, 1, 15), (7, 7, 40), (5, 37, 60),
                                     (31, 2, 64)])
def test_skewed_copy(env, sx, dx, w):
    src_row = row_bits(112, sx * 100 + dx)
    source = env.form(112, 1, rows=[src_row])
    dest = env.form(112, 1)
    env.copy_bits(env.bitblt(dest, source, None, 3, dx, 0, w, 1, sx, 0))
    row = pixels(dest)[0]
    expected = [0] * 112
    n = min(w, 112 - sx, 112 - dx)
    expected[dx:dx + n] = src_row[sx:sx + n]
    assert row == expected


def test_wide_forms(env):
    rng = random.Random(3)
    source = env.form(300, 5, rng=rng)
    dest = env.form(250, 6, rng=rng)
    check_against_reference(env, dest, source, None, 6, 3, 1, 240, 5, 47, 0,
                            (0, 0, 250, 6))
    check_against_reference(env, dest, source, None, 3, 0, 0, 250, 6, 0, 0,
                            (0, 0, 250, 6))


# -- overlapping copies within one form ----------------------------------------------

@pytest.mark.parametrize('sx,dx', [(0, 5), (5, 0), (0, 16), (16, 0), (3, 20), (20, 3),
                                   (4, 4)])
def test_overlap_same_row(env, sx, dx):
    orig = row_bits(48, sx * 7 + dx)
    form = env.form(48, 1, rows=[orig])
    env.copy_bits(env.bitblt(form, form, None, 3, dx, 0, 28, 1, sx, 0))
    expected = list(orig)
    expected[dx:dx + 28] = orig[sx:sx + 28]
    assert pixels(form)[0][:48] == expected


def test_overlap_vertical_down_and_up(env):
    rows = [row_bits(20, i) for i in range(4)]
    form = env.form(20, 4, rows=rows)
    env.copy_bits(env.bitblt(form, form, None, 3, 0, 1, 20, 3, 0, 0))   # down by one
    got = [r[:20] for r in pixels(form)]
    assert got == [rows[0], rows[0], rows[1], rows[2]]
    form = env.form(20, 4, rows=rows)
    env.copy_bits(env.bitblt(form, form, None, 3, 0, 0, 20, 3, 0, 1))   # up by one
    got = [r[:20] for r in pixels(form)]
    assert got == [rows[1], rows[2], rows[3], rows[3]]


def test_overlap_diagonal(env):
    rng = random.Random(11)
    for (sx, sy, dx, dy) in [(0, 0, 3, 2), (3, 2, 0, 0), (5, 0, 0, 3), (0, 3, 5, 0),
                             (17, 1, 2, 1), (2, 1, 17, 1)]:
        form = env.form(40, 8, rng=rng)
        check_against_reference(env, form, form, None, 6, dx, dy, 20, 5, sx, sy,
                                (0, 0, 40, 8))


def test_same_bits_in_two_forms(env):
    # Two Form objects sharing one bitmap: the Blue Book compares forms, not
    # bits, so no overlap handling; the copy proceeds top to bottom, left to right.
    row = row_bits(32, 5)
    dest = env.form(32, 1, rows=[row])
    source = env.form(32, 1)
    source.store_field(0, dest.fetch_field(0))
    env.copy_bits(env.bitblt(dest, source, None, 3, 16, 0, 16, 1, 0, 0))
    assert pixels(dest)[0] == row[:16] + row[:16]


# -- halftones and a missing source --------------------------------------------------

def test_halftone_fill_without_source(env):
    dest = env.form(20, 4)
    gray = [0xAAAA, 0x5555] * 8
    env.copy_bits(env.bitblt(dest, None, env.halftone(gray), 3, 0, 0, 20, 4))
    rows = pixels(dest)
    for y in range(4):
        for x in range(20):
            assert rows[y][x] == (1 if (x + y) % 2 == 0 else 0)
        assert rows[y][20:] == [0] * 12


def test_halftone_rows_follow_dest_y(env):
    # Halftone row = dest y mod 16, halftone bit = dest x mod 16, whatever the source.
    ht = [1 << (15 - (i % 16)) for i in range(16)]      # a diagonal
    source = env.form(40, 40, fill=0xFFFF)
    dest = env.form(40, 40)
    env.copy_bits(env.bitblt(dest, source, env.halftone(ht), 3, 3, 5, 30, 30, 1, 2))
    rows = pixels(dest)
    for y in range(40):
        for x in range(40):
            inside = 3 <= x < 33 and 5 <= y < 35
            assert rows[y][x] == (1 if inside and x % 16 == y % 16 else 0), (x, y)


def test_no_source_no_halftone_is_all_ones(env):
    rng = random.Random(5)
    dest = env.form(30, 3, rng=rng)
    before = pixels(dest)
    env.copy_bits(env.bitblt(dest, None, None, 6, 2, 1, 20, 1, -50, -50))
    after = pixels(dest)
    for x in range(32):
        expected = before[1][x] ^ 1 if 2 <= x < 22 else before[1][x]
        assert after[1][x] == expected
    assert after[0] == before[0] and after[2] == before[2]


@pytest.mark.parametrize('rule', [1, 3, 4, 6, 7, 12])
def test_halftone_with_source_reference(env, rule):
    rng = random.Random(rule + 100)
    ht = [rng.randrange(0x10000) for _ in range(16)]
    source = env.form(50, 20, rng=rng)
    dest = env.form(60, 25, rng=rng)
    check_against_reference(env, dest, source, ht, rule, 7, 3, 45, 19, 2, 1,
                            (5, 2, 50, 20))


# -- byte-object bits ----------------------------------------------------------------------

def test_string_bits_are_big_endian_words(env):
    source = env.form(24, 2, byte_bits=True, rows=[[1, 0, 1] * 8, [0, 1, 1] * 8])
    dest = env.form(24, 2, byte_bits=True)
    env.copy_bits(env.bitblt(dest, source, None, 3, 0, 0, 24, 2))
    assert pixels(dest) == pixels(source)
    assert dest.fetch_field(0).bytes[0] == chr(0xB6)    # 1011 0110
    rng = random.Random(9)
    for _ in range(20):
        d = env.form(40, 3, byte_bits=True, rng=rng)
        s = env.form(33, 4, rng=rng)
        check_against_reference(env, d, s, None, rng.randrange(16), rng.randrange(-5, 30),
                                rng.randrange(-2, 3), rng.randrange(40), rng.randrange(5),
                                rng.randrange(-3, 20), rng.randrange(-2, 3),
                                (0, 0, 40, 3))


# -- many random cases against the reference ----------------------------------------

def test_random_against_reference(env):
    rng = random.Random(12345)
    for case in range(600):
        dw = rng.randrange(1, 70)
        dh = rng.randrange(1, 10)
        dest = env.form(dw, dh, rng=rng)
        kind = rng.random()
        if kind < 0.15:
            source = None
        elif kind < 0.4:
            source = dest
        else:
            source = env.form(rng.randrange(1, 70), rng.randrange(1, 10), rng=rng)
        ht = None
        if rng.random() < 0.3:
            ht = [rng.randrange(0x10000) for _ in range(16)]
        rule = rng.randrange(16)
        clip = (rng.randrange(-10, 40), rng.randrange(-5, 8),
                rng.randrange(-5, 90), rng.randrange(-3, 14))
        if rng.random() < 0.5:
            clip = (0, 0, dw, dh)
        check_against_reference(env, dest, source, ht, rule,
                                rng.randrange(-20, 75), rng.randrange(-5, 12),
                                rng.randrange(-3, 80), rng.randrange(-2, 12),
                                rng.randrange(-20, 75), rng.randrange(-5, 12), clip)


# -- failures -----------------------------------------------------------------------------

def test_bad_fields_fail_without_drawing(env):
    rng = random.Random(1)
    source = env.form(16, 16, rng=rng)
    dest = env.form(16, 16, rng=rng)
    before = words_of(dest)
    ok = dict(dest=dest, source=source, halftone=None, rule=3, dest_x=0, dest_y=0,
              width=16, height=16, source_x=0, source_y=0)
    nil = env.space.w_nil
    short_bits = env.form(16, 16)
    short_bits.store_field(0, W_WordsObject(env.cls('WordArray'), 15))
    nil_width = env.form(16, 16)
    nil_width.store_field(1, nil)
    array_bits = env.form(16, 16)
    array_bits.store_field(0, W_PointersObject(env.cls('Array'), 16, nil))
    negative = env.form(16, 16)
    negative.store_field(2, env.wrap(-1))
    tiny_halftone = env.form(16, 1)
    bad = [dict(width=nil), dict(height=nil), dict(dest_x=nil), dict(source_y=nil),
           dict(dest_x=env.space.wrap_float(1.0)), dict(rule=16), dict(rule=-1),
           dict(rule=nil), dict(dest=nil), dict(dest=env.wrap(3)),
           dict(source=env.wrap(3)), dict(source=short_bits), dict(dest=short_bits),
           dict(source=nil_width), dict(dest=array_bits), dict(source=negative),
           dict(halftone=tiny_halftone), dict(halftone=env.wrap(0)),
           dict(dest=env.space.wrap_string('abc'))]
    for change in bad:
        fields = dict(ok)
        fields.update(change)
        w_bb = env.bitblt(**fields)
        with pytest.raises(PrimitiveFailedError):
            env.copy_bits(w_bb)
        assert words_of(dest) == before
    # clip fields, and too few fields
    w_bb = env.bitblt(**ok)
    w_bb.store_field(13, nil)
    with pytest.raises(PrimitiveFailedError):
        env.copy_bits(w_bb)
    with pytest.raises(PrimitiveFailedError):
        env.copy_bits(env.bitblt(size=13, **ok))
    with pytest.raises(PrimitiveFailedError):
        env.copy_bits(env.wrap(5))
    assert words_of(dest) == before


def test_larger_bits_are_fine(env):
    dest = env.form(16, 2)
    dest.store_field(0, W_WordsObject(env.cls('WordArray'), 5))
    env.copy_bits(env.bitblt(dest, None, None, 15, 0, 0, 16, 2))
    assert dest.fetch_field(0).words == [0xFFFF, 0xFFFF, 0, 0, 0]


# -- the display and the primitive table ----------------------------------------------

def test_display_damage_is_the_clipped_rectangle(env):
    dest = env.form(64, 32)
    other = env.form(64, 32)
    env.interp.w_display = dest
    env.copy_bits(env.bitblt(dest, None, None, 15, -4, 3, 20, 50, 0, 0, (0, 0, 30, 20)))
    assert env.interp.damage == [(0, 3, 16, 17)]
    env.copy_bits(env.bitblt(other, None, None, 15, 0, 0, 10, 10))
    assert env.interp.damage == [(0, 3, 16, 17)]


def test_through_primitive_table(env):
    dest = env.form(16, 1)
    w_bb = env.bitblt(dest, None, None, 15, 4, 0, 4, 1)
    frame = FakeFrame([env.wrap(99), w_bb])
    prim_table[96](env.interp, frame, 0)
    assert frame.stack == [env.wrap(99), w_bb]
    assert words_of(dest) == [0x0F00]
    # a failure leaves the stack alone
    w_bb.store_field(3, env.wrap(16))
    frame = FakeFrame([w_bb])
    with pytest.raises(PrimitiveFailedError):
        prim_table[96](env.interp, frame, 0)
    assert frame.stack == [w_bb]


# -- drawLoopX:Y: ------------------------------------------------------------------------------

def draw_loop(env, w_bb, x_delta, y_delta):
    return inputoutput.primitiveDrawLoop(env.interp, None, w_bb, x_delta, y_delta)


def black_pixels(w_form):
    width, height = form_size(w_form)
    rows = pixels(w_form)
    return sorted((x, y) for y in range(height) for x in range(width) if rows[y][x])


def pen_bitblt(env, dest, x, y, pen=1, rule=7, clip=(0, 0, 1000, 1000)):
    pen_form = env.form(pen, pen, fill=0xFFFF)
    return env.bitblt(dest, pen_form, None, rule, x, y, pen, pen, 0, 0, clip)


def test_draw_loop_horizontal(env):
    dest = env.form(20, 8)
    w_bb = pen_bitblt(env, dest, 2, 3)
    assert draw_loop(env, w_bb, 5, 0) is w_bb
    assert black_pixels(dest) == [(x, 3) for x in range(2, 8)]
    assert w_bb.fetch_field(4).value == 7
    assert w_bb.fetch_field(5).value == 3


def test_draw_loop_mostly_horizontal(env):
    # P = 2; steps: (1,0) P=0; (2,1) P=2; (3,1) P=0; (4,2) P=2
    dest = env.form(20, 8)
    w_bb = pen_bitblt(env, dest, 0, 0)
    draw_loop(env, w_bb, 4, 2)
    assert black_pixels(dest) == sorted([(0, 0), (1, 0), (2, 1), (3, 1), (4, 2)])
    assert (w_bb.fetch_field(4).value, w_bb.fetch_field(5).value) == (4, 2)


def test_draw_loop_mostly_vertical_negative(env):
    # dx=-1 dy=-1 px=3 py=1 P=1: (5,4) P=0; (4,3) P=2; (4,2) P=1
    dest = env.form(20, 8)
    w_bb = pen_bitblt(env, dest, 5, 5)
    draw_loop(env, w_bb, -1, -3)
    assert black_pixels(dest) == sorted([(5, 5), (5, 4), (4, 3), (4, 2)])
    assert (w_bb.fetch_field(4).value, w_bb.fetch_field(5).value) == (4, 2)


def test_draw_loop_zero_is_one_copy(env):
    dest = env.form(20, 8)
    w_bb = pen_bitblt(env, dest, 3, 4, rule=6)
    draw_loop(env, w_bb, 0, 0)
    assert black_pixels(dest) == [(3, 4)]


def reference_draw_loop(dst, dw, dh, pen, rule, x, y, x_delta, y_delta, clip):
    """The Smalltalk fallback of drawLoopX:Y:, with the per-pixel copyBits."""
    src = [[1] * pen for _ in range(pen)]

    def copy(dst, x, y):
        return ref_copy_bits(dst, dw, dh, src, pen, pen, None, rule, x, y, pen, pen,
                             0, 0, clip)
    sign = lambda n: (n > 0) - (n < 0)
    dx, dy, px, py = sign(x_delta), sign(y_delta), abs(y_delta), abs(x_delta)
    dst = copy(dst, x, y)
    if py > px:
        p = py // 2
        for i in range(py):
            x += dx
            p -= px
            if p < 0:
                y += dy
                p += py
            dst = copy(dst, x, y)
    else:
        p = px // 2
        for i in range(px):
            y += dy
            p -= py
            if p < 0:
                x += dx
                p += px
            dst = copy(dst, x, y)
    return dst, x, y


def test_draw_loop_random_against_reference(env):
    rng = random.Random(77)
    for case in range(60):
        dest = env.form(50, 30, rng=rng)
        dw, dh = 50, 30
        pen = rng.randrange(1, 4)
        rule = rng.choice([3, 6, 7, 4])
        x, y = rng.randrange(-5, 55), rng.randrange(-5, 35)
        xd, yd = rng.randrange(-40, 40), rng.randrange(-30, 30)
        clip = (rng.randrange(-3, 10), rng.randrange(-3, 10), 40, 25)
        expected, ex, ey = reference_draw_loop(pixels(dest), dw, dh, pen, rule, x, y,
                                               xd, yd, clip)
        w_bb = pen_bitblt(env, dest, x, y, pen, rule, clip)
        draw_loop(env, w_bb, xd, yd)
        assert pixels(dest) == expected
        assert (w_bb.fetch_field(4).value, w_bb.fetch_field(5).value) == (ex, ey)


def test_draw_loop_failures_leave_everything(env):
    dest = env.form(20, 8)
    w_bb = pen_bitblt(env, dest, 2, 3, rule=16)         # Form paint: Smalltalk's job
    with pytest.raises(PrimitiveFailedError):
        draw_loop(env, w_bb, 5, 5)
    w_bb = pen_bitblt(env, dest, 2, 3)
    w_bb.store_field(4, env.space.w_nil)
    with pytest.raises(PrimitiveFailedError):
        draw_loop(env, w_bb, 5, 5)
    w_bb = pen_bitblt(env, dest, 16000, 3)              # would leave SmallIntegers
    with pytest.raises(PrimitiveFailedError):
        draw_loop(env, w_bb, 1000, 0)
    assert w_bb.fetch_field(4).value == 16000
    assert black_pixels(dest) == []


def test_draw_loop_damage_is_a_union(env):
    dest = env.form(20, 8)
    env.interp.w_display = dest
    draw_loop(env, pen_bitblt(env, dest, 1, 1, pen=2), 6, 3)
    assert env.interp.damage == [(1, 1, 8, 5)]


# -- scanCharactersFrom:to:in:rightX:stopConditions:displaying: ----------------------

GLYPH_HEIGHT = 4


def char_width(c):
    return 1 + c % 4


class Font(object):
    """A tiny strike font: character c is char_width(c) pixels wide."""
    def __init__(self, env, rng):
        self.xtable = [0]
        for c in range(257):
            self.xtable.append(self.xtable[-1] + char_width(c))
        self.glyphs = env.form(self.xtable[256], GLYPH_HEIGHT, rng=rng)


def make_array(env, values):
    return env.space.wrap_list([env.wrap(v) for v in values])


def stop_array(env, entries, size=258):
    values = [None] * size
    for index, value in entries.items():
        values[index - 1] = env.boot.symbol(value)
    return make_array(env, values)


def make_scanner(env, font, dest, dest_x=10, dest_y=2, stops=None, rule=3,
                 clip=(0, 0, 1000, 1000)):
    w_sc = env.bitblt(dest, font.glyphs, None, rule, dest_x, dest_y, None,
                      GLYPH_HEIGHT, None, 0, clip, cls='CharacterScanner', size=27)
    if stops is None:
        stops = stop_array(env, {33: 'space', 257: 'endOfRun', 258: 'crossedX'})
    w_sc.store_field(bitblt.CS_XTABLE, make_array(env, font.xtable))
    w_sc.store_field(bitblt.CS_STOP_CONDITIONS, stops)
    return w_sc


def scan(env, w_sc, start, stop, text, right_x, w_stops=None, displaying=False):
    if isinstance(text, str):
        text = env.space.wrap_string(text)
    if w_stops is None:
        w_stops = w_sc.fetch_field(bitblt.CS_STOP_CONDITIONS)
    w_display = env.space.wrap_bool(displaying) if isinstance(displaying, bool) else displaying
    return inputoutput.primitiveScanCharacters(env.interp, None, w_sc, start, stop, text,
                                          right_x, w_stops, w_display)


def fields(w_sc):
    """lastIndex, destX, sourceX, width (None for nil)."""
    result = []
    for index in [bitblt.CS_LAST_INDEX, 4, 8, 6]:
        w_value = w_sc.fetch_field(index)
        result.append(w_value.value if isinstance(w_value, W_SmallInteger) else None)
    return tuple(result)


def widths(text):
    return sum(char_width(ord(c)) for c in text)


@pytest.fixture
def font(env):
    return Font(env, random.Random(42))


def test_scan_to_end_of_run(env, font):
    w_sc = make_scanner(env, font, env.form(100, 8))
    w_result = scan(env, w_sc, 1, 5, 'abcde', 1000)
    assert w_result is env.boot.symbol('endOfRun')
    e = ord('e')
    assert fields(w_sc) == (5, 10 + widths('abcde'), font.xtable[e], char_width(e))


def test_scan_part_of_string(env, font):
    w_sc = make_scanner(env, font, env.form(100, 8))
    w_result = scan(env, w_sc, 2, 4, 'abcdefg', 1000)
    assert w_result is env.boot.symbol('endOfRun')
    assert fields(w_sc)[:2] == (4, 10 + widths('bcd'))


def test_scan_stops_at_space(env, font):
    w_sc = make_scanner(env, font, env.form(100, 8))
    w_result = scan(env, w_sc, 1, 5, 'ab cd', 1000)
    assert w_result is env.boot.symbol('space')
    b = ord('b')
    assert fields(w_sc) == (3, 10 + widths('ab'), font.xtable[b], char_width(b))


def test_scan_first_character_stops(env, font):
    w_sc = make_scanner(env, font, env.form(100, 8))
    w_result = scan(env, w_sc, 1, 3, ' ab', 1000)
    assert w_result is env.boot.symbol('space')
    assert fields(w_sc) == (1, 10, None, None)          # sourceX, width untouched


def test_scan_crossed_x(env, font):
    w_sc = make_scanner(env, font, env.form(100, 8))
    right_x = 10 + widths('abc') - 1
    w_result = scan(env, w_sc, 1, 5, 'abcde', right_x)
    assert w_result is env.boot.symbol('crossedX')
    c = ord('c')
    # destX stays before 'c', but sourceX and width are already those of 'c'
    assert fields(w_sc) == (3, 10 + widths('ab'), font.xtable[c], char_width(c))


def test_scan_exactly_at_right_x_does_not_cross(env, font):
    w_sc = make_scanner(env, font, env.form(100, 8))
    w_result = scan(env, w_sc, 1, 3, 'abc', 10 + widths('abc'))
    assert w_result is env.boot.symbol('endOfRun')
    assert fields(w_sc)[:2] == (3, 10 + widths('abc'))


def test_scan_empty_range(env, font):
    w_sc = make_scanner(env, font, env.form(100, 8))
    w_result = scan(env, w_sc, 4, 3, 'abc', 1000)
    assert w_result is env.boot.symbol('endOfRun')
    assert fields(w_sc) == (3, 10, None, None)


def test_scan_ivar_decides_argument_answers(env, font):
    # The receiver's stopConditions decide where to stop; `stops` gives the answer.
    ivar = stop_array(env, {ord('c') + 1: 'foo', 257: 'endOfRun', 258: 'crossedX'})
    arg = stop_array(env, {ord('c') + 1: 'bar', 33: 'space', 257: 'end', 258: 'crossed'})
    w_sc = make_scanner(env, font, env.form(100, 8), stops=ivar)
    assert scan(env, w_sc, 1, 5, 'a bcd', 1000, arg) is env.boot.symbol('bar')
    assert fields(w_sc)[0] == 4
    w_sc = make_scanner(env, font, env.form(100, 8), stops=ivar)
    assert scan(env, w_sc, 1, 3, 'a b', 1000, arg) is env.boot.symbol('end')
    w_sc = make_scanner(env, font, env.form(100, 8), stops=ivar)
    assert scan(env, w_sc, 1, 3, 'a b', 10, arg) is env.boot.symbol('crossed')


def test_scan_symbol_source_and_high_characters(env, font):
    w_sc = make_scanner(env, font, env.form(100, 8))
    text = '\xff\x80\x01'
    w_result = scan(env, w_sc, 1, 3, env.boot.symbol_object(text), 1000)
    assert w_result is env.boot.symbol('endOfRun')
    assert fields(w_sc)[:2] == (3, 10 + widths(text))


@pytest.mark.parametrize('rule', [3, 7, 6])
def test_scan_displaying_draws_glyphs(env, font, rule):
    rng = random.Random(rule)
    dest = env.form(120, 10, rng=rng)
    clip = (12, 0, 60, 5)
    text = 'Hello,wd!'          # no space: that would stop the scan
    expected = pixels(dest)
    glyph_pixels = pixels(font.glyphs)
    x = 10
    for ch in text:
        c = ord(ch)
        expected = ref_copy_bits(expected, 120, 10, glyph_pixels, font.xtable[256],
                                 GLYPH_HEIGHT, None, rule, x, 3, char_width(c),
                                 GLYPH_HEIGHT, font.xtable[c], 0, clip)
        x += char_width(c)
    w_sc = make_scanner(env, font, dest, dest_y=3, rule=rule, clip=clip)
    env.interp.w_display = dest
    w_result = scan(env, w_sc, 1, len(text), text, 1000, displaying=True)
    assert w_result is env.boot.symbol('endOfRun')
    assert pixels(dest) == expected
    assert fields(w_sc)[:2] == (len(text), 10 + widths(text))
    # the glyphs span x 10..27 and y 3..6; the clip leaves x 12..27, y 3..4
    assert env.interp.damage == [(12, 3, 10 + widths(text) - 12, 2)]


def test_scan_displaying_stops_before_drawing_crossing_char(env, font):
    dest = env.form(100, 8)
    w_sc = make_scanner(env, font, dest, dest_x=0, dest_y=0, rule=15)
    right_x = widths('ab') + 1
    w_result = scan(env, w_sc, 1, 3, 'abc', right_x, displaying=True)
    assert w_result is env.boot.symbol('crossedX')
    row = pixels(dest)[0]
    assert row[:widths('ab')] == [1] * widths('ab')
    assert row[widths('ab'):] == [0] * (112 - widths('ab'))


def test_scan_not_displaying_draws_nothing(env, font):
    dest = env.form(100, 8)
    w_sc = make_scanner(env, font, dest, rule=15)
    w_sc.store_field(0, env.space.w_nil)        # no destination needed
    scan(env, w_sc, 1, 3, 'abc', 1000)
    assert black_pixels(dest) == []


def test_scan_failures_have_no_side_effects(env, font):
    nil = env.space.w_nil
    dest = env.form(100, 8)

    def fresh():
        return make_scanner(env, font, dest, rule=15)

    def check_fails(w_sc, *args, **kwargs):
        before = fields(w_sc)
        with pytest.raises(PrimitiveFailedError):
            scan(env, w_sc, *args, **kwargs)
        assert fields(w_sc) == before
        assert black_pixels(dest) == []

    check_fails(fresh(), 1, 3, make_array(env, [97, 98, 99]), 1000)       # not a String
    w_bytes = W_BytesObject(env.cls('ByteArray'), 3)
    check_fails(fresh(), 1, 3, w_bytes, 1000)
    check_fails(fresh(), 1, 4, 'abc', 1000)                 # index past the end
    check_fails(fresh(), 0, 2, 'abc', 1000)
    check_fails(fresh(), 1, 3, 'abc', 1000, displaying=nil)
    w_sc = fresh()
    w_sc.fetch_field(bitblt.CS_XTABLE).store_field(ord('b') + 1, nil)
    check_fails(w_sc, 1, 3, 'abc', 1000)
    w_sc = fresh()
    w_sc.store_field(bitblt.CS_XTABLE, nil)
    check_fails(w_sc, 1, 3, 'abc', 1000)
    w_sc = fresh()
    w_sc.store_field(4, nil)                                # destX
    check_fails(w_sc, 1, 3, 'abc', 1000)
    w_sc = fresh()
    w_sc.store_field(bitblt.CS_STOP_CONDITIONS, make_array(env, [None] * 50))
    check_fails(w_sc, 1, 3, 'abc', 1000)                    # 'a' is past its end
    short_stops = make_array(env, [None] * 200)
    check_fails(fresh(), 1, 3, 'abc', 1000, short_stops)    # no EndOfRun entry
    w_sc = fresh()
    w_sc.store_field(3, env.wrap(16))                       # paint: Smalltalk's copyBits
    check_fails(w_sc, 1, 3, 'abc', 1000, displaying=True)
    w_sc = fresh()
    w_sc.store_field(4, env.wrap(16380))                    # destX overflows
    check_fails(w_sc, 1, 3, 'abc', 16383)
    w_sc = env.bitblt(dest, font.glyphs, None, 3, 0, 0, 0, 4, 0, 0)   # a plain BitBlt
    with pytest.raises(PrimitiveFailedError):
        scan(env, w_sc, 1, 3, 'abc', 1000, make_array(env, [None] * 258))


def test_scan_with_bad_copy_state_is_fine_when_nothing_is_drawn(env, font):
    w_sc = make_scanner(env, font, env.form(100, 8), rule=16)
    assert scan(env, w_sc, 1, 2, ' a', 1000, displaying=True) is env.boot.symbol('space')


def test_scan_through_primitive_table(env, font):
    w_sc = make_scanner(env, font, env.form(100, 8))
    w_stops = w_sc.fetch_field(bitblt.CS_STOP_CONDITIONS)
    frame = FakeFrame([w_sc, env.wrap(1), env.wrap(2), env.space.wrap_string('ab'),
                       env.wrap(1000), w_stops, env.space.w_false])
    prim_table[103](env.interp, frame, 6)
    assert frame.stack == [env.boot.symbol('endOfRun')]
    assert fields(w_sc)[:2] == (2, 10 + widths('ab'))
    w_bb = pen_bitblt(env, env.form(20, 8), 0, 0)
    frame = FakeFrame([w_bb, env.wrap(3), env.wrap(0)])
    prim_table[104](env.interp, frame, 2)
    assert frame.stack == [w_bb]
    assert w_bb.fetch_field(4).value == 3
