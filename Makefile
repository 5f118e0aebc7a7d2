# st80: a Smalltalk-80 VM in RPython. `make run` and `make test` do all set-up.

VENV      := .venv27
PY        := $(VENV)/bin/python
SITE      := $(VENV)/lib/python2.7/site-packages
# PyPy translates faster than CPython; both work (HOST=cpython to switch).
HOST      ?= pypy
SOURCES   := targetst80.py $(shell find spyvm -name '*.py' 2>/dev/null) $(wildcard smalltalk/*.st)
ARGS      ?=
PYTEST    ?=

.PHONY: setup run run-untranslated test test-untranslated lint translate bench clean

setup:
	@bash tools/setup.sh

# The VM on the default image (translated: the untranslated VM is slow).
run: setup st80-c
	./st80-c $(ARGS)

run-untranslated: setup
	$(PY) targetst80.py $(ARGS)

translate: st80-c

st80-c: $(SOURCES) | setup
	@bash tools/translate.sh $(HOST)

# Everything: the lint, the untranslated suite and the tests of the translated binary.
test: setup lint st80-c
	$(PY) -m pytest -q --st80-binary=./st80-c $(PYTEST)

test-untranslated: setup lint
	$(PY) -m pytest -q $(PYTEST)

# pyflakes finds nothing, and no function in spyvm/ is over 80 lines.
lint: setup
	$(PY) -m pyflakes spyvm tools tests targetst80.py
	$(PY) tools/longfuncs.py spyvm

clean:
	rm -f st80-c
	find . -name '*.pyc' -delete

# Speed figures (not tests): bytecodes per second, medians, peak memory.
bench: setup st80-c
	$(PY) tools/bench.py $(BENCH_ARGS)
