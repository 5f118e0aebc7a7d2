"""NOT_RPYTHON: a pygame window for the untranslated VM (interactive debugging).

Imported only by spyvm.display._create_pygame_display, never when translated.
Never use it in a process that also calls the rffi SDL2 binding (display/sdl2.py):
pygame bundles its own libSDL2.  pygame 2 reports SDL2's keycodes, KMOD bits and
button numbers, so base.InputMapper maps its events unchanged.  No numpy: the
damaged rows are converted with a byte table and pygame.image.frombuffer.
pygame 2.0's scrap cannot put text on an X11 clipboard, so the host clipboard
goes through SDL_GetClipboardText/SDL_SetClipboardText of pygame's own libSDL2,
called by ctypes (found in /proc/self/maps: the library pygame loaded).
"""

import ctypes
import os
os.environ.setdefault('PYGAME_HIDE_SUPPORT_PROMPT', '1')   # no banner on stdout
os.environ.setdefault('SDL_VIDEO_CENTERED', '1')
import pygame

from spyvm.display.base import DisplayBase

# One display byte (8 pixels, MSB leftmost) -> 32 bytes of RGBX.
_BLACK = b'\x00\x00\x00\xff'
_WHITE = b'\xff\xff\xff\xff'
BYTE_TO_RGBX = [b''.join([_BLACK if byte & (0x80 >> i) else _WHITE for i in range(8)])
                for byte in range(256)]


class PygameDisplay(DisplayBase):
    def __init__(self, image_name, scale=1):
        DisplayBase.__init__(self, image_name, scale)
        pygame.display.init()
        self.screen = None
        self.sdl = pygames_sdl()

    def close(self):
        pygame.display.quit()

    def open(self, width, height):
        self.screen = pygame.display.set_mode((width * self.scale, height * self.scale),
                                              pygame.RESIZABLE)
        pygame.display.set_caption(self.title)
        pygame.key.start_text_input()
        pygame.key.set_repeat(400, 40)   # SDL2 repeats; pygame turns it off by default

    def can_draw(self):
        return self.screen is not None

    def present(self):
        pygame.display.flip()

    def convert(self, words):
        # Whole words as in the other backends, then crop to the display width.
        x0 = self.dirty_left // 16
        x1 = (self.dirty_right + 15) // 16
        top, bottom = self.dirty_top, self.dirty_bottom
        table = BYTE_TO_RGBX
        rows = []
        for y in range(top, bottom):
            base = y * self.raster
            for w in words[base + x0:base + x1]:
                rows.append(table[w >> 8])
                rows.append(table[w & 0xFF])
        left = x0 * 16
        span = (x1 - x0) * 16
        surface = pygame.image.frombuffer(b''.join(rows), (span, bottom - top), 'RGBX')
        width = min(span, self.width - left)
        s = self.scale
        if s != 1:
            surface = pygame.transform.scale(surface, (span * s, (bottom - top) * s))
        self.screen.blit(surface, (left * s, top * s), (0, 0, width * s, (bottom - top) * s))

    def read_events(self):
        m = self.mapper
        now = pygame.time.get_ticks()
        for ev in pygame.event.get():
            if ev.type == pygame.MOUSEMOTION:
                m.motion(ev.pos[0], ev.pos[1], now)
            elif ev.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
                m.button(ev.button, ev.type == pygame.MOUSEBUTTONDOWN, ev.pos[0], ev.pos[1],
                         pygame.key.get_mods(), now)
            elif ev.type in (pygame.KEYDOWN, pygame.KEYUP):
                m.key(ev.key, ev.mod, ev.type == pygame.KEYDOWN, now)
            elif ev.type == pygame.TEXTINPUT:
                for c in ev.text:
                    m.text(ord(c), now)
            elif ev.type in (pygame.VIDEOEXPOSE, pygame.WINDOWEXPOSED):
                self.need_present = True
            elif ev.type == pygame.WINDOWCLOSE:
                self.close_requests += 1
            elif ev.type == pygame.QUIT:
                # A signal; or (SDL before 2.0.22) the close button, whose
                # WINDOWCLOSE came first.
                if self.close_requests == 0:
                    self.quit_requested = True
            elif ev.type == pygame.VIDEORESIZE:
                self.resized(ev.w, ev.h)

    def resized(self, w, h):
        # The window's new area is undrawn: gray, and the whole display again.
        self.screen = pygame.display.get_surface()
        self.screen.fill((128, 128, 128))
        self.damaged(0, 0, self.width, self.height)
        self.need_present = True
        if (w, h) != (self.width * self.scale, self.height * self.scale):
            self.resized_at = self.clock_ms()

    def window_size(self):
        surface = pygame.display.get_surface()
        return surface.get_size() if surface is not None else (0, 0)

    def read_clipboard(self):
        if self.sdl is None or not self.sdl.SDL_HasClipboardText():
            return ''
        text = self.sdl.SDL_GetClipboardText()
        if not text:
            return ''
        result = ctypes.string_at(text)
        self.sdl.SDL_free(text)
        return result

    def write_clipboard(self, text):
        if self.sdl is not None:
            self.sdl.SDL_SetClipboardText(text)


def pygames_sdl():
    """The libSDL2 that pygame loaded, by ctypes (None if not found)."""
    paths = [line.split()[-1] for line in open('/proc/self/maps')
             if '/libSDL2-' in line or '/libSDL2.' in line]
    if not paths:
        return None
    sdl = ctypes.CDLL(paths[0])
    sdl.SDL_HasClipboardText.restype = ctypes.c_int
    sdl.SDL_GetClipboardText.restype = ctypes.c_void_p
    sdl.SDL_SetClipboardText.argtypes = [ctypes.c_char_p]
    sdl.SDL_free.argtypes = [ctypes.c_void_p]
    return sdl

    def clock_ms(self):
        return pygame.time.get_ticks()

    def show_cursor(self, bits):
        """1 bits black, 0 transparent; hot spot top left (see SDL2Display)."""
        s = self.scale
        size = 16 * s
        data = bytearray(size * size // 8)
        for y in range(size):
            row = bits[y // s]
            for x in range(size):
                if row & (0x8000 >> (x // s)):
                    data[y * (size // 8) + x // 8] |= 0x80 >> (x % 8)
        try:
            pygame.mouse.set_cursor((size, size), (0, 0), tuple(data), tuple(data))
        except pygame.error:
            pass                     # e.g. the dummy video driver has no cursors

    def warp(self, x, y):
        if self.screen is not None:
            pygame.mouse.set_pos((x, y))

    def wait_input(self, ms):
        # pygame.event.wait(timeout) would take the event off the queue; peek instead.
        end = pygame.time.get_ticks() + ms
        while not pygame.event.peek() and pygame.time.get_ticks() < end:
            pygame.time.wait(min(5, ms))
