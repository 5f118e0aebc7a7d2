"""Blue Book process scheduling (chapter 29) on a synthetic Processor:
semaphores, resume/suspend, preemption, and the asynchronous signals of IOState."""

import time

import pytest

from spyvm import constants
from spyvm.context import W_Context
from spyvm.error import PrimitiveFailedError, FatalError
from spyvm.interpreter import Interpreter
from spyvm.error import SwitchToContext
from spyvm.iostate import IOState, SECONDS_1901_TO_1970
from spyvm.model import W_PointersObject
from spyvm.primitives import prim_table


SIGNAL, WAIT, RESUME, SUSPEND = 85, 86, 87, 88


# -- building the process world by hand (not with the code under test) ----------

def processor(space):
    return space.w_scheduler_association.fetch(space, constants.ASSOCIATION_VALUE)


def ready_list(space, priority):
    w_lists = processor(space).fetch_field(constants.SCHEDULER_PROCESS_LISTS)
    return w_lists.fetch_field(priority - 1)


def active_process(space):
    return processor(space).fetch_field(constants.SCHEDULER_ACTIVE_PROCESS)


def new_context(space, marker=None):
    w_ctx = W_Context(space.w_MethodContext, 12, space.w_nil)
    w_ctx.set_ip(0)
    w_ctx.sp = 0
    if marker is not None:
        w_ctx.push(marker)
    return w_ctx


def new_process(boot, priority, name='p'):
    space = boot.space
    w_proc = W_PointersObject(boot.classes['Process'], 4, space.w_nil)
    w_proc.store_field(constants.PROCESS_SUSPENDED_CONTEXT,
                       new_context(space, space.wrap_string(name)))
    w_proc.store_field(constants.PROCESS_PRIORITY, space.wrap_int(priority))
    return w_proc


def new_semaphore(space, excess=0):
    w_sem = W_PointersObject(space.w_Semaphore, 3, space.w_nil)
    w_sem.store_field(constants.SEMAPHORE_EXCESS_SIGNALS, space.wrap_int(excess))
    return w_sem


def link_last(space, w_list, w_proc):
    if w_list.fetch_field(constants.LIST_FIRST) is space.w_nil:
        w_list.store_field(constants.LIST_FIRST, w_proc)
    else:
        w_list.fetch_field(constants.LIST_LAST).store_field(constants.LINK_NEXT, w_proc)
    w_list.store_field(constants.LIST_LAST, w_proc)
    w_proc.store_field(constants.PROCESS_MY_LIST, w_list)


def contents(space, w_list):
    """The links of a LinkedList, checking that lastLink is the last one."""
    result = []
    w_link = w_list.fetch_field(constants.LIST_FIRST)
    while w_link is not space.w_nil:
        result.append(w_link)
        w_link = w_link.fetch_field(constants.LINK_NEXT)
    if result:
        assert w_list.fetch_field(constants.LIST_LAST) is result[-1]
    else:
        assert w_list.fetch_field(constants.LIST_LAST) is space.w_nil
    return result


def excess(space, w_sem):
    return w_sem.fetch_field(constants.SEMAPHORE_EXCESS_SIGNALS).value


def start(boot, priority=4):
    """The active process and the context it is running."""
    space = boot.space
    w_active = new_process(boot, priority, 'active')
    processor(space).store_field(constants.SCHEDULER_ACTIVE_PROCESS, w_active)
    return w_active, new_context(space)


def call(interp, index, frame, w_rcvr):
    """Push the receiver and run the primitive; answer the context switched to, or None."""
    frame.push(w_rcvr)
    try:
        prim_table[index](interp, frame, 0)
    except SwitchToContext as s:
        return s.w_context
    return None


def suspended_context(w_proc):
    return w_proc.fetch_field(constants.PROCESS_SUSPENDED_CONTEXT)


# -- semaphores -----------------------------------------------------------------------

