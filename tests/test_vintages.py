"""Contract vintages: a plant started in the past, its contract year's terms, its past fixed."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import solarcoop as sc
from solarcoop import history
from solarcoop._validation import InputError
from solarcoop.economy import Economy, join_history
from solarcoop.tariff import vintage_contract
from solarcoop.vintage import TABLE_DECIDES, past_months, started


def test_a_1397_home_plant_is_one_line():
    plant = sc.home_plant(start="1397-07")
    assert plant.start_date == sc.calendar.from_jalali(1397, 7, 1)
    assert plant.tariff.base_price_rial_per_kwh == 8_000.0
    assert plant.tariff.step_downs == ((11, 0.7),)
    assert plant.tariff.euro_window_end == "payment_month"  # the central contract's other terms kept
    n_past = len(history.months_between("1397-07", history.common_last_month()))
    assert len(plant.economy.history_cpi) == len(plant.economy.history_euro_rate_rial_per_eur) == n_past
    assert len(plant.economy.euro_rate_before_operation_rial_per_eur) == 12
    assert not set(TABLE_DECIDES) & set(plant.uncertainty.readings)


def test_a_cooperative_started_in_1399_is_one_line():
    coop = sc.qom_baseline(start="1399-01")
    assert coop.tariff.base_price_rial_per_kwh == 6_370.0  # 100 kW - 10 MW, 1398-1399 table
    assert coop.cooperative.families == 400 and coop.promise is not None
    assert coop.start_date == sc.calendar.from_jalali(1399, 1, 1)


def test_support_plants_take_their_class_from_1402():
    assert sc.home_plant(start="1403-01").tariff.base_price_rial_per_kwh == 30_000.0
    assert sc.home_plant(start="1403-01").tariff.step_downs == ()
    assert sc.home_plant(start="1403-01", support=False).tariff.base_price_rial_per_kwh == 25_000.0
    assert vintage_contract(1402, 500).base_price_rial_per_kwh == 22_000.0


def test_past_prices_follow_the_formula_on_the_published_history():
    coop = sc.qom_baseline(start="1399-01")
    coop = dataclasses.replace(
        coop, tariff=dataclasses.replace(coop.tariff, euro_window_end="energy_month", indexation_base="operation_start")
    )
    price = sc.simulate(coop).monthly["price_rial_per_kwh"].to_numpy()
    cpi = history.monthly("cpi", "1399-01", "1400-01", fill="log_linear")["value"]
    euro = history.monthly("euro_official", "1398-01", "1400-01", fill="log_linear_cpi_ratio")["value"].to_numpy()
    # month 12 (Farvardin 1400): CPI at the start of year 2 over the start; the euro's
    # 12-month average up to Farvardin 1400 over the 12 months before operation
    coefficient = round(0.15 * cpi["1400-01"] / cpi["1399-01"] + 0.85 * euro[13:25].mean() / euro[:12].mean(), 5)
    assert price[12] == pytest.approx(6_370.0 * coefficient, rel=1e-9)
    coefficient_0 = round(0.15 + 0.85 * euro[1:13].mean() / euro[:12].mean(), 5)
    assert price[0] == pytest.approx(6_370.0 * coefficient_0, rel=1e-9)
    # from the contract year (the central reading): 1399 is paid the base price, and the
    # euro of Farvardin 1400 is measured against 1399's own average
    contract_year = dataclasses.replace(coop, tariff=dataclasses.replace(coop.tariff, indexation_base="contract_year"))
    price = sc.simulate(contract_year).monthly["price_rial_per_kwh"].to_numpy()
    np.testing.assert_allclose(price[:12], 6_370.0, rtol=1e-12)
    coefficient = round(0.15 * cpi["1400-01"] / cpi["1399-01"] + 0.85 * euro[13:25].mean() / euro[12:24].mean(), 5)
    assert price[12] == pytest.approx(6_370.0 * coefficient, rel=1e-9)


def test_the_past_is_fixed_on_every_path_and_only_the_future_is_drawn():
    coop = sc.qom_baseline(start="1399-01")
    coop = dataclasses.replace(
        coop,
        tariff=dataclasses.replace(coop.tariff, euro_window_end="energy_month"),
        uncertainty=dataclasses.replace(coop.uncertainty, readings=("payment", "tax", "euro_drift")),
    )
    n_past = len(coop.economy.history_cpi)
    run = sc.monte_carlo(coop, n_paths=64, kept=("price_rial_per_kwh", "cpi_index"), keep_paths=True)
    price, cpi = run.paths["price_rial_per_kwh"], run.paths["cpi_index"]
    single = sc.simulate(coop).monthly
    np.testing.assert_array_equal(np.ptp(price[:, :n_past], axis=0), 0.0)
    np.testing.assert_array_equal(np.ptp(cpi[:, :n_past], axis=0), 0.0)
    np.testing.assert_allclose(price[0, :n_past], single["price_rial_per_kwh"].to_numpy()[:n_past], rtol=1e-12)
    assert np.ptp(cpi[:, n_past + 1]) > 0 and np.ptp(price[:, n_past + 12]) > 0  # the future is drawn
    # each path's future starts from the published level
    np.testing.assert_allclose(cpi[:, n_past - 1], coop.economy.history_cpi[-1] / coop.economy.history_cpi[0])


@given(
    st.lists(st.floats(0.5, 2.0), min_size=1, max_size=10),
    st.lists(st.floats(0.9, 1.2), min_size=12, max_size=12),
)
def test_join_history_fixes_the_past_and_keeps_each_path_s_later_changes(levels, steps):
    index = np.cumprod([1.0, *steps])[None, :] * np.array([[1.0], [1.3]])  # two paths
    levels = np.cumsum(levels) + 1.0
    joined = join_history(index, tuple(levels))
    n = len(levels)
    np.testing.assert_allclose(joined[:, :n], np.broadcast_to(levels / levels[0], (2, n)))
    np.testing.assert_allclose(joined[:, n:] / joined[:, n - 1 : n], index[:, n:] / index[:, n - 1 : n])


def test_a_start_after_the_history_leaves_the_economy_alone():
    later = history.shift_month(history.common_last_month(), 3)  # still a 1404 contract
    plant = started(sc.home_plant(), later)
    assert plant.economy == sc.home_plant().economy
    assert past_months(later).empty


def test_no_scenario_without_a_start_carries_history():
    assert Economy().history_cpi is None and sc.qom_baseline().economy.history_cpi is None
    index = np.linspace(1.0, 2.0, 5)
    assert join_history(index, None) is not None
    np.testing.assert_array_equal(join_history(index, None), index)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sc.home_plant(start="1400-03"), "contract year 1400.*not in the history"),
        (lambda: started(sc.home_plant(), "1397-07", euro_fill=None), "does not hold the CPI or euro"),
        (lambda: sc.home_plant(start="1397/07"), "not a Jalali month"),
        (lambda: Economy(history_cpi=(1.0, 2.0)), "must be given together"),
        (lambda: Economy(history_cpi=(1.0,), history_euro_rate_rial_per_eur=(1.0,)), "euro_rate_before_operation"),
    ],
)
def test_bad_starts_are_refused_with_the_reason(call, message):
    with pytest.raises(InputError, match=message):
        call()
