"""Every finding a run makes is coded, with its words in each language's catalog."""

import pickle

import pytest

import solarcoop as sc
from solarcoop import disputed, plausibility
from solarcoop.findings import CODES, Finding, finding_text
from solarcoop.present.locales import catalog
from solarcoop.present.text import digits

ODD = {
    "tariff.base_price_rial_per_kwh": 3_800,
    "plant.degradation_per_year": 0.5,
    "costs.insurance_share_of_capital_per_year": 0.2,
    "cooperative.tax_exempt_years": 5,
    "lifetime_years": 2,
}
"""A scenario with a tariff in toman, two percentages written as fractions and its own tax."""


def _findings():
    return sc.simulate(sc.qom_baseline().with_changes(ODD)).findings


def test_every_code_has_words_in_every_catalog():
    for lang in ("en", "fa"):
        words = catalog(lang)["findings"]
        assert set(CODES) <= set(words), lang
        assert set(words["why"]) == set(catalog("en")["findings"]["why"]), lang
        assert set(words["units"]) == set(catalog("en")["findings"]["units"]), lang
    with pytest.raises(ValueError, match="finding code = 'odd' is not known"):
        Finding("odd")


def test_the_plausibility_and_own_choice_findings_are_coded():
    found = _findings()
    assert [f.code for f in found] == ["looks_like_toman", "looks_like_percent", "looks_like_percent", "own_choice"]
    assert all(isinstance(f, Finding) for f in found)
    toman, degradation, insurance, own = found
    assert toman.values["field"] == "tariff.base_price_rial_per_kwh" and toman.values["value"] == 3_800
    assert degradation.values == {
        "field": "plant.degradation_per_year", "value": 0.5,
        "bound": plausibility.DEGRADATION_PLAUSIBLE_MAX_PER_YEAR, "why": "degradation_max",
    }  # fmt: skip
    assert own.values == {"reading": "tax", "central": "standard_18_75"}
    assert disputed.own_value_findings(sc.qom_baseline().with_changes(ODD)) == [own]
    # the English words, as the str of each finding
    assert str(toman).startswith("plausibility: tariff.base_price_rial_per_kwh = 3,800 rial/kWh is below 15,000")
    assert "3,800 toman is 38,000 rial" in toman
    assert str(insurance).startswith("plausibility: costs.insurance_share_of_capital_per_year = 0.2 is 20 % a year")


def test_the_persian_words_come_from_the_persian_catalog():
    toman, degradation, _, own = _findings()
    fa = {f.code + str(i): finding_text(f, "fa") for i, f in enumerate((toman, degradation, own))}
    for text in fa.values():
        assert "plausibility" not in text and "readings:" not in text and "is below" not in text
    assert f"{digits('3,800', 'fa').replace(',', '٬')} تومان" in fa["looks_like_toman0"]
    assert catalog("fa")["findings"]["units"]["rial_per_kwh"] in fa["looks_like_toman0"]
    assert catalog("fa")["findings"]["why"]["degradation_max"] in fa["looks_like_percent1"]
    assert "۵۰ درصد" in fa["looks_like_percent1"]
    assert catalog("fa")["readings"]["tax"] in fa["own_choice2"]
    # a plain string from older code is shown as it is
    assert finding_text("as it is", "fa") == "as it is"


def test_a_finding_keeps_its_code_through_pickling():
    for finding in _findings():
        again = pickle.loads(pickle.dumps(finding))
        assert again == finding and again.code == finding.code and again.text("fa") == finding.text("fa")


def test_the_command_prints_the_findings_in_persian(tmp_path, capsys):
    from solarcoop import cli

    path = tmp_path / "odd.toml"
    path.write_text("lifetime_years = 3\n[tariff]\nbase_price_rial_per_kwh = 3800\n")
    assert cli.main(["run", str(path), "--paths", "0", "--lang", "fa", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "plausibility" not in out
    assert "باورپذیری: tariff.base_price_rial_per_kwh = ۳٬۸۰۰ ریال/کیلووات‌ساعت" in out


def test_the_apps_notes_show_every_finding_in_its_language():
    from solarcoop.app.board import notes

    scenario = sc.qom_baseline().with_changes(ODD)
    persian = [note["text"] for note in notes(scenario, "fa") if note["finding"]]
    assert any(note.startswith("باورپذیری: tariff.base_price_rial_per_kwh") for note in persian)
    assert any(catalog("fa")["readings"]["tax"] in note for note in persian)
    english = [note["text"] for note in notes(scenario, "en") if note["finding"]]
    assert any(note.startswith("plausibility: plant.degradation_per_year = 0.5") for note in english)


def test_the_apps_gap_controls_show_only_where_they_change_anything():
    from solarcoop.app import board

    def paths(scenario):
        return {field["path"] for field in board.fields(scenario, "en")}

    gap = {"funding.gap_filled_by", "funding.grant_rial", "debt.share_of_capital_cost", "debt.annual_rate"}
    baseline = sc.qom_baseline()  # the shares pay the whole plant: nothing for these controls to do
    assert not board.gap_controls_shown(baseline) and not paths(baseline) & gap
    priced = baseline.with_changes({"costs.capital_cost_rial_per_kwp": 3.0e8})  # a 300 bn rial gap
    assert board.gap_controls_shown(priced) and gap <= paths(priced)
    # each shown control moves the plant's money under the gap
    moved = sc.simulate(priced.with_changes({"lifetime_years": 2})).annual["family_cash_flow_rial_mean"]
    for path, value in (("funding.gap_filled_by", "grant"), ("funding.grant_rial", 1e11)):
        changed = board.change(priced.with_changes({"lifetime_years": 2}), path, str(value))
        assert not sc.simulate(changed).annual["family_cash_flow_rial_mean"].equals(moved), path
    granted = baseline.with_changes({"funding.grant_rial": 1e11})  # a stated grant can be taken away again
    assert board.gap_controls_shown(granted)
