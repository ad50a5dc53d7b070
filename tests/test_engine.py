import dataclasses

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solarcoop as sc
from solarcoop import InputError
from solarcoop.books.specs import MemberClass
from solarcoop.calendar import accounting_months
from solarcoop.engine import money_paths, monthly_energy_kwh, path_kpis

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


PRICED = {"costs.capital_cost_rial_per_kwp": 3.0e8}
"""A plant of 900 bn rial (30 million toman per kW): the families' 600 bn of shares leave a
300 bn gap, filled by ``funding.gap_filled_by`` (sponsor equity unless changed)."""


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
    "operating_costs_rial", "debt_service_rial", "tax_paid_rial", "reserves_rial", "education_fee_rial",
    "replacement_reserve_rial", "replacement_spent_rial", "end_of_life_rial", "distributed_rial",
    "reserve_paid_for_instalments_rial",
]  # fmt: skip


def residual_rial(monthly: pd.DataFrame, starting_cash_rial: float = 0.0) -> float:
    """Largest monthly gap between cash collected and where it went [rial]."""
    cash = monthly["cash_balance_rial"]
    cash_change = cash.diff().fillna(cash.iloc[0] - starting_cash_rial)
    outflows = monthly[OUTFLOWS].sum(axis=1) + cash_change
    inflows = monthly["revenue_collected_rial"] + monthly["interest_earned_rial"]
    return float((inflows - outflows).abs().max())


def test_money_is_conserved_every_month_to_the_rial(baseline_result):
    # rial amounts reach 1e13 late in the life; float64 keeps them to well under a rial
    assert residual_rial(baseline_result.monthly) < 1.0


def test_billed_revenue_is_collected_or_owed(baseline_result):
    m = baseline_result.monthly
    owed = baseline_result.summary["revenue_owed_at_end_rial"]
    assert m["revenue_billed_rial"].sum() == pytest.approx(m["revenue_collected_rial"].sum() + owed, abs=1.0)
    assert m["revenue_owed_rial"].iloc[-1] == pytest.approx(owed, abs=1.0)


def test_family_money_adds_up():
    # paid monthly, the lender debiting the family's account (the payout reading's monthly_debited)
    debited = sc.simulate(sc.disputed.apply(sc.qom_baseline(), "payout", "monthly_debited"))
    m = debited.monthly
    np.testing.assert_allclose(
        m["distribution_per_family_rial"] * 400, m["distributed_to_families_rial"], rtol=1e-12
    )
    # the shares paid the whole plant: the families take every distribution
    assert (m["distributed_to_sponsor_rial"] == 0).all()
    np.testing.assert_allclose(m["distributed_to_families_rial"], m["distributed_rial"], rtol=1e-12)
    # a sponsor's 300 bn rial of a 900 bn plant takes a third of each distribution
    priced = sc.simulate(sc.qom_baseline().with_changes(PRICED), energy=np.full(12, 420_000.0)).monthly
    np.testing.assert_allclose(priced["distributed_to_sponsor_rial"], priced["distributed_rial"] / 3, rtol=1e-12)
    np.testing.assert_allclose(
        priced["distributed_to_families_rial"] + priced["distributed_to_sponsor_rial"], priced["distributed_rial"],
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        m["payout_per_family_rial"] + m["paid_to_lender_per_family_rial"],
        m["distribution_per_family_rial"] + m["paid_from_pocket_per_family_rial"],
        rtol=1e-9, atol=1e-3,
    )
    # the lender debits the family's own account for what the distribution lacks
    np.testing.assert_allclose(
        m["family_cash_flow_rial"], m["distribution_per_family_rial"] - m["loan_instalment_per_family_rial"],
        rtol=1e-9, atol=1e-3,
    )
    assert (m["family_cash_flow_rial"] < 0).sum() == debited.summary["months_paid_from_pocket"] > 0
    lender = m["paid_to_lender_per_family_rial"].sum() + m["arrears_per_family_rial"].iloc[-1]
    assert lender == pytest.approx(m["loan_instalment_per_family_rial"].sum(), abs=1.0)
    # real money is of Shahrivar 1404, the promise's month: seven months before the start, at 35 % a year
    np.testing.assert_allclose(
        m["payout_per_family_real_rial"] * m["cpi_index"] * 1.35 ** (7 / 12), m["payout_per_family_rial"], rtol=1e-12
    )
    assert debited.summary["real_base_month_label"] == "1404-06"


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
    base = sc.qom_baseline().with_changes(PRICED)
    energy = np.full(12, 420_000.0)
    many = sc.simulate(base, energy=energy).summary
    few = sc.simulate(base.with_changes({"cooperative.families": 300}), energy=energy).summary
    # with a sponsor filling the gap, each family still owns its 1.5e9 share: the same each
    assert few["distribution_per_family_rial_mean_year1"] == pytest.approx(
        many["distribution_per_family_rial_mean_year1"], rel=1e-9
    )
    assert few["funding_sponsor_equity_rial"] == pytest.approx(9e11 - 300 * 1.5e9)
    # with the rest of the plant a grant, fewer families own more of it each
    grant = base.with_changes({"funding.gap_filled_by": "grant"})
    many = sc.simulate(grant, energy=energy).summary
    few = sc.simulate(grant.with_changes({"cooperative.families": 300}), energy=energy).summary
    assert few["distribution_per_family_rial_mean_year1"] > many["distribution_per_family_rial_mean_year1"]


