"""Limits and failures: no user mistake, bad method or damaged image kills the
VM or takes the host's memory (README, "Limits and failures")."""

import os
import subprocess
import sys

import pytest

from spyvm.memory import Memory, resident_bytes
from tests.conftest import ROOT, run_vm

DEPTH = ("Object compile: 'depthX: n ^n = 0 ifTrue: [0] ifFalse: [(self depthX: n - 1) + 1]'"
         " classified: 'x'. ")
FOREVER = "Object compile: 'foreverX ^self foreverX' classified: 'x'. "


def peak_rss_mb(cmd, args):
    """Run the VM under /usr/bin/time -v: (status, stderr, peak resident MB)."""
    p = subprocess.Popen(['/usr/bin/time', '-v'] + cmd + args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd=ROOT)
    out, err = p.communicate()
    for line in err.splitlines():
        if 'Maximum resident set size' in line:
            return p.returncode, out, err, int(line.split(':')[1]) // 1024
    raise AssertionError('no figure from /usr/bin/time: %s' % err[-300:])


# -- memory: the unit -------------------------------------------------------------------

def test_resident_size_is_read_from_proc():
    assert 1 << 20 < resident_bytes() < 1 << 34


def test_past_the_bound_allocation_fails_then_a_grace_margin_then_a_stop():
    memory = Memory()
    memory.bound = 2 * resident_bytes()          # well under it
    memory.check(0.0)
    assert memory.measured and not memory.exhausted
    assert memory.words_left() == (memory.bound - memory.used) // 2
    memory.bound = memory.used // 2              # now well past it
    memory.last_collect = 1.0                    # (no collection to get under)
    assert not memory.check(1.0) and memory.exhausted and memory.allocation_fails()
    assert memory.words_left() == 0
    memory.start_grace()
    assert not memory.exhausted and memory.in_grace
    assert memory.check(1.02)                    # past the margin as well: stop
    memory.bound = memory.used * 4               # back under the bound
    assert not memory.check(1.04) and not memory.in_grace and not memory.exhausted


def test_memory_option_range(vm_command, xerox_image):
    for value in ('1', '100000', 'lots'):
        status, out, err = run_vm(vm_command, ['--memory', value, '-e', '1', xerox_image])
        assert status == 2 and err.startswith('st80: --memory'), err


# -- recursion: only memory limits it ------------------------------------------------------

@pytest.mark.parametrize('jit', ['on', 'off'])
@pytest.mark.parametrize('depth', [10000, 200000])
def test_deep_recursion_answers(st80_binary, xerox_image, jit, depth):
    args = ['--jit', 'off'] if jit == 'off' else []
    status, out, err = run_vm([st80_binary], args + ['-e', DEPTH + '3 depthX: %d' % depth,
                                                     xerox_image])
    assert (status, out.strip()) == (0, str(depth)), err


def test_endless_recursion_is_a_smalltalk_error(st80_binary, xerox_image):
    status, out, err, peak = peak_rss_mb([st80_binary], ['--memory', '160', '-e',
                                                         FOREVER + '3 foreverX', xerox_image])
    assert status == 1, err
    lines = err.splitlines()
    assert lines[0].startswith('Error: Space is low') or lines[0].startswith(
        'Error: out of memory'), err
    assert lines[1] == 'the evaluation was running:', err
    assert lines[2].strip() == 'SmallInteger(Object)>>foreverX', err
    assert peak < 160 + 40


def test_growing_without_end_stops_at_the_bound(st80_binary, xerox_image):
    grow = ("| a | a _ OrderedCollection new. "
            "[true] whileTrue: [a add: (Array new: 60000)]")
    status, out, err, peak = peak_rss_mb([st80_binary], ['--memory', '160', '-e', grow,
                                                         xerox_image])
    assert status == 1, err
    assert err.startswith('Error: Space is low') or err.startswith('Error: out of memory'), err
    assert peak < 160 + 40


# -- bad code: a Smalltalk error in its process ----------------------------------------------

def bad_method(code):
    """A method of six literals built at run time: `code` from its first byte."""
    stores = ' '.join('m at: %d put: %d.' % (15 + i, b) for i, b in enumerate(code))
    return ("| m | m _ CompiledMethod newMethod: 30 header: 134. %s "
            "Object addSelector: #zork withMethod: m. 3 zork" % stores)


@pytest.mark.parametrize('code, why', [
    ([95, 124], 'literal 31 out of range'),             # pushLitVar31, 6 literals
    ([63, 124], 'literal 31 out of range'),             # pushLit31
    ([15, 124], 'an object accessed outside its fields'),   # pushRcvr15 of 3
    ([151] + [0] * 15, 'an object accessed outside its fields'),  # jump into pushRcvr0s
    ([164, 200], 'pc 217 outside the method'),           # longJump +200
    ([135, 135, 124], 'stack underflow'),
    ([126], 'unknown bytecode 126'),
])
def test_bad_methods_are_errors_that_name_the_method(st80_binary, xerox_image, code, why):
    status, out, err = run_vm([st80_binary], ['-e', bad_method(code), xerox_image])
    assert status == 1, err
    first = err.splitlines()[0]
    assert first.startswith('Error: %s in Object>>zork pc ' % why), err
    assert 'SmallInteger(Object)>>zork' in err


# -- damaged images --------------------------------------------------------------------------

def test_a_fuzz_sample_finds_no_crash_or_hang(st80_binary, xerox_image):
    """A seeded sample of mutated images (tools/fuzz_images.py; the full
    10,000 are run by hand, see README)."""
    status = subprocess.call([sys.executable, os.path.join(ROOT, 'tools', 'fuzz_images.py'),
                              '--binary', st80_binary, '--image', xerox_image,
                              '--count', '200', '--cycles', '1000000', '--seed', '1',
                              '--jobs', '2'])
    assert status == 0


@pytest.mark.parametrize('seed', [101180, 102551, 108681])
def test_mutants_that_once_crashed_st80_c(st80_binary, xerox_image, seed):
    """Seeds of the 10,000-mutant run that found a crash: a popped slot never
    written (a hole, not nil) and an active context without a method."""
    status = subprocess.call([sys.executable, os.path.join(ROOT, 'tools', 'fuzz_images.py'),
                              '--binary', st80_binary, '--image', xerox_image,
                              '--replay', str(seed), '--jobs', '1'])
    assert status == 0
