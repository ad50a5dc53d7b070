"""Streamed quantiles and shares: within their stated bound of the exact ones."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solarcoop import InputError
from solarcoop.streamed import StreamedColumns

QS = [0.0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999, 1.0]


def streamed(values, pilot_rows=250, chunks=7, bins=2048):
    stream = StreamedColumns(values[:pilot_rows], bins=bins)
    for chunk in np.array_split(values, chunks):
        stream.add(chunk)
    return stream


def columns(rng, n):
    """Shapes a Monte Carlo produces: smooth, heavy-tailed, many zeros, one value, signed."""
    return np.column_stack(
        [
            rng.normal(30e6, 5e6, n),
            rng.lognormal(20, 1, n),
            np.where(rng.random(n) < 0.4, 0.0, rng.gamma(2.0, 10e6, n)),
            np.zeros(n),
            np.full(n, 45_800.0),
            np.where(rng.random(n) < 0.5, 0.0, -rng.random(n) * 1e7),
        ]
    )


def test_quantiles_within_bound_of_exact():
    values = columns(np.random.default_rng(0), 10_000)
    stream = streamed(values)
    exact = np.quantile(values, QS, axis=0)
    error = stream.quantile_error(QS)
    assert np.all(np.abs(stream.quantiles(QS) - exact) <= error * (1 + 1e-9))
    # inside the pilot's range the bound is three pilot ranges over the bins
    pilot = values[:250]
    assert np.all(error[3:6] <= 3 * (pilot.max(0) - pilot.min(0)) / 2047 * (1 + 1e-9))


def test_zeros_and_single_values_are_exact():
    values = columns(np.random.default_rng(1), 10_000)
    stream = streamed(values)
    assert stream.quantiles([0.2])[0, 2] == 0.0  # 40 % of the column is exactly zero
    assert stream.quantile_error([0.2])[0, 2] == 0.0
    assert np.all(stream.quantiles(QS)[:, 3] == 0.0)
    assert np.all(stream.quantiles(QS)[:, 4] == 45_800.0)
    assert stream.fraction_below(1e-9)[3] == 1.0 and stream.fraction_below(0.0)[3] == 0.0
    assert stream.fraction_below(45_800.0)[4] == 0.0 and stream.fraction_below(45_801.0)[4] == 1.0


@pytest.mark.parametrize("threshold", [-5e6, 0.0, 1.0, 25e6, 30e6, 50e6, 1e12])
def test_fraction_below_within_bound_of_exact(threshold):
    values = columns(np.random.default_rng(2), 10_000)
    stream = streamed(values)
    exact = (values < threshold).mean(axis=0)
    assert np.all(np.abs(stream.fraction_below(threshold) - exact) <= stream.fraction_below_error(threshold) + 1e-12)


def test_counts_do_not_depend_on_the_chunks():
    values = columns(np.random.default_rng(3), 5_000)
    one = streamed(values, chunks=1)
    many = streamed(values, chunks=13)
    merged = StreamedColumns(values[:250])
    for part in np.array_split(values, 3):
        piece = StreamedColumns(values[:250])
        piece.add(part)
        merged.merge(piece)
    for other in (many, merged):
        assert np.array_equal(one.counts, other.counts) and np.array_equal(one.zeros, other.zeros)
        assert np.array_equal(one.quantiles(QS), other.quantiles(QS))


def test_memory_does_not_depend_on_the_values():
    values = columns(np.random.default_rng(4), 20_000)
    small, large = streamed(values[:1_000]), streamed(values)
    assert small.counts.nbytes == large.counts.nbytes == 6 * (2048 + 2) * 8


def test_bad_input():
    stream = StreamedColumns(np.zeros((3, 2)))
    with pytest.raises(InputError, match="no values were streamed"):
        stream.quantiles([0.5])
    with pytest.raises(InputError, match=r"expected \(n, 2\)"):
        stream.add(np.zeros((4, 3)))
    with pytest.raises(InputError, match="finite"):
        stream.add(np.array([[0.0, np.nan]]))
    with pytest.raises(InputError, match="different pilots"):
        stream.merge(StreamedColumns(np.ones((3, 2))))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 3_000),
    scale=st.sampled_from([1.0, 1e6, 1e12]),
    zeros=st.floats(0, 1),
    bins=st.sampled_from([2, 16, 2048]),
)
def test_any_sample_within_bound(seed, n, scale, zeros, bins):
    rng = np.random.default_rng(seed)
    values = np.where(rng.random((n, 2)) < zeros, 0.0, rng.standard_t(2, (n, 2)) * scale)
    stream = streamed(values, pilot_rows=min(n, 50), chunks=min(n, 3), bins=bins)
    exact = np.quantile(values, QS, axis=0)
    slack = 1e-9 * np.abs(values).max() + 1e-300
    assert np.all(np.abs(stream.quantiles(QS) - exact) <= stream.quantile_error(QS) * (1 + 1e-9) + slack)
    for threshold in (0.0, scale, -scale):
        exact_share = (values < threshold).mean(axis=0)
        assert np.all(
            np.abs(stream.fraction_below(threshold) - exact_share) <= stream.fraction_below_error(threshold) + 1e-12
        )
