"""The meta-tracing JIT on small synthetic methods (RPython's LLJitMixin).

These pin the shape of the trace of a simple loop: no frame or integer
allocation, no method lookup or primitive call left, and one
guard_not_invalidated for the quasi-immutable lookup version and method fields.
"""

import pytest

from rpython.jit.metainterp.test.support import LLJitMixin, get_stats

from spyvm.bootstrap import Bootstrap
from spyvm.interpreter import Interpreter
from spyvm.iostate import IOState


pytestmark = pytest.mark.jit


def install_loop(boot, selector, code, tempcount, literals=None):
    """Install code as SmallInteger>>selector (one argument, n) and answer
    what run_loop needs: the space, an interpreter and the selector."""
    space = boot.space
    w_method = boot.method(code, literals=literals, argcount=1, tempcount=tempcount,
                           selector=selector)
    boot.install_method(space.w_SmallInteger, selector, w_method)
    interp = Interpreter(space, IOState(space, deterministic=True))
    return space, interp, boot.symbol(selector)


def setup_counting_loop():
    """count: n   | i |  i := 0. [i < n] whileTrue: [i := i + 1]. ^i"""
    boot = Bootstrap()
    code = [117, 105,                   # i := 0
            17, 16, 178,                # i < n
            172, 6,                     # longJumpFalse +6 (out of the loop)
            17, 118, 176, 105,          # i := i + 1
            163, 245,                   # longJump -11 (back to i < n)
            17, 124]                    # ^i
    return install_loop(boot, 'count:', code, tempcount=2)


def setup_loop_sending(selector, send_bytecode, literals):
    """A loop that sends `selector` (an increment method) each time:
    <selector> x  ^x + 1     sum: n  | i |  i := 0. [i < n] whileTrue: [i := self <selector> i]. ^i"""
    boot = Bootstrap()
    space = boot.space
    w_callee = boot.method([16, 118, 176, 124], argcount=1, selector=selector)
    boot.install_method(space.w_SmallInteger, selector, w_callee)
    code = [117, 105,
            17, 16, 178,
            172, 6,                     # out of the loop
            112, 17, send_bytecode, 105,  # i := self <selector> i
            163, 245,                   # back to i < n
            17, 124]
    return install_loop(boot, 'sum:', code, tempcount=2, literals=literals)


def setup_send_loop():
    """A loop that sends a user method each time (inc:, a literal selector,
    bytecode 224): the callee is inlined."""
    return setup_loop_sending('inc:', 224, ['inc:'])


def setup_special_send_loop():
    """The same with a special selector (at:, bytecode 192) that no primitive
    answers for a SmallInteger receiver: its selector comes from the
    specialSelectors array, and must still be a constant in the trace."""
    return setup_loop_sending('at:', 192, None)


def setup_block_with_a_loop():
    """A block whose body loops, evaluated again and again: its loop is
    compiled with the block as the trace's frame.
        run: n  | b i j |
            b := [j := 0. [j < 100] whileTrue: [j := j + 1]. j].
            i := 0. [i < n] whileTrue: [i := i + b value - 99]. ^i"""
    boot = Bootstrap()
    body = [117, 107,                   # j := 0
            19, 32, 178,                # j < 100
            172, 6,                     # out of the block's loop
            19, 118, 176, 107,          # j := j + 1
            163, 245,                   # back to j < 100
            19, 125]                    # ^j (to the sender)
    code = [137, 117, 200, 164, len(body)] + body + [105,  # b := [...]
            117, 106,                   # i := 0
            18, 16, 178,                # i < n
            172, 9,                     # out of the loop
            18, 17, 201, 176, 33, 177, 106,  # i := i + b value - 99
            163, 242,                   # back to i < n
            18, 124]                    # ^i
    return install_loop(boot, 'run:', code, tempcount=4, literals=[100, 99])


