"""BitBlt (Blue Book chapter 18) and what the primitives built on it do
(spyvm/prims/inputoutput.py registers them):

    96  BitBlt>>copyBits                 copy_bits_primitive
    103 CharacterScanner>>scanCharactersFrom:to:in:rightX:stopConditions:displaying:
                                         scan_characters
    104 BitBlt>>drawLoopX:Y:             draw_loop

copyBits follows the Blue Book simulation step by step (clipRange,
computeMasks, checkOverlap, calculateOffsets, copyLoop, merge:with:) with two
additions that keep every memory access inside the objects: the clipping
rectangle is first intersected with the destination form, and source words
that the simulation reads beyond the source bitmap (they only ever land in
masked-out bits) read as 0.

Forms are 1 bit deep: 0 bits, 1 width, 2 height, 3 offset. A row is
(width + 15) // 16 words, the most significant bit is the leftmost pixel and
1 is black. The bits are normally a WordArray or DisplayBitmap; a byte object
(Form class>>stringScanLineOfWidth: uses a String) is read as big-endian words.

Primitives 103 and 104 replace Smalltalk methods, so they must end in exactly
the state their Smalltalk code would leave. They therefore check everything
first, without side effects, and fail (letting that code run) when anything is
unusual; only then do they draw and store.
"""

from rpython.rlib import jit
from spyvm import constants
from spyvm.error import PrimitiveFailedError
from spyvm.model import (W_SmallInteger, W_PointersObject, W_WordsObject,
                         W_BytesObject)

# BitBlt instance variables.
BB_DEST_FORM = 0
BB_SOURCE_FORM = 1
BB_HALFTONE_FORM = 2
BB_RULE = 3
BB_DEST_X = 4
BB_DEST_Y = 5
BB_WIDTH = 6
BB_HEIGHT = 7
BB_SOURCE_X = 8
BB_SOURCE_Y = 9
BB_CLIP_X = 10
BB_CLIP_Y = 11
BB_CLIP_WIDTH = 12
BB_CLIP_HEIGHT = 13
BB_SIZE = 14

# CharacterScanner adds (Smalltalk-80.sources): lastIndex xTable stopConditions
# text textStyle leftMargin rightMargin font line runStopIndex spaceCount
# spaceWidth outputMedium. The primitive uses only the first three.
CS_LAST_INDEX = 14
CS_XTABLE = 15
CS_STOP_CONDITIONS = 16
CS_SIZE = 17

# TextConstants (1-based indices into the stop-conditions Array).
END_OF_RUN = 257
CROSSED_X = 258

ALL_ONES = 0xFFFF
NO_WORDS = [0]          # the source of a copy without one (never read)
# RightMasks at: n + 1 = the n low bits set, for n = 0..16.
RIGHT_MASKS = [(1 << n) - 1 for n in range(17)]


def merge(rule, source, dest):
    """Blue Book merge:with:, the 16 combination rules on 16-bit words."""
    if rule == 0:
        result = 0
    elif rule == 1:
        result = source & dest
    elif rule == 2:
        result = source & ~dest
    elif rule == 3:
        result = source
    elif rule == 4:
        result = ~source & dest
    elif rule == 5:
        result = dest
    elif rule == 6:
        result = source ^ dest
    elif rule == 7:
        result = source | dest
    elif rule == 8:
        result = ~source & ~dest
    elif rule == 9:
        result = ~source ^ dest
    elif rule == 10:
        result = ~dest
    elif rule == 11:
        result = source | ~dest
    elif rule == 12:
        result = ~source
    elif rule == 13:
        result = ~source | dest
    elif rule == 14:
        result = ~source | ~dest
    else:
        result = ALL_ONES
    return result & ALL_ONES


def _fetch_word(words, index):
    # The simulation may read one word past either end of a source row (the
    # preload of the 32-bit shifter, the read-ahead at the row's end). Those
    # bits are always masked out, so outside the bitmap they may be 0.
    if 0 <= index < len(words):
        return words[index]
    return 0


def _int_field(w_obj, index):
    w_value = w_obj.fetch_field(index)
    if not isinstance(w_value, W_SmallInteger):
        raise PrimitiveFailedError
    return w_value.value


