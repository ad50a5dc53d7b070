"""Single runs on the embedded typical year reuse its physics when only what is priced or
booked changes (sweeps, sensitivity, tornado): the same numbers, and nothing a caller
changes in a result reaches the next run."""

from __future__ import annotations

import numpy as np
import pandas as pd

import solarcoop as sc
from solarcoop import engine


def test_a_run_after_the_physics_is_kept_equals_one_that_computes_it():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 3, "loan.annual_rate": 0.07})
    engine._EMBEDDED_YEAR_PROFILES.clear()
    computed = sc.simulate(scenario)
    assert len(engine._EMBEDDED_YEAR_PROFILES) == 1
    reused = sc.simulate(scenario)
    pd.testing.assert_frame_equal(reused.monthly, computed.monthly, check_exact=True)
    pd.testing.assert_series_equal(reused.summary, computed.summary, check_exact=True)
    pd.testing.assert_series_equal(reused.hourly_energy_kwh, computed.hourly_energy_kwh, check_exact=True)


def test_a_result_changed_in_place_does_not_reach_the_next_run():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 2})
    first = sc.simulate(scenario)
    expected = first.hourly_energy_kwh.copy()
    first.hourly_energy_kwh.iloc[:] = 0.0
    again = sc.simulate(scenario)
    pd.testing.assert_series_equal(again.hourly_energy_kwh, expected, check_exact=True)


def test_a_change_of_the_plant_or_site_runs_the_physics_again():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 2})
    bigger = scenario.with_changes({"plant.capacity_kwp": 2 * scenario.plant.capacity_kwp})
    south = scenario.with_changes({"site.latitude": scenario.site.latitude - 3})
    base = sc.simulate(scenario).hourly_energy_kwh.to_numpy()
    assert np.allclose(sc.simulate(bigger).hourly_energy_kwh.to_numpy(), 2 * base, rtol=0.02)
    assert not np.array_equal(sc.simulate(south).hourly_energy_kwh.to_numpy(), base)
