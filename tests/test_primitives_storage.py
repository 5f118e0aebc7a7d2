"""Subscript, stream and storage management primitives (60-79, 105)."""

import struct

import pytest

from spyvm import constants
from spyvm.context import W_Context
from spyvm.model import (W_SmallInteger, W_PointersObject, W_WordsObject,
                         W_BytesObject, W_CompiledMethod)
from spyvm.primitives import prim_table


from tests.primsupport import make_frame, run, fails, large_positive as lpi, integer_value as value_of


def new_class(boot, name, fmt):
    """A complete class (superclass Object, method dictionaries, metaclass)."""
    w_class = boot.make_class(name, fmt)
    boot.set_super(name, 'Object')
    boot.init_class(w_class)
    w_class.w_class.w_class = boot.classes['Metaclass']
    # make_class registers an oop after the free list was built: keep it unique.
    if w_class.oop in boot.space.free_oops:
        boot.space.free_oops.remove(w_class.oop)
    return w_class


def i(space, value):
    return space.wrap_int(value)


def string(space, s):
    return space.wrap_string(s)


def char(space, c):
    return space.w_charactertable.fetch(space, ord(c))


def add_global(boot, name, w_value):
    """Make w_value reachable from the roots (Smalltalk's free slot 0)."""
    boot.w_smalltalk.store_field(0, boot.association(name, w_value))


# -- at: / at:put: / size ---------------------------------------------------------

def test_at_on_pointers_skips_fixed_fields(boot, interp):
    space = boot.space
    w_cls = new_class(boot, 'Fixed2', 0x7002)
    w_obj = W_PointersObject(w_cls, 5, space.w_nil)
    for k in range(5):
        w_obj.store_field(k, i(space, 10 + k))
    assert value_of(space, run(interp, 62, w_obj)) == 3
    assert [run(interp, 60, w_obj, i(space, k)).value for k in (1, 2, 3)] == [12, 13, 14]
    w_new = i(space, 99)
    assert run(interp, 61, w_obj, i(space, 1), w_new) is w_new
    assert w_obj.fetch_field(2) is w_new
    assert w_obj.fetch_field(0).value == 10       # the fixed fields are untouched
    for bad in (0, 4, -1):
        assert fails(interp, 60, w_obj, i(space, bad))
        assert fails(interp, 61, w_obj, i(space, bad), w_new)
    assert fails(interp, 60, w_obj, space.w_nil)  # a non-integer index


def test_at_on_non_indexable_and_small_integers_fails(boot, interp):
    space = boot.space
    w_point = space.wrap_point(1, 2)
    assert value_of(space, run(interp, 62, w_point)) == 0
    assert fails(interp, 60, w_point, i(space, 1))
    assert fails(interp, 61, w_point, i(space, 1), i(space, 5))
    assert fails(interp, 60, i(space, 3), i(space, 1))
    assert fails(interp, 62, i(space, 3))


def test_at_on_words(boot, interp):
    space = boot.space
    w_words = W_WordsObject(boot.classes['WordArray'], 3)
    w_words.words = [5, 16383, 0xFFFF]
    assert value_of(space, run(interp, 62, w_words)) == 3
    assert isinstance(run(interp, 60, w_words, i(space, 2)), W_SmallInteger)
    w_big = run(interp, 60, w_words, i(space, 3))
    assert w_big.getclass(space) is space.w_LargePositiveInteger
    assert value_of(space, w_big) == 0xFFFF
    # Stores take SmallIntegers and LargePositiveIntegers up to 65535.
    run(interp, 61, w_words, i(space, 1), lpi(space, 40000))
    assert w_words.words[0] == 40000
    run(interp, 61, w_words, i(space, 2), i(space, 7))
    assert w_words.words[1] == 7
    assert fails(interp, 61, w_words, i(space, 1), lpi(space, 65536))
    assert fails(interp, 61, w_words, i(space, 1), i(space, -1))
    assert fails(interp, 61, w_words, i(space, 1), space.w_nil)
    assert fails(interp, 60, w_words, i(space, 4))
    assert w_words.words == [40000, 7, 0xFFFF]


