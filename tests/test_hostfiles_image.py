"""Smalltalk's file system on the host directory, end to end in st80-c: the
Xerox image with st80's own classes, and dbanay's image with his PosixFile
classes, reading and writing host files, filing out and in, the changes log
across a save, and every way out of the directory refused."""

import os
import shutil
import subprocess

import pytest

from tests.conftest import run_vm


def evaluate(binary, image, directory, *exprs, **kw):
    args = list(kw.get('flags', []))
    if directory is not None:
        args += ['--directory', str(directory)]
    for e in exprs:
        args += ['-e', e]
    status, out, err = run_vm([binary], args + [image], env=kw.get('env'))
    return status, out.decode().replace('\r', '\n'), err.decode()


def ok(binary, image, directory, *exprs, **kw):
    status, out, err = evaluate(binary, image, directory, *exprs, **kw)
    assert status == 0, err
    return out


@pytest.fixture
def d(tmpdir):
    return tmpdir.mkdir('files')


# -- reading and writing --------------------------------------------------------------------

WRITE_READ = [
    "| f | f _ FileStream fileNamed: 'hello.txt'. f nextPutAll: 'Hello, host'; cr; "
    "nextPutAll: 'second line'. f close. f name",
    "(FileStream oldFileNamed: 'hello.txt') contentsOfEntireFile",
]


def test_write_and_read_a_host_file(st80_binary, xerox_image, d):
    out = ok(st80_binary, xerox_image, d, *WRITE_READ)
    assert out.splitlines()[:3] == ["'hello.txt'", "'Hello, host", "second line'"]
    # What the image writes ends its lines with CR, for other Smalltalk-80s.
    assert d.join('hello.txt').read('rb') == b'Hello, host\rsecond line'


def test_files_of_many_pages(st80_binary, xerox_image, d):
    """Past the 512-byte pages: append, position, size, shorten."""
    out = ok(st80_binary, xerox_image, d,
             "| f | f _ Disk file: 'big.txt'. 1 to: 3000 do: [:i | f nextPutAll: "
             "(i printString , ' ')]. f close. (Disk file: 'big.txt') size",
             "| f | f _ Disk oldFile: 'big.txt'. f setToEnd; nextPutAll: 'END'; close. "
             "f _ Disk oldFile: 'big.txt'. f position: 5000. (f next: 10) , '|' , "
             "(f size printString)",
             "| f | f _ Disk oldFile: 'big.txt'. f position: 600. f shorten; close. "
             "(Disk oldFile: 'big.txt') size")
    expected = ''.join('%d ' % i for i in range(1, 3001))
    size = len(expected)
    assert out.splitlines() == [str(size), "'%s|%d'" % (expected[5000:5010], size + 3), '600']
    assert d.join('big.txt').read() == expected[:600]


def test_listing_rename_remove(st80_binary, xerox_image, d):
    d.join('a.txt').write('A')
    d.join('.hidden').write('')
    out = ok(st80_binary, xerox_image, d,
             "Disk filesMatching: '*'",
             "(Disk findKey: 'a.txt') rename: 'b.txt'. Disk filesMatching: '*.txt'",
             "Disk removeKey: 'b.txt'. Disk includesKey: 'b.txt'",
             "| s | s _ WriteStream on: String new. Disk listFilesOn: s. s contents size > 0")
    assert out.splitlines() == [
        "('Smalltalk-80.changes' 'Smalltalk-80.sources' 'a.txt' )", "('b.txt' )",
        'false', 'true']
    assert sorted(os.listdir(str(d))) == ['.hidden', 'Smalltalk-80.changes']


def test_a_missing_or_read_only_file_is_a_smalltalk_error(st80_binary, xerox_image, d):
    status, out, err = evaluate(st80_binary, xerox_image, d,
                                "(FileStream oldFileNamed: 'missing.txt') next")
    assert status == 1 and 'Error: missing.txt file not found' in err, err
    # The sources are read-only: writing them says why, and changes nothing.
    sources = os.path.join(os.path.dirname(xerox_image), 'Smalltalk-80.sources')
    size = os.path.getsize(sources)
    status, out, err = evaluate(st80_binary, xerox_image, d,
                                "(SourceFiles at: 1) readWrite; setToEnd; nextPutAll: "
                                "'x'; close")
    assert status == 1, err
    assert ('Error: Smalltalk-80.sources cannot be written, Smalltalk-80.sources is only '
            'ever opened read-only') in err, err
    assert os.path.getsize(sources) == size
    assert 'Traceback' not in err and 'fatal' not in err


