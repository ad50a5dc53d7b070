"""The parts that make the report fast: the disputed facts' effects read from the
headline's own paths, and the charts and workbook made at once on the cores."""

import numpy as np
import pandas as pd
import pytest

import solarcoop as sc
from solarcoop import disputed
from solarcoop.present import pages, report
from solarcoop.studies import headline as headline_study
from solarcoop.studies.headline import reading_effects_of, widest_reading
from solarcoop.studies.montecarlo import drawn_readings, monte_carlo

MONEY = "family_cash_flow_real_rial"


@pytest.fixture(scope="module")
def short():
    return sc.qom_baseline().with_changes({"lifetime_years": 2})


@pytest.fixture(scope="module")
def run(short):
    return monte_carlo(short, n_paths=500, seed=3, kept=(MONEY,), keep_paths=True)


def test_each_path_drew_what_drawn_readings_says(short):
    """With only the payment terms drawn, a path that drew an alternative is, to the rial,
    the same path of a run with that alternative fixed (the other draws come first, from
    the same seeds): so the codes belong to the paths they are read beside."""
    drawn_only = short.with_changes({"uncertainty.readings": ("payment",)})
    fixed = short.with_changes({"uncertainty.readings": ()})
    run = monte_carlo(drawn_only, n_paths=300, seed=5, kept=(MONEY,), keep_paths=True)
    codes = drawn_readings(drawn_only, 300, seed=5)["payment"].to_numpy()
    alternatives = disputed.reading("payment").alternatives
    assert len(set(codes)) == len(alternatives)  # every alternative drawn at 300 paths
    for index, alternative in enumerate(alternatives):
        one = monte_carlo(
            disputed.apply(fixed, "payment", alternative.name), n_paths=300, seed=5, kept=(MONEY,), keep_paths=True
        )
        members = codes == index
        np.testing.assert_array_equal(run.paths[MONEY][members], one.paths[MONEY][members])
        assert not np.array_equal(run.paths[MONEY][~members], one.paths[MONEY][~members])


def test_drawn_readings_follow_their_chances(short):
    codes = drawn_readings(short, 4_000, seed=1)
    assert list(codes.columns) == [name for name in disputed.READING_NAMES if name in short.uncertainty.readings]
    for name in codes.columns:
        share = np.bincount(codes[name], minlength=len(disputed.reading(name).alternatives)) / 4_000
        chances = disputed.probabilities(name, short.uncertainty)
        assert np.abs(share - chances).max() < 0.04  # 4 standard errors at most at 4,000 paths


def test_effects_of_a_run_are_the_p50s_of_the_paths_that_drew_each_alternative(short, run):
    table = reading_effects_of(run, years=(1, 2))
    year2 = run.metric(f"{MONEY}_mean_year2")
    assert table.attrs["p50_all_drawn_real_rial"][2] == run.exceedance(f"{MONEY}_mean_year2", 0.5)
    assert table.attrs["money_of"] == short.real_money_month
    assert (table["reading"] != "all").all()
    codes = drawn_readings(short, 500, seed=3)
    for name, rows in table.groupby("reading"):
        assert rows["paths"].sum() == 500
        assert rows["probability"].sum() == pytest.approx(1.0)
        assert rows["central"].sum() == 1
        for row in rows.itertuples():
            index = [a.name for a in disputed.reading(name).alternatives].index(row.alternative)
            members = codes[name].to_numpy() == index
            assert row.paths == members.sum()
            assert row.p50_year2_real_rial == pytest.approx(np.median(year2[members]), rel=0, abs=1e-6)
            assert row.change_year2_real_rial == pytest.approx(
                row.p50_year2_real_rial - table.attrs["p50_all_drawn_real_rial"][2], abs=1e-6
            )
            gap = short.promise.low_rial - table.attrs["p50_all_drawn_real_rial"][2]
            assert row.gap_share_year2 == pytest.approx(row.change_year2_real_rial / gap)
    swings = table.groupby("reading", sort=False)["p50_year2_real_rial"].agg(lambda v: v.max() - v.min())
    assert list(swings) == sorted(swings, reverse=True)  # widest first
    reading, low, high = widest_reading(table, 2)
    assert reading == swings.index[0] and high - low == pytest.approx(swings.iloc[0])


def test_an_alternative_no_path_drew_has_no_p50(short):
    tiny = monte_carlo(short, n_paths=3, seed=0, kept=(MONEY,), keep_paths=True)
    table = reading_effects_of(tiny, years=(1,))
    assert (table["paths"] == 0).any()
    assert table.loc[table["paths"] == 0, "p50_year1_real_rial"].isna().all()
    assert table.loc[table["paths"] > 0, "p50_year1_real_rial"].notna().all()


def test_what_moves_it_reads_the_headline_run_and_runs_no_other(short, run, monkeypatch):
    def no_run(*args, **kwargs):
        raise AssertionError("a Monte Carlo was run")

    monkeypatch.setattr(headline_study, "monte_carlo", no_run)
    drivers, effects = report.what_moves_it(short, 500, 3, monte_carlo=run)
    assert drivers.attrs["metric"] == "family_cash_flow_rial_mean_year1"
    assert effects.equals(reading_effects_of(run, years=(1,)))
    assert report.what_moves_it(short, 0, 3, monte_carlo=run)[1] is None


