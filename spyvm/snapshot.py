"""Writing interchange images (the inverse of spyvm/image.py).

Only the objects reachable from the roots are written, in oop order, each as a
size word, a class oop and its body; then the object table. Reference counts are
the real counts (what refcounting VMs expect), sticky at 128 as in the Xerox
file. Byte order: big-endian like the Xerox original, or little-endian like
dbanay's copies (Floats as little-endian float32, byte bodies unchanged).
"""

from spyvm import constants
from spyvm.model import (W_PointersObject, W_WordsObject, W_BytesObject, W_Float,
                         W_LargeInteger, W_CompiledMethod, W_AbstractObjectWithClass,
                         float_to_bits)
from spyvm.context import W_Context
from spyvm.image import HEADER_BYTES, OT_FREE, OT_POINTERS, OT_ODD

STICKY_COUNT = 128
MAX_OBJECT_WORDS = 0xFFFF       # an object's size word (its body and 2 header words)
MAX_SPACE_WORDS = 1 << 20       # object table locations have 20 bits


class SnapshotError(Exception):
    """The object space does not fit the interchange format (a Form of a big
    screen, say): nothing is written."""
    _attrs_ = ['msg']

    def __init__(self, msg):
        self.msg = msg


class ImageWriter(object):
    def __init__(self, space, little_endian):
        self.space = space
        self.little_endian = little_endian
        self.out = []
        self.words = 0

    def u16(self, value):
        value &= 0xFFFF
        if self.little_endian:
            return chr(value & 0xFF) + chr(value >> 8)
        return chr(value >> 8) + chr(value & 0xFF)

    def u32(self, value):
        if self.little_endian:
            return self.u16(value & 0xFFFF) + self.u16(value >> 16)
        return self.u16(value >> 16) + self.u16(value & 0xFFFF)

    def oop(self, w_obj):
        return self.space.oop_of(w_obj)

    def emit_word(self, value):
        self.out.append(self.u16(value))
        self.words += 1

    def emit_bytes(self, data):
        """A byte body, padded to whole words; bytes keep their file order."""
        self.out.append(data)
        if len(data) % 2:
            self.out.append('\x00')
        self.words += (len(data) + 1) // 2

    def body_words(self, w_obj):
        """The number of body words an object takes in the file."""
        if isinstance(w_obj, W_Context):
            return constants.CTX_TEMP_FRAME_START + w_obj.stacksize()
        if isinstance(w_obj, W_PointersObject):
            return w_obj.size()
        if isinstance(w_obj, W_WordsObject):
            return w_obj.size()
        if isinstance(w_obj, W_Float):
            return 2
        if isinstance(w_obj, W_CompiledMethod):
            return 1 + len(w_obj.literals) + (len(w_obj.bytes) + 1) // 2
        if isinstance(w_obj, W_BytesObject) or isinstance(w_obj, W_LargeInteger):
            return (w_obj.size() + 1) // 2
        raise AssertionError('unknown object kind')

    def flags(self, w_obj):
        if isinstance(w_obj, W_PointersObject) or isinstance(w_obj, W_Context):
            return OT_POINTERS
        if isinstance(w_obj, W_CompiledMethod):
            return OT_ODD if len(w_obj.bytes) % 2 else 0
        if isinstance(w_obj, W_BytesObject) or isinstance(w_obj, W_LargeInteger):
            return OT_ODD if w_obj.size() % 2 else 0
        return 0

    def emit_body(self, w_obj):
        space = self.space
        if isinstance(w_obj, W_Context):
            for i in range(w_obj.size()):
                self.emit_word(self.oop(w_obj.fetch(space, i)))
        elif isinstance(w_obj, W_PointersObject):
            for w_field in w_obj._vars:
                self.emit_word(self.oop(w_field))
        elif isinstance(w_obj, W_WordsObject):
            for word in w_obj.words:
                self.emit_word(word)
        elif isinstance(w_obj, W_Float):
            bits = float_to_bits(w_obj.value)
            if self.little_endian:
                self.emit_word(bits & 0xFFFF)        # a little-endian float32
                self.emit_word((bits >> 16) & 0xFFFF)
            else:
                self.emit_word((bits >> 16) & 0xFFFF)
                self.emit_word(bits & 0xFFFF)
        elif isinstance(w_obj, W_CompiledMethod):
            self.emit_word((w_obj.header << 1) | 1)
            for w_lit in w_obj.literals:
                self.emit_word(self.oop(w_lit))
            self.emit_bytes(w_obj.bytes)
        elif isinstance(w_obj, W_BytesObject):
            self.emit_bytes(''.join(w_obj.bytes))
        elif isinstance(w_obj, W_LargeInteger):
            self.emit_bytes(w_obj.digits())

    def references(self, w_obj):
        """Every oop an object holds (for reference counts)."""
        space = self.space
        refs = [w_obj.getclass(space)]
        if isinstance(w_obj, W_Context):
            for i in range(w_obj.size()):
                refs.append(w_obj.fetch(space, i))
        elif isinstance(w_obj, W_PointersObject):
            for w_field in w_obj._vars:
                refs.append(w_field)
        elif isinstance(w_obj, W_CompiledMethod):
            for w_lit in w_obj.literals:
                refs.append(w_lit)
        return refs

    def write(self):
        space = self.space
        objects = space.all_objects()        # reachable, oops assigned, oop order
        counts = {}
        for w_obj in objects:
            for w_ref in self.references(w_obj):
                if isinstance(w_ref, W_AbstractObjectWithClass):
                    counts[w_ref] = counts.get(w_ref, 0) + 1
        last_oop = 2
        for w_obj in objects:
            assert isinstance(w_obj, W_AbstractObjectWithClass)
            if w_obj.oop > last_oop:
                last_oop = w_obj.oop
        entries = (last_oop >> 1) + 1
        locations = [-1] * entries
        flags = [0] * entries
        refcounts = [0] * entries
        # The object space.
        for w_obj in objects:
            assert isinstance(w_obj, W_AbstractObjectWithClass)
            index = w_obj.oop >> 1
            locations[index] = self.words
            flags[index] = self.flags(w_obj)
            count = counts.get(w_obj, 0)
            if w_obj.oop <= constants.LAST_SPECIAL_OOP or count >= STICKY_COUNT:
                count = STICKY_COUNT
            refcounts[index] = max(count, 1)
            before = self.words
            body = self.body_words(w_obj)
            if 2 + body > MAX_OBJECT_WORDS:
                raise SnapshotError('a %s of %d words is too big for an image file (at '
                                    'most %d)' % (space.class_name(w_obj.getclass(space)),
                                                  body, MAX_OBJECT_WORDS - 2))
            if self.words + 2 + body > MAX_SPACE_WORDS:
                raise SnapshotError('the objects take more than %d words, more than an '
                                    'image file holds' % MAX_SPACE_WORDS)
            self.emit_word(2 + body)
            self.emit_word(self.oop(w_obj.getclass(space)))
            self.emit_body(w_obj)
            assert self.words == before + 2 + body
        space_words = self.words
        data = self.out
        self.out = []
        ot = []
        for index in range(entries):
            location = locations[index]
            if location < 0:
                ot.append(self.u16(OT_FREE) + self.u16(0))
            else:
                w0 = (refcounts[index] << 8) | flags[index] | ((location >> 16) & 0xF)
                ot.append(self.u16(w0) + self.u16(location & 0xFFFF))
        header = self.u32(space_words) + self.u32(2 * entries) + self.u16(0)
        body = ''.join(data)
        pad1 = roundup(HEADER_BYTES + len(body)) - HEADER_BYTES - len(body)
        return ''.join([header, '\x00' * (HEADER_BYTES - len(header)), body,
                        '\x00' * pad1] + ot)


def roundup(n):
    return (n + 511) // 512 * 512


def write_image(space, little_endian):
    """The bytes of an interchange image of everything reachable from the roots."""
    return ImageWriter(space, little_endian).write()


def save_image(space, path, little_endian):
    """Write the image to path through a temporary file; an existing file is
    kept as path.bak. False (with a message on stderr) if it cannot be written."""
    import os
    from spyvm.files import write_file_atomically, FileError
    if not path:
        os.write(2, 'st80: snapshot: no file to save to\n')
        return False
    try:
        data = write_image(space, little_endian)
    except SnapshotError as e:
        os.write(2, 'st80: snapshot: not saved: %s\n' % e.msg)
        return False
    try:
        write_file_atomically(path, data, True)
    except FileError as e:
        os.write(2, 'st80: snapshot: %s\n' % e.msg)
        return False
    os.write(2, 'st80: snapshot saved to %s\n' % path)
    return True
