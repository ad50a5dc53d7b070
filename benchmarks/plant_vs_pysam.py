"""solarcoop's plant physics against NREL's PySAM PVWatts v8, on the same weather.

Run from the repository root::

    python benchmarks/plant_vs_pysam.py                 # embedded / synthetic Qom years
    python benchmarks/plant_vs_pysam.py path/to/file.epw  # also a real EPW typical year

For each weather year and for a fixed 30-degree plant and a single-axis tracker it prints
annual and monthly AC energy from ``solarcoop.plant.hourly_energy`` and from
``PySAM.Pvwattsv8`` with matched settings (14 % system losses, DC/AC 1.2, inverter 96 %,
albedo 0.2), their ratio, and the time of ``hourly_energy`` (first run for a site, and a
re-run for the same site) against ``Pvwattsv8.execute()``.

Why the two differ (see also the module docstring of ``solarcoop.plant``): PVWatts v8
computes cell temperature with the transient Fuentes model, solarcoop with SAM's
steady-state NOCT model. Both block part of the sky diffuse light between rows, for fixed
racks and trackers, from the ground coverage ratio: solarcoop with the sky-dome masking of
Passias and Kaellbaeck (1984); PVWatts v8 with its own row model, which also shades beam
light on fixed racks and ground-reflected light (solarcoop leaves beam row shading to
``losses.shading``). With rows far apart (GCR 0.01, PySAM's minimum) the two agree within
about 0.2 % a year; at GCR 0.4 PVWatts' row model takes 1-1.6 % more, so that case is
printed for information. Solar position near sunrise and sunset is taken at slightly
different instants.

The PySAM settings mapping lives in ``tests/pysam_oracle.py`` (shared with the tests).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from solarcoop import sun, weather
from solarcoop.plant import Plant, hourly_energy
from solarcoop.site import QOM, Site

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pysam_oracle import pysam_model  # noqa: E402  (re-exported for simulate_vs_pysam.py)

__all__ = ["compare", "pysam_model", "read_epw_year", "report"]


def compare(plant: Plant, weather: pd.DataFrame, site: Site, system_losses: float = 0.14):
    """Monthly energy [kWh] of both models, and timings [s]."""
    from solarcoop import plant as plant_module

    plant = Plant(
        **{
            **{f: getattr(plant, f) for f in plant.__dataclass_fields__},
            "system_losses": system_losses,
        }
    )
    # first run: no cached solar position anywhere (plant geometry, tracker, shared sun)
    plant_module._sun_cached.cache_clear()
    plant_module._tracker_cached.cache_clear()
    sun._position_cached.cache_clear()
    start = time.perf_counter()
    ours = hourly_energy(plant, weather, site)
    first = time.perf_counter() - start
    start = time.perf_counter()
    ours = hourly_energy(plant, weather, site)
    rerun = time.perf_counter() - start
    model = pysam_model(plant, weather, site, system_losses)
    start = time.perf_counter()
    model.execute()
    sam_time = time.perf_counter() - start
    local_month = weather.index.tz_convert(site.timezone).month
    monthly = pd.DataFrame(
        {
            "solarcoop_kwh": ours.groupby(local_month).sum().to_numpy(),
            "pysam_kwh": np.asarray(model.Outputs.monthly_energy),
        },
        index=pd.Index(range(1, 13), name="month"),
    )
    monthly["ratio"] = monthly["solarcoop_kwh"] / monthly["pysam_kwh"]
    return monthly, {"first": first, "rerun": rerun, "pysam": sam_time}


def report(title: str, weather: pd.DataFrame, site: Site) -> None:
    cases = (("fixed", 30.0, 0.01), ("single_axis", 0.0, 0.01), ("single_axis", 0.0, 0.4))
    for mounting, tilt, gcr in cases:
        plant = Plant(mounting=mounting, tilt_deg=tilt, ground_coverage_ratio=gcr)
        monthly, times = compare(plant, weather, site)
        ours, sam = monthly["solarcoop_kwh"].sum(), monthly["pysam_kwh"].sum()
        print(f"\n== {title}: {mounting}, tilt {tilt:g}, GCR {gcr:g}, 3000 kWp, 14 % losses ==")
        print(monthly.round({"solarcoop_kwh": 0, "pysam_kwh": 0, "ratio": 4}).to_string())
        print(
            f"annual: solarcoop {ours:,.0f} kWh ({ours / plant.capacity_kwp:,.0f} kWh/kWp), "
            f"PySAM {sam:,.0f} kWh ({sam / plant.capacity_kwp:,.0f} kWh/kWp), "
            f"ratio {ours / sam:.4f}; worst month ratio "
            f"{monthly['ratio'].iloc[np.argmax(np.abs(monthly['ratio'] - 1))]:.4f}"
        )
        print(
            f"time: hourly_energy first run {times['first'] * 1e3:.1f} ms, re-run "
            f"{times['rerun'] * 1e3:.1f} ms, Pvwattsv8.execute {times['pysam'] * 1e3:.1f} ms; "
            f"ratios {times['first'] / times['pysam']:.2f} (first), "
            f"{times['rerun'] / times['pysam']:.2f} (re-run)"
        )


def read_epw_year(path: str) -> tuple[pd.DataFrame, Site]:
    """An EPW typical year on one calendar year (2025), with its site."""
    data, meta = pvlib.iotools.read_epw(path)
    site = Site(
        latitude=meta["latitude"],
        longitude=meta["longitude"],
        altitude_m=meta["altitude"],
        timezone="Asia/Tehran",
        name=meta["city"],
    )
    data = data[["ghi", "dni", "dhi", "temp_air", "wind_speed"]]
    index = pd.to_datetime(
        {"year": 2025, "month": data.index.month, "day": data.index.day, "hour": data.index.hour}
    )
    data = data.set_axis(pd.DatetimeIndex(index).tz_localize(site.timezone)).sort_index()
    return data, site


def main(argv: list[str]) -> None:
    report("embedded Qom typical year", weather.qom_typical_year(), QOM)
    cloudy = weather.typical_years(1, seed=1)[0]
    report("synthetic Qom year with clouds (weather.typical_years, seed 1)", cloudy, QOM)
    for path in argv:
        data, site = read_epw_year(path)
        report(f"EPW {site.name}", data, site)


if __name__ == "__main__":
    main(sys.argv[1:])
