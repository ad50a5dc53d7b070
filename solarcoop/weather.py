"""Hourly weather years: the embedded Qom default, file readers, checks and varied years.

Every function here hands back the same shape of data: one row per hour, a
timezone-aware index in the site's local *standard* time, each timestamp the
START of its hour, and the columns :data:`COLUMNS`::

    ghi, dni, dhi   irradiance representative of the hour [W/m2]
    temp_air        air temperature [C]
    wind_speed      wind speed [m/s]

Readers return ``(data, metadata)``. ``metadata`` is a dict with the source, the
format, the station, ``changes`` (what was done to the data on the way in) and
``findings`` (what the checks noticed, in plain words). Each finding is also
issued as a :class:`WeatherWarning`; problems that would make a result wrong or
NaN raise :class:`WeatherError` naming what and where.

Which problems stop a read (``WeatherError``) and which are findings:

========================================================  =====================
problem                                                   handling
========================================================  =====================
required column missing (ghi, temp_air, wind_speed)       error
dni and dhi missing                                       computed (Erbs), noted
NaN values or missing hours                               error, unless every gap
                                                          is <= ``fill_gaps_hours``
                                                          (then filled, counted)
duplicate timestamps, timestamps not on an hourly grid    error
irradiance below -10 W/m2                                 error
irradiance between -10 and 0 W/m2 (sensor night offset)   set to 0, noted
GHI above 2,000 W/m2 (wrong units)                        error
GHI above extraterrestrial in > 2 % of sun-up hours       error
GHI above extraterrestrial in fewer hours                 finding
GHI above 1.1 x clear sky                                 finding
time zone of the file differs from the site's             converted, noted
timestamps off the sun by the file's own time zone        finding when the site's
                                                          zone explains it (read
                                                          in that zone), else error
                                                          above 0.75 h
station far from the site; degrees.minutes coordinates    finding
DHI = 0 while GHI > 0 (Perez returns NaN or nonsense)     re-split with Erbs, noted
DHI = 0 with the sun up and GHI = 0                       finding (Perez gives NaN)
clock times that did not exist in the site's zone (DST)   finding; a duplicated
                                                          clock hour is an error
air temperature outside -60 to 70 C (kelvin?)             error
negative wind speed                                       error
wind speed zero in more than 20 % of hours                finding
radiation modelled, not measured (TMYx files)             finding
========================================================  =====================
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import os
import warnings
import zoneinfo
from pathlib import Path

import numpy as np
import pandas as pd

from solarcoop import sun
from solarcoop._lazy import LazyModule
from solarcoop._reading import SAVE_AS_UTF8, advice, check_input_file, encoding_problem
from solarcoop._validation import InputError, check_choice, check_number
from solarcoop.site import QOM, Site

pvlib = LazyModule("pvlib")  # imported on first use: it brings scipy (about 0.5 s)

COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
"""Columns of every weather frame, in order: [W/m2, W/m2, W/m2, C, m/s]."""

IRRADIANCE = ("ghi", "dni", "dhi")

FORMATS = ("epw", "pvgis_tmy", "pvgis_hourly", "tmy3", "nsrdb", "csv")
"""File formats :func:`read` understands."""

ACCEPTABLE = ("closure", "dark")
"""Findings that stop a read unless the caller accepts them by name (``accept=``):
``"closure"``: DNI x cos(zenith) + DHI does not add up to GHI over the year (within
:data:`CLOSURE_TOLERANCE`); ``"dark"``: the year has less than :data:`DARK_GHI_KWH_PER_M2`
of sunshine."""

CLOSURE_TOLERANCE = 0.10
"""Largest relative gap between the year's DNI x cos(zenith) + DHI and its GHI, over hours
with the sun above 5 deg and GHI above 50 W/m2 [fraction]. Hourly means of the three
components of good data close within a few per cent (BSRN closure tests use 8 % at high
sun, Long & Shi 2008); 10 % leaves room for hour-mean geometry."""

DARK_GHI_KWH_PER_M2 = 300.0
"""Least yearly sunshine taken as real [kWh/m2/year]; the darkest inhabited places
receive about 600 (northern Scandinavia), Qom about 1,900."""

MAX_WEATHER_BYTES = 500 * 2**20
"""Largest weather file read [bytes]: 20 years of hourly rows take about 20 MB."""

MAX_TYPICAL_YEARS = 1000
"""Most years :func:`typical_years` makes at once (each takes about 0.5 MB); a Monte Carlo
draws its weather from a smaller set of years."""

MAX_FILL_GAPS_HOURS = 24
"""Longest gap filled by interpolation [h]; longer gaps need real data."""

TYPICAL_YEAR = 2025
"""Calendar year typical years are labelled with: Iran has had no daylight saving
since 2022 (Tehran Times, 2022), so every local hour of 2025 exists."""

DEFAULT_SEED = 2025
"""Seed of the day-to-day draw of the embedded default year (any fixed value)."""

# Monthly figures at Kashan airport, 105 km from Qom: ISD-TMYx 2004-2018 file
# (Climate.OneBuilding.org), ratio of its GHI to pvlib's Ineichen clear sky, mean
# air temperature, half the mean daily range and mean wind. Read 2025.
QOM_MONTHLY = pd.DataFrame(
    {
        "clear_sky_ratio": [0.782, 0.759, 0.829, 0.820, 0.863, 0.931,
                            0.945, 0.958, 0.940, 0.904, 0.814, 0.774],
        "temp_air_mean_c": [5.8, 9.2, 13.7, 20.0, 26.0, 31.2, 34.3, 32.0, 27.1, 19.6, 11.1, 5.0],
        "temp_air_half_range_c": [6.1, 6.8, 6.5, 6.7, 6.6, 6.7, 6.8, 7.4, 7.8, 6.7, 4.9, 5.3],
        "wind_speed_m_per_s": [1.0, 1.0, 0.4, 1.6, 1.6, 1.5, 2.4, 3.2, 1.1, 1.1, 0.6, 0.5],
    },
    index=pd.RangeIndex(1, 13, name="month"),
)  # fmt: skip
"""Monthly inputs of the embedded default (Kashan TMYx 2004-2018, Climate.OneBuilding.org)."""

INTERANNUAL_STD = 0.025
"""Year-to-year standard deviation of annual GHI [fraction]: a stated assumption
inside the 1.7-3.4 % range derived for sunny climates from P99 being 4-8 % below
P50 (Clean Power Research resource-variability note; Vaisala 2019). No
multi-year series for Qom was found; load one (PVGIS hourly) to replace it."""

TEMP_AIR_PEAK_HOUR = 15.0
"""Local hour of the daily maximum air temperature in the sinusoidal profile [h]
(usual mid-afternoon maximum of dry climates; an assumption)."""

# Thresholds of the checks (module constants, like pvanalytics' QCRAD limits). Each has its
# basis on the line above it; "a judgment" marks a number chosen here, not taken from a source.
# Thermopile pyranometers read a few W/m2 below zero at night (thermal offset); the BSRN
# "physically possible" lower limit is -4 W/m2 (Long and Shi 2008, QCRad; BSRN global
# network recommended QC tests v2.0, Long and Dutton 2002); -10 W/m2 is a judgment with margin.
NEGATIVE_TOLERANCE_W_PER_M2 = 10.0
# Above about 1.4 x the solar constant (1361 W/m2, Kopp and Lean 2011): BSRN's physically
# possible maximum for GHI is 1.5 x Sa x cos(z)^1.2 + 100 W/m2 (QCRad, Long and Shi 2008),
# reached only with the sun overhead; 2,000 catches kJ/m2 (x 3.6); a judgment near that bound.
GHI_UNITS_LIMIT_W_PER_M2 = 2000.0
# Hour averages may exceed the extraterrestrial value only by rounding and sub-hour timing:
# a judgment (10 W/m2, about 1 % of the noon value).
EXTRATERRESTRIAL_MARGIN_W_PER_M2 = 10.0
# A judgment: a few sunrise/sunset hours over extraterrestrial are a timing nuance; more than
# 2 % of sun-up hours (about 90 h a year) means a systematic time or unit error.
EXTRATERRESTRIAL_ERROR_SHARE = 0.02
# Cloud enhancement lifts GHI above clear sky at times, most in short intervals (Gueymard
# 2017, Solar Energy 153, 755-765); 1.1 on hour averages is a judgment to flag, not refuse.
CLEAR_SKY_FACTOR = 1.1
# A judgment: below this (sunrise, sunset) the clear-sky comparison is noise.
CLEAR_SKY_MIN_GHI_W_PER_M2 = 100.0
# A judgment: a quarter hour is half the mid-hour convention's ambiguity (start, middle or
# end of the hour labels differ by 0.5 h); 0.75 h is beyond any labelling convention.
TIMING_TOLERANCE_H = 0.25
TIMING_ERROR_H = 0.75
# A judgment: about the scale over which monthly irradiation in a flat, dry region varies by
# a few per cent; further away the station's weather may differ from the site's.
STATION_DISTANCE_KM = 30.0
# A judgment: when a fifth of all hours read exactly 0 m/s, light winds are probably
# reported as 0 or missing values are coded as 0.
CALM_SHARE = 0.2
# Plausible air temperature at the ground [C]: a judgment around the world records
# (-89 C Vostok, 54-57 C Death Valley; WMO archive of weather extremes) for places where
# PV plants stand; values outside suggest kelvin or Fahrenheit.
TEMP_AIR_MIN_C = -60.0
TEMP_AIR_MAX_C = 70.0
# Wind speed is a magnitude; negative values are data errors [m/s].
WIND_SPEED_MIN_M_PER_S = 0.0
_TYPICAL_FORMATS = ("epw", "pvgis_tmy", "tmy3")


class WeatherError(InputError):
    """Weather data that cannot be used; the message names what and where."""


def check_limits(data: pd.DataFrame, name: str = "weather",
                 negative_tolerance_w_per_m2: float = 0.0) -> None:
    """Raise :class:`WeatherError` on the first value outside the physical limits.

    Irradiance must lie in ``-negative_tolerance_w_per_m2`` to
    :data:`GHI_UNITS_LIMIT_W_PER_M2` [W/m2], air temperature in :data:`TEMP_AIR_MIN_C`
    to :data:`TEMP_AIR_MAX_C` [C], wind speed at least :data:`WIND_SPEED_MIN_M_PER_S`
    [m/s]. Columns of :data:`COLUMNS` not in ``data`` are skipped; NaN is not checked
    here. The message names the column, the value and the timestamp.

    Examples
    --------
    >>> index = pd.date_range("2025-06-21", periods=2, freq="h", tz="Asia/Tehran")
    >>> frame = pd.DataFrame({"temp_air": [298.0, 300.0]}, index=index)
    >>> check_limits(frame)
    Traceback (most recent call last):
    ...
    solarcoop.weather.WeatherError: weather.temp_air = 298 C at 2025-06-21 00:00:00+03:30 is outside the plausible -60 to 70 C: is it in kelvin (subtract 273.15)?
    """
    limits = {column: (-negative_tolerance_w_per_m2, GHI_UNITS_LIMIT_W_PER_M2)
              for column in IRRADIANCE}
    limits["temp_air"] = (TEMP_AIR_MIN_C, TEMP_AIR_MAX_C)
    limits["wind_speed"] = (WIND_SPEED_MIN_M_PER_S, np.inf)
    for column, (low, high) in limits.items():
        if column not in data.columns:
            continue
        values = data[column].to_numpy(dtype=float)
        bad = (values < low) | (values > high)
        if not bad.any():
            continue
        row = int(np.argmax(bad))
        value, when = values[row], data.index[row]
        if column == "temp_air":
            hint = (f"is outside the plausible {low:g} to {high:g} C"
                    + (": is it in kelvin (subtract 273.15)?" if value > 200 else
                       ": is it in Fahrenheit or a missing-value code?"))
            unit = "C"
        elif column == "wind_speed":
            hint, unit = "is negative: a wind speed cannot be (not clipped)", "m/s"
        elif value < 0:
            hint = (f"is below -{negative_tolerance_w_per_m2:g} W/m2" if
                    negative_tolerance_w_per_m2 else "is negative")
            hint += (" (weather.check sets sensor night offsets down to "
                     f"-{NEGATIVE_TOLERANCE_W_PER_M2:g} W/m2 to 0)")
            unit = "W/m2"
        else:
            hint = (f"is above {high:g} W/m2, impossible on Earth: is it in kJ/m2 or Wh "
                    "per another interval?")
            unit = "W/m2"
        raise WeatherError(f"{name}.{column} = {value:g} {unit} at {when} {hint}")



class WeatherWarning(UserWarning):
    """Something odd in weather data that was accepted; see ``metadata['findings']``."""


# --------------------------------------------------------------------------- time


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


def _fixed_tz(offset_hours: float) -> datetime.timezone:
    return datetime.timezone(datetime.timedelta(hours=offset_hours))


def _to_site_tz(index: pd.DatetimeIndex, site: Site) -> pd.DatetimeIndex:
    """Express ``index`` in the site's standard time: its IANA zone when that zone
    shows standard time on every timestamp (Asia/Tehran from 2023), else a fixed offset."""
    fixed = index.tz_convert(_fixed_tz(standard_offset_hours(site)))
    zoned = index.tz_convert(site.timezone)
    if (zoned.tz_localize(None) == fixed.tz_localize(None)).all():
        return zoned
    return fixed


def _format_offset(hours: float) -> str:
    sign = "+" if hours >= 0 else "-"
    minutes = round(abs(hours) * 60)
    return f"UTC{sign}{minutes // 60}:{minutes % 60:02d}"


# ---------------------------------------------------------------- sun and clear sky


def _sun_points(index: pd.DatetimeIndex, site: Site, substeps: int):
    """Sun at ``substeps`` evenly spaced points of each hour that starts at ``index``.

    Returns the points (flat, hour by hour), the apparent zenith [degrees], cos(zenith)
    clipped at 0 [-] and extraterrestrial normal irradiance [W/m2], all flat arrays.
    """
    offsets = pd.to_timedelta((np.arange(substeps) + 0.5) / substeps * 3600, unit="s")
    times = index.repeat(substeps) + np.tile(offsets.to_numpy(), len(index))
    position = pvlib.solarposition.get_solarposition(times, site.latitude, site.longitude,
                                                     site.altitude_m,
                                                     method=sun.SOLAR_POSITION_METHOD)
    cos_zenith = np.clip(np.cos(np.radians(position["zenith"].to_numpy())), 0, None)
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(times), dtype=float)
    return times, position["apparent_zenith"].to_numpy(), cos_zenith, dni_extra


def _ineichen_ghi(times: pd.DatetimeIndex, apparent_zenith: np.ndarray,
                  dni_extra: np.ndarray, site: Site) -> np.ndarray:
    """Ineichen clear-sky GHI with pvlib's monthly Linke turbidity [W/m2], 0 at night."""
    airmass = pvlib.atmosphere.get_relative_airmass(apparent_zenith)
    airmass_abs = pvlib.atmosphere.get_absolute_airmass(
        airmass, pvlib.atmosphere.alt2pres(site.altitude_m))
    linke = np.asarray(
        pvlib.clearsky.lookup_linke_turbidity(times, site.latitude, site.longitude), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        clear = pvlib.clearsky.ineichen(apparent_zenith, airmass_abs, linke, site.altitude_m,
                                        dni_extra)
    return np.nan_to_num(np.asarray(clear["ghi"], dtype=float))


def _sun(index: pd.DatetimeIndex, site: Site, substeps: int = 1) -> pd.DataFrame:
    """Sun over each hour that starts at ``index``, averaged over ``substeps`` points.

    Returns cos(zenith) clipped at 0, extraterrestrial horizontal irradiance and
    Ineichen clear-sky GHI, all hour averages [-, W/m2, W/m2], and the zenith at mid-hour.
    """
    times, apparent_zenith, cos_zenith, dni_extra = _sun_points(index, site, substeps)
    ghi_clear = _ineichen_ghi(times, apparent_zenith, dni_extra, site)
    shape = (len(index), substeps)
    mid = sun.mid_interval_position(site, index)  # shared with the plant physics
    return pd.DataFrame(
        {
            "cos_zenith": cos_zenith.reshape(shape).mean(axis=1),
            "extraterrestrial": (dni_extra * cos_zenith).reshape(shape).mean(axis=1),
            "ghi_clear": ghi_clear.reshape(shape).mean(axis=1),
            "zenith": mid["zenith"].to_numpy(),
        },
        index=index,
    )


@functools.lru_cache(maxsize=8)
def _clear_sky_year(site: Site) -> pd.DataFrame:
    """Mid-hour sun and Ineichen clear sky for each hour of the typical year at ``site``."""
    index = pd.date_range(f"{TYPICAL_YEAR}-01-01", periods=8760, freq="h",
                          tz=_fixed_tz(standard_offset_hours(site)))
    index = _to_site_tz(index, site)
    mid = index + pd.Timedelta(minutes=30)
    position = sun.mid_interval_position(site, index)  # shared with the plant
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(mid), dtype=float)
    ghi_clear = _ineichen_ghi(mid, position["apparent_zenith"].to_numpy(), dni_extra, site)
    return pd.DataFrame(
        {
            "ghi_clear": ghi_clear,
            "zenith": position["zenith"].to_numpy(),
            "day": np.repeat(np.arange(365), 24),
            "month": index.month,
        },
        index=index,
    )


