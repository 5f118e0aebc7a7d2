"""The command line, shared by `python targetst80.py` and the st80-c binary."""

import os
import time
from rpython.rlib import objectmodel
from spyvm import constants
from spyvm.error import ImageError, FatalError, Quit
from spyvm.hostfiles import writable
from spyvm.model import W_PointersObject
from spyvm.context import W_Context
from spyvm.memory import MIN_MEMORY_MB, MAX_MEMORY_MB, DEFAULT_MEMORY_MB
from spyvm.options import Options

USAGE = """Usage: st80-c [options] [IMAGE]

Runs a Smalltalk-80 virtual image (the Xerox Smalltalk-80 Version 2 image of 1983).

Options:
  --image PATH        the image to run (also the positional IMAGE)
  --headless          no window (the same as --display headless)
  --display KIND      headless, sdl2 (the window of st80-c) or pygame (untranslated)
  --scale N           show each Smalltalk pixel as NxN host pixels (1 to 8)
  --display-size WxH  start with a Smalltalk screen of W x H pixels (the image's
                      DisplayScreen displayExtent:; 640x480 to 4064x4094, the
                      width a multiple of 32); resizing the window resizes it too
  --cycles N          stop after N executed bytecodes (the first boot's install
                      of the file system not counted), exit 0
  --trace             print each executed bytecode's number on stdout
  --trace-full        the same, followed by Class>>selector and pc
  --profile           at exit, print on stderr the 30 methods whose bytecodes the
                      interpreter ran most (with the JIT on: what is not JIT code)
  --deterministic     the reference run's conditions: counter clock, date and time 0,
                      no timer, no input, cursor at 0@0, and no LargeInteger
                      primitives (21-37, optional; the reference VMs lack them;
                      * / // quo: bitShift: fail past 15 bits)
  --screenshot FILE   write the display as a PNG file at exit
  -e, --eval EXPR     evaluate a Smalltalk expression once the image has booted and
                      print its printString (several -e run in order); `:=` is
                      accepted for the assignment arrow `_`
  --file FILE.st      file in FILE.st (chunks separated by !, the image's fileIn)
  --bench [TEST ...]  run the image's Benchmark tests (all 53 standard ones by
                      default), one line per test: benchmark NAME MS ms
  --bench-repeat N    run those tests N times in one session (JIT warm-up, then
                      steady state), with a line per pass: benchmark pass K total MS ms
  --timeout SECONDS   give up after SECONDS of evaluation (exit status 3)
  --memory MB         the most memory the VM may use (%d to %d; default %d): past
                      three quarters the image's low-space notifier opens, past
                      it new objects and contexts fail as Smalltalk errors
  --jit PARAMS        RPython JIT parameters: off, default, or name=value,...
                      (threshold, function_threshold, trace_limit, inlining, ...)
  --snapshot FILE     where the image's save (snapshot) writes; by default the
                      loaded image if its name ends in .im and it is writable,
                      else snapshot.im in the directory (below). The previous
                      file is kept as FILE.bak. The Xerox original is never written.
  --directory DIR     the host directory that is Smalltalk's file system (Disk):
                      its files, sources and changes. By default where the
                      snapshots go: the directory of --snapshot, else the
                      image's own directory if writable, else images/ next to
                      this program. Nothing outside it is read or written (but
                      Smalltalk-80.sources, read-only, from the search path).
  --no-files          no host files: no file system is installed at first boot,
                      and the file primitives refuse everything
  --snapshot-byte-order big|little
                      byte order of saved images (default: that of the loaded one)
  --version           print st80's version, the RPython version and whether
                      the JIT is in, then exit
  -h, --help          this text

Exit status: 0 done; 1 a Smalltalk error or compile error (printed on stderr),
or the VM stopped (st80: fatal: ...); 2 bad usage or image; 3 --cycles or
--timeout reached during -e/--file/--bench.

The image is searched for in: --image or IMAGE, $ST80_IMAGE, images/snapshot.im
(your last save), images/VirtualImage, ../shared/images/VirtualImage (the last
three next to this program).
"""

NO_IMAGE = """st80: no Smalltalk-80 image found.
Looked for --image/IMAGE, $ST80_IMAGE, %s and %s.
Get the Xerox Smalltalk-80 Version 2 virtual image ("VirtualImage", from Mario
Wolczko's Smalltalk-80 page, image.tar.gz) and put it in images/, or pass --image.
"""


class UsageError(Exception):
    def __init__(self, msg):
        self.msg = msg


def parse_int(text, option):
    try:
        value = int(text)
    except ValueError:
        raise UsageError('%s needs a number, not "%s"' % (option, text))
    if value < 0:
        raise UsageError('%s needs a number >= 0' % option)
    return value


