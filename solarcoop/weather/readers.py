"""Readers of weather files: one per format, each handing its frame to the checks.

:func:`read` detects the format, parses the file with pvlib.iotools and checks it
(:func:`solarcoop.weather.checks.normalise`); :func:`fetch_pvgis_tmy` downloads a PVGIS
typical year once and reads it from a cache; :func:`resolve` gives the hourly weather a
simulation uses (the embedded year, a file or a DataFrame).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from solarcoop._lazy import LazyModule
from solarcoop._reading import SAVE_AS_UTF8, advice, check_input_file, encoding_problem
from solarcoop._validation import check_choice, check_number
from solarcoop.site import Site
from solarcoop.weather.checks import check, normalise
from solarcoop.weather.frame import WeatherError
from solarcoop.weather.typical import qom_typical_year

pvlib = LazyModule("pvlib")  # imported on first use: it brings scipy (about 0.5 s)

FORMATS = ("epw", "pvgis_tmy", "pvgis_hourly", "tmy3", "nsrdb", "csv")
"""File formats :func:`read` understands."""

MAX_WEATHER_BYTES = 500 * 2**20
"""Largest weather file read [bytes]: 20 years of hourly rows take about 20 MB."""

_TYPICAL_FORMATS = ("epw", "pvgis_tmy", "tmy3")

# Each format's column names -> solarcoop's (the names of COLUMNS, shared with pvlib). The
# readers parse with pvlib.iotools without its renaming and rename here, once, so the names
# every later step relies on are stated in this module. Columns solarcoop does not use are
# renamed too (as pvlib names them), so messages that list a file's columns name them alike.

PVGIS_COLUMNS = {
    "G(h)": "ghi", "Gb(n)": "dni", "Gd(h)": "dhi", "G(i)": "poa_global",
    "Gb(i)": "poa_direct", "Gd(i)": "poa_sky_diffuse", "Gr(i)": "poa_ground_diffuse",
    "H_sun": "solar_elevation", "T2m": "temp_air", "RH": "relative_humidity",
    "SP": "pressure", "WS10m": "wind_speed", "WD10m": "wind_direction",
}  # fmt: skip
"""PVGIS typical-year and hourly columns (PVGIS 5 user manual, JRC) -> solarcoop's names.
Hourly series on a plane give the horizontal components as ``Gb(i)``, ``Gd(i)``, ``Gr(i)``
when the slope is 0."""

TMY3_COLUMNS = {
    "GHI (W/m^2)": "ghi", "ETR (W/m^2)": "ghi_extra", "DNI (W/m^2)": "dni",
    "ETRN (W/m^2)": "dni_extra", "DHI (W/m^2)": "dhi", "Pressure (mbar)": "pressure",
    "Wdir (degrees)": "wind_direction", "Wspd (m/s)": "wind_speed",
    "Dry-bulb (C)": "temp_air", "Dew-point (C)": "temp_dew", "RHum (%)": "relative_humidity",
    "Alb (unitless)": "albedo", "Pwat (cm)": "precipitable_water",
}  # fmt: skip
"""TMY3 columns (Wilcox and Marion 2008, NREL/TP-581-43156) -> solarcoop's names."""

NSRDB_COLUMNS = {
    "GHI": "ghi", "DHI": "dhi", "DNI": "dni", "Clearsky GHI": "ghi_clear",
    "Clearsky DHI": "dhi_clear", "Clearsky DNI": "dni_clear",
    "Solar Zenith Angle": "solar_zenith", "Temperature": "temp_air", "Dew Point": "temp_dew",
    "Relative Humidity": "relative_humidity", "Pressure": "pressure",
    "Wind Speed": "wind_speed", "Wind Direction": "wind_direction",
    "Surface Albedo": "albedo", "Precipitable Water": "precipitable_water", "AOD": "aod",
}  # fmt: skip
"""NSRDB PSM CSV columns (NREL National Solar Radiation Database) -> solarcoop's names."""

EPW_MISSING = {"ghi": 9999, "dni": 9999, "dhi": 9999, "temp_air": 99.9, "wind_speed": 999}
"""The EPW missing-value markers of the columns solarcoop uses (EnergyPlus Auxiliary
Programs, weather file format). An EPW has no header row: pvlib names its fields by
position, with solarcoop's names, so it needs no rename map."""


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


# Each reader returns (frame, station, offset, notes): the frame with solarcoop's column
# names, the station ({name, latitude, longitude, altitude_m, ...} or None), the UTC offset
# of naive times in the file [h] (None: the site's) and what was done on the way in.


def _read_epw(path: Path):
    """An EnergyPlus weather file; missing-value markers become NaN."""
    data, meta = pvlib.iotools.read_epw(path)
    for column, missing in EPW_MISSING.items():  # the marker itself; a kelvin 290 stays, to be refused
        data[column] = data[column].where(~np.isclose(data[column], missing))
    station = {"name": meta.get("city"), "latitude": meta["latitude"],
               "longitude": meta["longitude"], "altitude_m": meta["altitude"],
               "data_type": meta.get("data_type")}
    return data, station, float(meta["TZ"]), []


def _read_pvgis(path: Path, typical: bool):
    """A PVGIS typical year or hourly series (CSV or JSON), times in UTC.

    Times past the hour are floored to it; a horizontal hourly series with components
    gets GHI and DHI from them; a series on a tilted plane is refused.
    """
    notes = []
    reader = pvlib.iotools.read_pvgis_tmy if typical else pvlib.iotools.read_pvgis_hourly
    pvgis_format = "json" if path.suffix.lower() == ".json" else "csv"
    data, meta = reader(path, pvgis_format=pvgis_format, map_variables=False)
    data = data.rename(columns=PVGIS_COLUMNS)
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


def _read_pvgis_tmy(path: Path):
    return _read_pvgis(path, typical=True)


def _read_pvgis_hourly(path: Path):
    return _read_pvgis(path, typical=False)


def _read_tmy3(path: Path):
    """A TMY3 file; its hour-ending times become hour-start labels."""
    data, meta = pvlib.iotools.read_tmy3(path, map_variables=False)
    data = data.rename(columns=TMY3_COLUMNS)
    # TMY3 labels each hour at its end; solarcoop labels the start.
    data.index = data.index - pd.Timedelta(hours=1)
    notes = ["TMY3 hour-ending times moved back one hour to hour-start labels"]
    station = {"name": meta.get("Name"), "latitude": meta["latitude"],
               "longitude": meta["longitude"], "altitude_m": meta["altitude"]}
    return data, station, float(meta["TZ"]), notes


def _read_nsrdb(path: Path):
    """An NSRDB PSM CSV; values at half past the hour get the start of their hour."""
    notes = []
    data, meta = pvlib.iotools.read_nsrdb_psm4(path, map_variables=False)
    data = data.rename(columns=NSRDB_COLUMNS)
    if data.index.minute.any():
        notes.append("NSRDB values at half past the hour (instantaneous, mid-hour) "
                     "labelled with the start of their hour")
        data.index = data.index.floor("h")
    station = {"name": f"NSRDB {meta.get('Location ID', '')}".strip(),
               "latitude": meta["Latitude"], "longitude": meta["Longitude"],
               "altitude_m": float(meta["Elevation"])}
    return data, station, float(meta["Time Zone"]), notes


def _read_csv(path: Path):
    """A plain CSV with a ``time`` column and solarcoop's column names (no rename)."""
    data = pd.read_csv(path)
    if "time" not in data.columns:
        raise WeatherError(f"{path.name}: a plain CSV needs a 'time' column; found "
                           f"{list(data.columns)}")
    data = data.set_index(pd.to_datetime(data.pop("time"), format="ISO8601"))
    return data, None, None, []


_READERS = {"epw": _read_epw, "pvgis_tmy": _read_pvgis_tmy, "pvgis_hourly": _read_pvgis_hourly,
            "tmy3": _read_tmy3, "nsrdb": _read_nsrdb, "csv": _read_csv}
"""The reader of each of :data:`FORMATS`."""


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
        raw, station, file_offset, notes = _READERS[fmt](path)
    except WeatherError:
        raise
    except Exception as error:  # any parser failure: name the file, the format and the cause
        raise WeatherError(_reader_failure(path, fmt, error)) from error
    findings = []
    if station and "TMYx" in str(station.get("data_type", "")):
        findings.append(
            f"{path.name}: radiation in ISD-TMYx files is modelled from cloud reports, not "
            "measured; expect a few per cent uncertainty in the energy")
    return normalise(raw, site, source=str(path), fmt=fmt, station=station,
                     file_offset=file_offset, changes=notes, findings=findings,
                     typical=fmt in _TYPICAL_FORMATS, fill_gaps_hours=fill_gaps_hours,
                     accept=accept)

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
