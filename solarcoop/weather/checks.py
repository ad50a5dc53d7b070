"""The checks every weather frame passes, whether it came from a file or a DataFrame.

:func:`normalise` runs them in order, each a named step; :func:`check` runs them on a
DataFrame. Problems that would make a result wrong or NaN raise :class:`WeatherError`
naming what and where; what was done to the data is noted in ``changes`` and what the
checks noticed in ``findings`` (each also issued as a :class:`WeatherWarning`).

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
========================================================  ====================="""

from __future__ import annotations

import dataclasses
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from solarcoop._lazy import LazyModule
from solarcoop._validation import check_choice, check_number
from solarcoop.site import QOM, Site
from solarcoop.weather.frame import (
    COLUMNS,
    IRRADIANCE,
    TYPICAL_YEAR,
    WeatherError,
    WeatherWarning,
    fixed_tz,
    format_offset,
    standard_offset_hours,
    to_site_tz,
)
from solarcoop.weather.sky import extraterrestrial, hourly_sun

pvlib = LazyModule("pvlib")  # imported on first use: it brings scipy (about 0.5 s)

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

MAX_FILL_GAPS_HOURS = 24
"""Longest gap filled by interpolation [h]; longer gaps need real data."""

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


def distance_km(lat1, lon1, lat2, lon2) -> float:
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
    extra_file = extraterrestrial(data.index, site, substeps).mean(axis=1)
    local = data.index - pd.Timedelta(minutes=minute)
    extra_local = extraterrestrial(local, site, substeps)
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


@dataclasses.dataclass
class Notes:
    """What the steps of :func:`normalise` say about one source, named ``name`` in every
    finding: ``changes`` made to the data and ``findings`` noticed, in plain words."""

    name: str
    changes: list[str]
    findings: list[str]


# The steps of normalise, in the order it runs them. Each takes the frame as the step
# before left it, raises WeatherError on what cannot be used and writes what it did and
# noticed into the notes.


def check_site(site: Site | None) -> Site:
    """The site the data are checked for: ``site``, or :data:`solarcoop.site.QOM` for None."""
    if site is not None and not isinstance(site, Site):
        raise WeatherError(f"site = {site!r} is not a Site: give solarcoop.Site(...) or None (Qom)")
    return QOM if site is None else site


def take_columns(raw: pd.DataFrame, name: str) -> tuple[pd.DataFrame, bool, bool]:
    """Step 1: the columns of :data:`COLUMNS` as floats, unreadable values as NaN.

    Returns the frame, whether DNI and DHI must be split from GHI (no DHI given) and
    whether DNI must be computed from GHI and DHI (DHI given, DNI not).
    """
    required = ("ghi", "temp_air", "wind_speed")
    missing = [column for column in required if column not in raw.columns]
    if missing:
        raise WeatherError(f"{name}: missing column(s) {missing}; found {list(raw.columns)}. "
                           f"Needed: {list(required)}, optionally 'dni' and 'dhi'")
    split_needed = "dhi" not in raw.columns
    closure_needed = "dhi" in raw.columns and "dni" not in raw.columns
    data = pd.DataFrame({c: pd.to_numeric(raw[c], errors="coerce") if c in raw else np.nan
                         for c in COLUMNS}, index=raw.index).astype(float)
    return data, split_needed, closure_needed


def station_site(site: Site, station: dict | None) -> Site:
    """Where the data were measured: the station when the file names one, else ``site``.

    The sun the checks compare the data with is the sun over this place.
    """
    if not station:
        return site
    return Site(latitude=station["latitude"], longitude=station["longitude"],
                altitude_m=float(np.clip(station.get("altitude_m") or 0.0, -500, 9000)),
                timezone=site.timezone)


def label_time_zone(data: pd.DataFrame, site: Site, file_offset: float | None,
                    notes: Notes) -> float:
    """Step 2: times without a zone are taken as the site's standard time.

    Refuses a file in clock time whose clocks went back (a clock hour twice), notes hours
    that did not exist on the clocks. Sets ``data.index`` and returns the offset the
    labels are in [h]: the file's own, else the site's standard offset.
    """
    name = notes.name
    site_offset = standard_offset_hours(site)
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
            notes.findings.append(
                f"{name}: {len(skipped)} hour(s) such as {skipped[0]} did not exist on the clocks "
                f"in {site.timezone} (daylight saving, used in Iran until 2022); the file is "
                f"therefore in standard time and was read as {format_offset(site_offset)}")
        data.index = naive.tz_localize(fixed_tz(site_offset))
        notes.changes.append(f"times without a zone taken as {format_offset(site_offset)}")
        file_offset = site_offset
    if file_offset is None:
        file_offset = site_offset
    return file_offset


