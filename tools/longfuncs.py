"""List the functions longer than a limit (default 80 lines) in the given
Python files and directories: `python tools/longfuncs.py [--max N] PATH...`;
exit 1 if there is any."""

import ast
import os
import sys


def python_files(path):
    if not os.path.isdir(path):
        return [path]
    found = []
    for folder, dirs, files in os.walk(path):
        found += [os.path.join(folder, f) for f in sorted(files) if f.endswith('.py')]
    return found


def long_functions(path, limit):
    tree = ast.parse(open(path).read(), path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            last = max(getattr(n, 'lineno', node.lineno) for n in ast.walk(node))
            length = last - node.lineno + 1
            if length > limit:
                found.append((path, node.lineno, node.name, length))
    return found


def main(argv):
    limit = 80
    paths = argv[1:]
    if paths[:1] == ['--max']:
        limit = int(paths[1])
        paths = paths[2:]
    found = []
    for path in paths:
        for name in python_files(path):
            found += long_functions(name, limit)
    for path, line, name, length in found:
        print('%s:%d: %s is %d lines (at most %d)' % (path, line, name, length, limit))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
