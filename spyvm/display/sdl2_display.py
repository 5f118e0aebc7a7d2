"""The SDL2 window (RPython; translated and untranslated), through display/sdl2.py.

One window, one renderer and one streaming ARGB8888 texture of the display's
size.  A raw pixel buffer of width*height ints is allocated once per display
size; each frame converts only the damaged words of the 1-bit display into it,
uploads those rows of the texture and presents.  With --scale N the window is N
times larger and SDL stretches the texture (nearest pixel, SDL's default), so
mouse positions are divided by N (InputMapper) and warps multiplied by N.
The window is resizable: the display is drawn at its top left at its own size
(spyvm/desktop.py asks the image for a display that fits), and the rest gray.
The window's close button is counted (close_requests); SDL_QUIT then only
comes from a signal (SIGINT, SIGTERM).
"""

import os
from rpython.rlib import jit
from rpython.rlib.objectmodel import we_are_translated, not_rpython
from rpython.rtyper.lltypesystem import lltype, rffi
from spyvm.display import sdl2
from spyvm.display.base import DisplayBase, DisplayError

BLACK = rffi.cast(rffi.UINT, 0xFF000000)
WHITE = rffi.cast(rffi.UINT, 0xFFFFFFFF)
# Untranslated only: one display byte -> 8 ARGB8888 pixels in memory order
# (little-endian: B, G, R, A).
BYTE_TO_ARGB = [''.join(['\x00\x00\x00\xff' if byte & (0x80 >> i) else '\xff\xff\xff\xff'
                         for i in range(8)]) for byte in range(256)]


NO_WINDOW = lltype.nullptr(sdl2.WindowPtr.TO)
NO_RENDERER = lltype.nullptr(sdl2.RendererPtr.TO)
NO_TEXTURE = lltype.nullptr(sdl2.TexturePtr.TO)
NO_CURSOR = lltype.nullptr(sdl2.CursorPtr.TO)
NO_PIXELS = lltype.nullptr(rffi.UINTP.TO)
NO_RECT = lltype.nullptr(sdl2.Rect)
NO_EVENT = lltype.nullptr(sdl2.Event)