# Options that take a value (as the next argument or after `=`).
VALUE_OPTIONS = ['--image', '--cycles', '--screenshot', '-e', '--eval', '--file',
                 '--timeout', '--jit', '--snapshot', '--snapshot-byte-order',
                 '--display', '--scale', '--bench-repeat', '--memory',
                 '--display-size', '--directory']


def parse_args(argv):
    opts = Options()
    i = 1
    while i < len(argv):
        arg = argv[i]
        value = ''
        has_value = False
        if arg.startswith('--') and '=' in arg:
            eq = arg.find('=')
            assert eq >= 0
            value = arg[eq + 1:]
            arg = arg[:eq]
            has_value = True
        if arg == '--bench':
            i = parse_bench(opts, argv, i)
        elif arg in VALUE_OPTIONS:
            if not has_value:
                if i + 1 >= len(argv):
                    raise UsageError('%s needs a value' % arg)
                i += 1
                value = argv[i]
            parse_value_option(opts, arg, value)
        elif has_value:
            raise UsageError('option %s takes no value' % arg)
        else:
            parse_flag(opts, arg)
        i += 1
    if opts.bench_repeat > 1:
        repeat_benchmarks(opts)
    if opts.display_width and opts.jobs:
        raise UsageError('--display-size is for the desktop, not -e, --file or --bench '
                         '(evaluate DisplayScreen displayExtent: W@H there)')
    return opts


def parse_display_size(opts, value):
    """--display-size WxH: within the limits, rounded as displayExtent: does."""
    from spyvm.desktop import display_size_error
    x = value.find('x')
    if x <= 0:
        raise UsageError('--display-size needs WIDTHxHEIGHT (1024x768, say), not "%s"' % value)
    width = parse_int(value[:x], '--display-size')
    height = parse_int(value[x + 1:], '--display-size')
    msg = display_size_error(width, height)
    if msg:
        raise UsageError(msg)
    opts.display_width = width // 32 * 32
    opts.display_height = height // 2 * 2


def parse_bench(opts, argv, i):
    """--bench [testX ...]: answers the index of its last argument."""
    from spyvm.headless import Job, STANDARD_TESTS
    names = []
    while i + 1 < len(argv) and argv[i + 1].startswith('test'):
        i += 1
        names.append(argv[i])
    if not names:
        names = STANDARD_TESTS
    for name in names:
        opts.jobs.append(Job(Job.BENCHMARK, name))
    return i


def parse_value_option(opts, arg, value):
    from spyvm.headless import Job
    if arg == '--image':
        opts.image = value
    elif arg == '-e' or arg == '--eval':
        opts.jobs.append(Job(Job.EXPRESSION, value))
    elif arg == '--file':
        opts.jobs.append(Job(Job.FILE, read_text_file(value)))
    elif arg == '--timeout':
        opts.timeout = parse_int(value, arg)
    elif arg == '--jit':
        set_jit_params(value)
        opts.set_jit_params(value)
    elif arg == '--snapshot':
        opts.snapshot = value
    elif arg == '--directory':
        if not os.path.isdir(value):
            raise UsageError('--directory %s: not a directory' % value)
        opts.directory = value
    elif arg == '--display':
        if value not in ['headless', 'sdl2', 'pygame']:
            raise UsageError('--display is headless, sdl2 or pygame')
        opts.display = value
    elif arg == '--display-size':
        parse_display_size(opts, value)
    elif arg == '--scale':
        opts.scale = parse_int(value, arg)
        if not 1 <= opts.scale <= 8:
            raise UsageError('--scale is 1 to 8')
    elif arg == '--snapshot-byte-order':
        if value not in ['big', 'little']:
            raise UsageError('--snapshot-byte-order is big or little')
        opts.byte_order = value
    elif arg == '--cycles':
        opts.set_cycle_limit(parse_int(value, arg))
    elif arg == '--memory':
        opts.memory_mb = parse_int(value, arg)
        if not MIN_MEMORY_MB <= opts.memory_mb <= MAX_MEMORY_MB:
            raise UsageError('--memory is %d to %d (MB)' % (MIN_MEMORY_MB, MAX_MEMORY_MB))
    elif arg == '--bench-repeat':
        opts.bench_repeat = parse_int(value, arg)
        if opts.bench_repeat < 1:
            raise UsageError('--bench-repeat is at least 1')
    else:
        opts.screenshot = value


def parse_flag(opts, arg):
    if arg == '-h' or arg == '--help':
        opts.help = True
    elif arg == '--version':
        opts.version = True
    elif arg == '--trace':
        opts.set_tracing(True, opts.trace_full)
    elif arg == '--trace-full':
        opts.set_tracing(True, True)
    elif arg == '--profile':
        opts.set_profiling(True)
    elif arg == '--deterministic':
        opts.set_deterministic()
    elif arg == '--headless':
        opts.display = 'headless'
    elif arg == '--no-files':
        opts.files = False
    elif arg.startswith('-') and arg != '-':
        raise UsageError('unknown option %s (see --help)' % arg)
    elif not opts.image:
        opts.image = arg
    else:
        raise UsageError('more than one image given (%s)' % arg)


