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
    """Write data to path.tmp, then rename it to path, so that path is at every
    moment the old file or the new one, whole (a kill -9 included); with
    keep_backup the old one is also kept as path.bak (a hard link, made before
    the rename). Raises FileError with the host's reason; the old file is then
    as it was."""
    tmp = path + '.tmp'
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0644)
    except OSError as e:
        raise FileError('cannot create %s: %s' % (tmp, os.strerror(e.errno)))
    try:
        try:
            pos = 0
            while pos < len(data):
                pos += os.write(fd, data[pos:])
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as e:
        _remove_quietly(tmp)
        raise FileError('cannot write %s: %s' % (tmp, os.strerror(e.errno)))
    if keep_backup and os.path.exists(path):
        _remove_quietly(path + '.bak')
        try:
            os.link(path, path + '.bak')
        except OSError:
            pass            # no backup where links are not supported; path is safe
    try:
        os.rename(tmp, path)
    except OSError as e:
        _remove_quietly(tmp)
        raise FileError('cannot rename %s to %s: %s' % (tmp, path, os.strerror(e.errno)))


def _remove_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass
