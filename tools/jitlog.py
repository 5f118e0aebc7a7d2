"""Read a PYPYLOG file of st80-c and report the JIT's work as Smalltalk.

    PYPYLOG=jit:log.txt ./st80-c -e '...'        (everything the JIT logs)
    python tools/jitlog.py log.txt [--ops N]

Lists loops and bridges per Smalltalk method (where their code starts, from the
debug_merge_points that get_printable_location writes as Class>>selector pc: N
bytecode), with op and guard counts; the hottest traces by how often they ran
(jit-backend-counts); the methods inlined into each loop; the guards that failed
most with no bridge to go on with (st80-c's own section st80-guards, e.g.
PYPYLOG=jit,st80:FILE); the aborts and their reasons with where tracing was; and
the jit-summary totals.
"""

from __future__ import print_function

import re
import sys
from collections import Counter, OrderedDict, defaultdict

SECTION = re.compile(r'^\[([0-9a-f]+)\] \{([\w-]+)$')
END = re.compile(r'^\[([0-9a-f]+)\] ([\w-]+)\}$')
MERGE = re.compile(r"debug_merge_point\((\d+), (\d+), '(.*)'\)")
GUARD_ID = re.compile(r'<Guard0x([0-9a-f]+)>')
FAILURES = re.compile(r'^Guard0x([0-9a-f]+) (\d+)$')
TOKEN = re.compile(r'descr=TargetToken\((\d+)\)')
LOCATION = re.compile(r'^(.*) pc: (\d+) (.*)$')


class Trace(object):
    def __init__(self, kind, number, title):
        self.kind = kind              # 'loop', 'entry' (a method's entry) or 'bridge'
        self.number = number          # loop number, or the guard id (hex) for bridges
        self.title = title
        self.ops = 0
        self.guards = 0
        self.guard_ids = []           # (id, location, op name)
        self.tokens = []
        self.locations = []           # (depth, location) of the merge points
        self.count = 0
        self.parent = None            # for a bridge: (trace, location, op) of its guard

    def start(self):
        for depth, loc in self.locations:
            return loc
        return '?'

    def method(self):
        return method_of(self.start())

    def name(self):
        if self.kind == 'loop':
            return 'Loop %s' % self.number
        if self.kind == 'entry':
            return 'Entry %s' % self.number
        return 'bridge from Guard 0x%s' % self.number


def method_of(location):
    m = LOCATION.match(location)
    return m.group(1) if m else location


def parse(path):
    traces = []
    counts = {}
    aborts = []
    summary = []
    flushes = []
    failed = {}
    stack = []
    current = None
    last_location = None
    with open(path) as f:
        for raw in f:
            line = raw.rstrip('\n')
            m = SECTION.match(line)
            if m:
                stack.append(m.group(2))
                continue
            m = END.match(line)
            if m and stack and stack[-1] == m.group(2):
                name = stack.pop()
                if name in ('jit-log-opt-loop', 'jit-log-opt-bridge'):
                    current = None
                continue
            section = stack[-1] if stack else ''
            if section in ('jit-log-opt-loop', 'jit-log-opt-bridge'):
                if line.startswith('# Loop '):
                    # "loop", or "entry bridge": a method's entry (function_threshold)
                    m = re.match(r'# Loop (\d+) \((.*)\) : (\w+(?: \w+)?) with (\d+) ops', line)
                    kind = 'entry' if m and m.group(3) == 'entry bridge' else 'loop'
                    current = Trace(kind, m.group(1) if m else '?', line)
                    traces.append(current)
                    continue
                if line.startswith('# bridge out of Guard '):
                    m = re.match(r'# bridge out of Guard 0x([0-9a-f]+)', line)
                    current = Trace('bridge', m.group(1) if m else '?', line)
                    traces.append(current)
                    continue
                if current is None:
                    continue
                m = MERGE.search(line)
                if m:
                    current.locations.append((int(m.group(2)), m.group(3)))
                    continue
                if re.match(r'^\+\d+: ', line) or re.match(r'^\s*[a-z]', line):
                    body = re.sub(r'^\+\d+: ', '', line)
                    opname = re.match(r'(?:[pif]\d+ = )?(\w+)\(', body)
                    if opname and not line.startswith('['):
                        current.ops += 1
                        if opname.group(1).startswith('guard_'):
                            current.guards += 1
                            g = GUARD_ID.search(line)
                            if g:
                                # Before a bridge's first merge point: where the
                                # bridge starts (found below, from its parent).
                                loc = current.locations[-1][1] if current.locations else None
                                current.guard_ids.append((g.group(1), loc, opname.group(1)))
                        t = TOKEN.search(line)
                        if t and opname.group(1) == 'label':
                            current.tokens.append(t.group(1))
            elif section == 'jit-backend-counts':
                m = re.match(r'(entry|bridge) (\d+):(\d+)', line)
                if m:
                    counts[(m.group(1), int(m.group(2)))] = int(m.group(3))
                m = re.match(r'TargetToken\((\d+)\):(\d+)', line)
                if m:
                    counts[('token', int(m.group(1)))] = int(m.group(2))
            elif section == 'jit-summary':
                summary.append(line)
            elif section == 'st80-flush' and line.strip():
                flushes.append(line.strip())
            elif section == 'st80-guards':
                m = FAILURES.match(line.strip())
                if m:
                    failed[m.group(1)] = failed.get(m.group(1), 0) + int(m.group(2))
            elif section.startswith('jit-tracing') or section == 'jit-log-noopt':
                m = MERGE.search(line)
                if m:
                    last_location = m.group(3)
                if '~~~ ABORTING TRACING' in line:
                    reason = line.split('~~~ ABORTING TRACING', 1)[1].strip()
                    aborts.append((reason, last_location or '?'))
    # Attach bridges to the guards they leave from (a parent is compiled, and
    # logged, before its bridges), and counts to the traces.
    by_guard = {}                     # guard id -> (trace, location, op name)
    for t in traces:
        start = '?'
        if t.kind == 'bridge':
            t.parent = by_guard.get(t.number)
            if t.parent is not None:
                start = t.parent[1]
        for gid, loc, op in t.guard_ids:
            by_guard[gid] = (t, loc if loc is not None else start, op)
        if t.kind == 'loop':
            # The last label is the peeled loop body: its count is the iterations.
            t.count = max([counts.get(('token', int(tok)), 0) for tok in t.tokens] or [0])
        elif t.kind == 'entry':
            t.count = counts.get(('entry', int(t.number)), 0) if t.number.isdigit() else 0
        else:
            t.count = counts.get(('bridge', int(t.number, 16)), 0)
    # A bridge that was retraced appears twice (noopt/opt); keep the last.
    unique = OrderedDict()
    for t in traces:
        unique[(t.kind, t.number)] = t
    # Guard failures (st80-guards): (failures, guard id, op, trace, location),
    # the most first; a guard of a trace not in this log has no trace.
    failures = []
    for gid, n in failed.items():
        t, loc, op = by_guard.get(gid, (None, '?', 'guard'))
        failures.append((n, gid, op, t, loc))
    failures.sort(key=lambda f: (-f[0], f[1]))
    return list(unique.values()), aborts, summary, flushes, failures


