import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solarcoop import InputError, Loan
from solarcoop.finance import (
    annuity_payment_rial,
    irr_per_year,
    levelised_cost_rial_per_kwh,
    loan_schedule,
    npv_rial,
)


def test_family_loan_instalment_by_hand():
    # 1.5e9 rial at 4 %/year over 84 months: r = 0.04/12, A = P r (1+r)^84 / ((1+r)^84 - 1)
    r = 0.04 / 12
    expected = 1.5e9 * r * (1 + r) ** 84 / ((1 + r) ** 84 - 1)
    schedule = loan_schedule(Loan(), 100)
    assert schedule["instalment_rial"].iloc[0] == pytest.approx(expected, abs=0.01)
    assert round(expected) == 20_503_210
    assert schedule["instalment_rial"].iloc[84:].eq(0).all()
    assert schedule["balance_rial"].iloc[83] == pytest.approx(0, abs=1e-3)
    assert schedule["principal_repaid_rial"].sum() == pytest.approx(1.5e9, abs=1)


@settings(max_examples=60, deadline=None)
@given(
    principal=st.floats(1e6, 1e11),
    rate=st.one_of(st.just(0.0), st.floats(1e-4, 0.3)),  # the oracle overflows for rates near 1e-16
    term=st.integers(2, 240),
)
def test_schedule_matches_numpy_financial_to_the_rial(principal, rate, term):
    schedule = loan_schedule(Loan(principal_rial=principal, annual_rate=rate, term_months=term), term)
    period = np.arange(1, term + 1)
    monthly = rate / 12
    # the oracle divides by a zero rate before masking it
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = -npf.pmt(monthly, term, principal), -npf.ipmt(monthly, period, term, principal)
        expected_principal = -npf.ppmt(monthly, period, term, principal)
    np.testing.assert_allclose(schedule["instalment_rial"], expected[0], rtol=0, atol=1)
    np.testing.assert_allclose(schedule["interest_rial"], expected[1], rtol=0, atol=1)
    np.testing.assert_allclose(schedule["principal_repaid_rial"], expected_principal, rtol=0, atol=1)


def test_grace_period_pays_interest_only_then_annuity():
    loan = Loan(principal_rial=1e9, annual_rate=0.14, term_months=60, grace_months=12, first_month_index=2)
    schedule = loan_schedule(loan, 70)
    assert schedule["instalment_rial"].iloc[:2].eq(0).all()
    np.testing.assert_allclose(schedule["instalment_rial"].iloc[2:14], 1e9 * 0.14 / 12)
    annuity = -npf.pmt(0.14 / 12, 48, 1e9)
    np.testing.assert_allclose(schedule["instalment_rial"].iloc[14:62], annuity)
    assert schedule["instalment_rial"].iloc[62:].eq(0).all()
    assert schedule["principal_repaid_rial"].sum() == pytest.approx(1e9, abs=1)


def test_zero_rate_loan_repays_in_equal_parts():
    assert float(annuity_payment_rial(840.0, 0.0, 84)) == 10.0
    schedule = loan_schedule(Loan(principal_rial=840, annual_rate=0.0, term_months=84), 84)
    np.testing.assert_allclose(schedule["instalment_rial"], 10.0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"annual_rate": 4}, "loan.annual_rate"),
        ({"principal_rial": -1}, "loan.principal_rial"),
        ({"term_months": 0}, "loan.term_months"),
        ({"grace_months": 84}, "loan.grace_months"),
    ],
)
def test_bad_loans_name_the_field(changes, field):
    with pytest.raises(InputError, match=field):
        Loan(**changes)


def test_rate_given_as_percent_gets_a_hint():
    with pytest.raises(InputError, match="4 % is 0.04"):
        Loan(annual_rate=4)


def test_npv_and_irr_by_hand():
    # -100 now, +121 in 24 months: IRR 10 %/year; NPV at 10 % is zero
    flows = np.zeros(25)
    flows[0], flows[24] = -100, 121
    assert irr_per_year(flows) == pytest.approx(0.10, abs=1e-9)
    assert float(npv_rial(0.10, flows)) == pytest.approx(0, abs=1e-9)
    assert np.isnan(irr_per_year([100.0, 100.0]))
    batch = irr_per_year(np.stack([flows, flows * 2]))
    np.testing.assert_allclose(batch, [0.10, 0.10], atol=1e-9)


def test_levelised_cost_by_hand():
    # capital 1000 now, 10/month costs, 2 kWh/month for 12 months, zero discount
    lcoe = levelised_cost_rial_per_kwh(1000.0, np.full(12, 10.0), np.full(12, 2.0), 0.0)
    assert lcoe == pytest.approx((1000 + 120) / 24)


def test_levelised_cost_broadcasts_over_paths_and_refuses_no_energy():
    energy = np.stack([np.full(12, 2.0), np.full(12, 4.0), np.zeros(12)])
    lcoe = levelised_cost_rial_per_kwh(1000.0, np.full((3, 12), 10.0), energy, 0.0)
    np.testing.assert_allclose(lcoe, [1120 / 24, 1120 / 48, np.nan])
