"""The display package: input-word mapping, the headless display, the SDL2
backend untranslated (dummy video driver), the pygame backend (in a subprocess:
pygame's libSDL2 and the rffi binding's must not meet) and an annotate+rtype
check of the SDL2 backend."""

import os
import subprocess
import sys
import pytest

from spyvm.display import base, create_display, DisplayError, HAVE_SDL2
from spyvm.display.base import InputMapper, word, RESIZE_SETTLE_MS, MAX_WIDTH, MAX_HEIGHT
from spyvm.display.headless import HeadlessDisplay
from spyvm.error import Quit
from spyvm.model import W_PointersObject, W_WordsObject, W_SmallInteger

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DOWN, UP = base.EVENT_DOWN, base.EVENT_UP
LSHIFT_DOWN, LSHIFT_UP = word(DOWN, 136), word(UP, 136)
RSHIFT_DOWN, RSHIFT_UP = word(DOWN, 137), word(UP, 137)
CTRL_DOWN, CTRL_UP = word(DOWN, 138), word(UP, 138)
LOCK_DOWN, LOCK_UP = word(DOWN, 139), word(UP, 139)


def key(c):
    return word(DOWN, ord(c))


def mapper(scale=1):
    m = InputMapper(scale)
    m.send_time = False
    return m


def make_form(width, height, words=None):
    raster = (width + 15) // 16
    w_bits = W_WordsObject(None, raster * height)
    if words is not None:
        w_bits.words = list(words)
    w_form = W_PointersObject(None, 4, None)
    w_form.store_field(0, w_bits)
    w_form.store_field(1, W_SmallInteger(width))
    w_form.store_field(2, W_SmallInteger(height))
    w_form.store_field(3, W_SmallInteger(0))
    return w_form


class FakeIOC(object):
    def __init__(self):
        self.words = []
        self.mouse_x = self.mouse_y = 0

    def queue_input_word(self, w):
        self.words.append(w & 0xFFFF)


# -- the mapping ---------------------------------------------------------------------

def test_word_layout():
    assert word(1, 5) == 0x1005
    assert word(3, 130) == 0x3082
    assert word(2, 5000) == 0x2000 | (5000 & 0xFFF)


def test_plain_text_and_printable_keydown():
    m = mapper()
    m.key(ord('a'), 0, True, 0)          # the text event carries the character
    assert m.take_words() == []
    m.text(ord('a'), 0)
    m.text(ord(' '), 0)
    m.text(ord('~'), 0)
    m.key(ord('a'), 0, False, 0)
    assert m.take_words() == [key('a'), key(' '), key('~')]


def test_non_ascii_and_control_text_is_ignored():
    m = mapper()
    m.text(0xC3, 0)
    m.text(10, 0)
    m.text(127, 0)
    assert m.take_words() == []


def test_special_keys():
    m = mapper()
    for sym in [base.SDLK_BACKSPACE, base.SDLK_TAB, base.SDLK_RETURN, base.SDLK_KP_ENTER,
                base.SDLK_ESCAPE, base.SDLK_DELETE]:
        m.key(sym, 0, True, 0)
        m.key(sym, 0, False, 0)
    assert m.take_words() == [word(DOWN, c) for c in [8, 9, 13, 13, 27, 127]]


def test_shift_is_reported_and_released_around_shifted_text():
    m = mapper()
    m.key(0x400000E1, base.KMOD_LSHIFT, True, 0)   # SDLK_LSHIFT
    assert m.take_words() == [LSHIFT_DOWN]
    m.key(0x400000E1, base.KMOD_LSHIFT, True, 0)     # auto-repeat: nothing new
    assert m.take_words() == []
    m.key(ord('a'), base.KMOD_LSHIFT, True, 0)
    m.text(ord('A'), 0)
    # The image's map has no entry for shift+'A': send 'A' with shift released.
    assert m.take_words() == [LSHIFT_UP, key('A'), LSHIFT_DOWN]
    m.key(0x400000E1, 0, False, 0)
    assert m.take_words() == [LSHIFT_UP]


