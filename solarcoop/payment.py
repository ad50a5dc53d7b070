"""When billed revenue turns into cash: billing periods, payment delay, cash and deferred shares.

Domain facts this module rests on:

- SATBA (the renewable-energy agency) buys the output; the bill is paid by the
  distribution company. Bills are issued every two months (SATBA pages; other SATBA
  pages say monthly; the default follows the two-month reading).
- Cash is paid only up to SATBA's budget; the rest is booked as government debt.
  Arrears were settled by fuel-for-debt swaps in 1400-1401 (Iranian press), i.e. the
  deferred part was eventually paid, but late and not in cash.
- The typical delay in months was not found in any source: the default is a stated
  assumption.

Money is conserved: over the months given, everything billed is either collected in
some month or returned as ``owed_at_end_rial``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solarcoop._validation import InputError, check_fraction, check_number

# Bills every two months (SATBA billing pages; medium confidence, some pages say monthly).
DEFAULT_BILLING_MONTHS = 2
# Months from the bill to the cash payment: no source found. Assumed 2 months, i.e.
# each bill is paid at about the time the next one is issued.
DEFAULT_DELAY_MONTHS = 2
# Share of each bill paid in cash: assumed 1.0 (all of it); SATBA pays cash only up to
# its budget, so a lower share is a scenario to try, not a measured value.
DEFAULT_CASH_SHARE = 1.0


@dataclass(frozen=True)
class Payment:
    """How and when the buyer pays the plant's bills.

    Parameters
    ----------
    billing_months : int
        Length of a billing period [months]; energy of a period is billed at the end of
        its last month. Default 2 (SATBA bills every two months).
    delay_months : int
        Months from the bill to payment of its cash share [months]. Default 2: an
        assumption, no typical delay was found in any source.
    cash_share : float
        Share of each bill paid in cash after ``delay_months`` [fraction, 0-1]. Default
        1.0 (assumed); SATBA pays cash only up to its budget and books the rest as debt.
    deferred_delay_months : int or None
        Months after the cash payment that the deferred rest (``1 - cash_share``) is paid
        [months] (as the fuel-for-debt swaps of 1400-1401 settled arrears). ``None``:
        the deferred rest is never paid within the months simulated and is shown as owed
        at the end.

    Examples
    --------
    A bill paid half in cash three months late, half a year after that:

    >>> Payment(billing_months=1, delay_months=3, cash_share=0.5, deferred_delay_months=6)
    Payment(billing_months=1, delay_months=3, cash_share=0.5, deferred_delay_months=6)
    """

    billing_months: int = DEFAULT_BILLING_MONTHS
    delay_months: int = DEFAULT_DELAY_MONTHS
    cash_share: float = DEFAULT_CASH_SHARE
    deferred_delay_months: int | None = None

    def __post_init__(self):
        setattr_ = object.__setattr__
        setattr_(
            self,
            "billing_months",
            check_number(
                "payment.billing_months", self.billing_months, minimum=1, maximum=12, integer=True
            ),
        )
        setattr_(
            self,
            "delay_months",
            check_number(
                "payment.delay_months", self.delay_months, minimum=0, maximum=120, integer=True
            ),
        )
        setattr_(
            self,
            "cash_share",
            float(check_fraction("payment.cash_share", self.cash_share, allow_one=True)),
        )
        if self.deferred_delay_months is not None:
            setattr_(
                self,
                "deferred_delay_months",
                check_number(
                    "payment.deferred_delay_months",
                    self.deferred_delay_months,
                    minimum=0,
                    maximum=600,
                    integer=True,
                ),
            )


def collect(billed_rial, payment: Payment) -> tuple[np.ndarray, np.ndarray | float]:
    """Spread what is billed over the months it is collected in.

    The energy of a billing period (``payment.billing_months`` months, counted from the
    first month) is billed at the end of its last month (a last, shorter period at the
    end of the months given is billed in the last month). Its cash share is collected
    ``payment.delay_months`` later; the rest ``payment.deferred_delay_months`` after
    that. A payment that would fall after the last month is not lost: it is returned in
    ``owed_at_end_rial``.

    Parameters
    ----------
    billed_rial : array_like
        Value of each month's energy [rial], shape ``(n_months,)`` or
        ``(n_paths, n_months)``.
    payment : Payment
        Billing and payment terms.

    Returns
    -------
    collected_rial : numpy.ndarray
        Cash received in each month [rial], the shape of ``billed_rial``.
    owed_at_end_rial : numpy.ndarray or float
        Billed but not yet received after the last month [rial], shape ``(n_paths,)``
        or a scalar. ``billed.sum(-1) == collected.sum(-1) + owed_at_end``.

    Examples
    --------
    Four months of 100 rial, billed every two months, paid one month after the bill:

    >>> collected, owed = collect([100, 100, 100, 100], Payment(2, 1))
    >>> collected.tolist(), float(owed)
    ([0.0, 0.0, 200.0, 0.0], 200.0)
    """
    billed = np.asarray(billed_rial, dtype=float)
    if billed.ndim not in (1, 2) or billed.shape[-1] == 0:
        raise InputError(
            f"billed_rial has shape {billed.shape}: expected (n_months,) or (n_paths, n_months)"
        )
    if not np.isfinite(billed).all():
        raise InputError("billed_rial must be finite")
    n_months = billed.shape[-1]
    period = payment.billing_months
    n_periods = -(-n_months // period)
    padding = [(0, 0)] * (billed.ndim - 1) + [(0, n_periods * period - n_months)]
    bills = np.pad(billed, padding).reshape(*billed.shape[:-1], n_periods, period).sum(-1)
    bill_month = np.minimum(np.arange(1, n_periods + 1) * period - 1, n_months - 1)

    cash = bills * payment.cash_share
    deferred = bills - cash
    cash_month = bill_month + payment.delay_months
    collected = np.zeros_like(billed)
    # bill months are distinct, so each fancy-index assignment adds each bill once
    in_life = cash_month < n_months
    collected[..., cash_month[in_life]] += cash[..., in_life]
    owed = cash[..., ~in_life].sum(-1)
    if payment.deferred_delay_months is None:
        owed = owed + deferred.sum(-1)
    else:
        deferred_month = cash_month + payment.deferred_delay_months
        in_life = deferred_month < n_months
        collected[..., deferred_month[in_life]] += deferred[..., in_life]
        owed = owed + deferred[..., ~in_life].sum(-1)
    return collected, owed
