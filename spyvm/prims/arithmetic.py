"""Arithmetic primitives (Blue Book chapter 29, indices 1-59).

    1-18   SmallInteger  + - < > <= >= = ~= * / \\ // quo: bitAnd: bitOr:
           bitXor: bitShift:, and 18 Number>>@
    21-37  LargePositiveInteger, the same selectors as 1-17
    40     SmallInteger>>asFloat
    41-54  Float  + - < > <= >= = ~= * / truncated fractionPart exponent
           timesTwoPower:

Failure rules follow the Blue Book text:

* 3-8 (the comparisons) also answer for a LargeInteger argument too big for a
  SmallInteger, whose sign decides, as the image's digit comparison would
  (only where LargeInteger primitives are on: not in --deterministic runs).
* 1-17 pop two SmallIntegers and fail if either is not one. An integral result
  outside -16384..16383 fails in the Blue Book (the image's Smalltalk code
  then builds the LargeInteger, digit by digit); where LargeInteger primitives
  are on, * / // quo: and bitShift: answer that LargeInteger themselves, the
  same object the fallback code makes. + and - keep the failure: the image's
  `SmallInteger class>>initialize` (run at every snapshot) finds the range of
  SmallIntegers by `subtractOrFail:` (primitive 2) failing. Results are
  computed exactly, so bitShift: never loses bits (a shift too far for a
  machine word fails).
* 10 (/) also fails for an inexact quotient; 10-13 fail on a zero divisor.
* 18 (@) requires SmallInteger receiver and argument (the Blue Book's
  "isIntegerValue:" there is a slip for isIntegerObject:; every implementation
  pops integers).
* 21-37: the Blue Book's dispatchLargeIntegerPrimitives is "self primitiveFail".
  They are implemented here with rbigint, and give the values of the image's
  fallback code, faster. The reference VMs lack them, so --deterministic turns
  them off (Interpreter.large_integer_primitives) for bytecode-exact runs.
* 41-50 fail unless the argument is a Float ("The floating point primitives fail
  if the argument is not an instance of Float or if the result cannot be
  represented as a Float"); results are rounded to IEEE single, and an infinite
  or NaN result fails. / fails on a zero divisor.
"""

import math
from rpython.rlib.objectmodel import specialize
from rpython.rlib.rarithmetic import ovfcheck
from rpython.rlib.rbigint import rbigint
from spyvm import constants
from spyvm.error import PrimitiveFailedError
from spyvm.model import W_SmallInteger, W_BytesObject, W_LargeInteger, round_to_single
from spyvm.primitives import expose_primitive

# 53 exponent and 54 timesTwoPower: are specified by the Blue Book (dbanay's VM
# fails them as "optional"); False makes them fail too.
ENABLE_FLOAT_EXPONENT_PRIMITIVES = True
# No large integer result longer than this (the largest new: a Blue Book
# object memory supports); the Smalltalk code then reports the problem.
MAX_LARGE_INTEGER_BYTES = 65533
# The longest left shift of a SmallInteger that bitShift: answers itself.
MAX_WORD_SHIFT = 48


# -- SmallInteger helpers ----------------------------------------------------

def _small(space, value):
    """Wrap an integral result, failing unless it is a SmallInteger value."""
    if constants.MININT <= value <= constants.MAXINT:
        return space.wrap_int(value)
    raise PrimitiveFailedError


def _integer(interp, value):
    """Wrap the integral result of two SmallIntegers (it fits a machine word):
    a LargeInteger past 15 bits where LargeInteger primitives are on, else
    failure, as the Blue Book has it."""
    if constants.MININT <= value <= constants.MAXINT:
        return interp.space.wrap_int(value)
    if not interp.options.large_integer_primitives:
        raise PrimitiveFailedError
    return interp.space.wrap_large_int(value)


def _quo(a, b):
    """Quotient truncated toward zero (b != 0); only non-negative operands reach
    the host division, so the result does not depend on its rounding."""
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        return -q
    return q


def _floordiv(a, b):
    """Quotient rounded toward negative infinity (b != 0)."""
    q = _quo(a, b)
    if q * b != a and (a < 0) != (b < 0):
        q -= 1
    return q


