"""--trace and --profile: what the interpreter ran.

--trace prints each bytecode (with --trace-full its method and pc too),
buffered. --profile counts the bytecodes of each method the interpreter ran.

With the JIT on this is the code that does not run in JIT code (nor in the
blackhole interpreter, which finishes a trace's failed guard); with --jit off,
all of it. The count is kept by Interpreter.loop, per CompiledMethod.
"""

import os


class BytecodeTrace(object):
    """The --trace lines, written to stdout 4096 at a time."""

    def __init__(self):
        self.lines = []

    def record(self, method, ip, full):
        line = str(method.fetch_bytecode(ip))
        if full:
            line = '%s %s>>%s pc %d' % (line, method.lookup_class,
                                        method.lookup_selector, ip)
        self.lines.append(line)
        if len(self.lines) >= 4096:
            self.flush()

    def flush(self):
        if self.lines:
            self.lines.append('')
            os.write(1, '\n'.join(self.lines))
            self.lines = []


def format_profile(profile, limit):
    """The report: a total line, then the `limit` busiest methods."""
    counts = []
    names = []
    total = 0
    for w_method, n in profile.items():
        counts.append(n)
        names.append('%s>>%s' % (w_method.lookup_class, w_method.lookup_selector))
        total += n
    lines = ['profile: %d bytecodes run by the interpreter, in %d methods'
             % (total, len(counts))]
    for k in range(min(limit, len(counts))):
        best = 0
        for i in range(1, len(counts)):
            if counts[i] > counts[best]:
                best = i
        lines.append('%s %s' % (pad_left(str(counts[best]), 12), names[best]))
        counts[best] = -1
    return '\n'.join(lines) + '\n'


def pad_left(text, width):
    if len(text) >= width:
        return text
    return ' ' * (width - len(text)) + text
