import dataclasses
import datetime
import re
import tomllib
import types
from importlib import resources

import numpy as np
import pandas as pd
import pypdf
import pytest
from openpyxl import load_workbook

import solarcoop as sc
from solarcoop._atomic import MANIFEST, write_folder
from solarcoop.present import headline as report_headline
from solarcoop.present import pages as report_pages
from solarcoop.present import report
from solarcoop.present import statement as report_statement
from solarcoop.present import text as report_text
from solarcoop.present import workbook as report_workbook
from solarcoop.present.assumptions import assumptions_table
from solarcoop.present.locales import catalog
from solarcoop.present.report import ReportExistsError, contents, write_report
from solarcoop.studies import headline as headline_study

LANGS = ("en", "fa")
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
E_NOTATION = re.compile(r"\d[eE][+-]?\d")
NEGATIVE_ZERO = re.compile(r"(?<![\d.,٫٬])[-−]0(?:[.٫]0+)?(?![\d.,٫٬])|(?<![\d.,٫٬])[-−][۰](?:[٫][۰]+)?(?![۰-۹٫٬])")
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")
MARKUP = ("``", ":func:", ":class:", ":meth:", "`")
SPEC_CLASSES = (
    sc.Scenario, sc.Site, sc.Plant, sc.Losses, sc.Soiling, sc.GuaranteedPurchaseTariff,
    sc.MarketTariff, sc.FlatTariff, sc.SwitchingTariff, sc.TimeOfUse, sc.Payment, sc.Economy,
    sc.Costs, sc.Cooperative, sc.MemberClass, sc.Loan, sc.CooperativeDebt, sc.Uncertainty, sc.Promise,
    sc.Funding,
)  # fmt: skip


@pytest.fixture(scope="module")
def scenario():
    # one weather year keeps the Monte Carlo's physics to a single year: fast
    return sc.qom_baseline().with_changes({"uncertainty.weather_years": 0})


@pytest.fixture(scope="module")
def result(scenario):
    return sc.simulate(scenario)


@pytest.fixture(scope="module")
def monte_carlo(scenario):
    # the default columns and those the headline reads (the family's cash flow, prices)
    kept = tuple(dict.fromkeys(sc.studies.montecarlo.KEPT_COLUMNS + headline_study.KEPT))
    return sc.monte_carlo(scenario, n_paths=100, seed=0, kept=kept)


@pytest.fixture(scope="module")
def sensitivity():
    return pd.DataFrame(
        {
            "parameter": ["tariff.base_price_rial_per_kwh", "loan.annual_rate", "plant.degradation_per_year"],
            "low_value": [36_640.0, 0.0, 0.005],
            "high_value": [54_960.0, 0.08, 0.012],
            "low_metric": [-2e6, 9e6, 8.0e6],
            "high_metric": [12e6, 1e6, 8.0e6],
            "base_metric": [8.0e6] * 3,
        }
    )


@pytest.fixture(scope="module")
def reports(result, monte_carlo, sensitivity, tmp_path_factory):
    """Both reports and both statements, written once for the module."""
    written = {}
    for lang in LANGS:
        out = tmp_path_factory.mktemp(f"report_{lang}") / "report"
        files = write_report(result, out, lang=lang, monte_carlo=monte_carlo, sensitivity=sensitivity)
        statement = report_statement.write_statement(result, out.parent / "statement", lang=lang, monte_carlo=monte_carlo)
        written[lang] = (out, files, statement)
    return written