def relabel_typical_year(data: pd.DataFrame, notes: Notes) -> pd.DataFrame:
    """A typical year's months, taken from different years, relabelled to :data:`TYPICAL_YEAR`."""
    data = _coerce_year(data, TYPICAL_YEAR)
    notes.changes.append(f"typical-year months relabelled to the year {TYPICAL_YEAR}")
    return data


def check_hourly_grid(data: pd.DataFrame, notes: Notes) -> pd.DataFrame:
    """Step 3: every row has a time, no time twice, rows in order, on an hourly grid."""
    name = notes.name
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
        notes.changes.append("rows sorted by time")
    if len(data) < 48:
        raise WeatherError(f"{name}: only {len(data)} rows; at least 48 hours are needed")
    steps_s = np.diff(data.index.as_unit("s").asi8)
    off_grid = steps_s % 3600 != 0
    if off_grid.any() or (data.index.minute != data.index.minute[0]).any():
        position = int(np.flatnonzero(off_grid)[0]) + 1 if off_grid.any() else 0
        raise WeatherError(f"{name}: timestamps are not hourly: {data.index[position]} "
                           "breaks the hourly grid. Resample to hourly means first")
    return data


def check_timing(data: pd.DataFrame, site: Site, station: dict | None, file_offset: float,
                 typical: bool, notes: Notes) -> pd.DataFrame:
    """Step 4: the sun says which zone the labels are in; the times end in the site's.

    The daily sunshine must peak at solar noon (:func:`_timing_offset_hours`) within
    :data:`TIMING_TOLERANCE_H` in the file's zone, or in the site's when the file's
    header is wrong (read in the site's zone, noted); off by more than
    :data:`TIMING_ERROR_H` it is refused, in between noted.
    """
    name = notes.name
    site_offset = standard_offset_hours(site)
    longitude = station["longitude"] if station else site.longitude
    lag = _timing_offset_hours(data, longitude)
    explained_by_site = abs(lag - (site_offset - file_offset)) <= TIMING_TOLERANCE_H
    if abs(lag) <= TIMING_TOLERANCE_H:
        if file_offset != site_offset:
            notes.findings.append(
                f"{name}: the file's time zone {format_offset(file_offset)} differs from the "
                f"site's {format_offset(site_offset)}; the sunshine in the file agrees with its "
                "own zone, so its times were converted")
    elif file_offset != site_offset and explained_by_site:
        notes.findings.append(
            f"{name}: the file says its times are {format_offset(file_offset)}, but its sunshine "
            f"peaks at solar noon only if they are {format_offset(site_offset)} (the site's "
            f"zone): the header is wrong; the times were read as {format_offset(site_offset)}")
        data.index = data.index.tz_localize(None).tz_localize(fixed_tz(site_offset))
        file_offset = site_offset
    elif abs(lag) > TIMING_ERROR_H:
        raise WeatherError(
            f"{name}: the sunshine peaks {lag:+.1f} h from solar noon with the times read as "
            f"{format_offset(file_offset)}: the timestamps are in another zone (UTC?) or "
            f"shifted. Correct them by {-lag:+.1f} h and read again")
    else:
        notes.findings.append(
            f"{name}: the daily sunshine peaks {lag * 60:+.0f} min from solar noon; the "
            "timestamps may be labelled at the end or middle of each hour")
    data.index = data.index.tz_convert(fixed_tz(site_offset))
    if file_offset != site_offset:
        notes.changes.append(f"times converted from {format_offset(file_offset)} to "
                             f"{format_offset(site_offset)}")
    if typical:
        data = _coerce_year(data, TYPICAL_YEAR)
    return data


