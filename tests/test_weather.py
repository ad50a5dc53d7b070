"""Tests for solarcoop.weather: the default year, varied years, readers and their checks.

Weather files are written into tmp_path from the embedded default year, so every
expected number is known: a reader must give the year back, and each planted
problem must be reported or refused.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pvlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solarcoop import weather
from solarcoop._validation import InputError
from solarcoop.site import QOM, Site
from solarcoop.weather import WeatherError, WeatherWarning, checks, readers
from solarcoop.weather.sky import clear_sky_year

TEHRAN_DEG_MIN = Site(latitude=35.683, longitude=51.317, altitude_m=1190,
                      timezone="Asia/Tehran", name="Mehrabad")


@pytest.fixture(scope="module")
def default():
    return weather.qom_typical_year()


def quiet_read(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeatherWarning)
        return weather.read(*args, **kwargs)


# ------------------------------------------------------------------ file writers


def write_epw(path, frame, *, tz=3.5, lat=34.64, lon=50.88, data_type="TMY", shift_rows=0,
              year=2013):
    """An EPW of ``frame`` with hour-start rows rolled ``shift_rows`` (wall clock moved)."""
    values = np.roll(frame[list(weather.COLUMNS)].to_numpy(), shift_rows, axis=0)
    index = frame.index.tz_localize(None)
    n = len(frame)
    filler = np.zeros(n)
    table = pd.DataFrame({
        "year": np.full(n, year), "month": index.month, "day": index.day, "hour": index.hour + 1,
        "minute": np.full(n, 60), "flags": ["?9" * 22] * n, "temp_air": values[:, 3],
        "temp_dew": filler, "rh": np.full(n, 50), "pressure": np.full(n, 90000),
        "etr": filler, "etrn": filler, "ir": filler, "ghi": values[:, 0], "dni": values[:, 1],
        "dhi": values[:, 2],
    })
    for k in range(4):
        table[f"illum{k}"] = filler
    table["wind_direction"] = filler
    table["wind_speed"] = values[:, 4]
    for k in range(13):
        table[f"rest{k}"] = filler
    header = [
        f"LOCATION,Test,-,IRN,{data_type},000000,{lat},{lon},{tz},930.0",
        "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
        "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,test", "COMMENTS 2,test",
        "DATA PERIODS,1,1,Data,Sunday,1/ 1,12/31",
    ]
    body = table.round(2).to_csv(header=False, index=False, lineterminator="\n")
    path.write_text("\n".join(header) + "\n" + body)
    return path


def utc_frame(frame):
    """The default in UTC (hour starts at HH:30 UTC, so re-cut to HH:00: exact hour mixing)."""
    utc = frame.tz_convert("UTC")
    values = utc.to_numpy()
    # UTC hour h:00 covers local (h+3):30..(h+4):30, half of two local hours.
    mixed = 0.5 * (values + np.roll(values, -1, axis=0))
    return pd.DataFrame(mixed, index=utc.index + pd.Timedelta(minutes=30), columns=frame.columns)


PVGIS_NAMES = {"ghi": "G(h)", "dni": "Gb(n)", "dhi": "Gd(h)", "temp_air": "T2m",
               "wind_speed": "WS10m"}


def pvgis_tmy_records(frame):
    utc = utc_frame(frame)
    table = utc.rename(columns=PVGIS_NAMES)
    table.insert(0, "time(UTC)", utc.index.strftime("%Y%m%d:%H%M"))
    for column in ("RH", "IR(h)", "WD10m", "SP"):
        table[column] = 0.0
    return table


def write_pvgis_tmy_json(path, frame, lat=34.64, lon=50.88):
    src = {
        "inputs": {"location": {"latitude": lat, "longitude": lon, "elevation": 930.0}},
        "meta": {"inputs": {}},
        "outputs": {"months_selected": [{"month": m, "year": 2010} for m in range(1, 13)],
                    "tmy_hourly": pvgis_tmy_records(frame).to_dict(orient="records")},
    }
    path.write_text(json.dumps(src))
    return path


def write_pvgis_tmy_csv(path, frame):
    table = pvgis_tmy_records(frame)[["time(UTC)", "T2m", "RH", "G(h)", "Gb(n)", "Gd(h)",
                                      "IR(h)", "WS10m", "WD10m", "SP"]]
    lines = ["Latitude (decimal degrees): 34.640", "Longitude (decimal degrees): 50.880",
             "Elevation (m): 930.0", "month,year"]
    lines += [f"{m},2010" for m in range(1, 13)]
    body = table.to_csv(index=False, lineterminator="\r\n")
    path.write_bytes(("\r\n".join(lines) + "\r\n" + body + "T2m: 2-m air temperature\r\n").encode())
    return path


# ------------------------------------------------------------------ default year


def test_default_shape_and_time_labels(default):
    assert len(default) == 8760
    assert list(default.columns) == ["ghi", "dni", "dhi", "temp_air", "wind_speed"]
    assert str(default.index.tz) == "Asia/Tehran"
    assert default.index[0] == pd.Timestamp("2025-01-01 00:00", tz="Asia/Tehran")
    assert (np.diff(default.index.asi8) == np.diff(default.index.asi8)[0]).all()
    assert default.notna().all().all()


def test_default_annual_ghi_is_about_2005(default):
    # domain notes: Ineichen x Kashan monthly ratios at Qom gives about 2,005 kWh/m2
    assert default["ghi"].sum() / 1000 == pytest.approx(2005, abs=10)


def test_default_reproduces_its_monthly_inputs(default):
    clear = clear_sky_year(QOM)
    ratio = default["ghi"].groupby(default.index.month).sum() / clear["ghi_clear"].groupby(
        clear["month"]).sum()
    np.testing.assert_allclose(ratio.to_numpy(), weather.QOM_MONTHLY["clear_sky_ratio"], atol=0.002)
    temp = default["temp_air"].groupby(default.index.month).mean()
    np.testing.assert_allclose(temp.to_numpy(), weather.QOM_MONTHLY["temp_air_mean_c"], atol=1e-9)
    daily = default["temp_air"].resample("D").agg(["min", "max"])
    half_range = ((daily["max"] - daily["min"]) / 2).groupby(daily.index.month).mean()
    np.testing.assert_allclose(half_range, weather.QOM_MONTHLY["temp_air_half_range_c"], rtol=0.02)
    wind = default["wind_speed"].groupby(default.index.month).mean()
    np.testing.assert_allclose(wind.to_numpy(), weather.QOM_MONTHLY["wind_speed_m_per_s"])


def test_default_has_clear_and_cloudy_days(default):
    clear = clear_sky_year(QOM)["ghi_clear"].to_numpy().reshape(365, 24).sum(axis=1)
    ratio = default["ghi"].to_numpy().reshape(365, 24).sum(axis=1) / clear
    january = ratio[:31]
    assert january.max() > 0.95 and january.min() < 0.5


def test_default_irradiance_is_consistent_for_perez(default):
    sun_up = default["ghi"] > 0
    assert (default.loc[sun_up, "dhi"] > 0).all()
    assert (default["dhi"] <= default["ghi"] + 1e-9).all()
    assert (default[["ghi", "dni", "dhi"]] >= 0).all().all()
    assert (default.loc[default.index.hour == 0, "ghi"] == 0).all()


def test_default_returns_a_copy_and_is_deterministic(default):
    first = weather.qom_typical_year()
    first.iloc[:, :] = -1.0
    pd.testing.assert_frame_equal(weather.qom_typical_year(), default)


def test_default_elsewhere_follows_the_sun():
    south = Site(latitude=-34.64, longitude=50.88, altitude_m=930, timezone="Asia/Tehran")
    year = weather.qom_typical_year(south)
    assert year["ghi"][year.index.month == 1].sum() > year["ghi"][year.index.month == 6].sum()


# ----------------------------------------------------------------- varied years


def test_typical_years_same_seed_same_years():
    a, b = weather.typical_years(2, seed=7), weather.typical_years(2, seed=7)
    pd.testing.assert_frame_equal(a[1], b[1])
    c = weather.typical_years(2, seed=8)
    assert not np.allclose(a[0]["ghi"], c[0]["ghi"])


def test_typical_years_without_interannual_spread_keep_the_annual_ghi(default):
    years = weather.typical_years(3, seed=1, interannual_std=0.0)
    annual = [year["ghi"].sum() for year in years]
    np.testing.assert_allclose(annual, default["ghi"].sum(), rtol=1e-3)
    assert not np.allclose(years[0]["ghi"], years[1]["ghi"])  # days still differ


def test_typical_years_spread_matches_calibration(default):
    annual = np.array([year["ghi"].sum() for year in weather.typical_years(120, seed=3)])
    spread = annual.std(ddof=1) / default["ghi"].sum()
    assert 0.019 < spread < 0.031  # 2.5 % +- sampling error of 120 years (about 0.16 %)


@pytest.mark.parametrize(("field", "kwargs"), [
    ("weather.n", {"n": 0}),
    ("weather.n", {"n": 1.5}),
    ("weather.interannual_std", {"n": 2, "interannual_std": 2.5}),
])
def test_typical_years_bad_inputs(field, kwargs):
    with pytest.raises(InputError, match=field):
        weather.typical_years(**kwargs)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_any_seed_gives_physical_years(seed):
    (year,) = weather.typical_years(1, seed=seed)
    assert (year[["ghi", "dni", "dhi"]] >= 0).all().all()
    assert ((year["ghi"] > 0) <= (year["dhi"] > 0)).all()


def test_split_years_keeps_whole_years(default):
    index = pd.date_range("2023-06-01", "2025-06-01", freq="h", tz="Asia/Tehran",
                          inclusive="left")
    frame = pd.DataFrame(1.0, index=index, columns=list(weather.COLUMNS))
    with pytest.warns(WeatherWarning, match="incomplete"):
        years = weather.split_years(frame)
    assert [len(y) for y in years] == [8760]
    assert years[0].index[0] == pd.Timestamp("2024-01-01", tz="Asia/Tehran")  # 29 Feb dropped


# ---------------------------------------------------------------------- readers


def test_epw_round_trip(tmp_path, default):
    path = write_epw(tmp_path / "qom.epw", default)
    data, meta = quiet_read(path)
    np.testing.assert_allclose(data.to_numpy(), default.round(2).to_numpy(), atol=1e-9)
    assert meta["format"] == "epw" and meta["findings"] == []
    assert meta["annual_ghi_kwh_per_m2"] == pytest.approx(default["ghi"].round(2).sum() / 1000)
    assert data.index.equals(default.index)


def test_epw_header_zone_trusted_when_the_sun_agrees(tmp_path, default):
    # Written in UTC+4:30 wall clock (one hour later), header says 4.5: convert back.
    path = write_epw(tmp_path / "east.epw", default, tz=4.5, shift_rows=1)
    with pytest.warns(WeatherWarning, match="UTC\\+4:30 differs from the site's UTC\\+3:30"):
        data, meta = weather.read(path)
    np.testing.assert_allclose(data["ghi"], default["ghi"].round(2), atol=1e-9)
    assert any("converted from UTC+4:30" in change for change in meta["changes"])


def test_epw_header_zone_wrong_when_the_sun_disagrees(tmp_path, default):
    path = write_epw(tmp_path / "wrong.epw", default, tz=4.5)
    with pytest.warns(WeatherWarning, match="the header is wrong"):
        data, _ = weather.read(path)
    np.testing.assert_allclose(data["ghi"], default["ghi"].round(2), atol=1e-9)


def test_half_hour_zone_recut_keeps_the_energy(tmp_path, default):
    # Tehran-Mehrabad style: header +3.0 and data really in +3.0.
    shifted = pd.DataFrame(0.5 * (default.to_numpy() + np.roll(default.to_numpy(), -1, axis=0)),
                           index=default.index, columns=default.columns)
    path = write_epw(tmp_path / "tehran.epw", shifted, tz=3.0)
    with pytest.warns(WeatherWarning) as record:
        data, meta = weather.read(path)
    assert any("UTC+3:00 differs" in str(warning.message) for warning in record)
    assert data["ghi"].sum() == pytest.approx(shifted["ghi"].round(2).sum(), rel=1e-4)
    assert any("re-cut" in change for change in meta["changes"])
    # no light is pushed into hours when the sun is down
    assert not any("top of the atmosphere" in finding for finding in meta["findings"])
    assert np.corrcoef(data["ghi"], default["ghi"])[0, 1] > 0.999


def test_timestamps_far_from_the_sun_are_refused(tmp_path, default):
    path = write_epw(tmp_path / "utc.epw", default, shift_rows=-3)  # UTC-ish labels
    with pytest.raises(WeatherError, match="from solar noon"):
        quiet_read(path)


def test_station_far_away_and_degrees_minutes(tmp_path, default):
    path = write_epw(tmp_path / "mehrabad.epw", default, lat=35.41, lon=51.19)
    _, meta = quiet_read(path, site=TEHRAN_DEG_MIN)
    text = " ".join(meta["findings"])
    assert "almost certainly written as degrees.minutes" in text
    assert "35.683 N, 51.317 E" in text
    assert "km from Mehrabad" in text


def test_tmyx_wind_calm_and_modelled_radiation(tmp_path, default):
    calm = default.copy()
    calm.loc[calm.index.hour % 2 == 0, "wind_speed"] = 0.0
    path = write_epw(tmp_path / "kashan.epw", calm, data_type="ISD-TMYx")
    _, meta = quiet_read(path)
    text = " ".join(meta["findings"])
    assert "modelled from cloud reports" in text
    assert "wind speed is 0 in 50% of hours" in text


def test_missing_values_refused_then_filled_when_asked(tmp_path, default):
    broken = default.copy()
    broken.iloc[4000:4003, broken.columns.get_loc("ghi")] = 9999  # EPW's missing marker
    path = write_epw(tmp_path / "gap.epw", broken)
    with pytest.raises(WeatherError, match="ghi is missing for 3 hour\\(s\\) from 2025-06-16 16:00"):
        quiet_read(path)
    with pytest.raises(WeatherError, match="fill_gaps_hours=3"):
        quiet_read(path, fill_gaps_hours=2)
    data, meta = quiet_read(path, fill_gaps_hours=3)
    assert "3 missing hour(s) were filled" in " ".join(meta["findings"])
    before, after = default["ghi"].round(2).iloc[3999], default["ghi"].round(2).iloc[4003]
    assert data["ghi"].iloc[4001] == pytest.approx((before + after) / 2)


def test_negative_irradiance(tmp_path, default):
    night = default.copy()
    night.iloc[0:5, 0] = -3.0
    _, meta = quiet_read(write_epw(tmp_path / "offset.epw", night))
    assert any("5 small negative" in change for change in meta["changes"])
    bad = default.copy()
    bad.iloc[100, 2] = -50.0
    with pytest.raises(WeatherError, match="negative irradiance dhi = -50 W/m2 at 2025-01-05"):
        quiet_read(write_epw(tmp_path / "negative.epw", bad))


def test_ghi_above_extraterrestrial(tmp_path, default):
    few = default.copy()
    few.iloc[12, 0] = 1300.0  # one noon hour in January
    _, meta = quiet_read(write_epw(tmp_path / "few.epw", few))
    assert "1 hour(s) have more sunshine than arrives at the top" in " ".join(meta["findings"])
    many = default.copy()
    many["ghi"] = many["ghi"] * 1.6
    with pytest.raises(WeatherError, match="top of the atmosphere"):
        quiet_read(write_epw(tmp_path / "many.epw", many))
    units = default.copy()
    units["ghi"] = units["ghi"] * 3.6  # kJ/m2 instead of Wh/m2
    with pytest.raises(WeatherError, match="impossible"):
        quiet_read(write_epw(tmp_path / "units.epw", units))


def test_dhi_zero_with_sun_is_resplit(tmp_path, default):
    zero = default.copy()
    noon = zero.index.hour == 12
    zero.loc[noon, "dhi"] = 0.0
    with pytest.warns(WeatherWarning, match="365 hour\\(s\\) had no diffuse light"):
        data, _ = weather.read(write_epw(tmp_path / "dhi0.epw", zero))
    assert (data.loc[data["ghi"] > 0, "dhi"] > 0).all()
    # the repaired hours work in pvlib's Perez model
    sun = pvlib.solarposition.get_solarposition(data.index + pd.Timedelta("30min"), 34.64, 50.88)
    zenith = sun["apparent_zenith"].to_numpy()
    poa = pvlib.irradiance.perez(30, 180, data["dhi"].to_numpy(), data["dni"].to_numpy(),
                                 pvlib.irradiance.get_extra_radiation(data.index).to_numpy(),
                                 zenith, sun["azimuth"].to_numpy(),
                                 pvlib.atmosphere.get_relative_airmass(zenith))
    assert np.isfinite(poa[noon]).all() and (poa[noon] > 0).all()


def test_pvgis_tmy_json_and_csv(tmp_path, default):
    for path in (write_pvgis_tmy_json(tmp_path / "tmy.json", default),
                 write_pvgis_tmy_csv(tmp_path / "tmy.csv", default)):
        data, meta = quiet_read(path)
        assert meta["format"] == "pvgis_tmy"
        assert data.index.equals(default.index)
        # written as UTC hours (each half of two local hours), re-cut back to local hours
        assert data["ghi"].sum() == pytest.approx(default["ghi"].sum(), rel=1e-3)
        assert np.abs(data["ghi"] - default["ghi"]).mean() < 5.0
        np.testing.assert_allclose(data["temp_air"].mean(), default["temp_air"].mean())


def test_pvgis_hourly_csv_horizontal_components(tmp_path, default):
    utc = utc_frame(default)
    sun = pvlib.solarposition.get_solarposition(utc.index + pd.Timedelta("30min"), 34.64, 50.88)
    beam = utc["dni"].to_numpy() * np.cos(np.radians(sun["zenith"].to_numpy())).clip(0)
    table = pd.DataFrame({"time": (utc.index + pd.Timedelta("10min")).strftime("%Y%m%d:%H%M"),
                          "Gb(i)": beam.round(2), "Gd(i)": utc["dhi"].round(2), "Gr(i)": 0.0,
                          "H_sun": 0.0, "T2m": utc["temp_air"].round(2),
                          "WS10m": utc["wind_speed"].round(2), "Int": 0})
    head = ["Latitude (decimal degrees): 34.640", "Longitude (decimal degrees): 50.880",
            "Elevation (m): 930", "Radiation database: PVGIS-SARAH3", "",
            "Slope: 0 deg. ", "Azimuth: 0 deg. "]
    path = tmp_path / "series.csv"
    path.write_text("\n".join(head) + "\n" + table.to_csv(index=False) + "\nG(i): irradiance\n")
    data, meta = quiet_read(path)
    assert meta["format"] == "pvgis_hourly"
    assert len(data) == 8759  # a real series: the first half-hour-shifted hour is dropped
    assert data["ghi"].sum() == pytest.approx((table["Gb(i)"] + table["Gd(i)"]).sum(), rel=2e-3)
    assert (data["dni"] >= 0).all() and (data.loc[data["ghi"] > 0, "dhi"] > 0).all()
    with pytest.raises(WeatherError, match="tilted 30 deg"):
        tilted = path.read_text().replace("Slope: 0 deg.", "Slope: 30 deg.")
        (tmp_path / "tilted.csv").write_text(tilted)
        quiet_read(tmp_path / "tilted.csv")


def test_tmy3_hour_ending_labels(tmp_path, default):
    ending = default.index.tz_localize(None) + pd.Timedelta(hours=1)
    table = pd.DataFrame({
        "Date (MM/DD/YYYY)": ending.strftime("%m/%d/%Y"),
        "Time (HH:MM)": ending.strftime("%H:%M"),
        "GHI (W/m^2)": default["ghi"].round(2).to_numpy(),
        "DNI (W/m^2)": default["dni"].round(2).to_numpy(),
        "DHI (W/m^2)": default["dhi"].round(2).to_numpy(),
        "Dry-bulb (C)": default["temp_air"].round(2).to_numpy(),
        "Wspd (m/s)": default["wind_speed"].to_numpy(),
    })
    path = tmp_path / "qom_tmy3.csv"
    path.write_text("407000,Qom,IR,3.5,34.64,50.88,930\n" + table.to_csv(index=False))
    data, meta = quiet_read(path)
    assert meta["format"] == "tmy3"
    np.testing.assert_allclose(data["ghi"], default["ghi"].round(2), atol=1e-9)
    assert data.index.equals(default.index)


def test_nsrdb_psm_csv(tmp_path, default):
    index = default.index.tz_convert("UTC").tz_localize(None)  # HH:30 UTC
    table = pd.DataFrame({"Year": index.year, "Month": index.month, "Day": index.day,
                          "Hour": index.hour, "Minute": index.minute,
                          "GHI": default["ghi"].round(1).to_numpy(),
                          "DNI": default["dni"].round(1).to_numpy(),
                          "DHI": default["dhi"].round(1).to_numpy(),
                          "Temperature": default["temp_air"].round(1).to_numpy(),
                          "Wind Speed": default["wind_speed"].to_numpy()})
    fields = "Source,Location ID,Latitude,Longitude,Time Zone,Elevation,Local Time Zone"
    path = tmp_path / "nsrdb.csv"
    path.write_text(fields + "\nNSRDB,1,34.64,50.88,0,930,4\n" + table.to_csv(index=False))
    data, meta = quiet_read(path)
    assert meta["format"] == "nsrdb"
    assert data.index[0].utcoffset() == pd.Timedelta(hours=3.5)
    assert data["ghi"].sum() == pytest.approx(default["ghi"].round(1).sum(), rel=2e-3)


def plain_csv(path, frame, drop=()):
    table = frame.drop(columns=list(drop))
    table.insert(0, "time", frame.index.strftime("%Y-%m-%d %H:%M"))
    path.write_text(table.to_csv(index=False))
    return path


def test_plain_csv_naive_local_times_and_erbs(tmp_path, default):
    path = plain_csv(tmp_path / "station.csv", default, drop=("dni", "dhi"))
    data, meta = quiet_read(path)
    assert any("Erbs" in change for change in meta["changes"])
    np.testing.assert_allclose(data["ghi"], default["ghi"])
    np.testing.assert_allclose(data["dhi"], default["dhi"], atol=1e-6)  # the default is Erbs too


def test_plain_csv_missing_column(tmp_path, default):
    path = plain_csv(tmp_path / "no_temp.csv", default, drop=("temp_air",))
    with pytest.raises(WeatherError, match="missing column\\(s\\) \\['temp_air'\\]"):
        quiet_read(path)


def tehran_2019():
    """2019 hours in standard time (+3:30), named without a zone."""
    index = pd.date_range("2019-03-20", periods=96, freq="h")
    solar = weather.qom_typical_year().loc["2025-03-20":"2025-03-23"]
    return pd.DataFrame(solar.to_numpy(), index=index, columns=solar.columns)


def test_clock_times_that_did_not_exist_before_2023(tmp_path):
    path = plain_csv(tmp_path / "dst.csv", tehran_2019())
    with pytest.warns(WeatherWarning, match="2019-03-22 00:00:00 did not exist"):
        data, _ = weather.read(path)
    assert data.index[0].utcoffset() == pd.Timedelta(hours=3.5)
    assert len(data) == 96


def test_daylight_saving_clock_file_is_refused():
    index = pd.date_range("2019-09-20", periods=72, freq="h")
    clock = index.insert(48, pd.Timestamp("2019-09-21 23:00"))  # clocks went back at 24:00
    solar = weather.qom_typical_year().loc["2025-09-20":"2025-09-23"].iloc[:73]
    frame = pd.DataFrame(solar.to_numpy(), index=clock.sort_values(), columns=solar.columns)
    with pytest.raises(WeatherError, match="appears twice"):
        weather.check(frame)


def test_duplicates_and_non_hourly_are_refused(default):
    doubled = pd.concat([default.iloc[:100], default.iloc[99:200]])
    with pytest.raises(WeatherError, match="1 duplicate timestamp"):
        weather.check(doubled)
    half_hourly = default.iloc[:200].copy()
    half_hourly.index = half_hourly.index[0] + pd.to_timedelta(np.arange(200) * 30, unit="min")
    with pytest.raises(WeatherError, match="not hourly"):
        weather.check(half_hourly)


def test_missing_hours_are_gaps(default):
    holed = default.drop(default.index[5000:5002])
    with pytest.raises(WeatherError, match="missing for 2 hour"):
        weather.check(holed)
    with pytest.warns(WeatherWarning, match="2 missing hour\\(s\\) were filled"):
        data, meta = weather.check(holed, fill_gaps_hours=2)
    assert len(data) == 8760 and any("2 missing hour(s) inserted" in c for c in meta["changes"])


def test_unknown_format_and_missing_file(tmp_path):
    (tmp_path / "x.csv").write_text("a")
    with pytest.raises(InputError, match="weather.format"):
        weather.read(tmp_path / "x.csv", format="excel")
    with pytest.raises(WeatherError, match="does not exist"):
        weather.read(tmp_path / "nothing.epw")


# ------------------------------------------------------------- resolve and PVGIS


def test_resolve(tmp_path, default):
    pd.testing.assert_frame_equal(weather.resolve(None, QOM), default)
    path = write_epw(tmp_path / "qom.epw", default)
    assert len(weather.resolve(str(path), QOM)) == 8760
    naive = default.tz_localize(None)
    pd.testing.assert_frame_equal(weather.resolve(naive, QOM), default, check_freq=False)
    with pytest.raises(WeatherError, match="weather = list"):
        weather.resolve([1, 2], QOM)
    with pytest.raises(WeatherError, match="missing column"):
        weather.resolve(default.drop(columns="wind_speed"), QOM)


def test_fetch_pvgis_tmy_reads_the_cache_without_network(tmp_path, default, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(pvlib.iotools, "get_pvgis_tmy", no_network)
    write_pvgis_tmy_json(tmp_path / "pvgis_tmy_34.6400_50.8800.json", default)
    data, meta = quiet_read_fetch(34.64, 50.88, tmp_path)
    assert meta["downloaded"] is False
    assert data["ghi"].sum() == pytest.approx(default["ghi"].sum(), rel=1e-3)


def test_fetch_pvgis_tmy_caches_a_download(tmp_path, default, monkeypatch):
    source = write_pvgis_tmy_json(tmp_path / "source.json", default)
    parsed = pvlib.iotools.read_pvgis_tmy(source, map_variables=False)
    calls = []

    def fake_download(latitude, longitude, **kwargs):
        calls.append((latitude, longitude))
        return parsed

    monkeypatch.setattr(pvlib.iotools, "get_pvgis_tmy", fake_download)
    cache = tmp_path / "cache"
    first, meta = quiet_read_fetch(34.64, 50.88, cache)
    second, meta2 = quiet_read_fetch(34.64, 50.88, cache)
    assert calls == [(34.64, 50.88)] and meta["downloaded"] and not meta2["downloaded"]
    pd.testing.assert_frame_equal(first, second)
    with pytest.raises(InputError, match="weather.latitude"):
        weather.fetch_pvgis_tmy(95, 50, cache_dir=cache)


def quiet_read_fetch(latitude, longitude, cache):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WeatherWarning)
        return weather.fetch_pvgis_tmy(latitude, longitude, cache_dir=cache)


@pytest.mark.parametrize(
    "column, value, message",
    [("temp_air", 293.15, r"temp_air = 293.15 C at .*kelvin"),
     ("wind_speed", -2.0, r"wind_speed = -2 m/s at .*negative")],
)
def test_check_refuses_kelvin_and_negative_wind(column, value, message):
    year = weather.qom_typical_year()
    year.loc[year.index[100], column] = value
    with pytest.raises(weather.WeatherError, match=message):
        weather.check(year)


def test_each_format_renames_its_columns_through_its_own_map():
    for columns in (readers.PVGIS_COLUMNS, readers.TMY3_COLUMNS, readers.NSRDB_COLUMNS):
        assert set(weather.COLUMNS) <= set(columns.values())
    assert set(readers.EPW_MISSING) == set(weather.COLUMNS)


def test_a_step_of_the_checks_runs_on_its_own(default):
    notes = checks.Notes("f.csv", changes=[], findings=[])
    backwards = default.iloc[::-1]
    assert checks.check_hourly_grid(backwards, notes).index.equals(default.index)
    assert notes.changes == ["rows sorted by time"] and notes.findings == []
    with pytest.raises(WeatherError, match="f.csv: 1 duplicate timestamp"):
        checks.check_hourly_grid(pd.concat([default.iloc[:1], default]), notes)
