"""Benchmarks (not tests): bytecodes per second of st80 on the Xerox image.

    python tools/bench.py [--runs N] [--full] [--binary ./st80-c] [--image PATH]

Boot: the first 100,000 bytecodes after resume (deterministic). Idle: 20M
bytecodes (the desktop's polling loop from about cycle 66,758 on), with the first
100,000 subtracted so that loading and booting do not count. Untranslated, the
idle run is 2M bytecodes unless --full. Prints medians over N runs and the peak
resident memory of st80-c.
"""

import os
import resource
import subprocess
import sys
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


def main(argv):
    runs, full = 3, False
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
        else:
            sys.exit('bench: unknown argument %s' % argv[i])
        i += 1
    print('st80 benchmarks on %s, medians of %d runs' % (image, runs))
    untranslated = [sys.executable, os.path.join(ROOT, 'targetst80.py')]
    measure('untranslated', untranslated, image, runs, 20000000 if full else 2000000)
    if os.path.exists(binary):
        measure('st80-c', [binary], image, runs, 20000000)
        print('st80-c peak resident memory (20M cycles): %.1f MB'
              % (peak_rss([binary, '--deterministic', '--cycles', '20000000', image]) / 1024.0))
    else:
        print('(no %s: run make translate for the translated figures)' % binary)


if __name__ == '__main__':
    main(sys.argv)