def repeat_benchmarks(opts):
    """--bench-repeat N: the benchmark jobs N times over, each pass's last one marked."""
    from spyvm.headless import Job
    others = [job for job in opts.jobs if job.kind != Job.BENCHMARK]
    names = [job.text for job in opts.jobs if job.kind == Job.BENCHMARK]
    if not names:
        raise UsageError('--bench-repeat needs --bench')
    jobs = others
    for k in range(opts.bench_repeat):
        for name in names:
            jobs.append(Job(Job.BENCHMARK, name))
        jobs[len(jobs) - 1].bench_pass = k + 1
    opts.jobs = jobs


def set_jit_params(text):
    """--jit off | default | name=value,...: RPython's JIT parameters."""
    from rpython.rlib import jit
    from spyvm import interpreter
    try:
        interpreter.set_jit_params(text)
    except jit.TraceLimitTooHigh:
        raise UsageError('--jit: trace_limit can be at most 16384')
    except ValueError:
        raise UsageError('--jit: bad parameters "%s" (off, default, or name=value,... '
                         'with threshold, function_threshold, trace_eagerness, '
                         'trace_limit, decay, inlining, loop_longevity, retrace_limit, '
                         'max_unroll_recursion, max_unroll_loops, enable_opts)' % text)


def read_text_file(path):
    from spyvm.files import read_file, FileError
    try:
        return read_file(path)
    except FileError as e:
        raise UsageError('%s: %s' % (path, e.msg))


def program_dir(argv0):
    path = argv0
    if not objectmodel.we_are_translated():
        path = os.path.abspath(path)
    return dir_of(path)


def find_image(opts, argv0):
    """The image path, or '' if none of the search path exists."""
    if opts.image:
        return opts.image
    env = os.environ.get('ST80_IMAGE')
    if env:
        return env
    base = program_dir(argv0)
    for candidate in [base + '/images/snapshot.im', base + '/images/VirtualImage',
                      base + '/../shared/images/VirtualImage']:
        if os.path.exists(candidate):
            return candidate
    return ''


def choose_display(opts):
    """The window by default for an interactive run, if there is a screen."""
    if opts.display:
        return opts.display
    if opts.jobs or opts.max_cycles >= 0 or opts.tracing or opts.screenshot:
        return 'headless'
    if (os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY') or
            os.environ.get('SDL_VIDEODRIVER')):
        if objectmodel.we_are_translated():
            return 'sdl2'
        return 'pygame'
    return ''


def dir_of(path):
    slash = path.rfind('/')
    if slash < 0:
        return '.'
    if slash == 0:
        return '/'
    return path[:slash]


def file_directory(opts, image_path, argv0):
    """The image's file system: --directory, else where its snapshots go:
    the directory of --snapshot, else the image's own directory when it is
    writable, else images/ next to the program."""
    if opts.directory:
        return opts.directory
    if opts.snapshot:
        return dir_of(opts.snapshot)
    if writable(dir_of(image_path)):
        return dir_of(image_path)
    return program_dir(argv0) + '/images'


def snapshot_path(opts, image_path, directory):
    """Where primitive 97 saves: --snapshot, else the loaded image when it is a
    writable *.im, else snapshot.im in the file directory."""
    if opts.snapshot:
        return opts.snapshot
    if image_path.endswith('.im') and writable(image_path):
        return image_path
    return directory + '/snapshot.im'


def host_files(opts, image_path, argv0, directory):
    """The host directory for the file primitives; the sources file is
    searched for in it, next to the image, in images/ and ../shared/images/."""
    from spyvm.hostfiles import HostFiles
    base = program_dir(argv0)
    return HostFiles(directory, [dir_of(image_path), base + '/images',
                                 base + '/../shared/images'], opts.files)


def err(msg):
    os.write(2, msg)


def active_context(space):
    """The suspended context of the active process, where the image resumes."""
    w_processor = space.w_scheduler_association.fetch(space, constants.ASSOCIATION_VALUE)
    if not isinstance(w_processor, W_PointersObject) or w_processor.size() < 2:
        raise ImageError('the image has no ProcessorScheduler')
    w_process = w_processor.fetch_field(constants.SCHEDULER_ACTIVE_PROCESS)
    if not isinstance(w_process, W_PointersObject) or w_process.size() < 2:
        raise ImageError('the image has no active process')
    w_context = w_process.fetch_field(constants.PROCESS_SUSPENDED_CONTEXT)
    if not isinstance(w_context, W_Context) or w_context.ip_is_nil:
        raise ImageError('the active process has no context to resume')
    return w_context


