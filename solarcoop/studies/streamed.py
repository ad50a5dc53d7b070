"""Quantiles and probabilities of many columns from values streamed chunk by chunk.

A Monte Carlo of a million paths cannot keep every path's 300 months (14 KB a path
per column). :class:`StreamedColumns` keeps instead, for each column (a month, or a
year's statistic), a count of the values in fine bins, the values equal to zero apart
(a month that pays nothing is common, and its quantile should be exactly 0), and the
exact minimum and maximum. Its memory depends on the number of columns and bins,
never on the number of values; counts add up exactly, so the result does not depend
on how the values were split into chunks, threads or workers.

The bins of each column are laid out from a pilot sample (the first paths): ``bins``
equal bins over three times the pilot's range (its range again on either side), aligned
so that zero is a bin edge, with one bin below and one above for the rare values
outside. A quantile is read inside the bin that holds its rank (values spread evenly
within the bin), so it is within one bin's width of the exact sample quantile of
:func:`numpy.quantile`; :meth:`StreamedColumns.quantile_error` states that bound for
each answer. It is 0 where the rank falls on the values equal to zero or where a column
holds one value only, and at most ``3 x pilot range / (bins - 1)`` inside the
laid-out bins; in the bins below and above it is the distance from the last edge to
the exact extreme.
"""

from __future__ import annotations

import numpy as np

from solarcoop._validation import InputError, check_number

BINS = 2048
"""Bins per column: about 0.15 % of three pilot ranges each."""


