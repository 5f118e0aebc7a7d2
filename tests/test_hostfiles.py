"""The host directory as Smalltalk's file system (spyvm/hostfiles.py): names,
the sandbox, handles, pages, errors."""

import os
import errno

import pytest

from spyvm import hostfiles
from spyvm.hostfiles import HostFiles, FileRefused, SOURCES_NAME


@pytest.fixture
def tree(tmpdir):
    """tmp/dir (the directory), tmp/outside.txt, tmp/srcs/Smalltalk-80.sources."""
    tmpdir.mkdir('dir')
    tmpdir.join('outside.txt').write('secret')
    tmpdir.mkdir('srcs').join(SOURCES_NAME).write('sources text')
    return tmpdir


def files_in(tree):
    return HostFiles(str(tree.join('dir')), [str(tree.join('srcs'))])


def refused(errno_expected, func, *args):
    with pytest.raises(FileRefused) as e:
        func(*args)
    assert e.value.errno == errno_expected, hostfiles.error_string(e.value.errno)


def test_plain_names():
    for name in ['a', 'x.st', 'Smalltalk-80.changes', 'a..b', '...', 'x' * 255]:
        assert hostfiles.plain_name(name), name
    for name in ['', '.', '..', '../x', 'a/b', '/etc/passwd', 'a\x00b', 'x' * 256, 'sub/']:
        assert not hostfiles.plain_name(name), name


def test_create_write_read_size_truncate(tree):
    files = files_in(tree)
    h = files.create('x.st')
    assert files.size(h) == 0
    files.write_page(h, 1, 'a' * 512)
    files.write_page(h, 2, 'bcd')
    assert files.size(h) == 515
    assert files.read_page(h, 1) == 'a' * 512
    assert files.read_page(h, 2) == 'bcd'
    assert files.read_page(h, 3) == ''
    files.truncate(h, 513)
    assert files.size(h) == 513
    files.close(h)
    assert tree.join('dir', 'x.st').read() == 'a' * 512 + 'b'
    refused(hostfiles.ERR_NOT_OPEN, files.read_page, h, 1)
    refused(hostfiles.ERR_NOT_OPEN, files.close, h)


def test_open_missing_and_create_empties(tree):
    files = files_in(tree)
    refused(errno.ENOENT, files.open, 'nothing')
    tree.join('dir', 'old').write('old contents')
    h = files.open('old')
    assert files.read_page(h, 1) == 'old contents'
    files.close(h)
    h = files.create('old')
    assert files.size(h) == 0
    files.close(h)


def test_names_list_regular_files_sorted_without_dot_files(tree):
    d = tree.join('dir')
    for name in ['b', 'a', '.hidden']:
        d.join(name).write('')
    d.mkdir('subdir')
    os.symlink('a', str(d.join('link-in')))
    os.symlink(str(tree.join('outside.txt')), str(d.join('link-out')))
    files = files_in(tree)
    # The sources file of the search path is listed: Smalltalk finds it by name.
    assert files.names() == ['Smalltalk-80.sources', 'a', 'b', 'link-in']
    assert HostFiles(str(d), []).names() == ['a', 'b', 'link-in']


