"""The plant and its physics: hourly AC energy at the meter, the losses on the way, degradation.

The chain follows NREL's PVWatts v8 (the model behind the PVWatts Calculator and SAM's
``pvwattsv8`` module), built from pvlib's pure functions:

1. solar position at the middle of each hour (cached per site and hours);
2. Perez (1990) transposition to the plane of the array, fixed or on a single-axis
   tracker with backtracking;
3. soiling on the irradiance (a Kimber-style build-up reset by washing, or a monthly profile);
4. reflection losses of the module cover (Fresnel and Bouguer, anti-reflective glass),
   beam at its angle of incidence, sky and ground diffuse at the Brandemuehl-Beckman
   equivalent angles;
5. spectral (air-mass) modifier of De Soto et al. (2006), as PVWatts v8 applies it;
6. cell temperature (SAM's NOCT model) and ``pvwatts_dc``;
7. DC losses (shading, mismatch, wiring, connections, light-induced degradation, nameplate);
8. ``pvwatts_inverter``: part-load efficiency and clipping at the AC rating;
9. AC losses at the meter: availability (outages) and grid curtailment.

``system_losses`` (one fraction, as PVWatts has it) replaces the whole chain of step 3, 7
and 9 and is applied to DC power, exactly as PVWatts does.

Differences from PySAM's Pvwattsv8, measured in ``benchmarks/plant_vs_pysam.py``
(with matched settings annual within 0.2 %, months within 0.7 %, on Qom-like weather):

- Cell temperature: PVWatts v8 uses the Fuentes (1987) transient heat balance; it is a
  sequential loop over hours (pvlib's takes about 0.4 s a year). Here SAM's steady-state
  NOCT model (``pvlib.temperature.noct_sam``, NOCT 45 C open rack) is used instead: it is
  vectorised and agrees with Fuentes within about 1-2 C on average in daylight; its
  steady state runs slightly warmer at noon in hot months, so summer months come out a
  few tenths of a percent lower.
- Row-to-row self-shading: PVWatts v8 estimates beam shading of fixed rows and the
  blocking of sky and ground-reflected diffuse light by neighbouring rows (fixed racks
  and trackers) from the ground coverage ratio. Here rows enter through tracker
  backtracking and through the sky-dome masking of Passias and Kaellbaeck (1984) only;
  beam shading of fixed rows belongs in ``losses.shading``. With rows far apart (GCR
  0.01) the two agree within about 0.2 % a year; at GCR 0.4 PVWatts takes about 1.3 %
  (fixed) to 1.6 % (tracker) more.
- Solar position and transposition: pvlib's SPA and Perez against SAM's own
  implementations, both at mid-hour; in sunrise and sunset hours SAM takes the sun at
  the middle of the part of the hour the sun is up, pvlib at the middle of the hour.
  The effect is a few tenths of a percent at most.

References
----------
Dobos, A. P. (2014). PVWatts Version 5 Manual. NREL/TP-6A20-62641.
NREL (2022). PVWatts Version 8 (SAM ``cmod_pvwattsv8``), System Advisor Model.
Perez, R. et al. (1990). Modeling daylight availability and irradiance components from
direct and global irradiance. Solar Energy 44(5), 271-289. doi:10.1016/0038-092X(90)90055-H
De Soto, W., Klein, S. A., Beckman, W. A. (2006). Improvement and validation of a model
for photovoltaic array performance. Solar Energy 80(1), 78-88.
doi:10.1016/j.solener.2005.06.010
Kimber, A. et al. (2006). The effect of soiling on large grid-connected photovoltaic
systems in California and the Southwest region of the United States. IEEE WCPEC 2006.
doi:10.1109/WCPEC.2006.279690
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from solarcoop import sun
from solarcoop import weather as weather_module
from solarcoop._lazy import LazyModule
from solarcoop._validation import (
    MAX_CAPACITY_KWP,
    InputError,
)
from solarcoop.fields import check_fields, declared, field
from solarcoop.site import Site

pvlib = LazyModule("pvlib")  # imported on first use: it brings scipy (about 0.5 s)

WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
"""Columns ``hourly_energy`` needs: irradiance [W/m2], air temperature [C], wind [m/s]."""

MOUNTINGS = ("fixed", "single_axis")

# Air-mass modifier polynomial of De Soto et al. (2006), as used by PVWatts v8 for all
# module types (SAM cmod_pvwattsv8, ``AMdesoto``).
_DESOTO_AIR_MASS = {
    "A0": 0.918093,
    "A1": 0.086257,
    "A2": -0.024459,
    "A3": 0.002816,
    "A4": -0.000126,
}
# Module cover: glass n = 1.526, 2 mm thick, extinction 4 /m, anti-reflective coating
# n = 1.3 (SAM lib_pv_incidence_modifier; PVWatts v8 standard modules have AR glass).
_COVER = {"n": 1.526, "K": 4.0, "L": 0.002, "n_ar": 1.3}
# PVWatts v8 nominal operating cell temperature for open-rack arrays [C] and the
# standard module's efficiency used for its heat balance (SAM cmod_pvwattsv8, 2022).
_NOCT_OPEN_RACK_C = 45.0
_MODULE_EFFICIENCY = 0.19
# PVWatts inverter reference efficiency (Dobos 2014, eq. 11).
_INVERTER_REFERENCE_EFFICIENCY = 0.9637

_MONTHS_DUST = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0], dtype=bool)  # June-November


@declared
@dataclass(frozen=True)
class Soiling:
    """Dust on the modules: a build-up that washing resets, or a fixed monthly profile.

    Build-up (the default): in month ``m`` the loss grows by ``rate_per_day[m]`` each day
    since the last wash (Kimber et al. 2006), up to ``max_loss``; the panels are washed
    on the first day of each month and then every ``cleaning_interval_days[m]`` days.
    Rain is not counted as cleaning (Qom's dry months are the dusty ones).
    With ``monthly_loss`` given, the loss in month ``m`` is simply ``monthly_loss[m]``.

    Examples
    --------
    A panel washed on 1 July has, on 3 July (two days later, counted at midday), lost
    2.5 days x 0.3 %/day:

    >>> s = Soiling()
    >>> float(s.daily_loss(pd.DatetimeIndex(["2025-07-03"]))[0])
    0.0075
    """

    rate_per_day: tuple = field(
        (0.0012,) * 5 + (0.003,) * 6 + (0.0012,),
        unit="%/day",
        minimum=0,
        maximum=0.1,
        length=12,
        source=(
            "Soiling build-up, January to December [fraction/day]. Default: 0.0030 June to November, "
            "Kimber et al. (2006) desert rate, close to the 0.31 %/day measured in Tehran (Solar "
            "Energy 159 (2018) 346-352); 0.0012 December to May, a stated assumption for Qom's less "
            "dusty season (PM10 peaks July-November, J. Air Pollution and Health, 2011-12 survey)."
        ),
    )
    cleaning_interval_days: tuple = field(
        (30,) * 5 + (15,) * 6 + (30,),
        unit="days",
        minimum=1,
        maximum=366,
        length=12,
        source=(
            "Days between washes, January to December. Default 15 June to November, 30 otherwise (a "
            "cleaning schedule assumed for the Qom baseline; about 2 % a year)."
        ),
    )
    max_loss: float = field(
        0.30,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source="Cap on the build-up [fraction]; 0.30, pvlib/Kimber default.",
    )
    monthly_loss: tuple | None = field(
        None,
        unit="%",
        minimum=0,
        maximum=1,
        max_inclusive=False,
        length=12,
        source="A fixed monthly profile [fraction] that replaces the build-up.",
    )

    def __post_init__(self):
        check_fields(self, "plant.losses.soiling")
        interval = np.asarray(self.cleaning_interval_days)
        fractional = interval != np.round(interval)
        if fractional.any():
            month = int(np.argmax(fractional))
            raise InputError(
                f"plant.losses.soiling.cleaning_interval_days[{month}] = "
                f"{interval[month]:g} must be whole days (month {month + 1})"
            )
        object.__setattr__(self, "cleaning_interval_days", tuple(int(d) for d in interval))

    def daily_loss(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Soiling loss [fraction] on each of ``dates`` (local calendar dates)."""
        month = np.asarray(dates.month) - 1
        if self.monthly_loss is not None:
            return np.asarray(self.monthly_loss)[month]
        interval = np.asarray(self.cleaning_interval_days)[month]
        days_since_wash = (np.asarray(dates.day) - 1) % interval + 0.5
        loss = np.asarray(self.rate_per_day)[month] * days_since_wash
        return np.minimum(loss, self.max_loss)


@declared
@dataclass(frozen=True)
class Losses:
    """The loss chain, each part a fraction of energy lost in year one.

    Shading to nameplate act on DC power; availability and curtailment on AC energy at
    the meter (after the inverter), so they scale energy directly.
    """

    soiling: Soiling = field(
        default_factory=Soiling,
        unit="",
        source="Dust on the modules, applied to the irradiance.",
    )
    shading: float = field(
        0.03,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Near shading, including row-to-row shading of fixed racks [fraction]; 0.03, PVWatts "
            "default (Dobos 2014, NREL/TP-6A20-62641)."
        ),
    )
    mismatch: float = field(
        0.02,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source="Module mismatch; 0.02, PVWatts default (Dobos 2014).",
    )
    wiring: float = field(
        0.02,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source="DC and AC wiring; 0.02, PVWatts default (Dobos 2014).",
    )
    connections: float = field(
        0.005,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source="Connectors; 0.005, PVWatts default (Dobos 2014).",
    )
    light_induced_degradation: float = field(
        0.015,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source=(
            "First-hours loss of p-type cells; 0.015, PVWatts default (Dobos 2014) and PVEL scorecard "
            "2023 (near zero for n-type)."
        ),
    )
    nameplate: float = field(
        0.01,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source="Modules below their rating; 0.01, PVWatts default (Dobos 2014).",
    )
    availability: float = field(
        0.03,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Energy lost to planned and forced outages; 0.03, PVWatts default (Dobos 2014); 0.01 is "
            "the optimistic market view (kWh Analytics; Natural Power 2024)."
        ),
    )
    curtailment: float = field(
        0.0,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Energy the grid refuses; 0.0: no report of solar plants curtailed in Iran was found "
            "(news, 2024-2025); a scenario to offer, not a number to assume."
        ),
    )

    DC_PARTS = (
        "shading",
        "mismatch",
        "wiring",
        "connections",
        "light_induced_degradation",
        "nameplate",
    )
    AC_PARTS = ("availability", "curtailment")

    def __post_init__(self):
        if not isinstance(self.soiling, Soiling):
            raise InputError(f"plant.losses.soiling = {self.soiling!r} must be a Soiling")
        check_fields(self, "plant.losses")


