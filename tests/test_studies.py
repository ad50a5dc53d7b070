import re

import numpy as np
import pandas as pd
import pytest

import solarcoop as sc
from solarcoop import InputError
from solarcoop.cli import main
from solarcoop.studies.montecarlo import exceedance_quantile

ENERGY = np.full(12, 420_000.0)


@pytest.fixture(scope="module")
def small_run():
    return sc.monte_carlo(sc.qom_baseline(), n_paths=600, seed=3, chunk_paths=250)


def test_same_seed_same_numbers_other_seed_other_numbers(small_run):
    again = sc.monte_carlo(sc.qom_baseline(), n_paths=600, seed=3, chunk_paths=250)
    np.testing.assert_array_equal(again.paths["family_cash_flow_rial"], small_run.paths["family_cash_flow_rial"])
    other = sc.monte_carlo(sc.qom_baseline(), n_paths=600, seed=4, chunk_paths=250)
    assert not np.array_equal(other.paths["family_cash_flow_rial"], small_run.paths["family_cash_flow_rial"])


def test_numbers_do_not_depend_on_chunks_threads_or_workers(small_run):
    for chunk_paths, workers in ((500, 1), (750, 2), (2_000, 3)):
        again = sc.monte_carlo(sc.qom_baseline(), n_paths=600, seed=3, chunk_paths=chunk_paths, workers=workers)
        np.testing.assert_array_equal(again.paths["family_cash_flow_rial"], small_run.paths["family_cash_flow_rial"])
    with pytest.raises(InputError, match="chunk_paths = 300 must be a multiple of 250"):
        sc.monte_carlo(sc.qom_baseline(), n_paths=10, chunk_paths=300)


def test_quantiles_follow_the_industry_convention(small_run):
    q = small_run.quantiles([0.1, 0.5, 0.9], "family_cash_flow_rial")
    assert list(q.columns) == [0.1, 0.5, 0.9]
    assert len(q) == 300 and q.index[0] == "1405-01"
    assert (q[0.1] <= q[0.5]).all() and (q[0.5] <= q[0.9]).all()
    # P90 is exceeded by 90 % of the paths
    year5 = small_run.metric("family_cash_flow_rial_mean_year5")
    p90 = small_run.exceedance("family_cash_flow_rial_mean_year5", 0.9)
    assert (year5 >= p90).mean() == pytest.approx(0.9, abs=0.01)
    assert exceedance_quantile(0.9) == pytest.approx(0.1)
    summary = small_run.summary(years=(5,))
    assert summary.loc["family_cash_flow_rial_mean_year5", "P90"] == pytest.approx(p90)
    assert summary.loc["family_cash_flow_rial_mean_year5", "P90"] <= summary.loc["family_cash_flow_rial_mean_year5", "P10"]


def test_probability_below_matches_counting(small_run):
    payouts = small_run.paths["family_cash_flow_rial"]
    chance = small_run.probability_below("family_cash_flow_rial", 50e6)
    np.testing.assert_allclose(chance.to_numpy(), (payouts < 50e6).mean(axis=0))
    year = small_run.months["operating_year"].to_numpy() == 2
    assert small_run.chance_of_month_below(50e6, 2) == pytest.approx((payouts[:, year] < 50e6).mean())


def test_without_uncertainty_every_path_is_the_single_run():
    scenario = sc.qom_baseline().with_changes({"uncertainty": sc.NO_UNCERTAINTY, "lifetime_years": 5})
    run = sc.monte_carlo(scenario, n_paths=5, seed=0)
    single = sc.simulate(scenario).monthly["family_cash_flow_rial"].to_numpy()
    for path in run.paths["family_cash_flow_rial"]:
        np.testing.assert_allclose(path, single, rtol=1e-9, atol=1e-3)