def setup_non_local_return_from_a_loop():
    """A non-local return from a block run by a loop in another method: it
    returns to the trace's frame, which must stay virtual.
        upTo: n do: aBlock  | j |  j := 0. [j < n] whileTrue: [aBlock value: j. j := j + 1]
        find: k  self upTo: 100 do: [:j | j = k ifTrue: [^j]]. ^0
        run: n  | i |  i := 0. [i < n] whileTrue: [i := i + (self find: 7) - 6]. ^i"""
    boot = Bootstrap()
    space = boot.space
    up_to_do = [117, 106,               # j := 0
                18, 16, 178,            # j < n
                172, 10,                # out of the loop
                17, 18, 202, 135,       # aBlock value: j
                18, 118, 176, 106,      # j := j + 1
                163, 241,               # back to j < n
                120]                    # ^self
    boot.install_method(space.w_SmallInteger, 'upTo:do:',
                        boot.method(up_to_do, argcount=2, tempcount=3, selector='upTo:do:'))
    block = [105,                       # j (the block's argument)
             17, 16, 182,               # j = k
             153, 17, 124,              # ifTrue: [^j] (to find:'s sender)
             115, 125]                  # nil
    find = [112, 32, 137, 118, 200, 164, len(block)] + block + [241, 135, 117, 124]
    boot.install_method(space.w_SmallInteger, 'find:',
                        boot.method(find, literals=[100, 'upTo:do:'], argcount=1,
                                    tempcount=2, selector='find:'))
    run = [117, 105,                    # i := 0
           17, 16, 178,                 # i < n
           172, 10,                     # out of the loop
           17, 112, 32, 226, 176, 33, 177, 105,  # i := i + (self find: 7) - 6
           163, 241,                    # back to i < n
           17, 124]                     # ^i
    return install_loop(boot, 'run:', run, tempcount=2, literals=[7, 6, 'find:'])


def setup_at_loop():
    """A loop that reads an Array with at: (primitive 60, a SmallInteger index):
        run: n  | i s |  i := 0. s := 0.
            [i < n] whileTrue: [s := s + (Items at: (i bitAnd: 3) + 1). i := i + 1]. ^s"""
    boot = Bootstrap()
    space = boot.space
    boot.install_method(boot.classes['Object'], 'at:',
                        boot.method([112, 124], primitive=60, argcount=1, selector='at:'))
    w_items = space.wrap_list([space.wrap_int(1)] * 4)
    code = [117, 105,                   # i := 0
            117, 106,                   # s := 0
            17, 16, 178,                # i < n
            172, 16,                    # out of the loop
            18, 32, 17, 33, 190, 118, 176, 192, 176, 106,
                                        # s := s + (Items at: (i bitAnd: 3) + 1)
            17, 118, 176, 105,          # i := i + 1
            163, 235,                   # back to i < n
            18, 124]                    # ^s
    return install_loop(boot, 'run:', code, tempcount=3, literals=[w_items, 3])


def setup_large_counting_loop():
    """The counting loop from 20,000 on: LargePositiveIntegers, whose < and +
    are primitives 23 and 21 (sends to LargePositiveInteger).
        count: n   | i |  i := 20000. [i < n] whileTrue: [i := i + 1]. ^i"""
    boot = Bootstrap()
    space = boot.space
    w_lpi = space.w_LargePositiveInteger
    for selector, primitive in [('<', 23), ('+', 21)]:
        boot.install_method(w_lpi, selector, boot.method([112, 124], primitive=primitive,
                                                         argcount=1, selector=selector,
                                                         w_class=w_lpi))
    code = [32, 105,                    # i := 20000
            17, 16, 178,                # i < n
            172, 6,                     # out of the loop
            17, 118, 176, 105,          # i := i + 1
            163, 245,                   # back to i < n
            17, 124]                    # ^i
    return install_loop(boot, 'count:', code, tempcount=2,
                        literals=[space.wrap_int(20000)])


