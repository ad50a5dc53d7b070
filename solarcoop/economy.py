"""Consumer prices and the euro rate as monthly paths, shared by the tariff and the ledger.

Domain facts this module rests on (defaults, with sources):

- Consumer-price inflation in Iran: 45.8 % (1401), 32.5 % (1403), about 40 % year on
  year in late 1404 (Statistical Centre of Iran; Central Bank of Iran).
- Open-market US dollar: 613,500 rial (March 2024) to about 1,221,500 rial
  (December 2025), market quotes reported in the Iranian press.
- The guaranteed-purchase tariff is indexed to the Central Bank's CPI and to the
  official secondary-market (NIMA) euro rate (SATBA billing guideline).

Every path here is an *index*: 1.0 in the first accounting month (the start of
operation), shape ``(n_months,)`` or ``(n_paths, n_months)``. Absolute levels are the
index times :attr:`Economy.cpi_start` or :attr:`Economy.euro_rate_start_rial_per_eur`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from solarcoop._running import running
from solarcoop._validation import InputError, check_array, check_rate
from solarcoop.calendar import month_number
from solarcoop.fields import check_fields, declared, field

# Consumer-price inflation: 45.8 % (1401), 32.5 % (1403), about 40 % year on year in
# late 1404 (Statistical Centre of Iran / Central Bank of Iran). Their mean is 39 %; a
# 20-year default sits a little below it, near the calmest recent year (1403), because
# the 1401 and late-1404 readings followed shocks (sanctions, war) that are not assumed
# to recur every year.
DEFAULT_INFLATION_PER_YEAR = 0.35

# Euro rate: the open-market dollar went from 613,500 rial (March 2024) to about
# 1,221,500 rial (December 2025), i.e. (1,221,500 / 613,500) ** (12 / 21) - 1 = 48 % a
# year over those 21 months (press market quotes). Assumptions, not sourced facts:
# the official (NIMA) euro rate, which the tariff uses, follows the open-market dollar's
# trend in the long run at a constant euro/dollar ratio; and 48 % a year, measured over a
# shock period, does not last 20 years: relative purchasing-power parity with 35 %
# inflation in Iran and about 2 % in the euro area gives 1.35 / 1.02 - 1 = 32 %. The
# default, 40 %, lies between the two and above inflation (the rial keeps losing real
# value slowly, as it has on average).
DEFAULT_FX_CHANGE_PER_YEAR = 0.40

# Deposit rate: the Central Bank of Iran let banks pay up to 23 % a year on one-year
# certificates of deposit from December 2022 (Financial Tribune and Press TV, 24 Dec
# 2022), and banks paid 20-23 % on deposits since (Persian press on 1403 deposit rates,
# e.g. Tabnak 1232049), against 32.5-45.8 % inflation. The default keeps that ratio to
# inflation: (1 + i) * 1.23 / 1.35 - 1 each year, 23 % at the default 35 % inflation.
DEFAULT_DEPOSIT_RATE_PER_YEAR = 0.23

# The same default as a real drift of the euro against Iran's consumer prices:
# 1.40 / 1.35 - 1 = 3.7 % a year (the rial loses real value slowly). The Qom baseline
# states the euro this way, so that moving inflation alone moves the euro with it.
DEFAULT_FX_REAL_DRIFT_PER_YEAR = (1 + DEFAULT_FX_CHANGE_PER_YEAR) / (1 + DEFAULT_INFLATION_PER_YEAR) - 1

# CPI level at the start of operation: the Central Bank's series (base year changed in
# 1401) was not gathered, so the default level is 1.0, an index with base = start of
# operation. Only ratios of CPI enter the tariff, so the level changes nothing there.
DEFAULT_CPI_START = 1.0

# Euro rate at the start of operation [rial/EUR]: the open-market dollar, about
# 1,221,500 rial (December 2025, press quotes), times an assumed EUR/USD of 1.17 (late
# 2025). This is an open-market proxy: the official NIMA euro rate is lower and was not
# gathered. Only ratios of the euro rate enter the tariff; the level is for display.
DEFAULT_EURO_RATE_START_RIAL_PER_EUR = 1_430_000.0


def _rates_tuple(field: str, value) -> float | tuple[float, ...]:
    """A yearly rate or a non-empty sequence of yearly rates, each checked."""
    if isinstance(value, str):
        raise InputError(f"{field} = {value!r} is not a number or a list of yearly rates")
    if np.ndim(value) == 0:
        return float(check_rate(field, value))
    rates = tuple(value)
    if len(rates) == 0:
        raise InputError(f"{field} is empty: give one rate, or one per operating year")
    if np.ndim(rates) != 1:
        raise InputError(f"{field} must be one rate or a flat list of yearly rates")
    return tuple(float(check_rate(f"{field}[{i}]", r)) for i, r in enumerate(rates))


def _series_tuple(field: str, value) -> tuple[float, ...] | None:
    """A user's monthly series of positive levels, kept as a tuple (or None)."""
    if value is None:
        return None
    array = check_array(field, value, minimum=0)
    if array.ndim != 1 or array.size == 0:
        raise InputError(f"{field} must be a non-empty list of monthly values")
    zero = np.flatnonzero(array <= 0)
    if zero.size:
        raise InputError(
            f"{field}[{zero[0]}] = {float(array[zero[0]])!r} is not allowed: price levels must be positive"
        )
    return tuple(array.tolist())


