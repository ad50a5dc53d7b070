"""The history files: checksums, ranges, sources, and the named ways to fill a month."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solarcoop import history
from solarcoop._validation import InputError

RANGES = {
    # chained CPI, base 1400 = 100: 1396 about 30, 1404 about 400
    "cpi": (20.0, 1_000.0),
    # rial per euro: 1390s official about 16,000; 1404 about 1.5 million
    "euro_official": (10_000.0, 5_000_000.0),
    "euro_free_market": (10_000.0, 5_000_000.0),
}


@pytest.mark.parametrize("name", history.SERIES)
def test_every_file_matches_its_stated_checksum(name):
    header, data = history.split(history._text(name))
    assert header["sha256"] == history.checksum(data)
    history.read(name)  # verify=True does not raise


@pytest.mark.parametrize("name", history.SERIES)
def test_every_file_states_what_a_reader_needs(name):
    header = history.read(name).header
    for key in ("series", "title", "unit", "sources", "last_month", "missing", "extend", "sha256"):
        assert header.get(key), f"{name}.csv has no {key!r} in its header"
    assert header["series"] == name
    history.parse_month(header["last_month"])


@pytest.mark.parametrize("name", history.MONTHLY_SERIES)
def test_monthly_files_are_in_range_ordered_and_sourced(name):
    file = history.read(name)
    table = file.table
    low, high = RANGES[name]
    values = history._sourced(name).to_numpy()
    assert ((values > low) & (values < high)).all()
    positions = [history._position(m) for m in table["month"]]
    assert positions == sorted(set(positions)), "months ascend, each once"
    assert table["month"].iloc[-1] <= file.last_month
    assert table["source"].str.len().gt(5).all(), "every row names its source"
    assert set(table["kind"]) <= {"published", "derived"}
    derived = table[table["kind"] == "derived"]
    assert derived["note"].str.contains("/").all(), "a derived row shows its formula"


def test_cpi_only_rises_and_its_chain_joins_the_bases():
    cpi = history._sourced("cpi")
    assert (np.diff(cpi.to_numpy()) > 0).all()
    # Bahman 1400 on base 1395 (396.4) equals Bahman 1401 (166.20, base 1400) over 1.534
    assert 396.4 / history.CPI_CHAIN_FACTOR == pytest.approx(166.20 / 1.534)
    # derived rows agree with a second published figure: Dey 1400 from two routes
    assert 396.4 / 1.021 == pytest.approx(587.4 / 1.513, rel=1e-3)
    # Ordibehesht 1398 over its point-to-point rate gives Ordibehesht 1397 as published
    table = history.read("cpi").table.set_index("month")
    assert table.loc["1398-02", "value"] / 1.521 == pytest.approx(table.loc["1397-02", "value"], rel=1e-3)
    # the months of 1390 to 1396-06 stay missing: none was sourced, none is invented
    assert table.index.min() == "1396-07"


def test_a_changed_file_is_refused(monkeypatch):
    text = history._text("cpi").replace("1404-07,403.8", "1404-07,413.8")
    monkeypatch.setattr(history, "_text", lambda name: text)
    with pytest.raises(InputError, match="checksum"):
        history.read("cpi")


def test_rehash_writes_the_checksum_an_extender_needs(tmp_path):
    text = history._text("euro_free_market")
    extended = text + '1400-07,320000,free_market,published,"example source",\n'
    (tmp_path / "euro_free_market.csv").write_text(extended, encoding="utf-8")
    digest = history.rehash("euro_free_market", root=tmp_path)
    header, data = history.split((tmp_path / "euro_free_market.csv").read_text(encoding="utf-8"))
    assert header["sha256"] == digest == history.checksum(data)
    assert "1400-07,320000" in data


def test_missing_months_stay_missing_without_a_named_fill():
    frame = history.monthly("euro_official", "1400-05", "1400-07")
    assert frame["value"].isna().tolist() == [True, False, True]
    assert frame["method"].tolist() == ["missing", "sourced", "missing"]
    assert not frame["filled"].any()


def test_log_linear_fill_is_geometric_between_sourced_months_and_marked():
    # Dey 1400 388.25 and Bahman 1400 396.4 (base 1395) are neighbours: nothing to fill
    frame = history.monthly("cpi", "1403-02", "1403-05", fill="log_linear")
    a, b = 243.0, 260.28  # Ordibehesht and Mordad 1403
    expected = [a, a * (b / a) ** (1 / 3), a * (b / a) ** (2 / 3), b]
    np.testing.assert_allclose(frame["value"].to_numpy(), expected, rtol=1e-12)
    assert frame["method"].tolist() == ["sourced", "log_linear", "log_linear", "sourced"]


def test_log_linear_reaches_twelve_months_beyond_the_data_and_no_further():
    first = history.read("cpi").table["month"].iloc[0]
    frame = history.monthly("cpi", history.shift_month(first, -13), first, fill="log_linear")
    assert np.isnan(frame["value"].iloc[0]) and frame["method"].iloc[0] == "missing"
    assert np.isfinite(frame["value"].iloc[1:]).all()


def test_the_euro_outside_its_data_keeps_its_real_value():
    first = history.read("euro_official").table["month"].iloc[0]
    start = history.shift_month(first, -12)
    frame = history.monthly("euro_official", start, first, fill="log_linear_cpi_ratio")
    cpi = history.monthly("cpi", start, first, fill="log_linear")["value"]
    real = frame["value"] / cpi
    np.testing.assert_allclose(real.to_numpy(), real.iloc[-1], rtol=1e-12)
    assert frame["method"].iloc[0] == "log_linear_cpi_ratio" and frame["method"].iloc[-1] == "sourced"


@given(st.integers(1396, 1404), st.integers(1, 12), st.integers(0, 40))
def test_months_between_counts_and_shifts(year, month, n):
    first = history.month_label(year, month)
    last = history.shift_month(first, n)
    labels = history.months_between(first, last)
    assert len(labels) == n + 1 and labels[0] == first and labels[-1] == last


def test_base_prices_by_contract_year_and_class():
    assert history.base_price_row(1396, 5)["base_price_rial_per_kwh"] == 8_000
    assert history.base_price_row(1399, 3_000)["base_price_rial_per_kwh"] == 6_370
    assert history.base_price_row(1398, 50)["base_price_rial_per_kwh"] == 9_100
    assert history.base_price_row(1402, 5)["base_price_rial_per_kwh"] == 25_000
    support = history.base_price_row(1403, 5, support=True)
    assert support["base_price_rial_per_kwh"] == 30_000 and support["step_rule"] == "none"
    # no support class before the 1402 decree: the size class
    assert history.base_price_row(1397, 5, support=True)["base_price_rial_per_kwh"] == 8_000


def test_base_price_table_rows_are_whole_and_in_range():
    table = history.read("satba_base_prices").table
    assert table["base_price_rial_per_kwh"].between(1_000, 200_000).all()
    assert set(table["step_rule"]) <= set(history.STEP_RULES)
    assert set(table["confidence"]) <= {"sourced", "assumed"}
    assert (table["from_year"] <= table["to_year"]).all() and (table["min_kw"] < table["max_kw"]).all()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: history.base_price_row(1400, 5), "contract year 1400, 5 kW.*not in the history"),
        (lambda: history.monthly("cpi", "1400-01", "1400-02", fill="spline"), "not a named method"),
        (lambda: history.monthly("satba_base_prices", "1400-01", "1400-02"), "not monthly"),
        (lambda: history.parse_month("1397/07"), "not a Jalali month"),
        (lambda: history.read("gold"), "not known"),
    ],
)
def test_bad_requests_name_what_is_allowed(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_common_last_month():
    assert history.common_last_month() == min(history.read("cpi").last_month, history.read("euro_official").last_month)
    assert isinstance(history.monthly("cpi", "1404-07", "1404-07"), pd.DataFrame)
