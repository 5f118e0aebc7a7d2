"""Bytecode families, sends, blocks and returns on small synthetic methods."""

import pytest

from spyvm import constants
from spyvm.context import W_Context
from spyvm.error import FatalError
from spyvm.model import W_SmallInteger


def run(boot, interp, bytecodes, literals=None, receiver=None, args=(), tempcount=0,
        w_class=None, selector='test'):
    """Install the method in the receiver's class and send it."""
    space = boot.space
    if receiver is None:
        receiver = space.w_nil
    w_class = w_class or receiver.getclass(space)
    w_method = boot.method(bytecodes, literals, argcount=len(args),
                           tempcount=max(tempcount, len(args)), selector=selector)
    boot.install_method(w_class, selector, w_method)
    return interp.perform(receiver, boot.symbol(selector), list(args))


def ints(w_obj):
    assert isinstance(w_obj, W_SmallInteger)
    return w_obj.value


def test_push_constants_and_return(boot, interp):
    space = boot.space
    assert run(boot, interp, [112, 124]) is space.w_nil          # pushSelf returnTop
    assert run(boot, interp, [113, 124]) is space.w_true
    assert run(boot, interp, [114, 124]) is space.w_false
    assert run(boot, interp, [115, 124]) is space.w_nil
    assert [ints(run(boot, interp, [b, 124])) for b in range(116, 120)] == [-1, 0, 1, 2]
    assert run(boot, interp, [121]) is space.w_true              # returnTrue
    assert run(boot, interp, [122]) is space.w_false
    assert run(boot, interp, [123]) is space.w_nil
    w_three = space.wrap_int(3)
    assert ints(run(boot, interp, [120], receiver=w_three)) == 3  # returnSelf


def test_temps_and_arguments(boot, interp):
    space = boot.space
    args = [space.wrap_int(5), space.wrap_int(6)]
    assert ints(run(boot, interp, [17, 124], args=args, selector='a:b:')) == 6
    # temp2 := 1. ^temp2
    assert ints(run(boot, interp, [118, 106, 18, 124], args=args, tempcount=3,
                    selector='c:d:')) == 1


def test_receiver_variables(boot, interp):
    space = boot.space
    w_point = space.wrap_point(3, 4)
    assert ints(run(boot, interp, [1, 124], receiver=w_point)) == 4
    # x := 2 (popStoreRcvr 0) ; ^self
    run(boot, interp, [119, 96, 120], receiver=w_point, selector='setx')
    assert ints(w_point.fetch(space, 0)) == 2
    # extended store/pop store into receiver variable 1 (descriptor 0b00 000001)
    run(boot, interp, [116, 130, 1, 120], receiver=w_point, selector='sety')
    assert ints(w_point.fetch(space, 1)) == -1


def test_literals_and_literal_variables(boot, interp):
    space = boot.space
    w_assoc = boot.association('Global', space.wrap_int(42))
    assert ints(run(boot, interp, [33, 124], literals=[7, 9], selector='l1')) == 9
    assert ints(run(boot, interp, [64, 124], literals=[w_assoc], selector='l2')) == 42
    # extended push of literal variable 0 (descriptor 0b11 000000)
    assert ints(run(boot, interp, [128, 192, 124], literals=[w_assoc], selector='l3')) == 42
    # extended store into the literal variable, keeping the value on the stack
    w_result = run(boot, interp, [119, 129, 192, 124], literals=[w_assoc], selector='l4')
    assert ints(w_result) == 2 and ints(w_assoc.fetch(space, 1)) == 2


def test_stack_bytecodes(boot, interp):
    # push 1, dup, pop, push 2, pop -> 1
    assert ints(run(boot, interp, [118, 136, 135, 119, 135, 124])) == 1


def test_jumps_make_a_loop(boot, interp):
    # t0 := 0. [t0 < 10] whileTrue: [t0 := t0 + 1]. ^t0
    code = [117, 104,                  # 0: push 0, popStore t0
            16, 32, 178,               # 2: push t0, push 10, send <
            155,                       # 5: jumpFalse +4 -> 10
            16, 118, 176, 104,         # 6: t0 := t0 + 1
            163, 248,                  # 10: long jump -8 (back to 2)
            16, 124]
    # Fix the offsets: jumpFalse skips the body and the long jump (6 bytes).
    code[5] = 152 + 6 - 1
    code[10:12] = [160 + 3, 256 - 10 - 0]
    # long jump: offset = (3 - 4) * 256 + byte: back from 12 to 2 is -10.
    result = run(boot, interp, code, literals=[10], tempcount=1)
    assert ints(result) == 10


