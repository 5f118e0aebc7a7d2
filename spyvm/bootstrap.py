"""A small synthetic object space, without any image: for unit tests, and for
building tiny test images. Classes get the Blue Book layout (superclass,
methodDict, format, ..., name) so that lookup and instantiation work."""

from spyvm import constants, context
from spyvm.model import (W_PointersObject, W_BytesObject, W_SmallInteger)
from spyvm.lookup import invalidate_all_lookups
from spyvm.objspace import ObjSpace

# name, oop, format, superclass name
SPECIAL_CLASSES = [
    ('SmallInteger', constants.CLASS_SMALLINTEGER_OOP, 0, 'Object'),
    ('String', constants.CLASS_STRING_OOP, 0x1000, 'Object'),
    ('Array', constants.CLASS_ARRAY_OOP, 0x7000, 'Object'),
    ('Float', constants.CLASS_FLOAT_OOP, 0x3000, 'Object'),
    ('MethodContext', constants.CLASS_METHODCONTEXT_OOP, 0x7006, 'Object'),
    ('BlockContext', constants.CLASS_BLOCKCONTEXT_OOP, 0x7006, 'Object'),
    ('Point', constants.CLASS_POINT_OOP, 0x6002, 'Object'),
    ('LargePositiveInteger', constants.CLASS_LARGEPOSITIVEINTEGER_OOP, 0x1000, 'Object'),
    ('DisplayBitmap', constants.CLASS_DISPLAYBITMAP_OOP, 0x3000, 'Object'),
    ('Message', constants.CLASS_MESSAGE_OOP, 0x6002, 'Object'),
    ('CompiledMethod', constants.CLASS_COMPILEDMETHOD_OOP, 0x1000, 'Object'),
    ('Semaphore', constants.CLASS_SEMAPHORE_OOP, 0x6003, 'Object'),
    ('Character', constants.CLASS_CHARACTER_OOP, 0x6001, 'Object'),
]
OTHER_CLASSES = [
    ('Object', 0x6000, None),
    ('UndefinedObject', 0x6000, 'Object'),
    ('True', 0x6000, 'Object'),
    ('False', 0x6000, 'Object'),
    ('Symbol', 0x1000, 'Object'),
    ('Association', 0x6002, 'Object'),
    ('MethodDictionary', 0x7002, 'Object'),
    ('LargeNegativeInteger', 0x1000, 'Object'),
    ('WordArray', 0x3000, 'Object'),
    ('ByteArray', 0x1000, 'Object'),
    ('Form', 0x6004, 'Object'),
    ('BitBlt', 0x600E, 'Object'),
    ('Process', 0x6004, 'Object'),
    ('LinkedList', 0x6002, 'Object'),
    ('ProcessorScheduler', 0x6002, 'Object'),
    ('SystemDictionary', 0x7000, 'Object'),
    ('Metaclass', 0x6007, 'Object'),
]


