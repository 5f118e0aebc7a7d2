"""The bytecode tables: names and the dispatch groups agree with the Blue Book."""

from spyvm import bytecodes
from spyvm.bytecodes import BYTECODE_GROUPS, BYTECODE_NAMES

# Each group, with the prefix of the names of its bytecodes.
PREFIXES = {
    bytecodes.PUSH_RCVR: 'pushRcvr', bytecodes.PUSH_TEMP: 'pushTemp',
    bytecodes.PUSH_LIT: 'pushLit', bytecodes.PUSH_LIT_VAR: 'pushLitVar',
    bytecodes.POP_RCVR: 'popRcvr', bytecodes.POP_TEMP: 'popTemp',
    bytecodes.RETURN_TOP: 'returnTop', bytecodes.BLOCK_RETURN: 'blockReturnTop',
    bytecodes.UNUSED: 'unused', bytecodes.EXT_PUSH: 'extPush',
    bytecodes.EXT_STORE: 'extStore', bytecodes.EXT_POP_STORE: 'extPopStore',
    bytecodes.POP: 'pop', bytecodes.DUP: 'dup',
    bytecodes.PUSH_THIS_CONTEXT: 'pushThisContext', bytecodes.JUMP: 'jump',
    bytecodes.JUMP_FALSE: 'jumpFalse', bytecodes.LONG_JUMP: 'longJump',
    bytecodes.LONG_CONDITIONAL_JUMP: 'longJump', bytecodes.SPECIAL_SEND: 'send',
    bytecodes.LITERAL_SEND: 'send',
}


def group(bc):
    return ord(BYTECODE_GROUPS[bc])


def test_every_bytecode_has_a_group_that_matches_its_name():
    assert len(BYTECODE_GROUPS) == 256
    for bc in range(256):
        prefix = PREFIXES.get(group(bc))
        if prefix is not None:
            assert BYTECODE_NAMES[bc].startswith(prefix), (bc, BYTECODE_NAMES[bc])


def test_the_group_boundaries():
    assert [group(bc) for bc in (0, 15, 16, 31, 32, 63, 64, 95)] == [
        bytecodes.PUSH_RCVR] * 2 + [bytecodes.PUSH_TEMP] * 2 + [bytecodes.PUSH_LIT] * 2 + [
        bytecodes.PUSH_LIT_VAR] * 2
    assert [group(bc) for bc in range(112, 120)] == [bytecodes.PUSH_CONSTANT] * 8
    assert [group(bc) for bc in range(120, 124)] == [bytecodes.RETURN_CONSTANT] * 4
    assert [group(bc) for bc in range(131, 135)] == [bytecodes.EXT_SEND] * 4
    assert [group(bc) for bc in (126, 127) + tuple(range(138, 144))] == [bytecodes.UNUSED] * 8
    assert [group(bc) for bc in range(168, 176)] == [bytecodes.LONG_CONDITIONAL_JUMP] * 8
    assert [group(bc) for bc in range(176, 208)] == [bytecodes.SPECIAL_SEND] * 32
    assert [group(bc) for bc in (208, 255)] == [bytecodes.LITERAL_SEND] * 2
