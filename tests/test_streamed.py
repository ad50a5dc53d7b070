"""Streamed quantiles and shares: within their stated bound of the exact ones."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solarcoop import InputError
from solarcoop.studies.streamed import StreamedColumns

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


# --------------------------------------------------------------------------- the Monte Carlo, streamed

import solarcoop as sc  # noqa: E402
from solarcoop.studies import montecarlo  # noqa: E402


@pytest.fixture(scope="module")
def five_years():
    return sc.qom_baseline().with_changes({"lifetime_years": 5})


@pytest.fixture(scope="module")
def kept_and_streamed(five_years):
    kept = sc.monte_carlo(five_years, n_paths=10_000, seed=3, keep_paths=True)
    streamed = sc.monte_carlo(five_years, n_paths=10_000, seed=3, keep_paths=False)
    return kept, streamed


def test_streamed_monte_carlo_within_bound_of_exact_on_10000_paths(kept_and_streamed):
    kept, streamed = kept_and_streamed
    assert kept.paths is not None and streamed.paths is None and streamed.n_paths == 10_000
    for column in montecarlo.KEPT_COLUMNS:
        exact = kept.quantiles(QS, column).to_numpy()
        error = streamed.quantile_error(QS, column).to_numpy()
        assert np.all(np.abs(streamed.quantiles(QS, column).to_numpy() - exact) <= error * (1 + 1e-9) + 1e-6)
        assert np.all(kept.quantile_error(QS, column).to_numpy() == 0)
        for threshold in (0.0, 10e6, 50e6):
            share = streamed.probability_below(column, threshold).to_numpy()
            bound = streamed.probability_below_error(column, threshold).to_numpy()
            assert np.all(np.abs(share - kept.probability_below(column, threshold).to_numpy()) <= bound + 1e-12)
    for year in (1, 5):
        for p in (0.9, 0.5, 0.1):
            name = f"family_cash_flow_real_rial_mean_year{year}"
            gap = abs(streamed.exceedance(name, p) - kept.exceedance(name, p))
            assert gap <= streamed.exceedance_error(name, p) * (1 + 1e-9) + 1e-6
        months = kept.months["operating_year"].to_numpy() == year
        bound = streamed.probability_below_error("family_cash_flow_rial", 50e6).to_numpy()[months].mean()
        assert abs(streamed.chance_of_month_below(50e6, year) - kept.chance_of_month_below(50e6, year)) <= bound + 1e-12


def test_streamed_numbers_do_not_depend_on_chunks_or_threads(five_years, kept_and_streamed):
    _, streamed = kept_and_streamed
    other = sc.monte_carlo(five_years, n_paths=10_000, seed=3, keep_paths=False, chunk_paths=750, workers=1)
    for column in ("family_cash_flow_rial", "energy_kwh"):
        for kind in ("monthly", "yearly"):
            assert np.array_equal(streamed.streamed[column][kind].counts, other.streamed[column][kind].counts)
    assert streamed.summary().equals(other.summary())


def test_streamed_run_says_what_needs_the_paths(kept_and_streamed):
    _, streamed = kept_and_streamed
    with pytest.raises(InputError, match="keep_paths=True"):
        streamed.metric("family_cash_flow_rial_mean_year1")
    with pytest.raises(InputError, match="was not kept"):
        streamed.quantiles([0.5], "tax_rial")


def test_keeping_paths_that_do_not_fit_is_refused_before_computing(five_years, monkeypatch):
    monkeypatch.setattr(montecarlo, "_available_memory_bytes", lambda: 2**30)
    monkeypatch.setattr(montecarlo, "energy_tables", lambda *a, **k: pytest.fail("computed before refusing"))
    with pytest.raises(InputError, match=r"keep_paths=True: keeping 1,000,000 paths .* needs 2\.7 GiB"):
        sc.monte_carlo(five_years, n_paths=1_000_000, keep_paths=True)


def test_paths_are_kept_when_small_and_streamed_when_large(five_years, monkeypatch):
    assert sc.monte_carlo(five_years, n_paths=250).paths is not None
    monkeypatch.setattr(montecarlo, "KEEP_PATHS_AUTO_BYTES", 250 * 60 * 8 * 6 - 1)
    assert sc.monte_carlo(five_years, n_paths=250).paths is None
    with pytest.raises(InputError, match="keep_paths"):
        sc.monte_carlo(five_years, n_paths=250, keep_paths="yes")
    with pytest.raises(InputError, match="no column"):
        sc.monte_carlo(five_years, n_paths=250, kept=())