def test_each_uncertainty_switches_on_its_own():
    off = sc.NO_UNCERTAINTY
    base = sc.qom_baseline().with_changes({"lifetime_years": 5})
    runs = {
        "inflation": off.__class__(**{**off.__dict__, "inflation_std_per_year": 0.07}),
        "delay": off.__class__(**{**off.__dict__, "extra_delay_months": (0, 4), "extra_delay_probabilities": (0.5, 0.5)}),
        "indexation": off.__class__(
            **{**off.__dict__, "indexation_reading_probability": 0.5, "readings": ("indexation_weight",)}
        ),
        "availability": off.__class__(**{**off.__dict__, "availability_std": 0.01}),
    }
    for name, spread in runs.items():
        paths = sc.monte_carlo(base.with_changes({"uncertainty": spread}), n_paths=50, seed=1).paths
        def varies(column, paths=paths):
            values = paths[column]
            return values.std(axis=0).max() > 1e-9 * np.abs(values).max()

        energy_varies, price_varies = varies("energy_kwh"), varies("price_rial_per_kwh")
        payout_varies = varies("family_cash_flow_rial")
        assert payout_varies, name
        assert energy_varies == (name == "availability"), name
        # the baseline's euro window ends at the payment month: a later payment, another price
        assert price_varies == (name in ("inflation", "indexation", "delay")), name


def test_metric_names_are_checked(small_run):
    with pytest.raises(InputError, match="COLUMN_mean"):
        small_run.metric("payout")
    with pytest.raises(InputError, match="was not kept"):
        small_run.quantiles([0.5], "tax_rial")


def test_dask_cluster_gives_the_local_numbers(small_run):
    from dask import distributed  # in the test extras: a missing install must fail, not skip

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = sc.monte_carlo(sc.qom_baseline(), n_paths=600, seed=3, chunk_paths=250, client=client)
            grid = {"cooperative.families": [300, 400]}
            remote_sweep = sc.sweep(sc.qom_baseline(), grid, energy=ENERGY, client=client)
    np.testing.assert_array_equal(remote.paths["family_cash_flow_rial"], small_run.paths["family_cash_flow_rial"])
    local_sweep = sc.sweep(sc.qom_baseline(), grid, energy=ENERGY)
    pd.testing.assert_frame_equal(remote_sweep, local_sweep)


def owned_by_families():
    """The baseline at 30 million toman per kW (a 900 bn rial plant) with the part the
    shares do not pay a grant: fewer families then own more of it each (with a sponsor
    filling the gap they would not; with the plant costing what the shares paid, the
    share's price would follow their number)."""
    return sc.qom_baseline().with_changes({"costs.capital_cost_rial_per_kwp": 3.0e8, "funding.gap_filled_by": "grant"})


def test_sweep_has_one_row_per_combination():
    frame = sc.sweep(
        owned_by_families(),
        {"tariff.base_price_rial_per_kwh": [40_000, 50_000], "cooperative.families": [300, 400, 500]},
        energy=ENERGY,
    )
    assert len(frame) == 6
    assert frame[["tariff.base_price_rial_per_kwh", "cooperative.families"]].iloc[1].tolist() == [40_000, 400]
    # more families, less each; a higher tariff, more each
    by_price = frame.groupby("tariff.base_price_rial_per_kwh")["distribution_per_family_rial_mean_year1"]
    assert (by_price.apply(lambda s: s.is_monotonic_decreasing)).all()
    with pytest.raises(InputError, match="unknown path"):
        sc.sweep(sc.qom_baseline(), {"tariff.price": [1]}, energy=ENERGY)
    with pytest.raises(InputError, match="non-empty list"):
        sc.sweep(sc.qom_baseline(), {"cooperative.families": []}, energy=ENERGY)


def test_goal_seek_reaches_the_target_and_says_when_it_cannot():
    scenario = sc.qom_baseline()
    found = sc.goal_seek(
        scenario, "tariff.base_price_rial_per_kwh", ("distribution_per_family_rial_mean_year2", 60e6), energy=ENERGY
    )
    assert found.reached
    check = sc.simulate(scenario.with_changes({"tariff.base_price_rial_per_kwh": found.value}), energy=ENERGY)
    assert check.annual.loc[2, "distribution_per_family_rial_mean"] == pytest.approx(60e6, rel=1e-4)
    impossible = sc.goal_seek(
        scenario, "tariff.base_price_rial_per_kwh", ("distribution_per_family_rial_mean_year2", 60e6),
        bounds=(0, 20_000), energy=ENERGY,
    )  # fmt: skip
    assert not impossible.reached
    assert "cannot be reached" in impossible.message