def test_backward_jumps_count_for_the_jit_unless_it_is_off(boot, interp, monkeypatch):
    from spyvm import interpreter
    entries = []
    monkeypatch.setattr(interpreter.jitdriver, 'can_enter_jit',
                        lambda **greens_and_reds: entries.append(greens_and_reds['ip']))
    code = [117, 104, 16, 32, 178, 157, 16, 118, 176, 104, 163, 246, 16, 124]
    assert ints(run(boot, interp, code, literals=[10], tempcount=1)) == 10
    # Each jump back to the loop's test, at one pc (counted from the method's header).
    assert len(entries) == 10 and len(set(entries)) == 1
    del entries[:]
    interp.options.set_jit_params('off')    # --jit off: not even the counters
    assert ints(run(boot, interp, code, literals=[10], tempcount=1)) == 10
    assert entries == []


def test_conditional_long_jumps(boot, interp):
    # push true; longJumpTrue +1 over (push 1; return); push 2; return
    assert ints(run(boot, interp, [113, 168, 2, 118, 124, 119, 124], selector='lj1')) == 2
    assert ints(run(boot, interp, [114, 168, 2, 118, 124, 119, 124], selector='lj2')) == 1
    assert ints(run(boot, interp, [114, 172, 2, 118, 124, 119, 124], selector='lj3')) == 2


def test_arithmetic_special_selectors_inline(boot, interp):
    space = boot.space
    three, four = space.wrap_int(3), space.wrap_int(4)
    assert ints(run(boot, interp, [16, 17, 176, 124], args=[three, four], selector='p:q:')) == 7
    assert run(boot, interp, [16, 17, 178, 124], args=[three, four], selector='r:s:') is space.w_true
    assert run(boot, interp, [16, 17, 198, 124], args=[three, three], selector='t:u:') is space.w_true


def test_overflow_falls_back_to_a_real_send(boot, interp):
    space = boot.space
    w_si = space.w_SmallInteger
    # SmallInteger>>+ with primitive 1; its fallback answers #overflow.
    w_plus = boot.method([32, 124], literals=['overflow'], argcount=1, primitive=1,
                         selector='+', w_class=w_si)
    boot.install_method(w_si, '+', w_plus)
    big = space.wrap_int(16383)
    result = run(boot, interp, [16, 118, 176, 124], args=[big], selector='inc:')
    assert result.as_string() == 'overflow'


def test_send_and_super_send(boot, interp):
    space = boot.space
    classes = boot.classes
    # Object>>foo ^1 ; Point>>foo ^super foo + 10
    w_obj_foo = boot.method([118, 124], selector='foo')
    boot.install_method(classes['Object'], 'foo', w_obj_foo)
    w_assoc = boot.association('Point', space.w_Point)
    w_point_foo = boot.method([112, 133, 0, 33, 176, 124],
                              literals=['foo', 10, w_assoc], selector='foo')
    boot.install_method(space.w_Point, 'foo', w_point_foo)
    w_point = space.wrap_point(0, 0)
    # send foo through the send0Lit bytecode
    assert ints(run(boot, interp, [16, 208, 124], literals=['foo'], args=[w_point],
                    selector='callfoo:')) == 11


def test_does_not_understand_builds_a_message(boot, interp):
    space = boot.space
    # Object>>doesNotUnderstand: aMessage  ^aMessage
    w_dnu = boot.method([16, 124], argcount=1, selector='doesNotUnderstand:')
    boot.install_method(boot.classes['Object'], 'doesNotUnderstand:', w_dnu)
    w_msg = run(boot, interp, [112, 118, 119, 240, 124], literals=['bar:baz:'])
    assert w_msg.getclass(space) is space.w_Message
    assert w_msg.fetch(space, 0).as_string() == 'bar:baz:'
    w_args = w_msg.fetch(space, 1)
    assert [ints(w_args.fetch(space, i)) for i in range(2)] == [1, 2]


def test_recursive_dnu_is_fatal(boot, interp):
    with pytest.raises(FatalError):
        run(boot, interp, [112, 208, 124], literals=['nothingHere'])


def block_code(body, nargs=0):
    """thisContext blockCopy: nargs, then jump over the block body."""
    return [137, 117 + nargs, 200, 164, len(body)] + body


