"""Booting the Xerox image: bytecode-exact against the reference VMs' trace, and
pixel-exact against their boot screen. Untranslated and translated."""

import gzip
import pytest

from tests.conftest import run_vm
from tests.pngutil import read_png, diff_pixels


def reference_trace(reference_file, n):
    path = reference_file('boot-trace-100k.txt.gz')
    lines = gzip.open(path).read().splitlines()
    return lines[:n]


def compare_trace(out, expected):
    """Fail naming the first differing cycle with Class>>selector and pc."""
    lines = out.splitlines()
    for i, want in enumerate(expected):
        if i >= len(lines):
            raise AssertionError('the trace stops at cycle %d of %d' % (i, len(expected)))
        fields = lines[i].split(' ', 1)
        if fields[0] != want:
            where = fields[1] if len(fields) > 1 else '?'
            raise AssertionError('cycle %d: executed bytecode %s in %s; the reference '
                                 'executed %s' % (i + 1, fields[0], where, want))
    assert len(lines) == len(expected)


def trace_of(cmd, image, n):
    status, out, err = run_vm(cmd, ['--deterministic', '--trace-full', '--cycles', str(n), image])
    assert status == 0, err
    return out


def test_untranslated_boot_trace_10k(untranslated_vm, xerox_image, reference_file):
    compare_trace(trace_of(untranslated_vm, xerox_image, 10000),
                  reference_trace(reference_file, 10000))


def test_untranslated_lsb_boot_trace_10k(untranslated_vm, xerox_image_lsb, reference_file):
    compare_trace(trace_of(untranslated_vm, xerox_image_lsb, 10000),
                  reference_trace(reference_file, 10000))


@pytest.mark.slow
def test_untranslated_boot_trace_100k(untranslated_vm, xerox_image, reference_file):
    compare_trace(trace_of(untranslated_vm, xerox_image, 100000),
                  reference_trace(reference_file, 100000))


def test_binary_boot_trace_100k(st80_binary, xerox_image, reference_file):
    compare_trace(trace_of([st80_binary], xerox_image, 100000),
                  reference_trace(reference_file, 100000))


def test_binary_lsb_boot_trace_100k(st80_binary, xerox_image_lsb, reference_file):
    compare_trace(trace_of([st80_binary], xerox_image_lsb, 100000),
                  reference_trace(reference_file, 100000))


def boot_screen_matches(cmd, image, reference_file, tmpdir):
    shot = str(tmpdir.join('boot.png'))
    status, out, err = run_vm(cmd, ['--deterministic', '--cycles', '70000',
                                    '--screenshot', shot, image])
    assert status == 0, err
    ours = read_png(shot)
    ref = read_png(reference_file('boot-screen.png'))
    assert ours[:2] == (640, 480)
    assert diff_pixels(ours, ref) == 0


def test_untranslated_boot_screen(untranslated_vm, xerox_image, reference_file, tmpdir):
    boot_screen_matches(untranslated_vm, xerox_image, reference_file, tmpdir)


def test_binary_boot_screen(st80_binary, xerox_image, reference_file, tmpdir):
    boot_screen_matches([st80_binary], xerox_image, reference_file, tmpdir)


def dbanay_boots(cmd, image, tmpdir):
    """dbanay's snapshot.im (little-endian, 1024x808) boots to its desktop."""
    shot = str(tmpdir.join('dbanay.png'))
    status, out, err = run_vm(cmd, ['--deterministic', '--cycles', '300000',
                                    '--screenshot', shot, image])
    assert status == 0, err
    width, height, rows = read_png(shot)
    assert (width, height) == (1024, 808)
    black = sum(sum(row) for row in rows)
    # Windows with text and borders: far from blank, far from all black.
    assert 0.02 * width * height < black < 0.6 * width * height
    # The System Transcript's label sits in the top left corner, as saved.
    assert sum(rows[y][x] for y in range(25, 45) for x in range(55, 175)) > 100


def test_untranslated_boots_dbanay_snapshot(untranslated_vm, dbanay_image, tmpdir):
    dbanay_boots(untranslated_vm, dbanay_image, tmpdir)


def test_binary_boots_dbanay_snapshot(st80_binary, dbanay_image, tmpdir):
    dbanay_boots([st80_binary], dbanay_image, tmpdir)
