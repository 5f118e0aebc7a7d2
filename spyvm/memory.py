"""The VM's memory, managed as an operating system would.

- The GC's nursery is chosen here (`nursery_size`, installed by
  targetst80.target): RPython sizes it from /proc/cpuinfo's "cache size",
  which on some hosts is a last-level cache of hundreds of MB.
  PYPY_GC_NURSERY still overrides it.
- `--memory MB` bounds the VM's resident memory (the Smalltalk heap, the JIT's
  code and the VM itself), read from /proc/self/status at most every 10 ms.
- The image sees that bound as the Blue Book's object memory: coreLeft
  (primitive 112) answers the words left under it, and the semaphore of
  signal:atOopsLeft:wordsLeft: (primitive 116) is signalled when they drop
  below the image's limit. Past the bound, new: and new: fail and a new
  context is an `error:` in the process that asks for it; the image's own
  error handling runs with a grace margin, which ends when the memory used is
  under the bound again. Past the margin too, the VM stops with one line.
"""

import os
from rpython.rlib import rgc
from rpython.rtyper.lltypesystem import rffi
from rpython.translator.tool.cbuild import ExternalCompilationInfo

NURSERY_BYTES = 4 * 1024 * 1024
DEFAULT_MEMORY_MB = 512
MIN_MEMORY_MB = 64
MAX_MEMORY_MB = 65536
CHECK_INTERVAL = 0.010          # seconds between readings of the resident size
COLLECT_INTERVAL = 0.5          # at most this often a full collection to get under
GRACE_FRACTION = 8              # the grace margin: an eighth of the bound


def nursery_size():
    """Replaces RPython's estimate from the cache size (a GC-time function)."""
    return NURSERY_BYTES


_malloc_trim = rffi.llexternal('malloc_trim', [rffi.SIZE_T], rffi.INT,
                               compilation_info=ExternalCompilationInfo(
                                   includes=['malloc.h']),
                               releasegil=False)


def resident_bytes():
    """VmRSS from /proc/self/status, or -1 if it cannot be read."""
    try:
        fd = os.open('/proc/self/status', os.O_RDONLY, 0)
    except OSError:
        return -1
    try:
        data = os.read(fd, 4096)
    except OSError:
        data = ''
    os.close(fd)
    start = data.find('VmRSS:')
    if start < 0:
        return -1
    i = start + len('VmRSS:')
    while i < len(data) and data[i] == ' ' or i < len(data) and data[i] == '\t':
        i += 1
    kb = 0
    while i < len(data) and '0' <= data[i] <= '9':
        kb = kb * 10 + ord(data[i]) - ord('0')
        i += 1
    return kb * 1024


class Memory(object):
    # Read at each activation: a constant in JIT code, which a change throws away.
    _immutable_fields_ = ['exhausted?']

    def __init__(self, bound_mb=0):
        self.bound = bound_mb * 1024 * 1024     # 0: no bound (tests, embedding)
        self.used = 0
        self.last_check = -1.0
        self.last_collect = -1.0
        self.exhausted = False      # past the bound: allocation fails
        self.in_grace = False       # the error is being handled, within the margin
        self.measured = False       # False: no reading yet (or none possible)

    def bound_mb(self):
        return self.bound // (1024 * 1024)

    def words_left(self):
        """16-bit words left under the bound (coreLeft; `measured` only with one)."""
        return max(0, self.bound - self.used) // 2

    def check(self, now):
        """Read the resident size (at most every CHECK_INTERVAL); answers
        True when the VM is past the grace margin too and must stop."""
        if self.bound <= 0 or 0.0 <= now - self.last_check < CHECK_INTERVAL:
            return False
        self.last_check = now
        used = resident_bytes()
        if used < 0:
            return False
        self.measured = True
        if used > self.bound and not 0.0 <= now - self.last_collect < COLLECT_INTERVAL:
            # Garbage may be all that is past the bound: collect it, and give
            # the freed pages back, before believing the figure.
            self.last_collect = now
            rgc.collect()
            _malloc_trim(0)
            used = max(0, resident_bytes())
        self.used = used
        if used <= self.bound:
            self.in_grace = False
            if self.exhausted:
                self.exhausted = False
            return False
        if self.in_grace:
            return used > self.bound + self.bound // GRACE_FRACTION
        if not self.exhausted:
            self.exhausted = True
        return False

    def start_grace(self):
        """The error for running past the bound is under way: let its
        handling allocate, up to the margin."""
        self.exhausted = False
        self.in_grace = True

    def allocation_fails(self):
        return self.exhausted