def _check_small(value):
    """Values the Smalltalk code would turn into LargeIntegers: fail instead."""
    if not constants.MININT <= value <= constants.MAXINT:
        raise PrimitiveFailedError
    return value


class FormBits(object):
    """A form's bitmap as a list of 16-bit words, plus its geometry."""

    def __init__(self, w_form, w_bits, words, width, height, from_bytes):
        self.w_form = w_form
        self.w_bits = w_bits
        self.words = words
        self.width = width
        self.height = height
        self.raster = (width + 15) // 16
        self.from_bytes = from_bytes

    def write_back(self):
        """Store the words into a byte-object bitmap (word lists are shared)."""
        if not self.from_bytes:
            return
        w_bits = self.w_bits
        assert isinstance(w_bits, W_BytesObject)
        for i in range(len(self.words)):
            word = self.words[i]
            w_bits.bytes[2 * i] = chr((word >> 8) & 0xFF)
            w_bits.bytes[2 * i + 1] = chr(word & 0xFF)


def _bits_words(w_bits):
    """The words of a bitmap and whether it is a byte object; fails otherwise."""
    if isinstance(w_bits, W_WordsObject):
        return w_bits.words, False
    if isinstance(w_bits, W_BytesObject):
        n = len(w_bits.bytes) // 2
        words = [0] * n
        for i in range(n):
            words[i] = (ord(w_bits.bytes[2 * i]) << 8) | ord(w_bits.bytes[2 * i + 1])
        return words, True
    raise PrimitiveFailedError


def load_form(w_form, share):
    """A Form's bits, checked to hold width x height pixels. `share` is a form
    already loaded: when both use the same bits object, they share the words."""
    if not isinstance(w_form, W_PointersObject) or w_form.size() <= constants.FORM_HEIGHT:
        raise PrimitiveFailedError
    width = _int_field(w_form, constants.FORM_WIDTH)
    height = _int_field(w_form, constants.FORM_HEIGHT)
    if width < 0 or height < 0:
        raise PrimitiveFailedError
    w_bits = w_form.fetch_field(constants.FORM_BITS)
    if share is not None and share.w_bits is w_bits:
        words = share.words
        from_bytes = share.from_bytes
    else:
        words, from_bytes = _bits_words(w_bits)
    form = FormBits(w_form, w_bits, words, width, height, from_bytes)
    if len(words) < form.raster * height:
        raise PrimitiveFailedError
    return form


def load_halftone(w_form):
    """The 16 words of a halftone (mask) form; the Blue Book reads only its bits."""
    if not isinstance(w_form, W_PointersObject) or w_form.size() <= constants.FORM_BITS:
        raise PrimitiveFailedError
    words, from_bytes = _bits_words(w_form.fetch_field(constants.FORM_BITS))
    if len(words) < 16:
        raise PrimitiveFailedError
    return words


