"""Headless evaluation (-e, --file, --bench): results, Transcript, errors, bounds.
Every test runs untranslated and against st80-c."""

import pytest

from tests.conftest import run_vm

# (expression, expected printString). Run in order, in one session.
TABLE = [
    ('3 + 4', '7'),
    ('16383 + 1', '16384'),                                   # SmallInteger overflow
    ('(16383 + 1) class', 'LargePositiveInteger'),
    ('1000000000 * 1000000000', '1000000000000000000'),
    ('(2 raisedTo: 64) - 1', '18446744073709551615'),
    ('100 factorial / 98 factorial', '9900'),
    ('-7 \\\\ 3', '2'),
    ('-7 // 3', '-3'),
    ('-7 rem: 3', '-1'),
    ('(2 raisedTo: 40) negated class', 'LargeNegativeInteger'),
    ('(1/3) + (2/3)', '1'),
    ('(3/4) printString', "'(3/4)'"),
    ('(1/3) class', 'Fraction'),
    ('3.1 + 4.1', '7.2'),
    ('2 sqrt', '1.41421'),
    ('1.5 truncated', '1'),
    ('$a asUppercase', '$A'),
    ('$a asInteger', '97'),
    ("'hello' reverse", "'olleh'"),
    ("'hello' , ' world'", "'hello world'"),
    ("'abc' < 'abd'", 'true'),
    ('#foo:bar: numArgs', '2'),
    ('#sym == #sym', 'true'),
    ("#(1 $a 'str' #sym (1 2))", "(1 $a 'str' sym (1 2 ) )"),
    ('(1 to: 5) collect: [:i | i * i]', '(1 4 9 16 25 )'),
    ('#(3 1 2) asSortedCollection asArray', '(1 2 3 )'),
    ('(OrderedCollection new add: 3; add: 4; yourself)', 'OrderedCollection (3 4 )'),
    ('#(1 2 2 3) asSet size', '3'),
    ('(Dictionary new at: #a put: 1; yourself)', 'Dictionary (a->1 )'),
    ('3 @ 4 + 1', '4@5'),
    ('[:x :y | x * y] value: 6 value: 7', '42'),
    ("[:x | x > 2 ifTrue: ['big'] ifFalse: ['small']] value: 3", "'big'"),
    ('#(1 2 3) inject: 0 into: [:a :b | a + b]', '6'),
    ('#(1 5 2) detect: [:x | x > 4]', '5'),
    ("Object subclass: #St80Test instanceVariableNames: 'a' classVariableNames: '' "
     "poolDictionaries: '' category: 'St80-Tests'", 'St80Test'),
    ("St80Test compile: 'double: x ^x * 2' classified: 'test'", 'double:'),
    ("St80Test compile: 'find: n #(1 2 3) do: [:x | x = n ifTrue: [^x * 10]]. ^0' "
     "classified: 'test'", 'find:'),
    ('St80Test new double: 21', '42'),
    ('St80Test new find: 2', '20'),                          # non-local return
    ('St80Test new find: 7', '0'),
    ('x := 6 * 7', '42'),                                     # := is accepted
    ("'a:=b' size", '4'),                                     # ... but not in strings
]


def run_eval(cmd, image, args, **kw):
    return run_vm(cmd, args + [image], **kw)


def test_expression_table(vm_command, xerox_image):
    args = []
    for expr, _ in TABLE:
        args += ['-e', expr]
    status, out, err = run_eval(vm_command, xerox_image, args)
    assert status == 0, err
    # Lines that are results; the image's Transcript notes (e.g. undeclared x) aside.
    results = [line for line in out.splitlines() if not line.startswith(' (')]
    for (expr, expected), got in zip(TABLE, results):
        assert got == expected, 'for %s: got %r, expected %r' % (expr, got, expected)
    assert len(results) == len(TABLE)


def test_transcript_goes_to_stdout(vm_command, xerox_image):
    # More than the TextCollector's 2,000-character limit: nothing is lost.
    status, out, err = run_eval(vm_command, xerox_image, [
        '-e', "Transcript show: 'hello'; cr. 1 to: 300 do: [:i | Transcript show: "
              "i printString; show: ' ']. Transcript cr. 42"])
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == 'hello'
    assert lines[1].split() == [str(i) for i in range(1, 301)]
    assert lines[2] == '42'