def test_right_shift_and_both():
    m = mapper()
    m.key(0x400000E5, base.KMOD_RSHIFT, True, 0)
    m.key(0x400000E1, base.KMOD_RSHIFT | base.KMOD_LSHIFT, True, 0)
    m.text(ord('!'), 0)
    assert m.take_words() == [RSHIFT_DOWN, LSHIFT_DOWN,
                              LSHIFT_UP, RSHIFT_UP, key('!'), RSHIFT_DOWN, LSHIFT_DOWN]


def test_underscore_is_95_with_or_without_shift():
    m = mapper()
    m.text(ord('_'), 0)
    assert m.take_words() == [word(DOWN, 95)]
    m.key(0x400000E1, base.KMOD_LSHIFT, True, 0)
    m.key(ord('-'), base.KMOD_LSHIFT, True, 0)
    m.text(ord('_'), 0)
    assert m.take_words() == [LSHIFT_DOWN, LSHIFT_UP, word(DOWN, 95), LSHIFT_DOWN]


def test_ctrl_c_reaches_the_image_as_c_with_ctrl_down():
    m = mapper()
    m.key(0x400000E0, base.KMOD_LCTRL, True, 0)   # SDLK_LCTRL
    m.key(ord('c'), base.KMOD_LCTRL, True, 0)
    m.text(ord('c'), 0)                          # a stray text event is not doubled
    m.key(ord('c'), base.KMOD_LCTRL, False, 0)
    m.key(0x400000E0, 0, False, 0)
    assert m.take_words() == [CTRL_DOWN, key('c'), CTRL_UP]


def test_right_ctrl_and_ctrl_shift_c():
    m = mapper()
    mods = base.KMOD_RCTRL | base.KMOD_LSHIFT
    m.key(ord('c'), mods, True, 0)
    # Ctrl+shift sends the unshifted key: the image's ctrl tables index by it
    # (and lshift+ctrl+c is its emergency evaluator).
    assert m.take_words() == [LSHIFT_DOWN, CTRL_DOWN, key('c')]


def test_caps_lock_tracks_the_lock_state_and_is_released_for_lowercase():
    m = mapper()
    m.key(0x40000039, base.KMOD_CAPS, True, 0)   # SDLK_CAPSLOCK, now locked
    m.key(0x40000039, base.KMOD_CAPS, False, 0)  # released, still locked
    assert m.take_words() == [LOCK_DOWN]
    m.text(ord('A'), 0)
    m.text(ord('a'), 0)                          # shift+a with caps lock on
    m.text(ord('1'), 0)
    assert m.take_words() == [key('A'), LOCK_UP, key('a'), LOCK_DOWN, key('1')]
    m.key(0x40000039, 0, True, 0)
    assert m.take_words() == [LOCK_UP]


def test_buttons():
    m = mapper()
    for button, param in [(1, 130), (2, 129), (3, 128)]:
        m.button(button, True, 0, 0, 0, 0)
        m.button(button, False, 0, 0, 0, 0)
        assert m.take_words() == [word(DOWN, param), word(UP, param)]
    m.button(4, True, 0, 0, 0, 0)                # wheel
    m.button(5, False, 0, 0, 0, 0)
    assert m.take_words() == []


def test_two_button_alternatives():
    m = mapper()
    m.key(0x400000E0, base.KMOD_LCTRL, True, 0)
    m.button(1, True, 0, 0, base.KMOD_LCTRL, 0)
    assert m.take_words() == [CTRL_DOWN, word(DOWN, 129)]
    # ctrl let go before the button: the up still names yellow
    m.key(0x400000E0, 0, False, 0)
    m.button(1, False, 0, 0, 0, 0)
    assert m.take_words() == [CTRL_UP, word(UP, 129)]
    for mods in [base.KMOD_LALT, base.KMOD_RALT, base.KMOD_LGUI, base.KMOD_RGUI]:
        m.button(1, True, 0, 0, mods, 0)
        m.button(1, False, 0, 0, mods, 0)
        assert m.take_words() == [word(DOWN, 128), word(UP, 128)]


def test_button_up_without_down_sends_nothing():
    m = mapper()
    m.button(1, False, 0, 0, 0, 0)
    assert m.take_words() == []


