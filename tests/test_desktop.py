"""spyvm/desktop.py: the host clipboard in the image's terms, the window's close
button, the screen size; and iostate's idle sleeping, which lets an idle desktop
rest without holding up Delays or processes that share the time. (The same in a
real X window, with the binary: tests/test_desktop_xvfb.py.)"""

import re

import pytest

from spyvm import constants
from spyvm.desktop import Desktop, host_to_image, image_to_host, text_string
from spyvm.display.headless import HeadlessDisplay
from spyvm.error import Quit
from spyvm.interpreter import Interpreter
from spyvm.iostate import IOState, SLEEP_SLICE
from spyvm.main import parse_args, UsageError
from spyvm.model import W_PointersObject
from tests.conftest import run_vm
from tests.pngutil import read_png
from tests.test_scheduler import new_process, processor, ready_list, link_last


# -- text between the host and the image ---------------------------------------------

def test_host_line_ends_become_the_images_cr():
    assert host_to_image('a\r\nb\nc\rd\n\ne') == 'a\rb\rc\rd\r\re'


def test_what_the_image_cannot_show_is_replaced_visibly_not_dropped():
    text = u'\u201cx\u201d \u2013 y\u2026 caf\u00e9 \U0001F600\tz\x07'.encode('utf-8')
    assert host_to_image(text) == '"x" - y... caf? ?\tz?'
    # Broken UTF-8: one '?' per byte that starts no character.
    assert host_to_image('a\xffb\xe2\x80') == 'a?b??'
    assert host_to_image(u'x \u2190 3'.encode('utf-8')) == 'x _ 3'   # the image's arrow


def test_image_text_to_the_host():
    assert image_to_host('a _ 3.\r\tb\x80\x00') == 'a _ 3.\n\tb??'


# -- the command line ------------------------------------------------------------------

def test_display_size_option():
    opts = parse_args(['st80', '--display-size', '1000x701'])
    assert (opts.display_width, opts.display_height) == (992, 700)   # as displayExtent:
    opts = parse_args(['st80', '--display-size=4064x4094'])
    assert (opts.display_width, opts.display_height) == (4064, 4094)
    for bad in ['639x480', '640x479', '4096x768', '1024x4096', '1024', 'x768', '1024x',
                'axb', '-1024x768']:
        with pytest.raises(UsageError):
            parse_args(['st80', '--display-size', bad])
    with pytest.raises(UsageError):
        parse_args(['st80', '--display-size', '1024x768', '-e', '3'])


def test_version(vm_command):
    status, out, err = run_vm(vm_command, ['--version'])
    assert status == 0 and not err
    match = re.match(r'^st80 (\d+\.\d+) \(RPython (\d+\.\d+\.\d+), (JIT|untranslated)\)\n$', out)
    assert match, out
    assert match.group(3) == ('untranslated' if 'python' in vm_command[0] else 'JIT')


def test_display_size_bad_values_are_one_line_errors(vm_command):
    status, out, err = run_vm(vm_command, ['--display-size', '100x100'])
    assert status == 2 and err.count('\n') == 1 and err.startswith('st80: --display-size')


def test_display_size_starts_the_image_with_a_bigger_screen(vm_command, xerox_image, tmpdir):
    """The image's own displayExtent: runs once the UI yields: the screen is
    1024x768 and redrawn (the desktop's gray pattern beyond x=640 and y=480)."""
    shot = str(tmpdir.join('big.png'))
    status, out, err = run_vm(vm_command, ['--headless', '--display-size', '1024x768',
                                           '--cycles', '600000', '--screenshot', shot,
                                           xerox_image])
    assert status == 0, err
    width, height, rows = read_png(shot)
    assert (width, height) == (1024, 768)
    corner = [rows[y][x] for y in range(500, 760) for x in range(660, 1020)]
    assert 0.2 < sum(corner) / float(len(corner)) < 0.8, 'no desktop pattern out there'


# -- the desktop driver on the Xerox image ------------------------------------------------

@pytest.fixture
def desktop(xerox_image):
    from spyvm.objspace import ObjSpace
    from spyvm.image import load_image_file
    space = ObjSpace()
    load_image_file(space, xerox_image)
    ioc = IOState(space)
    ioc.display = HeadlessDisplay(xerox_image)
    interp = Interpreter(space, ioc)
    return Desktop(interp)


def current_selection(desktop):
    return desktop.w_selection_assoc.fetch(desktop.space, constants.ASSOCIATION_VALUE)


def new_text(desktop, chars):
    return desktop.new_text(chars)


