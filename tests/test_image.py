"""The image loader (spyvm/image.py) and writer (spyvm/snapshot.py)."""

import pytest

from spyvm.error import ImageError
from spyvm.image import load_image, load_image_file
from spyvm.model import (W_BytesObject, W_WordsObject, W_Float, W_CompiledMethod,
                         W_LargeInteger)
from spyvm.context import W_Context
from spyvm.objspace import ObjSpace
from spyvm.snapshot import write_image


def synthetic(boot):
    """A few objects of every kind, reachable from the Smalltalk dictionary."""
    space = boot.space
    items = [space.wrap_string('hello'), space.wrap_string('odd'),
             space.wrap_float(1.5), space.wrap_float(-0.3), space.wrap_point(3, -4),
             space.wrap_int(70000), space.wrap_int(-70000)]
    w_words = W_WordsObject(boot.classes['WordArray'], 3)
    w_words.words = [0, 0x8001, 0xFFFF]
    items.append(w_words)
    w_method = boot.method([112, 124], literals=[7, 'foo'], selector='foo')
    boot.install_method(boot.classes['Object'], 'foo', w_method)
    items.append(w_method)
    w_ctx = W_Context.method_context(space, w_method, space.wrap_int(5), space.w_nil)
    w_ctx.sp = 1
    w_ctx.settemp(0, items[0])
    items.append(w_ctx)
    boot.w_smalltalk.store_field(0, space.wrap_list(items))
    return items


def roundtrip(space, little_endian):
    data = write_image(space, little_endian)
    space2 = ObjSpace()
    info = load_image(space2, data, 'roundtrip')
    assert info.little_endian == little_endian
    return space2, data


def same_graph(space1, space2):
    """Every object of space1 with an oop is in space2 at the same oop, alike."""
    count = 0
    for w_a in space1.all_objects():
        w_b = space2.object_at_oop(w_a.oop)
        assert w_b is not None, 'oop %d missing' % w_a.oop
        assert w_a.getclass(space1).oop == w_b.getclass(space2).oop
        assert w_a.size() == w_b.size(), w_a.oop
        if isinstance(w_a, W_LargeInteger) or isinstance(w_b, W_LargeInteger):
            # Either representation of a LargeInteger: the same digits.
            assert [w_a.fetch(space1, i).value for i in range(w_a.size())] == \
                   [w_b.fetch(space2, i).value for i in range(w_b.size())], w_a.oop
            count += 1
            continue
        assert type(w_a) is type(w_b), w_a.oop
        if isinstance(w_a, W_Float):
            assert w_a.value == w_b.value
        elif isinstance(w_a, W_WordsObject):
            assert w_a.words == w_b.words, w_a.oop
        elif isinstance(w_a, W_BytesObject):
            assert w_a.bytes == w_b.bytes, w_a.oop
        elif isinstance(w_a, W_CompiledMethod):
            assert (w_a.header, w_a.bytes) == (w_b.header, w_b.bytes)
            assert [space1.oop_of(l) for l in w_a.literals] == \
                   [space2.oop_of(l) for l in w_b.literals]
        else:
            for i in range(w_a.size()):
                assert space1.oop_of(w_a.fetch(space1, i)) == \
                       space2.oop_of(w_b.fetch(space2, i)), (w_a.oop, i)
        count += 1
    return count


@pytest.mark.parametrize('little_endian', [False, True])
def test_synthetic_image_roundtrip(boot, little_endian):
    items = synthetic(boot)
    space2, data = roundtrip(boot.space, little_endian)
    assert same_graph(boot.space, space2) > 50
    strings = [space2.object_at_oop(i.oop) for i in items[:2]]
    assert [s.as_string() for s in strings] == ['hello', 'odd']
    assert space2.object_at_oop(items[2].oop).value == 1.5
    assert space2.unwrap_large_or_small(space2.object_at_oop(items[5].oop)) == 70000
    assert space2.unwrap_large_or_small(space2.object_at_oop(items[6].oop)) == -70000
    w_ctx = space2.object_at_oop(items[-1].oop)
    assert isinstance(w_ctx, W_Context) and w_ctx.sp == 1 and w_ctx.ip == items[-1].ip
    # The header tells the lengths, and the file ends with the object table.
    assert len(data) % 2 == 0 and len(data) > 512