def test_block_value_with_argument(boot, interp):
    # [:x | x + 1] value: 41    (x is temp 0 of the home)
    body = [104, 16, 118, 176, 125]
    code = block_code(body, 1) + [32, 202, 124]
    assert ints(run(boot, interp, code, literals=[41], tempcount=1)) == 42


def test_block_sees_and_changes_home_temps(boot, interp):
    # t0 := 5. [t0 := t0 + 1] value. ^t0
    body = [16, 118, 176, 129, 64, 125]      # extended store into temp 0
    code = [32, 104] + block_code(body) + [201, 135, 16, 124]
    assert ints(run(boot, interp, code, literals=[5], tempcount=1)) == 6


def test_non_local_return(boot, interp):
    # [^7] value. ^8
    body = [32, 124]
    code = block_code(body) + [201, 135, 33, 124]
    assert ints(run(boot, interp, code, literals=[7, 8])) == 7


def test_cannot_return_from_a_dead_home(boot, interp):
    space = boot.space
    from spyvm.error import Quit
    # makeBlock ^[^3]      ; then: (self makeBlock) value
    boot.install_method(space.w_nil.getclass(space), 'makeBlock',
                        boot.method(block_code([32, 124]) + [124], literals=[3],
                                    selector='makeBlock'))
    # BlockContext>>cannotReturn: v   Seen := v. self quitNow (primitive 113)
    w_seen = boot.association('Seen', space.w_nil)
    boot.install_method(space.w_BlockContext, 'cannotReturn:',
                        boot.method([16, 130, 192, 112, 209, 124], literals=[w_seen, 'quitNow'],
                                    argcount=1, selector='cannotReturn:'))
    boot.install_method(boot.classes['Object'], 'quitNow',
                        boot.method([120], primitive=113, selector='quitNow'))
    with pytest.raises(Quit):
        run(boot, interp, [112, 208, 201, 124], literals=['makeBlock'])
    assert ints(w_seen.fetch(space, 1)) == 3


def test_must_be_boolean(boot, interp):
    space = boot.space
    boot.install_method(space.w_SmallInteger, 'mustBeBoolean',
                        boot.method([32, 124], literals=['notBoolean'], selector='mustBeBoolean'))
    # push 1; jumpFalse +1: the send's result is left on the stack, the jump not taken
    result = run(boot, interp, [118, 152, 124, 124])
    assert result.as_string() == 'notBoolean'


def test_this_context_and_its_fields(boot, interp):
    space = boot.space
    w_ctx = run(boot, interp, [137, 124], args=[space.wrap_int(9)], selector='ctx:')
    assert isinstance(w_ctx, W_Context)
    assert w_ctx.getclass(space) is space.w_MethodContext
    assert ints(w_ctx.fetch(space, constants.CTX_TEMP_FRAME_START)) == 9
    # The returned context was nilled by the return (Blue Book returnValue:to:).
    assert w_ctx.fetch(space, constants.CTX_SENDER) is space.w_nil
    assert w_ctx.fetch(space, constants.CTX_IP) is space.w_nil


def test_a_method_that_makes_blocks_keeps_its_temps_in_the_heap(boot, interp):
    """Blocks read their home's temps from other traces; such a home keeps them
    outside the JIT's virtualizable stack. The image sees one context either way."""
    space = boot.space
    # ctx: a  | t |  t := 5. [t] value. ^thisContext
    code = [32, 105] + block_code([17, 125]) + [201, 135, 137, 124]
    w_ctx = run(boot, interp, code, literals=[5], args=[space.wrap_int(9)], tempcount=2,
                selector='ctx:')
    assert w_ctx.nheaptemps == 2
    assert [ints(w_ctx.temp(i)) for i in (0, 1)] == [9, 5]
    start = constants.CTX_TEMP_FRAME_START
    assert [ints(w_ctx.fetch(space, start + i)) for i in (0, 1)] == [9, 5]
    w_ctx.store(space, start + 1, space.wrap_int(6))
    assert ints(w_ctx.temp(1)) == 6 and w_ctx.nheaptemps == 2
    # A method without pushThisContext keeps them in the stack. (Its context,
    # as its callee sees it: probe  ^thisContext instVarAt: 1)
    boot.install_method(boot.classes['Object'], 'instVarAt:',
                        boot.method([120], argcount=1, primitive=73, selector='instVarAt:'))
    boot.install_method(boot.classes['Object'], 'probe',
                        boot.method([137, 118, 224, 124], literals=['instVarAt:'],
                                    selector='probe'))
    w_plain = run(boot, interp, [112, 208, 124], literals=['probe'], args=[space.wrap_int(9)],
                  selector='plain:')
    assert isinstance(w_plain, W_Context)
    assert w_plain.nheaptemps == 0 and ints(w_plain.temp(0)) == 9


