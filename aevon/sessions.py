"""Each long-running process of ours in a session of its own, for the CPU scheduler's sake.

Linux's autogroup (`kernel.sched_autogroup_enabled`, on in many distributions' kernels) shares
the CPU between sessions first, then between the processes of each session. PostgreSQL starts
every backend in a session of its own; `aevon up`'s children, all in the operator's session,
were one group against each backend. On a busy two-core machine (kernel 6.18) backends then
waited runnable for up to 1.3 s at a time, and every query with them: reads stalled for seconds
in about half of the five-second runs. With a session per process the stalls are gone
(docs/performance.md, session 11).
"""

from __future__ import annotations

import contextlib
import os


def own_session() -> None:
    """For a process that was not started in a new session (`start_new_session=True`)."""
    with contextlib.suppress(PermissionError):  # it already leads its process group
        os.setsid()
