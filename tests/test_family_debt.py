"""What a family owes in withheld instalments: one definition per path (engine.family_debt),
the single run's summary as that definition of its one path, the headline's distribution of
it (FamilyDebt) and the words every output says it with."""

from __future__ import annotations

import dataclasses
import re
import types

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solarcoop as sc
from solarcoop.economy import real_money_factor
from solarcoop.engine import family_debt
from solarcoop.present.headline import debt_lines, headline_view
from solarcoop.present.locales import catalog
from solarcoop.present.report import _headline_sentences
from solarcoop.present.statement import family_statement
from solarcoop.studies.headline import KEPT, FamilyDebt, family_debt_of
from solarcoop.studies.montecarlo import MonteCarloResult, monte_carlo

N_MONTHS = 24


def _toy_paths() -> dict[str, np.ndarray]:
    """Three paths over two years, the loan's 12 instalments of 10 due in year 1:
    A owes 30 in months 0-2; B owes 50 in months 10-13 (past the loan's year); C never owes."""
    arrears = np.zeros((3, N_MONTHS))
    arrears[0, 0:3] = 30.0
    arrears[1, 10:14] = 50.0
    instalment = np.zeros((3, N_MONTHS))
    instalment[:, :12] = 10.0
    return {"arrears_per_family_rial": arrears, "loan_instalment_per_family_rial": instalment}


def test_each_paths_debt_by_hand():
    paths = _toy_paths()
    real = 1 / 1.02 ** np.arange(N_MONTHS)  # prices up 2 % a month
    debt = family_debt(paths["arrears_per_family_rial"], paths["loan_instalment_per_family_rial"], real)
    np.testing.assert_array_equal(debt["family_arrears_max_rial"], [30.0, 50.0, 0.0])
    # the most owed in real money: each month's debt in the base month's money, the largest
    np.testing.assert_allclose(debt["family_arrears_max_real_rial"], [30.0, 50.0 / 1.02**10, 0.0], rtol=1e-15)
    np.testing.assert_array_equal(debt["months_in_arrears"], [3, 4, 0])
    np.testing.assert_array_equal(debt["arrears_cleared_month"], [3, 14, 0])
    np.testing.assert_array_equal(debt["loan_last_due_month"], [11, 11, 11])
    np.testing.assert_array_equal(debt["owes_after_loan_year"], [False, True, False])


def test_a_debt_never_cleared_and_no_loan():
    arrears = np.array([[0.0, 5.0, 0.0, 7.0], [0.0, 0.0, 0.0, 0.0]])
    debt = family_debt(arrears, np.zeros_like(arrears), 1.0)
    assert debt["arrears_cleared_month"].tolist() == [4, 0]  # owed at the end: n_months
    assert debt["loan_last_due_month"].tolist() == [-1, -1]
    assert debt["months_in_arrears"].tolist() == [2, 0]
    assert not debt["owes_after_loan_year"].any()  # no loan: no year after it


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e9), min_size=1, max_size=40))
def test_the_months_owing_fit_before_the_month_cleared(values):
    arrears = np.array(values)
    debt = family_debt(arrears, np.full(arrears.shape, 1e6), 1.0)
    months, cleared = int(debt["months_in_arrears"]), int(debt["arrears_cleared_month"])
    assert 0 <= months <= cleared <= arrears.size
    assert (months > 0) == (float(debt["family_arrears_max_rial"]) > 0.5)
    assert float(debt["family_arrears_max_rial"]) == arrears.max()


def _toy_monte_carlo() -> MonteCarloResult:
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 2})
    months = sc.simulate(scenario).monthly[["label", "operating_year"]]
    cpi = np.ones((3, N_MONTHS))
    return MonteCarloResult(scenario=scenario, months=months, paths={**_toy_paths(), "cpi_index": cpi}, seed=0)


def _toy_single(run: MonteCarloResult, path: int) -> types.SimpleNamespace:
    """A single run whose summary is ``family_debt`` of the toy's path ``path``."""
    toy = _toy_paths()
    debt = run.family_debt().loc[path]
    labels = run.months["label"].to_numpy()
    summary = pd.Series({
        "family_arrears_max_rial": debt["family_arrears_max_rial"],
        "family_arrears_max_real_rial": debt["family_arrears_max_real_rial"],
        "months_in_arrears": debt["months_in_arrears"],
        "arrears_cleared_label": labels[int(debt["arrears_cleared_month"])],
        "family_owes_after_loan_year": debt["owes_after_loan_year"],
    })  # fmt: skip
    monthly = pd.DataFrame({
        "loan_instalment_per_family_rial": toy["loan_instalment_per_family_rial"][path],
        "operating_year": run.months["operating_year"].to_numpy(),
    })  # fmt: skip
    return types.SimpleNamespace(scenario=run.scenario, summary=summary, monthly=monthly)