@declared
@dataclass(frozen=True)
class Economy:
    """The economic paths that prices are indexed to.

    Examples
    --------
    How much do prices rise in the first five years at the default inflation?

    >>> round((1 + Economy().inflation_per_year) ** 5, 2)
    4.48
    """

    inflation_per_year: float | tuple[float, ...] = field(
        DEFAULT_INFLATION_PER_YEAR,
        unit="%/year",
        source=(
            "Consumer-price inflation [fraction per year]. One rate for every operating year, or one "
            "rate per operating year; a shorter tuple repeats its last value for the remaining years. "
            "Default 0.35 (see ``DEFAULT_INFLATION_PER_YEAR``: 45.8 % in 1401, 32.5 % in 1403, about "
            "40 % late 1404, Statistical Centre of Iran)."
        ),
    )
    fx_change_per_year: float | tuple[float, ...] | None = field(
        None,
        unit="%/year",
        source=(
            "Yearly change of the official (NIMA) euro rate in rial [fraction per year]; same forms. "
            "When given, it replaces ``fx_real_drift_per_year`` and the euro no longer follows "
            "inflation. Default None: the euro follows inflation and its real drift (with the "
            "defaults, 1.35 x 1.037 - 1 = 40 % a year)."
        ),
    )
    fx_real_drift_per_year: float | tuple[float, ...] = field(
        DEFAULT_FX_REAL_DRIFT_PER_YEAR,
        unit="%/year",
        source=(
            "The euro's change against Iran's consumer prices [fraction per year]; same forms. The "
            "euro changes each year by ``(1 + inflation) x (1 + drift) - 1``: inflation and the euro "
            "move as a pair, so that changing ``inflation_per_year`` alone leaves the real tariff "
            "where it was. 0 keeps the euro at Iran's inflation; about -0.02 is purchasing-power "
            "parity (euro-area inflation about 2 %). Default 1.40 / 1.35 - 1 = 0.037, the central "
            "reading (:mod:`solarcoop.disputed`): the open-market dollar rose 48 % a year from March "
            "2024 to December 2025 (613,500 -> 1,221,500 rial, press quotes) against about 35 % "
            "inflation; assumed that the official euro follows it in the long run, damped toward "
            "parity (40 % a year)."
        ),
    )
    cpi_start: float = field(
        DEFAULT_CPI_START,
        unit="",
        minimum=0,
        min_inclusive=False,
        source=(
            "CPI level at the start of operation [index points]. Default 1.0 (the Central Bank's "
            "level was not gathered; only ratios matter for prices)."
        ),
    )
    euro_rate_start_rial_per_eur: float = field(
        DEFAULT_EURO_RATE_START_RIAL_PER_EUR,
        unit="rial/EUR",
        minimum=0,
        min_inclusive=False,
        source=(
            "Euro rate at the start of operation [rial/EUR]. Default 1,430,000: open-market dollar of "
            "December 2025 (1,221,500) x assumed EUR/USD 1.17; a proxy, for display."
        ),
    )
    cpi_monthly: tuple[float, ...] | None = field(
        None,
        unit="",
        source=(
            "The user's own CPI levels, one per accounting month from the start of operation (any "
            "base). When given it replaces ``inflation_per_year``."
        ),
    )
    euro_rate_monthly_rial_per_eur: tuple[float, ...] | None = field(
        None,
        unit="rial/EUR",
        source=(
            "The user's own euro rate, one per accounting month from the start of operation "
            "[rial/EUR]. When given it replaces ``fx_change_per_year``, and "
            "``euro_rate_before_operation_rial_per_eur`` must be given too."
        ),
    )
    euro_rate_before_operation_rial_per_eur: tuple[float, ...] | None = field(
        None,
        unit="rial/EUR",
        source=(
            "The euro rate of the 12 months before operation, oldest first [rial/EUR]: the "
            "guaranteed-purchase contract compares each year's euro average with their average. "
            "Without it the history is taken to have grown at the first operating year's rate "
            "(:func:`fx_change_rates`), which is exact for the constant-rate default."
        ),
    )
    history_cpi: tuple[float, ...] | None = field(
        None,
        unit="",
        source=(
            "Published CPI levels of the first months of operation, oldest first (any base), for a "
            "plant that started in the past (:func:`solarcoop.vintage.started` fills it from "
            ":mod:`solarcoop.history`). Those months are fixed on every path; later months follow "
            "``inflation_per_year`` (or a Monte Carlo path's draw) from the level the last one reached."
        ),
    )
    history_euro_rate_rial_per_eur: tuple[float, ...] | None = field(
        None,
        unit="rial/EUR",
        source=(
            "Published euro rate of the same first months [rial/EUR], as many as ``history_cpi``; "
            "``euro_rate_before_operation_rial_per_eur`` must be given with it."
        ),
    )
    deposit_rate_per_year: float | tuple[float, ...] | None = field(
        None,
        unit="%/year",
        source=(
            "Nominal rate the cooperative's cash and reserves earn in a bank [fraction per year]; one "
            "rate, or one per operating year (the last repeats). Default ``None``: it follows the "
            "inflation path, :math:`(1 + i_t)         imes 1.23 / 1.35 - 1`, which is 23 % a year at "
            "the default 35 % inflation: the Central Bank's cap on one-year deposits from December "
            "2022 (see ``DEFAULT_DEPOSIT_RATE_PER_YEAR``), a real rate of about -9 % a year, and "
            "never below zero (below 9.8 % inflation it is 0). On a Monte Carlo path it follows that "
            "path's inflation."
        ),
    )

    def __post_init__(self):
        setattr_ = object.__setattr__
        if self.deposit_rate_per_year is not None:
            setattr_(
                self,
                "deposit_rate_per_year",
                _rates_tuple("economy.deposit_rate_per_year", self.deposit_rate_per_year),
            )
        setattr_(
            self,
            "inflation_per_year",
            _rates_tuple("economy.inflation_per_year", self.inflation_per_year),
        )
        if self.fx_change_per_year is not None:
            setattr_(
                self,
                "fx_change_per_year",
                _rates_tuple("economy.fx_change_per_year", self.fx_change_per_year),
            )
        setattr_(
            self,
            "fx_real_drift_per_year",
            _rates_tuple("economy.fx_real_drift_per_year", self.fx_real_drift_per_year),
        )
        check_fields(self, "economy")
        setattr_(self, "cpi_monthly", _series_tuple("economy.cpi_monthly", self.cpi_monthly))
        setattr_(
            self,
            "euro_rate_monthly_rial_per_eur",
            _series_tuple(
                "economy.euro_rate_monthly_rial_per_eur", self.euro_rate_monthly_rial_per_eur
            ),
        )
        before = _series_tuple(
            "economy.euro_rate_before_operation_rial_per_eur",
            self.euro_rate_before_operation_rial_per_eur,
        )
        if before is not None and len(before) != 12:
            raise InputError(
                f"economy.euro_rate_before_operation_rial_per_eur has {len(before)} values: "
                "give the 12 months before operation, oldest first"
            )
        if before is None and self.euro_rate_monthly_rial_per_eur is not None:
            raise InputError(
                "economy.euro_rate_before_operation_rial_per_eur is needed with "
                "economy.euro_rate_monthly_rial_per_eur: the contract price compares each "
                "year's euro average with the average of the 12 months before operation"
            )
        setattr_(self, "euro_rate_before_operation_rial_per_eur", before)
        cpi_past = _series_tuple("economy.history_cpi", self.history_cpi)
        euro_past = _series_tuple("economy.history_euro_rate_rial_per_eur", self.history_euro_rate_rial_per_eur)
        if (cpi_past is None) != (euro_past is None) or (cpi_past is not None and len(cpi_past) != len(euro_past)):
            raise InputError(
                "economy.history_cpi and economy.history_euro_rate_rial_per_eur must be given together, "
                f"one value per past month each (got {None if cpi_past is None else len(cpi_past)} and "
                f"{None if euro_past is None else len(euro_past)})"
            )
        if euro_past is not None and before is None:
            raise InputError(
                "economy.euro_rate_before_operation_rial_per_eur is needed with "
                "economy.history_euro_rate_rial_per_eur: the contract compares each year's euro "
                "average with the average of the 12 months before operation"
            )
        setattr_(self, "history_cpi", cpi_past)
        setattr_(self, "history_euro_rate_rial_per_eur", euro_past)


