"""Run shares of a Monte Carlo at once on this machine's cores.

Where the operating system can fork (Linux), each share runs in a forked child process
while this process waits: a child starts with this process's memory (the scenario, the
weather tables, the arrays to write into), so nothing is sent to it; each process has
its own interpreter lock, so the month-by-month books (many small numpy steps) run on
every core at once; and a child keeps the memory numpy frees for its next arrays
(:func:`_keep_freed_memory`), which the caller's process, shared with the user's other
work, should not. A child's
paths are written straight into memory shared with this process
(:func:`output_array`); what else it returns (streamed counts) comes back pickled
through a pipe. An error in a child is raised here, with its message.

Elsewhere (macOS, Windows: no safe fork) the shares run on threads, which share the
work only while numpy computes without the interpreter lock.

The numbers never depend on where a share runs: each chunk draws from its own seed.

Several runs may start at once from several threads of one process (the app's jobs, a
notebook's threads): the bookkeeping of exiting children is shared under a lock, and each
run waits only for its own children.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import ctypes
import ctypes.util
import mmap
import os
import pickle
import select
import signal
import sys
import threading
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


def max_workers() -> int:
    """The most workers a run may ask for [-]: twice the cores this process may use, and
    at least 4. More processes than that only take turns on the same cores (50,000 paths
    on 40 processes of 2 cores took 8 times as long as on 2)."""
    return max(4, 2 * available_cores())


def output_array(shape: tuple[int, ...], shared: bool) -> np.ndarray:
    """An uninitialised float array for the paths: in memory shared with forked children
    when ``shared`` and this system forks (an anonymous shared mapping, zero-filled),
    else private memory (which the system maps in large pages, several times faster to
    fill than the shared mapping's small ones)."""
    n_bytes = int(np.prod(shape)) * 8
    if not (shared and CAN_FORK) or n_bytes == 0:
        return np.empty(shape)
    return np.frombuffer(mmap.mmap(-1, n_bytes), dtype=float).reshape(shape)


def run_shares(
    work: Callable, shares: Sequence, processes: bool = CAN_FORK, waiting: Callable | None = None
) -> list:
    """``[work(share) for share in shares]``, the shares at once.

    Parameters
    ----------
    work : callable
        Runs one share; what it returns must pickle when ``processes``.
    shares : sequence
        One item per process (or thread).
    processes : bool
        Run each share in a forked child while this process waits (only where
        :data:`CAN_FORK`); else the shares run on threads (one share: here).
    waiting : callable, optional
        Called with no argument about every 0.2 s while this process waits for the
        children (to show their progress).

    Returns
    -------
    list
        What ``work`` returned for each share, in order.
    """
    if not (processes and CAN_FORK):
        if len(shares) <= 1:
            return [work(share) for share in shares]
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(shares)) as pool:
            return list(pool.map(work, shares))
    _reap(block=False)  # children of earlier runs
    children = {}
    try:
        try:
            for index, share in enumerate(shares):
                children[index] = _fork(work, share)
        except OSError:  # the system cannot start another process (memory, limits): threads
            _stop(children)
            children = {}
            return run_shares(work, shares, processes=False)
        results = {}
        while children:
            ready, _, _ = select.select([pipe for _, pipe in children.values()], [], [], 0.2)
            for index, (pid, pipe) in list(children.items()):
                if pipe in ready:  # a child writes its outcome when it has finished
                    del children[index]
                    results[index] = _collect(pid, pipe)
            if waiting is not None:
                waiting()
        return [results[index] for index in range(len(shares))]
    finally:  # this process failed or was interrupted: stop and reap the children left
        _stop(children)


def _stop(children: dict) -> None:
    """End and reap children that have not reported (after an error or an interruption)."""
    for pid, pipe in children.values():
        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except OSError:
            pass
        try:
            os.close(pipe)
        except OSError:
            pass


def _keep_freed_memory() -> None:
    """In a worker process: keep the memory numpy frees for its next arrays.

    By default glibc gives large freed blocks back to the system, and the next array of
    the same size must be mapped again page by page (a third of a Monte Carlo's time on a
    virtual machine). A worker lives for one run and exits, so it keeps them
    (``mallopt``: blocks under 32 MB come from the heap, which is not trimmed). Other C
    libraries lack ``mallopt``: nothing is changed there.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)  # the heap's free pages, shared with the parent: not copied on write
        libc.mallopt(_M_MMAP_THRESHOLD, 32 * 2**20)
        libc.mallopt(_M_TRIM_THRESHOLD, 2**31 - 1)
        _grow_heap_in_large_pages(libc)
    except (OSError, AttributeError):
        pass


def _grow_heap_in_large_pages(libc, blocks: int = 4, block_bytes: int = 31 * 2**20) -> None:
    """Grow a worker's heap by ``blocks`` x ``block_bytes`` marked for 2 MiB pages, then
    free it for numpy's arrays: a chunk's first arrays are then mapped a large page at a
    time rather than in 4 KiB faults (measured: 6-7 % off a two-worker Monte Carlo)."""
    huge_pages = getattr(mmap, "MADV_HUGEPAGE", None)
    if huge_pages is None:
        return
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    page = 2 * 2**20
    grown = [address for address in (libc.malloc(block_bytes) for _ in range(blocks)) if address]
    for address in grown:
        start = -(-address // page) * page
        end = (address + block_bytes) // page * page
        if end > start:
            libc.madvise(
                start, end - start, huge_pages
            )  # a refusal (no large pages) changes nothing
    for address in grown:
        libc.free(address)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)


def _fork(work: Callable, share) -> tuple[int, int]:
    """Start ``work(share)`` in a forked child; returns its pid and the read end of its pipe."""
    read_end, write_end = os.pipe()
    with _FORKING, warnings.catch_warnings():
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
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
    if pid == 0:  # the child: run, send the outcome, leave without this process's exit handlers
        status = 1
        try:
            os.close(read_end)
            _keep_freed_memory()
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
    """What a child returned; raises what it raised. The child is reaped once it has
    exited, without waiting here for the system to take its memory back (:func:`_reap`)."""
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    if not payload:
        _, status = os.waitpid(pid, 0)
        raise RuntimeError(
            f"a Monte Carlo worker process ended without a result (wait status {status})"
        )
    with _EXITING_LOCK:
        _EXITING.add(pid)
    _reap(block=False)
    kind, value = pickle.loads(payload)
    if kind == "raised":
        raise value
    return value


_EXITING: set[int] = set()
"""Children that have sent their outcome and are exiting (of every run of this process)."""
_EXITING_LOCK = threading.Lock()
"""Held while :data:`_EXITING` is read or changed: runs on several threads share it, and a
pid is waited for by one thread only (a pid reaped twice could be another run's new child)."""
_FORKING = threading.Lock()
"""Held while a child is forked: ``warnings.catch_warnings`` changes the process's warning
filters, which two threads forking at once would restore in the wrong order."""


def _reap(block: bool) -> None:
    """Reap the children that have exited (all of them when ``block``)."""
    with _EXITING_LOCK:
        for pid in list(_EXITING):
            try:
                done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
            except ChildProcessError:  # already reaped
                done = pid
            if done:
                _EXITING.discard(pid)


atexit.register(_reap, True)
