"""Input/output primitives (90-102) and system primitives (110-116)."""

import time

import pytest

from spyvm import constants
from spyvm.error import Quit
from spyvm.interpreter import Interpreter
from spyvm.iostate import IOState, SECONDS_1901_TO_1970
from spyvm.model import W_SmallInteger, W_PointersObject, W_BytesObject
from spyvm.prims.system import CORE_LEFT_WORDS


from tests.primsupport import make_frame, run, fails, large_positive as lpi, integer_value


@pytest.fixture
def live_interp(boot):
    return Interpreter(boot.space, IOState(boot.space, deterministic=False))


def i(space, value):
    return space.wrap_int(value)


def semaphore(space):
    w_sem = W_PointersObject(space.w_Semaphore, 3, space.w_nil)
    w_sem.store_field(constants.SEMAPHORE_EXCESS_SIGNALS, space.wrap_int(0))
    return w_sem


def byte_array(boot, data):
    w_bytes = W_BytesObject(boot.classes['ByteArray'], len(data))
    w_bytes.bytes = [chr(b) for b in data]
    return w_bytes


def little_endian(space, w_bytes, n=4):
    """The value of n digits, read as the image reads them (either kind of object)."""
    return sum(w_bytes.fetch(space, k).value << (8 * k) for k in range(n))


# -- mouse and cursor --------------------------------------------------------------------

def test_mouse_point(boot, interp):
    space = boot.space
    interp.ioc.mouse_x, interp.ioc.mouse_y = 123, 45
    w_sensor = space.w_nil
    w_point = run(interp, 90, w_sensor)
    assert w_point.getclass(space) is space.w_Point
    assert space.unwrap_point(w_point) == (123, 45)
    interp.ioc.mouse_x = 7
    w_other = run(interp, 90, w_sensor)
    assert w_other is not w_point and space.unwrap_point(w_other) == (7, 45)


def test_cursor_loc_put(boot, interp):
    space = boot.space
    w_rcvr = space.w_true
    assert run(interp, 91, w_rcvr, space.wrap_point(30, 40)) is w_rcvr
    assert (interp.ioc.cursor_x, interp.ioc.cursor_y) == (30, 40)
    assert fails(interp, 91, w_rcvr, i(space, 3))
    assert fails(interp, 91, w_rcvr, space.wrap_list([i(space, 1), i(space, 2)]))
    w_bad = space.wrap_point(1, 2)
    w_bad.store_field(constants.POINT_Y, space.w_nil)
    assert fails(interp, 91, w_rcvr, w_bad)
    assert (interp.ioc.cursor_x, interp.ioc.cursor_y) == (30, 40)


def test_cursor_link(boot, interp):
    space = boot.space
    assert run(interp, 92, space.w_nil, space.w_false) is space.w_nil
    assert interp.ioc.cursor_linked is False
    run(interp, 92, space.w_nil, space.w_true)
    assert interp.ioc.cursor_linked is True
    assert fails(interp, 92, space.w_nil, i(space, 1))
    assert interp.ioc.cursor_linked is True


def test_input_semaphore(boot, interp):
    space = boot.space
    w_sem = semaphore(space)
    assert run(interp, 93, space.w_nil, w_sem) is space.w_nil
    assert interp.ioc.w_input_semaphore is w_sem
    assert fails(interp, 93, space.w_nil, space.wrap_point(1, 1))
    assert interp.ioc.w_input_semaphore is w_sem
    run(interp, 93, space.w_nil, space.w_nil)
    assert interp.ioc.w_input_semaphore is None


def test_sample_interval(boot, interp):
    space = boot.space
    run(interp, 94, space.w_nil, i(space, 50))
    assert interp.ioc.sample_interval == 50
    assert fails(interp, 94, space.w_nil, space.w_nil)


def test_input_word(boot, interp):
    space = boot.space
    assert fails(interp, 95, space.w_nil)
    interp.ioc.queue_input_word(0x0777)          # no input semaphore yet: dropped
    interp.ioc.set_input_semaphore(space.instantiate(space.w_Semaphore, 0))
    interp.ioc.queue_input_word(0x0123)
    interp.ioc.queue_input_word(0x4061)          # above SmallInteger range
    assert run(interp, 95, space.w_nil).value == 0x0123
    w_word = run(interp, 95, space.w_nil)
    assert integer_value(space, w_word) == 0x4061
    assert w_word.getclass(space) is space.w_LargePositiveInteger
    assert fails(interp, 95, space.w_nil)


