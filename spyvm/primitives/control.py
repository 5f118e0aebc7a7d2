"""Control primitives (80-89): blocks, perform, processes, the method cache."""

from rpython.rlib import jit
from spyvm import constants
from spyvm.context import W_Context
from spyvm.error import PrimitiveFailedError
from spyvm.model import W_SmallInteger, W_PointersObject
from spyvm.primitives import expose_primitive


@expose_primitive(80, unwrap_spec=[object, int], needs_frame=True)
def primitiveBlockCopy(interp, frame, w_context, argcount):
    """thisContext blockCopy: n -- a BlockContext sharing the home's temps.

    Its code starts after the jump that follows this send (ip + 2)."""
    space = interp.space
    if not isinstance(w_context, W_Context):
        raise PrimitiveFailedError
    w_home = w_context.home()
    w_block = W_Context(space.w_BlockContext, w_home.stacksize(), space.w_nil)
    initial_ip = frame.ip + 2
    w_block.w_f4 = space.wrap_int(initial_ip)
    w_block.set_ip(initial_ip)
    w_block.sp = 0
    w_block.w_f3 = space.wrap_int(argcount)
    w_block.w_f5 = w_home
    return w_block


@jit.unroll_safe
def activate_block(interp, frame, w_block, args_w, npop):
    """Start a BlockContext with args_w; pops npop slots of the caller first."""
    if not isinstance(w_block, W_Context) or not w_block.is_block():
        raise PrimitiveFailedError
    nargs = len(args_w)
    if w_block.block_argcount() != nargs or nargs > w_block.stacksize():
        raise PrimitiveFailedError
    w_initial = w_block.w_f4
    if not isinstance(w_initial, W_SmallInteger):
        raise PrimitiveFailedError
    for i in range(nargs):
        w_block._stack[i] = args_w[i]
    frame.pop_n(npop)
    w_block.set_ip(w_initial.value)
    w_block.sp = nargs
    w_block.w_sender = frame
    interp.run_new_context(frame, w_block)


@expose_primitive(81)
@jit.unroll_safe
def primitiveValue(interp, frame, argcount):
    w_block = frame.peek(argcount)
    args_w = [frame.peek(argcount - 1 - i) for i in range(argcount)]
    activate_block(interp, frame, w_block, args_w, argcount + 1)


@expose_primitive(82)
def primitiveValueWithArgs(interp, frame, argcount):
    if argcount != 1:
        raise PrimitiveFailedError
    space = interp.space
    w_args = frame.peek(0)
    if not isinstance(w_args, W_PointersObject) or w_args.getclass(space) is not space.w_Array:
        raise PrimitiveFailedError
    activate_block(interp, frame, frame.peek(1), w_args._vars[:], 2)


@expose_primitive(83)
@jit.unroll_safe
def primitivePerform(interp, frame, argcount):
    """perform: aSymbol with: ... -- the selector's slot is closed up."""
    if argcount < 1:
        raise PrimitiveFailedError
    w_selector = frame.peek(argcount - 1)
    w_rcvr = frame.peek(argcount)
    newargs = argcount - 1
    w_method = interp.lookup(w_rcvr.getclass(interp.space), w_selector)
    if w_method is not None and w_method.argsize != newargs:
        raise PrimitiveFailedError
    for i in range(newargs - 1, -1, -1):
        frame.poke(i + 1, frame.peek(i))
    frame.pop_n(1)
    interp.send_selector(frame, w_selector, newargs)


@expose_primitive(84)
@jit.unroll_safe
def primitivePerformWithArgs(interp, frame, argcount):
    space = interp.space
    if argcount != 2:
        raise PrimitiveFailedError
    w_args = frame.peek(0)
    w_selector = frame.peek(1)
    w_rcvr = frame.peek(2)
    if not isinstance(w_args, W_PointersObject) or w_args.getclass(space) is not space.w_Array:
        raise PrimitiveFailedError
    args_w = w_args._vars[:]
    w_method = interp.lookup(w_rcvr.getclass(space), w_selector)
    if w_method is not None and w_method.argsize != len(args_w):
        raise PrimitiveFailedError
    if frame.sp - 3 + len(args_w) + 1 > frame.stacksize():
        raise PrimitiveFailedError
    frame.pop_n(2)
    for w_arg in args_w:
        frame.push(w_arg)
    interp.send_selector(frame, w_selector, len(args_w))


def scheduler(interp):
    return interp.ioc.scheduler


def semaphore_receiver(interp, frame, argcount):
    """The receiver of signal/wait, which must be a Semaphore (it stays on the stack)."""
    w_sem = frame.peek(0)
    if argcount != 0 or w_sem.getclass(interp.space) is not interp.space.w_Semaphore:
        raise PrimitiveFailedError
    return w_sem


@expose_primitive(85)
def primitiveSignal(interp, frame, argcount):
    scheduler(interp).synchronous_signal(semaphore_receiver(interp, frame, argcount))
    scheduler(interp).check_process_switch(frame)


@expose_primitive(86)
def primitiveWait(interp, frame, argcount):
    scheduler(interp).wait(semaphore_receiver(interp, frame, argcount))
    scheduler(interp).check_process_switch(frame)


@expose_primitive(87)
def primitiveResume(interp, frame, argcount):
    if argcount != 0:
        raise PrimitiveFailedError
    scheduler(interp).resume(frame.peek(0))
    scheduler(interp).check_process_switch(frame)


@expose_primitive(88)
def primitiveSuspend(interp, frame, argcount):
    sched = scheduler(interp)
    if argcount != 0 or frame.peek(0) is not sched.active_process():
        raise PrimitiveFailedError
    frame.pop()
    frame.push(interp.space.w_nil)
    sched.suspend_active()
    sched.check_process_switch(frame)


@expose_primitive(89, unwrap_spec=[object])
def primitiveFlushCache(interp, frame, w_rcvr):
    interp.flush_method_cache('primitiveFlushCache')
    return w_rcvr