def test_the_headlines_distribution_of_three_paths_by_hand():
    run = _toy_monte_carlo()
    paths = run.family_debt()
    assert paths["family_arrears_max_rial"].tolist() == [30.0, 50.0, 0.0]
    debt = family_debt_of(_toy_single(run, 0), run)
    assert debt.n_paths == 3 and debt.measured and not debt.none_owed
    assert debt.chance_owes == pytest.approx(2 / 3)
    assert debt.chance_owes_after_loan_year == pytest.approx(1 / 3)
    # sorted most owed 0, 30, 50: the median 30; the 0.9 quantile 30 + 0.8 x 20 = 46 (the bad case, more owed)
    assert debt.most_owed_p50_rial == 30.0
    assert debt.most_owed_p90_rial == pytest.approx(46.0)
    # months owing 0, 3, 4: 3 and 3 + 0.8 x 1
    assert (debt.months_owing_p50, debt.months_owing_p90) == (3.0, pytest.approx(3.8))
    # the single run (path A, 30) above one path, equal to one (counted half), below one: 50 %
    assert debt.single_percentile == 50.0
    assert debt.single_most_owed_rial == 30.0 and debt.single_months_owing == 3
    assert debt.single_cleared_label == run.months["label"].iloc[3] and debt.single_loan_year == 1
    assert family_debt_of(_toy_single(run, 1), run).single_percentile == pytest.approx(100 * 5 / 6)


def test_the_debt_needs_its_lines_for_every_path():
    run = _toy_monte_carlo()
    without = dataclasses.replace(run, paths={k: v for k, v in run.paths.items() if k != "cpi_index"})
    with pytest.raises(sc.InputError, match="cpi_index"):
        without.family_debt()
    assert not family_debt_of(_toy_single(run, 0), without).measured  # the figure set says it was not measured
    short = sc.qom_baseline().with_changes({"lifetime_years": 2})
    streamed = monte_carlo(short, n_paths=250, kept=KEPT, keep_paths=False)
    with pytest.raises(sc.InputError, match="streamed"):
        streamed.family_debt()


def test_the_single_runs_summary_is_its_paths_debt():
    result = sc.simulate(sc.qom_baseline())
    monthly, summary = result.monthly, result.summary
    scenario = result.scenario
    real = real_money_factor(scenario.economy, monthly, monthly["cpi_index"].to_numpy(), scenario.real_money_month)
    debt = family_debt(
        monthly["arrears_per_family_rial"].to_numpy(), monthly["loan_instalment_per_family_rial"].to_numpy(), real
    )
    assert summary["family_arrears_max_rial"] == float(debt["family_arrears_max_rial"])
    assert summary["months_in_arrears"] == int(debt["months_in_arrears"]) == 61
    assert summary["arrears_cleared_label"] == monthly["label"].iloc[int(debt["arrears_cleared_month"])] == "1412-01"
    assert summary["family_arrears_max_real_rial"] == float(debt["family_arrears_max_real_rial"])
    assert summary["family_owes_after_loan_year"] is False


def test_every_path_of_a_certain_run_owes_what_the_single_run_owes():
    scenario = sc.qom_baseline().with_changes({"uncertainty": sc.NO_UNCERTAINTY, "lifetime_years": 9})
    single = sc.simulate(scenario).summary
    paths = monte_carlo(scenario, n_paths=3, seed=0, kept=KEPT, keep_paths=True).family_debt()
    assert (paths["months_in_arrears"] == single["months_in_arrears"]).all()
    np.testing.assert_allclose(paths["family_arrears_max_rial"], single["family_arrears_max_rial"], rtol=1e-9)
    np.testing.assert_allclose(paths["family_arrears_max_real_rial"], single["family_arrears_max_real_rial"], rtol=1e-9)
    assert (paths["owes_after_loan_year"] == single["family_owes_after_loan_year"]).all()


@pytest.fixture(scope="module")
def baseline_debt():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 9})
    return sc.headline(scenario, n_paths=250, seed=3)


def test_same_seed_same_debt_and_the_bad_case_owes_more(baseline_debt):
    debt = baseline_debt.debt
    again = sc.headline(baseline_debt.single_run.scenario, n_paths=250, seed=3).debt
    assert dataclasses.asdict(again) == dataclasses.asdict(debt)
    assert debt.most_owed_p90_rial >= debt.most_owed_p50_rial > 0
    assert debt.most_owed_p90_real_rial >= debt.most_owed_p50_real_rial > 0
    assert debt.months_owing_p90 >= debt.months_owing_p50
    assert 0 < debt.chance_owes < 1  # the lender debits some futures' families instead
    assert debt.single_most_owed_rial == baseline_debt.single_run.summary["family_arrears_max_rial"]
    paths = baseline_debt.monte_carlo.family_debt()
    assert debt.chance_owes == (paths["months_in_arrears"] > 0).mean()