def test_escapes_are_refused_and_touch_nothing(tree):
    d = tree.join('dir')
    os.symlink(str(tree.join('outside.txt')), str(d.join('abs-out')))
    os.symlink('../outside.txt', str(d.join('rel-out')))
    os.symlink('/etc/passwd', str(d.join('etc')))
    os.symlink('loop2', str(d.join('loop1')))
    os.symlink('loop1', str(d.join('loop2')))
    d.mkdir('sub')
    os.symlink('sub/x', str(d.join('into-sub')))
    files = files_in(tree)
    for name in ['../outside.txt', '/etc/passwd', str(tree.join('outside.txt')), '..', '.',
                 'sub/x', '', 'a\x00']:
        refused(hostfiles.ERR_NAME, files.open, name)
        refused(hostfiles.ERR_NAME, files.create, name)
        refused(hostfiles.ERR_NAME, files.remove, name)
        refused(hostfiles.ERR_NAME, files.rename, 'abs-out', name)
    for name in ['abs-out', 'rel-out', 'etc', 'loop1', 'into-sub']:
        refused(hostfiles.ERR_OUTSIDE, files.open, name)
        refused(hostfiles.ERR_OUTSIDE, files.create, name)
    refused(errno.EISDIR, files.open, 'sub')
    os.mkfifo(str(d.join('fifo')))              # opened, not waited on, refused
    refused(hostfiles.ERR_NOT_FILE, files.open, 'fifo')
    assert tree.join('outside.txt').read() == 'secret'
    assert sorted(os.listdir(str(tree))) == ['dir', 'outside.txt', 'srcs']
    assert files.open_files == {}
    assert not os.path.exists(str(d.join('sub', 'x')))
    # Removing a link removes the link, never what it names.
    files.remove('abs-out')
    assert tree.join('outside.txt').read() == 'secret'


def test_links_inside_the_directory_are_followed(tree):
    d = tree.join('dir')
    d.join('real').write('inside')
    os.symlink('real', str(d.join('rel')))
    os.symlink(str(d.join('real')), str(d.join('abs')))
    files = files_in(tree)
    for name in ['rel', 'abs']:
        h = files.open(name)
        assert files.read_page(h, 1) == 'inside'
        files.close(h)


def test_sources_file_from_the_search_path_is_read_only(tree):
    files = files_in(tree)
    h = files.open(SOURCES_NAME)
    assert files.read_page(h, 1) == 'sources text'
    refused(hostfiles.ERR_SOURCES_READ_ONLY, files.write_page, h, 1, 'x')
    refused(hostfiles.ERR_SOURCES_READ_ONLY, files.truncate, h, 0)
    files.close(h)
    refused(hostfiles.ERR_SOURCES_READ_ONLY, files.create, SOURCES_NAME)
    refused(hostfiles.ERR_SOURCES_READ_ONLY, files.remove, SOURCES_NAME)
    refused(hostfiles.ERR_SOURCES_READ_ONLY, files.rename, SOURCES_NAME, 'y')
    assert tree.join('srcs', SOURCES_NAME).read() == 'sources text'
    # The directory's own copy comes first.
    tree.join('dir', SOURCES_NAME).write('own copy')
    h = files.open(SOURCES_NAME)
    assert files.read_page(h, 1) == 'own copy'
    files.close(h)
    # None anywhere: not found.
    refused(errno.ENOENT, HostFiles(str(tree.join('dir', 'nowhere')), []).open, SOURCES_NAME)


def test_read_only_file_opened_read_only_reports_the_hosts_reason(tree, monkeypatch):
    """A file the host lets us read but not write (a chmod would not stop
    root, who runs CI): opened read-only, writes fail with the host's reason."""
    tree.join('dir', 'ro').write('fixed')
    real_open = os.open

    def fake_open(path, flags, mode=0o777):
        if path.endswith('/ro') and flags & os.O_RDWR:
            raise OSError(errno.EROFS, 'read-only file system')
        return real_open(path, flags, mode)
    monkeypatch.setattr(os, 'open', fake_open)
    files = files_in(tree)
    h = files.open('ro')
    refused(errno.EROFS, files.write_page, h, 1, 'x')
    assert hostfiles.error_string(errno.EROFS) == os.strerror(errno.EROFS)
    files.close(h)
    assert tree.join('dir', 'ro').read() == 'fixed'


