"""The plant is running: the plan against what happened, calibrated, and a forecast from here.

:func:`track` takes a scenario (the plan) and the cooperative's actual months
(:func:`solarcoop.actuals.load_actuals`) and returns:

- ``monthly``: plan, actual and difference for every month so far;
- ``explained``: the gap in the money distributed to families, split into causes that
  add up exactly to the whole gap;
- ``calibration``: what the months so far say about the plant's energy, the price, the
  buyer's delay and cash share, inflation and the euro, each beside the plan's figure;
- ``forecast``: a Monte Carlo over the whole life whose past months are the actuals
  and whose months to come are drawn around the calibrated values;
- ``headline``: the next twelve months and the rest of the life per family, forecast
  against plan.

No second engine: the ledger (:func:`solarcoop.engine.book_paths`) is a pure function
of each month's energy, price, bills, cash collected and consumer prices. The plan's
paths (:func:`solarcoop.monte_carlo`) supply those for every month; for the months so
far they are replaced by the actuals, and the ledger is run again over the whole life.
So the past is booked by the same rules as the plan, and the state it leaves (working
cash, reserves, tax paid, the families' arrears and loan balances, bills still owed)
carries across the join.

What is fixed and what is recomputed in the months so far:

- fixed at the actuals: energy, the bill for each month's energy, the cash (plus bonds
  at face value) received, and consumer prices; a missing cell is filled from the
  plan times the calibrated factor (energy, price) or from the calibrated payment terms
  (cash received), and marked in ``monthly``;
- recomputed by the ledger's rules: costs, tax, reserves, the education fee and the
  distributions. The distributions the cooperative actually made (``distributed_rial``)
  are compared with the rule's, not forced into the books: their difference is the
  "cooperative's own decisions" cause of the gap.

Only three functions here call the engine: :func:`_plan_paths`, :func:`_book` and
:func:`plan_irradiation_kwh_per_m2`.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from solarcoop import economy as economy_stage
from solarcoop import payment as payment_stage
from solarcoop import weather as weather_stage
from solarcoop._validation import InputError, check_number
from solarcoop.actuals import MONTH, check_against_scenario, load_actuals, parse_actuals
from solarcoop.calendar import accounting_months
from solarcoop.engine import (
    bill_paths,
    book_revenue,
    daily_profile,
    funding,
    monthly_energy_kwh,
    simulate,
)
from solarcoop.lines import REVENUE_LINES, TRACKING_KEPT
from solarcoop.payment import Payment
from solarcoop.scenario import Scenario
from solarcoop.studies.headline import month_reaches_promise
from solarcoop.studies.montecarlo import MonteCarloResult, monte_carlo

REVENUE_COLUMNS = REVENUE_LINES
"""What the ledger takes in each month, per path (:data:`solarcoop.lines.REVENUE_LINES`)."""

KEPT_COLUMNS = TRACKING_KEPT
"""Columns kept for every path of the plan and of the forecast (:mod:`solarcoop.lines`)."""

CUMULATIVE = "distribution_per_family_cumulative_rial"
"""Distribution per family summed from the first month [rial]: kept for every path of the
plan and the forecast, and in ``Tracking.monthly`` for plan and actual."""

BOOKING_CHUNK_PATHS = 500
"""Paths booked at once, so the ledger's arrays stay small."""

CAUSES = (
    ("weather", "weather: measured irradiation against the plan's year (0 without it)"),
    ("energy", "energy: the plant's output against the plan (after the weather)"),
    ("price", "price and indexation"),
    ("payment", "payment delay and cash share"),
    ("costs", "costs: consumer prices to date"),
    ("decisions", "the cooperative's own decisions (distributed against the rule)"),
)
"""The causes of the gap, in the order they are substituted into the plan."""


# --------------------------------------------------------------------------- the seam


def _plan_run(scenario: Scenario):
    """The plan's single run (the central reading of every input)."""
    return simulate(scenario)


def _plan_paths(scenario: Scenario, n_paths: int, seed: int) -> MonteCarloResult:
    """The plan's Monte Carlo, keeping what the ledger takes in and what families get."""
    return monte_carlo(scenario, n_paths=n_paths, seed=seed, kept=KEPT_COLUMNS, keep_paths=True)


def plan_irradiation_kwh_per_m2(scenario: Scenario, months: pd.DataFrame | None = None) -> np.ndarray:
    """Global horizontal irradiation of the plan's weather year in each month [kWh/m2].

    ``months`` defaults to the scenario's life (:func:`solarcoop.calendar.accounting_months`).
    """
    if months is None:
        months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    weather = weather_stage.resolve(
            scenario.weather, scenario.site, scenario.weather_fill_gaps_hours, scenario.weather_accept
        )
    daily = daily_profile(weather["ghi"].to_numpy() / 1000.0, weather.index)  # W/m2 over an hour -> kWh/m2
    return monthly_energy_kwh(daily, months)


def _book(scenario: Scenario, months: pd.DataFrame, revenue: dict, owed_at_end_rial) -> dict:
    """Run the ledger on given revenue lines (arrays (..., n_months)); keep ``KEPT_COLUMNS``."""
    lines = book_revenue(scenario, months, {**revenue, "revenue_owed_at_end_rial": owed_at_end_rial})
    return {column: np.asarray(lines[column]) for column in KEPT_COLUMNS}


