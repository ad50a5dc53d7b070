import re
import types

import numpy as np
import pandas as pd
import pytest

import solarcoop as sc
from solarcoop import plots, report
from solarcoop._atomic import MANIFEST
from solarcoop.report import TEXT, ReportExistsError, assumptions_table, contents, write_report


@pytest.fixture(scope="module")
def result():
    return sc.simulate(sc.qom_baseline(), energy=np.full(12, 420_000.0))


def _pdf_pages(path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", path.read_bytes()))


@pytest.fixture(scope="module")
def english(result, tmp_path_factory):
    out = tmp_path_factory.mktemp("report_en")
    return out, write_report(result, out)


def test_report_writes_pdf_workbook_and_charts(result, english):
    out, written = english
    stems = ["payout", "energy", "waterfall_year1", "waterfall_year2", "loan"]
    assert [path.name for path in written] == [
        "report_en.pdf",
        "report_en.xlsx",
        *[f"{stem}_en.png" for stem in stems],
    ]
    assert sorted(path.name for path in out.iterdir()) == sorted([MANIFEST, *(path.name for path in written)])
    assert written[0].stat().st_size > 100_000
    assert written[1].stat().st_size > 50_000
    assert all(path.stat().st_size > 30_000 for path in written[2:])
    assert written[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_pdf_has_one_page_per_contents_entry(result, english):
    out, _ = english
    pages = contents(result)
    assert _pdf_pages(out / "report_en.pdf") == len(pages)
    assumption_pages = [page for page in pages if page.startswith("Assumptions")]
    # headline, the assumptions, year one, the life, five charts
    assert len(pages) == 1 + len(assumption_pages) + 2 + 5
    assert assumption_pages[-1].endswith(f"({len(assumption_pages)}/{len(assumption_pages)})")
    assert pages[-5:] == list(TEXT["en"]["charts"].values())[:5]


def test_workbook_holds_the_ledger_annual_table_and_assumptions(result, english):
    out, _ = english
    sheets = pd.read_excel(out / "report_en.xlsx", sheet_name=None, dtype={"label": str})
    names = TEXT["en"]["sheets"]
    classes = [names["class"].format(name=name) for name in result.by_class["class"].unique()]
    assert list(sheets) == [
        names["summary"],
        names["monthly"],
        names["annual"],
        *classes,
        names["assumptions"],
    ]
    pd.testing.assert_frame_equal(
        sheets[names["monthly"]], result.monthly, check_dtype=False, check_exact=False, rtol=1e-12
    )
    annual = sheets[names["annual"]].set_index("operating_year")
    pd.testing.assert_frame_equal(annual, result.annual, check_dtype=False, rtol=1e-12)
    assumptions = sheets[names["assumptions"]].fillna("")
    expected = assumptions_table(result.scenario)
    assert assumptions["parameter"].tolist() == expected["parameter"].tolist()
    assert assumptions["source"].tolist() == expected["source"].tolist()


def test_existing_files_are_not_overwritten_without_force(result, english):
    out, written = english
    before = {path: path.read_bytes() for path in written}
    with pytest.raises(ReportExistsError, match="already holds the files of an earlier run") as raised:
        write_report(result, out)
    assert isinstance(raised.value, sc.InputError) and isinstance(raised.value, FileExistsError)
    assert {path: path.read_bytes() for path in written} == before


def test_force_replaces_the_earlier_set_and_removes_its_other_files(result, tmp_path):
    out = tmp_path / "report"
    write_report(result, out, lang="fa")
    written = write_report(result, out, force=True)
    assert sorted(path.name for path in out.iterdir()) == sorted([MANIFEST, *(path.name for path in written)])
    assert written[0].read_bytes()[:5] == b"%PDF-"
    assert [path.name for path in tmp_path.iterdir()] == ["report"]


def test_a_folder_with_other_files_is_never_replaced(result, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(sc.InputError, match=r"solarcoop did not write \(notes.txt\)"):
        write_report(result, tmp_path, force=True)
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_a_failing_run_leaves_no_half_written_file(result, tmp_path, monkeypatch):
    out = tmp_path / "report"
    earlier = write_report(result, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def broken(*args, **kwargs):
        raise RuntimeError("chart failed")

    monkeypatch.setattr(plots, "loan_balance", broken)
    with pytest.raises(RuntimeError, match="chart failed"):
        write_report(result, out, force=True)
    assert [path.name for path in tmp_path.iterdir()] == ["report"]
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert earlier[0].exists()


def test_persian_report_has_persian_sheets_and_the_same_pages(result, tmp_path):
    written = write_report(result, tmp_path, lang="fa")
    assert written[0].name == "report_fa.pdf"
    assert _pdf_pages(written[0]) == len(contents(result, "fa")) == len(contents(result, "en"))
    sheets = pd.read_excel(written[1], sheet_name=None)
    assert TEXT["fa"]["sheets"]["monthly"] in sheets
    pd.testing.assert_frame_equal(
        sheets[TEXT["fa"]["sheets"]["monthly"]], result.monthly, check_dtype=False, rtol=1e-12
    )
    assert all(path.stat().st_size > 30_000 for path in written[2:])


def test_monte_carlo_and_sensitivity_add_charts_pages_and_sheets(result, tmp_path):
    months = result.monthly[["label", "operating_year"]]
    paths = result.monthly["payout_per_family_rial"].to_numpy() + np.arange(10)[:, None] * 1e6
    monte_carlo = sc.MonteCarloResult(result.scenario, months, {"payout_per_family_rial": paths}, seed=0)
    sensitivity = pd.DataFrame(
        {
            "parameter": ["tariff.base_price_rial_per_kwh", "loan.annual_rate"],
            "low_value": [36_640.0, 0.0],
            "high_value": [54_960.0, 0.08],
            "low_metric": [-2e6, 9e6],
            "high_metric": [12e6, 1e6],
            "base_metric": [5.28e6, 5.28e6],
        }
    )
    written = write_report(result, tmp_path, monte_carlo=monte_carlo, sensitivity=sensitivity)
    names = [path.name for path in written]
    assert names[-3:] == ["fan_en.png", "shortfall_en.png", "tornado_en.png"]
    pages = contents(result, monte_carlo=monte_carlo, sensitivity=sensitivity)
    assert len(pages) == len(contents(result)) + 3
    assert _pdf_pages(written[0]) == len(pages)
    sheets = pd.read_excel(written[1], sheet_name=None, index_col=None)
    sheet = sheets[TEXT["en"]["sheets"]["monte_carlo"]]
    # P90 is the 10th percentile: 0.9 million rial above the lowest of the ten paths
    np.testing.assert_allclose(sheet["P90 [rial]"], paths[0] + 0.9e6)
    np.testing.assert_allclose(sheet["P50 [rial]"], paths[0] + 4.5e6)
    pd.testing.assert_frame_equal(
        sheets[TEXT["en"]["sheets"]["sensitivity"]], sensitivity, check_dtype=False
    )


def test_member_class_statements_get_their_own_sheets(result, tmp_path):
    one_class = result.monthly[["label", "payout_per_family_rial"]]
    by_class = pd.concat(
        [one_class.assign(**{"class": "relief"}), one_class.assign(**{"class": "welfare"})],
        ignore_index=True,
    )
    with_classes = types.SimpleNamespace(
        scenario=result.scenario,
        monthly=result.monthly,
        annual=result.annual,
        summary=result.summary,
        by_class=by_class,
    )
    written = write_report(with_classes, tmp_path)
    sheets = pd.read_excel(written[1], sheet_name=None)
    assert "class relief" in sheets and "class welfare" in sheets
    pd.testing.assert_frame_equal(
        sheets["class welfare"],
        by_class[by_class["class"] == "welfare"].reset_index(drop=True),
        check_dtype=False,
    )


def test_a_result_without_member_classes_has_no_class_sheet(result, tmp_path):
    plain = types.SimpleNamespace(
        scenario=result.scenario,
        monthly=result.monthly,
        annual=result.annual,
        summary=result.summary,
    )
    written = write_report(plain, tmp_path)
    assert not any(name.startswith("class") for name in pd.ExcelFile(written[1]).sheet_names)


def test_assumptions_carry_a_source_for_every_cited_default(result):
    table = assumptions_table(result.scenario).set_index("parameter")
    for path in (
        "plant.capacity_kwp",
        "plant.degradation_per_year",
        "tariff.base_price_rial_per_kwh",
        "loan.annual_rate",
        "loan.principal_rial",
        "cooperative.families",
        "costs.om_rial_per_kwp_year",
        "economy.inflation_per_year",
        "payment.delay_months",
    ):
        assert table.loc[path, "source"], path
        assert not table.loc[path, "changed"], path
    assert "Jordan et al. 2022" in table.loc["plant.degradation_per_year", "source"]
    assert table.loc["plant.losses.availability", "value"] == "0.03"


def test_assumptions_mark_what_the_planner_changed(result):
    changed = result.scenario.with_changes({"loan.annual_rate": 0.08, "cooperative.families": 600})
    table = assumptions_table(changed).set_index("parameter")
    assert table.loc["loan.annual_rate", ["value", "default"]].tolist() == ["0.08", "0.04"]
    assert table.loc["cooperative.families", "changed"]
    assert not table.loc["loan.term_months", "changed"]


def test_unknown_language_and_a_file_as_folder_are_refused(result, tmp_path):
    with pytest.raises(sc.InputError, match="lang"):
        write_report(result, tmp_path, lang="de")
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    with pytest.raises(sc.InputError, match="file.txt.* is a file, not a folder"):
        write_report(result, not_a_folder)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["file.txt"]


def test_report_texts_hold_the_same_keys_in_both_languages():
    assert TEXT["en"].keys() == TEXT["fa"].keys()
    for key in ("figures", "sheets", "charts"):
        assert TEXT["en"][key].keys() == TEXT["fa"][key].keys()
    assert len(TEXT["en"]["columns_life"]) == len(TEXT["fa"]["columns_life"])
    assert report.PAGE_SIZE_IN == (11.69, 8.27)


def test_the_promise_sentence_and_chance_page_follow_the_scenarios_promise(result):
    sentence = report._promise_sentence(result.scenario, "en")
    assert sentence.startswith("The plan promised 50-80 million rial a month per family")
    assert "Qom news report, September 2025" in sentence and "Shahrivar 1404" in sentence
    assert "۵۰ تا ۸۰" in report._promise_sentence(result.scenario, "fa")
    months = result.monthly[["label", "operating_year"]]
    paths = {"payout_per_family_rial": np.tile(result.monthly["payout_per_family_rial"].to_numpy(), (4, 1))}
    with_promise = contents(result, monte_carlo=sc.MonteCarloResult(result.scenario, months, paths, seed=0))
    assert "Chance of a month below 50 million rial" in with_promise

    unpromised = sc.simulate(result.scenario.with_changes({"promise": None}), energy=np.full(12, 420_000.0))
    assert report._promise_sentence(unpromised.scenario, "en") == ""
    pages = contents(unpromised, monte_carlo=sc.MonteCarloResult(unpromised.scenario, months, paths, seed=0))
    assert not any("Chance of a month below" in page for page in pages)
    # only the chance page goes (the assumptions pages, which list the promise, may be fewer)
    def without_assumptions(titles):
        return [title for title in titles if not title.startswith("Assumptions")]

    assert len(without_assumptions(pages)) == len(without_assumptions(with_promise)) - 1