# -- clocks and timer ------------------------------------------------------------------------

def test_second_clock_into(boot, interp, live_interp):
    space = boot.space
    w_bytes = byte_array(boot, [9, 9, 9, 9, 9])
    assert run(interp, 98, space.w_nil, w_bytes) is space.w_nil
    assert [ord(c) for c in w_bytes.bytes] == [0, 0, 0, 0, 9]     # deterministic: 0
    w_lpi = lpi(space, 0x01010101)
    run(live_interp, 98, space.w_nil, w_lpi)
    now = int(time.time()) + SECONDS_1901_TO_1970
    assert abs(little_endian(space, w_lpi) - (now & 0xFFFFFFFF)) < 5
    assert fails(interp, 98, space.w_nil, byte_array(boot, [1, 2, 3]))
    assert fails(interp, 98, space.w_nil, space.wrap_list([i(space, 0)] * 4))


def test_clocks_fill_large_integers_made_by_new(boot, interp):
    """The image makes its time values with `LargePositiveInteger new: 4`."""
    space = boot.space
    w_time = space.instantiate(space.w_LargePositiveInteger, 4)
    interp.ioc.counter_clock = 0x12345677
    run(interp, 99, space.w_nil, w_time)
    assert w_time.size() == 4 and little_endian(space, w_time) == 0x12345678
    w_sem = space.instantiate(space.w_Semaphore, 0)
    run(interp, 100, space.w_nil, w_sem, w_time)
    assert interp.ioc.timer_ms == 0x12345678


def test_millisecond_clock_into(boot, interp):
    space = boot.space
    w_bytes = byte_array(boot, [0xFF] * 4)
    interp.ioc.counter_clock = 0x12345677
    run(interp, 99, space.w_nil, w_bytes)
    assert [ord(c) for c in w_bytes.bytes] == [0x78, 0x56, 0x34, 0x12]
    run(interp, 99, space.w_nil, w_bytes)
    assert little_endian(space, w_bytes) == 0x12345679
    assert fails(interp, 99, space.w_nil, space.w_nil)


def test_signal_at_milliseconds(boot, interp):
    space = boot.space
    ioc = interp.ioc
    w_sem = semaphore(space)
    w_when = byte_array(boot, [0x10, 0x27, 0x01, 0x00])      # 0x12710 = 75536
    assert run(interp, 100, space.w_nil, w_sem, w_when) is space.w_nil
    assert ioc.w_timer_semaphore is w_sem and ioc.timer_ms == 75536
    w_lpi = lpi(space, 0x89ABCDEF)
    run(interp, 100, space.w_nil, w_sem, w_lpi)
    assert ioc.timer_ms == 0x89ABCDEF
    assert fails(interp, 100, space.w_nil, space.wrap_point(1, 1), w_when)
    assert fails(interp, 100, space.w_nil, w_sem, byte_array(boot, [1, 2]))
    assert fails(interp, 100, space.w_nil, w_sem, i(space, 5))
    assert ioc.w_timer_semaphore is w_sem and ioc.timer_ms == 0x89ABCDEF
    run(interp, 100, space.w_nil, space.w_nil, w_when)         # cancels
    assert ioc.w_timer_semaphore is None


def test_signal_at_milliseconds_fires_when_due(boot, live_interp):
    space = boot.space
    ioc = live_interp.ioc
    w_processor = space.w_scheduler_association.fetch(space, constants.ASSOCIATION_VALUE)
    w_active = W_PointersObject(boot.classes['Process'], 4, space.w_nil)
    w_active.store_field(constants.PROCESS_PRIORITY, i(space, 4))
    w_processor.store_field(constants.SCHEDULER_ACTIVE_PROCESS, w_active)
    w_sem = semaphore(space)
    w_now = byte_array(boot, [0, 0, 0, 0])
    run(live_interp, 99, space.w_nil, w_now)
    run(live_interp, 100, space.w_nil, w_sem, w_now)          # already due
    ioc.poll(live_interp)
    assert w_sem.fetch_field(constants.SEMAPHORE_EXCESS_SIGNALS).value == 1


# -- cursor and display ----------------------------------------------------------------------