class BitBlt(object):
    """The state of one BitBlt object, read once and checked; the coordinates
    (dest_x ...) may then be changed between calls of copy_bits."""

    def __init__(self, dest, source, halftone, rule):
        self.dest = dest                # FormBits
        self.source = source            # FormBits or None: all ones
        self.halftone = halftone        # list of 16+ words or None: all ones
        self.rule = rule
        self.dest_x = 0
        self.dest_y = 0
        self.width = 0
        self.height = 0
        self.source_x = 0
        self.source_y = 0
        self.clip_x = 0
        self.clip_y = 0
        self.clip_width = 0
        self.clip_height = 0
        # copyBits's working state (see copy_bits).
        self.sx = self.sy = self.dx = self.dy = self.w = self.h = 0
        self.skew = self.skew_mask = self.mask1 = self.mask2 = self.n_words = 0
        self.h_dir = self.v_dir = 1
        self.preload = False
        self.source_index = self.source_delta = 0
        self.dest_index = self.dest_delta = 0
        # Union of the rectangles drawn, for the display.
        self.damaged = False
        self.damage_left = 0
        self.damage_top = 0
        self.damage_right = 0
        self.damage_bottom = 0

    # -- the Blue Book copyBits -------------------------------------------------
    # Its steps share the working state (sx, sy, dx, dy, w, h, masks, indices)
    # through fields, as the book's simulation does through instance variables.
    def copy_bits(self):
        if not self.clip_range():
            return                      # null range
        self.note_damage(self.dx, self.dy, self.w, self.h)
        self.compute_masks()
        self.check_overlap()
        self.calculate_offsets()
        self.copy_loop()

    def clip_range(self):
        """The rectangles clipped to each other, the clipping rectangle first
        cut to the destination; False when nothing is left."""
        clip_x = self.clip_x
        clip_y = self.clip_y
        clip_width = self.clip_width
        clip_height = self.clip_height
        if clip_x < 0:
            clip_width += clip_x
            clip_x = 0
        if clip_y < 0:
            clip_height += clip_y
            clip_y = 0
        if clip_x + clip_width > self.dest.width:
            clip_width = self.dest.width - clip_x
        if clip_y + clip_height > self.dest.height:
            clip_height = self.dest.height - clip_y
        if self.dest_x >= clip_x:
            sx = self.source_x
            dx = self.dest_x
            w = self.width
        else:
            sx = self.source_x + (clip_x - self.dest_x)
            w = self.width - (clip_x - self.dest_x)
            dx = clip_x
        if dx + w > clip_x + clip_width:
            w = w - ((dx + w) - (clip_x + clip_width))
        if self.dest_y >= clip_y:
            sy = self.source_y
            dy = self.dest_y
            h = self.height
        else:
            sy = self.source_y + clip_y - self.dest_y
            h = self.height - (clip_y - self.dest_y)
            dy = clip_y
        if dy + h > clip_y + clip_height:
            h = h - ((dy + h) - (clip_y + clip_height))
        source = self.source
        if source is not None:
            if sx < 0:
                dx = dx - sx
                w = w + sx
                sx = 0
            if sx + w > source.width:
                w = w - (sx + w - source.width)
            if sy < 0:
                dy = dy - sy
                h = h + sy
                sy = 0
            if sy + h > source.height:
                h = h - (sy + h - source.height)
        self.sx = sx
        self.sy = sy
        self.dx = dx
        self.dy = dy
        self.w = w
        self.h = h
        return w > 0 and h > 0

    def compute_masks(self):
        dx = self.dx
        w = self.w
        self.skew = (self.sx - dx) & 15         # how far the source is rotated left
        start_bits = 16 - (dx & 15)             # pixels in the first word
        self.mask1 = RIGHT_MASKS[start_bits]
        end_bits = 15 - ((dx + w - 1) & 15)
        self.mask2 = RIGHT_MASKS[end_bits] ^ ALL_ONES
        if self.skew == 0:
            self.skew_mask = 0
        else:
            self.skew_mask = RIGHT_MASKS[16 - self.skew]
        if w < start_bits:
            self.mask1 = self.mask1 & self.mask2
            self.mask2 = 0
            self.n_words = 1
        else:
            # = (w - startBits - 1) // 16 + 2, with a non-negative dividend
            self.n_words = (w - start_bits + 15) // 16 + 1

    def check_overlap(self):
        """Copy backwards when the source is ahead in memory."""
        self.h_dir = 1
        self.v_dir = 1
        source = self.source
        if source is None or source.w_form is not self.dest.w_form or self.dy < self.sy:
            return
        if self.dy > self.sy:           # start at the bottom
            self.v_dir = -1
            self.sy = self.sy + self.h - 1
            self.dy = self.dy + self.h - 1
        elif self.dx > self.sx:         # same rows, start at the right
            self.h_dir = -1
            self.sx = self.sx + self.w - 1
            self.dx = self.dx + self.w - 1
            self.skew_mask = self.skew_mask ^ ALL_ONES
            mask1 = self.mask1
            self.mask1 = self.mask2
            self.mask2 = mask1

    def calculate_offsets(self):
        """Preload when the first destination word needs two source words."""
        source = self.source
        preload = source is not None and self.skew != 0 and self.skew <= (self.sx & 15)
        if self.h_dir < 0:
            preload = not preload
        self.preload = preload
        dest_raster = self.dest.raster
        self.dest_index = self.dy * dest_raster + self.dx // 16
        self.dest_delta = dest_raster * self.v_dir - self.n_words * self.h_dir
        if source is not None:
            self.source_index = self.sy * source.raster + self.sx // 16
            extra = 1 if preload else 0
            self.source_delta = source.raster * self.v_dir - (self.n_words + extra) * self.h_dir
        else:
            self.source_index = 0
            self.source_delta = 0

    def copy_loop(self):
        has_source = self.source is not None
        source_words = self.source.words if has_source else NO_WORDS
        halftone = self.halftone
        rule = self.rule
        dest_words = self.dest.words
        dest_len = len(dest_words)
        n_words = self.n_words
        h_dir = self.h_dir
        v_dir = self.v_dir
        skew = self.skew
        skew_mask = self.skew_mask
        not_skew_mask = skew_mask ^ ALL_ONES
        mask1 = self.mask1
        mask2 = self.mask2
        source_index = self.source_index
        dest_index = self.dest_index
        dy = self.dy
        prev_word = 0
        for i in range(self.h):         # the vertical loop
            if halftone is not None:
                halftone_word = halftone[dy & 15]
                dy = dy + v_dir
            else:
                halftone_word = ALL_ONES
            skew_word = halftone_word
            if self.preload:            # load the 32-bit shifter
                prev_word = _fetch_word(source_words, source_index)
                source_index = source_index + h_dir
            else:
                prev_word = 0
            merge_mask = mask1
            for word in range(1, n_words + 1):      # the horizontal loop
                if has_source:
                    prev_word = prev_word & skew_mask
                    this_word = _fetch_word(source_words, source_index)
                    skew_word = prev_word | (this_word & not_skew_mask)
                    prev_word = this_word
                    # 16-bit rotate left by skew
                    skew_word = ((skew_word << skew) | (skew_word >> (16 - skew))) & ALL_ONES
                # Clipping keeps dest_index inside; the test only guards memory.
                if 0 <= dest_index < dest_len:
                    dest_word = dest_words[dest_index]
                    merge_word = merge(rule, skew_word & halftone_word, dest_word)
                    dest_words[dest_index] = ((merge_mask & merge_word) |
                                              ((merge_mask ^ ALL_ONES) & dest_word))
                source_index = source_index + h_dir
                dest_index = dest_index + h_dir
                if word == n_words - 1:
                    merge_mask = mask2
                else:
                    merge_mask = ALL_ONES
            source_index = source_index + self.source_delta
            dest_index = dest_index + self.dest_delta

    # -- after drawing -------------------------------------------------------------
    def note_damage(self, x, y, w, h):
        if not self.damaged:
            self.damaged = True
            self.damage_left = x
            self.damage_top = y
            self.damage_right = x + w
            self.damage_bottom = y + h
        else:
            self.damage_left = min(self.damage_left, x)
            self.damage_top = min(self.damage_top, y)
            self.damage_right = max(self.damage_right, x + w)
            self.damage_bottom = max(self.damage_bottom, y + h)

    def finish(self, interp):
        """Store byte-object bits back; tell the display what changed."""
        self.dest.write_back()
        if not self.damaged:
            return
        w_display = interp.w_display
        if w_display is not None and self.dest.w_form is w_display:
            interp.display_damaged(self.damage_left, self.damage_top,
                                   self.damage_right - self.damage_left,
                                   self.damage_bottom - self.damage_top)



