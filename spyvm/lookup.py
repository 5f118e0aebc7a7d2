"""Method lookup and the method cache (Blue Book chapter 27, "Message Dictionaries").

findNewMethodInClass is what a send calls: an elidable function of the class,
the selector and two quasi-immutable versions, so that in JIT code a send to a
known class folds to the method it finds. The versions are the selector's own
(replaced when what sending it finds changes: only the traces that send it are
thrown away) and the object space's (replaced when anything may have changed,
a class's superclass say: all lookups go).

Outside JIT code, the Blue Book's direct-mapped method cache sits in front of
a dict of every (class, selector) looked up since the last full flush.

flushCache is the one flush: after the image changed a method dictionary or a
class (primitive 89, become: of a class or a dictionary), it compares the
classes that lookups have read with snapshots of them, and invalidates just the
selectors whose lookup now finds something else.
"""

from rpython.rlib import debug, jit, objectmodel
from spyvm import constants
from spyvm.model import W_PointersObject, W_CompiledMethod, W_BytesObject, LookupVersion

METHOD_CACHE_SIZE = 1024        # a power of 2
MAX_HIERARCHY_DEPTH = 1000      # a deeper superclass chain is a loop


def invalidate_all_lookups(space):
    """Everything a lookup may find has changed: all JIT code that sends goes."""
    space.lookup_version = LookupVersion()


def method_at(w_dict, i):
    """The method beside the selector in slot i of a MethodDictionary, or None."""
    w_values = w_dict.fetch_field(constants.METHODDICT_VALUES)
    j = i - constants.METHODDICT_SELECTOR_START
    if isinstance(w_values, W_PointersObject) and 0 <= j < w_values.size():
        return w_values.fetch_field(j)
    return None


class ClassSnapshot(object):
    """What a class's lookups depend on, as last seen: its superclass, its
    MethodDictionary and the dictionary's selectors and methods."""

    def __init__(self, w_class):
        self.w_superclass = w_class.fetch_field(constants.CLASS_SUPERCLASS)
        self.selectors_w = []
        self.methods_w = []
        w_dict = w_class.fetch_field(constants.CLASS_METHODDICT)
        if isinstance(w_dict, W_PointersObject):
            for i in range(constants.METHODDICT_SELECTOR_START, w_dict.size()):
                self.selectors_w.append(w_dict.fetch_field(i))
                self.methods_w.append(method_at(w_dict, i))

    def is_current(self, w_class):
        """The class and its dictionary are as recorded (the common case: a
        flush after a change elsewhere; nothing is allocated to find out)."""
        if w_class.fetch_field(constants.CLASS_SUPERCLASS) is not self.w_superclass:
            return False
        w_dict = w_class.fetch_field(constants.CLASS_METHODDICT)
        if not isinstance(w_dict, W_PointersObject):
            return len(self.selectors_w) == 0
        start = constants.METHODDICT_SELECTOR_START
        if w_dict.size() - start != len(self.selectors_w):
            return False
        for i in range(start, w_dict.size()):
            j = i - start
            if (w_dict.fetch_field(i) is not self.selectors_w[j] or
                    method_at(w_dict, i) is not self.methods_w[j]):
                return False
        return True

    def changed_selectors(self, now, changed):
        """Add to `changed` each selector whose method differs in `now`."""
        mine = {}
        for i in range(len(self.selectors_w)):
            mine[self.selectors_w[i]] = self.methods_w[i]
        theirs = {}
        for i in range(len(now.selectors_w)):
            theirs[now.selectors_w[i]] = now.methods_w[i]
        for w_selector, w_method in mine.items():
            if theirs.get(w_selector, None) is not w_method:
                changed[w_selector] = None
        for w_selector, w_method in theirs.items():
            if mine.get(w_selector, None) is not w_method:
                changed[w_selector] = None


