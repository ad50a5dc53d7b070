
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import solarcoop as sc
from solarcoop.present import plots
from solarcoop.present.locales import catalog

LANGS = ("en", "fa")
LABELS = {lang: catalog(lang)["charts"] for lang in LANGS}


@pytest.fixture(scope="module")
def result():
    return sc.simulate(sc.qom_baseline(), energy=np.full(12, 420_000.0))


@pytest.fixture(scope="module")
def monte_carlo(result):
    # path k pays k million rial more than the deterministic run, k = 0..9, every month
    months = result.monthly[["label", "operating_year"]]
    base = result.monthly["family_cash_flow_rial"].to_numpy()
    paths = base + np.arange(10)[:, None] * 1e6
    cpi = np.broadcast_to(result.monthly["cpi_index"].to_numpy(), paths.shape)
    return sc.MonteCarloResult(
        result.scenario, months, {"family_cash_flow_rial": paths, "cpi_index": cpi}, seed=0
    )


@pytest.fixture
def sensitivity():
    return pd.DataFrame(
        {
            "parameter": [
                "plant.degradation_per_year",
                "tariff.base_price_rial_per_kwh",
                "loan.annual_rate",
            ],
            "low_value": [0.005, 36_640.0, 0.0],
            "high_value": [0.012, 54_960.0, 0.08],
            "low_metric": [5.4e6, -2e6, 9e6],
            "high_metric": [5.1e6, 12e6, 1e6],
            "base_metric": [5.28e6] * 3,
        }
    )


@pytest.fixture
def sweep():
    prices, families = np.meshgrid([38_000, 45_800, 55_000], [300, 400])
    return pd.DataFrame(
        {
            "tariff.base_price_rial_per_kwh": prices.ravel(),
            "cooperative.families": families.ravel(),
            "payout_per_family_rial_mean_year1": prices.ravel() * 1e6 / families.ravel(),
        }
    )


def _axes():
    return Figure(figsize=(9, 4.5), layout="constrained").add_subplot()


def _saved_png(ax, tmp_path, name):
    path = tmp_path / f"{name}.png"
    ax.figure.savefig(path, dpi=80)
    return path


def _line(ax, label):
    (line,) = [line for line in ax.get_lines() if line.get_label() == label]
    return line


@pytest.mark.parametrize("lang", LANGS)
def test_monthly_payout_draws_four_lines_the_band_and_labels(result, lang, tmp_path):
    text = LABELS[lang]
    ax = plots.monthly_payout(result, _axes(), years=5, lang=lang)
    real = text["real"].format(month={"en": "Shahrivar 1404", "fa": "شهریور ۱۴۰۴"}[lang])
    assert [line.get_label() for line in ax.get_lines()] == [text["gross"], text["instalment"], text["net"], real]
    five_years = result.monthly[result.monthly["operating_year"] <= 5]
    np.testing.assert_array_equal(
        _line(ax, text["net"]).get_ydata(), five_years["family_cash_flow_rial"]
    )
    # the months a family pays from its own pocket are drawn below zero, in view
    assert ax.get_ylim()[0] <= five_years["family_cash_flow_rial"].min() <= 0  # 0 while instalments are withheld
    assert len(_line(ax, text["net"]).get_xdata()) == 60
    # the promise, money of Shahrivar 1404, kept in value beside nominal money: in
    # Farvardin 1405 it is 50-80 million grown by seven months of 35 % a year
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    grown = 1.35 ** (7 / 12)
    assert band.min() == pytest.approx(50e6 * grown)
    assert band.max() > 80e6 * 1.35**4
    assert ax.collections[0].get_label() == {
        "en": "promised: 50-80 million rial of Shahrivar 1404, kept in value as prices rise",
        "fa": "وعده: ۵۰ تا ۸۰ میلیون ریال به پول شهریور ۱۴۰۴، همگام با بالا رفتن قیمت‌ها",
    }[lang]
    assert ax.get_ylabel() == text["per_family_month"]
    assert plots.scenario_name(result.scenario, lang) in ax.get_title()
    # 50 million rial reads as 50, in Persian digits in Persian
    assert ax.yaxis.get_major_formatter()(50e6, 0) == {"en": "50", "fa": "۵۰"}[lang]
    # five years: a tick at each Farvardin, named by its Jalali year
    ticks = [label.get_text() for label in ax.get_xticklabels()]
    assert ticks[:2] == {"en": ["1405", "1406"], "fa": ["۱۴۰۵", "۱۴۰۶"]}[lang]
    assert _saved_png(ax, tmp_path, "payout").stat().st_size > 20_000


