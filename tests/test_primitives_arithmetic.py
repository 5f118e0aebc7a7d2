"""Arithmetic primitives 1-18, 21-37 and 40-54 against the Blue Book rules."""

import random
import struct

import pytest

from spyvm import constants
from spyvm.bootstrap import Bootstrap
from spyvm.context import W_Context
from spyvm.error import PrimitiveFailedError
from spyvm.model import (W_SmallInteger, W_BytesObject, W_LargeInteger, W_Float,
                         W_PointersObject)
from spyvm.primitives import prim_table
from spyvm.prims import arithmetic
from spyvm.prims.arithmetic import wrap_rbigint, unwrap_rbigint


from tests import primsupport


class FakeInterp(object):
    def __init__(self, space, large_integer_primitives=True):
        from spyvm.options import Options
        self.space = space
        self.options = Options()
        self.options.large_integer_primitives = large_integer_primitives


@pytest.fixture(scope='module')
def space():
    return Bootstrap().space


REPRESENTATION = ['bytes']


@pytest.fixture(params=['bytes', 'word'])
def large(request):
    """Operands built as byte objects (any size) or as W_LargeIntegers (up to 7
    digits, machine integers): both must give the same answers."""
    REPRESENTATION[0] = request.param
    yield
    REPRESENTATION[0] = 'bytes'


def run(space, index, rcvr, *args):
    """Run a primitive that must succeed: answer the result."""
    return primsupport.run(FakeInterp(space), index, rcvr, *args)


def fails(space, index, rcvr, *args):
    """True when the primitive fails and leaves the stack exactly as it was."""
    return primsupport.fails(FakeInterp(space), index, rcvr, *args)


def overflows(space, index, rcvr, arg):
    """The integer a SmallInteger primitive answers past 15 bits: it fails
    without LargeInteger primitives (the Blue Book), and answers the
    normalized LargeInteger with them."""
    assert primsupport.fails(FakeInterp(space, False), index, rcvr, arg)
    return int_value(space, run(space, index, rcvr, arg))


# -- helpers for building and reading integers (independent of the VM code) --

def large_int(space, value):
    """A normalized LargePositive/NegativeInteger built digit by digit."""
    magnitude = abs(value)
    digits = []
    while magnitude:
        digits.append(chr(magnitude & 0xFF))
        magnitude >>= 8
    if value < 0:
        w_class = space.w_LargeNegativeInteger
    else:
        w_class = space.w_LargePositiveInteger
    if REPRESENTATION[0] == 'word' and len(digits) <= W_LargeInteger.MAX_BYTES:
        return W_LargeInteger(w_class, abs(value), len(digits))
    w = W_BytesObject(w_class, len(digits))
    w.bytes = digits
    return w


def digits(space, w):
    """The digits the image sees (digitAt:), as characters."""
    return [chr(w.fetch(space, k).value) for k in range(w.size())]


def st_int(space, value):
    if constants.MININT <= value <= constants.MAXINT:
        return space.wrap_int(value)
    return large_int(space, value)


def int_value(space, w):
    """The integer an object denotes; asserts it is in normal form."""
    if isinstance(w, W_SmallInteger):
        return w.value
    assert isinstance(w, W_BytesObject) or isinstance(w, W_LargeInteger)
    ds = digits(space, w)
    assert len(ds) > 0 and ds[-1] != '\x00', 'leading zero digit'
    value = 0
    for c in reversed(ds):
        value = value * 256 + ord(c)
    if w.getclass(space) is space.w_LargeNegativeInteger:
        value = -value
    else:
        assert w.getclass(space) is space.w_LargePositiveInteger
    assert not (constants.MININT <= value <= constants.MAXINT), 'should be a SmallInteger'
    return value


def single(x):
    return struct.unpack('>f', struct.pack('>f', x))[0]


def i(space, value):
    return space.wrap_int(value)


def quo(a, b):
    q = abs(a) // abs(b)
    return -q if (a < 0) != (b < 0) else q


# -- 1-18 SmallInteger -----------------------------------------------------------

def test_add_and_overflow(space):
    assert run(space, 1, i(space, 3), i(space, 4)).value == 7
    assert run(space, 1, i(space, 16382), i(space, 1)).value == 16383
    assert run(space, 1, i(space, -16383), i(space, -1)).value == -16384
    # + and - fail past 15 bits, LargeInteger primitives or not (the image
    # finds maxVal and minVal that way)
    assert fails(space, 1, i(space, 16383), i(space, 1))
    assert fails(space, 1, i(space, -16384), i(space, -1))
    assert fails(space, 1, i(space, 16383), i(space, 16383))
    assert primsupport.fails(FakeInterp(space, False), 1, i(space, 16383), i(space, 1))


def test_subtract_and_overflow(space):
    assert run(space, 2, i(space, 3), i(space, 10)).value == -7
    assert run(space, 2, i(space, -16383), i(space, 1)).value == -16384
    assert fails(space, 2, i(space, -16384), i(space, 1))
    assert fails(space, 2, i(space, 0), i(space, -16384))     # 16384
    assert fails(space, 2, i(space, 16383), i(space, -1))


