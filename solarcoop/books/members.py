"""The members: their classes, their share loans, and what reaches each family.

The families' part of a month's distribution is split over the member classes by the
shares they hold; each family's loan instalment is deducted at source, and a shortfall
becomes arrears or is paid from the family's pocket (:class:`~solarcoop.finance.Loan`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from solarcoop._running import running
from solarcoop._validation import InputError, check_choice
from solarcoop.books.specs import MemberClass
from solarcoop.finance import Loan, loan_schedule


def resolve_member_classes(
    member_classes, families: int, default_loan: Loan
) -> tuple[MemberClass, ...]:
    """The classes with every loan filled in; one class of ``families`` when none are given.

    Raises
    ------
    InputError
        If the classes' families do not add up to ``families``, or names repeat.

    Examples
    --------
    >>> [c.name for c in resolve_member_classes((), 400, Loan())]
    ['all families']
    """
    if not member_classes:
        return (MemberClass("all families", families, 1.0, default_loan),)
    names = [c.name for c in member_classes]
    if len(set(names)) != len(names):
        raise InputError(f"member_classes names {names} repeat: give each class its own name")
    total = sum(c.families for c in member_classes)
    if total != families:
        raise InputError(
            f"cooperative.families = {families} but member_classes hold {total} families: "
            "set cooperative.families to the classes' total"
        )
    return tuple(
        c if c.loan is not None else MemberClass(c.name, c.families, c.shares_per_family, default_loan)
        for c in member_classes
    )


def shares_held(classes) -> float:
    """The shares all member families hold together [shares]: each class's families times
    its shares per family, summed over the classes.

    >>> from solarcoop.books.specs import MemberClass
    >>> shares_held((MemberClass("a", families=3, shares_per_family=2.0), MemberClass("b", families=1)))
    7.0
    """
    return sum(c.families * c.shares_per_family for c in classes)


def class_payouts(distributed_rial, families, shares_per_family, instalment_rial, shortfall=None) -> Mapping[str, np.ndarray]:
    """Split the families' distribution over member classes by shares, then deduct loans.

    Parameters
    ----------
    distributed_rial : array_like
        What the cooperative distributes to all families [rial], shape (..., months).
    families, shares_per_family : array_like
        Per class, shape (classes,) [families], [shares/family].
    instalment_rial : array_like
        Each class's instalment per family [rial], shape (classes, months), or
        (..., classes, months) when it differs by path.
    shortfall : array_like of {"debited", "arrears"}, optional
        Each class's loan practice (:class:`~solarcoop.finance.Loan`), shape (classes,),
        or (..., classes) when it differs by path; default ``"arrears"`` for every class.

    Returns
    -------
    mapping of numpy.ndarray
        Per family of each class, shape (..., classes, months):
        ``distribution_per_family_rial`` and the lines of :func:`family_payouts` (a
        :class:`PracticeLines` when the practices differ).

    Examples
    --------
    100 families with 1 share and 50 with 2 share 400 rial: 2 and 4 rial a family.

    >>> out = class_payouts([400.0], [100, 50], [1.0, 2.0], [[1.0], [5.0]])
    >>> out["distribution_per_family_rial"][:, 0].tolist(), out["arrears_rial"][:, 0].tolist()
    ([2.0, 4.0], [0.0, 1.0])
    """
    families = np.asarray(families, float)
    shares = np.asarray(shares_per_family, float)
    per_share = np.asarray(distributed_rial, float)[..., None, :] / np.sum(families * shares)
    per_family = per_share * shares[:, None]
    practices = np.asarray(["arrears"] * len(families) if shortfall is None else shortfall)
    debited = (practices == "debited")[..., None]
    by_practice = {p: family_payouts(per_family, instalment_rial, p) for p in set(practices.ravel().tolist())}
    if len(by_practice) == 1:
        return {"distribution_per_family_rial": per_family, **next(iter(by_practice.values()))}
    return PracticeLines(debited, by_practice["debited"], by_practice["arrears"], per_family)


class PracticeLines(Mapping):
    """The lines of :func:`class_payouts` where the loan practice differs by path or class:
    each line of :func:`family_payouts` taken from the debited practice where ``debited``
    (shape (..., classes, 1)) holds and from the arrears practice elsewhere, chosen when
    first read (a Monte Carlo reads one or two of them)."""

    def __init__(self, debited: np.ndarray, if_debited: dict, if_arrears: dict, distribution_per_family_rial):
        self._debited, self._if_debited, self._if_arrears = debited, if_debited, if_arrears
        self._chosen = {"distribution_per_family_rial": distribution_per_family_rial}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._chosen:
            self._chosen[name] = np.where(self._debited, self._if_debited[name], self._if_arrears[name])
        return self._chosen[name]

    def __iter__(self):
        return iter(["distribution_per_family_rial", *self._if_debited])

    def __len__(self) -> int:
        return 1 + len(self._if_debited)


def family_payouts(distribution_per_family_rial, instalment_rial, shortfall: str = "arrears") -> dict[str, np.ndarray]:
    r"""A family's month: its distribution, its loan instalment, and who covers a shortfall.

    The instalment is deducted at source from the distribution. When the distribution
    does not cover it:

    - ``shortfall="arrears"``: the shortfall becomes the family's arrears, recovered from
      later distributions before anything is paid out; it is never dropped. Arrears follow
      :math:`a_t = \max(0, a_{t-1} + i_t - d_t)`, written as
      :math:`a_t = Y_t - \min(0, \min_{k \le t} Y_k)` with :math:`Y = \sum (i - d)`.
    - ``shortfall="debited"``: the lender takes the rest from the family's own account;
      no arrears.

    Parameters
    ----------
    distribution_per_family_rial : array_like
        What the cooperative distributes to one family [rial], shape (..., months).
    instalment_rial : array_like
        The instalment due [rial], broadcastable.
    shortfall : {"arrears", "debited"}

    Returns
    -------
    dict of numpy.ndarray
        ``payout_rial`` (what reaches the family from the cooperative, never negative),
        ``paid_to_lender_rial`` (from the distribution and from the family's pocket),
        ``paid_from_pocket_rial`` (what the family pays its lender from its own money,
        never negative), ``arrears_rial`` (owed after the month) and
        ``family_cash_flow_rial`` = payout - paid from pocket: negative when the family
        pays from its own pocket.

    Examples
    --------
    >>> out = family_payouts([10.0, 0.0, 30.0], [20.0, 20.0, 20.0])
    >>> out["arrears_rial"].tolist(), out["payout_rial"].tolist()
    ([10.0, 30.0, 20.0], [0.0, 0.0, 0.0])
    >>> family_payouts([10.0, 0.0, 30.0], [20.0, 20.0, 20.0], "debited")["family_cash_flow_rial"].tolist()
    [-10.0, -20.0, 10.0]
    """
    distribution = np.asarray(distribution_per_family_rial, float)
    instalment = np.broadcast_to(np.asarray(instalment_rial, float), np.broadcast_shapes(distribution.shape, np.shape(instalment_rial)))
    distribution = np.broadcast_to(distribution, instalment.shape)
    if shortfall == "debited":
        pocket = np.maximum(instalment - distribution, 0.0)
        payout = distribution - instalment + pocket
        return {
            "payout_rial": payout,
            "paid_to_lender_rial": instalment,  # read-only views: the same every path and month
            "paid_from_pocket_rial": pocket,
            "arrears_rial": np.broadcast_to(0.0, instalment.shape),
            "family_cash_flow_rial": payout - pocket,
        }
    check_choice("shortfall", shortfall, ("arrears", "debited"))
    # the arrays laid out as the distribution is (month-major from the books), in place
    shortfall_total = running(np.add, instalment - distribution, axis=-1)
    lowest = running(np.minimum, shortfall_total, axis=-1)
    arrears = np.subtract(shortfall_total, np.minimum(lowest, 0.0, out=lowest), out=lowest)
    arrears_before = np.empty_like(arrears)
    arrears_before[..., 0] = 0.0
    arrears_before[..., 1:] = arrears[..., :-1]
    # what the month's distribution leaves after its instalment and the arrears before it;
    # equal to ``distribution - instalment + arrears - arrears_before`` in exact arithmetic,
    # written so that rounding in the running sums never makes a payout negative (+ 0.0: no -0)
    payout = distribution - instalment
    payout -= arrears_before
    np.maximum(payout, 0.0, out=payout)
    payout += 0.0
    return {
        "payout_rial": payout,
        "paid_to_lender_rial": distribution - payout,
        "paid_from_pocket_rial": np.zeros_like(payout),
        "arrears_rial": arrears,
        "family_cash_flow_rial": payout,
    }


def loan_schedules(classes, n_months: int) -> dict[str, np.ndarray]:
    """Each class's share loan month by month, per family, shape (classes, n_months) [rial].

    Returns
    -------
    dict of numpy.ndarray
        ``instalment_rial`` (due each month) and ``balance_rial`` (owed after it).

    >>> out = loan_schedules(resolve_member_classes((), 4, Loan(principal_rial=120.0, annual_rate=0.0, term_months=12)), 13)
    >>> out["instalment_rial"][:, [0, 12]].tolist()
    [[10.0, 0.0]]
    """
    schedules = [loan_schedule(c.loan, n_months) for c in classes]
    return {
        "instalment_rial": np.stack([schedule["instalment_rial"].to_numpy() for schedule in schedules]),
        "balance_rial": np.stack([schedule["balance_rial"].to_numpy() for schedule in schedules]),
    }


def distributed_to_families(distributed_rial, families_share, reserve_paid_for_instalments_rial) -> np.ndarray:
    """What reaches all families from the cooperative each month [rial], (..., months): their
    share of the distribution plus what the precautionary reserve paid towards their
    instalments.

    >>> float(distributed_to_families(90.0, 2 / 3, 5.0))
    65.0
    """
    return distributed_rial * families_share + reserve_paid_for_instalments_rial


def distributed_to_sponsor(distributed_rial, families_share) -> np.ndarray:
    """The sponsor's part of each month's distribution [rial], (..., months): what is left
    after the families' share.

    >>> float(distributed_to_sponsor(90.0, 2 / 3))
    30.0
    """
    return distributed_rial - distributed_rial * families_share
