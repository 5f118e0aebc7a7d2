"""Reading Smalltalk-80 interchange images (Blue Book object memory on disk).

Layout: two 32-bit lengths in 16-bit words (object space, object table), a zero
word, padding to 512 bytes, the object space, padding to 512, the object table.
The byte order is detected from the header: the original Xerox file is
big-endian; byte-swapped copies (dbanay's) are little-endian and store Floats as
little-endian float32. Everything is checked: a bad file raises ImageError with a
one-line reason, never anything else.
"""

from spyvm import constants
from spyvm.error import ImageError
from spyvm.model import (W_PointersObject, W_WordsObject, W_BytesObject, W_Float,
                         W_LargeInteger, W_CompiledMethod, bits_to_float)
from spyvm.context import W_Context

HEADER_BYTES = 512
OT_FREE = 0x20
OT_POINTERS = 0x40
OT_ODD = 0x80


def roundup512(n):
    return (n + 511) // 512 * 512


class ImageReader(object):
    """Parses the bytes of an image file into objects of an ObjSpace."""

    def __init__(self, space, data, name):
        self.space = space
        self.data = data
        self.name = name
        self.little_endian = False
        self.ot_offset = 0
        self.space_words = 0
        self.ot_words = 0
        self.locations = []     # per OT index: word address, or -1 (free)
        self.flags = []         # per OT index: the OT flag byte

    def error(self, msg):
        raise ImageError('%s: %s' % (self.name, msg))

    # -- raw access -----------------------------------------------------------
    def u16(self, offset):
        d = self.data
        if self.little_endian:
            return ord(d[offset]) | (ord(d[offset + 1]) << 8)
        return (ord(d[offset]) << 8) | ord(d[offset + 1])

    def u32(self, offset):
        if self.little_endian:
            return self.u16(offset) | (self.u16(offset + 2) << 16)
        return (self.u16(offset) << 16) | self.u16(offset + 2)

    def word(self, address):
        """Word at a word address of the object space."""
        return self.u16(HEADER_BYTES + 2 * address)

    # -- the header -----------------------------------------------------------
    def read_header(self):
        size = len(self.data)
        if size == 0:
            self.error('empty file, not a Smalltalk-80 image')
        if size < HEADER_BYTES:
            self.error('truncated (%d bytes, shorter than the 512-byte header)' % size)
        shortest = -1
        for little in [False, True]:
            self.little_endian = little
            space_words = self.u32(0)
            ot_words = self.u32(4)
            if self.u16(8) != 0 or space_words == 0 or ot_words == 0:
                continue
            if space_words > (1 << 21) or ot_words > 65536 or ot_words % 2:
                continue
            ot_offset = roundup512(HEADER_BYTES + 2 * space_words)
            expected = ot_offset + 2 * ot_words
            if expected == size:
                self.space_words = space_words
                self.ot_words = ot_words
                self.ot_offset = ot_offset
                return
            if expected > size and (shortest == -1 or expected < shortest):
                shortest = expected
        if shortest != -1:
            self.error('truncated (%d bytes, the header announces %d)' % (size, shortest))
        self.error('not a Smalltalk-80 interchange image (the header does not '
                   'match the file size in either byte order)')

    # -- the object table ------------------------------------------------------
    def read_object_table(self):
        entries = self.ot_words // 2
        if entries > (constants.MAX_OOP >> 1) + 1:
            self.error('object table too large (%d entries)' % entries)
        self.locations = [-1] * entries
        self.flags = [0] * entries
        for index in range(1, entries):
            offset = self.ot_offset + 4 * index
            w0 = self.u16(offset)
            flags = w0 & 0xFF
            self.flags[index] = flags
            if flags & OT_FREE:
                continue
            address = ((w0 & 0xF) << 16) | self.u16(offset + 2)
            if address + 2 > self.space_words:
                self.error('object %d lies outside the object space' % (2 * index))
            size = self.word(address)
            if size < 2 or address + size > self.space_words:
                self.error('object %d has a bad size (%d words)' % (2 * index, size))
            self.locations[index] = address

    def class_oop_at(self, index):
        return self.word(self.locations[index] + 1)

    def format_of_class(self, class_oop):
        """The format (instance specification) of a class, read from the file."""
        index = class_oop >> 1
        if class_oop & 1 or not 0 < index < len(self.locations) or self.locations[index] < 0:
            return -1
        address = self.locations[index]
        if self.word(address) < 2 + 3:
            return -1
        raw = self.word(address + 2 + constants.CLASS_FORMAT)
        if not raw & 1:
            return -1
        return raw >> 1

    # -- objects -------------------------------------------------------------
    def decode_oop(self, oop):
        if oop & 1:
            value = oop >> 1
            if value > constants.MAXINT:
                value -= 32768
            return self.space.wrap_int(value)
        index = oop >> 1
        if not 0 < index < len(self.locations) or self.locations[index] < 0:
            self.error('dangling pointer to oop %d' % oop)
        w_obj = self.space.objects[index]
        assert w_obj is not None
        return w_obj

    def create_objects(self):
        space = self.space
        entries = len(self.locations)
        for index in range(1, entries):
            if self.locations[index] < 0:
                continue
            class_oop = self.class_oop_at(index)
            size = self.word(self.locations[index])
            body = size - 2
            if class_oop == constants.CLASS_COMPILEDMETHOD_OOP:
                w_obj = W_CompiledMethod(None, 0, [], '')
            elif class_oop == constants.CLASS_FLOAT_OOP:
                w_obj = W_Float(None, 0.0)
            elif (class_oop == constants.CLASS_METHODCONTEXT_OOP or
                  class_oop == constants.CLASS_BLOCKCONTEXT_OOP):
                if body < constants.CTX_TEMP_FRAME_START:
                    self.error('context %d is too small' % (2 * index))
                w_obj = W_Context(None, body - constants.CTX_TEMP_FRAME_START, None)
            elif self.flags[index] & OT_POINTERS:
                w_obj = W_PointersObject(None, body, None)
            else:
                fmt = self.format_of_class(class_oop)
                if fmt == -1:
                    self.error('object %d has a class (%d) without a format' %
                               (2 * index, class_oop))
                if fmt & constants.FORMAT_WORDS:
                    w_obj = W_WordsObject(None, body)
                else:
                    nbytes = 2 * body
                    if self.flags[index] & OT_ODD:
                        nbytes -= 1
                    if (class_oop == constants.CLASS_LARGEPOSITIVEINTEGER_OOP and
                            0 < nbytes <= W_LargeInteger.MAX_BYTES):
                        w_obj = W_LargeInteger(None, 0, nbytes)
                    else:
                        w_obj = W_BytesObject(None, nbytes)
            space.register_loaded(w_obj, 2 * index)

    def fill_objects(self):
        space = self.space
        for index in range(1, len(self.locations)):
            address = self.locations[index]
            if address < 0:
                continue
            w_obj = space.objects[index]
            class_oop = self.word(address + 1)
            w_class = self.decode_oop(class_oop)
            if not isinstance(w_class, W_PointersObject):
                self.error('object %d has a class that is not a class' % (2 * index))
            body = self.word(address) - 2
            first = address + 2
            if isinstance(w_obj, W_CompiledMethod):
                self.fill_method(w_obj, first, body, index)
            elif isinstance(w_obj, W_Float):
                if body != 2:
                    self.error('Float %d has %d words' % (2 * index, body))
                w0 = self.word(first)
                w1 = self.word(first + 1)
                if self.little_endian:
                    bits = (w1 << 16) | w0
                else:
                    bits = (w0 << 16) | w1
                w_obj.value = bits_to_float(bits)
            elif isinstance(w_obj, W_Context):
                self.fill_context(w_obj, first, body)
            elif isinstance(w_obj, W_PointersObject):
                vars = w_obj._vars
                for i in range(body):
                    vars[i] = self.decode_oop(self.word(first + i))
            elif isinstance(w_obj, W_WordsObject):
                words = w_obj.words
                for i in range(body):
                    words[i] = self.word(first + i)
            elif isinstance(w_obj, W_BytesObject):
                start = HEADER_BYTES + 2 * first
                w_obj.bytes = [self.data[start + i] for i in range(len(w_obj.bytes))]
            elif isinstance(w_obj, W_LargeInteger):
                start = HEADER_BYTES + 2 * first
                for i in range(w_obj.nbytes - 1, -1, -1):
                    w_obj.magnitude = (w_obj.magnitude << 8) | ord(self.data[start + i])
            else:
                assert False
            w_obj.w_class = w_class

    def fill_context(self, w_ctx, first, body):
        fields = [self.decode_oop(self.word(first + i)) for i in range(body)]
        w_ctx.from_image_fields(self.space, fields)

    def fill_method(self, w_method, first, body, index):
        nbytes = 2 * body
        if self.flags[index] & OT_ODD:
            nbytes -= 1
        if body < 1:
            self.error('CompiledMethod %d is empty' % (2 * index))
        header_oop = self.word(first)
        if not header_oop & 1:
            self.error('CompiledMethod %d has a bad header' % (2 * index))
        header = header_oop >> 1
        nlits = header & 0x3F
        if 1 + nlits > body:
            self.error('CompiledMethod %d has too many literals' % (2 * index))
        literals = [None] * nlits         # never resized: the JIT reads it as immutable
        for i in range(nlits):
            literals[i] = self.decode_oop(self.word(first + 1 + i))
        start = HEADER_BYTES + 2 * (first + 1 + nlits)
        end = HEADER_BYTES + 2 * first + nbytes
        assert start >= 0 and end >= start
        w_method.bytes = self.data[start:end]
        w_method.set_header(header, literals)

    def read(self):
        self.read_header()
        self.read_object_table()
        if len(self.locations) <= constants.LAST_SPECIAL_OOP >> 1:
            self.error('object table too short for the special objects')
        for oop in range(2, constants.LAST_SPECIAL_OOP + 1, 2):
            if oop != 36 and self.locations[oop >> 1] < 0:
                self.error('special object %d is missing' % oop)
        self.space.objects = [None]
        self.create_objects()
        self.fill_objects()
        self.space.finish_loading()
        self.space.init_special_objects()
        self.check_special_objects()
        name_methods(self.space)

    def check_special_objects(self):
        space = self.space
        w_assoc = space.w_scheduler_association
        if not isinstance(w_assoc, W_PointersObject) or w_assoc.size() < 2:
            self.error('the Processor association (oop 8) is damaged')
        for w_class in [space.w_SmallInteger, space.w_String, space.w_Array,
                        space.w_MethodContext, space.w_BlockContext,
                        space.w_CompiledMethod, space.w_Character]:
            if not isinstance(w_class, W_PointersObject) or w_class.size() < 3:
                self.error('a special class is damaged')


