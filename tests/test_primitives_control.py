"""Control primitives (80-84, 89): blocks, perform and the method cache."""

import pytest

from spyvm import constants
from spyvm.context import W_Context
from spyvm.error import PrimitiveFailedError
from spyvm.model import W_PointersObject
from spyvm.primitives import prim_table


from tests.primsupport import make_frame


def stack_of(frame):
    return [frame.temp(k) for k in range(frame.sp)]


def fails(interp, index, frame, argcount):
    """True if the primitive fails and leaves the frame's stack as it was."""
    before = stack_of(frame)
    sp = frame.sp
    try:
        prim_table[index](interp, frame, argcount)
    except PrimitiveFailedError:
        assert frame.sp == sp
        after = stack_of(frame)
        assert len(after) == len(before)
        for w_a, w_b in zip(before, after):
            assert w_a is w_b
        return True
    return False


def i(space, value):
    return space.wrap_int(value)


def home_context(boot, bytecodes, literals=None, tempcount=0, large=False,
                 receiver=None):
    """A method context for a method made of bytecodes, at its first bytecode."""
    space = boot.space
    w_method = boot.method(bytecodes, literals, tempcount=tempcount, large=large)
    w_rcvr = receiver if receiver is not None else space.w_nil
    w_home = W_Context.method_context(space, w_method, w_rcvr, space.w_nil)
    w_home.sp = tempcount
    return w_home


# -- blockCopy: -------------------------------------------------------------------

def test_block_copy(boot, interp):
    space = boot.space
    for large in (False, True):
        w_home = home_context(boot, [137, 118, 200, 164, 2, 16, 125, 120],
                              tempcount=1, large=large)
        w_home.ip += 3                      # just after the blockCopy: send
        w_home.push(w_home)
        w_home.push(i(space, 1))
        prim_table[80](interp, w_home, 1)
        assert w_home.sp == 2
        w_block = w_home.top()
        assert isinstance(w_block, W_Context) and w_block.is_block()
        assert w_block.getclass(space) is space.w_BlockContext
        start = w_home.ip + 2               # after the 2-byte jump over the body
        assert w_block.fetch(space, constants.BLOCK_INITIAL_IP).value == start
        assert w_block.fetch(space, constants.CTX_IP).value == start
        assert w_block.fetch(space, constants.CTX_SP).value == 0
        assert w_block.fetch(space, constants.BLOCK_ARGCOUNT).value == 1
        assert w_block.fetch(space, constants.BLOCK_HOME) is w_home
        assert w_block.fetch(space, constants.CTX_SENDER) is space.w_nil
        assert w_block.stacksize() == w_home.stacksize()
        assert w_block.stacksize() == (32 if large else 12)


def test_block_copy_from_a_block_uses_its_home(boot, interp):
    space = boot.space
    w_home = home_context(boot, [137, 117, 200, 164, 0, 120], large=True)
    w_outer = W_Context.block_context(space, w_home, 0, w_home.ip)
    w_outer.set_ip(w_home.ip + 10)
    w_outer.sp = 0
    w_outer.push(w_outer)
    w_outer.push(i(space, 2))
    prim_table[80](interp, w_outer, 1)
    w_block = w_outer.top()
    assert w_block.fetch(space, constants.BLOCK_HOME) is w_home
    assert w_block.fetch(space, constants.BLOCK_INITIAL_IP).value == w_outer.ip + 2
    assert w_block.block_argcount() == 2


def test_block_copy_failures(boot, interp):
    space = boot.space
    w_home = home_context(boot, [120])
    w_home.push(w_home)
    w_home.push(space.w_nil)                           # not a SmallInteger
    assert fails(interp, 80, w_home, 1)
    frame = make_frame(space, space.wrap_point(1, 2), [i(space, 0)])
    frame.set_ip(5)
    assert fails(interp, 80, frame, 1)                 # not a context


# -- value / value: / valueWithArguments: ------------------------------------------------

def block_with_body(boot, body, nargs, tempcount=1):
    """A home whose method is the block body, and the block on it."""
    space = boot.space
    w_home = home_context(boot, body, tempcount=tempcount)
    return w_home, W_Context.block_context(space, w_home, nargs, w_home.ip)


def test_value_runs_the_block_and_answers_its_result(boot, interp):
    space = boot.space
    # [ 7 ] -- push literal 0, blockReturn
    w_home, w_block = block_with_body(boot, [], 0)
    w_method = boot.method([32, 125], literals=[7])
    w_home.store(space, constants.CTX_METHOD, w_method)
    w_block.store(space, constants.BLOCK_INITIAL_IP, i(space, w_method.initial_ip()))
    caller = make_frame(space, i(space, 100), [w_block])
    prim_table[81](interp, caller, 0)
    assert caller.sp == 2
    assert caller.top().value == 7
    assert caller.temp(0).value == 100           # the rest of the stack untouched
    assert w_block.fetch(space, constants.CTX_SENDER) is space.w_nil   # returned


