"""spyvm/model.py: the object kinds, their bounds, and become:."""

import pytest

from spyvm.error import PrimitiveFailedError
from spyvm.model import (W_SmallInteger, W_PointersObject, W_WordsObject,
                         W_BytesObject, W_Float, W_CompiledMethod)


def test_small_integers_are_identical_by_value(space):
    assert W_SmallInteger(7).is_same_object(W_SmallInteger(7))
    assert not W_SmallInteger(7).is_same_object(W_SmallInteger(8))
    assert W_SmallInteger(7).getclass(space) is space.w_SmallInteger


def test_pointers_fields_are_bounds_checked(space):
    w_obj = W_PointersObject(space.w_Array, 3, space.w_nil)
    assert w_obj.fetch(space, 2) is space.w_nil
    w_obj.store(space, 2, space.w_true)
    assert w_obj.fetch(space, 2) is space.w_true
    for index in (-1, 3, 40000):
        with pytest.raises(PrimitiveFailedError):
            w_obj.fetch(space, index)
        with pytest.raises(PrimitiveFailedError):
            w_obj.store(space, index, space.w_nil)


def test_words_hold_16_bits_given_as_small_or_large_integers(space):
    w_words = W_WordsObject(space.w_DisplayBitmap, 2)
    w_words.store(space, 0, space.wrap_int(65535))       # a LargePositiveInteger
    assert w_words.words[0] == 65535
    assert space.unwrap_large_or_small(w_words.fetch(space, 0)) == 65535
    for w_bad in (space.wrap_int(-1), space.wrap_int(65536), space.w_nil):
        with pytest.raises(PrimitiveFailedError):
            w_words.store(space, 1, w_bad)
    with pytest.raises(PrimitiveFailedError):
        w_words.fetch(space, 2)


def test_bytes_hold_0_to_255(space):
    w_bytes = W_BytesObject(space.w_String, 2)
    w_bytes.store(space, 1, space.wrap_int(255))
    assert w_bytes.fetch(space, 1).value == 255 and w_bytes.getbyte(1) == 255
    for w_bad in (space.wrap_int(256), space.wrap_int(-1), space.w_nil):
        with pytest.raises(PrimitiveFailedError):
            w_bytes.store(space, 0, w_bad)
    w_bytes.setbyte(0, 0x141)                           # the low byte only
    assert w_bytes.as_string() == '\x41\xff'


def test_floats_are_two_words_of_an_ieee_single(space):
    w_float = W_Float(space.w_Float, 1.5)
    assert [w_float.fetch(space, i).value for i in (0, 1)] == [0x3FC0, 0]
    w_float.store(space, 0, space.wrap_int(0x4000))      # 2.0
    assert w_float.value == 2.0
    with pytest.raises(PrimitiveFailedError):
        w_float.fetch(space, 2)


def test_a_method_header_decodes_as_the_blue_book_says(boot, space):
    w_method = boot.method([112, 124], literals=['a'], argcount=2, tempcount=3,
                           primitive=60, large=True)
    assert (w_method.flag, w_method.argsize, w_method.tempsize) == (7, 2, 3)
    assert w_method.primitive == 60 and w_method.large_context
    assert w_method.frame_size() == 32
    assert w_method.initial_ip() == 2 * (len(w_method.literals) + 1) + 1
    assert w_method.fetch_bytecode(w_method.initial_ip()) == 112
    assert not w_method.makes_blocks()
    assert boot.method([137, 124]).makes_blocks()


def test_a_method_as_data_counts_bytes_from_the_header(boot, space):
    w_method = boot.method([112, 124], literals=[5])
    first = w_method.bytecodeoffset - 1                 # header and one literal: 4 bytes
    assert first == 4 and w_method.size() == 4 + 2 + 3
    assert w_method.fetch(space, first).value == 112
    assert w_method.fetch(space, 3).value == (5 << 1 | 1) & 0xFF   # the literal's oop
    w_method.store(space, first, space.wrap_int(120))
    assert w_method.fetch_bytecode(w_method.initial_ip()) == 120
    with pytest.raises(PrimitiveFailedError):
        w_method.store(space, 0, space.wrap_int(1))      # header bytes: objectAt:put:
    with pytest.raises(PrimitiveFailedError):
        w_method.fetch(space, w_method.size())
    w_method.literalatput0(space, 1, space.wrap_int(9))
    assert w_method.literalat0(space, 1).value == 9
    with pytest.raises(PrimitiveFailedError):
        w_method.literalat0(space, 2)


def test_become_swaps_bodies_and_classes_but_not_oops(space):
    w_a = W_PointersObject(space.w_Array, 1, space.w_nil)
    w_b = W_PointersObject(space.w_Point, 2, space.w_nil)
    w_a.oop, w_b.oop = 100, 102
    w_b.store(space, 1, space.w_true)
    assert w_a.become(w_b)
    assert w_a.getclass(space) is space.w_Point and w_a.size() == 2
    assert w_a.fetch(space, 1) is space.w_true and w_b.size() == 1
    assert (w_a.oop, w_b.oop) == (100, 102)
    assert not w_a.become(W_BytesObject(space.w_String, 1))   # not the same kind


def test_become_of_methods_keeps_each_header_decoded(boot, space):
    w_one = boot.method([118, 124], argcount=1)
    w_two = boot.method([119, 124], tempcount=2)
    assert w_one.become(w_two)
    assert (w_one.argsize, w_one.tempsize) == (0, 2)
    assert (w_two.argsize, w_two.tempsize) == (1, 1)
    assert w_one.fetch_bytecode(w_one.initial_ip()) == 119
    assert not w_one.become(W_PointersObject(space.w_Array, 0, space.w_nil))
    assert isinstance(w_one, W_CompiledMethod)