def _pages_text(path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def _section_pages(path) -> list[tuple[str, int]]:
    """(title, first page, from 0) of each section, read from the PDF's bookmarks."""
    reader = pypdf.PdfReader(path)
    return [(entry.title, reader.get_destination_page_number(entry)) for entry in reader.outline]


def _catalog_keys(table, prefix=""):
    keys = set()
    for key, value in table.items():
        keys.add(prefix + key)
        if isinstance(value, dict):
            keys |= _catalog_keys(value, f"{prefix}{key}.")
    return keys


# ------------------------------------------------------------------ catalogs


def test_both_catalogs_hold_the_same_keys_and_are_packaged():
    assert _catalog_keys(catalog("en")) == _catalog_keys(catalog("fa"))
    for lang in LANGS:
        text = resources.files("solarcoop.present.locales").joinpath(f"{lang}.toml").read_text("utf-8")
        assert tomllib.loads(text) == catalog(lang)
    for table in ("columns_assumptions", "columns_year_one", "columns_life"):
        assert len(catalog("en")["report"][table]) == len(catalog("fa")["report"][table])


def test_every_disputed_fact_has_its_texts_in_both_catalogs():
    from solarcoop.disputed import READINGS

    for reading in READINGS:
        english, persian = catalog("en")["disputed"][reading.name], catalog("fa")["disputed"][reading.name]
        assert english["question"] == reading.question  # the English catalog is the module's words
        assert re.search(r"[\u0600-\u06FF]", persian["question"]), reading.name
        assert set(english) == set(persian) == {"question"} | {a.name for a in reading.alternatives}
        for alternative in reading.alternatives:
            for text in ("says", "source", "reason"):
                assert english[alternative.name][text] == getattr(alternative, text), (alternative.name, text)
                shown = persian[alternative.name][text]
                assert re.search(r"[\u0600-\u06FF]", shown) and not re.search(r"[0-9]", shown), (alternative.name, text)


@pytest.mark.parametrize("kind", SPEC_CLASSES, ids=lambda kind: kind.__name__)
def test_every_input_has_a_name_and_unit_in_english_and_a_description_in_persian(kind):
    for field in dataclasses.fields(kind):
        # the English unit and description are in the field's declaration (tests/test_fields.py)
        for lang, size in (("en", 1), ("fa", 3)):
            entry = catalog(lang)["fields"].get(kind.__name__, {}).get(field.name)
            assert entry is not None, f"add {kind.__name__}.{field.name} to solarcoop/present/locales/{lang}.toml"
            entry = [entry] if isinstance(entry, str) else entry
            assert len(entry) == size and entry[0], (lang, kind.__name__, field.name)
        assert kind.__name__ in catalog("en")["specs"] and kind.__name__ in catalog("fa")["specs"]


def test_every_result_column_has_a_header_and_unit(result):
    by_class = result.by_class.columns
    names = [*result.monthly.columns, *result.annual.columns, *by_class, *result.summary.index]
    for lang in LANGS:
        for name in names:
            header, _ = report_workbook.column_words(name, lang, strict=True)
            assert header and not SNAKE_CASE.search(header), (lang, name)
    assert report_workbook.column_words("payout_per_family_rial_mean_year1", "fa") == (
        "پرداختی پس از قسط، هرگز زیر صفر، میانگین ماهانه، سال ۱",
        "ریال",
    )
    # a real column names its month, and no header is left with a placeholder
    assert report_workbook.column_words("family_cash_flow_real_rial", "en", month="Shahrivar 1404")[0].endswith(
        "money of Shahrivar 1404"
    )
    for lang in LANGS:
        for name in names:
            assert "{" not in report_workbook.column_words(name, lang)[0], (lang, name)


# ------------------------------------------------------------------ numbers and words


@pytest.mark.parametrize(
    ("value", "unit", "lang", "shown"),
    [
        (0.35, "%/year", "en", "35 %/year"),
        (-0.0037, "%/°C", "en", "-0.37 %/°C"),
        (0.003, "% of capital cost/year", "en", "0.3 % of capital cost/year"),
        (1.43e6, "rial/EUR", "en", "1.43 million rial/EUR"),
        (3.5e8, "rial/kWp", "en", "350 million rial/kWp"),
        (1.5e9, "rial", "en", "1.5 billion rial"),
        (45_800, "rial/kWh", "en", "45,800 rial/kWh"),
        (-0.0, "", "en", "0"),
        (1e-9, "rial", "en", "0 rial"),
        (3_000, "kWp", "en", "3,000 kWp"),
        (0.25, "٪", "fa", "۲۵٪"),
        (3.6e9, "ریال/سال", "fa", "۳٫۶ میلیارد ریال/سال"),
    ],
)
def test_values_read_as_a_person_writes_them(value, unit, lang, shown):
    assert report_text.format_value(value, unit, lang) == shown


def test_docstring_markup_becomes_plain_text():
    assert report_text.plain_text(
        "What :func:`solarcoop.monte_carlo` varies; :class:`~solarcoop.MarketTariff` with ``None``"
    ) == "What solarcoop.monte_carlo varies; solarcoop.MarketTariff with None"


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
    assert table.loc["plant.losses.availability", "value"] == "3 %"
    assert table.loc["costs.management_rial_per_year", "value"] == "3.6 billion rial/year"
    persian = assumptions_table(result.scenario, "fa").set_index("parameter")
    assert persian.loc["plant.degradation_per_year", "name"] == "افت سالانهٔ تولید"
    assert "جردن" in persian.loc["plant.degradation_per_year", "source"]
    assert persian.loc["plant.degradation_per_year", "value"] == "۰٫۸٪ در سال"


def test_assumptions_mark_what_the_planner_changed(result):
    changed = result.scenario.with_changes({"loan.annual_rate": 0.08, "cooperative.families": 600})
    table = assumptions_table(changed).set_index("parameter")
    assert table.loc["loan.annual_rate", ["value", "default"]].tolist() == ["8 %/year", "4 %/year"]
    assert table.loc["cooperative.families", "changed"]
    assert not table.loc["loan.term_months", "changed"]


# ------------------------------------------------------------------ the PDF


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_pages_follow_the_order_of_a_proposal(result, monte_carlo, sensitivity, reports, lang):
    out, files, _ = reports[lang]
    pages = contents(result, lang, monte_carlo, sensitivity)
    words = catalog(lang)["report"]
    sections = _section_pages(files[0])
    # each section starts a page, in this order, the table of contents on page 2
    assert [title for title, _ in sections] == pages
    starts = [page for _, page in sections]
    assert starts[:2] == [0, 2] and starts == sorted(set(starts))
    assert len(pypdf.PdfReader(files[0]).pages) >= len(pages) + 1
    contents_page = _pages_text(files[0])[1]
    if lang == "en":
        assert words["contents"] in contents_page.splitlines()
        for title, _ in sections:
            assert " ".join(title.split()) in " ".join(contents_page.split()), title
    bank = catalog(lang)["bank"]
    assert pages[:5] == [words["headline"], bank["page"], bank["cash_page"], words["payout_page"], words["loan_page"]]
    order = [
        words["energy_page"], words["fan_page"], words["tornado_page"], words["readings_page"],
        words["life"].split(" —")[0],
    ]  # fmt: skip
    positions = [next(i for i, page in enumerate(pages) if page.startswith(title)) for title in order]
    assert positions == sorted(positions)
    assert pages[-1] == words["assumptions"]
    name = sc.plots.scenario_name(result.scenario, lang)
    assert pypdf.PdfReader(files[0]).metadata.title == words["title"].format(name=name)


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_text_has_no_e_notation_markup_or_negative_zero(reports, lang):
    _, files, statement = reports[lang]
    for path in (files[0], statement):
        for number, text in enumerate(_pages_text(path), start=1):
            assert not E_NOTATION.search(text), (path.name, number, E_NOTATION.search(text))
            assert not any(mark in text for mark in MARKUP), (path.name, number)
            assert not NEGATIVE_ZERO.search(text), (path.name, number, NEGATIVE_ZERO.search(text))
            assert "nan" not in text.lower().split(), (path.name, number)


def test_persian_pages_are_persian(reports):
    _, files, statement = reports["fa"]
    for path in (files[0], statement):
        for number, text in enumerate(_pages_text(path), start=1):
            assert any(digit in text for digit in PERSIAN_DIGITS), (path.name, number)
            assert not SNAKE_CASE.search(text), (path.name, number, SNAKE_CASE.search(text))
            latin = re.sub(r"P(?:10|50|90|99)|PVWatts|PVsyst|solarcoop", "", text)
            assert not re.search(r"[0-9]", latin), (path.name, number, re.search(r".{20}[0-9].{20}", latin))
    title = pypdf.PdfReader(files[0]).metadata.title
    assert re.search(r"[\u0600-\u06FF]", title)


@pytest.mark.parametrize("lang", LANGS)
def test_page_one_holds_the_headline_figures_of_the_library(result, monte_carlo, reports, lang):
    _, files, _ = reports[lang]
    table = report_headline.headline_view(result, monte_carlo)
    # the library's own: P50 and P90 of the paths' yearly means, for years 1-3 and year 9 (the
    # instalments withheld in year 1 are cleared in year 8)
    assert list(table.index) == [1, 2, 3, 9]
    yearly = monte_carlo.yearly("family_cash_flow_rial")
    np.testing.assert_allclose(table["net_payout_per_family_p50_rial"], np.quantile(yearly[:, [0, 1, 2, 8]], 0.5, axis=0))
    np.testing.assert_allclose(table["net_payout_per_family_p90_rial"], np.quantile(yearly[:, [0, 1, 2, 8]], 0.1, axis=0))
    # a month reaches the promise in money of Shahrivar 1404, seven months before the start
    operating_year = monte_carlo.months["operating_year"].to_numpy()
    in_base = monte_carlo.paths["family_cash_flow_rial"] / monte_carlo.paths["cpi_index"] / 1.35 ** (7 / 12)
    np.testing.assert_allclose(
        table["chance_month_reaches_promise_net"],
        [(in_base[:, operating_year == year] >= 50e6).mean() for year in (1, 2, 3, 9)],
    )
    assert table.attrs["base_month"] == "1404-06"
    page = _pages_text(files[0])[0]
    for column in (
        "net_payout_per_family_p50_rial", "net_payout_per_family_p90_rial",
        "net_payout_per_family_p50_real_rial", "single_run_net_payout_per_family_rial",
    ):  # fmt: skip
        for value in table[column]:
            shown = sc.plots.format_number(value / 1e6, lang, 1)
            if lang == "en":
                assert shown in page, (column, shown)
            else:  # right to left, the text read back from the PDF has the minus sign apart
                digits = shown.lstrip("-")
                assert digits in page or digits[::-1] in page, (column, shown)


def _section_text(path, title: str) -> str:
    """The text of the pages of the section titled ``title``."""
    sections = _section_pages(path)
    (start,) = [page for name, page in sections if name == title]
    end = next((page for _, page in sections if page > start), len(pypdf.PdfReader(path).pages))
    return "".join(_pages_text(path)[start:end])


@pytest.mark.parametrize("lang", LANGS)
def test_the_bank_page_shows_the_library_figures(result, reports, lang):
    from solarcoop.finance import irr_per_year, npv_rial
    from solarcoop.present import bank

    _, files, _ = reports[lang]
    words = catalog(lang)["bank"]
    page = " ".join(_section_text(files[0], words["page"]).split())
    summary = result.summary

    def shown(value: str) -> bool:
        return value in page or (lang == "fa" and value.lstrip("-")[::-1] in page)

    # the project flows the page uses are the summary's: the same real NPV
    monthly = result.monthly
    flows = (monthly["revenue_collected_rial"] - monthly["operating_costs_rial"] - monthly["tax_paid_rial"]
             - monthly["replacement_spent_rial"] - monthly["end_of_life_rial"]).to_numpy()  # fmt: skip
    capital = -summary["capital_cost_rial"]
    assert irr_per_year(np.concatenate([[capital], flows])) == pytest.approx(summary["project_irr_nominal_per_year"], rel=1e-9)
    nominal_rate = (1 + summary["discount_rate_real_per_year"]) * (1 + result.scenario.economy.inflation_per_year) - 1
    nominal = npv_rial(nominal_rate, np.concatenate([[capital], flows]))
    for value in (summary["project_npv_real_rial"], nominal):
        assert shown(report_text.format_number(value / 1e9, lang, 1)), value
    for fraction in (
        summary["project_irr_nominal_per_year"], summary["project_irr_real_per_year"],
        summary["family_share_irr_real_per_year"], summary["discount_rate_real_per_year"], nominal_rate,
    ):  # fmt: skip
        assert shown(report_text.format_number(fraction * 100, lang, 1)), fraction
    assert shown(report_text.format_number(summary["levelised_cost_real_rial_per_kwh"], lang))
    # the baseline's cooperative has no debt (pypdf reads a Persian word's joined letters in an
    # order that depends on the page's layout: the Persian check is on the first word)
    no_debt = words["no_debt"].split()
    assert all(word in page for word in (no_debt if lang == "en" else no_debt[:1]))
    steps = bank.loss_steps(result)
    assert steps["at_meter"] == pytest.approx(result.hourly_energy_kwh.sum())
    ratio = steps["at_meter"] / steps["poa_nominal"]
    assert 0.6 < ratio < 0.9 and shown(report_text.format_number(ratio * 100, lang, 1))
    year_one = result.annual.loc[1, "energy_kwh"]  # one weather year here: P50 = P90 = P99
    assert shown(report_text.format_number(year_one / 1e3, lang))
    # the cash flow by year: the annual table's sums, and the running total to the end
    cash = bank.project_cash_flow(result)
    np.testing.assert_allclose(cash.loc[1:, "revenue_collected_rial"], result.annual["revenue_collected_rial"])
    assert cash["cumulative_rial"].iloc[-1] == pytest.approx(capital + flows.sum())
    table = " ".join(_section_text(files[0], words["cash_page"]).split())
    last = report_text.format_number(cash["cumulative_rial"].iloc[-1] / 1e9, lang, 1)
    assert last in table or last[::-1] in table


def test_energy_p_values_come_from_the_spread_of_the_weather_years():
    from solarcoop.present import bank
    from solarcoop.studies.montecarlo import energy_tables

    scenario = sc.qom_baseline().with_changes({"uncertainty.weather_years": 3, "lifetime_years": 2, "loan.term_months": 12})
    result = sc.simulate(scenario)
    table, _, _ = energy_tables(scenario, result.monthly)
    years = table[:, :12].sum(axis=1)
    assert len(set(np.round(years))) == 3  # three different years
    p = bank.energy_exceedance(result)
    assert p["years"] == 3
    assert p["P50"] == pytest.approx(years.mean())
    assert p["P90"] == pytest.approx(years.mean() - 1.2815516 * years.std(ddof=1))
    assert p["P99"] == pytest.approx(years.mean() - 2.3263479 * years.std(ddof=1))
    given = sc.simulate(scenario, energy=np.full(12, 420_000.0))
    assert bank.energy_exceedance(given) == {"years": 1, "P50": 12 * 420_000.0, "P90": 12 * 420_000.0, "P99": 12 * 420_000.0}
    assert bank.loss_steps(given) is None


# ------------------------------------------------------------------ the workbook


@pytest.mark.parametrize("lang", LANGS)
def test_workbook_numbers_are_numbers_with_formats_under_frozen_headers(result, reports, lang):
    _, files, _ = reports[lang]
    book = load_workbook(files[1])
    names = catalog(lang)["sheets"]
    class_sheet = names["class"].format(name=catalog(lang)["values"]["all families"])
    statements = catalog(lang)["statements"]
    assert book.sheetnames == [
        names["summary"], names["monthly"], names["annual"], class_sheet,
        statements["income_statement"], statements["balance_sheet"], statements["cash_flow"],
        names["assumptions"], names["readings"], names["sensitivity"], names["monte_carlo"], names["debt"],
    ]  # fmt: skip
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "B3", sheet.title
        assert bool(sheet.sheet_view.rightToLeft) == (lang == "fa"), sheet.title
        numbers = 0
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, str):
                    assert not re.fullmatch(r"-?[\d.,]+(e[+-]?\d+)?", cell.value), (sheet.title, cell.coordinate)
                elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    numbers += 1
                    assert cell.number_format != "General", (sheet.title, cell.coordinate)
        assert numbers, sheet.title
        assert all(
            sheet.column_dimensions[letter].width for letter in ("A", "B")
        ), sheet.title


