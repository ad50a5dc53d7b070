"""Running sums and minima along the months, fast where the months are the outer axis.

``numpy.cumsum`` and ``numpy.minimum.accumulate`` add element after element, without
vectorising over the other axis: over (paths x months) arrays they cost as much as a
dozen elementwise steps. When each month's values of all paths lie together in memory
(month-major rows), :func:`running` takes one vectorised step per month instead,
combining each month's row with the running row of the month before: the same
operations in the same order for every element, so the same numbers to the bit.
:func:`months_first` lays (paths, months) arrays out month-major.
"""

from __future__ import annotations

import numpy as np

ROW_MIN = 64
"""Rows shorter than this (few paths) are accumulated by numpy itself."""

BLOCK_PATHS = 256
"""Paths turned month-major at a time by :func:`months_first`: a block's months stay in the
processor's cache while they are written out."""


def running(ufunc: np.ufunc, values, axis: int = -1) -> np.ndarray:
    """``ufunc.accumulate(values, axis=axis)``, the same numbers.

    Parameters
    ----------
    ufunc : numpy.ufunc
        ``numpy.add`` (a running sum) or ``numpy.minimum`` / ``numpy.maximum``.
    values : array_like
        Shape (..., months, ...).
    axis : int
        The axis to accumulate along (the months).

    Returns
    -------
    numpy.ndarray
        Same shape as ``values``.

    Examples
    --------
    >>> running(np.add, np.arange(6.0).reshape(2, 3), axis=0).tolist()
    [[0.0, 1.0, 2.0], [3.0, 5.0, 7.0]]
    """
    values = np.asarray(values)
    months_first = np.moveaxis(values, axis, 0)
    if months_first.ndim < 2 or months_first[0].size < ROW_MIN or not months_first[0].flags.c_contiguous:
        return ufunc.accumulate(values, axis=axis)
    out = np.empty(months_first.shape, dtype=np.result_type(values))
    out[0] = months_first[0]
    for month in range(1, len(out)):
        ufunc(out[month - 1], months_first[month], out=out[month])
    return np.moveaxis(out, 0, axis)


def months_first(values) -> np.ndarray:
    """``numpy.ascontiguousarray(numpy.moveaxis(values, -1, 0))``: the months' axis first,
    each month's values of all paths together in memory (the same numbers, copied).

    Paths (the first axis) are copied :data:`BLOCK_PATHS` at a time, so that what is
    read and what is written stay in the cache: a whole (paths, months) array turned at
    once reads or writes memory a value at a time, two to three times slower.

    >>> months_first(np.arange(6.0).reshape(2, 3)).tolist()
    [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
    """
    values = np.asarray(values)
    moved = np.moveaxis(values, -1, 0)
    if values.ndim < 2 or moved.flags.c_contiguous or len(values) <= BLOCK_PATHS:
        return np.ascontiguousarray(moved)
    out = np.empty(moved.shape, dtype=values.dtype)
    for start in range(0, len(values), BLOCK_PATHS):
        out[:, start : start + BLOCK_PATHS] = moved[:, start : start + BLOCK_PATHS]
    return out
