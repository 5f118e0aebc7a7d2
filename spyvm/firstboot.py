"""The first boot of an image without a file system (`Disk` nil: the Xerox
image as it ships): st80 files in its own FileDirectory, File and FilePage
classes (smalltalk/HostFiles.st, read here at translation time, so the binary
carries it) and makes the host directory `Disk`, with `SourceFiles` on the
sources (read-only) and changes files. It is a job of the headless driver
(spyvm/headless.py) that prints nothing, before the user's -e or the desktop;
a saved image keeps the classes, so this happens once. Never under
--deterministic (the reference traces), with --no-files, or for --bench (the
suite measures the image as it is, as it always has)."""

import os
from spyvm.headless import Job
from spyvm.hostfiles import SOURCES_NAME, writable

SOURCE_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           'smalltalk', 'HostFiles.st')
with open(SOURCE_FILE) as _f:
    HOST_FILES_ST = _f.read()

WHAT = 'installing the host file system at first boot (--no-files to run without)'
# The classes the install subclasses or changes.
NEEDED = ['FileDirectory', 'File', 'FilePage', 'FileStream']


def wants_install(space, opts):
    if opts.deterministic or not opts.files:
        return False
    for job in opts.jobs:
        if job.kind == Job.BENCHMARK:
            return False
    w_disk = space.find_global('Disk')
    if w_disk is None or w_disk is not space.w_nil:
        return False
    for name in NEEDED:
        if space.find_global(name) is None:
            return False
    return True


def install_jobs(files):
    """File in the classes, then install them: with the source files when
    the sources file is found and the changes file can be written; else
    Disk alone (with a word on stderr)."""
    sources = files.sources_path()
    if not sources:
        os.write(2, 'st80: %s not found (looked in %s and %s): the browsers show '
                 'decompiled code\n' % (SOURCES_NAME, files.directory,
                                        ', '.join(files.sources_dirs)))
    elif not writable(files.directory):
        os.write(2, 'st80: %s is not writable: no changes file, the browsers show '
                 'decompiled code\n' % files.directory)
        sources = ''
    install = 'HostFileDirectory install' if sources else 'HostFileDirectory installDisk'
    return [Job(Job.FILE, HOST_FILES_ST, WHAT), Job(Job.EXPRESSION, install, WHAT)]