# --------------------------------------------------------------------------- collections


def _deferred_stream(billed_rial: np.ndarray, billing_months: int, delay_months: int, deferred) -> np.ndarray:
    """Cash from the bills if all of each were deferred [rial], the shape of ``billed_rial``.

    ``deferred`` is the months after the cash payment that the rest is paid (``None``:
    never), or the plan's :class:`~solarcoop.Payment`, whose settlement rules (yearly
    lumps, bonds sold at a discount, late penalties) then apply. Collection is linear in
    the cash share, so a share ``s`` collects ``s x cash + (1 - s) x this``.
    """
    if isinstance(deferred, Payment):
        if deferred.deferred_delay_months is None:
            return np.zeros_like(np.asarray(billed_rial, float))
        terms = dataclasses.replace(deferred, billing_months=billing_months, delay_months=int(delay_months), cash_share=0.0)
        return payment_stage.collect_lines(billed_rial, terms)["collected_rial"]
    if deferred is None:
        return np.zeros_like(np.asarray(billed_rial, float))
    collected, _ = payment_stage.collect(billed_rial, Payment(billing_months, delay_months + deferred, 1.0))
    return collected


def _collect_terms(billed_rial: np.ndarray, billing_months: int, delay_months: int, cash_share, deferred_delay_months):
    """Cash from bills under given terms, linear in the cash share (which may differ by path).

    Returns the collected array (the shape of ``billed_rial``) and what stays owed after
    the last month (shape ``billed_rial.shape[:-1]``).
    """
    cash_share = np.asarray(cash_share, float)[..., None]
    cash, _ = payment_stage.collect(billed_rial, Payment(billing_months, delay_months, 1.0))
    deferred = _deferred_stream(billed_rial, billing_months, delay_months, deferred_delay_months)
    collected = cash_share * cash + (1 - cash_share) * deferred
    return collected, billed_rial.sum(-1) - collected.sum(-1)


def join_collections(
    billed_rial: np.ndarray,
    n_past: int,
    received_past_rial: np.ndarray,
    billing_months: int,
    delay_months,
    cash_share,
    deferred_delay_months: int | None | Payment,
) -> tuple[np.ndarray, np.ndarray]:
    """Cash received each month when the months so far are known and the rest follows rules.

    Parameters
    ----------
    billed_rial : numpy.ndarray
        Bill for each month's energy over the whole life [rial], shape (paths, months);
        the first ``n_past`` months are the actual bills.
    n_past : int
        Months so far [-].
    received_past_rial : numpy.ndarray
        Cash and bonds actually received in the months so far [rial], shape (n_past,).
    billing_months : int
        Billing period [months].
    delay_months : array_like of int
        Each path's months from bill to cash [months], shape (paths,).
    cash_share : array_like
        Each path's share of a bill paid in cash [fraction], shape (paths,).
    deferred_delay_months : int or None or Payment
        Months after the cash that the rest is paid; ``None``: never within the life; or
        the plan's payment terms, whose settlement rules (lumps, bonds, penalties) apply.

    Returns
    -------
    collected_rial : numpy.ndarray
        Shape (paths, months): the actual receipts in the months so far; afterwards the
        cash from the bills to come under each path's terms plus the settlement of what
        was still owed at the join.
    owed_at_end_rial : numpy.ndarray
        Billed but not received by the end of the life [rial], shape (paths,).

    Notes
    -----
    What the bills so far still owe at the join, :math:`A` (billed to date less
    received to date), is settled on the schedule the path's terms would have given
    those bills, scaled to :math:`A`: if the terms leave :math:`M` owed at the join,
    each later receipt of the old bills is multiplied by :math:`A / M`. If the terms
    would have settled everything (:math:`M = 0`) while :math:`A > 0`, :math:`A` is
    paid in the first month after the join. Money is conserved: over the life, billed
    = collected + owed at the end, on every path.
    """
    billed = np.asarray(billed_rial, float)
    n_paths, n_months = billed.shape
    delay = np.broadcast_to(np.asarray(delay_months, int), (n_paths,))
    share = np.broadcast_to(np.asarray(cash_share, float), (n_paths,))
    received = np.asarray(received_past_rial, float)
    outstanding = billed[0, :n_past].sum() - received.sum()
    if outstanding < -1e-6 * max(1.0, received.sum()):
        raise InputError(
            f"the actuals receive {received.sum():,.0f} rial by the last month but bill only "
            f"{billed[0, :n_past].sum():,.0f}: an advance, or bills missing from the file?"
        )
    old_bills = billed.copy()
    old_bills[:, n_past:] = 0.0
    new_bills = billed - old_bills
    collected = np.zeros_like(billed)
    owed = np.zeros(n_paths)
    for value in np.unique(delay):  # a few distinct delays, not paths
        members = delay == value
        from_new, owed_new = _collect_terms(new_bills[members], billing_months, int(value), share[members], deferred_delay_months)
        from_old, _ = _collect_terms(old_bills[members], billing_months, int(value), share[members], deferred_delay_months)
        owed_by_rule = old_bills[members, :n_past].sum(-1) - from_old[:, :n_past].sum(-1)
        settled = np.zeros_like(from_old)
        if n_past < n_months:
            scale = np.divide(outstanding, owed_by_rule, out=np.zeros_like(owed_by_rule), where=owed_by_rule > 0)
            settled[:, n_past:] = from_old[:, n_past:] * scale[:, None]
            lump = (owed_by_rule <= 0) & (outstanding > 0)
            settled[lump, n_past] = outstanding
        collected[members] = from_new + settled
        owed[members] = owed_new + outstanding - settled.sum(-1)
    collected[:, :n_past] = received
    return collected, owed


