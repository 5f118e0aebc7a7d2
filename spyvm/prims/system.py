"""System primitives (110-116): identity, class, memory figures, quit."""

from spyvm.error import PrimitiveFailedError, Quit
from spyvm.primitives import expose_primitive

# What coreLeft answers in deterministic runs: what a Blue Book object memory
# of 16 segments of 64K words has free after loading the Xerox image
# (1,048,576 - 258,880 words), minus one. The image looks at it through
# `coreLeft // 4` when it resumes, and that Smalltalk digit division takes the
# reference VMs' path for this value (it would not for a multiple of 32).
# Otherwise: the words left under --memory (spyvm/memory.py).
CORE_LEFT_WORDS = 789695


@expose_primitive(110, unwrap_spec=[object, object])
def primitiveEquivalent(interp, frame, w_rcvr, w_arg):
    return interp.space.wrap_bool(w_rcvr.is_same_object(w_arg))


@expose_primitive(111, unwrap_spec=[object])
def primitiveClass(interp, frame, w_rcvr):
    return w_rcvr.getclass(interp.space)


@expose_primitive(112, unwrap_spec=[object])
def primitiveCoreLeft(interp, frame, w_rcvr):
    memory = interp.space.memory
    if interp.options.deterministic or not memory.measured:
        return interp.space.wrap_positive_32bit(CORE_LEFT_WORDS)
    return interp.space.wrap_positive_32bit(min(memory.words_left(), 0x7FFFFFFF))


@expose_primitive(113, unwrap_spec=[object])
def primitiveQuit(interp, frame, w_rcvr):
    raise Quit(0)


@expose_primitive(114, unwrap_spec=[object])
def primitiveExitToDebugger(interp, frame, w_rcvr):
    raise PrimitiveFailedError


@expose_primitive(115, unwrap_spec=[object])
def primitiveOopsLeft(interp, frame, w_rcvr):
    return interp.space.wrap_int(interp.space.oops_left())


@expose_primitive(116, unwrap_spec=[object, object, object, object])
def primitiveSignalAtOopsLeftWordsLeft(interp, frame, w_rcvr, w_sem, w_oops, w_words):
    space = interp.space
    io = interp.ioc
    if w_sem is not space.w_nil and w_sem.getclass(space) is not space.w_Semaphore:
        raise PrimitiveFailedError
    # Check both figures before changing anything: a failure changes nothing.
    oops = space.unwrap_large_or_small(w_oops)
    words = space.unwrap_large_or_small(w_words)
    if w_sem is space.w_nil:
        io.w_low_space_semaphore = None
    else:
        io.w_low_space_semaphore = w_sem
    io.low_space_oops = oops
    io.low_space_words = words
    return w_rcvr