def test_motion_is_scaled_clamped_and_sent_only_when_changed():
    m = mapper(scale=2)
    m.motion(101, 51, 0)
    assert m.take_words() == [word(1, 50), word(2, 25)]
    assert (m.mouse_x, m.mouse_y) == (50, 25)
    m.motion(100, 50, 0)                         # same Smalltalk point
    assert m.take_words() == []
    m.motion(100, 60, 0)
    assert m.take_words() == [word(2, 30)]
    m.motion(-7, 20000, 0)                       # outside the window while dragging
    assert m.take_words() == [word(1, 0), word(2, 4095)]


def test_button_carries_its_position():
    m = mapper()
    m.button(1, True, 10, 20, 0, 0)
    assert m.take_words() == [word(1, 10), word(2, 20), word(DOWN, 130)]


def test_warp_updates_the_known_position():
    m = mapper(scale=3)
    m.warped(10, 20)
    m.motion(30, 60, 0)                          # the host's echo of the warp
    assert m.take_words() == []


def test_time_words():
    m = InputMapper(1)
    m.text(ord('a'), 70000)                      # first event: absolute time
    assert m.take_words() == [word(5, 0), 70000 >> 16, 70000 & 0xFFFF, key('a')]
    m.text(ord('b'), 70010)
    assert m.take_words() == [word(0, 10), key('b')]
    m.text(ord('c'), 70010)                      # no time passed: no delta word
    assert m.take_words() == [key('c')]
    m.motion(0, 0, 80000)                        # no words: no time word either
    assert m.take_words() == []
    m.text(ord('d'), 80000)                      # > 4095 ms: absolute again
    assert m.take_words() == [word(5, 0), 80000 >> 16, 80000 & 0xFFFF, key('d')]


# -- the headless display ---------------------------------------------------------------

def headless(scale=1):
    d = HeadlessDisplay('/some/dir/VirtualImage', scale)
    d.frame_interval_ms = 0
    return d


def test_headless_renders_a_form():
    d = headless()
    assert d.title == 'Smalltalk-80: VirtualImage'
    # 20 x 2: two words per row; MSB is the leftmost pixel, 1 is black
    w_form = make_form(20, 2, [0x8001, 0xF000, 0x0000, 0x1000])
    d.set_display(None, w_form)
    ioc = FakeIOC()
    d.poll(None, ioc)
    assert d.frames == 1
    row0 = [1] + [0] * 14 + [1] + [1, 1, 1, 1]
    row1 = [0] * 16 + [0, 0, 0, 1]
    assert d.pixels() == row0 + row1
    assert ioc.words == []
    d.poll(None, ioc)                            # nothing damaged: nothing drawn
    assert d.frames == 1


def test_headless_converts_only_the_damage():
    d = headless()
    w_form = make_form(32, 3)
    d.set_display(None, w_form)
    d.poll(None, FakeIOC())
    words = w_form.fetch_field(0).words
    words[:] = [0xFFFF] * 6
    d.damaged(17, 1, 2, 1)                       # inside word 1 of row 1
    d.poll(None, FakeIOC())
    assert d.pixel(16, 1) == d.pixel(31, 1) == 1  # the whole damaged word
    assert d.pixel(15, 1) == d.pixel(16, 0) == d.pixel(16, 2) == 0


def test_dirty_rect_union_and_clipping():
    d = headless()
    d.set_display(None, make_form(100, 50))
    assert d.take_dirty()                        # beDisplay damages everything
    assert not d.take_dirty()
    d.damaged(10, 10, 5, 5)
    d.damaged(40, 2, 10, 3)
    d.damaged(90, 45, 30, 30)                    # clipped to 100 x 50
    d.damaged(-5, 60, 10, 10)                    # entirely outside
    d.damaged(3, 3, 0, 10)                       # empty
    assert d.take_dirty()
    assert (d.dirty_left, d.dirty_top, d.dirty_right, d.dirty_bottom) == (10, 2, 100, 50)


