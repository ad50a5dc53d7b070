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
        "دریافتی خالص هر خانوار، میانگین ماهانه، سال ۱",
        "ریال",
    )


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


@pytest.mark.parametrize("lang", LANGS)
def test_wrapping_breaks_between_words_and_keeps_within_the_width(lang):
    text = {
        "en": "plant.losses.soiling.cleaning_interval_days and GuaranteedPurchaseTariff are long names",
        "fa": "فاصلهٔ شست‌وشو، ژانویه تا دسامبر [ریال/کیلووات‌ساعت] و نرخ خرید تضمینی",
    }[lang]
    lines = report_pages.wrap(text, 1.2, 9)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost
    assert all(report_pages.text_width_in(line, 9) <= 1.2 for line in lines)
    for word in text.split():  # a word that fits a line is never cut
        if report_pages.text_width_in(word, 9) <= 1.2:
            assert any(word in line.split(" ") for line in lines), word


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
    assert len(pypdf.PdfReader(files[0]).pages) == len(pages)
    assert pages[:3] == [words["headline"], words["payout_page"], words["loan_page"]]
    order = [
        words["energy_page"], words["fan_page"], words["tornado_page"], words["readings_page"],
        words["life"].split(" —")[0],
    ]  # fmt: skip
    positions = [next(i for i, page in enumerate(pages) if page.startswith(title)) for title in order]
    assert positions == sorted(positions)
    assert all(page.startswith(words["assumptions"]) for page in pages[-3:])
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
            latin = re.sub(r"P[159]0|PVWatts|solarcoop", "", text)
            assert not re.search(r"[0-9]", latin), (path.name, number, re.search(r".{20}[0-9].{20}", latin))
    title = pypdf.PdfReader(files[0]).metadata.title
    assert re.search(r"[\u0600-\u06FF]", title)