def test_same_scenario_gives_same_numbers(baseline_result):
    again = sc.simulate(sc.qom_baseline())
    pd.testing.assert_frame_equal(again.monthly, baseline_result.monthly)


def test_simulate_refuses_something_else():
    with pytest.raises(InputError, match="Scenario"):
        sc.simulate({"plant": 1})


# --- the deeper ledger: a hand-computed year, member classes, debt, reserves, KPIs ---


def plain_year(**changes):
    """One Gregorian year, flat 10,000 rial/kWh, no inflation, paid the month it is sold."""
    scenario = sc.Scenario(
        plant=sc.Plant(capacity_kwp=100.0),
        tariff=sc.FlatTariff(base_price_rial_per_kwh=10_000.0),
        payment=sc.Payment(billing_months=1, delay_months=0),
        economy=sc.Economy(inflation_per_year=0.0, fx_change_per_year=0.0, deposit_rate_per_year=0.0),
        costs=sc.Costs(
            capital_cost_rial_per_kwp=1e6, om_rial_per_kwp_year=0.0,
            insurance_share_of_capital_per_year=0.0, management_rial_per_year=1.2e8,
            depreciation_years=1,
        ),
        cooperative=sc.Cooperative(
            families=10, income_tax_rate=0.2, tax_discount=0.0, working_cash_months=0,
            share_price_rial=1e6, distribution_rule="cash", payout_cadence="monthly", first_payout_month_index=0,
        ),
        funding=sc.Funding(gap_filled_by="grant"),
        loan=sc.Loan(principal_rial=1.2e7, annual_rate=0.0, term_months=12, shortfall="debited"),
        lifetime_years=1,
        start_date="2026-01-01",
        calendar="gregorian",
    )  # fmt: skip
    return scenario.with_changes(changes)


def test_a_year_of_the_family_statement_by_hand():
    result = sc.simulate(plain_year(), energy=np.full(12, 10_000.0))
    m = result.monthly
    # revenue 1e8 a month; management 1e7; depreciation over one year of the 1e7 the shares
    # paid (the 9e7 grant reduces the plant's cost); tax 20 % of the profit, paid at the end
    profit = 1e8 - 1e7 - 1e7 / 12
    tax = 0.2 * profit
    after_tax = profit - tax
    # legal reserve 5 % of profit after tax, capped at a quarter of 10 x 1e6 = 2.5e6
    # (reached in the first month); precautionary 5 %, education fee 4 % every month
    legal = [2.5e6] + [0.0] * 11
    np.testing.assert_allclose(m["tax_rial"], tax)
    np.testing.assert_allclose(m["tax_paid_rial"], [0.0] * 11 + [12 * tax])
    np.testing.assert_allclose(m["legal_reserve_rial"], legal)
    np.testing.assert_allclose(m["precautionary_reserve_rial"], 0.05 * after_tax)
    np.testing.assert_allclose(m["education_fee_rial"], 0.04 * after_tax)
    distributed = 1e8 - 1e7 - tax - np.array(legal) - 0.09 * after_tax
    np.testing.assert_allclose(m["distributed_rial"], distributed)
    # each of 10 families gets a tenth and repays 1e6 a month (1.2e7 over 12 months at 0 %)
    np.testing.assert_allclose(m["distribution_per_family_rial"], distributed / 10)
    np.testing.assert_allclose(m["payout_per_family_rial"], distributed / 10 - 1e6)
    np.testing.assert_allclose(m["payout_per_family_real_rial"], distributed / 10 - 1e6)
    assert m["distribution_per_family_rial"].iloc[0] == pytest.approx(6_324_666.67, abs=0.01)
    assert m["payout_per_family_rial"].iloc[1] == pytest.approx(5_574_666.67, abs=0.01)
    s = result.summary
    assert s["payout_per_family_rial_mean_year1"] == pytest.approx((distributed / 10 - 1e6).mean())
    assert s["loan_paid_off_label"] == "2026-12"
    assert s["months_distribution_below_instalment"] == 0
    assert residual_rial(m) < 1e-6
    # the only replacement (year 12) is after the one-year life: no reserve
    assert m["replacement_reserve_rial"].abs().sum() == 0
    # capital 1e8 now, then 1e8 - 1e7 a month, the year's tax paid in its last month;
    # real = nominal without inflation
    flows = np.concatenate([[-1e8], np.full(12, 1e8 - 1e7)])
    flows[-1] -= 12 * tax
    assert s["project_npv_real_rial"] == pytest.approx(float(sc.finance.npv_rial(0.10, flows)))
    # the capital comes back in under two months: an IRR beyond the searched 10,000 %/year
    assert np.isnan(s["project_irr_nominal_per_year"]) and np.isnan(s["project_irr_real_per_year"])
    factors = 1.1 ** (-np.arange(1, 13) / 12)
    lcoe = (1e8 + np.sum(1e7 * factors)) / np.sum(10_000 * factors)
    assert s["levelised_cost_real_rial_per_kwh"] == pytest.approx(lcoe)