def test_workbook_ledger_is_the_result_rounded_to_the_rial_with_real_dates(result, reports):
    _, files, _ = reports["en"]
    sheet = load_workbook(files[1])[catalog("en")["sheets"]["monthly"]]
    headers = [cell.value for cell in sheet[1]]
    units = [cell.value for cell in sheet[2]]
    column = headers.index("paid out after the instalment, never below 0") + 1
    assert units[column - 1] == "rial"
    values = [row[0].value for row in sheet.iter_rows(min_row=3, min_col=column, max_col=column)]
    np.testing.assert_allclose(values, result.monthly["payout_per_family_rial"].round(), atol=0)
    assert all(value == int(value) for value in values)
    start = headers.index("first day") + 1
    assert isinstance(sheet.cell(3, start).value, datetime.datetime)
    assert sheet.cell(3, start).value.date() == datetime.date(2026, 3, 21)
    assert sheet.cell(3, headers.index("Jalali month") + 1).value == "Farvardin 1405"


def test_workbook_cells_hold_what_their_units_say(result, sensitivity, reports):
    _, files, _ = reports["en"]
    book = load_workbook(files[1])
    sheets = catalog("en")["sheets"]
    summary = {row[0].value: (row[1].value, row[2].value) for row in book[sheets["summary"]].iter_rows(min_row=3)}

    def shown(key):
        return summary[report_workbook.column_words(key, "en", month="Shahrivar 1404")[0]]

    value, unit = shown("payout_per_family_rial_mean_year1")
    assert unit == "million rial/month" and value == pytest.approx(result.summary["payout_per_family_rial_mean_year1"] / 1e6)
    value, unit = shown("paid_from_pocket_per_family_real_rial_total")  # a total: not per month
    assert unit == "million rial" and value == pytest.approx(result.summary["paid_from_pocket_per_family_real_rial_total"] / 1e6)
    assert shown("funding_grant_rial") == (0.0, "billion rial")  # a zero keeps the unit of its kind
    value, unit = shown("capital_cost_rial")
    assert unit == "billion rial" and value == pytest.approx(400 * 1.5)  # what the 400 shares of 1.5 bn paid
    assert shown("levelised_cost_real_rial_per_kwh")[1] == "rial/kWh"
    # the sensitivity and Monte Carlo sheets name their quantity
    metric = report_workbook.column_words("payout_per_family_rial_mean_year1", "en")[0]
    headers = [cell.value for cell in book[sheets["sensitivity"]][1]]
    assert headers[3] == f"{metric}, at the low value" and not any("payout at" in str(h) for h in headers)
    quantity = report_workbook.column_words("family_cash_flow_rial", "en")[0]
    headers = [cell.value for cell in book[sheets["monte_carlo"]][1]]
    assert headers[2:] == [f"{quantity}: {sheets[p]}" for p in ("p90", "p50", "p10")]


