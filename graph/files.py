"""Writing output files: every file meakg writes goes through here, so an interrupted write never
leaves a half-written file, and a path naming something other than a regular file is never replaced.

What a path may name: nothing yet, or a regular file (written through a hidden temporary file
``.NAME.<pid>.xxxx.part`` beside it, then renamed over it); a symbolic link to either (written
through: the link stays, its target is replaced atomically). Anything else (a device such as
``/dev/full``, a FIFO, a socket, a directory, a file under ``/proc``) is refused with one line.
A temporary file left by a killed write is removed by the next write to the same folder.

``write_tree`` writes many files under one folder without ever writing through a symbolic link planted
inside it. Folders: meakg deletes or replaces only a folder it made (``graph/folders.py``).
"""

from __future__ import annotations

import errno
import glob
import os
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from meakg.ontology.errors import MeakgError
from meakg.ontology.inputs import virtual_mount

PART_SUFFIX = ".part"
STALE_AFTER = 3600.0  # seconds: a temporary file of no known process this old is left over from a killed write
_KINDS = {stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFIFO: "a FIFO",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


class WriteError(MeakgError, OSError):
    """A file could not be written: the path names something that is not a regular file, or the OS refused.

    An OSError too, so callers that handle the OS's errors around a write keep working; the CLI
    prints it as one line (it is a MeakgError)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write *data* to *path* through a temporary file and a rename: readers see all or nothing.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.ttl"
    >>> write_atomic(target, "x")
    >>> target.read_text()
    'x'
    >>> write_atomic(pathlib.Path("/dev/null"), "x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    meakg.graph.files.WriteError: cannot write /dev/null: expected a regular file, found a character device (...)
    """
    with open_atomic(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def check_target(path: Path) -> None:
    """Fail as ``write_atomic`` would if *path* cannot be written (a device, a FIFO, a folder, a link into a
    missing folder, a kernel file system), before the long work whose result goes there.

    >>> check_target(Path("/dev/full"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    meakg.graph.files.WriteError: cannot write /dev/full: expected a regular file, found a character device (...)
    """
    shown = Path(path)
    _refuse_virtual(shown, _target(shown).parent)


@contextmanager
def open_atomic(path: Path) -> Iterator:
    """Yield a binary file whose content replaces *path* in one rename when the block ends without error
    (nothing is replaced otherwise): ``write_atomic`` for what is written in pieces.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.nq"
    >>> with open_atomic(target) as out:
    ...     _ = out.write(b"a"); _ = out.write(b"b")
    >>> target.read_bytes()
    b'ab'
    """
    shown = Path(path)
    path = _target(shown)
    try:
        if path == shown:  # never make folders through a link
            path.parent.mkdir(parents=True, exist_ok=True)
        _refuse_virtual(shown, path.parent)
        remove_stale_parts(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=PART_SUFFIX)
    except OSError as err:
        raise _error(shown, err) from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; ours are ordinary outputs
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise _error(shown, err) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_tree(out: Path, files: Mapping[str, bytes | str]) -> None:
    """Write *files* (relative path -> content) under the folder *out*, each atomically, never through a link.

    Every folder on the way is opened without following links: a symbolic link (or a file) where a
    folder belongs inside *out* is refused before anything is written; a link where a file belongs
    is replaced by the file, its target untouched. (*out* itself may be a link: the caller chose it.)

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> write_tree(out, {"index.html": "<p>hi</p>", "id/a.html": b"a"})
    >>> sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    ['id', 'id/a.html', 'index.html']
    """
    out = Path(out)
    names = {}
    for relative in sorted(files):
        parts = tuple(relative.split("/"))
        if relative.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise WriteError(f"cannot write {out / relative}: expected a path inside {out}")
        names[parts] = files[relative]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _error(out, err) from None
    _refuse_virtual(out, out)
    for folder in sorted({parts[:n] for parts in names for n in range(1, len(parts))}):
        found = kind_at(out.joinpath(*folder))
        if found not in ("a directory", None):
            raise WriteError(f"cannot write into {out.joinpath(*folder)}: expected a folder, found {found} "
                             f"(meakg writes nothing through a link inside {out})")
    folders: dict = {}
    try:
        folders[()] = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
        for parts, data in names.items():
            _write_at(_folder_fd(folders, parts[:-1], out), parts[-1], data, shown=out.joinpath(*parts))
    except OSError as err:
        raise _error(out, err) from None
    finally:
        for fd in folders.values():
            os.close(fd)


def _folder_fd(folders: dict, parts: tuple, out: Path) -> int:
    """Return an open descriptor of the folder *parts* under *out*, made if missing, never followed if a link."""
    if parts not in folders:
        parent = _folder_fd(folders, parts[:-1], out)
        try:
            os.mkdir(parts[-1], 0o777, dir_fd=parent)
        except FileExistsError:
            pass
        try:
            folders[parts] = os.open(parts[-1], os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)
        except OSError as err:
            if err.errno in (errno.ELOOP, errno.ENOTDIR):
                raise WriteError(f"cannot write into {out.joinpath(*parts)}: expected a folder, found "
                                 f"{kind_at(out.joinpath(*parts))} (meakg writes nothing through a link inside {out})"
                                 ) from None
            raise
    return folders[parts]


def _write_at(folder: int, name: str, data: bytes | str, *, shown: Path) -> None:
    """Write *data* as *name* in the open *folder*: a temporary file, then a rename over whatever *name* is."""
    for entry in os.listdir(folder):  # what killed writes of this name left
        if entry.startswith(f".{name}.") and entry.endswith(PART_SUFFIX) and _stale(entry, name, folder):
            try:
                os.unlink(entry, dir_fd=folder)
            except OSError:
                pass
    tmp = f".{name}.{os.getpid()}.{os.urandom(4).hex()}{PART_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError as err:
        try:
            os.unlink(tmp, dir_fd=folder)
        except OSError:
            pass
        raise _error(shown, err) from None


def _stale(entry: str, name: str, folder: int, now: float | None = None) -> bool:
    pid = entry[len(name) + 2:].split(".", 1)[0]
    try:
        info = os.lstat(entry, dir_fd=folder)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    return not _alive(int(pid)) if pid.isdigit() else (now or time.time()) - info.st_mtime > STALE_AFTER


def remove_stale_parts(path: Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporary files that killed writes of *path* left beside it; return them.

    A temporary file is stale when the process named in it is gone, or (no process named) when it
    is older than an hour.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".out.ttl.999999999.abcd.part").write_text("half")
    >>> [p.name for p in remove_stale_parts(folder / "out.ttl")]
    ['.out.ttl.999999999.abcd.part']
    """
    path = Path(path)
    now = time.time() if now is None else now
    removed = []
    for part in path.parent.glob(f".{glob.escape(path.name)}.*{PART_SUFFIX}"):
        pid = part.name[len(path.name) + 2:].split(".", 1)[0]
        try:
            stale = not _alive(int(pid)) if pid.isdigit() else now - part.lstat().st_mtime > STALE_AFTER
            if stale and stat.S_ISREG(part.lstat().st_mode):
                part.unlink()
                removed.append(part)
        except OSError:
            continue  # another run removed it, or we may not: not ours to insist on
    return removed


def _target(path: Path) -> Path:
    """Return the regular file (existing or not) that writing *path* replaces; refuse anything else."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    except OSError as err:
        raise _error(path, err) from None
    if stat.S_ISREG(mode):
        return path
    if stat.S_ISLNK(mode):
        resolved = Path(os.path.realpath(path))
        try:
            mode = os.stat(resolved).st_mode
        except FileNotFoundError:
            if not resolved.parent.is_dir():
                raise WriteError(f"cannot write {path}: it is a symbolic link to {os.readlink(path)}, whose folder "
                                 "does not exist (meakg makes no folders through a link)") from None
            return resolved  # a link to a file not yet there: create the file it names
        except OSError as err:
            raise _error(path, err) from None
        if stat.S_ISREG(mode):
            return resolved
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    raise WriteError(f"cannot write {path}: expected a regular file, found {kind} "
                     "(meakg replaces only regular files; leave out --out to write to stdout)")


def kind_at(path: Path, *, follow: bool = False) -> str | None:
    """What *path* is, in words ('a directory', 'a symbolic link', ...), or None if nothing."""
    try:
        mode = (os.stat if follow else os.lstat)(path).st_mode
    except OSError:
        return None
    return "a symbolic link" if stat.S_ISLNK(mode) else "a regular file" if stat.S_ISREG(mode) else _KINDS.get(
        stat.S_IFMT(mode), "not a regular file")


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _refuse_virtual(shown: Path, folder: Path) -> None:
    """Refuse folders on kernel file systems (/proc, /sys, /dev): files there are not data."""
    where = virtual_mount(folder)
    if where is not None:
        raise WriteError(f"cannot write {shown}: {where[0]} is a {where[1]} file system, not a place for files")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid < 2 ** 22  # someone else's live process, or not a pid at all
    return True


def _error(path: Path, err: OSError) -> WriteError:
    if isinstance(err, WriteError):
        return err
    reason = err.strerror or str(err)
    hint = " (the disk is full)" if err.errno == errno.ENOSPC else ""
    return WriteError(f"cannot write {path}: {reason}{hint}")