def test_comparisons(space):
    t, f = space.w_true, space.w_false
    for a, b in [(3, 3), (3, 2), (2, 3), (-16384, 16383), (16383, -16384)]:
        assert run(space, 3, i(space, a), i(space, b)) is (t if a < b else f)
        assert run(space, 4, i(space, a), i(space, b)) is (t if a > b else f)
        assert run(space, 5, i(space, a), i(space, b)) is (t if a <= b else f)
        assert run(space, 6, i(space, a), i(space, b)) is (t if a >= b else f)
        assert run(space, 7, i(space, a), i(space, b)) is (t if a == b else f)
        assert run(space, 8, i(space, a), i(space, b)) is (t if a != b else f)


def test_multiply(space):
    assert run(space, 9, i(space, 127), i(space, 129)).value == 16383
    assert run(space, 9, i(space, -128), i(space, 128)).value == -16384
    assert run(space, 9, i(space, -1), i(space, -16383)).value == 16383
    assert overflows(space, 9, i(space, 16383), i(space, 2)) == 32766
    assert overflows(space, 9, i(space, -16384), i(space, -1)) == 16384
    assert overflows(space, 9, i(space, 200), i(space, 200)) == 40000
    assert overflows(space, 9, i(space, -16384), i(space, -16384)) == 2 ** 28
    assert overflows(space, 9, i(space, -16384), i(space, 16383)) == -16384 * 16383


def test_divide_exact_only(space):
    assert run(space, 10, i(space, 12), i(space, 4)).value == 3
    assert run(space, 10, i(space, -12), i(space, 4)).value == -3
    assert run(space, 10, i(space, 12), i(space, -4)).value == -3
    assert run(space, 10, i(space, -16384), i(space, 1)).value == -16384
    assert fails(space, 10, i(space, 7), i(space, 2))           # inexact
    assert fails(space, 10, i(space, -7), i(space, 2))
    assert fails(space, 10, i(space, 7), i(space, 0))           # zero divisor
    assert fails(space, 10, i(space, 0), i(space, 0))
    assert overflows(space, 10, i(space, -16384), i(space, -1)) == 16384


def test_mod_rounds_toward_negative_infinity(space):
    # The Blue Book / Integer>>\\ examples: 9\\4=1, -9\\4=3, 9\\-4=-3, -9\\-4=-1
    assert run(space, 11, i(space, 9), i(space, 4)).value == 1
    assert run(space, 11, i(space, -9), i(space, 4)).value == 3
    assert run(space, 11, i(space, 9), i(space, -4)).value == -3
    assert run(space, 11, i(space, -9), i(space, -4)).value == -1
    assert run(space, 11, i(space, -16384), i(space, -1)).value == 0
    assert fails(space, 11, i(space, 9), i(space, 0))


def test_div_floors(space):
    assert run(space, 12, i(space, 7), i(space, 2)).value == 3
    assert run(space, 12, i(space, -7), i(space, 2)).value == -4
    assert run(space, 12, i(space, 7), i(space, -2)).value == -4
    assert run(space, 12, i(space, -7), i(space, -2)).value == 3
    assert run(space, 12, i(space, -1), i(space, 16383)).value == -1
    assert fails(space, 12, i(space, 7), i(space, 0))
    assert overflows(space, 12, i(space, -16384), i(space, -1)) == 16384


def test_quo_truncates(space):
    assert run(space, 13, i(space, 7), i(space, 2)).value == 3
    assert run(space, 13, i(space, -7), i(space, 2)).value == -3
    assert run(space, 13, i(space, 7), i(space, -2)).value == -3
    assert run(space, 13, i(space, -7), i(space, -2)).value == 3
    assert run(space, 13, i(space, -1), i(space, 16383)).value == 0
    assert fails(space, 13, i(space, 7), i(space, 0))
    assert overflows(space, 13, i(space, -16384), i(space, -1)) == 16384


def test_bit_operations_twos_complement(space):
    assert run(space, 14, i(space, 12), i(space, 10)).value == 8
    assert run(space, 14, i(space, -1), i(space, 0x1234)).value == 0x1234
    assert run(space, 14, i(space, -16384), i(space, -1)).value == -16384
    assert run(space, 14, i(space, -2), i(space, 7)).value == 6
    assert run(space, 15, i(space, 12), i(space, 10)).value == 14
    assert run(space, 15, i(space, -16384), i(space, 16383)).value == -1
    assert run(space, 15, i(space, -8), i(space, 3)).value == -5
    assert run(space, 16, i(space, 12), i(space, 10)).value == 6
    assert run(space, 16, i(space, -1), i(space, 16383)).value == -16384
    assert run(space, 16, i(space, -1), i(space, -1)).value == 0


