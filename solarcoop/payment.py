"""When billed revenue turns into cash: billing periods, payment delay, cash and deferred shares.

Domain facts this module rests on:

- SATBA (the renewable-energy agency) buys the output; the bill is paid by the
  distribution company. Bills are issued every two months (SATBA pages; other SATBA
  pages say monthly; the default follows the two-month reading).
- Cash is paid only up to SATBA's budget; the rest is booked as government debt.
  Arrears were settled by fuel-for-debt swaps in 1400-1401 (Iranian press), i.e. the
  deferred part was eventually paid, but late and not in cash.
- Arrears were settled in lumps: "saved fuel" credits in the 1400 and 1401 budgets
  (25,000 and 30,000 billion rial) and bonds in 1401-1402; penalties for late payment
  stayed owed (SATBA tariff page; sokannews; ecoiran; tasisatnews; BarghNews 1399-04-16).
- The typical delay in months was not found in any source: the default is a stated
  assumption.

Money is conserved: over the months given, everything billed plus any late penalty
received is either collected in some month, lost to the discount on bonds sold, or
returned as ``owed_at_end_rial``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solarcoop._validation import InputError, check_number
from solarcoop.fields import check_fields, declared, field

# Bills every two months (SATBA billing pages; medium confidence, some pages say monthly).
DEFAULT_BILLING_MONTHS = 2
# Months from the bill to the cash payment: no source found. Assumed 2 months, i.e.
# each bill is paid at about the time the next one is issued.
DEFAULT_DELAY_MONTHS = 2
# Share of each bill paid in cash: 1.0 for bare terms, Payment(); a Scenario's default
# terms are the central reading (central_payment()).
DEFAULT_CASH_SHARE = 1.0
SETTLEMENT_FORMS = ("cash", "bonds")


@declared
@dataclass(frozen=True)
class Payment:
    """How and when the buyer pays the plant's bills.

    Examples
    --------
    A bill paid half in cash three months late, half a year after that:

    >>> Payment(billing_months=1, delay_months=3, cash_share=0.5, deferred_delay_months=6)
    Payment(billing_months=1, delay_months=3, cash_share=0.5, deferred_delay_months=6, settlement_every_months=None, settled_in='cash', bond_discount=0.0, late_penalty_per_year=0.0)
    """

    billing_months: int = field(
        DEFAULT_BILLING_MONTHS,
        unit="months",
        minimum=1,
        maximum=12,
        integer=True,
        source=(
            "Length of a billing period [months]; energy of a period is billed at the end of its last "
            "month. Default 2 (SATBA bills every two months)."
        ),
    )
    delay_months: int = field(
        DEFAULT_DELAY_MONTHS,
        unit="months",
        minimum=0,
        maximum=120,
        integer=True,
        source=(
            "Months from the bill to payment of its cash share [months]. Default 2: an assumption, no "
            "typical delay was found in any source."
        ),
    )
    cash_share: float = field(
        DEFAULT_CASH_SHARE,
        unit="%",
        kind="fraction",
        source=(
            "Share of each bill paid in cash after ``delay_months`` [fraction, 0-1]. Default 1.0 for "
            "bare terms; a :class:`~solarcoop.Scenario`'s default is :func:`central_payment` (70 %, "
            "the central reading of :mod:`solarcoop.disputed`)."
        ),
    )
    deferred_delay_months: int | None = field(
        None,
        unit="months",
        minimum=0,
        maximum=600,
        integer=True,
        source=(
            "Months after the cash payment that the deferred rest (``1 - cash_share``) is paid at the "
            "earliest [months] (as the fuel-for-debt swaps of 1400-1401 settled arrears). ``None``: "
            "the deferred rest is never paid within the months simulated and is shown as owed at the "
            "end. Default None."
        ),
    )
    settlement_every_months: int | None = field(
        None,
        unit="months",
        minimum=1,
        maximum=120,
        integer=True,
        source=(
            "The deferred rest is settled in lumps, in the last month of every period of this many "
            "months counted from the start of operation (12: once a year, as the budget laws' "
            "settlements were) [months]: each deferred part waits for the first lump at least "
            "``deferred_delay_months`` after its cash payment. ``None`` (default): each part is paid "
            "exactly ``deferred_delay_months`` after its cash payment."
        ),
    )
    settled_in: str = field(
        "cash",
        unit="",
        choices=SETTLEMENT_FORMS,
        source=(
            'What the deferred rest is settled in. ``"bonds"`` are sold on the day they are received '
            'at ``bond_discount`` below their face value. Default "cash".'
        ),
    )
    bond_discount: float = field(
        0.0,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Share of the face value lost when selling the bonds [fraction, 0-1]; only with "
            '``settled_in="bonds"``. Default 0.'
        ),
    )
    late_penalty_per_year: float = field(
        0.0,
        unit="%/year",
        minimum=0,
        maximum=10,
        source=(
            "Penalty paid with the deferred rest for the months it was late, from its cash date to "
            "its settlement, compounded ``(1 + p) ** (months / 12)`` [fraction per year]. Default 0: "
            "penalties for late payment stayed owed in practice (press, 1399-1402)."
        ),
    )

    def __post_init__(self):
        check_fields(self, "payment")
        for name in ("cash_share", "bond_discount", "late_penalty_per_year"):
            object.__setattr__(self, name, float(getattr(self, name)))
        if self.bond_discount > 0 and self.settled_in != "bonds":
            raise InputError(
                f"payment.bond_discount = {self.bond_discount!r} applies only to bonds: set "
                "payment.settled_in = 'bonds' or the discount to 0"
            )


def central_payment() -> Payment:
    """The central reading of how the buyer pays (:mod:`solarcoop.disputed`, "payment"):
    bills every two months, 70 % in cash two months after the bill, the rest settled
    once a year in a lump, in cash, without penalty. A Scenario's default terms.

    SATBA pays cash only up to its budget and books the rest as government debt (SATBA
    tariff page); arrears were settled in lumps in the yearly budgets ("saved fuel"
    credits, 1400 and 1401). The 70 % share is an assumption: no share was published.

    >>> central_payment().cash_share, central_payment().settlement_every_months
    (0.7, 12)
    """
    return Payment(cash_share=0.7, deferred_delay_months=0, settlement_every_months=12)


SEQUENTIAL_SUM_MONTHS = 8
"""``numpy.sum`` adds fewer values than this one after another, starting from +0.0 (its
pairwise summation splits longer runs): :func:`bills_by_period` adds a period's months so,
the same numbers without a reduction over every two or three months."""


def bills_by_period(billed: np.ndarray, period: int) -> tuple[np.ndarray, np.ndarray]:
    """Each billing period's bill [rial], shape (..., n_periods), and the month it is issued."""
    n_months = billed.shape[-1]
    n_periods = -(-n_months // period)
    padding = [(0, 0)] * (billed.ndim - 1) + [(0, n_periods * period - n_months)]
    by_period = (np.pad(billed, padding) if n_periods * period > n_months else billed).reshape(
        *billed.shape[:-1], n_periods, period
    )
    if period < SEQUENTIAL_SUM_MONTHS:  # numpy's sum adds so few values one after another, from +0.0
        bills = by_period[..., 0] + 0.0
        for month in range(1, period):
            bills += by_period[..., month]
    else:
        bills = by_period.sum(-1)
    bill_month = np.minimum(np.arange(1, n_periods + 1) * period - 1, n_months - 1)
    return bills, bill_month


def months_to_payment(payment: Payment, n_months: int) -> np.ndarray:
    """Months from each energy month to the cash payment of its bill [months], shape (n_months,).

    >>> months_to_payment(Payment(billing_months=2, delay_months=2), 5).tolist()
    [3, 2, 3, 2, 2]
    """
    n_months = check_number("n_months", n_months, minimum=1, integer=True)
    month = np.arange(n_months)
    bill_month = np.minimum((month // payment.billing_months + 1) * payment.billing_months - 1, n_months - 1)
    return bill_month - month + payment.delay_months


def _settlement_month(payment: Payment, cash_month: np.ndarray) -> np.ndarray:
    """Month each bill's deferred rest is settled in (may lie past the last month)."""
    earliest = cash_month + payment.deferred_delay_months
    every = payment.settlement_every_months
    if every is None:
        return earliest
    return (earliest // every + 1) * every - 1  # the last month of the period holding it


def _add_in_order(line: np.ndarray, months: np.ndarray, values: np.ndarray) -> None:
    """``line[..., months[i]] += values[..., i]`` for every i in order, months repeating.

    The same sums as ``numpy.add.at`` along the last axis (each month adds its values in
    the order given), done as one fancy-indexed addition per rank within a month (the
    first bill of every month, then the second ...), all paths at once.

    >>> line = np.zeros(4)
    >>> _add_in_order(line, np.array([1, 1, 3, 1]), np.array([1.0, 2.0, 3.0, 4.0]))
    >>> line.tolist()
    [0.0, 7.0, 0.0, 3.0]
    """
    order = np.argsort(months, kind="stable")
    sorted_months = months[order]
    run_start = np.flatnonzero(np.r_[True, sorted_months[1:] != sorted_months[:-1]]) if months.size else months
    rank = np.arange(months.size) - np.repeat(run_start, np.diff(np.r_[run_start, months.size]))
    for position in range(int(rank.max()) + 1 if months.size else 0):
        chosen = order[rank == position]  # at most one value per month
        line[..., months[chosen]] += values[..., chosen]


def collect_lines(billed_rial, payment: Payment, discount_and_penalty: bool = True) -> dict:
    """Cash received each month from the bills, with what bonds lost and penalties added.

    The energy of a billing period (``payment.billing_months`` months, counted from the
    first month) is billed at the end of its last month (a last, shorter period at the
    end of the months given is billed in the last month). Its cash share is collected
    ``payment.delay_months`` later; the deferred rest when it is settled (see
    :class:`Payment`), plus any late penalty, less the discount if settled in bonds. A
    payment that would fall after the last month is not lost: it is returned in
    ``owed_at_end_rial`` (at face value, without penalty or discount).

    Parameters
    ----------
    billed_rial : array_like
        Value of each month's energy [rial], shape ``(n_months,)`` or
        ``(n_paths, n_months)``.
    payment : Payment
        Billing and payment terms.
    discount_and_penalty : bool
        Also return ``bond_discount_rial`` and ``late_penalty_rial`` (``False``: only the
        cash and what is owed, as a Monte Carlo needs; the same numbers).

    Returns
    -------
    dict
        ``collected_rial`` (cash received each month, penalties included, bond discount
        deducted), ``bond_discount_rial`` (face value lost selling bonds, each month),
        ``late_penalty_rial`` (penalty received each month), all the shape of
        ``billed_rial``; and ``owed_at_end_rial``, shape ``(n_paths,)`` or a scalar.
        ``billed.sum(-1) + late_penalty.sum(-1) == collected.sum(-1) +
        bond_discount.sum(-1) + owed_at_end``.

    Examples
    --------
    A year of 100 rial a month billed monthly, half paid in cash the next month, the other
    half settled in lumps in months 5 and 11 in bonds sold 20 % below face value (the
    lump of month 5 holds the halves of the five bills paid in months 1-5, that of month
    11 those paid in months 6-11; the last bill is paid after the year):

    >>> terms = Payment(1, 1, cash_share=0.5, deferred_delay_months=0, settlement_every_months=6,
    ...                 settled_in="bonds", bond_discount=0.2)
    >>> lines = collect_lines(np.full(12, 100.0), terms)
    >>> lines["collected_rial"][[5, 11]].tolist(), lines["bond_discount_rial"][[5, 11]].tolist()
    ([250.0, 290.0], [50.0, 60.0])
    >>> float(lines["owed_at_end_rial"])
    100.0
    """
    billed = np.asarray(billed_rial, dtype=float)
    if billed.ndim not in (1, 2) or billed.shape[-1] == 0:
        raise InputError(
            f"billed_rial has shape {billed.shape}: expected (n_months,) or (n_paths, n_months)"
        )
    if not np.isfinite(billed).all():
        raise InputError("billed_rial must be finite")
    bills, bill_month = bills_by_period(billed, payment.billing_months)
    return collect_bills(bills, bill_month, billed.shape[-1], payment, discount_and_penalty)


def collect_bills(bills, bill_month, n_months: int, payment: Payment, discount_and_penalty: bool = True) -> dict:
    """:func:`collect_lines` from the bills already summed per billing period
    (``bills`` (..., n_periods) [rial] and ``bill_month`` (n_periods,), from :func:`bills_by_period`):
    a Monte Carlo sums every path's bills once and collects groups of paths under their
    own terms. Returns the lines of :func:`collect_lines`, each (..., n_months)."""
    cash = bills * payment.cash_share
    deferred = bills - cash
    cash_month = bill_month + payment.delay_months
    shape = bills.shape[:-1] + (n_months,)
    collected = np.zeros(shape)
    lines = {"collected_rial": collected}
    if discount_and_penalty:
        lines["bond_discount_rial"] = discount = np.zeros(shape)
        lines["late_penalty_rial"] = penalty = np.zeros(shape)
    # bill months are distinct, so each fancy-index assignment adds each bill once
    in_life = cash_month < n_months
    collected[..., cash_month[in_life]] += cash[..., in_life]
    owed = cash[..., ~in_life].sum(-1)
    if payment.deferred_delay_months is None:
        return {**lines, "owed_at_end_rial": owed + deferred.sum(-1)}
    settled = _settlement_month(payment, cash_month)
    in_life = settled < n_months
    late_factor = (1 + payment.late_penalty_per_year) ** ((settled - cash_month) / 12) - 1
    due = deferred * late_factor  # penalty of each bill's deferred rest
    lost = (deferred + due) * (payment.bond_discount if payment.settled_in == "bonds" else 0.0)
    # several bills may settle in one lump
    _add_in_order(collected, settled[in_life], (deferred + due - lost)[..., in_life])
    if discount_and_penalty:
        _add_in_order(penalty, settled[in_life], due[..., in_life])
        _add_in_order(discount, settled[in_life], lost[..., in_life])
    owed = owed + deferred[..., ~in_life].sum(-1)
    return {**lines, "owed_at_end_rial": owed}


def collect(billed_rial, payment: Payment) -> tuple[np.ndarray, np.ndarray | float]:
    """Spread what is billed over the months it is collected in: ``collect_lines`` without
    the discount and penalty lines.

    Returns
    -------
    collected_rial : numpy.ndarray
        Cash received in each month [rial], the shape of ``billed_rial``.
    owed_at_end_rial : numpy.ndarray or float
        Billed but not yet received after the last month [rial], shape ``(n_paths,)``
        or a scalar. Without bonds or penalties ``billed.sum(-1) == collected.sum(-1) +
        owed_at_end``.

    Examples
    --------
    Four months of 100 rial, billed every two months, paid one month after the bill:

    >>> collected, owed = collect([100, 100, 100, 100], Payment(2, 1))
    >>> collected.tolist(), float(owed)
    ([0.0, 0.0, 200.0, 0.0], 200.0)
    """
    lines = collect_lines(billed_rial, payment)
    return lines["collected_rial"], lines["owed_at_end_rial"]
