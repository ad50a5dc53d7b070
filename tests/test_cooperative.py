import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import solarcoop as sc
from solarcoop import Cooperative, Costs, Funding, InputError, Loan
from solarcoop.books.capital import (
    debt_service_coverage,
    funding_sources,
    operating_costs_rial,
    replacement_reserve,
    yearly_sums,
)
from solarcoop.books.ledger import book_months
from solarcoop.books.members import class_payouts, family_payouts, resolve_member_classes
from solarcoop.books.specs import CooperativeDebt, MemberClass


def conserved(collected, costs, books, initial_cash=0.0, debt_service=0.0):
    """collected + interest = costs + debt + tax paid + reserves + fee + replacement + end of life
    + distributed + reserve paid for instalments + change in cash; the book's own lines
    are taken when it has them."""
    cash_before = np.concatenate(
        [np.full(books["cash_balance_rial"].shape[:-1] + (1,), initial_cash), books["cash_balance_rial"][..., :-1]],
        axis=-1,
    )
    outflows = (
        costs
        + books.get("debt_service_rial", debt_service)
        + books.get("replacement_reserve_rial", 0.0)
        + books.get("replacement_spent_rial", 0.0)
        + books.get("end_of_life_rial", 0.0)
        + books["tax_paid_rial"]
        + books["reserves_rial"]
        + books["education_fee_rial"]
        + books["distributed_rial"]
        + books["reserve_paid_for_instalments_rial"]
        + books["cash_balance_rial"]
        - cash_before
    )
    return np.abs(collected + books["interest_earned_rial"] - outflows).max()


@pytest.mark.parametrize("rule", ["cash", "profit"])
def test_a_month_of_the_ledger_by_hand(rule):
    # 1,000 collected, 100 costs, 50 depreciation: profit 850; tax 25 % less a 25 % discount
    coop = Cooperative(families=10, working_cash_months=0, distribution_rule=rule)
    books = book_months(
        collected_rial=np.array([1000.0]),
        operating_costs_rial=np.array([100.0]),
        depreciation_rial=50.0,
        operating_year=np.array([1]),
        cooperative=coop,
        share_capital_rial=1e9,
        smoothing_months=1,
    )
    tax = 850 * 0.25 * 0.75
    after_tax = 850 - tax
    assert books["tax_rial"][0] == pytest.approx(tax)
    assert books["legal_reserve_rial"][0] == pytest.approx(0.05 * after_tax)
    assert books["precautionary_reserve_rial"][0] == pytest.approx(0.05 * after_tax)
    assert books["education_fee_rial"][0] == pytest.approx(0.04 * after_tax)
    assert books["distributable_profit_rial"][0] == pytest.approx(0.86 * after_tax)
    if rule == "cash":  # all the cash, the 50 of depreciation included: a return of capital
        assert books["distributed_rial"][0] == pytest.approx(1000 - 100 - tax - 0.14 * after_tax)
        assert books["cash_balance_rial"][0] == pytest.approx(0)
    else:  # the law: the profit only; the depreciation's 50 stays as cash
        assert books["distributed_rial"][0] == pytest.approx(0.86 * after_tax)
        assert books["cash_balance_rial"][0] == pytest.approx(50)