def write_screenshot(interp, path):
    from spyvm.png import form_to_png
    from spyvm.model import W_WordsObject
    space = interp.space
    w_display = interp.w_display
    if not isinstance(w_display, W_PointersObject):
        err('st80: no display to take a screenshot of (beDisplay was never called)\n')
        return False
    w_bits = w_display.fetch_field(constants.FORM_BITS)
    try:
        width = space.unwrap_int(w_display.fetch_field(constants.FORM_WIDTH))
        height = space.unwrap_int(w_display.fetch_field(constants.FORM_HEIGHT))
    except Exception:
        width = height = -1
    if not isinstance(w_bits, W_WordsObject) or width <= 0 or height <= 0:
        err('st80: the display form is damaged; no screenshot\n')
        return False
    from spyvm.files import write_file_atomically, FileError
    try:
        write_file_atomically(path, form_to_png(w_bits.words, width, height), False)
    except FileError as e:
        err('st80: screenshot: %s\n' % e.msg)
        return False
    return True


def main(argv):
    from spyvm.interpreter import set_jit_defaults
    set_jit_defaults()              # before --jit, which may change them
    try:
        opts = parse_args(argv)
    except UsageError as e:
        err('st80: %s\n' % e.msg)
        return 2
    if opts.help:
        os.write(1, USAGE % (MIN_MEMORY_MB, MAX_MEMORY_MB, DEFAULT_MEMORY_MB))
        return 0
    if opts.version:
        from spyvm.version import version_line
        os.write(1, version_line(objectmodel.we_are_translated()))
        return 0
    path = find_image(opts, argv[0])
    if not path:
        base = program_dir(argv[0])
        err(NO_IMAGE % (base + '/images/VirtualImage', base + '/../shared/images/VirtualImage'))
        return 2
    return run(opts, path, argv[0])


def run(opts, path, argv0):
    from spyvm.objspace import ObjSpace
    from spyvm.image import load_image_file
    from spyvm.interpreter import Interpreter
    from spyvm.iostate import IOState
    space = ObjSpace()
    space.memory.bound = (opts.memory_mb or DEFAULT_MEMORY_MB) * 1024 * 1024
    try:
        info = load_image_file(space, path)
        w_context = active_context(space)
    except ImageError as e:
        err('st80: %s\n' % e.msg)
        return 2
    ioc = IOState(space, opts.deterministic)
    space.memory.check(time.time())     # coreLeft is right from the first send
    kind = choose_display(opts)
    if not kind:
        err('st80: there is no screen for a window ($DISPLAY is not set): use '
            '--headless to run without one, or -e EXPR to evaluate\n')
        return 2
    if kind != 'headless':
        from spyvm.display import create_display, DisplayError
        try:
            ioc.display = create_display(kind, path, opts.scale)
        except DisplayError as e:
            err('st80: cannot open the %s display: %s\n' % (kind, e.msg))
            return 2
    directory = file_directory(opts, path, argv0)
    opts.snapshot_path = opts.snapshot_default = snapshot_path(opts, path, directory)
    opts.snapshot_little_endian = info.little_endian
    if opts.byte_order:
        opts.snapshot_little_endian = opts.byte_order == 'little'
    interp = Interpreter(space, ioc, opts)
    interp.files = host_files(opts, path, argv0, directory)
    jobs = opts.jobs
    from spyvm import firstboot
    if firstboot.wants_install(space, opts):
        jobs = firstboot.install_jobs(interp.files) + jobs
    if jobs:
        from spyvm.headless import Headless
        interp.hooks = Headless(interp, jobs, opts.timeout, desktop=not opts.jobs)
    if not opts.jobs and (ioc.display is not None or opts.display_width):
        from spyvm.desktop import Desktop
        desktop = Desktop(interp, opts.display_width, opts.display_height)
        if jobs:                    # st80's first-boot work, then the desktop
            from spyvm.hooks import Both
            interp.hooks = Both(interp.hooks, desktop)
        else:
            interp.hooks = desktop
    status = 0
    if objectmodel.we_are_translated():
        from spyvm import guardstats    # (imports the JIT: only in st80-c)
        guardstats.start()
    try:
        interp.interpret(w_context)
    except Quit as q:
        status = q.status
    except FatalError as e:
        interp.trace.flush()
        err('st80: fatal: %s\n' % e.msg)
        status = 1
    interp.trace.flush()
    interp.files.close_all()
    if ioc.display is not None:
        ioc.display.close()
    if opts.screenshot:
        if not write_screenshot(interp, opts.screenshot):
            status = 1
    if opts.profiling:
        from spyvm.profile import format_profile
        err(format_profile(interp.profile, 30))
    if objectmodel.we_are_translated():
        from spyvm import guardstats
        guardstats.report()
    return status