def test_indices_past_small_integers_come_as_large_positive_integers(boot, interp):
    """Blue Book positive16BitValueOf: a 640x480 display bitmap has 19200 words."""
    space = boot.space
    w_words = W_WordsObject(space.w_DisplayBitmap, 19200)
    w_words.words[19199] = 77
    assert value_of(space, run(interp, 62, w_words)) == 19200
    assert run(interp, 60, w_words, lpi(space, 19200)).value == 77
    run(interp, 61, w_words, lpi(space, 16384), i(space, 5))
    assert w_words.words[16383] == 5
    assert fails(interp, 60, w_words, lpi(space, 19201))
    assert fails(interp, 60, w_words, lpi(space, 70000))
    w_str = string(space, 'x' * 17000)
    run(interp, 64, w_str, lpi(space, 17000), char(space, 'y'))
    assert run(interp, 63, w_str, lpi(space, 17000)) is char(space, 'y')
    assert run(interp, 60, w_str, lpi(space, 16999)).value == ord('x')
    w_neg = W_BytesObject(space.w_LargeNegativeInteger, 2)
    w_neg.bytes = ['\x00', '\x40']
    assert fails(interp, 60, w_str, w_neg)


def test_at_on_bytes(boot, interp):
    space = boot.space
    w_bytes = W_BytesObject(boot.classes['ByteArray'], 2)
    assert run(interp, 61, w_bytes, i(space, 2), i(space, 255)).value == 255
    assert run(interp, 60, w_bytes, i(space, 2)).value == 255
    assert run(interp, 60, w_bytes, i(space, 1)).value == 0
    assert fails(interp, 61, w_bytes, i(space, 1), i(space, 256))
    assert fails(interp, 61, w_bytes, i(space, 1), i(space, -1))
    assert fails(interp, 61, w_bytes, i(space, 1), char(space, 'a'))
    assert fails(interp, 60, w_bytes, i(space, 3))
    assert w_bytes.bytes == ['\x00', '\xff']


def test_at_on_compiled_method_counts_from_the_header(boot, interp):
    space = boot.space
    w_lit = boot.symbol('foo')
    w_method = boot.method([112, 124], literals=[w_lit, 300])
    nlits = len(w_method.literals)
    header_oop = (w_method.header << 1) | 1
    initial_pc = 2 * nlits + 3
    # 2 bytes of header, 2 per literal, then the bytecodes and the trailer
    assert value_of(space, run(interp, 62, w_method)) == 2 * (nlits + 1) + 5
    assert run(interp, 60, w_method, i(space, 1)).value == header_oop >> 8
    assert run(interp, 60, w_method, i(space, 2)).value == header_oop & 0xFF
    lit_oop = space.oop_of(w_lit)
    assert run(interp, 60, w_method, i(space, 3)).value == lit_oop >> 8
    assert run(interp, 60, w_method, i(space, 4)).value == lit_oop & 0xFF
    small_oop = (300 << 1) | 1          # a SmallInteger literal reads as its oop
    assert run(interp, 60, w_method, i(space, 5)).value == small_oop >> 8
    assert run(interp, 60, w_method, i(space, 6)).value == small_oop & 0xFF
    assert run(interp, 60, w_method, i(space, initial_pc)).value == 112
    assert run(interp, 60, w_method, i(space, initial_pc + 1)).value == 124
    run(interp, 61, w_method, i(space, initial_pc + 1), i(space, 120))
    assert w_method.fetch_bytecode(w_method.initial_ip() + 1) == 120
    assert fails(interp, 60, w_method, i(space, initial_pc + 5))
    assert fails(interp, 61, w_method, i(space, initial_pc), i(space, 256))


def test_at_on_float_answers_the_ieee_single_words(boot, interp):
    space = boot.space
    for value in (1.0, -2.5, 3.1):
        w_float = space.wrap_float(value)
        bits = struct.unpack('>I', struct.pack('>f', value))[0]
        assert value_of(space, run(interp, 62, w_float)) == 2
        assert value_of(space, run(interp, 60, w_float, i(space, 1))) == bits >> 16
        assert value_of(space, run(interp, 60, w_float, i(space, 2))) == bits & 0xFFFF
        assert fails(interp, 60, w_float, i(space, 3))
    w_float = space.wrap_float(0.0)
    run(interp, 61, w_float, i(space, 1), lpi(space, 0xC020))   # -2.5 is 0xC0200000
    assert w_float.value == -2.5
    run(interp, 61, w_float, i(space, 1), i(space, 0x3F80))
    run(interp, 61, w_float, i(space, 2), i(space, 0))
    assert w_float.value == 1.0


