"""The meta-tracing JIT on small synthetic methods (RPython's LLJitMixin).

These pin the shape of the trace of a simple loop: no frame or integer
allocation, no method lookup or primitive call left, and one
guard_not_invalidated for the quasi-immutable lookup version and method fields.
"""

import pytest

from rpython.jit.metainterp.test.support import LLJitMixin, get_stats

from spyvm import primitives
from spyvm.bootstrap import Bootstrap
from spyvm.interpreter import Interpreter
from spyvm.iostate import IOState

primitives.load_all()

pytestmark = pytest.mark.jit


def setup_counting_loop():
    """count: n   | i |  i := 0. [i < n] whileTrue: [i := i + 1]. ^i"""
    boot = Bootstrap()
    space = boot.space
    code = [117, 105,                   # i := 0
            17, 16, 178,                # i < n
            172, 6,                     # longJumpFalse +6 (out of the loop)
            17, 118, 176, 105,          # i := i + 1
            163, 245,                   # longJump -11 (back to i < n)
            17, 124]                    # ^i
    w_method = boot.method(code, argcount=1, tempcount=2, selector='count:')
    boot.install_method(space.w_SmallInteger, 'count:', w_method)
    interp = Interpreter(space, IOState(space, deterministic=True))
    return space, interp, boot.symbol('count:')


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
    w_method = boot.method(code, literals=literals, argcount=1, tempcount=2,
                           selector='sum:')
    boot.install_method(space.w_SmallInteger, 'sum:', w_method)
    interp = Interpreter(space, IOState(space, deterministic=True))
    return space, interp, boot.symbol('sum:')


def setup_send_loop():
    """A loop that sends a user method each time (inc:, a literal selector,
    bytecode 224): the callee is inlined."""
    return setup_loop_sending('inc:', 224, ['inc:'])


def setup_special_send_loop():
    """The same with a special selector (at:, bytecode 192) that no primitive
    answers for a SmallInteger receiver: its selector comes from the
    specialSelectors array, and must still be a constant in the trace."""
    return setup_loop_sending('at:', 192, None)


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
