"""Memory that numpy frees is kept by the process for its next arrays.

A chunk of Monte Carlo paths makes and frees a few hundred arrays of some megabytes each.
By default the C library of Linux (glibc) hands freed memory of that size back to the
operating system, and the next chunk's arrays take it back page by page, each page
zeroed by the system first: about a third of the processor time of a chunk of 2,500
paths on the machine this was measured on (``benchmarks/chunk_cost.py``). After
:func:`keep_freed_memory` the process keeps what it freed and reuses it: the numbers are
the same; the process holds its highest use until it ends instead of giving it back.
"""

from __future__ import annotations

import os

M_TRIM_THRESHOLD = -1
"""glibc's ``mallopt`` parameter: free memory at the top of the heap kept before any is
given back to the system."""

M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameter: blocks of at least this size are mapped on their own
(and given back to the system when freed)."""

KEPT_BLOCK_BYTES = 32 * 2**20
"""Blocks up to this size come from the heap and are reused (glibc's largest allowed
value on 64-bit systems): a column of 10,000 paths x 300 months takes 24 MB."""

KEPT_FREE_BYTES = 2**30
"""Free memory the process keeps at the top of its heap [bytes]."""

_KEPT = []


def keep_freed_memory() -> bool:
    """Ask the C library, once per process, to keep freed memory for reuse; whether it
    does (glibc only: elsewhere nothing changes)."""
    if _KEPT:
        return _KEPT[0]
    kept = False
    try:
        glibc = os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (ValueError, OSError, AttributeError):  # not a GNU system
        glibc = False
    if glibc:
        import ctypes  # only where it is used

        try:
            mallopt = ctypes.CDLL(None).mallopt
        except (OSError, AttributeError):
            mallopt = None
        if mallopt is not None:
            kept = bool(mallopt(M_MMAP_THRESHOLD, KEPT_BLOCK_BYTES)) and bool(mallopt(M_TRIM_THRESHOLD, KEPT_FREE_BYTES))
    _KEPT.append(kept)
    return kept
