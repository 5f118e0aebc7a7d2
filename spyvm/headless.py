"""Headless Smalltalk: evaluate expressions and run the Benchmark suite, with no
person at the screen.

The image boots as usual. When its desktop first looks for an active controller
(ControlManager>>searchForActiveController, i.e. boot is over), a new process at
UserInterruptPriority (5, above the desktop's) runs a small driver method that the
VM assembles:

    ^(Compiler evaluate: <source>) printString   (then Transcript endEntry)

The driver's sender is a bottom context that no Smalltalk code can return to; a
return to it hands the result to the VM, which prints it and starts the next
expression in the same process, or quits.

Headless is the interpreter's Hooks (spyvm/hooks.py): a return to the bottom
context, the --timeout and --cycles bounds come to it. Methods of the image get
a MethodHook each so that nothing waits for a person:
NotifierView class>>openContext:label:contents: (every error:, halt,
doesNotUnderstand:, primitiveFailed) prints the error and a short stack and
exits 1; SyntaxError class>>errorInClass:withCode:errorString: prints the
compiler's message and position and exits 1; TextCollector>>endEntry echoes
what was written to the Transcript on stdout; Benchmark>>report:timedAt:repeated:
records the image's own timing of each test.

The same driver runs st80's own first-boot work (spyvm/firstboot.py: jobs
that print nothing) before a desktop: then (`desktop`) it only runs
those, reports an error on stderr and drops the rest of them, and ends its
process (Processor terminateActive) so that the desktop goes on.
"""

import os
import time
from rpython.rlib import jit
from spyvm import constants
from spyvm import hooks
from spyvm.context import W_Context
from spyvm.interpreter import suspend_jit, resume_jit
from spyvm.error import Quit, PrimitiveFailedError, SwitchToContext
from spyvm.model import (W_BytesObject, W_PointersObject, W_CompiledMethod,
                         W_SmallInteger)

EVAL_PRIORITY = 5           # UserInterruptPriority: above the desktop (4)
MAX_STACK_LINES = 12

# The 53 standard tests, in the order of Benchmark class>>setStandardTests.
STANDARD_TESTS = [
    'testLoadInstVar', 'testLoadTempNRef', 'testLoadTempRef', 'testLoadQuickConstant',
    'testLoadLiteralNRef', 'testLoadLiteralIndirect', 'testPopStoreInstVar',
    'testPopStoreTemp', 'test3plus4', 'test3lessThan4', 'test3times4', 'test3div4',
    'test16bitArith', 'testLargeIntArith', 'testActivationReturn', 'testShortBranch',
    'testWhileLoop', 'testArrayAt', 'testArrayAtPut', 'testStringAt', 'testStringAtPut',
    'testSize', 'testPointCreation', 'testStreamNext', 'testStreamNextPut', 'testEQ',
    'testClass', 'testBlockCopy', 'testValue', 'testCreation', 'testPointX',
    'testLoadThisContext', 'testBasicAt', 'testBasicAtPut', 'testPerform',
    'testStringReplace', 'testAsFloat', 'testFloatingPointAddition', 'testBitBLT',
    'testTextScanning', 'testClassOrganizer', 'testPrintDefinition',
    'testPrintHierarchy', 'testAllCallsOn', 'testAllImplementors', 'testInspect',
    'testCompiler', 'testDecompiler', 'testKeyboardLookAhead', 'testKeyboardSingle',
    'testTextDisplay', 'testTextFormatting', 'testTextEditing']


class Job(object):
    """One thing to evaluate: an expression (printed), a file, or a benchmark.
    st80's own work (`own` says what it is) prints nothing, nor echoes the
    Transcript."""
    EXPRESSION = 0
    FILE = 1
    BENCHMARK = 2

    def __init__(self, kind, text, own=''):
        self.kind = kind
        self.text = text
        self.own = own
        self.bench_pass = 0         # > 0: the last benchmark of pass N (--bench-repeat)


def convert_assignments(source):
    """Accept `:=` for the arrow `_`, outside strings, comments and $ literals.
    `:=` becomes `_ ` so that compiler positions stay those of the source."""
    out = []
    quote = '\x00'             # the delimiter we are inside of, or NUL
    i = 0
    n = len(source)
    while i < n:
        c = source[i]
        if quote != '\x00':
            if c == quote:
                quote = '\x00'  # a doubled '' re-opens the string at once
            out.append(c)
        elif c == '$' and i + 1 < n:
            out.append(c)
            out.append(source[i + 1])
            i += 1
        elif c == "'" or c == '"':
            quote = c
            out.append(c)
        elif c == ':' and i + 1 < n and source[i + 1] == '=':
            out.append('_ ')
            i += 1
        else:
            out.append(c)
        i += 1
    return ''.join(out)


