"""tools/jitlog.py on a small synthetic PYPYLOG and on a real one from st80-c."""

import os
import subprocess
import sys

from tests.conftest import ROOT, run_vm

sys.path.insert(0, os.path.join(ROOT, 'tools'))
import jitlog

SAMPLE = """\
[1a] {jit-tracing
debug_merge_point(0, 0, 'Foo>>bar pc: 20 send +')
~~~ ABORTING TRACING trace too long
[1b] jit-tracing}
[2a] {jit-log-opt-loop
# Loop 1 (Foo>>loop pc: 12 pushTemp0) : loop with 9 ops
[p0]
+100: label(p0, descr=TargetToken(1000))
debug_merge_point(0, 0, 'Foo>>loop pc: 12 pushTemp0')
+110: guard_not_invalidated(descr=<Guard0xabc>) [p0]
+120: label(p0, i1, descr=TargetToken(2000))
debug_merge_point(0, 0, 'Foo>>loop pc: 12 pushTemp0')
debug_merge_point(1, 1, 'Bar>>inc: pc: 5 send +')
+130: i2 = int_add(i1, 1)
+140: guard_no_overflow(descr=<Guard0xdef>) [p0]
+150: i3 = int_lt(i2, 100)
+160: guard_true(i3, descr=<Guard0x123>) [p0]
+170: jump(p0, i2, descr=TargetToken(2000))
[2b] jit-log-opt-loop}
[3a] {jit-log-opt-bridge
# bridge out of Guard 0x123 with 2 ops
[p0]
debug_merge_point(0, 0, 'Foo>>loop pc: 30 returnTop')
+10: guard_class(p0, 1, descr=<Guard0x456>) [p0]
+20: finish(p0)
[3b] jit-log-opt-bridge}
[3c] {jit-log-opt-loop
# Loop 2 (Integer>>fib pc: 5 pushSelf) : entry bridge with 3 ops
[p0]
debug_merge_point(0, 0, 'Integer>>fib pc: 5 pushSelf')
+10: guard_not_invalidated(descr=<Guard0x789>) [p0]
+20: finish(p0)
[3d] jit-log-opt-loop}
[4a] {jit-backend-counts
entry 1:3
entry 2:4321
TargetToken(1000):3
TargetToken(2000):500
bridge 291:7
[4b] jit-backend-counts}
[4c] {st80-flush
primitiveFlushCache changed the lookup of #DoIt
[4d] st80-flush}
[4e] {st80-flush
primitiveFlushCache changed the lookup of #DoIt
[4f] st80-flush}
[4e0] {st80-guards
Guard0xdef 7
Guard0x999 2
Guard0x123 40
[4e1] st80-guards}
[5a] {jit-summary
Total # of loops:	1
[5b] jit-summary}
"""


def test_parse_and_report_a_sample(tmpdir):
    path = str(tmpdir.join('log'))
    open(path, 'w').write(SAMPLE)
    traces, aborts, summary, flushes, failures = jitlog.parse(path)
    loop = [t for t in traces if t.kind == 'loop'][0]
    bridge = [t for t in traces if t.kind == 'bridge'][0]
    assert loop.method() == 'Foo>>loop' and loop.count == 500
    assert loop.ops == 8 and loop.guards == 3
    assert bridge.count == 7 and bridge.parent[0] is loop           # 0x123 == 291
    assert bridge.parent[1] == 'Bar>>inc: pc: 5 send +'
    entry = [t for t in traces if t.kind == 'entry'][0]     # a method's entry
    assert entry.method() == 'Integer>>fib' and entry.count == 4321 and entry.ops == 2
    assert aborts == [('trace too long', 'Foo>>bar pc: 20 send +')]
    assert flushes == ['primitiveFlushCache changed the lookup of #DoIt'] * 2
    out = tmpdir.join('report')
    with open(str(out), 'w') as f:
        jitlog.report(path, out=f)
    text = out.read()
    assert 'Foo>>loop' in text and 'Bar>>inc: [1]' in text
    assert 'trace too long' in text and '500' in text
    assert '1 loops, 1 method entries, 1 bridges' in text and '4,321  Entry 2' in text
    assert '    2  primitiveFlushCache changed the lookup of #DoIt' in text
    assert '49 failures at 3 guards' in text
    assert '40  guard_true       at Bar>>inc: pc: 5 send + in Loop 1' in text
    assert 'Guard 0x999 (not in the log)' in text