def test_the_law_distributes_profit_and_keeps_depreciation_cash():
    result = sc.simulate(
        plain_year(**{"cooperative.distribution_rule": "profit"}), energy=np.full(12, 10_000.0)
    )
    m = result.monthly
    profit = 1e8 - 1e7 - 1e7 / 12
    after_tax = 0.8 * profit
    legal = np.array([2.5e6] + [0.0] * 11)
    distributable = after_tax - legal - 0.09 * after_tax
    np.testing.assert_allclose(m["distributable_profit_rial"], distributable)
    np.testing.assert_allclose(m["distributed_rial"], distributable)
    # the depreciation's cash (1e7 / 12 a month) stays with the cooperative, beside the
    # tax held until it is paid in the last month
    owed = (m["tax_rial"] - m["tax_paid_rial"]).cumsum()
    np.testing.assert_allclose(m["cash_balance_rial"] - owed, 1e7 / 12 * np.arange(1, 13))
    assert residual_rial(m) < 1e-6
    assert result.summary["cash_balance_end_real_rial"] == pytest.approx(1e7)


def test_the_family_share_return_and_its_own_pocket_by_hand():
    # plain year: each family's 1e6 share earns 6,528,666.67 a month, far above a 1e6
    # instalment; a 3e7 instalment instead makes it pay 3e7 - distribution from its pocket
    result = sc.simulate(plain_year(), energy=np.full(12, 10_000.0))
    s = result.summary
    assert s["family_share_rial"] == 1e6
    assert s["family_share_payback_label"] == "2026-01"  # earned back in the first month
    assert s["months_paid_from_pocket"] == 0
    heavy = plain_year(**{"loan.principal_rial": 3.6e8})
    m = sc.simulate(heavy, energy=np.full(12, 10_000.0)).monthly
    np.testing.assert_allclose(
        m["paid_from_pocket_per_family_rial"], 3e7 - m["distribution_per_family_rial"]
    )
    np.testing.assert_allclose(m["family_cash_flow_rial"], m["distribution_per_family_rial"] - 3e7)
    assert m["payout_per_family_rial"].eq(0).all()
    arrears = sc.simulate(heavy.with_changes({"loan.shortfall": "arrears"}), energy=np.full(12, 10_000.0)).monthly
    assert arrears["paid_from_pocket_per_family_rial"].eq(0).all()
    np.testing.assert_allclose(arrears["family_cash_flow_rial"], 0.0, atol=1e-6)
    np.testing.assert_allclose(
        arrears["arrears_per_family_rial"], np.cumsum(3e7 - m["distribution_per_family_rial"])
    )


def test_the_family_share_irr_by_hand():
    out = sc.engine.family_share_return(1200.0, np.full((2, 24), 100.0))
    # 100 a month for two years on 1,200: numpy-financial's monthly IRR, compounded
    monthly = npf.irr(np.concatenate([[-1200.0], np.full(24, 100.0)]))
    np.testing.assert_allclose(out["family_share_irr_real_per_year"], (1 + monthly) ** 12 - 1, rtol=1e-6)
    assert out["family_share_payback_month"].tolist() == [11, 11]