def report(path, top=15, out=sys.stdout):
    traces, aborts, summary, flushes, failures = parse(path)
    loops = [t for t in traces if t.kind == 'loop']
    entries = [t for t in traces if t.kind == 'entry']
    bridges = [t for t in traces if t.kind == 'bridge']
    print('st80 JIT log %s: %d loops, %d method entries, %d bridges, %d aborts' %
          (path, len(loops), len(entries), len(bridges), len(aborts)), file=out)

    print('\nPer Smalltalk method (where each trace starts):', file=out)
    per = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for t in traces:
        row = per[t.method()]
        row[['loop', 'entry', 'bridge'].index(t.kind)] += 1
        row[3] += t.ops
        row[4] += t.guards
        row[5] += t.count
    print('  %-50s %5s %7s %7s %6s %6s %12s' % ('method', 'loops', 'entries', 'bridges',
                                                'ops', 'guards', 'runs'), file=out)
    for method, row in sorted(per.items(), key=lambda kv: -kv[1][5]):
        print('  %-50s %5d %7d %7d %6d %6d %12s' % (
            method[:50], row[0], row[1], row[2], row[3], row[4], '{:,}'.format(row[5])),
            file=out)

    print('\nHottest traces (runs: loop iterations, method entries or bridge entries):',
          file=out)
    if traces and not any(t.count for t in traces):
        print('  (no run counts in this log: PYPYLOG needs jit-backend as well as\n'
              '   jit-backend-counts, e.g. PYPYLOG=jit:FILE)', file=out)
    for t in sorted(traces, key=lambda t: -t.count)[:top]:
        where = t.start()
        if t.kind == 'bridge' and t.parent:
            where = 'guard at %s in %s' % (t.parent[1], t.parent[0].name())
        print('  %12s  %-28s %4d ops %3d guards  %s' % ('{:,}'.format(t.count), t.name(),
                                                       t.ops, t.guards, where), file=out)

    print('\nMethods inlined into each loop and method entry (depth):', file=out)
    for t in loops + entries:
        seen = OrderedDict()
        for depth, loc in t.locations:
            seen.setdefault(method_of(loc), depth)
        print('  %s (%s): %s' % (t.name(), t.start(), ', '.join(
            '%s [%d]' % (m, d) for m, d in seen.items())), file=out)

    print('\nGuards that failed most with no bridge, so that the blackhole interpreter\n'
          'and then the interpreter went on (PYPYLOG st80-guards):', file=out)
    if not failures:
        print('  none logged (PYPYLOG needs st80-guards, e.g. PYPYLOG=jit,st80:FILE)', file=out)
    else:
        print('  %s failures at %d guards' % ('{:,}'.format(sum(f[0] for f in failures)),
                                            len(failures)), file=out)
    for n, gid, op, t, loc in failures[:top]:
        print('  %12s  %-16s at %s in %s' % ('{:,}'.format(n), op, loc,
                                             t.name() if t else 'Guard 0x%s (not in the log)' % gid),
              file=out)

    print('\nAborts:', file=out)
    if not aborts:
        print('  none logged (PYPYLOG needs jit-tracing, e.g. PYPYLOG=jit:FILE)', file=out)
    reasons = defaultdict(list)
    for reason, where in aborts:
        reasons[reason].append(where)
    for reason, wheres in sorted(reasons.items()):
        print('  %-28s %4d  e.g. at %s' % (reason, len(wheres), wheres[-1]), file=out)

    print('\nMethod lookup changes that invalidated JIT code (PYPYLOG st80-flush):', file=out)
    if not flushes:
        print('  none logged', file=out)
    for line, n in sorted(Counter(flushes).items(), key=lambda kv: -kv[1])[:top]:
        print('  %5d  %s' % (n, line), file=out)

    if summary:
        print('\njit-summary:', file=out)
        for line in summary:
            if line.strip():
                print('  ' + ' '.join(line.split()), file=out)


def main(argv):
    if len(argv) < 2 or argv[1] in ('-h', '--help'):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    top = 15
    if '--ops' in argv:
        top = int(argv[argv.index('--ops') + 1])
    try:
        report(argv[1], top)
    except IOError as e:
        print('jitlog: %s' % e, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
