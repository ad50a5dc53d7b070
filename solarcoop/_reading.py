"""Reading input files safely: a regular file of bounded size, its text in UTF-8.

A scenario or weather file that is a folder, a device (``/dev/zero``) or a pipe is
refused before it is opened, so nothing blocks or reads without end; a file larger than
its limit is refused; text that is not UTF-8 is named with the encoding it looks like
and how to save it as UTF-8.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from solarcoop._validation import InputError

SAVE_AS_UTF8 = "save it as UTF-8 (in Notepad or Excel: Save As, Encoding: UTF-8)"


def check_input_file(path, what: str, max_bytes: int, error=InputError) -> Path:
    """``path`` if it names a regular file of at most ``max_bytes``; else ``error`` saying why.

    Parameters
    ----------
    path : str or path
    what : str
        What the file is, for the message (``"scenario file"``).
    max_bytes : int
        Largest size accepted [bytes].
    error : type
        The :class:`InputError` subclass to raise.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{what} {str(path)!r} does not exist") from None
    except OSError as problem:
        raise error(f"{what} {str(path)!r} cannot be read: {problem.strerror or problem}") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{what} {str(path)!r} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{what} {str(path)!r} is not a regular file (a device or a pipe): give a file")
    if info.st_size > max_bytes:
        raise error(
            f"{what} {str(path)!r} is {info.st_size / 2**20:,.1f} MB: a {what} may have at most "
            f"{max_bytes / 2**20:,.0f} MB"
        )
    if not os.access(path, os.R_OK):
        raise error(f"{what} {str(path)!r} cannot be read: permission denied")
    return path


def encoding_problem(data: bytes) -> str | None:
    """Why ``data`` is not UTF-8 text, in words, or None when it is."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "is UTF-16 text (it starts with a UTF-16 byte-order mark)"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "is UTF-32 text"
    head = data[:4096]
    if head and head.count(b"\x00") > len(head) // 4:
        alternate = max(head[1::2].count(0), head[0::2].count(0)) > len(head) // 3
        return "looks like UTF-16 text (every other byte is zero)" if alternate else "is binary, not text"
    if b"\x00" in head:
        return "is binary, not text"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as problem:
        return (f"is not UTF-8 (byte 0x{data[problem.start]:02x} at position {problem.start}): it "
                "looks like a legacy code page such as Windows-1256 (Persian) or Latin-1")
    return None


def advice(problem: str) -> str:
    """What to do about an :func:`encoding_problem`."""
    return "give a text file" if "binary" in problem else SAVE_AS_UTF8


def read_text(path, what: str, max_bytes: int, error=InputError) -> str:
    """The UTF-8 text of a checked input file (a UTF-8 byte-order mark is dropped)."""
    path = check_input_file(path, what, max_bytes, error)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as problem:
        raise error(f"{what} {str(path)!r} cannot be read: {problem.strerror or problem}") from None
    problem = encoding_problem(data)
    if problem:
        raise error(f"{what} {str(path)!r} {problem}: {advice(problem)}")
    return data.decode("utf-8").removeprefix("\ufeff")
