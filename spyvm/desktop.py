"""The desktop: what a person at the window needs besides the Blue Book's I/O.

- The host clipboard, in the image's own terms. The text editor's copy and cut
  (ParagraphEditor>>copySelection and cut; the keyboard's cut: sends cut) leave
  the selection in its class variable CurrentSelection: a hook on each notes
  the value before, and the next poll puts the new value's text on the host
  clipboard. A hook on paste (the keyboard's paste: sends it) first makes the
  host clipboard's text the CurrentSelection, if it changed since the last
  exchange. Line ends become the image's CR; what the image cannot show
  becomes '?' (host_to_image).
- Closing the window asks the image's own quit dialog (ScreenController>>quit,
  as the screen menu's quit: save then quit, quit without saving, continue).
  A second close before it was answered quits at once without saving.
- The Smalltalk screen's size: --display-size and resizing the window run the
  image's own DisplayScreen class>>displayExtent:, which redraws the windows.

Desktop is the interpreter's Hooks (spyvm/hooks.py) for an interactive run. The
dialog and displayExtent: run in a process of their own at UserInterruptPriority,
above the UI, started when the UI process yields (ProcessorScheduler>>yield, at
the top of each control loop: a safe point, as for the image's own user
interrupt), so the UI waits until the action is done. Its method is assembled
by the VM and returns to a bottom context whose code is Processor terminateActive.
"""

import os
from rpython.rlib import jit
from spyvm import constants
from spyvm import hooks
from spyvm.context import W_Context
from spyvm.display.base import MIN_WIDTH, MIN_HEIGHT, MAX_WIDTH, MAX_HEIGHT
from spyvm.error import Quit
from spyvm.model import W_BytesObject, W_PointersObject, W_CompiledMethod

ACTION_PRIORITY = 5         # UserInterruptPriority: above the UI (4)
UI_PRIORITY = 4             # UserSchedulingPriority
TEXT_EMPHASIS = 1           # Text class>>fromString:'s (the default font)

# Host characters the image cannot show that have an ASCII look-alike.
LOOKALIKES = {0xA0: ' ', 0x2010: '-', 0x2011: '-', 0x2012: '-', 0x2013: '-',
              0x2014: '-', 0x2015: '-', 0x2212: '-', 0x2018: "'", 0x2019: "'",
              0x201A: "'", 0x2032: "'", 0x201C: '"', 0x201D: '"', 0x201E: '"',
              0x2033: '"', 0x2026: '...', 0x2190: '_', 0x2191: '^'}
UNSHOWABLE = '?'


def display_size_error(width, height):
    """'' if the image can have a width x height screen, else why not."""
    if not (MIN_WIDTH <= width <= MAX_WIDTH and MIN_HEIGHT <= height <= MAX_HEIGHT):
        return ('--display-size is %dx%d to %dx%d (the 1983 screen up to what the '
                'image\'s 12-bit mouse coordinates reach), not %dx%d' %
                (MIN_WIDTH, MIN_HEIGHT, MAX_WIDTH, MAX_HEIGHT, width, height))
    return ''


# -- text between the host and the image ----------------------------------------------
def utf8_char(text, i):
    """(code point, length) of the UTF-8 sequence at text[i]; (-1, 1) if invalid."""
    lead = ord(text[i])
    if lead < 0x80:
        return lead, 1
    if 0xC2 <= lead <= 0xDF:
        n = 2
    elif 0xE0 <= lead <= 0xEF:
        n = 3
    elif 0xF0 <= lead <= 0xF4:
        n = 4
    else:
        return -1, 1
    if i + n > len(text):
        return -1, 1
    code = lead & (0x7F >> n)
    for k in range(1, n):
        byte = ord(text[i + k])
        if byte & 0xC0 != 0x80:
            return -1, 1
        code = (code << 6) | (byte & 0x3F)
    return code, n