def test_a_stack_pointer_below_the_heap_temps_joins_the_two(boot, interp):
    """If the image moves the stack pointer into the temps, the interpreter's
    pushes must land in the slots that the image reads: back to one array."""
    space = boot.space
    code = [32, 105] + block_code([17, 125]) + [137, 124]
    w_ctx = run(boot, interp, code, literals=[5], args=[space.wrap_int(9)], tempcount=2,
                selector='ctx:')
    w_ctx.store(space, constants.CTX_SP, space.wrap_int(1))
    assert w_ctx.nheaptemps == 0
    w_ctx.push(space.wrap_int(7))
    start = constants.CTX_TEMP_FRAME_START
    assert [ints(w_ctx.fetch(space, start + i)) for i in (0, 1)] == [9, 7]


def test_quick_methods(boot, interp):
    space = boot.space
    w_point = space.wrap_point(5, 6)
    # flag 6 (^instVar 1) and flag 5 (^self): headers built by hand
    from spyvm.model import W_CompiledMethod
    w_y = W_CompiledMethod(space.w_CompiledMethod, (6 << 12) | (1 << 7), [], '\x00\x00\x00')
    w_self = W_CompiledMethod(space.w_CompiledMethod, (5 << 12), [], '\x00\x00\x00')
    boot.install_method(space.w_Point, 'y', w_y)
    boot.install_method(space.w_Point, 'me', w_self)
    assert ints(interp.perform(w_point, boot.symbol('y'), [])) == 6
    assert interp.perform(w_point, boot.symbol('me'), []) is w_point


def test_deep_recursion_continues_from_the_heap(boot, interp):
    space = boot.space
    # down: n   n = 0 ifTrue: [^0]. ^(self down: n - 1) + 1   -- deeper than max_depth
    code = [16, 117, 182, 153, 117, 124,       # n = 0 ifTrue: [^0]
            112, 16, 118, 177, 224, 118, 176, 124]
    w_method = boot.method(code, literals=['down:'], argcount=1, selector='down:')
    boot.install_method(space.w_nil.getclass(space), 'down:', w_method)
    interp.max_depth = 20
    # Past max_depth the send unwinds to the trampoline; run it the way the VM does.
    w_bottom = W_Context.method_context(space, boot.method([0] * 8), space.w_nil, space.w_nil)
    w_bottom.push(space.w_nil)
    w_bottom.push(space.wrap_int(100))
    from spyvm.error import SwitchToContext, Return
    try:
        interp.sendSelector(w_bottom, boot.symbol('down:'), 1)
    except SwitchToContext as s:
        w_ctx = s.w_context
        while True:
            interp.depth = 0
            w_ctx.w_python_caller = None        # as in Interpreter.interpret
            try:
                interp.loop(w_ctx)
            except Return as r:
                if r.w_target is w_bottom:
                    w_bottom.push(r.w_value)
                    break
                r.w_target.push(r.w_value)
                w_ctx = r.w_target
            except SwitchToContext as s2:
                w_ctx = s2.w_context
    assert ints(w_bottom.pop()) == 100


def test_large_integer_primitives_can_be_turned_off(boot, interp):
    """--deterministic runs the image's fallback code for 21-37, like the
    reference VMs; normally the primitive answers."""
    space = boot.space
    w_lpi = space.w_LargePositiveInteger
    w_plus = boot.method([32, 124], literals=['fallback'], argcount=1, primitive=21,
                         selector='+', w_class=w_lpi)
    boot.install_method(w_lpi, '+', w_plus)
    w_big = space.wrap_int(80000)
    w_sum = interp.perform(w_big, boot.symbol('+'), [w_big])
    assert space.unwrap_large_or_small(w_sum) == 160000
    interp.options.large_integer_primitives = False
    assert interp.perform(w_big, boot.symbol('+'), [w_big]).as_string() == 'fallback'


# -- bad code: a Smalltalk error in the process, never a dead VM -----------------------

def install_error_method(boot):
    """Object>>error: answers its message (the image's opens a notifier)."""
    boot.install_method(boot.classes['Object'], 'error:',
                        boot.method([16, 124], argcount=1, selector='error:'))


