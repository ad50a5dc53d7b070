"""The payout reading: cadence, first payout month and the loan's shortfall practice, drawn as one."""

import numpy as np
import pytest

import solarcoop as sc
from solarcoop import disputed
from solarcoop.books.specs import MemberClass
from solarcoop.finance import Loan


def test_each_alternative_sets_the_three_facts_together():
    base = sc.qom_baseline()
    expected = {
        "monthly_debited": ("monthly", 0, "debited"),
        "quarterly_net_after_first_quarter": ("quarterly", 3, "arrears"),
        "monthly_net": ("monthly", 0, "arrears"),
    }
    for alternative, (cadence, first, shortfall) in expected.items():
        moved = disputed.apply(base, "payout", alternative)
        assert moved.cooperative.payout_cadence == cadence, alternative
        assert moved.cooperative.first_payout_month_index == first, alternative
        assert moved.loan.shortfall == shortfall, alternative
        # nothing else of the cooperative moves
        assert moved.cooperative.families == base.cooperative.families
        assert moved.cooperative.income_tax_rate == base.cooperative.income_tax_rate
    # the central alternative leaves the baseline as it is, the very object
    assert disputed.apply(base, "payout", "quarterly_net_after_first_quarter") is base


def test_member_classes_own_loans_take_the_practice_too():
    own = Loan(principal_rial=1e9, annual_rate=0.04, term_months=84, shortfall="arrears")
    classes = (MemberClass("with_loan", families=300, loan=own), MemberClass("paid_cash", families=100, loan=None))
    scenario = sc.qom_baseline().with_changes({"member_classes": classes})
    moved = disputed.apply(scenario, "payout", "monthly_debited")
    assert moved.member_classes[0].loan.shortfall == "debited"
    assert moved.member_classes[0].loan.principal_rial == 1e9
    assert moved.member_classes[1].loan is None
    assert moved.loan.shortfall == "debited"


def test_the_changes_text_names_the_three_fields():
    table = sc.readings().set_index(["reading", "alternative"])
    text = table.loc[("payout", "quarterly_net_after_first_quarter"), "changes"]
    assert text == (
        "cooperative.payout_cadence = 'quarterly', first_payout_month_index = 3; loan.shortfall = 'arrears' "
        "(member classes' loans too)"
    )
    assert "yazd.emdad.ir" in table.loc[("payout", "quarterly_net_after_first_quarter"), "source"]
    assert table.loc[("payout", "quarterly_net_after_first_quarter"), "central"]


def test_the_central_practice_pays_every_third_month_from_the_fourth_and_never_from_the_pocket():
    result = sc.simulate(sc.qom_baseline().with_changes({"lifetime_years": 3}))
    monthly = result.monthly
    paid = np.flatnonzero(monthly["payout_per_family_rial"].to_numpy()[:-1] > 0.5)  # the last month closes the books
    assert paid.size and (paid % 3 == 0).all() and paid.min() >= 3
    flow = monthly["family_cash_flow_rial"].to_numpy()
    assert (flow >= 0).all()  # withheld, never taken from the family's pocket
    # the months before the first payout carry the instalments as a debt
    arrears = monthly["arrears_per_family_rial"].to_numpy()
    assert arrears[:3].min() > 0
    assert arrears[0] == pytest.approx(monthly["loan_instalment_per_family_rial"].iloc[0])
    # the most owed, which the CLI, the statement and page 1 all read from the summary
    assert result.summary["family_arrears_max_rial"] == arrears.max() >= 3 * arrears[0] - 1e-6


def test_the_monthly_debited_practice_pays_from_the_pocket_and_carries_no_debt():
    scenario = disputed.apply(sc.qom_baseline().with_changes({"lifetime_years": 3}), "payout", "monthly_debited")
    monthly = sc.simulate(scenario).monthly
    assert (monthly["arrears_per_family_rial"] == 0).all()
    assert (monthly["family_cash_flow_rial"] < 0).any()


def test_a_home_plant_is_paid_monthly_and_does_not_draw_the_cooperatives_payout():
    home = sc.home_plant()
    assert "payout" not in home.uncertainty.readings
    assert (home.cooperative.payout_cadence, home.cooperative.first_payout_month_index) == ("monthly", 0)


def test_paths_under_other_payout_practices_are_booked_in_one_pass_and_equal_their_own_books():
    from solarcoop import engine
    from solarcoop.calendar import accounting_months
    from solarcoop.studies import montecarlo

    scenario = sc.qom_baseline().with_changes({"lifetime_years": 4})
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    tables = montecarlo.energy_tables(scenario, months)
    draws = montecarlo.draw_block(scenario, tables, np.random.SeedSequence(4), 120)
    revenue = montecarlo._revenue_paths(scenario, months, tables, draws)
    kept = ("family_cash_flow_rial", "arrears_per_family_rial", "paid_from_pocket_per_family_rial")
    groups = list(montecarlo._book_groups(scenario, draws))
    booked = {column: np.full(revenue["energy_kwh"].shape, np.nan) for column in kept}
    assert montecarlo._book_in_one_pass(scenario, months, groups, revenue, kept, booked)  # a per-path payout_month
    practice = draws["reading_payout"]
    item = disputed.reading("payout")
    for index, alternative in enumerate(item.alternatives):
        members = practice == index
        assert members.any(), alternative.name
        pocket = booked["paid_from_pocket_per_family_rial"][members]
        arrears = booked["arrears_per_family_rial"][members]
        if alternative.change.shortfall == "arrears":  # withheld: never from the pocket
            assert (pocket == 0).all() and (booked["family_cash_flow_rial"][members] >= 0).all()
        else:  # debited: never a debt
            assert (arrears == 0).all()
    # each path is its own books under its drawn practice
    names = montecarlo._drawn(draws, scenario, "books")
    for row, members in montecarlo._groups(montecarlo._codes(draws, names)):
        variant = montecarlo._variant(scenario, names, row)
        alone = engine.book_revenue(variant, months, {name: values[members] for name, values in revenue.items()}, lines=kept)
        for column in kept:
            np.testing.assert_array_equal(booked[column][members], alone[column], err_msg=column)
