"""The hindcast: reported outcomes of real plants beside the library's band."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from repository_scripts import load_script

from solarcoop import history

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def hindcast():
    return load_script("benchmarks", "hindcast")


@pytest.mark.parametrize(
    ("low", "high", "band", "expected"),
    [
        (10.0, 11.0, (4.0, 5.0, 6.0), "above"),
        (1.0, 2.0, (4.0, 5.0, 6.0), "below"),
        (3.0, 4.0, (4.0, 5.0, 6.0), "inside"),  # touching the band counts
        (5.0, 5.0, (4.0, 5.0, 6.0), "inside"),
        (2.0, 9.0, (4.0, 5.0, 6.0), "inside"),  # a range around the band
    ],
)
def test_verdict(hindcast, low, high, band, expected):
    assert hindcast.verdict(low, high, np.array(band)) == expected


def test_every_row_is_sourced_dated_and_runs_on_no_measured_weather(hindcast):
    assert len(hindcast.REPORTS) >= 6
    for report in hindcast.REPORTS:
        assert report.source and report.note and report.low <= report.high
        scenario = report.scenario()
        assert scenario.weather is None  # Qom's embedded typical year, never a validation file
        assert report.measure in hindcast.MEASURES
        labels = history.months_between(report.first, report.last)
        assert 1 <= len(labels) <= 12
        first = scenario.start_date
        assert history.month_label(*sc_month(first)) <= report.first


def sc_month(date):
    from solarcoop.calendar import to_jalali

    year, month, _ = to_jalali(date)
    return year, month


def test_a_row_s_band_is_its_monte_carlo_percentiles(hindcast):
    report = next(r for r in hindcast.REPORTS if r.key == "energy_5kw")
    band = hindcast.percentiles(report, n_paths=64, seed=3)
    assert band[0] <= band[1] <= band[2]
    # a 5 kW plant on Qom's year makes about 1,700 kWh/kWp: the band lies near 8,500 kWh
    assert 7_500 < band[1] < 9_500


def test_the_1397_plant_is_priced_from_history_in_1404(hindcast):
    report = next(r for r in hindcast.REPORTS if r.key == "home_1397_in_1404")
    scenario = report.scenario()
    assert scenario.tariff.base_price_rial_per_kwh == 8_000.0
    # the months the report speaks of are all published: the same price on every path
    n_past = len(scenario.economy.history_cpi)
    assert history.months_between("1397-07", report.last)[-1] <= history.common_last_month()
    assert len(history.months_between("1397-07", report.last)) <= n_past


def test_the_readme_shows_every_row_with_its_source(hindcast):
    text = README.read_text(encoding="utf-8")
    for report in hindcast.REPORTS:
        line = next((line for line in text.splitlines() if line.startswith(f"| {report.plant} (")), None)
        assert line is not None, f"the README's hindcast table has no row for {report.key}"
        assert report.source in line
    for plant, source, _ in hindcast.NOT_RUN:
        assert next(line for line in text.splitlines() if line.startswith(f"| {plant} |")).count(source) == 1


def test_a_row_may_have_its_own_weather_and_the_table_says_so(hindcast, monkeypatch):
    seen = {}

    def fake_percentiles(report, n_paths, seed, weather):
        seen[report.key] = weather
        return np.array([1.0, 2.0, 3.0])

    monkeypatch.setattr(hindcast, "percentiles", fake_percentiles)
    table = hindcast.hindcast(n_paths=8, weather={"hamedan_first_year": "hamedan.epw"})
    assert seen["hamedan_first_year"] == "hamedan.epw" and seen["energy_5kw"] is None
    weather = table.set_index("key")["weather"]
    assert weather["hamedan_first_year"] == "the weather file given"
    assert weather["energy_5kw"] == "Qom's typical year stands in"
    with pytest.raises(ValueError, match="unknown rows"):
        hindcast.hindcast(n_paths=8, weather={"nowhere": "x.epw"})