def test_at_on_contexts_starts_at_the_first_temp(boot, interp):
    space = boot.space
    w_ctx = W_Context(space.w_MethodContext, 12, space.w_nil)
    w_ctx.settemp(0, i(space, 41))
    w_ctx.settemp(11, i(space, 42))
    assert value_of(space, run(interp, 62, w_ctx)) == 12
    assert run(interp, 60, w_ctx, i(space, 1)).value == 41
    assert run(interp, 60, w_ctx, i(space, 12)).value == 42
    run(interp, 61, w_ctx, i(space, 2), i(space, 7))
    assert w_ctx.temp(1).value == 7
    assert fails(interp, 60, w_ctx, i(space, 13))
    assert fails(interp, 60, w_ctx, i(space, 0))


def test_string_at_and_at_put_use_characters(boot, interp):
    space = boot.space
    w_str = string(space, 'abc')
    assert run(interp, 63, w_str, i(space, 2)) is char(space, 'b')
    assert run(interp, 64, w_str, i(space, 3), char(space, 'z')) is char(space, 'z')
    assert w_str.as_string() == 'abz'
    assert fails(interp, 64, w_str, i(space, 1), i(space, 65))      # not a Character
    assert fails(interp, 63, w_str, i(space, 4))
    assert fails(interp, 64, w_str, i(space, 0), char(space, 'q'))
    assert fails(interp, 63, space.wrap_list([char(space, 'a')]), i(space, 1))
    assert w_str.as_string() == 'abz'


# -- streams -------------------------------------------------------------------------

@pytest.fixture
def stream_class(boot):
    return new_class(boot, 'ReadWriteStream', 0x6004)


def make_stream(space, w_class, w_coll, position, read_limit, write_limit):
    w_stream = W_PointersObject(w_class, 4, space.w_nil)
    w_stream.store_field(0, w_coll)
    w_stream.store_field(1, i(space, position))
    w_stream.store_field(2, i(space, read_limit))
    w_stream.store_field(3, i(space, write_limit))
    return w_stream


def test_stream_next_on_array_and_string(boot, interp, stream_class):
    space = boot.space
    w_array = space.wrap_list([i(space, 7), i(space, 8), i(space, 9)])
    w_stream = make_stream(space, stream_class, w_array, 1, 2, 0)
    assert run(interp, 67, w_stream) is space.w_false
    assert run(interp, 65, w_stream).value == 8
    assert w_stream.fetch_field(1).value == 2
    assert run(interp, 67, w_stream) is space.w_true
    assert fails(interp, 65, w_stream)                  # at the read limit
    assert w_stream.fetch_field(1).value == 2
    w_str_stream = make_stream(space, stream_class, string(space, 'xy'), 0, 2, 0)
    assert run(interp, 65, w_str_stream) is char(space, 'x')
    assert run(interp, 65, w_str_stream) is char(space, 'y')
    assert fails(interp, 65, w_str_stream)


def test_stream_read_limit_beyond_the_collection(boot, interp, stream_class):
    space = boot.space
    w_stream = make_stream(space, stream_class, string(space, 'a'), 1, 5, 5)
    assert fails(interp, 65, w_stream)
    assert fails(interp, 66, w_stream, char(space, 'b'))
    assert w_stream.fetch_field(1).value == 1
    # Blue Book primitiveAtEnd: (index >= limit) | (index >= size)
    assert run(interp, 67, w_stream) is space.w_true


def test_stream_next_put(boot, interp, stream_class):
    space = boot.space
    w_str = string(space, '...')
    w_stream = make_stream(space, stream_class, w_str, 0, 0, 2)
    assert run(interp, 66, w_stream, char(space, 'h')) is char(space, 'h')
    assert run(interp, 66, w_stream, char(space, 'i')) is char(space, 'i')
    assert w_str.as_string() == 'hi.'
    assert w_stream.fetch_field(1).value == 2
    assert fails(interp, 66, w_stream, char(space, '!'))            # write limit
    w_stream.store_field(3, i(space, 3))
    assert fails(interp, 66, w_stream, i(space, 33))                # not a Character
    assert w_str.as_string() == 'hi.' and w_stream.fetch_field(1).value == 2
    w_array = space.wrap_list([space.w_nil])
    w_astream = make_stream(space, stream_class, w_array, 0, 0, 1)
    w_point = space.wrap_point(1, 1)
    assert run(interp, 66, w_astream, w_point) is w_point
    assert w_array.fetch_field(0) is w_point


