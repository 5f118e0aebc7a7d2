"""The first boot of the Xerox image (spyvm/firstboot.py): st80's own file
system classes filed in, Disk and SourceFiles set; real source in getSource
and the browsers; where the files go. st80-c, on images and directories in
the test's tmpdir (nothing is ever written beside the shared originals)."""

import os
import shutil

import pytest

from tests.conftest import run_vm, UNTRANSLATED

PRINT_STRING = '(Object compiledMethodAt: #printString) getSource'
ASSOCIATION_COMMENT = 'Association comment'


def lines(out):
    return out.decode().replace('\r', '\n')


def check_real_source(out):
    """The method's own text from Smalltalk-80.sources: its comment and temp
    names (decompiled code has t1, t2 and no comment)."""
    text = lines(out)
    assert 'Answer a String whose characters are a description of the receiver.' in text
    assert '| aStream |' in text and 'aStream _ WriteStream on: (String new: 16).' in text
    assert 't1' not in text
    assert 'I am a pair of associated objects' in text      # Association's class comment


def test_pristine_image_shows_real_source(st80_binary, xerox_image, tmpdir):
    d = tmpdir.mkdir('files')
    status, out, err = run_vm([st80_binary], [
        '--directory', str(d), '-e', PRINT_STRING, '-e', ASSOCIATION_COMMENT,
        '-e', 'Disk class', '-e', '(SourceFiles collect: [:f | f name]) asArray',
        # The browsers' path: the source, made bold, as a paragraph.
        '-e', '(Object sourceMethodAt: #printString) string size > 100',
        xerox_image])
    assert status == 0, err
    check_real_source(out)
    assert out.decode().splitlines()[-3:] == [
        'HostFileDirectory', "('Smalltalk-80.sources' 'Smalltalk-80.changes' )", 'true']
    assert err == b'', err
    # The changes file was made in the directory, and nothing else.
    assert os.listdir(str(d)) == ['Smalltalk-80.changes']
    assert d.join('Smalltalk-80.changes').read().startswith("'From Smalltalk-80, version 2")


def test_the_install_runs_interpreted_and_the_users_jobs_with_the_jit(st80_binary,
                                                                      xerox_image, tmpdir):
    """Tracing code that runs once costs more than it saves: st80's own install
    compiles no JIT code, the user's -e after it does (a loop that warms up)."""
    log = tmpdir.join('jit.log')
    env = dict(os.environ, PYPYLOG='jit-summary:%s' % log)

    def loops(args):
        status, out, err = run_vm([st80_binary], ['--directory', str(tmpdir)] + args +
                                  [xerox_image], env=env)
        assert status == 0, err
        summary = log.read() if log.exists() else ''
        if 'Total # of loops:' not in summary:
            return 0                # RPython writes no summary when nothing was traced
        return int(summary.split('Total # of loops:')[1].split()[0])

    assert loops(['-e', '3 + 4']) == 0
    log.remove()
    assert loops(['-e', '| s | s := 0. 1 to: 100000 do: [:i | s := s + (i \\\\ 7)]. s']) > 0


def test_untranslated_vm_installs_the_same(xerox_image, tmpdir):
    """The first boot untranslated (slow: ~10 s of compiling)."""
    d = tmpdir.mkdir('files')
    status, out, err = run_vm(UNTRANSLATED, ['--directory', str(d), '-e', PRINT_STRING,
                                             '-e', ASSOCIATION_COMMENT, xerox_image])
    assert status == 0, err
    check_real_source(out)


@pytest.fixture
def program(st80_binary, tmpdir):
    """st80-c copied to tmp/bin, with an images/ beside it: its default directory."""
    bindir = tmpdir.mkdir('bin')
    bindir.mkdir('images')
    path = str(bindir.join('st80-c'))
    shutil.copy(st80_binary, path)
    return path


def test_default_directory_for_a_read_only_image_is_images(program, xerox_image, tmpdir):
    shared = os.path.dirname(xerox_image)
    before = sorted(os.listdir(shared))
    status, out, err = run_vm([program], ['-e', PRINT_STRING, '-e', ASSOCIATION_COMMENT,
                                          xerox_image])
    assert status == 0, err
    check_real_source(out)
    if not os.access(shared, os.W_OK):
        assert os.listdir(str(tmpdir.join('bin', 'images'))) == ['Smalltalk-80.changes']
    assert sorted(os.listdir(shared)) == before


