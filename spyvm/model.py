"""The Smalltalk object model: Smalltalk objects are RPython instances.

W_SmallInteger      immediate 15-bit integers (identity is equality)
W_PointersObject    objects whose fields are object pointers
W_WordsObject       indexable 16-bit words (WordArray, DisplayBitmap)
W_BytesObject       indexable bytes (String, Symbol, ByteArray, Large*Integer)
W_LargeInteger      a Large*Integer of up to 7 bytes, as a machine integer
W_Float             IEEE single precision float (two words in the image)
W_CompiledMethod    header + literals + bytecodes (a byte object in the image)
W_Context           method and block contexts (spyvm/context.py)

Every object that is not a SmallInteger carries its class and an oop. Objects
loaded from the image keep their original oop (identity hashes depend on it);
new objects get one from the object table only when something asks
(ObjSpace.oop_of), because oops are a scarce 16-bit resource.
"""

from rpython.rlib import jit, debug
from spyvm import constants
from spyvm.error import PrimitiveFailedError, bytecode_index_error


class W_Object(object):
    _attrs_ = []
    _settled_ = True

    def getclass(self, space):
        raise NotImplementedError

    def size(self):
        """Number of indexable-or-fixed slots (fields, words or bytes)."""
        return 0

    def fetch(self, space, index):
        """Blue Book fetch/subscript, 0-based; words and bytes come wrapped."""
        raise PrimitiveFailedError

    def store(self, space, index, w_value):
        raise PrimitiveFailedError

    def is_same_object(self, other):
        return self is other

    def as_string(self):
        """The bytes of a String/Symbol (for the VM's own messages)."""
        return ''

    def become(self, other):
        return False


class W_SmallInteger(W_Object):
    _attrs_ = ['value']
    _immutable_fields_ = ['value']

    def __init__(self, value):
        self.value = value

    def getclass(self, space):
        return space.w_SmallInteger

    def is_same_object(self, other):
        return isinstance(other, W_SmallInteger) and other.value == self.value

    def __repr__(self):
        return 'W_SmallInteger(%d)' % self.value


class W_AbstractObjectWithClass(W_Object):
    _attrs_ = ['w_class', 'oop']

    def __init__(self, w_class):
        self.w_class = w_class
        self.oop = 0            # 0: no oop assigned yet

    def getclass(self, space):
        return self.w_class

    def _become_common(self, other):
        # The oop stays: it is the identity of the references, not of the body.
        self.w_class, other.w_class = other.w_class, self.w_class


class W_PointersObject(W_AbstractObjectWithClass):
    _attrs_ = ['_vars']

    def __init__(self, w_class, size, w_nil):
        W_AbstractObjectWithClass.__init__(self, w_class)
        self._vars = [w_nil] * size

    def size(self):
        return len(self._vars)

    def fetch(self, space, index):
        if not 0 <= index < len(self._vars):
            raise PrimitiveFailedError
        return self._vars[index]

    def store(self, space, index, w_value):
        if not 0 <= index < len(self._vars):
            raise PrimitiveFailedError
        self._vars[index] = w_value

    # Unchecked access for the VM's own use of well-known layouts.
    def fetch_field(self, index):
        assert index >= 0
        return self._vars[index]

    def store_field(self, index, w_value):
        assert index >= 0
        self._vars[index] = w_value

    def become(self, other):
        if not isinstance(other, W_PointersObject):
            return False
        self._become_common(other)
        self._vars, other._vars = other._vars, self._vars
        return True

    def __repr__(self):
        return '<W_PointersObject oop=%d size=%d>' % (self.oop, len(self._vars))


class W_WordsObject(W_AbstractObjectWithClass):
    """Indexable 16-bit words, stored as unsigned ints 0..65535."""
    _attrs_ = ['words']

    def __init__(self, w_class, size):
        W_AbstractObjectWithClass.__init__(self, w_class)
        self.words = [0] * size

    def size(self):
        return len(self.words)

    def fetch(self, space, index):
        if not 0 <= index < len(self.words):
            raise PrimitiveFailedError
        return space.wrap_positive_int(self.words[index])

    def store(self, space, index, w_value):
        if not 0 <= index < len(self.words):
            raise PrimitiveFailedError
        value = space.unwrap_positive_16bit(w_value)
        self.words[index] = value

    def become(self, other):
        if not isinstance(other, W_WordsObject):
            return False
        self._become_common(other)
        self.words, other.words = other.words, self.words
        return True


