"""The plain-numpy floor of the benchmarks recomputes the Monte Carlo's kept columns.

``benchmarks/numpy_floor.py`` writes the Monte Carlo's rules once more in plain numpy,
sharing only the random draws and the weather tables with the library. It is the
yardstick of the speed benchmark, and an independent recomputation: the library's paths
must equal its own to rounding.
"""

import importlib.util
from pathlib import Path

import pytest

import solarcoop as sc

FLOOR_FILE = Path(__file__).resolve().parent.parent / "benchmarks" / "numpy_floor.py"


@pytest.fixture(scope="module")
def numpy_floor():
    spec = importlib.util.spec_from_file_location("numpy_floor", FLOOR_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "changes",
    [{}, {"tariff.euro_window_end": "energy_month"}, {"uncertainty.readings": ()}, {"funding.gap_filled_by": "debt"}],
    ids=["baseline", "euro_window_at_energy_month", "no_readings", "gap_filled_by_debt"],
)
def test_the_library_equals_the_independent_numpy_floor(numpy_floor, changes):
    # the floor pays monthly from the first month: the payout practice stated, not drawn
    scenario = numpy_floor.covered_baseline().with_changes(changes)
    assert numpy_floor.check(scenario, n_paths=500, seed=5) < 1e-12


def test_the_floor_refuses_what_it_does_not_cover(numpy_floor):
    with pytest.raises(ValueError):
        numpy_floor.floor_monte_carlo(sc.qom_baseline().with_changes({"tariff": sc.FlatTariff(40_000)}), 250)