def test_default_directory_is_the_images_own_when_writable(program, xerox_image, tmpdir):
    """And the sources come from the search path: not beside this image, not
    in the program's images/, but in ../shared/images of the checkout."""
    w = tmpdir.mkdir('work')
    image = str(w.join('VirtualImage'))
    shutil.copy(xerox_image, image)
    shared = tmpdir.mkdir('shared').mkdir('images')
    shutil.copy(os.path.join(os.path.dirname(xerox_image), 'Smalltalk-80.sources'),
                str(shared))
    status, out, err = run_vm([program], ['-e', PRINT_STRING, '-e', ASSOCIATION_COMMENT,
                                          image])
    assert status == 0, err
    check_real_source(out)
    assert sorted(os.listdir(str(w))) == ['Smalltalk-80.changes', 'VirtualImage']
    assert os.listdir(str(tmpdir.join('bin', 'images'))) == []


def test_without_sources_disk_alone_and_decompiled_code(program, xerox_image, tmpdir):
    w = tmpdir.mkdir('work')
    image = str(w.join('VirtualImage'))
    shutil.copy(xerox_image, image)
    status, out, err = run_vm([program], [
        '-e', 'SourceFiles', '-e', 'Disk class', '-e', PRINT_STRING,
        '-e', "((Object sourceCodeAt: #printString) indexOf: $\") = 0", image])
    assert status == 0, err
    assert 'Smalltalk-80.sources not found' in err.decode()
    assert out.decode().splitlines() == ['nil', 'HostFileDirectory', 'nil', 'true']


def test_no_install_when_deterministic_or_no_files(st80_binary, xerox_image, tmpdir):
    d = tmpdir.mkdir('files')
    for flag in ['--deterministic', '--no-files']:
        status, out, err = run_vm([st80_binary], [flag, '--directory', str(d), '-e', 'Disk',
                                                  '-e', PRINT_STRING, xerox_image])
        assert status == 0, err
        assert out.decode().splitlines() == ['nil', 'nil'], flag
    assert os.listdir(str(d)) == []


def test_a_saved_image_keeps_the_file_system(st80_binary, xerox_image, tmpdir):
    """Installed once: the saved image has Disk, and its first boot installs
    nothing again (the very Disk object stays)."""
    d = tmpdir.mkdir('files')
    saved = str(d.join('saved.im'))
    status, out, err = run_vm([st80_binary], [
        '--snapshot', saved, '-e', 'Smalltalk at: #St80Disk put: Disk. Smalltalk snapshot',
        xerox_image])
    assert status == 0, err
    assert os.path.exists(saved)
    # `Smalltalk snapshot` names snapshot.im in Disk; --snapshot said otherwise,
    # and the empty file made to name it is gone.
    assert sorted(os.listdir(str(d))) == ['Smalltalk-80.changes', 'saved.im']
    status, out, err = run_vm([st80_binary], [
        '-e', '(Smalltalk at: #St80Disk) == Disk', '-e', PRINT_STRING,
        '-e', ASSOCIATION_COMMENT, saved])
    assert status == 0, err
    assert out.decode().splitlines()[0] == 'true'
    check_real_source(out)


def test_a_failing_install_is_reported_and_the_desktop_goes_on(st80_binary, xerox_image,
                                                                tmpdir):
    """An image whose FileDirectory cannot make files: the install's error is
    st80's to report. With -e it ends the run (status 1); before a desktop
    the desktop goes on (here headless, to the --cycles bound: status 0)."""
    d = tmpdir.mkdir('files')
    broken = str(tmpdir.join('broken.im'))
    status, out, err = run_vm([st80_binary], [
        '--no-files', '--snapshot', broken,
        '-e', 'FileDirectory removeSelector: #initFileName:. Smalltalk snapshot', xerox_image])
    assert status == 0, err
    status, out, err = run_vm([st80_binary], ['--directory', str(d), '-e', '3 + 4', broken])
    assert status == 1
    err = err.decode()
    assert err.startswith('st80: installing the host file system at first boot '
                          '(--no-files to run without) failed:\nError: '), err
    assert 'initFileName:' in err
    status, out, err = run_vm([st80_binary], ['--directory', str(d), '--headless',
                                              '--cycles', '3000000', broken])
    assert status == 0, err
    assert 'failed:\nError: ' in err.decode() and 'initFileName:' in err.decode()