def test_bit_shift(space):
    assert run(space, 17, i(space, 1), i(space, 13)).value == 8192
    assert run(space, 17, i(space, -1), i(space, 14)).value == -16384
    assert run(space, 17, i(space, 3), i(space, 0)).value == 3
    assert run(space, 17, i(space, 0), i(space, 16000)).value == 0
    assert run(space, 17, i(space, 0), i(space, 16383)).value == 0
    assert overflows(space, 17, i(space, 1), i(space, 14)) == 16384
    assert overflows(space, 17, i(space, 16383), i(space, 1)) == 32766
    assert overflows(space, 17, i(space, 1), i(space, 15)) == 2 ** 15
    assert overflows(space, 17, i(space, 1), i(space, 32)) == 2 ** 32   # no bits wrap round
    assert overflows(space, 17, i(space, -1), i(space, 15)) == -(2 ** 15)
    assert overflows(space, 17, i(space, -16384), i(space, 48)) == -(2 ** 62)
    assert overflows(space, 17, i(space, 16383), i(space, 48)) == 16383 * 2 ** 48
    # farther than a machine word: the image's code does it
    assert fails(space, 17, i(space, 1), i(space, 49))
    assert fails(space, 17, i(space, 1), i(space, 16383))
    # right shifts extend the sign (floor) and never fail
    assert run(space, 17, i(space, -7), i(space, -1)).value == -4
    assert run(space, 17, i(space, 7), i(space, -1)).value == 3
    assert run(space, 17, i(space, -16384), i(space, -14)).value == -1
    assert run(space, 17, i(space, -16384), i(space, -16384)).value == -1
    assert run(space, 17, i(space, 16383), i(space, -16384)).value == 0
    assert run(space, 17, i(space, 16383), i(space, -13)).value == 1


def test_small_integer_primitives_against_reference(space):
    rnd = random.Random(1234)
    interesting = [0, 1, -1, 2, -2, 7, -7, 127, 128, -128, 255, 256, 16383, -16384,
                   16382, -16383, 8192, -8192, 181, -181]
    values = interesting + [rnd.randint(-16384, 16383) for _ in range(60)]
    shifts = range(-17, 18) + [-16384, 16383, 30, -30, 48, 49]

    def small(x):
        return x if constants.MININT <= x <= constants.MAXINT else None

    ops = {
        1: lambda a, b: small(a + b),
        2: lambda a, b: small(a - b),
        9: lambda a, b: a * b,
        10: lambda a, b: a // b if b != 0 and a % b == 0 else None,
        11: lambda a, b: a % b if b != 0 else None,
        12: lambda a, b: a // b if b != 0 else None,
        13: lambda a, b: quo(a, b) if b != 0 else None,
        14: lambda a, b: a & b,
        15: lambda a, b: a | b,
        16: lambda a, b: a ^ b,
    }

    def check(index, a, b, exact):
        if exact is None:
            assert fails(space, index, i(space, a), i(space, b)), (index, a, b)
        elif constants.MININT <= exact <= constants.MAXINT:
            assert run(space, index, i(space, a), i(space, b)).value == exact, (index, a, b)
        else:
            assert overflows(space, index, i(space, a), i(space, b)) == exact, (index, a, b)

    for a in values:
        for b in values:
            for index, op in ops.items():
                check(index, a, b, op(a, b))
        for n in shifts:
            if n > 48 and a != 0:
                check(17, a, n, None)
            else:
                check(17, a, n, a << n if n >= 0 else a >> -n)


def test_the_bytecodes_inline_results_are_the_primitives(space):
    """Bytecodes 176-191 answer + - < > <= >= = ~= bitAnd: bitOr: of two
    SmallIntegers without the primitive table; they must agree with it."""
    from spyvm.bytecodes import ARITHMETIC_PRIMITIVES
    from spyvm.primitives import smallIntegerResult, arithmeticSelectorPrimitive
    rnd = random.Random(99)
    values = [0, 1, -1, 16383, -16384, 8192, -8192, 255] + \
        [rnd.randint(-16384, 16383) for _ in range(25)]
    inlined = 0
    for bc in range(176, 192):
        index = ARITHMETIC_PRIMITIVES[bc - 176]
        for a in values:
            for b in values:
                w_inline = smallIntegerResult(space, bc, a, b)
                if w_inline is None:
                    continue
                inlined += 1
                assert not fails(space, index, i(space, a), i(space, b)), (bc, a, b)
                w_prim = run(space, index, i(space, a), i(space, b))
                assert w_inline is w_prim or (
                    isinstance(w_prim, W_SmallInteger) and w_inline.value == w_prim.value)
        # Where the table answers a SmallInteger or a Boolean for a selector
        # the bytecodes inline, so do they (16383 + 1 is left to the table).
        if bc <= 183 or bc >= 190:
            for a in values:
                for b in values:
                    if not fails(space, index, i(space, a), i(space, b)):
                        w_prim = run(space, index, i(space, a), i(space, b))
                        if isinstance(w_prim, W_SmallInteger) or w_prim in (
                                space.w_true, space.w_false):
                            assert smallIntegerResult(space, bc, a, b) is not None
    def fits(x):
        return constants.MININT <= x <= constants.MAXINT
    # Every pair for the comparisons and bit operations; + and - where they fit.
    assert inlined == 8 * len(values) ** 2 + sum(fits(a + b) + fits(a - b)
                                                 for a in values for b in values)
    # Through the frame: the receiver and argument replaced by the result.
    frame = primsupport.make_frame(space, i(space, 3), [i(space, 4)])
    assert arithmeticSelectorPrimitive(FakeInterp(space), frame, 176)
    assert frame.sp == 1 and frame.top().value == 7