def operating_years(months) -> np.ndarray:
    """Operating year (1-based) of each month, from an accounting-months frame."""
    if not isinstance(months, pd.DataFrame) or "operating_year" not in months:
        raise InputError(
            "months must be the frame of solarcoop.calendar.accounting_months "
            "(a DataFrame with an operating_year column)"
        )
    return months["operating_year"].to_numpy(dtype=int)


def rates_for_years(rates, n_years: int) -> np.ndarray:
    """One rate per operating year: a shorter list repeats its last rate [fraction/year].

    >>> rates_for_years((0.4, 0.3), 4).tolist()
    [0.4, 0.3, 0.3, 0.3]
    """
    rates = np.atleast_1d(np.asarray(rates, dtype=float))
    return rates[np.minimum(np.arange(n_years), rates.size - 1)]


def fx_change_from_drift(inflation_per_year, fx_real_drift_per_year):
    """The euro's nominal yearly change from inflation and its real drift [fraction/year]:
    ``(1 + inflation) x (1 + drift) - 1``, broadcast.

    >>> round(float(fx_change_from_drift(0.35, 1.40 / 1.35 - 1)), 12)
    0.4
    """
    return (1 + np.asarray(inflation_per_year, float)) * (1 + np.asarray(fx_real_drift_per_year, float)) - 1


