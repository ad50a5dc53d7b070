import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from solarcoop._validation import InputError
from solarcoop.payment import Payment, collect


def test_defaults():
    payment = Payment()
    assert (payment.billing_months, payment.delay_months) == (2, 2)
    assert payment.cash_share == 1.0 and payment.deferred_delay_months is None


def test_two_month_delay_shifts_collections_and_conserves_total():
    billed = np.array([10.0, 20, 30, 40, 50, 60, 70, 80])
    collected, owed = collect(billed, Payment(billing_months=2, delay_months=2))
    # bills at the end of months 1, 3, 5, 7: 30, 70, 110, 150; paid two months later
    np.testing.assert_array_equal(collected, [0, 0, 0, 30, 0, 70, 0, 110])
    assert owed == 150
    assert billed.sum() == collected.sum() + owed


def test_monthly_billing_without_delay_collects_each_month():
    billed = np.array([5.0, 7, 11])
    collected, owed = collect(billed, Payment(billing_months=1, delay_months=0))
    np.testing.assert_array_equal(collected, billed)
    assert owed == 0


def test_last_short_period_is_billed_in_the_last_month():
    collected, owed = collect([1.0, 2, 4, 8, 16], Payment(billing_months=2, delay_months=0))
    np.testing.assert_array_equal(collected, [0, 3, 0, 12, 16])
    assert owed == 0


def test_cash_share_and_deferred_payment():
    billed = np.full(12, 1000.0)
    payment = Payment(billing_months=3, delay_months=1, cash_share=0.75, deferred_delay_months=4)
    collected, owed = collect(billed, payment)
    expected = np.zeros(12)
    # bills of 3000 at months 2, 5, 8, 11; cash 2250 at 3, 6, 9; deferred 750 at 7, 10
    expected[[3, 6, 9]] += 2250
    expected[[7, 10]] += 750
    np.testing.assert_array_equal(collected, expected)
    # not collected: cash of the last bill (2250) and deferred of bills 3 and 4 (1500)
    assert owed == 3750


def test_deferred_never_paid_is_owed_at_end():
    billed = np.full(6, 100.0)
    collected, owed = collect(billed, Payment(1, 0, cash_share=0.6))
    np.testing.assert_array_equal(collected, np.full(6, 60.0))
    assert owed == 240


def test_paths_axis():
    billed = np.array([[1.0, 2, 3, 4], [10, 20, 30, 40]])
    collected, owed = collect(billed, Payment(2, 1))
    np.testing.assert_array_equal(collected, [[0, 0, 3, 0], [0, 0, 30, 0]])
    np.testing.assert_array_equal(owed, [7, 70])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"billing_months": 0}, "payment.billing_months"),
        ({"billing_months": 1.5}, "payment.billing_months"),
        ({"delay_months": -1}, "payment.delay_months"),
        ({"cash_share": 80}, "payment.cash_share"),
        ({"deferred_delay_months": -2}, "payment.deferred_delay_months"),
    ],
)
def test_bad_payment_inputs_name_the_field(changes, field):
    with pytest.raises(InputError, match=field):
        Payment(**changes)


def test_bad_bills_raise():
    with pytest.raises(InputError, match="billed_rial"):
        collect([1.0, np.nan], Payment())
    with pytest.raises(InputError, match="billed_rial"):
        collect(np.ones((2, 2, 2)), Payment())


@settings(max_examples=200, deadline=None)
@given(
    billed=hnp.arrays(
        np.int64,
        st.tuples(st.integers(1, 3), st.integers(1, 40)),
        elements=st.integers(0, 10**12),
    ),
    billing_months=st.integers(1, 12),
    delay_months=st.integers(0, 50),
    cash_percent=st.integers(0, 100),
    deferred_delay_months=st.one_of(st.none(), st.integers(0, 50)),
)
def test_collect_conserves_money(
    billed, billing_months, delay_months, cash_percent, deferred_delay_months
):
    payment = Payment(billing_months, delay_months, cash_percent / 100, deferred_delay_months)
    collected, owed = collect(billed.astype(float), payment)
    assert collected.shape == billed.shape
    assert (collected >= 0).all() and (np.asarray(owed) >= 0).all()
    np.testing.assert_allclose(collected.sum(-1) + owed, billed.sum(-1), rtol=0, atol=0.5)
    # nothing is collected before the first bill is paid
    first_paid = min(billing_months, billed.shape[-1]) - 1 + delay_months
    assert (collected[..., :first_paid] == 0).all()


def test_a_bond_settled_at_a_discount_loses_exactly_that_discount():
    from solarcoop.payment import collect_lines

    billed = np.full(24, 1000.0)
    terms = Payment(1, 0, cash_share=0.6, deferred_delay_months=0, settlement_every_months=12)
    cash = collect_lines(billed, terms)
    bonds = collect_lines(billed, dataclasses.replace(terms, settled_in="bonds", bond_discount=0.2))
    # the deferred 400 of months 0-11 settle in month 11, those of 12-23 in month 23
    lump = 12 * 400.0
    assert cash["collected_rial"][11] == 600 + lump and cash["collected_rial"][23] == 600 + lump
    np.testing.assert_allclose(cash["collected_rial"] - bonds["collected_rial"], bonds["bond_discount_rial"])
    assert bonds["bond_discount_rial"][[11, 23]].tolist() == [0.2 * lump, 0.2 * lump]
    assert bonds["bond_discount_rial"].sum() == pytest.approx(0.2 * 24 * 400)
    assert bonds["owed_at_end_rial"] == 0


def test_a_late_penalty_is_paid_for_the_months_late():
    from solarcoop.payment import collect_lines

    terms = Payment(1, 1, cash_share=0.5, deferred_delay_months=12, late_penalty_per_year=0.2)
    lines = collect_lines(np.array([100.0] + [0.0] * 13), terms)
    # 50 in cash in month 1; 50 a year later with 20 % penalty, in month 13
    assert lines["collected_rial"][1] == 50 and lines["collected_rial"][13] == pytest.approx(60)
    assert lines["late_penalty_rial"][13] == pytest.approx(10)


@given(
    hnp.arrays(float, st.integers(1, 40), elements=st.floats(0, 1e9)),
    st.integers(1, 3), st.integers(0, 4), st.floats(0, 1), st.integers(0, 13), st.sampled_from([None, 1, 6, 12]),
    st.floats(0, 0.5), st.floats(0, 0.5),
)
@settings(max_examples=60, deadline=None)
def test_lumps_bonds_and_penalties_conserve_money(billed, period, delay, cash, later, every, discount, penalty):
    from solarcoop.payment import collect_lines

    terms = Payment(period, delay, cash, later, every, "bonds", discount, penalty)
    lines = collect_lines(billed, terms)
    total_in = billed.sum() + lines["late_penalty_rial"].sum()
    total_out = lines["collected_rial"].sum() + lines["bond_discount_rial"].sum() + lines["owed_at_end_rial"]
    assert total_out == pytest.approx(total_in, rel=1e-9, abs=1e-3)
    assert (lines["collected_rial"] >= 0).all()


def test_bad_settlement_terms_name_the_field():
    with pytest.raises(InputError, match="payment.settled_in"):
        Payment(settled_in="fuel")
    with pytest.raises(InputError, match="payment.bond_discount .* applies only to bonds"):
        Payment(bond_discount=0.1)
    with pytest.raises(InputError, match="payment.settlement_every_months"):
        Payment(settlement_every_months=0)
