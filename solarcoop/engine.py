"""Run a scenario: physics once per weather year, then money over (paths x months) arrays.

:func:`simulate` is one path of the same engine the Monte Carlo uses: the stages are
called in the order of the data flow, each a pure function of arrays.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

from solarcoop import economy as economy_stage
from solarcoop import payment as payment_stage
from solarcoop import plant as plant_stage
from solarcoop import plausibility
from solarcoop import tariff as tariff_stage
from solarcoop import weather as weather_stage
from solarcoop._running import running
from solarcoop._validation import InputError, check_array
from solarcoop.books.capital import (
    capital_cost_rial,
    cash_available_for_debt_service,
    collect_owed_at_end,
    cost_index,
    debt_schedule,
    debt_service_coverage,
    depreciation_lines,
    end_of_life_rial,
    fixed_costs_rial_per_year,
    funding_sources,
    income_rial,
    inverter_replacement,
    operating_costs_rial,
    paid_by_stated_sources_rial,
    payout_months,
    replacement_depreciation_rial,
)
from solarcoop.books.ledger import BOOK_LINES, book_months
from solarcoop.books.members import (
    class_payouts,
    distributed_to_families,
    distributed_to_sponsor,
    loan_schedules,
    resolve_member_classes,
    shares_held,
)
from solarcoop.books.statements import statements as book_statements
from solarcoop.calendar import accounting_months, day_of_year_index
from solarcoop.finance import irr_per_year, levelised_cost_rial_per_kwh, npv_rial
from solarcoop.lines import (
    ANNUAL_ENDS,
    ANNUAL_STATISTICS,
    ANNUAL_SUMS,
    CLASS_LINES,
    CLASS_YEAR1_MEANS,
    LEDGER_LINES,
    LIFE_MEANS,
    MONTH_FIELDS,
)
from solarcoop.payment import Payment
from solarcoop.scenario import Scenario

DAYS_PER_TYPICAL_YEAR = 365
_TYPICAL_YEAR = 2025  # a non-leap year after Iran dropped daylight saving time


@dataclasses.dataclass(frozen=True)
class EnergyProfile:
    """One typical year of energy, by day of year, before degradation.

    Attributes
    ----------
    energy_kwh : numpy.ndarray
        Energy at the meter on each day of a 365-day year [kWh/day], shape (..., 365).
    priced_energy_kwh : numpy.ndarray
        The same weighted by the time-of-use coefficient of each hour [kWh/day];
        equal to ``energy_kwh`` without time of use.
    hourly_energy_kwh : pandas.Series or None
        The hourly energy it came from, when there was one.
    """

    energy_kwh: np.ndarray
    priced_energy_kwh: np.ndarray
    hourly_energy_kwh: pd.Series | None = None


def daily_profile(values, index: pd.DatetimeIndex) -> np.ndarray:
    """Mean energy on each day of a 365-day year from hourly timestamped values [kWh/day].

    Each day of the year is divided by the days its dates make: a date with a whole day of
    hours (23 or more: a clock change keeps it whole) counts one, a part of a day its
    hours over 24. So a year that starts at noon on 1 January and ends at 11:00 the next
    1 January counts that day once, from its two halves; a day of the year whose parts do
    not add up to whole days is refused.
    """
    dates = index.tz_localize(None).normalize() if index.tz is not None else index.normalize()
    day = day_of_year_index(dates)
    total = np.bincount(day, weights=np.asarray(values, float), minlength=DAYS_PER_TYPICAL_YEAR)
    distinct_dates, hours_per_date = np.unique(dates.to_numpy(), return_counts=True)
    share_of_day = np.where(hours_per_date >= 23, 1.0, hours_per_date / 24)
    days = np.bincount(day_of_year_index(distinct_dates), weights=share_of_day, minlength=DAYS_PER_TYPICAL_YEAR)
    count = np.rint(days)
    bad = (count == 0) | (np.abs(days - count) > 1e-9)
    if bad.any():
        first = int(np.argmax(bad))
        missing = pd.Timestamp(f"{_TYPICAL_YEAR}-01-01") + pd.Timedelta(days=first)
        hours = int(np.bincount(day, minlength=DAYS_PER_TYPICAL_YEAR)[first])
        raise InputError(
            f"the energy or weather data cover {hours} hours of {missing:%d %B}, not whole days: "
            "a whole year of hours is needed (a year may start at any hour if it ends just before "
            "that hour a year later)"
        )
    return total / count


def profile_from_hourly(hourly_energy_kwh: pd.Series, tariff) -> EnergyProfile:
    """Daily profile of a year of hourly energy, priced through the tariff's time of use."""
    time_of_use = getattr(tariff, "time_of_use", None)
    index = hourly_energy_kwh.index
    energy = daily_profile(hourly_energy_kwh.to_numpy(), index)
    if time_of_use is None:
        priced = energy  # every kWh at the same coefficient: the same array
    else:
        coefficients = tariff_stage.time_of_use_coefficients(time_of_use, index)
        priced = daily_profile(hourly_energy_kwh.to_numpy() * coefficients, index)
    return EnergyProfile(energy_kwh=energy, priced_energy_kwh=priced, hourly_energy_kwh=hourly_energy_kwh)


_EMBEDDED_YEAR_PROFILES: dict = {}
"""The last physics runs on the embedded typical year, by all they read (site, plant, time
of use, gap filling): a sweep, a sensitivity study or a tornado runs the same plant on the
same year many times, changing only what is priced or booked."""


_EMBEDDED_YEAR_LOCK = threading.Lock()


def _copied(profile: EnergyProfile) -> EnergyProfile:
    """A profile whose arrays the caller may change without touching the kept one."""
    energy = profile.energy_kwh.copy()
    same = profile.priced_energy_kwh is profile.energy_kwh
    return EnergyProfile(
        energy_kwh=energy,
        priced_energy_kwh=energy if same else profile.priced_energy_kwh.copy(),
        hourly_energy_kwh=None if profile.hourly_energy_kwh is None else profile.hourly_energy_kwh.copy(),
    )


def energy_profile(scenario: Scenario, energy=None) -> EnergyProfile:
    """The scenario's typical year of energy: from the physics, or from the planner's own.

    Parameters
    ----------
    scenario : Scenario
    energy : None or array_like
        ``None`` runs pvlib on the scenario's weather. Otherwise year-one energy at the
        meter [kWh]: 12 values (January to December) or 8,760 hourly values (from
        1 January 00:00 local time), for example from PVsyst or the meter.
    """
    if energy is None:
        key = None if scenario.weather is not None else (
            scenario.site, scenario.plant, getattr(scenario.tariff, "time_of_use", None),
            scenario.weather_fill_gaps_hours, scenario.weather_accept,
        )  # fmt: skip
        kept = _EMBEDDED_YEAR_PROFILES.get(key)
        if kept is not None:
            return _copied(kept)
        weather = weather_stage.resolve(
            scenario.weather, scenario.site, scenario.weather_fill_gaps_hours, scenario.weather_accept
        )
        hourly = plant_stage.hourly_energy(scenario.plant, weather, scenario.site)
        profile = profile_from_hourly(hourly, scenario.tariff)
        if key is not None:
            with _EMBEDDED_YEAR_LOCK:  # runs on several threads (the app) keep it whole
                while len(_EMBEDDED_YEAR_PROFILES) >= 8:
                    _EMBEDDED_YEAR_PROFILES.pop(next(iter(_EMBEDDED_YEAR_PROFILES)))
                _EMBEDDED_YEAR_PROFILES[key] = _copied(profile)
        return profile
    try:
        values = np.asarray(energy, float)
    except (TypeError, ValueError):
        raise InputError(
            f"energy = {str(energy)[:60]!r} is not allowed: give 12 monthly or 8,760 hourly values [kWh] as numbers"
        ) from None
    if values.shape == (12,):
        check_array("energy", values, length=12, minimum=0)
        days = pd.date_range(f"{_TYPICAL_YEAR}-01-01", periods=DAYS_PER_TYPICAL_YEAR, freq="D")
        daily = values[days.month - 1] / days.days_in_month.to_numpy()
        if getattr(scenario.tariff, "time_of_use", None) is not None:
            raise InputError(
                "energy: 12 monthly values cannot be priced by time of use; give 8,760 hourly values"
            )
        return EnergyProfile(energy_kwh=daily, priced_energy_kwh=daily)
    if values.shape == (8760,):
        check_array("energy", values, length=8760, minimum=0)
        index = pd.date_range(
            f"{_TYPICAL_YEAR}-01-01", periods=8760, freq="h", tz=scenario.site.timezone
        )
        return profile_from_hourly(pd.Series(values, index=index, name="energy_kwh"), scenario.tariff)
    raise InputError(
        f"energy has shape {values.shape}: give 12 monthly or 8,760 hourly values [kWh]"
    )


