"""The month's rules of the books, one pure function each.

Each rule is one formula on arrays of any shape (scalars, or one value per Monte Carlo
path); :func:`solarcoop.books.ledger.book_months` calls them month after month. Each
takes ``out=``: arrays to write the result into, so that a month of thousands of paths
allocates nothing. An ``out`` array must not be one of the rule's inputs unless the
rule says so.
"""

from __future__ import annotations

import numpy as np


def deposit_interest(holdings_before_rial, rate_per_month, *, out=None):
    """Interest earned on the cash and reserves held at the end of last month [rial].

    Only a positive holding earns; a negative working cash (cash someone must lend the
    cooperative) is shown by the books and costs nothing here.

    Parameters
    ----------
    holdings_before_rial : array_like
        Working cash and reserves at the end of last month [rial].
    rate_per_month : array_like
        Deposit rate this month [fraction/month].
    out : numpy.ndarray, optional
        Where to write the interest (may be ``holdings_before_rial`` itself).

    >>> float(deposit_interest(1000.0, 0.02)), float(deposit_interest(-1000.0, 0.02))
    (20.0, 0.0)
    """
    interest = np.maximum(holdings_before_rial, 0.0, out=out)
    interest *= rate_per_month
    return interest


def tax_on_account(taxed_so_far_max_rial, cumulative_taxable_rial, tax_rate, *, out=None):
    """Tax due this month when tax is paid on the new high of cumulative taxable profit.

    Parameters
    ----------
    taxed_so_far_max_rial : array_like
        Highest cumulative taxable profit taxed so far (0 at the start) [rial].
    cumulative_taxable_rial : array_like
        Cumulative taxable profit after this month [rial].
    tax_rate : array_like
        Rate after the cooperative discount [fraction].
    out : tuple of two numpy.ndarray, optional
        Where to write (tax, new highest); neither may be ``taxed_so_far_max_rial``.

    Returns
    -------
    tuple of numpy.ndarray
        (tax this month [rial], new highest taxed cumulative profit [rial]). A loss is
        carried forward and never refunded.

    >>> [float(x) for x in tax_on_account(100.0, 80.0, 0.25)]
    [0.0, 100.0]
    >>> [float(x) for x in tax_on_account(100.0, 120.0, 0.25)]
    [5.0, 120.0]
    """
    tax_out, new_max_out = (None, None) if out is None else out
    new_max = np.maximum(taxed_so_far_max_rial, cumulative_taxable_rial, out=new_max_out)
    tax = np.subtract(new_max, taxed_so_far_max_rial, out=tax_out)
    tax *= tax_rate
    return tax, new_max


def appropriations(appropriable_before_rial, appropriable_after_rial, legal_total_before_rial, cooperative, capital_rial, *, out=None):
    """What the Cooperative Sector Law (art. 25) takes from a month's new profit after tax.

    ``appropriable_*`` is the running high of cumulative profit after tax (a loss is made
    good before anything is appropriated again).

    Parameters
    ----------
    appropriable_before_rial, appropriable_after_rial : array_like
        The running high before and after this month [rial].
    legal_total_before_rial : array_like
        Put into the legal reserve before this month [rial].
    cooperative : Cooperative
        Its reserve and fee shares and the legal reserve's cap.
    capital_rial : float
        The owners' paid-in capital [rial].
    out : dict of numpy.ndarray, optional
        Where to write some or all of the lines it returns (keyed by their names); none
        may be an input.

    Returns
    -------
    dict of numpy.ndarray
        ``legal_reserve_rial`` (5 % until the legal reserve holds ``legal_reserve_cap_share_of_capital``
        of the capital), ``precautionary_reserve_rial``, ``education_fee_rial``,
        ``distributable_profit_rial`` (the rest, the members' share of the profit) and
        ``legal_total_rial`` (put into the legal reserve so far), each [rial].

    >>> from solarcoop.books.specs import Cooperative
    >>> out = appropriations(0.0, 100.0, 0.0, Cooperative(), 1e9)
    >>> [round(float(out[k]), 6) for k in ("legal_reserve_rial", "education_fee_rial", "distributable_profit_rial")]
    [5.0, 4.0, 86.0]
    """
    out = {} if out is None else out
    cap = cooperative.legal_reserve_cap_share_of_capital * capital_rial
    legal_total = np.multiply(cooperative.legal_reserve_share, appropriable_after_rial, out=out.get("legal_total_rial"))
    # in place: legal_total is the out array or a fresh one, never an input (a scalar when
    # every input is one)
    legal_total = np.minimum(legal_total, cap, out=legal_total if isinstance(legal_total, np.ndarray) else None)
    legal = np.subtract(legal_total, legal_total_before_rial, out=out.get("legal_reserve_rial"))
    # the new profit, then what is left of it
    distributable = np.subtract(appropriable_after_rial, appropriable_before_rial, out=out.get("distributable_profit_rial"))
    precautionary = np.multiply(cooperative.precautionary_reserve_share, distributable, out=out.get("precautionary_reserve_rial"))
    fee = np.multiply(cooperative.education_fee_share, distributable, out=out.get("education_fee_rial"))
    distributable -= legal
    distributable -= precautionary
    distributable -= fee
    return {
        "legal_reserve_rial": legal,
        "precautionary_reserve_rial": precautionary,
        "education_fee_rial": fee,
        "distributable_profit_rial": distributable,
        "legal_total_rial": legal_total,
    }


