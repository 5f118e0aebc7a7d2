"""st80's version (here, and only here), and what --version says about the build."""

import os

VERSION = '0.1'

# Set by targetst80.target() from the translation's configuration.
JIT = False


def rpython_version():
    """The version of the rpython package in use, from its dist-info (at import:
    a constant of the translated program)."""
    import rpython
    site = os.path.dirname(os.path.dirname(os.path.abspath(rpython.__file__)))
    for name in sorted(os.listdir(site)):
        for suffix in ['.dist-info', '.egg-info']:
            if name.startswith('rpython-') and name.endswith(suffix):
                return name[len('rpython-'):len(name) - len(suffix)]
    return 'unknown'


RPYTHON_VERSION = rpython_version()


def version_line(translated):
    """One line, as CLI tools do: st80 0.1 (RPython 0.2.1, JIT)."""
    if not translated:
        build = 'untranslated'
    elif JIT:
        build = 'JIT'
    else:
        build = 'no JIT'
    return 'st80 %s (RPython %s, %s)\n' % (VERSION, RPYTHON_VERSION, build)