def failure_of(boot, interp, bytecodes, literals=None, tempcount=0, receiver=None,
               selector='bad'):
    """Run a method that fails at a bytecode and then returns the top of its
    stack (what error: answered); the text of the error."""
    install_error_method(boot)
    w_text = run(boot, interp, bytecodes + [124], literals=literals, tempcount=tempcount,
                 receiver=receiver, selector=selector)
    return w_text.as_string()


@pytest.mark.parametrize('bytecodes, literals, at, why', [
    ([33], [5], 0, 'literal 1 out of range'),               # pushLit1, one literal
    ([65], [], 0, 'literal 1 out of range'),                # pushLitVar1
    ([112, 209], ['x'], 1, 'literal 1 out of range'),       # send0Lit1
    ([112, 131, 0x21], ['x'], 1, 'literal 1 out of range'),  # singleExtendedSend lit 1
    ([31], [], 0, 'temporary 15 out of range'),             # pushTemp15, 12 slots
    ([112, 129, 0x4F], [], 1, 'temporary 15 out of range'),  # extStore temp 15
    ([135], [], 0, 'stack underflow'),                      # pop on an empty stack
    ([126], [], 0, 'unknown bytecode 126'),
    ([112, 129, 0x80], [5], 1, 'a store into a literal constant'),
])
def test_bad_bytecodes_are_smalltalk_errors(boot, interp, bytecodes, literals, at, why):
    text = failure_of(boot, interp, bytecodes, literals)
    pc = 2 * (len(literals) + 1) + 1 + at                   # the failing bytecode's
    assert text.startswith(why + ' in ') and text.endswith('>>bad pc %d' % pc), text


def test_a_stack_past_the_frame_is_an_error(boot, interp):
    text = failure_of(boot, interp, [118] * 13)             # 13 pushes, 12 slots
    assert text.startswith('stack overflow in ')


def test_a_jump_out_of_the_method_is_an_error(boot, interp):
    install_error_method(boot)
    w_text = run(boot, interp, [151, 124], selector='far')   # jump 8 past the end
    assert w_text.as_string().startswith('pc ') and 'outside the method' in w_text.as_string()


def test_a_receiver_variable_past_the_fields_is_an_error(boot, interp):
    space = boot.space
    text = failure_of(boot, interp, [5], receiver=space.wrap_point(1, 2))   # pushRcvr5
    assert text.startswith('an object accessed outside its fields in ')


def test_a_super_send_in_a_method_without_literals_is_an_error(boot, interp):
    text = failure_of(boot, interp, [112, 133, 0x00], literals=['x'])  # singleExtendedSuper
    assert text.startswith('a super send in a method without its class')


def test_a_block_whose_home_is_not_a_context_fails_its_value(boot, interp):
    space = boot.space
    install_error_method(boot)
    w_home = W_Context.method_context(space, boot.method([124]), space.w_nil, space.w_nil)
    w_block = W_Context.block_context(space, w_home, 0, w_home.ip)
    w_block.store(space, constants.BLOCK_HOME, space.wrap_int(3))
    w_text = run(boot, interp, [16, 201, 124], args=[w_block], selector='v:')
    assert w_text.as_string().startswith(
        'a block context whose home is not a method context in ')


def test_without_error_the_vm_stops_with_one_line(boot, interp):
    with pytest.raises(FatalError) as e:
        run(boot, interp, [33, 124], literals=[5])           # no #error: in this space
    assert 'literal 1 out of range' in e.value.msg


def test_slots_never_written_answer_nil(boot, interp):
    """A temporary never stored, reached by the stack (here `class` on it, as
    bad code that pops into its temps would): nil, not a hole."""
    space = boot.space
    w_class = run(boot, interp, [199, 124], tempcount=1)     # class of temp 0
    assert w_class is space.w_nil.getclass(space)
    w_ctx = W_Context(space.w_MethodContext, 4, space.w_nil)    # as `new:` makes one
    w_ctx.store(space, constants.CTX_SP, space.wrap_int(2))
    assert w_ctx.pop() is space.w_nil and w_ctx.peek(0) is space.w_nil


def test_a_context_without_a_method_stops_the_vm_with_one_line(boot, interp):
    space = boot.space
    w_ctx = W_Context(space.w_MethodContext, 4, space.w_nil)    # method nil
    w_ctx.store(space, constants.CTX_IP, space.wrap_int(1))
    w_ctx.store(space, constants.CTX_SP, space.wrap_int(0))
    with pytest.raises(FatalError) as e:
        interp.interpret(w_ctx)
    assert e.value.msg == 'the active process cannot go on: a context without a method'