def test_read_only_by_its_mode_is_read_only_for_root_too(tree):
    d = tree.join('dir')
    p = d.join('ro')
    p.write('fixed')
    p.chmod(0o444)
    files = files_in(tree)
    h = files.open('ro')
    assert files.read_page(h, 1) == 'fixed'
    refused(errno.EACCES, files.write_page, h, 1, 'x')
    refused(errno.EACCES, files.truncate, h, 0)
    files.close(h)
    refused(errno.EACCES, files.create, 'ro')
    assert p.read() == 'fixed'
    # A directory nobody may write: nothing made, removed or renamed in it.
    d.join('w').write('W')
    d.chmod(0o555)
    try:
        refused(errno.EACCES, files.create, 'new')
        refused(errno.EACCES, files.remove, 'w')
        refused(errno.EACCES, files.rename, 'w', 'v')
        h = files.open('w')                     # its files may still be written
        files.write_page(h, 1, 'V')
        files.close(h)
    finally:
        d.chmod(0o755)
    assert sorted(os.listdir(str(d))) == ['ro', 'w'] and d.join('w').read() == 'V'
    assert not hostfiles.writable(str(tree.join('nothing')))


def test_rename_never_replaces_and_follows_open_files(tree):
    d = tree.join('dir')
    d.join('a').write('A')
    d.join('b').write('B')
    files = files_in(tree)
    h = files.open('a')
    refused(hostfiles.ERR_EXISTS, files.rename, 'a', 'b')
    assert d.join('b').read() == 'B'
    files.rename('a', 'c')
    assert files.get(h).name == 'c'
    assert files.read_page(h, 1) == 'A'         # still open, on the renamed file
    refused(errno.ENOENT, files.rename, 'nothing', 'd')
    files.close(h)


def test_remove(tree):
    d = tree.join('dir')
    d.join('a').write('A')
    files = files_in(tree)
    files.remove('a')
    assert not d.join('a').exists()
    refused(errno.ENOENT, files.remove, 'a')


def test_no_more_than_max_open_and_close_all(tree, monkeypatch):
    monkeypatch.setattr(hostfiles, 'MAX_OPEN', 5)
    files = files_in(tree)
    handles = [files.create('f%d' % i) for i in range(5)]
    assert len(set(handles)) == 5
    refused(hostfiles.ERR_TOO_MANY, files.create, 'one-more')
    assert not tree.join('dir', 'one-more').exists()
    files.close(handles[0])
    h = files.create('one-more')
    assert h not in handles                     # handles count on
    files.close_all()
    assert files.open_files == {}


def test_handles_wrap_around_within_smallintegers(tree):
    files = files_in(tree)
    files.next_handle = hostfiles.MAX_HANDLE
    h1 = files.create('a')
    h2 = files.create('b')
    assert (h1, h2) == (hostfiles.MAX_HANDLE, 1)


def test_disabled_refuses_everything(tree):
    files = HostFiles(str(tree.join('dir')), [str(tree.join('srcs'))], enabled=False)
    for func, args in [(files.open, ('x',)), (files.create, ('x',)), (files.remove, ('x',)),
                       (files.rename, ('x', 'y')), (files.names, ()),
                       (files.open, (SOURCES_NAME,))]:
        refused(hostfiles.ERR_NO_FILES, func, *args)
    assert os.listdir(str(tree.join('dir'))) == []


def test_remove_if_empty(tree):
    d = tree.join('dir')
    d.join('empty').write('')
    d.join('full').write('x')
    os.symlink(str(tree.join('srcs', 'empty-out')), str(d.join('link')))
    tree.join('srcs', 'empty-out').write('')
    files = files_in(tree)
    for name in ['empty', 'full', 'link', 'missing']:
        files.remove_if_empty(name)
    assert sorted(os.listdir(str(d))) == ['full', 'link']


def test_error_strings():
    assert hostfiles.error_string(errno.ENOENT) == os.strerror(errno.ENOENT)
    assert 'outside' in hostfiles.error_string(hostfiles.ERR_OUTSIDE)
    assert hostfiles.error_string(99999) == 'error 99999'
    assert hostfiles.error_string(0) == 'error 0'