class MethodLookup(object):
    _immutable_fields_ = ['space']

    def __init__(self, space):
        self.space = space
        self.method_cache = {}       # (class, selector) -> method or None
        # In front of it, the Blue Book's method cache: a direct-mapped table
        # indexed by a hash of class and selector, far cheaper than a dict
        # lookup with tuple keys (docs/JIT.md, "Method lookup").
        self.cache_classes = [None] * METHOD_CACHE_SIZE
        self.cache_selectors = [None] * METHOD_CACHE_SIZE
        self.cache_methods = [None] * METHOD_CACHE_SIZE
        self.class_snapshots = {}    # class -> ClassSnapshot, for each class lookups read
        self.cached_version = None   # the space's lookup version the caches belong to

    def findNewMethodInClass(self, w_class, w_selector):
        """The method a send of w_selector to an instance of w_class runs, or
        None (the sender then builds the doesNotUnderstand: message)."""
        w_class = jit.promote(w_class)
        selector_version = None
        if isinstance(w_selector, W_BytesObject):
            selector_version = w_selector.lookup_version
        return self._find(w_class, w_selector, self.space.lookup_version, selector_version)

    @jit.elidable
    def _find(self, w_class, w_selector, version, selector_version):
        if version is not self.cached_version:
            self.method_cache = {}
            self.class_snapshots = {}
            for i in range(METHOD_CACHE_SIZE):
                self._clear_slot(i)
            self.cached_version = version
        i = (objectmodel.compute_identity_hash(w_class) ^
             objectmodel.compute_identity_hash(w_selector)) & (METHOD_CACHE_SIZE - 1)
        if self.cache_classes[i] is w_class and self.cache_selectors[i] is w_selector:
            return self.cache_methods[i]
        key = (w_class, w_selector)
        try:
            w_method = self.method_cache[key]
        except KeyError:
            w_method = self.lookupMethodInClass(w_class, w_selector)
            self.method_cache[key] = w_method
        self.cache_classes[i] = w_class
        self.cache_selectors[i] = w_selector
        self.cache_methods[i] = w_method
        return w_method

    def _clear_slot(self, i):
        self.cache_classes[i] = None
        self.cache_selectors[i] = None
        self.cache_methods[i] = None

    def lookupMethodInClass(self, w_class, w_selector):
        """Walk the superclass chain, searching each MethodDictionary.
        (Direct field access only: this runs inside the elidable lookup.)"""
        space = self.space
        depth = 0
        while isinstance(w_class, W_PointersObject) and w_class is not space.w_nil:
            depth += 1
            if w_class.size() <= constants.CLASS_FORMAT or depth > MAX_HIERARCHY_DEPTH:
                break           # not a class, or a superclass chain in a loop
            if w_class not in self.class_snapshots:
                self.class_snapshots[w_class] = ClassSnapshot(w_class)
            w_dict = w_class.fetch_field(constants.CLASS_METHODDICT)
            if isinstance(w_dict, W_PointersObject):
                w_method = self.lookupMethodInDictionary(w_dict, w_selector)
                if w_method is not None:
                    if not w_method.lookup_selector and isinstance(w_selector, W_BytesObject):
                        w_method.lookup_selector = w_selector.as_string()
                        w_method.lookup_class = space.class_name(w_class)
                    return w_method
            w_class = w_class.fetch_field(constants.CLASS_SUPERCLASS)
        return None

    def lookupMethodInDictionary(self, w_dict, w_selector):
        """Identity search of the selector keys; the value Array holds the methods."""
        for i in range(constants.METHODDICT_SELECTOR_START, w_dict.size()):
            if w_dict.fetch_field(i) is w_selector:
                w_method = method_at(w_dict, i)
                if isinstance(w_method, W_CompiledMethod):
                    return w_method
                return None
        return None

    @jit.dont_look_inside
    def flushCache(self, reason):
        """Blue Book flushCache, after the image changed a method dictionary or
        a class: find what changed in the classes lookups have read, and
        invalidate only the selectors whose lookups find something else now."""
        changed = {}
        for w_class, snapshot in self.class_snapshots.items():
            if snapshot.is_current(w_class):
                continue
            now = ClassSnapshot(w_class)
            if now.w_superclass is not snapshot.w_superclass:
                invalidate_all_lookups(self.space)
                self.log_flush(reason, 'everything')
                return
            snapshot.changed_selectors(now, changed)
            self.class_snapshots[w_class] = now
        if not changed:
            return
        for key in self.method_cache.keys():
            if key[1] in changed:
                del self.method_cache[key]
        for i in range(METHOD_CACHE_SIZE):
            w_cached = self.cache_selectors[i]
            if w_cached is not None and w_cached in changed:
                self._clear_slot(i)
        for w_selector in changed:
            if isinstance(w_selector, W_BytesObject):
                w_selector.lookup_version = LookupVersion()
                self.log_flush(reason, '#' + w_selector.as_string())

    def log_flush(self, reason, what):
        """PYPYLOG=st80-flush: why JIT code was thrown away."""
        if objectmodel.we_are_translated():
            debug.debug_start('st80-flush')
            debug.debug_print(reason, 'changed the lookup of', what)
            debug.debug_stop('st80-flush')