def load_bitblt(space, w_rcvr, coordinates):
    """Read and check a BitBlt's forms, rule and clipping rectangle; with
    `coordinates` also destX, destY, width, height, sourceX and sourceY.
    Fails on anything copyBits could not work with."""
    if not isinstance(w_rcvr, W_PointersObject) or w_rcvr.size() < BB_SIZE:
        raise PrimitiveFailedError
    rule = _int_field(w_rcvr, BB_RULE)
    if not 0 <= rule <= 15:
        raise PrimitiveFailedError      # e.g. Form paint (16): Smalltalk does it
    dest = load_form(w_rcvr.fetch_field(BB_DEST_FORM), None)
    w_source = w_rcvr.fetch_field(BB_SOURCE_FORM)
    source = None
    if w_source is not space.w_nil:
        source = load_form(w_source, dest)
    w_halftone = w_rcvr.fetch_field(BB_HALFTONE_FORM)
    halftone = None
    if w_halftone is not space.w_nil:
        halftone = load_halftone(w_halftone)
    bb = BitBlt(dest, source, halftone, rule)
    bb.clip_x = _int_field(w_rcvr, BB_CLIP_X)
    bb.clip_y = _int_field(w_rcvr, BB_CLIP_Y)
    bb.clip_width = _int_field(w_rcvr, BB_CLIP_WIDTH)
    bb.clip_height = _int_field(w_rcvr, BB_CLIP_HEIGHT)
    if coordinates:
        bb.dest_x = _int_field(w_rcvr, BB_DEST_X)
        bb.dest_y = _int_field(w_rcvr, BB_DEST_Y)
        bb.width = _int_field(w_rcvr, BB_WIDTH)
        bb.height = _int_field(w_rcvr, BB_HEIGHT)
        bb.source_x = _int_field(w_rcvr, BB_SOURCE_X)
        bb.source_y = _int_field(w_rcvr, BB_SOURCE_Y)
    return bb