def test_member_classes_share_by_shares_and_repay_their_own_loans():
    energy = np.full(12, 420_000.0)
    big = sc.Loan(principal_rial=3e9, annual_rate=0.04, term_months=120)
    classes = (MemberClass("7.5 kW", 300, 7.5), MemberClass("5 kW", 150, 5.0, big))
    scenario = sc.qom_baseline().with_changes(
        {"member_classes": classes, "cooperative.families": 450, "cooperative.share_price_rial": 2.5e8, **PRICED}
    )
    scenario = sc.disputed.apply(scenario, "payout", "monthly_debited")  # paid monthly, shortfalls debited
    result = sc.simulate(scenario, energy=energy)
    by_class = result.by_class
    assert set(by_class["class"]) == {"7.5 kW", "5 kW"}
    assert len(by_class) == 2 * len(result.monthly)
    first = by_class[by_class["class"] == "7.5 kW"].reset_index(drop=True)
    second = by_class[by_class["class"] == "5 kW"].reset_index(drop=True)
    m = result.monthly
    # distributions split by shares: 300 x 7.5 + 150 x 5 = 3,000 shares
    to_families = m["distributed_to_families_rial"]
    np.testing.assert_allclose(first["distribution_per_family_rial"], to_families * 7.5 / 3000)
    np.testing.assert_allclose(second["distribution_per_family_rial"], to_families * 5 / 3000)
    # 3,000 shares at 2.5e8 rial are 750 bn of the 900 bn plant: the sponsor takes a sixth
    np.testing.assert_allclose(to_families, m["distributed_rial"] * 5 / 6, rtol=1e-12)
    np.testing.assert_allclose(first["loan_instalment_per_family_rial"].iloc[0], 20_503_209.5, atol=0.01)
    assert first["loan_instalment_per_family_rial"].iloc[84:].eq(0).all()
    assert second["loan_instalment_per_family_rial"].iloc[84:120].gt(0).all()
    # the top-level family is the family-weighted average of the classes
    average = (300 * first["payout_per_family_rial"] + 150 * second["payout_per_family_rial"]) / 450
    np.testing.assert_allclose(m["payout_per_family_rial"], average, rtol=1e-12, atol=1e-3)
    np.testing.assert_allclose(m["distribution_per_family_rial"] * 450, to_families, rtol=1e-12)
    summary = result.class_summary
    for name, frame in (("7.5 kW", first), ("5 kW", second)):
        assert summary.loc[name, "months_paid_from_pocket"] == int((frame["paid_from_pocket_per_family_rial"] > 0.5).sum())
        year1 = frame.iloc[:12]
        assert summary.loc[name, "family_cash_flow_rial_mean_year1"] == pytest.approx(
            (year1["distribution_per_family_rial"] - year1["loan_instalment_per_family_rial"]).mean()
        )
    assert summary.loc["7.5 kW", "loan_paid_off_label"] == "1411-12"
    assert summary.loc["5 kW", "loan_paid_off_label"] == "1414-12"
    assert result.summary["loan_paid_off_label"] == "1414-12"  # when every family is clear
    assert residual_rial(m) < 1.0


def test_member_classes_that_do_not_add_up_are_refused():
    classes = (MemberClass("a", 300), MemberClass("b", 300))
    scenario = sc.qom_baseline().with_changes({"member_classes": classes})
    with pytest.raises(InputError, match="cooperative.families = 400"):
        sc.simulate(scenario, energy=np.full(12, 1.0))
    with pytest.raises(InputError, match="member_classes"):
        sc.qom_baseline().with_changes({"member_classes": ({"name": "a", "families": 400},)})


def test_default_single_class_keeps_the_dotted_paths():
    energy = np.full(12, 420_000.0)
    base = sc.simulate(sc.qom_baseline(), energy=energy)
    longer = sc.simulate(sc.qom_baseline().with_changes({"loan.term_months": 120}), energy=energy)
    assert longer.summary["loan_instalment_per_family_rial_mean_year1"] < base.summary[
        "loan_instalment_per_family_rial_mean_year1"
    ]
    assert list(base.class_summary.index) == ["all families"]
    assert base.class_summary.loc["all families", "families"] == 400


def test_cooperative_debt_is_serviced_first_and_covered():
    energy = np.full(12, 420_000.0)
    base = sc.simulate(sc.qom_baseline().with_changes(PRICED), energy=energy)
    levered = sc.simulate(sc.qom_baseline().with_changes({**PRICED, "funding.gap_filled_by": "debt"}), energy=energy)
    m = levered.monthly
    principal = 3.0e8 * 3000 - 400 * 1.5e9  # the 300 bn rial gap, borrowed from SATBA at 14 %
    assert levered.summary["funding_debt_rial"] == pytest.approx(principal)
    assert levered.summary["funding_sponsor_equity_rial"] == 0
    assert m["debt_service_rial"].sum() == pytest.approx(
        principal * 0.14 / 12 * 12 + 48 * -npf.pmt(0.14 / 12, 48, principal), rel=1e-12
    )
    # the families own the whole of the distributions, the debt comes first
    np.testing.assert_allclose(m["distributed_to_families_rial"], m["distributed_rial"])
    assert m["debt_service_rial"].iloc[60:].eq(0).all()
    assert residual_rial(m) < 1.0
    # debt comes before the families: less is distributed while it is repaid
    assert m["distributed_rial"].iloc[:60].sum() < base.monthly["distributed_rial"].iloc[:60].sum()
    yearly = levered.annual["debt_service_coverage_ratio"]
    assert yearly.iloc[:5].notna().all() and yearly.iloc[5:].isna().all()
    expected = (
        levered.annual["cash_available_for_debt_service_rial"] / levered.annual["debt_service_rial"]
    ).iloc[:5]
    np.testing.assert_allclose(yearly.iloc[:5], expected)
    assert levered.summary["debt_service_coverage_ratio_min"] == pytest.approx(expected.min())
    assert np.isnan(base.summary["debt_service_coverage_ratio_min"])


