"""Where the plant stands."""

from __future__ import annotations

import csv
import functools
import io
import zoneinfo
from dataclasses import dataclass
from importlib import resources

import numpy as np

from solarcoop._validation import InputError
from solarcoop.fields import check_fields, declared, field

NAMED_WITHIN_KM = 50.0
"""A site without a name of its own is named after the nearest province centre within
this distance [km]; farther from all of them, its coordinates name it."""

EARTH_RADIUS_KM = 6371.0
"""Mean radius of the Earth [km], for great-circle distances."""


@dataclass(frozen=True)
class Centre:
    """One of Iran's province centres, from ``solarcoop/data/province_centres.csv``."""

    name_en: str
    name_fa: str
    province_en: str
    province_fa: str
    latitude: float
    longitude: float
    altitude_m: float


@functools.cache
def province_centres() -> tuple[Centre, ...]:
    """Iran's 31 province centres: names (en, fa), coordinates and altitude.

    Coordinates from GeoNames, altitudes from :func:`pvlib.location.lookup_altitude`
    (the file's header says so).

    >>> len(province_centres()), province_centres()[1].name_en
    (31, 'Qom')
    """
    text = resources.files("solarcoop").joinpath("data/province_centres.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return tuple(
        Centre(
            row["name_en"], row["name_fa"], row["province_en"], row["province_fa"],
            float(row["latitude"]), float(row["longitude"]), float(row["altitude_m"]),
        )  # fmt: skip
        for row in rows
    )


def distance_km(latitude, longitude, latitudes, longitudes) -> np.ndarray:
    """Great-circle distances from one point to others [km] (haversine).

    >>> round(float(distance_km(34.64, 50.88, 32.65, 51.67)))
    233
    """
    p1, p2 = np.radians(latitude), np.radians(np.asarray(latitudes, float))
    dp, dl = p2 - p1, np.radians(np.asarray(longitudes, float) - longitude)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def nearest_centre(latitude: float, longitude: float) -> tuple[Centre, float]:
    """The province centre nearest to a point, and its distance [km].

    >>> centre, km = nearest_centre(30.28, 57.08)
    >>> centre.name_en, round(km)
    ('Kerman', 0)
    """
    centres = province_centres()
    distances = distance_km(
        latitude, longitude, [c.latitude for c in centres], [c.longitude for c in centres]
    )
    index = int(np.argmin(distances))
    return centres[index], float(distances[index])


def looked_up_altitude_m(latitude: float, longitude: float) -> float:
    """Height above sea level at a point [m], from the elevation grid shipped with pvlib
    (:func:`pvlib.location.lookup_altitude`; it works offline)."""
    from pvlib.location import lookup_altitude

    return float(lookup_altitude(latitude, longitude))


@declared
@dataclass(frozen=True)
class Site:
    """A plant's location.

    Examples
    --------
    >>> qom = Site(latitude=34.64, longitude=50.88, altitude_m=930, timezone="Asia/Tehran", name="Qom")
    >>> qom.utc_offset_hours
    3.5
    """

    latitude: float = field(
        unit="degrees north",
        minimum=-90,
        maximum=90,
        source="Latitude [degrees north], -90 to 90.",
    )
    longitude: float = field(
        unit="degrees east",
        minimum=-180,
        maximum=180,
        source="Longitude [degrees east], -180 to 180.",
    )
    altitude_m: float | None = field(
        None,
        unit="m",
        minimum=-500,
        maximum=9000,
        optional=True,
        source=(
            "Height above sea level [m], -500 to 9,000. ``None`` (default): looked up at the "
            "coordinates with :func:`pvlib.location.lookup_altitude` (an elevation grid shipped with "
            "pvlib), and ``altitude_looked_up`` says so."
        ),
    )
    timezone: str = field(
        "UTC",
        unit="",
        source='IANA time zone name, for example ``"Asia/Tehran"``.',
    )
    name: str | None = field(
        None,
        unit="",
        source=(
            'The place\'s name, for labels (``"Qom"``). Default ``None``: the site has no name and '
            "labels give the nearest province centre within 50 km, else its coordinates."
        ),
    )
    altitude_looked_up: bool = field(
        False,
        unit="",
        source=(
            "Whether ``altitude_m`` was looked up rather than given (set when ``altitude_m`` is "
            "``None``; the report says where the altitude came from)."
        ),
    )

    def __post_init__(self):
        if self.name is not None and (not isinstance(self.name, str) or not self.name.strip()):
            raise InputError(f"site.name = {self.name!r} must be a non-empty string or None")
        check_fields(self, "site")  # the coordinates first: the altitude is looked up there
        if not isinstance(self.altitude_looked_up, bool):
            raise InputError(f"site.altitude_looked_up = {self.altitude_looked_up!r} must be true or false")
        if self.altitude_m is None:
            object.__setattr__(self, "altitude_m", looked_up_altitude_m(self.latitude, self.longitude))
            object.__setattr__(self, "altitude_looked_up", True)
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            raise InputError(
                f"site.timezone = {self.timezone!r} is not an IANA time zone name "
                "(for example 'Asia/Tehran')"
            ) from None

    @property
    def centre(self) -> Centre | None:
        """The province centre that names the site: the nearest, when within
        :data:`NAMED_WITHIN_KM`; else None."""
        centre, km = nearest_centre(self.latitude, self.longitude)
        return centre if km <= NAMED_WITHIN_KM else None

    @property
    def label(self) -> str:
        """The site's name; without one, the nearest province centre within 50 km; else its
        coordinates (``"27.00 N, 60.00 E"``).

        >>> Site(latitude=32.65, longitude=51.67, altitude_m=1590).label
        'Isfahan'
        >>> Site(latitude=27.0, longitude=60.0, altitude_m=600).label
        '27.00 N, 60.00 E'
        """
        if self.name is not None:
            return self.name
        if self.centre is not None:
            return self.centre.name_en
        north = f"{abs(self.latitude):.2f} {'N' if self.latitude >= 0 else 'S'}"
        east = f"{abs(self.longitude):.2f} {'E' if self.longitude >= 0 else 'W'}"
        return f"{north}, {east}"

    @property
    def utc_offset_hours(self) -> float:
        """The zone's standard offset from UTC today [h] (Iran: +3.5, no DST since 2022)."""
        import datetime

        now = datetime.datetime(2026, 1, 15, tzinfo=zoneinfo.ZoneInfo(self.timezone))
        return now.utcoffset().total_seconds() / 3600


QOM = Site(latitude=34.64, longitude=50.88, altitude_m=930, timezone="Asia/Tehran", name="Qom")
"""The Mohebban Karimeh cooperative's plant near Qom (city coordinates; domain notes)."""