# --------------------------------------------------------------------------- calibration


@dataclasses.dataclass(frozen=True)
class Calibrated:
    """What the months so far say, as numbers the forecast uses (see ``Tracking.calibration``)."""

    energy_factor: float
    energy_factor_std: float
    price_factor: float
    price_factor_std: float
    delay_months: int
    delay_months_range: tuple[int, int]
    cash_share: float
    cash_share_std: float
    payment_identified: bool


def _ratio_estimate(actual: np.ndarray, model: np.ndarray, default_relative_std: float = 0.10):
    """Ratio of sums and its standard error from the monthly ratios' spread."""
    known = np.isfinite(actual) & np.isfinite(model) & (model > 0)
    if not known.any():
        return 1.0, 0.0, 0
    factor = actual[known].sum() / model[known].sum()
    ratios = actual[known] / model[known]
    if known.sum() < 2:
        return float(factor), default_relative_std * float(factor), 1
    return float(factor), float(ratios.std(ddof=1) / np.sqrt(known.sum())), int(known.sum())


def _fit_payment(billed: np.ndarray, received: np.ndarray, payment: Payment):
    """Least-squares delay (a whole number of months) and cash share from monthly cash.

    For each candidate delay the cash share is the least-squares slope of the cash
    received on the cash the terms would give (within 0-1); the delay with the smallest
    sum of squares wins. Its range holds the delays whose sum of squares is within
    :math:`4 \\hat\\sigma^2` of the best (about two standard errors), with
    :math:`\\hat\\sigma^2` the best fit's residual variance.
    """
    n = len(billed)
    known = np.isfinite(received)
    fits = []
    for delay in range(n):  # a few dozen candidate delays, each a vector fit over months
        cash, _ = payment_stage.collect(billed, Payment(payment.billing_months, delay, 1.0))
        deferred = _deferred_stream(billed, payment.billing_months, delay, payment)
        x = (cash - deferred)[known]
        y = (received - deferred)[known]
        if (x @ x) == 0:
            fits.append((delay, np.nan, float(y @ y), 0.0))
            continue
        share = float(np.clip((x @ y) / (x @ x), 0.0, 1.0))
        residual = y - share * x
        fits.append((delay, share, float(residual @ residual), float(x @ x)))
    table = pd.DataFrame(fits, columns=["delay", "share", "sse", "sxx"])
    identified = table["share"].notna()
    if not identified.any() or known.sum() < 2:
        return None
    best = table[identified].sort_values(["sse", "delay"]).iloc[0]
    dof = max(int(known.sum()) - 2, 1)
    variance = best["sse"] / dof
    close = table[identified & (table["sse"] <= best["sse"] + 4 * variance + 1e-9 * (1 + best["sse"]))]
    return {
        "delay": int(best["delay"]),
        "range": (int(close["delay"].min()), int(close["delay"].max())),
        "share": float(best["share"]),
        "share_std": float(np.sqrt(variance / best["sxx"])),
    }


def _cpi_relative(actuals: pd.DataFrame, plan_cpi: np.ndarray, n_past: int) -> tuple[np.ndarray, str]:
    """Consumer prices in the months so far relative to the first month [-], and how."""
    cpi = actuals["cpi_index"].to_numpy()[:n_past]
    inflation = actuals["inflation_12m"].to_numpy()[:n_past]
    plan = plan_cpi[:n_past]
    known = np.flatnonzero(np.isfinite(cpi))
    if known.size:
        # the gap to the plan in logs, read where known and carried flat elsewhere
        gap = np.log(cpi[known] / cpi[known[0]]) - np.log(plan[known] / plan[known[0]])
        return plan * np.exp(np.interp(np.arange(n_past), known, gap)), "cpi_index"
    if np.isfinite(inflation).any():
        plan_rate = np.concatenate([[0.0], np.log(plan[1:] / plan[:-1])])
        monthly = np.where(np.isfinite(inflation), np.log1p(np.nan_to_num(inflation)) / 12, plan_rate)
        monthly[0] = 0.0
        return np.exp(np.cumsum(monthly)), "inflation_12m"
    return plan.copy(), "plan"


def _rate_estimate(values: np.ndarray, months: np.ndarray):
    """Yearly growth rate of a monthly series from a log-linear fit, and its standard error."""
    known = np.isfinite(values)
    if known.sum() < 2:
        return np.nan, np.nan, int(known.sum())
    x, y = months[known].astype(float), np.log(values[known])
    slope, intercept = np.polyfit(x, y, 1)
    rate = float(np.expm1(12 * slope))
    if known.sum() < 3:
        return rate, np.nan, 2
    residual = y - (slope * x + intercept)
    slope_std = np.sqrt(residual @ residual / (known.sum() - 2) / ((x - x.mean()) @ (x - x.mean())))
    return rate, float((1 + rate) * 12 * slope_std), int(known.sum())


