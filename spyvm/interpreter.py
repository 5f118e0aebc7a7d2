"""The Blue Book interpreter (chapter 28), shaped for RPython's tracing JIT.

Each context runs in its own call of `loop`, which is the one bytecode loop of
the VM and carries the JIT's merge point. A send makes the new context and calls
`loop` again (recursion on the C stack, so the JIT can inline callees). A
return to the calling context is the loop's result (a plain return: jitted
callees stay cheap); any other return raises Return, caught where the target
context's loop runs. Process switches,
and sends that would nest too deeply, raise SwitchToContext: the whole Python
stack unwinds, the contexts keep their state (they are the Smalltalk objects),
and the trampoline in `interpret` goes on with the new context.
"""

from rpython.rlib import debug, jit, objectmodel
from spyvm import constants
from spyvm.bytecodes import (BYTECODE_NAMES, SPECIAL_ARGCOUNTS, BYTECODE_GROUPS,
                             PUSH_RCVR, PUSH_TEMP, PUSH_LIT, PUSH_LIT_VAR, POP_RCVR,
                             POP_TEMP, PUSH_CONSTANT, RETURN_CONSTANT, RETURN_TOP,
                             BLOCK_RETURN, EXT_PUSH, EXT_STORE, EXT_POP_STORE, EXT_SEND,
                             POP, DUP, PUSH_THIS_CONTEXT, JUMP, JUMP_FALSE, LONG_JUMP,
                             LONG_JUMP_TRUE, LONG_JUMP_FALSE, ARITHMETIC_SEND,
                             COMMON_SEND, LITERAL_SEND,
                             ARITHMETIC_PRIMITIVES)
from spyvm.context import W_Context
from spyvm.error import PrimitiveFailedError, FatalError, Quit
from spyvm.model import (W_Object, W_SmallInteger, W_PointersObject,
                         W_CompiledMethod, W_BytesObject, W_AbstractObjectWithClass,
                         LookupVersion)
from spyvm.primitives import primitive_function


# What a headless hook asks the interpreter to do (spyvm/headless.py).
HOOK_CONTINUE = 0           # run the method as usual
HOOK_ANSWER_RECEIVER = 1    # skip it, answering the receiver
HOOK_SWITCH = 2             # run it; switch to the process the hook resumed


class Return(Exception):
    """A context returns w_value to w_target (its sender, or its home's sender)."""
    _attrs_ = ['w_value', 'w_target']

    def __init__(self, w_value, w_target):
        self.w_value = w_value
        self.w_target = w_target


class SwitchToContext(Exception):
    """Unwind the Python stack and continue with another context."""
    _attrs_ = ['w_context']

    def __init__(self, w_context):
        self.w_context = w_context


@jit.elidable
def arithmetic_primitive(bc):
    return ARITHMETIC_PRIMITIVES[bc - 176]


def get_printable_location(ip, self, method):
    bc = method.fetch_bytecode(ip)
    return '%s>>%s pc: %d %s' % (method.lookup_class, method.lookup_selector,
                                 ip, BYTECODE_NAMES[bc])


jitdriver = jit.JitDriver(
    greens=['ip', 'self', 'method'],
    reds=['frame'],
    virtualizables=['frame'],
    get_printable_location=get_printable_location,
    is_recursive=True,
    name='st80')

# st80's JIT parameters, over RPython's defaults (`--jit default` restores
# these). Counters decay by 25% (RPython: 4%) at each decay step (every 32
# minor collections and each new trace), so code that runs only a few hundred
# times a second stays interpreted. The image's Benchmark suite, whose big
# tests (compiler, text editing) run once a pass, then compiles less and warms
# up faster (passes 2-6 took ~30% less; steady state ~10% less); loops, sends
# and collections unchanged. 10% (tried first) gained about half as much.
JIT_DECAY = 250

METHOD_CACHE_SIZE = 1024        # a power of 2


def set_jit_defaults():
    jit.set_param(jitdriver, 'decay', JIT_DECAY)


