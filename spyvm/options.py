"""How a run is configured: the command line (spyvm/main.py) fills one Options,
and the interpreter, the drivers and the primitives read it."""


class Options(object):
    # Read by the bytecode loop: constants in JIT code, changed only before a run.
    _immutable_fields_ = ['watching?', 'counting?', 'tracing?', 'trace_full?',
                          'profiling?', 'max_cycles?', 'large_integer_primitives?',
                          'jit_off?']

    def __init__(self):
        # The image and the window.
        self.image = ''
        self.display = ''            # headless, sdl2, pygame; '' = choose
        self.scale = 1
        self.display_width = 0       # --display-size; 0: the image's own
        self.display_height = 0
        self.deterministic = False   # the reference run's conditions
        self.screenshot = ''
        self.help = False
        self.version = False
        # Where primitive 97 saves, and in which byte order (main.py decides).
        self.snapshot = ''
        self.byte_order = ''
        self.snapshot_path = ''
        self.snapshot_default = ''    # the target when the image names snapshot.im
        self.snapshot_little_endian = False
        # The host directory that is the image's file system (spyvm/hostfiles.py).
        self.directory = ''          # --directory; '' = where the snapshots go
        self.files = True            # False: --no-files
        # Headless work: -e, --file, --bench (spyvm.headless.Job).
        self.jobs = []
        self.timeout = 0
        self.bench_repeat = 1
        self.memory_mb = 0           # --memory; 0: the default (spyvm/memory.py)
        # The bytecode loop.
        self.max_cycles = -1         # stop after so many bytecodes (--cycles)
        self.tracing = False         # print each bytecode (--trace)
        self.trace_full = False      # with its method and pc (--trace-full)
        self.counting = False        # count bytecodes: for either of those
        self.profiling = False       # count bytecodes per method (--profile)
        self.watching = False        # either: the loop's one test per bytecode
        self.jit_params = []         # each --jit's text, in order
        self.jit_off = False         # --jit off: the loop skips the JIT's counters
        # Primitives 21-37 are optional; the reference VMs lack them.
        self.large_integer_primitives = True

    def set_cycle_limit(self, n):
        self.max_cycles = n
        self.counting = n >= 0 or self.tracing
        self.watching = self.counting or self.profiling

    def set_tracing(self, flag, full=False):
        self.tracing = flag
        self.trace_full = full
        self.counting = flag or self.max_cycles >= 0
        self.watching = self.counting or self.profiling

    def set_profiling(self, flag):
        self.profiling = flag
        self.watching = self.counting or self.profiling

    def set_jit_params(self, text):
        """One --jit; the loop's jit_off follows the last that decides it."""
        self.jit_params.append(text)
        self.jit_off = self.jit_off_by_params()

    def jit_off_by_params(self):
        off = False
        for text in self.jit_params:
            if text == 'off':       # (RPython's set_user_param takes it alone)
                off = True
            elif text == 'default' or 'threshold=' in text:
                off = False
        return off

    def set_deterministic(self):
        self.deterministic = True
        self.large_integer_primitives = False
