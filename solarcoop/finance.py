"""Loans, discounting and the yardsticks of an investment (NPV, IRR, LCOE).

Sign convention: money a party receives is positive, money it pays is negative, as in
numpy-financial. Rates are fractions per year unless a name says ``per_month``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from solarcoop._validation import (
    MAX_STOCK_RIAL,
    InputError,
    check_number,
)
from solarcoop.fields import check_fields, declared, field

SHORTFALL_PRACTICES = ("debited", "arrears")
"""What a lender does when the plant's distribution does not cover a family's instalment."""


LOAN_TERMS = ("annual_rate", "term_months", "grace_months", "first_month_index")
"""The fields of a loan's terms, declared on :class:`Loan` and checked by
:func:`check_loan_terms` for another spec that has them."""


def check_loan_terms(spec, prefix: str) -> None:
    """Check a loan's rate, term, grace and first month, storing whole numbers as int.

    For a spec that holds loan terms beside fields of its own (the cooperative's debt,
    which declares them with :class:`Loan`'s limits; a :class:`Loan` checks all its
    fields at once); ``prefix`` names the spec in messages (``"debt"``).
    """
    check_fields(spec, prefix, names=LOAN_TERMS)
    check_grace_within_term(spec, prefix)


def check_grace_within_term(spec, prefix: str) -> None:
    """Check that a loan's grace ends before its term (its fields already checked)."""
    if spec.grace_months >= spec.term_months:
        raise InputError(
            f"{prefix}.grace_months = {spec.grace_months} must be shorter than "
            f"{prefix}.term_months = {spec.term_months}"
        )


@declared
@dataclass(frozen=True)
class Loan:
    """An amortising loan repaid in equal monthly instalments after an optional grace period.

    Examples
    --------
    What does a family pay each month on its 1.5-billion-rial share loan at 4 % over
    seven years?

    >>> round(monthly_instalments_rial(Loan(), 84)[0])
    20503210
    """

    principal_rial: float = field(
        1.5e9,
        unit="rial",
        minimum=0,
        maximum=MAX_STOCK_RIAL,
        source=(
            "Amount borrowed [rial]. Default 1.5e9: each family's 150-million-toman share loan from "
            "the Imam Khomeini Relief Committee (Qom news report, September 2025). At most 1e15 "
            "(``MAX_STOCK_RIAL``: the same class holds a cooperative's debt)."
        ),
    )
    annual_rate: float = field(
        0.04,
        unit="%/year",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Yearly rate (interest or, for a qarz-al-hasaneh loan, the fee) [fraction/year], "
            "compounded monthly (``annual_rate / 12`` a month). Default 0.04: 4 % a year (Relief "
            "Committee loans in Hamedan and Rudan; IRIB 5585575, 5565464)."
        ),
    )
    term_months: int = field(
        84,
        unit="months",
        minimum=1,
        maximum=600,
        integer=True,
        source=(
            "Months from the first instalment month to the last, grace included [months]. Default 84: "
            "seven years (same sources)."
        ),
    )
    grace_months: int = field(
        0,
        unit="months",
        minimum=0,
        maximum=600,
        integer=True,
        source=(
            "First months of the term in which only interest (or the fee) is paid; the balance then "
            "repays in equal instalments over the rest of the term [months]. Default 0, the central "
            "reading of ``loan_grace`` (:mod:`solarcoop.disputed`): running plants of Relief "
            "Committee families deduct the instalments from their first payouts (Abarkuh, "
            "yazd.emdad.ir; IRIB 5593090; Mehr 6623024); 6 or 12 months are the other readings."
        ),
    )
    first_month_index: int = field(
        0,
        unit="",
        minimum=0,
        maximum=1200,
        integer=True,
        source=(
            "Accounting month (0 = first month of operation) of the first payment [-]. Default 0: "
            "repayment starts with the plant (an assumption: the loan's disbursement date was not "
            "reported)."
        ),
    )
    shortfall: str = field(
        "arrears",
        unit="",
        choices=SHORTFALL_PRACTICES,
        source=(
            "What happens in a month whose distribution does not cover the instalment. "
            '``"arrears"`` (default, with the quarterly payouts the central reading of ``payout``, '
            ":mod:`solarcoop.disputed`): the instalments are withheld from the payouts, and a "
            "shortfall is recovered from later ones, without penalty: the family's cash flow is "
            "never negative, but it carries a debt (the Abarkuh aggregated plant of the Relief "
            "Committee paid its families net of their instalments, yazd.emdad.ir; instalments "
            "are repaid from the electricity income, IRIB 5593090, Isfahan, and Mehr 6623024, "
            "Rudan, loans without guarantors; the Money and Credit Council's rescheduling rules of "
            '1398-06-26 allow it). ``"debited"``: the instalment is due whatever the plant paid, '
            "and the lender takes the rest from the family's own account (banks collect overdue "
            "instalments from the borrower and guarantors under the Central Bank's rules on "
            "non-current claims, 184847/94 of 1394-07-07), so the family pays from its own "
            "pocket; no running plant was reported doing so. Late-payment penalties are not "
            "modelled."
        ),
    )

    def __post_init__(self):
        check_fields(self, "loan")
        check_grace_within_term(self, "loan")