def fill_gaps(data: pd.DataFrame, columns: list[str], fill_gaps_hours: int, typical: bool,
              notes: Notes) -> pd.DataFrame:
    """Step 5: missing hours become gaps; gaps up to ``fill_gaps_hours`` are interpolated.

    A typical year's grid is its 8760 hours. A longer gap in any of ``columns`` is
    refused, naming the first, with how to fill it when it is short enough.
    """
    name = notes.name
    grid = pd.date_range(data.index[0], data.index[-1], freq="h")
    if typical:
        start = pd.Timestamp(f"{TYPICAL_YEAR}-01-01").tz_localize(data.index.tz)
        grid = pd.date_range(start + pd.Timedelta(minutes=int(data.index.minute[0])),
                             periods=8760, freq="h")
    if len(grid) != len(data):
        notes.changes.append(f"{len(grid) - len(data)} missing hour(s) inserted as gaps")
        data = data.reindex(grid)
    values = data[columns].to_numpy()
    mask = np.isnan(values)
    if not mask.any():
        return data
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
    notes.changes.append(f"{filled} hour(s) in gaps of at most {fill_gaps_hours} h filled by "
                         "linear interpolation")
    notes.findings.append(f"{name}: {filled} missing hour(s) were filled by interpolation")
    return data


def recut_on_the_hour(data: pd.DataFrame, sun_site: Site, typical: bool,
                      notes: Notes) -> pd.DataFrame:
    """Step 6: labels past the hour (half-hour zones) re-cut onto whole local hours.

    Each local hour is rebuilt from the two file hours it overlaps, irradiance through
    the clearness index (:func:`_recut`); a typical year wraps around.
    """
    minute = int(data.index.minute[0])
    if not minute:
        return data
    data, lost = _recut(data, minute, sun_site, circular=typical)
    notes.changes.append(
        f"hours re-cut on the local hour ({minute} min shift): each hour takes the part of "
        "the two file hours it overlaps, irradiance through the clearness index"
        + (", wrapping around the year" if typical else "; the first hour was dropped"))
    if lost > 0.0005 * data["ghi"].sum():
        notes.findings.append(f"{notes.name}: {lost / 1000:.1f} kWh/m2 of GHI in file hours "
                              "when the sun was down (wrong time stamps) was dropped while "
                              "re-cutting")
    return data


def check_irradiance_units(data: pd.DataFrame, columns: list[str], notes: Notes) -> None:
    """Step 7a: irradiance not below -:data:`NEGATIVE_TOLERANCE_W_PER_M2` (small negative
    values set to 0, noted) and GHI not above :data:`GHI_UNITS_LIMIT_W_PER_M2`."""
    name = notes.name
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
        notes.changes.append(f"{int(negative.sum())} small negative irradiance value(s) "
                             f"(> -{NEGATIVE_TOLERANCE_W_PER_M2:g} W/m2, sensor night offset) "
                             "set to 0")
    if (data["ghi"] > GHI_UNITS_LIMIT_W_PER_M2).any():
        where = data["ghi"].idxmax()
        raise WeatherError(f"{name}: ghi = {data['ghi'].max():g} W/m2 at {where} is impossible "
                           "on Earth; is the file in Wh/m2 per another interval or kJ/m2?")


def check_against_the_sky(data: pd.DataFrame, sun: pd.DataFrame, notes: Notes) -> None:
    """Step 7b: GHI against the extraterrestrial and the clear-sky irradiance of each hour.

    Above extraterrestrial in more than :data:`EXTRATERRESTRIAL_ERROR_SHARE` of sun-up
    hours is refused, in fewer noted; above :data:`CLEAR_SKY_FACTOR` x clear sky is noted.
    """
    name = notes.name
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
        notes.findings.append(f"{name}: {text}; usually a timing error near sunrise or sunset")
    above_clear = ((ghi > CLEAR_SKY_FACTOR * sun["ghi_clear"].to_numpy())
                   & (ghi > CLEAR_SKY_MIN_GHI_W_PER_M2) & ~above_extra)
    if above_clear.any():
        notes.findings.append(
            f"{name}: {int(above_clear.sum())} hour(s) have GHI above {CLEAR_SKY_FACTOR} x the "
            f"clear-sky value while above {CLEAR_SKY_MIN_GHI_W_PER_M2:g} W/m2 (first "
            f"{data.index[above_clear][0]}); possible with passing clouds, but many such hours "
            "suggest a calibration or timing problem")