def monthly_energy_kwh(daily_kwh: np.ndarray, months: pd.DataFrame) -> np.ndarray:
    """Sum a typical year's daily energy into each accounting month of the life [kWh].

    ``daily_kwh`` has shape (..., 365); the result (..., n_months). A real date takes the
    energy of the same day of the typical year (29 February takes 28 February's).
    """
    days = pd.date_range(months["start_date"].iloc[0], months["end_date"].iloc[-1], inclusive="left")
    daily_life = np.take(daily_kwh, day_of_year_index(days), axis=-1)
    first_day = np.concatenate([[0], np.cumsum(months["days"].to_numpy())[:-1]])
    return np.add.reduceat(daily_life, first_day, axis=-1)


def _family_average(per_class: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Family-weighted mean over the class axis (-2) of (..., classes, months) [same unit]."""
    if per_class.shape[-2] == 1:  # one class: einsum's own sum, 0 + x w, without its overhead
        return per_class[..., 0, :] * weights[0] + 0.0
    return np.einsum("...kn,k->...n", per_class, weights)


# --------------------------------------------------------------------------- the chain
# energy -> price -> bills -> collected -> booked: each stage a function over arrays of
# shape (..., n_months), called in this order by simulate, the Monte Carlo and tracking.


def energy_by_weather_year(
    table_kwh: np.ndarray, weather_index: np.ndarray, yearly_factor: np.ndarray, year_of_month: np.ndarray
) -> np.ndarray:
    """Each path's energy per month [kWh], shape (paths, months).

    Parameters
    ----------
    table_kwh : numpy.ndarray
        Energy of every month for every weather year before degradation [kWh], shape
        (weather years, months).
    weather_index : numpy.ndarray of int
        Each path's weather year in each operating year [-], shape (paths, years).
    yearly_factor : numpy.ndarray
        Each path's availability, soiling and degradation factor in each operating year
        [-], shape (paths, years).
    year_of_month : numpy.ndarray of int
        Operating year (0-based) of each month [-], shape (months,).
    """
    n_paths, n_years = weather_index.shape
    n_months = table_kwh.shape[-1]
    if n_months == 12 * n_years and (year_of_month == np.arange(n_months) // 12).all():
        # whole operating years: copy each drawn year's twelve months at once
        energy = table_kwh.reshape(-1, n_years, 12)[weather_index, np.arange(n_years)]
        energy *= yearly_factor[:, :, None]
        return energy.reshape(n_paths, n_months)
    energy = table_kwh[weather_index[:, year_of_month], np.arange(n_months)]
    energy *= yearly_factor[:, year_of_month]
    return energy


def price_paths(
    tariff, months: pd.DataFrame, cpi_index, fx_index, fx_index_before_operation, payment: Payment
) -> np.ndarray:
    """The price of each month's energy under one tariff [rial/kWh], shape of ``cpi_index``.

    ``payment`` tells when each month's bill is paid, for a euro window that ends at the
    payment month (see :func:`solarcoop.tariff.price_rial_per_kwh`).
    """
    return tariff_stage.price_rial_per_kwh(
        tariff,
        months,
        cpi_index,
        fx_index,
        fx_index_before_operation,
        months_to_payment=payment_stage.months_to_payment(payment, len(months)),
    )


def bill_paths(priced_energy_kwh: np.ndarray, price_rial_per_kwh: np.ndarray) -> np.ndarray:
    """What each month's energy is billed [rial]: priced energy times price.

    >>> bill_paths(np.array([100.0, 200.0]), np.array([50.0, 40.0])).tolist()
    [5000.0, 8000.0]
    """
    return priced_energy_kwh * price_rial_per_kwh


def collect_paths(billed_rial: np.ndarray, payment: Payment, groups=None) -> dict[str, np.ndarray]:
    """Cash collected each month from the bills, and what is still owed after the last.

    Parameters
    ----------
    billed_rial : numpy.ndarray
        Each month's bill [rial], shape (..., n_months).
    payment : Payment
        The billing and payment terms.
    groups : iterable of (Payment, mask), optional
        Paths (rows of ``billed_rial``) collected under terms of their own, each group
        with ``payment``'s billing period; then the discount and penalty lines are
        returned only when some group's terms have them (zero on the other paths).

    Returns
    -------
    dict of numpy.ndarray
        ``revenue_collected_rial`` (..., n_months), ``revenue_owed_at_end_rial`` (...),
        and without ``groups`` ``revenue_bond_discount_rial`` and
        ``revenue_late_penalty_rial`` (..., n_months) [rial].
    """
    if groups is None:
        collection = payment_stage.collect_lines(billed_rial, payment)
        return {
            "revenue_collected_rial": collection["collected_rial"],
            "revenue_owed_at_end_rial": collection["owed_at_end_rial"],
            "revenue_bond_discount_rial": collection["bond_discount_rial"],
            "revenue_late_penalty_rial": collection["late_penalty_rial"],
        }
    collected = np.empty_like(billed_rial)
    owed_at_end = np.empty(len(billed_rial))
    if not np.isfinite(billed_rial).all():
        raise InputError("billed_rial must be finite (a NaN or infinity reached the revenue)")
    bills, bill_month = payment_stage.bills_by_period(billed_rial, payment.billing_months)  # once for all
    n_months = billed_rial.shape[-1]
    out = {"revenue_collected_rial": collected, "revenue_owed_at_end_rial": owed_at_end}
    for terms, members in groups:
        if terms.billing_months != payment.billing_months:
            raise InputError(
                f"payment.billing_months = {terms.billing_months}: a drawn reading may not change the billing period"
            )
        # the accrual books need what bonds lost and penalties added, where the terms have them
        changed = terms.deferred_delay_months is not None and (
            terms.late_penalty_per_year > 0 or (terms.settled_in == "bonds" and terms.bond_discount > 0)
        )
        lines = payment_stage.collect_bills(bills[members], bill_month, n_months, terms, discount_and_penalty=changed)
        collected[members], owed_at_end[members] = lines["collected_rial"], lines["owed_at_end_rial"]
        if changed:
            for line, name in (("bond_discount_rial", "revenue_bond_discount_rial"), ("late_penalty_rial", "revenue_late_penalty_rial")):
                if name not in out:
                    out[name] = np.zeros_like(billed_rial)
                out[name][members] = lines[line]
    return out


def revenue_paths(
    scenario: Scenario,
    months: pd.DataFrame,
    energy_kwh: np.ndarray,
    priced_energy_kwh: np.ndarray,
    cpi_index: np.ndarray,
    fx_index: np.ndarray,
    payment: Payment,
) -> dict[str, np.ndarray]:
    """What the ledger takes in under the scenario's tariff and ``payment``: the
    :data:`solarcoop.lines.REVENUE_LINES` and the collection's other lines (see
    :func:`collect_paths`), arrays (..., n_months)."""
    price = price_paths(
        scenario.tariff, months, cpi_index, fx_index,
        economy_stage.fx_index_before_operation(scenario.economy), payment,
    )  # fmt: skip
    billed = bill_paths(priced_energy_kwh, price)
    return {
        "energy_kwh": energy_kwh,
        "priced_energy_kwh": priced_energy_kwh,
        "price_rial_per_kwh": price,
        "cpi_index": cpi_index,
        "revenue_billed_rial": billed,
        **collect_paths(billed, payment),
    }


def book_revenue(
    scenario: Scenario,
    months: pd.DataFrame,
    revenue: dict[str, np.ndarray],
    *,
    billing_months: int | None = None,
    by_class: bool = False,
    lines: Collection[str] | None = None,
    tax_rate_by_path=None,
    tax_exempt_years_by_path=None,
) -> dict[str, np.ndarray]:
    """Book what the ledger took in: :func:`book_paths` on the lines of ``revenue``.

    ``revenue`` holds the :data:`solarcoop.lines.REVENUE_LINES` and
    ``revenue_owed_at_end_rial``; ``billing_months`` defaults to the scenario's. The
    other arguments and the returns are :func:`book_paths`'s.
    """
    return book_paths(
        scenario,
        months,
        energy_kwh=revenue["energy_kwh"],
        priced_energy_kwh=revenue["priced_energy_kwh"],
        cpi_index=revenue["cpi_index"],
        price_rial_per_kwh=revenue["price_rial_per_kwh"],
        billed_rial=revenue["revenue_billed_rial"],
        collected_rial=revenue["revenue_collected_rial"],
        owed_at_end_rial=revenue["revenue_owed_at_end_rial"],
        billing_months=scenario.payment.billing_months if billing_months is None else billing_months,
        by_class=by_class,
        lines=lines,
        tax_rate_by_path=tax_rate_by_path,
        tax_exempt_years_by_path=tax_exempt_years_by_path,
        late_penalty_rial=revenue.get("revenue_late_penalty_rial", 0.0),
        bond_discount_rial=revenue.get("revenue_bond_discount_rial", 0.0),
    )


def money_paths(
    scenario: Scenario,
    months: pd.DataFrame,
    energy_kwh: np.ndarray,
    priced_energy_kwh: np.ndarray,
    cpi_index: np.ndarray,
    fx_index: np.ndarray,
    *,
    payment: Payment | None = None,
    by_class: bool = False,
) -> dict[str, np.ndarray]:
    """Every money line of every month, for one or many paths.

    Parameters
    ----------
    scenario : Scenario
    months : pandas.DataFrame
        From :func:`solarcoop.calendar.accounting_months`.
    energy_kwh, priced_energy_kwh : numpy.ndarray
        Energy sold each month after degradation [kWh], shape (..., n_months).
    cpi_index, fx_index : numpy.ndarray
        Consumer prices and euro rate relative to the first month [-], (..., n_months).
    payment : Payment, optional
        Replaces ``scenario.payment`` (for example a drawn payment delay).
    by_class : bool
        Also return the ``class_*`` lines of each member class, shape
        (..., n_classes, n_months), classes in the order of
        :func:`solarcoop.books.members.resolve_member_classes`.

    Returns
    -------
    dict of numpy.ndarray
        Arrays of shape (..., n_months) named as the columns of ``Result.monthly``,
        ``revenue_owed_at_end_rial`` of shape (...), and with ``by_class`` the
        ``class_*`` arrays.

    Notes
    -----
    The ``*_per_family_*`` lines are those of the average family: the family-weighted
    mean over member classes (total over all families divided by the number of
    families); with the default single class they are that class's family. Per-class
    lines are in ``Result.by_class``.
    """
    payment = scenario.payment if payment is None else payment
    revenue = revenue_paths(scenario, months, energy_kwh, priced_energy_kwh, cpi_index, fx_index, payment)
    lines = book_revenue(scenario, months, revenue, billing_months=payment.billing_months, by_class=by_class)
    lines["revenue_bond_discount_rial"] = revenue["revenue_bond_discount_rial"]
    lines["revenue_late_penalty_rial"] = revenue["revenue_late_penalty_rial"]
    return lines


def funding(scenario: Scenario) -> dict[str, float]:
    """Who paid for the scenario's plant, in rial (see :func:`solarcoop.books.capital.funding_sources`).

    Adds ``capital_cost_rial`` and ``sponsor_share_of_distributions``: the sponsor's
    equity over the owners' capital (families' shares plus sponsor equity) [fraction].
    """
    classes = resolve_member_classes(scenario.member_classes, scenario.cooperative.families, scenario.loan)
    family_shares = shares_held(classes) * scenario.share_price_rial
    paid = paid_by_stated_sources_rial(family_shares, scenario.funding, scenario.debt)
    capital_rial = capital_cost_rial(scenario.costs, scenario.plant.capacity_kwp, paid)
    sources = funding_sources(capital_rial, family_shares, scenario.funding, scenario.debt)
    owners = sources["family_shares_rial"] + sources["sponsor_equity_rial"]
    sponsor_share = sources["sponsor_equity_rial"] / owners if owners > 0 else 0.0
    return {"capital_cost_rial": capital_rial, **sources, "sponsor_share_of_distributions": sponsor_share}


def _book_lines_needed(lines: Collection[str]) -> list[str]:
    """The lines of :func:`solarcoop.books.ledger.book_months` that :func:`book_paths` needs
    to return ``lines``: those asked for, the distributions, and what the cash available
    for debt service and the reserves' balance are made of when they are asked for."""
    needed = {"distributed_rial", "reserve_paid_for_instalments_rial", *(set(lines) & set(BOOK_LINES))}
    if {"cash_available_for_debt_service_rial", "debt_service_coverage_ratio"} & set(lines):
        needed |= {"tax_paid_rial", "replacement_reserve_rial", "replacement_spent_rial", "debt_service_rial"}
    if "reserves_balance_rial" in lines:
        needed.add("reserves_rial")
    return [name for name in BOOK_LINES if name in needed]