def annuity_payment_rial(principal_rial, rate_per_month, n_months):
    """Level payment that repays ``principal_rial`` in ``n_months`` [rial/month].

    Broadcasts like a ufunc; a zero rate repays in equal parts.

    Parameters
    ----------
    principal_rial : array_like
        Amount to repay [rial].
    rate_per_month : array_like
        Rate [fraction/month].
    n_months : array_like
        Number of payments [-].

    Examples
    --------
    >>> float(annuity_payment_rial(1200.0, 0.0, 12))
    100.0
    """
    principal_rial, rate_per_month, n_months = np.broadcast_arrays(
        np.asarray(principal_rial, float), np.asarray(rate_per_month, float), np.asarray(n_months, float)
    )
    growth_minus_one = np.expm1(n_months * np.log1p(rate_per_month))  # exact for tiny rates
    with np.errstate(divide="ignore", invalid="ignore"):
        level = principal_rial * rate_per_month * (growth_minus_one + 1) / growth_minus_one
    return np.where(rate_per_month == 0, principal_rial / n_months, level)


def loan_schedule(loan: Loan, n_months: int) -> pd.DataFrame:
    """A loan's month-by-month schedule over ``n_months`` accounting months.

    Returns
    -------
    pandas.DataFrame
        One row per accounting month: ``instalment_rial``, ``interest_rial``,
        ``principal_repaid_rial`` and ``balance_rial`` (owed after the month's payment).
        Months before the first payment and after the last carry zeros (the balance
        before the first payment is the principal).

    Notes
    -----
    With rate :math:`r` per month, principal :math:`P`, :math:`g` grace months and term
    :math:`n`, the instalment after grace is :math:`A = P r (1+r)^{n-g} / ((1+r)^{n-g} - 1)`
    and the balance after :math:`k` annuity payments is
    :math:`B_k = P (1+r)^k - A ((1+r)^k - 1) / r`. This is numpy-financial's ``pmt``,
    ``ipmt`` and ``ppmt`` with ``when='end'``.
    """
    n_months = check_number("n_months", n_months, minimum=1, integer=True)
    rate = loan.annual_rate / 12
    month = np.arange(n_months) - loan.first_month_index  # 0 = first payment
    annuity_months = loan.term_months - loan.grace_months
    instalment = float(annuity_payment_rial(loan.principal_rial, rate, annuity_months))
    paid = np.clip(month - loan.grace_months + 1, 0, annuity_months)  # annuity payments made
    growth_minus_one = np.expm1(paid * np.log1p(rate))
    if rate == 0:
        balance = loan.principal_rial - instalment * paid
    else:
        balance = loan.principal_rial * (growth_minus_one + 1) - instalment * growth_minus_one / rate
    balance = np.where(paid >= annuity_months, 0.0, balance)
    balance_before = np.concatenate([[loan.principal_rial], balance[:-1]])
    active = (month >= 0) & (month < loan.term_months)
    interest = np.where(active, balance_before * rate, 0.0)
    in_grace = active & (month < loan.grace_months)
    payment = np.where(in_grace, interest, np.where(active, instalment, 0.0))
    return pd.DataFrame(
        {
            "instalment_rial": payment,
            "interest_rial": interest,
            "principal_repaid_rial": payment - interest,
            "balance_rial": np.where(month < 0, loan.principal_rial, balance),
        }
    )


