"""Primitive 97 (snapshot) and 113 (quit): saving, reloading, resuming."""

import os

from tests.conftest import run_vm
from tests.pngutil import read_png, diff_pixels
from spyvm.image import load_image_file
from spyvm.objspace import ObjSpace


def save(cmd, image, target, extra=()):
    return run_vm(cmd, ['--deterministic', '--snapshot', target] + list(extra) +
                  ['-e', "Transcript show: 'saved here'; cr. Smalltalk snapshot. 3 + 4", image])


def test_save_then_resume_where_it_left_off(vm_command, xerox_image, tmpdir):
    target = str(tmpdir.join('saved.im'))
    shot1 = str(tmpdir.join('at-save.png'))
    status, out, err = save(vm_command, xerox_image, target, ['--screenshot', shot1])
    assert status == 0, err
    assert out.splitlines()[-1] == '7'          # the evaluation went on after saving
    assert 'snapshot saved to %s' % target in err
    # The saved file is a valid interchange image of the same byte order.
    space = ObjSpace()
    info = load_image_file(space, target)
    assert not info.little_endian
    # It resumes: the desktop comes back as it was, Transcript text included.
    shot2 = str(tmpdir.join('resumed.png'))
    status, out, err = run_vm(vm_command, ['--deterministic', '--cycles', '400000',
                                           '--screenshot', shot2, target])
    assert status == 0, err
    assert diff_pixels(read_png(shot1), read_png(shot2)) == 0
    # And it still evaluates.
    status, out, err = run_vm(vm_command, ['-e', '6 * 7', target])
    assert (status, out.strip()) == (0, '42'), err


def test_previous_file_is_kept_and_byte_order_follows_the_loaded_image(
        vm_command, xerox_image_lsb, tmpdir):
    target = str(tmpdir.join('saved.im'))
    open(target, 'wb').write('previous contents')
    status, out, err = save(vm_command, xerox_image_lsb, target)
    assert status == 0, err
    assert open(target + '.bak', 'rb').read() == 'previous contents'
    assert load_image_file(ObjSpace(), target).little_endian
    assert not os.path.exists(target + '.tmp')
    # Told otherwise, it writes big-endian.
    status, out, err = save(vm_command, xerox_image_lsb, target,
                            ['--snapshot-byte-order', 'big'])
    assert status == 0, err
    assert not load_image_file(ObjSpace(), target).little_endian


def test_unwritable_target_fails_the_primitive(vm_command, xerox_image, tmpdir):
    target = str(tmpdir.join('no-such-dir', 'saved.im'))
    status, out, err = save(vm_command, xerox_image, target)
    assert status == 1
    assert 'cannot create %s.tmp: No such file or directory' % target in err
    assert 'Error:' in err


def test_a_full_disk_is_a_smalltalk_error_and_the_old_file_stays(st80_binary, xerox_image,
                                                                   tmpdir):
    """The file size limit stands in for a full disk: the write fails half way."""
    import resource
    import signal
    import subprocess
    target = str(tmpdir.join('saved.im'))
    open(target, 'wb').write('previous contents')

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100000, 100000))
    p = subprocess.Popen([st80_binary, '--snapshot', target, '-e', 'Smalltalk snapshot',
                          xerox_image], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=limit)
    out, err = p.communicate()
    assert p.returncode == 1, err
    assert 'cannot write %s.tmp: File too large' % target in err and 'Error:' in err
    assert open(target, 'rb').read() == 'previous contents'
    assert not os.path.exists(target + '.tmp')


def test_saves_survive_kill_9(st80_binary, xerox_image, tmpdir):
    """Killed at random moments of saving again and again, the file is always
    a whole image: the old one or the new one."""
    import random
    import signal
    import subprocess
    import time
    target = str(tmpdir.join('saved.im'))
    rnd = random.Random(80)
    # snapshotAs:thenQuit: answers true just after saving, false when resumed:
    # the saved image ends the loop and the evaluation.
    loop = "[Smalltalk snapshotAs: 'snapshot' thenQuit: false] whileTrue"
    kills = 0
    while kills < 24:
        p = subprocess.Popen([st80_binary, '--snapshot', target, '-e', loop, xerox_image],
                             stdout=open(os.devnull, 'w'), stderr=subprocess.PIPE)
        time.sleep(rnd.uniform(0.3, 1.5))
        p.send_signal(signal.SIGKILL)
        p.communicate()
        kills += 1
        if not os.path.exists(target):
            continue            # killed before the first save ended
        space = ObjSpace()
        load_image_file(space, target)          # raises ImageError if torn
        status, out, err = run_vm([st80_binary], ['-e', '3 + 4', target])
        assert (status, out.strip()) == (0, '7'), err
    assert os.path.exists(target) and os.path.exists(target + '.bak')


def test_quit_exits_0(vm_command, xerox_image):
    status, out, err = run_vm(vm_command, ['-e', 'Smalltalk quit', '-e', '1', xerox_image])
    assert status == 0
    assert out.strip() == ''


def test_default_target_is_never_the_xerox_original(tmpdir):
    from spyvm.main import snapshot_path, file_directory
    from spyvm.options import Options
    opts = Options()
    # The original, in a directory nobody may write: the program's images/.
    shared = tmpdir.mkdir('shared')
    original = shared.join('VirtualImage')
    original.write('x')
    shared.chmod(0o555)
    try:
        directory = file_directory(opts, str(original), '/repo/st80-c')
    finally:
        shared.chmod(0o755)
    assert directory == '/repo/images'
    assert snapshot_path(opts, str(original), directory) == '/repo/images/snapshot.im'
    # A writable *.im is saved over; a read-only one (by its mode, for root too) is not.
    mine = tmpdir.join('mine.im')
    mine.write('x')
    assert snapshot_path(opts, str(mine), str(tmpdir)) == str(mine)
    mine.chmod(0o444)
    assert snapshot_path(opts, str(mine), str(tmpdir)) == str(tmpdir.join('snapshot.im'))
    opts.snapshot = '/elsewhere/s.im'
    assert snapshot_path(opts, str(mine), str(tmpdir)) == '/elsewhere/s.im'
    assert file_directory(opts, str(mine), '/repo/st80-c') == '/elsewhere'
    opts.directory = str(shared)
    assert file_directory(opts, str(mine), '/repo/st80-c') == str(shared)


def test_an_object_too_big_for_the_image_format_fails_the_save(xerox_image, tmpdir):
    """A size word has 16 bits: a Form of a 4064x4094 screen (1M words) cannot be
    written. The save fails (the image's snapshot primitive fails) and the file
    already there stays as it was."""
    from spyvm.model import W_WordsObject
    from spyvm.snapshot import save_image
    space = ObjSpace()
    load_image_file(space, xerox_image)
    target = str(tmpdir.join('kept.im'))
    assert save_image(space, target, False)
    before = open(target, 'rb').read()
    w_big = W_WordsObject(space.find_global('DisplayBitmap'), 65534)
    w_holder = space.w_smalltalk_association
    w_old = w_holder.fetch_field(0)
    w_holder.store_field(0, w_big)           # reachable from the roots
    try:
        assert not save_image(space, target, False)
    finally:
        w_holder.store_field(0, w_old)
    assert open(target, 'rb').read() == before
