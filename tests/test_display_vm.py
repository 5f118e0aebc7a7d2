"""The VM with a window backend (SDL's dummy video driver: no screen needed):
the display is drawn through it and the boot screen is still exact."""


from tests.conftest import run_vm
from tests.pngutil import read_png, diff_pixels

DUMMY = {'SDL_VIDEODRIVER': 'dummy'}


def boots_through(cmd, kind, image, reference_file, tmpdir):
    shot = str(tmpdir.join('%s.png' % kind))
    status, out, err = run_vm(cmd, ['--display', kind, '--deterministic', '--cycles',
                                    '70000', '--screenshot', shot, image], env=DUMMY)
    assert status == 0, err
    assert diff_pixels(read_png(shot), read_png(reference_file('boot-screen.png'))) == 0


def test_untranslated_pygame_window(untranslated_vm, xerox_image, reference_file, tmpdir):
    boots_through(untranslated_vm, 'pygame', xerox_image, reference_file, tmpdir)


def test_untranslated_sdl2_binding(untranslated_vm, xerox_image, reference_file, tmpdir):
    boots_through(untranslated_vm, 'sdl2', xerox_image, reference_file, tmpdir)


def test_binary_sdl2_window(st80_binary, xerox_image, reference_file, tmpdir):
    boots_through([st80_binary], 'sdl2', xerox_image, reference_file, tmpdir)


def test_binary_has_no_pygame(st80_binary, xerox_image):
    status, out, err = run_vm([st80_binary], ['--display', 'pygame', '--cycles', '10',
                                              xerox_image], env=DUMMY)
    assert status == 2 and 'only available untranslated' in err


def test_no_screen_no_window(vm_command, xerox_image):
    status, out, err = run_vm(vm_command, [xerox_image],
                              env={'DISPLAY': '', 'WAYLAND_DISPLAY': '', 'SDL_VIDEODRIVER': ''})
    assert status == 2 and 'no screen' in err and '--headless' in err
