import pandas as pd
import pytest

import solarcoop as sc
from solarcoop import InputError


def test_baseline_holds_the_qom_cooperative():
    scenario = sc.qom_baseline()
    assert scenario.site.name == "Qom"
    assert scenario.plant.capacity_kwp == 3000
    assert scenario.cooperative.families == 400
    assert scenario.loan.principal_rial == sc.toman(150e6)
    assert scenario.loan.annual_rate == 0.04
    assert scenario.loan.term_months == 84
    assert scenario.tariff.base_price_rial_per_kwh == 45_800
    assert str(scenario.start_date) == "2026-03-21"
    assert scenario.calendar == "jalali"


CONTRACT_PATHS = {
    "plant.capacity_kwp": 2000.0,
    "plant.tilt_deg": 25.0,
    "plant.azimuth_deg": 170.0,
    "plant.dc_ac_ratio": 1.3,
    "plant.degradation_per_year": 0.005,
    "tariff.base_price_rial_per_kwh": 60_000,
    "tariff.escalation_per_year": 0.1,
    "cooperative.families": 300,
    "loan.principal_rial": 1e9,
    "loan.annual_rate": 0.05,
    "loan.term_months": 60,
    "loan.grace_months": 6,
    "lifetime_years": 20,
}


@pytest.mark.parametrize(("path", "value"), CONTRACT_PATHS.items())
def test_every_contract_path_changes_one_field(path, value):
    base = sc.qom_baseline()
    changed = base.with_changes({path: value})
    spec = changed
    for part in path.split("."):
        spec = getattr(spec, part)
    assert spec == value
    assert base.with_changes({}) is not None
    # the original is untouched
    original = base
    for part in path.split("."):
        original = getattr(original, part)
    assert original != value


def test_site_weather_and_start_date_paths():
    tehran = sc.Site(latitude=35.69, longitude=51.39, altitude_m=1190, timezone="Asia/Tehran", name="Tehran")
    frame = pd.DataFrame({"ghi": [0.0]})
    changed = sc.qom_baseline().with_changes(
        {"site": tehran, "weather": frame, "start_date": "2027-03-21"}
    )
    assert changed.site is tehran
    assert changed.weather is frame
    assert str(changed.start_date) == "2027-03-21"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"plant.capacity_kwp": -5}, "plant.capacity_kwp"),
        ({"cooperative.families": 0}, "cooperative.families"),
        ({"plant.tilt_deg": 120}, "plant.tilt_deg = 120"),
        ({"loan.annual_rate": 4}, "4 % is 0.04"),
        ({"plant.tilt": 20}, "unknown path 'plant.tilt'"),
        ({"tarif.base_price_rial_per_kwh": 1}, "unknown path 'tarif.base_price_rial_per_kwh'"),
        ({"lifetime_years.x": 1}, "has no fields below it"),
        ({"tariff.base_price_rial_per_kwh": -1}, "tariff.base_price_rial_per_kwh"),
        ({"weather": 42}, "weather"),
        ({"lifetime_years": 0}, "lifetime_years"),
    ],
)
def test_bad_changes_raise_clear_errors(changes, message):
    with pytest.raises(InputError, match=message.replace(".", r"\.").replace("(", r"\(")):
        sc.qom_baseline().with_changes(changes)


def test_input_error_is_a_value_error():
    assert issubclass(InputError, ValueError)
