"""The programme report: its first page's figures are the result's, every page has its
numbers and labels (and the synthetic label), and a Persian page has no Latin digits."""

import dataclasses
import datetime
import io
import re
import types

import numpy as np
import pandas as pd
import pypdf
import pytest

import solarcoop as sc
from solarcoop._validation import InputError
from solarcoop.present import programme_report as report
from solarcoop.present.locales import catalog
from solarcoop.programme.result import ProgrammeResult
from solarcoop.programme.synthetic import synthetic_table

TODAY = datetime.date(2026, 12, 7)  # 16 Azar 1405: "next year" is 1406


def hand_made_result(table: pd.DataFrame, first: str = "1405-01", n_months: int = 24, with_actuals: bool = True) -> ProgrammeResult:
    """A small result with figures easy to check: each province pays 20 million rial per
    family a month, times a season and 2 % a month; P90 is 0.8 of P50."""
    year0, month0 = map(int, first.split("-"))
    labels = [f"{year0 + (month0 - 1 + i) // 12}-{(month0 - 1 + i) % 12 + 1:02d}" for i in range(n_months)]
    families = table.groupby("province")["families"].sum()
    i = np.arange(n_months)
    season = 1 + 0.3 * np.sin(2 * np.pi * (i % 12 - 1) / 12)
    frames = []
    for province, count in families.items():
        p50 = count * 20e6 * season * 1.02**i
        frames.append(pd.DataFrame({
            "province": province, "label": labels, "month_index": i,
            "paid_to_families_rial_p50": p50, "paid_to_families_rial_p90": 0.8 * p50, "paid_to_families_rial_mean": 0.97 * p50,
            "families_paying_from_pocket_p50": np.round(0.05 * count / season),
            "families_paying_from_pocket_p90": np.round(0.02 * count / season),
            "families_paying_from_pocket_high": np.round(0.09 * count / season),
            "families_paying_from_pocket_mean": 0.05 * count,
            "instalments_in_arrears_p50": np.round(0.01 * count), "instalments_in_arrears_p90": 0.0,
            "instalments_in_arrears_high": np.round(0.03 * count),
            "instalments_in_arrears_mean": 0.01 * count,
        }))  # fmt: skip
    by_province = pd.concat(frames, ignore_index=True)
    totals = by_province.drop(columns="province").groupby(["label", "month_index"], as_index=False).sum()
    totals = totals.sort_values("month_index").reset_index(drop=True)
    years = sorted({int(label[:4]) for label in labels})
    rows = []
    for k, plant in enumerate(table.itertuples()):
        for year in years:
            actual = with_actuals and k % 7 == 0 and year == years[0]
            plan = plant.families * 20e6 * 6
            ratio = 0.6 + 0.05 * (k % 9)
            rows.append({
                "plant_id": plant.plant_id, "province": plant.province, "year": year,
                "family_money_p50_rial": 20e6, "family_money_p90_rial": 15e6,
                "family_money_real_p50_rial": 18e6, "family_money_real_p90_rial": 13e6,
                "paid_to_families_plan_p50_rial": plan if actual else np.nan,
                "paid_to_families_plan_p10_rial": 0.8 * plan if actual else np.nan,
                "paid_to_families_actual_rial": ratio * plan if actual else np.nan,
                "energy_plan_p50_kwh": np.nan, "energy_plan_p10_kwh": np.nan, "energy_actual_kwh": np.nan,
                "actual_months": 6 if actual else 0, "below_plan_p10": bool(actual and ratio < 0.8),
            })  # fmt: skip
    return ProgrammeResult(
        plants=pd.DataFrame(rows), totals=totals, by_province=by_province, real_money_of=first, n_paths=200,
        seed=0, n_plants=len(table), n_families=int(table["families"].sum()),
    )  # fmt: skip


def hand_made_effects(year: int) -> pd.DataFrame:
    frame = pd.DataFrame({
        "reading": ["tariff"] * 3 + ["payment"] * 2 + ["inflation"],
        "alternative": [0.9, 1.0, 1.1, "half_in_bonds_a_year_late", "all_cash", 0.45],
        "paid_p50_rial": [900e9, 1000e9, 1100e9, 950e9, 1020e9, 1050e9],
        "paid_p90_rial": [700e9, 800e9, 900e9, 700e9, 820e9, 800e9],
    })  # fmt: skip
    frame.attrs.update(all_drawn_p50_rial=1000e9, year=year)
    return frame


def pages_of(document) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(document.pdf())).pages]


def in_page(value: str, page: str) -> bool:
    """A number on a page (pypdf may read a number inside Persian text backwards)."""
    return value in page or value[::-1] in page


@pytest.fixture(scope="module")
def table():
    return synthetic_table(300, seed=2)


