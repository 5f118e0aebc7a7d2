"""Subscript, stream and storage management primitives (60-79, 105)."""

from rpython.rlib import jit
from spyvm import constants
from spyvm.error import PrimitiveFailedError
from spyvm.model import (W_SmallInteger, W_PointersObject, W_BytesObject,
                         W_WordsObject, W_CompiledMethod, W_AbstractObjectWithClass)
from spyvm.context import W_Context
from spyvm.primitives import expose_primitive, index1


def fixed_fields(space, w_obj):
    return space.class_format(w_obj.getclass(space)) & constants.FORMAT_FIXED_MASK


def check_indexable_bounds(space, w_obj, index0):
    """Blue Book checkIndexableBounds:in: (index0 is the 0-based indexable index)."""
    if isinstance(w_obj, W_SmallInteger):
        raise PrimitiveFailedError
    fixed = fixed_fields(space, w_obj)
    if index0 < 0 or index0 + fixed >= w_obj.size():
        raise PrimitiveFailedError
    return fixed + index0


def index0_of(space, w_index):
    """Blue Book positive16BitValueOf: for the subscript primitives: objects
    may have up to 65535 slots, so indices past 16383 come as
    LargePositiveIntegers. Answers the 0-based index."""
    return space.unwrap_positive_16bit(w_index) - 1


@expose_primitive(60, unwrap_spec=[object, object])
def primitiveAt(interp, frame, w_rcvr, w_index):
    space = interp.space
    index0 = index0_of(space, w_index)
    return w_rcvr.fetch(space, check_indexable_bounds(space, w_rcvr, index0))


@expose_primitive(61, unwrap_spec=[object, object, object])
def primitiveAtPut(interp, frame, w_rcvr, w_index, w_value):
    space = interp.space
    index0 = index0_of(space, w_index)
    w_rcvr.store(space, check_indexable_bounds(space, w_rcvr, index0), w_value)
    return w_value


@expose_primitive(62, unwrap_spec=[object])
def primitiveSize(interp, frame, w_rcvr):
    space = interp.space
    if isinstance(w_rcvr, W_SmallInteger):
        raise PrimitiveFailedError
    return space.wrap_int(w_rcvr.size() - fixed_fields(space, w_rcvr))


@expose_primitive(63, unwrap_spec=[object, object])
def primitiveStringAt(interp, frame, w_rcvr, w_index):
    space = interp.space
    if not isinstance(w_rcvr, W_BytesObject):
        raise PrimitiveFailedError
    i = check_indexable_bounds(space, w_rcvr, index0_of(space, w_index))
    return space.w_charactertable.fetch(space, w_rcvr.getbyte(i))


@expose_primitive(64, unwrap_spec=[object, object, object])
def primitiveStringAtPut(interp, frame, w_rcvr, w_index, w_char):
    space = interp.space
    if not isinstance(w_rcvr, W_BytesObject):
        raise PrimitiveFailedError
    i = check_indexable_bounds(space, w_rcvr, index0_of(space, w_index))
    value = space.unwrap_char(w_char)
    if not 0 <= value <= 255:
        raise PrimitiveFailedError
    w_rcvr.setbyte(i, value)
    return w_char


# Streams: 0 collection, 1 position, 2 readLimit, 3 writeLimit.
def stream_fields(space, w_stream, limit_index):
    if not isinstance(w_stream, W_PointersObject) or w_stream.size() <= limit_index:
        raise PrimitiveFailedError
    w_array = w_stream.fetch_field(0)
    index = space.unwrap_int(w_stream.fetch_field(1))
    limit = space.unwrap_int(w_stream.fetch_field(limit_index))
    w_class = w_array.getclass(space)
    if w_class is not space.w_Array and w_class is not space.w_String:
        raise PrimitiveFailedError
    return w_array, index, limit


@expose_primitive(65, unwrap_spec=[object])
def primitiveNext(interp, frame, w_stream):
    space = interp.space
    w_array, index, limit = stream_fields(space, w_stream, 2)
    if index >= limit:
        raise PrimitiveFailedError
    i = check_indexable_bounds(space, w_array, index)
    w_result = w_array.fetch(space, i)
    w_stream.store(space, 1, space.wrap_int(index + 1))
    if w_array.getclass(space) is space.w_String:
        return space.w_charactertable.fetch(space, space.unwrap_int(w_result))
    return w_result


@expose_primitive(66, unwrap_spec=[object, object])
def primitiveNextPut(interp, frame, w_stream, w_value):
    space = interp.space
    w_array, index, limit = stream_fields(space, w_stream, 3)
    if index >= limit:
        raise PrimitiveFailedError
    i = check_indexable_bounds(space, w_array, index)
    if w_array.getclass(space) is space.w_String:
        w_array.store(space, i, space.wrap_int(space.unwrap_char(w_value)))
    else:
        w_array.store(space, i, w_value)
    w_stream.store(space, 1, space.wrap_int(index + 1))
    return w_value


