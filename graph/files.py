"""Writing output files: every file meakg writes goes through here, so an interrupted write never
leaves a half-written file, and a path naming something other than a regular file is never replaced.

What a path may name: nothing yet, or a regular file (written through a hidden temporary file
``.NAME.<pid>.xxxx.part`` beside it, then renamed over it); a symbolic link to either (written
through: the link stays, its target is replaced atomically). Anything else (a device such as
``/dev/full``, a FIFO, a socket, a directory, a file under ``/proc``) is refused with one line.
A temporary file left by a killed write is removed by the next write to the same folder.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from pathlib import Path

from meakg.ontology.errors import MeakgError

PART_SUFFIX = ".part"
STALE_AFTER = 3600.0  # seconds: a temporary file of no known process this old is left over from a killed write
_KINDS = {stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFIFO: "a FIFO",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}
_VIRTUAL = ("proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs", "securityfs", "tracefs")


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
    >>> write_atomic(pathlib.Path("/dev/null"), "x")
    Traceback (most recent call last):
    ...
    meakg.graph.files.WriteError: cannot write /dev/null: expected a regular file, found a character device (meakg replaces only regular files; leave out --out to write to stdout)
    """
    shown = Path(path)
    path = _target(shown)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _refuse_virtual(shown, path.parent)
        remove_stale_parts(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=PART_SUFFIX)
    except OSError as err:
        raise _error(shown, err) from None
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files private; ours are ordinary outputs
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise _error(shown, err) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    for part in path.parent.glob(f".{_glob_escape(path.name)}.*{PART_SUFFIX}"):
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
            return resolved  # a link to a file not yet there: create the file it names
        except OSError as err:
            raise _error(path, err) from None
        if stat.S_ISREG(mode):
            return resolved
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    raise WriteError(f"cannot write {path}: expected a regular file, found {kind} "
                     "(meakg replaces only regular files; leave out --out to write to stdout)")


def _refuse_virtual(shown: Path, folder: Path) -> None:
    """Refuse folders on kernel file systems (/proc, /sys, /dev): files there are not data."""
    mounts = _mounts()
    folder = Path(os.path.realpath(folder))
    best = max((m for m in mounts if folder == m or m in folder.parents), key=lambda m: len(m.parts), default=None)
    if best is not None and mounts[best] in _VIRTUAL:
        raise WriteError(f"cannot write {shown}: {best} is a {mounts[best]} file system, not a place for files")


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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid < 2 ** 22  # someone else's live process, or not a pid at all
    return True


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def _error(path: Path, err: OSError) -> WriteError:
    if isinstance(err, WriteError):
        return err
    reason = err.strerror or str(err)
    hint = " (the disk is full)" if err.errno == errno.ENOSPC else ""
    return WriteError(f"cannot write {path}: {reason}{hint}")