def substitute(text, old, new):
    """text with every occurrence of old replaced by new (RPython's replace
    takes single characters only)."""
    parts = []
    start = 0
    while True:
        i = text.find(old, start)
        if i < 0:
            break
        assert i >= start >= 0
        parts.append(text[start:i])
        parts.append(new)
        start = i + len(old)
    parts.append(text[start:])
    return ''.join(parts)


def smalltalk_lines(text):
    """Smalltalk-80 ends lines with CR."""
    return substitute(text, '\r\n', '\r').replace('\n', '\r')


def quote_string(text):
    return "'" + substitute(text, "'", "''") + "'"


def write_out(text):
    data = text.replace('\r', '\n')
    pos = 0
    while pos < len(data):
        pos += os.write(1, data[pos:])


def write_err(text):
    os.write(2, text.replace('\r', '\n'))


class BootDone(hooks.MethodHook):
    """Boot is over when the desktop looks for a controller wanting control; in a
    resumed image it may already be inside that loop, polling the ScreenController,
    or inside an active window's control loop, yielding."""
    def __init__(self, driver):
        self.driver = driver

    def run(self, interp, args_w):
        return self.driver.boot_done()


class ErrorReport(hooks.MethodHook):
    """NotifierView class>>openContext:label:contents: (every error:, halt,
    doesNotUnderstand:, primitiveFailed)."""
    def __init__(self, driver):
        self.driver = driver

    def run(self, interp, args_w):
        if self.driver.reports_errors():
            self.driver.report_error(args_w[1], args_w[2])
        return hooks.CONTINUE


class SyntaxErrorReport(hooks.MethodHook):
    """SyntaxError class>>errorInClass:withCode:errorString:."""
    def __init__(self, driver):
        self.driver = driver

    def run(self, interp, args_w):
        if self.driver.reports_errors():
            self.driver.report_syntax_error(args_w[2], args_w[3])
        return hooks.CONTINUE


class TranscriptEcho(hooks.MethodHook):
    """TextCollector>>endEntry: what was written goes to stdout too."""
    def __init__(self, driver):
        self.driver = driver

    def run(self, interp, args_w):
        self.driver.echo_transcript(args_w[0])
        return hooks.CONTINUE


class BenchReport(hooks.MethodHook):
    """Benchmark>>report:timedAt:repeated: records the image's own timing."""
    def __init__(self, driver):
        self.driver = driver

    def run(self, interp, args_w):
        return self.driver.bench_report(args_w[2])


