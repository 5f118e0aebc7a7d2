"""The object space: special objects, wrapping of host values, the oop table.

Oops. The 16-bit oop of a Blue Book object is its identity hash, and the image
hashes method dictionaries and identity collections by it, so objects loaded from
the image keep theirs. New objects receive one lazily, the first time something
needs it (asOop/hash, someInstance, a snapshot), from the free entries in
ascending order, like the Blue Book's free-pointer list. When the table is full,
a mark phase from the roots releases the oops of unreachable objects.
"""

from rpython.rlib import jit
from rpython.rlib.objectmodel import dont_inline
from spyvm import constants, context
from spyvm.error import PrimitiveFailedError
from spyvm.model import (W_SmallInteger, W_AbstractObjectWithClass, W_LargeInteger,
                         W_PointersObject, W_WordsObject, W_BytesObject, W_Float,
                         W_CompiledMethod, round_to_single, LookupVersion)
from spyvm.context import W_Context
from spyvm.memory import Memory

# Magnitudes below this are W_LargeIntegers (machine integers), above it bytes.
WORD_LARGE_LIMIT = 1 << (8 * W_LargeInteger.MAX_BYTES)


class ObjSpace(object):
    _immutable_fields_ = ['w_nil', 'w_true', 'w_false', 'w_SmallInteger',
                          'w_String', 'w_Array', 'w_Float', 'w_MethodContext',
                          'w_BlockContext', 'w_Point', 'w_LargePositiveInteger',
                          'w_LargeNegativeInteger', 'w_Message',
                          'w_CompiledMethod', 'w_Semaphore', 'w_Character',
                          'w_Symbol', 'w_DisplayBitmap', 'w_charactertable',
                          'w_special_selectors', 'w_doesNotUnderstand',
                          'w_cannotReturn', 'w_mustBeBoolean',
                          'w_scheduler_association', 'w_smalltalk_association',
                          'memory', 'lookup_version?']

    def __init__(self):
        self.objects = []          # index oop>>1 -> W_Object or None
        self.free_oops = []        # free oops, the lowest last (popped first)
        self.lookup_version = LookupVersion()
        self.smallints = [W_SmallInteger(i) for i in range(constants.MININT, constants.MAXINT + 1)]
        self.w_nil = None
        self.w_LargeNegativeInteger = None
        self.w_MethodDictionary = None
        self.w_active_context = None   # set by the interpreter: a root while running
        self.memory = Memory()
        self.w_error_selector = None   # #error:, found when first needed

    def init_special_objects(self):
        """Bind the well-known objects once the object table is filled."""
        self.w_nil = self.object_at_oop(constants.NIL_OOP)
        context.UNWRITTEN.w_nil = self.w_nil
        self.w_false = self.object_at_oop(constants.FALSE_OOP)
        self.w_true = self.object_at_oop(constants.TRUE_OOP)
        self.w_scheduler_association = self.object_at_oop(constants.SCHEDULER_ASSOCIATION_OOP)
        self.w_smalltalk_association = self.object_at_oop(constants.SMALLTALK_ASSOCIATION_OOP)
        self.w_SmallInteger = self.object_at_oop(constants.CLASS_SMALLINTEGER_OOP)
        self.w_String = self.object_at_oop(constants.CLASS_STRING_OOP)
        self.w_Array = self.object_at_oop(constants.CLASS_ARRAY_OOP)
        self.w_Float = self.object_at_oop(constants.CLASS_FLOAT_OOP)
        self.w_MethodContext = self.object_at_oop(constants.CLASS_METHODCONTEXT_OOP)
        self.w_BlockContext = self.object_at_oop(constants.CLASS_BLOCKCONTEXT_OOP)
        self.w_Point = self.object_at_oop(constants.CLASS_POINT_OOP)
        self.w_LargePositiveInteger = self.object_at_oop(constants.CLASS_LARGEPOSITIVEINTEGER_OOP)
        self.w_DisplayBitmap = self.object_at_oop(constants.CLASS_DISPLAYBITMAP_OOP)
        self.w_Message = self.object_at_oop(constants.CLASS_MESSAGE_OOP)
        self.w_CompiledMethod = self.object_at_oop(constants.CLASS_COMPILEDMETHOD_OOP)
        self.w_Semaphore = self.object_at_oop(constants.CLASS_SEMAPHORE_OOP)
        self.w_Character = self.object_at_oop(constants.CLASS_CHARACTER_OOP)
        self.w_doesNotUnderstand = self.object_at_oop(constants.SELECTOR_DOESNOTUNDERSTAND_OOP)
        self.w_cannotReturn = self.object_at_oop(constants.SELECTOR_CANNOTRETURN_OOP)
        self.w_mustBeBoolean = self.object_at_oop(constants.SELECTOR_MUSTBEBOOLEAN_OOP)
        self.w_special_selectors = self.object_at_oop(constants.SPECIAL_SELECTORS_OOP)
        self.w_charactertable = self.object_at_oop(constants.CHARACTER_TABLE_OOP)
        # Symbol is the class of any selector; LargeNegativeInteger is not special.
        self.w_Symbol = self.w_doesNotUnderstand.getclass(self)
        w_lni = self.find_global('LargeNegativeInteger')
        if w_lni is not None:
            self.w_LargeNegativeInteger = w_lni
        self.w_MethodDictionary = self.find_global('MethodDictionary')

    # -- the object table -------------------------------------------------
    def object_at_oop(self, oop):
        index = oop >> 1
        if oop & 1 or not 0 < index < len(self.objects):
            return None
        return self.objects[index]

    def register_loaded(self, w_obj, oop):
        """Used by the loader: the object keeps its oop from the file."""
        assert isinstance(w_obj, W_AbstractObjectWithClass)
        index = oop >> 1
        while len(self.objects) <= index:
            self.objects.append(None)
        self.objects[index] = w_obj
        w_obj.oop = oop

    def finish_loading(self):
        """Build the free list: every unused entry up to MAX_OOP, lowest first out."""
        while len(self.objects) <= constants.MAX_OOP >> 1:
            self.objects.append(None)
        free = []
        i = len(self.objects) - 1
        while i >= 1:
            if self.objects[i] is None:
                free.append(i << 1)
            i -= 1
        self.free_oops = free

    def oop_of(self, w_obj):
        """The 16-bit oop of an object, assigning one if it has none yet."""
        if isinstance(w_obj, W_SmallInteger):
            return ((w_obj.value << 1) | 1) & 0xFFFF
        assert isinstance(w_obj, W_AbstractObjectWithClass)
        if w_obj.oop == 0:
            self._assign_oop(w_obj)
        return w_obj.oop

    @jit.dont_look_inside
    def _assign_oop(self, w_obj):
        if not self.free_oops and self.w_active_context is not None:
            # Reclaiming needs every root, the running contexts included.
            self.reclaim_oops()
        if not self.free_oops:
            raise PrimitiveFailedError      # really out of oops
        oop = self.free_oops.pop()
        self.objects[oop >> 1] = w_obj
        w_obj.oop = oop

    def oops_left(self):
        return len(self.free_oops)

    @jit.dont_look_inside
    def reclaim_oops(self):
        """Mark from the roots; free the oops of the objects not reached."""
        marked = self.mark_reachable()
        free = []
        i = len(self.objects) - 1
        while i >= 1:
            w_obj = self.objects[i]
            if w_obj is not None and not _is_marked(marked, w_obj):
                w_obj.oop = 0
                self.objects[i] = None
            if self.objects[i] is None:
                free.append(i << 1)
            i -= 1
        self.free_oops = free

    def roots(self):
        """The roots of the object graph: the special objects (oops 2..52)."""
        result = []
        oop = 2
        while oop <= constants.LAST_SPECIAL_OOP:
            w_obj = self.object_at_oop(oop)
            if w_obj is not None:
                result.append(w_obj)
            oop += 2
        if self.w_active_context is not None:
            result.append(self.w_active_context)
        return result

    @jit.dont_look_inside
    def mark_reachable(self):
        """All objects reachable from the roots, as an identity dict."""
        marked, order = self.mark_in_order()
        return marked

    def mark_in_order(self):
        """The reachable objects, as an identity dict and in the order found
        (depth first from the roots: the same untranslated and translated)."""
        marked = {}
        order = []
        todo = self.roots()
        while todo:
            w_obj = todo.pop()
            if not isinstance(w_obj, W_AbstractObjectWithClass):
                continue
            if w_obj in marked:
                continue
            marked[w_obj] = None
            order.append(w_obj)
            todo.append(w_obj.w_class)
            for w_ref in pointers_of(w_obj):
                if isinstance(w_ref, W_AbstractObjectWithClass) and w_ref not in marked:
                    todo.append(w_ref)
        return marked, order

    @jit.dont_look_inside
    def all_objects(self):
        """Every live object, in oop order (assigning oops to the new ones, in
        the order the marking found them)."""
        marked, order = self.mark_in_order()
        for w_obj in order:
            assert isinstance(w_obj, W_AbstractObjectWithClass)
            if w_obj.oop == 0:
                self._assign_oop(w_obj)
        result = []
        for w_obj in self.objects:
            if w_obj is not None and w_obj in marked:
                result.append(w_obj)
        return result

    def find_symbol(self, name):
        """A Symbol of the image by its name, or None (a scan of the oops)."""
        for w_obj in self.objects:
            if (isinstance(w_obj, W_BytesObject) and w_obj.getclass(self) is self.w_Symbol
                    and w_obj.as_string() == name):
                return w_obj
        return None

    # -- wrapping -----------------------------------------------------------
    def wrap_int(self, value):
        if constants.MININT <= value <= constants.MAXINT:
            if jit.we_are_jitted():
                return W_SmallInteger(value)     # virtual in traces: no allocation
            return self.smallints[value - constants.MININT]
        return self.wrap_large_int(value)

    # Not inlined into wrap_int, so that wrap_int (every arithmetic result)
    # stays small enough for RPython's inliner to inline into the primitives.
    @dont_inline
    def wrap_large_int(self, value):
        if value >= 0:
            w_class = self.w_LargePositiveInteger
            magnitude = value
        else:
            w_class = self.w_LargeNegativeInteger
            magnitude = -value
            if w_class is None:
                raise PrimitiveFailedError
        if magnitude < WORD_LARGE_LIMIT:
            return W_LargeInteger(w_class, magnitude, 0)
        return wrap_large_digits(w_class, magnitude)

    def wrap_positive_32bit(self, value):
        """Like the reference VMs' positive32BitIntegerFor: a SmallInteger if it
        fits, else a LargePositiveInteger of exactly 4 bytes (not normalized)."""
        if 0 <= value <= constants.MAXINT:
            return self.smallints[value - constants.MININT]
        return W_LargeInteger(self.w_LargePositiveInteger, value & 0xFFFFFFFF, 4)

    def wrap_positive_int(self, value):
        assert value >= 0
        return self.wrap_int(value)

    def wrap_bool(self, flag):
        if flag:
            return self.w_true
        return self.w_false

    def wrap_string(self, s):
        w_str = W_BytesObject(self.w_String, len(s))
        w_str.bytes = [c for c in s]
        return w_str

    def wrap_float(self, value):
        return W_Float(self.w_Float, round_to_single(value))

    def wrap_point(self, x, y):
        w_point = W_PointersObject(self.w_Point, 2, self.w_nil)
        w_point.store_field(constants.POINT_X, self.wrap_int(x))
        w_point.store_field(constants.POINT_Y, self.wrap_int(y))
        return w_point

    def wrap_list(self, items_w):
        w_array = W_PointersObject(self.w_Array, len(items_w), self.w_nil)
        for i in range(len(items_w)):
            w_array.store_field(i, items_w[i])
        return w_array

    def unwrap_int(self, w_value):
        if isinstance(w_value, W_SmallInteger):
            return w_value.value
        raise PrimitiveFailedError

    def unwrap_large_or_small(self, w_value):
        """A SmallInteger or a Large(Positive|Negative)Integer of at most 4 bytes."""
        if isinstance(w_value, W_SmallInteger):
            return w_value.value
        # Apart: its loops would keep the JIT out of the common case above
        # (a call in each trace of at: and at:put:).
        return self.unwrap_large(w_value)

    def unwrap_large(self, w_value):
        if isinstance(w_value, W_LargeInteger):
            if w_value.magnitude > 0xFFFFFFFF:
                raise PrimitiveFailedError
            if w_value.getclass(self) is self.w_LargeNegativeInteger:
                return -w_value.magnitude
            if w_value.getclass(self) is not self.w_LargePositiveInteger:
                raise PrimitiveFailedError
            return w_value.magnitude
        if isinstance(w_value, W_BytesObject):
            w_class = w_value.getclass(self)
            negative = w_class is self.w_LargeNegativeInteger
            if not negative and w_class is not self.w_LargePositiveInteger:
                raise PrimitiveFailedError
            n = len(w_value.bytes)
            while n > 0 and w_value.bytes[n - 1] == '\x00':
                n -= 1
            if n > 4:
                raise PrimitiveFailedError
            value = 0
            for i in range(n - 1, -1, -1):
                value = (value << 8) | ord(w_value.bytes[i])
            if negative:
                value = -value
            return value
        raise PrimitiveFailedError

    def unwrap_positive_16bit(self, w_value):
        value = self.unwrap_large_or_small(w_value)
        if not 0 <= value <= 0xFFFF:
            raise PrimitiveFailedError
        return value

    def unwrap_char(self, w_value):
        if (isinstance(w_value, W_PointersObject) and
                w_value.getclass(self) is self.w_Character):
            return self.unwrap_int(w_value.fetch_field(constants.CHARACTER_VALUE))
        raise PrimitiveFailedError

    def unwrap_point(self, w_value):
        if isinstance(w_value, W_PointersObject) and w_value.getclass(self) is self.w_Point:
            return (self.unwrap_int(w_value.fetch_field(constants.POINT_X)),
                    self.unwrap_int(w_value.fetch_field(constants.POINT_Y)))
        raise PrimitiveFailedError

    # -- classes --------------------------------------------------------------
    def class_format(self, w_class):
        if not isinstance(w_class, W_PointersObject) or w_class.size() <= constants.CLASS_FORMAT:
            raise PrimitiveFailedError
        w_format = w_class.fetch_field(constants.CLASS_FORMAT)
        if not isinstance(w_format, W_SmallInteger):
            raise PrimitiveFailedError
        return w_format.value

    def instantiate(self, w_class, indexable_size):
        """Blue Book instantiateClass: the shape follows the class format."""
        fmt = self.class_format(w_class)
        fixed = fmt & constants.FORMAT_FIXED_MASK
        indexable = fmt & constants.FORMAT_INDEXABLE != 0
        if not indexable:
            indexable_size = 0
        if indexable_size < 0:
            raise PrimitiveFailedError
        if w_class is self.w_MethodContext or w_class is self.w_BlockContext:
            size = fixed + indexable_size - constants.CTX_TEMP_FRAME_START
            if size < 0:
                raise PrimitiveFailedError
            return W_Context(w_class, size, self.w_nil)
        if fmt & constants.FORMAT_POINTERS:
            return W_PointersObject(w_class, fixed + indexable_size, self.w_nil)
        if w_class is self.w_Float:
            return W_Float(w_class, 0.0)
        if fmt & constants.FORMAT_WORDS:
            return W_WordsObject(w_class, indexable_size)
        if w_class is self.w_CompiledMethod:
            raise PrimitiveFailedError      # made by newMethod:header: (primitive 79)
        if ((w_class is self.w_LargePositiveInteger or w_class is self.w_LargeNegativeInteger)
                and 0 < indexable_size <= W_LargeInteger.MAX_BYTES):
            return W_LargeInteger(w_class, 0, indexable_size)
        return W_BytesObject(w_class, indexable_size)

    def superclass(self, w_class):
        if not isinstance(w_class, W_PointersObject) or w_class.size() <= constants.CLASS_FORMAT:
            raise PrimitiveFailedError
        return w_class.fetch_field(constants.CLASS_SUPERCLASS)

    def class_name(self, w_class):
        """'Point' or 'Point class' (for messages, traces and printable locations)."""
        if not isinstance(w_class, W_PointersObject) or w_class.size() <= constants.CLASS_NAME:
            return '?'
        w_name = w_class.fetch_field(constants.CLASS_NAME)
        if isinstance(w_name, W_BytesObject):
            return w_name.as_string()
        # A metaclass: field 6 is its sole instance.
        if isinstance(w_name, W_PointersObject) and w_name.size() > constants.CLASS_NAME:
            w_inner = w_name.fetch_field(constants.CLASS_NAME)
            if isinstance(w_inner, W_BytesObject):
                return w_inner.as_string() + ' class'
        return '?'

    def find_global(self, name):
        """The value of a global in the Smalltalk SystemDictionary, or None."""
        w_assoc = self.find_global_association(name)
        if w_assoc is None:
            return None
        return w_assoc.fetch_field(constants.ASSOCIATION_VALUE)

    def find_global_association(self, name):
        """The Association of a global in the Smalltalk SystemDictionary, or None."""
        w_assoc = self.w_smalltalk_association
        if not isinstance(w_assoc, W_PointersObject):
            return None
        w_dict = w_assoc.fetch_field(constants.ASSOCIATION_VALUE)
        if not isinstance(w_dict, W_PointersObject):
            return None
        for w_elem in w_dict._vars:
            if isinstance(w_elem, W_PointersObject) and w_elem.size() == 2:
                w_key = w_elem.fetch_field(constants.ASSOCIATION_KEY)
                if isinstance(w_key, W_BytesObject) and w_key.as_string() == name:
                    return w_elem
        return None

    # -- method lookup support -------------------------------------------------
    def is_lookup_relevant(self, w_obj):
        """A method dictionary or a class (anything with a method dictionary in
        field 1): what lookup reads. (Not Arrays: the image grows and shrinks a
        MethodDictionary by become: of the dictionary itself, never of its
        value Array alone; and collections grow by become: all the time.)"""
        if not isinstance(w_obj, W_PointersObject):
            return False        # bytes, words, floats, methods: never a class or dictionary
        if self.w_MethodDictionary is None:
            return True         # no MethodDictionary known: be safe
        w_class = w_obj.getclass(self)
        if w_class is self.w_MethodDictionary:
            return True
        if w_obj.size() > constants.CLASS_FORMAT:
            w_dict = w_obj.fetch_field(constants.CLASS_METHODDICT)
            if isinstance(w_dict, W_PointersObject) and w_dict.getclass(self) is self.w_MethodDictionary:
                return True
        return False


def pointers_of(w_obj):
    """A new list of the object pointers an object holds (for marking)."""
    if isinstance(w_obj, W_PointersObject):
        return [w_ref for w_ref in w_obj._vars]
    if isinstance(w_obj, W_Context):
        return w_obj.pointers()
    if isinstance(w_obj, W_CompiledMethod):
        return [w_lit for w_lit in w_obj.literals]
    return []


def wrap_large_digits(w_class, magnitude):
    """A byte object of the digits (apart: its loop keeps the JIT from
    inlining the common case, W_LargeInteger)."""
    digits = []
    while magnitude > 0:
        digits.append(chr(magnitude & 0xFF))
        magnitude >>= 8
    w_result = W_BytesObject(w_class, len(digits))
    w_result.bytes = digits
    return w_result


def _is_marked(marked, w_obj):
    return w_obj in marked
