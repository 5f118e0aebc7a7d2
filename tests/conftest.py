import os
import subprocess
import sys
import pytest

from spyvm.bootstrap import Bootstrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared')
REFERENCE = os.path.join(SHARED, 'reference')


def pytest_addoption(parser):
    parser.addoption('--st80-binary', default='',
                     help='path of a translated st80-c to run the binary tests against')


def find_image(name):
    """An image file from the search path: $ST80_IMAGE_DIR, images/, ../shared/images/."""
    dirs = []
    if os.environ.get('ST80_IMAGE_DIR'):
        dirs.append(os.environ['ST80_IMAGE_DIR'])
    dirs += [os.path.join(ROOT, 'images'), os.path.join(SHARED, 'images')]
    for d in dirs:
        path = os.path.join(d, name)
        if os.path.exists(path):
            return path
    pytest.skip('%s not found in %s: get the Xerox Smalltalk-80 v2 image '
                '(see images/README.md)' % (name, ', '.join(dirs)))


@pytest.fixture
def xerox_image():
    return find_image('VirtualImage')


@pytest.fixture
def xerox_image_lsb():
    return find_image('VirtualImageLSB')


@pytest.fixture
def dbanay_image():
    return find_image(os.path.join('dbanay', 'snapshot.im'))


@pytest.fixture
def reference_file():
    def get(name):
        path = os.path.join(REFERENCE, name)
        if not os.path.exists(path):
            pytest.skip('reference data %s not found' % path)
        return path
    return get


@pytest.fixture
def st80_binary(request):
    path = request.config.getoption('--st80-binary')
    if not path:
        pytest.skip('needs the translated binary: run with --st80-binary=./st80-c (make test does)')
    path = os.path.abspath(path)
    if not os.path.exists(path):
        raise AssertionError('--st80-binary %s does not exist' % path)
    return path


# The untranslated VM runs without host files: installing the file system at
# the first boot of the Xerox image compiles some 35 methods, 10 s untranslated
# (about 110 ms in st80-c). tests/test_firstboot.py tests that install, untranslated too.
# st80-c gets the test's own directory: its files (the changes file) go there,
# not to images/ of the checkout.
UNTRANSLATED = [sys.executable, os.path.join(ROOT, 'targetst80.py')]


@pytest.fixture
def untranslated_vm():
    """The command line of the untranslated VM."""
    return UNTRANSLATED + ['--no-files']


@pytest.fixture(params=['untranslated', 'binary'])
def vm_command(request):
    """Run a command-line test against both VMs."""
    if request.param == 'binary':
        return [request.getfixturevalue('st80_binary'), '--directory',
                str(request.getfixturevalue('tmpdir'))]
    return UNTRANSLATED + ['--no-files']


def run_vm(cmd, args, timeout=600, env=None):
    """Run the VM; returns (status, stdout, stderr)."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    p = subprocess.Popen(cmd + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=full_env, cwd=ROOT)
    out, err = p.communicate()
    return p.returncode, out, err


@pytest.fixture
def boot():
    """A fresh synthetic object space (no image)."""
    return Bootstrap()


@pytest.fixture
def space(boot):
    return boot.space


@pytest.fixture
def interp(boot):
    """An interpreter on the synthetic space, deterministic I/O."""
    from spyvm.interpreter import Interpreter
    from spyvm.iostate import IOState
    return Interpreter(boot.space, IOState(boot.space, deterministic=True))