def test_a_year_of_the_ledger_by_hand():
    # Bills paid every two months: 2,000 in months 2, 4, ..., 12; costs 100 a month; no tax,
    # no reserves; distributions smoothed over two months; 200 kept back as working cash.
    coop = Cooperative(
        families=4,
        income_tax_rate=0,
        legal_reserve_share=0,
        precautionary_reserve_share=0,
        education_fee_share=0,
        working_cash_months=2,
        distribution_rule="cash",
    )
    collected = np.tile([0.0, 2000.0], 6)
    books = book_months(
        collected_rial=collected,
        operating_costs_rial=np.full(12, 100.0),
        depreciation_rial=0.0,
        operating_year=np.ones(12, int),
        cooperative=coop,
        share_capital_rial=1e9,
        smoothing_months=2,
    )
    # cumulative net cash S = -100, 1800, 1700, 3600, ...; moving average of two months
    # A = -50, 850, 1750, 2650, ...; less 200 kept back: distributions 650 then 900 a month,
    # and the last month pays out all that is left.
    cumulative_net = np.cumsum(collected - 100)
    average = (cumulative_net + np.concatenate([[0], cumulative_net[:-1]])) / 2
    target = average - 200
    target[-1] = cumulative_net[-1]
    expected = np.diff(np.maximum.accumulate(np.maximum(target, 0)), prepend=0)
    np.testing.assert_allclose(books["distributed_rial"], expected)
    np.testing.assert_allclose(books["distributed_rial"][:4], [0, 650, 900, 900])
    assert books["distributed_rial"].sum() == pytest.approx(collected.sum() - 1200)
    assert books["cash_balance_rial"][-1] == pytest.approx(0)


def test_legal_reserve_stops_at_its_cap():
    coop = Cooperative(income_tax_rate=0, legal_reserve_share=0.5, legal_reserve_cap_share_of_capital=0.25)
    books = book_months(
        collected_rial=np.full(6, 100.0),
        operating_costs_rial=0.0,
        depreciation_rial=0.0,
        operating_year=np.ones(6, int),
        cooperative=coop,
        share_capital_rial=600.0,  # cap 150: 50, 50, 50, then nothing
        smoothing_months=1,
    )
    np.testing.assert_allclose(books["legal_reserve_rial"], [50, 50, 50, 0, 0, 0])


def test_deficit_is_made_good_before_anything_is_paid():
    coop = Cooperative(income_tax_rate=0, legal_reserve_share=0, precautionary_reserve_share=0,
                       education_fee_share=0, working_cash_months=0, distribution_rule="cash")
    books = book_months(
        collected_rial=np.array([0.0, 0.0, 300.0, 100.0]),
        operating_costs_rial=np.full(4, 50.0),
        depreciation_rial=0.0,
        operating_year=np.ones(4, int),
        cooperative=coop,
        share_capital_rial=1.0,
        smoothing_months=1,
    )
    np.testing.assert_allclose(books["distributed_rial"], [0, 0, 150, 50])
    np.testing.assert_allclose(books["cash_balance_rial"], [-50, -100, 0, 0])


@settings(max_examples=80, deadline=None)
@given(
    collected=hnp.arrays(float, st.integers(1, 40), elements=st.floats(0, 1e12)),
    cost=st.floats(0, 5e10),
    smoothing=st.integers(1, 6),
    exempt=st.integers(0, 3),
    working_cash_months=st.floats(0, 6),
    paths=st.integers(1, 3),
    rule=st.sampled_from(["profit", "cash"]),
    deposit_rate=st.floats(0, 0.05),
)
def test_money_is_conserved_every_month(collected, cost, smoothing, exempt, working_cash_months, paths, rule, deposit_rate):
    n = collected.shape[0]
    collected = np.stack([collected * (1 + 0.1 * p) for p in range(paths)])
    coop = Cooperative(tax_exempt_years=exempt, working_cash_months=working_cash_months, distribution_rule=rule)
    books = book_months(
        collected_rial=collected,
        operating_costs_rial=np.full(n, cost),
        depreciation_rial=1e9,
        operating_year=np.arange(n) // 12 + 1,
        cooperative=coop,
        share_capital_rial=6e11,
        smoothing_months=smoothing,
        deposit_rate_per_month=deposit_rate,
    )
    assert conserved(collected, cost, books) < 1.0  # rial
    assert (books["distributed_rial"] >= 0).all()
    cumulative = np.cumsum(books["distributed_rial"], axis=-1)
    assert (cumulative <= np.cumsum(books["distributable_profit_rial"], axis=-1) + 1.0).all() or rule == "cash"
    if rule == "cash":  # the last month pays out all that is left
        end = books["cash_balance_rial"][..., -1]
        assert end == pytest.approx(np.minimum(end, 0), abs=1.0)


