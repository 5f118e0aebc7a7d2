"""The primitive table (Blue Book chapter 29): registration and the index.

Each group module of spyvm/prims registers its primitives with
@expose_primitive(index, unwrap_spec=[...]); this module imports every group
at its end, so importing it fills the table. The spec lists the receiver and
the arguments, each one of:

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

The primitives, by number (the routines are in spyvm/prims/<group>.py):

      1  primitiveAdd                           prims.arithmetic
      2  primitiveSubtract                      prims.arithmetic
      3  primitiveLessThan                      prims.arithmetic
      4  primitiveGreaterThan                   prims.arithmetic
      5  primitiveLessOrEqual                   prims.arithmetic
      6  primitiveGreaterOrEqual                prims.arithmetic
      7  primitiveEqual                         prims.arithmetic
      8  primitiveNotEqual                      prims.arithmetic
      9  primitiveMultiply                      prims.arithmetic
     10  primitiveDivide                        prims.arithmetic
     11  primitiveMod                           prims.arithmetic
     12  primitiveDiv                           prims.arithmetic
     13  primitiveQuo                           prims.arithmetic
     14  primitiveBitAnd                        prims.arithmetic
     15  primitiveBitOr                         prims.arithmetic
     16  primitiveBitXor                        prims.arithmetic
     17  primitiveBitShift                      prims.arithmetic
     18  primitiveMakePoint                     prims.arithmetic
     21  primitiveLargeAdd                      prims.arithmetic
     22  primitiveLargeSubtract                 prims.arithmetic
     23  primitiveLargeLessThan                 prims.arithmetic
     24  primitiveLargeGreaterThan              prims.arithmetic
     25  primitiveLargeLessOrEqual              prims.arithmetic
     26  primitiveLargeGreaterOrEqual           prims.arithmetic
     27  primitiveLargeEqual                    prims.arithmetic
     28  primitiveLargeNotEqual                 prims.arithmetic
     29  primitiveLargeMultiply                 prims.arithmetic
     30  primitiveLargeDivide                   prims.arithmetic
     31  primitiveLargeMod                      prims.arithmetic
     32  primitiveLargeDiv                      prims.arithmetic
     33  primitiveLargeQuo                      prims.arithmetic
     34  primitiveLargeBitAnd                   prims.arithmetic
     35  primitiveLargeBitOr                    prims.arithmetic
     36  primitiveLargeBitXor                   prims.arithmetic
     37  primitiveLargeBitShift                 prims.arithmetic
     40  primitiveAsFloat                       prims.arithmetic
     41  primitiveFloatAdd                      prims.arithmetic
     42  primitiveFloatSubtract                 prims.arithmetic
     43  primitiveFloatLessThan                 prims.arithmetic
     44  primitiveFloatGreaterThan              prims.arithmetic
     45  primitiveFloatLessOrEqual              prims.arithmetic
     46  primitiveFloatGreaterOrEqual           prims.arithmetic
     47  primitiveFloatEqual                    prims.arithmetic
     48  primitiveFloatNotEqual                 prims.arithmetic
     49  primitiveFloatMultiply                 prims.arithmetic
     50  primitiveFloatDivide                   prims.arithmetic
     51  primitiveTruncated                     prims.arithmetic
     52  primitiveFractionalPart                prims.arithmetic
     53  primitiveExponent                      prims.arithmetic
     54  primitiveTimesTwoPower                 prims.arithmetic
     60  primitiveAt                            prims.storage
     61  primitiveAtPut                         prims.storage
     62  primitiveSize                          prims.storage
     63  primitiveStringAt                      prims.storage
     64  primitiveStringAtPut                   prims.storage
     65  primitiveNext                          prims.storage
     66  primitiveNextPut                       prims.storage
     67  primitiveAtEnd                         prims.storage
     68  primitiveObjectAt                      prims.storage
     69  primitiveObjectAtPut                   prims.storage
     70  primitiveNew                           prims.storage
     71  primitiveNewWithArg                    prims.storage
     72  primitiveBecome                        prims.storage
     73  primitiveInstVarAt                     prims.storage
     74  primitiveInstVarAtPut                  prims.storage
     75  primitiveAsOop                         prims.storage
     76  primitiveAsObject                      prims.storage
     77  primitiveSomeInstance                  prims.storage
     78  primitiveNextInstance                  prims.storage
     79  primitiveNewMethod                     prims.storage
     80  primitiveBlockCopy                     prims.control
     81  primitiveValue                         prims.control
     82  primitiveValueWithArgs                 prims.control
     83  primitivePerform                       prims.control
     84  primitivePerformWithArgs               prims.control
     85  primitiveSignal                        prims.control
     86  primitiveWait                          prims.control
     87  primitiveResume                        prims.control
     88  primitiveSuspend                       prims.control
     89  primitiveFlushCache                    prims.control
     90  primitiveMousePoint                    prims.inputoutput
     91  primitiveCursorLocPut                  prims.inputoutput
     92  primitiveCursorLink                    prims.inputoutput
     93  primitiveInputSemaphore                prims.inputoutput
     94  primitiveSampleInterval                prims.inputoutput
     95  primitiveInputWord                     prims.inputoutput
     96  primitiveCopyBits                      prims.inputoutput
     97  primitiveSnapshot                      prims.inputoutput
     98  primitiveTimeWordsInto                 prims.inputoutput
     99  primitiveTickWordsInto                 prims.inputoutput
    100  primitiveSignalAtTick                  prims.inputoutput
    101  primitiveBeCursor                      prims.inputoutput
    102  primitiveBeDisplay                     prims.inputoutput
    103  primitiveScanCharacters                prims.inputoutput
    104  primitiveDrawLoop                      prims.inputoutput
    105  primitiveStringReplace                 prims.storage
    110  primitiveEquivalent                    prims.system
    111  primitiveClass                         prims.system
    112  primitiveCoreLeft                      prims.system
    113  primitiveQuit                          prims.system
    114  primitiveExitToDebugger                prims.system
    115  primitiveOopsLeft                      prims.system
    116  primitiveSignalAtOopsLeftWordsLeft     prims.system
    128  primitiveBeSnapshotFile                prims.files
    130  primitiveFileCommand                   prims.files
    131  primitiveDirectoryCommand              prims.files
    132  primitiveFileError                     prims.files
    133  primitiveFileErrorString               prims.files

The Blue Book's BitBlt itself (96, 103, 104) is spyvm/bitblt.py. The file
primitives (128, 130-133) are those of dbanay's VM, on the host directory of
spyvm/hostfiles.py; 128 with five arguments (the Alto disk) fails.
"""

