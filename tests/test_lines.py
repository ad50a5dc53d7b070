"""Every monthly line is declared once, in solarcoop.lines, and the outputs follow it."""

import ast
import re
from pathlib import Path

import numpy as np
import pytest

import solarcoop as sc
from solarcoop import lines
from solarcoop.present.locales import LANGUAGES, catalog

SUFFIX_UNITS = {"_kwh": "kWh", "_rial_per_kwh": "rial/kWh", "_rial": "rial", "_index": "-", "_ratio": "-"}


def test_the_single_run_has_the_declared_lines_in_their_order(baseline_result):
    assert tuple(baseline_result.monthly.columns) == lines.MONTHLY
    assert list(baseline_result.by_class.columns[5:]) == [*lines.CLASS_LINES, "distribution_per_family_real_rial"]


def test_the_annual_table_reads_its_lines(baseline_result):
    annual = baseline_result.annual
    assert list(annual.columns[1 : 1 + len(lines.ANNUAL_SUMS)]) == list(lines.ANNUAL_SUMS)
    assert [c for c in annual.columns if c.endswith("_end")] == [f"{name}_end" for name in lines.ANNUAL_ENDS]
    means = [c[: -len("_mean")] for c in annual.columns if c.endswith("_mean") and c != "price_rial_per_kwh_mean"]
    assert means == list(lines.ANNUAL_STATISTICS)


@pytest.mark.parametrize("line", [line for line in lines.LINES.values() if line.kind != "month"], ids=str)
def test_the_unit_of_a_line_is_the_end_of_its_name(line):
    suffix = next(s for s in sorted(SUFFIX_UNITS, key=len, reverse=True) if line.name.endswith(s))
    assert line.unit == SUFFIX_UNITS[suffix]
    assert line.meaning.endswith(".") and line.meaning[0].isupper()


def test_the_books_return_every_ledger_line_month_by_month():
    from solarcoop.calendar import accounting_months
    from solarcoop.engine import money_paths

    scenario = sc.qom_baseline().with_changes({"lifetime_years": 2})
    months = accounting_months(scenario.start_date, 24, scenario.calendar)
    energy = np.full(24, 4e5)
    booked = money_paths(scenario, months, energy, energy, np.ones(24), np.ones(24), by_class=True)
    assert set(booked) >= set(lines.LEDGER_LINES)
    # one value a month; a class_ line one row per member class; what is owed, once
    for name in lines.LEDGER_LINES:
        shape = () if name == lines.REVENUE_OWED_AT_END.name else (1, 24) if name.startswith("class_") else (24,)
        assert np.shape(booked[name]) == shape, name


def test_a_selection_of_undeclared_lines_is_refused():
    with pytest.raises(ValueError, match="declared lines"):
        lines.check_selection({"KEPT": ("energy_kwh", "energy_kwh")})
    with pytest.raises(ValueError, match="declared lines"):
        lines.check_selection({"KEPT": ("payout_per_cat_rial",)})
    with pytest.raises(ValueError, match="kind"):
        lines.Line("x_rial", "cash", "books", "X.")


# ------------------------------------------------------------------ selections and catalogs

LINE_NAME = re.compile(r"[a-z][a-z0-9_]*_(rial|kwh|rial_per_kwh|index|ratio)")
ROOT = Path(lines.__file__).resolve().parent
READ_BY_NAME = [*sorted((ROOT / "present").glob("*.py")), ROOT / "studies" / "headline.py", ROOT / "studies" / "options.py"]
"""The modules that show or study lines by name: every name of a line they use is declared."""