def test_family_arrears_are_recovered_never_dropped():
    distribution = np.array([30.0, 10.0, 0.0, 50.0, 50.0])
    instalment = np.array([20.0, 20.0, 20.0, 20.0, 20.0])
    out = family_payouts(distribution, instalment)
    np.testing.assert_allclose(out["arrears_rial"], [0, 10, 30, 0, 0])
    np.testing.assert_allclose(out["payout_rial"], [10, 0, 0, 0, 30])
    # everything due reached the lender; the family got the rest
    assert out["paid_to_lender_rial"].sum() == pytest.approx(instalment.sum())
    np.testing.assert_allclose(out["payout_rial"] + out["paid_to_lender_rial"], distribution)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(float, st.integers(1, 30), elements=st.floats(0, 1e8)), st.floats(0, 1e8))
def test_family_payout_identity(distribution, instalment):
    out = family_payouts(distribution, instalment)
    assert (out["payout_rial"] >= -1e-6).all()
    assert (out["arrears_rial"] >= -1e-6).all()
    lhs = out["paid_to_lender_rial"].sum() + out["arrears_rial"][-1]
    assert lhs == pytest.approx(instalment * len(distribution), rel=1e-9, abs=1e-3)


def test_operating_costs_by_hand():
    costs = Costs(
        capital_cost_rial_per_kwp=1000.0,
        om_rial_per_kwp_year=12.0,
        insurance_share_of_capital_per_year=0.012,
        land_lease_rial_per_year=120.0,
        management_rial_per_year=240.0,
        grid_fees_rial_per_kwh=0.5,
    )
    # 10 kWp: O&M 120 + insurance 120 + land 120 + management 240 = 600 a year = 50 a month
    monthly = operating_costs_rial(costs, 10.0, np.array([100.0, 100.0]), np.array([1.0, 2.0]))
    np.testing.assert_allclose(monthly, [100.0, 200.0])


@pytest.mark.parametrize(
    ("kind", "kwargs", "field"),
    [
        (Costs, {"om_rial_per_kwp_year": -1}, "costs.om_rial_per_kwp_year"),
        (Cooperative, {"families": 0}, "cooperative.families"),
        (Cooperative, {"legal_reserve_share": 1.5}, "cooperative.legal_reserve_share"),
        (Cooperative, {"legal_reserve_share": 0.5, "precautionary_reserve_share": 0.5}, "add up to 1"),
        (Cooperative, {"end_of_life_settlement": "shared"}, "cooperative.end_of_life_settlement"),
        (Cooperative, {"distribution_rule": "dividends"}, "cooperative.distribution_rule"),
        (Cooperative, {"reserve_uses": ("parties",)}, "cooperative.reserve_uses"),
        (Cooperative, {"reserve_uses": "instalment_shortfall"}, "cooperative.reserve_uses"),
        (Funding, {"grant_rial": -1.0}, "funding.grant_rial = -1.0"),
        (Funding, {"sponsor_equity_rial": -5.0}, "funding.sponsor_equity_rial"),
        (Funding, {"gap_filled_by": "bank"}, "funding.gap_filled_by"),
        (Funding, {"sponsor_name": ""}, "funding.sponsor_name"),
        (CooperativeDebt, {"principal_rial": -1.0}, "debt.principal_rial"),
        (CooperativeDebt, {"principal_rial": 1e9, "share_of_capital_cost": 0.2}, "debt.principal_rial"),
        (Loan, {"shortfall": "forgiven"}, "loan.shortfall"),
        (Cooperative, {"share_price_rial": -1}, "cooperative.share_price_rial"),
        (Costs, {"capital_cost_rial_per_kwp": -3.5e8}, "costs.capital_cost_rial_per_kwp"),
        (Costs, {"inverter_replacement_share_of_capital": 1.5}, "costs.inverter_replacement_share_of_capital"),
        (Costs, {"salvage_share_of_capital": -0.1}, "costs.salvage_share_of_capital"),
        (Costs, {"inverter_replacement_year": 1}, "costs.inverter_replacement_year"),
        (Costs, {"discount_rate_real_per_year": 10}, "costs.discount_rate_real_per_year"),
        (CooperativeDebt, {"share_of_capital_cost": 70}, "debt.share_of_capital_cost"),
        (CooperativeDebt, {"annual_rate": 14}, "debt.annual_rate"),
        (CooperativeDebt, {"grace_months": 60}, "debt.grace_months"),
    ],
)
def test_bad_inputs_name_the_field(kind, kwargs, field):
    with pytest.raises(InputError, match=field):
        kind(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "poor", "families": 0}, r"member_classes\['poor'\].families"),
        ({"name": "poor", "families": 2.5}, r"member_classes\['poor'\].families"),
        ({"name": "poor", "families": 10, "shares_per_family": 0}, "shares_per_family"),
        ({"name": "", "families": 10}, "name"),
        ({"name": "poor", "families": 10, "loan": 1.5e9}, "loan"),
    ],
)
def test_bad_member_classes_name_the_field(kwargs, field):
    with pytest.raises(InputError, match=field):
        MemberClass(**kwargs)


