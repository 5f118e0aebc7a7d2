"""Reading and writing whole files (images, sources, screenshots, snapshots)."""

import os


class FileError(Exception):
    """What went wrong, as the end of a message: 'cannot open the file'."""
    _attrs_ = ['msg']

    def __init__(self, msg):
        self.msg = msg


def read_file(path):
    """The whole file as a string."""
    try:
        fd = os.open(path, os.O_RDONLY, 0)
    except OSError:
        raise FileError('cannot open the file')
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                raise FileError('cannot read the file (is it a directory?)')
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(fd)
    return ''.join(chunks)


def write_file_atomically(path, data, keep_backup):
    """Write data to path.tmp, then rename it to path, so that path is never
    half written; with keep_backup an existing path is kept as path.bak.
    False if it cannot be written (nothing of the user's is lost then)."""
    tmp = path + '.tmp'
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0644)
        try:
            pos = 0
            while pos < len(data):
                pos += os.write(fd, data[pos:])
            os.fsync(fd)
        finally:
            os.close(fd)
        if keep_backup and os.path.exists(path):
            os.rename(path, path + '.bak')
        os.rename(tmp, path)
    except OSError:
        return False
    return True