def book_paths(
    scenario: Scenario,
    months: pd.DataFrame,
    *,
    energy_kwh: np.ndarray,
    priced_energy_kwh: np.ndarray,
    cpi_index: np.ndarray,
    price_rial_per_kwh: np.ndarray,
    billed_rial: np.ndarray,
    collected_rial: np.ndarray,
    owed_at_end_rial,
    billing_months: int,
    by_class: bool = False,
    lines: Collection[str] | None = None,
    tax_rate_by_path=None,
    tax_exempt_years_by_path=None,
    late_penalty_rial=0.0,
    bond_discount_rial=0.0,
) -> dict[str, np.ndarray]:
    """The ledger after revenue: costs, debt, tax, reserves, distributions, families.

    :func:`money_paths` prices and collects, then calls this; the Monte Carlo calls it
    directly once it has priced and collected each path under its own drawn terms.
    Arguments and returns as :func:`money_paths` (all arrays (..., n_months)), and:

    - ``lines``: the names of the lines to return (default: all); lines derived from
      others (the family averages, real terms, debt-service cover, balances) are
      computed only when asked for. A name that is not a line raises an ``InputError``.
    - ``tax_rate_by_path``, ``tax_exempt_years_by_path``: each path's tax terms, shape
      (...), in place of the cooperative's (see :func:`solarcoop.books.ledger.book_months`).
    - ``late_penalty_rial``, ``bond_discount_rial``: the collection's penalties and what
      was lost selling bonds, (..., n_months) [rial]: on accrual the income is the bills
      plus penalties less that loss (:func:`solarcoop.books.capital.income_rial`).

    Under ``cooperative.end_of_life_settlement = "owed_collected_and_distributed"`` the
    revenue still owed is collected in the last month, so ``revenue_owed_at_end_rial``
    is then zero.
    """
    ledger = ledger_inputs(
        scenario, months, energy_kwh=energy_kwh, cpi_index=cpi_index, billed_rial=billed_rial,
        collected_rial=collected_rial, owed_at_end_rial=owed_at_end_rial, billing_months=billing_months,
        lines=lines, tax_rate_by_path=tax_rate_by_path, tax_exempt_years_by_path=tax_exempt_years_by_path,
        late_penalty_rial=late_penalty_rial, bond_discount_rial=bond_discount_rial,
    )  # fmt: skip
    books = book_months(**ledger.arguments)
    return ledger_lines(
        ledger, books, priced_energy_kwh=priced_energy_kwh, price_rial_per_kwh=price_rial_per_kwh,
        by_class=by_class, lines=lines,
    )  # fmt: skip


@dataclasses.dataclass(frozen=True, slots=True)
class LedgerInputs:
    """What :func:`book_paths` works out before the month-by-month books: ``arguments``
    for :func:`solarcoop.books.ledger.book_months`, and in ``context`` what the lines after
    the books are made of (the scenario, the months, the revenue, the costs, the debt, the
    replacement, the members and their loans)."""

    arguments: dict
    context: dict


_SCENARIO_PARTS: dict = {}
"""The ledger's parts that depend only on a scenario and its months, kept while the two
are in use: a Monte Carlo books the same few dozen scenarios (its drawn readings) at
every chunk, and a goal seek on the price at every trial (:func:`ledger_scenario_parts`)."""

LEDGER_SCENARIO_FIELDS = ("plant", "costs", "cooperative", "loan", "member_classes", "debt", "funding")
"""The scenario's fields :func:`ledger_scenario_parts` reads (the plant for its capacity);
scenarios that agree on them share their parts."""


