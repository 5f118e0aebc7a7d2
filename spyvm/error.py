"""Exceptions used across the VM."""

from rpython.rlib.objectmodel import dont_inline, specialize


class PrimitiveFailedError(Exception):
    """A primitive cannot do its work: the method's Smalltalk code runs instead."""
    _attrs_ = []


class ImageError(Exception):
    """The image file is unreadable, truncated, foreign or inconsistent."""
    _attrs_ = ['msg']

    def __init__(self, msg):
        self.msg = msg


class FatalError(Exception):
    """The VM cannot continue (for example no process is runnable)."""
    _attrs_ = ['msg']

    def __init__(self, msg):
        self.msg = msg


class Quit(Exception):
    """Primitive 113 (quit) or the end of a bounded run."""
    _attrs_ = ['status']

    def __init__(self, status=0):
        self.status = status


class Return(Exception):
    """A context returns w_value to w_target (its sender, or its home's
    sender) that is not the caller of its Python-level loop: raised by the
    interpreter, caught where the target's loop runs, or by the trampoline."""
    _attrs_ = ['w_value', 'w_target']

    def __init__(self, w_value, w_target):
        self.w_value = w_value
        self.w_target = w_target


class SwitchToContext(Exception):
    """Unwind the Python stack and continue with another context (a process
    switch, or a send nested too deeply to recurse on the host stack)."""
    _attrs_ = ['w_context']

    def __init__(self, w_context):
        self.w_context = w_context


class BytecodeError(Exception):
    """A bytecode cannot run: it refers past its method's literals, its
    context's temps or stack, or outside its method's bytecodes, or the context
    has no method. The process that runs it gets a Smalltalk error."""
    _attrs_ = ['msg']

    def __init__(self, msg):
        self.msg = msg


# Raised through these, so that the checks that may raise them stay small
# enough to be inlined in the interpreter (in JIT code the checks fold away).
@dont_inline
def bytecode_error(msg):
    raise BytecodeError(msg)


@specialize.arg(0)
@dont_inline
def bytecode_index_error(template, index):
    """template: a constant with one %d."""
    raise BytecodeError(template % index)