def test_member_classes_must_add_up_to_the_families():
    classes = (MemberClass("a", 300), MemberClass("b", 200, 1.5))
    with pytest.raises(InputError, match="cooperative.families = 400 but member_classes hold 500"):
        resolve_member_classes(classes, 400, Loan())
    with pytest.raises(InputError, match="repeat"):
        resolve_member_classes((MemberClass("a", 200), MemberClass("a", 200)), 400, Loan())
    resolved = resolve_member_classes(classes, 500, Loan(term_months=60))
    assert [c.loan.term_months for c in resolved] == [60, 60]
    default = resolve_member_classes((), 400, Loan())
    assert (default[0].families, default[0].shares_per_family, default[0].loan) == (400, 1.0, Loan())


def test_distributions_are_split_by_shares():
    # 300 families with 1 share and 100 with 3: 600 shares; 6,000 rial is 10 a share
    instalments = np.array([[4.0, 4.0], [50.0, 0.0]])
    out = class_payouts(np.array([[6000.0, 6000.0]]), [300, 100], [1.0, 3.0], instalments)
    np.testing.assert_allclose(out["distribution_per_family_rial"][0], [[10, 10], [30, 30]])
    np.testing.assert_allclose(out["payout_rial"][0], [[6, 6], [0, 10]])
    np.testing.assert_allclose(out["arrears_rial"][0], [[0, 0], [20, 0]])
    total = np.einsum("pkn,k->pn", out["distribution_per_family_rial"], [300, 100])
    np.testing.assert_allclose(total, [[6000.0, 6000.0]])


def test_replacement_reserve_follows_the_current_cost():
    # 1,000 rial at first-month prices, replaced in month 4; prices rise 10 % a month
    index = 1.1 ** np.arange(6)
    lines = replacement_reserve(1000.0, 4, index)
    expected_balance = [1000 * index[t] * (t + 1) / 4 for t in range(4)] + [0.0, 0.0]
    np.testing.assert_allclose(lines["replacement_reserve_balance_rial"], expected_balance)
    np.testing.assert_allclose(lines["replacement_spent_rial"], [0, 0, 0, 0, 1000 * 1.1**4, 0])
    np.testing.assert_allclose(np.cumsum(lines["replacement_reserve_rial"]), expected_balance)
    # operating cash pays only the last month's rise in the price
    assert lines["replacement_reserve_rial"][4] + lines["replacement_spent_rial"][4] == pytest.approx(
        1000 * (1.1**4 - 1.1**3)
    )
    # a replacement after the last month: no reserve at all
    never = replacement_reserve(1000.0, 6, index)
    assert not any(line.any() for line in never.values())