def fx_change_rates(economy: Economy, n_years: int) -> np.ndarray:
    """The euro's yearly change in each operating year [fraction/year], shape (n_years,):
    ``fx_change_per_year`` when given, else from inflation and ``fx_real_drift_per_year``.

    >>> fx_change_rates(Economy(inflation_per_year=0.2, fx_real_drift_per_year=0.1), 2).round(6).tolist()
    [0.32, 0.32]
    """
    if economy.fx_change_per_year is not None:
        return rates_for_years(economy.fx_change_per_year, n_years)
    return fx_change_from_drift(
        rates_for_years(economy.inflation_per_year, n_years),
        rates_for_years(economy.fx_real_drift_per_year, n_years),
    )


def index_from_yearly_rates(rates_per_year, months) -> np.ndarray:
    """A monthly index from yearly rates, 1.0 in the first month.

    Within operating year ``y`` the index grows by ``(1 + r_y) ** (1 / 12)`` a month,
    so it has grown by exactly ``1 + r_1`` at the start of year 2.

    Parameters
    ----------
    rates_per_year : array_like
        Yearly rates [fraction per year], shape ``(n_years,)`` or ``(n_paths, n_years)``.
        If fewer years are given than the months cover, the last rate repeats.
    months : pandas.DataFrame
        Accounting months (:func:`solarcoop.calendar.accounting_months`).

    Returns
    -------
    numpy.ndarray
        Index [-], shape ``(n_months,)`` or ``(n_paths, n_months)``.

    Examples
    --------
    Prices after one and two years at 20 %, then 50 %:

    >>> from solarcoop.calendar import accounting_months
    >>> index = index_from_yearly_rates([0.2, 0.5], accounting_months("2026-03-21", 25))
    >>> [round(float(index[m]), 6) for m in (0, 12, 24)]
    [1.0, 1.2, 1.8]
    """
    years = operating_years(months)
    rates = np.asarray(rates_per_year, dtype=float)
    if rates.ndim not in (1, 2) or rates.shape[-1] == 0:
        raise InputError(
            f"rates_per_year has shape {rates.shape}: expected (n_years,) or (n_paths, n_years)"
        )
    if not np.isfinite(rates).all() or (rates <= -1).any():
        raise InputError("rates_per_year must be finite and above -1 (fractions per year)")
    column = np.minimum(years - 1, rates.shape[-1] - 1)
    yearly_log_growth = np.log1p(rates) / 12.0  # a month's, once per year
    if rates.ndim == 2:  # many paths: month-major, one vectorised running-sum step a month
        monthly_log_growth = np.ascontiguousarray(yearly_log_growth.T)[column]
        log_index = running(np.add, monthly_log_growth, axis=0) - monthly_log_growth
        return np.ascontiguousarray(np.exp(log_index).T)
    monthly_log_growth = yearly_log_growth[column]
    log_index = np.cumsum(monthly_log_growth, axis=-1) - monthly_log_growth
    return np.exp(log_index)


