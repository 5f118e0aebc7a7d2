"""File primitives (128, 130-133): Smalltalk's File, FilePage and FileDirectory
on the host directory (spyvm/hostfiles.py).

The protocol is that of dbanay's Smalltalk-80 VM, whose image calls it from
PosixFile and PosixFileDirectory; st80's own HostFile classes
(smalltalk/HostFiles.st) call the same. Fields read and written:

    a File      fileName (1), its handle (8): a SmallInteger, or nil when closed
    a FilePage  its bytes (1, a ByteArray of at least 512), pageNumber (3,
                1-based), the count of bytes in use (4)

A malformed call (a bad command, a receiver or argument of the wrong kind)
fails. What the host or the sandbox refuses is an answer (false or nil, as
each command says) with the error number kept for primitive 132: the image's
classes then report it with the host's reason (primitive 133).
"""

from rpython.rlib import jit
from spyvm import hostfiles
from spyvm.error import PrimitiveFailedError
from spyvm.hostfiles import FileRefused, PAGE_SIZE
from spyvm.model import W_BytesObject, W_PointersObject, W_SmallInteger
from spyvm.primitives import expose_primitive

FILE_NAME = 1
FILE_HANDLE = 8
FILE_FIELDS = 9
PAGE_BYTES = 1
PAGE_NUMBER = 3
PAGE_COUNT = 4
PAGE_FIELDS = 5

# The file name that the image's `Smalltalk snapshot` gives primitive 128: the
# save then goes to st80's own default target (see spyvm/main.py).
SNAPSHOT_NAME = 'snapshot.im'

READ, WRITE, TRUNCATE, SIZE, OPEN, CLOSE = range(6)
CREATE, REMOVE, RENAME, LIST = range(4)


# For an interpreter made without one (tests, embedding): no host files.
NO_FILES = hostfiles.HostFiles('.', [], enabled=False)


def host_files(interp):
    """The host directory, or none (every operation refused)."""
    files = interp.files
    if files is None:
        return NO_FILES
    return files


def string_arg(space, w_obj):
    """The text of a String or Symbol argument; fails for anything else."""
    if isinstance(w_obj, W_BytesObject):
        w_class = w_obj.getclass(space)
        if w_class is space.w_String or w_class is space.w_Symbol:
            return w_obj.as_string()
    raise PrimitiveFailedError


def file_arg(w_obj):
    if not isinstance(w_obj, W_PointersObject) or w_obj.size() < FILE_FIELDS:
        raise PrimitiveFailedError
    return w_obj


class Page(object):
    """A FilePage argument, checked: its bytes, page number and count."""
    def __init__(self, space, w_page):
        if not isinstance(w_page, W_PointersObject) or w_page.size() < PAGE_FIELDS:
            raise PrimitiveFailedError
        w_bytes = w_page.fetch_field(PAGE_BYTES)
        if not isinstance(w_bytes, W_BytesObject) or w_bytes.size() < PAGE_SIZE:
            raise PrimitiveFailedError
        self.w_page = w_page
        self.w_bytes = w_bytes
        self.number = space.unwrap_large_or_small(w_page.fetch_field(PAGE_NUMBER))
        if self.number < 1:
            raise PrimitiveFailedError
        w_count = w_page.fetch_field(PAGE_COUNT)
        self.count = w_count.value if isinstance(w_count, W_SmallInteger) else -1


def handle_of(files, w_file):
    """The file's open handle (claimed by it if it was just created), or
    FileRefused: nil, a stale handle from another session, another file's."""
    w_handle = w_file.fetch_field(FILE_HANDLE)
    if not isinstance(w_handle, W_SmallInteger):
        raise FileRefused(hostfiles.ERR_NOT_OPEN)
    f = files.get(w_handle.value)
    if f.owner is None:
        f.owner = w_file
    elif f.owner is not w_file:
        raise FileRefused(hostfiles.ERR_NOT_OPEN)
    return w_handle.value


@expose_primitive(130, unwrap_spec=[object, int, object, object])
def primitiveFileCommand(interp, frame, w_file, command, w_name, w_page):
    """0 read a page, 1 write it, 2 end the file after it (nil: empty it),
    3 the size in bytes, 4 open the file of that name, 5 close."""
    space = interp.space
    file_arg(w_file)
    if not 0 <= command <= 5:
        raise PrimitiveFailedError
    name = ''
    page = None
    if command == OPEN:
        name = string_arg(space, w_name)
    elif command == READ or command == WRITE or (command == TRUNCATE and
                                                   w_page is not space.w_nil):
        page = Page(space, w_page)
        if command != READ and not 0 <= page.count <= PAGE_SIZE:
            raise PrimitiveFailedError
    return file_command(interp, w_file, command, name, page)


