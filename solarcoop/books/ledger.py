"""The monthly books: from cash collected to what the cooperative distributes.

How money is conserved each month, and each rule of the books, is told once, in the
Notes of :func:`book_months`.

Interest on last month's holdings makes each month depend on the one before, so
:func:`book_months` keeps the books by one loop over months, over a
:class:`LedgerState` of all paths at once; each step of a month is a rule of
:mod:`solarcoop.books.rules`, written in place into that month's row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solarcoop._running import months_first, running
from solarcoop._validation import InputError
from solarcoop.books.rules import (
    appropriations,
    cumulative_distribution,
    deposit_interest,
    reserve_draw,
    tax_on_account,
    true_up_split,
)
from solarcoop.books.specs import TAX_PAYMENT_MONTH_OF_NEXT_YEAR, Cooperative
from solarcoop.lines import BOOK_LINES  # the lines book_months returns, declared once


def book_months(
    *,
    collected_rial,
    operating_costs_rial,
    depreciation_rial,
    operating_year,
    cooperative: Cooperative,
    share_capital_rial: float,
    smoothing_months: int,
    debt_service_rial=0.0,
    debt_interest_rial=0.0,
    initial_cash_rial: float = 0.0,
    replacement_reserve_rial=0.0,
    replacement_spent_rial=0.0,
    end_of_life_rial=0.0,
    deposit_rate_per_month=0.0,
    instalments_due_rial=0.0,
    families_share_of_distribution: float = 1.0,
    tax_rate_by_path=None,
    tax_exempt_years_by_path=None,
    lines=None,
    income_rial=None,
    fiscal_year=None,
    month_of_fiscal_year=None,
    working_cash_rate_share=None,
    payout_month=None,
    replacement_depreciated: bool = False,
) -> dict[str, np.ndarray]:
    """Book every month: interest, tax, reserves, fee, distribution and working cash.

    Parameters
    ----------
    collected_rial : array_like
        Revenue received [rial], shape (..., months).
    operating_costs_rial : array_like
        Operating costs paid [rial], broadcastable to ``collected_rial``.
    depreciation_rial : array_like
        Depreciation deducted for tax [rial/month] (no cash moves).
    operating_year : array_like of int
        Operating year of each month (1, 1, ..., 2, ...), shape (months,).
    cooperative : Cooperative
        Its tax, reserve, distribution and settlement rules.
    share_capital_rial : float
        Paid-in capital of the owners (families' shares and sponsor equity) [rial]; caps
        the legal reserve.
    smoothing_months : int
        Months over which net cash is averaged into distributions [months].
    debt_service_rial, debt_interest_rial : array_like
        The cooperative's own debt: payment and its interest part [rial].
    initial_cash_rial : float
        Working cash at the start [rial].
    replacement_reserve_rial, replacement_spent_rial : array_like
        Put into the inverter-replacement reserve (negative when drawn) and spent on the
        replacement [rial], from :func:`~solarcoop.books.capital.replacement_reserve`.
    end_of_life_rial : array_like
        Net cost of the end of life (decommissioning less salvage) [rial], paid in the
        last month; shape (...) or scalar.
    deposit_rate_per_month : array_like
        Rate the cash and reserves earn in each month [fraction/month], broadcastable.
    instalments_due_rial : array_like
        What all families owe their lenders each month [rial]; used only when
        ``"instalment_shortfall"`` is in ``cooperative.reserve_uses``.
    families_share_of_distribution : float
        Families' share of every distribution (the rest goes to the sponsor) [fraction].
    tax_rate_by_path : array_like, optional
        Each path's tax rate after the cooperative discount [fraction], shape of the
        paths (``collected_rial.shape[:-1]``), in place of the cooperative's (a Monte
        Carlo whose paths drew different tax readings books them all at once).
    tax_exempt_years_by_path : array_like of int, optional
        Each path's tax-exempt operating years [years], shape of the paths, in place of
        ``cooperative.tax_exempt_years``.
    lines : collection of str, optional
        The lines to return (default: all of :data:`solarcoop.lines.BOOK_LINES`); a line not asked for
        is worked out month by month in one reused row, not kept for every month.
    income_rial : array_like, optional
        Income booked each month [rial], broadcastable to ``collected_rial``: on accrual
        the bills as issued (with penalties, less what was lost selling bonds). Default:
        the cash collected (the cash basis).
    fiscal_year, month_of_fiscal_year : array_like of int, optional
        The fiscal year of each month and its month within it (1-12), shape (months,).
        Default: the operating year, and the month's place in it.
    working_cash_rate_share : float, optional
        The working cash earns this share of ``deposit_rate_per_month`` [fraction]; the
        reserve funds earn all of it. Default: the working cash and the funds earn the
        rate on their sum, as one holding.
    payout_month : array_like of bool, optional
        Months in which the owners are paid, shape (months,), or (paths, months) when the
        paths are paid in different months; the last month always pays. Default: every
        month.
    replacement_depreciated : bool
        Also write off ``replacement_spent_rial`` in equal parts from the month it is
        paid to the last month (it is capitalised:
        :func:`~solarcoop.books.capital.replacement_depreciation_rial`), beside
        ``depreciation_rial``. Default ``False``.

    Returns
    -------
    dict of numpy.ndarray
        All shape (..., months), [rial]: ``interest_earned_rial``,
        ``profit_before_tax_rial``, ``tax_rial`` (the tax on the month's profit, the
        expense), ``tax_paid_rial`` (the tax that leaves the cash), ``legal_reserve_rial``,
        ``precautionary_reserve_rial`` (negative when drawn or released),
        ``reserves_rial`` (their sum), ``education_fee_rial``,
        ``distributable_profit_rial``, ``debt_service_rial``,
        ``replacement_reserve_rial``, ``replacement_spent_rial``,
        ``reserve_paid_for_replacement_rial``, ``reserve_paid_for_instalments_rial``,
        ``end_of_life_rial``, ``distributed_rial`` (to the owners: families and sponsor),
        split into ``distribution_advance_rial`` (on account of the fiscal year's profit)
        and ``distribution_true_up_rial`` (settling a closed year), and
        ``cash_balance_rial`` (working cash at the end of the month).

    Notes
    -----
    Money is conserved each month::

        collected + interest = costs + debt service + tax paid + reserves + education fee
                               + replacement reserve + replacement spent + end of life
                               + distributed + reserve paid for instalments
                               + change in working cash

    **Profit** is the income (the bills as issued, on accrual; the cash collected, on the
    cash basis) and interest, less operating costs, depreciation, debt interest and, in
    the last month, the end of life.

    **Tax** accrues month by month: by month :math:`t` the tax charged is
    :math:`r \\max(0, \\max_{k \\le t} P_k)` where :math:`P` is the cumulative
    taxable profit (nothing in exempt years) and :math:`r` the rate after the cooperative
    discount; a loss is carried forward and never refunded
    (:func:`~solarcoop.books.rules.tax_on_account`). Under ``cooperative.tax_paid =
    "after_fiscal_year"`` the tax of a fiscal year is owed at its close and paid in month
    :data:`~solarcoop.books.specs.TAX_PAYMENT_MONTH_OF_NEXT_YEAR` of the next (Direct
    Taxes Act art. 110: within four months after the year); what is still owed is paid
    in the last month. Under ``"monthly_on_account"`` it is paid as it accrues.

    **Appropriations** (Cooperative Sector Law art. 25, :func:`~solarcoop.books.rules.appropriations`): of each
    new high of cumulative profit after tax, the legal reserve takes
    ``legal_reserve_share`` until it holds ``legal_reserve_cap_share_of_capital`` of the
    capital, the precautionary reserve and the education fee their shares; the rest is
    distributable profit.

    **Distribution** (:func:`~solarcoop.books.rules.cumulative_distribution`), in the
    payout months only (``payout_month``; what another month would pay waits for the
    next payout): the cash allows :math:`A - B`,
    the moving average (over ``smoothing_months``) of cumulative net cash, after the tax
    as it accrues (what is owed to the tax office is held, not paid out), less the
    working cash kept back. Under ``distribution_rule = "profit"`` (the law: art. 25
    divides net profit) cumulative distributions also stay within the moving average of
    cumulative distributable profit (so bills paid every two months still become equal
    monthly payouts), so depreciation-sheltered cash stays in the cooperative; under
    ``"cash"`` (a return of capital, which the general assembly must approve) all the
    cash the rule allows is paid. Distributions never go negative and a deficit is made
    good first. In the last month the working cash is no longer kept back.

    **Advances and the true-up.** A distribution within a fiscal year is an advance on
    that year's profit, which the general assembly approves with the year's accounts
    (Cooperative Sector Law art. 25 divides the year's net profit). At the year's close
    the year's distributable profit less its advances is owed to the owners (or, if
    negative, owed back); the next payouts settle it first, as
    ``distribution_true_up_rial``, and the rest of each payout is
    ``distribution_advance_rial`` (:func:`~solarcoop.books.rules.true_up_split`).

    **Reserve uses** (``cooperative.reserve_uses``): ``"inverter_replacement"`` pays the
    replacement from the precautionary reserve up to its balance;
    ``"instalment_shortfall"`` pays, from the precautionary reserve, what the families'
    part of the month's distribution lacks to cover their instalments. The legal reserve
    is never drawn.

    **Interest** (:func:`~solarcoop.books.rules.deposit_interest`): the reserve funds held
    at the end of a month (legal, precautionary and replacement) earn
    ``deposit_rate_per_month`` in the next, the working cash (the tax owed included)
    ``working_cash_rate_share`` of it; the interest is income, taxed and appropriated
    like the rest.

    **End of life** (``cooperative.end_of_life_settlement``): ``"kept"`` keeps the
    reserves and any cash beyond distributable profit with the cooperative; otherwise
    the precautionary reserve is released in the last month and all working cash is
    paid out (the owed bills, under ``"owed_collected_and_distributed"``, are collected
    by the caller into the last month). The legal reserve is never paid to the members:
    it is indivisible (Cooperative Companies Law 1350 art. 15).

    Interest on last month's holdings makes each month depend on the one before, so the
    books are kept by one loop over months; every step in it works on all paths at once.
    """
    asked = set(BOOK_LINES if lines is None else lines)
    unknown = sorted(asked - set(BOOK_LINES))
    if unknown:
        raise InputError(f"lines = {unknown[0]!r} is not a line of the books: choose from {list(BOOK_LINES)}")
    if "reserves_rial" in asked:
        asked |= {"legal_reserve_rial", "precautionary_reserve_rial"}
    m = MonthlyInputs.month_major(
        collected_rial=collected_rial,
        operating_costs_rial=operating_costs_rial,
        depreciation_rial=depreciation_rial,
        operating_year=operating_year,
        cooperative=cooperative,
        share_capital_rial=share_capital_rial,
        smoothing_months=smoothing_months,
        debt_service_rial=debt_service_rial,
        debt_interest_rial=debt_interest_rial,
        replacement_reserve_rial=replacement_reserve_rial,
        replacement_spent_rial=replacement_spent_rial,
        end_of_life_rial=end_of_life_rial,
        deposit_rate_per_month=deposit_rate_per_month,
        instalments_due_rial=instalments_due_rial,
        families_share_of_distribution=families_share_of_distribution,
        tax_rate_by_path=tax_rate_by_path,
        tax_exempt_years_by_path=tax_exempt_years_by_path,
        income_rial=income_rial,
        fiscal_year=fiscal_year,
        month_of_fiscal_year=month_of_fiscal_year,
        working_cash_rate_share=working_cash_rate_share,
        payout_month=payout_month,
        split_asked=bool({"distribution_advance_rial", "distribution_true_up_rial"} & asked),
        paid_asked="tax_paid_rial" in asked,
        replacement_depreciated=replacement_depreciated,
    )
    batch = m.shape[:-1]
    # the lines kept, (months, ...), written row by row; one reused row for each other line
    out = {
        name: (np.zeros if name in DRAWN_SOME_MONTHS else np.empty)((m.n_months,) + batch)
        for name in MONTH_ROWS
        if name in asked
    }
    row = {name: np.zeros(batch) for name in MONTH_ROWS if name not in asked}
    state = LedgerState.opening(batch, initial_cash_rial, smoothing_months)
    for t in range(m.n_months):  # a monthly recursion (interest on last month's holdings)
        last = t == m.n_months - 1
        for name, line in out.items():
            row[name] = line[t, ...]  # a view, also of a single path
        profit = earn(state, m, t, last, row)
        tax = pay_tax(state, m, t, last, profit, row)
        appropriate(state, m, t, last, row)
        net_cash(state, m, t, last, tax, row)
        distribute(state, m, t, last, row)
        if m.closes[t]:
            close_year(state, m)
    return _lines(out, asked, m, lines)


MONTH_ROWS = (
    "interest_earned_rial", "profit_before_tax_rial", "tax_rial", "tax_paid_rial", "legal_reserve_rial",
    "precautionary_reserve_rial", "education_fee_rial", "distributable_profit_rial",
    "reserve_paid_for_replacement_rial", "reserve_paid_for_instalments_rial", "distributed_rial",
    "distribution_advance_rial", "distribution_true_up_rial", "cash_balance_rial",
)  # fmt: skip
"""The lines :func:`book_months` works out month by month (the others are its inputs)."""

DRAWN_SOME_MONTHS = ("reserve_paid_for_replacement_rial", "reserve_paid_for_instalments_rial")
"""Lines of :data:`MONTH_ROWS` written only when a ``reserve_uses`` lets the precautionary
reserve pay (zero otherwise)."""


def _moves(rows) -> list[bool]:
    """Which months' rows (months, ...) hold anything but +0.0: subtracting +0.0 changes no
    number, so a line is skipped in the months it is all +0.0 (the one number whose bits
    are all zero: -0.0 and NaN have bits set)."""
    flat = np.asarray(rows, float).reshape(len(rows), -1)
    return flat.view(np.int64).any(axis=1).tolist()  # plain bools: quick to read


@dataclass(slots=True)
class MonthlyInputs:
    """The books' inputs as month-major rows: row ``t`` of each line is month ``t`` of
    every path, shape (...) of the paths, or a plain number when the line is the same on
    every path. Built by :meth:`month_major`; see :func:`book_months` for the lines.
    ``history_length`` is how many months of running totals the smoothing keeps
    (``smoothing_months + 1``)."""

    shape: tuple
    n_months: int
    collected: np.ndarray
    income: np.ndarray | None
    costs: np.ndarray
    depreciation: np.ndarray
    debt_service: np.ndarray
    debt_interest: np.ndarray
    replacement_in: np.ndarray
    replacement_spent: np.ndarray
    replacement_balance: np.ndarray
    rate: np.ndarray
    working_rate_share: float | None
    kept_back: np.ndarray
    instalments: np.ndarray | None
    end_of_life: np.ndarray
    tax_rate: np.ndarray
    taxed: np.ndarray
    every_path_taxed: list[bool] | None
    some_path_taxed: list[bool] | None
    depreciation_moves: list[bool]
    debt_interest_moves: list[bool]
    debt_service_moves: list[bool]
    replacement_in_moves: list[bool]
    replacement_spent_moves: list[bool]
    writing_off: list[bool]
    cooperative: Cooperative
    share_capital_rial: float
    smoothing_months: int
    history_length: int
    families_share_of_distribution: float
    use_for_replacement: bool
    use_for_instalments: bool
    profit_rule: bool
    settle_out: bool
    closes: list[bool]
    pays_tax: list[bool]
    tax_after_year: bool
    pays_out: list  # a flag a month, or a month's flags over the paths
    split_asked: bool
    paid_asked: bool
    replacement_depreciated: bool

    @classmethod
    def month_major(
        cls, *, collected_rial, operating_costs_rial, depreciation_rial, operating_year, cooperative,
        share_capital_rial, smoothing_months, debt_service_rial, debt_interest_rial,
        replacement_reserve_rial, replacement_spent_rial, end_of_life_rial, deposit_rate_per_month,
        instalments_due_rial, families_share_of_distribution, tax_rate_by_path, tax_exempt_years_by_path,
        income_rial=None, fiscal_year=None, month_of_fiscal_year=None, working_cash_rate_share=None,
        payout_month=None, split_asked=True, paid_asked=True, replacement_depreciated=False,
    ) -> MonthlyInputs:  # fmt: skip
        """The arguments of :func:`book_months`, month-major."""
        collected = np.asarray(collected_rial, float)
        shape = np.broadcast_shapes(
            collected.shape,
            np.shape(operating_costs_rial),
            np.shape(debt_service_rial),
            np.shape(replacement_reserve_rial),
            np.shape(replacement_spent_rial),
            np.shape(deposit_rate_per_month),
            np.shape(instalments_due_rial),
            np.shape(0.0 if income_rial is None else income_rial),
        )
        n_months = shape[-1]

        def by_month(values):
            """Month-major rows: (months, ...) when the values differ by path, else (months,),
            whose rows are plain numbers (no copy over the paths)."""
            array = np.asarray(values, float)
            if array.ndim <= 1:
                return np.broadcast_to(array, (n_months,))
            return months_first(np.broadcast_to(array, shape))

        costs = by_month(operating_costs_rial)
        depreciation, debt_service = by_month(depreciation_rial), by_month(debt_service_rial)
        debt_interest = by_month(debt_interest_rial)
        replacement_in, replacement_spent = by_month(replacement_reserve_rial), by_month(replacement_spent_rial)
        tax_rate = cooperative.tax_rate_after_discount
        if tax_rate_by_path is not None:
            tax_rate = np.broadcast_to(np.asarray(tax_rate_by_path, float), shape[:-1])
        every_path_taxed = some_path_taxed = None
        if tax_exempt_years_by_path is None:
            taxed = np.asarray(operating_year) > cooperative.tax_exempt_years  # (months,)
        else:  # (months, paths): which paths pay tax in each month
            exempt_years = np.broadcast_to(np.asarray(tax_exempt_years_by_path), shape[:-1])
            taxed = np.asarray(operating_year).reshape((-1,) + (1,) * len(shape[:-1])) > exempt_years
            flat = taxed.reshape(n_months, -1)
            every_path_taxed, some_path_taxed = flat.all(axis=1).tolist(), flat.any(axis=1).tolist()
        use_for_instalments = "instalment_shortfall" in cooperative.reserve_uses
        year = np.asarray(operating_year if fiscal_year is None else fiscal_year)
        if month_of_fiscal_year is None:  # the month's place in its year
            month_of_fiscal_year = np.arange(n_months) - np.searchsorted(year, year) + 1
        closes = np.append(year[1:] != year[:-1], True)
        pays = np.ones(n_months, bool) if payout_month is None else np.asarray(payout_month, bool)
        rows = months_first(pays)  # (months, ...): each month's flags over the paths
        rows = rows.copy() if np.shares_memory(rows, pays) else rows
        rows[-1] = True
        # one flag a month when every path is paid in the same months, else each month's row
        # of flags over the paths (a month paying every path, or none, books as one flag)
        if rows.ndim == 1:
            pays_out = rows.tolist()
        else:
            flat = rows.reshape(n_months, -1)
            mixed = (flat.any(axis=1) & ~flat.all(axis=1)).tolist()
            pays_out = [row if row_mixed else bool(first) for row, row_mixed, first in zip(rows, mixed, flat[:, 0].tolist(), strict=True)]
        return cls(
            shape=shape,
            n_months=n_months,
            collected=by_month(collected),
            income=None if income_rial is None else by_month(income_rial),
            costs=costs,
            depreciation=depreciation,
            debt_service=debt_service,
            debt_interest=debt_interest,
            replacement_in=replacement_in,
            replacement_spent=replacement_spent,
            replacement_balance=running(np.add, replacement_in, axis=0),
            rate=by_month(deposit_rate_per_month),
            working_rate_share=None if working_cash_rate_share is None else float(working_cash_rate_share),
            kept_back=cooperative.working_cash_months * costs,
            instalments=by_month(instalments_due_rial) if use_for_instalments else None,
            end_of_life=end_of_life_rial,
            tax_rate=tax_rate,
            taxed=taxed,
            every_path_taxed=every_path_taxed,
            some_path_taxed=some_path_taxed,
            depreciation_moves=_moves(depreciation),
            debt_interest_moves=_moves(debt_interest),
            debt_service_moves=_moves(debt_service),
            replacement_in_moves=_moves(replacement_in),
            replacement_spent_moves=_moves(replacement_spent),
            writing_off=np.logical_or.accumulate(_moves(replacement_spent)).tolist(),
            cooperative=cooperative,
            share_capital_rial=share_capital_rial,
            smoothing_months=smoothing_months,
            history_length=smoothing_months + 1,
            families_share_of_distribution=families_share_of_distribution,
            use_for_replacement="inverter_replacement" in cooperative.reserve_uses,
            use_for_instalments=use_for_instalments,
            profit_rule=cooperative.distribution_rule == "profit",
            settle_out=cooperative.end_of_life_settlement != "kept",
            closes=closes.tolist(),
            pays_tax=(np.asarray(month_of_fiscal_year) == TAX_PAYMENT_MONTH_OF_NEXT_YEAR).tolist(),
            tax_after_year=cooperative.tax_paid == "after_fiscal_year",
            pays_out=pays_out,
            split_asked=split_asked,
            paid_asked=paid_asked,
            replacement_depreciated=replacement_depreciated,
        )


@dataclass(slots=True)
class LedgerState:
    """What the books carry from one month to the next, each of shape (...) of the paths.

    Running totals after the month just booked [rial]: ``cumulative_taxable``,
    ``taxed_max`` (its highest taxed), ``cumulative_after_tax``, ``appropriable`` (its
    running high), ``legal_total`` (in the legal reserve), ``precautionary_balance``,
    ``distributable_total``, ``cumulative_net`` (net cash, the starting cash included),
    ``distributed_total`` and ``holdings`` (cash and reserves, which earn interest next
    month; with a working-cash rate of its own, ``holdings`` is the reserve funds and
    ``cash`` the working cash). The tax accrued and not yet paid (``tax_owed``), and of
    it what closed years owe (``tax_due``); the distributable
    profit at the last close (``distributable_closed``), what is owed to the owners for
    closed years (``owed_for_closed_years``, negative when they were paid ahead) and the
    advances of the open year (``advanced``); what the replacement writes off each month
    (``replacement_write_off``). The last ``smoothing_months + 1`` months' totals of net cash and
    distributable profit are kept in rings (month ``t`` in row ``t % length``) with
    their window sums. ``*_spare`` arrays take the next month's total while the last
    one is still read; ``gross``, ``cash_target``, ``limit`` and ``scratch`` are
    reused rows.
    """

    holdings: np.ndarray
    cumulative_taxable: np.ndarray
    taxed_max: np.ndarray
    taxed_max_spare: np.ndarray
    cumulative_after_tax: np.ndarray
    appropriable: np.ndarray
    appropriable_spare: np.ndarray
    legal_total: np.ndarray
    legal_total_spare: np.ndarray
    precautionary_balance: np.ndarray
    distributable_total: np.ndarray
    distributable_history: list
    distributable_window_sum: np.ndarray
    cumulative_net: np.ndarray
    net_history: list
    net_window_sum: np.ndarray
    distributed_total: np.ndarray
    distributed_total_spare: np.ndarray
    gross: np.ndarray
    cash_target: np.ndarray
    limit: np.ndarray
    scratch: np.ndarray
    cash: np.ndarray
    tax_owed: np.ndarray
    replacement_write_off: np.ndarray
    tax_due: np.ndarray
    distributable_closed: np.ndarray
    owed_for_closed_years: np.ndarray
    advanced: np.ndarray

    @classmethod
    def opening(cls, batch: tuple, initial_cash_rial: float, smoothing_months: int) -> LedgerState:
        """The state before the first month: nothing booked, ``initial_cash_rial`` held."""
        length = smoothing_months + 1
        zeros = {
            name: np.zeros(batch)
            for name in (
                "cumulative_taxable", "taxed_max", "taxed_max_spare", "cumulative_after_tax",
                "appropriable", "appropriable_spare", "legal_total", "legal_total_spare",
                "precautionary_balance", "distributable_total", "distributable_window_sum",
                "net_window_sum", "distributed_total", "distributed_total_spare", "gross",
                "cash_target", "limit", "scratch", "tax_owed", "tax_due", "replacement_write_off",
                "distributable_closed", "owed_for_closed_years", "advanced",
            )
        }  # fmt: skip
        return cls(
            **zeros,
            holdings=np.full(batch, float(initial_cash_rial)),
            cash=np.full(batch, float(initial_cash_rial)),
            cumulative_net=np.full(batch, float(initial_cash_rial)),
            distributable_history=[np.empty(batch) for _ in range(length)],
            net_history=[np.empty(batch) for _ in range(length)],
        )


def earn(s: LedgerState, m: MonthlyInputs, t: int, last: bool, row: dict) -> np.ndarray:
    """Month ``t``'s interest (:func:`~solarcoop.books.rules.deposit_interest`), its cash in
    less operating costs (``s.gross``) and its profit before tax, written into ``row``."""
    interest = deposit_interest(s.holdings, m.rate[t], out=row["interest_earned_rial"])
    if m.working_rate_share is not None:  # the working cash earns a share of the rate
        on_cash = deposit_interest(s.cash, m.rate[t], out=s.scratch)
        on_cash *= m.working_rate_share
        interest += on_cash
    np.add(m.collected[t], interest, out=s.gross)
    s.gross -= m.costs[t]
    profit = row["profit_before_tax_rial"]
    if m.income is None:  # the cash basis: the cash in is the income
        profit[...] = s.gross
    else:
        np.add(m.income[t], interest, out=profit)
        profit -= m.costs[t]
    if m.depreciation_moves[t]:
        profit -= m.depreciation[t]
    if m.replacement_depreciated and m.writing_off[t]:  # the replacement, over the months left
        if m.replacement_spent_moves[t]:
            s.replacement_write_off += m.replacement_spent[t] / (m.n_months - t)
        profit -= s.replacement_write_off
    if m.debt_interest_moves[t]:
        profit -= m.debt_interest[t]
    if last:
        profit -= m.end_of_life
    return profit


def pay_tax(s: LedgerState, m: MonthlyInputs, t: int, last: bool, profit, row: dict) -> np.ndarray:
    """Month ``t``'s tax (:func:`~solarcoop.books.rules.tax_on_account`), on the profit of
    the paths that pay tax that month, and the tax paid: a closed year's in its payment
    month, everything owed in the last month (or the month's own tax, paid on account).
    Returns the month's tax (the net cash that distributions follow is after the tax
    accrued; the working cash holds what is owed until it is paid)."""
    if m.taxed.ndim == 1:
        s.cumulative_taxable += profit if m.taxed[t] else 0.0
    elif m.every_path_taxed[t]:
        s.cumulative_taxable += profit
    elif m.some_path_taxed[t]:
        np.add(s.cumulative_taxable, profit, out=s.cumulative_taxable, where=m.taxed[t])
    before = s.taxed_max
    tax, s.taxed_max = tax_on_account(before, s.cumulative_taxable, m.tax_rate, out=(row["tax_rial"], s.taxed_max_spare))
    s.taxed_max_spare = before
    s.cumulative_after_tax += profit
    s.cumulative_after_tax -= tax
    paid = row["tax_paid_rial"]
    if not m.tax_after_year:
        paid[...] = tax
        return tax
    s.tax_owed += tax
    if last:  # all that is owed is paid before the books close
        paid[...] = s.tax_owed
        s.tax_owed[...] = 0.0
        s.tax_due[...] = 0.0
    elif m.pays_tax[t]:  # the return of the year before, with its tax (art. 110)
        paid[...] = s.tax_due
        s.tax_owed -= s.tax_due
        s.tax_due[...] = 0.0
    elif m.paid_asked:
        paid[...] = 0.0
    return tax


def appropriate(s: LedgerState, m: MonthlyInputs, t: int, last: bool, row: dict) -> None:
    """Month ``t``'s reserves, fee and distributable profit
    (:func:`~solarcoop.books.rules.appropriations`), the replacement the precautionary
    reserve pays (:func:`~solarcoop.books.rules.reserve_draw`), and the reserves released
    at the end of the life."""
    before, legal_before = s.appropriable, s.legal_total
    after = np.maximum(before, s.cumulative_after_tax, out=s.appropriable_spare)
    row["legal_total_rial"] = s.legal_total_spare  # the month's rows take the other lines
    lines = appropriations(before, after, legal_before, m.cooperative, m.share_capital_rial, out=row)
    s.appropriable, s.appropriable_spare = after, before
    s.legal_total, s.legal_total_spare = lines["legal_total_rial"], legal_before
    precautionary = lines["precautionary_reserve_rial"]
    s.precautionary_balance += precautionary
    if m.use_for_replacement:
        draw = reserve_draw(s.precautionary_balance, m.replacement_spent[t], out=row["reserve_paid_for_replacement_rial"])
        s.precautionary_balance -= draw
        precautionary -= draw
    total = s.distributable_history[t % m.history_length]
    np.add(s.distributable_total, lines["distributable_profit_rial"], out=total)
    s.distributable_total = total
    if last and m.settle_out:  # the precautionary reserve released into the last month's cash;
        # the legal reserve is indivisible (Cooperative Companies Law 1350 art. 15) and stays
        precautionary -= s.precautionary_balance
        s.precautionary_balance = np.zeros(s.legal_total.shape)


def net_cash(s: LedgerState, m: MonthlyInputs, t: int, last: bool, tax, row: dict) -> None:
    """Month ``t``'s net cash after every outflow but the distribution, the tax counted as
    it accrues (the tax owed is held in the working cash until paid), added to the
    running total ``s.cumulative_net`` and its window sum."""
    net = s.scratch
    if m.debt_service_moves[t]:
        np.subtract(s.gross, m.debt_service[t], out=net)
        net -= tax
    else:
        np.subtract(s.gross, tax, out=net)
    net -= row["legal_reserve_rial"]
    net -= row["precautionary_reserve_rial"]
    net -= row["education_fee_rial"]
    if m.replacement_in_moves[t]:
        net -= m.replacement_in[t]
    if m.replacement_spent_moves[t]:
        net -= m.replacement_spent[t]
    if last:
        net -= m.end_of_life
    total = s.net_history[t % m.history_length]
    np.add(s.cumulative_net, net, out=total)
    s.cumulative_net = total
    s.net_window_sum += total
    s.distributable_window_sum += s.distributable_total
    if t >= m.smoothing_months:
        dropped = (t - m.smoothing_months) % m.history_length
        s.net_window_sum -= s.net_history[dropped]
        s.distributable_window_sum -= s.distributable_history[dropped]


def distribute(s: LedgerState, m: MonthlyInputs, t: int, last: bool, row: dict) -> None:
    """Month ``t``'s distribution (:func:`~solarcoop.books.rules.cumulative_distribution`):
    the smoothed net cash (after the tax accrued) less the working cash kept back, within the smoothed
    distributable profit under the law; the instalments the precautionary reserve covers
    (:func:`~solarcoop.books.rules.reserve_draw`); the working cash and the holdings that
    earn interest next month."""
    # the profit is spread like the cash, so bills paid every two months still give
    # equal monthly payouts; in the last month all of it may be paid
    pays = m.pays_out[t]  # True, False, or each path's flag (paths paid in different months)
    if pays is False:  # no payout this month: what it would pay waits for the next
        row["distributed_rial"][...] = 0.0
        if m.split_asked:
            row["distribution_advance_rial"][...] = 0.0
            row["distribution_true_up_rial"][...] = 0.0
        if m.use_for_instalments:
            row["reserve_paid_for_instalments_rial"][...] = 0.0
        _hold(s, m, t, row)
        return
    if last:
        cash_target = s.cumulative_net
    else:
        cash_target = np.divide(s.net_window_sum, m.smoothing_months, out=s.cash_target)
        cash_target -= m.kept_back[t]
    limit = None
    if m.profit_rule and not (last and m.settle_out):
        limit = s.distributable_total if last else np.divide(s.distributable_window_sum, m.smoothing_months, out=s.limit)
    before = s.distributed_total
    total = cumulative_distribution(before, cash_target, limit, out=s.distributed_total_spare)
    if pays is not True:  # paths not paid this month keep their total: what they would pay waits
        np.copyto(total, before, where=~pays)
    s.distributed_total, s.distributed_total_spare = total, before
    distributed = np.subtract(total, before, out=row["distributed_rial"])
    if m.split_asked:  # the split changes nothing else in the books
        true_up_split(distributed, s.owed_for_closed_years, out=(row["distribution_true_up_rial"], row["distribution_advance_rial"]))
        s.owed_for_closed_years -= row["distribution_true_up_rial"]
        s.advanced += row["distribution_advance_rial"]
    if m.use_for_instalments:
        need = np.multiply(m.families_share_of_distribution, distributed, out=s.scratch)
        np.subtract(m.instalments[t], need, out=need)
        if pays is not True:  # the reserve pays instalments in payout months only
            np.copyto(need, 0.0, where=~pays)
        draw = reserve_draw(s.precautionary_balance, need, out=row["reserve_paid_for_instalments_rial"])
        s.precautionary_balance -= draw
        row["precautionary_reserve_rial"] -= draw
    _hold(s, m, t, row)


def _hold(s: LedgerState, m: MonthlyInputs, t: int, row: dict) -> None:
    """The working cash at the end of month ``t``, and what earns interest next month."""
    cash = np.subtract(s.cumulative_net, s.distributed_total, out=row["cash_balance_rial"])
    if m.tax_after_year:  # the tax accrued and not yet paid is still in the cash
        cash += s.tax_owed
    if m.working_rate_share is None:  # cash and reserve funds earn the same rate
        np.add(cash, s.legal_total, out=s.holdings)
    else:  # the working cash apart from the funds
        s.cash[...] = cash
        s.holdings[...] = s.legal_total
    s.holdings += s.precautionary_balance
    s.holdings += m.replacement_balance[t]


def close_year(s: LedgerState, m: MonthlyInputs) -> None:
    """Close a fiscal year: its tax becomes due, and its distributable profit less the
    advances paid on it is owed to the owners (negative: owed back), to be settled by the
    next payouts."""
    s.tax_due[...] = s.tax_owed  # all that is owed is now a closed year's
    if not m.split_asked:
        return
    s.owed_for_closed_years += s.distributable_total
    s.owed_for_closed_years -= s.distributable_closed
    s.owed_for_closed_years -= s.advanced
    s.distributable_closed[...] = s.distributable_total
    s.advanced[...] = 0.0


def _lines(out: dict, asked: set, m: MonthlyInputs, lines) -> dict[str, np.ndarray]:
    """The lines asked for, shape (..., months), in the order of :data:`solarcoop.lines.BOOK_LINES`."""
    shape = m.shape
    out = {name: np.moveaxis(values, 0, -1) for name, values in out.items()}
    if "reserves_rial" in asked:
        out["reserves_rial"] = out["legal_reserve_rial"] + out["precautionary_reserve_rial"]
    for name, rows in (
        ("debt_service_rial", m.debt_service),
        ("replacement_reserve_rial", m.replacement_in),
        ("replacement_spent_rial", m.replacement_spent),
    ):
        if name not in asked:
            continue
        if rows.ndim == 1:  # the same on every path: a read-only view, not a copy per path
            out[name] = np.broadcast_to(rows, shape)
        else:  # month-major rows made here (by_month copies), or a copy of the caller's
            line = np.moveaxis(rows, 0, -1)
            out[name] = line if rows.flags.owndata else line.copy()
    if "end_of_life_rial" in asked:
        out["end_of_life_rial"] = np.zeros(shape)
        out["end_of_life_rial"][..., -1] = m.end_of_life
    return {name: out[name] for name in BOOK_LINES if name in out and (lines is None or name in lines)}
