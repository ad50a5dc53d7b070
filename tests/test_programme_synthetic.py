"""The synthetic programme table: reproducible, labelled, and true to its cited figures."""

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solarcoop._validation import InputError
from solarcoop.programme.synthetic import (
    AGGREGATED_PLANTS,
    folded_forward_share,
    is_synthetic,
    loan_principal_rial,
    programme_sources,
    province_shares,
    start_month_shares,
    synthetic_table,
    vintage_shares,
)
from solarcoop.programme.table import earliest_start_month, read_table


@pytest.fixture(scope="module")
def national():
    return synthetic_table(seed=3)


def within_sampling(observed: pd.Series, shares: pd.Series, n: int) -> pd.Series:
    """Observed counts within five binomial standard deviations of n x share."""
    expected = shares * n
    sigma = np.sqrt(n * shares * (1 - shares))
    return (observed.reindex(shares.index, fill_value=0) - expected).abs() <= 5 * sigma + 1


def test_same_seed_same_table_and_another_seed_another():
    pd.testing.assert_frame_equal(synthetic_table(500, seed=7), synthetic_table(500, seed=7))
    assert not synthetic_table(500, seed=7).equals(synthetic_table(500, seed=8))


def test_the_reported_programme_has_22000_home_plants_and_the_named_aggregated_plants(national):
    homes = national[national["kind"] == "home"]
    assert len(homes) == 22_000
    assert (homes["capacity_kwp"] == 5.0).all() and (homes["families"] == 1).all()
    named = national[national["kind"] != "home"]
    assert len(named) == len(AGGREGATED_PLANTS)
    gomishan = named[named["province"] == "Golestan"].iloc[0]
    assert (gomishan["capacity_kwp"], gomishan["families"]) == (1400.0, 280)
    qom = named[named["kind"] == "cooperative"].iloc[0]
    assert (qom["province"], qom["capacity_kwp"], qom["families"], qom["start_month"]) == ("Qom", 3000.0, 400, "1405-01")
    # families: 22,000 home families + 280 + 240 + 200 + 200 + 150 + 1,000 + 400 + 600 + 400
    assert national["families"].sum() == 22_000 + 3_470


def test_province_counts_match_the_reported_ones_within_sampling(national):
    homes = national[national["kind"] == "home"]
    shares = province_shares()
    assert shares.sum() == pytest.approx(1.0)
    assert shares["Razavi Khorasan"] == pytest.approx(1060 / 22000)
    assert shares["South Khorasan"] == pytest.approx(628 / 22000)
    # the other 26 provinces share the rest evenly: (22,000 - 3,438) / 26 each
    assert shares["Tehran"] == pytest.approx((22000 - 3438) / 26 / 22000)
    assert within_sampling(homes["province"].value_counts(), shares, len(homes)).all()


def test_vintages_match_the_stated_yearly_rates_within_sampling(national):
    homes = national[national["kind"] == "home"]
    shares = vintage_shares()
    # rates 0.5 (1394-1396, 1394's counted in 1395), 1 (1397-1402), 2.5 (1403), 1.5 (1404):
    # 1.5 + 6 + 2.5 + 1.5 = 11.5
    assert shares[1403] == pytest.approx(2.5 / 11.5)
    assert shares[1395] == pytest.approx(1.0 / 11.5) and shares[1396] == pytest.approx(0.5 / 11.5)
    assert 1394 not in shares.index
    years = homes["start_month"].str.slice(0, 4).astype(int)
    # start months are drawn from the library's first month (1396-07) on; the plants the
    # rates put before it (1.25 of the 11.5 yearly rates) are folded forward in proportion
    earliest = earliest_start_month()
    assert homes["start_month"].min() == earliest == "1396-07"
    assert folded_forward_share() == pytest.approx(1.25 / 11.5)
    drawn = shares[shares.index >= 1396] / (1 - folded_forward_share())
    drawn[1396] = 0.25 / 11.5 / (1 - folded_forward_share())  # its second half only
    assert within_sampling(years.value_counts(), drawn, len(homes)).all()
    months_1404 = homes.loc[years == 1404, "start_month"].str.slice(5, 7).astype(int)
    assert months_1404.between(1, 6).all()
    # the contract year is SATBA's table year not after the start: 1400 and 1401 take 1399's
    expected = years.where(~years.isin([1400, 1401]), 1399).where(years < 1405, 1404)
    assert (homes["contract_year"] == expected).all()


def test_no_start_month_holds_a_pile(national):
    """No month holds more than 1.5 times the larger of its two neighbours (the stated
    rates change at most 2.5-fold from one year to the next, always upwards into the
    month on the higher side): the plants before the history's first month are spread
    forward, not piled into it."""
    homes = national[national["kind"] == "home"]
    counts = homes["start_month"].value_counts().reindex(start_month_shares().index, fill_value=0).to_numpy()
    neighbours = np.maximum(np.r_[0, counts[:-1]], np.r_[counts[1:], 0])
    assert (counts <= 1.5 * neighbours).all()
    shares = start_month_shares().to_numpy()
    assert shares.sum() == pytest.approx(1.0)
    assert (shares <= np.maximum(np.r_[0, shares[:-1]], np.r_[shares[1:], 0]) + 1e-15).all()