def reserve_draw(balance_rial, need_rial, *, out=None):
    """What a reserve holding ``balance_rial`` pays towards ``need_rial`` [rial].

    Parameters
    ----------
    balance_rial : array_like
        The reserve's balance [rial]; a negative balance pays nothing.
    need_rial : array_like
        What is to be paid [rial]; a negative need asks for nothing.
    out : numpy.ndarray, optional
        Where to write the draw; not ``need_rial``.

    >>> float(reserve_draw(30.0, 50.0)), float(reserve_draw(80.0, 50.0)), float(reserve_draw(80.0, -5.0))
    (30.0, 50.0, 0.0)
    """
    draw = np.maximum(balance_rial, 0.0, out=out)
    return np.minimum(draw, np.maximum(need_rial, 0.0), out=out)


def cumulative_distribution(distributed_before_rial, cash_target_rial, profit_limit_rial=None, *, out=None):
    """Cumulative distributions after this month [rial]: never falling, never negative.

    Parameters
    ----------
    distributed_before_rial : array_like
        Cumulative distributions before this month [rial].
    cash_target_rial : array_like
        What the cash allows in total (net cash less working cash) [rial].
    profit_limit_rial : array_like or None
        The cumulative distributable profit under the ``"profit"`` rule; ``None`` (or
        ``numpy.inf``) under the ``"cash"`` rule. Profit the cash cannot yet pay waits
        for it.
    out : numpy.ndarray, optional
        Where to write the total; not ``distributed_before_rial``.

    >>> float(cumulative_distribution(10.0, 50.0, 30.0)), float(cumulative_distribution(10.0, 5.0, 30.0))
    (30.0, 10.0)
    >>> float(cumulative_distribution(10.0, 50.0))
    50.0
    """
    allowed = cash_target_rial if profit_limit_rial is None else np.minimum(cash_target_rial, profit_limit_rial, out=out)
    allowed = np.maximum(allowed, 0.0, out=out)
    return np.maximum(distributed_before_rial, allowed, out=out)


def true_up_split(distributed_rial, owed_for_closed_years_rial, *, out=None):
    """Split a payout into the true-up of closed fiscal years and an advance [rial].

    A payout first settles what the closed years still owe the owners (their
    distributable profit less what was paid on it); the rest is an advance on the open
    year's profit, which the general assembly approves with that year's accounts
    (Cooperative Sector Law art. 25). When the owners were paid ahead (a negative amount
    owed) nothing of the payout is a true-up: the excess was a return of capital, or is
    recovered by the next payouts being smaller.

    Parameters
    ----------
    distributed_rial : array_like
        This month's payout to the owners [rial].
    owed_for_closed_years_rial : array_like
        Still owed for closed years before this payout [rial].
    out : tuple of two numpy.ndarray, optional
        Where to write (true-up, advance); neither may be an input.

    Returns
    -------
    tuple of numpy.ndarray
        (true-up [rial], advance [rial]), adding up to the payout.

    >>> [float(x) for x in true_up_split(100.0, 30.0)]
    [30.0, 70.0]
    >>> [float(x) for x in true_up_split(100.0, -30.0)]
    [0.0, 100.0]
    """
    true_up_out, advance_out = (None, None) if out is None else out
    true_up = np.minimum(distributed_rial, owed_for_closed_years_rial, out=true_up_out)
    true_up = np.maximum(true_up, 0.0, out=true_up_out)
    advance = np.subtract(distributed_rial, true_up, out=advance_out)
    return true_up, advance
