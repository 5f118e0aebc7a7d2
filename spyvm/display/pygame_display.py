"""NOT_RPYTHON: a pygame window for the untranslated VM (interactive debugging).

Imported only by spyvm.display._create_pygame_display, never when translated.
Never use it in a process that also calls the rffi SDL2 binding (display/sdl2.py):
pygame bundles its own libSDL2.  pygame 2 reports SDL2's keycodes, KMOD bits and
button numbers, so base.InputMapper maps its events unchanged.  No numpy: the
damaged rows are converted with a byte table and pygame.image.frombuffer.
"""

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

    def close(self):
        pygame.display.quit()

    def open(self, width, height):
        self.screen = pygame.display.set_mode((width * self.scale, height * self.scale))
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
            elif ev.type == pygame.QUIT:
                self.quit_requested = True

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