def _daily_ratios(ratio_by_month: np.ndarray, clear_daily: np.ndarray, months: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    """Daily GHI / clear-sky ratios whose clear-sky-weighted monthly mean is ``ratio_by_month``.

    Each day's shortfall from clear sky is ``(1 - ratio) * g`` with ``g`` drawn from a
    beta distribution (many near-clear days, a few dark ones), rescaled so each month's
    shortfall is exactly the target, then capped so a day keeps at least 5 % of clear sky.
    """
    deficit_target = 1.0 - ratio_by_month[months - 1]
    scale = 0.95
    mean = np.clip(deficit_target / scale, 1e-6, 0.999)
    shape_a = 0.6
    draw = scale * rng.beta(shape_a, shape_a * (1.0 / mean - 1.0))
    weighted = np.bincount(months - 1, weights=draw * clear_daily, minlength=12)
    wanted = np.bincount(months - 1, weights=deficit_target * clear_daily, minlength=12)
    factor = np.divide(wanted, weighted, out=np.ones(12), where=weighted > 0)
    deficit = np.clip(draw * factor[months - 1], 0.0, scale)
    return 1.0 - deficit


def _synthetic_year(site: Site, ratio_by_month: np.ndarray,
                    rng: np.random.Generator) -> pd.DataFrame:
    base = _clear_sky_year(site)
    ghi_clear = base["ghi_clear"].to_numpy()
    months_hourly = base["month"].to_numpy()
    clear_daily = ghi_clear.reshape(365, 24).sum(axis=1)
    months_daily = months_hourly[::24]
    ratio_daily = _daily_ratios(ratio_by_month, clear_daily, months_daily, rng)
    ghi = ghi_clear * np.repeat(ratio_daily, 24)
    split = pvlib.irradiance.erbs(ghi, base["zenith"].to_numpy(), base.index + pd.Timedelta("30min"))
    dni = np.nan_to_num(np.asarray(split["dni"], dtype=float))
    dhi = np.nan_to_num(np.asarray(split["dhi"], dtype=float))
    monthly = QOM_MONTHLY.to_numpy()[months_hourly - 1]
    hour_mid = base.index.hour.to_numpy() + 0.5
    temp_air = monthly[:, 1] + monthly[:, 2] * np.cos(2 * np.pi * (hour_mid - TEMP_AIR_PEAK_HOUR) / 24)
    return pd.DataFrame(
        {"ghi": ghi, "dni": dni, "dhi": dhi, "temp_air": temp_air, "wind_speed": monthly[:, 3]},
        index=base.index,
    )


@functools.lru_cache(maxsize=8)
def _typical_year_cached(site: Site) -> pd.DataFrame:
    rng = np.random.default_rng(DEFAULT_SEED)
    return _synthetic_year(site, QOM_MONTHLY["clear_sky_ratio"].to_numpy(), rng)


def qom_typical_year(site: Site | None = None) -> pd.DataFrame:
    """The embedded typical year: a documented synthesis, no data file, no network.

    Method, hour by hour (timestamps are the start of each hour; the sun is taken
    at the middle of the hour so each value stands for the whole hour):

    1. Ineichen clear sky (Ineichen and Perez 2002, doi:10.1016/S0038-092X(02)00045-2)
       with pvlib's monthly Linke turbidity lookup (Remund et al. 2003, shipped with pvlib).
    2. Each day's GHI is clear sky times a daily ratio. The ratios vary from day to day
       (mostly near-clear days, some cloudy ones; seeded, so always the same year) and
       their clear-sky-weighted mean in each month equals the measured monthly ratio at
       Kashan airport, 105 km from Qom (ISD-TMYx 2004-2018, Climate.OneBuilding.org),
       :data:`QOM_MONTHLY`.
    3. DNI and DHI from GHI with the Erbs decomposition (Erbs et al. 1982,
       doi:10.1016/0038-092X(82)90302-4); Erbs never returns DHI = 0 while GHI > 0.
    4. Air temperature: monthly mean plus a cosine of the monthly half daily range
       peaking at :data:`TEMP_AIR_PEAK_HOUR`; wind: the monthly mean (both Kashan TMYx).

    At Qom this gives about 2,005 kWh/m2 of GHI a year.

    Parameters
    ----------
    site : Site, optional
        Where; ``None`` means :data:`solarcoop.site.QOM`. The monthly ratios,
        temperatures and winds are Kashan's wherever the site is.

    Returns
    -------
    pandas.DataFrame
        8760 hours of :data:`TYPICAL_YEAR` in local standard time, columns
        :data:`COLUMNS` [W/m2, W/m2, W/m2, C, m/s]. A fresh copy on each call.

    Examples
    --------
    How much sunshine does the default give Qom in a year?

    >>> year = qom_typical_year()
    >>> len(year), list(year.columns)
    (8760, ['ghi', 'dni', 'dhi', 'temp_air', 'wind_speed'])
    >>> round(year["ghi"].sum() / 1000)  # kWh/m2
    2005
    """
    return _typical_year_cached(QOM if site is None else site).copy()


EMBEDDED_YEAR_RANGE_KM = 50.0
"""Beyond this distance from Qom the embedded year's weather is no longer the site's [km]."""


def embedded_year_findings(site: Site) -> list[str]:
    """What a run on the embedded year should say when the site is far from Qom.

    The embedded year (:func:`qom_typical_year`) puts Kashan's monthly cloudiness,
    temperatures and winds, measured 105 km from Qom, under the clear sky of any site.
    Within :data:`EMBEDDED_YEAR_RANGE_KM` of Qom that is the year it was built and
    checked for; farther away it is another climate's weather. No offline typical year
    for other places is bundled: none was found that could be cited and checked against
    measured files the way this one was.

    Examples
    --------
    >>> embedded_year_findings(QOM)
    []
    >>> isfahan = Site(latitude=32.65, longitude=51.67, timezone="Asia/Tehran", name="Isfahan")
    >>> print(embedded_year_findings(isfahan)[0][:96])
    weather: the site Isfahan is 233 km from Qom, but the weather is the embedded typical year bu...
    """
    distance_km = _distance_km(site.latitude, site.longitude, QOM.latitude, QOM.longitude)
    if distance_km <= EMBEDDED_YEAR_RANGE_KM:
        return []
    return [
        f"weather: the site {site.label} is {distance_km:,.0f} km from Qom, but the weather is "
        "the embedded typical year built for Qom (Kashan airport's monthly cloudiness, "
        "temperatures and winds under the site's clear sky), not the site's own. For the "
        f"site's year give weather=sc.weather.fetch_pvgis_tmy({site.latitude:g}, "
        f"{site.longitude:g}) (downloads once, then cached) or weather='FILE' (EPW, PVGIS, "
        "TMY3, NSRDB or CSV). No offline typical year for other places is bundled."
    ]


def typical_years(n: int, seed=None, site: Site | None = None,
                  interannual_std: float = INTERANNUAL_STD) -> list[pd.DataFrame]:
    """``n`` hourly years around the default, each with its own sunshine.

    Each year draws an annual GHI factor from a normal distribution with mean 1 and
    standard deviation ``interannual_std`` (:data:`INTERANNUAL_STD`, 2.5 %, a stated
    assumption; see its source) and a fresh day-to-day sequence of clear and cloudy
    days. The factor scales every month's shortfall from clear sky by the same amount
    (a poor year is a cloudier year, most of all in the cloudy months), so a year's
    annual GHI is the default's times its factor within 0.2 % (the day-to-day draw
    and the cap that keeps every day at 5 % of clear sky or more move it slightly).
    Temperature and wind are the default's.

    Parameters
    ----------
    n : int
        Number of years, >= 1.
    seed : int, numpy.random.Generator or None
        Same seed, same years.
    site : Site, optional
        ``None`` means :data:`solarcoop.site.QOM`.
    interannual_std : float
        Year-to-year standard deviation of annual GHI [fraction], 0 to 0.08.

    Returns
    -------
    list of pandas.DataFrame
        Frames shaped like :func:`qom_typical_year`.

    Examples
    --------
    >>> years = typical_years(3, seed=1)
    >>> [len(year) for year in years]
    [8760, 8760, 8760]
    """
    n = check_number("weather.n", n, minimum=1, maximum=MAX_TYPICAL_YEARS, integer=True)
    interannual_std = check_number("weather.interannual_std", interannual_std,
                                   minimum=0, maximum=0.08)
    site = QOM if site is None else site
    rng = np.random.default_rng(seed)
    factors = 1.0 + interannual_std * rng.standard_normal(n)
    children = rng.spawn(n)
    ratio = QOM_MONTHLY["clear_sky_ratio"].to_numpy()
    clear_monthly = _clear_sky_year(site).groupby("month")["ghi_clear"].sum().to_numpy()
    total_clear = clear_monthly.sum()
    total_default = (clear_monthly * ratio).sum()
    total_deficit = (clear_monthly * (1 - ratio)).sum()
    # Deficit multiplier m with sum C (1 - m (1 - r)) = factor * sum C r.
    multipliers = (total_clear - factors * total_default) / total_deficit
    multipliers = np.clip(multipliers, 0.0, 0.95 / (1 - ratio).max())
    return [
        _synthetic_year(site, 1.0 - multiplier * (1.0 - ratio), child)
        for multiplier, child in zip(multipliers, children, strict=True)
    ]


def split_years(data: pd.DataFrame) -> list[pd.DataFrame]:
    """Cut a multi-year hourly series (e.g. PVGIS hourly) into whole calendar years.

    Each year keeps its own timestamps; 29 February is dropped so every year has
    8760 hours like :func:`typical_years`. Incomplete years (usually the first and
    last after a time-zone shift) are left out with a :class:`WeatherWarning`.

    Examples
    --------
    >>> index = pd.date_range("2023-01-01", "2025-01-01 05:00", freq="h", tz="Asia/Tehran")
    >>> frame = pd.DataFrame(0.0, index=index, columns=list(COLUMNS))
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     [year.index[0].year for year in split_years(frame)]
    [2023, 2024]
    """
    if not isinstance(data.index, pd.DatetimeIndex):
        raise WeatherError("weather data need a DatetimeIndex to be split into years")
    keep = ~((data.index.month == 2) & (data.index.day == 29))
    data = data[keep]
    counts = data.groupby(data.index.year).size()
    whole = counts.index[counts.to_numpy() == 8760]
    partial = counts.index[counts.to_numpy() != 8760]
    if len(partial):
        message = (f"years {list(map(int, partial))} are incomplete "
                   f"({list(map(int, counts[partial]))} hours) and were left out")
        warnings.warn(message, WeatherWarning, stacklevel=2)
    return [data[data.index.year == year].copy() for year in whole]


# ------------------------------------------------------------------------- readers

_EPW_MISSING = {"ghi": 9999, "dni": 9999, "dhi": 9999, "temp_air": 99.9, "wind_speed": 999}


def _detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".epw":
        return "epw"
    if suffix == ".json":
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        if not isinstance(document, dict) or not isinstance(document.get("outputs"), dict):
            raise WeatherError(f"weather file {path.name} is JSON but not a PVGIS file (no 'outputs' table)")
        outputs = document["outputs"]
        return "pvgis_tmy" if "tmy_hourly" in outputs else "pvgis_hourly"
    with open(path, encoding="utf-8", errors="replace") as handle:
        head = [handle.readline() for _ in range(5)]
    if head[0].startswith("Latitude (decimal degrees)"):
        tmy = any(line.startswith(("Irradiance Time Offset", "month,year")) for line in head)
        return "pvgis_tmy" if tmy else "pvgis_hourly"
    if head[0].startswith("Source,") or "Location ID" in head[0]:
        return "nsrdb"
    if "Date (MM/DD/YYYY)" in head[1]:
        return "tmy3"
    return "csv"


def _read_raw(path: Path, fmt: str):
    """Parse a file with pvlib.iotools; return (frame, station dict, file offset, notes)."""
    notes = []
    if fmt == "epw":
        data, meta = pvlib.iotools.read_epw(path)
        for column, missing in _EPW_MISSING.items():  # the marker itself; a kelvin 290 stays, to be refused
            data[column] = data[column].where(~np.isclose(data[column], missing))
        station = {"name": meta.get("city"), "latitude": meta["latitude"],
                   "longitude": meta["longitude"], "altitude_m": meta["altitude"],
                   "data_type": meta.get("data_type")}
        return data, station, float(meta["TZ"]), notes
    if fmt in ("pvgis_tmy", "pvgis_hourly"):
        reader = pvlib.iotools.read_pvgis_tmy if fmt == "pvgis_tmy" else pvlib.iotools.read_pvgis_hourly
        pvgis_format = "json" if path.suffix.lower() == ".json" else "csv"
        data, meta = reader(path, pvgis_format=pvgis_format)
        inputs = meta.get("inputs", {})
        location = inputs.get("location", inputs)
        station = {"name": "PVGIS", "latitude": float(location["latitude"]),
                   "longitude": float(location["longitude"]),
                   "altitude_m": float(location.get("elevation", 0.0))}
        if data.index.minute.any():
            notes.append(f"PVGIS times at minute {int(data.index.minute[0])} past the hour "
                         "were taken as the start of that hour")
            data.index = data.index.floor("h")
        if "ghi" not in data and {"poa_direct", "poa_sky_diffuse"} <= set(data.columns):
            slope = _pvgis_slope(inputs)
            if slope:
                raise WeatherError(f"{path.name}: the PVGIS series is on a plane tilted "
                                   f"{slope:g} deg; download it for slope 0 (horizontal)")
            ground = data.get("poa_ground_diffuse", 0.0)
            data["ghi"] = data["poa_direct"] + data["poa_sky_diffuse"] + ground
            data["dhi"] = data["poa_sky_diffuse"]
            notes.append("PVGIS horizontal components summed to GHI; DHI = diffuse; DNI from "
                         "the beam on the horizontal and the sun")
        return data, station, 0.0, notes
    if fmt == "tmy3":
        data, meta = pvlib.iotools.read_tmy3(path, map_variables=True)
        # TMY3 labels each hour at its end; solarcoop labels the start.
        data.index = data.index - pd.Timedelta(hours=1)
        notes.append("TMY3 hour-ending times moved back one hour to hour-start labels")
        station = {"name": meta.get("Name"), "latitude": meta["latitude"],
                   "longitude": meta["longitude"], "altitude_m": meta["altitude"]}
        return data, station, float(meta["TZ"]), notes
    if fmt == "nsrdb":
        data, meta = pvlib.iotools.read_nsrdb_psm4(path, map_variables=True)
        if data.index.minute.any():
            notes.append("NSRDB values at half past the hour (instantaneous, mid-hour) "
                         "labelled with the start of their hour")
            data.index = data.index.floor("h")
        station = {"name": f"NSRDB {meta.get('Location ID', '')}".strip(),
                   "latitude": meta["latitude"], "longitude": meta["longitude"],
                   "altitude_m": float(meta["altitude"])}
        return data, station, float(meta["Time Zone"]), notes
    data = pd.read_csv(path)
    if "time" not in data.columns:
        raise WeatherError(f"{path.name}: a plain CSV needs a 'time' column; found "
                           f"{list(data.columns)}")
    data = data.set_index(pd.to_datetime(data.pop("time"), format="ISO8601"))
    return data, None, None, notes


def _reader_failure(path: Path, fmt: str | None, error: Exception) -> str:
    """What went wrong reading ``path``, in one sentence."""
    as_format = f" as {fmt}" if fmt else ""
    if isinstance(error, UnicodeDecodeError):
        return f"weather file {path.name} is not UTF-8 text (byte at position {error.start}): {SAVE_AS_UTF8}"
    if isinstance(error, json.JSONDecodeError):
        return (f"weather file {path.name} is not valid JSON (line {error.lineno}, column "
                f"{error.colno}: {error.msg}); is it truncated?")
    if isinstance(error, KeyError):
        return (f"weather file {path.name} could not be read{as_format}: it has no {error} "
                "entry (truncated, or another format? pass format= one of " + ", ".join(FORMATS) + ")")
    if isinstance(error, pd.errors.ParserError | pd.errors.EmptyDataError):
        return f"weather file {path.name} could not be read{as_format}: {' '.join(str(error).split())}"
    return (f"weather file {path.name} could not be read{as_format} "
            f"({type(error).__name__}: {' '.join(str(error).split())}); is it truncated or in another format?")


def _pvgis_slope(inputs: dict) -> float | None:
    """The plane's slope in a PVGIS hourly request [deg], if the file states it."""
    try:
        return float(inputs["mounting_system"]["fixed"]["slope"]["value"])
    except (KeyError, TypeError, ValueError):
        pass
    text = str(inputs.get("Slope", "")).split(" ")[0]
    try:
        return float(text)
    except ValueError:
        return None


def read(path, format: str | None = None, site: Site | None = None,  # noqa: A002
         fill_gaps_hours: int = 0, accept=()) -> tuple[pd.DataFrame, dict]:
    """Read an hourly weather file, check it and return it the solarcoop way.

    Parameters
    ----------
    path : str or pathlib.Path
        An EPW, PVGIS typical-year (CSV or JSON), PVGIS hourly series (CSV or
        JSON), TMY3, NSRDB PSM CSV, or a plain CSV with a ``time`` column (ISO
        timestamps; without an offset they are taken as the site's standard time)
        and columns named ``ghi``, ``temp_air``, ``wind_speed`` (and optionally
        ``dni``, ``dhi``) [W/m2, C, m/s].
    format : str, optional
        One of :data:`FORMATS`; guessed from the extension and first lines if omitted.
    site : Site, optional
        The plant's site (``None``: :data:`solarcoop.site.QOM`). Output times are in
        its standard time, and the station is checked against it.
    fill_gaps_hours : int
        Fill gaps (missing hours or NaN values) of at most this many hours by linear
        interpolation; longer gaps raise :class:`WeatherError`. 0 fills nothing; at
        most :data:`MAX_FILL_GAPS_HOURS`.
    accept : sequence of str
        Findings from :data:`ACCEPTABLE` to accept rather than stop on: ``"closure"``
        (DNI, DHI and GHI do not add up) and ``"dark"`` (almost no sunshine all year).

    Returns
    -------
    data : pandas.DataFrame
        Hourly, columns :data:`COLUMNS`. Typical-year formats (EPW, PVGIS TMY, TMY3)
        are relabelled to :data:`TYPICAL_YEAR`, hour by hour.
    metadata : dict
        ``source``, ``format``, ``station``, ``changes``, ``findings``,
        ``annual_ghi_kwh_per_m2`` (mean over the years).

    Raises
    ------
    WeatherError
        When the file cannot be used as it is; the message says what and where.
    """
    path = check_input_file(path, "weather file", MAX_WEATHER_BYTES, WeatherError)
    with open(path, "rb") as handle:
        problem = encoding_problem(handle.read(65536))
    if problem and not problem.startswith("is not UTF-8"):  # EPW station names may be Latin-1
        raise WeatherError(f"weather file {path.name} {problem}: {advice(problem)}")
    fmt = format if format is not None else None
    try:
        fmt = _detect_format(path) if format is None else check_choice("weather.format", format, FORMATS)
        raw, station, file_offset, notes = _read_raw(path, fmt)
    except WeatherError:
        raise
    except Exception as error:  # any parser failure: name the file, the format and the cause
        raise WeatherError(_reader_failure(path, fmt, error)) from error
    findings = []
    if station and "TMYx" in str(station.get("data_type", "")):
        findings.append(
            f"{path.name}: radiation in ISD-TMYx files is modelled from cloud reports, not "
            "measured; expect a few per cent uncertainty in the energy")
    return _normalise(raw, site, source=str(path), fmt=fmt, station=station,
                      file_offset=file_offset, changes=notes, findings=findings,
                      typical=fmt in _TYPICAL_FORMATS, fill_gaps_hours=fill_gaps_hours,
                      accept=accept)


def check(data: pd.DataFrame, site: Site | None = None,
          fill_gaps_hours: int = 0, accept=()) -> tuple[pd.DataFrame, dict]:
    """Check and normalise a weather DataFrame exactly like a file (see :func:`read`).

    A naive index is taken as the site's standard time.

    Examples
    --------
    >>> year = qom_typical_year()
    >>> checked, metadata = check(year)
    >>> metadata["findings"]
    []
    """
    if not isinstance(data, pd.DataFrame):
        raise WeatherError(f"weather data must be a pandas DataFrame, not {type(data).__name__}")
    if not isinstance(data.index, pd.DatetimeIndex):
        raise WeatherError("weather data need a DatetimeIndex (the start of each hour)")
    file_offset = None
    if data.index.tz is not None and len(data.index):
        file_offset = data.index[0].utcoffset().total_seconds() / 3600
    return _normalise(data.copy(), site, source="DataFrame", fmt="dataframe", station=None,
                      file_offset=file_offset, changes=[], findings=[], typical=False,
                      fill_gaps_hours=fill_gaps_hours, accept=accept)


def resolve(source, site: Site | None = None, fill_gaps_hours: int = 0, accept=()) -> pd.DataFrame:
    """The hourly weather a simulation uses.

    ``None`` gives :func:`qom_typical_year`; a path is :func:`read`; a DataFrame
    is :func:`check` -ed, with ``fill_gaps_hours`` and ``accept`` as there. Raises
    :class:`WeatherError` on bad data.

    Examples
    --------
    >>> len(resolve(None))
    8760
    """
    if source is None:
        return qom_typical_year(site)
    if isinstance(source, str | os.PathLike):
        return read(source, site=site, fill_gaps_hours=fill_gaps_hours, accept=accept)[0]
    if isinstance(source, pd.DataFrame):
        return check(source, site, fill_gaps_hours=fill_gaps_hours, accept=accept)[0]
    raise WeatherError(f"weather = {type(source).__name__} is not allowed: give None, a file "
                       "path or a DataFrame")


# -------------------------------------------------------------------------- checks


def _distance_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _degrees_minutes(value: float) -> float | None:
    """``35.41`` read as 35 deg 41 min -> 35.683, when it can be; else None."""
    text = f"{abs(value):.6f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    if len(decimals) != 2 or int(decimals) >= 60:
        return None
    return math.copysign(int(whole) + int(decimals) / 60, value)


def _check_station(station: dict, site: Site, name: str) -> list[str]:
    findings = []
    lat, lon = station["latitude"], station["longitude"]
    distance = _distance_km(lat, lon, site.latitude, site.longitude)
    if distance > STATION_DISTANCE_KM:
        findings.append(
            f"{name}: the station ({lat:g} N, {lon:g} E) is {distance:.0f} km from "
            f"{site.name} ({site.latitude:g} N, {site.longitude:g} E); its weather may differ")
    lat_dm, lon_dm = _degrees_minutes(lat), _degrees_minutes(lon)
    if lat_dm is not None and lon_dm is not None:
        moved = _distance_km(lat, lon, lat_dm, lon_dm)
        closer = _distance_km(lat_dm, lon_dm, site.latitude, site.longitude) < distance / 2
        likelihood = "almost certainly" if closer else "may be"
        findings.append(
            f"{name}: the coordinates {lat:g}, {lon:g} {likelihood} written as degrees.minutes "
            f"({lat_dm:.3f} N, {lon_dm:.3f} E in decimal degrees, {moved:.0f} km away); "
            "check the station's position")
    return findings


def _timing_offset_hours(data: pd.DataFrame, longitude: float) -> float:
    """How late the data's daily sunshine peaks against the sun [h], median over sunny days.

    For each day, the GHI-weighted mean of the hours' mid-points in apparent solar
    time is compared with solar noon (12:00). A positive value means the timestamps
    run late (for instance the file's real zone is east of the one it states).
    """
    mid_utc = data.index.tz_convert("UTC") + pd.Timedelta(minutes=30)
    eot_h = pvlib.solarposition.equation_of_time_spencer71(mid_utc.day_of_year.to_numpy()) / 60
    epoch_h = (mid_utc - pd.Timestamp("1970-01-01", tz="UTC")).total_seconds().to_numpy() / 3600
    solar_h = epoch_h + longitude / 15 + eot_h  # apparent solar time, hours since the epoch
    day = np.floor(solar_h / 24)
    hour_of_day = solar_h - day * 24
    ghi = np.nan_to_num(data["ghi"].to_numpy(dtype=float))
    frame = pd.DataFrame({"day": day, "w": ghi, "wt": ghi * hour_of_day})
    sums = frame.groupby("day")[["w", "wt"]].sum()
    sunny = sums["w"] > 0.3 * sums["w"].median()
    centroid = sums["wt"][sunny] / sums["w"][sunny]
    return float(np.median(centroid.to_numpy()) - 12.0) if len(centroid) else 0.0


def _extraterrestrial(index: pd.DatetimeIndex, site: Site, substeps: int) -> np.ndarray:
    """Extraterrestrial irradiance on the horizontal at ``substeps`` points of each hour
    starting at ``index`` [W/m2], shape (hours, substeps)."""
    _, _, cos_zenith, dni_extra = _sun_points(index, site, substeps)
    return (dni_extra * cos_zenith).reshape(len(index), substeps)


def _recut(data: pd.DataFrame, minute: int, site: Site, circular: bool):
    """Move hours labelled ``minute`` past the hour onto whole local hours.

    Local hour [h, h+1) holds ``minute`` minutes of the file hour labelled (h-1):mm and
    the rest of the one labelled h:mm. Temperature and wind are mixed in that
    proportion. Irradiance is split through the clearness index: each file hour's value
    divided by its extraterrestrial irradiance, times the extraterrestrial irradiance
    of each part of the local hour, so no light moves into hours when the sun is down.
    Returns the frame and the GHI dropped from file hours without sun [Wh/m2].
    """
    substeps = 4  # quarter hours: exact for offsets of 15, 30 and 45 min
    weight = minute / 60
    extra_file = _extraterrestrial(data.index, site, substeps).mean(axis=1)
    local = data.index - pd.Timedelta(minutes=minute)
    extra_local = _extraterrestrial(local, site, substeps)
    in_previous = (np.arange(substeps) + 0.5) / substeps < weight
    extra_previous = extra_local[:, in_previous].sum(axis=1) / substeps
    extra_current = extra_local[:, ~in_previous].sum(axis=1) / substeps
    values = data.to_numpy()
    previous = np.roll(values, 1, axis=0)
    mixed = (1 - weight) * values + weight * previous
    irradiance = [data.columns.get_loc(c) for c in IRRADIANCE]
    sunny = extra_file > 1.0
    ratio = np.where(sunny[:, None], values[:, irradiance] / np.where(sunny, extra_file, 1.0)[:, None],
                     0.0)
    mixed[:, irradiance] = (ratio * extra_current[:, None]
                            + np.roll(ratio, 1, axis=0) * extra_previous[:, None])
    lost = float(np.nansum(values[~sunny, data.columns.get_loc("ghi")]))
    result = pd.DataFrame(mixed, index=local, columns=data.columns)
    return (result if circular else result.iloc[1:]), lost


def _erbs(data: pd.DataFrame, sun: pd.DataFrame) -> dict:
    """Erbs split of ``data['ghi']`` with the mid-hour zenith, as plain arrays."""
    day_of_year = (data.index + pd.Timedelta("30min")).day_of_year.to_numpy()
    return pvlib.irradiance.erbs(data["ghi"].to_numpy(), sun["zenith"].to_numpy(), day_of_year)


def _check_accept(accept) -> tuple[str, ...]:
    if isinstance(accept, str) or not isinstance(accept, tuple | list | frozenset | set):
        raise WeatherError(f"weather accept = {accept!r} must be a list of names from {ACCEPTABLE}")
    for item in accept:
        check_choice("weather accept", item, ACCEPTABLE)
    return tuple(accept)


def _stop_or_note(name: str, text: str, code: str, accept: tuple, findings: list[str]) -> None:
    """A finding that stops the read unless ``code`` is accepted, then it is only noted."""
    if code in accept:
        findings.append(f"{name}: {text} (accepted: {code})")
        return
    raise WeatherError(
        f"{name}: {text}. If the data are right, accept it: accept=['{code}'] in Python, "
        f"weather_accept = ['{code}'] in a scenario file, --accept-weather {code} on the command line")


def _check_consistency(data: pd.DataFrame, sun: pd.DataFrame, name: str, accept: tuple,
                       findings: list[str], components_given: bool) -> None:
    """The year's sunshine is real (not dark) and its DNI, DHI and GHI add up (closure)."""
    years = len(data) / 8760
    annual_ghi = float(data["ghi"].sum()) / 1000 / years
    if annual_ghi < DARK_GHI_KWH_PER_M2:
        _stop_or_note(name, f"the year has {annual_ghi:,.0f} kWh/m2 of sunshine (GHI), less than "
                      f"the {DARK_GHI_KWH_PER_M2:,.0f} of the darkest inhabited places: the "
                      "irradiance columns are empty or in the wrong unit", "dark", accept, findings)
        return
    if not components_given:
        return
    cos_zenith = sun["cos_zenith"].to_numpy()
    ghi = data["ghi"].to_numpy()
    used = (cos_zenith > np.sin(np.radians(5))) & (ghi > 50)
    if not used.any():
        return
    components = data["dni"].to_numpy()[used] * cos_zenith[used] + data["dhi"].to_numpy()[used]
    ratio = float(components.sum() / ghi[used].sum())
    if abs(ratio - 1) > CLOSURE_TOLERANCE:
        _stop_or_note(name, f"DNI x cos(zenith) + DHI adds up to {ratio:.0%} of GHI over the "
                      f"year's sunlit hours (allowed {1 - CLOSURE_TOLERANCE:.0%} to "
                      f"{1 + CLOSURE_TOLERANCE:.0%}): a column is missing, zero, swapped or in "
                      "another unit", "closure", accept, findings)


def _nan_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start positions and lengths of the runs of True in ``mask``."""
    padded = np.concatenate([[0], mask.astype(np.int8), [0]])
    edges = np.diff(padded)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return starts, ends - starts


def _coerce_year(data: pd.DataFrame, year: int) -> pd.DataFrame:
    """Relabel a typical year hour by hour to ``year`` (wrapping), dropping 29 February."""
    index = data.index
    keep = ~((index.month == 2) & (index.day == 29))
    data, index = data[keep], index[keep]
    wall = pd.to_datetime({"year": np.full(len(index), year), "month": index.month,
                           "day": index.day, "hour": index.hour, "minute": index.minute})
    data.index = pd.DatetimeIndex(wall).tz_localize(index.tz)
    return data.sort_index()


def _warn_all(findings: list[str]) -> None:
    for finding in findings:
        warnings.warn(finding, WeatherWarning, stacklevel=4)


def _normalise(raw: pd.DataFrame, site: Site | None, *, source: str, fmt: str,
               station: dict | None, file_offset: float | None, changes: list[str],
               findings: list[str], typical: bool, fill_gaps_hours: int, accept=()):
    if site is not None and not isinstance(site, Site):
        raise WeatherError(f"site = {site!r} is not a Site: give solarcoop.Site(...) or None (Qom)")
    site = QOM if site is None else site
    fill_gaps_hours = check_number("weather.fill_gaps_hours", fill_gaps_hours, minimum=0,
                                   maximum=MAX_FILL_GAPS_HOURS, integer=True)
    accept = _check_accept(accept)
    name = Path(source).name if fmt != "dataframe" else "weather DataFrame"
    site_offset = standard_offset_hours(site)

    # 1. columns
    required = ("ghi", "temp_air", "wind_speed")
    missing = [column for column in required if column not in raw.columns]
    if missing:
        raise WeatherError(f"{name}: missing column(s) {missing}; found {list(raw.columns)}. "
                           f"Needed: {list(required)}, optionally 'dni' and 'dhi'")
    split_needed = "dhi" not in raw.columns
    closure_needed = "dhi" in raw.columns and "dni" not in raw.columns
    data = pd.DataFrame({c: pd.to_numeric(raw[c], errors="coerce") if c in raw else np.nan
                         for c in COLUMNS}, index=raw.index).astype(float)

    sun_site = site if not station else Site(
        latitude=station["latitude"], longitude=station["longitude"],
        altitude_m=float(np.clip(station.get("altitude_m") or 0.0, -500, 9000)),
        timezone=site.timezone)

    # 2. time zone of the labels
    if data.index.tz is None:
        naive = data.index
        local = naive.tz_localize(site.timezone, nonexistent="NaT", ambiguous="NaT")
        odd = naive[local.isna()]
        duplicated = naive[naive.duplicated()]
        if len(duplicated) and duplicated.isin(odd).any():
            raise WeatherError(
                f"{name}: the clock time {duplicated[0]} appears twice; the clocks in "
                f"{site.timezone} went back an hour then (daylight saving), so the file is in "
                "clock time, not standard time. Give UTC times or standard-time labels")
        skipped = odd[~odd.isin(duplicated)]
        if len(skipped):
            findings.append(
                f"{name}: {len(skipped)} hour(s) such as {skipped[0]} did not exist on the clocks "
                f"in {site.timezone} (daylight saving, used in Iran until 2022); the file is "
                f"therefore in standard time and was read as {_format_offset(site_offset)}")
        data.index = naive.tz_localize(_fixed_tz(site_offset))
        changes.append(f"times without a zone taken as {_format_offset(site_offset)}")
        file_offset = site_offset
    if file_offset is None:
        file_offset = site_offset

    if typical:
        data = _coerce_year(data, TYPICAL_YEAR)
        changes.append(f"typical-year months relabelled to the year {TYPICAL_YEAR}")

    # 3. unreadable times, duplicates and spacing
    unreadable = np.flatnonzero(data.index.isna())
    if len(unreadable):
        raise WeatherError(f"{name}: {len(unreadable)} row(s) have no readable time (first at row "
                           f"{int(unreadable[0]) + 1} of {len(data)}); is the file truncated?")
    duplicated = data.index[data.index.duplicated()]
    if len(duplicated):
        raise WeatherError(f"{name}: {len(duplicated)} duplicate timestamp(s), first "
                           f"{duplicated[0]}")
    if not data.index.is_monotonic_increasing:
        data = data.sort_index()
        changes.append("rows sorted by time")
    if len(data) < 48:
        raise WeatherError(f"{name}: only {len(data)} rows; at least 48 hours are needed")
    steps_s = np.diff(data.index.as_unit("s").asi8)
    off_grid = steps_s % 3600 != 0
    if off_grid.any() or (data.index.minute != data.index.minute[0]).any():
        position = int(np.flatnonzero(off_grid)[0]) + 1 if off_grid.any() else 0
        raise WeatherError(f"{name}: timestamps are not hourly: {data.index[position]} "
                           "breaks the hourly grid. Resample to hourly means first")

    # 4. the sun says which zone the labels are in
    longitude = station["longitude"] if station else site.longitude
    lag = _timing_offset_hours(data, longitude)
    explained_by_site = abs(lag - (site_offset - file_offset)) <= TIMING_TOLERANCE_H
    if abs(lag) <= TIMING_TOLERANCE_H:
        if file_offset != site_offset:
            findings.append(
                f"{name}: the file's time zone {_format_offset(file_offset)} differs from the "
                f"site's {_format_offset(site_offset)}; the sunshine in the file agrees with its "
                "own zone, so its times were converted")
    elif file_offset != site_offset and explained_by_site:
        findings.append(
            f"{name}: the file says its times are {_format_offset(file_offset)}, but its sunshine "
            f"peaks at solar noon only if they are {_format_offset(site_offset)} (the site's "
            f"zone): the header is wrong; the times were read as {_format_offset(site_offset)}")
        data.index = data.index.tz_localize(None).tz_localize(_fixed_tz(site_offset))
        file_offset = site_offset
    elif abs(lag) > TIMING_ERROR_H:
        raise WeatherError(
            f"{name}: the sunshine peaks {lag:+.1f} h from solar noon with the times read as "
            f"{_format_offset(file_offset)}: the timestamps are in another zone (UTC?) or "
            f"shifted. Correct them by {-lag:+.1f} h and read again")
    else:
        findings.append(
            f"{name}: the daily sunshine peaks {lag * 60:+.0f} min from solar noon; the "
            "timestamps may be labelled at the end or middle of each hour")
    data.index = data.index.tz_convert(_fixed_tz(site_offset))
    if file_offset != site_offset:
        changes.append(f"times converted from {_format_offset(file_offset)} to "
                       f"{_format_offset(site_offset)}")
    if typical:
        data = _coerce_year(data, TYPICAL_YEAR)

    # 5. gaps and NaN
    grid = pd.date_range(data.index[0], data.index[-1], freq="h")
    if typical:
        start = pd.Timestamp(f"{TYPICAL_YEAR}-01-01").tz_localize(data.index.tz)
        grid = pd.date_range(start + pd.Timedelta(minutes=int(data.index.minute[0])),
                             periods=8760, freq="h")
    if len(grid) != len(data):
        changes.append(f"{len(grid) - len(data)} missing hour(s) inserted as gaps")
        data = data.reindex(grid)
    columns = [c for c in COLUMNS
               if not ((split_needed and c in ("dni", "dhi")) or (closure_needed and c == "dni"))]
    values = data[columns].to_numpy()
    mask = np.isnan(values)
    if mask.any():
        worst_long = None
        for j, column in enumerate(columns):  # a loop over five columns, not over hours
            starts, lengths = _nan_runs(mask[:, j])
            too_long = lengths > fill_gaps_hours
            if too_long.any() and worst_long is None:
                k = int(np.flatnonzero(too_long)[0])
                worst_long = (column, data.index[starts[k]], int(lengths[k]),
                              int(too_long.sum()))
        if worst_long is not None:
            column, start, length, count = worst_long
            hint = ("" if length > MAX_FILL_GAPS_HOURS else
                    f"; to fill gaps this short by interpolation pass fill_gaps_hours={length} "
                    f"(weather_fill_gaps_hours = {length} in a scenario file, --fill-gaps-hours "
                    f"{length} on the command line)")
            if start + pd.Timedelta(hours=length - 1) == data.index[-1] and length > 24:
                hint += "; the data stop there: is the file truncated?"
            raise WeatherError(
                f"{name}: {column} is missing for {length} hour(s) from {start} "
                f"({count} such gap(s) in {column}){hint}")
        filled = int(mask.any(axis=1).sum())
        data[columns] = data[columns].interpolate(limit_direction="both")
        changes.append(f"{filled} hour(s) in gaps of at most {fill_gaps_hours} h filled by "
                       "linear interpolation")
        findings.append(f"{name}: {filled} missing hour(s) were filled by interpolation")

    # 6. labels on the hour (half-hour zones): rebuild each local hour from the two
    #    file hours it overlaps, through the clearness index for irradiance.
    minute = int(data.index.minute[0])
    if minute:
        data, lost = _recut(data, minute, sun_site, circular=typical)
        changes.append(
            f"hours re-cut on the local hour ({minute} min shift): each hour takes the part of "
            "the two file hours it overlaps, irradiance through the clearness index"
            + (", wrapping around the year" if typical else "; the first hour was dropped"))
        if lost > 0.0005 * data["ghi"].sum():
            findings.append(f"{name}: {lost / 1000:.1f} kWh/m2 of GHI in file hours when the "
                            "sun was down (wrong time stamps) was dropped while re-cutting")

    # 7. irradiance
    irradiance = data[[c for c in IRRADIANCE if c in columns]]
    very_negative = irradiance < -NEGATIVE_TOLERANCE_W_PER_M2
    if very_negative.to_numpy().any():
        column = irradiance.columns[very_negative.any().to_numpy()][0]
        where = data.index[very_negative[column].to_numpy()][0]
        raise WeatherError(f"{name}: negative irradiance {column} = "
                           f"{data.loc[where, column]:g} W/m2 at {where}")
    negative = (irradiance < 0).to_numpy()
    if negative.any():
        data[list(irradiance.columns)] = irradiance.clip(lower=0)
        changes.append(f"{int(negative.sum())} small negative irradiance value(s) "
                       f"(> -{NEGATIVE_TOLERANCE_W_PER_M2:g} W/m2, sensor night offset) set to 0")
    if (data["ghi"] > GHI_UNITS_LIMIT_W_PER_M2).any():
        where = data["ghi"].idxmax()
        raise WeatherError(f"{name}: ghi = {data['ghi'].max():g} W/m2 at {where} is impossible "
                           "on Earth; is the file in Wh/m2 per another interval or kJ/m2?")
    sun = _sun(data.index, sun_site, substeps=4)
    ghi = data["ghi"].to_numpy()
    sun_up = sun["cos_zenith"].to_numpy() > 0
    above_extra = ghi > sun["extraterrestrial"].to_numpy() + EXTRATERRESTRIAL_MARGIN_W_PER_M2
    if above_extra.any():
        count = int(above_extra.sum())
        first = data.index[above_extra][0]
        text = (f"{count} hour(s) have more sunshine than arrives at the top of the atmosphere "
                f"(first {first}: GHI {ghi[above_extra][0]:.0f} W/m2, extraterrestrial "
                f"{sun['extraterrestrial'].to_numpy()[above_extra][0]:.0f} W/m2)")
        if count > EXTRATERRESTRIAL_ERROR_SHARE * max(sun_up.sum(), 1):
            raise WeatherError(f"{name}: {text}; the times or units are wrong")
        findings.append(f"{name}: {text}; usually a timing error near sunrise or sunset")
    above_clear = ((ghi > CLEAR_SKY_FACTOR * sun["ghi_clear"].to_numpy())
                   & (ghi > CLEAR_SKY_MIN_GHI_W_PER_M2) & ~above_extra)
    if above_clear.any():
        findings.append(
            f"{name}: {int(above_clear.sum())} hour(s) have GHI above {CLEAR_SKY_FACTOR} x the "
            f"clear-sky value while above {CLEAR_SKY_MIN_GHI_W_PER_M2:g} W/m2 (first {data.index[above_clear][0]}); possible with passing "
            "clouds, but many such hours suggest a calibration or timing problem")
    if split_needed:
        split = _erbs(data, sun)
        data["dni"] = np.nan_to_num(np.asarray(split["dni"], dtype=float))
        data["dhi"] = np.nan_to_num(np.asarray(split["dhi"], dtype=float))
        changes.append("dni and dhi computed from ghi with the Erbs decomposition")
    else:
        if closure_needed:
            cos_zenith = np.cos(np.radians(sun["zenith"].to_numpy()))
            beam = np.clip(ghi - data["dhi"].to_numpy(), 0, None)
            data["dni"] = np.where(sun["zenith"].to_numpy() < 87, beam / np.clip(cos_zenith,
                                                                                  0.05, None), 0.0)
            changes.append("dni computed as (ghi - dhi) / cos(zenith) at mid-hour")
        zero_dhi = (data["dhi"].to_numpy() <= 0) & (ghi > 0)
        if zero_dhi.any():
            split = _erbs(data, sun)
            data.loc[zero_dhi, "dhi"] = np.asarray(split["dhi"], dtype=float)[zero_dhi]
            data.loc[zero_dhi, "dni"] = np.nan_to_num(np.asarray(split["dni"], dtype=float))[zero_dhi]
            changes.append(f"{int(zero_dhi.sum())} hour(s) with DHI = 0 but GHI > 0 re-split "
                           "with Erbs")
            findings.append(
                f"{name}: {int(zero_dhi.sum())} hour(s) had no diffuse light although the sun "
                f"shone (first {data.index[zero_dhi][0]}); pvlib's Perez model cannot use them, "
                "so DNI and DHI were re-split from GHI with Erbs")
        dark = (data["dhi"].to_numpy() <= 0) & (ghi <= 0) & (sun["zenith"].to_numpy() < 90)
        if dark.any():
            findings.append(
                f"{name}: {int(dark.sum())} hour(s) with the sun above the horizon have no "
                "light at all (GHI = DHI = 0); pvlib's Perez model returns NaN there, "
                "which the plant stage must count as zero energy")

    _check_consistency(data, sun, name, accept, findings, components_given=not (split_needed or closure_needed))

    # 8. temperature, wind and station
    check_limits(data[["temp_air", "wind_speed"]], name)
    calm = float((data["wind_speed"] == 0).mean())
    if calm > CALM_SHARE:
        findings.append(
            f"{name}: the wind speed is 0 in {calm:.0%} of hours, more than calm weather "
            "explains (light winds reported as 0 or missing); the panels will be modelled "
            "slightly hotter, so energy is slightly understated")
    if station:
        findings.extend(_check_station(station, site, name))

    data.index = _to_site_tz(data.index, site)
    data.index.name = None
    data = data[list(COLUMNS)]
    years = len(data) / 8760
    metadata = {
        "source": source,
        "format": fmt,
        "station": station,
        "site": site,
        "changes": changes,
        "findings": findings,
        "annual_ghi_kwh_per_m2": float(data["ghi"].sum() / 1000 / years),
    }
    _warn_all(findings)
    return data, metadata


# --------------------------------------------------------------------------- PVGIS


def _default_cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "solarcoop" / "pvgis"


def _pvgis_json(data: pd.DataFrame, meta: dict) -> dict:
    """Rebuild PVGIS's own JSON layout from pvlib's parsed TMY (original column names)."""
    inputs = {k: v for k, v in meta.get("inputs", {}).items() if k != "descriptions"}
    records = data.reset_index(drop=True)
    records.insert(0, "time(UTC)", data.index.tz_convert("UTC").strftime("%Y%m%d:%H%M"))
    return {
        "inputs": inputs,
        "meta": {"inputs": meta.get("inputs", {}).get("descriptions", {})},
        "outputs": {"months_selected": meta.get("months_selected", []),
                    "tmy_hourly": records.to_dict(orient="records")},
    }


def fetch_pvgis_tmy(latitude: float, longitude: float, cache_dir=None,
                    site: Site | None = None) -> tuple[pd.DataFrame, dict]:
    """A PVGIS typical year, downloaded once (needs the internet) and then read from a cache.

    Parameters
    ----------
    latitude, longitude : float
        Where [decimal degrees north, east].
    cache_dir : str or pathlib.Path, optional
        Where the PVGIS JSON is kept; default ``~/.cache/solarcoop/pvgis``
        (or under ``$XDG_CACHE_HOME``). A file already there is read without network.
    site : Site, optional
        Passed to :func:`read` (``None``: :data:`solarcoop.site.QOM`).

    Returns
    -------
    data, metadata
        As :func:`read`; ``metadata['downloaded']`` says whether the network was used.
    """
    latitude = check_number("weather.latitude", latitude, minimum=-90, maximum=90)
    longitude = check_number("weather.longitude", longitude, minimum=-180, maximum=180)
    cache = Path(cache_dir) if cache_dir is not None else _default_cache_dir()
    path = cache / f"pvgis_tmy_{latitude:.4f}_{longitude:.4f}.json"
    downloaded = False
    if not path.is_file():
        data, meta = pvlib.iotools.get_pvgis_tmy(latitude, longitude, outputformat="json",
                                                 map_variables=False, coerce_year=None)
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(_pvgis_json(data, meta)), encoding="utf-8")
        downloaded = True
    data, metadata = read(path, format="pvgis_tmy", site=site)
    metadata["downloaded"] = downloaded
    return data, metadata