@expose_primitive(67, unwrap_spec=[object])
def primitiveAtEnd(interp, frame, w_stream):
    space = interp.space
    w_array, index, limit = stream_fields(space, w_stream, 2)
    # Blue Book: (index >= limit) | (index >= size), the size of the collection.
    return space.wrap_bool(index >= limit or index >= w_array.size())


@expose_primitive(68, unwrap_spec=[object, index1])
def primitiveObjectAt(interp, frame, w_rcvr, index0):
    if not isinstance(w_rcvr, W_CompiledMethod):
        raise PrimitiveFailedError
    return w_rcvr.literalat0(interp.space, index0)


@expose_primitive(69, unwrap_spec=[object, index1, object])
def primitiveObjectAtPut(interp, frame, w_rcvr, index0, w_value):
    if not isinstance(w_rcvr, W_CompiledMethod):
        raise PrimitiveFailedError
    # No flush: a method's literals are a quasi-immutable field, and replacing
    # them invalidates just the traces that read them.
    w_rcvr.literalatput0(interp.space, index0, w_value)
    return w_value


@expose_primitive(70, unwrap_spec=[object])
def primitiveNew(interp, frame, w_class):
    space = interp.space
    if space.memory.allocation_fails():
        raise PrimitiveFailedError
    if space.class_format(w_class) & constants.FORMAT_INDEXABLE:
        raise PrimitiveFailedError
    return space.instantiate(w_class, 0)


@expose_primitive(71, unwrap_spec=[object, object])
def primitiveNewWithArg(interp, frame, w_class, w_size):
    space = interp.space
    if space.memory.allocation_fails():
        raise PrimitiveFailedError
    size = space.unwrap_positive_16bit(w_size)     # Blue Book positive16BitValueOf:
    if not space.class_format(w_class) & constants.FORMAT_INDEXABLE or size < 0:
        raise PrimitiveFailedError
    return space.instantiate(w_class, size)


@expose_primitive(72, unwrap_spec=[object, object], needs_frame=True)
def primitiveBecome(interp, frame, w_rcvr, w_other):
    space = interp.space
    if (not isinstance(w_rcvr, W_AbstractObjectWithClass) or
            not isinstance(w_other, W_AbstractObjectWithClass)):
        raise PrimitiveFailedError
    if w_rcvr is not w_other and not w_rcvr.become(w_other):
        if isinstance(w_rcvr, W_Context) or isinstance(w_other, W_Context):
            raise PrimitiveFailedError
        space.w_active_context = frame
        become_by_references(space, w_rcvr, w_other)
        flush_if_lookup_relevant(interp, w_rcvr, w_other)
        # The receiver's references (and oop) now lead to the other body:
        # answering "the receiver" means answering that object.
        return w_other
    flush_if_lookup_relevant(interp, w_rcvr, w_other)
    return w_rcvr


def flush_if_lookup_relevant(interp, w_a, w_b):
    """Collections grow by become:; only a class or a method dictionary taking
    part can change what a lookup finds (and a flush discards all JIT code)."""
    space = interp.space
    if space.is_lookup_relevant(w_a) or space.is_lookup_relevant(w_b):
        interp.lookup.flushCache('become:')


@jit.dont_look_inside
def become_by_references(space, w_a, w_b):
    """Objects of different shapes: swap every reference to them instead."""
    for w_obj in space.mark_reachable():
        assert isinstance(w_obj, W_AbstractObjectWithClass)
        w_obj.w_class = swapped(w_obj.w_class, w_a, w_b)
        if isinstance(w_obj, W_PointersObject):
            for i in range(len(w_obj._vars)):
                w_obj._vars[i] = swapped(w_obj._vars[i], w_a, w_b)
        elif isinstance(w_obj, W_Context):
            for i in range(w_obj.size()):
                w_value = w_obj.fetch(space, i)
                if w_value is w_a or w_value is w_b:
                    w_obj.store(space, i, swapped(w_value, w_a, w_b))
        elif isinstance(w_obj, W_CompiledMethod):
            literals = w_obj.literals[:]
            for i in range(len(literals)):
                literals[i] = swapped(literals[i], w_a, w_b)
            w_obj.set_header(w_obj.header, literals)
    space.w_active_context = None
    # The oop (identity) stays with the reference, not with the body.
    oop_a, oop_b = w_a.oop, w_b.oop
    w_a.oop, w_b.oop = oop_b, oop_a
    if oop_a:
        space.objects[oop_a >> 1] = w_b
    if oop_b:
        space.objects[oop_b >> 1] = w_a


def swapped(w_value, w_a, w_b):
    if w_value is w_a:
        return w_b
    if w_value is w_b:
        return w_a
    return w_value