@pytest.mark.parametrize("lang", LANGS)
def test_fan_chart_names_p50_and_p90_the_industry_way(result, monte_carlo, lang, tmp_path):
    text = LABELS[lang]
    ax = plots.payout_fan(monte_carlo, _axes(), years=2, lang=lang)
    paths = monte_carlo.paths["family_cash_flow_rial"][:, :24]
    p90 = _line(ax, text["p90"]).get_ydata()
    p50 = _line(ax, text["p50"]).get_ydata()
    # P90 is exceeded with 90 % probability: the 10th percentile of the ten paths,
    # 0.9 million rial above the lowest path (linear interpolation between paths 0 and 1)
    np.testing.assert_allclose(p90, paths[0] + 0.9e6)
    np.testing.assert_allclose(p50, paths[0] + 4.5e6)
    assert "P90" in text["p90"] and "P50" in text["p50"]
    assert len(ax.collections) == 4  # the promise's band and three spread bands
    assert ax.get_ylabel() == text["metrics"]["family_cash_flow_rial"]
    assert plots.scenario_name(monte_carlo.scenario, lang) in ax.get_title()
    assert _saved_png(ax, tmp_path, "fan").stat().st_size > 20_000


def test_fan_chart_refuses_a_column_the_run_did_not_keep(monte_carlo):
    with pytest.raises(sc.InputError, match="column"):
        plots.payout_fan(monte_carlo, _axes(), column="energy_kwh")


@pytest.mark.parametrize("lang", LANGS)
def test_shortfall_bars_are_the_probabilities(result, monte_carlo, lang):
    # a nominal column, when asked for: the chance it is below the threshold in each month's rial
    ax = plots.shortfall_probability(
        monte_carlo, _axes(), threshold_rial=10e6, column="family_cash_flow_rial", years=1, lang=lang
    )
    (steps,) = ax.patches  # one filled step a month
    heights = steps.get_data().values
    expected = monte_carlo.probability_below("family_cash_flow_rial", 10e6).to_numpy()[:12]
    np.testing.assert_allclose(heights, expected)
    assert ax.yaxis.get_major_formatter()(0.5, 0) == {"en": "50", "fa": "۵۰"}[lang]
    assert {"en": "(nominal)", "fa": "(اسمی)"}[lang] in ax.get_title()
    # by default, the headline's chance: the family's money in the promise's own money
    # (Shahrivar 1404, seven months before the start at 35 % a year) against its bottom
    ax = plots.shortfall_probability(monte_carlo, _axes(), threshold_rial=10e6, years=1, lang=lang)
    heights = ax.patches[0].get_data().values
    real = monte_carlo.paths["family_cash_flow_rial"][:, :12] / monte_carlo.paths["cpi_index"][:, :12] / 1.35 ** (7 / 12)
    np.testing.assert_allclose(heights, (real < 10e6).mean(axis=0))
    assert {"en": "Shahrivar 1404", "fa": "شهریور ۱۴۰۴"}[lang] in ax.get_title()