def test_file_in(vm_command, xerox_image, tmpdir):
    source = tmpdir.join('test.st')
    source.write("Object subclass: #St80File\n"
                 "  instanceVariableNames: ''\n  classVariableNames: ''\n"
                 "  poolDictionaries: ''\n  category: 'St80-Tests'!\n"
                 "!St80File methodsFor: 'test'!\n"
                 "triple: x\n  ^x * 3! !\n"
                 "Transcript show: 'filed in: ', (St80File new triple: 14) printString; cr!\n")
    status, out, err = run_eval(vm_command, xerox_image, ['--file', str(source),
                                                          '-e', 'St80File new triple: 5'])
    assert status == 0, err
    assert 'filed in: 42' in out.splitlines()
    assert out.splitlines()[-1] == '15'


@pytest.mark.parametrize('expr, words', [
    ('3 zork', ['Error: Message not understood: zork',
                'SmallInteger(Object)>>doesNotUnderstand:', 'UndefinedObject>>DoIt']),
    ("nil error: 'boom'", ['Error: boom', 'UndefinedObject(Object)>>error:']),
    ('nil halt', ['Error: Halt encountered.']),
    ('(Array new: 3) at: 5', ['Error: subscript is out of bounds: 5', 'Array(Object)>>at:']),
    ('Object new instVarAt: 1 put: 3', ['Error:', 'Object>>instVarAt:put:']),
])
def test_runtime_errors_exit_1_with_a_stack(vm_command, xerox_image, expr, words):
    status, out, err = run_eval(vm_command, xerox_image, ['-e', expr, '-e', '99'])
    assert status == 1
    for w in words:
        assert w in err, (w, err)
    assert '99' not in out          # the run stops at the error
    assert 'Traceback' not in err


def test_compile_error_exit_1_with_position(vm_command, xerox_image):
    status, out, err = run_eval(vm_command, xerox_image, ['-e', '3 + (4'])
    assert status == 1
    lines = err.splitlines()
    assert lines[0] == 'Syntax error at position 7: right parenthesis expected ->'
    assert lines[1] == '  3 + (4'
    assert lines[2] == '        ^'


@pytest.mark.parametrize('bound', [['--timeout', '2'], ['--cycles', '300000']])
def test_bounds_exit_3(vm_command, xerox_image, bound):
    status, out, err = run_eval(vm_command, xerox_image, bound + ['-e', '[true] whileTrue'])
    assert status == 3
    assert 'reached its bound' in err
    lines = err.splitlines()
    assert lines[1] == 'the evaluation was running:'
    assert lines[-1].endswith('UndefinedObject>>DoIt')    # (or the block in it)


def test_timeout_while_waiting_says_where(vm_command, xerox_image):
    status, out, err = run_eval(vm_command, xerox_image,
                                ['--timeout', '2', '-e', '3 + 4. Semaphore new wait'])
    assert status == 3
    lines = err.splitlines()
    assert lines[1] == 'the evaluation was waiting (another process ran):'
    assert lines[-1].strip() == 'UndefinedObject>>DoIt'


LOOP = '| s | s := 0. 1 to: %d do: [:j | 1 to: 1000 do: [:i | s := i \\\\ 7]]. s'


def profile_of(err):
    """--profile's report: (total, [(count, 'Class>>selector'), ...])."""
    lines = err.splitlines()
    starts = [k for k, line in enumerate(lines) if line.startswith('profile: ')]
    assert len(starts) == 1, err
    total = int(lines[starts[0]].split()[1])
    rows = []
    for line in lines[starts[0] + 1:]:
        count, name = line.split(None, 1)      # a metaclass is 'Foo class'
        rows.append((int(count), name))
    return total, rows


def test_profile_counts_the_bytecodes_each_method_ran(vm_command, xerox_image):
    status, out, err = run_eval(vm_command, xerox_image,
                                ['--jit', 'off', '--profile', '-e', LOOP % 10])
    assert status == 0, err
    assert out.splitlines()[0] == '6'       # 1000 \\ 7
    total, rows = profile_of(err)
    assert 0 < len(rows) <= 30
    assert [c for c, _ in rows] == sorted([c for c, _ in rows], reverse=True)
    doit = [c for c, name in rows if name == 'UndefinedObject>>DoIt']
    # 10,000 turns of the inner block (Number>>to:do: runs the loop), each a
    # few bytecodes; the whole run more
    assert len(doit) == 1 and 10000 * 4 <= doit[0] <= total