# --------------------------------------------------------------------------- result


@dataclasses.dataclass(frozen=True, eq=False)
class Tracking:
    """Where the cooperative stands: see :func:`track`.

    Attributes
    ----------
    scenario : Scenario
        The plan.
    actuals : pandas.DataFrame
        The actual months as read (:func:`solarcoop.actuals.parse_actuals`).
    n_past : int
        Months so far: from the first month of the life to the last month in the file.
    monthly : pandas.DataFrame
        One row per month so far: for each of energy [kWh], price [rial/kWh], billed,
        received (cash + bonds), distributed (whole cooperative) [rial] and distribution
        per family [rial], the columns ``<line>_plan``, ``<line>_actual`` and
        ``<line>_difference`` (actual less plan); the distribution per family summed
        from the first month (``distribution_per_family_cumulative_rial_plan`` and
        ``_actual``). ``payout_per_family_rial_*``: the
        family's payout after its loan instalment, plan against the ledger booked on the
        actuals. ``filled``: the cells missing from the file and filled (see module).
    explained : pandas.DataFrame
        Causes of the gap in the distribution per family summed over the months so far
        [rial, nominal]: column ``gap_per_family_rial``, one row per cause and a
        ``total`` row; the causes add up to the total exactly.
    calibration : pandas.DataFrame
        One row per estimate: ``estimate``, ``standard_error``, ``low``/``high`` where
        a range is given, ``assumption`` (the plan's), ``months`` used and ``method``.
    plan : solarcoop.studies.montecarlo.MonteCarloResult
        The plan's paths.
    forecast : solarcoop.studies.montecarlo.MonteCarloResult
        The same paths with the past fixed at the actuals and the future drawn around
        the calibrated values.
    headline : pandas.DataFrame
        Per family, from the first month after the actuals: the mean monthly cash flow
        of the family after its loan instalment, with its sign (negative when the family
        pays the instalment from its pocket), over the next 12 months and over the rest
        of the life, nominal and in real money (the scenario's real money month), and (when the scenario has a promise)
        the chance that a month of the next 12 falls short of the promise's bottom, counted as the headline counts it
        (:func:`solarcoop.studies.headline.month_reaches_promise`); P90 / P50 / P10 of forecast and plan.
    """

    scenario: Scenario
    actuals: pd.DataFrame
    n_past: int
    monthly: pd.DataFrame
    explained: pd.DataFrame
    calibration: pd.DataFrame
    plan: MonteCarloResult
    forecast: MonteCarloResult
    headline: pd.DataFrame

    @property
    def last_month(self) -> str:
        """Label of the last month so far."""
        return self.plan.months["label"].iloc[self.n_past - 1]


def _aligned(actuals: pd.DataFrame, index: np.ndarray, n_past: int) -> pd.DataFrame:
    """The actuals on the months so far, one row each (NaN for months not in the file)."""
    frame = pd.DataFrame(np.nan, index=np.arange(n_past), columns=actuals.columns.drop(MONTH))
    frame.loc[index] = actuals.drop(columns=MONTH).to_numpy()
    return frame


def _past(aligned: pd.DataFrame, plan: pd.DataFrame, scenario: Scenario, n_past: int):
    """The fixed past (arrays of n_past months), the calibration and what was filled."""
    plan_energy = plan["energy_kwh"].to_numpy()[:n_past]
    priced_share = np.divide(
        plan["priced_energy_kwh"].to_numpy()[:n_past], plan_energy, out=np.ones(n_past), where=plan_energy > 0
    )
    plan_price = plan["price_rial_per_kwh"].to_numpy()[:n_past]
    energy_actual = aligned["energy_kwh"].to_numpy()
    billed_actual = aligned["billed_rial"].to_numpy()
    k, k_std, k_months = _ratio_estimate(energy_actual, plan_energy)
    energy = np.where(np.isfinite(energy_actual), energy_actual, plan_energy * k)
    priced = energy * priced_share
    model_billed = bill_paths(priced, plan_price)
    # the price is read only where both the meter and the bill are in the file
    metered = np.isfinite(energy_actual) & (priced > 0)
    p, p_std, p_months = _ratio_estimate(np.where(metered, billed_actual, np.nan), model_billed)
    billed = np.where(np.isfinite(billed_actual), billed_actual, model_billed * p)
    price = np.divide(billed, priced, out=plan_price * p, where=priced > 0)

    bonds = np.nan_to_num(aligned["bonds_rial"].to_numpy())
    received_actual = aligned["collected_rial"].to_numpy() + bonds
    payment = scenario.payment
    # bonds settle the deferred part: the cash share is read from the cash alone when the
    # plan never pays the deferred part, from cash and bonds when it pays it later
    fitted = aligned["collected_rial"].to_numpy() if payment.deferred_delay_months is None else received_actual
    fit = _fit_payment(billed, fitted, payment)
    if fit is None:
        fit = {"delay": payment.delay_months, "range": (payment.delay_months,) * 2, "share": payment.cash_share, "share_std": 0.0}
    calibrated = Calibrated(
        energy_factor=k, energy_factor_std=k_std, price_factor=p, price_factor_std=p_std,
        delay_months=fit["delay"], delay_months_range=fit["range"], cash_share=fit["share"],
        cash_share_std=fit["share_std"], payment_identified=bool(np.isfinite(received_actual).sum() >= 2),
    )  # fmt: skip
    by_terms, _ = _collect_terms(
        billed[None, :], payment.billing_months, calibrated.delay_months, calibrated.cash_share, payment,
    )  # fmt: skip
    received = np.where(np.isfinite(received_actual), received_actual, by_terms[0])
    cpi, cpi_source = _cpi_relative(aligned, plan["cpi_index"].to_numpy(), n_past)
    filled = pd.DataFrame(
        {
            "energy_kwh": ~np.isfinite(energy_actual),
            "billed_rial": ~np.isfinite(billed_actual),
            "collected_rial": ~np.isfinite(received_actual),
            "cpi_index": cpi_source == "plan",
        }
    )
    past = {
        "energy_kwh": energy,
        "priced_energy_kwh": priced,
        "price_rial_per_kwh": price,
        "revenue_billed_rial": billed,
        "revenue_collected_rial": received,
        "cpi_index": cpi,
    }
    counts = {"energy": k_months, "price": p_months, "payment": int(np.isfinite(received_actual).sum())}
    return past, calibrated, filled, counts, cpi_source


