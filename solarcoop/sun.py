"""Where the sun is, for a site and a set of hours: computed once, shared by every stage.

Solar position depends only on the site and the timestamps, so the embedded weather
year and the plant physics ask this module for it and the work is done once per site
and index.

The position comes from pvlib's ``ephemeris`` algorithm rather than NREL's SPA: over a
year at Qom the two agree to 0.01 degree of zenith and the baseline's year-one energy
differs by 0.0016 %, while ephemeris takes an eighth of SPA's time, which was the
costliest step of a first run. Set :data:`SOLAR_POSITION_METHOD` to ``"nrel_numpy"``
for SPA.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from solarcoop._lazy import LazyModule
from solarcoop.site import Site

pvlib = LazyModule("pvlib")  # imported on first use: it brings scipy (about 0.5 s)

SOLAR_POSITION_METHOD = "ephemeris"
"""pvlib.solarposition.get_solarposition method used everywhere in solarcoop."""


@functools.lru_cache(maxsize=16)
def _position_cached(site: Site, stamps: bytes, half_step_ns: int) -> pd.DataFrame:
    start = pd.to_datetime(np.frombuffer(stamps, dtype="int64"), unit="ns", utc=True)
    middle = start + pd.Timedelta(half_step_ns, unit="ns")
    position = pvlib.solarposition.get_solarposition(
        middle, site.latitude, site.longitude, altitude=site.altitude_m, method=SOLAR_POSITION_METHOD
    )
    frame = position[["apparent_zenith", "zenith", "azimuth"]].copy()
    for column in frame:
        frame[column].to_numpy().flags.writeable = False
    return frame


def mid_interval_position(site: Site, index: pd.DatetimeIndex) -> pd.DataFrame:
    """Sun position at the middle of each interval that starts at ``index`` (cached).

    Parameters
    ----------
    site : Site
    index : pandas.DatetimeIndex
        Time-zone-aware, evenly spaced interval starts (hourly for a typical year).

    Returns
    -------
    pandas.DataFrame
        ``apparent_zenith``, ``zenith`` and ``azimuth`` [degrees], one row per interval,
        indexed by the interval starts. The arrays are read-only: they are shared.
    """
    stamps = index.tz_convert("UTC").as_unit("ns").asi8
    step_ns = int(stamps[1] - stamps[0]) if len(stamps) > 1 else 3_600 * 10**9
    frame = _position_cached(site, stamps.tobytes(), step_ns // 2)
    return frame.set_axis(index)