@pytest.mark.parametrize("lang", LANGS)
def test_page_one_holds_the_headline_figures_of_the_library(result, monte_carlo, reports, lang):
    _, files, _ = reports[lang]
    table = report_headline.headline_view(result, monte_carlo)
    # the library's own: P50 and P90 of the paths' yearly means, for years 1-3 and year 8
    assert list(table.index) == [1, 2, 3, 8]
    yearly = monte_carlo.yearly("family_cash_flow_rial")
    np.testing.assert_allclose(table["net_payout_per_family_p50_rial"], np.quantile(yearly[:, [0, 1, 2, 7]], 0.5, axis=0))
    np.testing.assert_allclose(table["net_payout_per_family_p90_rial"], np.quantile(yearly[:, [0, 1, 2, 7]], 0.1, axis=0))
    # a month reaches the promise in money of Shahrivar 1404, seven months before the start
    operating_year = monte_carlo.months["operating_year"].to_numpy()
    in_base = monte_carlo.paths["family_cash_flow_rial"] / monte_carlo.paths["cpi_index"] / 1.35 ** (7 / 12)
    np.testing.assert_allclose(
        table["chance_month_reaches_promise_net"],
        [(in_base[:, operating_year == year] >= 50e6).mean() for year in (1, 2, 3, 8)],
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


# ------------------------------------------------------------------ the workbook


@pytest.mark.parametrize("lang", LANGS)
def test_workbook_numbers_are_numbers_with_formats_under_frozen_headers(result, reports, lang):
    _, files, _ = reports[lang]
    book = load_workbook(files[1])
    names = catalog(lang)["sheets"]
    class_sheet = names["class"].format(name=catalog(lang)["values"]["all families"])
    assert book.sheetnames == [
        names["summary"], names["monthly"], names["annual"], class_sheet,
        names["assumptions"], names["readings"], names["sensitivity"], names["monte_carlo"],
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
    column = headers.index("net payout per family") + 1
    assert units[column - 1] == "rial"
    values = [row[0].value for row in sheet.iter_rows(min_row=3, min_col=column, max_col=column)]
    np.testing.assert_allclose(values, result.monthly["payout_per_family_rial"].round(), atol=0)
    assert all(value == int(value) for value in values)
    start = headers.index("first day") + 1
    assert isinstance(sheet.cell(3, start).value, datetime.datetime)
    assert sheet.cell(3, start).value.date() == datetime.date(2026, 3, 21)
    assert sheet.cell(3, headers.index("Jalali month") + 1).value == "Farvardin 1405"


def test_persian_workbook_speaks_persian(reports):
    _, files, _ = reports["fa"]
    book = load_workbook(files[1])
    sheet = book[catalog("fa")["sheets"]["monthly"]]
    headers = [cell.value for cell in sheet[1]]
    assert "دریافتی خالص هر خانوار" in headers
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
    pages = contents(result, lang, monte_carlo, sensitivity)
    text = "".join(
        page for title, page in zip(pages, _pages_text(files[0]), strict=True) if title.startswith(words["readings_page"])
    )
    assert text.count(words["central_mark"]) == len(sc.readings().groupby("reading"))


def test_workbook_quantiles_are_p90_p50_p10_of_the_paths(monte_carlo, reports):
    _, files, _ = reports["en"]
    sheet = load_workbook(files[1])[catalog("en")["sheets"]["monte_carlo"]]
    p90 = [row[0].value for row in sheet.iter_rows(min_row=3, min_col=3, max_col=3)]
    expected = np.quantile(monte_carlo.paths["family_cash_flow_rial"], 0.1, axis=0)
    np.testing.assert_allclose(p90, np.round(expected), atol=0)


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
    usual = sc.plots.format_number(table.loc[2, "net_payout_per_family_p50_rial"] / 1e6, lang, 1)
    assert usual in text or usual[::-1] in text
    if lang == "en":
        assert "9 years out of 10" in text
        assert "Esfand 1411" in text  # the last instalment


def test_family_statement_is_a_figure_the_library_returns(result):
    figure = sc.report.family_statement(result)
    assert tuple(figure.get_size_inches()) == pytest.approx(report_statement.STATEMENT_SIZE_IN)


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
    assert "Risk: the chance of a month below 50 million rial" in with_promise

    unpromised = sc.simulate(result.scenario.with_changes({"promise": None}), energy=np.full(12, 420_000.0))
    mc = sc.MonteCarloResult(unpromised.scenario, monte_carlo.months, monte_carlo.paths, seed=0)
    table = report_headline.headline_view(unpromised, mc)
    assert "chance_month_reaches_promise_net" not in table and not report_headline.shows_chance(table)
    assert not any("promised" in s for s in report._headline_sentences(unpromised, table, mc, None, "en"))
    pages = contents(unpromised, monte_carlo=mc)
    assert not any("chance of a month below" in page for page in pages)
    assert len(pages) == len(with_promise) - 1
    assert list(report._charts(unpromised, "en", mc)) == [
        stem for stem in report._charts(result, "en", monte_carlo) if stem != "shortfall"
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_page_one_shows_the_headline_of_the_library(scenario, lang):
    lead = sc.headline(scenario, n_paths=250, seed=0)
    pages = report._pages(lead.single_run, lang, lead.monte_carlo, None, lead)
    shown = " ".join(text.get_text() for text in pages[0][1]().texts)
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
    words = " ".join(text.get_text() for text in statement.texts)
    p50 = lead.table.loc[2, "net_payout_per_family_p50_rial"]
    assert report_statement._statement_amount(p50, lang) in words


def test_a_group_of_rows_starts_a_new_page_rather_than_split():
    header, widths = ["a", "b"], [0.5, 0.5]
    lines = int((report_pages.TABLE_TOP - report_pages.TABLE_BOTTOM) / report_pages.line_height_fraction(9)) - 2  # rows on one page
    rows = [["x", "y"]] * (lines - 1) + [report_pages.Group([["fact", "one"], ["", "two"]])]
    pages = report_pages._table_pages(header, rows, widths, 9)
    assert [len(page) for page in pages] == [lines - 1, 2]
    assert len(report_pages._table_pages(header, [["x", "y"]] * (lines + 1), widths, 9)[0]) == lines


@pytest.mark.parametrize(("price", "after"), [(8_000, 9), (6_000, 12)])
def test_with_arrears_the_report_the_statement_and_the_headline_show_the_same_years(price, after):
    # arrears are owed after the 84th instalment: the loan is over only when they are paid
    scenario = sc.qom_baseline().with_changes(
        {"tariff.base_price_rial_per_kwh": price, "loan.shortfall": "arrears", "uncertainty.weather_years": 0}
    )
    lead = sc.headline(scenario, n_paths=50, seed=0)
    years = [1, 2, 3, after]
    assert lead.table.index.tolist() == years and lead.year_after_loan == after
    for headline in (lead, None):  # given, or read from the same runs
        table = report_headline.headline_view(lead.single_run, lead.monte_carlo, headline)
        assert table.index.tolist() == years
        page = report._pages(lead.single_run, "en", lead.monte_carlo, None, headline)[0][1]()
        shown = " ".join(" ".join(text.get_text().split()) for text in page.texts)
        assert f"year {after} (" in shown and "first full year after the loan" in shown
        statement = report_statement.family_statement(lead.single_run, lead.monte_carlo, "en", headline=headline)
        words = " ".join(" ".join(text.get_text().split()) for text in statement.texts)
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
    assert header[-1] == "chance a month reaches 80 million"
    chances = lead.table["chance_month_reaches_promise_net"]
    assert [row[-1] for row in rows] == [chance_text(value, "en") for value in chances]
    sentences = " ".join(report._headline_sentences(lead.single_run, table, lead.monte_carlo, None, "en"))
    assert "at least 80 million rial after its instalment" in sentences
    assert "promised 50 to 80 million" in sentences  # the band itself is the scenario's
    default = sc.headline(scenario, n_paths=300, seed=1)
    header, _ = report._headline_rows(default.single_run, headline_view(default.single_run, headline=default), default.monte_carlo, "en")
    assert header[-1] == "chance a month reaches 50 million"