def _index(series, rates, field: str, months) -> np.ndarray:
    if series is None:
        return index_from_yearly_rates(np.atleast_1d(rates), months)
    n_months = len(months)
    if len(series) < n_months:
        raise InputError(
            f"{field} has {len(series)} monthly values: the accounting months need {n_months}"
        )
    levels = np.asarray(series[:n_months], dtype=float)
    return levels / levels[0]


def join_history(index, history_levels) -> np.ndarray:
    """An index whose first months are the published past, the rest carried from it [-].

    The first ``n = len(history_levels)`` months become ``history_levels / history_levels[0]``
    on every path; each later month keeps the path's own change since month ``n - 1``
    (as :func:`solarcoop.track` carries a forecast from the level the actuals reached).

    Parameters
    ----------
    index : array_like
        Index per month, 1.0 in the first [-], shape (..., n_months).
    history_levels : sequence of float or None
        Published levels of the first months (any base); ``None`` returns ``index``.

    Examples
    --------
    >>> join_history(np.array([1.0, 1.1, 1.21, 1.331]), (100.0, 150.0)).round(6).tolist()
    [1.0, 1.5, 1.65, 1.815]
    """
    index = np.asarray(index, dtype=float)
    if history_levels is None:
        return index
    levels = np.asarray(history_levels, dtype=float)
    n_past = min(levels.size, index.shape[-1])
    past = levels[:n_past] / levels[0]
    joined = index * (past[-1] / index[..., n_past - 1 : n_past])
    joined[..., :n_past] = past
    return joined


def cpi_index(economy: Economy, months) -> np.ndarray:
    """Consumer-price index per accounting month, 1.0 in the first month [-].

    From ``economy.cpi_monthly`` when given, else from ``economy.inflation_per_year``; the
    first months are ``economy.history_cpi`` when given (:func:`join_history`).

    Examples
    --------
    >>> from solarcoop.calendar import accounting_months
    >>> index = cpi_index(Economy(inflation_per_year=0.4), accounting_months("2026-03-21", 13))
    >>> round(float(index[12]), 6)
    1.4
    """
    index = _index(economy.cpi_monthly, economy.inflation_per_year, "economy.cpi_monthly", months)
    return join_history(index, economy.history_cpi)


def price_level_at(economy: Economy, months, cpi_index, month_label: str, field: str = "real_money_of") -> np.ndarray:
    """Consumer prices of ``month_label`` over those of the first accounting month [-],
    shape ``cpi_index.shape[:-1] + (1,)``.

    A month of operation reads each path's own index. A month before operation lies in a
    past that is the same on every path: it is reached back from the first month at year
    one's inflation (``economy.inflation_per_year``).

    Parameters
    ----------
    economy : Economy
    months : pandas.DataFrame
        The accounting months (:func:`solarcoop.calendar.accounting_months`).
    cpi_index : array_like
        Consumer-price index per month, 1.0 in the first (:func:`cpi_index`), shape
        (..., n_months).
    month_label : str
        ``"1404-06"``.
    field : str
        Name of the input the month came from, for the error.

    Examples
    --------
    >>> from solarcoop.calendar import accounting_months
    >>> months = accounting_months("2026-03-21", 24)
    >>> economy = Economy(inflation_per_year=0.4)
    >>> index = cpi_index(economy, months)
    >>> round(float(price_level_at(economy, months, index, "1404-01")[0]), 6)  # a year before
    0.714286
    >>> round(float(price_level_at(economy, months, index, "1406-01")[0]), 6)
    1.4
    """
    cpi = np.asarray(cpi_index, float)
    offset = month_number(month_label, field) - month_number(months["label"].iloc[0], "start")
    if offset <= 0:
        first_year = rates_for_years(economy.inflation_per_year, 1)[0]
        return np.full(cpi.shape[:-1] + (1,), (1 + first_year) ** (offset / 12))
    if offset >= cpi.shape[-1]:
        raise InputError(
            f"{field} = {month_label!r} lies after the last month simulated "
            f"({months['label'].iloc[cpi.shape[-1] - 1]}): give a month within the life"
        )
    return cpi[..., offset : offset + 1]