def form(boot, width=16, height=16):
    space = boot.space
    w_form = W_PointersObject(boot.classes['Form'], 4, space.w_nil)
    w_form.store_field(constants.FORM_WIDTH, i(space, width))
    w_form.store_field(constants.FORM_HEIGHT, i(space, height))
    return w_form


def test_be_cursor(boot, interp):
    w_cursor = form(boot)
    assert run(interp, 101, w_cursor) is w_cursor
    assert interp.ioc.w_cursor is w_cursor


def test_be_display(boot, interp):
    space = boot.space
    assert interp.w_display is None
    w_display = form(boot, 640, 480)
    assert run(interp, 102, w_display) is w_display
    assert interp.w_display is w_display
    assert fails(interp, 102, space.wrap_point(1, 2))          # too few fields
    assert fails(interp, 102, i(space, 3))
    assert interp.w_display is w_display


# -- system primitives ----------------------------------------------------------------------------

def test_equivalent(boot, interp):
    space = boot.space
    # Distinct W_SmallInteger instances of one value are the same SmallInteger.
    assert run(interp, 110, W_SmallInteger(5), W_SmallInteger(5)) is space.w_true
    assert run(interp, 110, W_SmallInteger(5), W_SmallInteger(6)) is space.w_false
    assert run(interp, 110, W_SmallInteger(5), space.w_nil) is space.w_false
    w_a, w_b = space.wrap_string('x'), space.wrap_string('x')
    assert run(interp, 110, w_a, w_a) is space.w_true
    assert run(interp, 110, w_a, w_b) is space.w_false
    assert fails(interp, 110, w_a)


def test_class(boot, interp):
    space = boot.space
    assert run(interp, 111, i(space, -3)) is space.w_SmallInteger
    assert run(interp, 111, space.w_nil) is boot.classes['UndefinedObject']
    assert run(interp, 111, space.wrap_string('s')) is space.w_String
    assert run(interp, 111, space.w_Point) is space.w_Point.w_class
    frame = make_frame(space, space.w_nil, [])
    assert run(interp, 111, frame) is space.w_MethodContext


def test_core_left(boot, interp):
    space = boot.space
    w_left = run(interp, 112, space.w_nil)
    assert w_left.getclass(space) is space.w_LargePositiveInteger
    assert w_left.size() == 4
    assert little_endian(space, w_left) == CORE_LEFT_WORDS
    assert CORE_LEFT_WORDS > 16383


def test_quit(boot, interp):
    with pytest.raises(Quit) as e:
        run(interp, 113, boot.space.w_nil)
    assert e.value.status == 0


def test_exit_to_debugger_fails(boot, interp):
    assert fails(interp, 114, boot.space.w_nil)


def test_oops_left(boot, interp):
    space = boot.space
    before = integer_value(space, run(interp, 115, space.w_nil))
    assert before == space.oops_left() > 0
    space.oop_of(space.wrap_list([]))
    assert integer_value(space, run(interp, 115, space.w_nil)) == before - 1


def test_signal_at_oops_left_words_left(boot, interp):
    space = boot.space
    ioc = interp.ioc
    w_sem = semaphore(space)
    w_rcvr = space.w_nil
    assert run(interp, 116, w_rcvr, w_sem, i(space, 200), lpi(space, 100000)) is w_rcvr
    assert ioc.w_low_space_semaphore is w_sem
    assert ioc.low_space_oops == 200 and ioc.low_space_words == 100000
    run(interp, 116, w_rcvr, w_sem, lpi(space, 20000), i(space, 3))
    assert ioc.low_space_oops == 20000 and ioc.low_space_words == 3
    run(interp, 116, w_rcvr, space.w_nil, i(space, 0), i(space, 0))
    assert ioc.w_low_space_semaphore is None
    # Failures change nothing.
    assert fails(interp, 116, w_rcvr, space.wrap_point(0, 0), i(space, 1), i(space, 1))
    assert fails(interp, 116, w_rcvr, w_sem, space.w_nil, i(space, 1))
    assert fails(interp, 116, w_rcvr, w_sem, i(space, 1), space.wrap_string('x'))
    assert fails(interp, 116, w_rcvr, w_sem, i(space, 1), lpi(space, 1 << 40))
    assert ioc.w_low_space_semaphore is None
    assert ioc.low_space_oops == 0 and ioc.low_space_words == 0