def complete_components(data: pd.DataFrame, sun: pd.DataFrame, split_needed: bool,
                        closure_needed: bool, notes: Notes) -> None:
    """Step 7c: DNI and DHI that pvlib's Perez model can use.

    Missing DNI and DHI are split from GHI with Erbs; a missing DNI is (GHI - DHI) /
    cos(zenith); hours with DHI = 0 while GHI > 0 are re-split with Erbs (noted); hours
    without any light while the sun is up are noted (Perez returns NaN there).
    """
    name = notes.name
    ghi = data["ghi"].to_numpy()
    if split_needed:
        split = _erbs(data, sun)
        data["dni"] = np.nan_to_num(np.asarray(split["dni"], dtype=float))
        data["dhi"] = np.nan_to_num(np.asarray(split["dhi"], dtype=float))
        notes.changes.append("dni and dhi computed from ghi with the Erbs decomposition")
        return
    if closure_needed:
        cos_zenith = np.cos(np.radians(sun["zenith"].to_numpy()))
        beam = np.clip(ghi - data["dhi"].to_numpy(), 0, None)
        data["dni"] = np.where(sun["zenith"].to_numpy() < 87,
                               beam / np.clip(cos_zenith, 0.05, None), 0.0)
        notes.changes.append("dni computed as (ghi - dhi) / cos(zenith) at mid-hour")
    zero_dhi = (data["dhi"].to_numpy() <= 0) & (ghi > 0)
    if zero_dhi.any():
        split = _erbs(data, sun)
        data.loc[zero_dhi, "dhi"] = np.asarray(split["dhi"], dtype=float)[zero_dhi]
        data.loc[zero_dhi, "dni"] = np.nan_to_num(np.asarray(split["dni"], dtype=float))[zero_dhi]
        notes.changes.append(f"{int(zero_dhi.sum())} hour(s) with DHI = 0 but GHI > 0 re-split "
                             "with Erbs")
        notes.findings.append(
            f"{name}: {int(zero_dhi.sum())} hour(s) had no diffuse light although the sun "
            f"shone (first {data.index[zero_dhi][0]}); pvlib's Perez model cannot use them, "
            "so DNI and DHI were re-split from GHI with Erbs")
    dark = (data["dhi"].to_numpy() <= 0) & (ghi <= 0) & (sun["zenith"].to_numpy() < 90)
    if dark.any():
        notes.findings.append(
            f"{name}: {int(dark.sum())} hour(s) with the sun above the horizon have no "
            "light at all (GHI = DHI = 0); pvlib's Perez model returns NaN there, "
            "which the plant stage must count as zero energy")


def check_consistency(data: pd.DataFrame, sun: pd.DataFrame, components_given: bool,
                      accept: tuple, notes: Notes) -> None:
    """Step 7d: the year's sunshine is real (``"dark"``) and, when the file gave DNI and DHI,
    they add up to GHI (``"closure"``); each stops the read unless accepted (``accept``)."""
    name, findings = notes.name, notes.findings
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


def check_temperature_and_wind(data: pd.DataFrame, notes: Notes) -> None:
    """Step 8: air temperature and wind within :func:`check_limits`; many calm hours noted."""
    check_limits(data[["temp_air", "wind_speed"]], notes.name)
    calm = float((data["wind_speed"] == 0).mean())
    if calm > CALM_SHARE:
        notes.findings.append(
            f"{notes.name}: the wind speed is 0 in {calm:.0%} of hours, more than calm weather "
            "explains (light winds reported as 0 or missing); the panels will be modelled "
            "slightly hotter, so energy is slightly understated")