@declared
@dataclass(frozen=True)
class Plant:
    """A photovoltaic plant, by default the Qom baseline (3 MWp, fixed, south, 30 degrees).

    Examples
    --------
    >>> Plant().capacity_kwp
    3000.0
    >>> Plant(tilt_deg=120)
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: plant.tilt_deg = 120 is out of range: allowed 0 <= value <= 90
    """

    capacity_kwp: float = field(
        3000.0,
        unit="kWp",
        minimum=0,
        maximum=MAX_CAPACITY_KWP,
        min_inclusive=False,
        source="DC nameplate [kWp]; 3,000 (the Mohebban Karimeh cooperative, news, September 2025).",
    )
    dc_ac_ratio: float = field(
        1.2,
        unit="",
        minimum=0,
        maximum=10,
        min_inclusive=False,
        source="DC nameplate over inverter AC rating; 1.2, PVWatts Calculator default (NREL, v8).",
    )
    tilt_deg: float = field(
        30.0,
        unit="degrees",
        minimum=0,
        maximum=90,
        source=(
            "Tilt of the modules [degrees], 0-90; for ``single_axis`` the tilt of the axis (as in "
            "PVWatts). 30, close to Qom's latitude and the figure the yield estimates for Qom assume."
        ),
    )
    azimuth_deg: float = field(
        180.0,
        unit="degrees",
        minimum=0,
        maximum=360,
        source=(
            "Direction the modules face [degrees east of north], 0-360; 180 is south. For "
            "``single_axis`` the direction of the axis."
        ),
    )
    gamma_pdc_per_c: float = field(
        -0.0037,
        unit="%/°C",
        minimum=-0.02,
        maximum=0,
        source="Power temperature coefficient [1/C]; -0.0037, PVWatts v8 standard module.",
    )
    inverter_efficiency: float = field(
        0.96,
        unit="%",
        minimum=0.5,
        maximum=1,
        source="Nominal inverter efficiency [fraction]; 0.96, PVWatts default (Dobos 2014).",
    )
    albedo: float = field(
        0.2,
        unit="%",
        kind="fraction",
        source="Ground reflectance [fraction]; 0.2, PVWatts default.",
    )
    system_losses: float | None = field(
        None,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source=(
            "One total loss fraction applied to DC power, as PVWatts has it (its default is 0.1408); "
            "when given it replaces ``losses`` entirely."
        ),
    )
    degradation_per_year: float = field(
        0.008,
        unit="%/year",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Yearly loss of output [fraction/yr]; 0.008: fleet median 0.75 %/yr and 0.88 %/yr in hot "
            "climates (Jordan et al. 2022, Prog. Photovolt. 30:1166)."
        ),
    )
    mounting: str = field(
        "fixed",
        unit="",
        choices=MOUNTINGS,
        source="Fixed racks, or single-axis trackers with backtracking.",
    )
    ground_coverage_ratio: float = field(
        0.4,
        unit="%",
        minimum=0,
        maximum=1,
        min_inclusive=False,
        max_inclusive=False,
        source=(
            "Module area over ground area, 0-1 exclusive; 0.4, PVWatts v8 default. Used for tracker "
            "backtracking and, for fixed racks and trackers alike, for the share of sky diffuse light "
            "the neighbouring rows block (Passias and Kaellbaeck 1984)."
        ),
    )
    max_rotation_deg: float = field(
        45.0,
        unit="degrees",
        minimum=0,
        maximum=90,
        source="Tracker rotation limit [degrees]; 45, PVWatts v8 default.",
    )
    losses: Losses = field(
        default_factory=Losses,
        unit="",
        source="The loss chain (soiling, shading, ..., availability, curtailment).",
    )

    def __post_init__(self):
        check_fields(self, "plant")
        if not isinstance(self.losses, Losses):
            raise InputError(f"plant.losses = {self.losses!r} must be a Losses")
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, spec.name, float(value))

    @property
    def ac_capacity_kw(self) -> float:
        """Inverter AC rating [kW]: DC nameplate over the DC/AC ratio."""
        return self.capacity_kwp / self.dc_ac_ratio


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class _SunGeometry:
    apparent_zenith: np.ndarray
    azimuth: np.ndarray
    dni_extra: np.ndarray
    airmass_relative: np.ndarray
    airmass_absolute: np.ndarray


