"""Exceptions used across the VM."""


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
