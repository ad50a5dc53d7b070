import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solarcoop._validation import InputError
from solarcoop.calendar import accounting_months
from solarcoop.economy import Economy, cpi_index, fx_index, index_from_yearly_rates
from solarcoop.tariff import (
    FlatTariff,
    GuaranteedPurchaseTariff,
    MarketTariff,
    SwitchingTariff,
    TimeOfUse,
    indexation_coefficient,
    price_rial_per_kwh,
    time_of_use_coefficients,
    time_of_use_periods,
)

MONTHS_3Y = accounting_months("2026-03-21", 36)
ONES = np.ones(36)


def test_flat_tariff_revenue_by_hand():
    months = accounting_months("2026-03-21", 24)
    energy_kwh = np.full(24, 1_000.0)
    price = price_rial_per_kwh(FlatTariff(40_000, 0.10), months, np.ones(24), np.ones(24))
    revenue_rial = energy_kwh * price
    # year 1: 12 x 1,000 kWh x 40,000 = 480 million; year 2: x 1.1 = 528 million
    np.testing.assert_allclose(revenue_rial[:12].sum(), 480_000_000, rtol=0, atol=1e-3)
    np.testing.assert_allclose(revenue_rial[12:].sum(), 528_000_000, rtol=0, atol=1e-3)


def test_indexed_contract_over_three_years_by_hand():
    # CPI: only its value at the start of each operating year matters (100, 130, 169);
    # other months are noise that must not move the price.
    cpi = np.random.default_rng(1).uniform(50, 500, 36)
    cpi[[0, 12, 24]] = [100, 130, 169]
    # euro: 1.0 in the 12 months before operation and months 0-5, 2.0 from month 6
    fx = np.where(np.arange(36) < 6, 1.0, 2.0)
    tariff = GuaranteedPurchaseTariff(base_price_rial_per_kwh=50_000, cpi_weight=0.2)
    price = price_rial_per_kwh(tariff, MONTHS_3Y, cpi, fx, fx_index_before_operation=np.ones(12))
    expected = {
        0: 50_000 * (0.2 * 1 + 0.8 * 1),  # euro window -11..0 all 1.0
        5: 50_000 * 1.0,
        8: 50_000 * (0.2 + 0.8 * (9 * 1 + 3 * 2) / 12),  # window -3..8: 1.25 -> 1.2
        11: 50_000 * (0.2 + 0.8 * 1.5),  # window 0..11 -> 1.4
        # year 2: CPI 1.3; window 1..12: 5 ones and 7 twos = 19/12;
        # 0.26 + 0.8 x 19 / 12 = 1.526666.. rounded to 5 decimals = 1.52667
        12: 50_000 * 1.52667,
        17: 50_000 * (0.2 * 1.3 + 0.8 * 2),  # 1.86
        30: 50_000 * (0.2 * 1.69 + 0.8 * 2),  # 1.938
    }
    for month, value in expected.items():
        np.testing.assert_allclose(price[month], value, rtol=0, atol=1e-6, err_msg=f"{month}")


def test_coefficient_with_constant_rates_extrapolates_history_exactly():
    economy = Economy(inflation_per_year=0.3, fx_change_per_year=0.5)
    cpi, fx = cpi_index(economy, MONTHS_3Y), fx_index(economy, MONTHS_3Y)
    coefficient = indexation_coefficient(0.25, MONTHS_3Y, cpi, fx)
    monthly = 1.5 ** (1 / 12)
    # geometric euro: mean of months m-11..m over mean of -12..-1 is monthly ** (m + 1)
    for month, cpi_term in ((0, 1.0), (11, 1.0), (12, 1.3), (35, 1.69)):
        expected = round(0.25 * cpi_term + 0.75 * monthly ** (month + 1), 5)
        assert coefficient[month] == pytest.approx(expected, abs=1e-12)


def test_step_downs_are_each_relative_to_the_original_price():
    tariff = GuaranteedPurchaseTariff(
        base_price_rial_per_kwh=10_000, term_years=3, step_downs=((2, 0.9), (3, 0.8))
    )
    price = price_rial_per_kwh(tariff, MONTHS_3Y, ONES, ONES, np.ones(12))
    np.testing.assert_allclose(price[[0, 11, 12, 23, 24, 35]], [1e4, 1e4, 9e3, 9e3, 8e3, 8e3])


def test_single_step_down_year():
    tariff = GuaranteedPurchaseTariff(40_000, step_downs=((3, 0.7),), local_content_multiplier=1.1)
    price = price_rial_per_kwh(tariff, MONTHS_3Y, ONES, ONES)
    np.testing.assert_allclose(price[:24], 44_000, rtol=1e-12)
    np.testing.assert_allclose(price[24:], 30_800, rtol=1e-12)