class SDL2Display(DisplayBase):
    def __init__(self, image_name, scale=1):
        DisplayBase.__init__(self, image_name, scale)
        # The close button is a window event, not SDL_QUIT (SDL 2.0.22 on).
        sdl2.SetHint('SDL_QUIT_ON_LAST_WINDOW_CLOSE', '0')
        if sdl2.Init(sdl2.INIT_VIDEO) != 0:
            raise DisplayError('SDL_Init: ' + sdl2.get_error())
        self.window = NO_WINDOW
        self.renderer = NO_RENDERER
        self.texture = NO_TEXTURE
        self.cursor = NO_CURSOR
        self.pixels = NO_PIXELS
        self.broken = False          # the window could not be made: stay silent
        self.user_sized = False      # the person resized the window: no more centering
        # Allocated once: poll runs many times a second.
        self.event = lltype.malloc(sdl2.Event, flavor='raw')
        self.rect = lltype.malloc(sdl2.Rect, flavor='raw')
        self.target = lltype.malloc(sdl2.Rect, flavor='raw')
        self.size = lltype.malloc(rffi.INTP.TO, 2, flavor='raw')

    @jit.dont_look_inside
    def close(self):
        if self.texture:
            sdl2.DestroyTexture(self.texture)
            self.texture = NO_TEXTURE
        if self.renderer:
            sdl2.DestroyRenderer(self.renderer)
            self.renderer = NO_RENDERER
        if self.window:
            sdl2.DestroyWindow(self.window)
            self.window = NO_WINDOW
        if self.cursor:
            sdl2.FreeCursor(self.cursor)
            self.cursor = NO_CURSOR
        self.free_pixels()
        if self.event:
            lltype.free(self.event, flavor='raw')
            self.event = NO_EVENT
            lltype.free(self.rect, flavor='raw')
            self.rect = NO_RECT
            lltype.free(self.target, flavor='raw')
            self.target = NO_RECT
            lltype.free(self.size, flavor='raw')
            self.size = lltype.nullptr(rffi.INTP.TO)
            sdl2.Quit()

    # -- hooks ---------------------------------------------------------------------
    def clock_ms(self):
        return rffi.cast(lltype.Signed, sdl2.GetTicks())

    def fail(self, what):
        # A VM without a window still runs (and --screenshot still works).
        os.write(2, 'st80: ' + what + ': ' + sdl2.get_error() + '\n')
        self.broken = True

    def open(self, width, height):
        if self.broken:
            return
        w = width * self.scale
        h = height * self.scale
        if not self.window:
            self.window = sdl2.CreateWindow(self.title, sdl2.WINDOWPOS_CENTERED,
                                            sdl2.WINDOWPOS_CENTERED, w, h,
                                            sdl2.WINDOW_SHOWN | sdl2.WINDOW_RESIZABLE)
            if not self.window:
                return self.fail('cannot open a window')
            self.renderer = sdl2.CreateRenderer(self.window, -1, 0)
            if not self.renderer:     # no accelerated one: software always exists
                self.renderer = sdl2.CreateRenderer(self.window, -1, sdl2.RENDERER_SOFTWARE)
            if not self.renderer:
                return self.fail('cannot create a renderer')
            sdl2.StartTextInput()    # typed characters arrive as SDL_TEXTINPUT
        else:
            # The Xerox image starts at 640x100 and grows to 640x480 at once:
            # center again so that the grown window is on the screen.
            sdl2.SetWindowSize(self.window, w, h)
            if not self.user_sized:
                sdl2.SetWindowPosition(self.window, sdl2.WINDOWPOS_CENTERED,
                                       sdl2.WINDOWPOS_CENTERED)
        if self.texture:
            sdl2.DestroyTexture(self.texture)
        self.texture = sdl2.CreateTexture(self.renderer, sdl2.PIXELFORMAT_ARGB8888,
                                          sdl2.TEXTUREACCESS_STREAMING, width, height)
        if not self.texture:
            return self.fail('cannot create a texture')
        self.free_pixels()
        if we_are_translated():
            self.pixels = lltype.malloc(rffi.UINTP.TO, width * height, flavor='raw')
        else:
            self.pixels = self.alloc_pixels_untranslated(width * height)

    def free_pixels(self):
        if self.pixels:
            if we_are_translated():
                lltype.free(self.pixels, flavor='raw')
            self.pixels = NO_PIXELS

    @not_rpython
    def alloc_pixels_untranslated(self, n):
        # An lltype raw array is a Python list of n cells that ll2ctypes copies
        # into C memory on first use (~3 s for 640x480); a ctypes buffer seen
        # through ll2ctypes costs nothing.  Freed by the garbage collector.
        import ctypes
        from rpython.rtyper.lltypesystem import ll2ctypes
        self.untranslated_buffer = buf = (ctypes.c_uint * n)()
        ctype = ll2ctypes.get_ctypes_type(rffi.UINTP.TO)
        return ll2ctypes.ctypes2lltype(rffi.UINTP, ctypes.cast(buf, ctypes.POINTER(ctype)))

    def can_draw(self):
        return not self.broken and bool(self.texture)

    def present(self):
        """The display at the window's top left, at its own size; gray around it
        while the window is larger (being resized, or the host keeps it so)."""
        target = self.target
        target.c_x = rffi.cast(rffi.INT, 0)
        target.c_y = rffi.cast(rffi.INT, 0)
        target.c_w = rffi.cast(rffi.INT, self.width * self.scale)
        target.c_h = rffi.cast(rffi.INT, self.height * self.scale)
        gray = rffi.cast(rffi.UCHAR, 128)
        sdl2.SetRenderDrawColor(self.renderer, gray, gray, gray, rffi.cast(rffi.UCHAR, 255))
        sdl2.RenderClear(self.renderer)
        sdl2.RenderCopy(self.renderer, self.texture, NO_RECT, target)
        sdl2.RenderPresent(self.renderer)

    def convert(self, words):
        """Damaged words -> ARGB pixels -> the texture's rows."""
        x0 = self.dirty_left // 16
        x1 = (self.dirty_right + 15) // 16
        top = self.dirty_top
        bottom = self.dirty_bottom
        if we_are_translated():
            self.convert_rows(words, x0, x1, top, bottom)
        else:
            self.convert_rows_untranslated(words, x0, x1, top, bottom)
        width = self.width
        left = x0 * 16
        right = min(x1 * 16, width)
        rect = self.rect
        rect.c_x = rffi.cast(rffi.INT, left)
        rect.c_y = rffi.cast(rffi.INT, top)
        rect.c_w = rffi.cast(rffi.INT, right - left)
        rect.c_h = rffi.cast(rffi.INT, bottom - top)
        start = rffi.ptradd(self.pixels, top * width + left)
        sdl2.UpdateTexture(self.texture, rect, rffi.cast(rffi.VOIDP, start), width * 4)

    def convert_rows(self, words, x0, x1, top, bottom):
        width = self.width
        raster = self.raster
        pixels = self.pixels
        for y in range(top, bottom):
            for wi in range(x0, x1):
                w = words[y * raster + wi]
                x = wi * 16
                base = y * width + x
                for b in range(min(16, width - x)):
                    if w & (0x8000 >> b):
                        pixels[base + b] = BLACK
                    else:
                        pixels[base + b] = WHITE

    @not_rpython
    def convert_rows_untranslated(self, words, x0, x1, top, bottom):
        # convert_rows through ll2ctypes costs ~1 s per 100,000 pixels; this
        # builds each row as bytes and copies it with one memmove.
        import ctypes
        from rpython.rtyper.lltypesystem import ll2ctypes
        address = ctypes.cast(ll2ctypes.lltype2ctypes(self.pixels), ctypes.c_void_p).value
        width = self.width
        left = x0 * 16
        nbytes = (min(x1 * 16, width) - left) * 4
        for y in range(top, bottom):
            row = words[y * self.raster + x0:y * self.raster + x1]
            data = b''.join([BYTE_TO_ARGB[w >> 8] + BYTE_TO_ARGB[w & 0xFF] for w in row])
            ctypes.memmove(address + (y * width + left) * 4, data, nbytes)

    def read_events(self):
        m = self.mapper
        ev = self.event
        while sdl2.PollEvent(ev) != 0:
            t = rffi.cast(lltype.Signed, ev.c_type)
            if t == sdl2.MOUSEMOTION:
                e = rffi.cast(sdl2.MouseMotionEventPtr, ev)
                m.motion(rffi.cast(lltype.Signed, e.c_x), rffi.cast(lltype.Signed, e.c_y),
                         rffi.cast(lltype.Signed, e.c_timestamp))
            elif t == sdl2.MOUSEBUTTONDOWN or t == sdl2.MOUSEBUTTONUP:
                b = rffi.cast(sdl2.MouseButtonEventPtr, ev)
                m.button(rffi.cast(lltype.Signed, b.c_button), t == sdl2.MOUSEBUTTONDOWN,
                         rffi.cast(lltype.Signed, b.c_x), rffi.cast(lltype.Signed, b.c_y),
                         rffi.cast(lltype.Signed, sdl2.GetModState()),
                         rffi.cast(lltype.Signed, b.c_timestamp))
            elif t == sdl2.KEYDOWN or t == sdl2.KEYUP:
                k = rffi.cast(sdl2.KeyboardEventPtr, ev)
                m.key(rffi.cast(lltype.Signed, k.c_keysym.c_sym),
                      rffi.cast(lltype.Signed, k.c_keysym.c_mod), t == sdl2.KEYDOWN,
                      rffi.cast(lltype.Signed, k.c_timestamp))
            elif t == sdl2.TEXTINPUT:
                self.text_event(rffi.cast(sdl2.TextInputEventPtr, ev))
            elif t == sdl2.WINDOWEVENT:
                self.window_event(rffi.cast(sdl2.WindowEventPtr, ev))
            elif t == sdl2.QUIT:
                # A signal; or (SDL before 2.0.22) the close button's
                # WINDOWEVENT_CLOSE, which comes first, still unanswered.
                if self.close_requests == 0:
                    self.quit_requested = True

    def window_event(self, w):
        event = rffi.cast(lltype.Signed, w.c_event)
        if event == sdl2.WINDOWEVENT_EXPOSED:
            self.need_present = True
        elif event == sdl2.WINDOWEVENT_CLOSE:
            self.close_requests += 1
        elif event == sdl2.WINDOWEVENT_RESIZED:
            self.need_present = True
            if (rffi.cast(lltype.Signed, w.c_data1) != self.width * self.scale or
                    rffi.cast(lltype.Signed, w.c_data2) != self.height * self.scale):
                self.resized_at = self.clock_ms()
                self.user_sized = True

    def text_event(self, e):
        now = rffi.cast(lltype.Signed, e.c_timestamp)
        for i in range(32):          # UTF-8, NUL-terminated; only ASCII counts
            c = ord(e.c_text[i])
            if c == 0:
                break
            self.mapper.text(c, now)

    def show_cursor(self, bits):
        """An SDL cursor of 16*scale square pixels: 1 bits black, 0 bits transparent
        (data = mask = bits).  Its hot spot is the top left: the image itself adds
        the cursor's offset (cursorPoint = mousePoint - offset).  Needs no window."""
        s = self.scale
        size = 16 * s
        nbytes = size * size // 8
        data = lltype.malloc(sdl2.UCHARP.TO, nbytes, flavor='raw')
        for i in range(nbytes):
            data[i] = rffi.cast(rffi.UCHAR, 0)
        for y in range(size):
            row = bits[y // s]
            for x in range(size):
                if row & (0x8000 >> (x // s)):
                    i = y * (size // 8) + x // 8
                    data[i] = rffi.cast(rffi.UCHAR, rffi.cast(lltype.Signed, data[i])
                                        | (0x80 >> (x % 8)))
        cursor = sdl2.CreateCursor(data, data, size, size, 0, 0)
        lltype.free(data, flavor='raw')
        if not cursor:
            return                   # e.g. the dummy video driver: keep the old one
        sdl2.SetCursor(cursor)
        if self.cursor:
            sdl2.FreeCursor(self.cursor)
        self.cursor = cursor

    def warp(self, x, y):
        if self.window:
            sdl2.WarpMouseInWindow(self.window, x, y)

    def wait_input(self, ms):
        if ms > 0:
            sdl2.WaitEventTimeout(NO_EVENT, ms)

    def window_size(self):
        if not self.window:
            return 0, 0
        size = self.size
        sdl2.GetWindowSize(self.window, size, rffi.ptradd(size, 1))
        return rffi.cast(lltype.Signed, size[0]), rffi.cast(lltype.Signed, size[1])

    def read_clipboard(self):
        if not sdl2.HasClipboardText():
            return ''
        text = sdl2.GetClipboardText()
        if not text:
            return ''
        result = rffi.charp2str(text)
        sdl2.free(rffi.cast(rffi.VOIDP, text))
        return result

    def write_clipboard(self, text):
        with rffi.scoped_str2charp(text) as buf:
            sdl2.SetClipboardText(buf)
