"""The cooperative's monthly books: from cash collected to what reaches each family.

Every function here works on arrays whose last axis is the accounting month and whose
leading axes (if any) are scenario paths, so one call books thousands of Monte Carlo
paths at once. No loop runs over months or paths: the few rules that depend on the past
(a reserve that stops at a cap, distributions that wait until a deficit is made good, a
family's arrears) are written as running sums, minima and maxima.

Money is conserved each month::

    collected = operating costs + debt service + tax + reserves + education fee
                + distributed + change in working cash
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solarcoop._validation import InputError, check_fraction, check_number, check_rate


@dataclass(frozen=True)
class Costs:
    """Running costs of the plant and the cooperative, in first-year money.

    Parameters
    ----------
    capital_cost_rial_per_kwp : float
        What the plant cost to build [rial/kWp]; used for insurance, depreciation, NPV and
        LCOE. Default 3.5e8 (35 billion toman per MW, the middle of the 30-40 billion
        toman/MW reported for 2024-2026 in the Iranian press; medium confidence).
    om_rial_per_kwp_year : float
        Operation and maintenance [rial/kWp/year]. Default 2.45e6: 0.7 % of the capital
        cost a year, NREL ATB 2020's utility-PV benchmark (about 18 USD/kWdc-year); no
        Iranian figure was found (low confidence).
    insurance_share_of_capital_per_year : float
        Insurance [fraction of capital cost/year]. Default 0.003, an assumption within the
        1-2 % O&M-plus-insurance range guessed for Iran (low confidence).
    land_lease_rial_per_year : float
        Land lease [rial/year]. Default 0: the 4.5 ha near Qom is assumed provided by the
        sponsors, since the families' loans cover only part of the cost (assumption).
    management_rial_per_year : float
        The cooperative's management, bookkeeping and audit [rial/year]. Default 3.6e9
        (300 million rial a month; an assumption, low confidence).
    grid_fees_rial_per_kwh : float
        Grid, metering or dispatch fees per kWh sold [rial/kWh]. Default 0 (none reported
        for guaranteed-purchase sellers).
    escalation_per_year : float or None
        Yearly rise of all costs [fraction/year]; ``None`` (default) follows consumer prices.
    """

    capital_cost_rial_per_kwp: float = 3.5e8
    om_rial_per_kwp_year: float = 2.45e6
    insurance_share_of_capital_per_year: float = 0.003
    land_lease_rial_per_year: float = 0.0
    management_rial_per_year: float = 3.6e9
    grid_fees_rial_per_kwh: float = 0.0
    escalation_per_year: float | None = None

    def __post_init__(self):
        for name in (
            "capital_cost_rial_per_kwp",
            "om_rial_per_kwp_year",
            "land_lease_rial_per_year",
            "management_rial_per_year",
            "grid_fees_rial_per_kwh",
        ):
            check_number(f"costs.{name}", getattr(self, name), minimum=0)
        check_fraction(
            "costs.insurance_share_of_capital_per_year", self.insurance_share_of_capital_per_year
        )
        if self.escalation_per_year is not None:
            check_rate("costs.escalation_per_year", self.escalation_per_year)


@dataclass(frozen=True)
class Cooperative:
    """The cooperative: its members, taxes, reserves and how it pays out.

    Parameters
    ----------
    families : int
        Member families, all holding one equal share. Default 400 (Mohebban Karimeh
        cooperative, Qom; news report, September 2025).
    income_tax_rate : float
        Corporate income-tax rate [fraction]. Default 0.25 (Direct Taxes Act, art. 105).
    tax_discount : float
        Share of the tax forgiven [fraction]. Default 0.25: the 25 % discount for
        cooperatives (Article 44 implementation law). Full exemption (art. 133) applies only
        to some kinds of cooperative; set 1.0 for those.
    tax_exempt_years : int
        First operating years with no income tax [years]. Default 0 (exemptions for
        production units, art. 132, were amended in 1394; current text not found).
    legal_reserve_share : float
        Share of profit after tax put to the legal reserve [fraction]. Default 0.05
        (Cooperative Sector Law, secondary summary: at least 5 %).
    legal_reserve_cap_share_of_capital : float
        The legal reserve stops growing at this share of the members' capital [fraction].
        Default 0.25 (same law: until it reaches a quarter of capital).
    precautionary_reserve_share : float
        Share of profit after tax put to a precautionary reserve [fraction]. Default 0.05
        (same law: up to 5 %).
    education_fee_share : float
        Cooperation-and-education fee paid out of profit after tax [fraction]. Default 0.04
        (same law: 4 %).
    working_cash_months : float
        Working cash kept back, in months of operating costs [months]. Default 3 (assumption).
    smoothing_months : int or None
        Distributions are spread so that each month pays the average of this many months'
        net cash; ``None`` (default) uses the billing period, so bills paid every two months
        become equal monthly payouts.
    """

    families: int = 400
    income_tax_rate: float = 0.25
    tax_discount: float = 0.25
    tax_exempt_years: int = 0
    legal_reserve_share: float = 0.05
    legal_reserve_cap_share_of_capital: float = 0.25
    precautionary_reserve_share: float = 0.05
    education_fee_share: float = 0.04
    working_cash_months: float = 3.0
    smoothing_months: int | None = None

    def __post_init__(self):
        check_number("cooperative.families", self.families, minimum=1, integer=True)
        check_fraction("cooperative.income_tax_rate", self.income_tax_rate)
        check_fraction("cooperative.tax_discount", self.tax_discount, allow_one=True)
        check_number("cooperative.tax_exempt_years", self.tax_exempt_years, minimum=0, integer=True)
        for name in ("legal_reserve_share", "precautionary_reserve_share", "education_fee_share"):
            check_fraction(f"cooperative.{name}", getattr(self, name))
        check_number(
            "cooperative.legal_reserve_cap_share_of_capital",
            self.legal_reserve_cap_share_of_capital,
            minimum=0,
        )
        appropriated = (
            self.legal_reserve_share + self.precautionary_reserve_share + self.education_fee_share
        )
        if appropriated >= 1:
            raise InputError(
                f"cooperative reserve and fee shares add up to {appropriated:g}: they must stay "
                "below 1 so that something is left to distribute"
            )
        check_number("cooperative.working_cash_months", self.working_cash_months, minimum=0, maximum=120)
        if self.smoothing_months is not None:
            check_number("cooperative.smoothing_months", self.smoothing_months, minimum=1, maximum=24, integer=True)


def operating_costs_rial(costs: Costs, capacity_kwp: float, energy_kwh, cost_index) -> np.ndarray:
    """Each month's operating costs [rial].

    Parameters
    ----------
    costs : Costs
    capacity_kwp : float
        Plant size [kWp].
    energy_kwh : array_like
        Energy sold each month [kWh], shape (..., months).
    cost_index : array_like
        Price level relative to the first month [-], shape (..., months).

    Returns
    -------
    numpy.ndarray
        Shape of the broadcast inputs [rial/month]: fixed yearly costs / 12 plus per-kWh
        fees, all scaled by ``cost_index``.
    """
    yearly_rial = (
        costs.om_rial_per_kwp_year * capacity_kwp
        + costs.insurance_share_of_capital_per_year * costs.capital_cost_rial_per_kwp * capacity_kwp
        + costs.land_lease_rial_per_year
        + costs.management_rial_per_year
    )
    per_kwh_rial = costs.grid_fees_rial_per_kwh * np.asarray(energy_kwh, float)
    return (yearly_rial / 12 + per_kwh_rial) * np.asarray(cost_index, float)


def _running_max_from_zero(values: np.ndarray) -> np.ndarray:
    """max(0, running maximum along the last axis)."""
    return np.maximum.accumulate(np.maximum(values, 0.0), axis=-1)


def _lagged_moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last ``window`` values along the last axis (zeros before the start)."""
    padded = np.concatenate([np.zeros(values.shape[:-1] + (window,)), values], axis=-1)
    cumulative = np.cumsum(padded, axis=-1)
    return (cumulative[..., window:] - cumulative[..., :-window]) / window


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
) -> dict[str, np.ndarray]:
    """Book every month: tax, reserves, fee, distribution and working cash.

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
    share_capital_rial : float
        Members' paid-in capital [rial]; caps the legal reserve.
    smoothing_months : int
        Months over which net cash is averaged into distributions [months].
    debt_service_rial, debt_interest_rial : array_like
        The cooperative's own debt: payment and its interest part [rial].
    initial_cash_rial : float
        Working cash at the start [rial].

    Returns
    -------
    dict of numpy.ndarray
        ``tax_rial``, ``legal_reserve_rial``, ``precautionary_reserve_rial``,
        ``reserves_rial`` (their sum), ``education_fee_rial``, ``distributed_rial``,
        ``cash_balance_rial`` (end of month), ``profit_before_tax_rial``.

    Notes
    -----
    Tax is charged month by month on the cash profit less depreciation and interest
    (no loss carried forward, a simplification). The legal reserve takes its share until
    its running total reaches ``legal_reserve_cap_share_of_capital * share_capital_rial``.
    Cumulative distributions :math:`D_t = \\max(0, \\max_{k \\le t}(A_k - B_k))`, where
    :math:`A` is the moving average (over ``smoothing_months``) of cumulative net cash and
    :math:`B` the working cash kept back; so a deficit is made good before anything more
    is paid out, and distributions never go negative. In the last month all working cash
    is paid out (the end-of-life line).
    """
    collected = np.asarray(collected_rial, float)
    shape = np.broadcast_shapes(collected.shape, np.shape(operating_costs_rial), np.shape(debt_service_rial))
    collected = np.broadcast_to(collected, shape)
    costs = np.broadcast_to(np.asarray(operating_costs_rial, float), shape)
    debt_service = np.broadcast_to(np.asarray(debt_service_rial, float), shape)
    operating_year = np.asarray(operating_year)

    profit_before_tax = collected - costs - np.asarray(depreciation_rial, float) - debt_interest_rial
    taxable = (operating_year > cooperative.tax_exempt_years) & (profit_before_tax > 0)
    tax = np.where(
        taxable, profit_before_tax * cooperative.income_tax_rate * (1 - cooperative.tax_discount), 0.0
    )
    profit_after_tax = np.maximum(profit_before_tax - tax, 0.0)

    cap = cooperative.legal_reserve_cap_share_of_capital * share_capital_rial
    legal_total = np.minimum(np.cumsum(cooperative.legal_reserve_share * profit_after_tax, axis=-1), cap)
    legal = np.diff(legal_total, axis=-1, prepend=0.0)
    precautionary = cooperative.precautionary_reserve_share * profit_after_tax
    fee = cooperative.education_fee_share * profit_after_tax
    reserves = legal + precautionary

    net_cash = collected - costs - debt_service - tax - reserves - fee
    cumulative_net = initial_cash_rial + np.cumsum(net_cash, axis=-1)
    distributable = _lagged_moving_average(cumulative_net, smoothing_months)
    kept_back = cooperative.working_cash_months * costs
    target = distributable - kept_back
    target[..., -1] = cumulative_net[..., -1]  # end of life: pay out what is left
    cumulative_distributed = _running_max_from_zero(target)
    distributed = np.diff(cumulative_distributed, axis=-1, prepend=0.0)
    cash = cumulative_net - cumulative_distributed
    return {
        "profit_before_tax_rial": profit_before_tax,
        "tax_rial": tax,
        "legal_reserve_rial": legal,
        "precautionary_reserve_rial": precautionary,
        "reserves_rial": reserves,
        "education_fee_rial": fee,
        "distributed_rial": distributed,
        "cash_balance_rial": cash,
    }