from rpython.rlib import jit
from rpython.rlib.unroll import unrolling_iterable
from spyvm import constants
from spyvm.error import PrimitiveFailedError
from spyvm.model import W_SmallInteger, W_Float
from spyvm.bytecodes import ARITHMETIC_PRIMITIVES, SPECIAL_ARGCOUNTS

MAX_PRIMITIVE = 256
prim_table = [None] * MAX_PRIMITIVE

index1 = object()


@jit.elidable
def primitive_function(index):
    """The function of a primitive (None if there is none). Elidable, so that in
    a trace the call is to a known function, which the JIT can inline."""
    return prim_table[index]


def expose_primitive(code, unwrap_spec=None, needs_frame=False):
    def decorator(func):
        assert prim_table[code] is None, 'primitive %d defined twice' % code
        if unwrap_spec is None:
            wrapped = func
        else:
            wrapped = _wrap(func, unwrap_spec, needs_frame)
        wrapped.func_name = 'prim_%d_%s' % (code, func.func_name)
        prim_table[code] = wrapped
        return func
    return decorator


def _wrap(func, unwrap_spec, needs_frame):
    spec = unrolling_iterable(enumerate(unwrap_spec))
    n = len(unwrap_spec)

    def wrapped(interp, frame, argcount):
        if argcount != n - 1:
            raise PrimitiveFailedError
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


