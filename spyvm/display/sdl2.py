"""A minimal rffi binding to SDL2: the only module of st80 that touches SDL or rffi.

Works translated (C calls) and untranslated (ll2ctypes; the first call compiles a
small helper library, a few seconds).  Importing this module runs the C compiler
once (rffi_platform.configure, cached afterwards) to learn the constants and the
real layouts of the event structs; it does not load libSDL2 -- only the first call
does.  So a process that uses pygame may import it, as long as it never calls it.

Raises ImportError (or a CompilationError) when SDL2's headers are missing.
"""

from rpython.rtyper.lltypesystem import lltype, rffi
from rpython.rtyper.tool import rffi_platform as platform
from rpython.translator.tool.cbuild import ExternalCompilationInfo

# sdl2-config gives -I/usr/include/SDL2 -D_REENTRANT -lSDL2.
eci = ExternalCompilationInfo.from_config_tool('sdl2-config').merge(
    ExternalCompilationInfo(includes=['SDL.h']))

INT_CONSTANTS = [
    'SDL_INIT_VIDEO', 'SDL_WINDOWPOS_CENTERED', 'SDL_WINDOW_SHOWN', 'SDL_WINDOW_RESIZABLE',
    'SDL_RENDERER_SOFTWARE', 'SDL_PIXELFORMAT_ARGB8888', 'SDL_TEXTUREACCESS_STREAMING',
    # event types
    'SDL_QUIT', 'SDL_WINDOWEVENT', 'SDL_KEYDOWN', 'SDL_KEYUP', 'SDL_TEXTINPUT',
    'SDL_MOUSEMOTION', 'SDL_MOUSEBUTTONDOWN', 'SDL_MOUSEBUTTONUP', 'SDL_USEREVENT',
    'SDL_WINDOWEVENT_EXPOSED', 'SDL_WINDOWEVENT_CLOSE', 'SDL_WINDOWEVENT_RESIZED',
    'SDL_BUTTON_LEFT', 'SDL_BUTTON_MIDDLE', 'SDL_BUTTON_RIGHT',
    'SDL_PRESSED', 'SDL_RELEASED', 'SDL_ENABLE', 'SDL_DISABLE',
    # keys and modifiers: base.py hardcodes these (they are SDL's stable ABI);
    # tests/test_display.py checks that both agree.
    'KMOD_LSHIFT', 'KMOD_RSHIFT', 'KMOD_LCTRL', 'KMOD_RCTRL', 'KMOD_LALT', 'KMOD_RALT',
    'KMOD_LGUI', 'KMOD_RGUI', 'KMOD_CAPS',
    'SDLK_BACKSPACE', 'SDLK_TAB', 'SDLK_RETURN', 'SDLK_ESCAPE', 'SDLK_DELETE',
    'SDLK_KP_ENTER', 'SDLK_LSHIFT', 'SDLK_RSHIFT', 'SDLK_LCTRL', 'SDLK_RCTRL',
    'SDLK_CAPSLOCK',
]


class CConfig:
    _compilation_info_ = eci
    # Only the fields we read; configure() finds the real offsets, sizes and padding.
    SDL_Event = platform.Struct('SDL_Event', [('type', rffi.UINT)])
    SDL_Keysym = platform.Struct('SDL_Keysym', [('sym', rffi.INT), ('mod', rffi.USHORT)])
    SDL_KeyboardEvent = platform.Struct('SDL_KeyboardEvent', [
        ('type', rffi.UINT), ('timestamp', rffi.UINT), ('state', rffi.UCHAR),
        ('repeat', rffi.UCHAR), ('keysym', SDL_Keysym)])
    SDL_MouseMotionEvent = platform.Struct('SDL_MouseMotionEvent', [
        ('type', rffi.UINT), ('timestamp', rffi.UINT), ('x', rffi.INT), ('y', rffi.INT)])
    SDL_MouseButtonEvent = platform.Struct('SDL_MouseButtonEvent', [
        ('type', rffi.UINT), ('timestamp', rffi.UINT), ('button', rffi.UCHAR),
        ('x', rffi.INT), ('y', rffi.INT)])
    SDL_TextInputEvent = platform.Struct('SDL_TextInputEvent', [
        ('type', rffi.UINT), ('timestamp', rffi.UINT),
        ('text', rffi.CFixedArray(rffi.CHAR, 32))])
    SDL_WindowEvent = platform.Struct('SDL_WindowEvent', [
        ('type', rffi.UINT), ('event', rffi.UCHAR), ('data1', rffi.INT), ('data2', rffi.INT)])
    SDL_Rect = platform.Struct('SDL_Rect', [
        ('x', rffi.INT), ('y', rffi.INT), ('w', rffi.INT), ('h', rffi.INT)])


for _name in INT_CONSTANTS:
    setattr(CConfig, _name, platform.ConstantInteger(_name))

_config = platform.configure(CConfig)
for _name in INT_CONSTANTS:
    globals()[_name[4:] if _name.startswith('SDL_') else _name] = _config[_name]
# e.g. INIT_VIDEO, QUIT, KEYDOWN, BUTTON_LEFT, KMOD_LSHIFT, SDLK_RETURN

