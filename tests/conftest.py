import matplotlib
import pytest

matplotlib.use("Agg")

import solarcoop as sc  # noqa: E402


@pytest.fixture(scope="session")
def baseline_result():
    """The Qom baseline, simulated once for the whole session."""
    return sc.simulate(sc.qom_baseline())
