import numpy as np
import pandas as pd
import pytest

from solarcoop import InputError
from solarcoop.calendar import (
    accounting_months,
    day_of_year_index,
    from_jalali,
    to_jalali,
)


def test_jalali_year_1405_has_365_days_and_starts_21_march():
    months = accounting_months("2026-03-21", 12)
    assert months["start_date"].iloc[0] == pd.Timestamp("2026-03-21")
    assert months["end_date"].iloc[-1] == pd.Timestamp("2027-03-21")
    assert months["days"].tolist() == [31] * 6 + [30] * 5 + [29]
    assert months["label"].iloc[0] == "1405-01"
    assert months["label"].iloc[-1] == "1405-12"


def test_leap_jalali_year_has_30_day_esfand():
    # 1403 was a leap year: 1 Farvardin 1404 fell on 21 March 2025
    months = accounting_months(from_jalali(1403, 1, 1), 12)
    assert months["days"].iloc[-1] == 30
    assert months["end_date"].iloc[-1] == pd.Timestamp("2025-03-21")


def test_months_tile_the_life_without_gaps():
    months = accounting_months("2026-03-21", 300)
    assert (months["start_date"].iloc[1:].to_numpy() == months["end_date"].iloc[:-1].to_numpy()).all()
    assert months["days"].sum() == (pd.Timestamp("2051-03-21") - pd.Timestamp("2026-03-21")).days
    assert months["operating_year"].iloc[-1] == 25
    assert np.bincount(months["operating_year"])[1:].tolist() == [12] * 25


def test_gregorian_months():
    months = accounting_months("2026-01-01", 14, calendar="gregorian")
    assert months["days"].tolist()[:3] == [31, 28, 31]
    assert months["label"].iloc[13] == "2027-02"


def test_start_must_be_first_of_month():
    with pytest.raises(InputError, match="start_date = 2026-03-22 is Jalali 1405-01-02"):
        accounting_months("2026-03-22", 12)
    with pytest.raises(InputError, match="calendar"):
        accounting_months("2026-03-21", 12, calendar="hijri")


def test_round_trip():
    assert to_jalali(from_jalali(1405, 7, 1)) == (1405, 7, 1)


def test_day_of_year_index_maps_leap_day_onto_28_february():
    days = pd.date_range("2028-02-27", "2028-03-02")
    assert day_of_year_index(days).tolist() == [57, 58, 58, 59, 60]
