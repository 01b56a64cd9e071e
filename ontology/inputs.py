"""Reading a file someone names (a document, sources.yaml, a layout): regular files only, bounded in
size, never from a kernel file system, and never echoed in an error.

A FIFO would hang the read, a device (``/dev/zero``) never end it, and a file under ``/proc`` or
``/sys`` is not data (``/proc/self/environ`` holds the environment, tokens included). Each is refused
by what it is, named by its path only.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from meakg.ontology.errors import MeakgError

MAX_INPUT_BYTES = 64 * 1024 * 1024  # a document of a few hundred pages is under 2 MB
VIRTUAL = ("proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs", "securityfs", "tracefs")
KINDS = {stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFIFO: "a FIFO",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder", stat.S_IFLNK: "a symbolic link"}


class InputError(MeakgError, OSError):
    """A named file cannot be read as data: missing, not a regular file, too large, or on a kernel file system."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = Path(path), problem   # what was expected and found, without the path

    def __reduce__(self) -> tuple[type[InputError], tuple[Path, str]]:
        return type(self), (self.path, self.problem)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def kind_of(path: Path) -> str:
    """Return what *path* names (symbolic links followed), in words: 'a regular file', 'a FIFO', 'nothing', ...

    >>> kind_of(Path("/dev/null")), kind_of(Path("/no/such/file"))
    ('a character device', 'nothing')
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "nothing" if not os.path.islink(path) else "a symbolic link to nothing"
    except OSError as err:
        return f"something unreadable ({err.strerror})"
    return "a regular file" if stat.S_ISREG(mode) else KINDS.get(stat.S_IFMT(mode), "not a regular file")


def virtual_mount(path: Path) -> tuple[Path, str] | None:
    """Return the kernel file system *path* lies on (its mount point and type), or None for an ordinary one.

    >>> virtual_mount(Path("/proc/self/environ"))
    (PosixPath('/proc'), 'proc')
    """
    mounts = _mounts()
    real = Path(os.path.realpath(path))
    best = max((m for m in mounts if real == m or m in real.parents), key=lambda m: len(m.parts), default=None)
    return (best, mounts[best]) if best is not None and mounts[best] in VIRTUAL else None


def read_input(path: Path, *, what: str = "a text file", limit: int = MAX_INPUT_BYTES) -> bytes:
    """Return the bytes of the regular file *path*; anything else is an InputError naming the path, not its content.

    >>> read_input(Path("/dev/zero"))
    Traceback (most recent call last):
    ...
    meakg.ontology.inputs.InputError: /dev/zero: expected a text file, found a character device
    """
    path = Path(path)
    found = kind_of(path)
    if found != "a regular file":
        raise InputError(path, f"expected {what}, found {found}")
    where = virtual_mount(path)
    if where is not None:
        raise InputError(path, f"expected {what}, found a file of the {where[1]} file system at {where[0]} (not data)")
    try:  # O_NONBLOCK: should the path be swapped for a FIFO after the check, opening it does not hang
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise InputError(path, f"expected {what}, found it unreadable ({err.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, f"expected {what}, found {KINDS.get(stat.S_IFMT(info.st_mode), 'not a file')}")
        if info.st_size > limit:
            raise InputError(path, f"expected {what} of at most {limit:,} bytes, found {info.st_size:,}")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(path, f"expected {what} of at most {limit:,} bytes, found more")
    return data


def _mounts() -> dict[Path, str]:
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return {}
    found = {}
    for line in lines:
        fields = line.split()
        if len(fields) >= 3:
            found[Path(fields[1].replace("\\040", " "))] = fields[2]
    return found
