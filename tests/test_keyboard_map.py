"""The keyboard, key by key, against the Xerox image's own DefaultKeyboardMap.

The host side (spyvm/display/base.py InputMapper) turns SDL key and text events
into input words; the image side is modelled here the way InputState and
InputSensor read those words (IMAGE-NOTES section 6): modifier keys 136-139 set
the meta state, a character key's code is looked up in DefaultKeyboardMap at
ascii + 256*shift + 512*ctrl + 1, with 1024 added for lock when neither shift
nor ctrl is down. So every test asks: what character does the image get?
"""

import pytest

from spyvm.display import base
from spyvm.display.base import InputMapper
from spyvm.image import load_image_file
from spyvm.model import W_PointersObject, W_BytesObject
from spyvm.objspace import ObjSpace

CLASS_POOL = 7          # Class: superclass methodDict format subclasses instVars org name classPool


@pytest.fixture(scope='module')
def keyboard_map(request):
    from tests.conftest import find_image
    path = find_image('VirtualImage')           # skips, saying why, when missing
    space = ObjSpace()
    load_image_file(space, path)
    w_sensor = space.find_global('InputSensor')
    w_pool = w_sensor.fetch_field(CLASS_POOL)
    for w_assoc in w_pool._vars:
        if isinstance(w_assoc, W_PointersObject) and w_assoc.size() == 2:
            w_key = w_assoc.fetch_field(0)
            if isinstance(w_key, W_BytesObject) and w_key.as_string() == 'DefaultKeyboardMap':
                w_map = w_assoc.fetch_field(1)
                return [ord(c) for c in w_map.as_string()]
    raise AssertionError('InputSensor has no DefaultKeyboardMap')


class ImageKeyboard(object):
    """What InputState + InputSensor make of input words: the characters typed."""

    def __init__(self, keyboard_map):
        self.map = keyboard_map
        self.shift = self.ctrl = self.lock = False
        self.lshift = self.rshift = False
        self.typed = []          # (mapped character code, ctrl down)

    def feed(self, words):
        for w in words:
            kind, param = w >> 12, w & 0xFFF
            if kind not in (base.EVENT_DOWN, base.EVENT_UP):
                continue
            down = kind == base.EVENT_DOWN
            if param == base.KEY_LSHIFT:
                self.lshift = down
            elif param == base.KEY_RSHIFT:
                self.rshift = down
            elif param == base.KEY_CTRL:
                self.ctrl = down
            elif param == base.KEY_LOCK:
                self.lock = down
            elif param < 128 and down:
                shift = self.lshift or self.rshift
                index = param + 256 * shift + 512 * self.ctrl
                if self.lock and not shift and not self.ctrl:
                    index += 1024
                self.typed.append((self.map[index], self.ctrl))
        return self


def typed(keyboard_map, events, mods=0):
    """Feed host events through a fresh InputMapper; the characters the image gets."""
    m = InputMapper()
    image = ImageKeyboard(keyboard_map)
    for event in events:
        if isinstance(event, str):
            for ch in event:
                m.text(ord(ch), 0)
        else:
            sym, down = event
            m.key(sym, mods, down, 0)
    return image.feed(m.take_words()).typed


def test_the_map_has_1280_entries(keyboard_map):
    assert len(keyboard_map) == 1280


@pytest.mark.parametrize('mods', [0, base.KMOD_LSHIFT, base.KMOD_RSHIFT,
                                  base.KMOD_LSHIFT | base.KMOD_RSHIFT, base.KMOD_CAPS,
                                  base.KMOD_CAPS | base.KMOD_LSHIFT])
def test_every_printable_character_arrives_as_itself(keyboard_map, mods):
    """Host text is already shifted (and capitalised by caps lock): whatever
    modifiers are held, the image must get exactly the character typed."""
    for code in range(32, 127):
        m = InputMapper()
        image = ImageKeyboard(keyboard_map)
        m.key(0, mods, True, 0)          # the modifier itself (a key with no text)
        m.text(code, 0)
        got = image.feed(m.take_words()).typed
        assert got == [(code, False)], 'typed %r with mods %x, image got %r' % (
            chr(code), mods, got)


def test_underscore_is_the_assignment_arrow(keyboard_map):
    # The image's font draws code 95 as the left arrow, and the compiler reads
    # it as assignment; shift is how most keyboards type it.
    assert typed(keyboard_map, ['_']) == [(95, False)]
    m = InputMapper()
    image = ImageKeyboard(keyboard_map)
    m.key(0, base.KMOD_LSHIFT, True, 0)
    m.text(ord('_'), 0)
    assert image.feed(m.take_words()).typed == [(95, False)]


@pytest.mark.parametrize('sym, expected', [
    (base.SDLK_BACKSPACE, 8), (base.SDLK_TAB, 9), (base.SDLK_RETURN, 13),
    (base.SDLK_KP_ENTER, 13)])
def test_editing_keys(keyboard_map, sym, expected):
    assert typed(keyboard_map, [(sym, True), (sym, False)]) == [(expected, False)]


def test_escape_and_delete_give_the_images_own_codes(keyboard_map):
    # The image maps ESC (27) to 160 and DEL (127) to 173: its own codes.
    assert typed(keyboard_map, [(base.SDLK_ESCAPE, True)]) == [(keyboard_map[27], False)]
    assert keyboard_map[27] == 160
    assert typed(keyboard_map, [(base.SDLK_DELETE, True)]) == [(173, False)]


def test_ctrl_c_is_c_with_ctrl_down(keyboard_map):
    """InputState intercepts key 99 with ctrl down as the user interrupt,
    before the map; the map itself must not be what gets in the way."""
    m = InputMapper()
    image = ImageKeyboard(keyboard_map)
    m.key(ord('c'), base.KMOD_LCTRL, True, 0)
    words = m.take_words()
    assert base.word(base.EVENT_DOWN, base.KEY_CTRL) in words
    assert base.word(base.EVENT_DOWN, ord('c')) in words
    assert image.feed(words).typed[0][1] is True           # ctrl was down


def test_ctrl_letters_reach_the_ctrl_table(keyboard_map):
    """Ctrl+letter sends the lowercase key with ctrl down: each lands in the
    image's ctrl table (512 + code), which is mapped for every letter."""
    for letter in 'abdefghijklmnopqrstuvwxyz':
        m = InputMapper()
        image = ImageKeyboard(keyboard_map)
        m.key(ord(letter), base.KMOD_LCTRL, True, 0)
        m.text(ord(letter), 0)           # SDL may also report text: ignored with ctrl
        got = image.feed(m.take_words()).typed
        assert got == [(keyboard_map[512 + ord(letter)], True)]
        assert keyboard_map[512 + ord(letter)] != 255, letter