@pytest.mark.parametrize("lang", LANGS)
def test_monthly_energy_has_twelve_bars_named_by_jalali_month(result, lang, tmp_path):
    ax = plots.monthly_energy(result, _axes(), lang=lang)
    heights = [bar.get_height() for bar in ax.patches]
    year1 = result.monthly.loc[result.monthly["operating_year"] == 1, "energy_kwh"]
    np.testing.assert_allclose(heights, year1)
    names = [label.get_text() for label in ax.get_xticklabels()]
    assert names == catalog(lang)["months"]["jalali"]
    assert ax.get_ylabel() == LABELS[lang]["energy_axis"]
    assert ax.yaxis.get_major_formatter()(400_000, 0) == {"en": "400", "fa": "۴۰۰"}[lang]
    assert _saved_png(ax, tmp_path, "energy").stat().st_size > 15_000


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("year", [1, 2, 25])
def test_waterfall_steps_from_revenue_to_what_families_get(result, lang, year):
    text = LABELS[lang]
    ax = plots.money_waterfall(result, _axes(), year=year, lang=lang)
    labels = [label.get_text() for label in ax.get_xticklabels()]
    bar = dict(zip(labels, ax.patches, strict=True))
    months = result.monthly[result.monthly["operating_year"] == year]
    families = result.scenario.cooperative.families
    revenue, distributed = bar[text["revenue"]], bar[text["distributed"]]
    net = bar[text["net_families"]]
    assert labels[0] == text["revenue"] and labels[-1] == text["families_money"]
    assert revenue.get_height() == pytest.approx(months["revenue_collected_rial"].sum())
    assert distributed.get_height() == pytest.approx(months["distributed_rial"].sum())
    assert net.get_height() == pytest.approx(months["payout_per_family_rial"].sum() * families)
    # it ends at the families' own money, with its sign: what they got less what they paid from their pockets
    own = bar[text["families_money"]]
    assert own.get_height() == pytest.approx(months["family_cash_flow_rial"].sum() * families, abs=1e-3)
    pocket = months["paid_from_pocket_per_family_rial"].sum() * families
    assert own.get_height() == pytest.approx(net.get_height() - pocket, rel=1e-9, abs=1e-3)
    if pocket > 0.5:
        assert bar[text["pocket"]].get_height() == pytest.approx(pocket)
    for column, key in plots.WATERFALL_DEDUCTIONS:
        if column in plots.WATERFALL_ALWAYS or abs(months[column].sum()) > 0.5:
            assert bar[text[key]].get_height() == pytest.approx(abs(months[column].sum()))
        else:
            assert text[key] not in bar
    # the steps close: the last one before the distributions ends at their top, and the
    # instalments paid bring the distributions down to the families' net
    cash = labels[labels.index(text["distributed"]) - 1]
    assert cash in (text["cash"], text["cash_drawn"])
    cash_bar = bar[cash]
    ends = (cash_bar.get_y(), cash_bar.get_y() + cash_bar.get_height())
    assert min(abs(end - distributed.get_height()) for end in ends) < 1e-3 * revenue.get_height()
    assert bar[text["lender"]].get_y() == pytest.approx(net.get_height(), rel=1e-9, abs=1e-3)
    assert ax.get_ylabel() == text["coop_money"]
    # every bar inside the frame, with room: a negative total is not cut by the frame
    lowest = min(min(patch.get_y(), patch.get_y() + patch.get_height()) for patch in ax.patches)
    assert ax.get_ylim()[0] < lowest


def test_waterfall_refuses_a_year_outside_the_life(result):
    with pytest.raises(sc.InputError, match="year = 26"):
        plots.money_waterfall(result, _axes(), year=26)


@pytest.mark.parametrize("lang", LANGS)
def test_loan_balance_runs_until_a_year_after_payoff(result, lang, tmp_path):
    text = LABELS[lang]
    ax = plots.loan_balance(result, _axes(), lang=lang)
    arrears = _line(ax, text["arrears"]).get_ydata()
    # 84-month loan paid off in year 7: years 1-8 shown
    assert len(arrears) == 96
    np.testing.assert_array_equal(arrears, result.monthly["arrears_per_family_rial"].iloc[:96])
    assert ax.get_ylabel() == text["loan_axis"]
    assert ax.get_xticklabels()[1].get_text() == {"en": "1406", "fa": "۱۴۰۶"}[lang]
    assert _saved_png(ax, tmp_path, "loan").stat().st_size > 15_000