def test_a_full_disk_is_a_smalltalk_error(st80_binary, xerox_image, d):
    """A write the host refuses for want of room: a file larger than the
    process may write (RLIMIT_FSIZE; /dev/full is no regular file, and a link
    to it would be refused anyway)."""
    # RLIMIT_FSIZE: a write past 64 KB fails with EFBIG (SIGXFSZ ignored).
    script = ('import resource, signal, subprocess, sys\n'
              'signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n'
              'resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))\n'
              'sys.exit(subprocess.call(sys.argv[1:], restore_signals=False))\n')
    cmd = ['python3', '-c', script, st80_binary, '--directory', str(d), '-e',
           "| f | f _ Disk file: 'huge.bin'. 1 to: 300 do: [:i | f nextPutAll: "
           "(String new: 512 withAll: $x)]. f close", xerox_image]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    err = err.decode()
    assert p.returncode == 1, err
    assert 'Error: huge.bin cannot be written, File too large' in err, err


# -- fileOut and fileIn ---------------------------------------------------------------------

DEFINE = [
    "Object subclass: #St80Trip instanceVariableNames: 'a' classVariableNames: '' "
    "poolDictionaries: '' category: 'St80-Tests'",
    "St80Trip compile: 'answer\r\t\"The answer, from a temp.\"\r\t| t |\r\tt _ 42.\r\t^t' "
    "classified: 'testing'",
    "St80Trip comment: 'A class that goes out to the host and back.'",
    'St80Trip fileOut',
]


@pytest.mark.parametrize('line_end', ['\n', '\r\n'])
def test_file_out_then_in_with_host_line_ends(st80_binary, xerox_image, d, line_end):
    ok(st80_binary, xerox_image, d, *DEFINE)
    path = d.join('St80Trip.st')
    text = path.read('rb')
    assert b'\r' in text and b'\n' not in text and b'"The answer, from a temp."' in text
    # A host editor: its own line ends, and a change.
    edited = text.replace(b't _ 42', b't _ 43').replace(b'\r', line_end.encode())
    path.write(edited, 'wb')
    out = ok(st80_binary, xerox_image, d,
             "(FileStream oldFileNamed: 'St80Trip.st') fileIn. St80Trip new answer",
             '(St80Trip sourceCodeAt: #answer) includes: (Character value: 10)',
             'St80Trip sourceCodeAt: #answer', 'St80Trip comment')
    result = out.splitlines()
    assert result[result.index('43') + 1] == 'false'        # no LF in the source
    tail = out[out.index("'answer"):]
    assert tail == ("'answer\n\t\"The answer, from a temp.\"\n\t| t |\n\tt _ 43.\n\t^t'\n"
                    "'A class that goes out to the host and back.'\n")


def test_hundreds_of_file_ins_do_not_run_out_of_descriptors(st80_binary, xerox_image, d):
    """300 fileIns with the host allowing 64 open files: each is closed."""
    for i in range(300):
        d.join('f%d.st' % i).write('Smalltalk at: #St80F put: %d!\n' % i)
    script = ('import resource, subprocess, sys\n'
              'resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))\n'
              'sys.exit(subprocess.call(sys.argv[1:]))\n')
    cmd = ['python3', '-c', script, st80_binary, '--directory', str(d),
           '-e', "0 to: 299 do: [:i | (FileStream oldFileNamed: 'f', i printString, '.st') "
                 "fileIn]. Smalltalk at: #St80F", xerox_image]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    assert p.returncode == 0, err
    assert out.decode().splitlines()[-1] == '299'


# -- the changes log ------------------------------------------------------------------------

def test_changes_log_across_save_and_restart(st80_binary, xerox_image, d):
    saved = str(d.join('saved.im'))
    ok(st80_binary, xerox_image, d,
       "Object subclass: #St80Logged instanceVariableNames: '' classVariableNames: '' "
       "poolDictionaries: '' category: 'St80-Tests'",
       "St80Logged compile: 'double: x\r\t\"Twice x.\"\r\t| y |\r\ty _ x + x.\r\t^y' "
       "classified: 'arithmetic'",
       'Smalltalk snapshot', flags=['--snapshot', saved])
    changes = d.join('Smalltalk-80.changes').read('rb')
    assert b'"Twice x."' in changes and b'----SNAPSHOT----' in changes
    out = ok(st80_binary, saved, None, 'St80Logged new double: 21',
             'St80Logged sourceCodeAt: #double:')
    assert out == "42\n'double: x\n\t\"Twice x.\"\n\t| y |\n\ty _ x + x.\n\t^y'\n"


# -- the sandbox ----------------------------------------------------------------------------