def real_money_factor(economy: Economy, months, cpi_index, money_of: str) -> np.ndarray:
    """What turns each month's nominal rial into money of the month ``money_of`` [-],
    shape of ``cpi_index``: that month's price level over each month's.

    Every real figure of solarcoop (the ``_real_rial`` lines, real totals, NPV and LCOE)
    is nominal money times this factor, with ``money_of`` the scenario's
    :attr:`~solarcoop.scenario.Scenario.real_money_month`.

    Examples
    --------
    >>> from solarcoop.calendar import accounting_months
    >>> months = accounting_months("2026-03-21", 13)
    >>> economy = Economy(inflation_per_year=0.4)
    >>> factor = real_money_factor(economy, months, cpi_index(economy, months), "1405-01")
    >>> round(float(factor[12]), 6)  # a rial of Farvardin 1406 in Farvardin-1405 money
    0.714286
    """
    cpi = np.asarray(cpi_index, float)
    return price_level_at(economy, months, cpi, money_of) / cpi


def fx_index_before_operation(economy: Economy) -> np.ndarray:
    """Euro-rate index of the 12 months before operation, oldest first, on the base of
    :func:`fx_index` (1.0 in the first month of operation) [-], shape (12,).

    From ``economy.euro_rate_before_operation_rial_per_eur`` when given, else grown
    backward at the first operating year's rate.

    >>> fx_index_before_operation(Economy(fx_change_per_year=0.44))[[0, 6]].round(4).tolist()
    [0.6944, 0.8333]
    """
    if economy.euro_rate_before_operation_rial_per_eur is not None:
        first = (
            economy.history_euro_rate_rial_per_eur[0]
            if economy.history_euro_rate_rial_per_eur is not None
            else economy.euro_rate_monthly_rial_per_eur[0]
            if economy.euro_rate_monthly_rial_per_eur is not None
            else economy.euro_rate_start_rial_per_eur
        )
        return np.asarray(economy.euro_rate_before_operation_rial_per_eur) / first
    first_year = fx_change_rates(economy, 1)[0]
    return (1 + first_year) ** (np.arange(-12, 0) / 12)


def fx_index(economy: Economy, months) -> np.ndarray:
    """Official euro rate per accounting month relative to the first month [-].

    From ``economy.euro_rate_monthly_rial_per_eur`` when given, else from
    :func:`fx_change_rates` (``fx_change_per_year``, or inflation and
    ``fx_real_drift_per_year``). Times ``economy.euro_rate_start_rial_per_eur`` it is
    the rate in rial/EUR.
    """
    index = _index(
        economy.euro_rate_monthly_rial_per_eur,
        fx_change_rates(economy, int(operating_years(months).max())),
        "economy.euro_rate_monthly_rial_per_eur",
        months,
    )
    return join_history(index, economy.history_euro_rate_rial_per_eur)


def deposit_rate_per_month(economy: Economy, months, cpi_index) -> np.ndarray:
    """Rate the cooperative's deposits earn in each accounting month [fraction/month].

    Parameters
    ----------
    economy : Economy
    months : pandas.DataFrame
        Accounting months (:func:`solarcoop.calendar.accounting_months`).
    cpi_index : array_like
        Consumer prices relative to the first month [-], shape (..., n_months); the
        default rate follows its month-on-month growth (month 0 takes month 1's).

    Returns
    -------
    numpy.ndarray
        Shape of ``cpi_index`` (or (n_months,) with a set rate) [fraction/month].

    Examples
    --------
    At 35 % inflation the default earns 23 % a year:

    >>> from solarcoop.calendar import accounting_months
    >>> months = accounting_months("2026-03-21", 13)
    >>> rate = deposit_rate_per_month(Economy(), months, cpi_index(Economy(), months))
    >>> round(float((1 + rate[0]) ** 12 - 1), 6)
    0.23
    """
    if economy.deposit_rate_per_year is not None:
        years = operating_years(months)
        yearly = rates_for_years(economy.deposit_rate_per_year, int(years.max()))[years - 1]
        return np.expm1(np.log1p(yearly) / 12)
    cpi = np.asarray(cpi_index, float)
    if cpi.shape[-1] < 2:
        growth = np.full(cpi.shape, (1 + np.atleast_1d(economy.inflation_per_year)[0]) ** (1 / 12))
    else:
        growth = cpi[..., 1:] / cpi[..., :-1]
        growth = np.concatenate([growth[..., :1], growth], axis=-1)
    ratio = (1 + DEFAULT_DEPOSIT_RATE_PER_YEAR) / (1 + DEFAULT_INFLATION_PER_YEAR)
    return np.maximum(growth * ratio ** (1 / 12) - 1, 0.0)  # no bank charges for a deposit