def test_float_byte_orders(boot):
    """Big-endian Floats are high word first; little-endian ones are float32 LE."""
    space = boot.space
    w_f = space.wrap_float(1.0)
    boot.w_smalltalk.store_field(0, w_f)
    for little, expected in [(False, '\x3f\x80\x00\x00'), (True, '\x00\x00\x80\x3f')]:
        data = write_image(space, little)
        assert expected in data
        space2 = ObjSpace()
        load_image(space2, data, 'f')
        assert space2.object_at_oop(w_f.oop).value == 1.0


def test_xerox_image_facts(xerox_image):
    space = ObjSpace()
    info = load_image_file(space, xerox_image)
    assert not info.little_endian
    assert (info.space_words, info.ot_words) == (258880, 38736)
    objects = [o for o in space.objects if o is not None]
    assert len(objects) == 18391
    assert space.class_name(space.w_SmallInteger) == 'SmallInteger'
    assert space.object_at_oop(13244).fetch(space, 0).value == ord('A')
    processor = space.w_scheduler_association.fetch(space, 1)
    assert processor.oop == 34750
    w_display = space.find_global('Display')
    assert w_display.oop == 832
    assert space.unwrap_int(w_display.fetch(space, 1)) == 640
    # Every method in a method dictionary got its Class>>selector name.
    methods = [o for o in objects if isinstance(o, W_CompiledMethod)]
    assert len(methods) == 4505
    assert sum(1 for m in methods if m.lookup_selector) == 4494
    # quitPrimitive is primitive 113 through its header extension.
    quit = [m for m in methods if m.lookup_selector == 'quitPrimitive']
    assert quit[0].primitive == 113 and quit[0].argsize == 0
    floats = [o.value for o in objects if isinstance(o, W_Float)]
    assert len(floats) == 272 and 1.0 in floats


def test_lsb_image_equals_the_original(xerox_image, xerox_image_lsb):
    a, b = ObjSpace(), ObjSpace()
    load_image_file(a, xerox_image)
    info = load_image_file(b, xerox_image_lsb)
    assert info.little_endian
    assert same_graph(a, b) > 18000


def test_xerox_image_roundtrip_in_both_byte_orders(xerox_image):
    space = ObjSpace()
    load_image_file(space, xerox_image)
    for little in [False, True]:
        space2, data = roundtrip(space, little)
        # All reachable objects (the 6 garbage contexts are not).
        assert same_graph(space, space2) == 18391 - 6


def test_dbanay_snapshot_loads(dbanay_image):
    space = ObjSpace()
    info = load_image_file(space, dbanay_image)
    assert info.little_endian
    assert space.find_global('PosixFileDirectory') is not None


def damaged(xerox_image):
    data = open(xerox_image, 'rb').read()
    ot = len(data) - 2 * 38736
    cases = [('', 'empty file'),
             (data[:200], 'truncated'),
             (data[:-2], 'truncated'),
             ('\x00' * 4096, 'not a Smalltalk-80'),
             ('PK\x03\x04' + '\x00' * 1000, 'not a Smalltalk-80'),
             # object 200 located outside the object space
             (data[:ot + 400] + '\x00\x03\xff\xff' + data[ot + 404:], 'outside'),
             # nil's entry marked free: a special object is missing
             (data[:ot + 4] + '\x00\x20\x00\x00' + data[ot + 8:], 'special object 2'),
             ]
    # A pointer field of object 200 (an OT location word) pointing to a free oop.
    return cases


def test_damaged_images_raise_one_line_errors(xerox_image):
    for data, words in damaged(xerox_image):
        with pytest.raises(ImageError) as e:
            load_image(ObjSpace(), data, 'img')
        assert words in e.value.msg and e.value.msg.startswith('img: ')
        assert '\n' not in e.value.msg


def test_dangling_pointer_is_reported(boot):
    space = boot.space
    w_str = space.wrap_string('x')
    boot.w_smalltalk.store_field(0, w_str)
    data = write_image(space, False)
    # Free the String's object-table entry: the dictionary now points nowhere.
    space2 = ObjSpace()
    load_image(space2, data, 'ok')
    import struct
    space_words, ot_words = struct.unpack('>II', data[:8])
    ot = len(data) - 2 * ot_words
    entry = ot + 4 * (w_str.oop >> 1)
    broken = data[:entry] + '\x00\x20\x00\x00' + data[entry + 4:]
    with pytest.raises(ImageError) as e:
        load_image(ObjSpace(), broken, 'img')
    assert 'dangling pointer to oop %d' % w_str.oop in e.value.msg