@jit.dont_look_inside
def file_command(interp, w_file, command, name, page):
    space = interp.space
    files = host_files(interp)
    try:
        if command == OPEN:
            return open_file(space, files, w_file, name)
        if command == CLOSE:
            return close_file(space, files, w_file)
        handle = handle_of(files, w_file)
        if command == READ:
            assert page is not None
            data = files.read_page(handle, page.number)
            for i in range(len(data)):
                page.w_bytes.bytes[i] = data[i]
            page.w_page.store_field(PAGE_COUNT, space.wrap_int(len(data)))
        elif command == WRITE:
            assert page is not None
            count = page.count
            assert count >= 0               # checked by the primitive
            files.write_page(handle, page.number, ''.join(page.w_bytes.bytes[:count]))
        elif command == TRUNCATE:
            size = 0
            if page is not None:
                size = (page.number - 1) * PAGE_SIZE + page.count
            files.truncate(handle, size)
        else:
            return space.wrap_int(files.size(handle))
        return space.w_true
    except FileRefused as e:
        files.note_error(e.errno)
        if command == SIZE:
            return space.w_nil
        return space.w_false


def close_file(space, files, w_file):
    """Closed whatever happens: a stale handle is dropped too."""
    try:
        files.close(handle_of(files, w_file))
    finally:
        w_file.store_field(FILE_HANDLE, space.w_nil)
    return space.w_true


def open_file(space, files, w_file, name):
    """Open, after closing what the file had open (its handle would leak)."""
    try:
        files.close(handle_of(files, w_file))
    except FileRefused:
        pass
    w_file.store_field(FILE_HANDLE, space.w_nil)
    handle = files.open(name)
    files.get(handle).owner = w_file
    w_file.store_field(FILE_HANDLE, space.wrap_int(handle))
    return space.w_true


@expose_primitive(131, unwrap_spec=[object, int, object, object])
def primitiveDirectoryCommand(interp, frame, w_dir, code, w_name, w_arg):
    """0 create (or empty) the named file: its handle, or nil; 1 remove it;
    2 rename the File w_arg to the name, true or false; 3 an Array of the
    names of the directory's files, or nil."""
    space = interp.space
    if not 0 <= code <= 3:
        raise PrimitiveFailedError
    name = ''
    if code != LIST:
        name = string_arg(space, w_name)
    if code == RENAME:
        file_arg(w_arg)
        string_arg(space, w_arg.fetch(space, FILE_NAME))
    return directory_command(interp, code, name, w_name, w_arg)


@jit.dont_look_inside
def directory_command(interp, code, name, w_name, w_arg):
    space = interp.space
    files = host_files(interp)
    try:
        if code == CREATE:
            handle = files.create(name)
            if isinstance(w_arg, W_PointersObject) and w_arg.size() >= FILE_FIELDS:
                files.get(handle).owner = w_arg
            return space.wrap_int(handle)
        if code == REMOVE:
            files.remove(name)
        elif code == RENAME:
            assert isinstance(w_arg, W_PointersObject)
            old = w_arg.fetch(space, FILE_NAME)
            assert isinstance(old, W_BytesObject)
            files.rename(old.as_string(), name)
            w_arg.store_field(FILE_NAME, w_name)
        else:
            return space.wrap_list([space.wrap_string(n) for n in files.names()])
        return space.w_true
    except FileRefused as e:
        files.note_error(e.errno)
        if code == REMOVE or code == RENAME:
            return space.w_false
        return space.w_nil


@expose_primitive(132, unwrap_spec=[object])
def primitiveFileError(interp, frame, w_rcvr):
    return interp.space.wrap_int(host_files(interp).last_error)


@expose_primitive(133, unwrap_spec=[object, int])
def primitiveFileErrorString(interp, frame, w_rcvr, errno):
    return interp.space.wrap_string(hostfiles.error_string(errno))


@expose_primitive(128)
def primitiveBeSnapshotFile(interp, frame, argcount):
    """With no arguments (a File): the next snapshot goes to that file. With
    five, the Xerox image's Alto disk call (AltoFile>>dskprim:...): no Alto
    disk here, it fails."""
    if argcount != 0:
        raise PrimitiveFailedError
    w_file = file_arg(frame.peek(0))
    be_snapshot_file(interp, string_arg(interp.space, w_file.fetch(interp.space, FILE_NAME)))


@jit.dont_look_inside
def be_snapshot_file(interp, name):
    """A --snapshot target stays; `snapshot.im` (the image's own default
    name) means st80's default target; any other name (save as) that file
    in the directory. The empty file the image made to name a snapshot that
    goes elsewhere is removed."""
    files = host_files(interp)
    options = interp.options
    if not files.enabled or not hostfiles.plain_name(name):
        raise PrimitiveFailedError
    path = files.path_of(name)
    if not options.snapshot:
        if name == SNAPSHOT_NAME:
            options.snapshot_path = options.snapshot_default
        else:
            options.snapshot_path = path
    if options.snapshot_path != path:
        files.remove_if_empty(name)