class Bootstrap(object):
    def __init__(self):
        self.space = space = ObjSpace()
        self.classes = {}
        space.objects = [None] * 200
        self.next_oop = 60
        # nil first: every W_PointersObject needs it.
        w_nil = W_PointersObject(None, 0, None)
        space.register_loaded(w_nil, constants.NIL_OOP)
        space.w_nil = w_nil
        context.UNWRITTEN.w_nil = w_nil
        for name, oop, fmt, sup in SPECIAL_CLASSES:
            self.make_class(name, fmt, oop)
        for name, fmt, sup in OTHER_CLASSES:
            self.make_class(name, fmt)
        for name, oop, fmt, sup in SPECIAL_CLASSES:
            self.set_super(name, sup)
        for name, fmt, sup in OTHER_CLASSES:
            if sup:
                self.set_super(name, sup)
        for w_class in self.classes.values():
            self.init_class(w_class)
            w_class.w_class.w_class = self.classes['Metaclass']
        w_nil.w_class = self.classes['UndefinedObject']
        self.put(W_PointersObject(self.classes['False'], 0, w_nil), constants.FALSE_OOP)
        self.put(W_PointersObject(self.classes['True'], 0, w_nil), constants.TRUE_OOP)
        for sel, oop in [('doesNotUnderstand:', constants.SELECTOR_DOESNOTUNDERSTAND_OOP),
                         ('cannotReturn:', constants.SELECTOR_CANNOTRETURN_OOP),
                         ('monitor:', constants.SELECTOR_MONITOR_OOP),
                         ('mustBeBoolean', constants.SELECTOR_MUSTBEBOOLEAN_OOP),
                         ('unusedOop18', 36)]:
            self.put(self.symbol_object(sel), oop)
            self.symbols = self.symbols or {}
            self.symbols[sel] = self.space.objects[oop >> 1]
        chars = W_PointersObject(self.classes['Array'], 256, w_nil)
        for i in range(256):
            c = W_PointersObject(self.classes['Character'], 1, w_nil)
            c.store_field(0, W_SmallInteger(i))
            chars.store_field(i, c)
        self.put(chars, constants.CHARACTER_TABLE_OOP)
        specials = W_PointersObject(self.classes['Array'], 64, w_nil)
        self.put(specials, constants.SPECIAL_SELECTORS_OOP)
        from spyvm.bytecodes import SPECIAL_SELECTORS, SPECIAL_ARGCOUNTS
        for i, sel in enumerate(SPECIAL_SELECTORS):
            specials.store_field(2 * i, self.symbol(sel))
            specials.store_field(2 * i + 1, W_SmallInteger(SPECIAL_ARGCOUNTS[i]))
        # Processor -> a scheduler with 8 empty lists and no active process.
        lists = W_PointersObject(self.classes['Array'], 8, w_nil)
        for i in range(8):
            lists.store_field(i, W_PointersObject(self.classes['LinkedList'], 2, w_nil))
        sched = W_PointersObject(self.classes['ProcessorScheduler'], 2, w_nil)
        sched.store_field(0, lists)
        self.put(self.association('Processor', sched), constants.SCHEDULER_ASSOCIATION_OOP)
        self.w_smalltalk = W_PointersObject(self.classes['SystemDictionary'], 64, w_nil)
        self.put(self.association('Smalltalk', self.w_smalltalk), constants.SMALLTALK_ASSOCIATION_OOP)
        self.put(W_PointersObject(self.classes['Array'], 0, w_nil), constants.SYMBOL_TABLE_OOP)
        # Globals for the classes (slot 0 is left for tests).
        for i, name in enumerate(sorted(self.classes)):
            self.w_smalltalk.store_field(1 + i, self.association(name, self.classes[name]))
        space.finish_loading()
        space.init_special_objects()
        space.w_LargeNegativeInteger = self.classes['LargeNegativeInteger']
        space.w_Symbol = self.classes['Symbol']

    def put(self, w_obj, oop):
        self.space.register_loaded(w_obj, oop)
        return w_obj

    def make_class(self, name, fmt, oop=0):
        w_nil = self.space.w_nil
        w_meta = W_PointersObject(None, 7, w_nil)
        w_class = W_PointersObject(w_meta, 9, w_nil)
        w_class.store_field(constants.CLASS_FORMAT, W_SmallInteger(fmt))
        w_class.store_field(constants.CLASS_METHODDICT, self.new_methoddict(w_nil))
        w_meta.store_field(constants.CLASS_FORMAT, W_SmallInteger(0x6009))
        w_meta.store_field(constants.CLASS_METHODDICT, self.new_methoddict(w_nil))
        w_meta.store_field(constants.METACLASS_THISCLASS, w_class)
        if not oop:
            oop = self.next_oop
            self.next_oop += 2
        self.put(w_class, oop)
        self.classes[name] = w_class
        w_name = W_BytesObject(None, len(name))   # class set once String exists
        w_name.bytes = list(name)
        w_class.store_field(constants.CLASS_NAME, w_name)
        return w_class

    def new_methoddict(self, w_nil, capacity=32):
        return W_PointersObject(None, 2 + capacity, w_nil)

    def set_super(self, name, supername):
        w_class = self.classes[name]
        w_super = self.classes[supername]
        w_class.store_field(constants.CLASS_SUPERCLASS, w_super)
        w_class.w_class.store_field(constants.CLASS_SUPERCLASS, w_super.w_class)

    def init_class(self, w_class):
        w_class.fetch_field(constants.CLASS_NAME).w_class = self.classes['String']
        for w_cls in [w_class, w_class.w_class]:
            w_md = w_cls.fetch_field(constants.CLASS_METHODDICT)
            w_md.w_class = self.classes['MethodDictionary']
            w_values = W_PointersObject(self.classes['Array'], w_md.size() - 2, self.space.w_nil)
            w_md.store_field(constants.METHODDICT_VALUES, w_values)
            w_md.store_field(constants.METHODDICT_TALLY, W_SmallInteger(0))

    def symbol_object(self, name):
        w_sym = W_BytesObject(self.classes['Symbol'], len(name))
        w_sym.bytes = list(name)
        return w_sym

    symbols = None

    def symbol(self, name):
        """Interned: the same Symbol object for the same name."""
        if self.symbols is None:
            self.symbols = {}
        if name not in self.symbols:
            self.symbols[name] = self.symbol_object(name)
        return self.symbols[name]

    def method(self, bytecodes, literals=None, argcount=0, tempcount=0,
               primitive=0, large=False, selector='', w_class=None):
        """A CompiledMethod from a list of bytecodes (plus a 3-byte trailer)."""
        from spyvm.model import W_CompiledMethod
        literals = list(literals or [])
        w_lits = []
        for lit in literals:
            if isinstance(lit, int):
                lit = W_SmallInteger(lit)
            elif isinstance(lit, str):
                lit = self.symbol(lit)
            w_lits.append(lit)
        if primitive or argcount > 4:
            flag = 7
            w_lits.append(W_SmallInteger(primitive | (argcount << 8)))
            w_lits.append(self.association('Foo', w_class or self.space.w_nil))
        else:
            flag = argcount
        header = (flag << 12) | (max(tempcount, argcount) << 7) | (len(w_lits) & 0x3F)
        if large:
            header |= 1 << 6
        code = ''.join([chr(b) for b in bytecodes]) + '\x00\x00\x00'
        w_method = W_CompiledMethod(self.space.w_CompiledMethod, header, w_lits, code)
        w_method.lookup_selector = selector
        return w_method

    def association(self, key, w_value):
        w_assoc = W_PointersObject(self.classes['Association'], 2, self.space.w_nil)
        w_assoc.store_field(0, self.symbol_object(key))
        w_assoc.store_field(1, w_value)
        return w_assoc

    def install_method(self, w_class, selector, w_method):
        """Put a method into a class's MethodDictionary at its hashed slot."""
        space = self.space
        w_sel = self.symbol(selector)
        w_md = w_class.fetch_field(constants.CLASS_METHODDICT)
        w_values = w_md.fetch_field(constants.METHODDICT_VALUES)
        capacity = w_md.size() - 2
        index = (space.oop_of(w_sel) >> 1) & (capacity - 1)
        while True:
            w_key = w_md.fetch_field(2 + index)
            if w_key is space.w_nil or w_key is w_sel:
                break
            index = (index + 1) % capacity
        w_md.store_field(2 + index, w_sel)
        w_values.store_field(index, w_method)
        w_method.lookup_selector = selector
        w_method.lookup_class = space.class_name(w_class)
        invalidate_all_lookups(space)