def test_profile_leaves_out_jit_code(st80_binary, xerox_image):
    counts = {}
    for jit in ('off', 'default'):
        status, out, err = run_eval([st80_binary], xerox_image,
                                    ['--jit', jit, '--profile', '-e', LOOP % 100])
        assert status == 0, err
        counts[jit] = dict((name, c) for c, name in profile_of(err)[1])
    # 100,000 turns: the interpreter runs them all with the JIT off; with it on,
    # only those before the loop is compiled (and those of the rare guard failure)
    assert counts['off']['UndefinedObject>>DoIt'] >= 100000 * 4
    assert counts['default'].get('UndefinedObject>>DoIt', 0) < 100000


def test_bench_chosen_tests(vm_command, xerox_image):
    status, out, err = run_eval(vm_command, xerox_image,
                                ['--bench', 'test3plus4', 'testWhileLoop'])
    assert status == 0, err
    lines = out.splitlines()
    assert len(lines) == 3
    names = [l.split()[1] for l in lines]
    assert names == ['test3plus4', 'testWhileLoop', 'total']
    # The image's own figure is blockTime - emptyTime (Benchmark>>time:repeated:),
    # so a test faster than the clock's resolution may report -1 ms: no sign check.
    times = [int(l.split()[2]) for l in lines]
    assert times[2] == times[0] + times[1]
    assert lines[2].endswith('ms (2 tests)')


def test_bench_all_standard_tests(st80_binary, xerox_image):
    status, out, err = run_eval([st80_binary], xerox_image, ['--bench'], timeout=900)
    assert status == 0, err
    lines = out.splitlines()
    assert len(lines) == 54, out
    assert lines[-1].startswith('benchmark total ') and lines[-1].endswith('(53 tests)')
    assert all(l.startswith('benchmark test') and l.endswith(' ms') for l in lines[:-1])


def test_bench_repeat_reports_each_pass(st80_binary, xerox_image):
    status, out, err = run_eval([st80_binary], xerox_image,
                                ['--bench', 'test3plus4', 'testWhileLoop', '--bench-repeat', '3'])
    assert status == 0, err
    lines = out.splitlines()
    passes = [l for l in lines if l.startswith('benchmark pass ')]
    assert [l.split()[2] for l in passes] == ['1', '2', '3']
    tests = [l.split()[1] for l in lines if l.startswith('benchmark test')]
    assert tests == ['test3plus4', 'testWhileLoop'] * 3
    assert lines[-1].startswith('benchmark total ') and lines[-1].endswith('(6 tests)')


def test_bench_unknown_test_is_a_clear_error(vm_command, xerox_image):
    status, out, err = run_eval(vm_command, xerox_image, ['--bench', 'testNoSuchThing'])
    assert status == 1
    assert 'testNoSuchThing' in err and 'Traceback' not in err


def test_bench_tests_run_without_flushing_method_lookup(st80_binary, xerox_image, tmpdir):
    # Each test is sent directly, not compiled into a DoIt: nothing changes a
    # method dictionary, so the JIT code of one pass serves the next.
    log = str(tmpdir.join('flush.log'))
    status, out, err = run_eval([st80_binary], xerox_image,
                                ['--bench', 'test3plus4', 'testActivationReturn',
                                 '--bench-repeat', '2'],
                                env={'PYPYLOG': 'st80-flush:' + log})
    assert status == 0, err
    assert len([l for l in out.splitlines() if l.startswith('benchmark pass ')]) == 2
    assert 'changed the lookup' not in open(log).read()
    # An evaluation installs and removes its DoIt: that changes the lookup of
    # #DoIt only (the JIT code of other selectors stays), and nothing else.
    status, out, err = run_eval([st80_binary], xerox_image, ['--no-files', '-e', '3 + 4'],
                                env={'PYPYLOG': 'st80-flush:' + log})
    assert status == 0 and out.strip() == '7', err
    lines = [l for l in open(log).read().splitlines() if 'changed the lookup' in l]
    assert lines and all(l.endswith('changed the lookup of #DoIt') for l in lines), lines
