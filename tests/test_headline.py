"""The headline: P50 and P90 by year, in real money, the chance of the promise, where the single run sits."""

import dataclasses

import numpy as np
import pytest

import solarcoop as sc
from solarcoop.present.locales import catalog
from solarcoop.present.text import digits, money_million
from solarcoop.studies.headline import first_year_after_loan, headline_of, percentile_among


@pytest.fixture(scope="module")
def short():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 9})
    return scenario, sc.headline(scenario, n_paths=500, seed=5)


def test_the_headline_p50_and_p90_are_the_monte_carlos(short):
    scenario, lead = short
    run = sc.monte_carlo(scenario, n_paths=500, seed=5, kept=("family_cash_flow_rial",))
    # the loan's 84 months end with year 7; the instalments withheld in year 1 are cleared in year 8
    assert lead.table.index.tolist() == [1, 2, 3, 9]
    for year in lead.table.index:
        for p in (50, 90):
            expected = run.exceedance(f"family_cash_flow_rial_mean_year{year}", p / 100)
            assert lead.table.loc[year, f"net_payout_per_family_p{p}_rial"] == expected
    assert (lead.n_paths, lead.seed, lead.base_month) == (500, 5, "1404-06")


def test_real_money_is_of_the_base_month(short):
    scenario, lead = short
    # Shahrivar 1404 is seven months before Farvardin 1405, when prices were 1.35 ** (7 / 12) lower
    run = lead.monte_carlo
    by_hand = run.paths["family_cash_flow_rial"] / run.paths["cpi_index"] / 1.35 ** (7 / 12)
    assert run.paths["family_cash_flow_real_rial"] == pytest.approx(by_hand, rel=1e-12)
    yearly = by_hand[:, 24:36].mean(axis=1)
    assert lead.table.loc[3, "net_payout_per_family_p50_real_rial"] == pytest.approx(np.quantile(yearly, 0.5))
    assert lead.single_run.summary["real_base_month_label"] == "1404-06"
    later = sc.headline(scenario, n_paths=250, seed=5, base_month="1406-01")
    run = later.monte_carlo
    cpi = run.paths["cpi_index"][:, 12]
    yearly = (run.paths["family_cash_flow_rial"] / run.paths["cpi_index"] * cpi[:, None])[:, 24:36].mean(axis=1)
    assert later.table.loc[3, "net_payout_per_family_p50_real_rial"] == pytest.approx(np.quantile(yearly, 0.5))
    assert later.single_run.summary["real_base_month_label"] == "1406-01"
    with pytest.raises(sc.InputError, match="real_money_of"):
        sc.headline(scenario, n_paths=250, base_month="Shahrivar")
    with pytest.raises(sc.InputError, match="base_month"):
        headline_of(lead.single_run, lead.monte_carlo, base_month="1406-01")


def test_the_chance_of_the_promise_is_counted_under_each_reading(short):
    scenario, lead = short
    run = lead.monte_carlo
    year2 = run.months["operating_year"].to_numpy() == 2
    # in money of Shahrivar 1404, the promise's: prices were 1.35 ** (7 / 12) lower than at the start
    to_base = 1 / 1.35 ** (7 / 12) / run.paths["cpi_index"][:, year2]
    net = (run.paths["family_cash_flow_rial"][:, year2] * to_base >= 50e6).mean()
    gross = (run.paths["distribution_per_family_rial"][:, year2] * to_base >= 50e6).mean()
    sales = (run.paths["revenue_billed_rial"][:, year2] * to_base / 400 >= 50e6).mean()
    assert lead.table.loc[2, "chance_month_reaches_promise_net"] == pytest.approx(net)
    assert lead.table.loc[2, "chance_month_reaches_promise_distribution"] == pytest.approx(gross)
    assert lead.table.loc[2, "chance_month_reaches_promise_sales"] == pytest.approx(sales)
    # the distribution before the instalment; on the paths paid quarterly a payout month holds three
    # months' distribution, so it may reach the promise more often than a month's sales
    assert gross >= net
    none = sc.headline(scenario, n_paths=250, promise_rial=None)
    assert not any(column.startswith("chance") for column in none.table.columns)