def test_persian_workbook_speaks_persian(reports):
    _, files, _ = reports["fa"]
    book = load_workbook(files[1])
    sheet = book[catalog("fa")["sheets"]["monthly"]]
    headers = [cell.value for cell in sheet[1]]
    assert "پرداختی پس از قسط، هرگز زیر صفر" in headers
    assert not any(SNAKE_CASE.search(str(header)) for header in headers)
    assert sheet.cell(3, headers.index("ماه شمسی") + 1).value == "فروردین ۱۴۰۵"
    assert "گروه همهٔ خانوارها" in book.sheetnames
    readings = book[catalog("fa")["sheets"]["readings"]]
    for column in "BDHI":  # question, what it says, source, why this probability
        texts = [cell.value for cell in readings[column][2:]]
        assert texts and all(re.search(r"[\u0600-\u06FF]", text) for text in texts), column


@pytest.mark.parametrize("lang", LANGS)
def test_readings_page_marks_one_central_alternative_per_fact(result, monte_carlo, sensitivity, reports, lang):
    _, files, _ = reports[lang]
    words = catalog(lang)["report"]
    sections = _section_pages(files[0])
    (start,) = [page for title, page in sections if title.startswith(words["readings_page"])]
    end = next(page for _, page in sections if page > start)
    text = "".join(_pages_text(files[0])[start:end])
    assert text.count(words["central_mark"]) == len(sc.readings().groupby("reading"))