def test_debt_interest_lowers_tax_and_debt_service_comes_first():
    coop = Cooperative(income_tax_rate=0.2, tax_discount=0, legal_reserve_share=0,
                       precautionary_reserve_share=0, education_fee_share=0, working_cash_months=0)
    books = book_months(
        collected_rial=np.array([1000.0, 1000.0]),
        operating_costs_rial=100.0,
        depreciation_rial=0.0,
        operating_year=np.array([1, 1]),
        cooperative=coop,
        share_capital_rial=1.0,
        smoothing_months=1,
        debt_service_rial=np.array([300.0, 300.0]),
        debt_interest_rial=np.array([100.0, 50.0]),
    )
    np.testing.assert_allclose(books["tax_rial"], [0.2 * 800, 0.2 * 850])
    np.testing.assert_allclose(books["distributed_rial"], [1000 - 100 - 300 - 160, 1000 - 100 - 300 - 170])
    coverage = debt_service_coverage(1000 - 100 - books["tax_rial"], books["debt_service_rial"], [1, 1])
    np.testing.assert_allclose(coverage["monthly"], [740 / 300, 730 / 300])
    np.testing.assert_allclose(coverage["yearly"], [1470 / 600])


@pytest.mark.parametrize("settlement", ["kept", "distributed"])
def test_end_of_life_pays_decommissioning_and_settles_the_reserves(settlement):
    coop = Cooperative(income_tax_rate=0, legal_reserve_share=0.1, precautionary_reserve_share=0.05,
                       education_fee_share=0, working_cash_months=0,
                       end_of_life_settlement=settlement)
    books = book_months(
        collected_rial=np.full(3, 100.0),
        operating_costs_rial=0.0,
        depreciation_rial=0.0,
        operating_year=np.ones(3, int),
        cooperative=coop,
        share_capital_rial=1e6,
        smoothing_months=1,
        end_of_life_rial=40.0,
    )
    np.testing.assert_allclose(books["end_of_life_rial"], [0, 0, 40])
    reserves_end = books["reserves_rial"].sum()
    # the end of life is the last month's cost: its profit is 100 - 40 = 60, of which the
    # reserves take 15 % (legal 6, precautionary 3)
    if settlement == "kept":
        assert reserves_end == pytest.approx(15 + 15 + 9)
        np.testing.assert_allclose(books["distributed_rial"], [85, 85, 60 - 9])
    else:  # the precautionary reserve (5 + 5 + 3) is released and paid out; the legal
        # reserve (10 + 10 + 6) is indivisible and stays (Cooperative Companies Law 1350 art. 15)
        assert reserves_end == pytest.approx(26.0)
        np.testing.assert_allclose(books["distributed_rial"], [85, 85, 60 - 6 + 10])
    assert conserved(np.full(3, 100.0), 0.0, books) < 1e-9


@settings(max_examples=80, deadline=None)
@given(
    collected=hnp.arrays(float, st.integers(2, 40), elements=st.floats(0, 1e12)),
    debt_service=st.floats(0, 2e11),
    replacement_cost=st.floats(0, 1e12),
    replacement_month=st.integers(1, 50),
    end_of_life=st.floats(-1e11, 1e11),
    release=st.sampled_from(["kept", "distributed"]),
    smoothing=st.integers(1, 6),
    rule=st.sampled_from(["profit", "cash"]),
    uses=st.sampled_from([(), ("inverter_replacement",), ("instalment_shortfall",),
                          ("inverter_replacement", "instalment_shortfall")]),
    deposit_rate=st.floats(0, 0.05),
    instalments=st.floats(0, 5e11),
    families_share=st.floats(0, 1),
)
def test_money_is_conserved_with_debt_replacement_and_end_of_life(
    collected, debt_service, replacement_cost, replacement_month, end_of_life, release, smoothing,
    rule, uses, deposit_rate, instalments, families_share,
):
    n = collected.shape[0]
    collected = np.stack([collected, collected[::-1]])
    index = 1.03 ** np.arange(n)
    reserve = replacement_reserve(replacement_cost, replacement_month, index)
    books = book_months(
        collected_rial=collected,
        operating_costs_rial=np.full(n, 1e9) * index,
        depreciation_rial=1e9,
        operating_year=np.arange(n) // 12 + 1,
        cooperative=Cooperative(end_of_life_settlement=release, distribution_rule=rule, reserve_uses=uses),
        share_capital_rial=6e11,
        smoothing_months=smoothing,
        debt_service_rial=np.full(n, debt_service),
        debt_interest_rial=np.full(n, debt_service / 3),
        replacement_reserve_rial=reserve["replacement_reserve_rial"],
        replacement_spent_rial=reserve["replacement_spent_rial"],
        end_of_life_rial=end_of_life,
        deposit_rate_per_month=deposit_rate,
        instalments_due_rial=instalments,
        families_share_of_distribution=families_share,
    )
    assert conserved(collected, 1e9 * index, books) < 1.0  # rial
    assert (books["distributed_rial"] >= 0).all()
    assert (books["reserve_paid_for_instalments_rial"] >= 0).all()
    # the precautionary reserve is never overdrawn
    assert (np.cumsum(books["precautionary_reserve_rial"], axis=-1) >= -1.0).all()