def test_the_single_runs_percentile_is_counted_among_the_paths(short):
    _, lead = short
    yearly = lead.monte_carlo.yearly("family_cash_flow_rial")
    single = lead.single_run.annual["family_cash_flow_rial_mean"].to_numpy()
    for year in (1, 2, 5):
        below = (yearly[:, year - 1] < single[year - 1]).mean()
        ties = (yearly[:, year - 1] == single[year - 1]).mean()
        assert lead.percentiles.loc[year] == pytest.approx(100 * (below + ties / 2))
    assert lead.table.loc[2, "single_run_percentile"] == lead.percentiles.loc[2]


def test_the_text_leads_with_the_distribution_in_both_languages(short):
    _, lead = short
    english, persian = lead.to_text("en"), lead.to_text("fa")
    assert "P50 / P90 nominal" in english and "in money of Shahrivar 1404" in english
    assert "۱۴۰۵-۰۱" in persian and "به پول شهریور ۱۴۰۴" in persian and "پس از قسط" in persian
    # numbers in Persian digits, separators and percent sign; the labels P50 / P90 as written
    assert "P50 / P90" in persian and "P۵۰" not in persian
    assert "٪" in persian and "%" not in persian
    assert lead.scenario_name in persian
    assert "۵۰۰ آینده" in persian  # the 500 paths
    thousands = dataclasses.replace(lead, n_paths=2_000)
    assert "۲٬۰۰۰ آینده" in thousands.to_text("fa") and "2,000 futures" in thousands.to_text("en")
    with pytest.raises(sc.InputError, match="lang"):
        lead.to_text("de")


def test_first_year_after_the_loan():
    debited = sc.disputed.apply(sc.qom_baseline().with_changes({"lifetime_years": 9}), "payout", "monthly_debited")
    assert first_year_after_loan(sc.simulate(debited)) == 8
    # withheld instalments (the central practice) are owed until later payouts clear them
    assert first_year_after_loan(sc.simulate(sc.qom_baseline().with_changes({"lifetime_years": 9}))) == 9
    assert first_year_after_loan(sc.simulate(sc.qom_baseline().with_changes({"lifetime_years": 7}))) is None


def test_given_energy_runs_on_every_path():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 3})
    energy = np.full(12, 420_000.0)
    lead = sc.headline(scenario, n_paths=250, energy=energy)
    assert lead.single_run.annual.loc[1, "energy_kwh"] == pytest.approx(12 * 420_000, rel=1e-12)  # no degradation in year 1
    paths = sc.monte_carlo(scenario, n_paths=250, energy=energy, kept=("energy_kwh",)).paths["energy_kwh"]
    year_one_kwh = paths[:, :12].sum(axis=1)  # the given year, times each path's drawn energy factor
    assert np.median(year_one_kwh) == pytest.approx(12 * 420_000, rel=0.03)
    assert np.isfinite(lead.monte_carlo.paths["family_cash_flow_rial"]).all()