def test_workbook_quantiles_are_p90_p50_p10_of_the_paths(monte_carlo, reports):
    _, files, _ = reports["en"]
    sheet = load_workbook(files[1])[catalog("en")["sheets"]["monte_carlo"]]
    p90 = [row[0].value for row in sheet.iter_rows(min_row=3, min_col=3, max_col=3)]
    expected = np.quantile(monte_carlo.paths["family_cash_flow_rial"], 0.1, axis=0)
    np.testing.assert_allclose(p90, np.round(expected), atol=0)



@pytest.mark.parametrize("lang", LANGS)
def test_workbook_debt_sheet_is_the_headline_figure_set(result, monte_carlo, reports, lang):
    """The family's debt sheet holds the figures page 1 says (family_debt_of), one row a
    figure, in million rial, shares as fractions and words from the catalog."""
    debt = headline_study.family_debt_of(result, monte_carlo)
    assert debt.measured and debt.chance_owes > 0
    _, files, _ = reports[lang]
    words = catalog(lang)
    sheet = load_workbook(files[1])[words["sheets"]["debt"]]
    values = [row[1].value for row in sheet.iter_rows(min_row=3, max_col=2)]
    names = list(words["sheets"]["debt_rows"])
    assert len(values) == len(names) == len(dataclasses.fields(debt)) - 1  # every figure; the base month is in the labels
    shown = dict(zip(names, values, strict=True))
    assert shown["n_paths"] == 100 and shown["chance_owes"] == pytest.approx(debt.chance_owes)
    assert shown["most_owed_p90_rial"] == pytest.approx(debt.most_owed_p90_rial / 1e6)
    assert shown["single_most_owed_real_rial"] == pytest.approx(debt.single_most_owed_real_rial / 1e6)
    assert shown["single_owes_after_loan_year"] == words["values"][str(debt.single_owes_after_loan_year).lower()]
    assert shown["single_loan_year"] == debt.single_loan_year == 7  # the 84th instalment falls in year 7