class StreamedColumns:
    """Binned counts of the values of ``n_columns`` columns, added chunk by chunk.

    Parameters
    ----------
    pilot : numpy.ndarray
        A first sample of values, shape (n_values, n_columns); it lays out the bins
        (its values are not counted: add them like any other chunk).
    bins : int
        Bins between the edges of each column.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> values = rng.normal(size=(10_000, 2))
    >>> streamed = StreamedColumns(values[:250])
    >>> for chunk in np.split(values, 4):
    ...     streamed.add(chunk)
    >>> exact = np.quantile(values, 0.1, axis=0)
    >>> bool(np.all(np.abs(streamed.quantiles([0.1])[0] - exact) <= streamed.quantile_error([0.1])[0]))
    True
    """

    def __init__(self, pilot: np.ndarray, bins: int = BINS):
        pilot = np.asarray(pilot, dtype=float)
        if pilot.ndim != 2 or pilot.shape[0] == 0:
            raise InputError(f"pilot has shape {pilot.shape}: expected (n_values >= 1, n_columns)")
        self.bins = check_number("bins", bins, minimum=2, maximum=1 << 16, integer=True)
        low, high = pilot.min(axis=0), pilot.max(axis=0)
        span = high - low
        span = np.where(span > 0, span, np.maximum(np.abs(high), 1.0) * 1e-9)  # one value: any tiny width
        low, high = low - span, high + span
        self.width = (high - low) / (self.bins - 1)
        self._inverse_width = 1.0 / self.width
        # bin j (0-based) holds floor(x / width) == j - offset: zero sits on an edge
        self._offset = -np.floor(low * self._inverse_width)
        self.n_columns = pilot.shape[1]
        self.n_values = 0
        # columns: underflow, the bins, overflow
        self.counts = np.zeros((self.n_columns, self.bins + 2), dtype=np.int64)
        self.zeros = np.zeros(self.n_columns, dtype=np.int64)
        self.minimum = np.full(self.n_columns, np.inf)
        self.maximum = np.full(self.n_columns, -np.inf)
        self._column_start = np.arange(self.n_columns) * (self.bins + 2)

    def _bin(self, values: np.ndarray) -> np.ndarray:
        """Flat index (column, bin) of every value, shape of ``values``."""
        position = values * self._inverse_width
        np.floor(position, out=position)
        position += self._offset
        np.clip(position, -1, self.bins, out=position)
        index = position.astype(np.intp)
        index += self._column_start + 1
        return index

    def add(self, values: np.ndarray) -> None:
        """Count a chunk of values, shape (n, n_columns); all must be finite."""
        values = np.asarray(values, dtype=float)
        if values.ndim != 2 or values.shape[1] != self.n_columns:
            raise InputError(f"values have shape {values.shape}: expected (n, {self.n_columns})")
        if values.shape[0] == 0:
            return
        low, high = values.min(axis=0), values.max(axis=0)
        if not (np.isfinite(low).all() and np.isfinite(high).all()):
            raise InputError("values to stream must be finite (a NaN or infinity reached the Monte Carlo's output)")
        self.counts.reshape(-1)[:] += np.bincount(self._bin(values).reshape(-1), minlength=self.counts.size)
        self.zeros += np.count_nonzero(values == 0, axis=0)
        np.minimum(self.minimum, low, out=self.minimum)
        np.maximum(self.maximum, high, out=self.maximum)
        self.n_values += values.shape[0]

    def merge(self, other: StreamedColumns) -> None:
        """Add the counts of another stream laid out from the same pilot."""
        if other.counts.shape != self.counts.shape or not np.array_equal(other.width, self.width):
            raise InputError("streams laid out from different pilots cannot be merged")
        self.counts += other.counts
        self.zeros += other.zeros
        np.minimum(self.minimum, other.minimum, out=self.minimum)
        np.maximum(self.maximum, other.maximum, out=self.maximum)
        self.n_values += other.n_values

    # ------------------------------------------------------------------ reading

    def _ordered_bins(self):
        """Counts and value bounds of every bin in order, zeros as a bin of their own.

        Returns ``counts, left, right`` of shape (n_columns, bins + 3): underflow, the
        bins up to the one whose left edge is 0, the zeros, that bin and the rest,
        overflow. Columns whose bins do not reach 0 have an empty zero bin: their zeros
        stay in the bin that holds them.
        """
        edges = (np.arange(self.bins + 1) - self._offset[:, None]) * self.width[:, None]
        zero_bin = self._offset.astype(np.intp)  # bin whose left edge is zero
        has_zero_edge = (zero_bin >= 0) & (zero_bin < self.bins)
        counts = self.counts.copy()
        rows = np.flatnonzero(has_zero_edge)
        counts[rows, zero_bin[rows] + 1] -= self.zeros[rows]
        zeros = np.where(has_zero_edge, self.zeros, 0)
        insert_at = np.where(has_zero_edge, zero_bin + 1, 0)  # position in counts (underflow = 0)

        n = self.bins + 3
        position = np.arange(n)[None, :]
        at_zero = position == insert_at[:, None]  # the zeros, just before the bin [0, width)
        source = np.where(position < insert_at[:, None], position, position - 1)
        source = np.clip(source, 0, self.bins + 1)
        take = np.take_along_axis
        ordered = np.where(at_zero, zeros[:, None], take(counts, source, axis=1))
        low_edge = np.concatenate([self.minimum[:, None], edges], axis=1)  # left of underflow, bins
        high_edge = np.concatenate([edges, self.maximum[:, None]], axis=1)  # right of bins, overflow
        left = np.where(at_zero, 0.0, take(low_edge, source, axis=1))
        right = np.where(at_zero, 0.0, take(high_edge, source, axis=1))
        # the exact extremes bound every bin (the outer bins reach them)
        left = np.clip(left, self.minimum[:, None], self.maximum[:, None])
        right = np.clip(right, self.minimum[:, None], self.maximum[:, None])
        return ordered, left, right

    def _order_statistic(self, rank: float, ordered, left, right):
        """Estimate and bound of the value of 0-based ``rank`` in each column."""
        cumulative = np.cumsum(ordered, axis=1)
        slot = np.minimum((cumulative <= rank).sum(axis=1), ordered.shape[1] - 1)
        rows = np.arange(ordered.shape[0])
        before = cumulative[rows, slot] - ordered[rows, slot]
        share = (rank - before + 0.5) / np.maximum(ordered[rows, slot], 1)
        low, high = left[rows, slot], right[rows, slot]
        return low + np.clip(share, 0.0, 1.0) * (high - low), high - low

    def _check_filled(self) -> None:
        if self.n_values == 0:
            raise InputError("no values were streamed")

    def quantiles(self, qs) -> np.ndarray:
        """Estimated quantiles, shape (len(qs), n_columns), as :func:`numpy.quantile`'s
        default (linear between order statistics) would give on all the values."""
        return self._quantiles(qs)[0]

    def quantile_error(self, qs) -> np.ndarray:
        """Largest possible distance of each :meth:`quantiles` answer from the exact one."""
        return self._quantiles(qs)[1]

    def _quantiles(self, qs):
        self._check_filled()
        qs = [check_number("qs", q, minimum=0, maximum=1) for q in np.atleast_1d(qs)]
        ordered, left, right = self._ordered_bins()
        values, bounds = [], []
        for q in qs:
            rank = q * (self.n_values - 1)
            lower = np.floor(rank)
            upper = min(lower + 1, self.n_values - 1)
            value_low, bound_low = self._order_statistic(lower, ordered, left, right)
            value_high, bound_high = self._order_statistic(upper, ordered, left, right)
            fraction = rank - lower
            values.append(value_low + fraction * (value_high - value_low))
            bounds.append(np.maximum(bound_low, bound_high))
        return np.array(values), np.array(bounds)

    def fraction_below(self, threshold: float) -> np.ndarray:
        """Estimated share of values below ``threshold`` in each column [-]."""
        return self._fraction_below(threshold)[0]

    def fraction_below_error(self, threshold: float) -> np.ndarray:
        """Largest possible distance of each :meth:`fraction_below` answer from the exact share."""
        return self._fraction_below(threshold)[1]

    def _fraction_below(self, threshold: float):
        self._check_filled()
        threshold = check_number("threshold", threshold)
        ordered, left, right = self._ordered_bins()
        point = left == right  # a bin whose values sit on one value (zeros, a clipped extreme)
        below = np.where(np.where(point, left < threshold, right < threshold), ordered, 0).sum(axis=1)
        straddling = ~point & (left < threshold) & (threshold <= right)
        width = np.where(straddling, right - left, 1.0)
        part = np.where(straddling, ordered * (threshold - left) / width, 0.0).sum(axis=1)
        uncertain = np.where(straddling, ordered, 0).sum(axis=1)
        return (below + part) / self.n_values, uncertain / self.n_values
