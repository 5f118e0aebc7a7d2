"""What all display backends share (RPython): the display Form and its damage,
the host-event -> Blue Book input word mapping, and the interface the VM calls.

Input words (IMAGE-NOTES section 6): word = type << 12 | param.  Types: 0 delta
time (ms), 1 mouse x, 2 mouse y, 3 key/button down, 4 up, 5 absolute time
(followed by two raw words, high and low).  Params: 0..127 characters,
128 blue, 129 yellow, 130 red button, 136/137 left/right shift, 138 ctrl,
139 shift-lock.

Host events are described with SDL2's numbers (keycodes, KMOD_* bits, buttons
1..3): the rffi backend gets them from SDL, pygame 2 uses the same numbers, and
the headless backend's tests push them directly.
"""

import time
from rpython.rlib import jit
from spyvm import constants
from spyvm.error import Quit
from spyvm.model import W_PointersObject, W_WordsObject, W_SmallInteger

# -- Blue Book input words ----------------------------------------------------------
EVENT_DELTA_TIME = 0
EVENT_X = 1
EVENT_Y = 2
EVENT_DOWN = 3
EVENT_UP = 4
EVENT_ABSOLUTE_TIME = 5

BLUE_BUTTON = 128        # right button
YELLOW_BUTTON = 129      # middle button
RED_BUTTON = 130         # left button
KEY_LSHIFT = 136
KEY_RSHIFT = 137
KEY_CTRL = 138
KEY_LOCK = 139

MAX_PARAM = 0xFFF

# The Smalltalk screen's size: what DisplayScreen class>>displayExtent: makes
# (width a multiple of 32, height of 2), from the 1983 screen up to what input
# words can point at (12-bit mouse coordinates).
MIN_WIDTH = 640
MIN_HEIGHT = 480
MAX_WIDTH = (MAX_PARAM + 1) // 32 * 32 - 32      # 4064
MAX_HEIGHT = MAX_PARAM // 2 * 2                  # 4094
RESIZE_SETTLE_MS = 300   # a window being resized: wait for the host to settle

# -- SDL2 numbers (stable ABI; tests check them against SDL.h and pygame) -------------
SDLK_BACKSPACE = 8
SDLK_TAB = 9
SDLK_RETURN = 13
SDLK_ESCAPE = 27
SDLK_DELETE = 127
SDLK_KP_ENTER = 0x40000058
KMOD_LSHIFT = 0x0001
KMOD_RSHIFT = 0x0002
KMOD_LCTRL = 0x0040
KMOD_RCTRL = 0x0080
KMOD_LALT = 0x0100
KMOD_RALT = 0x0200
KMOD_LGUI = 0x0400
KMOD_RGUI = 0x0800
KMOD_CAPS = 0x2000
KMOD_CTRL = KMOD_LCTRL | KMOD_RCTRL
KMOD_ALT = KMOD_LALT | KMOD_RALT
KMOD_GUI = KMOD_LGUI | KMOD_RGUI
BUTTON_LEFT = 1
BUTTON_MIDDLE = 2
BUTTON_RIGHT = 3

# Keys that are not text: SDL keycode -> character code the image expects.
# (Escape 27 becomes 160 and delete 127 becomes 173 in the image's keyboard map.)
SPECIAL_KEYS = {SDLK_BACKSPACE: 8, SDLK_TAB: 9, SDLK_RETURN: 13, SDLK_KP_ENTER: 13,
                SDLK_ESCAPE: 27, SDLK_DELETE: 127}


class DisplayError(Exception):
    """A display backend cannot be had (create_display, SDL_Init)."""
    _attrs_ = ['msg']

    def __init__(self, msg):
        self.msg = msg


def word(event_type, param):
    return (event_type << 12) | (param & MAX_PARAM)