# ------------------------------------------------------------------ the family's statement


@pytest.mark.parametrize("lang", LANGS)
def test_statement_is_one_a4_page_in_plain_words(result, monte_carlo, reports, lang):
    _, _, statement = reports[lang]
    pdf = pypdf.PdfReader(statement)
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    text = pdf.pages[0].extract_text()
    assert "P90" not in text and "P50" not in text and "percentile" not in text
    table = report_headline.headline_view(result, monte_carlo)
    # in today's money: the real money month's (Shahrivar 1404, the promise's)
    usual = sc.plots.format_number(abs(table.loc[9, "net_payout_per_family_p50_real_rial"]) / 1e6, lang, 1)
    assert usual in text or usual[::-1] in text
    if lang == "en":
        flat = " ".join(text.split())
        assert "9 futures out of 10" in flat and "years out of 10" not in flat
        assert "In million rial of Shahrivar 1404" in text
        assert "Esfand 1411" in text  # the last instalment


def test_family_statement_is_a_page_the_library_returns(result):
    page = sc.report.family_statement(result)
    assert not page.landscape and len(page.sections) == 1
    assert round(float(pypdf.PdfReader(__import__("io").BytesIO(page.pdf())).pages[0].mediabox.height)) == 842


# ------------------------------------------------------------------ writing


def test_existing_files_are_not_overwritten_without_force(result, reports):
    out, files, statement = reports["en"]
    assert sorted(path.name for path in out.iterdir()) == sorted([MANIFEST, *(path.name for path in files)])
    before = {path: path.read_bytes() for path in [*files, statement]}
    with pytest.raises(ReportExistsError, match="already holds the files of an earlier run") as raised:
        write_report(result, out)
    assert isinstance(raised.value, sc.InputError) and isinstance(raised.value, FileExistsError)
    with pytest.raises(ReportExistsError, match="already holds the files of an earlier run"):
        report_statement.write_statement(result, statement.parent, lang="en")
    assert {path: path.read_bytes() for path in before} == before


def test_force_replaces_a_statement(result, tmp_path):
    first = report_statement.write_statement(result, tmp_path / "statement", lang="en")
    second = report_statement.write_statement(result, tmp_path / "statement", force=True)
    assert sorted(path.name for path in second.parent.iterdir()) == [MANIFEST, "statement_fa.pdf"]
    assert not first.exists() and second.read_bytes()[:5] == b"%PDF-"


def test_a_failing_run_leaves_the_earlier_report_as_it_was(result, reports, monkeypatch):
    out, _, _ = reports["fa"]
    before = {path.name: path.read_bytes() for path in out.iterdir()}

    def broken(*args, **kwargs):
        raise RuntimeError("chart failed")

    monkeypatch.setattr(sc.plots, "loan_balance", broken)
    with pytest.raises(RuntimeError, match="chart failed"):
        write_report(result, out, lang="fa", force=True)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert [path.name for path in out.parent.iterdir() if path.name.startswith(".")] == []


def test_a_folder_with_other_files_is_never_replaced(result, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(sc.InputError, match=r"solarcoop did not write \(notes.txt\)"):
        report_statement.write_statement(result, tmp_path, force=True)
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]


def test_the_command_line_refuses_before_computing(tmp_path, monkeypatch, capsys):
    from solarcoop import cli, engine

    def no_computing(*args, **kwargs):
        raise AssertionError("simulated although the files are there")

    for name in ("report", "statement"):
        write_folder(tmp_path / name, {f"{name}_en.pdf": lambda path: path.write_bytes(b"x")})
    monkeypatch.setattr(engine, "simulate", no_computing)
    assert cli.main(["report", "--out", str(tmp_path / "report"), "--paths", "0"]) == 2
    assert "already holds the files of an earlier run" in capsys.readouterr().err
    assert cli.main(["statement", "--out", str(tmp_path / "statement"), "--paths", "0"]) == 2
    assert "already holds the files of an earlier run" in capsys.readouterr().err


