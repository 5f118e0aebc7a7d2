"""The host directory that Smalltalk sees as its file system (its `Disk`).

One directory, chosen at start (--directory, or where the image's snapshots
go). Names are plain file names in it: no '/', not '.' or '..', no NUL, at most
255 bytes. A name that is a symbolic link is followed only while each link
names another plain file of the same directory; a link that leads anywhere
else (outside, or into a subdirectory) is refused, and the last step is opened
with O_NOFOLLOW. Nothing outside the directory is read or written, with one
exception: the sources file (SOURCES_NAME), found by a search path when the
directory has none, and only ever opened read-only.

Open files are handles (small integers, what Smalltalk stores in a File's
descriptor field), each with its host descriptor; at most MAX_OPEN at once.
Every failure records an error number: the host's errno, or one of st80's own
(ERR_*, from 1000) for what the sandbox refuses; `error_string` says it.
"""

import os
import stat
from rpython.rlib.listsort import TimSort

SOURCES_NAME = 'Smalltalk-80.sources'
CHANGES_NAME = 'Smalltalk-80.changes'
PAGE_SIZE = 512
MAX_OPEN = 256
MAX_NAME = 255
MAX_LINKS = 8
MAX_HANDLE = 16383          # handles are SmallIntegers
EACCES = 13

ERR_NO_FILES = 1000
ERR_NAME = 1001
ERR_OUTSIDE = 1002
ERR_NOT_FILE = 1003
ERR_SOURCES_READ_ONLY = 1004
ERR_TOO_MANY = 1005
ERR_NOT_OPEN = 1006
ERR_EXISTS = 1007

OWN_ERRORS = {
    ERR_NO_FILES: 'st80 runs without host files (--no-files)',
    ERR_NAME: "not a file name in st80's directory (no '/', '.', '..' or NUL)",
    ERR_OUTSIDE: "a symbolic link that leads outside st80's directory",
    ERR_NOT_FILE: 'not a regular file',
    ERR_SOURCES_READ_ONLY: SOURCES_NAME + ' is only ever opened read-only',
    ERR_TOO_MANY: 'too many open files (%d at once)' % MAX_OPEN,
    ERR_NOT_OPEN: 'the file is not open',
    ERR_EXISTS: 'a file of that name exists already',
}


class FileRefused(Exception):
    """A file operation failed; errno is the number that lastError answers."""
    _attrs_ = ['errno']

    def __init__(self, errno):
        self.errno = errno


class OpenFile(object):
    """A handle's host file. `owner` is the Smalltalk File that uses the
    handle (set by the primitives), so that a handle from another session
    saved in an image never reaches a file opened now."""
    _attrs_ = ['fd', 'name', 'read_only_errno', 'owner']

    def __init__(self, fd, name, read_only_errno):
        self.fd = fd
        self.name = name
        self.read_only_errno = read_only_errno    # 0: writable
        self.owner = None


def plain_name(name):
    """True for a name that stays in the directory."""
    if not name or len(name) > MAX_NAME or name == '.' or name == '..':
        return False
    return '/' not in name and '\x00' not in name


def oserror_errno(e):
    return e.errno if e.errno > 0 else ERR_NOT_FILE


