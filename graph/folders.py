"""Folders meakg owns: it deletes or replaces only a folder it made, one holding its marker file ``.meakg``
("meakg KIND" on its first line). ``claim_directory`` makes or adopts one, ``remove_owned`` deletes one; a
folder of someone else's is never matched by its name.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from meakg.graph.files import WriteError, kind_at

MARKER = ".meakg"  # in every folder meakg made: "meakg KIND" on its first line


def owned(path: Path, kind: str | None = None) -> bool:
    """Whether *path* is a folder meakg made (it holds the marker), of *kind* ('build', 'store', ...) if given.

    >>> import tempfile, pathlib
    >>> folder = claim_directory(pathlib.Path(tempfile.mkdtemp()) / "store", kind="store")
    >>> owned(folder, "store"), owned(folder, "build"), owned(folder.parent)
    (True, False, False)
    """
    found = marked_kind(path)
    return found is not None and kind in (None, found)


def marked_kind(path: Path) -> str | None:
    """The kind *path*'s marker names; None if *path* is no folder with a marker whose first line is written.

    The marker is read once: a process that reads it while another writes it sees no kind, never a part of one.
    """
    try:
        if not stat.S_ISDIR(os.stat(path).st_mode) or not stat.S_ISREG(os.lstat(Path(path) / MARKER).st_mode):
            return None
        with open(Path(path) / MARKER, "rb") as handle:
            first, ended, _ = handle.read(200).partition(b"\n")
    except OSError:
        return None
    words = first.decode("utf-8", "replace").split()
    return words[1] if ended and len(words) == 2 and words[0] == "meakg" else None


def claim_directory(path: Path, *, kind: str, adopt: bool = False) -> Path:
    """Return the folder *path*, made (or, if empty, adopted) as meakg's own of *kind*; a folder holding
    anything else that meakg did not make is refused with one line, and left as it was. *adopt* marks a
    non-empty folder the caller knows meakg made before markers existed.

    >>> import tempfile, pathlib
    >>> mine = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (mine / "receipts.txt").write_text("mine")
    >>> claim_directory(mine, kind="store")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    meakg.graph.files.WriteError: .../: expected an empty folder or one meakg made, found 1 entry ...
    """
    path = Path(path)
    if owned(path, kind):
        return path
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise WriteError(f"{path}: expected a folder, found {kind_at(path, follow=True)}") from None
    except OSError as err:
        raise WriteError(f"{path}: cannot make the folder ({err.strerror or err})") from None
    entries = sorted(os.listdir(path))
    if MARKER in entries and _claimed_meanwhile(path, kind):  # another process claimed it since we looked
        return path
    if entries and not adopt:
        count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        raise WriteError(f"{path}/: expected an empty folder or one meakg made, found {count} it did not make "
                         f"(meakg writes, replaces and deletes only in folders holding its {MARKER} file: "
                         "choose an empty or new folder)")
    try:
        fd = os.open(path / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    except FileExistsError:  # another process claimed it at the same moment (its marker may still be empty)
        if _claimed_meanwhile(path, kind):
            return path
        raise WriteError(f"{path}: expected a folder of meakg's {kind}, found another claim") from None
    except OSError as err:
        raise WriteError(f"{path}: cannot write in the folder ({err.strerror or err})") from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"meakg {kind}\nmeakg made this folder. It deletes or replaces only folders holding this file.\n")
    return path


def _claimed_meanwhile(path: Path, kind: str) -> bool:
    """Whether *path* holds meakg's marker of *kind*, given a second if another process is still writing it."""
    for _ in range(100):
        found = marked_kind(path)
        if found == kind:
            return True
        if found is not None:
            raise WriteError(f"{path}: expected a folder of meakg's {kind}, found one meakg made for something else")
        if not os.path.lexists(path / MARKER):
            return False
        time.sleep(0.01)
    return False


def remove_owned(path: Path) -> None:
    """Delete the folder *path* and all it holds, if meakg made it (a real folder with the marker); refuse otherwise.

    >>> import tempfile, pathlib
    >>> remove_owned(pathlib.Path(tempfile.mkdtemp()))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    meakg.graph.files.WriteError: refusing to delete ...: meakg did not make it (it holds no .meakg file)
    """
    import shutil

    path = Path(path)
    if os.path.islink(path) or not owned(path):
        raise WriteError(f"refusing to delete {path}: meakg did not make it (it holds no {MARKER} file)")
    try:
        shutil.rmtree(path)
    except OSError as err:
        raise WriteError(f"cannot delete {path}: {err.strerror or err}") from None