def test_streams_only_on_arrays_and_strings(boot, interp, stream_class):
    space = boot.space
    w_bytes = W_BytesObject(boot.classes['ByteArray'], 4)
    w_stream = make_stream(space, stream_class, w_bytes, 0, 4, 4)
    assert fails(interp, 65, w_stream)
    assert fails(interp, 66, w_stream, i(space, 1))
    assert fails(interp, 67, w_stream)
    w_stream = make_stream(space, stream_class, string(space, 'ab'), 0, 2, 2)
    w_stream.store_field(1, space.w_nil)                # position not an integer
    assert fails(interp, 65, w_stream)
    assert fails(interp, 67, space.wrap_point(1, 2))   # too few fields


# -- objectAt: / objectAt:put: -------------------------------------------------------

def test_object_at_reads_header_and_literals(boot, interp):
    space = boot.space
    w_sym = boot.symbol('bar')
    w_method = boot.method([120], literals=[w_sym, 5], tempcount=2)
    assert run(interp, 68, w_method, i(space, 1)).value == w_method.header
    assert run(interp, 68, w_method, i(space, 2)) is w_sym
    assert run(interp, 68, w_method, i(space, 3)).value == 5
    assert fails(interp, 68, w_method, i(space, 4))
    assert fails(interp, 68, w_method, i(space, 0))
    assert fails(interp, 68, space.wrap_list([w_sym]), i(space, 1))
    w_new = string(space, 'lit')
    assert run(interp, 69, w_method, i(space, 3), w_new) is w_new
    assert w_method.literals[1] is w_new
    # A new header is decoded again: 5 temps now.
    header = (w_method.header & ~(0x1F << 7)) | (5 << 7)
    run(interp, 69, w_method, i(space, 1), i(space, header))
    assert w_method.tempsize == 5 and w_method.header == header
    assert fails(interp, 69, w_method, i(space, 1), space.w_nil)
    assert fails(interp, 69, w_method, i(space, 4), space.w_nil)


# -- new / new: ---------------------------------------------------------------------------

def test_new_for_pointers(boot, interp):
    space = boot.space
    w_point = run(interp, 70, space.w_Point)
    assert isinstance(w_point, W_PointersObject)
    assert w_point.getclass(space) is space.w_Point
    assert w_point.size() == 2 and w_point.fetch_field(1) is space.w_nil
    assert fails(interp, 70, space.w_Array)              # indexable: needs new:
    assert fails(interp, 71, space.w_Point, i(space, 3))  # not indexable
    assert fails(interp, 70, i(space, 3))


def test_new_with_arg_for_each_kind(boot, interp):
    space = boot.space
    w_array = run(interp, 71, space.w_Array, i(space, 4))
    assert isinstance(w_array, W_PointersObject) and w_array.size() == 4
    assert w_array.fetch_field(3) is space.w_nil
    w_fixed_cls = new_class(boot, 'Fixed1', 0x7001)
    w_fixed = run(interp, 71, w_fixed_cls, i(space, 3))
    assert w_fixed.size() == 4 and value_of(space, run(interp, 62, w_fixed)) == 3
    w_words = run(interp, 71, boot.classes['WordArray'], i(space, 3))
    assert isinstance(w_words, W_WordsObject) and w_words.words == [0, 0, 0]
    w_bytes = run(interp, 71, boot.classes['ByteArray'], i(space, 5))
    assert isinstance(w_bytes, W_BytesObject) and w_bytes.bytes == ['\x00'] * 5
    assert w_bytes.getclass(space) is boot.classes['ByteArray']
    w_ctx = run(interp, 71, space.w_MethodContext, i(space, 20))
    assert isinstance(w_ctx, W_Context) and w_ctx.stacksize() == 20
    assert w_ctx.getclass(space) is space.w_MethodContext
    assert value_of(space, run(interp, 62, w_ctx)) == 20
    assert w_ctx.fetch(space, constants.CTX_SENDER) is space.w_nil
    # The size may be a LargePositiveInteger (a 16-bit value)
    w_big = run(interp, 71, boot.classes['ByteArray'], lpi(space, 20000))
    assert w_big.size() == 20000
    assert fails(interp, 71, space.w_Array, i(space, -1))
    assert fails(interp, 71, space.w_Array, lpi(space, 70000))
    assert fails(interp, 71, space.w_Array, space.w_nil)