def test_reading_effects_fix_one_fact_at_a_time():
    # a life of 5 years holds the 60-month loan of the debt reading (a shorter life would
    # have to repay it within the life, the harshest reading then)
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 5})
    table = sc.reading_effects(scenario, n_paths=250, seed=1, years=(2,))
    everything = table.attrs["p50_all_drawn_real_rial"][2]
    run = sc.headline(scenario, n_paths=250, seed=1, years=(2,))
    assert everything == pytest.approx(run.table.loc[2, "net_payout_per_family_p50_real_rial"])
    # one row per alternative of every reading, and the two joint rows
    assert len(table) == sum(len(r.alternatives) for r in sc.disputed.READINGS) + 2
    np.testing.assert_allclose(table["change_year2_real_rial"], table["p50_year2_real_rial"] - everything)
    np.testing.assert_allclose(table["gap_share_year2"], table["change_year2_real_rial"] / (50e6 - everything))
    low = table.set_index(["reading", "alternative"]).loc[("tariff_level", "hamedan_30000"), "p50_year2_real_rial"]
    high = table.set_index(["reading", "alternative"]).loc[("tariff_level", "isfahan_45800"), "p50_year2_real_rial"]
    assert low < everything < high
    joint = table[table["reading"] == "all"].set_index("alternative")["p50_year2_real_rial"]
    facts = table[table["reading"] != "all"]["p50_year2_real_rial"]
    assert joint["least_favourable"] <= facts.min() and joint["most_favourable"] >= facts.max()


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_reading_effects_chart(lang):
    import matplotlib.pyplot as plt

    scenario = sc.qom_baseline().with_changes({"lifetime_years": 2})
    table = sc.reading_effects(scenario, n_paths=250, years=(2,))
    ax = sc.plots.reading_effects(table, 2, lang=lang)
    titles = [label.get_text() for label in ax.get_yticklabels()]
    assert len(titles) == len(sc.disputed.READINGS)
    assert titles[-1] == catalog(lang)["readings"][table["reading"].iloc[0]]  # widest on top
    plt.close(ax.figure)
    with pytest.raises(sc.InputError, match="year = 5"):
        sc.plots.reading_effects(table, 5)


def test_a_headline_of_the_single_run_alone(short):
    _, lead = short
    single_only = headline_of(lead.single_run)
    assert single_only.table.index.tolist() == [1, 2, 3, 9] and single_only.n_paths == 0
    assert single_only.table["net_payout_per_family_p50_rial"].isna().all()
    np.testing.assert_array_equal(
        single_only.table["single_run_net_payout_per_family_rial"], lead.table["single_run_net_payout_per_family_rial"]
    )


def test_without_a_monte_carlo_the_text_shows_only_the_single_run(short):
    _, lead = short
    single_only = headline_of(lead.single_run)
    for lang in ("en", "fa"):
        text, words = single_only.to_text(lang), catalog(lang)["headline_text"]
        assert "nan" not in text.lower() and "P50" not in text and "P90" not in text
        assert words["single_only"] in text and words["single_header"] in text and words["single_note"] in text
        assert text.count("\n") == 3 + len(single_only.table)  # title, note, header, one row a year, note
    english = single_only.to_text("en").splitlines()
    assert english[0] == lead.to_text("en").splitlines()[0]
    year_one = lead.table.loc[1, "single_run_net_payout_per_family_rial"]
    assert english[3].split() == ["1", lead.table.loc[1, "label"], money_million(year_one, "en", 1), "M"]
    persian = single_only.to_text("fa").splitlines()[3]
    assert persian.split()[:3] == ["۱", digits(lead.table.loc[1, "label"], "fa"), money_million(year_one, "fa", 1)]


@pytest.mark.parametrize(("price", "after"), [(10_000, 9), (6_000, 12)])
def test_with_arrears_the_loan_ends_when_the_arrears_are_paid(price, after):
    scenario = sc.disputed.apply(sc.qom_baseline(), "payout", "monthly_net")  # paid monthly, shortfalls withheld
    scenario = scenario.with_changes({"tariff.base_price_rial_per_kwh": price})
    monthly = sc.simulate(scenario).monthly
    assert monthly.loc[83, "loan_balance_per_family_rial"] < 0.5  # the 84th instalment was due
    assert monthly.loc[83, "arrears_per_family_rial"] > 0.5  # but not all were paid
    owed = (monthly["arrears_per_family_rial"] > 0.5).to_numpy()
    free = int(np.flatnonzero(owed)[-1]) + 2  # the month after the one that clears them
    first_full_year = free // 12 + 1 if free % 12 == 0 else free // 12 + 2
    assert first_year_after_loan(sc.simulate(scenario)) == after == first_full_year


def test_a_tie_with_the_single_run_counts_half():
    values = np.array([[1.0, 5.0], [2.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    np.testing.assert_array_equal(percentile_among(values, np.array([2.0, 5.0])), [50.0, 50.0])
    np.testing.assert_array_equal(percentile_among(values, np.array([2.5, 6.0])), [75.0, 100.0])
