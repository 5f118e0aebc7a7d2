"""File primitives (128, 130-133) on the synthetic object space: each
command's success, its refusals (an answer with the error kept) and its
failures (malformed calls, the stack untouched)."""

import errno
import os

import pytest

from spyvm import hostfiles
from spyvm.hostfiles import HostFiles, SOURCES_NAME
from spyvm.model import W_PointersObject, W_BytesObject, W_SmallInteger
from spyvm.options import Options
from spyvm.prims import files as fileprims

from tests.primsupport import run, fails, large_positive


@pytest.fixture
def tree(tmpdir):
    tmpdir.mkdir('dir')
    tmpdir.join('outside.txt').write('secret')
    tmpdir.mkdir('srcs').join(SOURCES_NAME).write('"the sources"!')
    return tmpdir


@pytest.fixture
def fs(interp, tree):
    interp.files = HostFiles(str(tree.join('dir')), [str(tree.join('srcs'))])
    return interp


def string(boot, text):
    return boot.space.wrap_string(text)


def new_file(boot, name):
    """A File of the layout the primitives read: fileName at 1, handle at 8."""
    w_file = W_PointersObject(boot.classes['Object'], 10, boot.space.w_nil)
    w_file.store_field(fileprims.FILE_NAME, string(boot, name))
    return w_file


def new_page(boot, number, count=0, data=''):
    space = boot.space
    w_page = W_PointersObject(boot.classes['Object'], 5, space.w_nil)
    w_bytes = W_BytesObject(boot.classes['ByteArray'], 512)
    for i, c in enumerate(data):
        w_bytes.bytes[i] = c
    w_page.store_field(fileprims.PAGE_BYTES, w_bytes)
    w_page.store_field(fileprims.PAGE_NUMBER, space.wrap_int(number))
    w_page.store_field(fileprims.PAGE_COUNT, space.wrap_int(count))
    return w_page


def page_text(w_page):
    count = w_page.fetch_field(fileprims.PAGE_COUNT).value
    return ''.join(w_page.fetch_field(fileprims.PAGE_BYTES).bytes[:count])


def cmd(interp, boot, w_file, command, w_name=None, w_page=None):
    space = boot.space
    return run(interp, 130, w_file, space.wrap_int(command),
               w_name if w_name is not None else space.w_nil,
               w_page if w_page is not None else space.w_nil)


def dircmd(interp, boot, code, w_name=None, w_arg=None):
    space = boot.space
    return run(interp, 131, space.w_nil, space.wrap_int(code),
               w_name if w_name is not None else space.w_nil,
               w_arg if w_arg is not None else space.w_nil)


def last_error(interp, boot):
    return run(interp, 132, boot.space.w_nil).value


def opened(fs, boot, name):
    w_file = new_file(boot, name)
    assert cmd(fs, boot, w_file, 4, string(boot, name)) is boot.space.w_true
    assert isinstance(w_file.fetch_field(fileprims.FILE_HANDLE), W_SmallInteger)
    return w_file


# -- 130: pages ----------------------------------------------------------------------------

def test_write_read_size_truncate_close(fs, boot, tree):
    space = boot.space
    w_handle = dircmd(fs, boot, 0, string(boot, 'x.st'))
    assert isinstance(w_handle, W_SmallInteger)
    w_file = new_file(boot, 'x.st')
    w_file.store_field(fileprims.FILE_HANDLE, w_handle)
    assert cmd(fs, boot, w_file, 1, w_page=new_page(boot, 1, 512, 'a' * 512)) is space.w_true
    assert cmd(fs, boot, w_file, 1, w_page=new_page(boot, 2, 3, 'xyz')) is space.w_true
    assert cmd(fs, boot, w_file, 3).value == 515
    w_page = new_page(boot, 2, 99)
    assert cmd(fs, boot, w_file, 0, w_page=w_page) is space.w_true
    assert page_text(w_page) == 'xyz'
    w_page = new_page(boot, 3, 99)
    assert cmd(fs, boot, w_file, 0, w_page=w_page) is space.w_true
    assert page_text(w_page) == ''                      # past the end: an empty page
    assert cmd(fs, boot, w_file, 2, w_page=new_page(boot, 2, 1)) is space.w_true
    assert tree.join('dir', 'x.st').read() == 'a' * 512 + 'x'
    assert cmd(fs, boot, w_file, 2) is space.w_true     # nil page: empty the file
    assert tree.join('dir', 'x.st').read() == ''
    assert cmd(fs, boot, w_file, 5) is space.w_true
    assert w_file.fetch_field(fileprims.FILE_HANDLE) is space.w_nil
    assert fs.files.open_files == {}