def test_signal_without_waiters_counts_excess_signals(boot, interp):
    space = boot.space
    w_active, frame = start(boot)
    w_sem = new_semaphore(space)
    assert call(interp, SIGNAL, frame, w_sem) is None
    assert frame.sp == 1 and frame.top() is w_sem         # signal answers the receiver
    frame.pop()
    assert call(interp, SIGNAL, frame, w_sem) is None
    assert excess(space, w_sem) == 2
    assert active_process(space) is w_active


def test_wait_consumes_an_excess_signal(boot, interp):
    space = boot.space
    w_active, frame = start(boot)
    w_sem = new_semaphore(space, excess=2)
    assert call(interp, WAIT, frame, w_sem) is None
    assert excess(space, w_sem) == 1
    assert frame.top() is w_sem
    assert active_process(space) is w_active
    assert contents(space, w_sem) == []


def test_wait_without_signals_suspends_the_active_process(boot, interp):
    space = boot.space
    w_active, frame = start(boot, priority=4)
    w_low = new_process(boot, 2, 'low')
    w_mid = new_process(boot, 3, 'mid')
    link_last(space, ready_list(space, 2), w_low)
    link_last(space, ready_list(space, 3), w_mid)
    w_sem = new_semaphore(space)
    w_switched = call(interp, WAIT, frame, w_sem)
    # The highest-priority ready process runs now.
    assert w_switched is suspended_context(w_mid)
    assert active_process(space) is w_mid
    assert contents(space, ready_list(space, 3)) == []
    assert contents(space, ready_list(space, 2)) == [w_low]
    assert w_mid.fetch_field(constants.LINK_NEXT) is space.w_nil
    # The waiter keeps its context (with the receiver on its stack) and is queued.
    assert suspended_context(w_active) is frame
    assert frame.top() is w_sem
    assert contents(space, w_sem) == [w_active]
    assert w_active.fetch_field(constants.PROCESS_MY_LIST) is w_sem
    assert excess(space, w_sem) == 0
    assert interp.ioc.scheduler.new_process is None


def test_waiters_queue_at_the_end_of_the_semaphore(boot, interp):
    space = boot.space
    w_first = new_process(boot, 3, 'first')
    w_sem = new_semaphore(space)
    link_last(space, w_sem, w_first)
    w_active, frame = start(boot, priority=3)
    link_last(space, ready_list(space, 1), new_process(boot, 1, 'idle'))
    assert call(interp, WAIT, frame, w_sem) is not None
    assert contents(space, w_sem) == [w_first, w_active]


def test_signal_resuming_a_higher_priority_process_preempts(boot, interp):
    space = boot.space
    w_active, frame = start(boot, priority=4)
    w_peer = new_process(boot, 4, 'peer')
    link_last(space, ready_list(space, 4), w_peer)
    w_high = new_process(boot, 5, 'high')
    w_sem = new_semaphore(space)
    link_last(space, w_sem, w_high)
    w_switched = call(interp, SIGNAL, frame, w_sem)
    assert w_switched is suspended_context(w_high)
    assert active_process(space) is w_high
    assert contents(space, w_sem) == []
    assert excess(space, w_sem) == 0
    # The preempted process goes to the back of its ready list.
    assert contents(space, ready_list(space, 4)) == [w_peer, w_active]
    assert w_active.fetch_field(constants.PROCESS_MY_LIST) is ready_list(space, 4)
    assert suspended_context(w_active) is frame
    assert frame.top() is w_sem


def test_signal_resuming_a_lower_priority_process_only_queues_it(boot, interp):
    space = boot.space
    w_active, frame = start(boot, priority=4)
    for priority in (3, 4):                 # lower, and equal: no preemption
        w_other = new_process(boot, priority, 'other')
        w_sem = new_semaphore(space)
        link_last(space, w_sem, w_other)
        assert call(interp, SIGNAL, frame, w_sem) is None
        frame.pop()
        assert active_process(space) is w_active
        assert contents(space, ready_list(space, priority)) == [w_other]
        assert w_other.fetch_field(constants.PROCESS_MY_LIST) is ready_list(space, priority)
        assert contents(space, w_sem) == [] and excess(space, w_sem) == 0
    assert suspended_context(w_active) is not frame


