"""Every monthly line is declared once, in solarcoop.lines, and the outputs follow it."""

import numpy as np
import pytest

import solarcoop as sc
from solarcoop import lines

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


def test_the_books_return_the_ledger_lines_in_order():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 2})
    months = sc.calendar.accounting_months(scenario.start_date, 24, scenario.calendar)
    energy = np.full(24, 4e5)
    booked = sc.engine.money_paths(scenario, months, energy, energy, np.ones(24), np.ones(24), by_class=True)
    assert [name for name in booked if name in lines.LEDGER_LINES] == list(lines.LEDGER_LINES)


def test_a_selection_of_undeclared_lines_is_refused():
    with pytest.raises(ValueError, match="declared lines"):
        lines._check({"KEPT": ("energy_kwh", "energy_kwh")})
    with pytest.raises(ValueError, match="declared lines"):
        lines._check({"KEPT": ("payout_per_cat_rial",)})
    with pytest.raises(ValueError, match="kind"):
        lines.Line("x_rial", "cash", "books", "X.")


def test_the_ledger_returns_the_declared_ledger_lines():
    from solarcoop.books import ledger

    assert ledger.BOOK_LINES is lines.BOOK_LINES
    assert lines.BOOK_LINES[0] == "interest_earned_rial" and lines.BOOK_LINES[-1] == "end_of_life_rial"
    assert set(lines.BOOK_LINES) <= set(lines.LEDGER_LINES)