def method_at(w_dict, i):
    """The method beside the selector in slot i of a MethodDictionary, or None."""
    w_values = w_dict._vars[constants.METHODDICT_VALUES]
    j = i - constants.METHODDICT_SELECTOR_START
    if isinstance(w_values, W_PointersObject) and j < w_values.size():
        return w_values.fetch_field(j)
    return None


class ClassSnapshot(object):
    """What a class's lookups depend on, as last seen: its superclass, its
    MethodDictionary and the dictionary's selectors and methods."""

    def __init__(self, w_class):
        self.w_superclass = w_class.fetch_field(constants.CLASS_SUPERCLASS)
        self.selectors_w = []
        self.methods_w = []
        w_dict = w_class.fetch_field(constants.CLASS_METHODDICT)
        if isinstance(w_dict, W_PointersObject):
            vars = w_dict._vars
            for i in range(constants.METHODDICT_SELECTOR_START, len(vars)):
                self.selectors_w.append(vars[i])
                self.methods_w.append(method_at(w_dict, i))

    def is_current(self, w_class):
        """The class and its dictionary are as recorded (the common case: a
        flush after a change elsewhere; nothing is allocated to find out)."""
        if w_class.fetch_field(constants.CLASS_SUPERCLASS) is not self.w_superclass:
            return False
        w_dict = w_class.fetch_field(constants.CLASS_METHODDICT)
        if not isinstance(w_dict, W_PointersObject):
            return len(self.selectors_w) == 0
        vars = w_dict._vars
        if len(vars) - constants.METHODDICT_SELECTOR_START != len(self.selectors_w):
            return False
        for i in range(constants.METHODDICT_SELECTOR_START, len(vars)):
            j = i - constants.METHODDICT_SELECTOR_START
            if vars[i] is not self.selectors_w[j] or method_at(w_dict, i) is not self.methods_w[j]:
                return False
        return True

    def changed_selectors(self, now, changed):
        """Add to `changed` each selector whose method differs in `now`."""
        mine = {}
        for i in range(len(self.selectors_w)):
            mine[self.selectors_w[i]] = self.methods_w[i]
        theirs = {}
        for i in range(len(now.selectors_w)):
            theirs[now.selectors_w[i]] = now.methods_w[i]
        for w_selector, w_method in mine.items():
            if theirs.get(w_selector, None) is not w_method:
                changed[w_selector] = None
        for w_selector, w_method in theirs.items():
            if mine.get(w_selector, None) is not w_method:
                changed[w_selector] = None


@jit.dont_look_inside
def note_poll_due(interp):
    """Every so many sends and backward jumps: is it time to poll input, timer
    and display? (A function: jit.conditional_call takes no bound methods.)"""
    interp.interrupt_countdown = interp.interrupt_check_interval
    if interp.ioc is not None and interp.ioc.poll_due():
        interp.poll_wants_frame = True