def test_value_with_arguments_stores_them_for_the_body(boot, interp):
    space = boot.space
    # [:a :b | a - b]: popIntoTemp 1, popIntoTemp 0, push temp 0, push temp 1, -, blockReturn
    w_home, w_block = block_with_body(boot, [105, 104, 16, 17, 177, 125], 2,
                                      tempcount=2)
    caller = make_frame(space, w_block, [i(space, 10), i(space, 3)])
    prim_table[81](interp, caller, 2)
    assert caller.sp == 1
    assert caller.top().value == 7
    assert w_home.temp(0).value == 10 and w_home.temp(1).value == 3


def test_value_fails_on_argument_count_mismatch(boot, interp):
    space = boot.space
    w_home, w_block = block_with_body(boot, [104, 16, 125], 1)
    assert fails(interp, 81, make_frame(space, w_block, []), 0)
    assert fails(interp, 81, make_frame(space, w_block, [i(space, 1), i(space, 2)]), 2)
    w_home0, w_block0 = block_with_body(boot, [117, 125], 0)
    assert fails(interp, 81, make_frame(space, w_block0, [i(space, 1)]), 1)
    # a method context is not a block
    assert fails(interp, 81, make_frame(space, w_home, []), 0)
    assert fails(interp, 81, make_frame(space, space.w_nil, []), 0)
    # nothing ran: the home's temp is untouched
    assert w_home.fetch(space, constants.CTX_TEMP_FRAME_START) is space.w_nil


def test_value_with_arguments_takes_an_array(boot, interp):
    space = boot.space
    w_home, w_block = block_with_body(boot, [105, 104, 16, 17, 177, 125], 2,
                                      tempcount=2)
    w_args = space.wrap_list([i(space, 20), i(space, 5)])
    caller = make_frame(space, w_block, [w_args])
    prim_table[82](interp, caller, 1)
    assert caller.sp == 1 and caller.top().value == 15
    # wrong count, not an Array, not an Array of the right class
    assert fails(interp, 82, make_frame(space, w_block, [space.wrap_list([i(space, 1)])]), 1)
    assert fails(interp, 82, make_frame(space, w_block, [space.wrap_point(1, 2)]), 1)
    w_other = W_PointersObject(boot.classes['SystemDictionary'], 2, space.w_nil)
    w_other.store_field(0, i(space, 1))
    w_other.store_field(1, i(space, 2))
    assert fails(interp, 82, make_frame(space, w_block, [w_other]), 1)
    assert fails(interp, 82, make_frame(space, w_block, [w_args, w_args]), 2)
    assert fails(interp, 82, make_frame(space, i(space, 0), [w_block, w_args]), 2)


# -- perform: --------------------------------------------------------------------------------

@pytest.fixture
def minus_method(boot):
    """UndefinedObject>>a: x b: y  ^x - y"""
    space = boot.space
    w_method = boot.method([16, 17, 177, 124], argcount=2, selector='a:b:')
    boot.install_method(space.w_nil.getclass(space), 'a:b:', w_method)
    return w_method


def test_perform_with_arguments_shuffles_the_stack(boot, interp, minus_method):
    space = boot.space
    frame = make_frame(space, space.w_nil,
                       [boot.symbol('a:b:'), i(space, 10), i(space, 3)])
    prim_table[83](interp, frame, 3)
    assert frame.sp == 1
    assert frame.top().value == 7          # 10 - 3: the arguments kept their order


def test_perform_runs_primitives_too(boot, interp):
    space = boot.space
    w_si = space.w_SmallInteger
    boot.install_method(w_si, '+', boot.method([123], argcount=1, primitive=1,
                                               selector='+', w_class=w_si))
    boot.install_method(w_si, 'yourself', boot.method([120], selector='yourself'))
    frame = make_frame(space, i(space, 3), [boot.symbol('+'), i(space, 4)])
    prim_table[83](interp, frame, 2)
    assert frame.sp == 1 and frame.top().value == 7
    frame = make_frame(space, i(space, 3), [boot.symbol('yourself')])
    prim_table[83](interp, frame, 1)
    assert frame.sp == 1 and frame.top().value == 3


