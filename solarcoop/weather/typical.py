"""The embedded typical year for Qom and the varied years around it.

:func:`qom_typical_year` synthesises the default year from measured monthly figures
(:data:`QOM_MONTHLY`) under the site's clear sky, without a file or the network;
:func:`typical_years` draws years with their own sunshine around it for a Monte Carlo;
:func:`split_years` cuts a multi-year series into calendar years.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from solarcoop._lazy import LazyModule
from solarcoop._validation import check_number
from solarcoop.site import QOM, Site
from solarcoop.weather.checks import check_site, distance_km
from solarcoop.weather.frame import COLUMNS, WeatherError, WeatherWarning  # noqa: F401
from solarcoop.weather.sky import clear_sky_year

pvlib = LazyModule("pvlib")  # imported on first use: it brings scipy (about 0.5 s)

MAX_TYPICAL_YEARS = 1000
"""Most years :func:`typical_years` makes at once (each takes about 0.5 MB); a Monte Carlo
draws its weather from a smaller set of years."""

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
    base = clear_sky_year(site)
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
    site_distance_km = distance_km(site.latitude, site.longitude, QOM.latitude, QOM.longitude)
    if site_distance_km <= EMBEDDED_YEAR_RANGE_KM:
        return []
    return [
        f"weather: the site {site.label} is {site_distance_km:,.0f} km from Qom, but the weather is "
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
    site = check_site(site)
    if not (seed is None or isinstance(seed, np.random.Generator)):
        seed = check_number("weather.seed", seed, minimum=0, integer=True)
    rng = np.random.default_rng(seed)
    factors = 1.0 + interannual_std * rng.standard_normal(n)
    children = rng.spawn(n)
    ratio = QOM_MONTHLY["clear_sky_ratio"].to_numpy()
    clear_monthly = clear_sky_year(site).groupby("month")["ghi_clear"].sum().to_numpy()
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