def test_inverter_replacement_is_paid_from_its_reserve_in_its_year(baseline_result):
    m = baseline_result.monthly
    spent = m[m["replacement_spent_rial"] > 0]
    assert list(spent["operating_year"]) == [12]
    assert spent.index[0] == m.index[m["operating_year"] == 12][0]  # the year's first month
    capital = 400 * 1.5e9  # the shares paid the whole plant
    cost = 0.05 * capital * m["cpi_index"].loc[spent.index[0]]
    assert spent["replacement_spent_rial"].iloc[0] == pytest.approx(cost)
    balance_before = m["replacement_reserve_balance_rial"].loc[spent.index[0] - 1]
    assert balance_before == pytest.approx(0.05 * capital * m["cpi_index"].loc[spent.index[0] - 1])
    assert m["replacement_reserve_balance_rial"].iloc[-1] == 0


def test_project_npv_by_hand():
    result = sc.simulate(plain_year(), energy=np.full(12, 10_000.0))
    tax = 0.2 * (1e8 - 1e7 - 1e7 / 12)  # only the shares' 1e7 is depreciated (the grant reduces the cost)
    flows = np.full(12, 1e8 - 1e7)
    flows[-1] -= 12 * tax  # the year's tax, paid after its close: here in the last month
    expected = -1e8 + np.sum(flows * 1.10 ** (-np.arange(1, 13) / 12))
    assert result.summary["discount_rate_real_per_year"] == 0.10
    assert result.summary["project_npv_real_rial"] == pytest.approx(expected, rel=1e-12)


def test_yardsticks_of_the_baseline_are_ordered(baseline_result):
    s = baseline_result.summary
    assert s["project_irr_nominal_per_year"] > s["project_irr_real_per_year"] > 0
    assert s["levelised_cost_real_rial_per_kwh"] > 0


def test_availability_applies_to_energy_before_it():
    scenario = sc.qom_baseline().with_changes({"plant.degradation_per_year": 0.01})
    energy = np.full(12, 365_000.0)
    at_meter = sc.simulate(scenario, energy=energy)
    before = sc.simulate(scenario, energy=energy, energy_is_at_meter=False)
    np.testing.assert_allclose(before.monthly["energy_kwh"], at_meter.monthly["energy_kwh"] * 0.97)
    assert before.annual.loc[3, "energy_kwh"] == pytest.approx(
        at_meter.annual.loc[1, "energy_kwh"] * 0.97 * 0.99**2, rel=2e-3
    )
    with pytest.raises(InputError, match="energy_is_at_meter"):
        sc.simulate(scenario, energy=energy, energy_is_at_meter="no")


def test_money_paths_keeps_its_shapes_for_many_paths():
    scenario = sc.qom_baseline().with_changes({"debt.share_of_capital_cost": 0.2})
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years)
    energy = np.linspace(0.9, 1.1, 3)[:, None] * np.full((3, len(months)), 420_000.0)
    cpi = np.stack([1.3 ** (np.arange(len(months)) / 12)] * 3)
    lines = money_paths(scenario, months, energy, energy, cpi, cpi, by_class=True)
    assert all(v.shape == (3, len(months)) for k, v in lines.items() if not k.startswith(("class_", "revenue_owed")))
    assert lines["class_payout_per_family_rial"].shape == (3, 1, len(months))
    kpis = path_kpis(scenario, months, lines)
    assert all(np.shape(v) == (3,) for v in kpis.values())
    assert np.all(np.diff(kpis["project_npv_real_rial"]) > 0)  # more energy, more value
    slow = money_paths(scenario, months, energy, energy, cpi, cpi, payment=sc.Payment(delay_months=6))
    assert slow["revenue_collected_rial"][:, :6].sum() == 0


