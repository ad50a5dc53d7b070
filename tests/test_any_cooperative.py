"""A cooperative elsewhere: the site's name and altitude, the promise and institutions it
brings or not, studies whose shares follow the size, findings and errors in Persian."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solarcoop as sc
from solarcoop._validation import InputError, error_text, typed_number
from solarcoop.findings import input_findings
from solarcoop.present.text import format_number
from solarcoop.site import nearest_centre, province_centres
from solarcoop.studies.sweeps import consistent_changes, funding_rule, goal_seek, sensitivity, sweep

KERMAN_FILE = """
[site]
latitude = 30.28
longitude = 57.08

[plant]
capacity_kwp = 1500

[cooperative]
families = 300

[loan]
principal_rial = 1500000000

[promise]
low_rial = 40000000
high_rial = 40000000
money_of = "1405-01"
source = "Kerman cooperative board, 1404"
"""
"""1.5 MW for 300 families whose 1.5-bn-rial shares pay for the whole plant (300 million rial/kWp)."""

SHORT = {"lifetime_years": 2}


@pytest.fixture(scope="module")
def kerman(tmp_path_factory):
    path = tmp_path_factory.mktemp("kerman") / "kerman.toml"
    path.write_text(KERMAN_FILE, encoding="utf-8")
    return sc.load_scenario(path)


# ------------------------------------------------------------------ the site


def test_the_table_holds_every_province_centre_once_inside_iran():
    centres = province_centres()
    assert len(centres) == 31 and len({c.name_en for c in centres}) == 31
    assert all(25 < c.latitude < 40 and 44 < c.longitude < 64 for c in centres)
    assert all(c.name_fa and c.province_fa for c in centres)


def test_the_name_follows_the_coordinates(kerman):
    assert kerman.name == "Kerman cooperative, 300 families, 1.5 MW"
    moved = sc.qom_baseline().with_changes({"site.latitude": 32.65, "site.longitude": 51.67})
    assert moved.site.name is None and moved.site.label == "Isfahan"
    assert moved.name == "Isfahan cooperative, 400 families, 3 MW"
    centre, km = nearest_centre(32.2, 51.67)  # 50 km south of Isfahan: still named after it
    assert centre.name_en == "Isfahan" and 49 < km < 51
    far = sc.qom_baseline().with_changes({"site.latitude": 31.9, "site.longitude": 51.67})  # 83 km
    assert far.site.label == "31.90 N, 51.67 E"
    named = sc.qom_baseline().with_changes({"site.latitude": 32.65, "site.longitude": 51.67, "site.name": "Our farm"})
    assert named.site.label == "Our farm"


def test_the_altitude_is_looked_up_when_not_given_and_says_so(kerman):
    assert kerman.site.altitude_looked_up and 1700 < kerman.site.altitude_m < 1900
    assert not sc.qom_baseline().site.altitude_looked_up and sc.qom_baseline().site.altitude_m == 930
    given = sc.qom_baseline().with_changes({"site.latitude": 30.28, "site.longitude": 57.08, "site.altitude_m": 1750})
    assert given.site.altitude_m == 1750 and not given.site.altitude_looked_up
    again = kerman.with_changes({"site.altitude_m": 1750})
    assert not again.site.altitude_looked_up
    higher = sc.simulate(kerman.with_changes(SHORT)).summary["energy_kwh_year1"]
    at_qom_height = sc.simulate(kerman.with_changes({**SHORT, "site.altitude_m": 930})).summary["energy_kwh_year1"]
    assert higher > at_qom_height  # thinner air, more sun: the altitude reaches the energy


def test_a_saved_scenario_elsewhere_loads_back_the_same(kerman, tmp_path):
    path = sc.save_scenario(kerman, tmp_path / "again.toml")
    again = sc.load_scenario(path)
    assert again.site == kerman.site and again.promise == kerman.promise and again.name == kerman.name
    assert again.lender is None and again.funding.sponsor_name is None


# ------------------------------------------------------------------ promise and institutions


def test_a_promise_in_a_file_is_whole_or_refused(tmp_path):
    path = tmp_path / "partial.toml"
    path.write_text("[promise]\nlow_rial = 40000000\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[promise\] leaves out high_rial, money_of, source"):
        sc.load_scenario(path)


def test_what_belongs_to_qom_stays_in_qom(kerman):
    base = sc.qom_baseline()
    assert base.lender == "Imam Khomeini Relief Committee" and base.buyer == "SATBA"
    assert base.funding.sponsor_name == "Imam Khomeini Relief Committee"
    assert kerman.promise.band_rial == (40e6, 40e6) and kerman.promise.source.startswith("Kerman")
    assert (kerman.lender, kerman.buyer, kerman.funding.sponsor_name) == (None, None, None)
    kept = base.with_changes({"site.latitude": 32.65, "site.longitude": 51.67, "lender": "Isfahan fund"})
    assert kept.lender == "Isfahan fund" and kept.buyer is None
    assert base.with_changes({"cooperative.families": 300}).lender == base.lender  # not moved: kept
    assert sc.Scenario().lender is None and sc.Scenario().funding.sponsor_name is None
    with pytest.raises(InputError, match="lender"):
        base.with_changes({"lender": "  "})


def test_the_statement_names_the_lender_only_when_the_scenario_does(kerman):
    from solarcoop.present.statement import family_statement

    def words(scenario):
        document = family_statement(sc.simulate(scenario.with_changes(SHORT)), lang="en")
        return " ".join(document.words().split())

    assert "Relief Committee" not in words(kerman) and "from a lender" in words(kerman)
    assert "from the Relief Committee" in words(sc.qom_baseline())


# ------------------------------------------------------------------ studies


def test_the_shares_follow_the_size_when_they_pay_for_the_whole_plant(kerman):
    assert funding_rule(kerman) == "shares"
    assert consistent_changes(kerman, {"cooperative.families": 375}) == {
        "cooperative.families": 375, "loan.principal_rial": 1.2e9,
    }  # fmt: skip
    assert consistent_changes(kerman, {"plant.capacity_kwp": 1000})["loan.principal_rial"] == 1e9
    given = {"cooperative.families": 375, "loan.principal_rial": 1.3e9}
    assert consistent_changes(kerman, given) == given  # a price the study sets stays
    monthly_debited = sc.disputed.apply(kerman, "payout", "monthly_debited")  # year-1 money below 0 can move
    frame = sweep(monthly_debited.with_changes(SHORT), {"cooperative.families": [250, 300, 375]})
    assert "refused" not in frame and frame.attrs["funding_rule"] == "shares"
    cash = frame["family_cash_flow_rial_mean_year1"].to_numpy()
    assert np.all(np.diff(cash) > 0)  # more families, a cheaper share, a smaller instalment


def test_a_sponsor_that_fills_the_gap_takes_the_change_and_a_refused_point_is_named():
    base = sc.qom_baseline().with_changes({**SHORT, "costs.capital_cost_rial_per_kwp": 3.0e8})  # a 900 bn plant
    assert funding_rule(base) == "sponsor_equity"
    frame = sweep(base, {"cooperative.families": [300, 400, 700]})
    assert frame.attrs["funding_rule"] == "sponsor_equity"
    assert frame["refused"].tolist()[:2] == ["", ""] and "more than the capital cost" in frame["refused"][2]
    assert np.isnan(frame["family_cash_flow_rial_mean_year1"][2])
    first, second = frame["distribution_per_family_rial_mean_year1"][:2]
    assert first == pytest.approx(second, rel=1e-12)  # the sponsor's stake moved, not the family's money
    assert frame["sponsor_share_of_distributions"][0] > frame["sponsor_share_of_distributions"][1]


def test_the_built_in_sensitivity_and_goal_seek_run_where_the_shares_pay_everything(kerman):
    short = sc.disputed.apply(kerman, "payout", "monthly_debited").with_changes(SHORT)  # year-1 money below 0 can move
    drivers = sensitivity(short, metric="family_cash_flow_rial_mean_year1")
    assert "refused" not in drivers and drivers.attrs["funding_rule"] == "shares"
    families = drivers.set_index("parameter").loc["cooperative.families"]
    assert families["high_metric"] > families["base_metric"] > families["low_metric"]
    found = goal_seek(short, "cooperative.families", ("family_cash_flow_rial_mean_year1", -5e6))
    assert found.reached and found.funding_rule == "shares" and found.value > 300


def test_a_study_naming_a_path_that_does_not_exist_is_refused_whole():
    with pytest.raises(InputError, match="unknown path 'plant.tilt'"):
        sweep(sc.qom_baseline(), {"plant.tilt": [10, 20]})


def test_an_unknown_goal_seek_figure_lists_the_figures():
    with pytest.raises(InputError, match="family_cash_flow_rial_mean_year1") as refused:
        goal_seek(sc.qom_baseline().with_changes(SHORT), "cooperative.families", ("nonsense", 1.0))
    assert refused.value.code == "unknown_figure"


# ------------------------------------------------------------------ findings and errors


def test_findings_are_codes_with_words_in_both_languages(kerman):
    findings = input_findings(kerman)
    assert [f.code for f in findings] == ["weather_far", "altitude_looked_up"]
    assert "Kerman is 757 km from Qom" in findings[0]
    persian = findings[0].text("fa")
    assert "کرمان" in persian and "۷۵۷" in persian and "Kerman" not in persian
    assert input_findings(sc.qom_baseline()) == []
    assert input_findings(kerman, energy=np.full(12, 1e5)) == []


def test_the_workbook_summary_carries_the_findings(kerman, tmp_path):
    import openpyxl

    from solarcoop.present.workbook import write_workbook

    path = write_workbook(sc.simulate(kerman.with_changes(SHORT)), tmp_path / "k.xlsx", lang="fa")
    cells = [str(c) for row in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True) for c in row]
    assert any(c.startswith("ارتفاع: ۱٬۷۹۰") for c in cells)


def test_a_refused_value_is_said_in_persian_with_its_code():
    with pytest.raises(InputError) as refused:
        sc.qom_baseline().with_changes({"loan.annual_rate": 4})
    assert refused.value.code == "fraction_not_percent" and refused.value.values["value"] == 4
    said = error_text(refused.value, "fa")
    assert said.startswith("نرخ سالانه (loan.annual_rate) = ۴") and "۰٫۰۴" in said
    assert error_text(refused.value, "en") == str(refused.value)
    assert error_text(InputError("no code"), "fa") == "no code"  # without a code, as it is
    import pickle

    assert pickle.loads(pickle.dumps(refused.value)).code == "fraction_not_percent"


def test_the_command_line_says_a_refusal_in_persian(tmp_path, capsys):
    from solarcoop.cli import main

    path = tmp_path / "bad.toml"
    path.write_text("[loan]\nannual_rate = 4\n", encoding="utf-8")
    assert main(["report", str(path), "--lang", "fa", "--out", str(tmp_path / "out")]) == 2
    assert "نرخ سالانه (loan.annual_rate) = ۴ پذیرفته نیست" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("typed", "number"),
    [("۴٪", 0.04), ("4 %", 0.04), ("۱٫۵", 1.5), ("۴۵٬۸۰۰", 45_800), ("-۲", -2), ("٤", 4), ("x٪", "x٪")],
)
def test_persian_digits_the_decimal_separator_and_percent_are_read(typed, number):
    assert typed_number(typed) == number


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda v: round(v, 2)))
def test_a_number_written_in_persian_reads_back(value):
    assert typed_number(format_number(value, "fa", 2)) == pytest.approx(value, abs=0.006)


# ------------------------------------------------------------------ app downloads


def test_app_downloads_are_named_after_the_scenario_and_the_baseline_file_is_whole(kerman):
    from solarcoop.app import board

    assert board.file_stem(kerman) == "kerman_cooperative_300_families_1_5_mw"
    assert board.file_stem(kerman.with_changes({"name": "تعاونی ما"})) == "kerman_cooperative_300_families_1_5_mw"
    ((name, _, data),) = board.downloads(sc.qom_baseline(), "scenario_file", "fa")
    assert name == "qom_cooperative_400_families_3_mw.toml" and len(data) > 1000
    assert board.copied(kerman, "en").name == "Kerman cooperative, 300 families, 1.5 MW, copy"