# -- what the primitives do ------------------------------------------------------------

@jit.dont_look_inside
def copy_bits_primitive(interp, w_rcvr):
    bb = load_bitblt(interp.space, w_rcvr, True)
    bb.copy_bits()
    bb.finish(interp)


def _sign(n):
    if n > 0:
        return 1
    if n < 0:
        return -1
    return 0


@jit.dont_look_inside
def draw_loop(interp, w_rcvr, x_delta, y_delta):
    """BitBlt>>drawLoopX:Y:, Bresenham's algorithm as in its Smalltalk code:
    copyBits at the start point and after every step; destX and destY end at
    the end point."""
    space = interp.space
    bb = load_bitblt(space, w_rcvr, True)
    # Every destX/destY on the way lies between these two, so all fit.
    _check_small(bb.dest_x + x_delta)
    _check_small(bb.dest_y + y_delta)
    dx = _sign(x_delta)
    dy = _sign(y_delta)
    px = abs(y_delta)
    py = abs(x_delta)
    bb.copy_bits()
    if py > px:                         # more horizontal
        p = py // 2
        for i in range(py):
            bb.dest_x += dx
            p -= px
            if p < 0:
                bb.dest_y += dy
                p += py
            bb.copy_bits()
    else:                               # more vertical
        p = px // 2
        for i in range(px):
            bb.dest_y += dy
            p -= py
            if p < 0:
                bb.dest_x += dx
                p += px
            bb.copy_bits()
    bb.finish(interp)
    w_rcvr.store_field(BB_DEST_X, space.wrap_int(bb.dest_x))
    w_rcvr.store_field(BB_DEST_Y, space.wrap_int(bb.dest_y))


def _array_at(space, w_array, index):
    """Array>>at: with a 0-based index; fails for anything but an Array."""
    if not isinstance(w_array, W_PointersObject) or w_array.getclass(space) is not space.w_Array:
        raise PrimitiveFailedError
    if not 0 <= index < w_array.size():
        raise PrimitiveFailedError
    return w_array.fetch_field(index)


def _array_int(space, w_array, index):
    w_value = _array_at(space, w_array, index)
    if not isinstance(w_value, W_SmallInteger):
        raise PrimitiveFailedError
    return w_value.value


class CharacterScan(object):
    """Where a scan stopped, and the copies it would draw on the way."""

    def __init__(self, dest_x):
        self.draws = []                 # (sourceX, width, destX) triples
        self.last_index = 0
        self.dest_x = dest_x
        self.source_x = 0
        self.width = 0
        self.set_source_x_and_width = False
        self.w_result = None