# -- how the interpreter runs them -------------------------------------------------
def primitiveResponse(interp, frame, w_method, argcount):
    """The method's quick return or primitive, on the frame's top argcount+1
    slots; True if it answered (else the method is activated)."""
    flag = w_method.flag
    if flag == 5:                                   # quickReturnSelf
        frame.pop_n(argcount)
        return True
    if flag == 6:                                   # quickInstanceLoad
        frame.pop_n(argcount)
        w_rcvr = frame.pop()
        frame.push(w_rcvr.fetch(interp.space, w_method.tempsize))
        return True
    primitive = w_method.primitive
    if primitive == 0 or (21 <= primitive <= 37 and
                          not interp.options.large_integer_primitives):
        return False
    func = primitive_function(primitive)
    if func is None:
        return False
    try:
        func(interp, frame, argcount)
        return True
    except PrimitiveFailedError:
        return False


@jit.elidable
def arithmetic_primitive(bc):
    return ARITHMETIC_PRIMITIVES[bc - 176]


def arithmeticSelectorPrimitive(interp, frame, bc):
    """The SmallInteger primitive of + - < ... inline (bytecodes 176-191);
    True if it answered."""
    w_arg = frame.peek(0)
    w_rcvr = frame.peek(1)
    if not (isinstance(w_rcvr, W_SmallInteger) and isinstance(w_arg, W_SmallInteger)):
        return False
    w_result = smallIntegerResult(interp.space, bc, w_rcvr.value, w_arg.value)
    if w_result is not None:
        frame.pop()
        frame.poke(0, w_result)
        return True
    prim = primitive_function(arithmetic_primitive(bc))
    if prim is not None:
        try:
            prim(interp, frame, 1)
            return True
        except PrimitiveFailedError:
            pass
    return False


def smallIntegerResult(space, bc, a, b):
    """What primitives 1-8, 14 and 15 answer for two SmallInteger values, for
    the commonest bytecodes without the primitive table's call and unwrapping
    (as Squeak's bytecodePrimAdd and its kin); None where the primitive would
    fail, and for the other selectors: those go through the table."""
    if bc == 176:
        return _small_or_none(space, a + b)
    elif bc == 177:
        return _small_or_none(space, a - b)
    elif bc == 178:
        return space.wrap_bool(a < b)
    elif bc == 179:
        return space.wrap_bool(a > b)
    elif bc == 180:
        return space.wrap_bool(a <= b)
    elif bc == 181:
        return space.wrap_bool(a >= b)
    elif bc == 182:
        return space.wrap_bool(a == b)
    elif bc == 183:
        return space.wrap_bool(a != b)
    elif bc == 190:
        return space.wrap_int(a & b)
    elif bc == 191:
        return space.wrap_int(a | b)
    return None


def _small_or_none(space, value):
    if constants.MININT <= value <= constants.MAXINT:
        return space.wrap_int(value)
    return None


def commonSelectorPrimitive(interp, frame, bc):
    """== and class always; blockCopy:, value and value: for the right
    receivers; True if it answered."""
    space = interp.space
    if bc == 198:                                   # ==
        w_arg = frame.pop()
        w_rcvr = frame.pop()
        frame.push(space.wrap_bool(w_rcvr.is_same_object(w_arg)))
        return True
    if bc == 199:                                   # class
        frame.push(frame.pop().getclass(space))
        return True
    argcount = SPECIAL_ARGCOUNTS[bc - 176]
    w_class = frame.peek(argcount).getclass(space)
    try:
        if bc == 200 and (w_class is space.w_MethodContext or
                          w_class is space.w_BlockContext):
            primitive_function(80)(interp, frame, argcount)
            return True
        if (bc == 201 or bc == 202) and w_class is space.w_BlockContext:
            primitive_function(81)(interp, frame, argcount)
            return True
    except PrimitiveFailedError:
        pass
    return False


# The groups register themselves as they are imported (last: they use the
# above). By name: a group imported first has itself imported again from here,
# half done, which only `__import__` of the full name accepts.
GROUPS = ['arithmetic', 'storage', 'control', 'inputoutput', 'system', 'files']
for _group in GROUPS:
    __import__('spyvm.prims.' + _group)