# -- become: ----------------------------------------------------------------------------------

def test_become_same_kind_swaps_contents_and_keeps_identity_hash(boot, interp):
    space = boot.space
    w_a = space.wrap_list([i(space, 1), i(space, 2)])
    w_b = space.wrap_point(3, 4)
    oop_a, oop_b = space.oop_of(w_a), space.oop_of(w_b)
    w_holder = space.wrap_list([w_a, w_b])
    assert run(interp, 72, w_a, w_b) is w_a
    assert w_a.getclass(space) is space.w_Point and w_a.fetch_field(0).value == 3
    assert w_b.getclass(space) is space.w_Array and w_b.size() == 2
    assert w_b.fetch_field(1).value == 2
    assert space.oop_of(w_a) == oop_a and space.oop_of(w_b) == oop_b
    assert space.object_at_oop(oop_a) is w_a
    assert w_holder.fetch_field(0) is w_a          # the reference sees b's body


def test_become_same_kind_bytes_and_words(boot, interp):
    space = boot.space
    w_s, w_t = string(space, 'abc'), string(space, 'de')
    run(interp, 72, w_s, w_t)
    assert w_s.as_string() == 'de' and w_t.as_string() == 'abc'
    w_u = W_WordsObject(boot.classes['WordArray'], 1)
    w_v = W_WordsObject(space.w_DisplayBitmap, 2)
    w_u.words = [1]
    w_v.words = [2, 3]
    run(interp, 72, w_u, w_v)
    assert w_u.words == [2, 3] and w_u.getclass(space) is space.w_DisplayBitmap
    assert w_v.words == [1]


def test_become_different_kinds_swaps_references(boot, interp):
    space = boot.space
    w_str = string(space, 'hello')
    w_arr = space.wrap_list([i(space, 1)])
    w_global = space.wrap_list([w_str, w_arr, w_str])
    add_global(boot, 'BecomeHolder', w_global)
    oop_str, oop_arr = space.oop_of(w_str), space.oop_of(w_arr)
    frame = make_frame(space, space.w_nil, [w_str, w_arr, w_str, w_arr])
    frame.settemp(0, w_arr)                    # a reference from the active context
    prim_table[72](interp, frame, 1)
    assert frame.sp == 4
    # The references were exchanged, in the global Array and in the context.
    assert w_global.fetch_field(0) is w_arr
    assert w_global.fetch_field(1) is w_str
    assert w_global.fetch_field(2) is w_arr
    assert frame.temp(0) is w_str
    assert frame.temp(1) is w_arr and frame.temp(2) is w_str
    # become: answers the receiver: the reference that was the String, now the Array.
    assert frame.top() is w_arr
    # Each reference keeps its identity hash: the oop went with the reference.
    assert space.oop_of(w_arr) == oop_str and space.oop_of(w_str) == oop_arr
    assert space.object_at_oop(oop_str) is w_arr
    assert space.object_at_oop(oop_arr) is w_str
    # The bodies themselves are unchanged.
    assert w_str.as_string() == 'hello' and w_arr.fetch_field(0).value == 1


def test_become_different_kinds_swaps_class_references(boot, interp):
    space = boot.space
    w_cls_a = new_class(boot, 'KindA', 0x6001)
    w_float = space.wrap_float(1.5)
    w_inst = W_PointersObject(w_cls_a, 1, space.w_nil)
    add_global(boot, 'Things', space.wrap_list([w_cls_a, w_float, w_inst]))
    run(interp, 72, w_cls_a, w_float)
    assert w_inst.getclass(space) is w_float


def test_become_fails_for_contexts_and_small_integers(boot, interp):
    space = boot.space
    w_ctx = W_Context(space.w_MethodContext, 12, space.w_nil)
    w_arr = space.wrap_list([])
    assert fails(interp, 72, w_ctx, w_arr)
    assert fails(interp, 72, w_arr, w_ctx)
    assert fails(interp, 72, i(space, 1), w_arr)
    assert fails(interp, 72, w_arr, i(space, 1))
    w_ctx2 = W_Context(space.w_MethodContext, 12, space.w_nil)
    w_ctx2.settemp(0, i(space, 5))
    run(interp, 72, w_ctx, w_ctx2)
    assert w_ctx.temp(0).value == 5
    assert w_ctx2.fetch(space, constants.CTX_TEMP_FRAME_START) is space.w_nil
    # Contexts of different sizes cannot trade bodies (the stacks are fixed).
    w_large = W_Context(space.w_MethodContext, 32, space.w_nil)
    assert fails(interp, 72, w_ctx, w_large)
    assert w_ctx.temp(0).value == 5 and w_large.stacksize() == 32