def ledger_scenario_parts(scenario: Scenario, months: pd.DataFrame) -> dict:
    """What :func:`ledger_inputs` and :func:`ledger_lines` take from the scenario alone
    (its funding, the plant's cost, its depreciation, the cooperative's debt, the member
    classes and their loans, the tax terms, the payout months), worked out once for the
    scenario's :data:`LEDGER_SCENARIO_FIELDS` and its months and then reused: numbers,
    lines a month (months,) and lines of each class (classes, months); the arrays are
    read-only."""
    read = tuple(getattr(scenario, name) for name in LEDGER_SCENARIO_FIELDS)
    key = (read, id(months))
    cached = _SCENARIO_PARTS.get(key)
    if cached is not None and cached[0] == read and cached[1] is months:
        return cached[2]
    costs, cooperative = scenario.costs, scenario.cooperative
    sources = funding(scenario)
    capital_rial = sources["capital_cost_rial"]
    if costs.capital_cost_rial_per_kwp is None:  # the plant cost what its stated sources paid
        costs = dataclasses.replace(costs, capital_cost_rial_per_kwp=capital_rial / scenario.plant.capacity_kwp)
    n_months = len(months)
    classes = resolve_member_classes(scenario.member_classes, cooperative.families, scenario.loan)
    families = np.array([c.families for c in classes], float)
    # the plant's depreciation and a grant's income; the ledger writes off the replacement
    plant_written_off = depreciation_lines(
        capital_rial, sources["grant_rial"], cooperative.grant_rule, costs.depreciation_years, np.zeros(n_months)
    )
    loans = loan_schedules(classes, n_months)
    debt = debt_schedule(scenario.debt, capital_rial, sources["debt_rial"], n_months)
    weights = families / families.sum()
    parts = {
        "capital_rial": capital_rial,
        "costs": costs,
        "fixed_costs_rial_per_year": fixed_costs_rial_per_year(costs, scenario.plant.capacity_kwp),
        "families": families,
        "shares": np.array([c.shares_per_family for c in classes], float),
        "shortfall": np.array([c.loan.shortfall for c in classes]),
        "debt_service_rial": debt["debt_service_rial"],
        "debt_interest_rial": debt["debt_interest_rial"],
        "debt_balance_rial": debt["debt_balance_rial"],
        "plant_depreciation_rial": plant_written_off["depreciation_rial"],
        "grant_income_rial": plant_written_off["grant_income_rial"],
        "depreciation_rial": plant_written_off["depreciation_rial"] - plant_written_off["grant_income_rial"],
        "instalments": loans["instalment_rial"],
        "balances": loans["balance_rial"],
        "instalments_due_rial": families @ loans["instalment_rial"],
        "loan_instalment_per_family_rial": loans["instalment_rial"].T @ weights,
        "loan_balance_per_family_rial": loans["balance_rial"].T @ weights,
        "share_capital_rial": sources["family_shares_rial"] + sources["sponsor_equity_rial"],
        "family_share": 1.0 - sources["sponsor_share_of_distributions"],
        "tax_rate_after_discount": cooperative.tax_rate_after_discount,
        "tax_exempt_years": cooperative.tax_exempt_years,
        "operating_year": months["operating_year"].to_numpy(),
        "fiscal_year": months["year"].to_numpy(),
        "month_of_fiscal_year": months["month_of_year"].to_numpy(),
        "payout_month": payout_months(cooperative, n_months),
    }
    for value in parts.values():
        if isinstance(value, np.ndarray) and value.flags.owndata:
            value.flags.writeable = False
    if len(_SCENARIO_PARTS) > 256:
        _SCENARIO_PARTS.clear()
    _SCENARIO_PARTS[key] = (read, months, parts)
    return parts


def ledger_inputs(
    scenario: Scenario,
    months: pd.DataFrame,
    *,
    energy_kwh: np.ndarray,
    cpi_index: np.ndarray,
    billed_rial: np.ndarray,
    collected_rial: np.ndarray,
    owed_at_end_rial,
    billing_months: int,
    lines: Collection[str] | None = None,
    tax_rate_by_path=None,
    tax_exempt_years_by_path=None,
    late_penalty_rial=0.0,
    bond_discount_rial=0.0,
    parts=None,
) -> LedgerInputs:
    """The books' inputs for :func:`solarcoop.books.ledger.book_months` (arguments as
    :func:`book_paths`): the first half of :func:`book_paths`.

    ``parts`` may give the scenario's parts of the ledger (default
    :func:`ledger_scenario_parts`), or, for paths booked together under the scenarios of
    their groups, :func:`path_parts` (``scenario`` is then one of those scenarios: they
    agree on everything else the ledger reads)."""
    billed, collected, owed_at_end = billed_rial, collected_rial, owed_at_end_rial
    shape = collected.shape
    cooperative = scenario.cooperative
    if cooperative.end_of_life_settlement == "owed_collected_and_distributed":
        collected, owed_at_end = collect_owed_at_end(collected, owed_at_end)
    parts = ledger_scenario_parts(scenario, months) if parts is None else parts
    costs, capital_rial = parts["costs"], parts["capital_rial"]
    costs_index = np.broadcast_to(cost_index(costs, cpi_index, months, scenario.lifetime_years), shape)
    operating_costs = operating_costs_rial(
        costs, scenario.plant.capacity_kwp, energy_kwh, costs_index,
        fixed_rial_per_year=by_path(parts["fixed_costs_rial_per_year"]),
    )  # fmt: skip
    operating_year = parts["operating_year"]
    reserve = inverter_replacement(
        costs, by_path(capital_rial), operating_year, costs_index,
        reserve_kept="inverter_replacement" not in cooperative.reserve_uses,  # else the precautionary reserve pays
    )  # fmt: skip
    income = income_rial(cooperative.books_basis, billed, late_penalty_rial, bond_discount_rial)
    deposit_rate = economy_stage.deposit_rate_per_month(scenario.economy, months, cpi_index)
    share = cooperative.working_cash_rate_share_of_deposit_rate
    if tax_rate_by_path is None and isinstance(parts, PathParts):  # each path its group's tax terms
        tax_rate_by_path = np.broadcast_to(parts["tax_rate_after_discount"], shape[:-1])
        tax_exempt_years_by_path = np.broadcast_to(parts["tax_exempt_years"], shape[:-1])
    arguments = dict(
        collected_rial=collected,
        operating_costs_rial=operating_costs,
        depreciation_rial=parts["depreciation_rial"],
        operating_year=operating_year,
        cooperative=cooperative,
        share_capital_rial=parts["share_capital_rial"],
        smoothing_months=cooperative.smoothing_months or billing_months,
        debt_service_rial=parts["debt_service_rial"],
        debt_interest_rial=parts["debt_interest_rial"],
        replacement_reserve_rial=reserve["replacement_reserve_rial"],
        replacement_spent_rial=reserve["replacement_spent_rial"],
        end_of_life_rial=end_of_life_rial(costs, capital_rial, costs_index),
        initial_cash_rial=cooperative.starting_cash_rial,
        deposit_rate_per_month=deposit_rate,
        instalments_due_rial=parts["instalments_due_rial"] if "instalment_shortfall" in cooperative.reserve_uses else 0.0,
        families_share_of_distribution=parts["family_share"],
        tax_rate_by_path=tax_rate_by_path,
        tax_exempt_years_by_path=tax_exempt_years_by_path,
        lines=None if lines is None else _book_lines_needed(lines),
        income_rial=income,
        fiscal_year=parts["fiscal_year"],
        month_of_fiscal_year=parts["month_of_fiscal_year"],
        working_cash_rate_share=None if share == 1 else share,
        payout_month=parts["payout_month"],
        replacement_depreciated=True,
    )
    context = {
        "scenario": scenario, "months": months, "shape": shape, "energy_kwh": energy_kwh, "cpi_index": cpi_index,
        "billed_rial": billed, "collected_rial": collected, "owed_at_end_rial": owed_at_end,
        "operating_costs_rial": operating_costs, "income_rial": income, "reserve": reserve, "parts": parts,
    }  # fmt: skip
    return LedgerInputs(arguments, context)


def by_path(values):
    """A number as it is, or one value a path (paths,) as a column (paths, 1) that
    multiplies the paths' months."""
    return values[..., None] if np.ndim(values) else values


LEDGER_PART_LINES = (
    "grant_income_rial", "debt_interest_rial", "debt_balance_rial", "loan_instalment_per_family_rial",
    "loan_balance_per_family_rial",
)  # fmt: skip
"""Lines of :func:`ledger_lines` that are parts of the ledger (:func:`ledger_scenario_parts`):
the same on every path of a scenario."""


