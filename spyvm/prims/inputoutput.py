"""Input/output primitives (90-104): mouse, cursor, input words, BitBlt, snapshot,
clocks, display."""

from rpython.rlib import jit
from spyvm import bitblt, constants
from spyvm.error import PrimitiveFailedError
from spyvm.model import W_BytesObject, W_LargeInteger, W_PointersObject
from spyvm.primitives import expose_primitive


def ioc(interp):
    return interp.ioc


@expose_primitive(90, unwrap_spec=[object])
def primitiveMousePoint(interp, frame, w_rcvr):
    io = ioc(interp)
    io.note_mouse_poll()
    return interp.space.wrap_point(io.mouse_x, io.mouse_y)


@expose_primitive(91, unwrap_spec=[object, object])
def primitiveCursorLocPut(interp, frame, w_rcvr, w_point):
    x, y = interp.space.unwrap_point(w_point)
    io = ioc(interp)
    io.cursor_x = x
    io.cursor_y = y
    if io.display is not None:
        io.display.set_cursor_position(x, y)
    return w_rcvr


@expose_primitive(92, unwrap_spec=[object, object])
def primitiveCursorLink(interp, frame, w_rcvr, w_flag):
    space = interp.space
    if w_flag is not space.w_true and w_flag is not space.w_false:
        raise PrimitiveFailedError
    ioc(interp).cursor_linked = w_flag is space.w_true
    return w_rcvr


@expose_primitive(93, unwrap_spec=[object, object])
def primitiveInputSemaphore(interp, frame, w_rcvr, w_sem):
    space = interp.space
    if w_sem is space.w_nil:
        ioc(interp).set_input_semaphore(None)
    elif w_sem.getclass(space) is space.w_Semaphore:
        ioc(interp).set_input_semaphore(w_sem)
    else:
        raise PrimitiveFailedError
    return w_rcvr


@expose_primitive(94, unwrap_spec=[object, int])
def primitiveSampleInterval(interp, frame, w_rcvr, interval):
    ioc(interp).sample_interval = interval
    return w_rcvr


@expose_primitive(95, unwrap_spec=[object])
def primitiveInputWord(interp, frame, w_rcvr):
    word = ioc(interp).next_input_word()
    if word < 0:
        raise PrimitiveFailedError
    return interp.space.wrap_positive_int(word)


@expose_primitive(96, unwrap_spec=[object])
def primitiveCopyBits(interp, frame, w_rcvr):
    bitblt.copy_bits_primitive(interp, w_rcvr)
    return w_rcvr


@expose_primitive(97, unwrap_spec=[object], needs_frame=True)
def primitiveSnapshot(interp, frame, w_rcvr):
    """Save the image. The file resumes with the receiver on the stack (so
    `snapshotPrimitive isNil` is false there); here the answer is nil."""
    space = interp.space
    w_process = ioc(interp).scheduler.active_process()
    w_process.store(space, constants.PROCESS_SUSPENDED_CONTEXT, frame)
    space.w_active_context = frame          # the running contexts are roots
    if not write_snapshot(interp):
        raise PrimitiveFailedError
    return space.w_nil


@jit.dont_look_inside
def write_snapshot(interp):
    from spyvm.snapshot import save_image
    space = interp.space
    ok = save_image(space, interp.options.snapshot_path,
                    interp.options.snapshot_little_endian)
    space.w_active_context = None
    return ok


def is_4_byte_object(w_value):
    """Time values travel as 4-byte objects (LargePositiveIntegers made by
    `new: 4`, or ByteArrays), low byte first."""
    return ((isinstance(w_value, W_BytesObject) or isinstance(w_value, W_LargeInteger))
            and w_value.size() >= 4)


def store_4_bytes(space, w_target, value):
    if not is_4_byte_object(w_target):
        raise PrimitiveFailedError
    for i in range(4):
        w_target.store(space, i, space.wrap_int((value >> (8 * i)) & 0xFF))


@expose_primitive(98, unwrap_spec=[object, object])
def primitiveTimeWordsInto(interp, frame, w_rcvr, w_target):
    store_4_bytes(interp.space, w_target, ioc(interp).seconds())
    return w_rcvr


@expose_primitive(99, unwrap_spec=[object, object])
def primitiveTickWordsInto(interp, frame, w_rcvr, w_target):
    store_4_bytes(interp.space, w_target, ioc(interp).milliseconds())
    return w_rcvr


@expose_primitive(100, unwrap_spec=[object, object, object])
def primitiveSignalAtTick(interp, frame, w_rcvr, w_sem, w_when):
    space = interp.space
    io = ioc(interp)
    if w_sem is space.w_nil:
        io.w_timer_semaphore = None
        return w_rcvr
    if w_sem.getclass(space) is not space.w_Semaphore:
        raise PrimitiveFailedError
    if not is_4_byte_object(w_when):
        raise PrimitiveFailedError
    when = 0
    for i in range(3, -1, -1):
        when = (when << 8) | space.unwrap_int(w_when.fetch(space, i))
    io.w_timer_semaphore = w_sem
    io.timer_ms = when
    return w_rcvr


@expose_primitive(101, unwrap_spec=[object])
def primitiveBeCursor(interp, frame, w_rcvr):
    io = ioc(interp)
    io.w_cursor = w_rcvr
    if io.display is not None:
        io.display.set_cursor(interp.space, w_rcvr)
    return w_rcvr


@expose_primitive(102, unwrap_spec=[object])
def primitiveBeDisplay(interp, frame, w_rcvr):
    space = interp.space
    if not isinstance(w_rcvr, W_PointersObject) or w_rcvr.size() < 4:
        raise PrimitiveFailedError
    interp.w_display = w_rcvr
    io = ioc(interp)
    if io.display is not None:
        io.display.set_display(space, w_rcvr)
    return w_rcvr


@expose_primitive(103, unwrap_spec=[object, int, int, object, int, object, object])
def primitiveScanCharacters(interp, frame, w_rcvr, start_index, stop_index,
                            w_string, right_x, w_stops, w_displaying):
    return bitblt.scan_characters(interp, w_rcvr, start_index, stop_index, w_string,
                                  right_x, w_stops, w_displaying)


@expose_primitive(104, unwrap_spec=[object, int, int])
def primitiveDrawLoop(interp, frame, w_rcvr, x_delta, y_delta):
    bitblt.draw_loop(interp, w_rcvr, x_delta, y_delta)
    return w_rcvr
