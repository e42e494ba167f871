"""The processes a build starts end with it, however it ends.

A build forks worker processes (editions, parts of an edition, charts). When the build is
interrupted they are shut down with it; but a build killed outright (SIGKILL: an out-of-memory
killer, a CI timeout, `kill -9` on a hung watch) cannot shut anything down, and its workers,
waiting for tasks on pipes that they hold open themselves, would wait for ever.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def end_with(parent: int) -> None:
    """In a process started for `parent`: be killed when the process that started it dies
    (Linux asks the kernel; elsewhere nothing is done), and leave at once if `parent` died
    before the request. Started by a forkserver (Python 3.14's default), the process's own
    parent is the server, which ends with `parent`."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent and not _alive(parent):
        os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal: only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user's
    return True