def ledger_lines(
    ledger: LedgerInputs,
    books: dict[str, np.ndarray],
    *,
    priced_energy_kwh: np.ndarray,
    price_rial_per_kwh: np.ndarray,
    by_class: bool = False,
    lines: Collection[str] | None = None,
) -> dict[str, np.ndarray]:
    """The lines of :func:`book_paths` from its books (``books``: what
    :func:`solarcoop.books.ledger.book_months` returned for ``ledger.arguments``): the
    second half of :func:`book_paths`."""
    c = ledger.context
    scenario, months, shape, energy_kwh, cpi_index = (
        c[name] for name in ("scenario", "months", "shape", "energy_kwh", "cpi_index")
    )
    billed, collected, owed_at_end, operating_costs, income, reserve, parts = (
        c[name] for name in (
            "billed_rial", "collected_rial", "owed_at_end_rial", "operating_costs_rial", "income_rial", "reserve", "parts",
        )
    )  # fmt: skip
    families, shares, instalments, operating_year = (
        parts[name] for name in ("families", "shares", "instalments", "operating_year")
    )
    family_share = by_path(parts["family_share"])
    price = price_rial_per_kwh
    to_families = distributed_to_families(books["distributed_rial"], family_share, books["reserve_paid_for_instalments_rial"])
    per_class = class_payouts(to_families, families, shares, instalments, parts["shortfall"])
    weights = families / families.sum()
    per_family = to_families / families.sum()

    def full(values):
        return np.broadcast_to(values, shape)

    @functools.cache
    def real():
        return economy_stage.real_money_factor(scenario.economy, months, cpi_index, scenario.real_money_month)

    @functools.cache
    def available():
        return cash_available_for_debt_service(
            collected, operating_costs, books["tax_paid_rial"], books["replacement_reserve_rial"], books["replacement_spent_rial"]
        )

    @functools.cache
    def payout():
        return _family_average(per_class["payout_rial"], weights)

    @functools.cache
    def cash_flow():
        return _family_average(per_class["family_cash_flow_rial"], weights)

    given = {
        "energy_kwh": energy_kwh,
        "priced_energy_kwh": priced_energy_kwh,
        "price_rial_per_kwh": full(price),
        "cpi_index": full(cpi_index),
        "revenue_billed_rial": billed,
        "revenue_collected_rial": collected,
        "operating_costs_rial": full(operating_costs),
        "income_rial": collected if income is None else full(income),
        **books,
        "distributed_to_families_rial": to_families,
        "replacement_reserve_balance_rial": full(reserve["replacement_reserve_balance_rial"]),
        "distribution_per_family_rial": per_family,
        "revenue_owed_at_end_rial": owed_at_end,
    }
    def part(name):
        return lambda: full(parts[name])

    derived = {  # computed (or spread to the paths from their groups' parts) only when asked for
        **{name: part(name) for name in LEDGER_PART_LINES},
        "depreciation_rial": lambda: full(
            parts["plant_depreciation_rial"] + replacement_depreciation_rial(reserve["replacement_spent_rial"])
        ),
        "distributed_to_sponsor_rial": lambda: distributed_to_sponsor(books["distributed_rial"], family_share),
        "cash_available_for_debt_service_rial": available,
        "debt_service_coverage_ratio": lambda: debt_service_coverage(
            available(), books["debt_service_rial"], operating_year
        )["monthly"],
        "reserves_balance_rial": lambda: running(np.add, books["reserves_rial"], axis=-1),
        "distribution_per_family_real_rial": lambda: per_family * real(),
        "paid_to_lender_per_family_rial": lambda: _family_average(per_class["paid_to_lender_rial"], weights),
        "paid_from_pocket_per_family_rial": lambda: _family_average(per_class["paid_from_pocket_rial"], weights),
        "arrears_per_family_rial": lambda: _family_average(per_class["arrears_rial"], weights),
        "payout_per_family_rial": payout,
        "payout_per_family_real_rial": lambda: payout() * real(),
        "family_cash_flow_rial": cash_flow,
        "family_cash_flow_real_rial": lambda: cash_flow() * real(),
    }
    if by_class:
        class_shape = shape[:-1] + instalments.shape[-2:]
        given.update(
            {
                "class_distribution_per_family_rial": per_class["distribution_per_family_rial"],
                "class_loan_instalment_per_family_rial": np.broadcast_to(instalments, class_shape),
                "class_paid_to_lender_per_family_rial": per_class["paid_to_lender_rial"],
                "class_paid_from_pocket_per_family_rial": per_class["paid_from_pocket_rial"],
                "class_arrears_per_family_rial": per_class["arrears_rial"],
                "class_payout_per_family_rial": per_class["payout_rial"],
                "class_family_cash_flow_rial": per_class["family_cash_flow_rial"],
                "class_loan_balance_per_family_rial": np.broadcast_to(parts["balances"], class_shape),
            }
        )
        derived.update(
            {
                "class_payout_per_family_real_rial": lambda: per_class["payout_rial"] * real()[..., None, :],
                "class_family_cash_flow_real_rial": lambda: per_class["family_cash_flow_rial"] * real()[..., None, :],
            }
        )
    if lines is None:  # every line, in the order of Result.monthly
        lines = [name for name in LEDGER_LINES if name in given or name in derived]
    unknown = [name for name in lines if name not in given and name not in derived]
    if unknown:
        raise InputError(f"kept = {unknown[0]!r} is not a monthly line: choose from {sorted([*given, *derived])}")
    return {name: given[name] if name in given else derived[name]() for name in lines}


class PathParts(Mapping):
    """The parts of the ledger (:func:`ledger_scenario_parts`) of paths booked together,
    each path under the scenario of its group: a part every group shares is the shared
    part itself; a part that differs is each group's value spread to its paths with one
    index, (paths,) from numbers, (paths, months) from lines a month (laid out
    month-major underneath, as :func:`solarcoop.books.ledger.book_months` reads them),
    (paths, classes, months) from lines of each class. A part is spread when first read,
    from the groups' table of it (:func:`group_table`), made once for the same scenarios.
    ``costs`` is the first group's (the groups' costs differ at most by the capital cost,
    which the ledger reads through ``capital_rial`` and ``fixed_costs_rial_per_year``).
    Made by :func:`path_parts`."""

    def __init__(self, parts: list[dict], group_of_path: np.ndarray, tables: dict | None = None):
        self._parts, self._group_of_path, self._read = parts, group_of_path, {}
        self._tables = {} if tables is None else tables

    def __getitem__(self, name: str):
        if name not in self._read:
            if name == "costs":
                self._read[name] = self._parts[0][name]
            else:
                if name not in self._tables:
                    self._tables[name] = group_table([part[name] for part in self._parts])
                self._read[name] = spread_table(self._tables[name], self._group_of_path)
        return self._read[name]

    def __iter__(self):
        return iter(self._parts[0])

    def __len__(self) -> int:
        return len(self._parts[0])


def group_table(values: list) -> tuple[bool, object]:
    """The groups' values of one part, ready to spread (:func:`spread_table`): ``(True,
    value)`` when every group's is the same to the bit, else ``(False, table)``, the values
    stacked with the axes reversed, (..., groups) (a line a month: (months, groups))."""
    if _same_value(values):
        return True, values[0]
    return False, np.ascontiguousarray(np.stack([np.asarray(value) for value in values]).T)


def spread_table(table: tuple[bool, object], group_of_path: np.ndarray):
    """A part spread to the paths from its :func:`group_table`: the shared value itself, or
    each path's group's value, the paths' axis first, laid out with the axes reversed
    underneath (a line a month is month-major, as the books read it and return their
    lines)."""
    shared, values = table
    return values if shared else np.take(values, group_of_path, axis=-1).T


def spread(values: list, group_of_path: np.ndarray):
    """Each group's value (a number or an array, all of one shape) spread to its paths:
    ``values[group_of_path]`` (see :func:`spread_table`); the shared value itself when
    every group's is the same to the bit.

    >>> spread([1.0, 2.0], np.array([1, 0, 1])).tolist()
    [2.0, 1.0, 2.0]
    >>> spread([np.arange(3.0), np.arange(3.0)], np.array([1, 0])).tolist()
    [0.0, 1.0, 2.0]
    """
    return spread_table(group_table(values), group_of_path)


_PER_PATH_TERMS = ("income_tax_rate", "tax_discount", "tax_exempt_years", "payout_cadence", "first_payout_month_index")
"""The cooperative's terms that may differ between groups booked together: the tax terms
(per-path tax terms) and the payout months (a per-path ``payout_month``)."""

_GROUPS_PARTS: dict = {}
"""For the scenarios of groups booked together and their months (by identity): the
scenarios' parts of the ledger, or ``None`` when they cannot be booked together, and the
tables of the parts spread so far; a Monte Carlo books the same groups at every chunk."""


def path_parts(scenarios: list[Scenario], group_of_path: np.ndarray, months: pd.DataFrame) -> PathParts | None:
    """The parts of the ledger of paths booked together, each under the scenario of its
    group (``scenarios[group_of_path]``), as :class:`PathParts`; ``None`` when the
    scenarios differ by more than what the ledger reads path by path: who paid the
    plant and its cost, the cooperative's debt, the members' loans, the tax terms and the
    payout months. A path's books do not depend on the paths booked with it, so every
    number equals its group's own books."""
    key = (tuple(id(scenario) for scenario in scenarios), id(months))
    cached = _GROUPS_PARTS.get(key)
    if cached is None or cached[1] is not months or any(a is not b for a, b in zip(cached[0], scenarios, strict=True)):
        if len(_GROUPS_PARTS) > 64:
            _GROUPS_PARTS.clear()
        cached = (tuple(scenarios), months, _parts_booked_together(scenarios, months), {})
        _GROUPS_PARTS[key] = cached
    parts, tables = cached[2], cached[3]
    return None if parts is None else PathParts(parts, group_of_path, tables)


def _parts_booked_together(scenarios: list[Scenario], months: pd.DataFrame) -> list[dict] | None:
    """Each scenario's parts of the ledger, or ``None`` when the scenarios differ by more
    than what the ledger reads path by path (see :func:`path_parts`)."""
    first = scenarios[0]
    parts = [ledger_scenario_parts(scenario, months) for scenario in scenarios]
    read = (first.economy, first.real_money_month, first.lifetime_years, first.plant.capacity_kwp)
    for scenario, part in zip(scenarios[1:], parts[1:], strict=True):
        if (scenario.economy, scenario.real_money_month, scenario.lifetime_years, scenario.plant.capacity_kwp) != read:
            return None
        if not _same_but(scenario.cooperative, first.cooperative, _PER_PATH_TERMS):
            return None
        if not _same_but(part["costs"], parts[0]["costs"], ("capital_cost_rial_per_kwp",)):
            return None
        if not (_same_value([part["families"], parts[0]["families"]]) and _same_value([part["shares"], parts[0]["shares"]])):
            return None
    return parts