class LookupVersion(object):
    """Identity token: a new one invalidates the JIT code that read the old."""
    _attrs_ = []


INITIAL_LOOKUP_VERSION = LookupVersion()


class W_BytesObject(W_AbstractObjectWithClass):
    # lookup_version: as a selector (a Symbol), the state of what sending it
    # finds; replaced when a method for it is added, changed or removed.
    _attrs_ = ['bytes', 'lookup_version']
    _immutable_fields_ = ['lookup_version?']

    def __init__(self, w_class, size):
        W_AbstractObjectWithClass.__init__(self, w_class)
        self.bytes = ['\x00'] * size
        self.lookup_version = INITIAL_LOOKUP_VERSION

    def size(self):
        return len(self.bytes)

    def fetch(self, space, index):
        if not 0 <= index < len(self.bytes):
            raise PrimitiveFailedError
        return space.wrap_int(ord(self.bytes[index]))

    def store(self, space, index, w_value):
        if not 0 <= index < len(self.bytes):
            raise PrimitiveFailedError
        if not isinstance(w_value, W_SmallInteger):
            raise PrimitiveFailedError
        value = w_value.value
        if not 0 <= value <= 255:
            raise PrimitiveFailedError
        self.bytes[index] = chr(value)

    def getbyte(self, index):
        return ord(self.bytes[index])

    def setbyte(self, index, value):
        self.bytes[index] = chr(value & 0xFF)

    def as_string(self):
        return ''.join(self.bytes)

    def become(self, other):
        if not isinstance(other, W_BytesObject):
            return False
        self._become_common(other)
        self.bytes, other.bytes = other.bytes, self.bytes
        return True

    def __repr__(self):
        return '<W_BytesObject %r>' % (''.join(self.bytes),)


class W_LargeInteger(W_AbstractObjectWithClass):
    """A LargePositiveInteger or LargeNegativeInteger of at most MAX_BYTES
    digits, kept as a machine integer that the JIT can keep in a register. The
    image sees the byte object of its class: size, digitAt: (at:) and
    digitAt:put: (at:put:), least significant digit first; the class gives the
    sign. `nbytes` is the size the image asked for (new:), or 0 for a result of
    arithmetic, whose size is its digits without leading zeros."""
    _attrs_ = ['magnitude', 'nbytes']
    MAX_BYTES = 7

    def __init__(self, w_class, magnitude, nbytes):
        W_AbstractObjectWithClass.__init__(self, w_class)
        self.magnitude = magnitude
        self.nbytes = nbytes

    def size(self):
        if self.nbytes == 0:
            return digit_length(self.magnitude)
        return self.nbytes

    def fetch(self, space, index):
        if not 0 <= index < self.size():
            raise PrimitiveFailedError
        return space.wrap_int((self.magnitude >> (8 * index)) & 0xFF)

    def store(self, space, index, w_value):
        if not 0 <= index < self.size():
            raise PrimitiveFailedError
        if not isinstance(w_value, W_SmallInteger) or not 0 <= w_value.value <= 255:
            raise PrimitiveFailedError
        self.nbytes = self.size()       # the size stays, whatever the digits
        shift = 8 * index
        self.magnitude = (self.magnitude & ~(0xFF << shift)) | (w_value.value << shift)

    def is_normalized(self):
        """No leading zero digit (the shape the image's arithmetic answers)."""
        if self.nbytes == 0:
            return self.magnitude != 0
        return (self.magnitude >> (8 * (self.nbytes - 1))) != 0

    def digits(self):
        """The bytes, least significant first (snapshots, conversions)."""
        return ''.join([chr((self.magnitude >> (8 * i)) & 0xFF) for i in range(self.size())])

    def become(self, other):
        if not isinstance(other, W_LargeInteger):
            return False
        self._become_common(other)
        self.magnitude, other.magnitude = other.magnitude, self.magnitude
        self.nbytes, other.nbytes = other.nbytes, self.nbytes
        return True

    def __repr__(self):
        return '<W_LargeInteger %d (%d bytes)>' % (self.magnitude, self.size())


@jit.elidable
def digit_length(magnitude):
    """Bytes in a non-negative integer without leading zeros (0 for 0)."""
    n = 0
    while magnitude > 0:
        magnitude >>= 8
        n += 1
    return n


