"""Accounting months in the Solar Hijri (Jalali) or Gregorian calendar.

Iran's fiscal and household year runs Farvardin to Esfand: the first six months have
31 days, the next five 30, and Esfand 29 (30 in a leap year). Dates inside solarcoop
are Gregorian ``pandas.Timestamp`` values; the Jalali calendar decides where months
begin and how they are labelled. Month names and digits as a reader sees them are words,
in :mod:`solarcoop.present.text` and the catalogs.
"""

from __future__ import annotations

import datetime

import jdatetime
import numpy as np
import pandas as pd

from solarcoop._validation import InputError, check_choice, check_number

CALENDARS = ("jalali", "gregorian")

_JALALI_MONTH_OFFSET_DAYS = np.array([0, 31, 62, 93, 124, 155, 186, 216, 246, 276, 306, 336])


def to_jalali(date) -> tuple[int, int, int]:
    """(year, month, day) in the Jalali calendar of a Gregorian date.

    >>> to_jalali(datetime.date(2026, 3, 21))
    (1405, 1, 1)
    """
    jalali = jdatetime.date.fromgregorian(date=pd.Timestamp(date).date())
    return jalali.year, jalali.month, jalali.day


def from_jalali(year: int, month: int = 1, day: int = 1) -> datetime.date:
    """The Gregorian date of a Jalali date.

    >>> from_jalali(1405, 1, 1)
    datetime.date(2026, 3, 21)
    """
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as error:
        raise InputError(f"Jalali date {year}-{month:02d}-{day:02d} does not exist: {error}") from None


def _jalali_month_starts(first_year: int, first_month: int, n_months: int) -> pd.DatetimeIndex:
    n_years = (first_month - 1 + n_months) // 12 + 2
    years = np.arange(first_year, first_year + n_years)
    new_years = np.array([np.datetime64(from_jalali(int(y), 1, 1), "D") for y in years])
    starts = (new_years[:, None] + _JALALI_MONTH_OFFSET_DAYS[None, :]).ravel()
    return pd.DatetimeIndex(starts[first_month - 1 : first_month - 1 + n_months + 1])


def accounting_months(start_date, n_months: int, calendar: str = "jalali") -> pd.DataFrame:
    """The plant's accounting months, one row each.

    Parameters
    ----------
    start_date : date-like
        First day of operation (Gregorian); it must be the first day of a month in
        ``calendar`` (1 Farvardin 1405 is 21 March 2026).
    n_months : int
        How many months [-].
    calendar : {"jalali", "gregorian"}
        Whose months.

    Returns
    -------
    pandas.DataFrame
        Columns ``start_date`` and ``end_date`` (Gregorian, end exclusive), ``days`` [d],
        ``year`` and ``month_of_year`` (1-12) in ``calendar``, ``label`` (``"1405-01"``),
        ``operating_year`` (1 for the first twelve months) and ``month_index`` (0, 1, ...).

    Examples
    --------
    >>> months = accounting_months("2026-03-21", 13)
    >>> months.loc[[0, 6, 11, 12], ["label", "days"]].to_numpy().tolist()
    [['1405-01', 31], ['1405-07', 30], ['1405-12', 29], ['1406-01', 31]]
    """
    check_choice("calendar", calendar, CALENDARS)
    n_months = check_number("n_months", n_months, minimum=1, maximum=12 * 100, integer=True)
    try:
        start = pd.Timestamp(start_date).normalize()
    except (ValueError, TypeError):
        raise InputError(f"start_date = {start_date!r} is not a date") from None
    if calendar == "jalali":
        year, month, day = to_jalali(start)
        if day != 1:
            next_first = from_jalali(year + month // 12, month % 12 + 1, 1)
            raise InputError(
                f"start_date = {start.date()} is Jalali {year}-{month:02d}-{day:02d}: accounting "
                f"must start on the first of a Jalali month (the next one is {next_first})"
            )
        edges = _jalali_month_starts(year, month, n_months)
    else:
        if start.day != 1:
            raise InputError(
                f"start_date = {start.date()} must be the first day of a Gregorian month"
            )
        year, month = start.year, start.month
        edges = pd.date_range(start, periods=n_months + 1, freq="MS")
    month_index = np.arange(n_months)
    month_of_year = (month - 1 + month_index) % 12 + 1
    calendar_year = year + (month - 1 + month_index) // 12
    labels = [f"{y}-{m:02d}" for y, m in zip(calendar_year, month_of_year, strict=True)]
    return pd.DataFrame(
        {
            "month_index": month_index,
            "operating_year": month_index // 12 + 1,
            "label": labels,
            "year": calendar_year,
            "month_of_year": month_of_year,
            "start_date": edges[:-1],
            "end_date": edges[1:],
            "days": (edges[1:] - edges[:-1]).days.to_numpy(),
        }
    )


def day_of_year_index(dates) -> np.ndarray:
    """Position of each date in a 365-day typical year (0 = 1 January; 29 February counts as 28 February).

    >>> day_of_year_index(pd.to_datetime(["2026-01-01", "2028-02-29", "2028-12-31"])).tolist()
    [0, 58, 364]
    """
    dates = pd.DatetimeIndex(dates)
    day = dates.day_of_year.to_numpy() - 1
    after_feb28 = dates.is_leap_year & (dates.day_of_year > 59)
    return np.where(after_feb28, day - 1, day)


def month_number(label: str, field: str = "month") -> int:
    """Months since the calendar's epoch of a month label ``"YYYY-MM"`` [-]: two labels'
    difference is the number of months between them.

    Parameters
    ----------
    label : str
        ``"1404-06"`` (Shahrivar 1404), in the scenario's calendar.
    field : str
        Name of the input, for the error.

    Raises
    ------
    InputError
        For anything that is not a month label, naming ``field``.

    Examples
    --------
    >>> month_number("1405-01") - month_number("1404-06")
    7
    """
    text = str(label)
    parts = text.split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts) or len(parts[1]) != 2:
        raise InputError(f"{field} = {label!r} must be a month label 'YYYY-MM' (for example '1404-06')")
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        raise InputError(f"{field} = {label!r}: the month must be 01 to 12")
    return 12 * year + month - 1


def first_month_label(start_date, calendar: str = "jalali") -> str:
    """Label of the first accounting month (``"1405-01"`` for 21 March 2026, Jalali)."""
    return str(accounting_months(start_date, 1, calendar)["label"].iloc[0])