def test_small_integer_primitives_reject_other_classes(space):
    w_float = space.wrap_float(1.0)
    w_large = large_int(space, 100000)
    for index in range(1, 19):
        assert fails(space, index, i(space, 3), w_float), index
        assert fails(space, index, i(space, 3), w_large), index
        assert fails(space, index, i(space, 3), space.w_nil), index
        assert fails(space, index, w_float, i(space, 3)), index
        assert fails(space, index, w_large, i(space, 3)), index


def test_small_integer_primitives_check_argument_count(space):
    frame = primsupport.make_frame(space, i(space, 3), [])
    with pytest.raises(PrimitiveFailedError):
        prim_table[1](FakeInterp(space), frame, 0)
    assert frame.sp == 1


def test_make_point(space):
    w_point = run(space, 18, i(space, 3), i(space, -4))
    assert isinstance(w_point, W_PointersObject)
    assert w_point.getclass(space) is space.w_Point
    assert w_point.size() == 2
    assert w_point.fetch(space, constants.POINT_X).value == 3
    assert w_point.fetch(space, constants.POINT_Y).value == -4
    # The Blue Book's primitiveMakePoint requires two SmallIntegers.
    assert fails(space, 18, space.wrap_float(1.5), i(space, 2))
    assert fails(space, 18, i(space, 2), space.wrap_float(1.5))
    assert fails(space, 18, i(space, 2), space.w_nil)


# -- wrap_rbigint / unwrap_rbigint ---------------------------------------------------

def test_rbigint_round_trip(space):
    from rpython.rlib.rbigint import rbigint
    for value in [0, 1, -1, 16383, -16384, 16384, -16385, 65535, 65536, -65536,
                  2 ** 40 * 3, -(2 ** 64) + 5, 10 ** 30]:
        w = wrap_rbigint(space, rbigint.fromlong(value))
        assert int_value(space, w) == value
        assert unwrap_rbigint(space, w).tolong() == value
    assert isinstance(wrap_rbigint(space, rbigint.fromlong(16383)), W_SmallInteger)
    assert isinstance(wrap_rbigint(space, rbigint.fromlong(-16384)), W_SmallInteger)
    w = wrap_rbigint(space, rbigint.fromlong(16384))
    assert w.getclass(space) is space.w_LargePositiveInteger and digits(space, w) == ['\x00', '\x40']
    w = wrap_rbigint(space, rbigint.fromlong(-16385))
    assert w.getclass(space) is space.w_LargeNegativeInteger and digits(space, w) == ['\x01', '\x40']


def test_unwrap_rbigint_accepts_leading_zeros_and_rejects_others(space):
    w = W_BytesObject(space.w_LargePositiveInteger, 4)
    w.bytes = ['\x60', '\xea', '\x00', '\x00']
    assert unwrap_rbigint(space, w).tolong() == 60000
    with pytest.raises(PrimitiveFailedError):
        unwrap_rbigint(space, space.wrap_string('ab'))
    with pytest.raises(PrimitiveFailedError):
        unwrap_rbigint(space, space.wrap_float(2.0))
    with pytest.raises(PrimitiveFailedError):
        unwrap_rbigint(space, space.w_nil)


# -- 21-37 LargePositiveInteger ------------------------------------------------------

def test_large_add(space, large):
    w = run(space, 21, large_int(space, 80000), large_int(space, 80000))
    assert w.getclass(space) is space.w_LargePositiveInteger
    assert int_value(space, w) == 160000
    assert digits(space, w) == ['\x00', '\x71', '\x02']
    assert int_value(space, run(space, 21, large_int(space, 16384), i(space, -1))) == 16383
    assert isinstance(run(space, 21, large_int(space, 16384), i(space, -1)), W_SmallInteger)
    w = run(space, 21, large_int(space, 70000), large_int(space, -90000))
    assert w.getclass(space) is space.w_LargeNegativeInteger
    assert int_value(space, w) == -20000


def test_large_subtract_gives_small_integer_back(space, large):
    w = run(space, 22, large_int(space, 80000), large_int(space, 79990))
    assert isinstance(w, W_SmallInteger) and w.value == 10
    w = run(space, 22, large_int(space, 16384), i(space, 16384 + 16384))
    assert isinstance(w, W_SmallInteger) and w.value == -16384
    w = run(space, 22, large_int(space, 16384), i(space, -16384))
    assert int_value(space, w) == 32768
    w = run(space, 22, large_int(space, 80000), large_int(space, 200000))
    assert w.getclass(space) is space.w_LargeNegativeInteger
    assert int_value(space, w) == -120000


def test_large_multiply(space, large):
    w = run(space, 29, large_int(space, 2 ** 40), i(space, 3))
    assert int_value(space, w) == 3 * 2 ** 40
    assert w.size() == 6
    w = run(space, 29, large_int(space, 2 ** 40), i(space, -3))
    assert int_value(space, w) == -3 * 2 ** 40
    assert run(space, 29, large_int(space, 2 ** 40), i(space, 0)).value == 0
    assert int_value(space, run(space, 29, large_int(space, 10 ** 12),
                                large_int(space, 10 ** 15))) == 10 ** 27