class W_Float(W_AbstractObjectWithClass):
    """A Smalltalk-80 Float: an IEEE single held as a (rounded) double.

    In the image a Float is two words, the high half first; at:/at:put: see
    those words."""
    _attrs_ = ['value']

    def __init__(self, w_class, value):
        W_AbstractObjectWithClass.__init__(self, w_class)
        self.value = value

    def size(self):
        return 2

    def fetch(self, space, index):
        bits = float_to_bits(self.value)
        if index == 0:
            return space.wrap_positive_int((bits >> 16) & 0xFFFF)
        elif index == 1:
            return space.wrap_positive_int(bits & 0xFFFF)
        raise PrimitiveFailedError

    def store(self, space, index, w_value):
        word = space.unwrap_positive_16bit(w_value)
        bits = float_to_bits(self.value)
        if index == 0:
            bits = (word << 16) | (bits & 0xFFFF)
        elif index == 1:
            bits = (bits & 0xFFFF0000) | word
        else:
            raise PrimitiveFailedError
        self.value = bits_to_float(bits)

    def become(self, other):
        if not isinstance(other, W_Float):
            return False
        self._become_common(other)
        self.value, other.value = other.value, self.value
        return True


def float_to_bits(value):
    """The 32-bit IEEE single pattern of a float (rounded to nearest)."""
    from rpython.rlib.rstruct import ieee
    from rpython.rlib.rarithmetic import intmask
    try:
        return intmask(ieee.float_pack(value, 4))
    except OverflowError:
        if value > 0.0:
            return 0x7F800000
        return intmask(0xFF800000)


def bits_to_float(bits):
    from rpython.rlib.rstruct import ieee
    from rpython.rlib.rarithmetic import r_ulonglong
    return ieee.float_unpack(r_ulonglong(bits & 0xFFFFFFFF), 4)


def round_to_single(value):
    """Round a double to the nearest IEEE single (Smalltalk-80 Floats are 32-bit)."""
    return bits_to_float(float_to_bits(value))