def test_a_smaller_display_forgets_the_damage_of_the_bigger_one():
    """A snapshot shrinks the display to 640x100 and grows it back: damage of
    the 480-line display must not be drawn into the 100-line one."""
    d = headless()
    d.set_display(None, make_form(64, 48))
    d.poll(None, FakeIOC())
    d.damaged(0, 40, 64, 8)
    d.set_display(None, make_form(64, 10))
    assert d.take_dirty()
    assert (d.dirty_left, d.dirty_top, d.dirty_right, d.dirty_bottom) == (0, 0, 64, 10)


def test_headless_events_become_input_words():
    d = headless(scale=2)
    d.mapper.send_time = False
    d.set_display(None, make_form(64, 32))
    d.push_motion(21, 11)
    d.push_button(1, True, 21, 11)
    d.push_button(1, False, 21, 11)
    d.push_text('Hi_')
    ioc = FakeIOC()
    d.poll(None, ioc)
    assert ioc.words == [word(1, 10), word(2, 5), word(DOWN, 130), word(UP, 130),
                         key('H'), key('i'), key('_')]
    assert (ioc.mouse_x, ioc.mouse_y) == (10, 5)


def test_headless_poll_waits_for_the_next_frame():
    d = HeadlessDisplay('x', 1)
    d.fake_clock = 1000
    d.mapper.send_time = False
    ioc = FakeIOC()
    d.poll(None, ioc)                            # due: next frame at 1016
    d.push_text('a')
    d.fake_clock = 1010
    d.poll(None, ioc)
    assert ioc.words == []
    d.fake_clock = 1016
    d.poll(None, ioc)
    assert ioc.words == [key('a')]


def test_headless_poll_survives_a_clock_going_backwards():
    d = HeadlessDisplay('x', 1)
    d.fake_clock = 1000000
    d.mapper.send_time = False
    ioc = FakeIOC()
    d.poll(None, ioc)
    d.fake_clock = 5                             # wrapped or reset
    d.push_text('a')
    d.poll(None, ioc)
    assert ioc.words == [key('a')]


def test_headless_quit():
    d = headless()
    d.push_quit()
    with pytest.raises(Quit) as e:
        d.poll(None, FakeIOC())
    assert e.value.status == 0


def test_close_quits_at_once_unless_a_driver_asks_first():
    d = headless()
    d.push_close()
    with pytest.raises(Quit):
        d.poll(None, FakeIOC())
    d = headless()
    d.confirm_close = True                       # spyvm/desktop.py does this
    d.push_close()
    d.push_close()
    d.poll(None, FakeIOC())
    assert d.take_close_request() and d.take_close_request()
    assert not d.take_close_request()


def test_a_resized_window_asks_for_a_screen_that_fits_once_it_settles():
    d = headless()
    d.frame_interval_ms = 0
    d.set_display(None, make_form(640, 480))
    d.fake_clock = 1000
    d.push_resize(1000, 701)
    d.poll(None, FakeIOC())
    assert d.take_resize() == (0, 0)             # still being resized
    d.fake_clock = 1000 + RESIZE_SETTLE_MS
    assert d.take_resize() == (992, 700)         # as displayExtent: rounds
    assert d.take_resize() == (0, 0)             # once
    d.push_resize(300, 200)                      # smaller than the 1983 screen
    d.poll(None, FakeIOC())
    d.fake_clock += RESIZE_SETTLE_MS
    assert d.take_resize() == (0, 0)             # the screen stays 640x480
    d.push_resize(5000, 5000)
    d.poll(None, FakeIOC())
    d.fake_clock += RESIZE_SETTLE_MS
    assert d.take_resize() == (MAX_WIDTH, MAX_HEIGHT)


def test_a_scaled_window_asks_for_a_screen_of_its_size_over_the_scale():
    d = headless(scale=2)
    d.frame_interval_ms = 0
    d.set_display(None, make_form(640, 480))
    d.fake_clock = 1000
    d.push_resize(2048, 1536)
    d.poll(None, FakeIOC())
    d.fake_clock += RESIZE_SETTLE_MS
    assert d.take_resize() == (1024, 768)


