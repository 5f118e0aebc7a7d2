"""With the JIT on, Smalltalk means the same as without it.

Each program runs a hot loop (thousands of iterations: past the thresholds, so
the loop is traced, compiled and then run as machine code) around something a
tracing JIT can get wrong: process switches, non-local returns, thisContext and
sender manipulation, become:, and methods (re)defined while the loop runs.
They run on st80-c four ways: the default JIT, an eager JIT (tiny thresholds:
everything compiles, bridges too), eager loops only, and --jit off; the answers must all be the
expected ones. The eval table and the boot trace are checked the same way.
"""

import pytest

from tests.conftest import run_vm
from tests.test_eval import TABLE
from tests.test_boot import compare_trace, trace_of, reference_trace

EAGER = 'threshold=23,function_threshold=31,trace_eagerness=5'
# Loops compile early but methods keep the default entry threshold: a process
# then gets suspended inside a loop's own trace (the Delay timing process's
# `TimingSemaphore wait`), which leaves its portal by SwitchToContext; its ip
# must reach the heap (it once resumed at a stale one and the Delays hung).
EAGER_LOOPS = 'threshold=23,trace_eagerness=5'
MODES = {'jit': [], 'eager': ['--jit', EAGER], 'eager-loops': ['--jit', EAGER_LOOPS],
         'off': ['--jit', 'off']}

PROGRAMS = [
    # Process switches: a forked process and the evaluation ping-pong through
    # two Semaphores, 3,000 times; then two processes interleaving by yield.
    ('semaphores', [],
     "| a b n | a := Semaphore new. b := Semaphore new. n := 0. "
     "[1 to: 3000 do: [:i | a wait. n := n + i. b signal]] fork. "
     "1 to: 3000 do: [:i | a signal. b wait]. n",
     '4501500'),
    ('yield', [],
     "| log | log := OrderedCollection new. "
     "[1 to: 2000 do: [:i | log add: 1. Processor yield]] fork. "
     "1 to: 2000 do: [:i | log add: 2. Processor yield]. "
     "(log copyFrom: 1 to: 6) asArray , (Array with: log size with: (log inject: 0 into: [:x :y | x + y]))",
     '(2 1 2 1 2 1 4000 6000 )'),
    ('delays', [],
     "| t | t := 0. 1 to: 40 do: [:i | (Delay forMilliseconds: 1) wait. t := t + i]. t",
     '820'),
    # Non-local returns: from a block in a method called in the loop (detect:),
    # and from a block two sends down (a method of our own).
    ('non-local return', [],
     "| f | f := 0. 1 to: 5000 do: [:i | "
     "f := f + (#(1 2 3 4 5) detect: [:x | x > (i \\\\ 5)] ifNone: [0])]. f",
     '15000'),
    ('non-local return through do:',
     ["Object compile: 'firstOver: n in: c c do: [:x | x > n ifTrue: [^x]]. ^nil' "
      "classified: 'st80 tests'"],
     "| s | s := 0. 1 to: 4000 do: [:i | s := s + (nil firstOver: i \\\\ 7 in: #(2 4 6 8))]. s",
     '18282'),
    # thisContext: temps written through the context object, and a method that
    # makes its caller's caller its sender (so ^ skips the caller).
    ('thisContext tempAt:put:', [],
     "| t sum | sum := 0. 1 to: 3000 do: [:i | t := i. thisContext tempAt: 1 put: t * 2. "
     "sum := sum + t]. sum",
     '9003000'),
    ('sender manipulation',
     ["Object compile: 'escape: v thisContext instVarAt: 1 put: thisContext sender sender. ^v' "
      "classified: 'st80 tests'",
      "Object compile: 'viaEscape: v self escape: v. ^0' classified: 'st80 tests'"],
     "| s | s := 0. 1 to: 3000 do: [:i | s := s + (3 viaEscape: i)]. s",
     '4501500'),
    ('sender chain',
     ["Object compile: 'callerName ^thisContext sender method == (Object compiledMethodAt: #askName)' "
      "classified: 'st80 tests'",
      "Object compile: 'askName ^self callerName' classified: 'st80 tests'"],
     "| n | n := 0. 1 to: 3000 do: [:i | nil askName ifTrue: [n := n + 1]]. n",
     '3000'),
    # A returned context is dead (Blue Book nilContextFields: sender and pc nil),
    # also when it ran as the portal of its own compiled method entry (the
    # recursion goes past max_unroll_recursion, so callees run by call_assembler).
    ('returned contexts are dead',
     ["Object compile: 'deadAt: n ^n = 0 ifTrue: [thisContext] ifFalse: [self deadAt: n - 1]' "
      "classified: 'st80 tests'"],
     "| bad c | bad := 0. 1 to: 3000 do: [:i | c := nil deadAt: i \\\\ 13. "
     "(c sender isNil and: [c pc isNil]) ifFalse: [bad := bad + 1]]. bad",
     '0'),
    # Blocks that read and write their home's temps, the home being a method
    # of our own that is called in the loop (its temps are kept in the heap).
    ('home temps from blocks',
     ["Object compile: 'sumTo: n | s | s _ 0. 1 to: n do: [:i | #(1 2) do: [:k | s _ s + (k * i)]]. ^s' "
      "classified: 'st80 tests'"],
     "| t | t := 0. 1 to: 3000 do: [:i | t := t + ((nil sumTo: i \\\\ 10) \\\\ 1000)]. t",
     '148500'),
    # become: of collections inside the loop (same-size and different-size bodies).
    ('become:', [],
     "| a b s | s := 0. 1 to: 3000 do: [:i | a := Array with: i. "
     "b := OrderedCollection new. b add: i; add: i. a become: b. "
     "s := s + a size + b first]. s",
     '4507500'),
    # Methods (re)defined while the loop runs: in the class itself, then an
    # override in a subclass (the lookup of 3 probe changes twice).
    ('method redefinition',
     ["Object compile: 'probe ^1' classified: 'st80 tests'"],
     "| s | s := 0. 1 to: 3000 do: [:i | "
     "i = 1500 ifTrue: [Object compile: 'probe ^2' classified: 'st80 tests']. "
     "i = 2000 ifTrue: [SmallInteger compile: 'probe ^3' classified: 'st80 tests']. "
     "s := s + 3 probe]. s",
     '5502'),
    ('recompiled in its own class',
     ["Object subclass: #St80A instanceVariableNames: '' classVariableNames: '' "
      "poolDictionaries: '' category: 'St80-Tests'",
      "St80A compile: 'value ^10' classified: 'st80 tests'"],
     "| x s | x := St80A new. s := 0. 1 to: 3000 do: [:i | "
     "i = 1000 ifTrue: [St80A compile: 'value ^20' classified: 'st80 tests']. "
     "s := s + x value]. s",
     '50010'),
    # A megamorphic send: a selector sent to every class and metaclass, so
    # that its class guard fails for all but a few; the method all of them
    # find is redefined half-way (2, then 3, for each of 2 * 40 sends).
    ('megamorphic send, redefined',
     ["Object compile: 'st80Mega ^1' classified: 'st80 tests'",
      "Behavior compile: 'st80Mega ^2' classified: 'st80 tests'"],
     "| cs n | cs := OrderedCollection new. Object allSubclassesDo: [:c | cs add: c]. "
     "n := 0. 1 to: 40 do: [:k | k = 21 ifTrue: [Behavior compile: 'st80Mega ^3' "
     "classified: 'st80 tests']. cs do: [:c | n := n + c st80Mega + c class st80Mega]]. "
     "n - (cs size * 200) + (3 st80Mega)",
     '1'),
]