def test_perform_fails_on_argument_count_mismatch(boot, interp, minus_method):
    space = boot.space
    frame = make_frame(space, space.w_nil, [boot.symbol('a:b:'), i(space, 10)])
    assert fails(interp, 83, frame, 2)
    frame = make_frame(space, space.w_nil,
                       [boot.symbol('a:b:'), i(space, 1), i(space, 2), i(space, 3)])
    assert fails(interp, 83, frame, 4)
    assert fails(interp, 83, make_frame(space, space.w_nil, []), 0)


def test_perform_of_an_unknown_selector_is_a_does_not_understand(boot, interp):
    space = boot.space
    w_dnu = boot.method([16, 124], argcount=1, selector='doesNotUnderstand:')
    boot.install_method(boot.classes['Object'], 'doesNotUnderstand:', w_dnu)
    frame = make_frame(space, space.w_nil, [boot.symbol('zork:'), i(space, 42)])
    prim_table[83](interp, frame, 2)
    assert frame.sp == 1
    w_msg = frame.top()
    assert w_msg.getclass(space) is space.w_Message
    assert w_msg.fetch(space, constants.MESSAGE_SELECTOR) is boot.symbol('zork:')
    w_args = w_msg.fetch(space, constants.MESSAGE_ARGUMENTS)
    assert w_args.size() == 1 and w_args.fetch(space, 0).value == 42


def test_perform_with_arguments_array(boot, interp, minus_method):
    space = boot.space
    w_args = space.wrap_list([i(space, 30), i(space, 4)])
    frame = make_frame(space, space.w_nil, [boot.symbol('a:b:'), w_args])
    prim_table[84](interp, frame, 2)
    assert frame.sp == 1 and frame.top().value == 26
    short = space.wrap_list([i(space, 30)])
    assert fails(interp, 84, make_frame(space, space.w_nil, [boot.symbol('a:b:'), short]), 2)
    assert fails(interp, 84, make_frame(space, space.w_nil,
                                        [boot.symbol('a:b:'), space.wrap_point(1, 2)]), 2)
    assert fails(interp, 84, make_frame(space, space.w_nil, [boot.symbol('a:b:')]), 1)
    # Too many arguments for the caller's stack: fail rather than overflow it.
    w_many = space.wrap_list([i(space, k) for k in range(12)])
    assert fails(interp, 84, make_frame(space, space.w_nil, [boot.symbol('zork'), w_many]), 2)


# -- flushCache ------------------------------------------------------------------------------

def test_flush_cache_makes_a_changed_method_dictionary_visible(boot, interp):
    space = boot.space
    w_class = space.w_nil.getclass(space)
    w_one = boot.method([118, 124], selector='answer')
    w_two = boot.method([119, 124], selector='answer')
    boot.install_method(w_class, 'answer', w_one)
    w_sel = boot.symbol('answer')
    assert interp.perform(space.w_nil, w_sel, []).value == 1
    # Change the dictionary behind the VM's back, as the image's code does.
    w_md = w_class.fetch_field(constants.CLASS_METHODDICT)
    w_values = w_md.fetch_field(constants.METHODDICT_VALUES)
    k = [w_md.fetch_field(n) for n in range(2, w_md.size())].index(w_sel)
    w_values.store_field(k, w_two)
    assert interp.perform(space.w_nil, w_sel, []).value == 1     # still cached
    w_other = boot.symbol('yourself')
    interp.lookup.findNewMethodInClass(w_class, w_other)
    versions = (space.lookup_version, w_sel.lookup_version, w_other.lookup_version)
    frame = make_frame(space, space.w_nil, [])
    prim_table[89](interp, frame, 0)
    assert frame.sp == 1 and frame.top() is space.w_nil
    assert interp.perform(space.w_nil, w_sel, []).value == 2
    # Only the changed selector's JIT code goes: its version is new, the rest stay.
    assert w_sel.lookup_version is not versions[1]
    assert space.lookup_version is versions[0] and w_other.lookup_version is versions[2]


def test_flush_cache_after_a_superclass_change_invalidates_every_lookup(boot, interp):
    space = boot.space
    w_class = space.w_nil.getclass(space)
    w_sel = boot.symbol('answer2')
    boot.install_method(w_class, 'answer2', boot.method([118, 124], selector='answer2'))
    assert interp.perform(space.w_nil, w_sel, []).value == 1
    version = space.lookup_version
    w_super = w_class.fetch_field(constants.CLASS_SUPERCLASS)
    w_class.store_field(constants.CLASS_SUPERCLASS, space.w_nil)
    prim_table[89](interp, make_frame(space, space.w_nil, []), 0)
    assert space.lookup_version is not version
    w_class.store_field(constants.CLASS_SUPERCLASS, w_super)
    prim_table[89](interp, make_frame(space, space.w_nil, []), 0)
    assert interp.perform(space.w_nil, w_sel, []).value == 1