@pytest.mark.parametrize("lang", LANGS)
def test_tornado_puts_the_widest_swing_on_top(sensitivity, lang, tmp_path):
    ax = plots.tornado(sensitivity, _axes(), name="Qom", lang=lang)
    assert len(ax.patches) == 6
    labels = [label.get_text() for label in ax.get_yticklabels()]
    top = labels[-1]  # the highest bar is the last y position
    assert LABELS[lang]["parameters"]["tariff.base_price_rial_per_kwh"] in top
    assert LABELS[lang]["parameters"]["plant.degradation_per_year"] in labels[0]
    low_bars, high_bars = ax.patches[:3], ax.patches[3:]
    # the tariff row: from the base 5.28 down to -2 and up to 12 million rial
    assert low_bars[2].get_x() + low_bars[2].get_width() == pytest.approx(-2e6)
    assert high_bars[2].get_x() + high_bars[2].get_width() == pytest.approx(12e6)
    assert ax.get_xlabel() == LABELS[lang]["metrics"]["payout_per_family_rial_mean_year1"]
    assert "Qom" in ax.get_title()
    assert _saved_png(ax, tmp_path, "tornado").stat().st_size > 15_000


def test_tornado_needs_its_columns(sensitivity):
    with pytest.raises(sc.InputError, match="base_metric"):
        plots.tornado(sensitivity.drop(columns="base_metric"), _axes())


@pytest.mark.parametrize("lang", LANGS)
def test_heatmap_shows_the_sweep_grid_with_values(sweep, lang, tmp_path):
    x, y = "tariff.base_price_rial_per_kwh", "cooperative.families"
    ax = plots.sweep_heatmap(sweep, x, y, "payout_per_family_rial_mean_year1", _axes(), lang=lang)
    image = ax.images[0].get_array()
    assert image.shape == (2, 3)
    assert image[0, 0] == pytest.approx(38_000 * 1e6 / 300)  # lowest families, lowest price
    cell_texts = [text.get_text() for text in ax.texts]
    assert len(cell_texts) == 6
    assert {"en": "127", "fa": "۱۲۷"}[lang] in cell_texts  # 126.7 million rial
    assert ax.get_xlabel() == LABELS[lang]["parameters"][x]
    assert ax.get_ylabel() == LABELS[lang]["parameters"][y]
    assert _saved_png(ax, tmp_path, "heatmap").stat().st_size > 10_000


def test_heatmap_names_a_missing_column(sweep):
    with pytest.raises(sc.InputError, match="x = 'plant.tilt_deg'"):
        plots.sweep_heatmap(
            sweep, "plant.tilt_deg", "cooperative.families", "payout_per_family_rial_mean_year1"
        )


def test_unknown_language_is_refused(result):
    with pytest.raises(sc.InputError, match="lang"):
        plots.monthly_payout(result, _axes(), lang="de")


def test_both_languages_have_the_same_labels():
    assert LABELS["en"].keys() == LABELS["fa"].keys()
    for key in ("metrics", "parameters"):
        assert LABELS["en"][key].keys() == LABELS["fa"][key].keys()


def test_default_axes_are_made_when_none_given(result):
    ax = plots.monthly_energy(result)
    assert ax.figure.axes == [ax]  # a new figure holding just this chart
    assert len(ax.patches) == 12  # one bar per month


def test_every_default_sensitivity_parameter_has_a_label_in_both_languages():
    from solarcoop.studies.sweeps import default_sensitivity_ranges

    for lang in ("en", "fa"):
        assert set(default_sensitivity_ranges(sc.qom_baseline())) <= set(LABELS[lang]["parameters"]), lang


