"""RPython target for st80-c, the Smalltalk-80 VM; also runs untranslated:

    python targetst80.py [options] [IMAGE]          (slow, readable)
    rpython --batch -Ojit targetst80.py             (builds ./st80-c)
"""

import os
import sys
# rpython names its temp dir after the Mercurial branch and warns on stderr
# when there is none; a fixed name keeps the untranslated VM's stderr clean.
os.environ.setdefault('PYPY_USESSION_BASENAME', 'st80')
from spyvm.main import main


def entry_point(argv):
    return main(argv)


def target(driver, args):
    from spyvm import guardstats, memory
    from rpython.memory.gc import env
    guardstats.install()             # PYPYLOG=st80-guards
    # The nursery st80 chooses (PYPY_GC_NURSERY still overrides it).
    env.estimate_best_nursery_size = memory.nursery_size
    from spyvm import version
    version.JIT = bool(driver.config.translation.jit)     # for --version
    from spyvm import display
    if not display.HAVE_SDL2:
        # Not a binary without its window, silently (the SDL2 binding's C
        # configuration can fail, e.g. when another translation removed this
        # one's temporary directory).
        raise RuntimeError('st80-c needs SDL2 (libsdl2-dev): ' + display.SDL2_ERROR)
    driver.exe_name = 'st80-c'
    return entry_point, None


def jitpolicy(driver):
    from rpython.jit.codewriter.policy import JitPolicy
    return JitPolicy()


if __name__ == '__main__':
    sys.setrecursionlimit(20000)
    sys.exit(entry_point(sys.argv))