def test_goal_seek_on_whole_numbers_and_a_p90_target():
    families = sc.goal_seek(
        owned_by_families(), "cooperative.families", ("distribution_per_family_rial_mean_year2", 60e6),
        energy=ENERGY, bounds=(10, 600),
    )
    assert families.reached and isinstance(families.value, int)
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 3})
    p90 = sc.goal_seek(
        scenario, "tariff.base_price_rial_per_kwh", ("payout_per_family_rial_mean_year2", 30e6),
        probability_of_exceedance=0.9, n_paths=200, bounds=(20_000, 200_000),
    )  # fmt: skip
    assert p90.reached
    run = sc.monte_carlo(
        scenario.with_changes({"tariff.base_price_rial_per_kwh": p90.value}), n_paths=200, seed=0, kept=("payout_per_family_rial",)
    )
    assert run.exceedance("payout_per_family_rial_mean_year2", 0.9) == pytest.approx(30e6, rel=1e-3)


def test_sensitivity_rows_are_sorted_by_swing():
    # paid monthly, the lender debiting the family: the year-1 money moves below 0 too
    frame = sc.sensitivity(sc.disputed.apply(owned_by_families(), "payout", "monthly_debited"), energy=ENERGY)
    swing = (frame["high_metric"] - frame["low_metric"]).abs()
    assert swing.is_monotonic_decreasing
    row = frame.set_index("parameter").loc["cooperative.families"]
    assert row["low_metric"] > row["base_metric"] > row["high_metric"]


def test_cli_montecarlo_and_goal_seek(tmp_path, capsys):
    assert main(["montecarlo", "--paths", "300", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "P90" in printed and "9 futures out of 10 pay at least the P90" in printed
    assert "the family's money a month after its loan instalment" in printed
    assert "chance that a month of year 1 reaches 50 M rial of Shahrivar 1404 money" in printed
    quantiles = pd.read_csv(tmp_path / "payout_quantiles.csv", index_col=0)
    assert list(quantiles.columns) == ["P90", "P50", "P10"]
    code = main(["goal-seek", "--bounds", "0", "1000", "--out", str(tmp_path)])
    assert code == 1
    assert "cannot be reached" in capsys.readouterr().out


def test_cli_sweep_writes_a_table(tmp_path, capsys):
    assert main(["sweep", "--vary", "cooperative.families=300,400", "--out", str(tmp_path)]) == 0
    assert len(pd.read_csv(tmp_path / "sweep.csv")) == 2
    assert main(["sweep", "--vary", "families", "--out", str(tmp_path)]) == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"extra_delay_probabilities": (0.5, 0.3, 0.1)}, "uncertainty.extra_delay_probabilities"),
        ({"extra_delay_months": (0, 1.5, 4)}, "uncertainty.extra_delay_months"),
        ({"indexation_reading_probability": 1.5}, "uncertainty.indexation_reading_probability"),
        ({"inflation_std_per_year": -0.1}, "uncertainty.inflation_std_per_year"),
        ({"weather_years": -1}, "uncertainty.weather_years"),
    ],
)
def test_bad_uncertainty_names_the_field(changes, field):
    with pytest.raises(InputError, match=field):
        sc.qom_baseline().with_changes({f"uncertainty.{key}": value for key, value in changes.items()})


def test_extra_delay_is_added_to_the_scenarios_delay():
    off = sc.NO_UNCERTAINTY
    late = off.__class__(**{**off.__dict__, "extra_delay_months": (3,), "extra_delay_probabilities": (1.0,)})
    base = sc.qom_baseline().with_changes({"lifetime_years": 3, "payment.delay_months": 1})
    paths = sc.monte_carlo(base.with_changes({"uncertainty": late}), n_paths=3, seed=0).paths
    single = sc.simulate(base.with_changes({"payment.delay_months": 4})).monthly
    np.testing.assert_allclose(paths["revenue_collected_rial"][0], single["revenue_collected_rial"], rtol=1e-12)


def test_goal_seek_refuses_reversed_or_impossible_bounds():
    path = "tariff.base_price_rial_per_kwh"
    with pytest.raises(InputError, match="low must be below high"):
        sc.goal_seek(sc.qom_baseline(), path, ("payout_per_family_rial_mean_year1", 2e7), bounds=(200_000, 20_000), energy=ENERGY)
    with pytest.raises(InputError, match="loan.term_months = 840.*give bounds="):
        sc.goal_seek(sc.qom_baseline(), "loan.term_months", ("payout_per_family_rial_mean_year1", 2e7), energy=ENERGY)


def test_a_frame_changed_in_place_is_not_taken_for_the_cached_one():
    weather = sc.weather.qom_typical_year()
    scenario = sc.qom_baseline().with_changes({"weather": weather, "uncertainty": sc.NO_UNCERTAINTY, "lifetime_years": 2})
    before = sc.monte_carlo(scenario, n_paths=2, seed=0).paths["energy_kwh"].sum()
    weather[["ghi", "dni", "dhi"]] *= 0.5
    after = sc.monte_carlo(scenario, n_paths=2, seed=0).paths["energy_kwh"].sum()
    assert after < 0.6 * before


