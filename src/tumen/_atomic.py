"""Write a file atomically: to a temporary file beside it, then move it into place.

A reader (or a crash half-way) never sees half a file: the target either keeps its old
content or gets the whole new one, because :func:`os.replace` is atomic on one file system.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_file_atomically"]


def write_file_atomically(target: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` for a temporary path beside ``target``, then move it into place.

    Parameters
    ----------
    target : str or Path
        File to create or replace. Its folder is created if needed.
    write : callable
        Writes the whole content to the temporary path it is given.

    Returns
    -------
    Path
        ``target``.

    Examples
    --------
    >>> from pathlib import Path
    >>> write_file_atomically("out.txt", lambda tmp: tmp.write_text("done"))  # doctest: +SKIP
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
