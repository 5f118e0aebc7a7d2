"""spyvm/context.py: how contexts are made, read and seen by the image."""

from spyvm import constants
from spyvm.context import W_Context


def test_a_method_context_is_ready_to_run(boot, space):
    w_method = boot.method([112, 124], tempcount=3)
    w_rcvr = space.wrap_int(5)
    w_sender = W_Context(space.w_MethodContext, 12, space.w_nil)
    w_ctx = W_Context.method_context(space, w_method, w_rcvr, w_sender)
    assert w_ctx.getclass(space) is space.w_MethodContext and not w_ctx.is_block()
    assert w_ctx.method() is w_method and w_ctx.receiver() is w_rcvr
    assert w_ctx.home() is w_ctx and w_ctx.w_sender is w_sender
    assert w_ctx.ip == w_method.initial_ip() and not w_ctx.ip_is_nil
    assert w_ctx.sp == 3 and w_ctx.stacksize() == 12
    assert w_ctx.nheaptemps == 0
    assert w_ctx.fetch(space, constants.CTX_METHOD) is w_method
    assert w_ctx.fetch(space, constants.CTX_RECEIVER) is w_rcvr
    assert w_ctx.fetch(space, constants.CTX_TEMP_FRAME_START) is space.w_nil


def test_a_method_that_makes_blocks_keeps_its_temps_apart(boot, space):
    w_method = boot.method([137, 124], tempcount=2)
    w_ctx = W_Context.method_context(space, w_method, space.w_nil, space.w_nil)
    assert w_ctx.nheaptemps == 2
    w_ctx.settemp(1, space.wrap_int(8))
    w_ctx.push(space.wrap_int(9))                   # the stack starts after the temps
    start = constants.CTX_TEMP_FRAME_START
    assert [w_ctx.fetch(space, start + i).value for i in (1, 2)] == [8, 9]
    # The image moves the stack pointer into the temps: one array again.
    w_ctx.store(space, constants.CTX_SP, space.wrap_int(1))
    assert w_ctx.nheaptemps == 0 and w_ctx.temp(1).value == 8


def test_a_block_context_reads_its_home(boot, space):
    w_method = boot.method([137, 124], tempcount=1)
    w_rcvr = space.wrap_int(3)
    w_home = W_Context.method_context(space, w_method, w_rcvr, space.w_nil)
    w_block = W_Context.block_context(space, w_home, 2, 20)
    assert w_block.is_block() and w_block.block_argcount() == 2
    assert w_block.home() is w_home and w_block.method() is w_method
    assert w_block.receiver() is w_rcvr and w_block.stacksize() == w_home.stacksize()
    assert (w_block.ip, w_block.sp) == (20, 0)
    assert w_block.fetch(space, constants.BLOCK_INITIAL_IP).value == 20
    assert w_block.fetch(space, constants.BLOCK_HOME) is w_home


def test_start_block_takes_the_arguments_or_changes_nothing(boot, space):
    w_home = W_Context.method_context(space, boot.method([124]), space.w_nil, space.w_nil)
    w_block = W_Context.block_context(space, w_home, 1, 30)
    w_block.set_ip(-1)                              # a block that ran before
    w_caller = W_Context.method_context(space, boot.method([124]), space.w_nil, space.w_nil)
    for w in (w_block, space.wrap_int(4)):
        w_caller.push(w)
    assert not w_block.start_block(w_caller, [], 1)           # one argument expected
    assert w_caller.sp == 2 and w_block.ip_is_nil
    assert w_block.start_block(w_caller, [space.wrap_int(4)], 2)
    assert w_caller.sp == 0 and w_block.w_sender is w_caller
    assert (w_block.ip, w_block.sp, w_block.temp(0).value) == (30, 1, 4)


def test_fields_as_the_image_sees_them(space):
    w_ctx = W_Context(space.w_MethodContext, 4, space.w_nil)
    assert w_ctx.size() == constants.CTX_TEMP_FRAME_START + 4
    assert w_ctx.fetch(space, constants.CTX_IP) is space.w_nil
    w_ctx.store(space, constants.CTX_IP, space.wrap_int(7))
    assert w_ctx.ip == 7 and not w_ctx.ip_is_nil
    w_ctx.store(space, constants.CTX_IP, space.w_nil)
    assert w_ctx.ip_is_nil
    for index, w_value in [(constants.CTX_SP, space.wrap_int(5)),      # past the stack
                           (constants.CTX_SP, space.wrap_int(-1)),
                           (constants.CTX_IP, space.w_true),
                           (constants.CTX_TEMP_FRAME_START + 4, space.w_nil)]:
        try:
            w_ctx.store(space, index, w_value)
            assert False, 'store %d should fail' % index
        except Exception as e:
            assert type(e).__name__ == 'PrimitiveFailedError'


def test_from_image_fields_and_pointers(boot, space):
    w_method = boot.method([124])
    fields = [space.w_nil, space.wrap_int(9), space.wrap_int(1), w_method,
              space.w_nil, space.w_true, space.wrap_int(42), space.w_false]
    w_ctx = W_Context(space.w_MethodContext, 2, space.w_nil)
    w_ctx.from_image_fields(space, fields)
    assert (w_ctx.ip, w_ctx.sp) == (9, 1)
    assert w_ctx.method() is w_method and w_ctx.receiver() is space.w_true
    assert w_ctx.temp(0).value == 42 and w_ctx.temp(1) is space.w_false
    assert w_ctx.pointers()[:4] == [space.w_nil, w_method, space.w_nil, space.w_true]
    assert len(w_ctx.pointers()) == 6


def test_become_only_between_contexts_of_one_size(boot, space):
    w_method = boot.method([124])
    w_a = W_Context.method_context(space, w_method, space.wrap_int(1), space.w_nil)
    w_b = W_Context.method_context(space, w_method, space.wrap_int(2), space.w_nil)
    assert w_a.become(w_b) and w_a.receiver().value == 2 and w_b.receiver().value == 1
    w_big = W_Context(space.w_MethodContext, 32, space.w_nil)
    assert not w_a.become(w_big)


def test_field_3_decides_block_or_method_whoever_writes_it(boot, space):
    w_method = boot.method([124])
    w_home = W_Context.method_context(space, w_method, space.wrap_int(1), space.w_nil)
    w_block = W_Context.block_context(space, w_home, 0, 20)
    # the image's store: a SmallInteger makes a block, a method a method context
    w_home.store(space, constants.CTX_METHOD, space.wrap_int(0))
    assert w_home.is_block() and w_home.home_or_none() is None
    w_home.store(space, constants.CTX_METHOD, w_method)
    assert not w_home.is_block() and w_block.home() is w_home
    # become: trades the flag with the field
    w_other = W_Context.block_context(space, w_home, 0, 20)
    w_twin = W_Context.method_context(space, w_method, space.w_nil, space.w_nil)
    assert w_other.stacksize() == w_twin.stacksize()
    assert w_other.become(w_twin)
    assert not w_other.is_block() and w_twin.is_block()
    # the loader
    w_loaded = W_Context(space.w_BlockContext, 4, space.w_nil)
    fields = [space.w_nil] * constants.CTX_TEMP_FRAME_START
    fields[constants.CTX_METHOD] = space.wrap_int(1)
    w_loaded.from_image_fields(space, fields)
    assert w_loaded.is_block()