def random_scenario(draw):
    classes = draw(st.lists(st.tuples(st.integers(1, 300), st.floats(0.5, 10)), min_size=0, max_size=3))
    member_classes = tuple(
        MemberClass(f"class {i}", families, shares, sc.Loan(term_months=draw(st.integers(12, 120))))
        for i, (families, shares) in enumerate(classes)
    )
    families = sum(c.families for c in member_classes) or draw(st.integers(1, 800))
    shares = sum(c.families * c.shares_per_family for c in member_classes) or families
    debt_share = draw(st.sampled_from([0.0, 0.3]))
    # the families' shares pay 5-55 % of the plant; a grant, a sponsor or debt the rest
    share_price = draw(st.floats(2.5e8, 3e9))
    capital = shares * share_price / draw(st.floats(0.05, 0.55))
    return sc.qom_baseline().with_changes(
        {
            "cooperative.share_price_rial": share_price,
            "costs.capital_cost_rial_per_kwp": capital / 3000,
            "cooperative.distribution_rule": draw(st.sampled_from(["profit", "cash"])),
            "cooperative.reserve_uses": draw(
                st.sampled_from([(), ("inverter_replacement",), ("instalment_shortfall",),
                                 ("inverter_replacement", "instalment_shortfall")])
            ),
            "cooperative.smoothing_months": draw(st.sampled_from([None, 1, 4])),
            "loan.shortfall": draw(st.sampled_from(["debited", "arrears"])),
            "funding.gap_filled_by": draw(st.sampled_from(["grant", "sponsor_equity", "debt"])),
            "funding.grant_rial": draw(st.sampled_from([0.0, 0.1 * capital])),
            "economy.deposit_rate_per_year": draw(st.sampled_from([None, 0.0, 0.3])),
            "lifetime_years": draw(st.integers(5, 14)),  # the debt (60 months) fits in the life
            "member_classes": member_classes,
            "cooperative.families": families,
            "cooperative.working_cash_months": draw(st.floats(0, 6)),
            "cooperative.end_of_life_settlement": draw(
                st.sampled_from(["kept", "distributed", "owed_collected_and_distributed"])
            ),
            "cooperative.tax_exempt_years": draw(st.integers(0, 3)),
            "payment.billing_months": draw(st.integers(1, 3)),
            "payment.delay_months": draw(st.integers(0, 4)),
            "costs.management_rial_per_year": draw(st.floats(0, 2e11)),
            "costs.inverter_replacement_year": draw(st.integers(2, 15)),
            "costs.decommissioning_share_of_capital": draw(st.floats(0, 0.2)),
            "costs.salvage_share_of_capital": draw(st.floats(0, 0.2)),
            "debt.share_of_capital_cost": debt_share,
            "economy.inflation_per_year": draw(st.floats(0, 0.6)),
        }
    )


@st.composite
def scenarios(draw):
    return random_scenario(draw), draw(st.lists(st.floats(0, 1e6), min_size=12, max_size=12))


@settings(max_examples=25, deadline=None)
@given(scenarios())
def test_money_is_conserved_in_random_scenarios(case):
    scenario, energy = case
    result = sc.simulate(scenario, energy=energy)
    m = result.monthly
    scale = max(1.0, m["revenue_collected_rial"].abs().max() * 1e-12)
    assert residual_rial(m) < scale  # a rial, or 1e-12 of a month's money in late inflated years
    by_class = result.by_class
    paid = by_class.groupby("label", sort=False).apply(
        lambda g: (g["distribution_per_family_rial"] * g["families"]).sum(), include_groups=False
    )
    np.testing.assert_allclose(paid.to_numpy(), m["distributed_to_families_rial"].to_numpy(), rtol=1e-9, atol=1e-3)
    np.testing.assert_allclose(
        m["distributed_to_families_rial"] + m["distributed_to_sponsor_rial"],
        m["distributed_rial"] + m["reserve_paid_for_instalments_rial"], rtol=1e-9, atol=1e-3,
    )
    rounding = 1e-6 + 1e-12 * m["distribution_per_family_rial"].abs().max()
    assert (m["payout_per_family_rial"] >= -rounding).all()
    assert (m["paid_from_pocket_per_family_rial"] >= -rounding).all()
    s = result.summary
    sources = s[["funding_family_shares_rial", "funding_grant_rial", "funding_sponsor_equity_rial", "funding_debt_rial"]]
    assert sources.sum() == pytest.approx(s["capital_cost_rial"], rel=1e-12)


@settings(max_examples=20, deadline=None)
@given(scenarios(), st.floats(1.0, 3.0))
def test_higher_tariff_never_lowers_the_money_received_by_any_month_in_random_scenarios(case, factor):
    scenario, energy = case
    # every bill in cash: with the rest settled in yearly lumps a month can move either way
    scenario = scenario.with_changes({"payment.cash_share": 1.0, "payment.deferred_delay_months": None})
    low = sc.simulate(scenario, energy=energy)
    price = scenario.tariff.base_price_rial_per_kwh * factor
    high = sc.simulate(scenario.with_changes({"tariff.base_price_rial_per_kwh": price}), energy=energy)
    # by every month the families have received at least as much in all (the law's
    # profit rule may pay a catch-up later in one case than the other, so single months
    # may differ)
    # (the family's money, not the payout floored at zero: on accrual books the larger tax of
    # a higher tariff is paid after the fiscal year, which moves money between months, and a
    # floor applied month by month is not additive over months)
    tolerance = 1.0 + 1e-9 * low.monthly["distributed_rial"].abs().sum()
    for column in ("distributed_rial", "family_cash_flow_rial"):
        assert (high.monthly[column].cumsum() >= low.monthly[column].cumsum() - tolerance).all()
    gap = (
        high.by_class.groupby("class")["family_cash_flow_rial"].cumsum()
        - low.by_class.groupby("class")["family_cash_flow_rial"].cumsum()
    )
    assert (gap >= -tolerance).all()


