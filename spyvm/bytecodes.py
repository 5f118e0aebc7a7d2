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


# The groups of Interpreter.dispatchOnThisBytecode, one per branch.
(PUSH_RCVR, PUSH_TEMP, PUSH_LIT, PUSH_LIT_VAR, POP_RCVR, POP_TEMP, PUSH_CONSTANT,
 RETURN_CONSTANT, RETURN_TOP, BLOCK_RETURN, UNUSED, EXT_PUSH, EXT_STORE, EXT_POP_STORE,
 EXT_SEND, POP, DUP, PUSH_THIS_CONTEXT, JUMP, JUMP_FALSE, LONG_JUMP, LONG_CONDITIONAL_JUMP,
 SPECIAL_SEND, LITERAL_SEND) = range(24)


def _group(bc):
    for last, group in [(15, PUSH_RCVR), (31, PUSH_TEMP), (63, PUSH_LIT),
                        (95, PUSH_LIT_VAR), (103, POP_RCVR), (111, POP_TEMP),
                        (119, PUSH_CONSTANT), (123, RETURN_CONSTANT), (124, RETURN_TOP),
                        (125, BLOCK_RETURN), (127, UNUSED), (128, EXT_PUSH),
                        (129, EXT_STORE), (130, EXT_POP_STORE), (134, EXT_SEND),
                        (135, POP), (136, DUP), (137, PUSH_THIS_CONTEXT), (143, UNUSED),
                        (151, JUMP), (159, JUMP_FALSE), (167, LONG_JUMP),
                        (175, LONG_CONDITIONAL_JUMP), (207, SPECIAL_SEND),
                        (255, LITERAL_SEND)]:
        if bc <= last:
            return group

# One character per bytecode: its group. A string, so that in a trace (where
# the bytecode is a constant) the group folds to a constant too; dispatch then
# compares it for equality only, which RPython turns into one switch (a jump
# table in C, one step for the tracer and the blackhole interpreter) instead of
# a chain of up to 24 range tests.
BYTECODE_GROUPS = ''.join([chr(_group(bc)) for bc in range(256)])