def _floormod(a, b):
    """Remainder of _floordiv: it has the sign of b (b != 0)."""
    return a - _floordiv(a, b) * b


# -- 1-18: SmallInteger --------------------------------------------------------

@expose_primitive(1, unwrap_spec=[int, int])
def primitiveAdd(interp, frame, rcvr, arg):
    return _small(interp.space, rcvr + arg)


@expose_primitive(2, unwrap_spec=[int, int])
def primitiveSubtract(interp, frame, rcvr, arg):
    return _small(interp.space, rcvr - arg)


def _against_large(interp, w_arg):
    """A SmallInteger compared with a LargeInteger too big for one: 1 if the
    argument is the larger (positive), -1 if the smaller. What the image's
    digit comparison answers, so only where LargeInteger primitives are on;
    anything else fails."""
    space = interp.space
    if not interp.options.large_integer_primitives or not _word_large(space, w_arg):
        raise PrimitiveFailedError
    return _large_sign(space, w_arg)


@expose_primitive(3, unwrap_spec=[int, object])
def primitiveLessThan(interp, frame, rcvr, w_arg):
    if isinstance(w_arg, W_SmallInteger):
        return interp.space.wrap_bool(rcvr < w_arg.value)
    return interp.space.wrap_bool(_against_large(interp, w_arg) > 0)


@expose_primitive(4, unwrap_spec=[int, object])
def primitiveGreaterThan(interp, frame, rcvr, w_arg):
    if isinstance(w_arg, W_SmallInteger):
        return interp.space.wrap_bool(rcvr > w_arg.value)
    return interp.space.wrap_bool(_against_large(interp, w_arg) < 0)


@expose_primitive(5, unwrap_spec=[int, object])
def primitiveLessOrEqual(interp, frame, rcvr, w_arg):
    if isinstance(w_arg, W_SmallInteger):
        return interp.space.wrap_bool(rcvr <= w_arg.value)
    return interp.space.wrap_bool(_against_large(interp, w_arg) > 0)


@expose_primitive(6, unwrap_spec=[int, object])
def primitiveGreaterOrEqual(interp, frame, rcvr, w_arg):
    if isinstance(w_arg, W_SmallInteger):
        return interp.space.wrap_bool(rcvr >= w_arg.value)
    return interp.space.wrap_bool(_against_large(interp, w_arg) < 0)


@expose_primitive(7, unwrap_spec=[int, object])
def primitiveEqual(interp, frame, rcvr, w_arg):
    if isinstance(w_arg, W_SmallInteger):
        return interp.space.wrap_bool(rcvr == w_arg.value)
    _against_large(interp, w_arg)
    return interp.space.w_false


@expose_primitive(8, unwrap_spec=[int, object])
def primitiveNotEqual(interp, frame, rcvr, w_arg):
    if isinstance(w_arg, W_SmallInteger):
        return interp.space.wrap_bool(rcvr != w_arg.value)
    _against_large(interp, w_arg)
    return interp.space.w_true


@expose_primitive(9, unwrap_spec=[int, int])
def primitiveMultiply(interp, frame, rcvr, arg):
    return _integer(interp, rcvr * arg)     # |product| <= 2**28: no overflow


@expose_primitive(10, unwrap_spec=[int, int])
def primitiveDivide(interp, frame, rcvr, arg):
    """Only exact quotients (Blue Book: fails if rcvr \\\\ arg ~= 0)."""
    if arg == 0:
        raise PrimitiveFailedError
    if _floormod(rcvr, arg) != 0:
        raise PrimitiveFailedError
    return _integer(interp, _floordiv(rcvr, arg))   # -16384 / -1 is 16384


@expose_primitive(11, unwrap_spec=[int, int])
def primitiveMod(interp, frame, rcvr, arg):
    if arg == 0:
        raise PrimitiveFailedError
    return _small(interp.space, _floormod(rcvr, arg))


@expose_primitive(12, unwrap_spec=[int, int])
def primitiveDiv(interp, frame, rcvr, arg):
    if arg == 0:
        raise PrimitiveFailedError
    return _integer(interp, _floordiv(rcvr, arg))


@expose_primitive(13, unwrap_spec=[int, int])
def primitiveQuo(interp, frame, rcvr, arg):
    if arg == 0:
        raise PrimitiveFailedError
    return _integer(interp, _quo(rcvr, arg))