def test_open_closes_what_the_file_had_open(fs, boot, tree):
    """PosixFileDirectory>>addNew: creates, then asFileStream opens again:
    the first descriptor must not leak."""
    w_file = new_file(boot, 'n')
    w_file.store_field(fileprims.FILE_HANDLE, dircmd(fs, boot, 0, string(boot, 'n'), w_file))
    assert len(fs.files.open_files) == 1
    assert cmd(fs, boot, w_file, 4, string(boot, 'n')) is boot.space.w_true
    assert len(fs.files.open_files) == 1
    cmd(fs, boot, w_file, 5)
    assert fs.files.open_files == {}


def test_large_page_numbers(fs, boot, tree):
    tree.join('dir', 'big').write('')
    w_file = opened(fs, boot, 'big')
    w_page = new_page(boot, 1, 1, 'z')
    w_page.store_field(fileprims.PAGE_NUMBER, large_positive(boot.space, 20000))
    assert cmd(fs, boot, w_file, 1, w_page=w_page) is boot.space.w_true
    assert os.path.getsize(str(tree.join('dir', 'big'))) == 19999 * 512 + 1
    w_size = cmd(fs, boot, w_file, 3)
    assert w_size.getclass(boot.space) is boot.space.w_LargePositiveInteger
    assert boot.space.unwrap_large(w_size) == 19999 * 512 + 1


def test_refusals_answer_false_or_nil_and_keep_the_error(fs, boot, tree):
    space = boot.space
    for name, code in [('../outside.txt', hostfiles.ERR_NAME), ('nothing', errno.ENOENT),
                       ('/etc/passwd', hostfiles.ERR_NAME)]:
        w_file = new_file(boot, name)
        assert cmd(fs, boot, w_file, 4, string(boot, name)) is space.w_false
        assert last_error(fs, boot) == code
        assert w_file.fetch_field(fileprims.FILE_HANDLE) is space.w_nil
    closed = new_file(boot, 'c')
    for command, answer in [(0, space.w_false), (1, space.w_false), (2, space.w_false),
                            (3, space.w_nil), (5, space.w_false)]:
        assert cmd(fs, boot, closed, command, w_page=new_page(boot, 1)) is answer
        assert last_error(fs, boot) == hostfiles.ERR_NOT_OPEN
    assert tree.join('outside.txt').read() == 'secret'


def test_a_handle_is_its_files_only(fs, boot, tree):
    """A handle from another session (saved in an image) or another File's
    is not open for this one."""
    tree.join('dir', 'a').write('A')
    w_a = opened(fs, boot, 'a')
    w_other = new_file(boot, 'a')
    w_other.store_field(fileprims.FILE_HANDLE, w_a.fetch_field(fileprims.FILE_HANDLE))
    w_page = new_page(boot, 1)
    assert cmd(fs, boot, w_other, 0, w_page=w_page) is boot.space.w_false
    assert last_error(fs, boot) == hostfiles.ERR_NOT_OPEN
    assert cmd(fs, boot, w_other, 5) is boot.space.w_false
    assert cmd(fs, boot, w_a, 0, w_page=w_page) is boot.space.w_true
    assert page_text(w_page) == 'A'
    w_stale = new_file(boot, 'a')
    w_stale.store_field(fileprims.FILE_HANDLE, boot.space.wrap_int(9999))
    assert cmd(fs, boot, w_stale, 0, w_page=w_page) is boot.space.w_false


def test_sources_open_read_only(fs, boot, tree):
    w_file = opened(fs, boot, SOURCES_NAME)
    w_page = new_page(boot, 1)
    assert cmd(fs, boot, w_file, 0, w_page=w_page) is boot.space.w_true
    assert page_text(w_page) == '"the sources"!'
    assert cmd(fs, boot, w_file, 1, w_page=new_page(boot, 1, 1, 'X')) is boot.space.w_false
    assert last_error(fs, boot) == hostfiles.ERR_SOURCES_READ_ONLY
    assert cmd(fs, boot, w_file, 2) is boot.space.w_false
    assert tree.join('srcs', SOURCES_NAME).read() == '"the sources"!'