class HostFiles(object):
    def __init__(self, directory, sources_dirs, enabled=True):
        """directory: the host directory; sources_dirs: where else to look for
        SOURCES_NAME, in order. Disabled (--no-files), every operation fails."""
        self.enabled = enabled
        self.directory = strip_slashes(directory)
        self.real_directory = real_path(self.directory)
        self.sources_dirs = sources_dirs
        self.open_files = {}        # handle -> OpenFile
        self.next_handle = 1
        self.last_error = 0

    # -- names ---------------------------------------------------------------------
    def path_of(self, name):
        return self.directory + '/' + name

    def check(self):
        if not self.enabled:
            raise FileRefused(ERR_NO_FILES)

    def resolve(self, name):
        """The plain name in the directory that `name` stands for once its
        symbolic links are followed (the name itself if it is none, or does not
        exist); FileRefused if it is not a plain name or a link leads away."""
        self.check()
        if not plain_name(name):
            raise FileRefused(ERR_NAME)
        for i in range(MAX_LINKS):
            try:
                st = os.lstat(self.path_of(name))
            except OSError:
                return name                      # not there (yet)
            if not stat.S_ISLNK(st.st_mode):
                return name
            try:
                target = os.readlink(self.path_of(name))
            except OSError as e:
                raise FileRefused(oserror_errno(e))
            name = self.link_target_name(target)
        raise FileRefused(ERR_OUTSIDE)

    def link_target_name(self, target):
        """The plain name a link's target names in the directory, else refused."""
        for prefix in [self.directory + '/', self.real_directory + '/', './']:
            if target.startswith(prefix):
                start = len(prefix)
                assert start >= 0
                target = target[start:]
                break
        if not plain_name(target):
            raise FileRefused(ERR_OUTSIDE)
        return target

    def is_sources(self, name):
        return name == SOURCES_NAME

    def sources_path(self):
        """Where SOURCES_NAME is read from: the directory's own, else the
        first of the search path; '' if there is none."""
        try:
            own = self.path_of(self.resolve(SOURCES_NAME))
            if os.path.isfile(own):
                return own
        except FileRefused:
            pass
        for d in self.sources_dirs:
            path = strip_slashes(d) + '/' + SOURCES_NAME
            if os.path.isfile(path):
                return path
        return ''

    # -- open files ------------------------------------------------------------------
    def open(self, name):
        """A handle on an existing file: read-write if the host allows,
        else read-only (writes then fail with the host's reason); the sources
        file read-only always."""
        self.check()
        if self.is_sources(name):
            path = self.sources_path()
            if not path:
                raise FileRefused(2)            # ENOENT
            return self.open_path(path, name, os.O_RDONLY, ERR_SOURCES_READ_ONLY)
        path = self.path_of(self.resolve(name))
        if not writable(path):
            return self.open_path(path, name, os.O_RDONLY | os.O_NOFOLLOW, EACCES)
        try:
            return self.open_path(path, name, os.O_RDWR | os.O_NOFOLLOW, 0)
        except FileRefused as e:
            if e.errno != EACCES and e.errno != 1 and e.errno != 30:   # EPERM EROFS
                raise
            return self.open_path(path, name, os.O_RDONLY | os.O_NOFOLLOW, e.errno)

    def create(self, name):
        """A handle on a new empty file of this name (an old one is emptied)."""
        self.check()
        if self.is_sources(name):
            raise FileRefused(ERR_SOURCES_READ_ONLY)
        path = self.path_of(self.resolve(name))
        self.check_writable(path)
        return self.open_path(path, name,
                              os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0)

    def check_writable(self, path):
        """Read-only (by its mode) is read-only, for root too: the file if it
        exists, else the directory, where it would be made."""
        if not writable(path if os.path.exists(path) else self.directory):
            raise FileRefused(EACCES)

    def open_path(self, path, name, flags, read_only_errno):
        if len(self.open_files) >= MAX_OPEN:
            raise FileRefused(ERR_TOO_MANY)
        try:
            fd = os.open(path, flags | os.O_NONBLOCK, 0644)   # a FIFO must not block
        except OSError as e:
            if e.errno == 40:                   # ELOOP: a link appeared meanwhile
                raise FileRefused(ERR_OUTSIDE)
            raise FileRefused(oserror_errno(e))
        try:
            st = os.fstat(fd)
        except OSError as e:
            os.close(fd)
            raise FileRefused(oserror_errno(e))
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            raise FileRefused(ERR_NOT_FILE)
        handle = self.new_handle()
        self.open_files[handle] = OpenFile(fd, name, read_only_errno)
        return handle

    def new_handle(self):
        """The next free handle; counting on, so that a closed one is not soon reused."""
        while True:
            handle = self.next_handle
            self.next_handle = handle + 1 if handle < MAX_HANDLE else 1
            if handle not in self.open_files:
                return handle

    def get(self, handle):
        f = self.open_files.get(handle, None)
        if f is None:
            raise FileRefused(ERR_NOT_OPEN)
        return f

    def close(self, handle):
        f = self.get(handle)
        del self.open_files[handle]
        try:
            os.close(f.fd)
        except OSError as e:
            raise FileRefused(oserror_errno(e))

    def close_all(self):
        for handle in self.open_files.keys():
            try:
                self.close(handle)
            except FileRefused:
                pass

    # -- pages -----------------------------------------------------------------------
    def read_page(self, handle, page_number):
        """The bytes of page page_number (1-based), short at the end, '' beyond it."""
        f = self.get(handle)
        try:
            os.lseek(f.fd, (page_number - 1) * PAGE_SIZE, 0)
            chunks = []
            count = 0
            while count < PAGE_SIZE:
                chunk = os.read(f.fd, PAGE_SIZE - count)
                if not chunk:
                    break
                chunks.append(chunk)
                count += len(chunk)
            return ''.join(chunks)
        except OSError as e:
            raise FileRefused(oserror_errno(e))

    def write_page(self, handle, page_number, data):
        f = self.get(handle)
        if f.read_only_errno:
            raise FileRefused(f.read_only_errno)
        try:
            os.lseek(f.fd, (page_number - 1) * PAGE_SIZE, 0)
            pos = 0
            while pos < len(data):
                pos += os.write(f.fd, data[pos:])
        except OSError as e:
            raise FileRefused(oserror_errno(e))

    def truncate(self, handle, size):
        f = self.get(handle)
        if f.read_only_errno:
            raise FileRefused(f.read_only_errno)
        try:
            os.ftruncate(f.fd, size)
        except OSError as e:
            raise FileRefused(oserror_errno(e))

    def size(self, handle):
        f = self.get(handle)
        try:
            return os.fstat(f.fd).st_size
        except OSError as e:
            raise FileRefused(oserror_errno(e))

    # -- the directory ---------------------------------------------------------------
    def remove(self, name):
        self.check()
        if self.is_sources(name):
            raise FileRefused(ERR_SOURCES_READ_ONLY)
        if not plain_name(name):
            raise FileRefused(ERR_NAME)
        if not writable(self.directory):
            raise FileRefused(EACCES)
        try:                # the name itself, never what a link names
            os.unlink(self.path_of(name))
        except OSError as e:
            raise FileRefused(oserror_errno(e))

    def rename(self, old, new):
        """Never over an existing file: nothing is lost by a rename."""
        self.check()
        if self.is_sources(old) or self.is_sources(new):
            raise FileRefused(ERR_SOURCES_READ_ONLY)
        if not plain_name(old) or not plain_name(new):
            raise FileRefused(ERR_NAME)
        if self.exists(new):
            raise FileRefused(ERR_EXISTS)
        if not writable(self.directory):
            raise FileRefused(EACCES)
        try:
            os.rename(self.path_of(old), self.path_of(new))
        except OSError as e:
            raise FileRefused(oserror_errno(e))
        for f in self.open_files.values():
            if f.name == old:
                f.name = new

    def remove_if_empty(self, name):
        """Remove a regular file of no bytes (not through a link)."""
        try:
            st = os.lstat(self.path_of(name))
            if stat.S_ISREG(st.st_mode) and st.st_size == 0:
                os.unlink(self.path_of(name))
        except OSError:
            pass

    def exists(self, name):
        try:
            os.lstat(self.path_of(name))
            return True
        except OSError:
            return False

    def names(self):
        """The regular files that names stand for (links followed as above),
        without dot files, sorted; and the sources file when it comes from
        the search path."""
        self.check()
        try:
            entries = os.listdir(self.directory)
        except OSError as e:
            raise FileRefused(oserror_errno(e))
        result = []
        for name in entries:
            if name.startswith('.') or not plain_name(name):
                continue
            try:
                if os.path.isfile(self.path_of(self.resolve(name))):
                    result.append(name)
            except FileRefused:
                pass
        if SOURCES_NAME not in result and self.sources_path():
            result.append(SOURCES_NAME)
        TimSort(result).sort()
        return result

    def note_error(self, errno):
        self.last_error = errno


def error_string(errno):
    text = OWN_ERRORS.get(errno, '')
    if text:
        return text
    if 0 < errno < 1000:
        try:
            return os.strerror(errno)
        except ValueError:
            pass
    return 'error %d' % errno


def writable(path):
    """The host lets us write it, and its mode says it may be written: root
    is let write everything, but a file or directory that nobody may write
    is meant to stay as it is (the shared originals, say)."""
    if not os.access(path, os.W_OK):
        return False
    try:
        return os.stat(path).st_mode & 0222 != 0
    except OSError:
        return False


def strip_slashes(path):
    while len(path) > 1 and path.endswith('/'):
        stop = len(path) - 1
        assert stop >= 0
        path = path[:stop]
    return path


def real_path(directory):
    """The directory's path with its symbolic links resolved (for the
    absolute targets of links in it); the path itself if that fails."""
    try:
        here = os.getcwd()
    except OSError:
        return directory
    try:
        os.chdir(directory)
        real = os.getcwd()
    except OSError:
        real = directory
    try:
        os.chdir(here)
    except OSError:
        pass
    return real