def _weather(aligned: pd.DataFrame, plan: pd.DataFrame, plan_irradiation, n_past: int):
    """Each month's irradiation ratio (1 where unknown) and the weather and performance estimates."""
    measured = aligned["irradiation_kwh_per_m2"].to_numpy()
    if not np.isfinite(measured).any():
        return np.ones(n_past), {"weather": (np.nan, np.nan, 0), "performance": (np.nan, np.nan, 0)}
    planned = np.asarray(plan_irradiation, float)[:n_past]
    ratio = np.where(np.isfinite(measured) & (planned > 0), measured / np.where(planned > 0, planned, 1), 1.0)
    energy = aligned["energy_kwh"].to_numpy()
    both = np.isfinite(measured) & np.isfinite(energy)
    plan_energy = plan["energy_kwh"].to_numpy()[:n_past]
    return ratio, {
        "weather": _ratio_estimate(np.where(both, measured, np.nan), planned),
        "performance": _ratio_estimate(np.where(both, energy, np.nan), plan_energy * ratio),
    }


def _join_revenue(plan: dict, past: dict, n_past: int, scenario: Scenario, delay, cash_share, energy_factor=1.0):
    """Revenue lines over the whole life: the past fixed, the future from ``plan`` (paths).

    The plan's energy after the join is scaled by ``energy_factor`` (per path); its price
    and consumer prices are carried from the level the actuals reached (each path's own
    changes after the join kept); its bills are collected under ``delay`` and
    ``cash_share`` with the old bills' arrears settled (:func:`join_collections`).
    """
    n_paths = plan["energy_kwh"].shape[0]
    factor = np.broadcast_to(np.asarray(energy_factor, float), (n_paths,))[:, None]
    revenue = {}
    for column in ("energy_kwh", "priced_energy_kwh"):
        revenue[column] = np.concatenate(
            [np.broadcast_to(past[column], (n_paths, n_past)), plan[column][:, n_past:] * factor], axis=1
        )
    for column in ("price_rial_per_kwh", "cpi_index"):
        level = past[column][-1] / plan[column][:, n_past - 1 : n_past]
        revenue[column] = np.concatenate(
            [np.broadcast_to(past[column], (n_paths, n_past)), plan[column][:, n_past:] * level], axis=1
        )
    billed = bill_paths(revenue["priced_energy_kwh"], revenue["price_rial_per_kwh"])
    billed[:, :n_past] = past["revenue_billed_rial"]
    revenue["revenue_billed_rial"] = billed
    revenue["revenue_collected_rial"], owed = join_collections(
        billed, n_past, past["revenue_collected_rial"], scenario.payment.billing_months,
        delay, cash_share, scenario.payment,
    )  # fmt: skip
    return revenue, owed