HEADLINE_COLUMNS = {
    "net_payout_per_family_p50_rial", "net_payout_per_family_p90_rial", "net_payout_per_family_p50_real_rial",
    "net_payout_per_family_p90_real_rial", "single_run_net_payout_per_family_rial",
}  # fmt: skip
NOT_LINES = {
    *HEADLINE_COLUMNS,
    "p50_all_drawn_real_rial", "promise_rial",  # what reading_effects' table holds beside its years
    "actual_per_family_rial", "plan_per_family_rial", "gap_per_family_rial", "promise_low_rial",  # a tracking's explanation
    "distribution_per_family_cumulative_rial",  # a tracking's running total of a line
    "share_price_rial", "loan_principal_rial",  # the scenario's inputs an options table shows
    "billion_rial", "million_rial", "real_rial",  # a catalog's unit words; the end of a real twin's name
    "project_cash_flow_rial", "cumulative_rial", "replacement_and_end_rial",  # the bank's cash-flow table
    "capital_cost_rial", "project_npv_real_rial", "levelised_cost_real_rial_per_kwh",  # summary figures
    "performance_ratio", "rial_per_kwh",  # words of the bank's page in the catalog
    "cash_balance_min_rial", "family_arrears_max_rial",  # figures of Result.summary the outputs show
    "family_arrears_max_real_rial",  # the most a family owes in real money: a summary and per-path figure
    "single_most_owed_rial", "single_most_owed_real_rial",  # the family's debt in the headline (FamilyDebt)
    # a programme's result (solarcoop.programme) and the programme report's figures of a year
    "paid_to_families_rial", "paid_to_families_plan_p50_rial", "paid_to_families_plan_p10_rial",
    "paid_to_families_actual_rial", "paid_p50_rial", "paid_p90_rial", "paid_real_p50_rial", "paid_real_p90_rial",
    "per_family_p50_rial", "all_drawn_p50_rial",
}  # fmt: skip
"""Names that end like a line but are no monthly line: tables and inputs built beside the lines."""


def _declared(name: str) -> bool:
    """A declared line or its real twin (in real money: the scenario's real money month)."""
    return name in lines.LINES or name.replace("_real_rial", "_rial") in lines.LINES


def test_every_line_named_in_presentation_and_studies_is_declared():
    unknown = set()
    for path in READ_BY_NAME:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and LINE_NAME.fullmatch(node.value):
                if not _declared(node.value) and node.value not in NOT_LINES:
                    unknown.add(f"{path.relative_to(ROOT)}: {node.value}")
    assert not unknown, sorted(unknown)
    assert not any(_declared(name) for name in NOT_LINES)


def test_the_selections_of_lines_are_declared_lines(baseline_result):
    from solarcoop.present import plots
    from solarcoop.studies import headline, options

    deductions = [column for column, _ in plots.WATERFALL_DEDUCTIONS]
    assert all(name in lines.LINES for name in deductions) and set(plots.WATERFALL_ALWAYS) <= set(deductions)
    assert set(lines.BOOK_LINES) >= set(deductions) - {"operating_costs_rial"}
    for selection in (headline.KEPT, (headline.FAMILY_MONEY, headline.FLOORED_PAYOUT), tuple(headline.PROMISE_COUNTS.values()), options.KEPT):
        lines.check_selection({"selection": selection})
    assert set(headline.PROMISE_COUNTS.values()) <= set(headline.KEPT) and "cpi_index" in headline.KEPT
    assert HEADLINE_COLUMNS <= set(headline.headline_of(baseline_result).table.columns)


def _kind_units(lang: str) -> dict[str, str]:
    """The unit a catalog writes for each kind of line."""
    units = catalog(lang)["units"]
    return {"energy": units["kwh"], "price": f"{units['rial']}/{units['kwh']}", "money": units["rial"], "index": "", "ratio": ""}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_line_has_its_words_and_unit_in_the_catalog(lang, baseline_result):
    columns, kind_units = catalog(lang)["columns"], _kind_units(lang)
    assert not [name for name in lines.LINES if name not in columns]
    for name, line in lines.LINES.items():
        header, unit = columns[name]
        assert header, (lang, name)
        if line.kind in kind_units:
            assert unit == kind_units[line.kind], (lang, name, unit)
    # an entry is a line, a line's real twin, or a column of the run's other tables
    others = {*baseline_result.summary.index, *baseline_result.annual.columns, *baseline_result.by_class.columns,
              *baseline_result.class_summary.columns}  # fmt: skip
    assert not [name for name in columns if not _declared(name) and name not in others]


SPANS = re.compile(r"(?P<line>.+?)(_mean)?_(year\d+|next12|rest_of_life)")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_charts_and_tracking_name_only_declared_lines(lang, baseline_result):
    metrics, rows = catalog(lang)["charts"]["metrics"], catalog(lang)["tracking"]["rows"]
    for name in metrics:
        span = SPANS.fullmatch(name)
        assert _declared(name) or (span and _declared(span["line"])) or name in baseline_result.summary.index, name
    for name in rows:
        span = SPANS.fullmatch(name)
        assert (span and _declared(span["line"])) or name.startswith("chance_"), name
