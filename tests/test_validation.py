import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solarcoop._validation import (
    InputError,
    check_array,
    check_choice,
    check_fraction,
    check_number,
    check_rate,
)


def test_check_number_returns_the_value_in_range():
    assert check_number("plant.tilt_deg", 30, minimum=0, maximum=90) == 30
    assert check_number("x", 0.5, minimum=0, maximum=1, max_inclusive=False) == 0.5


def test_whole_number_float_comes_back_as_int():
    value = check_number("lifetime_years", 20.0, minimum=1, integer=True)
    assert value == 20 and type(value) is int
    assert type(check_number("n", np.int64(3), integer=True)) is int


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        ("30", {}, r"x = '30' is not a number"),
        (True, {}, r"x = True is not a number"),
        (None, {}, r"x = None is not a number"),
        (float("nan"), {}, r"x = nan must be finite"),
        (float("inf"), {}, r"x = inf must be finite"),
        (2.5, {"integer": True}, r"x = 2\.5 must be a whole number"),
        (-1, {"minimum": 0}, r"x = -1 is out of range: allowed 0 <= value$"),
        (0, {"minimum": 0, "min_inclusive": False}, r"allowed 0 < value"),
        (1, {"maximum": 1, "max_inclusive": False}, r"allowed value < 1"),
    ],
)
def test_check_number_refuses(value, kwargs, message):
    with pytest.raises(InputError, match=message):
        check_number("x", value, **kwargs)


def test_check_fraction_bounds_and_percent_hint():
    assert check_fraction("f", 0) == 0
    assert check_fraction("f", 1, allow_one=True) == 1
    with pytest.raises(InputError, match=r"f = 1 is out of range: allowed 0 <= value < 1 \(fractions"):
        check_fraction("f", 1)
    with pytest.raises(InputError, match=r"14 % is 0\.14"):
        check_fraction("plant.system_losses", 14)
    with pytest.raises(InputError, match="f = -0.1"):
        check_fraction("f", -0.1)
    with pytest.raises(InputError, match="is not a number"):
        check_fraction("f", "0.1")


def test_check_rate_allows_negative_and_flags_percent():
    assert check_rate("economy.inflation_per_year", -0.2) == -0.2
    assert check_rate("economy.inflation_per_year", 5.0) == 5.0
    with pytest.raises(InputError, match=r"economy\.inflation_per_year = 35 .*35 % is 0\.35"):
        check_rate("economy.inflation_per_year", 35)
    with pytest.raises(InputError, match="r = -1"):
        check_rate("r", -1)


def test_check_choice():
    assert check_choice("calendar", "jalali", ("jalali", "gregorian")) == "jalali"
    with pytest.raises(InputError, match=r"calendar = 'Jalali' is not allowed: choose one of \('jalali', 'gregorian'\)"):
        check_choice("calendar", "Jalali", ("jalali", "gregorian"))


@pytest.mark.parametrize(
    "values", [[0, 2], (0.0, 2.0), np.array([0, 2]), np.array([0.0, 2.0]), pd.Series([0.0, 2.0])]
)
def test_check_array_accepts_numbers_of_any_container(values):
    result = check_array("a", values, length=2, minimum=0)
    assert result.dtype == float
    np.testing.assert_array_equal(result, [0.0, 2.0])


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["0", "2"], r"economy\.cpi\[0\] = '0' is not a number"),
        ([1.0, "2"], r"economy\.cpi\[1\] = '2' is not a number"),
        ([1.0, 2.0, True], r"economy\.cpi\[2\] = True is not a number"),
        (np.array([True, False]), r"economy\.cpi\[0\] = .*True is not a number"),
        ([1.0, None], r"economy\.cpi\[1\] = None is not a number"),
        (pd.Series(["1", "2"]), r"economy\.cpi\[0\] = '1' is not a number"),
        ("12", r"economy\.cpi = '12' is not a list of numbers"),
    ],
)
def test_check_array_refuses_non_numbers(values, message):
    with pytest.raises(InputError, match=message):
        check_array("economy.cpi", values)


@pytest.mark.parametrize(
    ("values", "kwargs", "message"),
    [
        ([1.0, 2.0], {"length": 3}, r"a has shape \(2,\): expected 3 values"),
        ([1.0, float("nan")], {}, r"a\[1\] = .*nan"),
        ([1.0, -1.0], {"minimum": 0}, r"a\[1\] = .*-1\.0 is not allowed: values must be finite and 0 <= value"),
        ([0.5, 1.0], {"maximum": 1, "max_inclusive": False}, r"a\[1\] = .*1\.0 is not allowed"),
    ],
)
def test_check_array_refuses_bad_shape_and_range(values, kwargs, message):
    with pytest.raises(InputError, match=message):
        check_array("a", values, **kwargs)


@given(st.lists(st.floats(0, 1e9), min_size=1, max_size=20))
def test_check_array_keeps_valid_values(values):
    np.testing.assert_array_equal(check_array("a", values, minimum=0), np.array(values, dtype=float))