def test_yearly_sums_by_hand():
    np.testing.assert_allclose(yearly_sums(np.arange(6.0).reshape(2, 3), [1, 1, 2]), [[1, 2], [7, 5]])


def untaxed_reserves_free(**changes):
    return Cooperative(
        legal_reserve_share=0, precautionary_reserve_share=0, education_fee_share=0,
        working_cash_months=0, tax_discount=0, income_tax_rate=0.25, **changes,
    )  # fmt: skip


def test_losses_are_carried_forward_and_never_refunded():
    # monthly profits +100, -50, +30, +40: taxed on 100, then nothing until the 50 loss is
    # made good, then on the 20 above the earlier high
    books = book_months(
        collected_rial=np.array([100.0, 0.0, 30.0, 40.0]),
        operating_costs_rial=np.array([0.0, 50.0, 0.0, 0.0]),
        depreciation_rial=0.0,
        operating_year=np.ones(4, int),
        cooperative=untaxed_reserves_free(),
        share_capital_rial=1.0,
        smoothing_months=1,
    )
    np.testing.assert_allclose(books["tax_rial"], [25.0, 0.0, 0.0, 5.0])


def test_tax_does_not_depend_on_how_often_bills_are_paid():
    # the same 1,200 a year collected monthly or every two months, 40 a month of costs
    common = dict(
        operating_costs_rial=np.full(12, 40.0), depreciation_rial=10.0,
        operating_year=np.ones(12, int), cooperative=untaxed_reserves_free(),
        share_capital_rial=1.0, smoothing_months=2,
    )  # fmt: skip
    monthly = book_months(collected_rial=np.full(12, 100.0), **common)
    bimonthly = book_months(collected_rial=np.tile([0.0, 200.0], 6), **common)
    assert monthly["tax_rial"].sum() == pytest.approx(0.25 * (1200 - 480 - 120))
    assert bimonthly["tax_rial"].sum() == pytest.approx(monthly["tax_rial"].sum())


def test_tax_exempt_years_pay_nothing():
    books = book_months(
        collected_rial=np.full(24, 100.0), operating_costs_rial=0.0, depreciation_rial=0.0,
        operating_year=np.repeat([1, 2], 12), cooperative=untaxed_reserves_free(tax_exempt_years=1),
        share_capital_rial=1.0, smoothing_months=1,
    )  # fmt: skip
    np.testing.assert_allclose(books["tax_rial"], [0.0] * 12 + [25.0] * 12)


# --- funding, the law's distribution, deposit interest and reserve uses, by hand ---