@pytest.mark.parametrize("lang", LANGS)
def test_tornado_shows_rates_in_percent_and_lists_flat_inputs_instead_of_empty_bars(
    sensitivity, lang
):
    flat = pd.DataFrame(
        {
            "parameter": ["economy.inflation_per_year"],
            "low_value": [0.25],
            "high_value": [0.45],
            "low_metric": [5.28e6 - 1e4],
            "high_metric": [5.28e6 + 1e4],
            "base_metric": [5.28e6],
        }
    )
    ax = plots.tornado(pd.concat([sensitivity, flat]), _axes(), lang=lang)
    assert len(ax.patches) == 6  # the inflation row moves less than 0.05 million: no bar
    assert all(abs(bar.get_width()) > 0 for bar in ax.patches)
    labels = [label.get_text() for label in ax.get_yticklabels()]
    loan = next(label for label in labels if LABELS[lang]["parameters"]["loan.annual_rate"] in label)
    assert loan.endswith({"en": "0 % / 8 %", "fa": "۰٪ / ۸٪"}[lang])
    inflation = LABELS[lang]["parameters"]["economy.inflation_per_year"].split(" [")[0]
    assert inflation in ax.get_xlabel() and all(inflation not in label for label in labels)


@pytest.mark.parametrize("lang", LANGS)
def test_waterfall_values_sit_inside_tall_bars_and_above_short_ones(result, lang):
    ax = plots.money_waterfall(result, _axes(), year=2, lang=lang)
    bars = ax.patches
    tallest = max(bar.get_height() for bar in bars)
    for bar, label in zip(bars, ax.texts, strict=False):
        x, y = label.xy
        inside = bar.get_height() >= plots.WATERFALL_LABEL_INSIDE * tallest
        assert y == pytest.approx(bar.get_y() + (bar.get_height() / 2 if inside else bar.get_height()))


def test_monthly_payout_shows_the_whole_loan_and_three_years_after(result):
    ax = plots.monthly_payout(result, _axes())
    # the 84-month loan's last instalment is in year 7 (Esfand 1411); the instalments withheld
    # are cleared in Farvardin 1412, year 8: years 1-11 are drawn
    assert len(ax.get_lines()[0].get_xdata()) == 132
    assert any("1411" in text.get_text() for text in ax.texts)


@pytest.mark.parametrize("lang", LANGS)
def test_a_scenario_without_a_promise_draws_no_band(lang):
    scenario = sc.qom_baseline().with_changes({"promise": None})
    result = sc.simulate(scenario, energy=np.full(12, 420_000.0))
    ax = plots.monthly_payout(result, _axes(), years=1, lang=lang)
    assert len(ax.patches) == 0
    assert plots.scenario_name(scenario, lang) in ax.get_title()


def test_the_band_is_the_scenarios_own_promise():
    promise = sc.Promise(20e6, 30e6, money_of="1405-01", source="a board decision")
    scenario = sc.qom_baseline().with_changes({"promise": promise})
    result = sc.simulate(scenario, energy=np.full(12, 420_000.0))
    band = plots.monthly_payout(result, _axes(), years=1).collections[0]
    heights = band.get_paths()[0].vertices[:, 1]
    # money of the first month: the band starts at the promise and grows with prices
    assert (heights.min(), heights.max()) == (pytest.approx(20e6), pytest.approx(30e6 * 1.35 ** (11 / 12)))
    assert band.get_label() == "promised: 20-30 million rial of Farvardin 1405, kept in value as prices rise"


def test_a_derived_name_is_said_in_persian_and_a_given_name_stays():
    assert plots.scenario_name(sc.qom_baseline(), "fa") == "تعاونی قم، ۴۰۰ خانوار، ۳ مگاوات"
    isfahan = sc.qom_baseline().with_changes(
        {"site.name": "Isfahan", "cooperative.families": 250, "plant.capacity_kwp": 2000}
    )
    assert plots.scenario_name(isfahan, "fa") == "تعاونی اصفهان، ۲۵۰ خانوار، ۲ مگاوات"
    named = sc.qom_baseline().with_changes({"name": "Mohebban Karimeh"})
    assert plots.scenario_name(named, "fa") == "Mohebban Karimeh"