def monthly_instalments_rial(loan: Loan, n_months: int) -> np.ndarray:
    """The instalment due in each accounting month [rial] (zero outside the term)."""
    return loan_schedule(loan, n_months)["instalment_rial"].to_numpy()


def discount_factors(rate_per_year, n_months: int) -> np.ndarray:
    """Present-value factor of each month's end, ``(1 + rate)^-(t/12)``, t = 1..n [-]."""
    months = np.arange(1, n_months + 1)
    return (1 + np.asarray(rate_per_year, float)[..., None]) ** (-months / 12)


def npv_rial(rate_per_year, cashflows_rial) -> np.ndarray:
    """Net present value of monthly cash flows [rial], discounted at a yearly rate.

    ``cashflows_rial[..., 0]`` happens now (undiscounted); month t is discounted by
    :math:`(1+r)^{-t/12}`. Broadcasts over leading axes.

    >>> round(float(npv_rial(0.0, [-100.0, 60.0, 60.0])), 6)
    20.0
    """
    cashflows_rial = np.asarray(cashflows_rial, float)
    months = np.arange(cashflows_rial.shape[-1])
    rate = np.asarray(rate_per_year, float)[..., None]
    return np.sum(cashflows_rial * (1 + rate) ** (-months / 12), axis=-1)


def irr_per_year(cashflows_rial, low: float = -0.99, high: float = 100.0) -> np.ndarray:
    """Internal rate of return of monthly cash flows [fraction/year], NaN where none exists.

    Bisection on the yearly rate (vectorised over leading axes); a rate exists when the
    net present value changes sign between ``low`` and ``high``.

    >>> round(float(irr_per_year([-100.0] + [0.0] * 11 + [110.0])), 6)
    0.1
    """
    cashflows_rial = np.asarray(cashflows_rial, float)
    batch = cashflows_rial.shape[:-1]
    lo = np.full(batch, low)
    hi = np.full(batch, high)
    npv_lo = npv_rial(lo, cashflows_rial)
    npv_hi = npv_rial(hi, cashflows_rial)
    has_root = np.sign(npv_lo) != np.sign(npv_hi)
    for _ in range(200):  # bisection steps, not months: halves the bracket each time
        mid = (lo + hi) / 2
        npv_mid = npv_rial(mid, cashflows_rial)
        same = np.sign(npv_mid) == np.sign(npv_lo)
        new_lo, new_hi = np.where(same, mid, lo), np.where(same, hi, mid)
        if np.array_equal(new_lo, lo) and np.array_equal(new_hi, hi):
            break  # the bracket cannot shrink below floating-point resolution: every later step is this one
        lo, hi = new_lo, new_hi
        npv_lo = np.where(same, npv_mid, npv_lo)
    rate = (lo + hi) / 2
    return np.where(has_root, rate, np.nan)[()] if batch else (float(rate) if has_root else np.nan)


def levelised_cost_rial_per_kwh(capital_rial, costs_rial, energy_kwh, rate_per_year):
    """Levelised cost of energy [rial/kWh]: discounted costs over discounted energy.

    ``capital_rial`` is spent now; ``costs_rial`` and ``energy_kwh`` are monthly series
    starting one month from now. Broadcasts over leading (path) axes: a float for one
    path, an array of shape (...) for many; NaN where no energy is made.

    >>> levelised_cost_rial_per_kwh(1000.0, [0.0, 0.0], [5.0, 5.0], 0.0)
    100.0
    """
    costs_rial = np.asarray(costs_rial, float)
    energy_kwh = np.asarray(energy_kwh, float)
    factors = discount_factors(rate_per_year, max(costs_rial.shape[-1], energy_kwh.shape[-1]))
    energy = np.sum(energy_kwh * factors, axis=-1)
    cost = np.asarray(capital_rial, float) + np.sum(costs_rial * factors, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        lcoe = np.where(energy > 0, cost / energy, np.nan)  # no energy: no cost per kWh
    return float(lcoe) if np.ndim(lcoe) == 0 else lcoe
