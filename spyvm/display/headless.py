"""A display without a window (RPython): for tests, CI and --headless.

It renders the damaged part of the display into a 1-bit pixel list (so tests can
see what a real backend would draw) and takes host-like events that tests push.
"""

import time
from spyvm.display.base import DisplayBase

MOTION, BUTTON, KEY, TEXT, QUIT, CLOSE, RESIZE = range(7)


class HostEvent(object):
    _attrs_ = ['kind', 'a', 'b', 'c', 'd', 'e']

    def __init__(self, kind, a=0, b=0, c=0, d=0, e=0):
        self.kind = kind
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.e = e


class HeadlessDisplay(DisplayBase):
    def __init__(self, image_name='', scale=1):
        DisplayBase.__init__(self, image_name, scale)
        self.events = []
        self.bitmap = []             # width * height ints, 1 = black
        self.frames = 0              # how many refreshes drew something
        self.cursor = [0] * 16
        self.warped_to_x = -1        # last set_cursor_position, in window pixels
        self.warped_to_y = -1
        self.fake_clock = -1         # tests: >= 0 replaces the real clock
        self.window_w = 0            # the window's size, once a test resized it
        self.window_h = 0

    # -- events tests push (window pixels, SDL numbers; see base.py) -----------------
    def push_motion(self, x, y):
        self.events.append(HostEvent(MOTION, x, y))

    def push_button(self, button, down, x, y, mods=0):
        self.events.append(HostEvent(BUTTON, button, int(down), x, y, mods))

    def push_text(self, text):
        for c in text:
            self.events.append(HostEvent(TEXT, ord(c)))

    def push_quit(self):
        """A signal (SIGINT, SIGTERM)."""
        self.events.append(HostEvent(QUIT))

    def push_close(self):
        """The window's close button."""
        self.events.append(HostEvent(CLOSE))

    def push_resize(self, w, h):
        """The person resized the window to w x h pixels."""
        self.events.append(HostEvent(RESIZE, w, h))

    # -- what tests look at -------------------------------------------------------------
    def pixels(self):
        return self.bitmap

    def pixel(self, x, y):
        return self.bitmap[y * self.width + x]

    # -- backend hooks ----------------------------------------------------------------
    def clock_ms(self):
        if self.fake_clock >= 0:
            return self.fake_clock
        return DisplayBase.clock_ms(self)

    def open(self, width, height):
        self.bitmap = [0] * (width * height)
        self.window_w = self.window_h = 0        # the window follows the display

    def read_events(self):
        events = self.events
        self.events = []
        now = self.clock_ms()
        m = self.mapper
        for ev in events:
            if ev.kind == MOTION:
                m.motion(ev.a, ev.b, now)
            elif ev.kind == BUTTON:
                m.button(ev.a, ev.b != 0, ev.c, ev.d, ev.e, now)
            elif ev.kind == KEY:
                m.key(ev.a, ev.b, ev.c != 0, now)
            elif ev.kind == TEXT:
                m.text(ev.a, now)
            elif ev.kind == QUIT:
                self.quit_requested = True
            elif ev.kind == CLOSE:
                self.close_requests += 1
            elif ev.kind == RESIZE:
                self.window_w = ev.a
                self.window_h = ev.b
                self.resized_at = now

    def window_size(self):
        if self.window_w > 0:
            return self.window_w, self.window_h
        return DisplayBase.window_size(self)

    def convert(self, words):
        width = self.width
        raster = self.raster
        # Whole words, as the SDL backend does: the word grid is what BitBlt touched.
        x0 = self.dirty_left // 16
        x1 = (self.dirty_right + 15) // 16
        for y in range(self.dirty_top, self.dirty_bottom):
            for wi in range(x0, x1):
                w = words[y * raster + wi]
                x = wi * 16
                for b in range(min(16, width - x)):
                    self.bitmap[y * width + x + b] = (w >> (15 - b)) & 1
        self.frames += 1

    def show_cursor(self, bits):
        self.cursor = bits

    def warp(self, x, y):
        self.warped_to_x = x
        self.warped_to_y = y

    def wait_input(self, ms):
        if not self.events and ms > 0:
            time.sleep(ms / 1000.0)
