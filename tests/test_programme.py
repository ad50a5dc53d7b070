"""The whole programme: shared draws, totals as sums of single plants, bad rows refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import solarcoop as sc
from solarcoop import history
from solarcoop._validation import InputError, error_text
from solarcoop.programme import run as programme_run
from solarcoop.programme.table import COLUMNS, read_actuals, read_table

N_PATHS = 20


def small_table(n_home: int = 200) -> pd.DataFrame:
    """A few hundred plants: home plants in three provinces (some scattered over a few
    cells around Qom), shares and cooperatives; many identical plants."""
    rng = np.random.default_rng(3)
    provinces = rng.choice(["Qom", "Tehran", "اصفهان"], n_home)
    starts = rng.choice(["1399-03", "1403-02"], n_home)
    rows = [
        {"plant_id": f"h{i}", "kind": "home", "province": p, "capacity_kwp": 5.0, "start_month": s,
         "families": 1, "loan_principal_rial": 1.5e9}
        for i, (p, s) in enumerate(zip(provinces, starts, strict=True))
    ]  # fmt: skip
    for i in range(6):  # home plants a few cells apart, with coordinates
        rows.append({"plant_id": f"g{i}", "kind": "home", "province": "Qom", "capacity_kwp": 5.0,
                     "start_month": "1402-01", "families": 1, "latitude_deg": 34.5 + 0.1 * i, "longitude_deg": 50.9,
                     "loan_principal_rial": 1.5e9})  # fmt: skip
    rows.append({"plant_id": "farm", "kind": "share", "province": "Golestan", "capacity_kwp": 1400.0,
                 "start_month": "1403-06", "families": 280, "loan_principal_rial": 1.5e9})  # fmt: skip
    rows.append({"plant_id": "coop", "kind": "cooperative", "province": "Qom", "capacity_kwp": 3000.0,
                 "start_month": "1404-01", "families": 400, "loan_principal_rial": 1.5e9, "tariff_class": "support"})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def table():
    return small_table()


@pytest.fixture(scope="module")
def result(table):
    return sc.programme(table, n_paths=N_PATHS, seed=5)


def test_columns_carry_units_and_what_is_allowed():
    names = [c.name for c in COLUMNS]
    assert names[:3] == ["plant_id", "kind", "province"]
    assert all(c.unit and c.allowed for c in COLUMNS)
    assert {c.name for c in COLUMNS if not c.required} >= {"latitude_deg", "contract_year", "tariff_class"}


def test_read_table_fills_defaults(table):
    read = read_table(table)
    qom = read[read["province"] == "Qom"].iloc[0]
    assert (qom["latitude_deg"], qom["longitude_deg"]) == (34.64, 50.88)  # the province centre
    assert set(read["province"]) == {"Qom", "Tehran", "Isfahan", "Golestan"}  # Persian name read
    assert read.loc[read["plant_id"] == "h0", "contract_year"].item() == int(table.loc[0, "start_month"][:4])
    assert read["support"].all()


@pytest.mark.parametrize(
    ("field", "value", "row"),
    [("capacity_kwp", -5.0, 3), ("kind", "farm", 4), ("province", "Atlantis", 2), ("start_month", "1399/03", 5),
     ("families", 2, 1), ("start_month", "1395-03", 2), ("contract_year", 1401, 6), ("loan_rate_per_year", 4.0, 2)],
)  # fmt: skip
def test_bad_row_is_refused_with_its_row_and_field(table, field, value, row):
    bad = table.copy()
    if field == "contract_year":
        bad["contract_year"] = np.nan
    if field == "loan_rate_per_year":
        bad["loan_rate_per_year"] = np.nan
    bad[field] = bad[field].astype(object)
    bad.loc[row - 1, field] = value
    with pytest.raises(InputError) as caught:
        read_table(bad)
    error = caught.value
    assert error.code == "bad_table_row"
    assert (error.values["row"], error.values["field"]) == (row, field)
    assert str(error).startswith(f"row {row}: {field} = ")
    assert error_text(error, "fa").startswith("سطر ")


def test_duplicate_id_and_missing_column_refused(table):
    bad = table.copy()
    bad.loc[7, "plant_id"] = "h0"
    with pytest.raises(InputError, match="row 8: plant_id"):
        read_table(bad)
    with pytest.raises(InputError, match="no column capacity_kwp"):
        read_table(table.drop(columns="capacity_kwp"))


def test_identical_plants_are_one_unit_and_cells_share_physics(result, table):
    assert result.n_plants == len(table)
    assert result.n_families == 200 + 6 + 280 + 400
    # 3 provinces x 2 starts of centre plants, 6 scattered plants in 3 or more cells, the farm and the coop
    assert result.n_units == 6 + 6 + 2
    assert result.n_cells == 3 + 6 + 1  # the Qom coop is at the Qom centre's cell
    # 25 years of operation: 25 Jalali years from a Farvardin start (g*, coop), 26 from any other
    assert len(result.plants) == 200 * 26 + 6 * 25 + 26 + 25
    assert result.plants["family_money_p50_rial"].notna().all()


def _summed(table, plant_ids, n_paths, seed, labels, **kwargs):
    """Each plant alone on the programme's draws, summed over plants, on the programme's months."""
    position = {label: k for k, label in enumerate(labels)}
    paid = np.zeros((n_paths, len(labels)))
    p90s = np.zeros(len(labels))
    for plant_id in plant_ids:
        made = programme_run.plant_paths(table, plant_id, n_paths=n_paths, seed=seed, **kwargs)
        a = position[made["months"]["label"].iloc[0]]
        plant_paid = made["lines"]["distribution_per_family_rial"] * made["families"]
        paid[:, a : a + plant_paid.shape[1]] += plant_paid
        p90s[a : a + plant_paid.shape[1]] += np.quantile(plant_paid, 0.1, axis=0)
    return paid, p90s


def test_totals_are_the_sums_of_single_plant_runs_and_p90_of_sum_is_not_sum_of_p90(result, table):
    labels = result.totals["label"].tolist()
    paid, p90s = _summed(read_table(table), table["plant_id"], N_PATHS, 5, labels)
    totals = result.totals
    np.testing.assert_allclose(totals["paid_to_families_rial_mean"], paid.mean(axis=0), rtol=1e-9, atol=1e-3)
    np.testing.assert_allclose(totals["paid_to_families_rial_p50"], np.quantile(paid, 0.5, axis=0), rtol=1e-9, atol=1e-3)
    np.testing.assert_allclose(totals["paid_to_families_rial_p90"], np.quantile(paid, 0.1, axis=0), rtol=1e-9, atol=1e-3)
    # the programme's P90 is the P90 of the sum, not the sum of the plants' P90s: in the
    # months every plant pays they differ, and over those months the plants' own risks
    # (weather of their cells, their dust and outages) partly cancel: the sum's P90 is higher
    paying = (totals["label"] >= "1404-07") & (totals["label"] < "1420-01")
    p90_of_sum = totals.loc[paying, "paid_to_families_rial_p90"].to_numpy()
    sum_of_p90 = p90s[paying.to_numpy()]
    assert (np.abs(p90_of_sum / sum_of_p90 - 1) > 0.001).mean() > 0.9
    assert p90_of_sum.sum() > 1.01 * sum_of_p90.sum()


def test_by_province_adds_up_to_totals(result):
    summed = result.by_province.groupby("month_index")["paid_to_families_rial_mean"].sum()
    np.testing.assert_allclose(summed.to_numpy(), result.totals["paid_to_families_rial_mean"].to_numpy(), rtol=1e-12)
    assert set(result.by_province["province"]) == {"Qom", "Tehran", "Isfahan", "Golestan"}


def test_scaled_unit_equals_its_plants():
    one = small_table().iloc[:1].copy()
    ten = pd.concat([one] * 10, ignore_index=True)
    ten["plant_id"] = [f"p{i}" for i in range(10)]
    a = sc.programme(one, n_paths=N_PATHS, seed=1)
    b = sc.programme(ten, n_paths=N_PATHS, seed=1)
    assert b.n_units == 1
    np.testing.assert_allclose(b.totals["paid_to_families_rial_p50"], 10 * a.totals["paid_to_families_rial_p50"], rtol=1e-12)
    assert (b.totals["families_paying_from_pocket_mean"] == 10 * a.totals["families_paying_from_pocket_mean"]).all()


def test_same_seed_same_numbers_other_seed_other_numbers():
    table = small_table(12)
    a = sc.programme(table, n_paths=N_PATHS, seed=2)
    b = sc.programme(table, n_paths=N_PATHS, seed=2, units_per_task=3)
    c = sc.programme(table, n_paths=N_PATHS, seed=3)
    pd.testing.assert_frame_equal(a.totals, b.totals, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(a.plants, b.plants)
    assert not np.allclose(a.totals["paid_to_families_rial_p50"], c.totals["paid_to_families_rial_p50"])


def test_national_draws_are_shared_and_the_first_paths_do_not_depend_on_n_paths():
    small = programme_run.national_draws(250, seed=4)  # whole seed blocks of 250 paths
    large = programme_run.national_draws(600, seed=4)
    for name, values in small.items():
        np.testing.assert_array_equal(large[name][:250], values)
    national = programme_run.national_draws(50, seed=4)
    plants, _ = programme_run.units_of(read_table(small_table(0)))
    drawn = {}
    for plant_id in ("g0", "g3"):  # two home plants of one start, in two cells
        row = plants.set_index("plant_id").loc[plant_id]
        site = programme_run.cell_site(int(row["cell_i"]), int(row["cell_j"]))
        scenario = programme_run.plant_scenario(row, site, "1404-07")
        tables = programme_run.unit_tables(scenario, sc.calendar.accounting_months(scenario.start_date, 300))
        cell = programme_run.cell_draws(scenario, tables[0].shape[0], tables[2], int(row["cell"]), 50, 4)
        drawn[plant_id] = programme_run.plant_draws(scenario, national, cell, tables[2], 1402)
    a, b = drawn["g0"], drawn["g3"]
    for name in ("inflation", "fx_change", "extra_delay", "reading_payment"):
        np.testing.assert_array_equal(a[name], b[name])  # national: shared
    assert not np.array_equal(a["weather_index"], b["weather_index"])  # regional: each cell its own


def test_held_reading_runs_on_the_same_paths():
    table = small_table(6)
    drawn = sc.programme(table, n_paths=N_PATHS, seed=0)
    names = [a.name for a in sc.disputed.reading("payment").alternatives]
    held = [sc.programme(table, n_paths=N_PATHS, seed=0, readings={"payment": name}) for name in names]
    assert held[0].readings == {"payment": names[0]}
    assert not np.allclose(held[0].totals["paid_to_families_rial_mean"], held[-1].totals["paid_to_families_rial_mean"])
    # every path under the drawn reading is one of the held runs' paths: the mean lies between
    low = np.minimum.reduce([h.totals["paid_to_families_rial_mean"] for h in held])
    high = np.maximum.reduce([h.totals["paid_to_families_rial_mean"] for h in held])
    mean = drawn.totals["paid_to_families_rial_mean"]
    assert ((mean >= low - 1) & (mean <= high + 1)).all()
    with pytest.raises(InputError, match="not an alternative"):
        sc.programme(table, n_paths=N_PATHS, readings={"payment": "never"})


def test_a_lower_tariff_lowers_the_total():
    table = small_table(6)
    base = sc.programme(table, n_paths=N_PATHS, seed=0)
    lower = sc.programme(table, n_paths=N_PATHS, seed=0, changes={"tariff.base_price_rial_per_kwh": lambda p: 0.8 * p})
    year = base.totals["label"].str.startswith("1405")
    assert (lower.totals.loc[year, "paid_to_families_rial_mean"] < base.totals.loc[year, "paid_to_families_rial_mean"]).all()


def test_actuals_below_plan_are_flagged():
    table = small_table(4)
    made = programme_run.plant_paths(table, "h0", n_paths=N_PATHS, seed=0)
    labels = made["months"]["label"].iloc[12:15].tolist()  # three months of the second year
    plan = made["lines"]["distribution_per_family_rial"][:, 12:15].sum(axis=1)
    actuals = pd.DataFrame(
        {"plant_id": ["h0"] * 3 + ["h1"] * 3, "month": labels + [None] * 3,
         "paid_to_families_rial": [np.median(plan) / 3] * 3 + [0.0] * 3}
    )  # fmt: skip
    h1_start = read_table(table).set_index("plant_id").loc["h1", "start_month"]
    actuals.loc[3:, "month"] = [history.shift_month(h1_start, 12 + k) for k in range(3)]
    result = sc.programme(table, n_paths=N_PATHS, seed=0, actuals=actuals)
    rows = result.plants[result.plants["actual_months"] > 0].set_index("plant_id")
    assert set(rows.index) == {"h0", "h1"}
    assert rows.loc["h0", "actual_months"] == 3
    assert rows.loc["h0", "paid_to_families_actual_rial"] == pytest.approx(np.median(plan))
    assert rows.loc["h0", "paid_to_families_plan_p50_rial"] == pytest.approx(np.quantile(plan, 0.5))
    assert not rows.loc["h0", "below_plan_p10"]
    assert rows.loc["h1", "below_plan_p10"]  # nothing paid in months the plan pays
    assert result.plants.loc[result.plants["actual_months"] == 0, "below_plan_p10"].eq(False).all()


def test_actuals_refused_with_row_and_field():
    table = read_table(small_table(4))
    with pytest.raises(InputError, match="row 2: plant_id"):
        read_actuals(pd.DataFrame({"plant_id": ["h0", "zz"], "month": ["1404-01", "1404-01"], "energy_kwh": [1, 1]}), table)
    with pytest.raises(InputError, match="row 1: month"):
        read_actuals(pd.DataFrame({"plant_id": ["h0"], "month": ["1390-01"], "energy_kwh": [1]}), table)


def test_parquet_is_partitioned_by_province(result, tmp_path):
    written = result.to_parquet(tmp_path)
    folders = sorted(p.name for p in (tmp_path / "plants").iterdir())
    assert folders == sorted(f"province={p}" for p in ("Golestan", "Isfahan", "Qom", "Tehran"))
    back = pd.read_parquet(written["totals"])
    pd.testing.assert_frame_equal(back, result.totals)
    plants = pd.read_parquet(written["plants"])
    assert len(plants) == len(result.plants)


def test_client_run_equals_local_run():
    import distributed  # in the test extra, as pyarrow is

    table = small_table(10)
    local = sc.programme(table, n_paths=N_PATHS, seed=9, units_per_task=2)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = sc.programme(table, n_paths=N_PATHS, seed=9, client=client, units_per_task=2)
    pd.testing.assert_frame_equal(local.totals, remote.totals, check_exact=True)
    pd.testing.assert_frame_equal(local.by_province, remote.by_province, check_exact=True)
    pd.testing.assert_frame_equal(local.plants, remote.plants, check_exact=True)


def test_not_a_client_is_refused():
    with pytest.raises(InputError, match="not a Dask client"):
        sc.programme(small_table(2), n_paths=N_PATHS, client="localhost:8786")


def test_year_totals_are_quantiles_of_each_paths_year_sum(result, table):
    labels = result.totals["label"].tolist()
    paid, _ = _summed(read_table(table), table["plant_id"], N_PATHS, 5, labels)
    years = np.array([int(label[:4]) for label in labels])
    by_year = result.totals_by_year.set_index("year")
    for year in (1404, 1410):
        sums = paid[:, years == year].sum(axis=1)  # each path's year, by hand from single plants
        assert by_year.loc[year, "months"] == 12
        np.testing.assert_allclose(by_year.loc[year, "paid_to_families_rial_p50"], np.median(sums), rtol=1e-9)
        np.testing.assert_allclose(by_year.loc[year, "paid_to_families_rial_p90"], np.quantile(sums, 0.1), rtol=1e-9)
        np.testing.assert_allclose(by_year.loc[year, "paid_to_families_rial_high"], np.quantile(sums, 0.9), rtol=1e-9)
        # the P90 of the year's sum is not the sum of the months' P90s
        months_p90 = result.totals.loc[years == year, "paid_to_families_rial_p90"].sum()
        assert abs(by_year.loc[year, "paid_to_families_rial_p90"] / months_p90 - 1) > 1e-3
    on_paths = result.year_paths[result.year_paths["year"] == 1410]
    assert len(on_paths) == N_PATHS
    np.testing.assert_allclose(np.median(on_paths["paid_to_families_rial"]), by_year.loc[1410, "paid_to_families_rial_p50"])
    pocket = on_paths["families_paying_from_pocket"].to_numpy()
    peak = on_paths["families_paying_from_pocket_peak"].to_numpy()
    assert (peak >= pocket).all()
    # by province, the paths' year sums add up to the programme's
    means = result.by_province_year.groupby("year")["paid_to_families_rial_mean"].sum()
    np.testing.assert_allclose(means.loc[1410], by_year.loc[1410, "paid_to_families_rial_mean"], rtol=1e-9)


def test_real_totals_deflate_each_path_by_its_own_prices(result, table):
    labels = result.totals["label"].tolist()
    position = {label: k for k, label in enumerate(labels)}
    real = np.zeros((N_PATHS, len(labels)))
    for plant_id in table["plant_id"]:  # by hand: each plant alone, its paths in money of real_money_of
        made = programme_run.plant_paths(read_table(table), plant_id, n_paths=N_PATHS, seed=5)
        a = position[made["months"]["label"].iloc[0]]
        plant_real = made["lines"]["distribution_per_family_real_rial"] * made["families"]
        real[:, a : a + plant_real.shape[1]] += plant_real
    totals = result.totals
    np.testing.assert_allclose(totals["paid_to_families_real_rial_mean"], real.mean(axis=0), rtol=1e-9, atol=1e-3)
    years = np.array([int(label[:4]) for label in labels])
    by_year = result.totals_by_year.set_index("year")
    sums = real[:, years == 1410].sum(axis=1)
    np.testing.assert_allclose(by_year.loc[1410, "paid_to_families_real_rial_p50"], np.median(sums), rtol=1e-9)
    np.testing.assert_allclose(by_year.loc[1410, "paid_to_families_real_rial_p90"], np.quantile(sums, 0.1), rtol=1e-9)
    # in the month whose money it is, real equals nominal on every path; later, prices rise
    month = totals[totals["label"] == result.real_money_of].iloc[0]
    assert month["paid_to_families_real_rial_mean"] == pytest.approx(month["paid_to_families_rial_mean"], rel=1e-9)
    assert month["paid_to_families_rial_mean"] > 0
    assert by_year.loc[1410, "paid_to_families_real_rial_p50"] < 0.8 * by_year.loc[1410, "paid_to_families_rial_p50"]


def _two_plants(coop_start: str = "1404-01") -> pd.DataFrame:
    rows = small_table(1).iloc[[0, -1]].copy()
    rows["start_month"] = ["1402-01", coop_start]
    rows["contract_year"] = [1402, 1404]  # a late start keeps the last contract year SATBA publishes
    return rows.reset_index(drop=True)


@pytest.mark.parametrize("years", [20, 30])
def test_the_month_axis_follows_a_changed_life(years):
    table = _two_plants()
    result = sc.programme(table, n_paths=4, seed=1, changes={"lifetime_years": years})
    labels = result.totals["label"]
    # from the first start (1402-01) to the last plant's end: the cooperative's, 1404-01 + the life
    assert labels.iloc[0] == "1402-01"
    assert labels.iloc[-1] == f"{1404 + years - 1}-12"
    assert len(labels) == 24 + 12 * years
    coop = programme_run.plant_paths(table, "coop", n_paths=4, seed=1, changes={"lifetime_years": years})
    assert coop["lines"]["distribution_per_family_rial"].shape == (4, 12 * years)
    paid = coop["lines"]["distribution_per_family_rial"].mean(axis=0) * 400
    home = programme_run.plant_paths(table, "h0", n_paths=4, seed=1, changes={"lifetime_years": years})
    paid[: 12 * years - 24] += home["lines"]["distribution_per_family_rial"].mean(axis=0)[24:]
    np.testing.assert_allclose(result.totals["paid_to_families_rial_mean"].to_numpy()[24:], paid, rtol=1e-9, atol=1e-3)


def test_a_life_past_the_draws_is_refused_with_its_row_field_and_what_is_allowed():
    table = _two_plants("1440-01")  # the draws end with 1469: 30 years from 1440 is the most
    sc.programme(table, n_paths=2, seed=1, changes={"lifetime_years": 30}, real_money_of="1404-01")
    with pytest.raises(InputError) as caught:
        sc.programme(table, n_paths=2, seed=1, changes={"lifetime_years": 31})
    error = caught.value
    assert (error.code, error.values["row"], error.values["field"], error.values["value"]) == (
        "life_past_draws", 2, "lifetime_years", 31,
    )  # fmt: skip
    assert "at most 30 years for a plant starting in 1440-01" in str(error)
    persian = error_text(error, "fa")
    assert persian.startswith("سطر ۲:") and "۳۱" in persian and "۳۰" in persian
    assert not any(ch.isascii() and ch.isalnum() for ch in persian.replace("lifetime_years", ""))
    with pytest.raises(InputError, match="start_month"):  # the default life already runs past: the start is at fault
        sc.programme(_two_plants("1446-01"), n_paths=2, seed=1)


def test_a_plants_year_quantiles_are_those_of_its_paths_year_means(result, table):
    """The plants' table takes its P50 and P90 with the same helper as the month and year
    tables: by hand, from the plant's own paths (its year's mean month, then the 0.5 and
    0.1 quantiles across paths)."""
    made = programme_run.plant_paths(read_table(table), "coop", n_paths=N_PATHS, seed=5)
    years = made["months"]["label"].str[:4].astype(int).to_numpy()
    mine = result.plants[result.plants["plant_id"] == "coop"].set_index("year")
    assert mine.index.tolist() == sorted(set(years))
    for column, name in (("family_cash_flow_rial", "family_money"), ("family_cash_flow_real_rial", "family_money_real")):
        for year in (1404, 1410, 1428):
            means = made["lines"][column][:, years == year].mean(axis=1)
            assert mine.loc[year, f"{name}_p50_rial"] == pytest.approx(np.quantile(means, 0.5), rel=1e-12)
            assert mine.loc[year, f"{name}_p90_rial"] == pytest.approx(np.quantile(means, 0.1), rel=1e-12)
    assert (mine["family_money_p90_rial"] <= mine["family_money_p50_rial"]).all()
