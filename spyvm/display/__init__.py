"""Display backends.  create_display() picks one at startup:

  'headless'  no window (tests, CI, --headless)             display/headless.py
  'sdl2'      an SDL2 window through rffi (translated VM)   display/sdl2_display.py
  'pygame'    a pygame window, untranslated only (debugging) display/pygame_display.py

All share display/base.py: the interface the VM calls and the host-event ->
input-word mapping.  pygame and the rffi SDL2 binding must never both be used in
one process (each brings its own libSDL2): the binding is imported here, but only
loads libSDL2 when first called.
"""

from rpython.rlib import objectmodel
from spyvm.display.base import DisplayError
from spyvm.display.headless import HeadlessDisplay

try:
    from spyvm.display.sdl2_display import SDL2Display
    HAVE_SDL2 = True
    SDL2_ERROR = ''
except Exception as e:       # no SDL2 headers or sdl2-config: headless and pygame only
    HAVE_SDL2 = False
    SDL2_ERROR = '%s: %s' % (e.__class__.__name__, e)

KINDS = ['headless', 'sdl2', 'pygame']


def create_display(kind, image_name, scale):
    """A display backend; raises DisplayError if it cannot be had."""
    if kind == 'headless':
        return HeadlessDisplay(image_name, scale)
    if kind == 'sdl2':
        if not HAVE_SDL2:
            raise DisplayError('this st80 was built without SDL2')
        return SDL2Display(image_name, scale)
    if kind == 'pygame':
        # Folded away when translated: the annotator never sees pygame.
        if not objectmodel.we_are_translated():
            return _create_pygame_display(image_name, scale)
        raise DisplayError('pygame is only available untranslated')
    raise DisplayError('unknown display ' + kind + ' (headless, sdl2 or pygame)')


@objectmodel.not_rpython
def _create_pygame_display(image_name, scale):
    try:
        from spyvm.display.pygame_display import PygameDisplay
    except ImportError as e:
        raise DisplayError('cannot import pygame: %s' % e)
    return PygameDisplay(image_name, scale)