def _explain(
    scenario, months, plan_lines: dict, past: dict, aligned: pd.DataFrame, n_past: int, families: int, weather_ratio
):
    """Sequential substitution of each cause into the plan's ledger (one path).

    ``weather_ratio`` is each month's measured irradiation over the plan's (1 where the
    file has none) [-].
    """
    payment = scenario.payment
    state = {column: np.array(plan_lines[column], float)[None, :] for column in REVENUE_COLUMNS}

    def rebilled():
        billed = bill_paths(state["priced_energy_kwh"], state["price_rial_per_kwh"])
        collected, owed = _collect_terms(
            billed, payment.billing_months, payment.delay_months, payment.cash_share, payment
        )
        state["revenue_billed_rial"], state["revenue_collected_rial"] = billed, collected
        return owed

    last = {}

    def distributed(owed) -> float:
        last["per_month"] = _book(scenario, months, state, owed)["distribution_per_family_rial"][0, :n_past]
        return float(last["per_month"].sum())

    owed = np.array([plan_lines["revenue_billed_rial"].sum() - plan_lines["revenue_collected_rial"].sum()])
    steps = [distributed(owed)]
    # weather: the plan's energy scaled by the measured irradiation against the plan's year
    for column in ("energy_kwh", "priced_energy_kwh"):
        state[column][:, :n_past] = plan_lines[column][:n_past] * weather_ratio
    steps.append(distributed(rebilled()))
    # energy: the meter's energy at the plan's price and terms
    for column in ("energy_kwh", "priced_energy_kwh"):
        state[column][:, :n_past] = past[column]
    steps.append(distributed(rebilled()))
    # price and indexation: the actual bills at the plan's terms
    state["price_rial_per_kwh"][:, :n_past] = past["price_rial_per_kwh"]
    steps.append(distributed(rebilled()))
    # payment: the cash actually received, the rest owed settled at the plan's terms
    state["revenue_collected_rial"], owed = join_collections(
        state["revenue_billed_rial"], n_past, past["revenue_collected_rial"], payment.billing_months,
        payment.delay_months, payment.cash_share, payment,
    )  # fmt: skip
    steps.append(distributed(owed))
    # costs: consumer prices to date (costs follow them), the plan's growth after
    level = past["cpi_index"][-1] / state["cpi_index"][:, n_past - 1]
    state["cpi_index"][:, n_past:] *= level
    state["cpi_index"][:, :n_past] = past["cpi_index"]
    steps.append(distributed(owed))
    # what the cooperative distributed, where the file says; the rule's figure elsewhere
    actual = aligned["distributed_rial"].to_numpy() / families
    steps.append(float(np.where(np.isfinite(actual), actual, last["per_month"]).sum()))
    gaps = np.diff(steps)
    frame = pd.DataFrame(
        {"cause": [description for _, description in CAUSES] + ["total"],
         "gap_per_family_rial": np.append(gaps, steps[-1] - steps[0])},
        index=pd.Index([name for name, _ in CAUSES] + ["total"], name="name"),
    )  # fmt: skip
    frame.attrs["plan_per_family_rial"] = steps[0]
    frame.attrs["actual_per_family_rial"] = steps[-1]
    frame.attrs["ledger_on_actuals_per_family_rial"] = steps[-2]
    return frame, state


def _calibration_table(
    calibrated: Calibrated, counts: dict, scenario: Scenario, aligned, cpi_source, n_past, weather_estimates: dict
):
    economy, payment = scenario.economy, scenario.payment
    month_numbers = np.arange(n_past)
    if cpi_source == "cpi_index":
        inflation, inflation_std, inflation_months = _rate_estimate(aligned["cpi_index"].to_numpy(), month_numbers)
        inflation_method = "log-linear fit of the CPI over the months so far, annualised; OLS standard error"
    else:
        values = aligned["inflation_12m"].to_numpy()
        known = values[np.isfinite(values)]
        inflation = float(known.mean()) if known.size else np.nan
        inflation_std = float(known.std(ddof=1) / np.sqrt(known.size)) if known.size > 1 else np.nan
        inflation_months = int(known.size)
        inflation_method = (
            "mean of the published 12-month rates; standard error of that mean (understated: "
            "the 12-month windows overlap)"
        )
    euro, euro_std, euro_months = _rate_estimate(aligned["euro_rial"].to_numpy(), month_numbers)
    first_rate = float(np.atleast_1d(economy.inflation_per_year)[0])
    first_fx = float(economy_stage.fx_change_rates(economy, 1)[0])
    rows = [
        ("energy_factor", calibrated.energy_factor, calibrated.energy_factor_std, np.nan, np.nan, 1.0, counts["energy"],
         "metered energy / the plan's energy, summed over the months with a meter reading; standard error "
         "from the spread of the monthly ratios (weather and performance together)"),
        ("weather_factor", *weather_estimates["weather"][:2], np.nan, np.nan, 1.0, weather_estimates["weather"][2],
         "measured irradiation / the plan's weather year, summed over the months with both irradiation and "
         "a meter reading; standard error from the monthly ratios"),
        ("performance_factor", *weather_estimates["performance"][:2], np.nan, np.nan, 1.0,
         weather_estimates["performance"][2],
         "metered energy / (the plan's energy x each month's irradiation ratio): the plant against the "
         "weather it had; standard error from the monthly ratios"),
        ("price_factor", calibrated.price_factor, calibrated.price_factor_std, np.nan, np.nan, 1.0, counts["price"],
         "billed / (metered energy x the plan's price), summed; standard error from the monthly ratios"),
        ("delay_months", calibrated.delay_months, np.nan, *calibrated.delay_months_range, payment.delay_months,
         counts["payment"],
         "least squares of the cash received each month against the bills' schedule for each whole "
         "delay; range: delays within 4 residual variances of the best"),
        ("cash_share", calibrated.cash_share, calibrated.cash_share_std, np.nan, np.nan, payment.cash_share,
         counts["payment"], "least-squares share (0-1) at the best delay; its standard error"),
        ("inflation_per_year", inflation, inflation_std, np.nan, np.nan, first_rate, inflation_months,
         inflation_method),
        ("euro_change_per_year", euro, euro_std, np.nan, np.nan, first_fx, euro_months,
         "log-linear fit of the official euro rate over the months so far, annualised; OLS standard error"),
    ]  # fmt: skip
    frame = pd.DataFrame(
        rows, columns=["name", "estimate", "standard_error", "low", "high", "assumption", "months", "method"]
    ).set_index("name")
    if not calibrated.payment_identified:
        frame.loc[["delay_months", "cash_share"], "method"] = "not in the file (fewer than 2 months of cash): the plan's"
    return frame