@pytest.fixture(scope="module")
def result(table):
    return hand_made_result(table)


@pytest.fixture(scope="module")
def pages(result, table):
    effects = hand_made_effects(1406)
    return {lang: pages_of(report.programme_document(result, lang, table=table, effects=effects, today=TODAY)) for lang in ("en", "fa")}


def test_the_report_year_is_next_year_within_the_results_months(result):
    assert report.report_year(result, today=TODAY) == 1406
    assert report.report_year(result, today=datetime.date(2030, 1, 1)) == 1406  # the last year held
    assert report.report_year(result, today=datetime.date(2020, 1, 1)) == 1405  # the first
    assert report.report_year(result, 1405) == 1405
    with pytest.raises(InputError, match="year = 1410"):
        report.report_year(result, 1410)


def test_year_figures_are_the_sums_of_the_years_months(result):
    figures = report.year_figures(result, 1406)
    months = result.totals[result.totals["label"].str.startswith("1406")]
    assert len(months) == 12 and figures["from_months"]
    assert figures["paid_p50_rial"] == pytest.approx(months["paid_to_families_rial_p50"].sum())
    assert figures["paid_p90_rial"] == pytest.approx(0.8 * figures["paid_p50_rial"])
    assert figures["pocket_p50"] == pytest.approx(months["families_paying_from_pocket_p50"].mean())
    assert figures["pocket_peak_high"] == months["families_paying_from_pocket_high"].max()
    assert figures["pocket_high"] > figures["pocket_p50"]  # the bad side of a count is its high side
    assert np.isnan(figures["paid_real_p50_rial"])  # this result gives no real totals


def test_year_figures_take_the_years_own_quantiles_when_the_result_has_them(result):
    by_year = pd.DataFrame({"year": [1406], "paid_to_families_rial_p50": [5e12], "paid_to_families_rial_p90": [3e12],
                            "paid_to_families_real_rial_p50": [2e12], "paid_to_families_real_rial_p90": [1e12]})  # fmt: skip
    for name, value in (("families_paying_from_pocket", 300.0), ("families_paying_from_pocket_peak", 400.0),
                        ("instalments_in_arrears", 20.0)):  # fmt: skip
        by_year[f"{name}_p50"], by_year[f"{name}_p90"], by_year[f"{name}_high"] = value, value / 2, 2 * value
    with_years = types.SimpleNamespace(**{f: getattr(result, f) for f in ("plants", "totals", "by_province")}, totals_by_year=by_year)
    figures = report.year_figures(with_years, 1406)
    assert not figures["from_months"]
    assert (figures["paid_p50_rial"], figures["paid_p90_rial"], figures["paid_real_p50_rial"]) == (5e12, 3e12, 2e12)
    assert (figures["pocket_p50"], figures["pocket_peak_p50"], figures["arrears_p50"]) == (300.0, 400.0, 20.0)
    # a count's pessimistic side: its 0.9 quantile, not its P90 (the 0.1 quantile)
    assert (figures["pocket_high"], figures["pocket_peak_high"], figures["arrears_high"]) == (600.0, 800.0, 40.0)
    assert "pocket_p90" not in figures


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_page_one_figures_are_the_results(pages, result, lang):
    figures = report.year_figures(result, 1406)
    page = pages[lang][0]
    for value in (report.billions(figures["paid_p50_rial"], lang), report.billions(figures["paid_p90_rial"], lang)):
        assert in_page(value, page), value
    for name in ("pocket_p50", "pocket_high", "pocket_peak_p50", "pocket_peak_high", "arrears_p50", "arrears_high"):
        assert in_page(report.count_text(figures[name], lang), page), name
    words = catalog(lang)["programme"]
    assert "P50" in page and "P90" in page
    if lang == "en":  # the labels, read back whole in English
        assert words["paid_nominal"].format(year="1406") in page
        assert words["pocket_mean"].format(year="1406") in page
        assert words["high"] in page
        assert f"at most {report.count_text(figures['pocket_high'], lang)} in a mean month" in page.replace("\n", " ")
        assert words["real_missing"] in page


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_every_page_carries_the_synthetic_label(pages, lang):
    label = catalog(lang)["programme"]["synthetic_label"]
    assert len(pages[lang]) == 4
    for page in pages[lang]:
        if lang == "en":
            assert page.count(label) >= 2  # the running header and the foot of the page
        else:
            assert "ساختگی" in page


def test_a_table_given_as_real_is_not_labelled_synthetic(result, table):
    document = report.programme_document(result, "en", table=table, synthetic=False, today=TODAY)
    for page in pages_of(document):
        assert "SYNTHETIC" not in page
        assert catalog("en")["programme"]["real_label"] in page


