"""The interpreter's seams for what drives it from outside.

The interpreter knows nothing of headless evaluation (spyvm/headless.py) or of
any other driver. It calls one Hooks object at three seams, and a MethodHook
where a driver has put one on a CompiledMethod:

  returned_to     a return reached a context that is not on the host stack
                  (a driver's bottom context, say): the driver may take over
  bound_reached   the run reached its bound of bytecodes (--cycles)
  poll            the periodic check of input and timer (at most once a ms)
  low_space       the VM signalled the image's low-space semaphore for memory
  MethodHook.run  a hooked method is about to execute: let it run, answer
                  its receiver instead, or run it and then switch processes

Two drivers can run at once (Both, add_method_hook): st80's first-boot work
before the desktop.
"""

# What MethodHook.run answers.
CONTINUE = 0            # run the method as usual
ANSWER_RECEIVER = 1     # skip it, answering the receiver
SWITCH = 2              # run it, then switch to the process the hook resumed


class MethodHook(object):
    """Put on a CompiledMethod (its `hook` field) by a driver."""
    _attrs_ = []

    def run(self, interp, args_w):
        """args_w: the receiver, then the arguments."""
        return CONTINUE


class Hooks(object):
    """No driver: every seam does nothing."""
    _attrs_ = []

    def returned_to(self, interp, w_target, w_value):
        """A context to continue with instead of w_target, or None."""
        return None

    def bound_reached(self, interp, what):
        pass

    def poll(self, interp):
        pass

    def low_space(self, interp):
        pass


class BothMethodHooks(MethodHook):
    """Two drivers' hooks on one method: the first's answer to skip the
    method wins; either's switch is a switch."""
    _attrs_ = ['first', 'second']

    def __init__(self, first, second):
        self.first = first
        self.second = second

    def run(self, interp, args_w):
        action = self.first.run(interp, args_w)
        if action == ANSWER_RECEIVER:
            return action
        other = self.second.run(interp, args_w)
        if other == CONTINUE:
            return action
        return other


def add_method_hook(w_method, hook):
    """Put a driver's hook on a method, beside one that is there already."""
    if w_method.hook is None:
        w_method.hook = hook
    else:
        w_method.hook = BothMethodHooks(w_method.hook, hook)


class Both(Hooks):
    """Two drivers at once: st80's first-boot work (spyvm/headless.py) before
    the desktop's (spyvm/desktop.py). Each seam goes to both."""
    _attrs_ = ['first', 'second']

    def __init__(self, first, second):
        self.first = first
        self.second = second

    def returned_to(self, interp, w_target, w_value):
        w_next = self.first.returned_to(interp, w_target, w_value)
        if w_next is not None:
            return w_next
        return self.second.returned_to(interp, w_target, w_value)

    def bound_reached(self, interp, what):
        self.first.bound_reached(interp, what)
        self.second.bound_reached(interp, what)

    def poll(self, interp):
        self.first.poll(interp)
        self.second.poll(interp)

    def low_space(self, interp):
        self.first.low_space(interp)
        self.second.low_space(interp)
