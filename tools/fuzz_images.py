"""Fuzz the VM with mutated images: seeded, N copies of an image with a few
random bytes changed, each run headless for a bounded number of bytecodes;
the outcomes are counted.

    python tools/fuzz_images.py [--binary ./st80-c] [--image PATH] [--count N]
        [--cycles N] [--bytes K] [--seed S] [--jobs J] [--keep DIR]

Outcomes: `ran` (the bound was reached, or the image quit), `refused` (a one-line
`st80:` error and exit status 2: the loader found the image damaged), `stopped`
(a one-line `st80:` error and another documented status: the VM found the
running image unrecoverable), and the failures: `crash` (a signal, a Python
traceback or an RPython fatal error) and `hang` (no exit within the time limit).
Each failure is printed with the seed and the bytes changed, so that
`--replay SEED` makes the same image again; --keep DIR keeps those images.
Exit status 1 if there was any failure.
"""

import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_IMAGE = os.path.join(os.path.dirname(ROOT), 'shared', 'images', 'VirtualImage')
HEADER_BYTES = 512
DOCUMENTED_STATUSES = (0, 1, 2, 3)


def mutate(data, seed, nbytes):
    """The image with nbytes random bytes changed (past the 512-byte header's
    first 8 bytes, which only hold the two sizes), and what was changed."""
    rnd = random.Random(seed)
    out = bytearray(data)
    changes = []
    for i in range(nbytes):
        pos = rnd.randrange(8, len(out))
        old = out[pos]
        new = old
        while new == old:
            new = rnd.randrange(256)
        out[pos] = new
        changes.append((pos, old, new))
    return bytes(out), changes


def classify(status, err, timed_out):
    if timed_out:
        return 'hang'
    text = err.decode('latin-1')
    if status < 0 or 'Traceback' in text or 'Fatal RPython error' in text:
        return 'crash'
    if status not in DOCUMENTED_STATUSES:
        return 'crash'
    lines = [line for line in text.splitlines() if line.strip()]
    if status == 2:
        return 'refused' if lines and lines[0].startswith('st80: ') else 'crash'
    if status == 1 and lines and lines[0].startswith('st80: '):
        return 'stopped'
    return 'ran'


def run_one(binary, data, seed, nbytes, cycles, time_limit, tmpdir):
    image, changes = mutate(data, seed, nbytes)
    path = os.path.join(tmpdir, 'mutant-%d.im' % seed)
    with open(path, 'wb') as f:
        f.write(image)
    cmd = [binary, '--headless', '--deterministic', '--cycles', str(cycles),
           '--memory', '256', '--snapshot', os.path.join(tmpdir, 'never.im'), path]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    start = time.time()
    timed_out = False
    while p.poll() is None:
        if time.time() - start > time_limit:
            p.kill()
            timed_out = True
            break
        time.sleep(0.01)
    out, err = p.communicate()
    outcome = classify(p.returncode, err, timed_out)
    if outcome in ('crash', 'hang'):
        return outcome, path, changes, p.returncode, err
    os.remove(path)
    return outcome, None, changes, p.returncode, err


def parse(argv):
    opts = {'binary': os.path.join(ROOT, 'st80-c'), 'image': DEFAULT_IMAGE, 'count': 100,
            'cycles': 1000000, 'bytes': 2, 'seed': 1, 'jobs': 2, 'keep': '',
            'replay': -1, 'time-limit': 60.0}
    i = 1
    while i < len(argv):
        name = argv[i].lstrip('-')
        if name not in opts or i + 1 >= len(argv):
            raise SystemExit('fuzz_images: bad argument %s (see the docstring)' % argv[i])
        value = argv[i + 1]
        if isinstance(opts[name], int):
            value = int(value)
        elif isinstance(opts[name], float):
            value = float(value)
        opts[name] = value
        i += 2
    return opts


def main(argv):
    opts = parse(argv)
    data = open(opts['image'], 'rb').read()
    tmpdir = tempfile.mkdtemp(prefix='st80-fuzz-')
    seeds = [opts['replay']] if opts['replay'] >= 0 else \
        range(opts['seed'], opts['seed'] + opts['count'])
    counts = {}
    failures = []
    running = []
    pending = list(seeds)
    started = time.time()
    # A few runs at a time, each in its own process.
    import threading
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not pending:
                    return
                seed = pending.pop(0)
            result = run_one(opts['binary'], data, seed, opts['bytes'], opts['cycles'],
                             opts['time-limit'], tmpdir)
            with lock:
                counts[result[0]] = counts.get(result[0], 0) + 1
                if result[0] in ('crash', 'hang'):
                    failures.append((seed,) + result)
    for k in range(max(1, opts['jobs'])):
        t = threading.Thread(target=worker)
        t.start()
        running.append(t)
    for t in running:
        t.join()
    total = sum(counts.values())
    print('fuzz_images: %d mutants of %s (%d bytes changed each, seeds %d..%d), '
          '%d cycles each, %.0f s' % (total, os.path.basename(opts['image']), opts['bytes'],
                                     min(seeds), max(seeds), opts['cycles'],
                                     time.time() - started))
    for outcome in ('ran', 'refused', 'stopped', 'crash', 'hang'):
        print('  %-8s %d' % (outcome, counts.get(outcome, 0)))
    for seed, outcome, path, changes, status, err in sorted(failures):
        print('%s: seed %d, status %s, bytes %s' % (outcome, seed, status,
              ', '.join('%d: %d->%d' % c for c in changes)))
        tail = err.decode('latin-1').strip().splitlines()[-3:]
        for line in tail:
            print('    ' + line)
        if opts['keep']:
            if not os.path.isdir(opts['keep']):
                os.makedirs(opts['keep'])
            os.rename(path, os.path.join(opts['keep'], os.path.basename(path)))
    for name in os.listdir(tmpdir):
        os.remove(os.path.join(tmpdir, name))
    os.rmdir(tmpdir)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