def test_headless_cursor_and_warp():
    d = headless(scale=2)
    d.set_cursor(None, make_form(16, 16, range(16)))
    assert d.cursor == list(range(16))
    d.set_cursor(None, make_form(8, 1))          # too few words: ignored
    assert d.cursor == list(range(16))
    d.set_cursor_position(10, 7)
    assert (d.warped_to_x, d.warped_to_y) == (20, 14)
    assert (d.mapper.mouse_x, d.mapper.mouse_y) == (10, 7)


def test_headless_follows_a_resized_form_and_ignores_a_broken_one():
    d = headless()
    w_form = make_form(16, 1, [0xFFFF])
    d.set_display(None, w_form)
    d.poll(None, FakeIOC())
    # the image grows the form in place (640x100 -> 640x480 happens via beDisplay,
    # but a form whose extent changed must not be read with the old raster)
    w_form.store_field(0, W_WordsObject(None, 4))
    w_form.store_field(2, W_SmallInteger(4))
    d.poll(None, FakeIOC())
    assert (d.width, d.height) == (16, 4)
    assert d.pixels() == [0] * 64
    w_form.store_field(0, W_SmallInteger(3))     # bits that are not words
    d.damaged(0, 0, 16, 4)
    d.poll(None, FakeIOC())                      # nothing drawn, nothing raised
    d.set_display(None, W_SmallInteger(3))       # not a form: ignored
    assert (d.width, d.height) == (16, 4)


def test_create_display_kinds():
    assert isinstance(create_display('headless', 'img', 1), HeadlessDisplay)
    with pytest.raises(DisplayError):
        create_display('x11', 'img', 1)


# -- SDL2 (rffi), untranslated with the dummy video driver -----------------------------

needs_sdl2 = pytest.mark.skipif(not HAVE_SDL2, reason='SDL2 headers (libsdl2-dev) not found')


@needs_sdl2
def test_sdl2_constants_agree_with_base():
    from spyvm.display import sdl2
    for name in ['SDLK_BACKSPACE', 'SDLK_TAB', 'SDLK_RETURN', 'SDLK_ESCAPE', 'SDLK_DELETE',
                 'SDLK_KP_ENTER', 'KMOD_LSHIFT', 'KMOD_RSHIFT', 'KMOD_LCTRL', 'KMOD_RCTRL',
                 'KMOD_LALT', 'KMOD_RALT', 'KMOD_LGUI', 'KMOD_RGUI', 'KMOD_CAPS']:
        assert getattr(sdl2, name) == getattr(base, name), name
    assert (sdl2.BUTTON_LEFT, sdl2.BUTTON_MIDDLE, sdl2.BUTTON_RIGHT) == (1, 2, 3)
    assert sdl2.SDLK_LSHIFT == 0x400000E1 and sdl2.SDLK_RSHIFT == 0x400000E5
    assert sdl2.SDLK_LCTRL == 0x400000E0 and sdl2.SDLK_CAPSLOCK == 0x40000039


@pytest.fixture
def sdl_display(monkeypatch):
    monkeypatch.setenv('SDL_VIDEODRIVER', 'dummy')
    d = create_display('sdl2', 'test.image', 1)
    d.frame_interval_ms = 0
    yield d
    d.close()


def push(fill):
    """Push an SDL event built by fill(event) into SDL's queue."""
    from rpython.rtyper.lltypesystem import lltype
    from spyvm.display import sdl2
    ev = lltype.malloc(sdl2.Event, flavor='raw', zero=True)
    try:
        fill(ev)
        assert sdl2.PushEvent(ev) == 1
    finally:
        lltype.free(ev, flavor='raw')


@needs_sdl2
def test_sdl2_window_render_and_poll(sdl_display):
    from rpython.rtyper.lltypesystem import rffi
    d = sdl_display
    d.mapper.send_time = False
    w_form = make_form(64, 32)
    w_form.fetch_field(0).words[0] = 0xC000      # two black pixels top left
    d.set_display(None, w_form)
    assert d.window and d.texture and not d.broken
    ioc = FakeIOC()
    d.poll(None, ioc)
    assert ioc.words == []                       # the dummy driver has no input
    px = [rffi.cast(rffi.LONG, d.pixels[i]) & 0xFFFFFFFF for i in range(3)]
    assert px == [0xFF000000, 0xFF000000, 0xFFFFFFFF]
    d.set_cursor(None, make_form(16, 16, [0xFFFF] * 16))   # no cursors in dummy: no crash
    d.set_cursor_position(3, 4)
    d.idle_wait(1)
    # a new extent resizes window and texture
    d.set_display(None, make_form(80, 40))
    d.poll(None, ioc)
    assert (d.width, d.height) == (80, 40)


