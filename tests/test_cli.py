"""The command line, identical untranslated and translated."""

import os
import sys
import pytest

from tests.conftest import run_vm, ROOT


def test_help(vm_command):
    status, out, err = run_vm(vm_command, ['--help'])
    assert status == 0
    assert 'Usage: st80-c' in out
    assert '--cycles' in out and '--trace' in out and '--screenshot' in out


@pytest.mark.parametrize('args', [['--frobnicate'], ['--cycles'], ['--cycles', 'many'],
                                  ['--trace=yes'], ['a', 'b'], ['--bench-repeat', '0'],
                                  ['--bench-repeat', '3'], ['--jit', 'bogus'],
                                  ['--jit', 'threshold=x'], ['--jit', 'trace_limit=99999'],
                                  ['--jit', 'threshold=5,'], ['--jit']])
def test_bad_options_give_one_line_and_status_2(vm_command, args):
    status, out, err = run_vm(vm_command, args)
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('st80: ')
    assert 'Traceback' not in err


def test_jit_defaults_come_first_and_jit_default_restores_them(monkeypatch):
    from rpython.rlib import jit
    from spyvm import main, interpreter
    calls = []
    monkeypatch.setattr(jit, '_set_param', lambda driver, name, value: calls.append((name, value)))
    # st80's defaults, then --jit (here before a bad option that stops the run)
    assert main.main(['st80', '--jit', 'decay=7,threshold=3', '--frobnicate']) == 2
    assert calls == [('decay', interpreter.JIT_DECAY),
                     ('retrace_limit', interpreter.JIT_RETRACE_LIMIT),
                     ('decay', 7), ('threshold', 3)]
    del calls[:]
    main.set_jit_params('default')      # RPython's defaults (None), then st80's
    assert ('decay', None) in calls and calls[-2:] == [
        ('decay', interpreter.JIT_DECAY), ('retrace_limit', interpreter.JIT_RETRACE_LIMIT)]
    assert interpreter.JIT_DECAY != 40  # RPython's own defaults
    assert interpreter.JIT_RETRACE_LIMIT != 0


def test_jit_off_is_an_option_the_loop_sees_and_the_last_jit_wins():
    from spyvm import main
    assert main.parse_args(['st80', '--jit', 'off']).jit_off
    assert not main.parse_args(['st80', '--jit', 'threshold=5']).jit_off
    assert not main.parse_args(['st80', '--jit', 'off', '--jit', 'default']).jit_off
    main.set_jit_params('default')


def test_st80s_own_work_runs_with_the_jit_off_then_the_command_lines_params_return(
        monkeypatch):
    from rpython.rlib import jit
    from spyvm import main, interpreter
    calls = []
    monkeypatch.setattr(jit, '_set_param', lambda driver, name, value: calls.append((name, value)))
    opts = main.parse_args(['st80', '--jit', 'threshold=7,trace_eagerness=9'])
    del calls[:]
    interpreter.suspend_jit(opts)           # the first boot's install
    assert opts.jit_off
    assert calls == [('threshold', -1), ('function_threshold', -1)]
    del calls[:]
    interpreter.resume_jit(opts)            # the user's jobs
    assert not opts.jit_off
    assert ('threshold', None) in calls     # RPython's defaults, st80's, then --jit
    assert calls[-4:] == [('decay', interpreter.JIT_DECAY),
                          ('retrace_limit', interpreter.JIT_RETRACE_LIMIT),
                          ('threshold', 7), ('trace_eagerness', 9)]
    opts = main.parse_args(['st80', '--jit', 'off'])
    interpreter.suspend_jit(opts)
    interpreter.resume_jit(opts)
    assert opts.jit_off and calls[-2:] == [('threshold', -1), ('function_threshold', -1)]
    main.set_jit_params('default')


def test_no_image_found_says_where_to_get_it(vm_command, tmpdir):
    # Run a copy of the entry point from a directory without images/ or ../shared.
    env = {'ST80_IMAGE': ''}
    cmd = list(vm_command)
    at = 1 if cmd[0] == sys.executable else 0      # the entry point or st80-c
    exe = cmd[at]
    copy = tmpdir.join(os.path.basename(exe))
    if exe.endswith('.py'):
        copy.write("import sys; sys.path.insert(0, %r)\n"
                   "execfile(%r)\n" % (ROOT, exe))
    else:
        os.symlink(exe, str(copy))
        copy = tmpdir.join('st80-c-copy')
        import shutil
        shutil.copy(exe, str(copy))
    cmd[at] = str(copy)
    status, out, err = run_vm(cmd, [], env=env)
    assert status == 2
    assert 'no Smalltalk-80 image found' in err
    assert 'Wolczko' in err


def bad_image(tmpdir, name, data):
    path = tmpdir.join(name)
    path.write(data, mode='wb')
    return str(path)


def damaged_images(tmpdir, xerox):
    data = open(xerox, 'rb').read()
    yield bad_image(tmpdir, 'empty', ''), 'empty file'
    yield bad_image(tmpdir, 'short', data[:100]), 'truncated'
    yield bad_image(tmpdir, 'truncated', data[:300000]), 'truncated'
    yield bad_image(tmpdir, 'foreign', 'GIF89a' + 'x' * 5000), 'not a Smalltalk-80'
    # A consistent header, but an object table entry pointing outside the space.
    ot = len(data) - 2 * 38736
    broken = data[:ot + 4 * 100] + '\x00\x03\xff\xff' + data[ot + 4 * 100 + 4:]
    yield bad_image(tmpdir, 'inconsistent', broken), 'object 200'


def test_damaged_images_give_one_line_and_status_2(vm_command, xerox_image, tmpdir):
    for path, words in damaged_images(tmpdir, xerox_image):
        status, out, err = run_vm(vm_command, [path])
        assert status == 2, (path, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert path in lines[0] and words in lines[0], lines[0]


def test_missing_image_file(vm_command, tmpdir):
    status, out, err = run_vm(vm_command, [str(tmpdir.join('nothing'))])
    assert status == 2
    assert 'cannot open' in err


def test_cycles_stops_with_status_0(vm_command, xerox_image):
    status, out, err = run_vm(vm_command, ['--cycles', '1000', '--trace', xerox_image])
    assert status == 0, err
    assert len(out.splitlines()) == 1000