Event = _config['SDL_Event']
EventPtr = lltype.Ptr(Event)
KeyboardEventPtr = lltype.Ptr(_config['SDL_KeyboardEvent'])
MouseMotionEventPtr = lltype.Ptr(_config['SDL_MouseMotionEvent'])
MouseButtonEventPtr = lltype.Ptr(_config['SDL_MouseButtonEvent'])
TextInputEventPtr = lltype.Ptr(_config['SDL_TextInputEvent'])
WindowEventPtr = lltype.Ptr(_config['SDL_WindowEvent'])
Rect = _config['SDL_Rect']
RectPtr = lltype.Ptr(Rect)

# Opaque handles.
WindowPtr = rffi.COpaquePtr('SDL_Window')
RendererPtr = rffi.COpaquePtr('SDL_Renderer')
TexturePtr = rffi.COpaquePtr('SDL_Texture')
CursorPtr = rffi.COpaquePtr('SDL_Cursor')
UCHARP = rffi.CArrayPtr(rffi.UCHAR)


def external(name, args, result):
    # releasegil=False: the VM is single-threaded and SDL calls are short.
    return rffi.llexternal(name, args, result, compilation_info=eci, releasegil=False)


Init = external('SDL_Init', [rffi.UINT], rffi.INT)
Quit = external('SDL_Quit', [], lltype.Void)
GetError = external('SDL_GetError', [], rffi.CCHARP)
SetHint = external('SDL_SetHint', [rffi.CCHARP, rffi.CCHARP], rffi.INT)
CreateWindow = external('SDL_CreateWindow',
                        [rffi.CCHARP, rffi.INT, rffi.INT, rffi.INT, rffi.INT, rffi.UINT],
                        WindowPtr)
DestroyWindow = external('SDL_DestroyWindow', [WindowPtr], lltype.Void)
SetWindowTitle = external('SDL_SetWindowTitle', [WindowPtr, rffi.CCHARP], lltype.Void)
SetWindowSize = external('SDL_SetWindowSize', [WindowPtr, rffi.INT, rffi.INT], lltype.Void)
GetWindowSize = external('SDL_GetWindowSize', [WindowPtr, rffi.INTP, rffi.INTP], lltype.Void)
SetWindowPosition = external('SDL_SetWindowPosition', [WindowPtr, rffi.INT, rffi.INT],
                             lltype.Void)
CreateRenderer = external('SDL_CreateRenderer', [WindowPtr, rffi.INT, rffi.UINT], RendererPtr)
DestroyRenderer = external('SDL_DestroyRenderer', [RendererPtr], lltype.Void)
CreateTexture = external('SDL_CreateTexture',
                         [RendererPtr, rffi.UINT, rffi.INT, rffi.INT, rffi.INT], TexturePtr)
DestroyTexture = external('SDL_DestroyTexture', [TexturePtr], lltype.Void)
UpdateTexture = external('SDL_UpdateTexture',
                         [TexturePtr, RectPtr, rffi.VOIDP, rffi.INT], rffi.INT)
SetRenderDrawColor = external('SDL_SetRenderDrawColor',
                              [RendererPtr, rffi.UCHAR, rffi.UCHAR, rffi.UCHAR, rffi.UCHAR],
                              rffi.INT)
RenderClear = external('SDL_RenderClear', [RendererPtr], rffi.INT)
RenderCopy = external('SDL_RenderCopy', [RendererPtr, TexturePtr, RectPtr, RectPtr], rffi.INT)
RenderPresent = external('SDL_RenderPresent', [RendererPtr], lltype.Void)
PollEvent = external('SDL_PollEvent', [EventPtr], rffi.INT)
PushEvent = external('SDL_PushEvent', [EventPtr], rffi.INT)      # used by tests
WaitEventTimeout = external('SDL_WaitEventTimeout', [EventPtr, rffi.INT], rffi.INT)
GetTicks = external('SDL_GetTicks', [], rffi.UINT)
Delay = external('SDL_Delay', [rffi.UINT], lltype.Void)
WarpMouseInWindow = external('SDL_WarpMouseInWindow', [WindowPtr, rffi.INT, rffi.INT],
                             lltype.Void)
CreateCursor = external('SDL_CreateCursor',
                        [UCHARP, UCHARP, rffi.INT, rffi.INT, rffi.INT, rffi.INT], CursorPtr)
SetCursor = external('SDL_SetCursor', [CursorPtr], lltype.Void)
FreeCursor = external('SDL_FreeCursor', [CursorPtr], lltype.Void)
ShowCursor = external('SDL_ShowCursor', [rffi.INT], rffi.INT)
GetModState = external('SDL_GetModState', [], rffi.INT)
StartTextInput = external('SDL_StartTextInput', [], lltype.Void)
# The host clipboard (UTF-8). GetClipboardText answers memory to give back by free.
HasClipboardText = external('SDL_HasClipboardText', [], rffi.INT)
GetClipboardText = external('SDL_GetClipboardText', [], rffi.CCHARP)
SetClipboardText = external('SDL_SetClipboardText', [rffi.CCHARP], rffi.INT)
free = external('SDL_free', [rffi.VOIDP], lltype.Void)


def get_error():
    return rffi.charp2str(GetError())