# -- instVarAt: / instVarAt:put: ------------------------------------------------------------

def test_inst_var_at(boot, interp):
    space = boot.space
    w_point = space.wrap_point(3, 4)
    assert run(interp, 73, w_point, i(space, 2)).value == 4
    assert run(interp, 74, w_point, i(space, 1), i(space, 9)).value == 9
    assert w_point.fetch_field(0).value == 9
    assert fails(interp, 73, w_point, i(space, 3))
    assert fails(interp, 73, w_point, i(space, 0))
    assert fails(interp, 74, w_point, i(space, 3), i(space, 1))
    assert fails(interp, 73, i(space, 1), i(space, 1))
    # Indexable fields count after the fixed ones; bytes read as integers.
    w_fixed = W_PointersObject(new_class(boot, 'Fixed1b', 0x7001), 3, space.w_nil)
    run(interp, 74, w_fixed, i(space, 3), i(space, 8))
    assert w_fixed.fetch_field(2).value == 8
    assert run(interp, 73, string(space, 'AB'), i(space, 2)).value == ord('B')
    w_ctx = W_Context(space.w_MethodContext, 12, space.w_nil)
    w_ctx.set_ip(17)
    assert run(interp, 73, w_ctx, i(space, 2)).value == 17
    assert fails(interp, 73, w_ctx, i(space, 19))


# -- asOop / asObject ----------------------------------------------------------------------------

def lowest_free_oop(space):
    for index in range(1, len(space.objects)):
        if space.objects[index] is None:
            return index << 1
    raise AssertionError('no free oop')


def test_as_oop_of_loaded_objects_keeps_their_oop(boot, interp):
    space = boot.space
    assert run(interp, 75, space.w_nil).value == constants.NIL_OOP >> 1
    assert run(interp, 75, space.w_Array).value == constants.CLASS_ARRAY_OOP >> 1
    assert fails(interp, 75, i(space, 5))


def test_as_oop_of_new_objects_takes_the_lowest_free_oop(boot, interp):
    space = boot.space
    expected = lowest_free_oop(space)
    w_a = space.wrap_list([])
    w_b = space.wrap_list([])
    assert run(interp, 75, w_a).value == expected >> 1
    assert run(interp, 75, w_a).value == expected >> 1         # stable
    second = lowest_free_oop(space)
    assert second > expected
    assert run(interp, 75, w_b).value == second >> 1
    assert run(interp, 76, i(space, expected >> 1)) is w_a
    assert run(interp, 76, i(space, second >> 1)) is w_b


def test_high_oops_read_as_negative_small_integers(boot, interp):
    space = boot.space
    w_obj = space.wrap_list([])
    for oop in (32768, 40000, 65534):
        space.register_loaded(w_obj, oop)
        w_hash = run(interp, 75, w_obj)
        assert w_hash.value == oop // 2 - 32768
        assert w_hash.value < 0
        assert run(interp, 76, w_hash) is w_obj
    space.register_loaded(w_obj, 32766)
    assert run(interp, 75, w_obj).value == 16383


def test_as_object_fails_for_free_oops(boot, interp):
    space = boot.space
    assert fails(interp, 76, i(space, lowest_free_oop(space) >> 1))
    assert fails(interp, 76, i(space, 0))
    assert fails(interp, 76, space.w_nil)
    assert run(interp, 76, i(space, constants.TRUE_OOP >> 1)) is space.w_true


# -- someInstance / nextInstance -----------------------------------------------------------------

def test_some_instance_and_next_instance_in_oop_order(boot, interp):
    space = boot.space
    w_cls = new_class(boot, 'Thing', 0x6000)
    w_a, w_b, w_c = [W_PointersObject(w_cls, 0, space.w_nil) for _ in range(3)]
    w_unreachable = W_PointersObject(w_cls, 0, space.w_nil)
    add_global(boot, 'Things', space.wrap_list([w_a, w_b, w_c]))
    # Oops given in another order than the references: c < a < b.
    space.oop_of(w_c)
    space.oop_of(w_a)
    space.oop_of(w_b)
    space.oop_of(w_unreachable)
    assert run(interp, 77, w_cls) is w_c
    assert run(interp, 78, w_c) is w_a
    assert run(interp, 78, w_a) is w_b
    assert fails(interp, 78, w_b)
    assert fails(interp, 78, w_unreachable)
    assert fails(interp, 78, i(space, 1))


