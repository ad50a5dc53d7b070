"""One answer in every output: the family's money, its real twin and the chance of the promise
read back from the command line, the report's PDF, the statement's PDF, the workbook and the
app's figures, for four kinds of scenario, equal at display rounding, in the same money, with
the same month named."""

import re

import numpy as np
import openpyxl
import pypdf
import pytest

import solarcoop as sc
from solarcoop.cli import main
from solarcoop.present import plots
from solarcoop.present.text import chance_text, digits, money_million, month_text
from solarcoop.studies.headline import (
    chance_month_reaches_promise,
    month_reaches_promise,
    promise_counted,
)

PATHS = 200
SEED = 3
LIFE = {"lifetime_years": 10}


HEADLINE_CELLS = (
    "net_payout_per_family_p50_rial", "net_payout_per_family_p90_rial",
    "net_payout_per_family_p50_real_rial", "net_payout_per_family_p90_real_rial",
    "single_run_net_payout_per_family_rial",
)  # fmt: skip
"""The headline's cells of a year, in the order every output shows them."""


def _scenarios() -> dict:
    qom = sc.qom_baseline().with_changes(LIFE)
    return {
        "baseline": qom,
        # 600 shares of 1.5 bn rial pay the whole 900 bn rial plant: no sponsor
        "shares_pay_all": qom.with_changes({"cooperative.families": 600}),
        # a low tariff: the distribution falls short of the instalment, which is carried as arrears
        "low_tariff_arrears": qom.with_changes({"tariff.base_price_rial_per_kwh": 12_000, "loan.shortfall": "arrears"}),
        "home_plant": sc.home_plant().with_changes(LIFE),
    }


SCENARIOS = _scenarios()


def _collapsed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _pdf_text(path) -> list[str]:
    return [_collapsed(page.extract_text()) for page in pypdf.PdfReader(path).pages]


@pytest.fixture(scope="module", params=list(SCENARIOS))
def outputs(request, tmp_path_factory):
    """Every output of one scenario, made through the command line as a user makes them."""
    import contextlib
    import io

    name = request.param
    scenario = SCENARIOS[name]
    folder = tmp_path_factory.mktemp(name)
    path = sc.save_scenario(scenario, folder / "scenario.toml")
    common = ["--paths", str(PATHS), "--seed", str(SEED)]
    printed = {}
    for lang in ("en",) + (("fa",) if name == "baseline" else ()):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert main(["run", str(path), "--out", str(folder / f"run_{lang}"), "--lang", lang, *common]) == 0
        printed[lang] = buffer.getvalue()
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["report", str(path), "--out", str(folder / f"report_{lang}"), "--lang", lang, *common]) == 0
            assert main(["statement", str(path), "--out", str(folder / f"statement_{lang}"), "--lang", lang, *common]) == 0
    lead = sc.headline(sc.load_scenario(path), n_paths=PATHS, seed=SEED)
    return {"name": name, "folder": folder, "printed": printed, "lead": lead}


def _million(value: float, lang: str = "en") -> str:
    return money_million(value, lang, 1)


def _years(lead) -> list[int]:
    return list(lead.table.index)


def _month(lead, lang: str = "en") -> str:
    scenario = lead.single_run.scenario
    return month_text(scenario.real_money_month, scenario.calendar, lang)


def test_the_real_money_month_is_the_promises_else_the_first_month(outputs):
    lead = outputs["lead"]
    scenario = lead.single_run.scenario
    expected = "1404-06" if scenario.promise is not None else "1405-01"
    assert lead.base_month == scenario.real_money_month == expected
    assert lead.single_run.summary["real_base_month_label"] == expected


def test_the_command_line_prints_the_headline_and_names_its_month(outputs):
    lead = outputs["lead"]
    printed = outputs["printed"]["en"]
    assert f"P50 / P90 in money of {_month(lead)}" in printed
    rows = re.findall(r"^(\d+)\s+\d{4}-\d{2}\s+(\S+) / (\S+)\s+M\s+(\S+) / (\S+)\s+M\s+(\S+) M \(percentile (\d+)\)", printed, re.M)
    assert [int(row[0]) for row in rows] == _years(lead)
    for row in rows:
        figures = lead.table.loc[int(row[0])]
        assert list(row[1:6]) == [
            _million(figures[column])
            for column in HEADLINE_CELLS
        ]
        assert int(row[6]) == round(figures["single_run_percentile"])
    summary = lead.single_run.summary
    # the single run's block: the same money, signed, and its real twin in the named month
    assert f"the same, in money of {_month(lead)}    {_million(summary['family_cash_flow_real_rial_mean_year1'])}" in printed
    assert f"the family's money after it            {_million(summary['family_cash_flow_rial_mean_year1'])}" in printed
    assert "payout after instalment (net)" not in printed
    if lead.promise_rial is not None:
        counts = promise_counted(lead.single_run.scenario)
        chances = re.findall(r"^(\d+)\s+(\d+)%\s+\(", printed, re.M)
        assert [int(year) for year, _ in chances] == _years(lead)
        for year, chance in chances:
            assert int(chance) == round(100 * lead.table.loc[int(year), f"chance_month_reaches_promise_{counts}"])


