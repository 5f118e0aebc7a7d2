"""PYPYLOG=st80-guards: how often each guard of the JIT code failed with no
bridge to go on with, so that the blackhole interpreter and then the
interpreter finished the work. tools/jitlog.py names each guard's trace and
Smalltalk position. (A guard with a bridge does not fail: its bridge runs.)

RPython has no hook for a failure, so this wraps the method the JIT calls at
each one to decide whether it is time to compile a bridge. Off unless PYPYLOG
names the section: one flag test per failure, nothing in JIT code itself.
"""

from rpython.jit.metainterp import compile as jitcompile
from rpython.rlib import debug
from rpython.rlib.objectmodel import compute_unique_id, we_are_translated
from rpython.rlib.rarithmetic import r_uint


class GuardStats(object):
    def __init__(self):
        self.enabled = False
        self.counts = {}            # the guard's unique id (as the JIT log writes it) -> failures

stats = GuardStats()

_must_compile = jitcompile.AbstractResumeGuardDescr.must_compile.im_func


def must_compile(self, deadframe, metainterp_sd, jitdriver_sd):
    if stats.enabled:
        key = compute_unique_id(self)
        stats.counts[key] = stats.counts.get(key, 0) + 1
    return _must_compile(self, deadframe, metainterp_sd, jitdriver_sd)


def install():
    """Wrap the JIT's method (before translation: targetst80.target)."""
    jitcompile.AbstractResumeGuardDescr.must_compile = must_compile


def start():
    stats.enabled = we_are_translated() and debug.have_debug_prints_for('st80-guards')
    stats.counts = new_counts()


def new_counts():
    # The JIT's own code (and must_compile with it) is annotated after the
    # program's, too late to give the dict its types: one entry, at once
    # removed, does that here (a key and a count that are not constants).
    counts = {}
    key = compute_unique_id(stats)
    counts[key] = len(counts)
    del counts[key]
    return counts


def report():
    """At exit: a line per guard that failed, `Guard0x<id> <failures>`."""
    if not stats.counts:
        return
    debug.debug_start('st80-guards')
    for key, n in stats.counts.items():
        debug.debug_print('Guard0x%x' % r_uint(key), n)
    debug.debug_stop('st80-guards')