def test_equal_priorities_run_in_fifo_order(boot, interp):
    space = boot.space
    w_active, frame = start(boot, priority=4)
    w_a = new_process(boot, 3, 'a')
    w_b = new_process(boot, 3, 'b')
    w_sem = new_semaphore(space)
    link_last(space, w_sem, w_a)
    link_last(space, w_sem, w_b)
    assert call(interp, SIGNAL, frame, w_sem) is None      # wakes the first waiter
    frame.pop()
    assert contents(space, w_sem) == [w_b]
    assert contents(space, ready_list(space, 3)) == [w_a]
    assert call(interp, SIGNAL, frame, w_sem) is None
    frame.pop()
    assert contents(space, ready_list(space, 3)) == [w_a, w_b]
    # The active process waits: a runs first, then (when a waits) b.
    w_other_sem = new_semaphore(space)
    assert call(interp, WAIT, frame, w_other_sem) is suspended_context(w_a)
    ctx_a = suspended_context(w_a)
    assert call(interp, WAIT, ctx_a, w_other_sem) is suspended_context(w_b)
    assert active_process(space) is w_b
    assert contents(space, w_other_sem) == [w_active, w_a]


def test_waiting_with_nothing_runnable_is_fatal(boot, interp):
    space = boot.space
    w_active, frame = start(boot)
    with pytest.raises(FatalError):
        call(interp, WAIT, frame, new_semaphore(space))


def test_signal_and_wait_fail_on_non_semaphores(boot, interp):
    space = boot.space
    w_active, frame = start(boot)
    w_not = W_PointersObject(boot.classes['LinkedList'], 3, space.w_nil)
    for index in (SIGNAL, WAIT):
        frame.sp = 0
        with pytest.raises(PrimitiveFailedError):
            call(interp, index, frame, w_not)
        assert frame.sp == 1 and frame.top() is w_not


# -- resume / suspend ---------------------------------------------------------------------

def test_resume_a_higher_priority_process_preempts(boot, interp):
    space = boot.space
    w_active, frame = start(boot, priority=4)
    w_high = new_process(boot, 6, 'high')
    w_switched = call(interp, RESUME, frame, w_high)
    assert w_switched is suspended_context(w_high)
    assert active_process(space) is w_high
    assert contents(space, ready_list(space, 4)) == [w_active]
    assert suspended_context(w_active) is frame


def test_resume_a_lower_priority_process_queues_it(boot, interp):
    space = boot.space
    w_active, frame = start(boot, priority=4)
    w_low = new_process(boot, 2, 'low')
    assert call(interp, RESUME, frame, w_low) is None
    assert frame.sp == 1 and frame.top() is w_low
    assert active_process(space) is w_active
    assert contents(space, ready_list(space, 2)) == [w_low]
    assert w_low.fetch_field(constants.PROCESS_MY_LIST) is ready_list(space, 2)


def test_suspend_fails_unless_the_receiver_is_active(boot, interp):
    space = boot.space
    w_active, frame = start(boot, priority=4)
    w_other = new_process(boot, 3, 'other')
    link_last(space, ready_list(space, 3), w_other)
    with pytest.raises(PrimitiveFailedError):
        call(interp, SUSPEND, frame, w_other)
    assert frame.sp == 1 and frame.top() is w_other
    assert active_process(space) is w_active
    assert contents(space, ready_list(space, 3)) == [w_other]


def test_suspend_the_active_process(boot, interp):
    space = boot.space
    w_active, frame = start(boot, priority=4)
    w_other = new_process(boot, 3, 'other')
    link_last(space, ready_list(space, 3), w_other)
    w_switched = call(interp, SUSPEND, frame, w_active)
    assert w_switched is suspended_context(w_other)
    assert active_process(space) is w_other
    # suspend answers nil (when the process is resumed some day)
    assert frame.sp == 1 and frame.top() is space.w_nil
    assert suspended_context(w_active) is frame
    for priority in range(1, 9):
        assert w_active not in contents(space, ready_list(space, priority))