def test_the_provinces_page_has_each_province_and_its_figures(pages, result, table):
    frame = report.province_figures(result, 1406, table)
    page = pages["en"][1]
    for province, row in frame.iterrows():
        assert province in page
        assert report.billions(row["paid_p50_rial"], "en") in page
    qom = frame.loc["Qom"]
    families = table.loc[table["province"] == "Qom", "families"].sum()
    assert qom["families"] == families
    # per family a month: the year's P50 over the province's families and 12 months
    assert qom["per_family_p50_rial"] == pytest.approx(qom["paid_p50_rial"] / families / 12)
    fa_page = pages["fa"][1]
    assert "قم" in fa_page and "کرمان" in fa_page  # (pypdf reads a two-word name backwards)


def test_the_plants_furthest_below_plan_come_worst_first(pages, result):
    frame = report.below_plan(result)
    assert len(frame) == report.BELOW_PLAN_ROWS
    assert frame["gap"].is_monotonic_increasing
    assert frame["gap"].iloc[0] == pytest.approx(-0.4)  # 0.6 of the plan, the worst hand-made ratio
    page = pages["en"][2]
    assert frame["plant_id"].iloc[0] in page and "-40 %" in page


def test_without_actuals_the_page_says_none_were_given(table):
    result = hand_made_result(table, with_actuals=False)
    assert report.below_plan(result).empty
    document = report.programme_document(result, "en", table=table, today=TODAY)
    assert catalog("en")["programme"]["below_none"] in pages_of(document)[2]


def test_the_readings_page_has_each_reading_and_its_change(pages):
    page = pages["en"][3]
    words = catalog("en")["programme"]
    for label in (words["tariff"], "how the buyer pays", words["inflation"]):
        assert label in page
    assert "-10.0 %" in page and "+10.0 %" in page and "+5.0 %" in page  # 900, 1,100 and 1,050 against 1,000
    flat = " ".join(page.split())  # wrapped in their cells
    assert words["inflation_at"].format(rate="45 %") in flat
    assert words["tariff_at"].format(change="-10 %") in flat


def test_without_reading_runs_the_page_says_so(result, table):
    document = report.programme_document(result, "en", table=table, today=TODAY)
    assert catalog("en")["programme"]["readings_none"] in pages_of(document)[3]


def test_a_persian_page_has_no_latin_digits_but_p50_and_p90(pages):
    for number, page in enumerate(pages["fa"], 1):
        latin = re.sub(r"P(?:10|50|90)", "", page)
        assert not re.search(r"[0-9]", latin), (number, re.search(r".{20}[0-9].{20}", latin))
        assert re.search("[۰-۹]", page)


def test_reading_effects_run_each_case_on_the_same_arguments(result):
    calls = []

    def run(table, **kwargs):
        calls.append(kwargs)
        changes = kwargs.get("changes", {})
        scale = changes["tariff.base_price_rial_per_kwh"](1.0) if "tariff.base_price_rial_per_kwh" in changes else 1.0
        return types.SimpleNamespace(totals=result.totals.assign(
            paid_to_families_rial_p50=scale * result.totals["paid_to_families_rial_p50"]))  # fmt: skip

    cases = report.national_cases({"payment": ("all_cash",)}, tariff_factors=(0.8,), inflation_rates=(0.45,))
    frame = report.reading_effects(run, "table", 1406, cases, n_paths=7, seed=3)
    assert calls[0] == {"n_paths": 7, "seed": 3}
    assert calls[2] == {"changes": {"economy.inflation_per_year": 0.45}, "n_paths": 7, "seed": 3}
    assert calls[3] == {"readings": {"payment": "all_cash"}, "n_paths": 7, "seed": 3}
    assert frame["reading"].tolist() == ["tariff", "inflation", "payment"]
    # the price cut's run scales this fake run's months by 0.8
    assert frame["paid_p50_rial"].iloc[0] == pytest.approx(0.8 * frame.attrs["all_drawn_p50_rial"])
    assert frame["paid_p50_rial"].iloc[1] == pytest.approx(frame.attrs["all_drawn_p50_rial"])


def test_the_report_of_a_real_run_shows_the_runs_figures(tmp_path):
    table = synthetic_table(12, seed=4, include_aggregated=False)
    result = sc.programme(table, n_paths=6, seed=1)
    year = report.report_year(result, today=TODAY)
    figures = report.year_figures(result, year)
    files = report.write_programme_report(result, tmp_path / "out", "en", table=table, today=TODAY)
    page = pypdf.PdfReader(files[0]).pages[0].extract_text()
    assert report.billions(figures["paid_p50_rial"], "en") in page
    assert report.billions(figures["paid_p90_rial"], "en") in page
    assert catalog("en")["programme"]["synthetic_label"] in page