def test_the_promise_beside_nominal_money_is_kept_in_value(baseline_result):
    """The promise is money of Shahrivar 1404: beside nominal payouts its band grows with
    prices, so a nominal line above it meets the promise in the promise's own money."""
    from solarcoop.studies.headline import promise_price_level

    scenario = baseline_result.scenario
    ax = sc.plots.monthly_payout(baseline_result)
    band_top = ax.collections[0].get_paths()[0].vertices[:, 1].max()
    years = sc.plots.years_through_loan(baseline_result)
    shown = baseline_result.monthly[baseline_result.monthly["operating_year"] <= years]
    level = promise_price_level(scenario, shown, scenario.promise.money_of)
    inflation = scenario.economy.inflation_per_year
    assert level[0] == pytest.approx((1 + inflation) ** (7 / 12))  # Shahrivar 1404 to Farvardin 1405
    assert band_top == pytest.approx(scenario.promise.high_rial * level.max())
    assert band_top > 3 * scenario.promise.high_rial


def test_the_yearly_chart_draws_the_p50_and_p90_of_the_paths_yearly_means(result, monte_carlo):
    from solarcoop.studies.headline import yearly_exceedance

    ax = plots.yearly_payout(result, monte_carlo, _axes(), years=3)
    p50, p90 = (_line(ax, LABELS["en"][key]).get_ydata() for key in ("p50", "p90"))
    # path k pays k million more every month: ten evenly spaced yearly means a year
    single = result.annual["family_cash_flow_rial_mean"].to_numpy()[:3]
    np.testing.assert_allclose(p50, single + 4.5e6)
    np.testing.assert_allclose(p90, single + 0.9e6)
    np.testing.assert_array_equal(yearly_exceedance(monte_carlo, "family_cash_flow_rial", (0.9, 0.5), 3), [p90, p50])
    for year in (1, 2, 3):
        assert p90[year - 1] == monte_carlo.exceedance(f"family_cash_flow_rial_mean_year{year}", 0.9)


def test_the_band_is_drawn_from_the_promise_in_each_months_money(baseline_result):
    from solarcoop.studies.headline import promise_band_rial

    ax = plots.monthly_payout(baseline_result, _axes(), years=2)
    heights = ax.collections[0].get_paths()[0].vertices[:, 1]
    low, high = promise_band_rial(baseline_result.scenario, baseline_result.monthly.iloc[:24])
    assert (heights.min(), heights.max()) == (low.min(), high.max())
    # in real money, the scenario's real money month is the promise's: the band is the promise itself
    real_low, real_high = promise_band_rial(baseline_result.scenario, baseline_result.monthly, real=True)
    assert (real_low == 50e6).all() and (real_high == 80e6).all()
    later = baseline_result.scenario.with_changes({"real_money_of": "1405-01"})  # 7 months of 35 % a year later
    real_low, _ = promise_band_rial(later, baseline_result.monthly, real=True)
    assert real_low == pytest.approx(np.full(len(real_low), 50e6 * 1.35 ** (7 / 12)))
    with pytest.raises(sc.InputError, match="has no promise"):
        promise_band_rial(baseline_result.scenario.with_changes({"promise": None}), baseline_result.monthly)


@pytest.mark.parametrize("lang", LANGS)
def test_a_promise_of_one_sum_is_named_as_one_sum(lang):
    promise = sc.Promise(40e6, 40e6, money_of="1405-01", source="board minutes")
    result = sc.simulate(sc.qom_baseline().with_changes({"promise": promise}), energy=np.full(12, 420_000.0))
    ax = plots.monthly_payout(result, _axes(), years=2, lang=lang)
    (line,) = [line for line in ax.get_lines() if line.get_color() == "tab:green"]  # one sum: a line, not a band
    label = line.get_label()
    assert {"en": "promised: 40 million rial of Farvardin 1405", "fa": "وعده: ۴۰ میلیون ریال به پول فروردین ۱۴۰۵"}[lang] in label
    assert {"en": "40-40", "fa": "۴۰ تا ۴۰"}[lang] not in label