class InputMapper(object):
    """Turns host events into input words, kept in self.words until taken.

    It remembers what it told the image, which makes three things right:
    - modifiers are reported only when they change (synced from the KMOD bits
      of each key event, so a lost key-up heals at the next key);
    - a button's "up" names the Smalltalk button its "down" named, even if
      Ctrl/Alt was released in between (two-button mice: Ctrl+left = yellow,
      Alt/Cmd+left = blue);
    - typed characters arrive already shifted from the host (text input), and
      the image's keyboard map would shift them again (shift+'A' and shift+'_'
      are unmapped), so shift -- and shift-lock for a-z -- is released around
      such a character and pressed again after it.
    Ctrl+key sends the unshifted key (SDL keycode) with ctrl down, as the
    image's ctrl tables expect: Ctrl+C is 'c' (99) with ctrl, the user interrupt.
    """

    def __init__(self, scale=1):
        self.scale = scale if scale > 0 else 1
        self.words = []
        self.send_time = True
        self.last_time = -1          # ms of the last event; -1: none sent yet
        self.mouse_x = 0             # Smalltalk coordinates
        self.mouse_y = 0
        self.lshift = False          # modifier state as last told to the image
        self.rshift = False
        self.ctrl = False
        self.lock = False
        self.button_sent = [0, 0, 0, 0]   # host button 1..3 -> param sent on down

    def take_words(self):
        words = self.words
        self.words = []
        return words

    # -- helpers ------------------------------------------------------------------
    def _emit(self, out, now_ms):
        """Append out, preceded by a time word, if there is anything to say."""
        if not out:
            return
        if self.send_time:
            delta = now_ms - self.last_time
            if self.last_time < 0 or delta < 0 or delta > MAX_PARAM:
                self.words.append(word(EVENT_ABSOLUTE_TIME, 0))
                self.words.append((now_ms >> 16) & 0xFFFF)
                self.words.append(now_ms & 0xFFFF)
            elif delta > 0:
                self.words.append(word(EVENT_DELTA_TIME, delta))
            self.last_time = now_ms
        self.words.extend(out)

    def _toggle(self, out, param, old, new):
        if old != new:
            out.append(word(EVENT_DOWN if new else EVENT_UP, param))
        return new

    def _sync_mods(self, out, mods):
        self.lshift = self._toggle(out, KEY_LSHIFT, self.lshift, (mods & KMOD_LSHIFT) != 0)
        self.rshift = self._toggle(out, KEY_RSHIFT, self.rshift, (mods & KMOD_RSHIFT) != 0)
        self.ctrl = self._toggle(out, KEY_CTRL, self.ctrl, (mods & KMOD_CTRL) != 0)
        self.lock = self._toggle(out, KEY_LOCK, self.lock, (mods & KMOD_CAPS) != 0)

    def _move(self, out, x, y):
        """x, y in window pixels."""
        x = min(max(x // self.scale, 0), MAX_PARAM)
        y = min(max(y // self.scale, 0), MAX_PARAM)
        if x != self.mouse_x:
            out.append(word(EVENT_X, x))
            self.mouse_x = x
        if y != self.mouse_y:
            out.append(word(EVENT_Y, y))
            self.mouse_y = y

    # -- host events -------------------------------------------------------------
    def motion(self, x, y, now_ms):
        out = []
        self._move(out, x, y)
        self._emit(out, now_ms)

    def button(self, button, down, x, y, mods, now_ms):
        """A host mouse button (1 left, 2 middle, 3 right) at window pixel x, y.
        mods only picks the button: modifier words come from key events alone
        (the backends read mods for buttons from the current keyboard state,
        which may be ahead of the key events still queued)."""
        if button < 1 or button > 3:
            return                   # wheel and extra buttons: nothing in 1983
        out = []
        self._move(out, x, y)
        if down:
            if button == BUTTON_MIDDLE:
                param = YELLOW_BUTTON
            elif button == BUTTON_RIGHT:
                param = BLUE_BUTTON
            elif mods & KMOD_CTRL:
                param = YELLOW_BUTTON
            elif mods & (KMOD_ALT | KMOD_GUI):
                param = BLUE_BUTTON
            else:
                param = RED_BUTTON
            self.button_sent[button] = param
            out.append(word(EVENT_DOWN, param))
        else:
            param = self.button_sent[button]
            if param != 0:
                out.append(word(EVENT_UP, param))
                self.button_sent[button] = 0
        self._emit(out, now_ms)

    def key(self, sym, mods, down, now_ms):
        """A host key (SDL keycode) going down or up. Printable keys without
        ctrl produce nothing here: their text comes through text()."""
        out = []
        self._sync_mods(out, mods)
        if down:
            code = SPECIAL_KEYS.get(sym, -1)
            if code >= 0:
                out.append(word(EVENT_DOWN, code))
            elif self.ctrl and 32 <= sym <= 126:
                out.append(word(EVENT_DOWN, sym))
        self._emit(out, now_ms)

    def text(self, code, now_ms):
        """A typed character (host text input, already shifted)."""
        if code < 32 or code > 126 or self.ctrl:
            return                   # not ASCII; with ctrl, key() sent it
        out = []
        lshift = self.lshift
        rshift = self.rshift
        lock = self.lock and ord('a') <= code <= ord('z')
        if lshift:
            out.append(word(EVENT_UP, KEY_LSHIFT))
        if rshift:
            out.append(word(EVENT_UP, KEY_RSHIFT))
        if lock:
            out.append(word(EVENT_UP, KEY_LOCK))
        out.append(word(EVENT_DOWN, code))
        if lock:
            out.append(word(EVENT_DOWN, KEY_LOCK))
        if rshift:
            out.append(word(EVENT_DOWN, KEY_RSHIFT))
        if lshift:
            out.append(word(EVENT_DOWN, KEY_LSHIFT))
        self._emit(out, now_ms)

    def warped(self, x, y):
        """The VM moved the cursor (prim 91, Smalltalk coordinates): the image
        already knows, so the host's motion event for it adds no words."""
        self.mouse_x = x
        self.mouse_y = y


def now_ms():
    return int(time.time() * 1000.0)


def basename(path):
    slash = path.rfind('/')
    if slash < 0:
        return path
    return path[slash + 1:]


class DisplayBase(object):
    """The interface IOState and the I/O primitives call, with the shared
    bookkeeping.  Backends override the hooks at the bottom.  The JIT never
    looks inside: these calls are rare or do I/O."""

    def __init__(self, image_name, scale):
        self.title = 'Smalltalk-80: ' + basename(image_name)
        self.scale = scale if scale > 0 else 1
        self.mapper = InputMapper(self.scale)
        self.w_form = None
        self.width = 0
        self.height = 0
        self.raster = 0              # words per row
        self.dirty = False
        self.dirty_left = 0
        self.dirty_top = 0
        self.dirty_right = 0
        self.dirty_bottom = 0
        self.frame_interval_ms = 16  # poll does its work at most ~60 times a second
        self.need_present = False    # drawn (or exposed) but not yet shown
        self.next_frame_ms = 0
        self.quit_requested = False  # a signal (SIGINT, SIGTERM): quit at once, no save
        self.close_requests = 0      # the window's close button, not yet answered
        self.confirm_close = False   # a driver (spyvm/desktop.py) asks the image first
        self.resized_at = -1         # ms of the host's last resize of the window; -1: none
        self.clipboard = ''          # backends without a host clipboard keep it here

    # -- the VM's calls -------------------------------------------------------------
    @jit.dont_look_inside
    def set_display(self, space, w_form):
        """Prim 102 (beDisplay): show w_form, opening or resizing the window."""
        width, height = form_extent(w_form)
        if width <= 0 or height <= 0:
            return
        self.w_form = w_form
        if width != self.width or height != self.height:
            self.width = width
            self.height = height
            self.raster = (width + 15) // 16
            # Damage of the old extent does not fit the new one (a snapshot
            # shrinks the display to 100 lines; drawing 480 lines into a
            # buffer for 100 overran it).
            self.dirty = False
            self.open(width, height)
        self.damaged(0, 0, width, height)

    @jit.dont_look_inside
    def damaged(self, x, y, w, h):
        """BitBlt changed this rectangle of the display: remember it for the next frame."""
        left = max(x, 0)
        top = max(y, 0)
        right = min(x + w, self.width)
        bottom = min(y + h, self.height)
        if left >= right or top >= bottom:
            return
        if not self.dirty:
            self.dirty = True
            self.dirty_left = left
            self.dirty_top = top
            self.dirty_right = right
            self.dirty_bottom = bottom
        else:
            self.dirty_left = min(self.dirty_left, left)
            self.dirty_top = min(self.dirty_top, top)
            self.dirty_right = max(self.dirty_right, right)
            self.dirty_bottom = max(self.dirty_bottom, bottom)

    @jit.dont_look_inside
    def poll(self, interp, ioc):
        """Called often; at most once a frame: read host events into input words,
        draw the damaged part of the display.  Raises Quit(0) once the user
        closed the window."""
        now = self.clock_ms()
        # Not due yet -- unless the clock went backwards (wrapped, or reset):
        # then waiting for next_frame_ms could take forever.
        if (now < self.next_frame_ms and self.next_frame_ms - now <= self.frame_interval_ms
                and not self.quit_requested and self.close_requests == 0):
            return
        self.next_frame_ms = now + self.frame_interval_ms
        self.read_events()
        for w in self.mapper.take_words():
            ioc.queue_input_word(w)
        ioc.mouse_x = self.mapper.mouse_x
        ioc.mouse_y = self.mapper.mouse_y
        self.check_form()
        self.refresh()
        if self.quit_requested or (self.close_requests > 0 and not self.confirm_close):
            raise Quit(0)

    @jit.dont_look_inside
    def set_cursor(self, space, w_cursor):
        """Prim 101 (beCursor): a 16x16 Form; 1 bits are black, 0 transparent."""
        bits = cursor_bits(w_cursor)
        if bits is not None:
            self.show_cursor(bits)

    @jit.dont_look_inside
    def set_cursor_position(self, x, y):
        """Prim 91: move the host pointer to Smalltalk point x@y."""
        self.mapper.warped(x, y)
        self.warp(x * self.scale, y * self.scale)

    @jit.dont_look_inside
    def idle_wait(self, ms):
        """The image has nothing to do: draw, then sleep up to ms, waking on input."""
        self.refresh()
        self.wait_input(ms)
        self.next_frame_ms = 0       # input may be waiting: the next poll reads it

    @jit.dont_look_inside
    def close(self):
        pass

    @jit.dont_look_inside
    def take_close_request(self):
        """True once per click on the window's close button."""
        if self.close_requests == 0:
            return False
        self.close_requests -= 1
        return True

    @jit.dont_look_inside
    def take_resize(self):
        """The Smalltalk screen size (width, height) that the window's new size
        asks for, once the host has stopped resizing it; (0, 0) if none. The
        window's size is read now, not from the events: our own resizes (a
        snapshot shrinks the display for a moment) produce events too."""
        if self.resized_at < 0 or self.width <= 0:
            return 0, 0
        if self.clock_ms() - self.resized_at < RESIZE_SETTLE_MS:
            return 0, 0
        self.resized_at = -1
        w, h = self.window_size()
        width, height = fit_extent(w // self.scale, h // self.scale)
        if w <= 0 or h <= 0 or (width == self.width and height == self.height):
            return 0, 0
        return width, height

    @jit.dont_look_inside
    def get_clipboard(self):
        """The host clipboard's text (UTF-8), or ''."""
        return self.read_clipboard()

    @jit.dont_look_inside
    def set_clipboard(self, text):
        self.write_clipboard(text)

    # -- for the backends -------------------------------------------------------------
    def take_dirty(self):
        """True if there is damage; the caller reads dirty_* before the next damage."""
        if not self.dirty:
            return False
        self.dirty = False
        return True

    def display_words(self):
        """The display's bits, or None if the form no longer has the right shape
        (the image may resize the form before it calls beDisplay again)."""
        w_form = self.w_form
        if w_form is None:
            return None
        width, height = form_extent(w_form)
        if width != self.width or height != self.height:
            return None
        w_bits = w_form.fetch_field(constants.FORM_BITS)
        if not isinstance(w_bits, W_WordsObject) or len(w_bits.words) < self.raster * height:
            return None
        return w_bits.words

    def check_form(self):
        """Follow a display form whose extent changed without a new beDisplay."""
        if self.w_form is not None and self.display_words() is None:
            width, height = form_extent(self.w_form)
            if width > 0 and height > 0 and (width != self.width or height != self.height):
                self.set_display(None, self.w_form)

    # -- backend hooks -------------------------------------------------------------
    def clock_ms(self):
        return now_ms()

    def open(self, width, height):
        """Open the window, or resize it, for a width x height display."""

    def read_events(self):
        """Feed pending host events to self.mapper."""

    def refresh(self):
        """Draw the damage (take_dirty) with convert(), then present() what
        was drawn or exposed since the last time."""
        if not self.can_draw():
            return
        words = self.display_words()
        if words is not None and self.take_dirty():
            self.convert(words)
            self.need_present = True
        if self.need_present:
            self.present()
            self.need_present = False

    def can_draw(self):
        """False while there is nothing to draw into (no window yet, or broken)."""
        return True

    def convert(self, words):
        """Copy the damaged part of the display's words (dirty_*) into the window."""

    def present(self):
        """Show what convert drew."""

    def show_cursor(self, bits):
        """bits: 16 words, MSB leftmost."""

    def warp(self, x, y):
        """Move the host pointer to window pixel x, y."""

    def wait_input(self, ms):
        time.sleep(ms / 1000.0)

    def window_size(self):
        """The window's size in host pixels."""
        return self.width * self.scale, self.height * self.scale

    def read_clipboard(self):
        return self.clipboard

    def write_clipboard(self, text):
        self.clipboard = text


def fit_extent(width, height):
    """The screen size DisplayScreen class>>displayExtent: makes of width x
    height (width truncated to 32, height to 2), within the limits."""
    width = min(max(width, MIN_WIDTH), MAX_WIDTH) // 32 * 32
    height = min(max(height, MIN_HEIGHT), MAX_HEIGHT) // 2 * 2
    return width, height


def form_extent(w_form):
    """(width, height) of a Form, or (-1, -1)."""
    if not isinstance(w_form, W_PointersObject) or w_form.size() < 4:
        return -1, -1
    w_width = w_form.fetch_field(constants.FORM_WIDTH)
    w_height = w_form.fetch_field(constants.FORM_HEIGHT)
    if not isinstance(w_width, W_SmallInteger) or not isinstance(w_height, W_SmallInteger):
        return -1, -1
    return w_width.value, w_height.value


def cursor_bits(w_cursor):
    """The 16 words of a 16x16 cursor Form, or None."""
    if not isinstance(w_cursor, W_PointersObject) or w_cursor.size() < 4:
        return None
    w_bits = w_cursor.fetch_field(constants.FORM_BITS)
    if not isinstance(w_bits, W_WordsObject) or len(w_bits.words) < 16:
        return None
    return [w_bits.words[i] & 0xFFFF for i in range(16)]