class Headless(hooks.Hooks):
    def __init__(self, interp, jobs, timeout, desktop=False):
        self.interp = interp
        self.space = interp.space
        self.jobs = jobs
        self.desktop = desktop      # quiet jobs only, then the desktop goes on
        self.next_job = 0
        self.current = None
        self.started = False
        self.finished = False
        self.deadline = -1.0
        self.timeout = timeout
        self.max_cycles = interp.options.max_cycles     # --cycles, kept while st80's own jobs run
        self.cycles_before_own = 0
        self.w_bottom = None
        self.w_process = None
        self.w_compiler_assoc = None
        self.w_transcript_assoc = None
        self.w_saved_transcript = None     # the Transcript, while st80's own jobs run
        self.w_benchmark_assoc = None
        self.symbols = {}
        self.entry_stream_index = -1
        self.bench_ms = 0
        self.bench_total = 0
        self.bench_runs = 0
        self.bench_pass_total = 0
        self.line_open = False
        self.install_hooks()

    # -- setting up --------------------------------------------------------------
    def find_class(self, name):
        """A class by global name; 'X class' is its metaclass."""
        meta = name.endswith(' class')
        if meta:
            stop = len(name) - len(' class')
            assert stop >= 0
            name = name[:stop]
        w_class = self.space.find_global(name)
        if not isinstance(w_class, W_PointersObject):
            return None
        if meta:
            return w_class.getclass(self.space)
        return w_class

    def find_method(self, w_class, selector):
        w_dict = w_class.fetch(self.space, constants.CLASS_METHODDICT)
        if not isinstance(w_dict, W_PointersObject):
            return None
        w_values = w_dict.fetch(self.space, constants.METHODDICT_VALUES)
        for i in range(constants.METHODDICT_SELECTOR_START, w_dict.size()):
            w_key = w_dict.fetch(self.space, i)
            if isinstance(w_key, W_BytesObject) and w_key.as_string() == selector:
                w_method = w_values.fetch(self.space, i - constants.METHODDICT_SELECTOR_START)
                if isinstance(w_method, W_CompiledMethod):
                    return w_method
        return None

    def install_hooks(self):
        method_hooks = [
            ('ControlManager', 'searchForActiveController', BootDone(self)),
            ('ScreenController', 'isControlWanted', BootDone(self)),
            # An image saved with a window active resumes inside that
            # window's control loop, which yields at each turn.
            ('ProcessorScheduler', 'yield', BootDone(self)),
            ('NotifierView class', 'openContext:label:contents:', ErrorReport(self)),
            ('SyntaxError class', 'errorInClass:withCode:errorString:',
             SyntaxErrorReport(self))]
        if not self.desktop:
            method_hooks.append(('TextCollector', 'endEntry', TranscriptEcho(self)))
            method_hooks.append(('Benchmark', 'report:timedAt:repeated:', BenchReport(self)))
        for class_name, selector, hook in method_hooks:
            w_class = self.find_class(class_name)
            if w_class is None:
                continue
            w_method = self.find_method(w_class, selector)
            if w_method is not None:
                hooks.add_method_hook(w_method, hook)
        w_tc = self.find_class('TextCollector')
        if w_tc is not None:
            self.entry_stream_index = inst_var_index(self.space, w_tc, 'entryStream')
        wanted = {}
        for name in ['evaluate:', 'printString', 'endEntry', 'terminateActive', 'new']:
            wanted[name] = None
        benchmarks = False
        for job in self.jobs:
            if job.kind == Job.BENCHMARK:
                wanted[job.text] = None
                benchmarks = True
        for w_obj in self.space.objects:
            if isinstance(w_obj, W_BytesObject) and w_obj.getclass(self.space) is self.space.w_Symbol:
                name = w_obj.as_string()
                if name in wanted:
                    self.symbols[name] = w_obj
        self.w_compiler_assoc = self.global_association('Compiler')
        self.w_transcript_assoc = self.global_association('Transcript')
        if benchmarks:
            self.w_benchmark_assoc = self.global_association('Benchmark')

    def global_association(self, name):
        w_assoc = self.space.w_smalltalk_association
        w_dict = w_assoc.fetch(self.space, constants.ASSOCIATION_VALUE)
        assert isinstance(w_dict, W_PointersObject)
        for w_elem in w_dict._vars:
            if isinstance(w_elem, W_PointersObject) and w_elem.size() == 2:
                w_key = w_elem.fetch_field(0)
                if isinstance(w_key, W_BytesObject) and w_key.as_string() == name:
                    return w_elem
        return None

    def symbol(self, name):
        w_sym = self.symbols.get(name, None)
        if w_sym is None:
            raise Quit(self.fail('the image has no #%s selector' % name))
        return w_sym

    def fail(self, msg):
        write_err('st80: %s\n' % msg)
        return 1

    # -- the interpreter's seams -----------------------------------------------
    def returned_to(self, interp, w_target, w_value):
        if w_target is self.w_bottom:
            return self.evaluation_done(w_value)
        return None

    def poll(self, interp):
        if self.deadline > 0 and time.time() > self.deadline:
            self.bound_reached(interp, '%d seconds (--timeout)' % self.timeout)

    def bound_reached(self, interp, what):
        self.stop(interp, 'st80: stopped: the run reached its bound of %s\n' % what, 3)

    def low_space(self, interp):
        """The image would open its "Space is Low" notifier on the desktop's
        process: report the evaluation's own stack instead."""
        if not self.started:
            return
        memory = self.space.memory
        self.stop(interp, 'Error: Space is low: %d MB in use of the --memory bound of '
                  '%d MB\n' % (memory.used >> 20, memory.bound_mb()), 1)

    def stop(self, interp, headline, status):
        """Stop, and say where the evaluation was: in the active context (known
        when polling), or (another process running) where its process waits.
        Before a desktop, the bound or the low space is the desktop's: nothing."""
        if self.desktop:
            return
        lines = [headline]
        if self.w_process is not None:
            ioc = interp.ioc
            w_active = ioc.scheduler.active_process() if ioc is not None else None
            if w_active is self.w_process:
                lines.append('the evaluation was running:\n')
                lines += self.stack_lines(interp.w_active_context)
            else:
                lines.append('the evaluation was waiting (another process ran):\n')
                lines += self.stack_lines(
                    self.w_process.fetch(self.space, constants.PROCESS_SUSPENDED_CONTEXT))
        write_err(''.join(lines))
        raise Quit(status)

    # -- what the method hooks do ----------------------------------------------
    @jit.dont_look_inside
    def boot_done(self):
        if self.started:
            return hooks.CONTINUE
        self.started = True
        if self.timeout > 0:
            self.deadline = time.time() + self.timeout
        self.start_process()
        return hooks.SWITCH

    @jit.dont_look_inside
    def bench_report(self, w_ms):
        if not self.started or self.current is None or self.current.kind != Job.BENCHMARK:
            return hooks.CONTINUE
        try:
            self.bench_ms += self.space.unwrap_large_or_small(w_ms)
        except PrimitiveFailedError:
            pass
        return hooks.ANSWER_RECEIVER

    def echo_transcript(self, w_collector):
        """Print what was written since the last entry (the entry stream's contents)."""
        if self.current is not None and self.current.own:
            return
        if self.entry_stream_index < 0 or not isinstance(w_collector, W_PointersObject):
            return
        if w_collector.size() <= self.entry_stream_index:
            return
        w_stream = w_collector.fetch_field(self.entry_stream_index)
        if not isinstance(w_stream, W_PointersObject) or w_stream.size() < 2:
            return
        w_string = w_stream.fetch_field(0)
        w_position = w_stream.fetch_field(1)
        if isinstance(w_string, W_BytesObject) and isinstance(w_position, W_SmallInteger):
            n = min(w_position.value, w_string.size())
            if n > 0:
                text = ''.join(w_string.bytes[:n])
                write_out(text)
                self.line_open = text[len(text) - 1] != '\r'


    def reports_errors(self):
        """Errors are the evaluation's while it runs; before a desktop, only
        those of the driver's own process (the desktop's are the desktop's)."""
        if not self.started or self.finished:
            return False
        if self.desktop:
            ioc = self.interp.ioc
            return ioc is not None and ioc.scheduler.active_process() is self.w_process
        return True

    def report_error(self, w_context, w_label):
        label = w_label.as_string() if isinstance(w_label, W_BytesObject) else 'an error'
        lines = ['Error: %s\n' % label] + self.stack_lines(w_context)
        self.give_up(''.join(lines))

    def give_up(self, report):
        """An error: exit 1; before a desktop, drop the driver's other jobs
        and end its process (its bottom context terminates it)."""
        if self.current is not None and self.current.own:
            report = 'st80: %s failed:\n%s' % (self.current.own, report)
            self.restore_bounds()
        write_err(report)
        if not self.desktop:
            raise Quit(1)
        self.finished = True
        self.restore_transcript()
        raise SwitchToContext(self.w_bottom)

    def report_syntax_error(self, w_code, w_message):
        """The compiler inserted its message into the source at the error
        position: show the message, the position, the source line and a caret."""
        code = w_code.as_string() if isinstance(w_code, W_BytesObject) else ''
        message = w_message.as_string() if isinstance(w_message, W_BytesObject) else '?'
        position = code.find(message)
        if position < 0:
            position = 0
        stop = position + len(message)
        assert stop >= position >= 0
        source = code[:position] + code[stop:]
        start = source.rfind('\r', 0, position) + 1
        end = source.find('\r', position)
        if end < 0:
            end = len(source)
        assert end >= start >= 0
        self.give_up('Syntax error at position %d: %s\n  %s\n  %s^\n' %
                     (position + 1, message, source[start:end], ' ' * (position - start)))

    def stack_lines(self, w_context):
        """The evaluation's contexts from w_context down to its DoIt."""
        lines = []
        count = 0
        w_ctx = w_context
        while isinstance(w_ctx, W_Context) and w_ctx is not self.w_bottom:
            if count == MAX_STACK_LINES:
                lines.append('  ...\n')
                break
            lines.append('  %s\n' % describe_context(self.space, w_ctx))
            if is_doit(w_ctx):
                break               # below it: the Compiler and the VM's driver
            w_ctx = w_ctx.w_sender
            count += 1
        return lines

    # -- running the jobs -----------------------------------------------------------
    def start_process(self):
        """A new process above the desktop's, its context the first job's driver."""
        space = self.space
        w_process_class = self.space.find_global('Process')
        if not isinstance(w_process_class, W_PointersObject):
            raise Quit(self.fail('the image has no Process class'))
        self.w_process = space.instantiate(w_process_class, 0)
        self.w_process.store(space, constants.PROCESS_PRIORITY, space.wrap_int(EVAL_PRIORITY))
        w_context = self.next_driver()
        if w_context is None:
            raise Quit(0)
        self.w_process.store(space, constants.PROCESS_SUSPENDED_CONTEXT, w_context)
        self.interp.ioc.scheduler.resume(self.w_process)

    def next_driver(self):
        """The driver context of the next job, or None when all are done."""
        if self.next_job >= len(self.jobs):
            self.restore_transcript()
            return None
        job = self.jobs[self.next_job]
        self.next_job += 1
        job.text = smalltalk_lines(job.text)
        self.current = job
        self.bench_ms = 0
        if job.kind == Job.BENCHMARK:
            self.restore_transcript()
            return self.benchmark_driver(job.text)
        source = convert_assignments(job.text)
        if job.kind == Job.FILE:
            source = '(ReadWriteStream with: %s) reset; fileIn' % quote_string(source)
        if job.own:
            self.suspend_bounds()
            source = self.quiet_transcript() + source
        else:
            self.restore_transcript()
        return self.evaluation_driver(source)

    def suspend_bounds(self):
        """st80's own work (the first boot's install) is not the user's:
        --cycles and --timeout do not count it, and it runs with the JIT off
        (restore_bounds gives the user's jobs their --jit parameters back)."""
        self.interp.options.set_cycle_limit(-1)
        self.cycles_before_own = self.interp.cycles
        self.deadline = -1.0
        suspend_jit(self.interp.options)

    def restore_bounds(self):
        self.interp.cycles = self.cycles_before_own
        self.interp.options.set_cycle_limit(self.max_cycles)
        resume_jit(self.interp.options)
        if self.timeout > 0:
            self.deadline = time.time() + self.timeout

    def quiet_transcript(self):
        """st80's own jobs write to a Transcript of their own (a fileIn notes
        each class and category there), not to the desktop's: the source that
        makes it, the first time."""
        if self.w_saved_transcript is not None or self.w_transcript_assoc is None:
            return ''
        self.w_saved_transcript = self.w_transcript_assoc.fetch(self.space,
                                                                constants.ASSOCIATION_VALUE)
        return 'Transcript _ TextCollector new. '

    def restore_transcript(self):
        if self.w_saved_transcript is not None:
            self.w_transcript_assoc.store(self.space, constants.ASSOCIATION_VALUE,
                                          self.w_saved_transcript)
            self.w_saved_transcript = None

    def evaluation_driver(self, source):
        """^(Compiler evaluate: source) printString, then Transcript endEntry."""
        if self.w_compiler_assoc is None or self.w_transcript_assoc is None:
            raise Quit(self.fail('the image has no Compiler or Transcript'))
        literals = [self.w_compiler_assoc, self.space.wrap_string(source),
                    self.symbol('evaluate:'), self.symbol('printString'),
                    self.w_transcript_assoc, self.symbol('endEntry')]
        code = [64,         # pushLitVar Compiler
                33,         # pushLit source
                226,        # send evaluate:
                211,        # send printString
                68,         # pushLitVar Transcript
                213,        # send endEntry
                135,        # pop
                124]        # returnTop
        return self.driver_context(literals, code, 'evaluate')

    def benchmark_driver(self, test):
        """^Benchmark new testX, then Transcript endEntry. Sent directly, not
        compiled: the Compiler's DoIt would flush method lookup (and so all JIT
        code) before every test, and --bench-repeat measures the JIT's steady state."""
        if self.w_benchmark_assoc is None or self.w_transcript_assoc is None:
            raise Quit(self.fail('the image has no Benchmark or Transcript'))
        if test not in self.symbols:
            raise Quit(self.fail('the image has no Benchmark test #%s' % test))
        literals = [self.w_benchmark_assoc, self.symbol('new'), self.symbol(test),
                    self.w_transcript_assoc, self.symbol('endEntry')]
        code = [64,         # pushLitVar Benchmark
                209,        # send new
                210,        # send testX
                67,         # pushLitVar Transcript
                212,        # send endEntry
                135,        # pop
                124]        # returnTop
        return self.driver_context(literals, code, 'benchmark')

    def driver_context(self, literals, code, name):
        """A context for a method of these literals and bytecodes, which returns
        to the bottom context (whose return reports the evaluation's end)."""
        space = self.space
        header = len(literals)
        w_method = W_CompiledMethod(space.w_CompiledMethod, header, literals,
                                    ''.join([chr(b) for b in code]) + '\x00\x00\x00')
        w_method.lookup_class = 'st80'
        w_method.lookup_selector = name
        if self.w_bottom is None:
            self.w_bottom = self.bottom_context()
        return W_Context.method_context(space, w_method, space.w_nil, self.w_bottom)

    def bottom_context(self):
        """The drivers' sender. Here a return to it reports the result; in an
        image saved during an evaluation it runs: Processor terminateActive."""
        space = self.space
        literals = [space.w_scheduler_association, self.symbol('terminateActive')]
        w_method = W_CompiledMethod(space.w_CompiledMethod, len(literals), literals,
                                    ''.join([chr(b) for b in [64, 209, 135, 124]]) +
                                    '\x00\x00\x00')
        w_method.lookup_class = 'st80'
        w_method.lookup_selector = 'endEvaluation'
        return W_Context.method_context(space, w_method, space.w_nil, space.w_nil)

    @jit.dont_look_inside
    def evaluation_done(self, w_result):
        """The driver returned: report, then the next job's driver, or quit."""
        job = self.current
        assert job is not None
        if job.own:
            self.restore_bounds()
        elif job.kind == Job.EXPRESSION:
            if isinstance(w_result, W_BytesObject):
                if self.line_open:          # Transcript text without a final cr
                    write_out('\n')
                write_out(w_result.as_string() + '\n')
            self.line_open = False
        elif job.kind == Job.BENCHMARK:
            write_out('benchmark %s %d ms\n' % (job.text, self.bench_ms))
            self.bench_total += self.bench_ms
            self.bench_pass_total += self.bench_ms
            self.bench_runs += 1
            if job.bench_pass > 0:
                write_out('benchmark pass %d total %d ms\n' % (job.bench_pass,
                                                              self.bench_pass_total))
                self.bench_pass_total = 0
        w_context = self.next_driver()
        if w_context is None:
            if self.bench_runs:
                write_out('benchmark total %d ms (%d tests)\n' % (self.bench_total, self.bench_runs))
            if self.desktop:
                self.finished = True
                return None         # to the bottom context: the process ends
            raise Quit(0)
        self.w_process.store(self.space, constants.PROCESS_SUSPENDED_CONTEXT, w_context)
        return w_context


