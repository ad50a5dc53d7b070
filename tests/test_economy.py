import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solarcoop._validation import InputError
from solarcoop.calendar import accounting_months
from solarcoop.economy import Economy, cpi_index, fx_index, index_from_yearly_rates

MONTHS_3Y = accounting_months("2026-03-21", 36)


def test_index_compounds_monthly_within_each_year():
    index = index_from_yearly_rates([0.44, 0.21], MONTHS_3Y)
    assert index.shape == (36,)
    assert index[0] == 1.0
    # month 6 of year 1: 1.44 ** (6 / 12) = 1.2
    np.testing.assert_allclose(index[6], 1.2, rtol=1e-12)
    np.testing.assert_allclose(index[12], 1.44, rtol=1e-12)
    # year 2 at 21 %: 1.44 * 1.21 ** (6 / 12) = 1.44 * 1.1
    np.testing.assert_allclose(index[18], 1.584, rtol=1e-12)
    # year 3 repeats the last rate: 1.44 * 1.21 * 1.21
    np.testing.assert_allclose(index[35] * 1.21 ** (1 / 12), 1.44 * 1.21**2, rtol=1e-12)


def test_index_with_paths_axis_broadcasts_per_path():
    rates = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 3.0]])
    index = index_from_yearly_rates(rates, MONTHS_3Y)
    assert index.shape == (2, 36)
    np.testing.assert_allclose(index[0], 1.0)
    np.testing.assert_allclose(index[1, [12, 24, 30]], [2.0, 2.0, 4.0], rtol=1e-12)


def test_economy_indices_from_constant_rates():
    economy = Economy(inflation_per_year=0.35, fx_change_per_year=0.4)
    np.testing.assert_allclose(cpi_index(economy, MONTHS_3Y)[[0, 12, 24]], [1, 1.35, 1.35**2])
    np.testing.assert_allclose(fx_index(economy, MONTHS_3Y)[[0, 12, 24]], [1, 1.4, 1.96])


def test_economy_tuple_of_rates_and_list_is_frozen_as_tuple():
    economy = Economy(inflation_per_year=[0.5, 0.2])
    assert economy.inflation_per_year == (0.5, 0.2)
    np.testing.assert_allclose(cpi_index(economy, MONTHS_3Y)[[12, 24, 35]][:2], [1.5, 1.8])
    hash(economy)


def test_user_monthly_series_replace_rates():
    cpi = tuple(200.0 + 10 * m for m in range(40))
    economy = Economy(
        cpi_monthly=cpi,
        euro_rate_monthly_rial_per_eur=[1e6] * 36,
        euro_rate_before_operation_rial_per_eur=[1e6] * 12,
    )
    np.testing.assert_allclose(cpi_index(economy, MONTHS_3Y)[[0, 1, 35]], [1.0, 1.05, 2.75])
    np.testing.assert_allclose(fx_index(economy, MONTHS_3Y), 1.0)


def test_user_series_too_short_names_field():
    economy = Economy(
        euro_rate_monthly_rial_per_eur=[1e6] * 12, euro_rate_before_operation_rial_per_eur=[1e6] * 12
    )
    with pytest.raises(InputError, match="economy.euro_rate_monthly_rial_per_eur"):
        fx_index(economy, MONTHS_3Y)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"inflation_per_year": 35}, "economy.inflation_per_year"),
        ({"inflation_per_year": (0.3, -1.5)}, r"economy.inflation_per_year\[1\]"),
        ({"fx_change_per_year": ()}, "economy.fx_change_per_year"),
        ({"fx_change_per_year": "0.4"}, "economy.fx_change_per_year"),
        ({"cpi_start": 0}, "economy.cpi_start"),
        ({"euro_rate_start_rial_per_eur": -1}, "economy.euro_rate_start_rial_per_eur"),
        ({"cpi_monthly": [0.0, 1.0]}, "economy.cpi_monthly"),
        ({"cpi_monthly": [1.0, float("nan")]}, "economy.cpi_monthly"),
        ({"cpi_monthly": [1.0, 0.0, 2.0]}, r"economy.cpi_monthly\[1\] = 0.0"),
        ({"euro_rate_monthly_rial_per_eur": [1e6] * 24}, "euro_rate_before_operation_rial_per_eur is needed"),
        ({"euro_rate_before_operation_rial_per_eur": [1e6] * 11}, "has 11 values"),
    ],
)
def test_bad_economy_inputs_name_the_field(changes, field):
    with pytest.raises(InputError, match=field):
        Economy(**changes)


def test_index_rejects_bad_rates():
    with pytest.raises(InputError, match="rates_per_year"):
        index_from_yearly_rates([0.1, -1.0], MONTHS_3Y)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-0.5, 2.0), min_size=1, max_size=4))
def test_index_growth_over_each_year_equals_its_rate(rates):
    index = index_from_yearly_rates(rates, MONTHS_3Y)
    for year in range(2):
        rate = rates[min(year, len(rates) - 1)]
        np.testing.assert_allclose(index[12 * (year + 1)] / index[12 * year], 1 + rate, rtol=1e-10)


def test_euro_history_before_operation():
    from solarcoop.economy import fx_index_before_operation

    # constant 44 %/year: the history is the first year's growth run backward
    np.testing.assert_allclose(fx_index_before_operation(Economy(fx_change_per_year=0.44))[[0, 6]], [1 / 1.44, 1.2**-1])
    # a given history is divided by the first operating month's rate
    history = [5e5 + 1e4 * m for m in range(12)]
    economy = Economy(
        euro_rate_monthly_rial_per_eur=[1e6] * 24, euro_rate_before_operation_rial_per_eur=history
    )
    np.testing.assert_allclose(fx_index_before_operation(economy), np.array(history) / 1e6)