def test_large_comparisons(space, large):
    t, f = space.w_true, space.w_false
    a = large_int(space, 100000)
    for w_b, b in [(large_int(space, 100000), 100000), (large_int(space, 100001), 100001),
                   (large_int(space, 99999), 99999), (i(space, 5), 5), (i(space, -5), -5),
                   (large_int(space, -200000), -200000), (large_int(space, 2 ** 70), 2 ** 70)]:
        assert run(space, 23, a, w_b) is (t if 100000 < b else f)
        assert run(space, 24, a, w_b) is (t if 100000 > b else f)
        assert run(space, 25, a, w_b) is (t if 100000 <= b else f)
        assert run(space, 26, a, w_b) is (t if 100000 >= b else f)
        assert run(space, 27, a, w_b) is (t if 100000 == b else f)
        assert run(space, 28, a, w_b) is (t if 100000 != b else f)


def test_large_division_family(space, large):
    a = large_int(space, 3 * 2 ** 40)
    assert int_value(space, run(space, 30, a, i(space, 3))) == 2 ** 40
    assert int_value(space, run(space, 30, a, i(space, -3))) == -(2 ** 40)
    assert run(space, 30, large_int(space, 100000), large_int(space, 50000)).value == 2
    assert fails(space, 30, a, i(space, 7))                   # inexact: Fraction
    assert fails(space, 30, a, i(space, 0))
    n = 10 ** 20 + 7
    for d in [3, -3, 1000, -1000, 10 ** 9 + 7, -(10 ** 9 + 7), 10 ** 21, -(10 ** 21)]:
        w_d = st_int(space, d)
        assert int_value(space, run(space, 31, large_int(space, n), w_d)) == n % d, d
        assert int_value(space, run(space, 32, large_int(space, n), w_d)) == n // d, d
        assert int_value(space, run(space, 33, large_int(space, n), w_d)) == quo(n, d), d
    for index in (30, 31, 32, 33):
        assert fails(space, index, large_int(space, n), i(space, 0))


def test_large_bit_operations(space, large):
    a = 0x123456789
    b = 0xF0F0F0F0F0
    w_a = large_int(space, a)
    assert int_value(space, run(space, 34, w_a, large_int(space, b))) == a & b
    assert int_value(space, run(space, 35, w_a, large_int(space, b))) == a | b
    assert int_value(space, run(space, 36, w_a, large_int(space, b))) == a ^ b
    assert run(space, 34, w_a, i(space, 0xFF)).value == 0x89
    assert run(space, 36, w_a, w_a).value == 0
    # bitAnd: with a negative argument is two's complement (the fallback agrees)
    assert int_value(space, run(space, 34, w_a, i(space, -256))) == a & -256
    assert int_value(space, run(space, 34, w_a, large_int(space, -(2 ** 36)))) == a & -(2 ** 36)
    # negative results of bitOr:/bitXor: are left to the Smalltalk code
    assert fails(space, 35, w_a, i(space, -1))
    assert fails(space, 36, w_a, i(space, -1))
    assert fails(space, 36, large_int(space, 32768), large_int(space, -32768))


def test_large_bit_shift(space, large):
    w = run(space, 37, large_int(space, 80000), i(space, 20))
    assert int_value(space, w) == 80000 << 20
    w = run(space, 37, large_int(space, 2 ** 40), i(space, -30))
    assert isinstance(w, W_SmallInteger) and w.value == 1024
    assert run(space, 37, large_int(space, 2 ** 40), i(space, -41)).value == 0
    assert run(space, 37, large_int(space, 2 ** 40), i(space, -16384)).value == 0
    assert int_value(space, run(space, 37, large_int(space, 0x12345), i(space, 0))) == 0x12345
    assert fails(space, 37, large_int(space, 80000), large_int(space, 70000))
    assert fails(space, 37, large_int(space, 80000), space.wrap_float(2.0))


def test_large_primitives_against_reference(space, large):
    rnd = random.Random(99)
    values = [16384, 16385, 65535, 65536, 2 ** 24, 2 ** 31 - 1, 2 ** 32, 10 ** 18]
    values += [rnd.randint(16384, 2 ** rnd.randint(15, 90)) for _ in range(10)]
    args = values + [-v for v in values] + [0, 1, -1, 7, -7, 255, 256, 16383, -16384]
    for a in values:
        w_a = large_int(space, a)
        for b in args:
            w_b = st_int(space, b)
            assert int_value(space, run(space, 21, w_a, w_b)) == a + b
            assert int_value(space, run(space, 22, w_a, w_b)) == a - b
            assert int_value(space, run(space, 29, w_a, w_b)) == a * b
            assert (run(space, 23, w_a, w_b) is space.w_true) == (a < b)
            assert (run(space, 27, w_a, w_b) is space.w_true) == (a == b)
            if b == 0:
                for index in (30, 31, 32, 33):
                    assert fails(space, index, w_a, w_b)
            else:
                assert int_value(space, run(space, 31, w_a, w_b)) == a % b
                assert int_value(space, run(space, 32, w_a, w_b)) == a // b
                assert int_value(space, run(space, 33, w_a, w_b)) == quo(a, b)
                if a % b == 0:
                    assert int_value(space, run(space, 30, w_a, w_b)) == a // b
                else:
                    assert fails(space, 30, w_a, w_b)
            assert int_value(space, run(space, 34, w_a, w_b)) == a & b
            if b >= 0:
                assert int_value(space, run(space, 35, w_a, w_b)) == a | b
                assert int_value(space, run(space, 36, w_a, w_b)) == a ^ b
        for n in [-100, -33, -8, -1, 0, 1, 7, 8, 9, 64]:
            exact = a << n if n >= 0 else a >> -n
            assert int_value(space, run(space, 37, w_a, i(space, n))) == exact


