"""The primitive table (Blue Book chapter 29), filled by the group modules.

A primitive is registered with @expose_primitive(index, unwrap_spec=[...]). The
spec lists the receiver and the arguments, each one of:

    object   the W_Object as it is
    int      a SmallInteger's value (else the primitive fails)
    float    a Float's value (only Floats; else the primitive fails)
    index1   a SmallInteger index, 1-based in Smalltalk, passed 0-based

The function is called as func(interp, frame, rcvr, arg1, ...) and returns the
result object; the wrapper pops receiver and arguments and pushes the result.
`frame` is the active context only with needs_frame=True, else None: the frame
is the JIT's virtualizable, which must not flow into code the JIT does not trace.
Raising PrimitiveFailedError leaves the stack untouched, and the method's own
Smalltalk code runs. With unwrap_spec=None the function is called as
func(interp, frame, argcount) and manages the stack itself (process switches,
value, perform:).
"""

from rpython.rlib import jit
from rpython.rlib.unroll import unrolling_iterable
from spyvm.error import PrimitiveFailedError
from spyvm.model import W_SmallInteger, W_Float

MAX_PRIMITIVE = 256
prim_table = [None] * MAX_PRIMITIVE
prim_names = [''] * MAX_PRIMITIVE

index1 = object()


@jit.elidable
def primitive_function(index):
    """The function of a primitive (None if there is none). Elidable, so that in
    a trace the call is to a known function, which the JIT can inline."""
    return prim_table[index]


def expose_primitive(code, unwrap_spec=None, name='', needs_frame=False):
    def decorator(func):
        assert prim_table[code] is None, 'primitive %d defined twice' % code
        if unwrap_spec is None:
            wrapped = func
        else:
            wrapped = _wrap(func, unwrap_spec, needs_frame)
        wrapped.func_name = 'prim_%d_%s' % (code, func.func_name)
        prim_table[code] = wrapped
        prim_names[code] = name or func.func_name
        return func
    return decorator


def _wrap(func, unwrap_spec, needs_frame):
    spec = unrolling_iterable(enumerate(unwrap_spec))
    n = len(unwrap_spec)

    def wrapped(interp, frame, argcount):
        if argcount != n - 1:
            raise PrimitiveFailedError
        space = interp.space
        args = ()
        for i, kind in spec:
            w_arg = frame.peek(n - 1 - i)
            if kind is object:
                args += (w_arg,)
            elif kind is int:
                if not isinstance(w_arg, W_SmallInteger):
                    raise PrimitiveFailedError
                args += (w_arg.value,)
            elif kind is float:
                if not isinstance(w_arg, W_Float):
                    raise PrimitiveFailedError
                args += (w_arg.value,)
            elif kind is index1:
                if not isinstance(w_arg, W_SmallInteger):
                    raise PrimitiveFailedError
                args += (w_arg.value - 1,)
            else:
                assert False, 'unknown unwrap_spec entry'
        if needs_frame:
            w_result = func(interp, frame, *args)
        else:
            w_result = func(interp, None, *args)
        frame.pop_n(n)
        frame.push(w_result)
    return wrapped


def load_all():
    """Import every group so that its primitives register themselves."""
    from spyvm.primitives import (arithmetic, storage, control,
                                  inputoutput, system)
    from spyvm import bitblt