def test_year_one_does_not_depend_on_how_many_years_are_simulated():
    energy = np.full(12, 420_000.0)
    base = sc.qom_baseline().with_changes({"costs.inverter_replacement_share_of_capital": 0.0})
    long = sc.simulate(base, energy=energy)
    short = sc.simulate(base.with_changes({"lifetime_years": 10}), energy=energy)
    for column in ("tax_rial", "distributed_rial"):
        assert short.annual.loc[1, column] == pytest.approx(long.annual.loc[1, column])


def test_debt_running_past_the_life_is_refused():
    short = sc.qom_baseline().with_changes({"debt.share_of_capital_cost": 0.3, "lifetime_years": 3})
    with pytest.raises(InputError, match="debt.term_months = 60"):
        sc.simulate(short, energy=np.full(12, 4e5))


def test_negative_working_cash_is_reported(baseline_result):
    m = baseline_result.monthly
    s = baseline_result.summary
    # no cash comes in before the first bill is paid, but costs do
    assert s["cash_balance_min_rial"] == pytest.approx(m["cash_balance_rial"].min())
    assert s["months_cash_negative"] == int((m["cash_balance_rial"] < -0.5).sum()) > 0


def test_time_of_use_prices_each_hour_of_energy():
    base = sc.qom_baseline().with_changes({"lifetime_years": 2})
    hourly = np.zeros(8760)
    hourly[12::24] = 100.0  # noon every day: mid-load all year
    hourly[22::24] = 50.0  # 22:00: peak from Farvardin to Shahrivar (19-23), off-peak from Mehr (21-05)
    plain = sc.simulate(base, energy=hourly).monthly
    tou = sc.TimeOfUse(off_peak_coefficient=0.5, mid_load_coefficient=1.0, peak_coefficient=2.0)
    priced = sc.simulate(base.with_changes({"tariff.time_of_use": tou}), energy=hourly).monthly
    np.testing.assert_allclose(priced["energy_kwh"], plain["energy_kwh"])
    # Farvardin (first month): noon at 1.0, 22:00 at 2.0
    days = plain["days"].iloc[0]
    assert priced["revenue_billed_rial"].iloc[0] == pytest.approx(
        plain["price_rial_per_kwh"].iloc[0] * days * (100 + 2.0 * 50)
    )
    # Dey (tenth month): 22:00 falls in the off-peak block
    days = plain["days"].iloc[9]
    assert priced["revenue_billed_rial"].iloc[9] == pytest.approx(
        plain["price_rial_per_kwh"].iloc[9] * days * (100 + 0.5 * 50)
    )


def test_a_whole_run_on_a_weather_file_or_frame(tmp_path):
    weather = sc.weather.qom_typical_year()
    path = tmp_path / "qom.csv"
    weather.rename_axis("time").to_csv(path)
    base = sc.qom_baseline()
    from_frame = sc.simulate(base.with_changes({"weather": weather}))
    from_file = sc.simulate(base.with_changes({"weather": str(path)}))
    embedded = sc.simulate(base)
    assert from_frame.summary["energy_kwh_year1"] == pytest.approx(embedded.summary["energy_kwh_year1"], rel=1e-9)
    assert from_file.summary["energy_kwh_year1"] == pytest.approx(embedded.summary["energy_kwh_year1"], rel=1e-4)
    darker = weather.assign(**{column: weather[column] * 0.9 for column in ("ghi", "dni", "dhi")})
    assert sc.simulate(base.with_changes({"weather": darker})).summary["energy_kwh_year1"] < 0.95 * (
        embedded.summary["energy_kwh_year1"]
    )


def test_starting_cash_covers_the_first_months_and_is_conserved():
    # the first bill is paid in the fourth month; the costs, reserves and fee of three months
    # of accrual profit come first (8.8 bn rial without starting cash)
    scenario = sc.qom_baseline().with_changes({"cooperative.starting_cash_rial": 9e9})
    result = sc.simulate(scenario, energy=np.full(12, 420_000.0))
    assert result.summary["months_cash_negative"] == 0
    assert residual_rial(result.monthly, starting_cash_rial=9e9) < 1.0
    with pytest.raises(InputError, match="cooperative.starting_cash_rial"):
        scenario.with_changes({"cooperative.starting_cash_rial": -1})


def test_the_embedded_qom_year_far_from_qom_is_a_finding_and_not_in_qom(tmp_path, capsys):
    from solarcoop.cli import main
    from solarcoop.files import save_scenario

    isfahan = sc.Site(latitude=32.65, longitude=51.67, altitude_m=1570, timezone="Asia/Tehran", name="Isfahan")
    far = sc.qom_baseline().with_changes({"site": isfahan, "lifetime_years": 1})
    (finding,) = sc.simulate(far).findings
    assert "Isfahan is 233 km from Qom" in finding
    assert "fetch_pvgis_tmy(32.65, 51.67)" in finding and "weather='FILE'" in finding
    assert sc.simulate(sc.qom_baseline().with_changes({"lifetime_years": 1})).findings == ()
    near = sc.qom_baseline().with_changes({"site.latitude": 34.9, "lifetime_years": 1})  # 29 km north
    assert [finding.code for finding in sc.simulate(near).findings] == ["altitude_looked_up"]
    assert sc.simulate(near.with_changes({"site.altitude_m": 1000})).findings == ()
    assert sc.simulate(far, energy=np.full(12, 300_000.0)).findings == ()  # the planner's own energy
    assert main(["run", str(save_scenario(far, tmp_path / "far.toml")), "--out", str(tmp_path / "out")]) == 0
    assert "note: weather: the site Isfahan is 233 km from Qom" in capsys.readouterr().out


