import numpy as np
import pandas as pd
import pytest

import solarcoop as sc
from solarcoop import InputError
from solarcoop.calendar import accounting_months
from solarcoop.engine import monthly_energy_kwh

REQUIRED_MONTHLY = [
    "operating_year", "start_date", "label", "energy_kwh", "price_rial_per_kwh",
    "revenue_billed_rial", "revenue_collected_rial", "operating_costs_rial", "tax_rial",
    "reserves_rial", "distributed_rial", "distribution_per_family_rial",
    "loan_instalment_per_family_rial", "payout_per_family_rial",
    "payout_per_family_real_rial", "cash_balance_rial",
]  # fmt: skip
REQUIRED_SUMMARY = [
    "energy_kwh_year1", "specific_yield_kwh_per_kwp_year1",
    "distribution_per_family_rial_mean_year1", "payout_per_family_rial_mean_year1",
    "payout_per_family_rial_min_year1", "payout_per_family_rial_max_year1",
]  # fmt: skip


def test_result_has_the_contract_columns(baseline_result):
    monthly = baseline_result.monthly
    assert set(REQUIRED_MONTHLY) <= set(monthly.columns)
    assert len(monthly) == 25 * 12
    assert monthly["label"].iloc[0] == "1405-01"
    assert len(baseline_result.annual) == 25
    assert set(REQUIRED_SUMMARY) <= set(baseline_result.summary.index)


def test_baseline_yield_is_plausible_for_qom(baseline_result):
    # a fixed 30-degree plant near Qom: about 1,650-1,800 kWh/kWp (100 kW Qom plant planned
    # at 1,760; Relief Committee rule of thumb 1,800; PVWatts on Kashan TMYx 1,706-1,739)
    assert 1650 < baseline_result.summary["specific_yield_kwh_per_kwp_year1"] < 1800


OUTFLOWS = [
    "operating_costs_rial", "debt_service_rial", "tax_rial", "reserves_rial", "education_fee_rial",
    "replacement_reserve_rial", "replacement_spent_rial", "end_of_life_rial", "distributed_rial",
]  # fmt: skip


def residual_rial(monthly: pd.DataFrame) -> float:
    """Largest monthly gap between cash collected and where it went [rial]."""
    cash_change = monthly["cash_balance_rial"].diff().fillna(monthly["cash_balance_rial"].iloc[0])
    outflows = monthly[OUTFLOWS].sum(axis=1) + cash_change
    return float((monthly["revenue_collected_rial"] - outflows).abs().max())


def test_money_is_conserved_every_month_to_the_rial(baseline_result):
    # rial amounts reach 1e13 late in the life; float64 keeps them to well under a rial
    assert residual_rial(baseline_result.monthly) < 1.0


def test_billed_revenue_is_collected_or_owed(baseline_result):
    m = baseline_result.monthly
    owed = baseline_result.summary["revenue_owed_at_end_rial"]
    assert m["revenue_billed_rial"].sum() == pytest.approx(m["revenue_collected_rial"].sum() + owed, abs=1.0)
    assert m["revenue_owed_rial"].iloc[-1] == pytest.approx(owed, abs=1.0)


def test_family_money_adds_up(baseline_result):
    m = baseline_result.monthly
    np.testing.assert_allclose(
        m["distribution_per_family_rial"] * 400, m["distributed_rial"], rtol=1e-12
    )
    np.testing.assert_allclose(
        m["payout_per_family_rial"] + m["paid_to_lender_per_family_rial"],
        m["distribution_per_family_rial"],
        rtol=1e-9, atol=1e-3,
    )
    lender = m["paid_to_lender_per_family_rial"].sum() + m["arrears_per_family_rial"].iloc[-1]
    assert lender == pytest.approx(m["loan_instalment_per_family_rial"].sum(), abs=1.0)
    np.testing.assert_allclose(
        m["payout_per_family_real_rial"] * m["cpi_index"], m["payout_per_family_rial"], rtol=1e-12
    )


def test_monthly_energy_sums_days_into_jalali_months():
    months = accounting_months("2026-03-21", 12)
    daily = np.zeros(365)
    daily[79] = 10.0  # 21 March (day index 79) is 1 Farvardin
    daily[80:110] = 1.0  # 22 March .. 20 April: the rest of Farvardin
    energy = monthly_energy_kwh(daily, months)
    assert energy[0] == pytest.approx(40.0)
    assert energy[1:].sum() == pytest.approx(0.0)
    assert monthly_energy_kwh(np.ones(365), months).tolist() == months["days"].tolist()


def test_energy_the_planner_already_has():
    scenario = sc.qom_baseline().with_changes({"plant.degradation_per_year": 0.01})
    monthly_kwh = np.full(12, 365_000.0)  # January..December
    result = sc.simulate(scenario, energy=monthly_kwh)
    days = pd.date_range("2025-01-01", periods=365)
    # each day carries 365,000 / days in its Gregorian month
    year1_expected = (monthly_kwh[days.month - 1] / days.days_in_month.to_numpy()).sum()
    assert result.summary["energy_kwh_year1"] == pytest.approx(year1_expected)
    # degradation still applies in later years: compound 1 % a year
    assert result.annual.loc[3, "energy_kwh"] == pytest.approx(year1_expected * 0.99**2, rel=2e-3)
    hourly = sc.simulate(scenario, energy=np.full(8760, 500.0))
    assert hourly.summary["energy_kwh_year1"] == pytest.approx(8760 * 500.0)


@pytest.mark.parametrize("energy", [np.ones(11), np.full(12, -1.0), np.full(8760, np.nan)])
def test_bad_energy_is_refused(energy):
    with pytest.raises(InputError, match="energy"):
        sc.simulate(sc.qom_baseline(), energy=energy)


def test_higher_tariff_never_lowers_a_payout():
    base = sc.qom_baseline()
    energy = np.full(12, 420_000.0)
    low = sc.simulate(base, energy=energy).monthly
    high = sc.simulate(base.with_changes({"tariff.base_price_rial_per_kwh": 55_000}), energy=energy).monthly
    # to the rial: after the contract both sell at the same market price and differ only by
    # float rounding of sums near 1e13 rial
    assert (high["payout_per_family_rial"] >= low["payout_per_family_rial"] - 1.0).all()
    assert high["payout_per_family_rial"].sum() > low["payout_per_family_rial"].sum()


def test_fewer_families_get_more_each():
    base = sc.qom_baseline()
    energy = np.full(12, 420_000.0)
    many = sc.simulate(base, energy=energy).summary
    few = sc.simulate(base.with_changes({"cooperative.families": 300}), energy=energy).summary
    assert few["distribution_per_family_rial_mean_year1"] > many["distribution_per_family_rial_mean_year1"]


def test_same_scenario_gives_same_numbers(baseline_result):
    again = sc.simulate(sc.qom_baseline())
    pd.testing.assert_frame_equal(again.monthly, baseline_result.monthly)


def test_simulate_refuses_something_else():
    with pytest.raises(InputError, match="Scenario"):
        sc.simulate({"plant": 1})
