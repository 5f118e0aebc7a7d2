"""The Blue Book interpreter (chapter 28), shaped for RPython's tracing JIT.

Each context runs in its own call of `loop`, which is the one bytecode loop of
the VM and carries the JIT's merge point. A send makes the new context and calls
`loop` again (recursion on the host stack, so the JIT can inline callees). A
return to the calling context is the loop's result (a plain return: jitted
callees stay cheap); any other return raises Return, caught where the target
context's loop runs. Process switches, and sends that would nest too deeply,
raise SwitchToContext: the whole host stack unwinds, the contexts keep their
state (they are the Smalltalk objects), and the trampoline in `interpret` goes
on with the new context.

`dispatchOnThisBytecode` is one switch on the bytecode's group, and each case
is one method named as the Blue Book names its routine. Method lookup is in
spyvm/lookup.py; primitiveResponse and the special selectors' inline
primitives in spyvm/primitives.py; the JIT's view of a context in
spyvm/context.py; what drives a run from outside (headless evaluation) reaches
the loop through spyvm/hooks.py.
"""

from rpython.rlib import jit
from rpython.rlib.objectmodel import always_inline, we_are_translated
from spyvm import constants, hooks
from spyvm.bytecodes import (BYTECODE_NAMES, SPECIAL_ARGCOUNTS, BYTECODE_GROUPS,
                             PUSH_RCVR, PUSH_TEMP, PUSH_LIT, PUSH_LIT_VAR, POP_RCVR,
                             POP_TEMP, PUSH_CONSTANT, RETURN_CONSTANT, RETURN_TOP,
                             BLOCK_RETURN, EXT_PUSH, EXT_STORE, EXT_POP_STORE, EXT_SEND,
                             POP, DUP, PUSH_THIS_CONTEXT, JUMP, JUMP_FALSE, LONG_JUMP,
                             LONG_CONDITIONAL_JUMP, SPECIAL_SEND, LITERAL_SEND)
from spyvm.context import W_Context
from spyvm.error import (BytecodeError, PrimitiveFailedError, FatalError, Quit,
                         Return, SwitchToContext, bytecode_error, bytecode_index_error)
from spyvm.lookup import MethodLookup
from spyvm.model import W_PointersObject
from spyvm.options import Options
from spyvm.primitives import (primitiveResponse, arithmeticSelectorPrimitive,
                              commonSelectorPrimitive)
from spyvm.profile import BytecodeTrace


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
# these): counters decay by 25% at each decay step (RPython: 4%), so code that
# runs only a few hundred times a second stays interpreted; a loop whose
# counter turns into a LargeInteger may be traced again for it (RPython: 0),
# where it would otherwise fail the SmallInteger loop's guard each iteration
# (docs/JIT.md).
JIT_DECAY = 250
JIT_RETRACE_LIMIT = 5


def set_jit_defaults():
    jit.set_param(jitdriver, 'decay', JIT_DECAY)
    jit.set_param(jitdriver, 'retrace_limit', JIT_RETRACE_LIMIT)


def set_jit_params(text):
    """One --jit (off, default, or name=value,...) over the parameters now;
    ValueError or jit.TraceLimitTooHigh for a bad one."""
    jit.set_user_param(jitdriver, text)
    if text == 'default':
        set_jit_defaults()          # st80's defaults, not RPython's


def suspend_jit(options):
    """st80's own one-shot work (the first boot's install) runs interpreted:
    tracing code that runs once costs more than it saves."""
    jit.set_user_param(jitdriver, 'off')
    options.jit_off = True


def resume_jit(options):
    """The parameters of the command line again: st80's, then each --jit."""
    jit.set_user_param(jitdriver, 'default')
    set_jit_defaults()
    for text in options.jit_params:
        try:
            set_jit_params(text)
        except (ValueError, jit.TraceLimitTooHigh):
            pass                    # (checked when the command line was read)
    options.jit_off = options.jit_off_by_params()


@jit.dont_look_inside
def note_poll_due(interp):
    """Every so many sends and backward jumps: is it time to poll input, timer
    and display? (A function: jit.conditional_call takes no bound methods.)"""
    interp.interrupt_countdown = interp.interrupt_check_interval
    if interp.ioc is not None and interp.ioc.poll_due():
        interp.poll_wants_frame = True


