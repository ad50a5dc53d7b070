"""The books are the rules: ``book_months`` equals composing the rules month by month.

The loop below is written apart from :mod:`solarcoop.books.ledger`: one month at a time,
each step one call of a rule of :mod:`solarcoop.books.rules` on plain arrays of the
paths (no ``out=``, no skipped lines, no month-major rows), over random small books.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from solarcoop.books.ledger import BOOK_LINES, book_months
from solarcoop.books.rules import (
    appropriations,
    cumulative_distribution,
    deposit_interest,
    reserve_draw,
    tax_on_account,
    true_up_split,
)
from solarcoop.books.specs import TAX_PAYMENT_MONTH_OF_NEXT_YEAR, Cooperative


def composed(*, collected, costs, depreciation, operating_year, cooperative, capital, smoothing,
             debt_service, debt_interest, initial_cash, replacement_in, replacement_spent,
             end_of_life, rate, instalments, families_share, tax_rate_by_path, exempt_by_path,
             income, working_share, payout_month, replacement_depreciated):  # fmt: skip
    """The books of (paths, months) inputs, month by month, by the rules alone; a line
    the same on every path may come as (months,)."""
    paths, n_months = collected.shape
    depreciation, debt_service, debt_interest, instalments = (
        np.broadcast_to(line, (paths, n_months)) for line in (depreciation, debt_service, debt_interest, instalments)
    )
    tax_rate = cooperative.income_tax_rate * (1 - cooperative.tax_discount)
    tax_rate = tax_rate if tax_rate_by_path is None else tax_rate_by_path
    exempt = np.full(paths, cooperative.tax_exempt_years) if exempt_by_path is None else exempt_by_path
    settle = cooperative.end_of_life_settlement != "kept"
    kept_back = cooperative.working_cash_months * costs
    replacement_balance = np.cumsum(replacement_in, axis=-1)
    zeros = np.zeros(paths)
    holdings = cumulative_net = np.full(paths, initial_cash)
    taxable = taxed_max = after_tax = appropriable = legal_total = balance = zeros
    distributable_total = distributed_total = net_window = profit_window = zeros
    net_totals, profit_totals = [], []
    cash = np.full(paths, initial_cash)
    after_year = cooperative.tax_paid == "after_fiscal_year"
    tax_owed = tax_due = owed = advanced = distributable_closed = write_off = zeros
    month_of_year = np.arange(n_months) - np.searchsorted(operating_year, operating_year) + 1
    closes = np.append(operating_year[1:] != operating_year[:-1], True)
    lines = {name: np.zeros((paths, n_months)) for name in BOOK_LINES}
    for t in range(n_months):
        last = t == n_months - 1
        interest = deposit_interest(holdings, rate[:, t])
        if working_share is not None:
            interest = interest + deposit_interest(cash, rate[:, t]) * working_share
        gross = collected[:, t] + interest - costs[:, t]
        profit = gross if income is None else income[:, t] + interest - costs[:, t]
        profit = profit - depreciation[:, t]
        if replacement_depreciated:  # the replacement, written off over the months left
            write_off = write_off + replacement_spent[:, t] / (n_months - t)
            profit = profit - write_off
        profit = profit - debt_interest[:, t] - (end_of_life if last else 0.0)
        taxable = np.where(operating_year[t] > exempt, taxable + profit, taxable)
        tax, taxed_max = tax_on_account(taxed_max, taxable, tax_rate)
        after_tax = after_tax + profit - tax
        paid = tax
        if after_year:  # tax_owed: all not yet paid; tax_due: the closed years' part of it
            tax_owed = tax_owed + tax
            if last:
                paid, tax_owed, tax_due = tax_owed, zeros, zeros
            elif month_of_year[t] == TAX_PAYMENT_MONTH_OF_NEXT_YEAR:
                paid, tax_owed, tax_due = tax_due, tax_owed - tax_due, zeros
            else:
                paid = zeros
        appropriable_before, appropriable = appropriable, np.maximum(appropriable, after_tax)
        shares = appropriations(appropriable_before, appropriable, legal_total, cooperative, capital)
        legal_total = shares["legal_total_rial"]
        legal, precautionary = shares["legal_reserve_rial"], shares["precautionary_reserve_rial"]
        balance = balance + precautionary
        for_replacement = zeros
        if "inverter_replacement" in cooperative.reserve_uses:
            for_replacement = reserve_draw(balance, replacement_spent[:, t])
            balance, precautionary = balance - for_replacement, precautionary - for_replacement
        distributable_total = distributable_total + shares["distributable_profit_rial"]
        if last and settle:  # the legal reserve is indivisible and stays
            precautionary, balance = precautionary - balance, zeros
        net = (
            gross - debt_service[:, t] - tax - legal - precautionary - shares["education_fee_rial"]
            - replacement_in[:, t] - replacement_spent[:, t] - (end_of_life if last else 0.0)
        )  # fmt: skip
        cumulative_net = cumulative_net + net
        net_totals.append(cumulative_net)
        profit_totals.append(distributable_total)
        net_window = net_window + cumulative_net
        profit_window = profit_window + distributable_total
        if t >= smoothing:  # the windows hold the last `smoothing` months' totals
            net_window = net_window - net_totals[t - smoothing]
            profit_window = profit_window - profit_totals[t - smoothing]
        cash_target = cumulative_net if last else net_window / smoothing - kept_back[:, t]
        limit = None
        if cooperative.distribution_rule == "profit" and not (last and settle):
            limit = distributable_total if last else profit_window / smoothing
        distributed = true_up = advance = for_instalments = zeros
        if last or payout_month is None or payout_month[t]:
            distributed_before = distributed_total
            distributed_total = cumulative_distribution(distributed_total, cash_target, limit)
            distributed = distributed_total - distributed_before
            true_up, advance = true_up_split(distributed, owed)
            owed, advanced = owed - true_up, advanced + advance
            if "instalment_shortfall" in cooperative.reserve_uses:
                for_instalments = reserve_draw(balance, instalments[:, t] - families_share * distributed)
                balance, precautionary = balance - for_instalments, precautionary - for_instalments
        cash = cumulative_net - distributed_total
        if after_year:  # the tax owed is still in the cash
            cash = cash + tax_owed
        if working_share is None:
            holdings = cash + legal_total + balance + replacement_balance[:, t]
        else:
            holdings = legal_total + balance + replacement_balance[:, t]
        if closes[t]:  # the fiscal year's close
            tax_due = tax_owed
            owed = owed + distributable_total - distributable_closed - advanced
            distributable_closed, advanced = distributable_total, zeros
        month = {
            "interest_earned_rial": interest, "profit_before_tax_rial": profit, "tax_rial": tax,
            "tax_paid_rial": paid, "distribution_advance_rial": advance, "distribution_true_up_rial": true_up,
            "legal_reserve_rial": legal, "precautionary_reserve_rial": precautionary,
            "education_fee_rial": shares["education_fee_rial"],
            "distributable_profit_rial": shares["distributable_profit_rial"],
            "reserve_paid_for_replacement_rial": for_replacement,
            "reserve_paid_for_instalments_rial": for_instalments, "distributed_rial": distributed,
            "cash_balance_rial": cash, "reserves_rial": legal + precautionary,
            "debt_service_rial": debt_service[:, t], "replacement_reserve_rial": replacement_in[:, t],
            "replacement_spent_rial": replacement_spent[:, t],
            "end_of_life_rial": end_of_life if last else zeros,
        }  # fmt: skip
        for name, values in month.items():
            lines[name][:, t] = values
    return lines


@st.composite
def books(draw):
    """Random small books: a few paths, a few dozen months, with or without each line.

    The lines the engine gives the same on every path (depreciation, debt service and
    its interest, instalments) come as (months,) or (paths, months), and the lines asked
    for are all (``None``) or a random selection.
    """
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    paths, n_months = draw(st.integers(1, 4)), draw(st.integers(12, 40))

    def line(scale, sometimes=True, shared=False):
        """A random line, or none (zero) when ``sometimes`` and hypothesis says so; when
        ``shared``, hypothesis also says whether it is one row for all paths."""
        shape = (n_months,) if shared and draw(st.booleans()) else (paths, n_months)
        if sometimes and draw(st.booleans()):
            return np.zeros(shape)
        return rng.uniform(0, scale, shape)

    shape = (paths, n_months)

    reserve_uses = draw(st.lists(st.sampled_from(["inverter_replacement", "instalment_shortfall"]), unique=True))
    cooperative = Cooperative(
        tax_exempt_years=draw(st.integers(0, 3)),
        legal_reserve_cap_share_of_capital=draw(st.sampled_from([0.0, 0.01, 0.25])),
        working_cash_months=draw(st.sampled_from([0.0, 0.5, 3.0])),
        distribution_rule=draw(st.sampled_from(["profit", "cash"])),
        reserve_uses=tuple(reserve_uses),
        end_of_life_settlement=draw(st.sampled_from(["kept", "distributed"])),
        tax_paid=draw(st.sampled_from(["after_fiscal_year", "monthly_on_account"])),
    )
    per_path_tax = draw(st.booleans())
    return {
        "collected": rng.uniform(-1e5, 1e6, shape) * (rng.uniform(size=shape) > 0.3),  # some months pay nothing
        "costs": line(3e5, sometimes=False),
        "depreciation": line(2e5, shared=True),
        "operating_year": np.repeat(np.arange(1, 5), 12)[:n_months],
        "cooperative": cooperative,
        "capital": draw(st.sampled_from([1e6, 1e8])),
        "smoothing": draw(st.integers(1, 3)),
        "debt_service": (debt_service := line(2e5, shared=True)),
        "debt_interest": debt_service * 0.4,
        "initial_cash": draw(st.sampled_from([0.0, 5e5])),
        "replacement_in": line(5e4) - line(1e5),
        "replacement_spent": line(2e5),
        "end_of_life": rng.uniform(-1e5, 1e5, paths),
        "rate": line(0.02),
        "instalments": line(4e5, shared=True),
        "families_share": draw(st.sampled_from([1.0, 2 / 3])),
        "tax_rate_by_path": rng.uniform(0, 0.3, paths) if per_path_tax else None,
        "exempt_by_path": rng.integers(0, 4, paths) if per_path_tax and draw(st.booleans()) else None,
        "lines": draw(st.none() | st.lists(st.sampled_from(BOOK_LINES), unique=True)),
        "income": None if draw(st.booleans()) else rng.uniform(0, 1e6, shape),
        "working_share": None if draw(st.booleans()) else draw(st.sampled_from([0.0, 10 / 18, 1.0])),
        "payout_month": None if draw(st.booleans()) else rng.uniform(size=n_months) > 0.5,
        "replacement_depreciated": draw(st.booleans()),
    }


@settings(max_examples=150, deadline=None)
@given(books())
def test_book_months_equals_composing_the_rules(case):
    booked = book_months(
        collected_rial=case["collected"],
        operating_costs_rial=case["costs"],
        depreciation_rial=case["depreciation"],
        operating_year=case["operating_year"],
        cooperative=case["cooperative"],
        share_capital_rial=case["capital"],
        smoothing_months=case["smoothing"],
        debt_service_rial=case["debt_service"],
        debt_interest_rial=case["debt_interest"],
        initial_cash_rial=case["initial_cash"],
        replacement_reserve_rial=case["replacement_in"],
        replacement_spent_rial=case["replacement_spent"],
        end_of_life_rial=case["end_of_life"],
        deposit_rate_per_month=case["rate"],
        instalments_due_rial=case["instalments"],
        families_share_of_distribution=case["families_share"],
        tax_rate_by_path=case["tax_rate_by_path"],
        tax_exempt_years_by_path=case["exempt_by_path"],
        lines=case["lines"],
        income_rial=case["income"],
        working_cash_rate_share=case["working_share"],
        payout_month=case["payout_month"],
        replacement_depreciated=case["replacement_depreciated"],
    )
    asked = BOOK_LINES if case["lines"] is None else case["lines"]
    expected = composed(**{name: value for name, value in case.items() if name != "lines"})
    assert list(booked) == [name for name in BOOK_LINES if name in asked]
    for name in booked:
        assert booked[name].shape == case["collected"].shape, name
        np.testing.assert_array_equal(booked[name], expected[name], err_msg=name)


def test_one_path_alone_is_booked_as_among_many():
    rng = np.random.default_rng(3)
    arguments = {
        "operating_costs_rial": 2e5, "depreciation_rial": 1e5, "operating_year": np.repeat([1, 2], 12),
        "cooperative": Cooperative(), "share_capital_rial": 1e8, "smoothing_months": 2,
        "deposit_rate_per_month": 0.01,
    }  # fmt: skip
    collected = rng.uniform(0, 1e6, (3, 24))
    together = book_months(collected_rial=collected, **arguments)
    alone = book_months(collected_rial=collected[1], **arguments)
    for name in BOOK_LINES:
        np.testing.assert_array_equal(together[name][1], alone[name], err_msg=name)