def test_funding_sources_fill_the_gap_or_refuse_naming_it():
    debt = CooperativeDebt()
    grant = funding_sources(9e11, 6e11, Funding(gap_filled_by="grant"), debt)
    assert grant["grant_rial"] == 3e11 and grant["sponsor_equity_rial"] == 0 and grant["gap_rial"] == 3e11
    stated = funding_sources(9e11, 6e11, Funding(grant_rial=1e11, gap_filled_by="debt"), debt)
    assert stated["grant_rial"] == 1e11 and stated["debt_rial"] == 2e11
    exact = funding_sources(9e11, 6e11, Funding(sponsor_equity_rial=3e11, gap_filled_by=None), debt)
    assert exact["sponsor_equity_rial"] == 3e11 and exact["gap_rial"] == 0
    with pytest.raises(InputError, match=r"leave 300,000,000,000 rial .*funding.grant_rial.*funding.sponsor_equity_rial.*debt.principal_rial.*cooperative.share_price_rial"):
        funding_sources(9e11, 6e11, Funding(gap_filled_by=None), debt)
    with pytest.raises(InputError, match="100,000,000,000 rial more than the capital cost"):
        funding_sources(9e11, 6e11, Funding(grant_rial=4e11), debt)
    with pytest.raises(InputError, match="more than the capital cost"):
        funding_sources(9e11, 6e11, Funding(), CooperativeDebt(share_of_capital_cost=0.5))



def test_the_summary_names_who_filled_a_gap_only_when_there_was_one():
    # the Qom baseline: the shares pay the whole plant (600 bn), so nobody filled anything,
    # although the scenario names sponsor equity for a gap
    base = sc.qom_baseline()
    assert base.funding.gap_filled_by == "sponsor_equity"
    summary = sc.simulate(base).summary
    assert summary["funding_sponsor_equity_rial"] == 0 and summary["funding_gap_filled_by"] == "none"
    # a plant of 300 million rial a kWp (900 bn) leaves 300 bn to the sponsor
    dearer = sc.simulate(base.with_changes({"costs.capital_cost_rial_per_kwp": 300e6})).summary
    assert dearer["funding_sponsor_equity_rial"] == 3e11 and dearer["funding_gap_filled_by"] == "sponsor_equity"

def profit_only(**changes):
    rules = dict(
        income_tax_rate=0, legal_reserve_share=0, precautionary_reserve_share=0,
        education_fee_share=0, working_cash_months=0,
    )  # fmt: skip
    return Cooperative(**{**rules, **changes})


def test_profit_distribution_in_a_loss_year_and_a_profit_year():
    # year 1 loses 120 (10 a month of depreciation-free loss); year 2 earns 30 a month.
    # Under the law nothing is paid until the loss is made good (month 4 of year 2), then
    # the profit; depreciation of 10 a month keeps its cash in the cooperative.
    collected = np.concatenate([np.full(12, 0.0), np.full(12, 50.0)])
    books = book_months(
        collected_rial=collected, operating_costs_rial=np.concatenate([np.full(12, 0.0), np.full(12, 10.0)]),
        depreciation_rial=np.concatenate([np.full(12, 10.0), np.full(12, 10.0)]),
        operating_year=np.repeat([1, 2], 12), cooperative=profit_only(), share_capital_rial=1.0,
        smoothing_months=1,
    )  # fmt: skip
    # cumulative profit: -10, ..., -120, then -90, -60, -30, 0, 30, ...
    np.testing.assert_allclose(books["distributed_rial"], [0.0] * 16 + [30.0] * 8)
    np.testing.assert_allclose(books["cash_balance_rial"][-1], 12 * 40 - 8 * 30)
    cash = book_months(
        collected_rial=collected, operating_costs_rial=np.concatenate([np.full(12, 0.0), np.full(12, 10.0)]),
        depreciation_rial=10.0, operating_year=np.repeat([1, 2], 12),
        cooperative=profit_only(distribution_rule="cash"), share_capital_rial=1.0, smoothing_months=1,
    )  # fmt: skip
    np.testing.assert_allclose(cash["distributed_rial"], [0.0] * 12 + [40.0] * 12)  # a return of capital


