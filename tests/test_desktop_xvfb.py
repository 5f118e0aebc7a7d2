"""The translated st80-c in a real X window (Xvfb), driven by xdotool: no person
needed. Xvfb writes its screen as an XWD file (-fbdir), which is read back."""

import os
import subprocess
import time

import pytest

from tests.conftest import ROOT
from tests.xwdutil import read_xwd


def have(tool):
    return subprocess.call(['which', tool], stdout=open(os.devnull, 'w')) == 0


@pytest.fixture
def xvfb(tmpdir):
    if not (have('Xvfb') and have('xdotool')):
        pytest.skip('needs Xvfb and xdotool (make setup installs them)')
    display = ':%d' % (40 + os.getpid() % 50)
    fbdir = str(tmpdir.mkdir('fb'))
    proc = subprocess.Popen(['Xvfb', display, '-screen', '0', '1024x768x24', '-fbdir', fbdir,
                             '-nolisten', 'tcp'], stdout=open(os.devnull, 'w'),
                            stderr=open(os.devnull, 'w'))
    time.sleep(1.0)
    yield display, os.path.join(fbdir, 'Xvfb_screen0')
    proc.kill()
    proc.wait()


def xdotool(display, *args):
    env = dict(os.environ, DISPLAY=display)
    return subprocess.check_output(['xdotool'] + list(args), env=env).decode()


def window_geometry(display):
    wid = xdotool(display, 'search', '--sync', '--name', 'Smalltalk-80').split()[0]
    geo = {}
    for line in xdotool(display, 'getwindowgeometry', '--shell', wid).splitlines():
        key, _, value = line.partition('=')
        geo[key] = int(value) if value.lstrip('-').isdigit() else value
    return geo


def window_pixels(screen_file, geo):
    width, height, rows = read_xwd(screen_file)
    x0, y0 = geo['X'], geo['Y']
    return [row[x0:x0 + geo['WIDTH']] for row in rows[y0:y0 + geo['HEIGHT']]]


def wait_until_still(screen_file, geo, timeout=60):
    """Wait until the window's pixels stop changing (boot done); return them."""
    last, still_since = None, time.time()
    deadline = time.time() + timeout
    while time.time() < deadline:
        pixels = window_pixels(screen_file, geo)
        if pixels != last:
            last, still_since = pixels, time.time()
        elif time.time() - still_since > 2.0 and sum(map(sum, pixels)) > 1000:
            return pixels
        time.sleep(0.3)
    raise AssertionError('the window never settled')


def test_background_menu_opens(st80_binary, xerox_image, xvfb):
    display, screen_file = xvfb
    env = dict(os.environ, DISPLAY=display)
    env.pop('SDL_VIDEODRIVER', None)
    vm = subprocess.Popen([st80_binary, xerox_image], env=env, cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        geo = window_geometry(display)
        assert (geo['WIDTH'], geo['HEIGHT']) == (640, 480)
        # Park the pointer on the background (no window active), then boot.
        xdotool(display, 'mousemove', str(geo['X'] + 40), str(geo['Y'] + 400))
        before = wait_until_still(screen_file, geo)
        # The yellow (middle) button on the background opens the screen menu.
        xdotool(display, 'mousedown', '2')
        time.sleep(2.0)
        during = window_pixels(screen_file, geo)
        changed = sum(1 for y in range(len(before)) for x in range(len(before[0]))
                      if before[y][x] != during[y][x])
        xdotool(display, 'mousemove', str(geo['X'] + 5), str(geo['Y'] + 5))
        xdotool(display, 'mouseup', '2')
        assert changed > 2000, 'no menu appeared (%d pixels changed)' % changed
        # A menu is a framed box around the pointer with text in it.
        px, py = 40, 400
        box = [during[y][max(0, px - 60):px + 60] for y in range(max(0, py - 80), min(480, py + 80))]
        assert any(sum(row) > 60 for row in box)         # its frame: long dark lines
        assert vm.poll() is None                          # still running
    finally:
        vm.kill()
        vm.wait()