def _never_withheld(lifetime_years: int = 9) -> sc.Scenario:
    base = sc.qom_baseline()
    readings = tuple(name for name in base.uncertainty.readings if name != "payout")
    return base.with_changes(
        {"lifetime_years": lifetime_years, "loan.shortfall": "debited", "uncertainty.readings": readings}
    )


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_scenario_with_no_debt_says_so(lang):
    lead = sc.headline(_never_withheld(), n_paths=250, seed=0)
    debt = lead.debt
    assert debt.measured and debt.none_owed and debt.chance_owes == 0 and debt.most_owed_p90_rial == 0
    words = catalog(lang)
    lines = debt_lines(debt, "jalali", lang)
    assert lines == [words["headline_text"]["debt_none"].format(n=sc.present.text.format_count(250, lang))]
    assert lines[0] in lead.to_text(lang)
    table = headline_view(lead.single_run, lead.monte_carlo, lead)
    loan = _headline_sentences(lead.single_run, table, lead.monte_carlo, None, lang)[-1]
    assert loan.endswith(" " + words["report"]["loan_debt_none"].format(n_paths=sc.present.text.format_count(250, lang)))
    page = family_statement(lead.single_run, lead.monte_carlo, lang, lead).words()
    assert words["statement"]["pocket_debt_none"] in page


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_outputs_say_the_figure_set(baseline_debt, lang):
    debt = baseline_debt.debt
    shown = "\n".join(debt_lines(debt, "jalali", lang))
    for value in (debt.most_owed_p50_rial, debt.most_owed_p90_rial, debt.most_owed_p50_real_rial):
        assert sc.present.text.money_million(value, lang) in shown
    assert sc.present.text.format_percent(debt.chance_owes, lang, 1) in shown
    table = headline_view(baseline_debt.single_run, baseline_debt.monte_carlo, baseline_debt)
    loan = _headline_sentences(baseline_debt.single_run, table, baseline_debt.monte_carlo, None, lang)[-1]
    assert sc.present.text.money_million(debt.most_owed_p90_rial, lang) in loan
    assert sc.present.text.format_number(debt.single_percentile, lang, 0) in loan
    page = family_statement(baseline_debt.single_run, baseline_debt.monte_carlo, lang, baseline_debt).words()
    assert sc.present.text.money_million(debt.most_owed_p90_rial, lang) in page


def test_the_debts_words_are_in_both_catalogs():
    needed = {
        "headline_text": ("debt_title", "debt_owes", "debt_most", "debt_months", "debt_single",
                          "debt_single_none", "debt_p90", "debt_none"),
        "report": ("loan_debt_spread", "loan_debt_single", "loan_debt_none"),
        "statement": ("pocket_debt_spread", "pocket_debt_none"),
    }  # fmt: skip
    for lang in ("en", "fa"):
        words = catalog(lang)
        for table, keys in needed.items():
            for key in keys:
                assert words[table][key].strip(), (lang, table, key)
        assert words["app"]["headline"]["debt"] and words["app"]["headline"]["debt_none"]
        # the Persian words carry no Latin digits of their own
        if lang == "fa":
            for table, key in (("report", "loan_debt_spread"), ("statement", "pocket_debt_spread"), ("headline_text", "debt_p90")):
                own = re.sub(r"\{[^}]*\}|P50|P90", "", words[table][key])
                assert not any(ch.isascii() and ch.isdigit() for ch in own), (table, key)
    assert FamilyDebt.__dataclass_fields__.keys() >= {"chance_owes", "most_owed_p90_rial", "single_percentile"}


def test_a_cooperative_that_is_not_qom_carries_its_own_debt():
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "examples" / "scenarios" / "kerman.toml"
    scenario = sc.load_scenario(path)
    assert (scenario.site.latitude, scenario.site.longitude, scenario.site.altitude_m) == (30.28, 57.08, 1750)
    assert scenario.plant.capacity_kwp == 1500 and scenario.cooperative.families == 300
    assert scenario.promise.band_rial == (40e6, 40e6) and scenario.real_money_month == "1405-01"
    lead = sc.headline(scenario.with_changes({"lifetime_years": 9}), n_paths=250, seed=0)
    debt = lead.debt
    assert debt.base_month == "1405-01" and debt.single_months_owing > 0
    # the debt is the family's own: 300 families of a 1.5 MW plant each owe more than Qom's 400 of 3 MW
    qom = sc.simulate(sc.qom_baseline().with_changes({"lifetime_years": 9})).summary
    assert debt.single_most_owed_rial > qom["family_arrears_max_rial"]
    assert debt.most_owed_p90_rial >= debt.most_owed_p50_rial > 0
