"""The Xerox image's desktop with st80's file system, in Xvfb, as a person
would use it: a browser on a method shows the method's real source (from
Smalltalk-80.sources: its comment and temp names), and the screen menu's save
asks for the image's name, as Smalltalk-80 does once it has source files."""

import os
import subprocess
import time

from tests import test_desktop_xvfb
from tests.conftest import ROOT
from tests.test_desktop_xvfb import (xdotool, window_geometry, Desktop, changed_box,
                                     SCREEN_MENU, TEXT_MENU)

xvfb = test_desktop_xvfb.xvfb       # the fixture: an Xvfb on a display of its own

OPEN_BROWSER = "BrowserView openListBrowserOn: #('Object printString') label: 'printString'"
# The browser's code pane (the last subview of its window), as the saved image has it.
PANE_TEXT = ('(ScheduledControllers scheduledControllers detect: [:c | c model isKindOf: '
             'MethodListBrowser]) view subViews last controller text string')


def dark_rows(pixels, x0, y0, x1, y1):
    return sum(1 for y in range(y0, y1) if any(pixels[y][x0:x1]))


def text_lines(pixels, x0, y0, x1, y1):
    """(top, bottom) of each run of rows with dark pixels: the lines of text."""
    runs, top = [], None
    for y in range(y0, y1):
        dark = any(pixels[y][x0:x1])
        if dark and top is None:
            top = y
        elif not dark and top is not None:
            runs.append((top, y - 1))
            top = None
    return runs


def test_a_browser_on_a_method_shows_its_source(st80_binary, xerox_image, xvfb, tmpdir):
    display, screen_file = xvfb
    d = tmpdir.mkdir('files')
    saved = str(d.join('desk.im'))
    env = dict(os.environ, DISPLAY=display)
    env.pop('SDL_VIDEODRIVER', None)
    vm = subprocess.Popen([st80_binary, '--directory', str(d), '--snapshot', saved,
                           xerox_image], env=env, cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        desk = Desktop(display, screen_file, window_geometry(display))
        desk.move(30, 460)          # the background, left of the windows made here
        desk.still()
        # A workspace in the lower part of the screen, and the expression in it.
        desk.choose(30, 460, SCREEN_MENU.index('workspace') + 1, len(SCREEN_MENU))
        time.sleep(1.0)
        desk.drag(70, 330, 470, 420)
        desk.move(460, 410)
        empty = desk.still()
        desk.type(OPEN_BROWSER)
        full = desk.still()
        left, top, right, bottom = changed_box(empty, full, 72, 332, 468, 418)
        desk.drag(left - 1, top + 5, right + 4, bottom - 5)
        desk.choose(250, 380, TEXT_MENU.index('do it') + 1, len(TEXT_MENU))
        time.sleep(2.0)
        # The new browser asks for its frame: the upper part of the screen.
        desk.drag(70, 30, 470, 300)
        desk.move(460, 310)
        before = desk.still()
        # The method list is the top quarter (30-97): its one line, between
        # the list's dashed delimiters, clicked.
        lines = text_lines(before, 75, 34, 350, 95)
        assert len(lines) == 3, lines
        desk.move(150, (lines[1][0] + lines[1][1]) // 2)
        xdotool(display, 'mousedown', '1')
        time.sleep(0.3)
        xdotool(display, 'mouseup', '1')
        desk.move(460, 310)
        after = desk.still()
        # The code pane (below the list) now shows text: the method's 7 lines
        # (before: only its caret).
        assert dark_rows(before, 75, 100, 465, 295) < 10
        assert len(text_lines(after, 75, 100, 465, 295)) >= 6
        # Save (the name asked for: accept 'snapshot'; --snapshot says where).
        desk.choose(30, 460, SCREEN_MENU.index('save') + 1, len(SCREEN_MENU))
        time.sleep(2.0)
        xdotool(display, 'key', 'Return')
        deadline = time.time() + 60
        while not os.path.exists(saved) and time.time() < deadline:
            time.sleep(0.5)
        assert os.path.exists(saved), 'save wrote nothing'
        desk.still()
        assert vm.poll() is None
    finally:
        vm.kill()
        vm.wait()
    # What the pane holds, read from the saved image: the source, not decompiled.
    out = subprocess.check_output([st80_binary, '-e', PANE_TEXT, '-e',
                                   PANE_TEXT + ' = (Object sourceCodeAt: #printString)',
                                   saved], cwd=ROOT).decode()
    assert out.splitlines() == [
        "'printString",
        '\t"Answer a String whose characters are a description of the receiver."',
        '',
        '\t| aStream |',
        '\taStream _ WriteStream on: (String new: 16).',
        '\tself printOn: aStream.',
        "\t^aStream contents'",
        'true']
    assert sorted(os.listdir(str(d))) == ['Smalltalk-80.changes', 'desk.im']