@expose_primitive(14, unwrap_spec=[int, int])
def primitiveBitAnd(interp, frame, rcvr, arg):
    return _small(interp.space, rcvr & arg)


@expose_primitive(15, unwrap_spec=[int, int])
def primitiveBitOr(interp, frame, rcvr, arg):
    return _small(interp.space, rcvr | arg)


@expose_primitive(16, unwrap_spec=[int, int])
def primitiveBitXor(interp, frame, rcvr, arg):
    return _small(interp.space, rcvr ^ arg)


@expose_primitive(17, unwrap_spec=[int, int])
def primitiveBitShift(interp, frame, rcvr, arg):
    """The exact value of rcvr * 2**arg (floored for right shifts), or failure
    when that does not fit (so no bits can be lost on a left shift)."""
    if arg >= 0:
        if rcvr == 0:
            return interp.space.wrap_int(0)
        if arg > MAX_WORD_SHIFT:    # |rcvr| < 2**15: the result fits 63 bits
            raise PrimitiveFailedError
        result = rcvr << arg
    else:
        shift = -arg
        if shift > 15:          # a 15-bit value shifted this far is 0 or -1
            shift = 15
        result = rcvr >> shift
    return _integer(interp, result)


@expose_primitive(18, unwrap_spec=[int, int])
def primitiveMakePoint(interp, frame, rcvr, arg):
    return interp.space.wrap_point(rcvr, arg)


# -- large integers ------------------------------------------------------------
# Two representations: a W_LargeInteger of up to 7 digits is a machine integer
# (the fast path, which the JIT keeps in registers); any other size is a byte
# object, computed with rbigint. Both give the same answers.

def _large_sign(space, w_value):
    """1 for a LargePositiveInteger, -1 for a LargeNegativeInteger, else 0."""
    if isinstance(w_value, W_BytesObject) or isinstance(w_value, W_LargeInteger):
        w_class = w_value.getclass(space)
        if w_class is space.w_LargePositiveInteger:
            return 1
        w_lni = space.w_LargeNegativeInteger
        if w_lni is not None and w_class is w_lni:
            return -1
    return 0


def _magnitude(w_value):
    if isinstance(w_value, W_LargeInteger):
        return rbigint.fromint(w_value.magnitude)
    assert isinstance(w_value, W_BytesObject)
    return rbigint.frombytes(''.join(w_value.bytes), 'little', False)


def unwrap_rbigint(space, w_value):
    """The value of a SmallInteger, LargePositiveInteger or LargeNegativeInteger
    (digits least significant first, the class gives the sign) as an rbigint.
    Leading zero digits are accepted. Anything else fails."""
    if isinstance(w_value, W_SmallInteger):
        return rbigint.fromint(w_value.value)
    sign = _large_sign(space, w_value)
    if sign == 0:
        raise PrimitiveFailedError
    big = _magnitude(w_value)
    if sign < 0:
        big = big.neg()
    return big


def wrap_rbigint(space, big):
    """The normalized Smalltalk integer for an rbigint: a SmallInteger when it
    fits in 15 bits, else a LargePositiveInteger/LargeNegativeInteger without
    leading zero digits (what LargePositiveInteger>>truncated answers)."""
    nbits = big.bit_length()
    if nbits <= 8 * W_LargeInteger.MAX_BYTES:
        return space.wrap_int(big.toint())
    if big.sign < 0:
        w_class = space.w_LargeNegativeInteger
        if w_class is None:
            raise PrimitiveFailedError
    else:
        w_class = space.w_LargePositiveInteger
    nbytes = (nbits + 7) // 8
    if nbytes > MAX_LARGE_INTEGER_BYTES:
        raise PrimitiveFailedError
    data = big.abs().tobytes(nbytes, 'little', False)
    w_result = W_BytesObject(w_class, nbytes)
    w_result.bytes = [c for c in data]
    return w_result


def _fits_small(big):
    if big.bit_length() > 15:
        return False
    value = big.toint()
    return constants.MININT <= value <= constants.MAXINT