def test_after_term_market_and_none():
    cpi = index_from_yearly_rates([0.5], MONTHS_3Y)
    market = MarketTariff(20_000, indexation="cpi")
    with_market = GuaranteedPurchaseTariff(30_000, term_years=2, cpi_weight=1.0, after_term=market)
    price = price_rial_per_kwh(with_market, MONTHS_3Y, cpi, ONES)
    np.testing.assert_allclose(price[[0, 12, 23]], [30_000, 45_000, 45_000])
    # after the term: the market's own path from the start of operation, 20,000 x CPI
    np.testing.assert_allclose(price[24:], 20_000 * cpi[24:])
    nothing_after = dataclasses.replace(with_market, after_term=None)
    assert (price_rial_per_kwh(nothing_after, MONTHS_3Y, cpi, ONES)[24:] == 0).all()


def test_market_tariff_indexations_and_given_path():
    cpi, fx = np.linspace(1, 2, 36), np.linspace(1, 3, 36)
    price = {
        kind: price_rial_per_kwh(MarketTariff(60_000, 0.1, indexation=kind), MONTHS_3Y, cpi, fx)
        for kind in ("cpi", "fx", "none")
    }
    years = MONTHS_3Y["operating_year"].to_numpy()
    np.testing.assert_allclose(price["cpi"], 60_000 * 1.1 ** (years - 1) * cpi)
    np.testing.assert_allclose(price["fx"], 60_000 * 1.1 ** (years - 1) * fx)
    np.testing.assert_allclose(price["none"][[0, 12, 24]], [60_000, 66_000, 72_600])
    path = tuple(range(100, 140))
    given_path = price_rial_per_kwh(
        MarketTariff(monthly_price_rial_per_kwh=path), MONTHS_3Y, cpi, fx
    )
    np.testing.assert_array_equal(given_path, np.arange(100, 136))
    with pytest.raises(InputError, match="tariff.monthly_price_rial_per_kwh"):
        short = MarketTariff(monthly_price_rial_per_kwh=(1.0,) * 12)
        price_rial_per_kwh(short, MONTHS_3Y, cpi, fx)


def test_switching_tariff_changes_kind_at_the_start_of_a_year():
    tariff = SwitchingTariff(
        first=FlatTariff(45_000),
        then=MarketTariff(60_000, indexation="none"),
        switch_operating_year=3,
    )
    price = price_rial_per_kwh(tariff, MONTHS_3Y, ONES, ONES)
    np.testing.assert_array_equal(price[:24], 45_000)
    np.testing.assert_array_equal(price[24:], 60_000)


def test_paths_axis_broadcasts():
    cpi = index_from_yearly_rates(np.array([[0.1], [0.5], [0.9]]), MONTHS_3Y)
    fx = fx_index(Economy(), MONTHS_3Y)
    price = price_rial_per_kwh(GuaranteedPurchaseTariff(), MONTHS_3Y, cpi, fx)
    assert price.shape == (3, 36)
    assert (price[0] <= price[1]).all() and (price[1] <= price[2]).all()
    for kind in (FlatTariff(), MarketTariff()):
        assert price_rial_per_kwh(kind, MONTHS_3Y, cpi, fx).shape == (3, 36)


def test_default_contract_is_the_central_reading():
    tariff = GuaranteedPurchaseTariff()
    assert tariff.base_price_rial_per_kwh == 38_000  # between IRIB's 30,000 and 45,800
    assert (tariff.term_years, tariff.cpi_weight) == (20, 0.15)
    assert tariff.step_downs == ((8, 0.8667), (12, 0.7333), (16, 0.6))
    assert isinstance(tariff.after_term, MarketTariff)
    # a shorter contract keeps the default's steps within its term; given steps must fit
    assert GuaranteedPurchaseTariff(term_years=10).step_downs == ((8, 0.8667),)
    with pytest.raises(InputError, match="operating year 12 is beyond tariff.term_years = 10"):
        GuaranteedPurchaseTariff(term_years=10, step_downs=((8, 0.9), (12, 0.8)))


def test_default_cpi_weight_pays_the_seller_most_under_the_default_economy():
    months = accounting_months("2026-03-21", 240)
    economy = Economy()
    cpi, fx = cpi_index(economy, months), fx_index(economy, months)
    totals = {
        weight: price_rial_per_kwh(
            GuaranteedPurchaseTariff(cpi_weight=weight), months, cpi, fx
        ).sum()
        for weight in (0.15, 0.2, 0.3)
    }
    assert max(totals, key=totals.get) == GuaranteedPurchaseTariff().cpi_weight


# time of use: 1 Tir 1405 (summer) and 1 Dey 1405 (winter), hand-made days
SUMMER_DAY = pd.date_range("2026-06-22", periods=24, freq="h", tz="Asia/Tehran")
WINTER_DAY = pd.date_range("2026-12-22", periods=24, freq="h", tz="Asia/Tehran")
PRICED = TimeOfUse(off_peak_coefficient=0.5, mid_load_coefficient=1.0, peak_coefficient=2.0)


