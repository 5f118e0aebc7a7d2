"""Process scheduling (Blue Book chapter 29): ready lists, semaphores, switches.

As in the book, a switch is first only recorded (transfer_to sets new_process,
"newProcessWaiting"), and check_process_switch performs it at the next safe
point: it stores the active context into the old process and raises
SwitchToContext, which unwinds the Python stack to the interpreter's trampoline.
"""

from rpython.rlib import jit
from spyvm import constants
from spyvm.context import W_Context
from spyvm.error import FatalError, SwitchToContext
from spyvm.model import W_PointersObject


class Scheduler(object):
    def __init__(self, space):
        self.space = space
        self.new_process = None

    def processor(self):
        w_sched = self.space.w_scheduler_association.fetch(self.space, constants.ASSOCIATION_VALUE)
        assert isinstance(w_sched, W_PointersObject)
        return w_sched

    def active_process(self):
        if self.new_process is not None:
            return self.new_process
        return self.processor().fetch_field(constants.SCHEDULER_ACTIVE_PROCESS)

    def priority_of(self, w_process):
        return self.space.unwrap_int(w_process.fetch(self.space, constants.PROCESS_PRIORITY))

    # -- linked lists -------------------------------------------------------
    def is_empty_list(self, w_list):
        return w_list.fetch(self.space, constants.LIST_FIRST) is self.space.w_nil

    def add_last_link(self, w_link, w_list):
        space = self.space
        if self.is_empty_list(w_list):
            w_list.store(space, constants.LIST_FIRST, w_link)
        else:
            w_last = w_list.fetch(space, constants.LIST_LAST)
            w_last.store(space, constants.LINK_NEXT, w_link)
        w_list.store(space, constants.LIST_LAST, w_link)
        w_link.store(space, constants.PROCESS_MY_LIST, w_list)

    def remove_first_link(self, w_list):
        space = self.space
        w_first = w_list.fetch(space, constants.LIST_FIRST)
        w_last = w_list.fetch(space, constants.LIST_LAST)
        if w_first is w_last:
            w_list.store(space, constants.LIST_FIRST, space.w_nil)
            w_list.store(space, constants.LIST_LAST, space.w_nil)
        else:
            w_list.store(space, constants.LIST_FIRST, w_first.fetch(space, constants.LINK_NEXT))
        w_first.store(space, constants.LINK_NEXT, space.w_nil)
        return w_first

    # -- scheduling ---------------------------------------------------------------
    def ready_list(self, priority):
        w_lists = self.processor().fetch_field(constants.SCHEDULER_PROCESS_LISTS)
        return w_lists.fetch(self.space, priority - 1)

    def sleep(self, w_process):
        self.add_last_link(w_process, self.ready_list(self.priority_of(w_process)))

    def wake_highest_priority(self):
        w_lists = self.processor().fetch_field(constants.SCHEDULER_PROCESS_LISTS)
        priority = w_lists.size()
        while priority > 0:
            w_list = w_lists.fetch(self.space, priority - 1)
            if not self.is_empty_list(w_list):
                return self.remove_first_link(w_list)
            priority -= 1
        raise FatalError('no runnable process (all processes are waiting)')

    def others_ready(self):
        """Does a process wait for its turn at the active process's priority
        (or above: a switch not yet performed)?"""
        if self.new_process is not None:
            return True
        w_active = self.active_process()
        if not isinstance(w_active, W_PointersObject):
            return False
        w_lists = self.processor().fetch_field(constants.SCHEDULER_PROCESS_LISTS)
        priority = self.priority_of(w_active)
        if not isinstance(w_lists, W_PointersObject) or not 0 < priority <= w_lists.size():
            return False
        return not self.is_empty_list(w_lists.fetch(self.space, priority - 1))

    def transfer_to(self, w_process):
        self.new_process = w_process

    def suspend_active(self):
        self.transfer_to(self.wake_highest_priority())

    def resume(self, w_process):
        w_active = self.active_process()
        if self.priority_of(w_process) > self.priority_of(w_active):
            self.sleep(w_active)
            self.transfer_to(w_process)
        else:
            self.sleep(w_process)

    def synchronous_signal(self, w_semaphore):
        space = self.space
        if self.is_empty_list(w_semaphore):
            w_excess = w_semaphore.fetch(space, constants.SEMAPHORE_EXCESS_SIGNALS)
            excess = space.unwrap_int(w_excess)
            w_semaphore.store(space, constants.SEMAPHORE_EXCESS_SIGNALS, space.wrap_int(excess + 1))
        else:
            self.resume(self.remove_first_link(w_semaphore))

    def wait(self, w_semaphore):
        space = self.space
        excess = space.unwrap_int(w_semaphore.fetch(space, constants.SEMAPHORE_EXCESS_SIGNALS))
        if excess > 0:
            w_semaphore.store(space, constants.SEMAPHORE_EXCESS_SIGNALS, space.wrap_int(excess - 1))
        else:
            self.add_last_link(self.active_process(), w_semaphore)
            self.suspend_active()

    def check_process_switch(self, frame):
        """Blue Book checkProcessSwitch: perform a recorded switch now."""
        w_new = self.new_process
        if w_new is None:
            return
        space = self.space
        self.new_process = None
        w_processor = self.processor()
        w_old = w_processor.fetch_field(constants.SCHEDULER_ACTIVE_PROCESS)
        # The frame outlives this Python call (it resumes later from the heap):
        # in JIT code, write its virtualizable fields back now. A trace that
        # leaves its portal (here by an exception) does not, and the process
        # would resume at a stale ip.
        jit.hint(frame, force_virtualizable=True)
        w_old.store(space, constants.PROCESS_SUSPENDED_CONTEXT, frame)
        w_processor.store_field(constants.SCHEDULER_ACTIVE_PROCESS, w_new)
        w_context = w_new.fetch(space, constants.PROCESS_SUSPENDED_CONTEXT)
        if not isinstance(w_context, W_Context):
            raise FatalError('the resumed process has no suspended context')
        raise SwitchToContext(w_context)