class Interpreter(object):
    _immutable_fields_ = ['space', 'lookup', 'options']

    # Host recursion per Smalltalk send: deeper sends continue from the heap.
    # (Each level takes some 300 bytes of RPython's 768 KB stack.)
    max_depth = 1000
    interrupt_check_interval = 1000

    def __init__(self, space, ioc=None, options=None):
        self.space = space
        self.ioc = ioc               # the scheduler/input/clock state (spyvm.iostate)
        self.options = options if options is not None else Options()
        self.lookup = MethodLookup(space)
        self.hooks = hooks.Hooks()   # a driver's (spyvm/headless.py) replaces it
        self.cycles = 0
        self.trace = BytecodeTrace()
        self.profile = {}            # --profile: bytecodes run per method
        self.depth = 0
        self.interrupt_countdown = self.interrupt_check_interval
        self.w_active_context = None     # set while polling (see poll)
        self.poll_wants_frame = False    # see checkForInterrupts
        self.w_display = None
        self.files = None            # the host directory (spyvm/hostfiles.py)
        if not we_are_translated():
            self.max_depth = 150

    # -- running ------------------------------------------------------------
    def interpret(self, w_context):
        """The trampoline: run until Quit is raised."""
        while True:
            self.depth = 0
            w_context.w_python_caller = None    # resumed from the heap: no caller
            try:
                self.loop(w_context)
                raise FatalError('a context resumed from the heap returned to no one')
            except BytecodeError as e:
                # Only a context that cannot run at all gets here (one without
                # a method); its process cannot go on.
                raise FatalError('the active process cannot go on: %s' % e.msg)
            except Return as r:
                # The target is not on the host stack: resume it from the heap.
                w_target = r.w_target
                assert isinstance(w_target, W_Context)
                w_next = self.hooks.returned_to(self, w_target, r.w_value)
                if w_next is None:
                    w_target.push(r.w_value)
                    w_next = w_target
                w_context = w_next
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
            # The frame's layout and stack depth: constants in a trace, so that
            # the context's index checks fold away.
            jit.promote(frame.nheaptemps)
            jit.promote(frame.stack_size)
            jit.promote(frame.sp)
            if self.options.watching:
                self.watchBytecode(frame, method, ip)
            bc = method.fetch_bytecode(ip)
            if bc < 0:
                w_result = self.bytecodeFailed(frame, method, ip,
                                               'pc %d outside the method' % ip)
                if w_result is not None:
                    return w_result
                continue
            frame.ip = ip + 1
            try:
                w_result = self.dispatchOnThisBytecode(frame, method, bc)
            except BytecodeError as e:
                w_result = self.bytecodeFailed(frame, method, ip, e.msg)
            except PrimitiveFailedError:
                # Only a primitive may fail; a bytecode's own access failing
                # (a receiver variable past the receiver's fields) is an error.
                w_result = self.bytecodeFailed(frame, method, ip,
                                               'an object accessed outside its fields')
            if w_result is not None:
                return w_result         # a return to the Python caller's context
            # A backward jump. With --jit off, not even the JIT's counters: their
            # lookup (a hash of the method) costs more than the jump's bytecodes.
            if frame.ip < ip + 1 and (jit.we_are_jitted() or not self.options.jit_off):
                jitdriver.can_enter_jit(ip=frame.ip, self=self, method=method, frame=frame)

    def watchBytecode(self, frame, method, ip):
        """--cycles, --trace, --profile: out of the loop, which tests only
        whether any of them is on."""
        if self.options.counting:
            self.count_cycle(frame, method, ip)
        if self.options.profiling and not jit.we_are_jitted():
            self.profile[method] = self.profile.get(method, 0) + 1

    def count_cycle(self, frame, method, ip):
        options = self.options
        if self.cycles == options.max_cycles:
            self.trace.flush()
            self.w_active_context = frame
            self.hooks.bound_reached(self, '%d bytecodes (--cycles)' % options.max_cycles)
            raise Quit(0)
        self.cycles += 1
        if options.tracing:
            self.trace.record(method, ip, options.trace_full)

    def perform(self, w_rcvr, w_selector, args_w):
        """Send a message from a bottom context and answer the result (for
        tests; process switches are not expected)."""
        w_bottom = W_Context(self.space.w_MethodContext, len(args_w) + 2, self.space.w_nil)
        w_bottom.set_ip(0)
        w_bottom.sp = 0
        w_bottom.push(w_rcvr)
        for w_arg in args_w:
            w_bottom.push(w_arg)
        self.sendSelector(w_bottom, w_selector, len(args_w))
        return w_bottom.pop()

    # -- dispatch -------------------------------------------------------------
    def dispatchOnThisBytecode(self, frame, method, bc):
        """Answers the value of a return to the Python caller's context, else None."""
        group = ord(BYTECODE_GROUPS[bc])
        if group == PUSH_RCVR:
            self.pushReceiverVariableBytecode(frame, bc)
        elif group == PUSH_TEMP:
            self.pushTemporaryVariableBytecode(frame, bc)
        elif group == PUSH_LIT:
            self.pushLiteralConstantBytecode(frame, method, bc)
        elif group == PUSH_LIT_VAR:
            self.pushLiteralVariableBytecode(frame, method, bc)
        elif group == POP_RCVR:
            self.storeAndPopReceiverVariableBytecode(frame, bc)
        elif group == POP_TEMP:
            self.storeAndPopTemporaryVariableBytecode(frame, bc)
        elif group == PUSH_CONSTANT:
            self.pushConstantBytecode(frame, bc)
        elif group == RETURN_CONSTANT:
            return self.returnConstantBytecode(frame, bc)
        elif group == RETURN_TOP:
            return self.returnTopFromMethodBytecode(frame)
        elif group == BLOCK_RETURN:
            return self.returnTopFromBlockBytecode(frame)
        elif group == EXT_PUSH:
            self.extendedPushBytecode(frame, method)
        elif group == EXT_STORE:
            self.extendedStoreBytecode(frame, method)
        elif group == EXT_POP_STORE:
            self.extendedStoreAndPopBytecode(frame, method)
        elif group == EXT_SEND:
            self.extendedSendBytecode(frame, method, bc)
        elif group == POP:
            self.popStackBytecode(frame)
        elif group == DUP:
            self.duplicateTopBytecode(frame)
        elif group == PUSH_THIS_CONTEXT:
            self.pushActiveContextBytecode(frame)
        elif group == JUMP:
            self.shortUnconditionalJump(frame, bc)
        elif group == JUMP_FALSE:
            self.shortConditionalJump(frame, bc)
        elif group == LONG_JUMP:
            self.longUnconditionalJump(frame, method, bc)
        elif group == LONG_CONDITIONAL_JUMP:
            self.longConditionalJump(frame, method, bc)
        elif group == SPECIAL_SEND:
            self.sendSpecialSelectorBytecode(frame, bc)
        elif group == LITERAL_SEND:
            self.sendLiteralSelectorBytecode(frame, method, bc)
        else:
            bytecode_index_error('unknown bytecode %d', bc)
        return None

    @always_inline
    def fetchByte(self, frame, method):
        ip = frame.ip
        frame.ip = ip + 1
        byte = method.fetch_bytecode(ip)
        if byte < 0:
            bytecode_error('a bytecode cut off by the end of its method')
        return byte

    # -- stack bytecodes ----------------------------------------------------------
    @always_inline
    def pushReceiverVariableBytecode(self, frame, bc):
        frame.push(frame.receiver().fetch(self.space, bc & 15))

    @always_inline
    def pushTemporaryVariableBytecode(self, frame, bc):
        frame.push(self.temporary(frame, bc & 15))

    @always_inline
    def pushLiteralConstantBytecode(self, frame, method, bc):
        frame.push(method.literal(bc & 31))

    @always_inline
    def pushLiteralVariableBytecode(self, frame, method, bc):
        frame.push(self.literalVariable(method, bc & 31))

    @always_inline
    def storeAndPopReceiverVariableBytecode(self, frame, bc):
        frame.receiver().store(self.space, bc & 7, frame.pop())

    @always_inline
    def storeAndPopTemporaryVariableBytecode(self, frame, bc):
        frame.home().settemp(bc & 7, frame.pop())

    @always_inline
    def pushConstantBytecode(self, frame, bc):
        """112 pushReceiver; 113-119 true, false, nil, -1, 0, 1, 2."""
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

    def extendedPushBytecode(self, frame, method):
        descriptor = self.fetchByte(frame, method)
        index = descriptor & 63
        kind = descriptor >> 6
        if kind == 0:
            frame.push(frame.receiver().fetch(self.space, index))
        elif kind == 1:
            frame.push(self.temporary(frame, index))
        elif kind == 2:
            frame.push(method.literal(index))
        else:
            frame.push(self.literalVariable(method, index))

    def extendedStoreBytecode(self, frame, method):
        self.extendedStore(frame, method, frame.top())

    def extendedStoreAndPopBytecode(self, frame, method):
        self.extendedStore(frame, method, frame.pop())

    def extendedStore(self, frame, method, w_value):
        descriptor = self.fetchByte(frame, method)
        index = descriptor & 63
        kind = descriptor >> 6
        if kind == 0:
            frame.receiver().store(self.space, index, w_value)
        elif kind == 1:
            frame.home().settemp(index, w_value)
        elif kind == 2:
            bytecode_error('a store into a literal constant')
        else:
            method.literal(index).store(self.space, constants.ASSOCIATION_VALUE, w_value)

    @always_inline
    def popStackBytecode(self, frame):
        frame.pop()

    @always_inline
    def duplicateTopBytecode(self, frame):
        frame.push(frame.top())

    @always_inline
    def pushActiveContextBytecode(self, frame):
        frame.push(frame)

    @always_inline
    def temporary(self, frame, index):
        return frame.home().temp(index)

    @always_inline
    def literalVariable(self, method, index):
        w_assoc = method.literal(index)
        return w_assoc.fetch(self.space, constants.ASSOCIATION_VALUE)

    # -- jump bytecodes --------------------------------------------------------------
    @always_inline
    def shortUnconditionalJump(self, frame, bc):
        frame.ip += (bc & 7) + 1

    @always_inline
    def shortConditionalJump(self, frame, bc):
        self.jumpIf(frame, False, (bc & 7) + 1)

    @always_inline
    def longUnconditionalJump(self, frame, method, bc):
        offset = ((bc & 7) - 4) * 256 + self.fetchByte(frame, method)
        frame.ip += offset
        if offset < 0:
            self.checkForInterrupts(frame)

    @always_inline
    def longConditionalJump(self, frame, method, bc):
        offset = (bc & 3) * 256 + self.fetchByte(frame, method)
        self.jumpIf(frame, bc < 172, offset)

    @always_inline
    def jumpIf(self, frame, condition, offset):
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
            self.sendSelector(frame, space.w_mustBeBoolean, 0)

    # -- send bytecodes ---------------------------------------------------------------
    def extendedSendBytecode(self, frame, method, bc):
        """131 singleExtendedSend, 132 doubleExtendedSend, 133 singleExtendedSuper,
        134 doubleExtendedSuper."""
        if bc == 131 or bc == 133:
            descriptor = self.fetchByte(frame, method)
            argcount = descriptor >> 5
            w_selector = method.literal(descriptor & 31)
        else:
            argcount = self.fetchByte(frame, method)
            w_selector = method.literal(self.fetchByte(frame, method))
        if bc == 131 or bc == 132:
            self.sendSelector(frame, w_selector, argcount)
        else:
            w_class = self.methodClassOf(method)
            self.sendSelectorToClass(frame, w_selector, argcount,
                                     self.space.superclass(w_class))

    @always_inline
    def sendLiteralSelectorBytecode(self, frame, method, bc):
        self.sendSelector(frame, method.literal(bc & 15), (bc - 208) >> 4)

    @always_inline
    def sendSpecialSelectorBytecode(self, frame, bc):
        if bc < 192:
            if arithmeticSelectorPrimitive(self, frame, bc):
                return
        elif commonSelectorPrimitive(self, frame, bc):
            return
        index = (bc - 176) * 2
        # Promoted: the selector is then a constant in traces and its lookup
        # folds away (the array is the image's, but it never changes).
        w_selector = jit.promote(self.space.w_special_selectors.fetch(self.space, index))
        self.sendSelector(frame, w_selector, SPECIAL_ARGCOUNTS[bc - 176])

    def sendSelector(self, frame, w_selector, argcount):
        w_class = frame.peek(argcount).getclass(self.space)
        self.sendSelectorToClass(frame, w_selector, argcount, w_class)

    def methodClassOf(self, method):
        """The defining class: the value of the method's last literal."""
        w_assoc = method.literal(len(method.literals) - 1)
        if not isinstance(w_assoc, W_PointersObject) or w_assoc.size() < 2:
            bytecode_error('a super send in a method without its class')
        return w_assoc.fetch_field(constants.ASSOCIATION_VALUE)

    def sendSelectorToClass(self, frame, w_selector, argcount, w_class):
        w_method = self.lookup.findNewMethodInClass(w_class, w_selector)
        if w_method is None:
            self.createActualMessage(frame, w_selector, argcount)
            w_method = self.lookup.findNewMethodInClass(w_class,
                                                        self.space.w_doesNotUnderstand)
            if w_method is None:
                raise FatalError('recursive doesNotUnderstand: (#%s)' %
                                 w_selector.as_string())
            argcount = 1
        self.executeNewMethod(frame, w_method, argcount)

    @jit.unroll_safe
    def createActualMessage(self, frame, w_selector, argcount):
        """The arguments become a Message, the one argument of doesNotUnderstand:."""
        space = self.space
        args_w = [frame.peek(argcount - 1 - i) for i in range(argcount)]
        w_message = space.instantiate(space.w_Message, 0)
        w_message.store(space, constants.MESSAGE_SELECTOR, w_selector)
        w_message.store(space, constants.MESSAGE_ARGUMENTS, space.wrap_list(args_w))
        frame.pop_n(argcount)
        frame.push(w_message)

    def executeNewMethod(self, frame, w_method, argcount):
        """A hook, the quick methods, the primitive, else a new context."""
        if w_method.hook is not None and self.runHook(frame, w_method, argcount):
            return
        if not primitiveResponse(self, frame, w_method, argcount):
            self.activateNewMethod(frame, w_method, argcount)

    @jit.unroll_safe
    def runHook(self, frame, w_method, argcount):
        """A driver's hook on this method; True if it answered instead."""
        args_w = [frame.peek(argcount - i) for i in range(argcount + 1)]
        action = w_method.hook.run(self, args_w)
        if action == hooks.ANSWER_RECEIVER:
            frame.pop_n(argcount)
            return True
        if action == hooks.SWITCH:
            # A switch was recorded: perform it at the next activation, where
            # the contexts are consistent (see checkForInterrupts).
            self.poll_wants_frame = True
        return False

    @jit.unroll_safe
    def activateNewMethod(self, frame, w_method, argcount):
        if self.space.memory.exhausted:         # quasi-immutable: free in JIT code
            self.memoryExhausted(frame, argcount)
            return
        w_new = W_Context.method_context(self.space, w_method, frame.peek(argcount), frame)
        for i in range(argcount):
            w_new.settemp(i, frame.peek(argcount - 1 - i))
        frame.pop_n(argcount + 1)
        self.runNewContext(frame, w_new)

    @jit.dont_look_inside
    def bytecodeFailed(self, frame, method, ip, why):
        """A bytecode cannot run (spyvm/error.py, BytecodeError): the process
        gets `receiver error: '...'`, which names the method and pc; if that
        returns (the debugger's proceed), so does the context, with its value."""
        space = self.space
        text = '%s in %s>>%s pc %d' % (why, method.lookup_class, method.lookup_selector, ip)
        if frame.stack_size < 2:
            raise FatalError(text + ' (and no room to report it)')
        try:
            w_rcvr = frame.receiver()
        except BytecodeError:
            w_rcvr = space.w_nil
        # Room for the receiver and the message, whatever the stack pointer.
        frame.sp = max(0, min(frame.sp, frame.stack_size - 2))
        frame.push(w_rcvr)
        self.sendError(frame, text)
        return self.returnValueTo(frame, frame.pop(), frame.w_sender)

    def sendError(self, frame, text):
        """Send error: text to the object on top of the stack."""
        space = self.space
        if space.w_error_selector is None:
            space.w_error_selector = space.find_symbol('error:')
        if space.w_error_selector is None:
            raise FatalError(text + ' (and the image has no #error:)')
        frame.push(space.wrap_string(text))
        self.sendSelector(frame, space.w_error_selector, 1)

    @jit.dont_look_inside
    def memoryExhausted(self, frame, argcount):
        """No memory for a new context under --memory: the send becomes
        `receiver error: '...'` in this process (the image's own handling, in
        a grace margin; see spyvm/memory.py)."""
        memory = self.space.memory
        memory.start_grace()
        frame.pop_n(argcount)
        self.sendError(frame, 'out of memory: %d MB in use, the --memory bound is %d MB'
                       % (memory.used >> 20, memory.bound_mb()))

    def runNewContext(self, frame, w_new):
        """Run a freshly activated context and push its result (a non-local
        return to this frame arrives as Return)."""
        if self.depth >= self.max_depth:
            w_new.w_python_caller = None        # it will run from the heap
            # and so will its sender, later: its fields must be in the heap (see
            # Scheduler.check_process_switch).
            jit.hint(frame, force_virtualizable=True)
            raise SwitchToContext(w_new)
        w_new.w_python_caller = frame
        self.checkForInterrupts(w_new)
        self.depth += 1
        try:
            w_result = self.loop(w_new)
            frame.push(w_result)
        except Return as r:
            if r.w_target is not frame:
                raise
            frame.push(r.w_value)
        finally:
            self.depth -= 1

    # -- return bytecodes ------------------------------------------------------------
    def returnConstantBytecode(self, frame, bc):
        """120-123: return self, true, false, nil from the method."""
        space = self.space
        if bc == 120:
            w_value = frame.receiver()
        elif bc == 121:
            w_value = space.w_true
        elif bc == 122:
            w_value = space.w_false
        else:
            w_value = space.w_nil
        return self.returnValueTo(frame, w_value, frame.home().w_sender)

    @always_inline
    def returnTopFromMethodBytecode(self, frame):
        return self.returnValueTo(frame, frame.pop(), frame.home().w_sender)

    @always_inline
    def returnTopFromBlockBytecode(self, frame):
        return self.returnValueTo(frame, frame.pop(), frame.w_sender)

    def returnValueTo(self, frame, w_value, w_target):
        """Blue Book returnValue:to: (cannotReturn: when the target is dead).
        Answers w_value when the target is the context whose Python call runs
        this one (the loop then returns it); raises Return for any other
        target; answers None after sending cannotReturn:."""
        if w_target is not frame.w_python_caller and (
                not isinstance(w_target, W_Context) or w_target.ip_is_nil):
            frame.push(frame)
            frame.push(w_value)
            self.sendSelector(frame, self.space.w_cannotReturn, 1)
            return None
        frame.w_sender = self.space.w_nil
        frame.set_ip(-1)
        if frame.is_block():
            # A block runs again (each `value`): its fields go back to the heap
            # now, not from a dead JIT frame at its next use (docs/JIT.md).
            jit.hint(frame, force_virtualizable=True)
        if w_target is frame.w_python_caller:
            return w_value
        raise Return(w_value, w_target)

    # -- interrupts and processes -------------------------------------------------
    def checkForInterrupts(self, frame):
        # The countdown ends in a conditional call, not a guard (docs/JIT.md,
        # "Polling in traces"): the guard below fails only when a poll is due.
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
            self.hooks.poll(self)
            self.ioc.poll(self)
            self.w_active_context = None
            self.ioc.scheduler.check_process_switch(frame)

    def display_damaged(self, x, y, w, h):
        if self.ioc is not None:
            self.ioc.display_damaged(x, y, w, h)