def run_program(binary, mode, setup, source, image):
    args = []
    for expr in setup + [source]:
        args += ['-e', expr]
    # A hang ends at the bound, with the report of where the evaluation was.
    status, out, err = run_vm([binary] + MODES[mode] + ['--timeout', '120'],
                              args + [image], timeout=300)
    lines = [l for l in out.splitlines() if not l.startswith(' (')]
    return status, lines, err


@pytest.mark.parametrize('mode', sorted(MODES))
@pytest.mark.parametrize('name, setup, source, expected', PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_hot_loop(st80_binary, xerox_image, mode, name, setup, source, expected):
    status, lines, err = run_program(st80_binary, mode, setup, source, xerox_image)
    assert status == 0, err
    assert lines and lines[-1] == expected, (name, mode, lines, err)


def test_eval_table_is_the_same_with_and_without_the_jit(st80_binary, xerox_image):
    args = []
    for expr, _ in TABLE:
        args += ['-e', expr]
    outputs = {}
    for mode in ('eager', 'off'):
        status, out, err = run_vm([st80_binary] + MODES[mode], args + [xerox_image])
        assert status == 0, err
        outputs[mode] = out
    assert outputs['eager'] == outputs['off']
    assert outputs['off'].splitlines()[0] == '7'


def test_boot_trace_with_an_eager_jit(st80_binary, xerox_image, reference_file):
    """The first 100,000 bytecodes, with loops compiled after 23 iterations."""
    compare_trace(trace_of([st80_binary, '--jit', EAGER], xerox_image, 100000),
                  reference_trace(reference_file, 100000))