@jit.dont_look_inside
def scan_characters(interp, w_rcvr, start_index, stop_index, w_string, right_x,
                    w_stops, w_displaying):
    """CharacterScanner>>scanCharactersFrom:to:in:rightX:stopConditions:displaying:

    The Smalltalk code it replaces:

        lastIndex _ startIndex.
        [lastIndex <= stopIndex] whileTrue:
            [ascii _ (sourceString at: lastIndex) asciiValue.
            (stopConditions at: ascii + 1) ~~ nil ifTrue: [^stops at: ascii + 1].
            sourceX _ xTable at: ascii + 1.
            nextDestX _ destX + (width _ (xTable at: ascii + 2) - sourceX).
            nextDestX > rightX ifTrue: [^stops at: CrossedX].
            display ifTrue: [self copyBits].
            destX _ nextDestX.
            lastIndex _ lastIndex + 1].
        lastIndex _ stopIndex.
        ^stops at: EndOfRun

    Note that the receiver's stopConditions decide whether to stop, while the
    argument `stops` supplies the answer. The scan runs first without side
    effects, so that a failure leaves everything as the Smalltalk code expects.
    """
    space = interp.space
    if not isinstance(w_rcvr, W_PointersObject) or w_rcvr.size() < CS_SIZE:
        raise PrimitiveFailedError
    if w_displaying is space.w_true:
        displaying = True
    elif w_displaying is space.w_false:
        displaying = False
    else:
        raise PrimitiveFailedError      # mustBeBoolean in Smalltalk
    if not isinstance(w_string, W_BytesObject):
        raise PrimitiveFailedError
    w_string_class = w_string.getclass(space)
    if w_string_class is not space.w_String and w_string_class is not space.w_Symbol:
        raise PrimitiveFailedError
    scan = _scan(space, w_rcvr, start_index, stop_index, w_string, right_x, w_stops,
                 displaying)
    if len(scan.draws) > 0:
        _draw_scanned(interp, w_rcvr, scan.draws)
    w_rcvr.store_field(CS_LAST_INDEX, space.wrap_int(scan.last_index))
    if scan.set_source_x_and_width:
        w_rcvr.store_field(BB_SOURCE_X, space.wrap_int(scan.source_x))
        w_rcvr.store_field(BB_WIDTH, space.wrap_int(scan.width))
    w_rcvr.store_field(BB_DEST_X, space.wrap_int(scan.dest_x))
    return scan.w_result


def _scan(space, w_rcvr, start_index, stop_index, w_string, right_x, w_stops, displaying):
    """The scan, without side effects: what to draw and store."""
    w_xtable = w_rcvr.fetch_field(CS_XTABLE)
    w_stop_conditions = w_rcvr.fetch_field(CS_STOP_CONDITIONS)
    scan = CharacterScan(_int_field(w_rcvr, BB_DEST_X))
    last_index = start_index
    while last_index <= stop_index:
        index = last_index - 1
        if not 0 <= index < len(w_string.bytes):
            raise PrimitiveFailedError
        ascii = ord(w_string.bytes[index])
        if _array_at(space, w_stop_conditions, ascii) is not space.w_nil:
            scan.w_result = _array_at(space, w_stops, ascii)
            break
        scan.source_x = _array_int(space, w_xtable, ascii)
        scan.width = _check_small(_array_int(space, w_xtable, ascii + 1) - scan.source_x)
        scan.set_source_x_and_width = True
        next_dest_x = _check_small(scan.dest_x + scan.width)
        if next_dest_x > right_x:
            scan.w_result = _array_at(space, w_stops, CROSSED_X - 1)
            break
        if displaying:
            scan.draws.append(scan.source_x)
            scan.draws.append(scan.width)
            scan.draws.append(scan.dest_x)
        scan.dest_x = next_dest_x
        last_index += 1
    if scan.w_result is None:
        last_index = stop_index
        scan.w_result = _array_at(space, w_stops, END_OF_RUN - 1)
    scan.last_index = last_index
    return scan


def _draw_scanned(interp, w_rcvr, draws):
    """Every copyBits must succeed, so the state is checked before the first."""
    bb = load_bitblt(interp.space, w_rcvr, False)
    bb.dest_y = _int_field(w_rcvr, BB_DEST_Y)
    bb.height = _int_field(w_rcvr, BB_HEIGHT)
    bb.source_y = _int_field(w_rcvr, BB_SOURCE_Y)
    i = 0
    while i < len(draws):
        bb.source_x = draws[i]
        bb.width = draws[i + 1]
        bb.dest_x = draws[i + 2]
        bb.copy_bits()
        i += 3
    bb.finish(interp)