def _same_but(one, other, names) -> bool:
    """Whether two specs of one kind agree on every field but ``names``."""
    return one is other or all(
        getattr(one, field.name) == getattr(other, field.name)
        for field in dataclasses.fields(one)
        if field.name not in names
    )


def _same_value(values: list) -> bool:
    """Whether every value is the first, to the bit (``None``, numbers or arrays; +0.0 and
    -0.0 differ)."""
    first = values[0]
    if first is None:
        return all(value is None for value in values)
    if any(value is None for value in values):
        return False
    first = np.asarray(first)
    others = [np.asarray(value) for value in values[1:]]
    return all(
        other.shape == first.shape and other.dtype == first.dtype and other.tobytes() == first.tobytes()
        for other in others
    )


def _paid_off_month(balance_rial: np.ndarray, arrears_rial: np.ndarray) -> np.ndarray:
    """First month index with nothing owed (to half a rial); n_months if never [-]."""
    clear = (balance_rial <= 0.5) & (arrears_rial <= 0.5)
    return np.where(clear.any(axis=-1), np.argmax(clear, axis=-1), clear.shape[-1])


OWED_RIAL = 0.5
"""A family owes withheld instalments in a month whose arrears exceed half a rial [rial]."""


def family_debt(arrears_rial, instalment_rial, real_money_factor) -> dict[str, np.ndarray]:
    """What a family owes in withheld instalments, path by path: the one definition the
    single run's summary, the Monte Carlo and every output read.

    Parameters
    ----------
    arrears_rial : array_like
        The average family's unpaid instalments at each month's end (the ledger's
        ``arrears_per_family_rial``) [rial], shape (..., n_months).
    instalment_rial : array_like
        Its loan instalment due each month (``loan_instalment_per_family_rial``) [rial],
        shape (..., n_months).
    real_money_factor : array_like
        Multiplies each month's nominal rial into money of the real money month [-],
        broadcast against ``arrears_rial``.

    Returns
    -------
    dict of numpy.ndarray
        Shape (...) each:

        - ``family_arrears_max_rial``: the most owed at a month's end, nominal [rial].
        - ``family_arrears_max_real_rial``: the most owed in real money: each month's
          arrears in money of the real money month, the largest of them [rial]. (Not the
          nominal most deflated: a debt owed early, before prices rose, can weigh more.)
        - ``months_in_arrears``: months owing more than :data:`OWED_RIAL` [-].
        - ``arrears_cleared_month``: the first month index from which nothing withheld
          is owed to the end of the life: 0 if never owed, ``n_months`` if still owed
          at the end [-].
        - ``loan_last_due_month``: the month index of the last instalment due (-1
          without a loan) [-].
        - ``owes_after_loan_year``: whether anything withheld is still owed after the
          operating year of the last instalment due [bool].

    Examples
    --------
    Owed 30 in the first month, 50 in the second, cleared in the third (no inflation):

    >>> debt = family_debt([[30.0, 50.0, 0.0]], [[30.0, 30.0, 0.0]], 1.0)
    >>> debt["family_arrears_max_rial"], debt["months_in_arrears"], debt["arrears_cleared_month"]
    (array([50.]), array([2]), array([2]))
    """
    arrears_rial = np.asarray(arrears_rial, dtype=float)
    owing = arrears_rial > OWED_RIAL
    n_months = owing.shape[-1]
    last_owing = n_months - 1 - np.argmax(owing[..., ::-1], axis=-1)
    due = np.asarray(instalment_rial, dtype=float) > OWED_RIAL
    last_due = np.where(due.any(axis=-1), n_months - 1 - np.argmax(due[..., ::-1], axis=-1), -1)
    loan_year_end = np.where(last_due >= 0, (last_due // 12 + 1) * 12, n_months)  # first month after its year
    cleared = np.where(owing.any(axis=-1), last_owing + 1, 0)
    return {
        "family_arrears_max_rial": arrears_rial.max(axis=-1),
        "family_arrears_max_real_rial": (arrears_rial * real_money_factor).max(axis=-1),
        "months_in_arrears": owing.sum(axis=-1),
        "arrears_cleared_month": cleared,
        "loan_last_due_month": last_due,
        "owes_after_loan_year": cleared > loan_year_end,
    }


def path_kpis(scenario: Scenario, months: pd.DataFrame, lines: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The project's yardsticks for every path, from the lines of :func:`money_paths`.

    Returns
    -------
    dict of numpy.ndarray
        Shape (...) each:

        - ``project_npv_real_rial``: project cash flows (collected revenue less operating
          costs, tax, replacement spending and the end of life; the capital cost at the
          start) in money of the scenario's ``real_money_month``, discounted at
          ``costs.discount_rate_real_per_year`` [rial].
        - ``project_irr_nominal_per_year``, ``project_irr_real_per_year`` [fraction/year].
        - ``levelised_cost_real_rial_per_kwh``: capital plus real operating, replacement
          and end-of-life costs over energy, both discounted at the real rate [rial/kWh].
        - ``debt_service_coverage_ratio_min``: lowest yearly DSCR (NaN without debt) [-].
        - ``loan_paid_off_month``: first month index in which no family owes anything on
          its loan (``n_months`` if never) [-].
        - what the family owes in withheld instalments: the figures of
          :func:`family_debt` (``family_arrears_max_rial``, its real twin,
          ``months_in_arrears``, ``arrears_cleared_month``, ...).

        Project flows are before financing (the cooperative's debt and the families'
        loans are left out); tax is what was paid.
    """
    capital_rial = funding(scenario)["capital_cost_rial"]
    rate = scenario.costs.discount_rate_real_per_year
    to_real = economy_stage.real_money_factor(scenario.economy, months, lines["cpi_index"], scenario.real_money_month)
    at_start = to_real[..., :1]  # the capital is paid at the first month's prices
    project = (
        lines["revenue_collected_rial"] - lines["operating_costs_rial"] - lines["tax_paid_rial"]
        - lines["replacement_spent_rial"] - lines["end_of_life_rial"]
    )  # fmt: skip
    start = np.full(project.shape[:-1] + (1,), -capital_rial)
    nominal = np.concatenate([start, project], axis=-1)
    real = np.concatenate([start * at_start, project * to_real], axis=-1)
    costs_real = (
        lines["operating_costs_rial"] + lines["replacement_spent_rial"] + lines["end_of_life_rial"]
    ) * to_real
    coverage = debt_service_coverage(
        lines["cash_available_for_debt_service_rial"],
        lines["debt_service_rial"],
        months["operating_year"].to_numpy(),
    )["yearly"]
    with np.errstate(invalid="ignore"):
        coverage_min = np.where(np.isnan(coverage).all(axis=-1), np.nan, np.nanmin(
            np.where(np.isnan(coverage), np.inf, coverage), axis=-1))
    share_rial = lines_share_per_family_rial(scenario)
    return {
        "project_npv_real_rial": npv_rial(rate, real),
        "project_irr_nominal_per_year": irr_per_year(nominal),
        "project_irr_real_per_year": irr_per_year(real),
        "levelised_cost_real_rial_per_kwh": levelised_cost_rial_per_kwh(
            capital_rial * at_start[..., 0], costs_real, lines["energy_kwh"], rate
        ),
        "debt_service_coverage_ratio_min": coverage_min,
        "loan_paid_off_month": _paid_off_month(
            lines["loan_balance_per_family_rial"], lines["arrears_per_family_rial"]
        ),
        **family_share_return(share_rial * at_start[..., 0], lines["distribution_per_family_real_rial"]),
        **family_debt(lines["arrears_per_family_rial"], lines["loan_instalment_per_family_rial"], to_real),
    }


def lines_share_per_family_rial(scenario: Scenario) -> float:
    """The average family's paid-in share [rial]: shares held times the share price."""
    classes = resolve_member_classes(scenario.member_classes, scenario.cooperative.families, scenario.loan)
    shares = shares_held(classes) / sum(c.families for c in classes)
    return shares * scenario.share_price_rial


def family_share_return(share_rial: float, distribution_real_rial) -> dict[str, np.ndarray]:
    """What a family's share earns, in real money.

    The share is paid just before the first month; each month's distribution (before
    the loan instalment: the loan is how the share was paid, not what it earns) comes
    back; both in money of one month (the scenario's real money month).

    Returns
    -------
    dict of numpy.ndarray
        ``family_share_irr_real_per_year`` [fraction/year] (NaN if the share is never
        earned back) and ``family_share_payback_month``: first month index by whose end
        the real distributions add up to the share (``n_months`` if never) [-].

    >>> out = family_share_return(100.0, [0.0] * 11 + [110.0])
    >>> round(float(out["family_share_irr_real_per_year"]), 6), int(out["family_share_payback_month"])
    (0.1, 11)
    """
    flows = np.asarray(distribution_real_rial, float)
    share = np.broadcast_to(np.asarray(share_rial, float), flows.shape[:-1])[..., None]
    start = -share
    earned = np.cumsum(flows, axis=-1) >= share - 0.5
    return {
        "family_share_irr_real_per_year": irr_per_year(np.concatenate([start, flows], axis=-1)),
        "family_share_payback_month": np.where(earned.any(axis=-1), np.argmax(earned, axis=-1), flows.shape[-1]),
    }


@dataclasses.dataclass(frozen=True, eq=False)
class Result:
    """What a scenario pays, month by month.

    Attributes
    ----------
    scenario : Scenario
        The inputs.
    monthly : pandas.DataFrame
        One row per accounting month; money in rial, energy in kWh. The
        ``*_per_family_*`` columns are the average family's (family-weighted mean over
        member classes; the one class's family by default).
    annual : pandas.DataFrame
        One row per operating year.
    summary : pandas.Series
        Headline figures, units in their names. What the family owes in withheld
        instalments (``family_arrears_max_rial``, ``family_arrears_max_real_rial``,
        ``months_in_arrears``, ``arrears_cleared_label``, ``family_owes_after_loan_year``)
        is :func:`family_debt` of the run's one path, as every Monte Carlo path's is.
    hourly_energy_kwh : pandas.Series or None
        Year-one hourly energy at the meter, when the physics ran.
    by_class : pandas.DataFrame or None
        Long format, one row per member class and month: ``class``, ``families``,
        ``shares_per_family``, ``operating_year``, ``label`` and the per-family lines
        (distribution, instalment, paid to lender, payout, arrears, loan balance, real
        payout and distribution) [rial].
    class_summary : pandas.DataFrame or None
        One row per member class: year-one means (the family's own cash flow among
        them), months paid from the family's own pocket, the month its loans are paid
        off, months with the distribution below the instalment, arrears at the end.
    findings : tuple of str
        What the run noticed about its inputs that a reader should know, in plain words
        (for example the embedded Qom weather used for a site far from Qom).
    """

    scenario: Scenario
    monthly: pd.DataFrame
    annual: pd.DataFrame
    summary: pd.Series
    hourly_energy_kwh: pd.Series | None = None
    by_class: pd.DataFrame | None = None
    class_summary: pd.DataFrame | None = None
    findings: tuple[str, ...] = ()

    def in_real_money(self, column: str) -> pd.Series:
        """A nominal monthly column in real money: money of the scenario's
        :attr:`~solarcoop.scenario.Scenario.real_money_month` (``summary["real_base_month_label"]``)
        [rial], through :func:`solarcoop.economy.real_money_factor`, the one definition.

        >>> import numpy as np, solarcoop as sc
        >>> result = sc.simulate(sc.qom_baseline(), energy=np.full(12, 420_000.0))
        >>> real = result.in_real_money("family_cash_flow_rial")
        >>> bool(np.allclose(real, result.monthly["family_cash_flow_real_rial"]))
        True
        """
        if column not in self.monthly.columns:
            raise InputError(f"column = {column!r} is not a monthly line: choose from {list(self.monthly.columns)}")
        factor = economy_stage.real_money_factor(
            self.scenario.economy, self.monthly, self.monthly["cpi_index"].to_numpy(), self.scenario.real_money_month
        )
        return self.monthly[column] * factor

    @property
    def statements(self) -> dict[str, pd.DataFrame]:
        """The income statement, balance sheet and cash-flow statement of each fiscal year
        [rial] (:func:`solarcoop.books.statements.statements`): rows the lines, columns
        the fiscal years."""
        return book_statements(self.monthly, funding(self.scenario), self.scenario.cooperative)


def _annual_table(monthly: pd.DataFrame, capacity_kwp: float) -> pd.DataFrame:
    by_year = monthly.groupby("operating_year")
    annual = by_year[list(ANNUAL_SUMS)].sum()
    annual.insert(0, "label", by_year["label"].first().str[:4])
    annual["specific_yield_kwh_per_kwp"] = annual["energy_kwh"] / capacity_kwp
    annual["price_rial_per_kwh_mean"] = annual["revenue_billed_rial"] / by_year["priced_energy_kwh"].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        annual["debt_service_coverage_ratio"] = np.where(
            annual["debt_service_rial"] > 0,
            annual["cash_available_for_debt_service_rial"] / annual["debt_service_rial"],
            np.nan,
        )
    stats = by_year[list(ANNUAL_STATISTICS)].agg(["mean", "min", "max"])
    stats.columns = [f"{column}_{stat}" for column, stat in stats.columns]
    annual = annual.join(stats)
    for column in ANNUAL_ENDS:
        annual[f"{column}_end"] = by_year[column].last()
    return annual


def _by_class(classes, months: pd.DataFrame, lines: dict, to_real: np.ndarray) -> pd.DataFrame:
    """``to_real``: :func:`~solarcoop.economy.real_money_factor` of each month [-]."""
    n_classes, n_months = len(classes), len(months)
    frame = pd.DataFrame(
        {
            "class": np.repeat([c.name for c in classes], n_months),
            "families": np.repeat([c.families for c in classes], n_months),
            "shares_per_family": np.repeat([float(c.shares_per_family) for c in classes], n_months),
            "operating_year": np.tile(months["operating_year"].to_numpy(), n_classes),
            "label": np.tile(months["label"].to_numpy(), n_classes),
            **{column: lines[f"class_{column}"].reshape(-1) for column in CLASS_LINES},
        }
    )
    frame["distribution_per_family_real_rial"] = frame["distribution_per_family_rial"] * np.tile(
        to_real, n_classes
    )
    return frame


def _paid_off_label(frame: pd.DataFrame) -> str:
    month = int(
        _paid_off_month(
            frame["loan_balance_per_family_rial"].to_numpy(), frame["arrears_per_family_rial"].to_numpy()
        )
    )
    return frame["label"].iloc[month] if month < len(frame) else "not within the life"


def _class_summary(by_class: pd.DataFrame, classes) -> pd.DataFrame:
    rows = {}
    for member_class in classes:  # a handful of classes, not months or paths
        frame = by_class[by_class["class"] == member_class.name]
        year1 = frame[frame["operating_year"] == 1]
        rows[member_class.name] = {
            "families": member_class.families,
            "shares_per_family": float(member_class.shares_per_family),
            "loan_principal_rial": member_class.loan.principal_rial,
            **{
                f"{column}_mean_year1": year1[column].mean()
                for column in CLASS_YEAR1_MEANS
            },
            "months_paid_from_pocket": int((frame["paid_from_pocket_per_family_rial"] > 0.5).sum()),
            "loan_paid_off_label": _paid_off_label(frame),
            "months_distribution_below_instalment": int(
                (frame["distribution_per_family_rial"] < frame["loan_instalment_per_family_rial"] - 0.5).sum()
            ),
            "arrears_per_family_rial_end": frame["arrears_per_family_rial"].iloc[-1],
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("class")


def _month_label(monthly: pd.DataFrame, month) -> str:
    month = int(month)
    return monthly["label"].iloc[month] if month < len(monthly) else "not within the life"


def _summary(
    scenario: Scenario, monthly: pd.DataFrame, annual: pd.DataFrame, owed_at_end_rial: float, kpis: dict
) -> pd.Series:
    """Headline figures. Life figures are in real money only (a nominal mean over decades
    of inflation means nothing): money of the scenario's
    :attr:`~solarcoop.scenario.Scenario.real_money_month`, which ``real_base_month_label``
    names."""
    year1 = annual.loc[1]
    sources = funding(scenario)
    has_debt = bool((monthly["debt_service_rial"] > 0).any())
    real = pd.Series(
        economy_stage.real_money_factor(scenario.economy, monthly, monthly["cpi_index"].to_numpy(), scenario.real_money_month),
        index=monthly.index,
    )
    last_real = float(real.iloc[-1])
    pocket = monthly["paid_from_pocket_per_family_rial"]
    summary = {
        "real_base_month_label": scenario.real_money_month,
        "energy_kwh_year1": year1["energy_kwh"],
        "specific_yield_kwh_per_kwp_year1": year1["specific_yield_kwh_per_kwp"],
        "price_rial_per_kwh_mean_year1": year1["price_rial_per_kwh_mean"],
        "revenue_billed_rial_year1": year1["revenue_billed_rial"],
        **{
            f"{column}_{stat}_year1": year1[f"{column}_{stat}"]
            for column in ANNUAL_STATISTICS
            for stat in ("mean", "min", "max")
        },
        **{
            f"{column}_mean_life": monthly[column].mean()
            for column in LIFE_MEANS
        },
        "loan_paid_off_label": _paid_off_label(monthly),
        "months_distribution_below_instalment": int(
            (monthly["distribution_per_family_rial"] < monthly["loan_instalment_per_family_rial"] - 0.5).sum()
        ),
        "months_without_payout": int((monthly["payout_per_family_rial"] < 0.5).sum()),
        # what the family owes in withheld instalments: family_debt, as for every Monte Carlo path
        "months_in_arrears": int(kpis["months_in_arrears"]),
        "family_arrears_end_rial": monthly["arrears_per_family_rial"].iloc[-1],
        "family_arrears_max_rial": float(kpis["family_arrears_max_rial"]),
        "family_arrears_max_real_rial": float(kpis["family_arrears_max_real_rial"]),
        "arrears_cleared_label": _month_label(monthly, kpis["arrears_cleared_month"]),
        "family_owes_after_loan_year": bool(kpis["owes_after_loan_year"]),
        # a family's own money: months it pays its lender from its pocket, and how much
        "months_paid_from_pocket": int((pocket > 0.5).sum()),
        "paid_from_pocket_per_family_real_rial_total": float((pocket * real).sum()),
        "family_share_rial": lines_share_per_family_rial(scenario),
        "family_share_irr_real_per_year": float(kpis["family_share_irr_real_per_year"]),
        "family_share_payback_label": _month_label(monthly, kpis["family_share_payback_month"]),
        # who paid for the plant (nominal) and what each received (real money)
        "capital_cost_rial": sources["capital_cost_rial"],
        "funding_family_shares_rial": sources["family_shares_rial"],
        "funding_grant_rial": sources["grant_rial"],
        "funding_sponsor_equity_rial": sources["sponsor_equity_rial"],
        "funding_debt_rial": sources["debt_rial"],
        # the source named for a gap, only when there was one to fill (half a rial)
        "funding_gap_filled_by": (scenario.funding.gap_filled_by or "none") if sources["gap_rial"] > 0.5 else "none",
        "sponsor_name": scenario.funding.sponsor_name,
        "sponsor_share_of_distributions": sources["sponsor_share_of_distributions"],
        "distributed_to_families_real_rial_total": float((monthly["distributed_to_families_rial"] * real).sum()),
        "distributed_to_sponsor_real_rial_total": float((monthly["distributed_to_sponsor_rial"] * real).sum()),
        "debt_service_real_rial_total": float((monthly["debt_service_rial"] * real).sum()),
        "interest_earned_real_rial_total": float((monthly["interest_earned_rial"] * real).sum()),
        "revenue_owed_at_end_rial": float(owed_at_end_rial),
        "revenue_owed_at_end_real_rial": float(owed_at_end_rial) * last_real,
        "project_npv_real_rial": float(kpis["project_npv_real_rial"]),
        "discount_rate_real_per_year": scenario.costs.discount_rate_real_per_year,
        "project_irr_nominal_per_year": float(kpis["project_irr_nominal_per_year"]),
        "project_irr_real_per_year": float(kpis["project_irr_real_per_year"]),
        "levelised_cost_real_rial_per_kwh": float(kpis["levelised_cost_real_rial_per_kwh"]),
        "debt_principal_rial": sources["debt_rial"],
        "debt_service_coverage_ratio_min": float(kpis["debt_service_coverage_ratio_min"]) if has_debt else np.nan,
        "replacement_spent_rial": monthly["replacement_spent_rial"].sum(),
        "reserves_balance_end_rial": monthly["reserves_balance_rial"].iloc[-1],
        "reserves_balance_end_real_rial": monthly["reserves_balance_rial"].iloc[-1] * last_real,
        "cash_balance_end_rial": monthly["cash_balance_rial"].iloc[-1],
        "cash_balance_end_real_rial": monthly["cash_balance_rial"].iloc[-1] * last_real,
        "end_of_life_settlement": scenario.cooperative.end_of_life_settlement,
        # a negative working cash is money the cooperative must borrow or be lent
        "cash_balance_min_rial": monthly["cash_balance_rial"].min(),
        "months_cash_negative": int((monthly["cash_balance_rial"] < -0.5).sum()),
    }
    return pd.Series(summary, name=scenario.name, dtype=object)


def simulate(scenario: Scenario, energy=None, *, energy_is_at_meter: bool = True) -> Result:
    """Run one scenario through the plant's life.

    Parameters
    ----------
    scenario : Scenario
        For example :func:`solarcoop.qom_baseline`.
    energy : None or array_like
        Year-one energy the planner already has [kWh], 12 monthly (January-December) or
        8,760 hourly values, in place of the physics; degradation applies in later years.
    energy_is_at_meter : bool
        With ``energy``: ``True`` (default) when the values are at the meter, outages
        and curtailment included (a meter year); ``False`` when they are before them (a
        PVsyst run without unavailability), so that the scenario's
        ``plant.losses.availability`` and ``curtailment`` are applied in every year.

    Returns
    -------
    Result
        ``monthly``, ``annual``, ``summary``, ``by_class`` and ``class_summary``.

    Examples
    --------
    A family's first year from the planner's own monthly energy (kWh, January first):

    >>> import solarcoop as sc
    >>> energy = [300e3, 330e3, 400e3, 450e3, 500e3, 530e3, 540e3, 520e3, 470e3, 400e3, 320e3, 280e3]
    >>> result = sc.simulate(sc.qom_baseline(), energy=energy)
    >>> result.summary["loan_paid_off_label"]  # the instalments withheld are cleared a payout after the 84th
    '1412-01'
    """
    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario = {scenario!r} must be a Scenario (see solarcoop.qom_baseline)")
    if not isinstance(energy_is_at_meter, bool):
        raise InputError(f"energy_is_at_meter = {energy_is_at_meter!r} must be True or False")
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    classes = resolve_member_classes(scenario.member_classes, scenario.cooperative.families, scenario.loan)
    profile = energy_profile(scenario, energy)
    degradation = plant_stage.degradation_factor(
        scenario.plant.degradation_per_year, months["operating_year"].to_numpy()
    )
    if energy is not None and not energy_is_at_meter:
        degradation = degradation * _ac_loss_factor(scenario.plant)
    energy_kwh = monthly_energy_kwh(profile.energy_kwh, months) * degradation
    priced_kwh = monthly_energy_kwh(profile.priced_energy_kwh, months) * degradation
    cpi = economy_stage.cpi_index(scenario.economy, months)
    fx = economy_stage.fx_index(scenario.economy, months)
    lines = money_paths(scenario, months, energy_kwh, priced_kwh, cpi, fx, by_class=True)
    kpis = path_kpis(scenario, months, lines)
    by_class = _by_class(
        classes, months, lines,
        economy_stage.real_money_factor(scenario.economy, months, cpi, scenario.real_money_month),
    )  # fmt: skip
    owed_at_end = lines.pop("revenue_owed_at_end_rial")
    monthly = pd.concat(
        [
            months[list(MONTH_FIELDS)],
            pd.DataFrame(
                {key: value for key, value in lines.items() if not key.startswith("class_")},
                index=months.index,
            ),
        ],
        axis=1,
    )
    # owed: billed and penalties due, less what was collected or lost selling bonds
    monthly["revenue_owed_rial"] = (
        monthly["revenue_billed_rial"] + monthly["revenue_late_penalty_rial"]
        - monthly["revenue_collected_rial"] - monthly["revenue_bond_discount_rial"]
    ).cumsum()
    annual = _annual_table(monthly, scenario.plant.capacity_kwp)
    summary = _summary(scenario, monthly, annual, owed_at_end, kpis)
    return Result(
        scenario=scenario,
        monthly=monthly,
        annual=annual,
        summary=summary,
        hourly_energy_kwh=profile.hourly_energy_kwh,
        by_class=by_class,
        class_summary=_class_summary(by_class, classes),
        findings=tuple(input_findings(scenario, energy)),
    )


def input_findings(scenario: Scenario, energy=None) -> list[str]:
    """What a run of ``scenario`` should say about its inputs (see ``Result.findings``):
    :class:`solarcoop.findings.Finding` items (each a ``str`` with a code and values: weather
    from far away, an altitude looked up), then values no real case has
    (:mod:`solarcoop.plausibility`), then the scenario's own choices of disputed facts that
    the Monte Carlo draws (:func:`solarcoop.disputed.own_value_findings`)."""
    from solarcoop.disputed import own_value_findings
    from solarcoop.findings import input_findings as findings_of

    return [*findings_of(scenario, energy), *plausibility.findings(scenario), *own_value_findings(scenario)]


def _ac_loss_factor(plant) -> float:
    """Share of energy left after availability and curtailment, as the physics applies them [-].

    With ``plant.system_losses`` set, the physics applies no separate AC losses, so 1.0.
    """
    if plant.system_losses is not None:
        return 1.0
    return (1 - plant.losses.availability) * (1 - plant.losses.curtailment)
