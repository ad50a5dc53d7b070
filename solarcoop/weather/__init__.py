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
NaN raise :class:`WeatherError` naming what and where (the table of problems and
their handling is in :mod:`solarcoop.weather.checks`).

The package, in the order the data flow through it:

- :mod:`~solarcoop.weather.frame`: the frame's columns, its hourly index in the site's
  standard time (:func:`standard_offset_hours`), :class:`WeatherError` and
  :class:`WeatherWarning`;
- :mod:`~solarcoop.weather.sky`: the sun and the clear sky over each hour, and the
  clear-sky year the typical years are built on;
- :mod:`~solarcoop.weather.checks`: the thresholds and the named steps every frame
  passes (columns, time zone, grid, timing, gaps, irradiance, consistency, temperature
  and wind, station), :func:`check` for a DataFrame and :func:`check_limits`;
- :mod:`~solarcoop.weather.typical`: the embedded typical year for Qom
  (:func:`qom_typical_year`), the varied years (:func:`typical_years`) and
  :func:`split_years`;
- :mod:`~solarcoop.weather.readers`: one reader per file format (:data:`FORMATS`),
  :func:`read`, :func:`fetch_pvgis_tmy` and :func:`resolve` (the weather a simulation uses).

Every public name below is also ``sc.weather.X``.
"""

from solarcoop.weather.checks import (
    ACCEPTABLE,
    CALM_SHARE,
    CLEAR_SKY_FACTOR,
    CLEAR_SKY_MIN_GHI_W_PER_M2,
    CLOSURE_TOLERANCE,
    DARK_GHI_KWH_PER_M2,
    EXTRATERRESTRIAL_ERROR_SHARE,
    EXTRATERRESTRIAL_MARGIN_W_PER_M2,
    GHI_UNITS_LIMIT_W_PER_M2,
    MAX_FILL_GAPS_HOURS,
    NEGATIVE_TOLERANCE_W_PER_M2,
    STATION_DISTANCE_KM,
    TEMP_AIR_MAX_C,
    TEMP_AIR_MIN_C,
    TIMING_ERROR_H,
    TIMING_TOLERANCE_H,
    WIND_SPEED_MIN_M_PER_S,
    check,
    check_limits,
)
from solarcoop.weather.frame import (
    COLUMNS,
    IRRADIANCE,
    TYPICAL_YEAR,
    WeatherError,
    WeatherWarning,
    standard_offset_hours,
)
from solarcoop.weather.readers import (
    FORMATS,
    MAX_WEATHER_BYTES,
    fetch_pvgis_tmy,
    read,
    resolve,
)
from solarcoop.weather.typical import (
    DEFAULT_SEED,
    EMBEDDED_YEAR_RANGE_KM,
    INTERANNUAL_STD,
    MAX_TYPICAL_YEARS,
    QOM_MONTHLY,
    TEMP_AIR_PEAK_HOUR,
    embedded_year_findings,
    qom_typical_year,
    split_years,
    typical_years,
)

__all__ = [
    "ACCEPTABLE",
    "CALM_SHARE",
    "CLEAR_SKY_FACTOR",
    "CLEAR_SKY_MIN_GHI_W_PER_M2",
    "CLOSURE_TOLERANCE",
    "COLUMNS",
    "DARK_GHI_KWH_PER_M2",
    "DEFAULT_SEED",
    "EMBEDDED_YEAR_RANGE_KM",
    "EXTRATERRESTRIAL_ERROR_SHARE",
    "EXTRATERRESTRIAL_MARGIN_W_PER_M2",
    "FORMATS",
    "GHI_UNITS_LIMIT_W_PER_M2",
    "INTERANNUAL_STD",
    "IRRADIANCE",
    "MAX_FILL_GAPS_HOURS",
    "MAX_TYPICAL_YEARS",
    "MAX_WEATHER_BYTES",
    "NEGATIVE_TOLERANCE_W_PER_M2",
    "QOM_MONTHLY",
    "STATION_DISTANCE_KM",
    "TEMP_AIR_MAX_C",
    "TEMP_AIR_MIN_C",
    "TEMP_AIR_PEAK_HOUR",
    "TIMING_ERROR_H",
    "TIMING_TOLERANCE_H",
    "TYPICAL_YEAR",
    "WIND_SPEED_MIN_M_PER_S",
    "WeatherError",
    "WeatherWarning",
    "check",
    "check_limits",
    "embedded_year_findings",
    "fetch_pvgis_tmy",
    "qom_typical_year",
    "read",
    "resolve",
    "split_years",
    "standard_offset_hours",
    "typical_years",
]