class Interpreter(object):
    _immutable_fields_ = ['space', 'counting?', 'tracing?', 'max_cycles?', 'profiling?',
                          'large_integer_primitives?']

    # Python recursion per Smalltalk send: deeper sends continue from the heap.
    max_depth = 10000
    interrupt_check_interval = 1000

    def __init__(self, space, ioc=None):
        self.space = space
        self.counting = False        # count bytecodes (for --cycles and --trace)
        self.tracing = False
        self.trace_full = False      # with the method and pc of each bytecode
        self.max_cycles = -1
        self.cycles = 0
        self.trace_buffer = []
        self.depth = 0
        self.interrupt_countdown = self.interrupt_check_interval
        self.method_cache = {}       # (class, selector) -> method or None
        # In front of it, the Blue Book's method cache: a direct-mapped table
        # indexed by a hash of class and selector (a dict lookup with tuple
        # keys took ~10% of the time of interpreted code).
        self.cache_classes = [None] * METHOD_CACHE_SIZE
        self.cache_selectors = [None] * METHOD_CACHE_SIZE
        self.cache_methods = [None] * METHOD_CACHE_SIZE
        self.class_snapshots = {}    # class -> ClassSnapshot, for each class lookups read
        self.w_active_context = None     # set while polling (see poll)
        self.poll_wants_frame = False    # see check_interrupts_countdown
        self.method_cache_version = None
        self.w_display = None
        self.headless = None         # spyvm.headless.Headless when evaluating (-e, --bench)
        self.snapshot_path = ''      # where primitive 97 saves (spyvm/main.py decides)
        self.snapshot_little_endian = False
        self.ioc = ioc               # the scheduler/input/clock state (spyvm.iostate)
        # Primitives 21-37 are optional; the reference VMs lack them (--deterministic).
        self.large_integer_primitives = True
        self.profiling = False       # --profile: count bytecodes per method in
        self.profile = {}            # the interpreter (spyvm/profile.py)
        if not objectmodel.we_are_translated():
            self.max_depth = 150

    # -- running ------------------------------------------------------------
    def set_cycle_limit(self, n):
        self.max_cycles = n
        self.counting = n >= 0 or self.tracing

    def set_tracing(self, flag):
        self.tracing = flag
        self.counting = flag or self.max_cycles >= 0

    def interpret(self, w_context):
        """The trampoline: run until Quit is raised."""
        while True:
            self.depth = 0
            w_context.w_python_caller = None    # resumed from the heap: no caller
            try:
                self.loop(w_context)
                raise FatalError('a context resumed from the heap returned to no one')
            except Return as r:
                # The target is not on the Python stack: resume it from the heap.
                w_target = r.w_target
                assert isinstance(w_target, W_Context)
                if self.headless is not None and self.headless.is_bottom(w_target):
                    w_context = self.headless.evaluation_done(r.w_value)
                    continue
                w_target.push(r.w_value)
                w_context = w_target
            except SwitchToContext as s:
                w_context = s.w_context

    def loop(self, frame):
        """Execute one context's bytecodes until it returns: to the context
        that called this loop by answering the value (the common, fast case),
        elsewhere by raising Return."""
        frame = jit.hint(frame, access_directly=True)
        method = frame.method()
        while True:
            ip = frame.ip
            jitdriver.jit_merge_point(ip=ip, self=self, method=method, frame=frame)
            jit.promote(frame.nheaptemps)   # the frame's layout: one per trace
            if self.counting:
                self.count_cycle(frame, method, ip)
            if self.profiling and not jit.we_are_jitted():
                self.profile[method] = self.profile.get(method, 0) + 1
            bc = method.fetch_bytecode(ip)
            frame.ip = ip + 1
            w_result = self.dispatch(frame, method, bc)
            if w_result is not None:
                return w_result         # a return to the Python caller's context
            if frame.ip < ip + 1:
                jitdriver.can_enter_jit(ip=frame.ip, self=self, method=method, frame=frame)

    def count_cycle(self, frame, method, ip):
        if self.cycles == self.max_cycles:
            self.flush_trace()
            if self.headless is not None:
                self.w_active_context = frame
                self.headless.bound_reached('%d bytecodes (--cycles)' % self.max_cycles)
            raise Quit(0)
        self.cycles += 1
        if self.tracing:
            line = str(method.fetch_bytecode(ip))
            if self.trace_full:
                line = '%s %s>>%s pc %d' % (line, method.lookup_class,
                                            method.lookup_selector, ip)
            self.trace_buffer.append(line)
            if len(self.trace_buffer) >= 4096:
                self.flush_trace()

    def flush_trace(self):
        if self.trace_buffer:
            import os
            self.trace_buffer.append('')
            os.write(1, '\n'.join(self.trace_buffer))
            self.trace_buffer = []

    def perform(self, w_rcvr, w_selector, args_w):
        """Send a message from a bottom context and answer the result (a test
        and embedding entry point; process switches are not expected)."""
        space = self.space
        w_bottom = W_Context(space.w_MethodContext, len(args_w) + 2, space.w_nil)
        w_bottom.set_ip(0)
        w_bottom.sp = 0
        w_bottom.push(w_rcvr)
        for w_arg in args_w:
            w_bottom.push(w_arg)
        self.send_selector(w_bottom, w_selector, len(args_w))
        return w_bottom.pop()

    # -- dispatch (Blue Book dispatchOnThisBytecode) ---------------------------
    def dispatch(self, frame, method, bc):
        group = ord(BYTECODE_GROUPS[bc])
        if group == PUSH_RCVR:
            frame.push(frame.receiver().fetch(self.space, bc))
        elif group == PUSH_TEMP:
            frame.push(self.temp(frame, bc - 16))
        elif group == PUSH_LIT:
            frame.push(method.literals[bc - 32])
        elif group == PUSH_LIT_VAR:
            frame.push(self.literal_variable(method, bc - 64))
        elif group == POP_RCVR:
            frame.receiver().store(self.space, bc - 96, frame.pop())
        elif group == POP_TEMP:
            frame.home().settemp(bc - 104, frame.pop())
        elif group == PUSH_CONSTANT:
            self.push_constant(frame, bc)
        elif group == RETURN_CONSTANT:
            return self.return_from_method(frame, self.constant_for_return(frame, bc))
        elif group == RETURN_TOP:
            return self.return_from_method(frame, frame.pop())
        elif group == BLOCK_RETURN:
            return self.return_value_to(frame, frame.pop(), frame.w_sender)
        elif group == EXT_PUSH:
            self.extended_push(frame, method)
        elif group == EXT_STORE:
            self.extended_store(frame, method, False)
        elif group == EXT_POP_STORE:
            self.extended_store(frame, method, True)
        elif group == EXT_SEND:
            self.extended_send(frame, method, bc)
        elif group == POP:
            frame.pop()
        elif group == DUP:
            frame.push(frame.top())
        elif group == PUSH_THIS_CONTEXT:
            frame.push(frame)
        elif group == JUMP:
            frame.ip += (bc & 7) + 1
        elif group == JUMP_FALSE:
            self.jump_if(frame, False, (bc & 7) + 1)
        elif group == LONG_JUMP:
            offset = ((bc & 7) - 4) * 256 + self.next_byte(frame, method)
            frame.ip += offset
            if offset < 0:
                self.check_interrupts(frame)
        elif group == LONG_JUMP_TRUE:
            self.jump_if(frame, True, (bc & 3) * 256 + self.next_byte(frame, method))
        elif group == LONG_JUMP_FALSE:
            self.jump_if(frame, False, (bc & 3) * 256 + self.next_byte(frame, method))
        elif group == ARITHMETIC_SEND:
            self.arithmetic_selector(frame, bc)
        elif group == COMMON_SEND:
            self.common_selector(frame, bc)
        elif group == LITERAL_SEND:
            self.send_literal_selector(frame, method, bc)
        else:
            self.unknown_bytecode(bc)
        return None

    def temp(self, frame, index):
        w_value = frame.home().temp(index)
        if w_value is None:         # a slot above the stack pointer
            return self.space.w_nil
        return w_value

    def unknown_bytecode(self, bc):
        raise FatalError('unknown bytecode %d' % bc)

    def next_byte(self, frame, method):
        ip = frame.ip
        frame.ip = ip + 1
        return method.fetch_bytecode(ip)

    def literal_variable(self, method, index):
        w_assoc = method.literals[index]
        return w_assoc.fetch(self.space, constants.ASSOCIATION_VALUE)

    def push_constant(self, frame, bc):
        space = self.space
        if bc == 112:
            frame.push(frame.receiver())
        elif bc == 113:
            frame.push(space.w_true)
        elif bc == 114:
            frame.push(space.w_false)
        elif bc == 115:
            frame.push(space.w_nil)
        else:
            frame.push(space.wrap_int(bc - 117))

    def constant_for_return(self, frame, bc):
        if bc == 120:
            return frame.receiver()
        elif bc == 121:
            return self.space.w_true
        elif bc == 122:
            return self.space.w_false
        return self.space.w_nil

    def extended_push(self, frame, method):
        descriptor = self.next_byte(frame, method)
        kind = descriptor >> 6
        index = descriptor & 63
        if kind == 0:
            frame.push(frame.receiver().fetch(self.space, index))
        elif kind == 1:
            frame.push(self.temp(frame, index))
        elif kind == 2:
            frame.push(method.literals[index])
        else:
            frame.push(self.literal_variable(method, index))

    def extended_store(self, frame, method, pop):
        descriptor = self.next_byte(frame, method)
        kind = descriptor >> 6
        index = descriptor & 63
        if pop:
            w_value = frame.pop()
        else:
            w_value = frame.top()
        if kind == 0:
            frame.receiver().store(self.space, index, w_value)
        elif kind == 1:
            frame.home().settemp(index, w_value)
        elif kind == 2:
            raise FatalError('illegal store into a literal constant')
        else:
            method.literals[index].store(self.space, constants.ASSOCIATION_VALUE, w_value)

    def jump_if(self, frame, condition, offset):
        w_bool = frame.pop()
        space = self.space
        if w_bool is space.w_true:
            if condition:
                frame.ip += offset
        elif w_bool is space.w_false:
            if not condition:
                frame.ip += offset
        else:
            frame.push(w_bool)
            self.send_selector(frame, space.w_mustBeBoolean, 0)

    # -- sends ---------------------------------------------------------------
    def extended_send(self, frame, method, bc):
        if bc == 131 or bc == 133:
            descriptor = self.next_byte(frame, method)
            argcount = descriptor >> 5
            w_selector = method.literals[descriptor & 31]
        else:
            argcount = self.next_byte(frame, method)
            w_selector = method.literals[self.next_byte(frame, method)]
        if bc == 131 or bc == 132:
            self.send_selector(frame, w_selector, argcount)
        else:
            self.send_super(frame, method, w_selector, argcount)

    def send_literal_selector(self, frame, method, bc):
        w_selector = method.literals[bc & 15]
        argcount = ((bc - 208) >> 4)
        self.send_selector(frame, w_selector, argcount)

    def special_selector(self, bc):
        index = (bc - 176) * 2
        # Promoted: the selector is then a constant in traces and its lookup
        # folds away (the array is the image's, but it never changes).
        return jit.promote(self.space.w_special_selectors.fetch(self.space, index))

    def arithmetic_selector(self, frame, bc):
        if (isinstance(frame.peek(0), W_SmallInteger) and
                isinstance(frame.peek(1), W_SmallInteger)):
            prim = primitive_function(arithmetic_primitive(bc))
            if prim is not None:
                try:
                    prim(self, frame, 1)
                    return
                except PrimitiveFailedError:
                    pass
        self.send_selector(frame, self.special_selector(bc), 1)

    def common_selector(self, frame, bc):
        argcount = SPECIAL_ARGCOUNTS[bc - 176]
        space = self.space
        if bc == 198:                                   # ==
            w_arg = frame.pop()
            w_rcvr = frame.pop()
            frame.push(space.wrap_bool(w_rcvr.is_same_object(w_arg)))
            return
        if bc == 199:                                   # class
            frame.push(frame.pop().getclass(space))
            return
        w_class = frame.peek(argcount).getclass(space)
        try:
            if bc == 200 and (w_class is space.w_MethodContext or
                              w_class is space.w_BlockContext):
                primitive_function(80)(self, frame, argcount)
                return
            if (bc == 201 or bc == 202) and w_class is space.w_BlockContext:
                primitive_function(81)(self, frame, argcount)
                return
        except PrimitiveFailedError:
            pass
        self.send_selector(frame, self.special_selector(bc), argcount)

    def send_selector(self, frame, w_selector, argcount):
        w_rcvr = frame.peek(argcount)
        w_class = w_rcvr.getclass(self.space)
        self.send_to_class(frame, w_selector, argcount, w_class)

    def send_super(self, frame, method, w_selector, argcount):
        w_class = self.method_class_of(method)
        self.send_to_class(frame, w_selector, argcount, self.space.superclass(w_class))

    def method_class_of(self, method):
        """The defining class: the value of the method's last literal."""
        w_assoc = method.literals[len(method.literals) - 1]
        return w_assoc.fetch(self.space, constants.ASSOCIATION_VALUE)

    def send_to_class(self, frame, w_selector, argcount, w_class):
        w_method = self.lookup(w_class, w_selector)
        if w_method is None:
            w_method = self.does_not_understand(frame, w_selector, argcount, w_class)
            argcount = 1
        self.execute_new_method(frame, w_method, argcount)

    @jit.unroll_safe
    def does_not_understand(self, frame, w_selector, argcount, w_class):
        """Blue Book createActualMessage: the arguments become a Message."""
        space = self.space
        args_w = [frame.peek(argcount - 1 - i) for i in range(argcount)]
        w_message = space.instantiate(space.w_Message, 0)
        w_message.store(space, constants.MESSAGE_SELECTOR, w_selector)
        w_message.store(space, constants.MESSAGE_ARGUMENTS, space.wrap_list(args_w))
        frame.pop_n(argcount)
        frame.push(w_message)
        w_method = self.lookup(w_class, space.w_doesNotUnderstand)
        if w_method is None:
            raise FatalError('recursive doesNotUnderstand: (#%s)' % w_selector.as_string())
        return w_method

    # Method lookup is an elidable function of (class, selector) and two
    # quasi-immutable versions: the selector's own (replaced when what it finds
    # changes, which invalidates just the traces that send it) and the space's
    # (replaced when anything may have changed: a class's superclass).
    def lookup(self, w_class, w_selector):
        w_class = jit.promote(w_class)
        version = self.space.lookup_version
        selector_version = None
        if isinstance(w_selector, W_BytesObject):
            selector_version = w_selector.lookup_version
        return self._lookup(w_class, w_selector, version, selector_version)

    @jit.elidable
    def _lookup(self, w_class, w_selector, version, selector_version):
        if version is not self.method_cache_version:
            self.method_cache = {}
            self.class_snapshots = {}
            self.clear_cache_table()
            self.method_cache_version = version
        i = (objectmodel.compute_identity_hash(w_class) ^
             objectmodel.compute_identity_hash(w_selector)) & (METHOD_CACHE_SIZE - 1)
        if self.cache_classes[i] is w_class and self.cache_selectors[i] is w_selector:
            return self.cache_methods[i]
        key = (w_class, w_selector)
        try:
            w_method = self.method_cache[key]
        except KeyError:
            w_method = self.lookup_in_hierarchy(w_class, w_selector)
            self.method_cache[key] = w_method
        self.cache_classes[i] = w_class
        self.cache_selectors[i] = w_selector
        self.cache_methods[i] = w_method
        return w_method

    def clear_cache_table(self):
        for i in range(METHOD_CACHE_SIZE):
            self.clear_cache_slot(i)

    def clear_cache_slot(self, i):
        self.cache_classes[i] = None
        self.cache_selectors[i] = None
        self.cache_methods[i] = None

    def lookup_in_hierarchy(self, w_class, w_selector):
        """Walk the superclass chain, searching each MethodDictionary.
        (Direct field access only: this runs inside the elidable lookup.)"""
        space = self.space
        while isinstance(w_class, W_PointersObject) and w_class is not space.w_nil:
            if w_class.size() <= constants.CLASS_FORMAT:
                break
            if w_class not in self.class_snapshots:
                self.class_snapshots[w_class] = ClassSnapshot(w_class)
            w_dict = w_class.fetch_field(constants.CLASS_METHODDICT)
            if isinstance(w_dict, W_PointersObject):
                w_method = self.lookup_in_dictionary(w_dict, w_selector)
                if w_method is not None:
                    if not w_method.lookup_selector and isinstance(w_selector, W_BytesObject):
                        w_method.lookup_selector = w_selector.as_string()
                        w_method.lookup_class = space.class_name(w_class)
                    return w_method
            w_class = w_class.fetch_field(constants.CLASS_SUPERCLASS)
        return None

    def lookup_in_dictionary(self, w_dict, w_selector):
        """Identity search of the selector keys; the value Array holds the methods."""
        vars = w_dict._vars
        for i in range(constants.METHODDICT_SELECTOR_START, len(vars)):
            if vars[i] is w_selector:
                w_values = vars[constants.METHODDICT_VALUES]
                j = i - constants.METHODDICT_SELECTOR_START
                if isinstance(w_values, W_PointersObject) and j < w_values.size():
                    w_method = w_values.fetch_field(j)
                    if isinstance(w_method, W_CompiledMethod):
                        return w_method
                return None
        return None

    @jit.dont_look_inside
    def flush_method_cache(self, reason):
        """Blue Book flushCache, after the image changed a method dictionary or
        a class: find what changed in the classes lookups have read, and
        invalidate only the selectors whose lookups find something else now."""
        changed = {}
        everything = False
        for w_class, snapshot in self.class_snapshots.items():
            if snapshot.is_current(w_class):
                continue
            now = ClassSnapshot(w_class)
            if now.w_superclass is not snapshot.w_superclass:
                everything = True
                break
            snapshot.changed_selectors(now, changed)
            self.class_snapshots[w_class] = now
        if everything:
            self.space.flush_method_cache()
            self.log_flush(reason, 'everything')
            return
        if not changed:
            return
        for key in self.method_cache.keys():
            if key[1] in changed:
                del self.method_cache[key]
        for i in range(METHOD_CACHE_SIZE):
            w_cached = self.cache_selectors[i]
            if w_cached is not None and w_cached in changed:
                self.clear_cache_slot(i)
        for w_selector in changed:
            if isinstance(w_selector, W_BytesObject):
                w_selector.lookup_version = LookupVersion()
                self.log_flush(reason, '#' + w_selector.as_string())

    def log_flush(self, reason, what):
        """PYPYLOG=st80-flush: why JIT code was thrown away."""
        if objectmodel.we_are_translated():
            debug.debug_start('st80-flush')
            debug.debug_print(reason, 'changed the lookup of', what)
            debug.debug_stop('st80-flush')

    def execute_new_method(self, frame, w_method, argcount):
        """Quick methods, then the primitive, then a new context (Blue Book)."""
        if w_method.hook and self.headless is not None:
            if self.run_hook(frame, w_method, argcount):
                return
        flag = w_method.flag
        if flag == 5:                                   # ^self
            frame.pop_n(argcount)
            return
        if flag == 6:                                   # ^instVar
            frame.pop_n(argcount)
            w_rcvr = frame.pop()
            frame.push(w_rcvr.fetch(self.space, w_method.tempsize))
            return
        primitive = w_method.primitive
        if 21 <= primitive <= 37 and not self.large_integer_primitives:
            primitive = 0
        if primitive:
            func = primitive_function(primitive)
            if func is not None:
                try:
                    func(self, frame, argcount)
                    return
                except PrimitiveFailedError:
                    pass
        self.activate_new_method(frame, w_method, argcount)

    @jit.unroll_safe
    def run_hook(self, frame, w_method, argcount):
        """A headless-mode hook on this method; True if it answered instead."""
        args_w = [frame.peek(argcount - i) for i in range(argcount + 1)]
        action = self.headless.hook(w_method.hook, args_w)
        if action == HOOK_ANSWER_RECEIVER:
            frame.pop_n(argcount)
            return True
        if action == HOOK_SWITCH:
            # A switch was recorded: perform it at the next activation, where
            # the contexts are consistent (see check_interrupts_countdown).
            self.poll_wants_frame = True
        return False

    @jit.unroll_safe
    def activate_new_method(self, frame, w_method, argcount):
        space = self.space
        w_new = W_Context(space.w_MethodContext, w_method.frame_size(), space.w_nil)
        w_new.w_sender = frame
        w_new.set_ip(w_method.initial_ip())
        w_new.sp = w_method.tempsize
        w_new.w_f3 = w_method
        w_new.w_f5 = frame.peek(argcount)
        if w_method.makes_blocks():
            w_new.put_temps_in_heap(w_method.tempsize)
        for i in range(argcount):
            w_new.settemp(i, frame.peek(argcount - 1 - i))
        frame.pop_n(argcount + 1)
        self.run_new_context(frame, w_new)

    def run_new_context(self, frame, w_new):
        """Run a freshly activated context and push its result (a non-local
        return to this frame arrives as Return)."""
        if self.depth >= self.max_depth:
            w_new.w_python_caller = None        # it will run from the heap
            # and so will its sender, later: its fields must be in the heap (see
            # Scheduler.check_process_switch).
            jit.hint(frame, force_virtualizable=True)
            raise SwitchToContext(w_new)
        w_new.w_python_caller = frame
        self.check_interrupts_countdown(w_new)
        self.depth += 1
        try:
            w_result = self.loop(w_new)
            frame.push(w_result)
        except Return as r:
            if r.w_target is not frame:
                raise
            frame.push(r.w_value)
        except PrimitiveFailedError:
            # Only a primitive may fail; a bytecode that "fails" (a receiver
            # variable of a non-pointers receiver, say) must not pass for the
            # failure of the primitive that started this context (value, perform:).
            raise FatalError('a bytecode accessed an object outside its bounds')
        finally:
            self.depth -= 1

    # -- returns -------------------------------------------------------------
    def return_from_method(self, frame, w_value):
        return self.return_value_to(frame, w_value, frame.home().w_sender)

    def return_value_to(self, frame, w_value, w_target):
        """Blue Book returnValue:to: (cannotReturn: when the target is dead).
        Answers w_value when the target is the context whose Python call runs
        this one (the loop then returns it); raises Return for any other
        target; answers None after sending cannotReturn:."""
        if w_target is not frame.w_python_caller and (
                not isinstance(w_target, W_Context) or w_target.ip_is_nil):
            frame.push(frame)
            frame.push(w_value)
            self.send_selector(frame, self.space.w_cannotReturn, 1)
            return None
        frame.w_sender = self.space.w_nil
        frame.set_ip(-1)
        if frame.is_block():
            # A trace that ends in its own frame's return leaves that frame's
            # fields in the JIT's dead frame, to be fetched at the next access.
            # A block is used again (each `value`), and that fetch (a force)
            # costs more than writing the fields back here.
            jit.hint(frame, force_virtualizable=True)
        if w_target is frame.w_python_caller:
            return w_value
        raise Return(w_value, w_target)

    # -- interrupts and processes -------------------------------------------------
    def check_interrupts(self, frame):
        self.check_interrupts_countdown(frame)

    def check_interrupts_countdown(self, frame):
        # In traces the countdown ends in a conditional call, not a guard: a
        # guard that failed once every thousand sends, at a different place
        # each time, would rarely earn a bridge and would blackhole at each
        # failure. The guard below fails only when a poll is due (at most
        # every millisecond, or the low-space signal) or a switch is waiting.
        self.interrupt_countdown -= 1
        jit.conditional_call(self.interrupt_countdown <= 0, note_poll_due, self)
        if self.poll_wants_frame:
            self.poll(frame)

    def poll(self, frame):
        self.poll_wants_frame = False
        if self.ioc is not None:
            # The active context, for a report if the run stops here (a
            # field: the frame itself may not go to code the JIT does not see).
            self.w_active_context = frame
            self.ioc.poll(self)
            self.w_active_context = None
            self.ioc.scheduler.check_process_switch(frame)

    def display_damaged(self, x, y, w, h):
        if self.ioc is not None:
            self.ioc.display_damaged(x, y, w, h)