def test_guard_failures_name_their_guard_trace_and_position(tmpdir):
    path = str(tmpdir.join('log'))
    open(path, 'w').write(SAMPLE)
    failures = jitlog.parse(path)[4]
    assert [(n, gid, op) for n, gid, op, t, loc in failures] == [
        (40, '123', 'guard_true'), (7, 'def', 'guard_no_overflow'), (2, '999', 'guard')]
    assert failures[0][3].name() == 'Loop 1' and failures[0][4] == 'Bar>>inc: pc: 5 send +'
    assert failures[2][3] is None


BRIDGES = """\
[1a] {jit-log-opt-loop
# Loop 1 (Foo>>loop pc: 12 pushTemp0) : loop with 3 ops
[p0]
+100: label(p0, descr=TargetToken(1000))
debug_merge_point(0, 0, 'Foo>>loop pc: 12 pushTemp0')
+110: guard_true(i1, descr=<Guard0xa1>) [p0]
+120: jump(p0, descr=TargetToken(1000))
[1b] jit-log-opt-loop}
[2a] {jit-log-opt-bridge
# bridge out of Guard 0xa1 with 2 ops
[p0]
+10: guard_class(p0, 1, descr=<Guard0xb2>) [p0]
debug_merge_point(0, 0, 'Foo>>loop pc: 20 send +')
+20: finish(p0)
[2b] jit-log-opt-bridge}
[3a] {jit-log-opt-bridge
# bridge out of Guard 0xb2 with 1 ops
[p0]
+10: finish(p0)
[3b] jit-log-opt-bridge}
"""


def test_a_guard_before_a_bridges_first_merge_point_is_where_the_bridge_starts(tmpdir):
    path = str(tmpdir.join('log'))
    open(path, 'w').write(BRIDGES)
    traces, aborts, summary, flushes, failures = jitlog.parse(path)
    first, second = [t for t in traces if t.kind == 'bridge']
    assert first.parent[1] == 'Foo>>loop pc: 12 pushTemp0'
    assert second.parent[0] is first
    assert second.parent[1] == 'Foo>>loop pc: 12 pushTemp0'     # not '?'


def test_a_log_without_run_counts_says_how_to_get_them(tmpdir):
    path = str(tmpdir.join('log'))
    open(path, 'w').write(BRIDGES)          # no jit-backend-counts section
    out = tmpdir.join('report')
    with open(str(out), 'w') as f:
        jitlog.report(path, out=f)
    assert 'no run counts in this log' in out.read()
    open(path, 'w').write(SAMPLE)           # with counts: no such remark
    with open(str(out), 'w') as f:
        jitlog.report(path, out=f)
    assert 'no run counts' not in out.read()


def test_real_log_of_the_binary(st80_binary, xerox_image, tmpdir):
    log = str(tmpdir.join('jit.log'))
    expr = ('| s i j | s := 0. j := 0. [j < 10] whileTrue: [i := 0. [i < 10000] whileTrue: '
            '[s := (s + (i bitAnd: 255)) bitAnd: 1023. i := i + 1]. j := j + 1]. s')
    status, out, err = run_vm([st80_binary], ['--no-files', '-e', expr, xerox_image],
                              env={'PYPYLOG': 'jit:' + log})
    assert status == 0, err
    s = 0
    for j in range(10):
        for i in range(10000):
            s = (s + (i & 255)) & 1023
    assert out.strip() == str(s)
    report = subprocess.check_output([sys.executable, os.path.join(ROOT, 'tools', 'jitlog.py'),
                                      log]).decode()
    assert 'UndefinedObject>>DoIt' in report
    traces, aborts, summary, flushes, failures = jitlog.parse(log)
    loops = [t for t in traces if t.kind == 'loop']
    hottest = max(loops, key=lambda t: t.count)
    assert hottest.count > 50000
    assert hottest.start().startswith('UndefinedObject>>DoIt pc: ')