def family_payouts(distribution_per_family_rial, instalment_rial) -> dict[str, np.ndarray]:
    """A family's month: its distribution, its loan instalment deducted at source, arrears.

    When a month's distribution does not cover the instalment, the shortfall becomes the
    family's arrears, recovered from later distributions before anything is paid out; it
    is never dropped. Arrears follow :math:`a_t = \\max(0, a_{t-1} + i_t - d_t)`, written
    as :math:`a_t = Y_t - \\min(0, \\min_{k \\le t} Y_k)` with :math:`Y = \\sum (i - d)`.

    Parameters
    ----------
    distribution_per_family_rial : array_like
        What the cooperative distributes to one family [rial], shape (..., months).
    instalment_rial : array_like
        The instalment due [rial], broadcastable.

    Returns
    -------
    dict of numpy.ndarray
        ``payout_rial`` (what reaches the family, never negative),
        ``paid_to_lender_rial``, ``arrears_rial`` (owed after the month).

    Examples
    --------
    >>> out = family_payouts([10.0, 0.0, 30.0], [20.0, 20.0, 20.0])
    >>> out["arrears_rial"].tolist(), out["payout_rial"].tolist()
    ([10.0, 30.0, 20.0], [0.0, 0.0, 0.0])
    """
    distribution = np.asarray(distribution_per_family_rial, float)
    instalment = np.broadcast_to(np.asarray(instalment_rial, float), np.broadcast_shapes(distribution.shape, np.shape(instalment_rial)))
    shortfall_total = np.cumsum(instalment - distribution, axis=-1)
    arrears = shortfall_total - np.minimum(np.minimum.accumulate(shortfall_total, axis=-1), 0.0)
    arrears_before = np.concatenate([np.zeros(arrears.shape[:-1] + (1,)), arrears[..., :-1]], axis=-1)
    payout = distribution - instalment + arrears - arrears_before
    return {
        "payout_rial": payout,
        "paid_to_lender_rial": distribution - payout,
        "arrears_rial": arrears,
    }
