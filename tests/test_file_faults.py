"""Bad files as a hostile user would give them: scenario files and weather files.

One table per surface; each row holds the file and the words its error must hold (the
file, what is wrong, what to do), or None when the file must be accepted.
"""

from __future__ import annotations

import codecs
import json
import os
import warnings

import numpy as np
import pytest
from test_weather import write_epw

import solarcoop as sc
from solarcoop import weather
from solarcoop.cli import main
from solarcoop.weather import WeatherError, WeatherWarning

# ----------------------------------------------------------------- scenario files

GOOD = '[tariff]\nbase_price_rial_per_kwh = 40000\n'


def _fifo(path):
    os.mkfifo(path)
    return path


SCENARIO_CASES = {
    # name: (how to make the file from tmp path, words in the error; None: accepted)
    "utf-8 bom": (lambda p: p.write_bytes(codecs.BOM_UTF8 + GOOD.encode()), None),
    "utf-16": (lambda p: p.write_bytes(GOOD.encode("utf-16")), ["UTF-16", "save it as UTF-8"]),
    "utf-16 without bom": (lambda p: p.write_bytes(GOOD.encode("utf-16-le")), ["UTF-16", "UTF-8"]),
    "windows-1256": (lambda p: p.write_bytes('name = "تعاوني"\n'.encode("cp1256")),
                     ["not UTF-8", "Windows-1256", "save it as UTF-8"]),
    "latin-1": (lambda p: p.write_bytes('name = "Coopérative"\n'.encode("latin-1")), ["not UTF-8", "Latin-1"]),
    "binary": (lambda p: p.write_bytes(bytes(range(256)) * 4), ["binary, not text"]),
    "too large": (lambda p: p.write_bytes(b"# x\n" * 300_000), ["MB", "at most 1 MB"]),
    "a folder": (lambda p: p.mkdir(), ["is a folder, not a file"]),
    "missing": (lambda p: None, ["does not exist"]),
    "a pipe": (_fifo, ["not a regular file", "pipe"]),
    "deep nesting": (lambda p: p.write_text("x = " + "[" * 5000 + "]" * 5000), ["nest"]),
    "deep tables": (lambda p: p.write_text("[" + ".".join(["a"] * 3000) + "]\n"), ["scenario"]),
    "not toml": (lambda p: p.write_text("this is not toml"), ["not valid TOML"]),
    "jalali start date": (lambda p: p.write_text("start_date = 1405-01-21\n"), ["Jalali 1405-01-21 is 2026-04-10"]),
    "jalali start text": (lambda p: p.write_text('start_date = "1405-01-01"\n'), ["Jalali 1405-01-01 is 2026-03-21"]),
    "start year 1": (lambda p: p.write_text("start_date = 0001-01-01\n"), ["start_date", "1950 to 2100"]),
    "start as number": (lambda p: p.write_text("start_date = 12345\n"), ["start_date", "not a date"]),
    "families 1e308": (lambda p: p.write_text("[cooperative]\nfamilies = 1e308\n"), ["cooperative.families", "1,000,000"]),
    "fill gaps 1e9": (lambda p: p.write_text("weather_fill_gaps_hours = 1000000000\n"), ["weather_fill_gaps_hours", "24"]),
    "accept unknown": (lambda p: p.write_text('weather_accept = ["everything"]\n'), ["weather_accept", "closure"]),
    "accept closure": (lambda p: p.write_text('weather_accept = ["closure"]\nweather_fill_gaps_hours = 3\n'), None),
}


@pytest.mark.parametrize("case", list(SCENARIO_CASES))
def test_scenario_files(tmp_path, case):
    make, words = SCENARIO_CASES[case]
    path = tmp_path / "case.toml"
    make(path)
    if words is None:
        sc.load_scenario(path)
        return
    with pytest.raises(sc.InputError) as raised:
        sc.load_scenario(path)
    message = str(raised.value)
    for word in words:
        assert word in message, message


def test_a_device_is_refused_without_reading_it():
    with pytest.raises(sc.InputError, match="not a regular file"):
        sc.load_scenario("/dev/zero")


def test_weather_options_in_a_scenario_file_round_trip(tmp_path):
    scenario = sc.qom_baseline().with_changes({"weather_fill_gaps_hours": 3, "weather_accept": ["closure"]})
    back = sc.load_scenario(sc.save_scenario(scenario, tmp_path / "s.toml"))
    assert back.weather_fill_gaps_hours == 3 and back.weather_accept == ("closure",)


# ----------------------------------------------------------------- weather files


@pytest.fixture(scope="module")
def default():
    return weather.qom_typical_year()


def _csv(path, frame, encoding="utf-8"):
    table = frame.tz_localize(None).rename_axis("time").reset_index()
    path.write_bytes(table.to_csv(index=False).encode(encoding))
    return path


def _changed(frame, **columns):
    frame = frame.copy()
    for column, values in columns.items():
        frame[column] = values(frame) if callable(values) else values
    return frame


