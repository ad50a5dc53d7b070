"""Read real EPW files with solarcoop's reader and say, in plain words, what is odd in them.

Usage::

    python benchmarks/validate_weather_files.py FILE.epw [FILE.epw ...]
        [--site-latitude LAT --site-longitude LON [--site-altitude M]] [--timezone Asia/Tehran]
        [--years 20 --seed 0]

With a site but no ``--site-altitude`` the station's altitude from the file header is
used, and the output says so.

Without a site the station written in each file is taken as the site (so the
distance check compares the file with itself, and a degrees.minutes mistake is
flagged as "may be"). The script also prints the annual GHI of the embedded Qom
default and the spread of ``--years`` varied years. The weather files are not part
of the project; pass their paths.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pvlib

from solarcoop import weather
from solarcoop.site import Site


def station_site(path: str, timezone: str) -> Site:
    """The station in an EPW header as a Site (coordinates as written)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        fields = handle.readline().split(",")
    return Site(latitude=float(fields[6]), longitude=float(fields[7]),
                altitude_m=float(fields[9]), timezone=timezone, name=fields[1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--site-latitude", type=float)
    parser.add_argument("--site-longitude", type=float)
    parser.add_argument("--site-altitude", type=float, default=None,
                        help="site altitude [m]; default: the station's altitude in each "
                             "file's header (printed)")
    parser.add_argument("--timezone", default="Asia/Tehran")
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    default = weather.qom_typical_year()
    print(f"Embedded Qom default: {default['ghi'].sum() / 1000:,.0f} kWh/m2 GHI a year, "
          f"mean air temperature {default['temp_air'].mean():.1f} C")
    years = weather.typical_years(args.years, seed=args.seed)
    annual = np.array([year["ghi"].sum() / 1000 for year in years])
    print(f"{args.years} varied years (seed {args.seed}): mean {annual.mean():,.0f} kWh/m2, "
          f"std {annual.std(ddof=1):.1f} kWh/m2 ({annual.std(ddof=1) / annual.mean():.2%}), "
          f"range {annual.min():,.0f} to {annual.max():,.0f}")

    for path in args.files:
        station = station_site(path, args.timezone)
        altitude_note = ""
        if args.site_latitude is not None and args.site_longitude is not None:
            altitude = args.site_altitude
            if altitude is None:
                altitude = station.altitude_m
                altitude_note = f"; altitude {altitude:g} m taken from the station (no --site-altitude)"
            site = Site(latitude=args.site_latitude, longitude=args.site_longitude,
                        altitude_m=altitude, timezone=args.timezone, name="the planned site")
        else:
            site = station
        print()
        print(f"== {path}")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", weather.WeatherWarning)
                data, metadata = weather.read(path, site=site)
        except weather.WeatherError as error:
            print(f"   REFUSED: {error}")
            continue
        raw, _ = pvlib.iotools.read_epw(path)
        print(f"   site: {site.name} ({site.latitude:g} N, {site.longitude:g} E, "
              f"{site.altitude_m:g} m){altitude_note}")
        print(f"   annual GHI: {metadata['annual_ghi_kwh_per_m2']:,.0f} kWh/m2 "
              f"(file as written: {raw['ghi'].sum() / 1000:,.0f}); mean air temperature "
              f"{data['temp_air'].mean():.1f} C; mean wind {data['wind_speed'].mean():.1f} m/s")
        print("   changes made on the way in:")
        for change in metadata["changes"]:
            print(f"     - {change}")
        print("   findings:")
        for finding in metadata["findings"] or ["none"]:
            print(f"     - {finding.split(': ', 1)[-1]}")


if __name__ == "__main__":
    main()
