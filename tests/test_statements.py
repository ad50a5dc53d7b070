"""The three statements reconcile, over random scenarios with every funding source and rule.

- the balance sheet balances at the end of every month;
- the cash-flow statement runs from the opening to the closing cash, and ends at the
  balance sheet's cash and deposits;
- retained profit moves by profit after tax less appropriations and distributions.

And the rules of the books, each on a small case: tax paid after the fiscal year, the
payout cadence, the true-up, the legal reserve kept on dissolution, the grant rules.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solarcoop as sc
from solarcoop.books.statements import (
    CASH_FLOW_LINES,
    CASH_FLOWS,
    INCOME_FLOWS,
    INCOME_STATEMENT_LINES,
    Line,
    balance_sheet_by_month,
    taken,
)
from solarcoop.engine import funding

ENERGY_KWH = [300e3, 330e3, 400e3, 450e3, 500e3, 530e3, 540e3, 520e3, 470e3, 400e3, 320e3, 280e3]


def run(changes):
    scenario = sc.qom_baseline().with_changes(changes)
    return scenario, sc.simulate(scenario, energy=ENERGY_KWH)


@st.composite
def scenarios(draw):
    """Changes to the Qom baseline: every funding source, every rule of the books."""
    gap = draw(st.sampled_from(["grant", "sponsor_equity", "debt"]))
    changes = {
        "lifetime_years": draw(st.integers(6, 25)),
        "costs.capital_cost_rial_per_kwp": draw(st.sampled_from([None, 3.0e8])),  # a gap for the source to fill
        "funding.gap_filled_by": gap,
        "funding.grant_rial": draw(st.sampled_from([0.0, 5e10])),
        "cooperative.grant_rule": draw(st.sampled_from(["reduces_cost", "deferred_income"])),
        "cooperative.books_basis": draw(st.sampled_from(["accrual", "cash"])),
        "cooperative.tax_paid": draw(st.sampled_from(["after_fiscal_year", "monthly_on_account"])),
        "cooperative.tax_exempt_years": draw(st.integers(0, 3)),
        "cooperative.distribution_rule": draw(st.sampled_from(["profit", "cash"])),
        "cooperative.reserve_uses": tuple(
            draw(st.lists(st.sampled_from(["inverter_replacement", "instalment_shortfall"]), unique=True))
        ),
        "cooperative.end_of_life_settlement": draw(
            st.sampled_from(["kept", "distributed", "owed_collected_and_distributed"])
        ),
        "cooperative.payout_cadence": draw(st.sampled_from(["monthly", "quarterly"])),
        "cooperative.first_payout_month_index": draw(st.integers(0, 14)),
        "cooperative.starting_cash_rial": draw(st.sampled_from([0.0, 2e9])),
        "cooperative.working_cash_rate_share_of_deposit_rate": draw(st.sampled_from([0.0, 10 / 18, 1.0])),
        "costs.decommissioning_share_of_capital": draw(st.sampled_from([0.0, 0.04])),
        "costs.inverter_replacement_year": draw(st.integers(2, 14)),
        "payment.delay_months": draw(st.integers(0, 8)),
        "payment.cash_share": draw(st.sampled_from([1.0, 0.6])),
    }
    if gap == "debt":
        changes["debt.term_months"] = 48
    return changes


def scale(sheet) -> float:
    """The size of the books, for a tolerance of rounding [rial]."""
    return 1e-9 * float(sheet["total_assets_rial"].abs().max()) + 1.0


@settings(max_examples=30, deadline=None)
@given(scenarios())
def test_the_statements_reconcile(changes):
    scenario, result = run(changes)
    sheet = balance_sheet_by_month(result.monthly, funding(scenario), scenario.cooperative)
    tolerance = scale(sheet)
    # the balance sheet balances at every month's end
    np.testing.assert_allclose(sheet["total_assets_rial"], sheet["total_liabilities_and_equity_rial"], rtol=0, atol=tolerance)
    statements = result.statements
    cash_flow, balance, income = statements["cash_flow"], statements["balance_sheet"], statements["income_statement"]
    # the cash-flow statement runs from the opening cash to the closing, and ends at the balance sheet's cash
    flows = cash_flow.loc[["operating_cash_flow_rial", "investing_cash_flow_rial", "financing_cash_flow_rial"]].sum()
    np.testing.assert_allclose(cash_flow.loc["cash_opening_rial"] + flows, cash_flow.loc["cash_closing_rial"], rtol=0, atol=tolerance)
    np.testing.assert_allclose(
        cash_flow.loc["cash_closing_rial"],
        balance.loc["working_cash_rial"] + balance.loc["reserve_funds_rial"],
        rtol=0,
        atol=tolerance,
    )
    assert cash_flow.loc["cash_opening_rial"].iloc[0] == scenario.cooperative.starting_cash_rial
    # retained profit moves by profit less appropriations and distributions
    moved = income.loc[
        [
            "profit_after_tax_rial", "legal_reserve_rial", "precautionary_reserve_rial", "education_fee_rial",
            "distribution_advance_rial", "distribution_true_up_rial",
        ]
    ].sum()  # fmt: skip
    np.testing.assert_allclose(
        income.loc["retained_profit_opening_rial"] + moved, income.loc["retained_profit_closing_rial"], rtol=0, atol=tolerance
    )
    np.testing.assert_allclose(income.loc["retained_profit_closing_rial"], balance.loc["retained_profit_rial"], rtol=0, atol=tolerance)
    # the payout is the advance and the true-up
    monthly = result.monthly
    np.testing.assert_allclose(
        monthly["distribution_advance_rial"] + monthly["distribution_true_up_rial"], monthly["distributed_rial"],
        rtol=1e-12, atol=1e-6,  # a sum of two floats: exact to the rial, and to 1e-12 of tens of billions
    )
    # the legal reserve never reaches the members
    assert (sheet["legal_reserve_rial"].diff().fillna(sheet["legal_reserve_rial"]) >= -tolerance).all()


def test_accrual_books_a_bill_when_issued_and_owes_it_until_paid():
    scenario, result = run({"payment.delay_months": 3})
    monthly = result.monthly
    np.testing.assert_array_equal(monthly["income_rial"], monthly["revenue_billed_rial"])
    receivable = result.statements["balance_sheet"].loc["receivables_rial"]
    year1 = monthly[monthly["operating_year"] == 1]
    assert receivable.iloc[0] == pytest.approx(year1["revenue_billed_rial"].sum() - year1["revenue_collected_rial"].sum())
    _, cash = run({"payment.delay_months": 3, "cooperative.books_basis": "cash"})
    np.testing.assert_array_equal(cash.monthly["income_rial"], cash.monthly["revenue_collected_rial"])
    assert (cash.statements["balance_sheet"].loc["receivables_rial"] == 0).all()


def test_a_year_of_tax_is_paid_in_the_fourth_month_of_the_next():
    _, result = run({})
    monthly = result.monthly
    paid = monthly["tax_paid_rial"]
    month_of_year = monthly["label"].str.slice(5, 7).astype(int)
    assert (paid[(month_of_year != 4)].iloc[:-1] == 0).all()
    year1 = monthly.loc[monthly["operating_year"] == 1, "tax_rial"].sum()
    assert paid.iloc[15] == pytest.approx(year1)  # Tir 1406 pays 1405's tax
    assert paid.iloc[:15].sum() == 0
    assert paid.sum() == pytest.approx(monthly["tax_rial"].sum())  # all paid by the end


def test_quarterly_payouts_from_the_first_payout_month():
    _, result = run({"cooperative.payout_cadence": "quarterly", "cooperative.first_payout_month_index": 4})
    distributed = result.monthly["distributed_rial"].to_numpy()
    paying = np.flatnonzero(distributed > 0)
    assert paying[0] >= 4
    assert set(((paying[:-1] - 4) % 3).tolist()) == {0}
    _, monthly = run({})
    # what is not paid monthly is paid later: over the life the same is paid, within the last month's settlement
    assert distributed.sum() == pytest.approx(monthly.monthly["distributed_rial"].sum(), rel=0.02)


def test_a_closed_year_is_trued_up_by_the_next_payouts():
    _, result = run({})
    monthly, income = result.monthly, result.statements["income_statement"]
    year1 = monthly["operating_year"] == 1
    owed = monthly.loc[year1, "distributable_profit_rial"].sum() - monthly.loc[year1, "distribution_advance_rial"].sum()
    assert owed > 0
    assert monthly.loc[~year1, "distribution_true_up_rial"].iloc[:12].sum() == pytest.approx(owed)
    assert -income.iloc[:, 1].loc["distribution_true_up_rial"] == pytest.approx(owed)
    assert monthly.loc[year1, "distribution_true_up_rial"].sum() == 0


def test_dissolution_keeps_the_legal_reserve():
    scenario, result = run({"cooperative.end_of_life_settlement": "distributed"})
    legal = result.monthly["legal_reserve_rial"]
    assert (legal >= 0).all()
    assert result.statements["balance_sheet"].loc["legal_reserve_rial"].iloc[-1] == pytest.approx(legal.sum())
    assert legal.sum() > 0


@pytest.mark.parametrize("rule", ["reduces_cost", "deferred_income"])
def test_a_grant_is_not_depreciated_as_if_paid_for(rule):
    _, result = run({"costs.capital_cost_rial_per_kwp": 3.0e8, "funding.gap_filled_by": "grant", "cooperative.grant_rule": rule})
    monthly = result.monthly
    capital, grant = 9e11, 3e11
    first = monthly.iloc[0]
    net_charge = first["depreciation_rial"] - first["grant_income_rial"]
    assert net_charge == pytest.approx((capital - grant) / 240)
    deferred = result.statements["balance_sheet"].loc["deferred_grant_rial"]
    if rule == "reduces_cost":
        assert (deferred == 0).all()
    else:
        assert deferred.iloc[0] == pytest.approx(grant - 12 * grant / 240)


def test_the_replacement_is_depreciated_over_the_rest_of_the_life():
    _, result = run({})
    monthly = result.monthly
    spent = monthly["replacement_spent_rial"].to_numpy()
    month = int(np.flatnonzero(spent)[0])
    extra = monthly["depreciation_rial"].iloc[month] - monthly["depreciation_rial"].iloc[month - 1]
    assert extra == pytest.approx(spent[month] / (len(monthly) - month))
    assert result.statements["balance_sheet"].loc["plant_net_book_value_rial"].iloc[-1] == pytest.approx(0, abs=1e3)


def test_a_line_takes_its_column_with_its_sign_and_never_minus_zero():
    lines = (Line("received", "x"), Line("paid", "y", -1), Line("nothing_paid", "z", -1))
    got = taken(lines, {"x": 2.0, "y": 3.0, "z": 0.0}.__getitem__)
    assert list(got) == ["received", "paid", "nothing_paid"]
    assert got == {"received": 2.0, "paid": -3.0, "nothing_paid": 0.0}
    assert math.copysign(1.0, got["nothing_paid"]) == 1.0


def test_every_flow_line_is_a_statement_line_summing_its_monthly_column():
    _, result = run({})
    assert {line.key for line in INCOME_FLOWS} <= set(INCOME_STATEMENT_LINES)
    assert {line.key for line in CASH_FLOWS} <= set(CASH_FLOW_LINES)
    m = result.monthly
    years = m["label"].str.slice(0, 4).astype(int)
    income, cash = result.statements["income_statement"], result.statements["cash_flow"]
    for statement, flows in ((income, INCOME_FLOWS), (cash, CASH_FLOWS)):
        for line in flows:
            if line.column in m:  # the derived ones (profit after tax, ...) are checked by the reconciliation
                np.testing.assert_allclose(
                    statement.loc[line.key].to_numpy(), line.sign * m[line.column].groupby(years).sum().to_numpy()
                )