def small_runnable_table() -> pd.DataFrame:
    """Six synthetic home plants on start months the run books."""
    table = synthetic_table(6, seed=4, include_aggregated=False)
    table["start_month"] = ["1402-03", "1403-05", "1399-08"] * 2
    table["contract_year"] = table["start_month"].str.slice(0, 4).astype(int)
    table["loan_principal_rial"] = 1.5e9
    return table


def test_the_command_line_runs_a_table_and_writes_its_report(tmp_path, capsys):
    from solarcoop.cli import main

    path = tmp_path / "programme.csv"
    small_runnable_table().to_csv(path, index=False)
    assert main(["programme", str(path), "--paths", "4", "--seed", "2", "--lang", "fa", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    result = sc.programme(path, n_paths=4, seed=2)
    assert printed.splitlines()[:3] == report.summary_lines(result, "fa")
    assert (tmp_path / "out" / "programme_fa.pdf").exists()
    # the ids read back from the CSV are synthetic: the report says so
    pages = [page.extract_text() for page in pypdf.PdfReader(tmp_path / "out" / "programme_fa.pdf").pages]
    assert "ساختگی" in pages[0]
    # the national readings' page is filled by default, on the same paths
    effects = report.reading_effects(sc.programme, small_runnable_table(), report.report_year(result), n_paths=4, seed=2)
    assert in_page(report.billions(effects["paid_p50_rial"].iloc[0], "fa"), pages[3])
    # the last line in the language's words: the files written
    assert printed.splitlines()[-1] == catalog("fa")["command_line"]["wrote"].format(paths=str(tmp_path / "out" / "programme_fa.pdf"))
    assert "wrote" not in printed


def test_the_command_line_skips_the_readings_when_asked(tmp_path, capsys):
    from solarcoop.cli import PROGRAMME_READING_RUNS, build_parser, main

    assert PROGRAMME_READING_RUNS == len(report.national_cases())  # the help's count of runs
    with pytest.raises(SystemExit):
        build_parser().parse_args(["programme", "--help"])
    assert f"runs {PROGRAMME_READING_RUNS} more times" in " ".join(capsys.readouterr().out.split())
    path = tmp_path / "programme.csv"
    small_runnable_table().to_csv(path, index=False)
    out = tmp_path / "out"
    assert main(["programme", str(path), "--paths", "4", "--seed", "2", "--no-readings", "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("wrote: ")
    last = pypdf.PdfReader(out / "programme_en.pdf").pages[3].extract_text()
    assert catalog("en")["programme"]["readings_none"] in " ".join(last.split())


@pytest.mark.parametrize("argv", [[], ["t.csv", "--synthetic", "5"]])
def test_the_command_line_wants_a_table_or_a_synthetic_one(argv, tmp_path, capsys):
    from solarcoop.cli import main

    assert main(["programme", *argv, "--out", str(tmp_path / "out")]) == 2
    assert "TABLE" in capsys.readouterr().err


def test_the_pocket_chart_bands_up_to_the_high_quantile(result):
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    report.months_chart(result, "families_paying_from_pocket", ax, "en")
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.max() == pytest.approx(result.totals["families_paying_from_pocket_high"].max())
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert catalog("en")["programme"]["high"] in labels and catalog("en")["programme"]["p90"] not in labels
    plt.close(figure)


def test_plants_with_only_their_energy_are_held_against_the_plan_by_energy(table):
    """Actual months that give only the energy (no money paid) still put a plant on the
    page, held against its plan's energy, in MWh."""
    result = hand_made_result(table)
    plants = result.plants.copy()
    given = plants["actual_months"] > 0
    plants.loc[given, "energy_plan_p50_kwh"] = 10_000.0
    plants.loc[given, "energy_plan_p10_kwh"] = 8_000.0
    plants.loc[given, "energy_actual_kwh"] = 5_000.0 + 100.0 * np.arange(int(given.sum()))
    for column in ("paid_to_families_plan_p50_rial", "paid_to_families_plan_p10_rial", "paid_to_families_actual_rial"):
        plants.loc[given, column] = np.nan
    result = dataclasses.replace(result, plants=plants)
    frame = report.below_plan(result)
    assert len(frame) == report.BELOW_PLAN_ROWS
    assert set(frame["figure"]) == {"energy"}
    assert frame["gap"].iloc[0] == pytest.approx(-0.5)  # 5,000 of 10,000 kWh
    page = pages_of(report.programme_document(result, "en", table=table, today=TODAY))[2]
    words = catalog("en")["programme"]
    assert words["compared_energy"] in page and "-50 %" in page and "5.0" in page  # 5.0 MWh
