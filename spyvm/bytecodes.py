"""Names of the 256 Blue Book bytecodes (for traces and JIT printable locations)."""


# The special selectors of bytecodes 176..207, in order.
SPECIAL_SELECTORS = ['+', '-', '<', '>', '<=', '>=', '=', '~=', '*', '/', '\\\\', '@',
                     'bitShift:', '//', 'bitAnd:', 'bitOr:', 'at:', 'at:put:', 'size',
                     'next', 'nextPut:', 'atEnd', '==', 'class', 'blockCopy:', 'value',
                     'value:', 'do:', 'new', 'new:', 'x', 'y']


def _names():
    names = [''] * 256
    for i in range(16):
        names[i] = 'pushRcvr%d' % i
        names[16 + i] = 'pushTemp%d' % i
    for i in range(32):
        names[32 + i] = 'pushLit%d' % i
        names[64 + i] = 'pushLitVar%d' % i
    for i in range(8):
        names[96 + i] = 'popRcvr%d' % i
        names[104 + i] = 'popTemp%d' % i
    for i, n in enumerate(['pushSelf', 'pushTrue', 'pushFalse', 'pushNil',
                           'pushMinusOne', 'pushZero', 'pushOne', 'pushTwo',
                           'returnSelf', 'returnTrue', 'returnFalse', 'returnNil',
                           'returnTop', 'blockReturnTop', 'unused126', 'unused127',
                           'extPush', 'extStore', 'extPopStore', 'singleExtSend',
                           'doubleExtSend', 'singleExtSuper', 'doubleExtSuper', 'pop',
                           'dup', 'pushThisContext']):
        names[112 + i] = n
    for i in range(138, 144):
        names[i] = 'unused%d' % i
    for i in range(8):
        names[144 + i] = 'jump%d' % (i + 1)
        names[152 + i] = 'jumpFalse%d' % (i + 1)
        names[160 + i] = 'longJump'
    for i in range(4):
        names[168 + i] = 'longJumpTrue'
        names[172 + i] = 'longJumpFalse'
    for i in range(32):
        names[176 + i] = 'send ' + SPECIAL_SELECTORS[i]
    for i in range(16):
        names[208 + i] = 'send0Lit%d' % i
        names[224 + i] = 'send1Lit%d' % i
        names[240 + i] = 'send2Lit%d' % i
    return names

BYTECODE_NAMES = _names()

# Argument counts of the special selectors 176..207 (the image's table agrees).
SPECIAL_ARGCOUNTS = [1] * 16 + [1, 2, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0]

# The SmallInteger primitive each arithmetic special selector tries inline
# (Blue Book arithmeticSelectorPrimitive), for bytecodes 176..191.
ARITHMETIC_PRIMITIVES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 18, 17, 12, 14, 15]
