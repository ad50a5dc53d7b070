"""What every weather frame looks like: its columns, its hourly index in the site's
standard time, and the error and warning the weather stage raises.

One row per hour, a timezone-aware index in the site's local *standard* time, each
timestamp the START of its hour, and the columns :data:`COLUMNS`::

    ghi, dni, dhi   irradiance representative of the hour [W/m2]
    temp_air        air temperature [C]
    wind_speed      wind speed [m/s]
"""

from __future__ import annotations

import datetime
import zoneinfo

import pandas as pd

from solarcoop._validation import InputError
from solarcoop.site import QOM, Site  # noqa: F401  (QOM: the doctests' site)

COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
"""Columns of every weather frame, in order: [W/m2, W/m2, W/m2, C, m/s]."""

IRRADIANCE = ("ghi", "dni", "dhi")
"""The irradiance columns of :data:`COLUMNS` [W/m2]."""

TYPICAL_YEAR = 2025
"""Calendar year typical years are labelled with: Iran has had no daylight saving
since 2022 (Tehran Times, 2022), so every local hour of 2025 exists."""


class WeatherError(InputError):
    """Weather data that cannot be used; the message names what and where."""

    __module__ = "solarcoop.weather"  # its public name


class WeatherWarning(UserWarning):
    """Something odd in weather data that was accepted; see ``metadata['findings']``."""

    __module__ = "solarcoop.weather"  # its public name


def standard_offset_hours(site: Site) -> float:
    """The site's standard (winter, non-DST) offset from UTC [h].

    Examples
    --------
    >>> standard_offset_hours(QOM)
    3.5
    """
    zone = zoneinfo.ZoneInfo(site.timezone)
    offsets = [
        datetime.datetime(TYPICAL_YEAR, month, 15, tzinfo=zone).utcoffset().total_seconds()
        for month in (1, 7)
    ]
    return min(offsets) / 3600


def fixed_tz(offset_hours: float) -> datetime.timezone:
    """A fixed offset from UTC of ``offset_hours`` [h], as a time zone."""
    return datetime.timezone(datetime.timedelta(hours=offset_hours))


def to_site_tz(index: pd.DatetimeIndex, site: Site) -> pd.DatetimeIndex:
    """Express ``index`` in the site's standard time: its IANA zone when that zone
    shows standard time on every timestamp (Asia/Tehran from 2023), else a fixed offset."""
    fixed = index.tz_convert(fixed_tz(standard_offset_hours(site)))
    zoned = index.tz_convert(site.timezone)
    if (zoned.tz_localize(None) == fixed.tz_localize(None)).all():
        return zoned
    return fixed


def format_offset(hours: float) -> str:
    """An offset from UTC [h] as people write it.

    Examples
    --------
    >>> format_offset(3.5)
    'UTC+3:30'
    """
    sign = "+" if hours >= 0 else "-"
    minutes = round(abs(hours) * 60)
    return f"UTC{sign}{minutes // 60}:{minutes % 60:02d}"