def guard_failures(st80_binary, xerox_image, tmpdir, jit_params):
    """A loop whose branch goes the other way every other time: the guard of
    that branch fails (PYPYLOG st80-guards) until it has a bridge."""
    log = str(tmpdir.join('guards-%s.log' % jit_params.replace('=', '-')))
    expr = ('| s i | s := 0. i := 0. [i < 20000] whileTrue: [(i bitAnd: 1) = 0 '
            'ifTrue: [s := s + 1] ifFalse: [s := s + 2]. i := i + 1]. s')
    status, out, err = run_vm([st80_binary], ['--no-files', '--jit', jit_params, '-e', expr,
                                              xerox_image],
                              env={'PYPYLOG': 'jit-log-opt,st80-guards:' + log})
    assert status == 0, err
    assert out.strip() == '30000'
    return jitlog.parse(log)[4]


def test_guard_failures_of_the_binary(st80_binary, xerox_image, tmpdir):
    # With bridges out of reach the loop's code is left at least every other
    # iteration (at most once an iteration: the next starts in it again).
    failures = guard_failures(st80_binary, xerox_image, tmpdir, 'trace_eagerness=1000000')
    n, gid, op, trace, loc = failures[0]
    assert op in ('guard_true', 'guard_false') and trace is not None
    assert loc.startswith('UndefinedObject>>DoIt pc: ')
    in_doit = sum(f[0] for f in failures if f[4].startswith('UndefinedObject>>DoIt '))
    assert 5000 < in_doit <= 20000
    # By default a guard gets a bridge after some 200 failures (RPython's
    # trace_eagerness), and then it no longer fails.
    failures = guard_failures(st80_binary, xerox_image, tmpdir, 'default')
    assert max(f[0] for f in failures) <= 400
    assert sum(f[0] for f in failures) < 3000


def summary_count(summary, label):
    for line in summary:
        if line.startswith(label + ':'):
            return int(line[len(label) + 1:])
    raise AssertionError('no %r in the jit-summary: %r' % (label, summary))


def bench_jit_summary(st80_binary, xerox_image, tmpdir, test, passes=40):
    """The jit-summary of `st80-c --bench TEST --bench-repeat PASSES`; some
    code was compiled."""
    log = str(tmpdir.join('jit.log'))
    status, out, err = run_vm([st80_binary], ['--bench', test, '--bench-repeat',
                                              str(passes), xerox_image],
                              env={'PYPYLOG': 'jit-summary:' + log})
    assert status == 0, err
    assert out.count('benchmark pass ') == passes
    summary = jitlog.parse(log)[2]
    assert summary_count(summary, 'Total # of loops') > 0
    return summary


def test_blocks_do_not_throw_away_their_homes_traces(st80_binary, xerox_image, tmpdir):
    """Set>>do: runs its block from the compiled loop of to:do:; the block reads
    Set>>do:'s temps and receiver. When those were fields of the JIT's
    virtualizable, each read forced the home and aborted its trace ('vable
    escape'), again and again: 28 times in these 40 passes."""
    summary = bench_jit_summary(st80_binary, xerox_image, tmpdir, 'testAllImplementors')
    assert summary_count(summary, 'abort: vable escape') <= 2


def test_the_compiler_building_methods_aborts_no_trace(st80_binary, xerox_image, tmpdir):
    """The compiler writes the bytes of the methods it builds (at:put:). When
    traces read a method's quasi-immutable fields as data, that marked the new
    method as watched, and a trace writing it aborted ('force quasi-immut'):
    twice in these 40 passes."""
    summary = bench_jit_summary(st80_binary, xerox_image, tmpdir, 'testCompiler')
    assert summary_count(summary, 'abort: force quasi-immut') == 0
