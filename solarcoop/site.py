"""Where the plant stands."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

from solarcoop._validation import InputError
from solarcoop.fields import check_fields, declared, field


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
    altitude_m: float = field(
        0.0,
        unit="m",
        minimum=-500,
        maximum=9000,
        source="Height above sea level [m], -500 to 9,000.",
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
            "labels give its coordinates."
        ),
    )

    def __post_init__(self):
        if self.name is not None and (not isinstance(self.name, str) or not self.name.strip()):
            raise InputError(f"site.name = {self.name!r} must be a non-empty string or None")
        check_fields(self, "site")
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            raise InputError(
                f"site.timezone = {self.timezone!r} is not an IANA time zone name "
                "(for example 'Asia/Tehran')"
            ) from None

    @property
    def label(self) -> str:
        """The site's name, or its coordinates when it has none (``"32.65 N, 51.67 E"``)."""
        if self.name is not None:
            return self.name
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