def test_soiling_draws_stay_losses_and_switching_tariffs_get_the_other_reading():
    off = sc.NO_UNCERTAINTY
    wide = off.__class__(**{**off.__dict__, "soiling_relative_std": 2.0})
    paths = sc.monte_carlo(sc.qom_baseline().with_changes({"uncertainty": wide, "lifetime_years": 3}), n_paths=500, seed=0).paths
    assert (paths["energy_kwh"] > 0).all()
    both = off.__class__(**{**off.__dict__, "indexation_reading_probability": 1.0, "readings": ("indexation_weight",)})
    switching = sc.SwitchingTariff(sc.MarketTariff(60_000), sc.GuaranteedPurchaseTariff(cpi_weight=0.15), 2)
    scenario = sc.qom_baseline().with_changes({"tariff": switching, "lifetime_years": 3})
    normal = sc.monte_carlo(scenario.with_changes({"uncertainty": off}), n_paths=1, seed=0).paths["price_rial_per_kwh"]
    other = sc.monte_carlo(scenario.with_changes({"uncertainty": both}), n_paths=1, seed=0).paths["price_rial_per_kwh"]
    np.testing.assert_allclose(other[0, :12], normal[0, :12])  # the market year is read one way only
    assert not np.allclose(other[0, 12:], normal[0, 12:])


def test_sensitivity_ranges_follow_the_scenario():
    from solarcoop.studies.sweeps import default_sensitivity_ranges

    big = sc.qom_baseline().with_changes({"plant.capacity_kwp": 5_000.0})
    low, high = default_sensitivity_ranges(big)["plant.capacity_kwp"]
    assert low < 5_000 < high


@pytest.mark.parametrize("path", ["plant.capacity_kwp", "plant.losses.availability", "site.latitude", "weather"])
def test_studies_refuse_to_vary_the_physics_while_energy_is_fixed(path):
    message = f"cannot vary '{path}' while energy= is fixed"
    with pytest.raises(InputError, match=re.escape("sensitivity " + message)):
        sc.sensitivity(sc.qom_baseline(), {path: (1, 2)}, energy=ENERGY)
    with pytest.raises(InputError, match=re.escape("sweep " + message)):
        sc.sweep(sc.qom_baseline(), {path: [1, 2]}, energy=ENERGY)
    with pytest.raises(InputError, match=re.escape("goal_seek " + message)):
        sc.goal_seek(sc.qom_baseline(), path, ("payout_per_family_rial_mean_year1", 2e7), energy=ENERGY)


def test_with_energy_fixed_the_default_sensitivity_leaves_out_what_it_cannot_feel():
    parameters = set(sc.sensitivity(sc.qom_baseline(), energy=ENERGY)["parameter"])
    assert "plant.capacity_kwp" not in parameters and "plant.losses.availability" not in parameters
    assert "plant.degradation_per_year" in parameters  # still degrades the given energy
    frame = sc.sweep(sc.qom_baseline(), {"plant.degradation_per_year": [0.005, 0.01]}, energy=ENERGY)
    assert frame["payout_per_family_real_rial_mean_life"].is_monotonic_decreasing


# the frame's own check also says that pvlib returns NaN in the dark hours (when the
# weather years' energy is not already on disk): expected here, and counted as zero below
@pytest.mark.filterwarnings("ignore:weather DataFrame.*no light at all:solarcoop.weather.frame.WeatherWarning")
def test_an_accepted_dark_year_runs_the_monte_carlo_with_no_energy():
    """A weather year with no light, accepted by the user, gives zero energy, not 0/0."""
    base = sc.qom_baseline()
    weather = sc.weather.resolve(base.weather, base.site).copy()
    weather[["ghi", "dni", "dhi"]] = 0.0
    dark = base.with_changes({"weather": weather, "weather_accept": ("dark",)})
    with pytest.warns(sc.weather.WeatherWarning, match="accepted: dark"):
        risk = sc.monte_carlo(dark, n_paths=250, seed=0, keep_paths=True)
    assert (risk.paths["energy_kwh"] == 0).all()
    assert all(np.isfinite(risk.paths[column]).all() for column in risk.paths)