def test_malformed_calls_fail(fs, boot):
    space = boot.space
    w_file = opened(fs, boot, SOURCES_NAME)
    nil = space.w_nil
    small_file = W_PointersObject(boot.classes['Object'], 8, nil)
    short_page = new_page(boot, 1)
    short_page.store_field(fileprims.PAGE_BYTES, W_BytesObject(boot.classes['ByteArray'], 100))
    zero_page = new_page(boot, 0)
    bad_count = new_page(boot, 1, 513)
    for args in [(w_file, space.wrap_int(6), nil, nil),            # no such command
                 (w_file, space.wrap_int(-1), nil, nil),
                 (w_file, nil, nil, nil),                          # not a command
                 (small_file, space.wrap_int(3), nil, nil),        # not a File
                 (space.wrap_int(3), space.wrap_int(3), nil, nil),
                 (w_file, space.wrap_int(4), nil, nil),            # open: no name
                 (w_file, space.wrap_int(4), space.wrap_int(1), nil),
                 (w_file, space.wrap_int(0), nil, nil),            # read: no page
                 (w_file, space.wrap_int(0), nil, short_page),
                 (w_file, space.wrap_int(0), nil, zero_page),
                 (w_file, space.wrap_int(1), nil, bad_count),
                 (w_file, space.wrap_int(2), nil, space.wrap_int(1))]:
        assert fails(fs, 130, *args), args
    assert fails(fs, 130, w_file, space.wrap_int(3), nil)          # two arguments
    for args in [(nil, space.wrap_int(4), nil, nil),
                 (nil, space.wrap_int(0), nil, nil),              # create: no name
                 (nil, space.wrap_int(0), space.wrap_int(5), nil),
                 (nil, space.wrap_int(2), string(boot, 'n'), nil),  # rename: no File
                 (nil, space.wrap_int(2), string(boot, 'n'), small_file)]:
        assert fails(fs, 131, *args), args
    assert fails(fs, 133, nil, nil)


# -- 131: the directory ----------------------------------------------------------------------

def test_create_remove_rename_list(fs, boot, tree):
    space = boot.space
    d = tree.join('dir')
    w_handle = dircmd(fs, boot, 0, string(boot, 'new'))
    assert isinstance(w_handle, W_SmallInteger) and d.join('new').exists()
    w_file = new_file(boot, 'new')
    w_file.store_field(fileprims.FILE_HANDLE, w_handle)
    w_newname = string(boot, 'renamed')
    assert dircmd(fs, boot, 2, w_newname, w_file) is space.w_true
    assert w_file.fetch_field(fileprims.FILE_NAME) is w_newname
    assert sorted(os.listdir(str(d))) == ['renamed']
    # Still open, on the renamed file.
    assert cmd(fs, boot, w_file, 1, w_page=new_page(boot, 1, 2, 'hi')) is space.w_true
    assert d.join('renamed').read() == 'hi'
    w_list = dircmd(fs, boot, 3)
    assert [w.as_string() for w in w_list._vars] == [SOURCES_NAME, 'renamed']
    assert all(w.getclass(space) is space.w_String for w in w_list._vars)
    cmd(fs, boot, w_file, 5)
    assert dircmd(fs, boot, 1, string(boot, 'renamed')) is space.w_true
    assert os.listdir(str(d)) == []