def test_time_of_use_on_a_summer_day():
    expected = [0.5] * 7 + [1.0] * 12 + [2.0] * 4 + [0.5]  # off 23-07, mid 07-19, peak 19-23
    np.testing.assert_array_equal(time_of_use_coefficients(PRICED, SUMMER_DAY), expected)
    # a hand-made day of energy: 1 kWh every hour from 06:00 to 19:59
    energy_kwh = np.where((SUMMER_DAY.hour >= 6) & (SUMMER_DAY.hour < 20), 1.0, 0.0)
    weighted = energy_kwh * time_of_use_coefficients(PRICED, SUMMER_DAY)
    assert weighted.sum() == 0.5 + 12 * 1.0 + 2.0


def test_time_of_use_on_a_winter_day():
    expected = [0.5] * 5 + [1.0] * 12 + [2.0] * 4 + [0.5] * 3  # mid 05-17, peak 17-21
    np.testing.assert_array_equal(time_of_use_coefficients(PRICED, WINTER_DAY), expected)
    assert time_of_use_periods(PRICED, WINTER_DAY)[17] == "peak"


def test_time_of_use_season_turns_on_1_mehr_and_follows_iran_clock():
    # 31 Shahrivar 1405 = 2026-09-22, 1 Mehr = 2026-09-23: 18:00 is mid-load, then peak
    stamps = pd.DatetimeIndex(["2026-09-22 18:00", "2026-09-23 18:00"]).tz_localize("Asia/Tehran")
    assert time_of_use_periods(TimeOfUse(), stamps).tolist() == ["mid_load", "peak"]
    # 1 Farvardin 1406 = 2027-03-21: 06:00 on 20 March is mid-load (winter), on 21 March off-peak
    stamps = pd.DatetimeIndex(["2027-03-20 06:00", "2027-03-21 06:00"]).tz_localize("Asia/Tehran")
    assert time_of_use_periods(TimeOfUse(), stamps).tolist() == ["mid_load", "off_peak"]
    # UTC stamps: 03:00 UTC is 06:30 in Tehran (off-peak in summer), 03:30 UTC is 07:00
    utc = pd.DatetimeIndex(["2026-06-22 03:00", "2026-06-22 03:30"]).tz_localize("UTC")
    assert time_of_use_periods(TimeOfUse(), utc).tolist() == ["off_peak", "mid_load"]


def test_time_of_use_needs_a_time_zone():
    with pytest.raises(InputError, match="time-zone aware"):
        time_of_use_coefficients(TimeOfUse(), pd.date_range("2026-06-22", periods=3, freq="h"))


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: FlatTariff(-1), "tariff.base_price_rial_per_kwh"),
        (lambda: FlatTariff(100, escalation_per_year=10), "tariff.escalation_per_year"),
        (lambda: MarketTariff(-5), "tariff.base_price_rial_per_kwh"),
        (lambda: MarketTariff(indexation="CPI"), "tariff.indexation"),
        (lambda: MarketTariff(monthly_price_rial_per_kwh=[1.0, -2.0]), "tariff.monthly_price"),
        (lambda: GuaranteedPurchaseTariff(-45_800), "tariff.base_price_rial_per_kwh"),
        (lambda: GuaranteedPurchaseTariff(cpi_weight=1.5), "tariff.cpi_weight"),
        (lambda: GuaranteedPurchaseTariff(cpi_weight=-0.1), "tariff.cpi_weight"),
        (lambda: GuaranteedPurchaseTariff(step_downs=((21, 0.7),)), "tariff.step_downs"),
        (lambda: GuaranteedPurchaseTariff(step_downs=((12, 0.7), (8, 0.9))), "tariff.step_downs"),
        (lambda: GuaranteedPurchaseTariff(step_downs=((8, 1.2),)), "tariff.step_downs"),
        (lambda: GuaranteedPurchaseTariff(step_downs=(8, 0.7)), "tariff.step_downs"),
        (lambda: GuaranteedPurchaseTariff(term_years=0), "tariff.term_years"),
        (lambda: GuaranteedPurchaseTariff(local_content_multiplier=1.5), "tariff.local_content"),
        (lambda: GuaranteedPurchaseTariff(after_term="market"), "tariff.after_term"),
        (
            lambda: GuaranteedPurchaseTariff(after_term=FlatTariff(time_of_use=TimeOfUse())),
            "tariff.after_term.time_of_use",
        ),
        (lambda: FlatTariff(time_of_use="summer"), "tariff.time_of_use"),
        (lambda: TimeOfUse(peak_coefficient=-1), "tariff.time_of_use.peak_coefficient"),
        (lambda: TimeOfUse(mehr_to_esfand_hours=(17, 5, 21)), "tariff.time_of_use.mehr_to_esfand"),
        (lambda: TimeOfUse(timezone="Mars/Olympus"), "tariff.time_of_use.timezone"),
        (lambda: SwitchingTariff(FlatTariff(), None, 3), "tariff.then"),
        (lambda: SwitchingTariff(FlatTariff(), MarketTariff(), 1), "tariff.switch_operating_year"),
    ],
)
def test_bad_tariff_inputs_name_the_field(make, field):
    with pytest.raises(InputError, match=field):
        make()


