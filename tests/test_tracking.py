"""Actual months against the plan: reading them, calibrating to them, forecasting from them."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import solarcoop as sc
from solarcoop.actuals import load_actuals
from solarcoop.engine import book_paths
from solarcoop.payment import Payment, collect
from solarcoop.studies import tracking

N_PAST = 18


@pytest.fixture(scope="module")
def scenario():
    # the plan pays every bill in cash (bare terms), as the actuals below are described
    # against; its euro window ends at the energy month, so that a path's price does not
    # depend on its delay (the forecast carries the plan's prices and draws its own delay)
    return sc.qom_baseline().with_changes(
        {"lifetime_years": 5, "payment": sc.Payment(), "tariff.euro_window_end": "energy_month"}
    )


@pytest.fixture(scope="module")
def changed_actuals(scenario):
    """Actuals from the plan's own engine with known changes: energy x 0.93 with 2 % monthly
    noise, bills paid 5 months late (plan: 2), 60 % in cash (plan: all), the rest never."""
    plan = sc.simulate(scenario).monthly.iloc[:N_PAST]
    noise = 1 + 0.02 * np.random.default_rng(5).standard_normal(N_PAST)
    energy = 0.93 * noise * plan["energy_kwh"].to_numpy()
    billed = energy * plan["price_rial_per_kwh"].to_numpy()  # no time of use in the baseline
    collected, _ = collect(billed, Payment(billing_months=2, delay_months=5, cash_share=0.6))
    return pd.DataFrame(
        {
            "month": plan["label"],
            "energy_kwh": energy,
            "billed_rial": billed,
            "collected_rial": collected,
            "distributed_rial": np.full(N_PAST, 4e9),
        }
    )


@pytest.fixture(scope="module")
def changed(scenario, changed_actuals):
    return tracking.track(scenario, changed_actuals, n_paths=60, seed=2)


def test_calibration_recovers_the_known_changes(changed):
    calibration = changed.calibration
    energy = calibration.loc["energy_factor"]
    # the stated standard error covers the truth (3 sigma) and is small with 18 months
    assert abs(energy["estimate"] - 0.93) <= 3 * energy["standard_error"]
    assert 0 < energy["standard_error"] < 0.01
    assert calibration.loc["delay_months", "estimate"] == 5
    assert calibration.loc["delay_months", ["low", "high"]].tolist() == [5, 5]
    assert calibration.loc["cash_share", "estimate"] == pytest.approx(0.6, abs=1e-9)
    assert calibration.loc["price_factor", "estimate"] == pytest.approx(1.0, abs=1e-12)
    assert calibration.loc["cash_share", "assumption"] == 1.0
    assert calibration.loc["delay_months", "assumption"] == 2


def test_past_months_of_the_forecast_are_the_actuals(changed, changed_actuals):
    paths = changed.forecast.paths
    for column, actual in (
        ("energy_kwh", "energy_kwh"),
        ("revenue_billed_rial", "billed_rial"),
        ("revenue_collected_rial", "collected_rial"),
    ):
        assert (paths[column][:, :N_PAST] == changed_actuals[actual].to_numpy()).all()
    # the months to come differ from path to path
    assert paths["energy_kwh"][:, N_PAST:].std(0).min() > 0


def test_money_is_conserved_across_the_join(scenario, changed):
    forecast = changed.forecast
    past = {column: forecast.paths[column][0, :N_PAST] for column in tracking.REVENUE_COLUMNS}
    plan = {column: changed.plan.paths[column][:8] for column in tracking.REVENUE_COLUMNS}
    revenue, owed = tracking._join_revenue(plan, past, N_PAST, scenario, np.arange(8) % 3 + 4, 0.7, 0.95)
    billed, collected = revenue["revenue_billed_rial"], revenue["revenue_collected_rial"]
    np.testing.assert_allclose(billed.sum(1), collected.sum(1) + owed, rtol=1e-12)
    # the ledger books the joined months: cash received = what it pays out + change in cash
    lines = book_paths(
        scenario,
        forecast.months,
        energy_kwh=revenue["energy_kwh"],
        priced_energy_kwh=revenue["priced_energy_kwh"],
        cpi_index=revenue["cpi_index"],
        price_rial_per_kwh=revenue["price_rial_per_kwh"],
        billed_rial=billed,
        collected_rial=collected,
        owed_at_end_rial=owed,
        billing_months=scenario.payment.billing_months,
    )
    out = sum(
        lines[name]
        for name in (
            "operating_costs_rial", "debt_service_rial", "tax_paid_rial", "reserves_rial", "education_fee_rial",
            "replacement_reserve_rial", "replacement_spent_rial", "end_of_life_rial", "distributed_rial",
            "reserve_paid_for_instalments_rial",
        )
    )  # fmt: skip
    change = np.diff(lines["cash_balance_rial"], axis=1, prepend=scenario.cooperative.starting_cash_rial)
    np.testing.assert_allclose(collected + lines["interest_earned_rial"], out + change, atol=1e-3 * collected.max())


def test_join_collections_by_hand():
    # six months of 100 rial, billed monthly, paid a month later; 50 received in the 3 months so far
    billed = np.full((1, 6), 100.0)
    collected, owed = tracking.join_collections(billed, 3, np.array([0.0, 50.0, 0.0]), 1, [1], [1.0], None)
    # 250 still owed at the join; the rule would owe 100 then (the third bill), paid in month 4:
    # scaled to 250. The new bills are paid a month late; the last one after the life.
    assert collected[0].tolist() == [0.0, 50.0, 0.0, 250.0, 100.0, 100.0]
    assert owed.tolist() == [100.0]


def test_the_causes_add_up_to_the_gap(changed, scenario):
    explained = changed.explained
    causes = explained.drop(index="total")["gap_per_family_rial"]
    total = explained.loc["total", "gap_per_family_rial"]
    assert causes.sum() == pytest.approx(total, rel=1e-12)
    assert causes["energy"] < 0 and causes["payment"] < 0
    assert abs(causes["price"]) < 1  # the bills are the plan's price times the meter
    assert causes["costs"] == 0  # no consumer prices in the file: the plan's
    # the cooperative distributed 4 billion rial a month to its owners, all of it to the
    # families (their shares paid the whole plant): the total is that against the plan
    plan = sc.simulate(scenario).monthly["distribution_per_family_rial"].iloc[:N_PAST].sum()
    assert total == pytest.approx(N_PAST * 4e9 / 400 - plan, rel=1e-12)


def test_actuals_equal_to_the_plan_give_the_plan(scenario):
    # paid monthly: quarterly payouts move a quarter's distribution across a year's end with the
    # buyer's extra delay, beyond the sampling tolerance below
    scenario = sc.disputed.apply(scenario, "payout", "monthly_debited")
    plan = sc.simulate(scenario).monthly.iloc[:12]
    actuals = pd.DataFrame(
        {
            "month": plan["label"],
            "energy_kwh": plan["energy_kwh"],
            "billed_rial": plan["revenue_billed_rial"],
            "collected_rial": plan["revenue_collected_rial"],
            "cpi_index": 250 * plan["cpi_index"],
        }
    )
    certain = tracking.track(dataclasses.replace(scenario, uncertainty=sc.NO_UNCERTAINTY), actuals, n_paths=3)
    for column in tracking.KEPT_COLUMNS:
        np.testing.assert_allclose(certain.forecast.paths[column], certain.plan.paths[column], rtol=1e-9, atol=1e-3)
    assert certain.explained["gap_per_family_rial"].abs().max() < 1e-3
    assert certain.calibration.loc["inflation_per_year", "estimate"] == pytest.approx(0.35, rel=1e-9)
    # with the weather and the plant uncertain (neither of which the past's price level
    # conditions), the forecast's P50 is the plan's for the same seed
    uncertain = dataclasses.replace(
        sc.NO_UNCERTAINTY, weather_years=5, availability_std=0.01, soiling_relative_std=0.3,
        degradation_std_per_year=0.002,
    )  # fmt: skip
    drawn = tracking.track(dataclasses.replace(scenario, uncertainty=uncertain), actuals, n_paths=250, seed=4)
    for year in (2, 3, 4):
        forecast = drawn.forecast.exceedance(f"distribution_per_family_rial_mean_year{year}", 0.5)
        assert forecast == pytest.approx(drawn.plan.exceedance(f"distribution_per_family_rial_mean_year{year}", 0.5), rel=0.01)
    # the buyer's extra delay: the forecast draws its own (another stream than the plan's),
    # so the two P50s agree only within the sampling error of 250 paths
    late = dataclasses.replace(uncertain, extra_delay_months=(0, 2, 4), extra_delay_probabilities=(0.5, 0.3, 0.2))
    drawn = tracking.track(dataclasses.replace(scenario, uncertainty=late), actuals, n_paths=250, seed=4)
    for year in (2, 3, 4):
        forecast = drawn.forecast.exceedance(f"distribution_per_family_rial_mean_year{year}", 0.5)
        assert forecast == pytest.approx(drawn.plan.exceedance(f"distribution_per_family_rial_mean_year{year}", 0.5), rel=0.05)


@pytest.mark.parametrize(
    "rows, message",
    [
        ("1405-01,400000,2e10\n1405-01,410000,2e10", "rows 2 and 3, column month: 1405-01 appears twice"),
        ("1405-01,400000,2e10\n1405-02,9.9e6,2e10", r"row 3 \(1405-02\), column energy_kwh: .*more than the 3,000 kWp"),
        ("1405-01,400000,-5", r"row 2 \(1405-01\), column billed_rial: .*negative bill"),
        ("1404-12,400000,2e10", "row 2, column month: 1404-12 is before operation starts"),
        ("1405-01,400000,2e9", r"row 2 \(1405-01\), column billed_rial: .*toman"),
        ("1405-13,400000,2e10", "row 2, column month: '1405-13' is not a month"),
        ("1405-01,400 kWh,2e10", "row 2, column energy_kwh: '400 kWh' is not a number"),
    ],
)
def test_bad_files_are_refused_naming_row_and_column(tmp_path, rows, message):
    path = tmp_path / "actuals.csv"
    path.write_text("month,energy_kwh,billed_rial\n" + rows + "\n")
    with pytest.raises(sc.InputError, match=message):
        tracking.track(sc.qom_baseline().with_changes({"lifetime_years": 2}), path, n_paths=1)


def test_unknown_column_and_percent_inflation_are_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("month,energy_kWh\n1405-01,1\n")
    with pytest.raises(sc.InputError, match="column 'energy_kWh' is not known"):
        load_actuals(path)
    path.write_text("month,inflation_12m\n1405-01,0.4\n1405-02,41\n")
    with pytest.raises(sc.InputError, match=r"row 3 \(1405-02\), column inflation_12m: 41 .*not a percentage"):
        load_actuals(path)


def test_excel_persian_digits_and_missing_cells(tmp_path):
    table = pd.DataFrame({"month": ["۱۴۰۵-۰۱", "1405-02"], "energy_kwh": ["۴۱۰٬۰۰۰", ""]})
    path = tmp_path / "a.xlsx"
    table.to_excel(path, index=False)
    actuals = load_actuals(path)
    assert actuals["month"].tolist() == ["1405-01", "1405-02"]
    assert actuals["energy_kwh"].iloc[0] == 410_000 and np.isnan(actuals["energy_kwh"].iloc[1])
    assert np.isnan(actuals["collected_rial"]).all()


def test_track_command_prints_and_writes_in_both_languages(tmp_path, capsys, scenario):
    from solarcoop import cli
    from solarcoop.files import save_scenario

    scenario_file = tmp_path / "scenario.toml"
    save_scenario(scenario, scenario_file)
    actuals = tmp_path / "actuals.csv"
    plan = sc.simulate(scenario).monthly.iloc[:6]
    pd.DataFrame({"month": plan["label"], "energy_kwh": 0.9 * plan["energy_kwh"]}).to_csv(actuals, index=False)
    for lang, words in (("en", "energy at the meter"), ("fa", "انرژی در کنتور")):
        argv = ["track", str(actuals), "--scenario", str(scenario_file), "--out", str(tmp_path / lang),
                "--paths", "20", "--lang", lang]  # fmt: skip
        assert cli.main(argv) == 0
        printed = capsys.readouterr().out
        assert words in printed and f"track_{lang}.pdf" in printed
        for suffix in ("pdf", "xlsx", "png"):
            assert (tmp_path / lang / f"track_{lang}.{suffix}").stat().st_size > 0
    # -10 % energy in every month: the energy line says so, in Persian digits too
    assert "(-۱۰٫۰٪)" in printed
    assert cli.main(argv) == 2  # the files exist: refused without --force, before any work
    assert "--force" in capsys.readouterr().err
    workbook = pd.read_excel(tmp_path / "en" / "track_en.xlsx", sheet_name=None)
    assert list(workbook) == ["comparison", "causes", "calibration", "headline", "forecast"]
    assert len(workbook["comparison"]) == 6


def test_bonds_count_as_received_but_not_as_cash(scenario, changed_actuals):
    # the deferred 40 % of the first two bills settled in bonds in the last month
    actuals = changed_actuals.assign(bonds_rial=0.0)
    bonds = 0.4 * actuals["billed_rial"].iloc[:2].sum()
    actuals.loc[N_PAST - 1, "bonds_rial"] = bonds
    with_bonds = tracking.track(scenario, actuals, n_paths=5, seed=2)
    assert with_bonds.calibration.loc["cash_share", "estimate"] == pytest.approx(0.6, abs=1e-9)
    received = with_bonds.monthly["received_rial_actual"]
    assert received.iloc[-1] == pytest.approx(actuals["collected_rial"].iloc[-1] + bonds)
    assert with_bonds.forecast.paths["revenue_collected_rial"][0, N_PAST - 1] == received.iloc[-1]


def test_actuals_to_the_end_of_the_life_leave_nothing_to_forecast():
    short = sc.qom_baseline().with_changes({"lifetime_years": 1})
    plan = sc.simulate(short).monthly
    tracked = tracking.track(short, pd.DataFrame({"month": plan["label"], "energy_kwh": plan["energy_kwh"]}), n_paths=5)
    assert tracked.n_past == 12 and tracked.headline.empty
    assert tracked.headline.attrs["from_month"] is None


def test_irradiation_splits_the_energy_gap_into_weather_and_plant(scenario):
    months = sc.calendar.accounting_months(scenario.start_date, 12 * scenario.lifetime_years)
    planned = tracking.plan_irradiation_kwh_per_m2(scenario, months)[:12]
    # the plan's Qom year has about 2,000 kWh/m2 a year of global horizontal irradiation
    assert 1_850 < planned.sum() < 2_150
    plan = sc.simulate(scenario).monthly.iloc[:12]
    actuals = pd.DataFrame(
        {
            "month": plan["label"],
            "irradiation_kwh_per_m2": 0.97 * planned,  # a 3 % duller year ...
            "energy_kwh": 0.97 * 0.95 * plan["energy_kwh"],  # ... and a plant 5 % under its model
        }
    )
    tracked = tracking.track(scenario, actuals, n_paths=5)
    calibration = tracked.calibration["estimate"]
    assert calibration["weather_factor"] == pytest.approx(0.97, rel=1e-9)
    assert calibration["performance_factor"] == pytest.approx(0.95, rel=1e-9)
    assert calibration["energy_factor"] == pytest.approx(0.97 * 0.95, rel=1e-9)
    causes = tracked.explained["gap_per_family_rial"]
    assert causes["weather"] < 0 and causes["energy"] < causes["weather"]  # 5 % costs more than 3 %
    assert causes.drop("total").sum() == pytest.approx(causes["total"], rel=1e-12)
    with pytest.raises(sc.InputError, match=r"row 2 \(1405-01\), column irradiation_kwh_per_m2: .*Wh/m2"):
        tracking.track(scenario, actuals.assign(irradiation_kwh_per_m2=1000 * planned), n_paths=1)


def test_every_row_of_the_tracking_headline_has_its_words(changed):
    from solarcoop.present.locales import LANGUAGES, catalog

    assert "chance_month_below_promise_next12" in changed.headline.index  # the baseline's promise
    for lang in LANGUAGES:
        assert set(changed.headline.index) == set(catalog(lang)["tracking"]["rows"]), lang