def test_directory_refusals(fs, boot, tree):
    space = boot.space
    d = tree.join('dir')
    d.join('a').write('A')
    d.join('b').write('B')
    os.symlink(str(tree.join('outside.txt')), str(d.join('out')))
    for name in ['../x', '/tmp/x', 'sub/x', '..']:
        assert dircmd(fs, boot, 0, string(boot, name)) is space.w_nil
        assert last_error(fs, boot) == hostfiles.ERR_NAME
        assert dircmd(fs, boot, 1, string(boot, name)) is space.w_false
        assert dircmd(fs, boot, 2, string(boot, name), new_file(boot, 'a')) is space.w_false
    assert dircmd(fs, boot, 0, string(boot, 'out')) is space.w_nil
    assert last_error(fs, boot) == hostfiles.ERR_OUTSIDE
    assert dircmd(fs, boot, 2, string(boot, 'b'), new_file(boot, 'a')) is space.w_false
    assert last_error(fs, boot) == hostfiles.ERR_EXISTS
    assert dircmd(fs, boot, 1, string(boot, 'nothing')) is space.w_false
    assert last_error(fs, boot) == errno.ENOENT
    assert dircmd(fs, boot, 0, string(boot, SOURCES_NAME)) is space.w_nil
    assert tree.join('outside.txt').read() == 'secret'
    assert sorted(os.listdir(str(tree))) == ['dir', 'outside.txt', 'srcs']
    assert (d.join('a').read(), d.join('b').read()) == ('A', 'B')


def test_no_files_refuses_everything(interp, boot, tree):
    interp.files = HostFiles(str(tree.join('dir')), [], enabled=False)
    assert dircmd(interp, boot, 3) is boot.space.w_nil
    assert last_error(interp, boot) == hostfiles.ERR_NO_FILES
    assert cmd(interp, boot, new_file(boot, 'x'), 4, string(boot, 'x')) is boot.space.w_false
    assert dircmd(interp, boot, 0, string(boot, 'x')) is boot.space.w_nil
    assert os.listdir(str(tree.join('dir'))) == []
    # An interpreter made without one has none either.
    interp.files = None
    assert dircmd(interp, boot, 3) is boot.space.w_nil


# -- 132, 133: errors ----------------------------------------------------------------------

def test_error_number_and_string(fs, boot):
    cmd(fs, boot, new_file(boot, 'x'), 4, string(boot, 'missing'))
    assert last_error(fs, boot) == errno.ENOENT
    w_text = run(fs, 133, boot.space.w_nil, boot.space.wrap_int(errno.ENOENT))
    assert w_text.getclass(boot.space) is boot.space.w_String
    assert w_text.as_string() == os.strerror(errno.ENOENT)
    w_text = run(fs, 133, boot.space.w_nil, boot.space.wrap_int(hostfiles.ERR_OUTSIDE))
    assert 'outside' in w_text.as_string()


# -- 128: the snapshot file ---------------------------------------------------------------------

@pytest.fixture
def opts(fs, tree):
    options = Options()
    options.snapshot_default = options.snapshot_path = str(tree.join('default.im'))
    fs.options = options
    return options


def test_be_snapshot_file(fs, boot, tree, opts):
    d = tree.join('dir')
    w_file = new_file(boot, 'saved.im')
    assert run(fs, 128, w_file) is w_file
    assert opts.snapshot_path == str(d.join('saved.im'))
    # The image's own name for its snapshot means st80's default target; the
    # empty file the image made to name it is removed, a full one never.
    d.join('snapshot.im').write('')
    run(fs, 128, new_file(boot, 'snapshot.im'))
    assert opts.snapshot_path == str(tree.join('default.im'))
    assert not d.join('snapshot.im').exists()
    d.join('snapshot.im').write('an image')
    run(fs, 128, new_file(boot, 'snapshot.im'))
    assert d.join('snapshot.im').read() == 'an image'


def test_be_snapshot_file_keeps_an_explicit_target(fs, boot, tree, opts):
    opts.snapshot = opts.snapshot_path = '/somewhere/chosen.im'
    run(fs, 128, new_file(boot, 'other.im'))
    assert opts.snapshot_path == '/somewhere/chosen.im'


def test_be_snapshot_file_failures(fs, boot, tree, opts):
    space = boot.space
    # Five arguments: the Alto disk primitive of the Xerox image.
    args = [space.wrap_int(k) for k in range(5)]
    assert fails(fs, 128, new_file(boot, 'x.im'), *args)
    for w_rcvr in [new_file(boot, '../x.im'), new_file(boot, '/tmp/x.im'),
                   W_PointersObject(boot.classes['Object'], 3, space.w_nil), space.w_nil]:
        assert fails(fs, 128, w_rcvr)
    assert opts.snapshot_path == str(tree.join('default.im'))
    fs.files.enabled = False
    assert fails(fs, 128, new_file(boot, 'x.im'))