def _draw_future_terms(scenario: Scenario, calibrated: Calibrated, n_paths: int, seed: int):
    """Each path's energy factor, delay and cash share for the months to come."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 18]))
    k, k_std = calibrated.energy_factor, calibrated.energy_factor_std
    sigma = k_std / k if k > 0 else 0.0
    factor = k * np.exp(sigma * rng.standard_normal(n_paths) - sigma**2 / 2)
    extra = scenario.uncertainty
    # around the calibrated delay, never below none (as the Monte Carlo draws it)
    delay = np.maximum(calibrated.delay_months + rng.choice(np.array(extra.extra_delay_months), n_paths, p=extra.extra_delay_probabilities), 0)
    share, std = calibrated.cash_share, calibrated.cash_share_std
    if std > 0 and 0 < share < 1 and std**2 < share * (1 - share):
        common = share * (1 - share) / std**2 - 1
        cash_share = rng.beta(share * common, (1 - share) * common, n_paths)
    else:
        cash_share = np.full(n_paths, share)
    return factor, delay, cash_share


def _headline(plan: MonteCarloResult, forecast: MonteCarloResult, n_past: int) -> pd.DataFrame:
    """P90 / P50 / P10 per family from the first month after the actuals, forecast and plan."""
    promise = getattr(plan.scenario, "promise", None)
    n_months = len(plan.months)
    columns = [f"{name}_{p}" for name in ("forecast", "plan") for p in ("P90", "P50", "P10")]
    if n_past >= n_months:  # the actuals reach the end of the life: nothing left to forecast
        frame = pd.DataFrame(columns=columns, dtype=float)
        frame.attrs.update(from_month=None, promise_low_rial=None)
        return frame
    next_year = slice(n_past, min(n_past + 12, n_months))
    rest = slice(n_past, n_months)
    rows = {}
    for name, result in (("forecast", forecast), ("plan", plan)):
        figures = {
            f"{column}_mean_{span}": result.paths[column][:, months].mean(1)
            for span, months in (("next12", next_year), ("rest_of_life", rest))
            for column in ("family_cash_flow_rial", "family_cash_flow_real_rial")
        }
        for figure, values in figures.items():
            for p, q in (("P90", 0.1), ("P50", 0.5), ("P10", 0.9)):
                rows.setdefault(figure, {})[f"{name}_{p}"] = float(np.quantile(values, q))
        if promise is not None:  # the headline's chance of the promise, in its own money
            reaches = month_reaches_promise(result, plan.scenario)
            chance = float(1 - reaches[:, next_year].mean())
            rows.setdefault("chance_month_below_promise_next12", {}).update(
                {f"{name}_{p}": chance for p in ("P90", "P50", "P10")}
            )
    frame = pd.DataFrame(rows).T
    frame.attrs["from_month"] = plan.months["label"].iloc[n_past] if n_past < n_months else None
    frame.attrs["promise_low_rial"] = None if promise is None else promise.low_rial
    return frame[columns]


def _comparison(plan: pd.DataFrame, past: dict, aligned: pd.DataFrame, booked: dict, filled, n_past, families):
    rows = plan.iloc[:n_past]
    frame = pd.DataFrame({"label": rows["label"].to_numpy()})
    lines = {
        "energy_kwh": (rows["energy_kwh"], past["energy_kwh"]),
        "price_rial_per_kwh": (rows["price_rial_per_kwh"], past["price_rial_per_kwh"]),
        "billed_rial": (rows["revenue_billed_rial"], past["revenue_billed_rial"]),
        "received_rial": (rows["revenue_collected_rial"], past["revenue_collected_rial"]),
        "distributed_rial": (rows["distributed_rial"], aligned["distributed_rial"].to_numpy()),
        "distribution_per_family_rial": (
            rows["distribution_per_family_rial"], aligned["distributed_rial"].to_numpy() / families
        ),
        "payout_per_family_rial": (rows["payout_per_family_rial"], booked["payout_per_family_rial"][0, :n_past]),
    }
    for name, (plan_values, actual) in lines.items():
        plan_values = np.asarray(plan_values, float)
        frame[f"{name}_plan"] = plan_values
        frame[f"{name}_actual"] = actual
        frame[f"{name}_difference"] = actual - plan_values
    frame["distributed_by_rule_rial"] = booked["distributed_rial"][0, :n_past]
    for kind in ("plan", "actual"):  # NaN from the first month the file does not give
        frame[f"{CUMULATIVE}_{kind}"] = frame[f"distribution_per_family_rial_{kind}"].cumsum(skipna=False)
    frame["filled"] = [
        ", ".join(column for column in filled.columns if filled.at[i, column]) for i in range(n_past)
    ]
    return frame


def track(scenario: Scenario, actuals, n_paths: int = 1_000, seed: int = 0) -> Tracking:
    """Compare the months so far with the plan, explain the gap, calibrate and forecast.

    Parameters
    ----------
    scenario : Scenario
        The plan.
    actuals : str, path or pandas.DataFrame
        A file for :func:`solarcoop.actuals.load_actuals`, or a table of the same
        columns (checked by :func:`solarcoop.actuals.parse_actuals`).
    n_paths : int
        Monte Carlo paths of the plan and the forecast [-].
    seed : int
        Seed of the draws; the plan and the forecast share the plan's paths.

    Returns
    -------
    Tracking

    Notes
    -----
    The forecast takes each of the plan's paths and replaces its months so far with the
    actuals (the same on every path). After the join, each path keeps its own weather,
    losses, degradation and economic draws, with:

    - energy times a factor drawn around the calibrated energy factor (lognormal with
      its standard error);
    - price and consumer prices carried from the level the actuals reached: the path's
      later values times (actual level / path level) at the last month so far; so
      inflation and the euro after the join follow the plan's drawn rates, not the few
      months observed;
    - bills paid after the calibrated delay plus the plan's extra-delay draws (the risk
      that the buyer slips further stays as the plan assumed), in a cash share drawn
      around the calibrated one (beta with its standard error); the bills still owed at
      the join are settled as :func:`join_collections` says.

    With actuals equal to the plan and no uncertainty the forecast is the plan.

    Examples
    --------
    >>> import solarcoop as sc
    >>> scenario = sc.qom_baseline().with_changes({"lifetime_years": 3})
    >>> plan = sc.simulate(scenario).monthly.iloc[:6]
    >>> actuals = pd.DataFrame({"month": plan["label"], "energy_kwh": 0.9 * plan["energy_kwh"]})
    >>> tracking = track(scenario, actuals, n_paths=50)
    >>> round(float(tracking.calibration.loc["energy_factor", "estimate"]), 3)
    0.9
    """
    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario = {scenario!r} must be a Scenario (see solarcoop.qom_baseline)")
    n_paths = check_number("n_paths", n_paths, minimum=1, maximum=1_000_000, integer=True)
    seed = check_number("seed", seed, minimum=0, integer=True)
    if isinstance(actuals, pd.DataFrame):
        actuals = parse_actuals(actuals.astype(object).where(actuals.notna(), ""))
    else:
        actuals = load_actuals(actuals)
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    plan_run = _plan_run(scenario)
    plan_monthly = plan_run.monthly
    index = check_against_scenario(
        actuals, months, plan_monthly["price_rial_per_kwh"].to_numpy(), scenario.plant.capacity_kwp,
        scenario.economy.euro_rate_start_rial_per_eur,
    )  # fmt: skip
    n_past = int(index.max()) + 1
    aligned = _aligned(actuals, index, n_past)
    # what the cooperative paid all owners reaches the families in their share of the
    # capital (a sponsor holding equity takes the rest): owners' money per family-equivalent
    family_share = 1.0 - funding(scenario)["sponsor_share_of_distributions"]
    families = scenario.cooperative.families / family_share if family_share > 0 else np.inf
    past, calibrated, filled, counts, cpi_source = _past(aligned, plan_monthly, scenario, n_past)
    plan_lines = {column: plan_monthly[column].to_numpy() for column in REVENUE_COLUMNS}
    has_irradiation = bool(aligned["irradiation_kwh_per_m2"].notna().any())
    plan_irradiation = plan_irradiation_kwh_per_m2(scenario, months) if has_irradiation else None
    weather_ratio, weather_estimates = _weather(aligned, plan_monthly, plan_irradiation, n_past)
    explained, _ = _explain(scenario, months, plan_lines, past, aligned, n_past, families, weather_ratio)
    on_actuals, owed = _join_revenue(
        {column: values[None, :] for column, values in plan_lines.items()}, past, n_past, scenario,
        calibrated.delay_months, calibrated.cash_share, calibrated.energy_factor,
    )  # fmt: skip
    booked = _book(scenario, months, on_actuals, owed)
    monthly = _comparison(plan_monthly, past, aligned, booked, filled, n_past, families)

    plan = _plan_paths(scenario, n_paths, seed)
    factor, delay, share = _draw_future_terms(scenario, calibrated, n_paths, seed)
    paths = {column: np.empty((n_paths, len(months))) for column in KEPT_COLUMNS}
    for start in range(0, n_paths, BOOKING_CHUNK_PATHS):  # chunks bound memory
        rows = slice(start, start + BOOKING_CHUNK_PATHS)
        revenue, owed = _join_revenue(
            {column: plan.paths[column][rows] for column in REVENUE_COLUMNS}, past, n_past, scenario,
            delay[rows], share[rows], factor[rows],
        )  # fmt: skip
        for column, values in _book(scenario, months, revenue, owed).items():
            paths[column][rows] = values
    for kept in (plan.paths, paths):  # what each family has been paid since operation began
        kept[CUMULATIVE] = np.cumsum(kept["distribution_per_family_rial"], axis=1)
    forecast = MonteCarloResult(scenario=scenario, months=months, paths=paths, seed=seed)
    return Tracking(
        scenario=scenario,
        actuals=actuals,
        n_past=n_past,
        monthly=monthly,
        explained=explained,
        calibration=_calibration_table(calibrated, counts, scenario, aligned, cpi_source, n_past, weather_estimates),
        plan=plan,
        forecast=forecast,
        headline=_headline(plan, forecast, n_past),
    )
