"""The VM's side of input, clock, timer and display (Blue Book chapter 29, I/O).

The interpreter calls poll() every so many sends and backward jumps, at most once
a millisecond (poll_due). It fires the timer semaphore, turns host events into
Blue Book input words (signalling the input semaphore once per word) and
refreshes the display. In deterministic mode (the reference run's conditions)
the clock is a counter, the date is 0, the timer never fires and there is no
input.
"""

import time
from rpython.rlib import jit
from spyvm.error import FatalError
from spyvm.scheduler import Scheduler

IDLE_AFTER = 0.05       # seconds without input before the desktop counts as idle
RUN_SLICE = 0.001       # run at least this long between sleeps while idle
SLEEP_SLICE = 0.100     # and sleep at most this long (input, the timer end it sooner)
POLL_INTERVAL = 0.001   # poll input, timer and display at most this often

# Seconds from 1901-01-01 to 1970-01-01 (prim 98 counts from 1901, GMT).
SECONDS_1901_TO_1970 = 2177452800


class IOState(object):
    def __init__(self, space, deterministic=False):
        self.space = space
        self.scheduler = Scheduler(space)
        self.deterministic = deterministic
        self.start_time = time.time()
        self.counter_clock = 0
        self.w_timer_semaphore = None
        self.timer_ms = 0
        self.w_input_semaphore = None
        self.input_words = []
        self.mouse_x = 0
        self.mouse_y = 0
        self.cursor_x = 0
        self.cursor_y = 0
        self.cursor_linked = True
        self.w_cursor = None
        self.sample_interval = 0
        self.pending_signals = []
        self.display = None          # a display backend (spyvm.display), or None
        self.last_input_time = 0.0
        self.last_sleep_end = 0.0
        self.last_poll = 0.0
        self.w_low_space_semaphore = None
        self.low_space_oops = 0
        self.low_space_words = 0

    # -- clocks -------------------------------------------------------------
    def milliseconds(self):
        if self.deterministic:
            self.counter_clock += 1
            return self.counter_clock
        return int((time.time() - self.start_time) * 1000.0) & 0x3FFFFFFF

    def seconds(self):
        if self.deterministic:
            return 0
        return int(time.time()) + SECONDS_1901_TO_1970

    # -- input --------------------------------------------------------------
    def queue_input_word(self, word):
        """One word, one signal. Without an input semaphore (during boot, before
        InputState install) nothing would ever read the word, and every later
        signal would then read a stale one: such words are dropped."""
        self.last_input_time = time.time()
        if self.w_input_semaphore is None:
            return
        self.input_words.append(word & 0xFFFF)
        self.pending_signals.append(self.w_input_semaphore)

    def set_input_semaphore(self, w_semaphore):
        """A new input process starts with a new semaphore: older words are stale."""
        self.w_input_semaphore = w_semaphore
        self.input_words = []

    def next_input_word(self):
        if not self.input_words:
            return -1
        return self.input_words.pop(0)

    # -- idling ----------------------------------------------------------------------
    @jit.dont_look_inside
    def note_mouse_poll(self):
        """The image polls the mouse (primitive 90) in its busy input loops; the
        Xerox image has no idle primitive. When no input came for a while and no
        other process waits for its turn at the poller's priority, let the host
        sleep in slices that end at the next event and never pass the timer's
        deadline, so an idle desktop does not spin a core, and neither Delays nor
        a process sharing the time (Processor yield) are held up."""
        if self.display is None or self.deterministic:
            return
        now = time.time()
        if now - self.last_input_time < IDLE_AFTER or now - self.last_sleep_end < RUN_SLICE:
            return
        if self.pending_signals or self.scheduler.others_ready():
            return
        wait = SLEEP_SLICE
        if self.w_timer_semaphore is not None:
            wait = min(wait, max(0.0, (self.timer_ms - self.milliseconds()) / 1000.0))
        if wait > 0.0:
            self.display.idle_wait(int(wait * 1000))
        self.last_sleep_end = time.time()

    # -- the periodic check ---------------------------------------------------------
    def poll_due(self):
        """At most every POLL_INTERVAL seconds; at once when the low-space
        semaphore is due (that depends on the oops used, not on the clock, so
        that a deterministic run stays deterministic)."""
        if (self.w_low_space_semaphore is not None and
                self.space.oops_left() < self.low_space_oops):
            return True
        now = time.time()
        if now - self.last_poll < POLL_INTERVAL and now >= self.last_poll:
            return False
        self.last_poll = now
        return True

    @jit.dont_look_inside
    def poll(self, interp):
        """Deliver timer, input and other asynchronous signals; a process switch
        they cause is only recorded (the caller performs it)."""
        memory = self.space.memory
        if memory.check(time.time()):
            raise FatalError('out of memory: %d MB in use, past the --memory bound of '
                             '%d MB and its margin' % (memory.used >> 20, memory.bound_mb()))
        if self.oops_low():
            # Free the oops of what is garbage first: only what is left counts.
            self.space.w_active_context = interp.w_active_context
            self.space.reclaim_oops()
            self.space.w_active_context = None
        memory_low = self.memory_low()
        if self.w_low_space_semaphore is not None and (memory_low or self.oops_low()):
            # Signalled once; the image re-arms it (signal:atOopsLeft:wordsLeft:).
            self.pending_signals.append(self.w_low_space_semaphore)
            self.w_low_space_semaphore = None
            if memory_low:
                interp.hooks.low_space(interp)
        if not self.deterministic:
            if self.w_timer_semaphore is not None and self.milliseconds() >= self.timer_ms:
                self.pending_signals.append(self.w_timer_semaphore)
                self.w_timer_semaphore = None
            if self.display is not None:
                self.display.poll(interp, self)
        if self.pending_signals:
            signals = self.pending_signals
            self.pending_signals = []
            for w_sem in signals:
                self.scheduler.synchronous_signal(w_sem)

    def oops_low(self):
        return (self.w_low_space_semaphore is not None and
                self.space.oops_left() < self.low_space_oops)

    def memory_low(self):
        """Fewer words left than the image's limit (not when deterministic:
        the figure depends on the host)."""
        memory = self.space.memory
        return (self.w_low_space_semaphore is not None and not self.deterministic and
                memory.measured and memory.words_left() < self.low_space_words)

    def display_damaged(self, x, y, w, h):
        if self.display is not None:
            self.display.damaged(x, y, w, h)