class TestLoops(LLJitMixin):

    def run_loop(self, setup, n):
        space, interp, w_selector = setup()

        def f(n):
            w_result = interp.perform(space.wrap_int(0), w_selector, [space.wrap_int(n)])
            return space.unwrap_int(w_result)

        assert f(50) == 50                 # untranslated, before the JIT
        result = self.meta_interp(f, [n], listops=True, backendopt=True, inline=True)
        assert result == n

    def test_simple_loop_trace_shape(self):
        self.run_loop(setup_counting_loop, 3000)
        assert len(get_stats().get_all_loops()) == 1      # one loop (plus its exit bridge)
        # No allocation at all: frames and SmallIntegers stay virtual.
        self.check_simple_loop(new_with_vtable=0, new=0, new_array=0,
                               call_r=0, call_i=0, call_n=0,
                               call_may_force_r=0, call_may_force_n=0)
        self.check_resops(guard_not_invalidated=2)      # preamble + loop
        self.check_simple_loop(int_add=1, int_lt=1)     # i < n, i + 1
        self.check_simple_loop(setfield_gc=1)           # only the interrupt countdown
        # whose end is a conditional call: no guard that fails every 1000 jumps
        self.check_simple_loop(cond_call=1)

    def test_large_integer_loop_allocates_nothing(self):
        """LargeIntegers that fit in a machine word stay in registers: the
        counter's intermediate values are never allocated."""
        space, interp, w_selector = setup_large_counting_loop()

        def f(n):
            w_result = interp.perform(space.wrap_int(0), w_selector, [space.wrap_int(n)])
            return space.unwrap_large_or_small(w_result)

        assert f(20050) == 20050
        assert self.meta_interp(f, [23000], listops=True, backendopt=True,
                                inline=True) == 23000
        self.check_simple_loop(new_with_vtable=0, new=0, new_array=0,
                               call_r=0, call_i=0, call_n=0,
                               call_may_force_r=0, call_may_force_n=0)
        self.check_simple_loop(int_add=1)              # the increment, in a register

    def test_send_in_loop_is_inlined(self):
        self.check_inlined_send_loop(setup_send_loop)

    def test_special_selector_send_is_inlined(self):
        self.check_inlined_send_loop(setup_special_send_loop)

    def check_inlined_send_loop(self, setup):
        self.run_loop(setup, 3000)
        # The loop of sum: with inc: inlined into it (the callee may also get
        # an entry trace of its own, traced from its first bytecode).
        loops = [loop for loop in get_stats().get_all_loops()
                 if any(op.getopname() == 'enter_portal_frame' for op in loop.operations)]
        assert len(loops) == 1
        ops = [op.getopname() for op in loops[0].operations]
        body = ops[len(ops) - 1 - ops[::-1].index('label'):]      # the peeled loop
        for forbidden in ['new_with_vtable', 'new', 'new_array', 'call_r', 'call_i',
                          'call_n', 'call_may_force_r', 'call_may_force_n',
                          'call_assembler_r', 'call_assembler_n', 'force_token']:
            assert forbidden not in body, forbidden
        assert body.count('guard_not_invalidated') == 1
        assert 'enter_portal_frame' in body and 'int_add' in body

    def test_a_block_used_again_is_not_forced(self, monkeypatch):
        """A trace that ends in its frame's return leaves the frame's fields
        in its dead JIT frame, to be fetched ('forced') at the next access.
        A block is activated again at each value; its return writes them back,
        so no activation pays for a force."""
        from rpython.jit.metainterp.compile import ResumeGuardForcedDescr
        forces = []
        force_now = ResumeGuardForcedDescr.force_now

        def counting_force_now(cpu, token):
            forces.append(token)
            return force_now(cpu, token)
        monkeypatch.setattr(ResumeGuardForcedDescr, 'force_now', staticmethod(counting_force_now))
        self.run_loop(setup_block_with_a_loop, 400)
        assert forces == []

    def test_non_local_return_does_not_force_its_target(self):
        """The loop of upTo:do: runs as a call from the trace of run: (a loop
        in an inlined frame is entered, not inlined); its block returns to
        run:'s frame, the trace's virtualizable. Testing that the target is
        alive must not read (and so force) it: no trace is aborted for an
        escaped virtualizable."""
        self.run_loop(setup_non_local_return_from_a_loop, 300)
        self.check_aborted_count(0)

    def test_at_with_a_small_integer_index_calls_nothing(self):
        """at: unwraps its index inline (the LargeInteger case, with its
        loops, is a function apart): the loop reads the Array, calls nothing."""
        self.run_loop(setup_at_loop, 300)
        self.check_simple_loop(call_i=0, call_r=0, call_n=0, getarrayitem_gc_r=1)
