from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solarcoop as sc
from solarcoop import InputError
from solarcoop.files import load_scenario, save_scenario, scenario_to_dict


def round_trip(scenario, tmp_path, full=False):
    path = save_scenario(scenario, tmp_path / "case.toml", full=full)
    return load_scenario(path)


@pytest.mark.parametrize("full", [False, True])
def test_round_trip_is_exact(tmp_path, full):
    scenario = sc.qom_baseline().with_changes(
        {
            "name": "Kashan, 600 families",
            "tariff.step_downs": [[8, 0.9], [12, 0.8]],
            "tariff.cpi_weight": 0.3,
            "plant.losses.availability": 0.02,
            "cooperative.families": 600,
            "loan.grace_months": 6,
            "start_date": "2027-03-21",
            "economy.inflation_per_year": (0.4, 0.35, 0.3),
        }
    )
    loaded = round_trip(scenario, tmp_path, full)
    assert scenario_to_dict(loaded, full=True) == scenario_to_dict(scenario, full=True)
    assert loaded.tariff.step_downs == ((8, 0.9), (12, 0.8))
    assert str(loaded.start_date) == "2027-03-21"


def test_member_classes_and_debt_round_trip(tmp_path):
    scenario = sc.qom_baseline().with_changes(
        {
            "member_classes": (
                sc.MemberClass(name="7.5 kW", families=400),
                sc.MemberClass(name="5 kW", families=150, shares_per_family=2 / 3, loan=sc.Loan(term_months=60)),
            ),
            "cooperative.families": 550,
            "debt.share_of_capital_cost": 0.3,
        }
    )
    text = save_scenario(scenario, tmp_path / "classes.toml").read_text()
    assert "[[member_classes]]" in text
    loaded = load_scenario(tmp_path / "classes.toml")
    assert loaded.member_classes == scenario.member_classes
    assert scenario_to_dict(loaded, full=True) == scenario_to_dict(scenario, full=True)


def test_another_kind_of_tariff_and_an_empty_value(tmp_path):
    scenario = sc.qom_baseline().with_changes(
        {"tariff": sc.FlatTariff(base_price_rial_per_kwh=50_000, escalation_per_year=0.2)}
    )
    text = save_scenario(scenario, tmp_path / "flat.toml").read_text()
    assert 'kind = "flat_tariff"' in text
    loaded = load_scenario(tmp_path / "flat.toml")
    assert isinstance(loaded.tariff, sc.FlatTariff)
    assert loaded.tariff.escalation_per_year == 0.2


@settings(max_examples=25, deadline=None)
@given(
    price=st.floats(1_000, 500_000),
    families=st.integers(1, 5_000),
    rate=st.floats(0, 0.3),
    tilt=st.floats(0, 90),
)
def test_round_trip_property(tmp_path_factory, price, families, rate, tilt):
    scenario = sc.qom_baseline().with_changes(
        {
            "tariff.base_price_rial_per_kwh": price,
            "cooperative.families": families,
            "loan.annual_rate": rate,
            "plant.tilt_deg": tilt,
        }
    )
    loaded = round_trip(scenario, tmp_path_factory.mktemp("prop"))
    assert scenario_to_dict(loaded, full=True) == scenario_to_dict(scenario, full=True)


def test_same_file_same_numbers(tmp_path):
    scenario = sc.qom_baseline().with_changes({"tariff.base_price_rial_per_kwh": 52_000})
    energy = np.full(12, 400_000.0)
    a = sc.simulate(scenario, energy=energy).monthly
    b = sc.simulate(round_trip(scenario, tmp_path), energy=energy).monthly
    np.testing.assert_array_equal(a["payout_per_family_rial"], b["payout_per_family_rial"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[plant]\ntilt = 20\n", "unknown key 'plant.tilt'"),
        ("[plant]\ntilt_deg = 120\n", r"plant\.tilt_deg = 120"),
        ("[tariff]\nkind = 'magic'\n", r"tariff\.kind = 'magic'"),
        ("[loan]\nannual_rate = 4\n", "4 % is 0.04"),
        ("plant = [\n", "not valid TOML"),
        ("[cooperative]\nfamilies = 0\n", r"cooperative\.families"),
    ],
)
def test_bad_files_name_the_key(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        load_scenario(path)


def test_a_promise_file_may_use_the_former_name_of_what_it_counts(tmp_path):
    former, current = tmp_path / "former.toml", tmp_path / "current.toml"
    whole = 'low_rial = 4e7\nhigh_rial = 5e7\nmoney_of = "1405-01"\nsource = "board"\n'
    former.write_text(f'[promise]\n{whole}reading = "net"\n', encoding="utf-8")
    current.write_text(f'[promise]\n{whole}counts = "net"\n', encoding="utf-8")
    assert load_scenario(former).promise == load_scenario(current).promise
    assert load_scenario(current).promise.counts == "net"
    both = tmp_path / "both.toml"
    both.write_text('[promise]\ncounts = "net"\nreading = "sales"\n', encoding="utf-8")
    with pytest.raises(InputError, match="promise.counts and promise.reading are both given"):
        load_scenario(both)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="absent.toml.* does not exist"):
        load_scenario(tmp_path / "absent.toml")