def test_paste_takes_the_host_text_as_a_text(desktop):
    space = desktop.space
    desktop.display.clipboard = 'x _ 3\r\n+ 4\n'
    desktop.paste_host_text()
    w_text = current_selection(desktop)
    assert space.class_name(w_text.getclass(space)) == 'Text'
    assert text_string(w_text) == 'x _ 3\r+ 4\r'
    w_runs = w_text.fetch_field(1)
    assert space.class_name(w_runs.getclass(space)) == 'RunArray'
    assert [w.value for w in w_runs.fetch_field(0)._vars] == [10]
    assert [w.value for w in w_runs.fetch_field(1)._vars] == [1]


def test_paste_takes_the_host_text_only_when_it_changed(desktop):
    desktop.display.clipboard = 'host'
    desktop.paste_host_text()
    w_typed = new_text(desktop, 'typed in the image')     # e.g. closeTypeIn's
    desktop.w_selection_assoc.store(desktop.space, constants.ASSOCIATION_VALUE, w_typed)
    desktop.paste_host_text()
    assert current_selection(desktop) is w_typed
    desktop.display.clipboard = 'host again'
    desktop.paste_host_text()
    assert text_string(current_selection(desktop)) == 'host again'
    desktop.display.clipboard = ''                          # an empty clipboard
    desktop.paste_host_text()
    assert text_string(current_selection(desktop)) == 'host again'


def test_copy_puts_the_new_selection_on_the_host_clipboard(desktop):
    interp = desktop.interp
    desktop.display.clipboard = 'before'
    desktop.note_copy()                       # ParagraphEditor>>copySelection starts
    desktop.poll(interp)
    assert desktop.display.clipboard == 'before'     # it has not assigned yet
    desktop.w_selection_assoc.store(desktop.space, constants.ASSOCIATION_VALUE,
                                    new_text(desktop, 'a\r\tb _ c'))
    desktop.poll(interp)
    assert desktop.display.clipboard == 'a\n\tb _ c'
    # The host still has what was copied: paste keeps the image's own Text.
    w_copied = current_selection(desktop)
    desktop.paste_host_text()
    assert current_selection(desktop) is w_copied


def test_the_hooks_are_on_the_images_methods(desktop):
    from spyvm.desktop import find_method, CopyOut, PasteIn, SafePoint
    space = desktop.space
    w_editor = space.find_global('ParagraphEditor')
    assert isinstance(find_method(space, w_editor, 'copySelection').hook, CopyOut)
    assert isinstance(find_method(space, w_editor, 'cut').hook, CopyOut)
    assert isinstance(find_method(space, w_editor, 'paste').hook, PasteIn)
    w_sched = space.find_global('ProcessorScheduler')
    assert isinstance(find_method(space, w_sched, 'yield').hook, SafePoint)
    assert desktop.ui_process_index >= 0


def test_close_asks_and_a_second_close_quits(desktop):
    display = desktop.display
    display.push_close()
    display.read_events()
    desktop.poll(desktop.interp)
    assert desktop.dialog_wanted
    display.push_close()
    display.read_events()
    with pytest.raises(Quit) as e:
        desktop.poll(desktop.interp)
    assert e.value.status == 0


# -- idling (spyvm/iostate.py) ------------------------------------------------------------

class RecordingDisplay(HeadlessDisplay):
    def __init__(self):
        HeadlessDisplay.__init__(self)
        self.waits = []

    def wait_input(self, ms):
        self.waits.append(ms)


def idle_ioc(boot):
    space = boot.space
    ioc = IOState(space)
    ioc.display = RecordingDisplay()
    w_active = new_process(boot, 4, 'ui')
    processor(space).store_field(constants.SCHEDULER_ACTIVE_PROCESS, w_active)
    ioc.last_input_time = ioc.last_sleep_end = 0.0
    return ioc


def test_an_idle_mouse_poll_sleeps(boot):
    ioc = idle_ioc(boot)
    ioc.note_mouse_poll()
    assert ioc.display.waits == [int(SLEEP_SLICE * 1000)]


def test_idle_sleep_ends_by_the_timers_deadline(boot):
    ioc = idle_ioc(boot)
    ioc.w_timer_semaphore = W_PointersObject(boot.space.w_Semaphore, 3, boot.space.w_nil)
    ioc.timer_ms = ioc.milliseconds() + 20
    ioc.note_mouse_poll()
    assert len(ioc.display.waits) == 1 and ioc.display.waits[0] <= 20


def test_no_idle_sleep_while_another_process_waits_for_its_turn(boot):
    """A process sharing the time with the UI (Processor yield) is not slowed."""
    ioc = idle_ioc(boot)
    link_last(boot.space, ready_list(boot.space, 4), new_process(boot, 4, 'worker'))
    ioc.note_mouse_poll()
    assert ioc.display.waits == []


def test_no_idle_sleep_right_after_input(boot):
    ioc = idle_ioc(boot)
    ioc.queue_input_word(0)
    ioc.note_mouse_poll()
    assert ioc.display.waits == []