def test_the_owed_bills_are_collected_and_everything_paid_out_at_the_end():
    energy = np.full(12, 420_000.0)
    base = sc.qom_baseline().with_changes({"lifetime_years": 3})
    kept = sc.simulate(base, energy=energy)
    settled = sc.simulate(
        base.with_changes({"cooperative.end_of_life_settlement": "owed_collected_and_distributed"}), energy=energy
    )
    owed = kept.summary["revenue_owed_at_end_rial"]
    assert owed > 0 and kept.summary["reserves_balance_end_rial"] > 0
    k, s = kept.monthly, settled.monthly
    # the bills still owed come in, at face value, in the last month; nothing else changes before it
    assert s["revenue_collected_rial"].iloc[-1] == pytest.approx(k["revenue_collected_rial"].iloc[-1] + owed)
    np.testing.assert_allclose(s["distributed_rial"].iloc[:-1], k["distributed_rial"].iloc[:-1])
    assert settled.summary["revenue_owed_at_end_rial"] == 0
    # the precautionary reserve is paid out; the legal reserve is indivisible and stays
    assert settled.summary["reserves_balance_end_rial"] == pytest.approx(s["legal_reserve_rial"].sum(), abs=1.0)
    assert s["legal_reserve_rial"].sum() > 0
    assert settled.summary["cash_balance_end_rial"] == pytest.approx(0, abs=1.0)
    assert residual_rial(s) < 1.0
    # in real money (Shahrivar 1404, seven months before the start), what the kept reading leaves behind
    last_cpi = k["cpi_index"].iloc[-1]
    assert kept.summary["revenue_owed_at_end_real_rial"] == pytest.approx(owed / last_cpi / 1.35 ** (7 / 12))
    assert kept.summary["reserves_balance_end_real_rial"] == pytest.approx(
        kept.summary["reserves_balance_end_rial"] / last_cpi / 1.35 ** (7 / 12)
    )


def test_two_years_priced_billed_and_collected_by_hand():
    """A flat 40,000 rial/kWh rising 10 % a year, on the baseline's billing and payment
    terms: the price of each year, the bill of each month and where every bill went."""
    scenario = dataclasses.replace(sc.qom_baseline(), tariff=sc.FlatTariff(40_000.0, 0.1), lifetime_years=2)
    result = sc.simulate(scenario, energy=np.full(12, 300_000.0))
    m = result.monthly
    assert len(m) == 24
    # year 1 at the base price, year 2 one escalation higher
    np.testing.assert_allclose(m["price_rial_per_kwh"].iloc[:12], 40_000.0, rtol=1e-15)
    np.testing.assert_allclose(m["price_rial_per_kwh"].iloc[12:], 44_000.0, rtol=1e-15)
    # every month's bill is its priced energy at its price
    np.testing.assert_array_equal(m["revenue_billed_rial"], m["priced_energy_kwh"] * m["price_rial_per_kwh"])
    # bills paid two months late: the last ones are still owed at the end, and every
    # bill is either collected or owed, to the rial
    owed = result.summary["revenue_owed_at_end_rial"]
    assert owed > 0
    assert m["revenue_collected_rial"].iloc[:3].sum() == 0
    assert m["revenue_collected_rial"].sum() + owed == pytest.approx(m["revenue_billed_rial"].sum(), abs=1.0)


def test_paths_collected_in_groups_equal_each_group_collected_alone():
    from solarcoop import engine

    billed = np.arange(1.0, 49.0).reshape(4, 12) * 1e6
    base = sc.Payment(billing_months=2, delay_months=1)
    slow = sc.Payment(billing_months=2, delay_months=5, cash_share=0.5, deferred_delay_months=3)
    members = np.array([True, False, True, False])
    grouped = engine.collect_paths(billed, base, [(base, members), (slow, ~members)])
    for terms, rows in ((base, members), (slow, ~members)):
        alone = engine.collect_paths(billed[rows], terms)
        for name in ("revenue_collected_rial", "revenue_owed_at_end_rial"):
            np.testing.assert_array_equal(grouped[name][rows], alone[name])
    with pytest.raises(InputError, match="billing period"):
        engine.collect_paths(billed, base, [(sc.Payment(billing_months=1), members)])
