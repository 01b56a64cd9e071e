"""How meakg writes files: regular files atomically, links written through, everything else refused in one line."""

import errno
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from meakg.graph import files, folders
from meakg.graph.files import WriteError, remove_stale_parts, write_atomic

ROOT = Path(__file__).resolve().parent.parent


def meakg(*args):
    done = subprocess.run([sys.executable, "-m", "meakg", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    target = tmp_path / "real.ttl"
    target.write_text("old")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"


def test_a_fifo_is_refused_and_left_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(WriteError) as err:
        write_atomic(fifo, "x")
    assert str(err.value) == (f"cannot write {fifo}: expected a regular file, found a FIFO "
                              "(meakg replaces only regular files; leave out --out to write to stdout)")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(WriteError, match="expected a regular file, found a directory"):
        write_atomic(tmp_path, "x")


def test_export_to_dev_full_is_one_line_and_the_device_stays_a_device():
    code, out, err = meakg("export", "--quiet", "--format", "turtle", "--out", "/dev/full")
    assert (code, out) == (2, "")
    assert err == ("Error: cannot write /dev/full: expected a regular file, found a character device "
                   "(meakg replaces only regular files; leave out --out to write to stdout)\n")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_export_into_proc_is_one_line():
    code, _, err = meakg("export", "--quiet", "--out", "/proc/meakg.ttl")
    assert (code, err) == (2, "Error: cannot write /proc/meakg.ttl: /proc is a proc file system, "
                              "not a place for files\n")


def test_a_full_disk_is_one_line_and_leaves_the_old_file_and_no_part(tmp_path, monkeypatch):
    target = tmp_path / "out.ttl"
    target.write_text("old")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(WriteError) as err:
        write_atomic(target, "new")
    assert str(err.value) == f"cannot write {target}: No space left on device (the disk is full)"
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_stale_parts_of_killed_writes_are_removed_by_the_next_write(tmp_path):
    dead = tmp_path / ".out.ttl.999999999.k3j2.part"      # its process is gone
    old = tmp_path / ".out.ttl.k3j2x9.part"               # the old naming, over an hour old
    live = tmp_path / f".out.ttl.{os.getpid()}.abcd.part"  # a write in progress: ours
    fresh = tmp_path / ".out.ttl.abcdef.part"              # no process named, but recent
    other = tmp_path / ".other.ttl.999999999.k3j2.part"    # another file's
    for part in (dead, old, live, fresh, other):
        part.write_text("half")
    an_hour_ago = time.time() - 3700
    os.utime(old, (an_hour_ago, an_hour_ago))
    write_atomic(tmp_path / "out.ttl", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.ttl", live.name, fresh.name, other.name])
    assert remove_stale_parts(tmp_path / "out.ttl") == []


def test_a_killed_write_leaves_a_part_that_the_next_run_removes(tmp_path):
    code = ("import os, graph.files as f\n"
            "f.os.fsync = lambda fd: os.kill(os.getpid(), 9)\n"
            f"f.write_atomic(__import__('pathlib').Path({str(tmp_path / 'out.ttl')!r}), 'x' * 100000)\n")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == -9
    assert [p.name.split(".")[-1] for p in tmp_path.iterdir()] == ["part"]
    write_atomic(tmp_path / "out.ttl", "done")
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


@pytest.mark.parametrize("args", [("sparql", "ASK {}"), ("export", "--quiet"), ("queries",)],
                         ids=["sparql", "export", "queries"])
def test_standard_output_on_dev_full_is_one_line(args):
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "meakg", *args], cwd=ROOT, stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    assert (done.returncode, done.stderr) == (2, "Error: cannot write the output: No space left on device "
                                                 "(the disk is full)\n")


# ---------------------------------------------------------------- folders meakg owns
def test_a_folder_holding_someone_elses_files_is_refused_and_left_as_it_was(tmp_path):
    (tmp_path / "store-receipts").mkdir()
    (tmp_path / "store-receipts" / "march.pdf").write_text("receipt")
    with pytest.raises(WriteError) as err:
        folders.claim_directory(tmp_path, kind="build")
    assert str(err.value) == (f"{tmp_path}/: expected an empty folder or one meakg made, found 1 entry it did not make "
                              "(meakg writes, replaces and deletes only in folders holding its .meakg file: "
                              "choose an empty or new folder)")
    assert [p.name for p in tmp_path.rglob("*")] == ["store-receipts", "march.pdf"]


def test_an_empty_or_missing_folder_is_claimed_with_a_marker_and_claimed_again_quietly(tmp_path):
    made = folders.claim_directory(tmp_path / "new" / "build", kind="build")
    assert (made / ".meakg").read_text().splitlines()[0] == "meakg build"
    assert folders.claim_directory(made, kind="build") == made
    assert folders.claim_directory(tmp_path / "empty", kind="store") == tmp_path / "empty"
    with pytest.raises(WriteError, match="expected a folder of meakg's store, found one meakg made for something else"):
        folders.claim_directory(made, kind="store")


def test_a_folder_another_process_claims_at_the_same_moment_is_shared_once_its_marker_is_written(
        tmp_path, monkeypatch):
    """Two builds at once: the other process creates the marker after this one found the folder empty and
    before this one creates it, and has written only part of its first line; the rest follows 50 ms later.
    This process waits for it (it used to stop with 'found another claim' or 'made for something else')."""
    folder = tmp_path / "build"
    folder.mkdir()
    listdir = os.listdir

    def other_process_claims(path):
        entries = listdir(path)
        (folder / ".meakg").write_text("meakg bu")   # its words half-written: "build" or another kind?
        threading.Timer(0.05, (folder / ".meakg").write_text, ["meakg build\n"]).start()
        return entries

    monkeypatch.setattr(os, "listdir", other_process_claims)
    assert folders.claim_directory(folder, kind="build") == folder


def test_only_a_marked_folder_is_deleted_and_never_through_a_link(tmp_path):
    mine = folders.claim_directory(tmp_path / "mine", kind="store")
    (mine / "data").write_text("x")
    (tmp_path / "yours").mkdir()
    (tmp_path / "link").symlink_to(mine)
    for refused in (tmp_path / "yours", tmp_path / "link"):
        with pytest.raises(WriteError, match="refusing to delete .*: meakg did not make it"):
            folders.remove_owned(refused)
    folders.remove_owned(mine)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "yours"]


# ---------------------------------------------------------------- many files under one folder
def test_write_tree_replaces_a_planted_file_link_and_leaves_its_target_alone(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").symlink_to(victim)
    files.write_tree(out, {"index.html": "<p>site</p>"})
    assert victim.read_text() == "precious"
    assert not (out / "index.html").is_symlink() and (out / "index.html").read_text() == "<p>site</p>"


def test_write_tree_refuses_a_linked_folder_and_writes_nothing(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "site"
    out.mkdir()
    (out / "id").symlink_to(elsewhere)
    with pytest.raises(WriteError) as err:
        files.write_tree(out, {"index.html": "x", "id/instrument/aewa.html": "y"})
    assert str(err.value) == (f"cannot write into {out}/id: expected a folder, found a symbolic link "
                              f"(meakg writes nothing through a link inside {out})")
    assert list(elsewhere.iterdir()) == [] and sorted(p.name for p in out.iterdir()) == ["id"]


def test_a_link_swapped_in_after_the_check_is_not_followed(tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "site"
    monkeypatch.setattr(files, "kind_at", lambda path, follow=False: None)  # the check saw nothing there yet
    out.mkdir()
    (out / "id").symlink_to(elsewhere)
    with pytest.raises(WriteError, match="expected a folder, found"):
        files.write_tree(out, {"id/a.html": "y"})
    assert list(elsewhere.iterdir()) == []


def test_out_a_dangling_link_into_a_missing_folder_is_one_line_and_makes_nothing(tmp_path):
    link = tmp_path / "graph.ttl"
    link.symlink_to(tmp_path / "nowhere" / "graph.ttl")
    with pytest.raises(WriteError) as err:
        write_atomic(link, "x")
    assert str(err.value) == (f"cannot write {link}: it is a symbolic link to {tmp_path}/nowhere/graph.ttl, "
                              "whose folder does not exist (meakg makes no folders through a link)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_build_out_a_dangling_link_is_one_line_before_anything_is_built(tmp_path):
    link = tmp_path / "graph.ttl"
    link.symlink_to(tmp_path / "nowhere" / "graph.ttl")
    done = subprocess.run([sys.executable, "-m", "meakg", "build", "--out", str(link)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "MEAKG_BUILD_DIR": str(tmp_path / "build")})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"Error: cannot write {link}: it is a symbolic link to {tmp_path}/nowhere/graph.ttl, whose "
                           "folder does not exist (meakg makes no folders through a link)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]  # no build, no folder made