def test_some_instance_sees_the_active_context(boot, interp):
    space = boot.space
    w_cls = new_class(boot, 'Loner', 0x6000)
    assert fails(interp, 77, w_cls)
    w_obj = W_PointersObject(w_cls, 0, space.w_nil)
    frame = make_frame(space, w_cls, [])
    frame.settemp(3, w_obj)          # above the stack top, but in the context
    prim_table[77](interp, frame, 0)
    assert frame.top() is w_obj
    assert w_obj.oop != 0            # enumerating gave it an oop


# -- newMethod:header: ------------------------------------------------------------------------------

def test_new_method_header(boot, interp):
    space = boot.space
    header = (2 << 12) | (3 << 7) | 2           # 2 args, 3 temps, 2 literals
    w_method = run(interp, 79, space.w_CompiledMethod, i(space, 6), i(space, header))
    assert isinstance(w_method, W_CompiledMethod)
    assert w_method.getclass(space) is space.w_CompiledMethod
    assert w_method.argsize == 2 and w_method.tempsize == 3
    assert w_method.literals == [space.w_nil, space.w_nil]
    assert value_of(space, run(interp, 62, w_method)) == 2 * 3 + 6
    assert run(interp, 68, w_method, i(space, 1)).value == header
    assert run(interp, 68, w_method, i(space, 3)) is space.w_nil
    initial_pc = 2 * 2 + 3
    assert run(interp, 60, w_method, i(space, initial_pc)).value == 0
    run(interp, 61, w_method, i(space, initial_pc + 5), i(space, 77))
    assert run(interp, 60, w_method, i(space, initial_pc + 5)).value == 77
    assert fails(interp, 60, w_method, i(space, initial_pc + 6))
    assert fails(interp, 79, space.w_CompiledMethod, i(space, 6), space.w_nil)
    assert fails(interp, 79, space.w_CompiledMethod, i(space, -1), i(space, header))


# -- replaceFrom:to:with:startingAt: ---------------------------------------------------------------

def replace(interp, w_rcvr, start, stop, w_repl, repl_start):
    space = interp.space
    return run(interp, 105, w_rcvr, i(space, start), i(space, stop), w_repl,
               i(space, repl_start))


def replace_fails(interp, w_rcvr, start, stop, w_repl, repl_start):
    space = interp.space
    return fails(interp, 105, w_rcvr, i(space, start), i(space, stop), w_repl,
                 i(space, repl_start))


def test_replace_bytes(boot, interp):
    space = boot.space
    w_str = string(space, 'hello world')
    assert replace(interp, w_str, 1, 5, string(space, 'xHELLOx'), 2) is w_str
    assert w_str.as_string() == 'HELLO world'
    replace(interp, w_str, 3, 2, string(space, ''), 1)                  # empty range
    assert w_str.as_string() == 'HELLO world'
    w_sym = boot.symbol('abc')
    replace(interp, w_str, 9, 11, w_sym, 1)
    assert w_str.as_string() == 'HELLO woabc'


def test_replace_overlapping_ranges_in_one_object(boot, interp):
    space = boot.space
    w_str = string(space, 'abcdef')
    replace(interp, w_str, 2, 5, w_str, 1)          # to the right
    assert w_str.as_string() == 'aabcdf'
    w_str = string(space, 'abcdef')
    replace(interp, w_str, 1, 4, w_str, 3)          # to the left
    assert w_str.as_string() == 'cdefef'
    w_arr = space.wrap_list([i(space, k) for k in range(5)])
    replace(interp, w_arr, 2, 5, w_arr, 1)
    assert [w.value for w in w_arr._vars] == [0, 0, 1, 2, 3]
    w_words = W_WordsObject(boot.classes['WordArray'], 4)
    w_words.words = [1, 2, 3, 4]
    replace(interp, w_words, 2, 4, w_words, 1)
    assert w_words.words == [1, 1, 2, 3]