def name_methods(space):
    """Give each method in a method dictionary its Class>>selector name."""
    w_md_class = space.find_global('MethodDictionary')
    if w_md_class is None:
        return
    for w_obj in space.objects:
        if not isinstance(w_obj, W_PointersObject) or w_obj.size() <= constants.CLASS_FORMAT:
            continue
        w_md = w_obj.fetch_field(constants.CLASS_METHODDICT)
        if not isinstance(w_md, W_PointersObject) or w_md.getclass(space) is not w_md_class:
            continue
        w_values = w_md.fetch_field(constants.METHODDICT_VALUES)
        if not isinstance(w_values, W_PointersObject):
            continue
        class_name = space.class_name(w_obj)
        for i in range(constants.METHODDICT_SELECTOR_START, w_md.size()):
            w_sel = w_md.fetch_field(i)
            j = i - constants.METHODDICT_SELECTOR_START
            if isinstance(w_sel, W_BytesObject) and j < w_values.size():
                w_method = w_values.fetch_field(j)
                if isinstance(w_method, W_CompiledMethod):
                    w_method.lookup_selector = w_sel.as_string()
                    w_method.lookup_class = class_name


class ImageInfo(object):
    """What the loader learnt about the file (used again to write a snapshot)."""
    def __init__(self, name, little_endian, space_words, ot_words):
        self.name = name
        self.little_endian = little_endian
        self.space_words = space_words
        self.ot_words = ot_words


def load_image(space, data, name):
    reader = ImageReader(space, data, name)
    reader.read()
    return ImageInfo(name, reader.little_endian, reader.space_words, reader.ot_words)


def read_file(path):
    """The whole file as a string; ImageError if it cannot be read."""
    from spyvm.files import read_file as read_whole, FileError
    try:
        return read_whole(path)
    except FileError as e:
        raise ImageError('%s: %s' % (path, e.msg))


def load_image_file(space, path):
    return load_image(space, read_file(path), path)
