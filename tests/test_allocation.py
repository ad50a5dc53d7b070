"""The Monte Carlo asks the C library to keep the memory numpy frees, once per process."""

import os

from solarcoop import _allocation


def glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (ValueError, OSError, AttributeError):
        return False


def test_freed_memory_is_kept_under_glibc_and_asked_for_once(monkeypatch):
    monkeypatch.setattr(_allocation, "_KEPT", [])
    assert _allocation.keep_freed_memory() is glibc()
    assert _allocation._KEPT == [glibc()]
    assert _allocation.keep_freed_memory() is glibc()  # asked once: the answer kept
    assert len(_allocation._KEPT) == 1


def test_nothing_changes_where_the_library_is_not_glibc(monkeypatch):
    def no_glibc(name):
        raise ValueError(name)

    monkeypatch.setattr(_allocation, "_KEPT", [])
    monkeypatch.setattr(_allocation.os, "confstr", no_glibc)
    assert _allocation.keep_freed_memory() is False


def test_the_thresholds_are_within_what_glibc_accepts():
    assert _allocation.KEPT_BLOCK_BYTES <= 32 * 2**20  # HEAP_MAX_SIZE / 2 on 64-bit systems