@needs_sdl2
def test_sdl2_translated_conversion_matches_the_untranslated_one(sdl_display):
    import random
    from rpython.rtyper.lltypesystem import rffi
    d = sdl_display
    rng = random.Random(7)
    w_form = make_form(40, 5, [rng.randrange(0x10000) for _ in range(3 * 5)])
    d.set_display(None, w_form)
    d.poll(None, FakeIOC())                      # the untranslated fast path

    def read():
        return [rffi.cast(rffi.LONG, d.pixels[i]) & 0xFFFFFFFF for i in range(40 * 5)]
    fast = read()
    for i in range(40 * 5):
        d.pixels[i] = rffi.cast(rffi.UINT, 0x12345678)
    d.convert_rows(w_form.fetch_field(0).words, 0, 3, 0, 5)   # what st80-c runs
    assert read() == fast
    words = w_form.fetch_field(0).words
    expected = [0xFF000000 if (words[y * 3 + x // 16] >> (15 - x % 16)) & 1 else 0xFFFFFFFF
                for y in range(5) for x in range(40)]
    assert fast == expected


@needs_sdl2
def test_sdl2_events_are_decoded(sdl_display):
    from rpython.rtyper.lltypesystem import rffi
    from spyvm.display import sdl2
    d = sdl_display
    d.mapper.send_time = False
    d.set_display(None, make_form(64, 32))
    d.poll(None, FakeIOC())                      # drain the window's own events

    def motion(ev):
        e = rffi.cast(sdl2.MouseMotionEventPtr, ev)
        e.c_type = rffi.cast(rffi.UINT, sdl2.MOUSEMOTION)
        e.c_x = rffi.cast(rffi.INT, 12)
        e.c_y = rffi.cast(rffi.INT, 7)

    def button(ev):
        e = rffi.cast(sdl2.MouseButtonEventPtr, ev)
        e.c_type = rffi.cast(rffi.UINT, sdl2.MOUSEBUTTONDOWN)
        e.c_button = rffi.cast(rffi.UCHAR, sdl2.BUTTON_RIGHT)
        e.c_x = rffi.cast(rffi.INT, 12)
        e.c_y = rffi.cast(rffi.INT, 7)

    def ctrl_c(ev):
        e = rffi.cast(sdl2.KeyboardEventPtr, ev)
        e.c_type = rffi.cast(rffi.UINT, sdl2.KEYDOWN)
        e.c_keysym.c_sym = rffi.cast(rffi.INT, ord('c'))
        e.c_keysym.c_mod = rffi.cast(rffi.USHORT, sdl2.KMOD_LCTRL)

    def ctrl_up(ev):
        e = rffi.cast(sdl2.KeyboardEventPtr, ev)
        e.c_type = rffi.cast(rffi.UINT, sdl2.KEYUP)
        e.c_keysym.c_sym = rffi.cast(rffi.INT, sdl2.SDLK_LCTRL)
        e.c_keysym.c_mod = rffi.cast(rffi.USHORT, 0)

    def text(ev):
        e = rffi.cast(sdl2.TextInputEventPtr, ev)
        e.c_type = rffi.cast(rffi.UINT, sdl2.TEXTINPUT)
        for i, c in enumerate('x_\xc3\xa9!\x00'):
            e.c_text[i] = c

    for fill in [motion, button, ctrl_c, ctrl_up, text]:
        push(fill)
    ioc = FakeIOC()
    d.poll(None, ioc)
    assert ioc.words == [word(1, 12), word(2, 7), word(DOWN, 128),
                         CTRL_DOWN, key('c'), CTRL_UP, key('x'), key('_'), key('!')]
    assert (ioc.mouse_x, ioc.mouse_y) == (12, 7)

    def quit(ev):
        ev.c_type = rffi.cast(rffi.UINT, sdl2.QUIT)
    push(quit)
    with pytest.raises(Quit):
        d.poll(None, ioc)


# -- pygame, in its own process ------------------------------------------------------

PYGAME_SCRIPT = r'''
import sys
sys.path.insert(0, %(root)r)
from tests.test_display import make_form
from spyvm.display import create_display
from spyvm.display.base import word
import pygame
d = create_display('pygame', 'test.image', 2)
d.frame_interval_ms = 0
d.mapper.send_time = False
w_form = make_form(64, 32)
w_form.fetch_field(0).words[0] = 0x8000          # pixel 0,0 black
d.set_display(None, w_form)
class IOC(object):
    words = []
    mouse_x = mouse_y = 0
    def queue_input_word(self, w):
        self.words.append(w)
ioc = IOC()
d.poll(None, ioc)
assert d.screen.get_size() == (128, 64), d.screen.get_size()
assert d.screen.get_at((1, 1))[:3] == (0, 0, 0)
assert d.screen.get_at((2, 0))[:3] == (255, 255, 255)
d.set_cursor(None, make_form(16, 16, [0x8000] * 16))
d.set_cursor_position(5, 5)
pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=(21, 41), rel=(0, 0), buttons=(0, 0, 0)))
pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=ord('c'), mod=pygame.KMOD_LCTRL, unicode=u'', scancode=0))
pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=u'Q'))
pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=2, pos=(21, 41)))
ioc.words = []
d.poll(None, ioc)
expected = [word(1, 10), word(2, 20), word(3, 138), word(3, 99), word(3, 129)]
assert ioc.words == expected, (ioc.words, expected)
d.idle_wait(1)
pygame.event.post(pygame.event.Event(pygame.QUIT))
from spyvm.error import Quit
try:
    d.poll(None, ioc)
    raise AssertionError('no Quit')
except Quit:
    pass
maps = open('/proc/self/maps').read()
sdls = set(l.split()[-1] for l in maps.splitlines() if 'libSDL2' in l)
assert sdls and all('pygame.libs' in path for path in sdls), sdls   # no system libSDL2
d.close()
print('pygame ok')
'''


def test_pygame_backend_in_a_subprocess():
    try:
        import imp
        imp.find_module('pygame')
    except ImportError:
        pytest.skip('pygame is not installed')
    env = dict(os.environ, SDL_VIDEODRIVER='dummy', SDL_AUDIODRIVER='dummy',
               PYPY_USESSION_BASENAME='st80')
    p = subprocess.Popen([sys.executable, '-c', PYGAME_SCRIPT % {'root': ROOT}],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    out, err = p.communicate()
    assert p.returncode == 0, err
    assert out.strip().endswith('pygame ok')


# -- RPython --------------------------------------------------------------------------

def display_entry_point(argv):
    """Uses every entry of the interface on the backends the VM can get translated."""
    kind = argv[1] if len(argv) > 1 else 'headless'
    try:
        d = create_display(kind, argv[0], len(argv))
    except DisplayError as e:
        os.write(2, e.msg + '\n')
        return 1
    w_form = make_form(64, 32)
    d.set_display(None, w_form)
    d.damaged(1, 2, 3, 4)
    d.set_cursor(None, make_form(16, 16))
    d.set_cursor_position(3, 4)
    ioc = FakeIOC()
    try:
        d.poll(None, ioc)
        d.idle_wait(10)
    except Quit as q:
        return q.status
    d.set_clipboard('x')
    n = len(d.get_clipboard())
    w, h = d.take_resize()
    if d.take_close_request():
        n += 1
    d.close()
    return len(ioc.words) + n + w + h


@needs_sdl2
def test_annotate_and_rtype_the_display():
    from rpython.translator.interactive import Translation
    t = Translation(display_entry_point, [[str]])
    t.annotate()
    t.rtype()
    names = set(graph.name for graph in t.context.graphs)
    assert any('SDL2Display' in n and 'read_events' in n for n in names)
    assert not any('Pygame' in n for n in names)
    assert 'pygame' not in sys.modules           # this process never loaded it