WEATHER_CASES = {
    # name: (make(path, default) -> path, read keywords, words; None: accepted)
    "dni zero": (lambda p, d: _csv(p.with_suffix(".csv"), _changed(d, dni=0.0)), {},
                 ["closure", "adds up to", "accept"]),
    "dni zero accepted": (lambda p, d: _csv(p.with_suffix(".csv"), _changed(d, dni=0.0)),
                          {"accept": ["closure"]}, None),
    "dhi 1.5 ghi": (lambda p, d: _csv(p.with_suffix(".csv"), _changed(d, dhi=lambda f: 1.5 * f["ghi"])), {},
                    ["closure", "weather_accept"]),
    "all dark": (lambda p, d: _csv(p.with_suffix(".csv"), _changed(d, ghi=0.0, dni=0.0, dhi=0.0)), {},
                 ["kWh/m2", "dark", "--accept-weather dark"]),
    "all dark accepted": (lambda p, d: _csv(p.with_suffix(".csv"), _changed(d, ghi=0.0, dni=0.0, dhi=0.0)),
                          {"accept": ["dark"]}, None),
    "epw in kelvin": (lambda p, d: write_epw(p.with_suffix(".epw"), _changed(d, temp_air=lambda f: f["temp_air"] + 273.15)),
                      {}, ["temp_air", "kelvin"]),
    "truncated epw": (lambda p, d: _truncate(write_epw(p.with_suffix(".epw"), d), 0.5), {},
                      ["qom.epw"]),
    "truncated json": (lambda p, d: _write(p.with_suffix(".json"), '{"outputs": {"tmy_hourly": ['), {},
                       ["not valid JSON", "truncated"]),
    "json list": (lambda p, d: _write(p.with_suffix(".json"), "[1, 2, 3]"), {}, ["qom.json", "not a PVGIS file"]),
    "json without meta": (lambda p, d: _write(p.with_suffix(".json"), json.dumps({"outputs": {"tmy_hourly": []}})),
                          {}, ["qom.json", "could not be read"]),
    "utf-16 csv": (lambda p, d: _csv(p.with_suffix(".csv"), d, "utf-16"), {}, ["UTF-16", "save it as UTF-8"]),
    "binary": (lambda p, d: _write_bytes(p.with_suffix(".csv"), bytes(range(256)) * 40), {}, ["binary"]),
    "one column": (lambda p, d: _write(p.with_suffix(".csv"), "time\n2025-01-01 00:00\n"), {}, ["missing column"]),
    "no time column": (lambda p, d: _write(p.with_suffix(".csv"), "ghi,temp_air\n1,2\n"), {}, ["'time' column"]),
    "a folder": (lambda p, d: _mkdir(p), {}, ["is a folder"]),
    "dev null": (lambda p, d: "/dev/null", {}, ["not a regular file"]),
    "a pipe": (lambda p, d: _fifo(p.with_suffix(".csv")), {}, ["not a regular file"]),
    "missing": (lambda p, d: p.with_suffix(".epw"), {}, ["does not exist"]),
    "site as text": (lambda p, d: _csv(p.with_suffix(".csv"), d), {"site": "Qom"}, ["site = 'Qom'", "Site"]),
    "fill gaps too long": (lambda p, d: _csv(p.with_suffix(".csv"), d), {"fill_gaps_hours": 10**9},
                           ["fill_gaps_hours", "24"]),
    "accept unknown": (lambda p, d: _csv(p.with_suffix(".csv"), d), {"accept": ["all"]}, ["accept", "closure"]),
    "one nan hour": (lambda p, d: _csv(p.with_suffix(".csv"), _nan_hour(d)), {}, ["fill_gaps_hours=1"]),
    "one nan hour filled": (lambda p, d: _csv(p.with_suffix(".csv"), _nan_hour(d)), {"fill_gaps_hours": 1}, None),
}


def _nan_hour(frame):
    frame = frame.copy()
    frame.iloc[4000, 0] = np.nan
    return frame


def _write(path, text):
    path.write_text(text)
    return path


def _write_bytes(path, data):
    path.write_bytes(data)
    return path


def _mkdir(path):
    path.mkdir()
    return path


def _truncate(path, share):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])
    return path


@pytest.mark.parametrize("case", list(WEATHER_CASES))
def test_weather_files(tmp_path, default, case):
    make, keywords, words = WEATHER_CASES[case]
    path = make(tmp_path / "qom", default)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeatherWarning)
        if words is None:
            data, metadata = weather.read(path, **keywords)
            assert len(data) == 8760
            return
        with pytest.raises(sc.InputError) as raised:  # a WeatherError for what is in the file
            weather.read(path, **keywords)
    message = str(raised.value)
    assert "\n" not in message
    if not keywords:  # a problem in the file itself
        assert isinstance(raised.value, WeatherError)
    for word in words:
        assert word in message, message


def test_typical_years_refuses_a_count_that_cannot_fit():
    with pytest.raises(sc.InputError, match="weather.n = 1000000000 is out of range"):
        weather.typical_years(10**9)


def test_gap_filling_and_acceptance_reach_the_command_line(tmp_path, default, capsys):
    path = _csv(tmp_path / "no_beam.csv", _changed(default, dni=0.0))
    scenario = sc.save_scenario(sc.qom_baseline().with_changes({"weather": str(path), "lifetime_years": 1,
                                                                 "loan.term_months": 12}), tmp_path / "s.toml")
    assert main(["run", str(scenario), "--out", str(tmp_path / "a")]) == 2
    assert "--accept-weather closure" in capsys.readouterr().err
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeatherWarning)
        assert main(["run", str(scenario), "--accept-weather", "closure", "--fill-gaps-hours", "2",
                     "--paths", "0", "--out", str(tmp_path / "b")]) == 0
