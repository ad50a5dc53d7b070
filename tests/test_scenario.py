import datetime
import re

import numpy as np
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
    assert scenario.tariff.base_price_rial_per_kwh == 38_000  # the central reading
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


def test_no_changes_give_an_equal_copy():
    from solarcoop.files import scenario_to_dict

    base = sc.qom_baseline()
    assert scenario_to_dict(base.with_changes({}), full=True) == scenario_to_dict(base, full=True)


def test_input_error_is_a_value_error():
    assert issubclass(InputError, ValueError)


def test_whole_number_float_lifetime_is_stored_as_int_and_simulates():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 20.0})
    assert scenario.lifetime_years == 20 and type(scenario.lifetime_years) is int
    assert type(sc.Scenario(lifetime_years=10.0).lifetime_years) is int
    result = sc.simulate(scenario, energy=np.full(12, 4e5))
    assert len(result.monthly) == 20 * 12
    with pytest.raises(InputError, match=r"lifetime_years = 20\.5 must be a whole number"):
        sc.qom_baseline().with_changes({"lifetime_years": 20.5})


@pytest.mark.parametrize(
    "value", [datetime.datetime(2026, 3, 21, 10), "2026-03-21T10:00:00", pd.Timestamp("2026-03-21 00:00:01")]
)
def test_start_date_with_a_time_of_day_is_refused(value):
    with pytest.raises(InputError, match=r"start_date = .*2026.*has a time of day"):
        sc.qom_baseline().with_changes({"start_date": value})


@pytest.mark.parametrize("value", [datetime.datetime(2026, 3, 21), "2026-03-21T00:00:00", datetime.date(2026, 3, 21)])
def test_start_date_at_midnight_is_a_date(value):
    assert sc.Scenario(start_date=value).start_date == datetime.date(2026, 3, 21)


@pytest.mark.parametrize("value", ["not a date", None])
def test_start_date_must_be_a_date(value):
    with pytest.raises(InputError, match="start_date = .* is not a date"):
        sc.Scenario(start_date=value)


@pytest.mark.parametrize("name", [5, "", "   "])
def test_name_must_be_a_non_empty_string(name):
    with pytest.raises(InputError, match=r"^name = .* must be a non-empty string"):
        sc.qom_baseline().with_changes({"name": name})


def two_classes():
    return sc.qom_baseline().with_changes(
        {
            "member_classes": (
                sc.MemberClass(name="7.5 kW", families=300, shares_per_family=1.5, loan=sc.Loan(term_months=84)),
                sc.MemberClass(name="5 kW", families=100, shares_per_family=1.0, loan=sc.Loan(term_months=60)),
            ),
        }
    )


def test_with_changes_reaches_member_class_fields():
    base = two_classes()
    changed = base.with_changes(
        {
            "member_classes.0.families": 250,
            "member_classes.1.loan.term_months": 48,
            "cooperative.families": 350,
        }
    )
    assert [c.families for c in changed.member_classes] == [250, 100]
    assert changed.member_classes[1].loan.term_months == 48
    assert changed.member_classes[0].loan == base.member_classes[0].loan
    assert isinstance(changed.member_classes, tuple)
    # the original is untouched
    assert [c.families for c in base.member_classes] == [300, 100]
    assert base.member_classes[1].loan.term_months == 60
    result = sc.simulate(changed, energy=np.full(12, 4e5))
    assert len(result.monthly) == 25 * 12


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"member_classes.5.families": 1}, "member_classes has 2 classes: index 5 is out of range"),
        ({"member_classes.-1.families": 1}, r"member_classes holds 2 classes, reached by index \(0 to 1\)"),
        ({"member_classes.first": 1}, "not 'first'"),
        ({"member_classes.0.famlies": 1}, "MemberClass has no field 'famlies'"),
        ({"member_classes.0.families": 0}, r"member_classes\['7\.5 kW'\]\.families = 0"),
        ({"member_classes.1.loan.annual_rate": 4}, "4 % is 0.04"),
    ],
)
def test_bad_member_class_paths(changes, message):
    with pytest.raises(InputError, match=message):
        two_classes().with_changes(changes)


def test_index_into_empty_member_classes():
    with pytest.raises(InputError, match="member_classes has 0 classes: index 0 is out of range"):
        sc.qom_baseline().with_changes({"member_classes.0.families": 1})


def test_an_error_in_a_nested_tariff_says_where_it_was_set():
    with pytest.raises(InputError, match=r"set through 'tariff.after_term.base_price_rial_per_kwh'"):
        sc.qom_baseline().with_changes({"tariff.after_term.base_price_rial_per_kwh": -1})


ISFAHAN = sc.Site(latitude=32.65, longitude=51.67, altitude_m=1570, timezone="Asia/Tehran", name="Isfahan")


