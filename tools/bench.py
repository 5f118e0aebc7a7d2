"""Benchmarks (not tests): st80 on the Xerox image, medians and ratios.

    python tools/bench.py [--runs N] [--full] [--binary ./st80-c] [--image PATH]
                          [--only boot|programs|suite|interpreter|memory|files] [--suite-passes N]
                          [--against OTHER-BINARY]

With --against, only an A/B comparison of the two binaries: each program and the
suite (steady state), JIT on and off, runs of the two interleaved.

1. Programs (benchmarks/*.st) on st80-c with the JIT on and with --jit off: each
   answers the times of 7 repetitions; the first is the warm-up, the median of the
   others the steady state. Medians over N runs, and the on/off ratio.
2. The image's own Benchmark suite (st80-c --bench --bench-repeat N, N = 20 or
   --suite-passes): the total of the 53 standard tests per pass. Pass 1 is the
   warm-up; the big tests (compiler, decompiler, text editing) run once a pass,
   so the JIT settles slowly: "early" is the median of passes 2-6, the steady
   state the median of the last 10 passes; also the whole session's time (warm-up
   included) and the median of each 10 passes. JIT on and off, interleaved.
3. Interpreter speed on the boot and the idle loop:

4. Interpreter: bytecodes per second of --jit off on the suite's application
   tests (one pass: the bytecodes --profile counts, over the pass's own time).
5. Memory: the peak resident memory of st80-c over sessions of 1, 20 and 200
   passes of the suite (JIT on): it should stay flat.
5. Files (st80-c, a fresh --directory each run): the first boot's install of
   the file system (an -e against the same with --no-files), a method's source
   (getSource: the first of a session, which opens the sources file, and then
   each of Object's methods), and Benchmark fileOut (the first of a session
   and the median of the next four).

Boot: the first 100,000 bytecodes after resume (deterministic). Idle: 20M
bytecodes (the desktop's polling loop from about cycle 66,758 on), with the first
100,000 subtracted so that loading and booting do not count. Untranslated, the
idle run is 2M bytecodes unless --full. Prints medians over N runs and the peak
resident memory of st80-c.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, cycles, image):
    start = time.time()
    subprocess.check_call(cmd + ['--deterministic', '--cycles', str(cycles), image],
                          stdout=open(os.devnull, 'w'))
    return time.time() - start


def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2.0


def measure(name, cmd, image, runs, idle_cycles):
    boot = median([run(cmd, 100000, image) for _ in range(runs)])
    load = median([run(cmd, 0, image) for _ in range(runs)])
    idle = median([run(cmd, idle_cycles, image) for _ in range(runs)])
    boot_rate = 100000 / max(boot - load, 1e-6)
    idle_rate = (idle_cycles - 100000) / max(idle - boot, 1e-6)
    print('%-13s load %6.2f s   boot 100k %7.2f s  %12s bytecodes/s   idle %dM %7.2f s  %12s bytecodes/s'
          % (name, load, boot, '{:,.0f}'.format(boot_rate), idle_cycles // 1000000, idle,
             '{:,.0f}'.format(idle_rate)))
    sys.stdout.flush()


def peak_rss(cmd):
    """Peak RSS in KB of one command, measured in a process of its own."""
    probe = ('import resource, subprocess, sys; '
             'subprocess.call(sys.argv[1:], stdout=open("/dev/null", "w")); '
             'print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)')
    return int(subprocess.check_output([sys.executable, '-c', probe] + cmd).strip())


def program_times(cmd, path, image):
    """(warm-up ms, steady-state ms) of one run of a benchmarks/*.st file."""
    expr = open(path).read()
    out = subprocess.check_output(cmd + ['-e', expr, image]).decode()
    last = out.strip().splitlines()[-1]
    times = [int(t) for t in last.strip('() ').split()]
    return times[0], median(times[1:])


def print_header():
    print('\n%-14s %12s %12s %12s %10s' % ('program', 'JIT on ms', 'warm-up ms',
                                          'JIT off ms', 'on/off'))


def bench_programs(binary, image, runs):
    print_header()
    bench_dir = os.path.join(ROOT, 'benchmarks')
    for name in sorted(os.listdir(bench_dir)):
        if not name.endswith('.st'):
            continue
        path = os.path.join(bench_dir, name)
        on, off = [], []
        for _ in range(runs):   # interleaved: the machine's speed drifts
            on.append(program_times([binary], path, image))
            off.append(program_times([binary, '--jit', 'off'], path, image))
        steady_on = median([t[1] for t in on])
        steady_off = median([t[1] for t in off])
        print('%-14s %12.1f %12.1f %12.1f %9.1fx' % (
            name[:-3], steady_on, median([t[0] for t in on]), steady_off,
            float(steady_off) / max(steady_on, 0.5)))
        sys.stdout.flush()


SUITE_PASSES = 20
EARLY = slice(1, 6)         # passes 2-6; the steady state is the last 10 passes


def suite_passes(cmd, image, passes):
    """Totals (ms) of each pass of the 53 standard tests, run `passes` times
    in one session (--bench-repeat): the first is the warm-up."""
    out = subprocess.check_output(cmd + ['--bench', '--bench-repeat', str(passes), image]).decode()
    return [int(line.split()[4]) for line in out.splitlines()
            if line.startswith('benchmark pass ')]


def bench_suite(binary, image, runs, passes):
    on, off = [], []
    for _ in range(runs):       # interleaved: the machine's speed drifts
        on.append(suite_passes([binary], image, passes))
        off.append(suite_passes([binary, '--jit', 'off'], image, passes))
    steady = slice(passes - 10, passes)
    steady_on = median([median(p[steady]) for p in on])
    steady_off = median([median(p[steady]) for p in off])
    early_on = median([median(p[EARLY]) for p in on])
    total_on = median([sum(p) for p in on])
    total_off = median([sum(p) for p in off])
    print('%-14s %12.1f %12.1f %12.1f %9.1fx' % (
        'Benchmark', steady_on, median([p[0] for p in on]), steady_off,
        float(steady_off) / max(steady_on, 0.5)))
    print('  (the 53 standard tests, %d passes per session: warm-up = pass 1, '
          'steady = median of passes %d-%d; passes 2-6: %.1f ms, %.1fx; '
          'all %d passes: %.0f ms against %.0f, %.1fx)'
          % (passes, passes - 9, passes, early_on, float(steady_off) / max(early_on, 0.5),
             passes, total_on, total_off, float(total_off) / max(total_on, 0.5)))
    print('  JIT on, median of each 10 passes: %s ms' % ' '.join(
        '%.0f' % median([median(p[i:i + 10]) for p in on]) for i in range(0, passes, 10)))


def bench_against(binary, other, image, runs, passes):
    """A/B: this binary against another, every figure interleaved."""
    print('\n%-14s %-8s %12s %12s %8s' % ('program', 'JIT', 'this ms', 'other ms',
                                          'this/other'))
    bench_dir = os.path.join(ROOT, 'benchmarks')
    names = sorted(n for n in os.listdir(bench_dir) if n.endswith('.st'))
    for name in names + ['Benchmark']:
        for jit in (['on', []], ['off', ['--jit', 'off']]):
            mine, theirs = [], []
            for _ in range(runs):
                for cmd, into in (([binary], mine), ([other], theirs)):
                    if name == 'Benchmark':
                        into.append(median(suite_passes(cmd + jit[1], image, passes)[-10:]))
                    else:
                        into.append(program_times(cmd + jit[1], os.path.join(bench_dir, name),
                                                  image)[1])
            a, b = median(mine), median(theirs)
            print('%-14s %-8s %12.1f %12.1f %8.2f' % (name.replace('.st', ''), jit[0], a, b,
                                                       float(a) / max(b, 0.5)))
            sys.stdout.flush()


APPLICATION_TESTS = ['testTextScanning', 'testClassOrganizer', 'testPrintDefinition',
                     'testPrintHierarchy', 'testAllCallsOn', 'testAllImplementors',
                     'testInspect', 'testCompiler', 'testDecompiler', 'testKeyboardLookAhead',
                     'testKeyboardSingle', 'testTextDisplay', 'testTextFormatting',
                     'testTextEditing']


def interpreted_bytecodes(cmd, image, passes):
    """(bytecodes the interpreter ran, ms of the last pass) of a --profile run."""
    p = subprocess.Popen(cmd + ['--profile', '--bench'] + APPLICATION_TESTS +
                         ['--bench-repeat', str(passes), '--no-files', image],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    count = int(err.decode().split('profile: ')[1].split()[0])
    last = [int(line.split()[4]) for line in out.decode().splitlines()
            if line.startswith('benchmark pass ')][-1]
    return count, last


def bench_interpreter(binary, image, runs):
    """Bytecodes per second of --jit off on the suite's application tests (the
    compiler, text, browsers: code that mostly runs interpreted)."""
    rates = []
    for _ in range(runs):
        one, _ = interpreted_bytecodes([binary, '--jit', 'off'], image, 1)
        two, ms = interpreted_bytecodes([binary, '--jit', 'off'], image, 2)
        rates.append((two - one) / (ms / 1000.0))
    print('\n--jit off on the application tests (%d of the suite): %s bytecodes/s'
          % (len(APPLICATION_TESTS), '{:,.0f}'.format(median(rates))))


def bench_memory(binary, image):
    print('')
    peaks = []
    for passes in (1, 20, 200):
        kb = peak_rss([binary, '--bench', '--bench-repeat', str(passes), image])
        peaks.append(kb)
        print('st80-c peak resident memory, %3d passes of the suite: %6.1f MB'
              % (passes, kb / 1024.0))
    print('  200 passes against 20: %+.1f%%' % (100.0 * (peaks[2] - peaks[1]) / peaks[1]))


FILES_EXPR = (
    "| sels first each outs | sels _ Object selectors asSortedCollection asArray. "
    "first _ Time millisecondsToRun: [(Object compiledMethodAt: #printString) getSource]. "
    "each _ Time millisecondsToRun: [sels do: [:s | (Object compiledMethodAt: s) getSource]]. "
    "outs _ (1 to: 5) collect: [:i | Time millisecondsToRun: [Benchmark fileOut]]. "
    "(Array with: first with: each with: sels size) , outs")


def timed(cmd):
    start = time.time()
    subprocess.check_call(cmd, stdout=open(os.devnull, 'w'))
    return (time.time() - start) * 1000


def bench_files(binary, image, runs):
    install, plain, first, each, out_first, out_next = [], [], [], [], [], []
    for _ in range(runs):
        d = tempfile.mkdtemp(prefix='st80-bench-')
        try:
            install.append(timed([binary, '--directory', d, '-e', '3 + 4', image]))
            plain.append(timed([binary, '--no-files', '-e', '3 + 4', image]))
            out = subprocess.check_output([binary, '--directory', d, '-e', FILES_EXPR, image])
            figures = [int(t) for t in out.decode().strip().splitlines()[-1].strip('() ').split()]
            first.append(figures[0])
            each.append(float(figures[1]) / figures[2])
            out_first.append(figures[3])
            out_next.append(median(figures[4:]))
        finally:
            shutil.rmtree(d)
    print('\nfiles (st80-c, a fresh --directory each run)')
    print('  first boot: -e 3 + 4 %.0f ms, with --no-files %.0f ms: the install %.0f ms'
          % (median(install), median(plain), median(install) - median(plain)))
    print('  getSource: the first of a session %.0f ms (the clock counts ms); then each of '
          "Object's %d methods %.2f ms" % (median(first), figures[2], median(each)))
    print('  Benchmark fileOut: the first of a session %.0f ms, the next four %.0f ms'
          % (median(out_first), median(out_next)))


def main(argv):
    runs, full, only, passes, other = 5, False, '', SUITE_PASSES, ''
    binary = os.path.join(ROOT, 'st80-c')
    image = os.path.join(os.path.dirname(ROOT), 'shared', 'images', 'VirtualImage')
    image = os.environ.get('ST80_IMAGE') or (os.path.join(ROOT, 'images', 'VirtualImage')
                                             if os.path.exists(os.path.join(ROOT, 'images', 'VirtualImage'))
                                             else image)
    i = 1
    while i < len(argv):
        if argv[i] == '--runs':
            runs = int(argv[i + 1]); i += 1
        elif argv[i] == '--full':
            full = True
        elif argv[i] == '--binary':
            binary = argv[i + 1]; i += 1
        elif argv[i] == '--image':
            image = argv[i + 1]; i += 1
        elif argv[i] == '--only':
            only = argv[i + 1]; i += 1
        elif argv[i] == '--against':
            other = argv[i + 1]; i += 1
        elif argv[i] == '--suite-passes':
            passes = int(argv[i + 1]); i += 1
            if passes < 11:
                sys.exit('bench: --suite-passes must be at least 11')
        else:
            sys.exit('bench: unknown argument %s' % argv[i])
        i += 1
    print('st80 benchmarks on %s, medians of %d runs' % (image, runs))
    if other:
        bench_against(binary, other, image, runs, passes)
        return
    has_binary = os.path.exists(binary)
    if not has_binary:
        print('(no %s: run make translate for the translated figures)' % binary)
    if has_binary and only in ('', 'programs'):
        bench_programs(binary, image, runs)
    if has_binary and only in ('', 'suite'):
        if only == 'suite':
            print_header()
        bench_suite(binary, image, runs, passes)
    if has_binary and only in ('', 'interpreter'):
        bench_interpreter(binary, image, runs)
    if has_binary and only in ('', 'memory'):
        bench_memory(binary, image)
    if has_binary and only in ('', 'files'):
        bench_files(binary, image, runs)
    if only in ('', 'boot'):
        print('')
        untranslated = [sys.executable, os.path.join(ROOT, 'targetst80.py')]
        measure('untranslated', untranslated, image, runs, 20000000 if full else 2000000)
        if has_binary:
            measure('st80-c', [binary], image, runs, 20000000)
            measure('st80-c no JIT', [binary, '--jit', 'off'], image, runs, 20000000)
            print('st80-c peak resident memory (20M cycles): %.1f MB'
                  % (peak_rss([binary, '--deterministic', '--cycles', '20000000', image]) / 1024.0))


if __name__ == '__main__':
    main(sys.argv)
