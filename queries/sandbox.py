"""What the query engine's child process may not do: open a network socket, dump core, outlive its parent,
grow past its memory bound.

``deny_network()`` installs a seccomp filter (Linux, x86-64 and AArch64) under which ``socket()`` and
``io_uring_setup()`` fail with ENETUNREACH for the process and every thread it starts later. The
engine then cannot call any address, however a query spells ``SERVICE`` (or ``LOAD``): the bound is
on the process that runs the query, not on a reading of its text. The filter cannot be removed, so
it is installed only in the engine's own child (``queries.worker``), never in meakg's main process.

>>> SECCOMP_ARCHES["x86_64"].socket
41
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import signal
import struct
import sys
from typing import NamedTuple

NO_NETWORK_ERRNO = errno.ENETUNREACH  # what socket() returns to the engine: "Network is unreachable"


class Arch(NamedTuple):
    audit: int       # AUDIT_ARCH_* of seccomp_data.arch
    socket: int      # syscall numbers
    io_uring_setup: int
    seccomp: int


SECCOMP_ARCHES = {"x86_64": Arch(0xC000003E, 41, 425, 317), "aarch64": Arch(0xC00000B7, 198, 425, 277)}
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_ALLOW, _ERRNO, _KILL_PROCESS = 0x7FFF0000, 0x00050000, 0x80000000
_X32_BIT = 0x40000000  # x86-64's x32 ABI numbers its syscalls from here: refused as a whole
_PR_SET_PDEATHSIG, _PR_SET_NO_NEW_PRIVS = 1, 38
_SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC = 1, 1


class _Filter(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def supported() -> bool:
    """Whether this platform lets meakg take the network away from the engine (Linux on x86-64 or AArch64)."""
    return sys.platform == "linux" and platform.machine() in SECCOMP_ARCHES


def program(arch: Arch) -> bytes:
    """Return the seccomp BPF program: socket() and io_uring_setup() fail with ENETUNREACH, all else is allowed.

    >>> len(program(SECCOMP_ARCHES["x86_64"])) // 8   # instructions of 8 bytes
    9
    """
    refuse = _ERRNO | NO_NETWORK_ERRNO
    steps = [(_LD_W_ABS, 0, 0, 4),              # the architecture the call was made in
             (_JEQ_K, 1, 0, arch.audit),
             (_RET_K, 0, 0, _KILL_PROCESS),     # a foreign ABI (32-bit calls on x86-64): end the process
             (_LD_W_ABS, 0, 0, 0),              # the syscall number
             (_JGE_K, 3, 0, _X32_BIT),
             (_JEQ_K, 2, 0, arch.socket),
             (_JEQ_K, 1, 0, arch.io_uring_setup),  # io_uring can open sockets without socket()
             (_RET_K, 0, 0, _ALLOW),
             (_RET_K, 0, 0, refuse)]
    return b"".join(struct.pack("HBBI", *step) for step in steps)


def deny_network() -> None:
    """Take the network away from this process and all its threads, for good; OSError if the kernel refuses."""
    arch = SECCOMP_ARCHES[platform.machine()]
    libc = ctypes.CDLL(None, use_errno=True)
    code = ctypes.create_string_buffer(program(arch))
    fprog = _Filter(len(code.raw) // 8, ctypes.addressof(code))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.syscall(arch.seccomp, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(fprog)) != 0:
        raise OSError(ctypes.get_errno(), "seccomp(SECCOMP_SET_MODE_FILTER) failed")


def contain(memory_bytes: int | None, parent: int) -> None:
    """Set up this process as the engine's child of *parent*: no core dumps, at most *memory_bytes* of
    address space, Ctrl-C left to the parent, and killed with the parent (Linux)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes:
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard == resource.RLIM_INFINITY or hard > memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)
