"""Calling primitives directly in unit tests."""

from spyvm.context import W_Context
from spyvm.model import W_BytesObject, W_SmallInteger
from spyvm.error import PrimitiveFailedError
from spyvm.primitives import prim_table


def make_frame(space, rcvr, args, size=12):
    """A live context (a returned one has a nil ip) with rcvr and args pushed."""
    frame = W_Context(space.w_MethodContext, size, space.w_nil)
    frame.set_ip(0)
    frame.sp = 0
    frame.push(rcvr)
    for w_arg in args:
        frame.push(w_arg)
    return frame


def run(interp, index, rcvr, *args):
    """Run a primitive that must succeed; answer its result."""
    frame = make_frame(interp.space, rcvr, args)
    prim_table[index](interp, frame, len(args))
    assert frame.sp == 1
    return frame.top()


def fails(interp, index, rcvr, *args):
    """True if the primitive fails leaving the stack exactly as it was."""
    frame = make_frame(interp.space, rcvr, args)
    try:
        prim_table[index](interp, frame, len(args))
    except PrimitiveFailedError:
        assert frame.sp == 1 + len(args)
        assert frame.peek(len(args)) is rcvr
        for k in range(len(args)):
            assert frame.peek(len(args) - 1 - k) is args[k]
        return True
    return False


def large_positive(space, value):
    """A LargePositiveInteger built by hand (digits low byte first)."""
    digits = []
    while value:
        digits.append(chr(value & 0xFF))
        value >>= 8
    w = W_BytesObject(space.w_LargePositiveInteger, len(digits))
    w.bytes = digits
    return w


def integer_value(space, w_int):
    """A SmallInteger's or LargePositiveInteger's value, read independently
    (through the digits the image sees)."""
    if isinstance(w_int, W_SmallInteger):
        return w_int.value
    assert w_int.getclass(space) is space.w_LargePositiveInteger
    return sum(w_int.fetch(space, k).value << (8 * k) for k in range(w_int.size()))
