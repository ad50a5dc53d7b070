"""The sun and the clear sky over each hour of a weather frame, at a site.

Hour averages of cos(zenith), extraterrestrial and Ineichen clear-sky irradiance for the
checks, and the clear-sky year the embedded typical years are built on.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from solarcoop import sun
from solarcoop._lazy import LazyModule
from solarcoop.site import Site
from solarcoop.weather.frame import TYPICAL_YEAR, fixed_tz, standard_offset_hours, to_site_tz

pvlib = LazyModule("pvlib")  # imported on first use: it brings scipy (about 0.5 s)


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


def hourly_sun(index: pd.DatetimeIndex, site: Site, substeps: int = 1) -> pd.DataFrame:
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
def clear_sky_year(site: Site) -> pd.DataFrame:
    """Mid-hour sun and Ineichen clear sky for each hour of the typical year at ``site``."""
    index = pd.date_range(f"{TYPICAL_YEAR}-01-01", periods=8760, freq="h",
                          tz=fixed_tz(standard_offset_hours(site)))
    index = to_site_tz(index, site)
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


def extraterrestrial(index: pd.DatetimeIndex, site: Site, substeps: int) -> np.ndarray:
    """Extraterrestrial irradiance on the horizontal at ``substeps`` points of each hour
    starting at ``index`` [W/m2], shape (hours, substeps)."""
    _, _, cos_zenith, dni_extra = _sun_points(index, site, substeps)
    return (dni_extra * cos_zenith).reshape(len(index), substeps)