ESCAPES = [
    ("FileStream fileNamed: '../escape.st'", "../escape.st cannot be created, not a file "
                                             "name in st80's directory"),
    ("FileStream newFileNamed: '/tmp/st80-escape.st'", 'cannot be created, not a file name'),
    ("(FileStream oldFileNamed: '/etc/passwd') contentsOfEntireFile", 'file not found'),
    ("Disk file: 'sub/x'", 'cannot be created, not a file name'),
    ("(Disk file: 'link-out') nextPutAll: 'x'; close",
     'link-out cannot be created, a symbolic link that leads outside'),
    ("(Disk oldFile: 'link-out') contentsOfEntireFile", 'file not found'),
    ("(Disk findKey: 'inside.txt') rename: '../renamed.txt'",
     'inside.txt cannot be renamed to ../renamed.txt, not a file name'),
    ("Disk removeKey: '../outside.txt'", 'file not found'),
    ("Disk removeKey: 'link-out'", 'link-out file not found'),   # not one of its files
]


def test_every_way_out_is_refused(st80_binary, xerox_image, tmpdir, d):
    outside = tmpdir.join('outside.txt')
    outside.write('keep me')
    d.join('inside.txt').write('in')
    d.mkdir('sub')
    os.symlink(str(outside), str(d.join('link-out')))
    for expr, message in ESCAPES:
        status, out, err = evaluate(st80_binary, xerox_image, d, expr)
        assert status == 1, (expr, out, err)
        assert 'Error: ' in err and message in err, (expr, err)
        assert 'Traceback' not in err and 'fatal' not in err
    assert outside.read() == 'keep me'
    assert sorted(os.listdir(str(tmpdir))) == ['files', 'outside.txt']
    assert sorted(os.listdir(str(d))) == ['Smalltalk-80.changes', 'inside.txt', 'link-out',
                                          'sub']
    assert os.listdir(str(d.join('sub'))) == []
    assert not os.path.exists('/tmp/st80-escape.st')


# -- dbanay's image, unchanged -------------------------------------------------------------------

@pytest.fixture
def dbanay_dir(dbanay_image, tmpdir):
    """dbanay's image with its sources and changes, in a directory of the test's."""
    w = tmpdir.mkdir('dbanay')
    for name in ['snapshot.im', 'Smalltalk-80.sources', 'Smalltalk-80.changes']:
        shutil.copy(os.path.join(os.path.dirname(dbanay_image), name), str(w))
        os.chmod(str(w.join(name)), 0o644)
    return w


def test_dbanay_image_reads_its_sources_and_changes(st80_binary, dbanay_dir):
    out = ok(st80_binary, str(dbanay_dir.join('snapshot.im')), None,
             '(Object compiledMethodAt: #printString) getSource', 'Association comment',
             '(PosixFile compiledMethodAt: #doCommand:name:page:error:) getSource',
             '(SourceFiles at: 1) file class')
    assert '"Answer a String whose characters are a description of the receiver."' in out
    assert '| aStream |' in out
    assert 'I am a pair of associated objects' in out
    assert 'doCommand: command name: name page: page  error: e' in out   # from the changes
    assert '| result |' in out
    assert out.splitlines()[-1] == 'PosixFile'


def test_dbanay_image_writes_files_files_out_and_saves_as(st80_binary, dbanay_dir):
    image = str(dbanay_dir.join('snapshot.im'))
    out = ok(st80_binary, image, None, *(WRITE_READ + [
        'Benchmark fileOut', "Smalltalk saveAs: 'other' thenQuit: false. 3 + 4"]))
    assert out.splitlines()[:3] == ["'hello.txt'", "'Hello, host", "second line'"]
    assert out.splitlines()[-1] == '7'
    assert dbanay_dir.join('hello.txt').read('rb') == b'Hello, host\rsecond line'
    benchmark = dbanay_dir.join('Benchmark.st').read('rb')
    assert b'Object subclass: #Benchmark' in benchmark and b'testCompiler' in benchmark
    # Save as: other.changes copied, other.im written (primitive 128 named it).
    assert dbanay_dir.join('other.changes').size() > 0
    assert ok(st80_binary, str(dbanay_dir.join('other.im')), None, '6 * 7') == '42\n'


def test_dbanay_image_refuses_the_way_out(st80_binary, dbanay_dir, tmpdir):
    image = str(dbanay_dir.join('snapshot.im'))
    status, out, err = evaluate(st80_binary, image, None,
                                "(FileStream fileNamed: '../escape.txt') nextPutAll: 'x'; close")
    assert status == 1 and 'Error: ' in err, err
    assert "not a file name in st80's directory" in err, err
    assert not tmpdir.join('escape.txt').exists()