def _unwrap_normalized_large(space, w_value):
    """A LargeInteger in the form the image's own arithmetic produces: no
    leading zero digit and too big for a SmallInteger. The Smalltalk fallback
    code compares digit lengths first, so for other shapes only it knows the
    answer: fail."""
    sign = _large_sign(space, w_value)
    if sign == 0:
        raise PrimitiveFailedError
    if isinstance(w_value, W_LargeInteger):
        if not w_value.is_normalized():
            raise PrimitiveFailedError
    else:
        assert isinstance(w_value, W_BytesObject)
        n = len(w_value.bytes)
        if n == 0 or w_value.bytes[n - 1] == '\x00':
            raise PrimitiveFailedError
    big = _magnitude(w_value)
    if sign < 0:
        big = big.neg()
    if _fits_small(big):
        raise PrimitiveFailedError
    return big


def _unwrap_integer_operand(space, w_value):
    if isinstance(w_value, W_SmallInteger):
        return rbigint.fromint(w_value.value)
    return _unwrap_normalized_large(space, w_value)


def _large_operands(interp, w_rcvr, w_arg):
    space = interp.space
    a = _unwrap_normalized_large(space, w_rcvr)
    b = _unwrap_integer_operand(space, w_arg)
    return a, b


def _word_large(space, w_value):
    """A normalized W_LargeInteger too big for a SmallInteger (the fast path's
    receiver)."""
    if not isinstance(w_value, W_LargeInteger) or not w_value.is_normalized():
        return False
    sign = _large_sign(space, w_value)
    if sign > 0:
        return w_value.magnitude > constants.MAXINT
    return sign < 0 and w_value.magnitude > -constants.MININT


def _word_operands(space, w_rcvr, w_arg):
    return _word_large(space, w_rcvr) and (isinstance(w_arg, W_SmallInteger) or
                                          _word_large(space, w_arg))


def _word_value(space, w_value):
    """The value of a SmallInteger or a W_LargeInteger that _word_large accepts."""
    if isinstance(w_value, W_SmallInteger):
        return w_value.value
    assert isinstance(w_value, W_LargeInteger)
    if w_value.getclass(space) is space.w_LargePositiveInteger:
        return w_value.magnitude
    return -w_value.magnitude


# -- 21-37: LargePositiveInteger -----------------------------------------------
# Operands of up to 7 digits are below 2**56 in magnitude: sums, differences and
# comparisons cannot overflow a machine word; products are checked.

@expose_primitive(21, unwrap_spec=[object, object])
def primitiveLargeAdd(interp, frame, w_rcvr, w_arg):
    space = interp.space
    if _word_operands(space, w_rcvr, w_arg):
        return space.wrap_int(_word_value(space, w_rcvr) + _word_value(space, w_arg))
    a, b = _large_operands(interp, w_rcvr, w_arg)
    return wrap_rbigint(space, a.add(b))


@expose_primitive(22, unwrap_spec=[object, object])
def primitiveLargeSubtract(interp, frame, w_rcvr, w_arg):
    space = interp.space
    if _word_operands(space, w_rcvr, w_arg):
        return space.wrap_int(_word_value(space, w_rcvr) - _word_value(space, w_arg))
    a, b = _large_operands(interp, w_rcvr, w_arg)
    return wrap_rbigint(space, a.sub(b))


@specialize.arg(3)
def _compare(interp, w_rcvr, w_arg, op):
    """op: 0 <, 1 >, 2 <=, 3 >=, 4 =, 5 ~= (a constant where it is inlined)."""
    space = interp.space
    if _word_operands(space, w_rcvr, w_arg):
        a = _word_value(space, w_rcvr)
        b = _word_value(space, w_arg)
        lt = a < b
        eq = a == b
    else:
        big_a, big_b = _large_operands(interp, w_rcvr, w_arg)
        lt = big_a.lt(big_b)
        eq = big_a.eq(big_b)
    if op == 0:
        result = lt
    elif op == 1:
        result = not lt and not eq
    elif op == 2:
        result = lt or eq
    elif op == 3:
        result = not lt
    elif op == 4:
        result = eq
    else:
        result = not eq
    return space.wrap_bool(result)


@expose_primitive(23, unwrap_spec=[object, object])
def primitiveLargeLessThan(interp, frame, w_rcvr, w_arg):
    return _compare(interp, w_rcvr, w_arg, 0)