def test_large_primitives_reject_odd_operands(space, large):
    w_a = large_int(space, 100000)
    for index in range(21, 37):
        assert fails(space, index, w_a, space.wrap_float(2.0)), index
        assert fails(space, index, w_a, space.w_nil), index
        assert fails(space, index, w_a, space.wrap_string('abc')), index
        # a receiver that is not a LargeInteger
        assert fails(space, index, i(space, 5), i(space, 3)), index
    # Unnormalized LargeIntegers are left to the Smalltalk code, whose digit
    # comparisons look at the digit length first.
    padded = W_BytesObject(space.w_LargePositiveInteger, 4)
    padded.bytes = ['\xa0', '\x86', '\x01', '\x00']             # 100000 and a 0 digit
    small_in_large = W_BytesObject(space.w_LargePositiveInteger, 1)
    small_in_large.bytes = ['\x05']
    empty = W_BytesObject(space.w_LargePositiveInteger, 0)
    word_padded = W_LargeInteger(space.w_LargePositiveInteger, 100000, 4)
    word_small = W_LargeInteger(space.w_LargePositiveInteger, 5, 1)
    word_small_result = W_LargeInteger(space.w_LargePositiveInteger, 300, 0)
    for w_odd in (padded, small_in_large, empty, word_padded, word_small,
                  word_small_result):
        assert fails(space, 21, w_odd, i(space, 1))
        assert fails(space, 27, w_a, w_odd)
        assert fails(space, 37, w_odd, i(space, 1))


def test_small_integer_comparisons_with_large_integers(space):
    """The answer the image's digit comparison gives; off in deterministic runs."""
    big, neg = W_LargeInteger(space.w_LargePositiveInteger, 20000, 0), \
        W_LargeInteger(space.w_LargeNegativeInteger, 20000, 0)
    for w_arg, expected in [(big, [True, False, True, False, False, True]),
                            (neg, [False, True, False, True, False, True])]:
        answers = [run(space, n, i(space, 5), w_arg) for n in range(3, 9)]
        assert answers == [space.wrap_bool(e) for e in expected]
    # Not normalized, or fitting a SmallInteger: the image's code decides.
    assert fails(space, 3, i(space, 5), W_LargeInteger(space.w_LargePositiveInteger, 20000, 4))
    assert fails(space, 3, i(space, 5), W_LargeInteger(space.w_LargePositiveInteger, 200, 0))
    interp = FakeInterp(space)
    interp.options.set_deterministic()
    assert primsupport.fails(interp, 3, i(space, 5), big)


# -- 40-54 Float -----------------------------------------------------------------

def f(space, x):
    return space.wrap_float(x)


def fvalue(w):
    assert isinstance(w, W_Float)
    return w.value


def test_as_float(space):
    w = run(space, 40, i(space, -16384))
    assert fvalue(w) == -16384.0
    assert w.getclass(space) is space.w_Float
    assert fvalue(run(space, 40, i(space, 7))) == 7.0
    assert fails(space, 40, f(space, 1.0))
    assert fails(space, 40, large_int(space, 70000))


def test_float_arithmetic_is_single_precision(space):
    expected = single(single(3.1) + single(4.1))
    w = run(space, 41, f(space, 3.1), f(space, 4.1))
    assert fvalue(w) == expected
    assert fvalue(w) != 3.1 + 4.1                    # the double sum differs
    assert fvalue(run(space, 42, f(space, 1.0), f(space, 0.1))) == single(1.0 - single(0.1))
    assert fvalue(run(space, 49, f(space, 0.1), f(space, 3.0))) == single(single(0.1) * 3.0)
    assert fvalue(run(space, 50, f(space, 1.0), f(space, 3.0))) == single(1.0 / 3.0)
    assert fvalue(run(space, 50, f(space, -7.5), f(space, 2.5))) == -3.0