def test_the_report_page_one_shows_the_same_numbers_in_the_same_money(outputs):
    lead = outputs["lead"]
    pages = _pdf_text(outputs["folder"] / "report_en" / "report_en.pdf")
    first = pages[0]
    assert f"in money of {_month(lead)}" in first
    for year in _years(lead):
        figures = lead.table.loc[year]
        cells = [
            _million(figures[column])
            for column in HEADLINE_CELLS
        ]
        cells.append(f"{round(figures['single_run_percentile'])} %")
        if lead.promise_rial is not None:
            counts = promise_counted(lead.single_run.scenario)
            cells.append(chance_text(figures[f"chance_month_reaches_promise_{counts}"], "en"))
        row = re.escape(f"year {year} ({figures['label'][:4]})") + r"[^0-9-]*" + r"\s+".join(map(re.escape, cells))
        assert re.search(row, first), (year, cells, first[:1500])
    # the first full year after the loan is the same year on page 1 and where the chart marks it
    after = lead.year_after_loan
    if after is not None:
        assert f"year {after} (" in first and "first full year after the loan" in first
    if lead.promise_rial is not None:
        assert any("chance a month falls short of the promise" in page and _month(lead) in page for page in pages)


def test_the_chance_chart_is_page_ones_chance_month_by_month(outputs):
    lead = outputs["lead"]
    run = lead.monte_carlo
    if lead.promise_rial is None:  # the home plant: no promise, no chance of it, no chart of it
        with pytest.raises(sc.InputError, match="no promise|none"):
            plots.shortfall_probability(run)
        return
    axes = plots.shortfall_probability(run, years=int(max(_years(lead))))
    (steps,) = axes.patches  # one filled step a month
    heights = np.asarray(steps.get_data().values)
    years = run.months["operating_year"].to_numpy()[: len(heights)]
    for year in _years(lead):
        counts = promise_counted(run.scenario)
        chance = lead.table.loc[year, f"chance_month_reaches_promise_{counts}"]
        assert 1 - heights[years == year].mean() == pytest.approx(chance, abs=1e-12)
        assert chance_month_reaches_promise(run, run.scenario, year) == pytest.approx(chance, abs=1e-12)
    import matplotlib.pyplot as plt

    plt.close(axes.figure)


def test_the_statement_leads_in_todays_money(outputs):
    lead = outputs["lead"]
    (page,) = _pdf_text(outputs["folder"] / "statement_en" / "statement_en.pdf")
    assert f"In million rial of {_month(lead)}" in page
    assert "9 futures out of 10" in page and "years out of 10" not in page
    for year in _years(lead):
        for column in ("net_payout_per_family_p50_real_rial", "net_payout_per_family_p90_real_rial"):
            value = lead.table.loc[year, column]
            if abs(value) < 0.05e6:
                continue  # said as "nothing"
            decimals = 0 if abs(value) >= 100e6 else 1
            assert money_million(abs(value), "en", decimals) + " million rial" in page, (year, column)
    summary = lead.single_run.summary
    if summary["months_paid_from_pocket"]:
        total = money_million(summary["paid_from_pocket_per_family_real_rial_total"], "en")
        assert f"{total} million rial in all" in page and f"in money of {_month(lead)}" in page


def test_the_workbook_names_the_month_and_holds_the_same_figures(outputs):
    lead = outputs["lead"]
    book = openpyxl.load_workbook(outputs["folder"] / "report_en" / "report_en.xlsx")
    rows = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert rows["month whose money the real figures are in"] == _month(lead)
    summary = lead.single_run.summary
    # the summary sheet holds a family's monthly money in million rial, as its unit column says
    real = [value for label, value in rows.items() if str(label).startswith("family's money in the month, money of")]
    assert real and any(
        value == pytest.approx(summary["family_cash_flow_real_rial_mean_year1"] / 1e6, abs=0.05) for value in real
    )


def test_the_app_shows_the_headlines_numbers(outputs):
    from solarcoop.app import board

    lead = outputs["lead"]
    figures = board.headline(lead.single_run.scenario, n_paths=PATHS, seed=SEED)
    assert figures["base_month"] == lead.base_month
    for row in figures["years"]:
        expected = lead.table.loc[row["year"]]
        assert row["p50_real_rial"] == expected["net_payout_per_family_p50_real_rial"]
        assert row["p90_rial"] == expected["net_payout_per_family_p90_rial"]
        if lead.promise_rial is not None:
            counts = figures["chance_counts"]
            assert row[f"chance_{counts}_fraction"] == expected[f"chance_month_reaches_promise_{counts}"]


def test_persian_outputs_say_the_same_numbers():
    scenario = SCENARIOS["baseline"]
    lead = sc.headline(scenario, n_paths=PATHS, seed=SEED)
    text = lead.to_text("fa")
    assert f"به پول {_month(lead, 'fa')}" in text
    for year in _years(lead):
        for column in ("net_payout_per_family_p50_real_rial", "net_payout_per_family_p90_rial"):
            assert money_million(lead.table.loc[year, column], "fa", 1) in text
    from solarcoop.present.headline import format_summary

    block = format_summary(lead.single_run, "fa")
    assert not re.search(r"[A-Za-z]", "\n".join(block.splitlines()[1:])), block  # Persian after the name
    assert digits("1404", "fa") in block


def test_one_definition_of_the_chance(outputs):
    lead = outputs["lead"]
    if lead.promise_rial is None:  # nothing to count: no chance columns
        assert not any(column.startswith("chance") for column in lead.table.columns)
        return
    run = lead.monte_carlo
    reaches = month_reaches_promise(run, run.scenario)
    year1 = run.months["operating_year"].to_numpy() == 1
    counts = promise_counted(run.scenario)
    assert reaches[:, year1].mean() == lead.table.loc[1, f"chance_month_reaches_promise_{counts}"]


def test_the_home_plant_has_no_chance_columns():
    lead = sc.headline(SCENARIOS["home_plant"], n_paths=50, seed=SEED)
    assert not any(column.startswith("chance") for column in lead.table.columns)
    assert lead.promise_rial is None and lead.base_month == "1405-01"  # no promise: real money of the first month
