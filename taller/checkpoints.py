"""Moments of a build that a test can wait for: "rendering started", "first output written",
"zip being written", "summary printed".

Interrupt tests must signal a build at a moment the build itself makes observable, never
after a fixed sleep (a quiet machine finishes first; a busy one has not started). With
`TALLER_PAUSE_AT=<moment>` and `TALLER_PAUSE_FD=<fd>` (a pipe the test holds), the build
writes the moment's name to the pipe when it gets there and then waits, so the signal
lands exactly there. Without them (every real build) a checkpoint costs one lookup.
"""

from __future__ import annotations

import os
import time

RENDERING, WRITING, ZIP, SUMMARY = "rendering", "writing", "zip", "summary"
WAIT_SECONDS = 60  # how long the build waits for the test's signal before it goes on


def reached(moment: str) -> None:
    """Report `moment` to a waiting test, once, and wait for its signal; a no-op otherwise."""
    if os.environ.get("TALLER_PAUSE_AT") != moment:
        return
    fd = os.environ.pop("TALLER_PAUSE_FD", None)  # once a process: a later moment goes on
    os.environ.pop("TALLER_PAUSE_AT", None)
    if fd is None:
        return
    os.write(int(fd), f"{moment} {os.getpid()}\n".encode())
    os.close(int(fd))
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:  # the signal's handler raises out of this sleep
        time.sleep(0.05)