def test_float_comparisons(space):
    t, fl = space.w_true, space.w_false
    for a, b in [(1.5, 2.5), (2.5, 1.5), (2.0, 2.0), (-0.0, 0.0)]:
        assert run(space, 43, f(space, a), f(space, b)) is (t if a < b else fl)
        assert run(space, 44, f(space, a), f(space, b)) is (t if a > b else fl)
        assert run(space, 45, f(space, a), f(space, b)) is (t if a <= b else fl)
        assert run(space, 46, f(space, a), f(space, b)) is (t if a >= b else fl)
        assert run(space, 47, f(space, a), f(space, b)) is (t if a == b else fl)
        assert run(space, 48, f(space, a), f(space, b)) is (t if a != b else fl)


def test_float_primitives_need_a_float_argument(space):
    # Blue Book: "fail if the argument is not an instance of Float"
    # (Float>>retry:coercing: then converts a SmallInteger argument).
    for index in range(41, 51):
        assert fails(space, index, f(space, 2.0), i(space, 2)), index
        assert fails(space, index, f(space, 2.0), large_int(space, 70000)), index
        assert fails(space, index, f(space, 2.0), space.w_nil), index
        assert fails(space, index, i(space, 2), f(space, 2.0)), index


def test_float_failures_on_unrepresentable_results(space):
    assert fails(space, 50, f(space, 1.0), f(space, 0.0))
    assert fails(space, 50, f(space, 1.0), f(space, -0.0))
    assert fails(space, 50, f(space, 0.0), f(space, 0.0))
    big = 3.0e38
    assert fails(space, 49, f(space, big), f(space, 10.0))     # single overflow
    assert fails(space, 41, f(space, big), f(space, big))
    assert fails(space, 50, f(space, big), f(space, 1.0e-10))
    # underflow to zero is representable
    assert fvalue(run(space, 49, f(space, 1.0e-30), f(space, 1.0e-30))) == 0.0
    inf = W_Float(space.w_Float, float('inf'))
    assert fails(space, 41, inf, f(space, 1.0))
    assert run(space, 44, inf, f(space, 1.0)) is space.w_true


def test_truncated(space):
    assert run(space, 51, f(space, 3.7)).value == 3
    assert run(space, 51, f(space, -3.7)).value == -3
    assert run(space, 51, f(space, 16383.9)).value == 16383
    assert run(space, 51, f(space, -16384.5)).value == -16384
    assert run(space, 51, f(space, -0.5)).value == 0
    assert fails(space, 51, f(space, 16384.0))
    assert fails(space, 51, f(space, -16385.0))
    assert fails(space, 51, f(space, 1.0e10))
    assert fails(space, 51, W_Float(space.w_Float, float('nan')))
    assert fails(space, 51, W_Float(space.w_Float, float('-inf')))
    assert fails(space, 51, i(space, 3))


def test_fraction_part(space):
    assert fvalue(run(space, 52, f(space, 3.75))) == 0.75
    assert fvalue(run(space, 52, f(space, -3.75))) == -0.75
    assert fvalue(run(space, 52, f(space, 1.0e10))) == 0.0
    assert fvalue(run(space, 52, f(space, 2.0))) == 0.0
    w = run(space, 52, f(space, 3.1))
    assert fvalue(w) == single(3.1) - 3.0            # exact in single
    assert fails(space, 52, W_Float(space.w_Float, float('inf')))


def test_exponent(space):
    # Float>>exponent: the power of two with the mantissa in [1, 2)
    for x, e in [(1.0, 0), (1.5, 0), (2.0, 1), (3.99, 1), (1024.0, 10), (0.75, -1),
                 (0.5, -1), (0.1, -4), (-8.0, 3), (-0.3, -2), (1.0e30, 99)]:
        assert run(space, 53, f(space, x)).value == e, x
    assert run(space, 53, f(space, 0.0)).value == -1   # what the fallback answers
    assert fails(space, 53, W_Float(space.w_Float, float('inf')))
    assert fails(space, 53, i(space, 4))


def test_times_two_power(space):
    assert fvalue(run(space, 54, f(space, 1.5), i(space, 3))) == 12.0
    assert fvalue(run(space, 54, f(space, 12.0), i(space, -3))) == 1.5
    assert fvalue(run(space, 54, f(space, -3.0), i(space, 0))) == -3.0
    assert fvalue(run(space, 54, f(space, 1.0), i(space, -16384))) == 0.0
    assert fvalue(run(space, 54, f(space, 1.0), i(space, 127))) == 2.0 ** 127
    assert fails(space, 54, f(space, 1.0), i(space, 128))      # single overflow
    assert fails(space, 54, f(space, 1.0), i(space, 16383))
    assert fails(space, 54, f(space, 1.0), f(space, 2.0))      # needs a SmallInteger
    assert fails(space, 54, f(space, 1.0), large_int(space, 70000))
    # exponent and timesTwoPower: invert each other on the mantissa
    x = 1234.5678
    e = run(space, 53, f(space, x)).value
    m = fvalue(run(space, 54, f(space, x), i(space, -e)))
    assert 1.0 <= m < 2.0
    assert fvalue(run(space, 54, f(space, m), i(space, e))) == single(x)


def test_float_exponent_primitives_can_be_disabled(space, monkeypatch):
    monkeypatch.setattr(arithmetic, 'ENABLE_FLOAT_EXPONENT_PRIMITIVES', False)
    assert fails(space, 53, f(space, 2.0))
    assert fails(space, 54, f(space, 2.0), i(space, 1))