def test_the_table_and_the_sources_say_the_early_plants_are_folded_forward(national):
    assert national.attrs["start_months_from"] == earliest_start_month()
    assert national.attrs["folded_forward_share"] == pytest.approx(1.25 / 11.5)
    figure = programme_sources()["home_start_months_before_history"]
    assert (figure.value, figure.kind) == (earliest_start_month(), "assumption")
    assert "folded forward" in figure.note


def test_the_1404_target_adds_30000_plants_from_mehr_1404():
    table = synthetic_table(seed=1, with_1404_target=True, include_aggregated=False)
    assert len(table) == 52_000
    late = table["start_month"] >= "1404-07"
    expected = 30_000 / 52_000
    assert abs(late.mean() - expected) <= 5 * np.sqrt(expected * (1 - expected) / len(table))
    assert table["start_month"].max() <= "1405-06"


def test_loans_are_the_reported_terms_and_older_principals_deflated():
    figures = programme_sources()
    assert figures["home_loan_principal"].value == 1.5e9
    # 1.5e9 from 1403; 1402: 1.5e9 / 1.25 = 1,200 million rial; 1395: 1.5e9 / 1.25 ** 8 = 251.7 million
    assert loan_principal_rial(np.array([1404, 1403, 1402, 1395])).tolist() == [1.5e9, 1.5e9, 1.2e9, 252_000_000.0]
    table = synthetic_table(300, seed=2)
    assert (table["loan_rate_per_year"] == 0.04).all() and (table["loan_term_months"] == 84).all()
    assert (table["loan_grace_months"] == 0).all()


def test_coordinates_are_province_centres_or_within_the_spread():
    table = synthetic_table(400, seed=4)
    qom = table[table["province"] == "Qom"]
    assert (qom["latitude_deg"] == 34.64).all() and (qom["longitude_deg"] == 50.88).all()
    spread = synthetic_table(400, seed=4, spread_km=30.0)
    from solarcoop.site import distance_km

    qom = spread[spread["province"] == "Qom"]
    assert (distance_km(34.64, 50.88, qom["latitude_deg"], qom["longitude_deg"]) <= 30.1).all()


def test_the_table_says_it_is_synthetic_even_after_a_csv_round_trip():
    table = synthetic_table(50, seed=0)
    assert table.attrs["synthetic"] is True and is_synthetic(table)
    buffer = io.StringIO()
    table.to_csv(buffer, index=False)
    read_back = pd.read_csv(io.StringIO(buffer.getvalue()))
    assert not read_back.attrs and is_synthetic(read_back)
    read_back.loc[0, "plant_id"] = "real-1"
    assert not is_synthetic(read_back)


@pytest.mark.parametrize("n_plants", [0, 5, -1, 2.5, True])
def test_too_few_or_bad_plant_counts_are_refused_by_name(n_plants):
    with pytest.raises(InputError, match="n_plants"):
        synthetic_table(n_plants)


def test_a_negative_spread_is_refused_by_name():
    with pytest.raises(InputError, match="spread_km"):
        synthetic_table(20, spread_km=-1.0)


def test_every_figure_is_sourced_or_an_assumption_with_its_range():
    for figure in programme_sources().values():
        assert figure.kind in {"reported", "assumption"}, figure.figure
        assert figure.confidence in {"high", "medium", "low"}, figure.figure
        if figure.kind == "reported":
            assert figure.source, figure.figure
        if isinstance(figure.value, float):
            assert figure.low <= figure.value <= figure.high, figure.figure
    for plant in AGGREGATED_PLANTS:
        assert plant.figure in programme_sources()


@settings(max_examples=25, deadline=None)
@given(n_plants=st.integers(10, 400), seed=st.integers(0, 2**32 - 1))
def test_any_size_and_seed_gives_unique_ids_and_valid_rows(n_plants, seed):
    table = synthetic_table(n_plants, seed=seed)
    assert len(table) == n_plants and table["plant_id"].is_unique
    assert (table["families"] >= 1).all() and (table["capacity_kwp"] > 0).all()
    assert table["start_month"].str.fullmatch(r"1[34]\d\d-(0[1-9]|1[0-2])").all()


@pytest.mark.parametrize("with_1404_target", [False, True])
def test_the_table_passes_the_programme_tables_checks(with_1404_target):
    table = synthetic_table(seed=5, with_1404_target=with_1404_target, spread_km=20.0)
    read = read_table(table)
    assert len(read) == len(table)
    assert (read["contract_year"].to_numpy() == table["contract_year"].to_numpy()).all()
    assert (read["tariff_class"] == "support").all()