def test_deposit_interest_on_a_reserve_by_hand():
    # month 1: profit 100, 10 % precautionary reserve, 90 paid out; month 2: the 10 held
    # earns 2 % = 0.2, which is profit too: 10 % of it to the reserve, the rest paid
    coop = profit_only(precautionary_reserve_share=0.1)
    books = book_months(
        collected_rial=np.array([100.0, 0.0]), operating_costs_rial=0.0, depreciation_rial=0.0,
        operating_year=np.ones(2, int), cooperative=coop, share_capital_rial=1.0, smoothing_months=1,
        deposit_rate_per_month=0.02,
    )  # fmt: skip
    np.testing.assert_allclose(books["interest_earned_rial"], [0.0, 0.2])
    np.testing.assert_allclose(books["precautionary_reserve_rial"], [10.0, 0.02])
    np.testing.assert_allclose(books["distributed_rial"], [90.0, 0.18])
    assert conserved(np.array([100.0, 0.0]), 0.0, books) < 1e-12


def test_the_precautionary_reserve_pays_the_inverters_when_the_assembly_allows():
    coop = profit_only(precautionary_reserve_share=0.1, reserve_uses=("inverter_replacement",))
    common = dict(
        collected_rial=np.full(4, 100.0), operating_costs_rial=0.0, depreciation_rial=0.0,
        operating_year=np.ones(4, int), share_capital_rial=1.0, smoothing_months=1,
        replacement_spent_rial=np.array([0.0, 0.0, 25.0, 0.0]),
    )  # fmt: skip
    books = book_months(cooperative=coop, **common)
    # the reserve holds 10, 20, then 30 of which it pays the 25: 5, then 15 left; the
    # families' profit is paid in full
    np.testing.assert_allclose(books["reserve_paid_for_replacement_rial"], [0, 0, 25, 0])
    np.testing.assert_allclose(np.cumsum(books["precautionary_reserve_rial"]), [10, 20, 5, 15])
    np.testing.assert_allclose(books["distributed_rial"], [90, 90, 90, 90])
    # without the assembly's decision the month's cash pays it and the profit waits
    without = book_months(cooperative=profit_only(precautionary_reserve_share=0.1), **common)
    np.testing.assert_allclose(without["reserve_paid_for_replacement_rial"], 0.0)
    np.testing.assert_allclose(np.cumsum(without["precautionary_reserve_rial"]), [10, 20, 30, 40])
    np.testing.assert_allclose(without["distributed_rial"], [90, 90, 65, 90])


def test_the_precautionary_reserve_covers_an_instalment_shortfall():
    # the families get 60 % of what is distributed and owe 70 a month: month 1 pays 90,
    # families 54, short 16; the reserve holds 10 and pays it all; month 2 it holds 10 again
    coop = profit_only(precautionary_reserve_share=0.1, reserve_uses=("instalment_shortfall",))
    books = book_months(
        collected_rial=np.array([100.0, 100.0]), operating_costs_rial=0.0, depreciation_rial=0.0,
        operating_year=np.ones(2, int), cooperative=coop, share_capital_rial=1.0, smoothing_months=1,
        instalments_due_rial=70.0, families_share_of_distribution=0.6,
    )  # fmt: skip
    np.testing.assert_allclose(books["reserve_paid_for_instalments_rial"], [10.0, 10.0])
    np.testing.assert_allclose(books["precautionary_reserve_rial"], [0.0, 0.0])
    assert conserved(np.array([100.0, 100.0]), 0.0, books) < 1e-12


def test_the_law_still_pays_equal_months_when_bills_come_every_two_months():
    # 200 collected every second month, no costs or depreciation: the profit (200 every
    # second month) is spread over two months like the cash, so 100 is paid every month
    # once the first bill is in
    books = book_months(
        collected_rial=np.tile([0.0, 200.0], 6), operating_costs_rial=0.0, depreciation_rial=0.0,
        operating_year=np.ones(12, int), cooperative=profit_only(), share_capital_rial=1.0,
        smoothing_months=2,
    )  # fmt: skip
    np.testing.assert_allclose(books["distributed_rial"], [0.0] + [100.0] * 10 + [200.0])
    np.testing.assert_allclose(books["distributable_profit_rial"], np.tile([0.0, 200.0], 6))