def test_dataframe_weather_cannot_be_saved(tmp_path):
    import pandas as pd

    scenario = sc.qom_baseline().with_changes({"weather": pd.DataFrame({"ghi": [1.0]})})
    with pytest.raises(InputError, match="weather is a DataFrame"):
        save_scenario(scenario, tmp_path / "x.toml")


@pytest.mark.parametrize("full", [False, True])
def test_a_string_none_survives_the_round_trip(tmp_path, full):
    scenario = sc.qom_baseline().with_changes(
        {
            "name": "none",
            "member_classes": (
                sc.MemberClass(name="none", families=300),
                sc.MemberClass(name="5 kW", families=100, loan=sc.Loan(term_months=60)),
            ),
        }
    )
    loaded = round_trip(scenario, tmp_path, full)
    assert loaded.name == "none"
    assert loaded.member_classes == scenario.member_classes
    assert loaded.member_classes[0].loan is None  # an empty optional value is still read as None
    assert loaded.weather is None


def test_none_marker_empties_an_optional_field(tmp_path):
    path = tmp_path / "market.toml"
    path.write_text('weather = "none"\n[tariff]\nkind = "market_tariff"\nmonthly_price_rial_per_kwh = "none"\n')
    loaded = load_scenario(path)
    assert loaded.weather is None
    assert isinstance(loaded.tariff, sc.MarketTariff)
    assert loaded.tariff.monthly_price_rial_per_kwh is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('kind = "plant"\n', r"kind = 'plant' at the top of scenario file .* is not allowed"),
        ('kind = "flat_tariff"\nbase_price_rial_per_kwh = 1\n', r"kind = 'flat_tariff' at the top"),
        ('calendar = "none"\n', r"calendar = 'none' is not allowed"),
        ('[economy]\ninflation_per_year = ["0.4", "0.3"]\n', r"economy\.inflation_per_year\[0\] = '0\.4'"),
    ],
)
def test_bad_top_level_and_strings_name_the_key(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        load_scenario(path)


def test_explicit_scenario_kind_at_the_top_is_allowed(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text('kind = "scenario"\nname = "Kashan"\n')
    assert load_scenario(path).name == "Kashan"


def test_whole_number_float_lifetime_loads_as_int(tmp_path):
    path = tmp_path / "life.toml"
    path.write_text("lifetime_years = 20.0\n")
    loaded = load_scenario(path)
    assert loaded.lifetime_years == 20 and type(loaded.lifetime_years) is int


def test_datetime_start_date_with_a_time_is_refused(tmp_path):
    path = tmp_path / "start.toml"
    path.write_text("start_date = 2026-03-21T10:00:00\n")
    with pytest.raises(InputError, match=r"start_date = .*2026.*has a time of day"):
        load_scenario(path)
    path.write_text("start_date = 2026-03-21\n")
    assert str(load_scenario(path).start_date) == "2026-03-21"


def test_a_derived_name_is_not_saved_and_a_moved_file_has_its_own_name_and_no_promise(tmp_path):
    isfahan = sc.Site(latitude=32.65, longitude=51.67, altitude_m=1570, timezone="Asia/Tehran", name="Isfahan")
    scenario = sc.qom_baseline().with_changes(
        {"site": isfahan, "cooperative.families": 250, "plant.capacity_kwp": 2000}
    )
    text = save_scenario(scenario, tmp_path / "isfahan.toml").read_text()
    assert "name =" not in text.split("[")[0]  # the top table holds no derived name
    loaded = load_scenario(tmp_path / "isfahan.toml")
    assert loaded.name == "Isfahan cooperative, 250 families, 2 MW" and loaded.name_is_derived
    assert loaded.promise is None
    # a hand-written file that moves the site drops Qom's promise too
    (tmp_path / "hand.toml").write_text(
        '[site]\nlatitude = 32.65\nlongitude = 51.67\nname = "Isfahan"\n[cooperative]\nfamilies = 250\n'
    )
    hand = load_scenario(tmp_path / "hand.toml")
    assert hand.promise is None and hand.name == "Isfahan cooperative, 250 families, 3 MW"


def test_a_weather_path_is_stored_relative_to_the_file_and_loads_from_anywhere(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "weather").mkdir(parents=True)
    weather_file = project / "weather" / "tmy.csv"
    weather_file.write_text("placeholder")
    monkeypatch.chdir(project)
    scenario = sc.qom_baseline().with_changes({"weather": "weather/tmy.csv"})  # relative to here
    saved = save_scenario(scenario, project / "case.toml")
    assert 'weather = "weather/tmy.csv"' in saved.read_text()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    loaded = load_scenario(saved)
    assert Path(loaded.weather).resolve() == weather_file.resolve()
    # saved again into another folder, the path is rewritten relative to that folder
    (tmp_path / "copies").mkdir()
    again = save_scenario(loaded, tmp_path / "copies" / "case.toml")
    assert 'weather = "../project/weather/tmy.csv"' in again.read_text()
    assert Path(load_scenario(again).weather).resolve() == weather_file.resolve()
