"""Control primitives (80-89): blocks, perform, processes, the method cache."""

from rpython.rlib import jit
from spyvm.context import W_Context
from spyvm.error import PrimitiveFailedError
from spyvm.model import W_PointersObject
from spyvm.primitives import expose_primitive


@expose_primitive(80, unwrap_spec=[object, int], needs_frame=True)
def primitiveBlockCopy(interp, frame, w_context, argcount):
    """thisContext blockCopy: n -- a BlockContext sharing the home's temps.

    Its code starts after the jump that follows this send (ip + 2)."""
    if not isinstance(w_context, W_Context):
        raise PrimitiveFailedError
    return W_Context.block_context(interp.space, w_context.home(), argcount, frame.ip + 2)


def activate_block(interp, frame, w_block, args_w, npop):
    """Start a BlockContext with args_w; pops npop slots of the caller first."""
    if not isinstance(w_block, W_Context) or not w_block.start_block(frame, args_w, npop):
        raise PrimitiveFailedError
    interp.runNewContext(frame, w_block)


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
    w_method = interp.lookup.findNewMethodInClass(w_rcvr.getclass(interp.space), w_selector)
    if w_method is not None and w_method.argsize != newargs:
        raise PrimitiveFailedError
    for i in range(newargs - 1, -1, -1):
        frame.poke(i + 1, frame.peek(i))
    frame.pop_n(1)
    interp.sendSelector(frame, w_selector, newargs)


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
    w_method = interp.lookup.findNewMethodInClass(w_rcvr.getclass(space), w_selector)
    if w_method is not None and w_method.argsize != len(args_w):
        raise PrimitiveFailedError
    if frame.sp - 3 + len(args_w) + 1 > frame.stacksize():
        raise PrimitiveFailedError
    frame.pop_n(2)
    for w_arg in args_w:
        frame.push(w_arg)
    interp.sendSelector(frame, w_selector, len(args_w))


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
    interp.lookup.flushCache('primitiveFlushCache')
    return w_rcvr