@expose_primitive(24, unwrap_spec=[object, object])
def primitiveLargeGreaterThan(interp, frame, w_rcvr, w_arg):
    return _compare(interp, w_rcvr, w_arg, 1)


@expose_primitive(25, unwrap_spec=[object, object])
def primitiveLargeLessOrEqual(interp, frame, w_rcvr, w_arg):
    return _compare(interp, w_rcvr, w_arg, 2)


@expose_primitive(26, unwrap_spec=[object, object])
def primitiveLargeGreaterOrEqual(interp, frame, w_rcvr, w_arg):
    return _compare(interp, w_rcvr, w_arg, 3)


@expose_primitive(27, unwrap_spec=[object, object])
def primitiveLargeEqual(interp, frame, w_rcvr, w_arg):
    return _compare(interp, w_rcvr, w_arg, 4)


@expose_primitive(28, unwrap_spec=[object, object])
def primitiveLargeNotEqual(interp, frame, w_rcvr, w_arg):
    return _compare(interp, w_rcvr, w_arg, 5)


@expose_primitive(29, unwrap_spec=[object, object])
def primitiveLargeMultiply(interp, frame, w_rcvr, w_arg):
    space = interp.space
    if _word_operands(space, w_rcvr, w_arg):
        try:
            product = ovfcheck(_word_value(space, w_rcvr) * _word_value(space, w_arg))
        except OverflowError:
            pass
        else:
            return space.wrap_int(product)
    a, b = _large_operands(interp, w_rcvr, w_arg)
    return wrap_rbigint(space, a.mul(b))


def _word_divisor(interp, w_rcvr, w_arg):
    """The fast path's operands when the divisor is not zero (a zero divisor
    fails in either path)."""
    space = interp.space
    if isinstance(w_arg, W_SmallInteger) and w_arg.value == 0:
        raise PrimitiveFailedError
    return _word_operands(space, w_rcvr, w_arg)


@expose_primitive(30, unwrap_spec=[object, object])
def primitiveLargeDivide(interp, frame, w_rcvr, w_arg):
    """Exact quotients only: the fallback answers a Fraction otherwise."""
    space = interp.space
    if _word_divisor(interp, w_rcvr, w_arg):
        a = _word_value(space, w_rcvr)
        b = _word_value(space, w_arg)
        if _floormod(a, b) != 0:
            raise PrimitiveFailedError
        return space.wrap_int(_floordiv(a, b))
    a, b = _large_operands(interp, w_rcvr, w_arg)
    if b.sign == 0:
        raise PrimitiveFailedError
    q, r = a.divmod(b)
    if r.sign != 0:
        raise PrimitiveFailedError
    return wrap_rbigint(space, q)


@expose_primitive(31, unwrap_spec=[object, object])
def primitiveLargeMod(interp, frame, w_rcvr, w_arg):
    space = interp.space
    if _word_divisor(interp, w_rcvr, w_arg):
        return space.wrap_int(_floormod(_word_value(space, w_rcvr), _word_value(space, w_arg)))
    a, b = _large_operands(interp, w_rcvr, w_arg)
    if b.sign == 0:
        raise PrimitiveFailedError
    return wrap_rbigint(space, a.mod(b))


@expose_primitive(32, unwrap_spec=[object, object])
def primitiveLargeDiv(interp, frame, w_rcvr, w_arg):
    space = interp.space
    if _word_divisor(interp, w_rcvr, w_arg):
        return space.wrap_int(_floordiv(_word_value(space, w_rcvr), _word_value(space, w_arg)))
    a, b = _large_operands(interp, w_rcvr, w_arg)
    if b.sign == 0:
        raise PrimitiveFailedError
    return wrap_rbigint(space, a.floordiv(b))


@expose_primitive(33, unwrap_spec=[object, object])
def primitiveLargeQuo(interp, frame, w_rcvr, w_arg):
    space = interp.space
    if _word_divisor(interp, w_rcvr, w_arg):
        return space.wrap_int(_quo(_word_value(space, w_rcvr), _word_value(space, w_arg)))
    a, b = _large_operands(interp, w_rcvr, w_arg)
    if b.sign == 0:
        raise PrimitiveFailedError
    q = a.abs().floordiv(b.abs())
    if a.sign * b.sign < 0:
        q = q.neg()
    return wrap_rbigint(space, q)