@expose_primitive(73, unwrap_spec=[object, index1])
def primitiveInstVarAt(interp, frame, w_rcvr, index0):
    if isinstance(w_rcvr, W_SmallInteger) or not 0 <= index0 < w_rcvr.size():
        raise PrimitiveFailedError
    return w_rcvr.fetch(interp.space, index0)


@expose_primitive(74, unwrap_spec=[object, index1, object])
def primitiveInstVarAtPut(interp, frame, w_rcvr, index0, w_value):
    if isinstance(w_rcvr, W_SmallInteger) or not 0 <= index0 < w_rcvr.size():
        raise PrimitiveFailedError
    w_rcvr.store(interp.space, index0, w_value)
    return w_value


@expose_primitive(75, unwrap_spec=[object], needs_frame=True)
def primitiveAsOop(interp, frame, w_rcvr):
    if isinstance(w_rcvr, W_SmallInteger):
        raise PrimitiveFailedError
    space = interp.space
    space.w_active_context = frame
    oop = space.oop_of(w_rcvr)
    space.w_active_context = None
    # The oop read as a SmallInteger: its 16 bits sign-extend.
    value = oop >> 1
    if oop >= 32768:
        value -= 32768
    return space.wrap_int(value)


@expose_primitive(76, unwrap_spec=[object])
def primitiveAsObject(interp, frame, w_rcvr):
    space = interp.space
    value = space.unwrap_large_or_small(w_rcvr)
    w_obj = space.object_at_oop((value << 1) & 0xFFFF)
    if w_obj is None:
        raise PrimitiveFailedError
    return w_obj


@jit.dont_look_inside
def instances_of(space, w_class):
    result = [w_obj for w_obj in space.all_objects() if w_obj.getclass(space) is w_class]
    space.w_active_context = None
    return result


@expose_primitive(77, unwrap_spec=[object], needs_frame=True)
def primitiveSomeInstance(interp, frame, w_class):
    interp.space.w_active_context = frame      # the running contexts are roots
    instances = instances_of(interp.space, w_class)
    if not instances:
        raise PrimitiveFailedError
    return instances[0]


@jit.dont_look_inside
def instance_after(space, w_obj):
    found = False
    for w_next in instances_of(space, w_obj.getclass(space)):
        if found:
            return w_next
        if w_next is w_obj:
            found = True
    return None


@expose_primitive(78, unwrap_spec=[object], needs_frame=True)
def primitiveNextInstance(interp, frame, w_rcvr):
    space = interp.space
    if isinstance(w_rcvr, W_SmallInteger):
        raise PrimitiveFailedError
    space.w_active_context = frame
    w_next = instance_after(space, w_rcvr)
    if w_next is None:
        raise PrimitiveFailedError
    return w_next


@expose_primitive(79, unwrap_spec=[object, int, object])
def primitiveNewMethod(interp, frame, w_class, bytecount, w_header):
    space = interp.space
    if not isinstance(w_header, W_SmallInteger) or not 0 <= bytecount <= 65535:
        raise PrimitiveFailedError
    if space.memory.allocation_fails():
        raise PrimitiveFailedError
    nlits = w_header.value & 0x3F
    return W_CompiledMethod(w_class, w_header.value, [space.w_nil] * nlits,
                            '\x00' * bytecount)


@expose_primitive(105, unwrap_spec=[object, int, int, object, int])
def primitiveStringReplace(interp, frame, w_rcvr, start, stop, w_repl, repl_start):
    """replaceFrom:to:with:startingAt: between byte, word or pointer objects
    of the same kind (the Smalltalk fallback handles everything else)."""
    space = interp.space
    if start < 1 or stop < start - 1 or repl_start < 1:
        raise PrimitiveFailedError
    count = stop - start + 1
    rfixed = fixed_fields(space, w_rcvr)
    sfixed = fixed_fields(space, w_repl)
    if rfixed + stop > w_rcvr.size() or sfixed + repl_start - 1 + count > w_repl.size():
        raise PrimitiveFailedError
    src0 = repl_start - 1
    dst0 = start - 1
    assert src0 >= 0 and dst0 >= 0 and count >= 0
    # Copy through a temporary so that overlapping ranges in one object work.
    if isinstance(w_rcvr, W_BytesObject) and isinstance(w_repl, W_BytesObject):
        chars = [w_repl.bytes[src0 + i] for i in range(count)]
        for i in range(count):
            w_rcvr.bytes[dst0 + i] = chars[i]
    elif isinstance(w_rcvr, W_WordsObject) and isinstance(w_repl, W_WordsObject):
        words = [w_repl.words[src0 + i] for i in range(count)]
        for i in range(count):
            w_rcvr.words[dst0 + i] = words[i]
    elif isinstance(w_rcvr, W_PointersObject) and isinstance(w_repl, W_PointersObject):
        refs = [w_repl._vars[sfixed + src0 + i] for i in range(count)]
        for i in range(count):
            w_rcvr._vars[rfixed + dst0 + i] = refs[i]
    else:
        raise PrimitiveFailedError
    return w_rcvr