def test_with_changes_by_replace_revalidates():
    tariff = GuaranteedPurchaseTariff(step_downs=((15, 0.7),))
    assert dataclasses.replace(tariff, cpi_weight=0.2).cpi_weight == 0.2
    with pytest.raises(InputError, match="tariff.step_downs"):
        dataclasses.replace(tariff, term_years=10)


def test_bad_indices_raise():
    with pytest.raises(InputError, match="cpi_index"):
        price_rial_per_kwh(FlatTariff(), MONTHS_3Y, np.ones(35), ONES)
    with pytest.raises(InputError, match="fx_index"):
        price_rial_per_kwh(FlatTariff(), MONTHS_3Y, ONES, np.zeros(36))
    with pytest.raises(InputError, match="fx_index_before_operation"):
        price_rial_per_kwh(GuaranteedPurchaseTariff(), MONTHS_3Y, ONES, ONES, np.ones(6))


@settings(max_examples=60, deadline=None)
@given(
    base=st.floats(0, 200_000),
    raise_by=st.floats(0, 100_000),
    cpi_weight=st.floats(0, 1),
    inflation=st.lists(st.floats(-0.3, 1.0), min_size=1, max_size=3),
    fx_change=st.lists(st.floats(-0.3, 1.5), min_size=1, max_size=3),
    step=st.tuples(st.integers(1, 3), st.floats(0.01, 1.0)),
    kind=st.sampled_from(["flat", "market", "contract", "switching"]),
)
def test_higher_base_price_never_lowers_any_month(
    base, raise_by, cpi_weight, inflation, fx_change, step, kind
):
    cpi = index_from_yearly_rates(inflation, MONTHS_3Y)
    fx = index_from_yearly_rates(fx_change, MONTHS_3Y)
    tariff = {
        "flat": FlatTariff(base, 0.05),
        "market": MarketTariff(base, indexation="fx"),
        "contract": GuaranteedPurchaseTariff(
            base, term_years=3, cpi_weight=cpi_weight, step_downs=(step,)
        ),
        "switching": None,
    }[kind]
    if kind == "switching":
        low = SwitchingTariff(GuaranteedPurchaseTariff(base), MarketTariff(base), 2)
        high = SwitchingTariff(
            GuaranteedPurchaseTariff(base + raise_by), MarketTariff(base + raise_by), 2
        )
    else:
        low, high = tariff, dataclasses.replace(tariff, base_price_rial_per_kwh=base + raise_by)
    low_price = price_rial_per_kwh(low, MONTHS_3Y, cpi, fx)
    high_price = price_rial_per_kwh(high, MONTHS_3Y, cpi, fx)
    assert (low_price >= 0).all()
    assert (high_price >= low_price).all()


def test_a_contract_taken_up_at_a_switch_counts_from_the_switch():
    months = accounting_months("2026-03-21", 300)
    cpi = 1.02 ** np.arange(300)
    fx = 1.03 ** np.arange(300)
    contract = GuaranteedPurchaseTariff(45_800, term_years=20, cpi_weight=0.2, after_term=None)
    alone = price_rial_per_kwh(contract, months, cpi, fx)
    switched = price_rial_per_kwh(
        SwitchingTariff(MarketTariff(60_000), contract, switch_operating_year=3), months, cpi, fx
    )
    # the same contract, two years later: same prices for its own 20 years (the indices
    # grow geometrically, so re-based at the switch they are the same)
    np.testing.assert_allclose(switched[24 : 24 + 240], alone[:240], rtol=1e-12)
    assert (switched[24 + 240 :] == 0).all()  # after the term with no after_term: nothing
    market = price_rial_per_kwh(MarketTariff(60_000), months, cpi, fx)
    np.testing.assert_allclose(switched[:24], market[:24])
    # what follows the contract runs on calendar time, like the market before it
    with_market = price_rial_per_kwh(
        SwitchingTariff(MarketTariff(60_000), GuaranteedPurchaseTariff(45_800, after_term=MarketTariff(60_000)), 3),
        months, cpi, fx,
    )  # fmt: skip
    np.testing.assert_allclose(with_market[264:], market[264:])
