"""Method and block contexts: the interpreter's frames are the Smalltalk objects.

A W_Context is both what the interpreter runs and what the image sees through
thisContext, instVarAt:, at: and the debugger. Its six fixed fields map to:

    0 sender / caller      w_sender
    1 instructionPointer   ip      (Blue Book ip, 1-based from the header; -1 = nil)
    2 stackPointer         sp      (slots in use from field 6; -1 = nil)
    3 method / nargs       _w_method_or_nargs  (a SmallInteger marks a BlockContext)
    4 receiverMap / initialIP  _w_initial_ip
    5 receiver / home      _w_receiver_or_home
    6.. temps and stack    _stack  (fixed size, never resized)

Only this module touches those fields: the interpreter, the primitives and the
image loader make contexts with method_context, block_context and
from_image_fields, and read them through the named accessors below.

The JIT keeps the running context's ip, sp and stack in registers (they are its
virtualizable fields) and writes them to the heap only when something outside
the trace reads them. Blue Book blocks read their home context's receiver,
method and temps, from other traces too, and every such read would force the
home and throw its trace away. So the receiver and method fields are plain
fields, and a method that makes blocks (one with a pushThisContext bytecode)
keeps its temps in a plain array, `_temps`, instead of the first slots of
`_stack` (`nheaptemps` says how many; 0 for all other contexts).
"""

from rpython.rlib import jit
from spyvm import constants
from rpython.rlib.rarithmetic import r_uint
from spyvm.error import PrimitiveFailedError, bytecode_error, bytecode_index_error
from spyvm.model import W_AbstractObjectWithClass, W_CompiledMethod, W_SmallInteger


class UnwrittenSlots(object):
    """The image's nil, which a stack slot never written (None in the arrays)
    answers when read (temp, pop, peek): a context the image made with
    `new:`, or bad code that pops into its temporaries. The object space that
    binds nil sets it once (quasi-immutable: a constant in traces)."""
    _immutable_fields_ = ['w_nil?']

    def __init__(self):
        self.w_nil = None


UNWRITTEN = UnwrittenSlots()


def nil_if_unwritten(w_value):
    if w_value is None:
        return UNWRITTEN.w_nil
    return w_value


