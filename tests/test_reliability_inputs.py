"""Inputs that once ran silently wrong or raised a raw Python error: each now gets one
line naming the field, the value and what is allowed."""

from __future__ import annotations

import fractions

import numpy as np
import pandas as pd
import pytest

import solarcoop as sc
from solarcoop.engine import daily_profile
from solarcoop.weather import typical_years


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"cooperative.families": 10**400}, "cooperative.families = an integer of about 401 digits is out of range: allowed 1 <= value"),
        ({"lifetime_years": 10**5000}, "lifetime_years = an integer of about 5,001 digits is out of range"),
        ({"lifetime_years": 10**30}, r"lifetime_years = 1e\+30 is out of range"),
        ({"plant.capacity_kwp": fractions.Fraction(1, 3)}, r"^plant.capacity_kwp = Fraction\(1, 3\) is not a plain number: give an int or a float$"),
    ],
)
def test_numbers_python_could_not_show_are_named_in_one_line(changes, message):
    with pytest.raises(sc.InputError, match=message) as caught:
        sc.qom_baseline().with_changes(changes)
    assert "\n" not in str(caught.value) and "Plant(" not in str(caught.value)


def test_a_float_seed_too_large_to_be_exact_is_refused():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 2})
    with pytest.raises(sc.InputError, match=r"seed = 1e\+300 is too large to be an exact whole number"):
        sc.monte_carlo(scenario, n_paths=10, seed=1e300)
    with pytest.raises(sc.InputError, match="seed = 1e\\+300"):
        sc.track(scenario, pd.DataFrame({"month": ["1405-01"]}), seed=1e300)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"seed": "abc"}, "weather.seed = 'abc' is not a number"),
        ({"seed": -1}, "weather.seed = -1 is out of range: allowed 0 <= value"),
        ({"seed": 2.5}, "weather.seed = 2.5 must be a whole number"),
        ({"site": "Qom"}, "site = 'Qom' is not a Site"),
    ],
)
def test_typical_years_name_a_bad_seed_or_site(kwargs, message):
    with pytest.raises(sc.InputError, match=message):
        typical_years(2, **kwargs)


def test_typical_years_still_take_a_generator_and_a_whole_float():
    assert len(typical_years(1, seed=np.random.default_rng(0))) == 1
    assert typical_years(1, seed=3.0)[0].equals(typical_years(1, seed=3)[0])


@pytest.mark.parametrize("energy", ["x", ["a"] * 12, {"a": 1}])
def test_energy_that_is_not_numbers_is_named(energy):
    with pytest.raises(sc.InputError, match="energy = .* is not allowed: give 12 monthly or 8,760 hourly values"):
        sc.simulate(sc.qom_baseline().with_changes({"lifetime_years": 2}), energy=energy)


def test_a_year_that_starts_at_noon_counts_each_day_once():
    index = pd.date_range("2023-01-01 12:00", periods=8760, freq="h", tz="Asia/Tehran")
    profile = daily_profile(np.ones(8760), index)
    assert profile.shape == (365,)
    assert np.all(profile == 24.0)  # 1 January from its two halves, not half a day


def test_a_year_that_starts_at_noon_and_ends_at_midnight_is_refused_naming_the_day():
    index = pd.date_range("2023-01-01 12:00", "2023-12-31 23:00", freq="h", tz="Asia/Tehran")
    with pytest.raises(sc.InputError, match="cover 12 hours of 01 January, not whole days"):
        daily_profile(np.ones(len(index)), index)


def test_whole_years_give_the_same_profile_as_before():
    index = pd.date_range("2021-01-01", periods=2 * 8760, freq="h", tz="+03:30")
    values = np.arange(len(index), dtype=float)
    day = (np.arange(len(index)) // 24) % 365
    expected = np.bincount(day, weights=values, minlength=365) / 2
    assert np.array_equal(daily_profile(values, index), expected)


def test_a_day_a_clock_change_shortens_or_lengthens_still_counts_once():
    index = pd.date_range("2021-01-01", periods=8760, freq="h", tz="Asia/Tehran")  # summer time until 2022
    profile = daily_profile(np.ones(8760), index)
    assert profile[80] == 23.0 and profile[263] == 25.0  # 22 March and 22 September 2021
    assert profile.sum() == 8760.0  # the hour lost in March is the hour gained in September


def test_a_client_that_is_not_a_dask_client_is_named():
    import solarcoop as sc

    scenario = sc.qom_baseline().with_changes({"lifetime_years": 2})
    for garbage in ("localhost:8786", 42, object()):
        with pytest.raises(sc.InputError, match="is not a Dask client"):
            sc.monte_carlo(scenario, n_paths=10, client=garbage)
    with pytest.raises(sc.InputError, match="is not a Dask client"):
        sc.portfolio([scenario], client="localhost:8786")


def test_summary_years_must_be_operating_years():
    import solarcoop as sc

    run = sc.monte_carlo(sc.qom_baseline().with_changes({"lifetime_years": 2}), n_paths=10, seed=0)
    assert list(run.summary(years=(1, 2)).index)[:1] == ["family_cash_flow_rial_mean_year1"]
    for years in (("1",), "12", (3,), (0,), 1):
        with pytest.raises(sc.InputError, match="years"):
            run.summary(years=years)