# The fallback (Integer>>digitLogic:op:length:) converts negative operands to
# two's complement correctly but gets some negative *results* wrong (a zero
# byte above the lowest non-zero one comes out as 0, and -256**len becomes 0).
# A result is negative only for bitAnd: of two negatives or bitOr:/bitXor: with
# a negative operand; those cases fail so that the fallback's answer stands.
# (Machine integers are two's complement, as rbigint's bit operations are.)

@expose_primitive(34, unwrap_spec=[object, object])
def primitiveLargeBitAnd(interp, frame, w_rcvr, w_arg):
    space = interp.space
    if _word_operands(space, w_rcvr, w_arg):
        a = _word_value(space, w_rcvr)
        b = _word_value(space, w_arg)
        if a < 0 and b < 0:
            raise PrimitiveFailedError
        return space.wrap_int(a & b)
    a, b = _large_operands(interp, w_rcvr, w_arg)
    if a.sign < 0 and b.sign < 0:
        raise PrimitiveFailedError
    return wrap_rbigint(space, a.and_(b))


def _unsigned_word_operands(space, w_rcvr, w_arg):
    """Operands for bitOr: and bitXor:, which fail for a negative one."""
    if not _word_operands(space, w_rcvr, w_arg):
        return False
    if _word_value(space, w_rcvr) < 0 or _word_value(space, w_arg) < 0:
        raise PrimitiveFailedError
    return True


@expose_primitive(35, unwrap_spec=[object, object])
def primitiveLargeBitOr(interp, frame, w_rcvr, w_arg):
    space = interp.space
    if _unsigned_word_operands(space, w_rcvr, w_arg):
        return space.wrap_int(_word_value(space, w_rcvr) | _word_value(space, w_arg))
    a, b = _large_operands(interp, w_rcvr, w_arg)
    if a.sign < 0 or b.sign < 0:
        raise PrimitiveFailedError
    return wrap_rbigint(space, a.or_(b))


@expose_primitive(36, unwrap_spec=[object, object])
def primitiveLargeBitXor(interp, frame, w_rcvr, w_arg):
    space = interp.space
    if _unsigned_word_operands(space, w_rcvr, w_arg):
        return space.wrap_int(_word_value(space, w_rcvr) ^ _word_value(space, w_arg))
    a, b = _large_operands(interp, w_rcvr, w_arg)
    if a.sign < 0 or b.sign < 0:
        raise PrimitiveFailedError
    return wrap_rbigint(space, a.xor(b))


@expose_primitive(37, unwrap_spec=[object, int])
def primitiveLargeBitShift(interp, frame, w_rcvr, shift):
    space = interp.space
    if _word_large(space, w_rcvr):
        a = _word_value(space, w_rcvr)
        if a < 0:
            raise PrimitiveFailedError
        if shift < 0:
            return space.wrap_int(a >> min(-shift, 63))
        if shift < 63 and a >> (62 - shift) == 0:
            return space.wrap_int(a << shift)
    a = _unwrap_normalized_large(space, w_rcvr)
    if a.sign < 0:
        raise PrimitiveFailedError
    if shift >= 0:
        if shift > MAX_LARGE_INTEGER_BYTES * 8:
            raise PrimitiveFailedError
        result = a.lshift(shift)
    else:
        result = a.rshift(-shift)
    return wrap_rbigint(space, result)


# -- 40-54: Float --------------------------------------------------------------

def _float_result(space, value):
    """A Float for an arithmetic result, rounded to IEEE single; fails when the
    result cannot be represented (overflow to infinity, or NaN)."""
    result = round_to_single(value)
    if math.isinf(result) or math.isnan(result):
        raise PrimitiveFailedError
    return space.wrap_float(result)


@expose_primitive(40, unwrap_spec=[int])
def primitiveAsFloat(interp, frame, rcvr):
    return interp.space.wrap_float(float(rcvr))     # exact: 15 bits < 24