def inst_var_index(space, w_class, name):
    """The field index of a named instance variable, or -1."""
    chain = []
    w_cls = w_class
    while isinstance(w_cls, W_PointersObject) and w_cls is not space.w_nil:
        chain.append(w_cls)
        w_cls = w_cls.fetch_field(constants.CLASS_SUPERCLASS)
    index = 0
    for i in range(len(chain) - 1, -1, -1):
        w_names = chain[i].fetch_field(4)       # instanceVariables: an Array of Strings
        if isinstance(w_names, W_PointersObject):
            for w_name in w_names._vars:
                if isinstance(w_name, W_BytesObject) and w_name.as_string() == name:
                    return index
                index += 1
    return -1


def is_doit(w_ctx):
    w_method = w_ctx.method_or_none()
    return w_method is not None and w_method.lookup_selector == 'DoIt'


def describe_context(space, w_ctx):
    """Class>>selector, Receiver(Definer)>>selector or [] in ..., like shortStack."""
    prefix = '[] in ' if w_ctx.is_block() else ''
    w_home = w_ctx.home_or_none()
    w_method = w_ctx.method_or_none()
    if w_home is None or w_method is None:
        return '?'
    receiver_class = space.class_name(w_home.receiver().getclass(space))
    definer = w_method.lookup_class
    if definer and definer != receiver_class:
        return '%s%s(%s)>>%s' % (prefix, receiver_class, definer, w_method.lookup_selector)
    return '%s%s>>%s' % (prefix, receiver_class, w_method.lookup_selector)