# -- asynchronous signals (IOState) ----------------------------------------------------------

def test_input_words_signal_the_input_semaphore_once_per_word(boot, interp):
    space = boot.space
    ioc = interp.ioc
    start(boot)
    w_sem = new_semaphore(space)
    ioc.queue_input_word(0x1234)         # no semaphore yet (boot): dropped
    ioc.set_input_semaphore(w_sem)
    ioc.queue_input_word(0x4021)
    ioc.queue_input_word(0x5021)
    assert excess(space, w_sem) == 0      # only delivered at the next poll
    ioc.poll(interp)
    assert excess(space, w_sem) == 2
    ioc.poll(interp)
    assert excess(space, w_sem) == 2
    assert [ioc.next_input_word() for _ in range(3)] == [0x4021, 0x5021, -1]
    # A new semaphore (a new input process) starts from an empty queue.
    ioc.queue_input_word(0x1111)
    ioc.set_input_semaphore(new_semaphore(space))
    assert ioc.next_input_word() == -1


def test_input_signal_preempts_at_the_interrupt_check(boot, interp):
    space = boot.space
    ioc = interp.ioc
    w_active, frame = start(boot, priority=4)
    w_input = new_process(boot, 7, 'input')
    w_sem = new_semaphore(space)
    link_last(space, w_sem, w_input)
    ioc.w_input_semaphore = w_sem
    ioc.queue_input_word(7)
    interp.interrupt_countdown = 1
    with pytest.raises(SwitchToContext) as e:
        interp.checkForInterrupts(frame)
    assert e.value.w_context is suspended_context(w_input)
    assert active_process(space) is w_input
    assert suspended_context(w_active) is frame
    assert contents(space, ready_list(space, 4)) == [w_active]


def test_deterministic_clock_and_timer(boot):
    space = boot.space
    ioc = IOState(space, deterministic=True)
    interp = Interpreter(space, ioc)
    start(boot)
    assert [ioc.milliseconds() for _ in range(3)] == [1, 2, 3]
    assert ioc.seconds() == 0
    w_sem = new_semaphore(space)
    ioc.w_timer_semaphore = w_sem
    ioc.timer_ms = 0                      # long due
    for _ in range(3):
        ioc.poll(interp)
    assert excess(space, w_sem) == 0
    assert ioc.w_timer_semaphore is w_sem


def test_real_clock_and_timer(boot):
    space = boot.space
    ioc = IOState(space, deterministic=False)
    interp = Interpreter(space, ioc)
    start(boot)
    assert abs(ioc.seconds() - (time.time() + SECONDS_1901_TO_1970)) < 5
    t0 = ioc.milliseconds()
    assert 0 <= t0 < 60000
    w_sem = new_semaphore(space)
    ioc.w_timer_semaphore = w_sem
    ioc.timer_ms = t0 + 10 ** 7           # not due
    ioc.poll(interp)
    assert excess(space, w_sem) == 0
    ioc.timer_ms = ioc.milliseconds()     # due now
    ioc.poll(interp)
    assert excess(space, w_sem) == 1
    assert ioc.w_timer_semaphore is None  # it fires once
    ioc.poll(interp)
    assert excess(space, w_sem) == 1


def test_low_space_semaphore_is_signalled_once(boot, interp):
    space = boot.space
    ioc = interp.ioc
    start(boot)
    w_sem = new_semaphore(space)
    ioc.w_low_space_semaphore = w_sem
    ioc.low_space_oops = space.oops_left() - 10      # plenty left: no signal
    ioc.poll(interp)
    assert excess(space, w_sem) == 0
    ioc.low_space_oops = space.oops_left() + 1       # below the limit
    ioc.poll(interp)
    ioc.poll(interp)
    assert excess(space, w_sem) == 1
    assert ioc.w_low_space_semaphore is None
