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
