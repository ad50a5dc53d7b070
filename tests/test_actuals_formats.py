"""Actuals files as spreadsheets really write them: read right, or refused naming the row,
the column and the likely cause."""

from __future__ import annotations

import codecs
import os

import numpy as np
import pandas as pd
import pytest

import solarcoop as sc
from solarcoop import actuals
from solarcoop.actuals import check_against_scenario, load_actuals
from solarcoop.calendar import accounting_months

MONTHS = accounting_months("2026-03-21", 12 * 25)
"""The Qom baseline's months: 1405-01 onwards."""


def write(tmp_path, content: bytes, name: str = "actuals.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def check(table, today="2026-12-01"):
    """The months of ``table`` against a 3,000 kWp plant at 30,000 rial/kWh, on ``today``."""
    return check_against_scenario(table, MONTHS, np.full(len(MONTHS), 30_000.0), 3_000.0, 1_150_000.0, today=today)


def test_a_european_excel_export_with_bom_semicolons_and_comma_decimals(tmp_path):
    text = "month;energy_kwh;billed_rial;cpi_index;inflation_12m\r\n1405-01;451.929;13.557.870.000;479,8;0,38\r\n1405-02;410 000,5;;494,9;\r\n"
    table = load_actuals(write(tmp_path, codecs.BOM_UTF8 + text.encode("utf-8")))
    assert table["energy_kwh"].tolist() == [451_929.0, 410_000.5]
    assert table["billed_rial"].iloc[0] == 13_557_870_000.0 and np.isnan(table["billed_rial"].iloc[1])
    assert table["cpi_index"].tolist() == [479.8, 494.9]
    assert table["inflation_12m"].iloc[0] == 0.38
    assert check(table).tolist() == [0, 1]


def test_windows_1256_is_read_and_a_persian_column_name_is_named_as_written(tmp_path):
    ok = "month,energy_kwh\n1405-01,451929\n".encode("cp1256")
    assert load_actuals(write(tmp_path, ok))["energy_kwh"].tolist() == [451_929.0]
    named = "month,energy_kwh,توضيحات\n1405-01,451929,ماه اول\n".encode("cp1256")
    with pytest.raises(sc.InputError, match="column 'توضيحات' is not known"):
        load_actuals(write(tmp_path, named))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_exports_with_or_without_a_byte_order_mark(tmp_path, encoding):
    text = "month\tenergy_kwh\tcpi_index\r\n۱۴۰۵-۰۱\t۴۵۱٬۹۲۹\t479.8\r\n"
    table = load_actuals(write(tmp_path, text.encode(encoding)))
    assert table["month"].tolist() == ["1405-01"]
    assert table["energy_kwh"].tolist() == [451_929.0]
    assert table["cpi_index"].tolist() == [479.8]


def test_a_tab_export_in_a_comma_decimal_locale(tmp_path):
    table = load_actuals(write(tmp_path, b"month\tenergy_kwh\tcpi_index\n1405-01\t451.929\t479,8\n"))
    assert table["energy_kwh"].tolist() == [451_929.0] and table["cpi_index"].tolist() == [479.8]


def test_persian_digits_and_separators(tmp_path):
    text = "month,energy_kwh,inflation_12m\n۱۴۰۵/۰۲,\"۴۵۱٬۹۲۹\",۰٫۴\n"
    table = load_actuals(write(tmp_path, text.encode("utf-8")))
    assert table["month"].tolist() == ["1405-02"]
    assert table["energy_kwh"].tolist() == [451_929.0] and table["inflation_12m"].tolist() == [0.4]


def test_energy_in_mwh_is_read_as_kwh(tmp_path):
    table = load_actuals(write(tmp_path, b"month,energy_mwh\n1405-01,451.929\n1405-02,\n"))
    assert table["energy_kwh"].iloc[0] == pytest.approx(451_929.0)
    assert np.isnan(table["energy_kwh"].iloc[1])
    with pytest.raises(sc.InputError, match="both energy_kwh and energy_mwh"):
        load_actuals(write(tmp_path, b"month,energy_kwh,energy_mwh\n1405-01,1,1\n"))


def test_dots_that_can_only_separate_thousands_are_read_as_such(tmp_path):
    table = load_actuals(write(tmp_path, b"month,billed_rial\n1405-01,13.557.870.000\n"))
    assert table["billed_rial"].tolist() == [13_557_870_000.0]


@pytest.mark.parametrize("content", [b"month,energy_kwh\n1405-01,451.929\n", b"month,energy_kwh\n1405-01,452\n"])
def test_energy_a_thousand_times_too_small_is_refused_with_the_likely_cause(tmp_path, content):
    table = load_actuals(write(tmp_path, content))
    with pytest.raises(sc.InputError, match=r"row 2 \(1405-01\), column energy_kwh: .* is it in MWh .*451\.929 for 451,929"):
        check(table)


def test_a_month_with_no_energy_is_zero_and_accepted(tmp_path):
    table = load_actuals(write(tmp_path, b"month,energy_kwh\n1405-01,0\n"))
    assert check(table).tolist() == [0]


def test_size_is_limited_before_reading(tmp_path):
    path = write(tmp_path, b"month,energy_kwh\n" + b"1405-01,451929\n" * (actuals.MAX_FILE_BYTES // 15 + 1))
    with pytest.raises(sc.InputError, match=r"is [\d,]+ bytes: at most 2,097,152 are read"):
        load_actuals(path)
    rows = "".join(f"{1405 + i // 12}-{i % 12 + 1:02d},1\n" for i in range(actuals.MAX_ROWS + 1))
    with pytest.raises(sc.InputError, match="1,201 rows: at most 1,200 months"):
        load_actuals(write(tmp_path, ("month,energy_kwh\n" + rows).encode()))


def test_a_month_years_ahead_is_refused(tmp_path):
    table = load_actuals(write(tmp_path, b"month,energy_kwh\n1415-01,451929\n"))
    with pytest.raises(sc.InputError, match=r"row 2, column month: 1415-01 begins more than 12 months after today \(2026-12-01\)"):
        check(table)
    with pytest.raises(sc.InputError, match="1415-01 comes 120 months after operation starts \\(1405-01\\)"):
        check(table, today="2040-01-01")
    gap = load_actuals(write(tmp_path, b"month,energy_kwh\n1405-01,451929\n1408-02,451929\n"))
    with pytest.raises(sc.InputError, match=r"row 3, column month: 1408-02 comes 36 months after 1405-01"):
        check(gap, today="2040-01-01")
    assert check(load_actuals(write(tmp_path, b"month,energy_kwh\n1406-08,451929\n")), today="2026-12-01").tolist() == [19]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty: give a header row"),
        (b"\n\n  \n", "is empty: give a header row"),
        (b"month,energy_kwh\n", "have no rows"),
        (b"month,energy_kwh\n1405-01,451,929\n", r"row 2: 3 cells, but the header has 2 columns; a number may hold ','"),
        (b"month;energy_kwh\n1405-01;451;929\n", r"row 2: 3 cells, but the header has 2 columns; is ';' inside a cell"),
        (b"month,energy_kwh\n1405-02,1\n1405-01,1\n1405-02,1\n1405-01,1\n", "rows 2 and 4, column month: 1405-02 appears twice"),
        (b"month,energy_kwh\n1405-01,1\n1405-01,1\n1405-01,1\n", "rows 2, 3 and 4, column month: 1405-01 appears 3 times"),
        (b"\x00\x01\x02binary\x00\xff\xfe\x00\x00", "is not text in UTF-8, UTF-16 or Windows-1256"),
    ],
    ids=["empty", "blank-lines", "header-only", "extra-cell-comma", "extra-cell-semicolon", "duplicates-interleaved",
         "three-times", "binary"],
)
def test_files_that_cannot_be_read_say_why(tmp_path, content, message):
    with pytest.raises(sc.InputError, match=message):
        load_actuals(write(tmp_path, content))


def test_an_xlsx_that_is_really_csv_is_read_and_a_broken_workbook_refused(tmp_path):
    table = load_actuals(write(tmp_path, b"month,energy_kwh\n1405-01,451929\n", "actuals.xlsx"))
    assert table["energy_kwh"].tolist() == [451_929.0]
    with pytest.raises(sc.InputError, match="cannot be read as an Excel workbook"):
        load_actuals(write(tmp_path, b"PK\x03\x04 not a zip at all", "actuals.xlsx"))


def test_a_real_workbook_is_read(tmp_path):
    path = tmp_path / "actuals.xlsx"
    pd.DataFrame({"month": ["1405-01"], "energy_kwh": [451929]}).to_excel(path, index=False)
    assert load_actuals(path)["energy_kwh"].tolist() == [451_929.0]


def test_a_pipe_or_a_folder_is_named_as_what_it_is(tmp_path):
    fifo = tmp_path / "actuals.csv"
    os.mkfifo(fifo)
    with pytest.raises(sc.InputError, match="is not a regular file"):
        load_actuals(fifo)
    with pytest.raises(sc.InputError, match="is a folder"):
        load_actuals(tmp_path)
    with pytest.raises(sc.InputError, match="does not exist"):
        load_actuals(tmp_path / "missing.csv")
