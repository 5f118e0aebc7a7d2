"""spyvm/objspace.py: wrapping, instantiation, classes, and the oop table."""

import pytest

from spyvm import constants
from spyvm.error import PrimitiveFailedError
from spyvm.model import (W_SmallInteger, W_PointersObject, W_BytesObject, W_WordsObject,
                         W_LargeInteger)
from spyvm.context import W_Context


def test_integers_past_15_bits_are_large_integers(space):
    for value in (0, 16383, -16384):
        assert isinstance(space.wrap_int(value), W_SmallInteger)
    for value in (16384, 100000, 2 ** 31 - 1, -16385, -100000):
        w_int = space.wrap_int(value)
        assert isinstance(w_int, W_LargeInteger)          # up to 7 digits: a machine word
        expected = space.w_LargePositiveInteger if value > 0 else space.w_LargeNegativeInteger
        assert w_int.getclass(space) is expected
        assert space.unwrap_large_or_small(w_int) == value
    assert digits(space, space.wrap_int(70000)) == [0x70, 0x11, 0x01]   # low byte first
    w_big = space.wrap_int(2 ** 56)                           # 8 digits: bytes
    assert isinstance(w_big, W_BytesObject) and digits(space, w_big) == [0] * 7 + [1]
    with pytest.raises(PrimitiveFailedError):
        space.unwrap_large_or_small(space.wrap_int(2 ** 40))      # more than 4 bytes
    with pytest.raises(PrimitiveFailedError):
        space.unwrap_int(space.wrap_int(20000))


def digits(space, w_int):
    return [w_int.fetch(space, i).value for i in range(w_int.size())]


def test_positive_32_bit_results_are_four_bytes(space):
    w_int = space.wrap_positive_32bit(0x12345678)
    assert digits(space, w_int) == [0x78, 0x56, 0x34, 0x12]
    assert digits(space, space.wrap_positive_32bit(0x10000)) == [0, 0, 1, 0]  # not normalized
    assert space.wrap_positive_32bit(100).value == 100


def test_instantiate_follows_the_class_format(boot, space):
    assert isinstance(space.instantiate(space.w_Point, 0), W_PointersObject)
    assert space.instantiate(space.w_Point, 5).size() == 2        # not indexable
    assert space.instantiate(space.w_Array, 5).size() == 5
    assert isinstance(space.instantiate(space.w_String, 3), W_BytesObject)
    assert isinstance(space.instantiate(boot.classes['WordArray'], 3), W_WordsObject)
    w_ctx = space.instantiate(space.w_MethodContext, 12)
    assert isinstance(w_ctx, W_Context) and w_ctx.stacksize() == 12
    with pytest.raises(PrimitiveFailedError):
        space.instantiate(space.w_Array, -1)
    with pytest.raises(PrimitiveFailedError):
        space.instantiate(space.w_CompiledMethod, 4)              # primitive 79 makes them
    with pytest.raises(PrimitiveFailedError):
        space.instantiate(space.wrap_int(3), 0)                   # not a class


def test_class_names_and_globals(boot, space):
    assert space.class_name(space.w_Point) == 'Point'
    assert space.class_name(space.w_Point.getclass(space)) == 'Point class'
    assert space.class_name(space.w_nil) == '?'
    assert space.find_global('Point') is space.w_Point
    assert space.find_global('NoSuchGlobal') is None
    assert space.superclass(space.w_Point) is boot.classes['Object']


def test_new_objects_get_the_lowest_free_oop_when_asked(space):
    w_a = space.wrap_string('a')
    w_b = space.wrap_string('b')
    assert w_a.oop == 0                           # none until something asks
    lowest = space.free_oops[-1]
    assert space.oop_of(w_b) == lowest and space.oop_of(w_a) == lowest + 2
    assert space.oop_of(w_b) == lowest            # stable
    assert space.object_at_oop(lowest) is w_b
    assert space.oop_of(space.wrap_int(-1)) == 0xFFFF       # SmallIntegers: 2n+1


def test_a_full_table_reclaims_the_oops_of_unreachable_objects(boot, space):
    w_kept = space.wrap_string('kept')
    boot.w_smalltalk.store_field(0, w_kept)       # reachable from the roots
    w_dropped = space.wrap_string('dropped')
    space.oop_of(w_kept)
    oop_dropped = space.oop_of(w_dropped)
    space.w_active_context = W_Context(space.w_MethodContext, 12, space.w_nil)
    left = space.oops_left()
    space.free_oops = []                          # the table is full
    w_new = space.wrap_string('new')
    assert space.oop_of(w_new) == oop_dropped     # the lowest reclaimed one
    assert w_dropped.oop == 0 and w_kept.oop != 0
    assert space.object_at_oop(w_kept.oop) is w_kept
    assert space.oops_left() >= left - 1


def test_an_exhausted_table_fails_the_allocation(space):
    space.free_oops = []
    space.w_active_context = None                 # no roots known: nothing reclaimed
    with pytest.raises(PrimitiveFailedError):
        space.oop_of(space.wrap_string('x'))


def test_reclaiming_keeps_what_the_running_contexts_hold(boot, space):
    w_temp = space.wrap_string('temp')
    space.oop_of(w_temp)
    w_ctx = W_Context.method_context(space, boot.method([124], tempcount=1),
                                     space.w_nil, space.w_nil)
    w_ctx.settemp(0, w_temp)
    space.w_active_context = w_ctx
    space.free_oops = []
    space.oop_of(space.wrap_string('new'))
    assert w_temp.oop != 0 and space.object_at_oop(w_temp.oop) is w_temp
    assert constants.NIL_OOP == space.oop_of(space.w_nil)