def test_replace_words_and_pointers(boot, interp):
    space = boot.space
    w_dst = W_WordsObject(boot.classes['WordArray'], 3)
    w_src = W_WordsObject(space.w_DisplayBitmap, 4)
    w_src.words = [10, 20, 30, 65535]
    replace(interp, w_dst, 2, 3, w_src, 3)
    assert w_dst.words == [0, 30, 65535]
    # Pointers: the fixed fields of both sides are skipped.
    w_cls = new_class(boot, 'Fixed1c', 0x7001)
    w_fixed = W_PointersObject(w_cls, 4, space.w_nil)
    w_marker = string(space, 'fixed')
    w_fixed.store_field(0, w_marker)
    w_arr = space.wrap_list([i(space, 5), i(space, 6), i(space, 7)])
    replace(interp, w_fixed, 1, 3, w_arr, 1)
    assert w_fixed.fetch_field(0) is w_marker
    assert [w.value for w in w_fixed._vars[1:]] == [5, 6, 7]
    w_back = space.wrap_list([space.w_nil, space.w_nil])
    replace(interp, w_back, 1, 2, w_fixed, 2)
    assert [w.value for w in w_back._vars] == [6, 7]


def test_replace_failures_leave_everything_unchanged(boot, interp):
    space = boot.space
    w_str = string(space, 'abc')
    w_src = string(space, 'xyz')
    assert replace_fails(interp, w_str, 0, 2, w_src, 1)       # start < 1
    assert replace_fails(interp, w_str, 2, 4, w_src, 1)       # past the receiver
    assert replace_fails(interp, w_str, 1, 3, w_src, 2)       # past the source
    assert replace_fails(interp, w_str, 1, 2, w_src, 0)       # repStart < 1
    assert replace_fails(interp, w_str, 3, 1, w_src, 1)       # stop < start - 1
    assert replace_fails(interp, w_str, 1, 1, space.wrap_list([char(space, 'q')]), 1)
    w_words = W_WordsObject(boot.classes['WordArray'], 3)
    assert replace_fails(interp, w_words, 1, 1, w_src, 1)     # different kinds
    assert replace_fails(interp, space.wrap_list([space.w_nil]), 1, 1, w_words, 1)
    w_method = boot.method([112, 124])
    assert replace_fails(interp, w_method, 1, 1, w_src, 1)
    assert w_str.as_string() == 'abc' and w_words.words == [0, 0, 0]
    assert fails(interp, 105, w_str, i(space, 1), space.w_nil, w_src, i(space, 1))


def test_become_invalidates_lookups_only_when_what_they_find_changes(boot, interp):
    """Collections grow by become: all the time; a flush throws away all JIT
    code, so only what lookup reads may cause one."""
    space = boot.space
    version = space.lookup_version
    run(interp, 72, space.wrap_list([i(space, 1)]), space.wrap_list([i(space, 2), i(space, 3)]))
    run(interp, 72, string(space, 'ab'), string(space, 'cde'))
    assert space.lookup_version is version
    # A MethodDictionary grows by become: of a copy: nothing changes for lookup.
    w_class = space.w_nil.getclass(space)
    w_sel = boot.symbol('isNil')
    interp.lookup.findNewMethodInClass(w_class, w_sel)
    selector_version = w_sel.lookup_version
    w_dict = w_class.fetch_field(constants.CLASS_METHODDICT)
    w_copy = W_PointersObject(w_dict.getclass(space), w_dict.size(), space.w_nil)
    for k in range(w_dict.size()):
        w_copy.store(space, k, w_dict.fetch_field(k))
    run(interp, 72, w_dict, w_copy)
    assert space.lookup_version is version and w_sel.lookup_version is selector_version
    # Classes trading places (different superclasses): every lookup may change.
    w_cls_a, w_cls_b = new_class(boot, 'KindC', 0x6001), new_class(boot, 'KindD', 0x6001)
    w_cls_b.store_field(constants.CLASS_SUPERCLASS, w_class)
    interp.lookup.findNewMethodInClass(w_cls_a, w_sel)
    run(interp, 72, w_cls_a, w_cls_b)
    assert space.lookup_version is not version


def test_object_at_put_replaces_the_literals_without_a_flush(boot, interp):
    space = boot.space
    w_method = boot.method([112, 124], literals=['one', 'two'])
    old = w_method.literals
    version = space.lookup_version
    run(interp, 69, w_method, i(space, 2), string(space, 'x'))
    assert space.lookup_version is version
    # A new list (a quasi-immutable field written: the traces reading it go).
    assert w_method.literals is not old and w_method.literals[0].as_string() == 'x'