def _index_key(index: pd.DatetimeIndex) -> tuple:
    return (str(index.tz), index.as_unit("ns").asi8.tobytes())


@functools.lru_cache(maxsize=16)
def _sun_cached(site: Site, tz: str, stamps: bytes) -> _SunGeometry:
    start = pd.to_datetime(np.frombuffer(stamps, dtype="int64"), unit="ns", utc=True)
    step = np.diff(start.asi8[:2]) if len(start) > 1 else np.array([3_600 * 10**9])
    middle = start + pd.Timedelta(int(step[0]) // 2, unit="ns")
    position = sun.mid_interval_position(site, start)
    apparent_zenith = position["apparent_zenith"].to_numpy()
    relative = pvlib.atmosphere.get_relative_airmass(apparent_zenith, model="kastenyoung1989")
    pressure = pvlib.atmosphere.alt2pres(site.altitude_m)
    geometry = _SunGeometry(
        apparent_zenith=apparent_zenith,
        azimuth=position["azimuth"].to_numpy(),
        dni_extra=np.asarray(pvlib.irradiance.get_extra_radiation(middle.day_of_year.to_numpy())),
        airmass_relative=np.asarray(relative),
        airmass_absolute=np.asarray(pvlib.atmosphere.get_absolute_airmass(relative, pressure)),
    )
    for array in vars(geometry).values():
        array.flags.writeable = False
    return geometry


def _sun(site: Site, index: pd.DatetimeIndex) -> _SunGeometry:
    """Solar position at mid-interval, extraterrestrial irradiance and air mass (cached)."""
    return _sun_cached(site, *_index_key(index))


@functools.lru_cache(maxsize=16)
def _tracker_cached(site, tz, stamps, axis_tilt, axis_azimuth, max_angle, gcr):
    sun = _sun_cached(site, tz, stamps)
    tracking = pvlib.tracking.singleaxis(
        sun.apparent_zenith,
        sun.azimuth,
        axis_tilt=axis_tilt,
        axis_azimuth=axis_azimuth,
        max_angle=max_angle,
        backtrack=True,
        gcr=gcr,
    )
    tilt = np.nan_to_num(np.asarray(tracking["surface_tilt"], dtype=float), nan=axis_tilt)
    azimuth = np.nan_to_num(np.asarray(tracking["surface_azimuth"], dtype=float), nan=axis_azimuth)
    return tilt, azimuth


def _sky_blocked(tilt, gcr):
    """Fraction of sky diffuse that neighbouring rows block [fraction]."""
    masking = pvlib.shading.masking_angle_passias(np.asarray(tilt, dtype=float), gcr)
    return np.asarray(pvlib.shading.sky_diffuse_passias(masking), dtype=float)


def _surface(plant: Plant, site: Site, index: pd.DatetimeIndex):
    """Surface tilt and azimuth [degrees] for each interval: fixed, or the tracker's."""
    if plant.mounting == "fixed":
        return plant.tilt_deg, plant.azimuth_deg
    return _tracker_cached(
        site,
        *_index_key(index),
        plant.tilt_deg,
        plant.azimuth_deg,
        plant.max_rotation_deg,
        plant.ground_coverage_ratio,
    )


# --------------------------------------------------------------------------- physics


def _check_weather(weather) -> pd.DataFrame:
    if not isinstance(weather, pd.DataFrame):
        raise InputError(f"weather must be a pandas DataFrame, got {type(weather).__name__}")
    for column in WEATHER_COLUMNS:
        if column not in weather.columns:
            raise InputError(
                f"weather.{column} is missing: weather needs columns {WEATHER_COLUMNS}"
            )
    index = weather.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise InputError("weather.index must be a time-zone-aware DatetimeIndex")
    if len(index) < 1:
        raise InputError("weather has no rows")
    if len(index) > 1:
        steps = np.diff(index.asi8)
        if steps[0] <= 0 or np.any(steps != steps[0]):
            raise InputError("weather.index must be evenly spaced and increasing")
    values = weather[list(WEATHER_COLUMNS)].to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise InputError(
            f"weather.{WEATHER_COLUMNS[col]} = {values[row, col]} at {index[row]} (row {row}) "
            "is not a finite number (fill gaps before simulating)"
        )
    # Physical limits shared with solarcoop.weather: irradiance 0 to 2,000 W/m2 (no
    # negative values here: weather.check sets small sensor offsets to 0), air temperature
    # -60 to 70 C (kelvin is refused), wind speed >= 0. Raises WeatherError (an InputError).
    weather_module.check_limits(weather[list(WEATHER_COLUMNS)], "weather")
    return weather


def _interval_hours(index: pd.DatetimeIndex) -> float:
    return 1.0 if len(index) < 2 else (index[1] - index[0]) / pd.Timedelta(hours=1)


def _cover_transmittance(angle_deg):
    """Cover transmittance relative to normal incidence [fraction] at ``angle_deg``."""
    return pvlib.iam.physical(angle_deg, **_COVER)


def _simulate(plant: Plant, weather: pd.DataFrame, site: Site) -> dict:
    """Hourly powers [kW] after each step of the chain, as numpy arrays."""
    if not isinstance(plant, Plant):
        raise InputError(f"plant must be a Plant, got {type(plant).__name__}")
    if not isinstance(site, Site):
        raise InputError(f"site must be a Site, got {type(site).__name__}")
    weather = _check_weather(weather)
    index = weather.index
    sun = _sun(site, index)
    tilt, azimuth = _surface(plant, site, index)
    ghi, dni, dhi, temp_air, wind = (weather[c].to_numpy(dtype=float) for c in WEATHER_COLUMNS)

    aoi = pvlib.irradiance.aoi(tilt, azimuth, sun.apparent_zenith, sun.azimuth)
    sky = pvlib.irradiance.perez(
        tilt,
        azimuth,
        dhi,
        dni,
        sun.dni_extra,
        sun.apparent_zenith,
        sun.azimuth,
        sun.airmass_relative,
    )
    sky = np.nan_to_num(np.asarray(sky, dtype=float))
    ground = pvlib.irradiance.get_ground_diffuse(tilt, ghi, albedo=plant.albedo)
    beam = np.maximum(dni * np.cos(np.radians(aoi)), 0.0)
    beam = np.where(sun.apparent_zenith < 90, beam, 0.0)
    capacity = plant.capacity_kwp
    steps = {"poa_nominal": capacity * (beam + sky + np.asarray(ground)) / 1000.0}

    # Rows in front block part of the sky dome (Passias & Kaellbaeck 1984), from the tilt
    # and the ground coverage ratio, for fixed racks and trackers alike.
    sky = sky * (1 - _sky_blocked(tilt, plant.ground_coverage_ratio))
    poa = beam + sky + np.asarray(ground)
    steps["after_row_sky_blocking"] = capacity * poa / 1000.0

    if plant.system_losses is None:
        soiling = plant.losses.soiling.daily_loss(index.normalize())
    else:
        soiling = np.zeros(len(index))
    poa_soiled = poa * (1 - soiling)
    steps["after_soiling"] = capacity * poa_soiled / 1000.0

    # Cover reflection: beam at its angle, diffuse at Brandemuehl-Beckman equivalent angles
    # (Duffie & Beckman, Solar Engineering of Thermal Processes, eq. 5.4.1-5.4.2).
    tilt_array = np.asarray(tilt, dtype=float)
    sky_angle = 59.7 - 0.1388 * tilt_array + 0.001497 * tilt_array**2
    ground_angle = 90.0 - 0.5788 * tilt_array + 0.002693 * tilt_array**2
    transmitted = (
        beam * np.nan_to_num(_cover_transmittance(aoi))
        + sky * _cover_transmittance(sky_angle)
        + np.asarray(ground) * _cover_transmittance(ground_angle)
    ) * (1 - soiling)
    steps["after_reflection"] = capacity * transmitted / 1000.0

    spectral = np.asarray(
        pvlib.spectrum.spectral_factor_sapm(
            np.nan_to_num(sun.airmass_absolute, nan=40.0), _DESOTO_AIR_MASS
        ),
        dtype=float,
    )
    effective = transmitted * spectral
    steps["after_spectral"] = capacity * effective / 1000.0

    temp_cell = pvlib.temperature.noct_sam(
        poa_soiled, temp_air, wind, _NOCT_OPEN_RACK_C, _MODULE_EFFICIENCY
    )
    dc = np.asarray(
        pvlib.pvsystem.pvwatts_dc(effective, temp_cell, capacity, plant.gamma_pdc_per_c),
        dtype=float,
    )
    dc = np.maximum(dc, 0.0)
    steps["after_temperature"] = dc

    if plant.system_losses is not None:
        dc = dc * (1 - plant.system_losses)
        steps["after_system_losses"] = dc
    else:
        for name in Losses.DC_PARTS:
            dc = dc * (1 - getattr(plant.losses, name))
            steps[f"after_{name}"] = dc

    eta = plant.inverter_efficiency
    pdc0 = plant.ac_capacity_kw / eta
    # Part-load efficiency without clipping, for the breakdown: pvlib's PVWatts inverter
    # clips at eta_nom x pdc0 and its curve depends on eta_nom / eta_ref only, so scaling
    # both efficiencies by 1000 keeps the curve and moves the AC limit out of reach.
    unclipped = pvlib.inverter.pvwatts(
        dc, pdc0, eta * 1000.0, _INVERTER_REFERENCE_EFFICIENCY * 1000.0
    )
    steps["after_inverter"] = np.asarray(unclipped, dtype=float)
    ac = np.asarray(
        pvlib.inverter.pvwatts(dc, pdc0, eta, _INVERTER_REFERENCE_EFFICIENCY), dtype=float
    )
    ac = np.maximum(ac, 0.0)
    steps["after_clipping"] = ac

    if plant.system_losses is None:
        for name in Losses.AC_PARTS:
            ac = ac * (1 - getattr(plant.losses, name))
            steps[f"after_{name}"] = ac
    steps["at_meter"] = ac
    return steps


def hourly_energy(plant: Plant, weather: pd.DataFrame, site: Site) -> pd.Series:
    """AC energy delivered at the meter in each interval of one weather year [kWh].

    All year-one losses are applied (soiling, shading, mismatch, wiring, connections,
    light-induced degradation, nameplate, inverter and clipping, availability,
    curtailment), but no degradation over the years: multiply by
    :func:`degradation_factor` for later years.

    Parameters
    ----------
    plant : Plant
        The plant.
    weather : pandas.DataFrame
        Evenly spaced (normally hourly) rows with a time-zone-aware index whose stamps
        label the start of each interval; columns ``ghi``, ``dni``, ``dhi`` [W/m2],
        ``temp_air`` [C], ``wind_speed`` [m/s]. The sun is placed at mid-interval.
    site : Site
        Where the plant stands. Solar geometry is cached per site and index, so a
        re-run for the same site and hours skips it.

    Returns
    -------
    pandas.Series
        ``energy_kwh`` on the weather's index.

    Examples
    --------
    A clear summer day in Qom for a 1 kWp plant with PVWatts' 14 % losses:

    >>> from solarcoop.site import QOM
    >>> times = pd.date_range("2025-06-21", periods=24, freq="h", tz="Asia/Tehran")
    >>> clear = pvlib.location.Location(34.64, 50.88, altitude=930).get_clearsky(
    ...     times + pd.Timedelta("30min"))
    >>> weather = clear.set_axis(times).assign(temp_air=30.0, wind_speed=2.0)
    >>> energy = hourly_energy(Plant(capacity_kwp=1, system_losses=0.14), weather, QOM)
    >>> round(float(energy.sum()), 1)  # kWh/kWp in a clear June day
    5.6
    """
    steps = _simulate(plant, weather, site)
    hours = _interval_hours(weather.index)
    return pd.Series(steps["at_meter"] * hours, index=weather.index, name="energy_kwh")


def loss_breakdown(plant: Plant, weather: pd.DataFrame, site: Site) -> pd.Series:
    """Energy over the weather period after each step, plane of array to meter [kWh].

    The first entry, ``poa_nominal``, is the plane-of-array irradiation times the DC
    nameplate over 1 kW/m2 (what the array would make at its STC efficiency); each later
    entry is the energy left after one more step, the last, ``at_meter``, equals
    ``hourly_energy(...).sum()``. ``-breakdown.diff()`` gives the kWh each step took.

    Steps: poa_nominal, after_row_sky_blocking (sky diffuse the neighbouring rows block),
    after_soiling, after_reflection (module cover, angle of
    incidence), after_spectral, after_temperature, after_<each DC loss> (or
    after_system_losses), after_inverter (efficiency), after_clipping, after_availability,
    after_curtailment, at_meter.
    """
    steps = _simulate(plant, weather, site)
    hours = _interval_hours(weather.index)
    return pd.Series(
        {name: float(np.sum(power) * hours) for name, power in steps.items()}, name="energy_kwh"
    )


def degradation_factor(degradation_per_year, operating_year) -> np.ndarray:
    """Output multiplier for operating year(s) 1, 2, ... : ``(1 - d) ** (year - 1)``.

    Compound, as SAM and PVWatts apply a single yearly DC degradation rate in lifetime
    runs (``pow(1 - dc_degradation / 100, y)`` for year index ``y`` = 0, 1, ...; SAM
    cmod_pvwattsv8): each year loses the same fraction of what was left. Year 1 is 1.0
    (year-one losses such as light-induced degradation are in :func:`hourly_energy`).
    Over 25 years at 0.8 %/yr compound gives 0.825, linear ``1 - 24 d`` 0.808.

    Parameters
    ----------
    degradation_per_year : float or array_like
        Yearly loss [fraction/yr], 0 <= d < 1; broadcasts against ``operating_year``.
    operating_year : int or array_like
        Operating year(s), counted from 1 (for example shape (paths, months)).

    Returns
    -------
    numpy.ndarray
        The multiplier [fraction], broadcast shape of both inputs.

    Examples
    --------
    >>> degradation_factor(0.008, [1, 2, 11]).round(5)
    array([1.     , 0.992  , 0.92282])
    """
    rate = np.asarray(degradation_per_year, dtype=float)
    year = np.asarray(operating_year, dtype=float)
    if not np.all(np.isfinite(rate)) or np.any(rate < 0) or np.any(rate >= 1):
        raise InputError(
            f"plant.degradation_per_year = {degradation_per_year!r} is out of "
            "range: allowed 0 <= value < 1"
        )
    if not np.all(np.isfinite(year)) or np.any(year < 1) or np.any(year != np.round(year)):
        raise InputError(f"operating_year = {operating_year!r} must be whole years >= 1")
    return (1.0 - rate) ** (year - 1.0)