@expose_primitive(41, unwrap_spec=[float, float])
def primitiveFloatAdd(interp, frame, rcvr, arg):
    return _float_result(interp.space, rcvr + arg)


@expose_primitive(42, unwrap_spec=[float, float])
def primitiveFloatSubtract(interp, frame, rcvr, arg):
    return _float_result(interp.space, rcvr - arg)


@expose_primitive(43, unwrap_spec=[float, float])
def primitiveFloatLessThan(interp, frame, rcvr, arg):
    return interp.space.wrap_bool(rcvr < arg)


@expose_primitive(44, unwrap_spec=[float, float])
def primitiveFloatGreaterThan(interp, frame, rcvr, arg):
    return interp.space.wrap_bool(rcvr > arg)


@expose_primitive(45, unwrap_spec=[float, float])
def primitiveFloatLessOrEqual(interp, frame, rcvr, arg):
    return interp.space.wrap_bool(rcvr <= arg)


@expose_primitive(46, unwrap_spec=[float, float])
def primitiveFloatGreaterOrEqual(interp, frame, rcvr, arg):
    return interp.space.wrap_bool(rcvr >= arg)


@expose_primitive(47, unwrap_spec=[float, float])
def primitiveFloatEqual(interp, frame, rcvr, arg):
    return interp.space.wrap_bool(rcvr == arg)


@expose_primitive(48, unwrap_spec=[float, float])
def primitiveFloatNotEqual(interp, frame, rcvr, arg):
    return interp.space.wrap_bool(rcvr != arg)


@expose_primitive(49, unwrap_spec=[float, float])
def primitiveFloatMultiply(interp, frame, rcvr, arg):
    return _float_result(interp.space, rcvr * arg)


@expose_primitive(50, unwrap_spec=[float, float])
def primitiveFloatDivide(interp, frame, rcvr, arg):
    if arg == 0.0:
        raise PrimitiveFailedError
    return _float_result(interp.space, rcvr / arg)


@expose_primitive(51, unwrap_spec=[float])
def primitiveTruncated(interp, frame, rcvr):
    """The value without its fraction, if that is a SmallInteger (NaN fails)."""
    if not (rcvr > float(constants.MININT - 1) and rcvr < float(constants.MAXINT + 1)):
        raise PrimitiveFailedError
    return interp.space.wrap_int(int(rcvr))         # int() truncates toward 0


def _truncated_float(x):
    """x without its fraction, as a float (0.0, never -0.0, when it is zero)."""
    if x >= 0.0:
        t = math.floor(x)
    else:
        t = -math.floor(-x)
    if t == 0.0:
        return 0.0
    return t


@expose_primitive(52, unwrap_spec=[float])
def primitiveFractionalPart(interp, frame, rcvr):
    """rcvr - rcvr truncated (exact; the fraction of a single is a single)."""
    if math.isinf(rcvr) or math.isnan(rcvr):
        raise PrimitiveFailedError
    return _float_result(interp.space, rcvr - _truncated_float(rcvr))


@expose_primitive(53, unwrap_spec=[float])
def primitiveExponent(interp, frame, rcvr):
    """The power of two of the receiver with its mantissa in [1, 2): the
    floor of log2 |rcvr|, which Float>>exponent's fallback also computes. It
    answers -1 for 0.0, as the fallback does (frexp(0.0) has exponent 0)."""
    if not ENABLE_FLOAT_EXPONENT_PRIMITIVES:
        raise PrimitiveFailedError
    if math.isinf(rcvr) or math.isnan(rcvr):
        raise PrimitiveFailedError
    mantissa, exponent = math.frexp(rcvr)
    return interp.space.wrap_int(exponent - 1)


@expose_primitive(54, unwrap_spec=[float, int])
def primitiveTimesTwoPower(interp, frame, rcvr, arg):
    """rcvr * 2**arg rounded to single; fails on overflow. The argument must be
    a SmallInteger. Shifts beyond +-400 give the same single result as +-400
    (infinity or zero), and keep ldexp inside the double range."""
    if not ENABLE_FLOAT_EXPONENT_PRIMITIVES:
        raise PrimitiveFailedError
    if arg > 400:
        arg = 400
    elif arg < -400:
        arg = -400
    return _float_result(interp.space, math.ldexp(rcvr, arg))
