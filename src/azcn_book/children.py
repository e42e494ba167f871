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
    """In a child process of `parent`: be killed when the parent dies (Linux asks the kernel;
    elsewhere nothing is done). A parent that died before the request leaves at once."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
