"""Writing files so that a crash never leaves half of one behind."""

import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path, data: bytes) -> Path:
    """Write data to path through a temporary file in the same folder and a rename.

    Until the rename the old file is untouched; after it the new one is whole.
    The file keeps the permissions of the one it replaces (new files get
    rw-r--r--: the temporary file starts owner-only). A symlink stays a
    symlink: its final target is what gets replaced, as editors do.
    Returns path as given.
    """
    path = Path(path)
    target = Path(os.path.realpath(path))  # path itself unless it is (or runs through) a link
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
    return path


def _mode_for(path):
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o644