# -- RPython ------------------------------------------------------------------------

def test_primitives_annotate_and_rtype():
    """The primitive bodies and helpers are RPython (annotate and rtype them)."""
    from rpython.translator.translator import TranslationContext
    from rpython.rlib.rbigint import rbigint

    space = Bootstrap().space
    interp = FakeInterp(space)
    int_prims = [prim_table[n] for n in range(1, 19)]
    large_prims = [prim_table[n] for n in range(21, 38)]
    float_prims = [prim_table[n] for n in range(41, 51)] + [prim_table[54]]
    unary_prims = [prim_table[n] for n in (40, 51, 52, 53)]
    w_big = large_int(space, 123456789)

    def entry(n, a, b):
        frame = W_Context(space.w_MethodContext, 12, space.w_nil)
        frame.sp = 0
        total = 0
        try:
            if n < 18:
                frame.push(space.wrap_int(a))
                frame.push(space.wrap_int(b))
                int_prims[n](interp, frame, 1)
            elif n < 35:
                frame.push(w_big)
                frame.push(space.wrap_int(b))
                large_prims[n - 18](interp, frame, 1)
            elif n < 46:
                frame.push(space.wrap_float(float(a)))
                frame.push(space.wrap_float(float(b)))
                float_prims[n - 35](interp, frame, 1)
            else:
                frame.push(space.wrap_float(float(a)))
                unary_prims[n - 46](interp, frame, 0)
        except PrimitiveFailedError:
            return -1
        w_top = frame.top()
        if isinstance(w_top, W_SmallInteger):
            total = w_top.value
        big = unwrap_rbigint(space, wrap_rbigint(space, rbigint.fromint(a).lshift(40)))
        return total + big.rshift(40).toint()

    t = TranslationContext()
    t.buildannotator().build_types(entry, [int, int, int])
    t.buildrtyper().specialize()


# -- the primitives against the image's own fallback code, in st80-c ---------------------

SELECTORS = ['+', '-', '<', '>', '<=', '>=', '=', '~=', '*', '/', '\\\\', '//', 'quo:',
             'bitAnd:', 'bitOr:', 'bitXor:']


def random_operands(rnd, count):
    """Pairs from every size class: SmallIntegers, 2-7 digits (machine words),
    8-12 digits (byte objects), positive and negative, and the edges."""
    def one():
        kind = rnd.randrange(5)
        if kind == 0:
            value = rnd.randrange(-16384, 16384)
        elif kind == 1:
            value = rnd.choice([16383, 16384, -16384, -16385, 2 ** 56 - 1, 2 ** 56,
                                -(2 ** 56) + 1, -(2 ** 56), 2 ** 31, 2 ** 32 - 1])
        elif kind == 2:
            value = rnd.randrange(2 ** 14, 2 ** 56)
        else:
            value = rnd.randrange(2 ** 56, 2 ** 96)
        return value if rnd.random() < 0.6 else -value
    pairs = []
    while len(pairs) < count:
        a, b = one(), one()
        if b != 0:
            pairs.append((a, b))
    return pairs


def test_large_integer_primitives_answer_what_the_image_answers(st80_binary, xerox_image):
    """The same answers with primitives 21-37 (their fast and rbigint paths)
    and without them (--deterministic runs the image's digit arithmetic)."""
    import random
    from tests.conftest import run_vm
    pairs = random_operands(random.Random(21), 60)
    # SmallIntegers whose results do not fit one (primitives 1-17 answer those;
    # not -16384 // -1: the image's own code fails there, in SmallInteger>>quo:)
    pairs += [(200, 300), (-16384, -2), (16383, 16383), (-16384, 16383), (3, 20000),
              (-7, 9999), (16383, -2)]
    shifts = [(a, s) for (a, b), s in zip(pairs, [0, 1, 7, 8, 30, 55, -1, -9, -40] * 10)]
    shifts += [(1, 14), (-1, 15), (16383, 48), (-16384, 48), (3, 49), (-5, 60)]
    expr = ("| out | out := WriteStream on: (String new: 100). "
            "#(%s) do: [:p | #(%s) do: [:op | out print: (p first perform: op with: p last); "
            "space]. out cr]. "
            "#(%s) do: [:p | out print: (p first bitShift: p last); space]. out contents"
            % (' '.join('(%d %d)' % p for p in pairs),
               ' '.join('#' + s for s in SELECTORS),
               ' '.join('(%d %d)' % p for p in shifts)))
    status, with_prims, err = run_vm([st80_binary], ['-e', expr, xerox_image])
    assert status == 0, err
    status, without, err = run_vm([st80_binary], ['--deterministic', '-e', expr, xerox_image])
    assert status == 0, err
    assert with_prims == without
    # And both are right where Python's integers say the same thing.
    first = with_prims.strip().strip("'").splitlines()[0].split()
    a, b = pairs[0]
    assert first[0] == str(a + b) and first[1] == str(a - b) and first[8] == str(a * b)
    assert first[11] == str(a // b) and first[10] == str(a % b)
