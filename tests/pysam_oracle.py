"""PySAM PVWatts v8 set up to match a solarcoop Plant: the oracle of the plant tests and of
``benchmarks/plant_vs_pysam.py`` (one copy of the settings mapping)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import PySAM.Pvwattsv8 as pvwatts

from solarcoop.plant import Plant
from solarcoop.site import Site


def pysam_model(plant: Plant, weather: pd.DataFrame, site: Site, system_losses: float):
    """A Pvwattsv8 model with settings matched to ``plant`` and ``weather`` loaded.

    ``system_losses`` [fraction] replaces the plant's loss chain (PVWatts has one number);
    soiling is 0, module type standard, open rack or backtracked single-axis tracker.
    """
    model = pvwatts.default("PVWattsNone")
    local = weather.index.tz_convert(site.timezone)
    offset_h = local[0].utcoffset().total_seconds() / 3600
    model.SolarResource.solar_resource_data = {
        "lat": site.latitude,
        "lon": site.longitude,
        "tz": offset_h,
        "elev": site.altitude_m,
        "year": tuple(local.year),
        "month": tuple(local.month),
        "day": tuple(local.day),
        "hour": tuple(local.hour),
        "minute": (30,) * len(local),  # sun at mid-hour
        "dn": tuple(weather["dni"]),
        "df": tuple(weather["dhi"]),
        "gh": tuple(weather["ghi"]),
        "tdry": tuple(weather["temp_air"]),
        "wspd": tuple(weather["wind_speed"]),
        "albedo": (plant.albedo,) * len(weather),
    }
    model.SolarResource.albedo = (plant.albedo,) * 12
    design = model.SystemDesign
    design.system_capacity = plant.capacity_kwp
    design.dc_ac_ratio = plant.dc_ac_ratio
    design.tilt = plant.tilt_deg
    design.azimuth = plant.azimuth_deg
    design.inv_eff = plant.inverter_efficiency * 100
    design.losses = system_losses * 100
    design.module_type = 0  # standard: gamma -0.37 %/C
    design.array_type = 0 if plant.mounting == "fixed" else 3  # open rack / backtracked
    design.gcr = plant.ground_coverage_ratio
    design.rotlim = plant.max_rotation_deg
    design.soiling = (0.0,) * 12
    return model


def pysam_energy(plant: Plant, weather: pd.DataFrame, site: Site):
    """Annual [kWh] and monthly [kWh, array of 12] energy of the matched PVWatts v8 run."""
    model = pysam_model(plant, weather, site, plant.system_losses)
    model.execute()
    return model.Outputs.annual_energy, np.asarray(model.Outputs.monthly_energy)