class W_Context(W_AbstractObjectWithClass):
    _attrs_ = ['w_sender', 'ip', 'sp', '_w_method_or_nargs', '_is_block',
               '_w_initial_ip', '_w_receiver_or_home', '_stack', 'w_python_caller',
               'nheaptemps', '_temps', 'stack_size', 'ip_is_nil']
    _virtualizable_ = ['ip', 'sp', '_stack[*]']
    # The length of _stack, as a plain field: reading the length of another
    # context's _stack (a block's home in blockCopy) is a virtualizable access
    # that would force that context if JIT code holds it.
    _immutable_fields_ = ['stack_size']

    def __init__(self, w_class, stacksize, w_nil):
        self = jit.hint(self, access_directly=True, fresh_virtualizable=True)
        W_AbstractObjectWithClass.__init__(self, w_class)
        self.w_sender = w_nil
        self.ip = -1
        # ip < 0, as a plain field: a return tests its target's liveness by it,
        # where reading `ip` would force a target that JIT code is running.
        self.ip_is_nil = True
        self.sp = -1
        self._w_method_or_nargs = w_nil
        self._is_block = False
        self._w_initial_ip = w_nil
        self._w_receiver_or_home = w_nil
        # None reads as nil (temp, pop, peek: UNWRITTEN): a fresh array is
        # already cleared, and needs no filling (nor, in traces, any stores).
        self._stack = [None] * stacksize
        self.stack_size = stacksize
        # The context whose Python-level send is running this one (None when
        # resumed from the heap). It is alive, so returning to it needs no check
        # of its fields -- reading them would force the JIT's virtualizable.
        self.w_python_caller = None
        self.nheaptemps = 0
        self._temps = None

    # -- making contexts ---------------------------------------------------
    @staticmethod
    def method_context(space, w_method, w_receiver, w_sender):
        """Blue Book activateNewMethod: a MethodContext ready to run w_method
        (the caller stores the arguments in its first temps)."""
        w_new = W_Context(space.w_MethodContext, w_method.frame_size(), space.w_nil)
        w_new.w_sender = w_sender
        w_new.set_ip(w_method.initial_ip())
        w_new.sp = w_method.tempsize
        w_new._set_method_or_nargs(w_method)
        w_new._w_receiver_or_home = w_receiver
        if w_method.makes_blocks():
            w_new._put_temps_in_heap(w_method.tempsize)
        return w_new

    @staticmethod
    def block_context(space, w_home, argcount, initial_ip):
        """Blue Book primitiveBlockCopy: a BlockContext of w_home (a
        MethodContext), its code starting at initial_ip."""
        w_block = W_Context(space.w_BlockContext, w_home.stack_size, space.w_nil)
        w_block._w_initial_ip = space.wrap_int(initial_ip)
        w_block.set_ip(initial_ip)
        w_block.sp = 0
        w_block._set_method_or_nargs(space.wrap_int(argcount))
        w_block._w_receiver_or_home = w_home
        return w_block

    def from_image_fields(self, space, fields_w):
        """Fill a context from its fields as an image stores them (the loader)."""
        w_ip = fields_w[constants.CTX_IP]
        w_sp = fields_w[constants.CTX_SP]
        self.w_sender = fields_w[constants.CTX_SENDER]
        self.set_ip(w_ip.value if isinstance(w_ip, W_SmallInteger) else -1)
        self.sp = w_sp.value if isinstance(w_sp, W_SmallInteger) else -1
        self._set_method_or_nargs(fields_w[constants.CTX_METHOD])
        self._w_initial_ip = fields_w[constants.CTX_RECEIVER_MAP]
        self._w_receiver_or_home = fields_w[constants.CTX_RECEIVER]
        n = min(len(fields_w) - constants.CTX_TEMP_FRAME_START, self.stack_size)
        for i in range(n):
            self._stack[i] = fields_w[constants.CTX_TEMP_FRAME_START + i]

    @jit.unroll_safe
    def start_block(self, w_caller, args_w, npop):
        """Blue Book primitiveValue: the arguments become the block's first
        stack slots, npop slots of the caller go, and the block runs from its
        initial ip for the caller. False if the block cannot take them (the
        primitive fails, and nothing has changed)."""
        nargs = len(args_w)
        if not self.is_block() or self.block_argcount() != nargs or nargs > self.stack_size:
            return False
        w_initial = self._w_initial_ip
        if not isinstance(w_initial, W_SmallInteger):
            return False
        for i in range(nargs):
            self._stack[i] = args_w[i]
        w_caller.pop_n(npop)
        self.set_ip(w_initial.value)
        self.sp = nargs
        self.w_sender = w_caller
        return True

    def _put_temps_in_heap(self, n):
        """Keep temps 0..n-1 in `_temps` (a fresh context, before its temps
        are stored)."""
        assert 0 <= n <= self.stack_size
        self.nheaptemps = n
        self._temps = [None] * n        # None reads as nil, as in _stack

    def _put_temps_in_stack(self):
        """Back to one array (the image set the stack pointer below the temps:
        the interpreter's pushes must reach the slots the image reads)."""
        for i in range(self.nheaptemps):
            self._stack[i] = self._temps[i]
        self.nheaptemps = 0
        self._temps = None

    # -- what the interpreter uses --------------------------------------
    def _set_method_or_nargs(self, w_value):
        self._w_method_or_nargs = w_value
        self._is_block = isinstance(w_value, W_SmallInteger)

    def is_block(self):
        """The Blue Book's test: a BlockContext holds its argument count in
        field 3. (Kept as a flag by every write of that field: a block reading
        its home's temps tests the home without reading the home's method,
        which the JIT's optimizer would guard on -- docs/JIT.md.)"""
        return self._is_block

    def home(self):
        if self.is_block():
            w_home = self._w_receiver_or_home
            if not isinstance(w_home, W_Context) or w_home.is_block():
                bytecode_error('a block context whose home is not a method context')
            return w_home
        return self

    def method(self):
        w_method = self.home()._w_method_or_nargs
        if not isinstance(w_method, W_CompiledMethod):
            bytecode_error('a context without a method')
        return w_method

    def receiver(self):
        return self.home()._w_receiver_or_home

    def block_argcount(self):
        w_n = self._w_method_or_nargs
        assert isinstance(w_n, W_SmallInteger)
        return w_n.value

    def home_or_none(self):
        """The home context, or None when the image left a damaged one (for
        reports about arbitrary contexts, which must not fail)."""
        if not self.is_block():
            return self
        w_home = self._w_receiver_or_home
        if isinstance(w_home, W_Context) and not w_home.is_block():
            return w_home
        return None

    def method_or_none(self):
        w_home = self.home_or_none()
        if w_home is None:
            return None
        w_method = w_home._w_method_or_nargs
        if isinstance(w_method, W_CompiledMethod):
            return w_method
        return None

    def set_ip(self, ip):
        """Set the ip (not in the bytecode loop, which keeps it >= 0)."""
        self.ip = ip
        self.ip_is_nil = ip < 0

    def stacksize(self):
        return self.stack_size

    # Every index is checked: methods and contexts are Smalltalk data, and
    # translated RPython does not check. In JIT code the checks fold away,
    # since the interpreter promotes sp and stack_size at each merge point.
    def push(self, w_value):
        sp = self.sp
        if not in_range(sp, self.stack_size):
            bytecode_error('stack overflow')
        assert sp >= 0                  # (known from the check; tells RPython)
        self._stack[sp] = w_value
        self.sp = sp + 1

    # Popped slots are cleared (None; the image sees nil there): a stale value
    # in the stack would keep otherwise virtual objects alive in JIT traces.
    def pop(self):
        sp = self.sp - 1
        if not in_range(sp, self.stack_size):
            bytecode_error('stack underflow')
        assert sp >= 0
        self.sp = sp
        w_value = self._stack[sp]
        self._stack[sp] = None
        return nil_if_unwritten(w_value)

    @jit.unroll_safe
    def pop_n(self, n):
        sp = self.sp
        if n < 0 or not 0 <= sp - n <= self.stack_size:
            bytecode_error('stack underflow')
        for i in range(n):
            sp -= 1
            assert sp >= 0
            self._stack[sp] = None
        self.sp = sp

    def top(self):
        return self.peek(0)

    def peek(self, offset):
        index = self.sp - 1 - offset
        if not in_range(index, self.stack_size):
            bytecode_error('stack underflow')
        assert index >= 0
        w_value = self._stack[index]
        return nil_if_unwritten(w_value)

    def poke(self, offset, w_value):
        index = self.sp - 1 - offset
        if not in_range(index, self.stack_size):
            bytecode_error('stack underflow')
        assert index >= 0
        self._stack[index] = w_value

    def temp(self, index):
        if index < self.nheaptemps:
            return nil_if_unwritten(self._temps[index])
        if not in_range(index, self.stack_size):
            bytecode_index_error('temporary %d out of range', index)
        assert index >= 0
        return nil_if_unwritten(self._stack[index])

    def settemp(self, index, w_value):
        if index < self.nheaptemps:
            self._temps[index] = w_value
        elif not in_range(index, self.stack_size):
            bytecode_index_error('temporary %d out of range', index)
        else:
            assert index >= 0
            self._stack[index] = w_value

    def pointers(self):
        """Every object pointer the context holds (for marking and snapshots)."""
        result = [self.w_sender, self._w_method_or_nargs, self._w_initial_ip,
                  self._w_receiver_or_home]
        for i in range(self.stack_size):
            result.append(self.temp(i))
        return result

    # -- what the image sees ---------------------------------------------
    def size(self):
        return constants.CTX_TEMP_FRAME_START + self.stack_size

    def fetch(self, space, index):
        if index == constants.CTX_SENDER:
            return self.w_sender
        elif index == constants.CTX_IP:
            return space.w_nil if self.ip < 0 else space.wrap_int(self.ip)
        elif index == constants.CTX_SP:
            return space.w_nil if self.sp < 0 else space.wrap_int(self.sp)
        elif index == constants.CTX_METHOD:
            return self._w_method_or_nargs
        elif index == constants.CTX_RECEIVER_MAP:
            return self._w_initial_ip
        elif index == constants.CTX_RECEIVER:
            return self._w_receiver_or_home
        i = index - constants.CTX_TEMP_FRAME_START
        if 0 <= i < self.stack_size:
            return self.temp(i)
        raise PrimitiveFailedError

    def store(self, space, index, w_value):
        if index == constants.CTX_SENDER:
            self.w_sender = w_value
        elif index == constants.CTX_IP:
            self.set_ip(_int_or_nil(space, w_value))
        elif index == constants.CTX_SP:
            sp = _int_or_nil(space, w_value)
            if sp > self.stack_size:
                raise PrimitiveFailedError
            if sp < self.nheaptemps:
                self._put_temps_in_stack()
            self.sp = sp
        elif index == constants.CTX_METHOD:
            self._set_method_or_nargs(w_value)
        elif index == constants.CTX_RECEIVER_MAP:
            self._w_initial_ip = w_value
        elif index == constants.CTX_RECEIVER:
            self._w_receiver_or_home = w_value
        else:
            i = index - constants.CTX_TEMP_FRAME_START
            if not 0 <= i < self.stack_size:
                raise PrimitiveFailedError
            self.settemp(i, w_value)

    def become(self, other):
        # The stack list belongs to the JIT's virtualizable: it is never
        # swapped or replaced, so only contexts of the same size trade places.
        if not isinstance(other, W_Context) or self.stack_size != other.stack_size:
            return False
        self._become_common(other)
        self.w_sender, other.w_sender = other.w_sender, self.w_sender
        self.ip, other.ip = other.ip, self.ip
        self.ip_is_nil, other.ip_is_nil = other.ip_is_nil, self.ip_is_nil
        self.sp, other.sp = other.sp, self.sp
        self._w_method_or_nargs, other._w_method_or_nargs = \
            other._w_method_or_nargs, self._w_method_or_nargs
        self._is_block, other._is_block = other._is_block, self._is_block
        self._w_initial_ip, other._w_initial_ip = other._w_initial_ip, self._w_initial_ip
        self._w_receiver_or_home, other._w_receiver_or_home = \
            other._w_receiver_or_home, self._w_receiver_or_home
        self.nheaptemps, other.nheaptemps = other.nheaptemps, self.nheaptemps
        self._temps, other._temps = other._temps, self._temps
        for i in range(self.stack_size):
            self._stack[i], other._stack[i] = other._stack[i], self._stack[i]
        return True

    def __repr__(self):
        return '<W_Context oop=%d ip=%d sp=%d>' % (self.oop, self.ip, self.sp)


def _int_or_nil(space, w_value):
    if w_value is space.w_nil:
        return -1
    if isinstance(w_value, W_SmallInteger) and w_value.value >= 0:
        return w_value.value
    raise PrimitiveFailedError


def in_range(index, size):
    """0 <= index < size, in one unsigned comparison."""
    return r_uint(index) < r_uint(size)