class W_CompiledMethod(W_AbstractObjectWithClass):
    """A CompiledMethod. In the image it is a byte object whose first 1+L words are
    the header and the literals; here they are kept decoded. `bytes` holds the
    bytecodes and the 3-byte source trailer; a Blue Book ip (1-based byte index from
    the header) maps to bytes[ip - bytecodeoffset]."""
    _attrs_ = ['header', 'literals', 'bytes', 'argsize', 'tempsize', 'primitive',
               'flag', 'large_context', 'bytecodeoffset', 'w_compiledin_cache',
               'lookup_selector', 'lookup_class', 'hook', '_makes_blocks']
    # Quasi-immutable: a change (objectAt:put:, at:put:, become:) invalidates
    # the traces that read them.
    _immutable_fields_ = ['header?', 'literals?[*]', 'bytes?', 'argsize?', 'tempsize?',
                          'primitive?', 'flag?', 'large_context?', 'bytecodeoffset?',
                          'hook?']

    def __init__(self, w_class, header, literals, bytes):
        W_AbstractObjectWithClass.__init__(self, w_class)
        self.bytes = bytes
        self.w_compiledin_cache = None
        self.lookup_selector = ''
        self.lookup_class = ''
        self.hook = None        # a driver's MethodHook (spyvm/hooks.py), or None
        self._makes_blocks = -1  # unknown yet; see makes_blocks
        self.set_header(header, literals)

    def set_header(self, header, literals):
        """Decode the header (a SmallInteger value) as the Blue Book describes."""
        self.header = header
        self.literals = debug.make_sure_not_resized(literals)
        bits = header & 0x7FFF              # the 15-bit value
        flag = (bits >> 12) & 7
        self.flag = flag
        self.tempsize = (bits >> 7) & 0x1F
        self.large_context = (bits >> 6) & 1 == 1
        self.bytecodeoffset = 2 * (len(literals) + 1) + 1
        self.primitive = 0
        if flag < 5:
            self.argsize = flag
        elif flag < 7:
            self.argsize = 0
        else:
            ext = 0
            if len(literals) >= 2 and isinstance(literals[len(literals) - 2], W_SmallInteger):
                w_ext = literals[len(literals) - 2]
                assert isinstance(w_ext, W_SmallInteger)
                ext = w_ext.value
            self.primitive = ext & 0xFF
            self.argsize = (ext >> 8) & 0x1F

    def frame_size(self):
        if self.large_context:
            return constants.LARGE_FRAME
        return constants.SMALL_FRAME

    def initial_ip(self):
        return self.bytecodeoffset

    @jit.elidable
    def makes_blocks(self):
        """Whether the method may push thisContext (to make a block): its
        contexts then keep their temps in the heap (spyvm/context.py). A byte
        137 that is an operand counts too, and the answer is not recomputed if
        the bytes change: either costs only speed, since each context keeps
        the layout it was made with."""
        if self._makes_blocks < 0:
            self._makes_blocks = 1 if chr(137) in self.bytes else 0
        return self._makes_blocks == 1

    def fetch_bytecode(self, ip):
        """The byte at ip, or -1 outside the method's bytes. With the method
        and ip constant in a trace, this folds to a constant."""
        index = ip - self.bytecodeoffset
        if not 0 <= index < len(self.bytes):
            return -1
        return ord(self.bytes[index])

    def literal(self, index):
        """Literal `index` (0-based) for a bytecode; folds in traces too."""
        if not 0 <= index < len(self.literals):
            bytecode_index_error('literal %d out of range', index)
        return self.literals[index]

    # A method read or written as data (at:, at:put:, size, objectAt:, by the
    # compiler building one, say) is not traced into: a trace that reads a
    # quasi-immutable field, even of an object that is not one of its
    # constants, marks that object as watched, and a later trace that writes
    # the field aborts ('force quasi-immut'), as the compiler's did.
    @jit.dont_look_inside
    def size(self):
        return self.bytecodeoffset - 1 + len(self.bytes)

    @jit.dont_look_inside
    def fetch(self, space, index):
        """Byte at 0-based index, counted from the first header byte."""
        offset = self.bytecodeoffset - 1
        if index >= offset and index < offset + len(self.bytes):
            return space.wrap_int(ord(self.bytes[index - offset]))
        if 0 <= index < offset:
            word = index // 2
            if word == 0:
                oop = (self.header << 1) | 1
            else:
                oop = space.oop_of(self.literals[word - 1])
            if index % 2 == 0:
                return space.wrap_int((oop >> 8) & 0xFF)
            return space.wrap_int(oop & 0xFF)
        raise PrimitiveFailedError

    @jit.dont_look_inside
    def store(self, space, index, w_value):
        offset = self.bytecodeoffset - 1
        if not isinstance(w_value, W_SmallInteger) or not 0 <= w_value.value <= 255:
            raise PrimitiveFailedError
        if index >= offset and index < offset + len(self.bytes):
            i = index - offset
            assert i >= 0
            self.bytes = self.bytes[:i] + chr(w_value.value) + self.bytes[i + 1:]
            return
        raise PrimitiveFailedError      # header/literal bytes: use objectAt:put:

    @jit.dont_look_inside
    def literalat0(self, space, index):
        """objectAt: (0-based: 0 is the header)."""
        if index == 0:
            return space.wrap_int(self.header)
        if 1 <= index <= len(self.literals):
            return self.literals[index - 1]
        raise PrimitiveFailedError

    @jit.dont_look_inside
    def literalatput0(self, space, index, w_value):
        if index == 0:
            if not isinstance(w_value, W_SmallInteger):
                raise PrimitiveFailedError
            self.set_header(w_value.value, self.literals)
            return
        if 1 <= index <= len(self.literals):
            literals = self.literals[:]
            literals[index - 1] = w_value
            self.set_header(self.header, literals)
            return
        raise PrimitiveFailedError

    def become(self, other):
        if not isinstance(other, W_CompiledMethod):
            return False
        self._become_common(other)
        h1, l1, b1 = self.header, self.literals, self.bytes
        self.bytes = other.bytes
        self.set_header(other.header, other.literals)
        other.bytes = b1
        other.set_header(h1, l1)
        self.w_compiledin_cache, other.w_compiledin_cache = None, None
        self.lookup_selector, other.lookup_selector = other.lookup_selector, self.lookup_selector
        self.lookup_class, other.lookup_class = other.lookup_class, self.lookup_class
        return True

    def __repr__(self):
        return '<W_CompiledMethod %s>>%s>' % (self.lookup_class, self.lookup_selector)