def test_statement_command_writes_one_page(tmp_path, capsys):
    from solarcoop import cli

    assert cli.main(["statement", "--out", str(tmp_path / "s"), "--paths", "0", "--lang", "en"]) == 0
    assert len(pypdf.PdfReader(tmp_path / "s" / "statement_en.pdf").pages) == 1
    assert "statement_en.pdf" in capsys.readouterr().out


def test_a_result_without_member_classes_has_no_class_sheet(result, tmp_path):
    plain = types.SimpleNamespace(
        scenario=result.scenario, monthly=result.monthly, annual=result.annual, summary=result.summary
    )
    path = report_workbook.write_workbook(plain, tmp_path / "plain.xlsx")
    assert not any(name.startswith("class") for name in load_workbook(path).sheetnames)


def test_unknown_language_and_a_file_as_folder_are_refused(result, tmp_path):
    with pytest.raises(sc.InputError, match="lang"):
        write_report(result, tmp_path, lang="de")
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    with pytest.raises(sc.InputError, match="is a file, not a folder"):
        write_report(result, not_a_folder)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["file.txt"]


def test_the_promise_sentence_and_chance_page_follow_the_scenarios_promise(result, monte_carlo):
    table = report_headline.headline_view(result, monte_carlo)
    sentences = report._headline_sentences(result, table, monte_carlo, None, "en")
    assert sentences[0].startswith("The plan promised 50 to 80 million rial a month per family")
    assert "Qom news report, September 2025" in sentences[0] and "Shahrivar 1404" in sentences[0]
    persian = report._headline_sentences(result, table, monte_carlo, None, "fa")[0]
    assert "۵۰ تا ۸۰" in persian and "خبر قم" in persian
    with_promise = contents(result, monte_carlo=monte_carlo)
    assert "Risk: the chance a month falls short of the promise, 50 million rial of Shahrivar 1404" in with_promise

    unpromised = sc.simulate(result.scenario.with_changes({"promise": None}), energy=np.full(12, 420_000.0))
    mc = sc.MonteCarloResult(unpromised.scenario, monte_carlo.months, monte_carlo.paths, seed=0)
    table = report_headline.headline_view(unpromised, mc)
    assert "chance_month_reaches_promise_net" not in table and not report_headline.shows_chance(table)
    assert not any("promised" in s for s in report._headline_sentences(unpromised, table, mc, None, "en"))
    pages = contents(unpromised, monte_carlo=mc)
    assert not any("falls short of the promise" in page for page in pages)
    # the same pages but the chance page (the appendix, one row shorter per promise field, may take a page less)
    def body(titles):
        return [title for title in titles if not title.startswith("Appendix")]

    assert body(pages) == [title for title in body(with_promise) if "falls short of the promise" not in title]
    assert list(report._charts(unpromised, "en", mc)) == [
        stem for stem in report._charts(result, "en", monte_carlo) if stem != "shortfall"
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_page_one_shows_the_headline_of_the_library(scenario, lang):
    lead = sc.headline(scenario, n_paths=250, seed=0)
    sections, _ = report._sections(lead.single_run, lang, lead.monte_carlo, None, lead, draw=False)
    shown = report_pages.Document("", lang, sections[:1]).words()
    for column in (
        "net_payout_per_family_p50_rial", "net_payout_per_family_p90_rial",
        "net_payout_per_family_p50_real_rial", "net_payout_per_family_p90_real_rial",
        "single_run_net_payout_per_family_rial",
    ):  # fmt: skip
        for value in lead.table[column]:
            assert sc.plots.format_number(value / 1e6, lang, 1) in shown, (column, value)
    assert {"en": "Shahrivar 1404", "fa": "شهریور ۱۴۰۴"}[lang] in shown  # the promise's money
    # the family's signed month: the fan and the quantile sheet use its cash flow
    assert headline_study.money_column(lead.single_run, lead.monte_carlo) == "family_cash_flow_rial"
    statement = sc.report.family_statement(lead.single_run, lead.monte_carlo, lang, headline=lead)
    words = statement.words()
    p50 = lead.table.loc[2, "net_payout_per_family_p50_real_rial"]  # the statement leads in today's money
    assert report_statement._statement_amount(p50, lang) in words


def test_a_group_of_rows_starts_a_new_page_rather_than_split():
    # some number of rows before it fills page 1 but for one row: the group of two would straddle
    rows = [[f"row {n}", "y"] for n in range(1, 60)]
    moved = []
    for filler in range(25, 60):
        document = report_pages.Document("t", "en", [report_pages.section("t", [report_pages.table(
            ["a", "b"], [*rows[:filler], report_pages.Group([["fact", "one"], ["", "two"]])], [1, 1], 12,
        )])])  # fmt: skip
        pages = [page.extract_text() for page in pypdf.PdfReader(__import__("io").BytesIO(document.pdf())).pages]
        (holding,) = [text for text in pages if "one" in text]
        assert "two" in holding and "fact" in holding, filler
        moved.append(len(pages) == 2 and pages[0].rstrip().endswith(f"row {filler} y"))
    assert any(moved)  # a page ended right before the group
    table = report_pages.table(["a", "b"], [["x", "y"], report_pages.Group([["f", "1"], ["", "2"]])], [1, 1])
    assert [(row["span"], row["spanned"]) for row in table["rows"]] == [(1, False), (2, False), (1, True)]


@pytest.mark.parametrize("lang", LANGS)
def test_every_report_page_carries_the_header_and_its_number(result, reports, lang):
    _, files, statement = reports[lang]
    name = sc.plots.scenario_name(result.scenario, lang)
    texts = _pages_text(files[0])
    for number, text in enumerate(texts, start=1):
        shown = report_text.digits(number, lang)
        lines = [line.strip() for line in text.splitlines()]
        assert shown in lines or shown[::-1] in lines, (number, lines[-3:])
        if lang == "en":
            assert name in text, number


@pytest.mark.parametrize(("price", "after"), [(10_000, 9), (6_000, 12)])
def test_with_arrears_the_report_the_statement_and_the_headline_show_the_same_years(price, after):
    # arrears are owed after the 84th instalment: the loan is over only when they are paid
    scenario = sc.disputed.apply(sc.qom_baseline(), "payout", "monthly_net")  # paid monthly, shortfalls withheld
    scenario = scenario.with_changes({"tariff.base_price_rial_per_kwh": price, "uncertainty.weather_years": 0})
    lead = sc.headline(scenario, n_paths=50, seed=0)
    years = [1, 2, 3, after]
    assert lead.table.index.tolist() == years and lead.year_after_loan == after
    for headline in (lead, None):  # given, or read from the same runs
        table = report_headline.headline_view(lead.single_run, lead.monte_carlo, headline)
        assert table.index.tolist() == years
        sections, _ = report._sections(lead.single_run, "en", lead.monte_carlo, None, headline, draw=False)
        shown = " ".join(report_pages.Document("", "en", sections[:1]).words().split())
        assert f"year {after} (" in shown and "first full year after the loan" in shown
        statement = report_statement.family_statement(lead.single_run, lead.monte_carlo, "en", headline=headline)
        words = " ".join(statement.words().split())
        assert f"year {after} (" in words and "loan repaid" in words
        pd.testing.assert_frame_equal(table.drop(columns="label"), lead.table.drop(columns="label"))


def test_the_report_counts_a_tie_with_the_single_run_half(result, monte_carlo):
    # four futures: one below the single run, one above and two equal to it
    column = "family_cash_flow_rial"
    single = result.monthly[column].to_numpy()
    paths = {column: np.stack([single, single - 1e6, single + 1e6, single])}
    mc = sc.MonteCarloResult(result.scenario, monte_carlo.months, paths, seed=0)
    annual = result.annual.copy()
    annual[f"{column}_mean"] = mc.yearly(column)[0]  # the single run is the first future
    tied = dataclasses.replace(result, annual=annual)
    table = report_headline.headline_view(tied, mc)
    assert (table["single_run_percentile"] == 50.0).all()  # 1/4 below, 2/4 tied
    assert (headline_study.headline_of(tied, mc).percentiles == 50.0).all()
    _, rows = report._headline_rows(tied, table, mc, "en")
    assert all(row[6] == "50 %" for row in rows), [row[6] for row in rows]
    assert not report_headline.shows_chance(table)  # no prices kept: no chance, and no "nan" shown


def test_page_one_names_the_sum_whose_chance_it_shows():
    """A headline run for another sum than the promise's bottom: page 1 and the statement
    name that sum beside its chances, never the promise's 50 million."""
    from solarcoop.present.headline import headline_view
    from solarcoop.present.text import chance_text

    scenario = sc.qom_baseline().with_changes({"lifetime_years": 9})
    lead = sc.headline(scenario, n_paths=300, seed=1, promise_rial=80e6)
    table = headline_view(lead.single_run, headline=lead)
    header, rows = report._headline_rows(lead.single_run, table, lead.monte_carlo, "en")
    assert header[-1] == "chance a month reaches 80 million of Shahrivar 1404"
    chances = lead.table["chance_month_reaches_promise_net"]
    assert [row[-1] for row in rows] == [chance_text(value, "en") for value in chances]
    sentences = " ".join(report._headline_sentences(lead.single_run, table, lead.monte_carlo, None, "en"))
    assert "Counting the family's money after its instalment, in money of Shahrivar 1404" in sentences
    assert "the chance that a month reaches 80 million rial" in sentences
    assert "promised 50 to 80 million" in sentences  # the band itself is the scenario's
    default = sc.headline(scenario, n_paths=300, seed=1)
    header, _ = report._headline_rows(default.single_run, headline_view(default.single_run, headline=default), default.monte_carlo, "en")
    assert header[-1] == "chance a month reaches 50 million of Shahrivar 1404"