def test_the_name_is_derived_from_site_families_and_size():
    base = sc.qom_baseline()
    assert base.name == "Qom cooperative, 400 families, 3 MW"
    assert base.name_is_derived
    isfahan = base.with_changes({"site": ISFAHAN, "cooperative.families": 250, "plant.capacity_kwp": 2000})
    assert isfahan.name == "Isfahan cooperative, 250 families, 2 MW"
    assert isfahan.with_changes({"plant.capacity_kwp": 750}).name == "Isfahan cooperative, 250 families, 750 kW"
    unnamed = base.with_changes({"site.name": None, "plant.capacity_kwp": 1400})
    assert unnamed.name == "Qom cooperative, 400 families, 1.4 MW"  # the province centre within 50 km
    far = base.with_changes({"site.latitude": 27.0, "site.longitude": 60.0, "plant.capacity_kwp": 1400})
    assert far.name == "27.00 N, 60.00 E cooperative, 400 families, 1.4 MW"
    assert base.with_changes({"cooperative.families": 1, "plant.capacity_kwp": 5}).name == (
        "Qom plant of one family, 5 kW"
    )


def test_a_name_the_user_gives_stays_and_none_derives_it_again():
    named = sc.qom_baseline().with_changes({"name": "Our plant"})
    assert not named.name_is_derived
    assert named.with_changes({"site": ISFAHAN}).name == "Our plant"
    assert named.with_changes({"name": None}).name == "Qom cooperative, 400 families, 3 MW"
    assert sc.Site(latitude=1, longitude=2).name is None  # a site keeps the user's name or none


def test_the_promise_belongs_to_the_site():
    base = sc.qom_baseline()
    assert base.promise == sc.QOM_PROMISE
    assert base.promise.band_rial == (50e6, 80e6) and base.promise.money_of == "1404-06"
    assert "September 2025" in base.promise.source
    assert sc.Scenario().promise is None
    assert base.with_changes({"site": ISFAHAN}).promise is None  # moved: Qom's promise dropped
    assert base.with_changes({"cooperative.families": 300}).promise == sc.QOM_PROMISE
    own = sc.Promise(40e6, 60e6, money_of="1405-01", source="board", counts="net")
    assert base.with_changes({"site": ISFAHAN, "promise": own}).promise == own
    assert base.with_changes({"promise.low_rial": 45e6}).promise.low_rial == 45e6


def test_what_a_promise_counts_keeps_its_former_name():
    net = sc.Promise(40e6, 60e6, money_of="1405-01", source="board", counts="net")
    assert sc.Promise(40e6, 60e6, money_of="1405-01", source="board", reading="net") == net
    assert net.reading == net.counts == "net"
    base = sc.qom_baseline()
    assert base.with_changes({"promise.reading": "sales"}).promise == base.with_changes({"promise.counts": "sales"}).promise
    assert sc.promise.READINGS == sc.promise.COUNTS == ("sales", "distribution", "net")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"high_rial": 40e6}, "promise.high_rial = 40000000.0 is below promise.low_rial"),
        ({"money_of": "1404-13"}, "promise.money_of = '1404-13' is not a Jalali month label"),
        ({"money_of": "2025-09"}, "year 1300-1500"),
        ({"counts": "gross"}, "promise.counts = 'gross' is not allowed"),
        ({"reading": "gross"}, "promise.counts = 'gross' is not allowed"),  # the former name
        ({"counts": "net", "reading": "net"}, "give 'counts' or its former name 'reading', not both"),
        ({"low_rial": -1}, "promise.low_rial = -1 is out of range"),
        ({"source": " "}, "promise.source"),
    ],
)
def test_a_bad_promise_is_refused(changes, words):
    fields = {"low_rial": 50e6, "high_rial": 80e6, "money_of": "1404-06", "source": "s"} | changes
    with pytest.raises(InputError, match=re.escape(words)):
        sc.Promise(**fields)


@pytest.mark.parametrize(
    "changes",
    [
        {"loan.principal_rial": 150e6},  # 150 million toman typed as rial
        {"cooperative.share_price_rial": 1.5e8},
        {"member_classes": (sc.MemberClass("5 kW", 400, loan=sc.Loan(principal_rial=120e6)),)},
    ],
)
def test_a_share_loan_or_price_typed_in_toman_is_caught(changes):
    field = next(iter(changes))
    with pytest.raises(InputError, match="looks like toman typed as rial") as caught:
        sc.qom_baseline().with_changes(changes)
    message = str(caught.value)
    assert field.split(".")[0] in message and "rial" in message and "sc.toman(" in message
    if field == "loan.principal_rial":
        assert "150,000,000 toman is 1,500,000,000 rial" in message


def test_the_share_price_follows_the_loan_unless_set():
    base = sc.qom_baseline()
    assert base.cooperative.share_price_rial is None and base.share_price_rial == 1.5e9
    bigger = base.with_changes({"loan.principal_rial": 2e9})
    assert bigger.share_price_rial == 2e9  # followed
    granted = base.with_changes({"cooperative.share_price_rial": 1.75e9})  # loan plus a 25-million-toman grant
    assert granted.share_price_rial == 1.75e9 and granted.with_changes({"loan.principal_rial": 1e9}).share_price_rial == 1.75e9
    # zero, small test amounts and large ones pass: only the toman band below the plausible floor is refused
    for principal in (0.0, 1.2e7, 2.5e8, 3e10):
        assert base.with_changes({"loan.principal_rial": principal}).loan.principal_rial == principal