def _job(value: int):
    return lambda: bytes([value]) * (value + 1)


def test_jobs_made_at_once_give_what_they_give_one_by_one_in_order():
    jobs = {f"job{value}": _job(value) for value in (5, 1, 4, 2, 3)}
    made = pages.made_at_once(jobs, weights={"job5": 3.0})
    assert list(made) == list(jobs)
    assert made == {name: job() for name, job in jobs.items()}


def test_an_error_in_a_job_reaches_the_caller():
    def fails():
        raise ValueError("the chart's data is empty")

    with pytest.raises(ValueError, match="the chart's data is empty"):
        pages.made_at_once({"good": _job(1), "bad": fails, "other": _job(2)})


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_page_one_legend_stays_clear_of_the_promise_band(short, run, lang):
    """The legend sits beside the axes, so it covers neither the promise band (the top
    of the axes) nor the bars and lines."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lead = headline_study.headline_of(sc.simulate(short), run)
    _, plan = report._chart_plan(lead.single_run, lang, run, None, lead)
    draw, size = plan["headline.png"]
    figure = Figure(figsize=size, layout="constrained")
    ax = figure.add_subplot()
    draw(ax)
    FigureCanvasAgg(figure).draw()
    legend, frame = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert legend.x0 >= frame.x1
    assert legend.x1 <= figure.bbox.x1  # and inside the figure


def test_points_run_on_the_cores_come_back_in_order():
    assert report.OnTheCores().gather(report.OnTheCores().map(lambda a, b: a * 10 + b, range(7), [1] * 7)) == [
        1, 11, 21, 31, 41, 51, 61,
    ]  # fmt: skip


def test_the_sensitivity_on_the_cores_is_the_sensitivity(short):
    from solarcoop.present import bank
    from solarcoop.studies.sweeps import sensitivity

    alone = sensitivity(short, also=bank.SENSITIVITY_FIGURES)
    spread = sensitivity(short, also=bank.SENSITIVITY_FIGURES, client=report.OnTheCores())
    assert spread.equals(alone) and spread.attrs == alone.attrs


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_promise_of_one_sum_is_drawn_as_a_line(short, lang):
    """A promise whose bottom is its top (40 million rial at both ends) shows as a line on
    the month-by-month chart, kept in value as prices rise, not as a band of no height
    that nobody sees; a promise of a range stays a band."""
    from matplotlib.figure import Figure

    from solarcoop.present import plots

    def promise_lines(scenario):
        ax = Figure().add_subplot()
        plots.monthly_payout(sc.simulate(scenario), ax, lang=lang)
        return [line for line in ax.get_lines() if line.get_color() == "tab:green"], ax

    lines, _ = promise_lines(short.with_changes({"promise.low_rial": 40e6, "promise.high_rial": 40e6}))
    assert len(lines) == 1
    values = np.asarray(lines[0].get_ydata())
    assert values[0] == pytest.approx(40e6, rel=0.5) and values[-1] > values[0]  # grows with prices
    lines, ax = promise_lines(short)
    assert lines == [] and len(ax.collections) >= 1


def test_a_scenario_that_holds_a_fact_fixed_has_its_effects_run(short, monkeypatch):
    """Paths cannot tell the effect of a fact the scenario does not draw: then the facts
    are each fixed and run, as before."""
    fewer = short.with_changes({"uncertainty.readings": ("payment",)})
    run = monte_carlo(fewer, n_paths=250, seed=3, kept=(MONEY,), keep_paths=True)
    called = []
    monkeypatch.setattr(headline_study, "reading_effects", lambda *args, **kwargs: called.append(kwargs) or "run")
    assert report.what_moves_it(fewer, 250, 3, monte_carlo=run)[1] == "run"
    assert called == [{"n_paths": 250, "seed": 3, "years": (1,)}]


def _texts_inside(figure, renderer) -> list:
    """The figure's drawn texts (titles, axis labels, tick labels within the axes' range,
    annotations, the legend's) whose extent leaves the figure."""
    texts = []
    for ax in figure.axes:
        texts += [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis, (low, high) in ((ax.xaxis, sorted(ax.get_xlim())), (ax.yaxis, sorted(ax.get_ylim()))):
            texts += [tick.label1 for tick in axis.get_major_ticks() if low <= tick.get_loc() <= high]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    out = []
    for text in texts:
        if text.get_visible() and text.get_text():
            box = text.get_window_extent(renderer)
            if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > figure.bbox.x1 + 0.5 or box.y1 > figure.bbox.y1 + 0.5:
                out.append(text.get_text())
    return out


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_measured_chart_keeps_every_word_inside_and_clear_of_the_axes(lang):
    """:func:`pages.fit_axes` places the axes so that a long wrapped title, a two-line
    axis label, rotated tick labels and a legend beside the axes all fit in the figure,
    none of them over the axes, and the axes take the rest."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    words = {"en": "the family's money after its instalment", "fa": "پول خانوار پس از قسط"}[lang]
    figure = Figure(figsize=(11, 3.6), dpi=100)
    ax = figure.add_subplot()
    ax.plot(range(12), [value * 1e6 for value in range(12)], label=words)
    ax.set_xticks(range(12), [f"{words[:12]} {month}" for month in range(12)], rotation=30, ha="right")
    ax.set_ylabel(f"{words[:16]}\n{words[:16]}")  # along the axes it must fit their height (as in constrained layout)
    ax.set_xlabel(words)
    ax.set_title(" ".join([words] * 6), wrap=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    pages.fit_axes(ax, pad_in=0.05)
    renderer = FigureCanvasAgg(figure).get_renderer()
    FigureCanvasAgg(figure).draw()
    assert _texts_inside(figure, renderer) == []
    frame = ax.get_window_extent(renderer)
    assert ax.get_legend().get_window_extent(renderer).x0 >= frame.x1
    assert ax.title.get_window_extent(renderer).y0 >= frame.y1
    assert ax.xaxis.label.get_window_extent(renderer).y1 <= frame.y0
    assert ax.yaxis.label.get_window_extent(renderer).x1 <= frame.x0
    # the axes take what the words leave: no wide empty margin on any side
    outer = ax.get_tightbbox(renderer, for_layout_only=True)
    assert outer.x0 == pytest.approx(5, abs=2) and outer.y0 == pytest.approx(5, abs=2)
    assert figure.bbox.x1 - outer.x1 == pytest.approx(5, abs=2)


def test_labels_larger_than_the_figure_are_refused_with_its_size():
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1), dpi=100)
    ax = figure.add_subplot()
    ax.set_ylabel("\n".join(["a long axis label"] * 3))
    ax.set_xlabel("\n".join(["a long axis label"] * 8))
    with pytest.raises(ValueError, match="2 x 1 in"):
        pages.fit_axes(ax)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_report_charts_are_placed_by_measurement_and_keep_every_word_inside(short, run, lang):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lead = headline_study.headline_of(sc.simulate(short), run)
    _, plan = report._chart_plan(lead.single_run, lang, run, None, lead)
    for name, (draw, size) in plan.items():
        figure = Figure(figsize=size, dpi=pages.CHART_DPI)
        ax = figure.add_subplot()
        draw(ax)
        pages.fit_axes(ax)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        assert _texts_inside(figure, canvas.get_renderer()) == [], name


def test_chart_png_is_rgb_with_the_pixels_matplotlib_draws():
    """The charts leave out the alpha channel (opaque figures): the same pixels as
    matplotlib's own PNG, the dots per inch kept in the file."""
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    def draw(ax):
        ax.plot([0, 1, 2], [3, 1, 2], label="a line")
        ax.set_title("a title")
        ax.legend()

    png = pages.chart_png(draw, (3, 2), dpi=100, measured=True)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGB" and image.size == (300, 200)
    assert image.info["dpi"] == pytest.approx((100, 100), abs=0.01)
    figure = Figure(figsize=(3, 2), dpi=100)
    ax = figure.add_subplot()
    draw(ax)
    pages.fit_axes(ax)
    own = io.BytesIO()
    figure.savefig(own, format="png", dpi=100)
    expected = np.asarray(Image.open(own).convert("RGBA"))
    assert (expected[..., 3] == 255).all()
    np.testing.assert_array_equal(np.asarray(image), expected[..., :3])


def test_a_transparent_chart_is_refused_rather_than_flattened():
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1), dpi=50)
    figure.patch.set_alpha(0.0)
    figure.add_subplot().plot([0, 1])
    with pytest.raises(ValueError, match="transparent"):
        pages.png_bytes(figure, 50)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_page_one_says_no_input_moves_a_year_held_at_zero_by_withheld_instalments(lang):
    """When the tornado's widest swing is none (the year's money is 0 whatever the inputs,
    the instalments withheld), page 1 says so instead of "moves from 0.0 to 0.0"."""
    from solarcoop.present.locales import catalog

    result = sc.simulate(sc.qom_baseline().with_changes({"lifetime_years": 3}))
    assert result.scenario.loan.shortfall == "arrears"
    flat = pd.DataFrame(
        {"parameter": ["tariff.base_price_rial_per_kwh", "loan.annual_rate"], "low_value": [1.0, 0.0],
         "high_value": [2.0, 0.1], "low_metric": [0.0, 0.0], "high_metric": [0.0, 0.0], "base_metric": [0.0, 0.0]}
    )  # fmt: skip
    flat.attrs["metric"] = "family_cash_flow_rial_mean_year1"
    (sentence,) = report._moves_most_sentences(result, flat, None, lang)
    words = catalog(lang)["report"]
    assert sentence == words["depends_sentence_flat_withheld"].format(
        year=report.format_number(1, lang), base_metric=report.money_million(0.0, lang)
    )
    moving = flat.assign(high_metric=[3e6, 0.0])
    (sentence,) = report._moves_most_sentences(result, moving, None, lang)
    assert sentence.startswith(words["depends_sentence"].split("{")[0])