def check_station(station: dict, site: Site, notes: Notes) -> None:
    """Step 9: the station is near the site and its coordinates are not degrees.minutes.

    Noted when the station is more than :data:`STATION_DISTANCE_KM` from the site, or its
    coordinates read as degrees and minutes would be a real place.
    """
    name, findings = notes.name, notes.findings
    lat, lon = station["latitude"], station["longitude"]
    distance = distance_km(lat, lon, site.latitude, site.longitude)
    if distance > STATION_DISTANCE_KM:
        findings.append(
            f"{name}: the station ({lat:g} N, {lon:g} E) is {distance:.0f} km from "
            f"{site.name} ({site.latitude:g} N, {site.longitude:g} E); its weather may differ")
    lat_dm, lon_dm = _degrees_minutes(lat), _degrees_minutes(lon)
    if lat_dm is not None and lon_dm is not None:
        moved = distance_km(lat, lon, lat_dm, lon_dm)
        closer = distance_km(lat_dm, lon_dm, site.latitude, site.longitude) < distance / 2
        likelihood = "almost certainly" if closer else "may be"
        findings.append(
            f"{name}: the coordinates {lat:g}, {lon:g} {likelihood} written as degrees.minutes "
            f"({lat_dm:.3f} N, {lon_dm:.3f} E in decimal degrees, {moved:.0f} km away); "
            "check the station's position")


def in_site_time(data: pd.DataFrame, site: Site) -> pd.DataFrame:
    """The finished frame: times in the site's zone (:func:`to_site_tz`), :data:`COLUMNS` in order."""
    data.index = to_site_tz(data.index, site)
    data.index.name = None
    return data[list(COLUMNS)]


def normalise(raw: pd.DataFrame, site: Site | None, *, source: str, fmt: str,
              station: dict | None, file_offset: float | None, changes: list[str],
              findings: list[str], typical: bool, fill_gaps_hours: int, accept=()):
    """Check ``raw`` and bring it to the frame every weather function returns.

    The steps above, in order: columns, the zone of the labels, the hourly grid, the
    timing against the sun, gaps, half-hour labels, irradiance (units, against the sky,
    components, consistency), temperature and wind, the station. ``changes`` and
    ``findings`` hold what the reader already did and noticed; each finding is also
    warned as a :class:`WeatherWarning`.

    Returns
    -------
    data, metadata
        As :func:`solarcoop.weather.read`.
    """
    site = check_site(site)
    fill_gaps_hours = check_number("weather.fill_gaps_hours", fill_gaps_hours, minimum=0,
                                   maximum=MAX_FILL_GAPS_HOURS, integer=True)
    accept = _check_accept(accept)
    notes = Notes(Path(source).name if fmt != "dataframe" else "weather DataFrame",
                  changes, findings)

    data, split_needed, closure_needed = take_columns(raw, notes.name)
    sun_site = station_site(site, station)
    file_offset = label_time_zone(data, site, file_offset, notes)
    if typical:
        data = relabel_typical_year(data, notes)
    data = check_hourly_grid(data, notes)
    data = check_timing(data, site, station, file_offset, typical, notes)
    given = [c for c in COLUMNS
             if not ((split_needed and c in ("dni", "dhi")) or (closure_needed and c == "dni"))]
    data = fill_gaps(data, given, fill_gaps_hours, typical, notes)
    data = recut_on_the_hour(data, sun_site, typical, notes)
    check_irradiance_units(data, given, notes)
    sun = hourly_sun(data.index, sun_site, substeps=4)
    check_against_the_sky(data, sun, notes)
    complete_components(data, sun, split_needed, closure_needed, notes)
    check_consistency(data, sun, not (split_needed or closure_needed), accept, notes)
    check_temperature_and_wind(data, notes)
    if station:
        check_station(station, site, notes)

    data = in_site_time(data, site)
    metadata = {
        "source": source,
        "format": fmt,
        "station": station,
        "site": site,
        "changes": changes,
        "findings": findings,
        "annual_ghi_kwh_per_m2": float(data["ghi"].sum() / 1000 / (len(data) / 8760)),
    }
    _warn_all(findings)
    return data, metadata


def check(data: pd.DataFrame, site: Site | None = None,
          fill_gaps_hours: int = 0, accept=()) -> tuple[pd.DataFrame, dict]:
    """Check and normalise a weather DataFrame exactly like a file (see :func:`read`).

    A naive index is taken as the site's standard time.

    Examples
    --------
    >>> from solarcoop.weather import qom_typical_year
    >>> checked, metadata = check(qom_typical_year())
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
    return normalise(data.copy(), site, source="DataFrame", fmt="dataframe", station=None,
                     file_offset=file_offset, changes=[], findings=[], typical=False,
                     fill_gaps_hours=fill_gaps_hours, accept=accept)