def host_to_image(text):
    """Host text (UTF-8) as the characters of a Smalltalk String: CR LF and LF
    become CR; tab and printable ASCII stay; a few typographic characters become
    their ASCII look-alike, and everything else the image cannot show becomes '?'
    (one per character: replaced, never dropped)."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        code, length = utf8_char(text, i)
        i += length
        if code == 13:
            out.append('\r')
            if i < n and text[i] == '\n':
                i += 1
        elif code == 10:
            out.append('\r')
        elif code == 9 or 32 <= code <= 126:
            out.append(chr(code))
        else:
            out.append(LOOKALIKES.get(code, UNSHOWABLE))
    return ''.join(out)


def image_to_host(chars):
    """A Smalltalk String's characters as host text: CR becomes LF; tab and
    printable ASCII stay; anything else becomes '?'."""
    out = []
    for c in chars:
        code = ord(c)
        if c == '\r':
            out.append('\n')
        elif code == 9 or 32 <= code <= 126:
            out.append(c)
        else:
            out.append(UNSHOWABLE)
    return ''.join(out)


# -- the hooks ---------------------------------------------------------------------
class SafePoint(hooks.MethodHook):
    """ProcessorScheduler>>yield: where the UI lets an action run."""
    def __init__(self, driver):
        self.driver = driver

    def run(self, interp, args_w):
        return self.driver.at_yield()


class CopyOut(hooks.MethodHook):
    """ParagraphEditor>>copySelection and cut."""
    def __init__(self, driver):
        self.driver = driver

    def run(self, interp, args_w):
        self.driver.note_copy()
        return hooks.CONTINUE


class PasteIn(hooks.MethodHook):
    """ParagraphEditor>>paste."""
    def __init__(self, driver):
        self.driver = driver

    def run(self, interp, args_w):
        self.driver.paste_host_text()
        return hooks.CONTINUE


class Desktop(hooks.Hooks):
    def __init__(self, interp, width=0, height=0):
        self.interp = interp
        self.space = interp.space
        self.ioc = interp.ioc
        self.display = interp.ioc.display       # None with --headless
        if self.display is not None:
            self.display.confirm_close = True
        # What waits for the UI to yield, and what runs.
        self.dialog_wanted = False
        self.extent_w = width                   # 0: no new screen size wanted
        self.extent_h = height
        self.w_action = None                    # the process running an action
        self.w_action_bottom = None
        self.action_is_dialog = False
        # The clipboard.
        self.w_selection_assoc = None           # ParagraphEditor's CurrentSelection
        self.w_selection_before = None
        self.export_pending = False
        self.host_text = ''                     # the host text last exchanged
        self.exchanged = False
        self.symbols = {}
        self.w_ui_manager_assoc = None          # ScheduledControllers
        self.ui_process_index = -1              # its activeControllerProcess
        self.install_hooks()

    # -- setting up ------------------------------------------------------------------
    def install_hooks(self):
        space = self.space
        w_editor = space.find_global('ParagraphEditor')
        for selector, hook in [('copySelection', CopyOut(self)), ('cut', CopyOut(self)),
                               ('paste', PasteIn(self))]:
            w_method = find_method(space, w_editor, selector)
            if w_method is not None:
                hooks.add_method_hook(w_method, hook)
                if selector == 'paste':
                    self.w_selection_assoc = literal_variable(space, w_method,
                                                              'CurrentSelection')
        w_yield = find_method(space, space.find_global('ProcessorScheduler'), 'yield')
        if w_yield is not None:
            hooks.add_method_hook(w_yield, SafePoint(self))
        self.w_ui_manager_assoc = space.find_global_association('ScheduledControllers')
        w_manager_class = space.find_global('ControlManager')
        if isinstance(w_manager_class, W_PointersObject):
            from spyvm.headless import inst_var_index
            self.ui_process_index = inst_var_index(space, w_manager_class,
                                                   'activeControllerProcess')
        wanted = {}
        for name in ['new', 'quit', 'displayExtent:', 'terminateActive']:
            wanted[name] = None
        for w_obj in space.objects:
            if (isinstance(w_obj, W_BytesObject) and
                    w_obj.getclass(space) is space.w_Symbol and w_obj.as_string() in wanted):
                self.symbols[w_obj.as_string()] = w_obj

    # -- the interpreter's seams -------------------------------------------------------
    def returned_to(self, interp, w_target, w_value):
        if w_target is self.w_action_bottom and w_target is not None:
            self.w_action = None                # done; the bottom terminates it
            self.w_action_bottom = None
        return None

    @jit.dont_look_inside
    def poll(self, interp):
        display = self.display
        if display is not None:
            while display.take_close_request():
                self.close_clicked()
            width, height = display.take_resize()
            if width > 0:
                self.extent_w = width
                self.extent_h = height
        if self.w_action is not None and not self.is_alive(self.w_action):
            self.w_action = None                # ended otherwise (a debugger, say)
        if self.export_pending:
            self.export_selection()

    def close_clicked(self):
        if self.dialog_wanted or (self.w_action is not None and self.action_is_dialog):
            os.write(2, 'st80: the window was closed again before the quit dialog '
                        'was answered: quit without saving\n')
            raise Quit(0)
        self.dialog_wanted = True

    def is_alive(self, w_process):
        """Running, ready or waiting (a terminated or suspended process is on no list)."""
        if w_process is self.ioc.scheduler.active_process():
            return True
        return w_process.fetch(self.space, constants.PROCESS_MY_LIST) is not self.space.w_nil

    # -- actions at the UI's yield --------------------------------------------------------
    @jit.dont_look_inside
    def at_yield(self):
        if self.w_action is not None or not (self.dialog_wanted or self.extent_w > 0):
            return hooks.CONTINUE
        if not self.is_ui_process(self.ioc.scheduler.active_process()):
            return hooks.CONTINUE
        if self.extent_w > 0:
            w_context = self.extent_action(self.extent_w, self.extent_h)
            self.extent_w = self.extent_h = 0
            self.action_is_dialog = False
        else:
            w_context = self.dialog_action()
            self.dialog_wanted = False
            self.action_is_dialog = True
        if w_context is None:
            return hooks.CONTINUE
        self.start_process(w_context)
        return hooks.SWITCH

    def is_ui_process(self, w_process):
        w_assoc = self.w_ui_manager_assoc
        if self.ui_process_index >= 0 and isinstance(w_assoc, W_PointersObject):
            w_manager = w_assoc.fetch(self.space, constants.ASSOCIATION_VALUE)
            if (isinstance(w_manager, W_PointersObject) and
                    w_manager.size() > self.ui_process_index):
                return w_manager.fetch_field(self.ui_process_index) is w_process
        return self.ioc.scheduler.priority_of(w_process) == UI_PRIORITY

    def dialog_action(self):
        """ScreenController new quit."""
        w_assoc = self.space.find_global_association('ScreenController')
        if w_assoc is None or 'new' not in self.symbols or 'quit' not in self.symbols:
            return None
        return self.action_context([w_assoc, self.symbols['new'], self.symbols['quit']],
                                   [64, 209, 210, 124], 'closeWindow')

    def extent_action(self, width, height):
        """DisplayScreen displayExtent: width @ height."""
        w_assoc = self.space.find_global_association('DisplayScreen')
        if w_assoc is None or 'displayExtent:' not in self.symbols:
            return None
        return self.action_context([w_assoc, self.space.wrap_point(width, height),
                                    self.symbols['displayExtent:']],
                                   [64, 33, 226, 124], 'displayExtent')

    def action_context(self, literals, code, name):
        """A context of a method of these literals and bytecodes, returning to
        a bottom context that terminates its process."""
        space = self.space
        if 'terminateActive' not in self.symbols:
            return None
        w_bottom = W_Context.method_context(
            space, make_method(space, [space.w_scheduler_association,
                                       self.symbols['terminateActive']],
                               [64, 209, 135, 124], 'endAction'),
            space.w_nil, space.w_nil)
        self.w_action_bottom = w_bottom
        return W_Context.method_context(space, make_method(space, literals, code, name),
                                        space.w_nil, w_bottom)

    def start_process(self, w_context):
        space = self.space
        w_process_class = space.find_global('Process')
        assert isinstance(w_process_class, W_PointersObject)
        w_process = space.instantiate(w_process_class, 0)
        w_process.store(space, constants.PROCESS_PRIORITY, space.wrap_int(ACTION_PRIORITY))
        w_process.store(space, constants.PROCESS_SUSPENDED_CONTEXT, w_context)
        self.w_action = w_process
        self.ioc.scheduler.resume(w_process)

    # -- the clipboard ----------------------------------------------------------------
    @jit.dont_look_inside
    def note_copy(self):
        if self.display is None or self.w_selection_assoc is None:
            return
        self.w_selection_before = self.w_selection_assoc.fetch(
            self.space, constants.ASSOCIATION_VALUE)
        self.export_pending = True

    def export_selection(self):
        """After a copy or cut: once CurrentSelection changed, its text to the host."""
        assert self.w_selection_assoc is not None
        w_text = self.w_selection_assoc.fetch(self.space, constants.ASSOCIATION_VALUE)
        if w_text is self.w_selection_before:
            return                              # the copy has not finished yet
        self.export_pending = False
        self.w_selection_before = None
        chars = text_string(w_text)
        if chars:
            self.host_text = image_to_host(chars)
            self.exchanged = True
            self.display.set_clipboard(self.host_text)

    @jit.dont_look_inside
    def paste_host_text(self):
        if self.display is None or self.w_selection_assoc is None:
            return
        text = self.display.get_clipboard()
        if not text or (self.exchanged and text == self.host_text):
            return
        self.host_text = text
        self.exchanged = True
        w_text = self.new_text(host_to_image(text))
        if w_text is not None:
            self.w_selection_assoc.store(self.space, constants.ASSOCIATION_VALUE, w_text)

    def new_text(self, chars):
        """Text string: chars emphasis: 1 (a Text and its RunArray, made here)."""
        space = self.space
        w_text_class = space.find_global('Text')
        w_runs_class = space.find_global('RunArray')
        if not isinstance(w_text_class, W_PointersObject) or not isinstance(
                w_runs_class, W_PointersObject):
            return None
        w_text = space.instantiate(w_text_class, 0)
        w_runs = space.instantiate(w_runs_class, 0)
        if not (isinstance(w_text, W_PointersObject) and w_text.size() == 2 and
                isinstance(w_runs, W_PointersObject) and w_runs.size() == 2):
            return None
        w_runs.store(space, 0, space.wrap_list([space.wrap_int(len(chars))]))
        w_runs.store(space, 1, space.wrap_list([space.wrap_int(TEXT_EMPHASIS)]))
        w_text.store(space, 0, space.wrap_string(chars))
        w_text.store(space, 1, w_runs)
        return w_text


# -- reading the image ------------------------------------------------------------------
def find_method(space, w_class, selector):
    """The method for selector in w_class's own method dictionary, or None."""
    if not isinstance(w_class, W_PointersObject):
        return None
    w_dict = w_class.fetch(space, constants.CLASS_METHODDICT)
    if not isinstance(w_dict, W_PointersObject):
        return None
    w_values = w_dict.fetch(space, constants.METHODDICT_VALUES)
    for i in range(constants.METHODDICT_SELECTOR_START, w_dict.size()):
        w_key = w_dict.fetch(space, i)
        if isinstance(w_key, W_BytesObject) and w_key.as_string() == selector:
            w_method = w_values.fetch(space, i - constants.METHODDICT_SELECTOR_START)
            if isinstance(w_method, W_CompiledMethod):
                return w_method
    return None


def literal_variable(space, w_method, name):
    """The Association of a global or class variable that w_method uses."""
    for w_lit in w_method.literals:
        if isinstance(w_lit, W_PointersObject) and w_lit.size() == 2:
            w_key = w_lit.fetch_field(constants.ASSOCIATION_KEY)
            if isinstance(w_key, W_BytesObject) and w_key.as_string() == name:
                return w_lit
    return None


def text_string(w_text):
    """The characters of a Text (its string), or ''."""
    if not isinstance(w_text, W_PointersObject) or w_text.size() < 1:
        return ''
    w_string = w_text.fetch_field(0)
    if isinstance(w_string, W_BytesObject):
        return w_string.as_string()
    return ''


def make_method(space, literals, code, name):
    w_method = W_CompiledMethod(space.w_CompiledMethod, len(literals), literals,
                                ''.join([chr(b) for b in code]) + '\x00\x00\x00')
    w_method.lookup_class = 'st80'
    w_method.lookup_selector = name
    return w_method
