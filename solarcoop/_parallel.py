"""Run shares of a Monte Carlo at once on this machine's cores.

Where the operating system can fork (Linux), each share after the first runs in a
forked child process while this process runs the first: a child starts with this
process's memory (the scenario, the weather tables, the arrays to write into), so
nothing is sent to it, and each process has its own interpreter lock, so the
month-by-month books (many small numpy steps) run on every core at once. A child's
paths are written straight into memory shared with this process
(:func:`shared_array`); what else it returns (streamed counts) comes back pickled
through a pipe. An error in a child is raised here, with its message.

Elsewhere (macOS, Windows: no safe fork) the shares run on threads, which share the
work only while numpy computes without the interpreter lock.

The numbers never depend on where a share runs: each chunk draws from its own seed.
"""

from __future__ import annotations

import concurrent.futures
import mmap
import os
import pickle
import signal
import sys
import warnings
from collections.abc import Callable, Sequence

import numpy as np

CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
"""Whether shares run in forked processes (else on threads)."""


def available_cores() -> int:
    """Cores this process may run on [-] (its CPU affinity where known)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def shared_array(shape: tuple[int, ...]) -> np.ndarray:
    """A zero-filled float array in memory that forked children write into and this
    process reads (an anonymous shared mapping; a plain array where shares run on threads)."""
    n_bytes = int(np.prod(shape)) * 8
    if not CAN_FORK or n_bytes == 0:
        return np.zeros(shape)
    return np.frombuffer(mmap.mmap(-1, n_bytes), dtype=float).reshape(shape)


def run_shares(work: Callable, shares: Sequence, processes: bool = CAN_FORK) -> list:
    """``[work(share) for share in shares]``, the shares at once.

    Parameters
    ----------
    work : callable
        Runs one share; what it returns must pickle when ``processes``.
    shares : sequence
        One item per process (or thread).
    processes : bool
        Run the shares after the first in forked children (only where :data:`CAN_FORK`).

    Returns
    -------
    list
        What ``work`` returned for each share, in order.
    """
    if len(shares) <= 1:
        return [work(share) for share in shares]
    if not (processes and CAN_FORK):
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(shares)) as pool:
            return list(pool.map(work, shares))
    children = []
    try:
        for share in shares[1:]:
            children.append(_fork(work, share))
        results = [work(shares[0])]
        while children:
            pid, pipe = children.pop(0)
            results.append(_collect(pid, pipe))
        return results
    finally:  # this process failed or was interrupted: stop and reap the children left
        for pid, pipe in children:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except OSError:
                pass
            os.close(pipe)


def _fork(work: Callable, share) -> tuple[int, int]:
    """Start ``work(share)`` in a forked child; returns its pid and the read end of its pipe."""
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns when a process with threads (a notebook's kernel, the app's
        # server) forks, because a lock held by another thread stays held in the child.
        # The child runs only numpy and this package's code on its inherited arrays, takes
        # no lock another thread may hold (Python re-creates its own locks after a fork)
        # and leaves with os._exit.
        warnings.filterwarnings(
            "ignore",
            message=".*use of fork\\(\\) may lead to deadlocks",
            category=DeprecationWarning,
        )
        pid = os.fork()
    if pid == 0:  # the child: run, send the outcome, leave without this process's exit handlers
        status = 1
        try:
            os.close(read_end)
            try:
                outcome = ("returned", work(share))
            except BaseException as error:  # noqa: BLE001 - every error goes back to the parent
                outcome = ("raised", error)
            try:
                payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - an error that does not pickle
                payload = pickle.dumps(
                    ("raised", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}"))
                )
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, read_end: int):
    """What a child returned, once it has finished; raises what it raised."""
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        raise RuntimeError(
            f"a Monte Carlo worker process ended without a result (wait status {status})"
        )
    kind, value = pickle.loads(payload)
    if kind == "raised":
        raise value
    return value
