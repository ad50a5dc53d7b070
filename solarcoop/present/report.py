"""A report a planner can put into a proposal: PDF, Excel workbook and PNG charts; and the
one-page statement a family reads before it joins.

:func:`write_report` writes, into one folder, for ``lang="en"`` or ``"fa"``:

- ``report_<lang>.pdf``, typeset by Typst (:mod:`solarcoop.present.pages`), in the order
  of a proposal: the headline (what a family gets per month in years 1-3 and after the
  loan, central and in 9 futures out of 10, against the promise, with the one chart that
  shows it); a table of contents; the bank's page (NPV, IRR, LCOE, payback, DSCR,
  performance ratio, energy P50/P90/P99, the loss diagram: :mod:`solarcoop.present.bank`)
  and the project's cash flow by year; the family's money through the loan and after it;
  the loan; energy; where the money goes; risk; what matters most; the disputed facts;
  the life year by year and year one month by month; then the assumptions as a compact
  appendix, one row per input with its value, the default where it was changed and the
  source of the default. Every page carries a header with the scenario's name and the
  date, and its number;
- ``report_<lang>.xlsx``: summary, monthly ledger, annual table, one sheet per member
  class, assumptions with sources, sensitivity and Monte Carlo quantiles, every number
  stored as a number with a number format, units in a second header row;
- one PNG per chart (``payout_<lang>.png`` ...).

:func:`family_statement` sets one A4 page for a family deciding whether to join, and
:func:`write_statement` writes it as ``statement_<lang>.pdf``.

Every word comes from the language's catalog (``solarcoop/present/locales/<lang>.toml``); numbers
are rounded only here, at the output. The source of each default is read from the
numpydoc docstring of the spec that holds it (English) or from the catalog (Persian).

Nothing is overwritten unless ``force=True`` (checked before anything is computed). The
files are written into a new folder beside the output folder, which is swapped in only
when all of them are complete (:mod:`solarcoop._atomic`), so a run that fails leaves no
half-written file and a reader never sees old and new files mixed.
"""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pandas as pd

from solarcoop._atomic import OutputExistsError, check_folder, write_folder
from solarcoop.findings import finding_text, funding_rule_text
from solarcoop.present import bank, plots
from solarcoop.present.assumptions import assumption_records, reading_texts
from solarcoop.present.headline import (
    chance_column,
    debt_words,
    headline_view,
    promise_words,
    shows_chance,
)
from solarcoop.present.locales import catalog
from solarcoop.present.pages import (
    APPENDIX_FONT_PT,
    CHART_SIZE_IN,
    MUTED,
    RED,
    TABLE_FONT_PT,
    Document,
    Group,
    Section,
    chart_png,
    columns,
    image,
    made_at_once,
    section,
    text,
)
from solarcoop.present.pages import table as table_block
from solarcoop.present.plots import scenario_name
from solarcoop.present.text import (
    MILLION,
    chance_text,
    date_text,
    digits,
    format_number,
    is_percent_label,
    money_million,
    month_text,
    parameter_value_text,
    signs,
)
from solarcoop.present.workbook import write_workbook
from solarcoop.studies.headline import (
    PROMISE_COUNTS,
    money_column,
    promise_counted,
    reading_effects_years,
    widest_reading,
)
from solarcoop.studies.sweeps import metric_year, widest_swing

ReportExistsError = OutputExistsError
"""The output folder already holds an earlier run's files and ``force`` was not given."""


def _headline_sentences(
    result, table: pd.DataFrame, monte_carlo, sensitivity, lang: str, reading_effects=None
) -> list[str]:
    words = catalog(lang)["report"]
    scenario = result.scenario
    years = list(table.index)
    sentences = []
    if scenario.promise is not None and monte_carlo is not None and shows_chance(table, scenario):
        after = years[-1]
        column = chance_column(scenario)
        sentences.append(
            words["promise_sentence"].format(
                **promise_words(scenario, lang, table),
                first=chance_text(table.loc[1, column], lang),
                after=chance_text(table.loc[after, column], lang),
                year_after=format_number(after, lang),
            )
        )  # fmt: skip
    sentences += _moves_most_sentences(result, sensitivity, reading_effects, lang)
    if monte_carlo is not None:
        sentences.append(
            words["uncertain_sentence"].format(
                n_paths=format_number(monte_carlo.n_paths, lang),
                p50=money_million(table.loc[1, "net_payout_per_family_p50_rial"], lang),
                p90=money_million(table.loc[1, "net_payout_per_family_p90_rial"], lang),
                single=money_million(table.loc[1, "single_run_net_payout_per_family_rial"], lang),
                percentile=format_number(table.loc[1, "single_run_percentile"], lang),
            )
        )
    else:
        sentences.append(words["uncertain_sentence_single"])
    sentences.append(_loan_sentence(result, table.attrs.get("debt"), lang))
    return sentences


def _moves_most_sentences(result, sensitivity, reading_effects, lang: str) -> list[str]:
    """What moves the family's money most, for one named year: of the inputs the tornado
    tries (:func:`~solarcoop.studies.sweeps.widest_swing`, the tornado's top bar) and, with
    ``reading_effects``, of the disputed facts (:func:`~solarcoop.studies.headline.widest_reading`
    for the same year)."""
    words = catalog(lang)["report"]
    sentences = []
    year = None
    if sensitivity is not None and len(sensitivity):
        top = widest_swing(sensitivity)
        year = metric_year(sensitivity.attrs.get("metric", "family_cash_flow_rial_mean_year1"))
        label = plots.parameter_label(top["parameter"], lang)
        name, percent = label.split(" [")[0], is_percent_label(label)
        if top["low_metric"] == top["high_metric"] == top["base_metric"]:  # the widest swing is none
            withheld = result.scenario.loan.shortfall == "arrears"
            flat = words["depends_sentence_flat_withheld" if withheld else "depends_sentence_flat"]
            sentences.append(flat.format(year=format_number(year, lang), base_metric=money_million(top["base_metric"], lang)))
        else:
            sentences.append(
                words["depends_sentence"].format(
                    year=format_number(year, lang),
                    parameter=name,
                    low=parameter_value_text(top["low_value"], lang, percent),
                    high=parameter_value_text(top["high_value"], lang, percent),
                    low_metric=money_million(top["low_metric"], lang),
                    high_metric=money_million(top["high_metric"], lang),
                    base_metric=money_million(top["base_metric"], lang),
                )
            )
    if reading_effects is not None:
        year = year or reading_effects_years(reading_effects)[0]
        reading, low, high = widest_reading(reading_effects, year)
        sentences.append(
            words["depends_readings_sentence"].format(
                reading=catalog(lang)["readings"][reading], year=format_number(year, lang),
                low=money_million(low, lang), high=money_million(high, lang),
                month=month_text(reading_effects.attrs["money_of"], result.scenario.calendar, lang),
            )
        )  # fmt: skip
    return sentences


def _loan_sentence(result, debt, lang: str) -> str:
    """The loan, and what the family owes in withheld instalments: the single run's most
    and when it is cleared, and over the futures (``debt``, the headline's
    :class:`~solarcoop.studies.headline.FamilyDebt`) the chance, P50 and P90; that no
    future owes anything when none does."""
    words = catalog(lang)["report"]
    loan = result.scenario.loan
    instalment = result.monthly["loan_instalment_per_family_rial"]
    instalment = instalment[instalment > 0.5]
    calendar = result.scenario.calendar
    last_due = result.monthly.loc[instalment.index[-1], "label"] if len(instalment) else result.summary["loan_paid_off_label"]
    sentence = words["loan_sentence"].format(
        principal=format_number(loan.principal_rial / MILLION, lang),
        term=format_number(len(instalment), lang),
        instalment=money_million(instalment.iloc[0] if len(instalment) else 0.0, lang),
        paid_off=month_text(last_due, calendar, lang),
    )
    if result.summary["months_in_arrears"] > 0:  # withheld instalments: never from the pocket, but a debt
        sentence += " " + words["loan_withheld"].format(
            most=money_million(result.summary["family_arrears_max_rial"], lang),
            cleared=month_text(result.summary["loan_paid_off_label"], calendar, lang),
        )
    if debt is None or not debt.measured:
        return sentence
    figures = debt_words(debt, calendar, lang)
    if debt.none_owed:
        return sentence + " " + words["loan_debt_none"].format(n_paths=figures["n_paths"])
    if debt.chance_owes > 0:
        sentence += " " + words["loan_debt_spread"].format(**figures)
    if debt.single_months_owing > 0:
        sentence += " " + words["loan_debt_single"].format(most=figures["most"], pct=figures["pct"])
    return sentence


def _headline_rows(result, table: pd.DataFrame, monte_carlo, lang: str) -> tuple[list, list]:
    words = catalog(lang)["report"]
    base = month_text(table.attrs["base_month"], result.scenario.calendar, lang)
    labels = []
    for year in table.index:
        template = words["year_row_after"] if year == table.index[-1] and year > 3 else words["year_row"]
        labels.append(template.format(year=format_number(year, lang), label=digits(table.loc[year, "label"], lang)))
    if monte_carlo is None:
        header = ["", words["single_run"]]
        rows = [
            [label, money_million(table.loc[year, "single_run_net_payout_per_family_rial"], lang)]
            for label, year in zip(labels, table.index, strict=True)
        ]
        return header, rows
    promise = result.scenario.promise
    header = [
        "", words["central"], words["bad_year"],
        words["real_central"].format(base=base), words["real_bad_year"].format(base=base),
        words["single_run"], words["single_run_percentile"],
    ]  # fmt: skip
    chance = promise is not None and shows_chance(table, result.scenario)
    if chance:
        said = promise_words(result.scenario, lang, table)
        header.append(words["chance_reach"].format(promise=said["threshold"], month=said["month"]))
    rows = []
    for label, year in zip(labels, table.index, strict=True):
        row = table.loc[year]
        rows.append(
            [
                label,
                money_million(row["net_payout_per_family_p50_rial"], lang),
                money_million(row["net_payout_per_family_p90_rial"], lang),
                money_million(row["net_payout_per_family_p50_real_rial"], lang),
                money_million(row["net_payout_per_family_p90_real_rial"], lang),
                money_million(row["single_run_net_payout_per_family_rial"], lang),
                words["percentile_value"].format(value=format_number(row["single_run_percentile"], lang)),
            ]
        )
        if chance:
            rows[-1].append(chance_text(row[chance_column(result.scenario)], lang))
    return header, rows


def _headline_page(
    result, table, monte_carlo, sensitivity, lang: str, reading_effects=None
) -> tuple[dict, object]:
    """Page 1 as a section, and ``draw(ax)`` of its chart."""
    words = catalog(lang)["report"]
    blocks = [text(words["headline_lead" if monte_carlo is not None else "headline_lead_single"], 10.5)]
    header, rows = _headline_rows(result, table, monte_carlo, lang)
    blocks.append(table_block(header, rows, [2.2] + [1.0] * (len(header) - 1), 9.5))
    blocks.append(text("", 2, space_pt=2))
    blocks += [
        text(sentence, 9.5, space_pt=4)
        for sentence in _headline_sentences(result, table, monte_carlo, sensitivity, lang, reading_effects)
    ]
    # about the inputs: on the page with the numbers
    blocks += [text(f"* {finding_text(finding, lang)}", 8.5, fill=RED, space_pt=3) for finding in getattr(result, "findings", ())]
    blocks.append(image("headline.png"))
    base = month_text(table.attrs["base_month"], result.scenario.calendar, lang)
    blocks.append(text(words["money_note"].format(base=base), 7.5, fill=MUTED, space_pt=0))

    def draw(ax):  # in real money, beside the promise in its own money, as page 1's chance counts it
        plots.yearly_payout(
            result, monte_carlo, ax, years=int(max(table.index)), lang=lang,
            column=money_column(result, monte_carlo).replace("_rial", "_real_rial"),
        )  # fmt: skip
        ax.set_title(words["chart_title"].format(month=base), fontsize=10)

    title = words["title"].format(name=scenario_name(result.scenario, lang))
    return section(words["headline"], blocks, heading=title), draw


HEADLINE_CHART_IN = (11, 3.6)
"""Page 1's chart [inches]."""


LOSS_CHART_IN = (6.5, 5.2)
"""The loss diagram [inches]."""


BANK_WIDTHS = [0.7, 0.3]
"""The bank's yardsticks: the figure, its value."""


CASH_WIDTHS = [0.2] + [0.114] * 7
"""The project's cash flow: the year, then seven amounts."""


def _bank_pages(result, lang: str, sensitivity=None) -> tuple[list[dict], object]:
    """The bank's sections (yardsticks with the loss diagram; the cash flow by year; with a
    ``sensitivity`` that read the yardsticks, what moves them) and ``draw(ax)`` of the loss
    diagram (``None`` without one)."""
    words = catalog(lang)["bank"]
    steps = bank.loss_steps(result)
    energy = bank.energy_exceedance(result)
    figures = [
        table_block(words["columns_figures"], bank.figure_rows(result, lang, steps, energy), BANK_WIDTHS, 9),
        text(bank.energy_method(result, lang, energy), 8, fill=MUTED),
    ]
    chart = image("losses.png", 12.5) if steps is not None else text(words["no_losses"], 9, fill=MUTED)
    base = month_text(result.summary["real_base_month_label"], result.scenario.calendar, lang)
    yardsticks = section(words["page"], [text(words["lead"].format(base=base), 9.5), columns([figures, [chart]], [0.5, 0.5])])
    cash = section(words["cash_page"], [
        text(words["cash_lead"], 9.5),
        table_block(words["columns_cash"], bank.cash_flow_rows(result, lang), CASH_WIDTHS, TABLE_FONT_PT),
    ])  # fmt: skip
    draw = None if steps is None else (lambda ax: bank.draw_losses(steps, ax, lang))
    sections = [yardsticks, cash]
    moved = bank.sensitivity_rows(sensitivity, lang)
    if moved:
        sections.append(section(words["sensitivity_page"], [
            text(words["sensitivity_lead"].format(base=base), 9.5),
            table_block(words["columns_sensitivity"], moved, BANK_SENSITIVITY_WIDTHS, TABLE_FONT_PT),
        ]))  # fmt: skip
    return sections, draw


BANK_SENSITIVITY_WIDTHS = [0.34, 0.22, 0.22, 0.22]
"""The bank's sensitivity table: the input and its two ends, then NPV, IRR and LCOE at each."""


ASSUMPTION_WIDTHS = [0.2, 0.15, 0.12, 0.53]
"""The appendix, one row per input: its name (* where changed), value with its unit, the
default where it was changed, what it is and the source of the default."""


YEAR_ONE_WIDTHS = [0.16] + [0.12] * 7


LIFE_WIDTHS = [0.16] + [0.14] * 6


def _real_month_words(cells: list[str], result, lang: str) -> list[str]:
    """Column headers with ``{month}`` filled: the scenario's real money month."""
    month = month_text(result.scenario.real_money_month, result.scenario.calendar, lang)
    return [cell.replace("{month}", month) for cell in cells]


def _assumption_rows(scenario, lang: str) -> list:
    rows = []
    for row in assumption_records(scenario, lang):
        name = ("  " * row["depth"]) + row["name"] + (" *" if row["changed"] else "")
        cells = [name, row["value"], row["default"] if row["changed"] and not row["section"] else "", row["source"]]
        rows.append(Section(cells) if row["section"] else cells)
    return rows


def _year_one_rows(result, lang: str) -> list[list[str]]:
    months = result.monthly[result.monthly["operating_year"] == 1]
    column = money_column(result)
    real_column = column.replace("_rial", "_real_rial")
    return [
        [
            month_text(row.label, result.scenario.calendar, lang),
            format_number(row.energy_kwh / 1e3, lang),
            format_number(row.price_rial_per_kwh, lang),
            format_number(row.revenue_collected_rial / MILLION, lang),
            format_number(row.distribution_per_family_rial / MILLION, lang, 1),
            format_number(row.loan_instalment_per_family_rial / MILLION, lang, 1),
            format_number(getattr(row, column) / MILLION, lang, 1),
            format_number(getattr(row, real_column) / MILLION, lang, 1),
        ]
        for row in months.itertuples(index=False)
    ]


def _life_rows(result, lang: str) -> list[list[str]]:
    annual = result.annual
    column = money_column(result)
    real_column = column.replace("_rial", "_real_rial")
    return [
        [
            digits(f"{year} ({row.label})", lang),
            format_number(row.energy_kwh / 1e3, lang),
            format_number(row.price_rial_per_kwh_mean, lang),
            format_number(row.distribution_per_family_rial_mean / MILLION, lang, 1),
            format_number(getattr(row, f"{column}_mean") / MILLION, lang, 1),
            format_number(getattr(row, f"{real_column}_mean") / MILLION, lang, 1),
            format_number(row.loan_balance_per_family_rial_end / MILLION, lang, 1),
        ]
        for year, row in zip(annual.index, annual.itertuples(index=False), strict=True)
    ]


READINGS_WIDTHS = [0.22, 0.34, 0.12, 0.32]
"""Columns of the readings page: fact, what the reading says, probability, source."""


def _reading_rows(scenario, lang: str) -> list:
    """One row per alternative: the fact (on its first row), what it says, its chance
    (the central one marked) and its source, numbers in the language's digits; each
    fact's rows kept on one page."""
    from solarcoop.disputed import readings

    words = catalog(lang)["report"]
    frame = reading_texts(lang)
    frame["probability"] = readings(scenario.uncertainty)["probability"].to_numpy()
    titles = catalog(lang)["readings"]
    groups = []
    for name, alternatives in frame.groupby("reading", sort=False):
        group = Group()
        for position, row in enumerate(alternatives.itertuples(index=False)):
            fact = f"{titles[name]}: {row.question}" if position == 0 else ""
            chance = chance_text(row.probability, lang) + (f" — {words['central_mark']}" if row.central else "")
            group.append([digits(fact, lang), digits(row.says, lang), chance, digits(row.source, lang)])
        groups.append(group)
    return groups


def _charts(result, lang: str, monte_carlo=None, sensitivity=None) -> dict:
    """``{file stem: (page title, draw(ax))}`` for every chart of the report, in page order."""
    words = catalog(lang)["report"]
    years = plots.years_through_loan(result)
    column = money_column(result, monte_carlo)
    charts = {
        "payout": (words["payout_page"], lambda ax: plots.monthly_payout(result, ax, lang=lang)),
        "loan": (words["loan_page"], lambda ax: plots.loan_balance(result, ax, lang=lang)),
        "energy": (words["energy_page"], lambda ax: plots.monthly_energy(result, ax, lang=lang)),
    }
    for year in (1, 2):
        if year <= result.scenario.lifetime_years:
            charts[f"waterfall_year{year}"] = (
                words["waterfall_page"].format(year=format_number(year, lang)),
                lambda ax, year=year: plots.money_waterfall(result, ax, year=year, lang=lang),
            )
    if monte_carlo is not None:  # in real money, beside the promise in its own money, as page 1 counts it
        charts["fan"] = (
            words["fan_page"],
            lambda ax: plots.payout_fan(
                monte_carlo, ax, column=column.replace("_rial", "_real_rial"), years=years, lang=lang
            ),
        )
    counted = PROMISE_COUNTS[promise_counted(result.scenario)]
    if monte_carlo is not None and result.scenario.promise is not None and {"cpi_index", counted} <= set(monte_carlo.columns):
        # the chance of falling short of the promise: page 1's chance, month by month
        charts["shortfall"] = (
            words["shortfall_page"].format(**{
                key: promise_words(result.scenario, lang)[key] for key in ("threshold", "month")
            }),
            lambda ax: plots.shortfall_probability(monte_carlo, ax, years=years, lang=lang),
        )
    if sensitivity is not None:
        charts["tornado"] = (
            words["tornado_page"],
            lambda ax: _with_funding_rule(plots.tornado(
                sensitivity, ax, name=scenario_name(result.scenario, lang), lang=lang,
                metric=sensitivity.attrs.get("metric", "family_cash_flow_rial_mean_year1"),
            ), sensitivity.attrs.get("funding_rule"), lang),  # fmt: skip
        )
    return charts


def _with_funding_rule(ax, rule: str | None, lang: str):
    """The tornado's axis label with one sentence on who takes a change of the families or
    the plant's size (:func:`solarcoop.studies.sweeps.funding_rule`)."""
    if rule is not None:
        width_in = ax.get_position().width * ax.figure.get_figwidth()
        lines = textwrap.wrap(funding_rule_text(rule, lang), max(20, int(width_in * 14)))  # about 14 characters an inch at 8 pt
        ax.set_xlabel(ax.get_xlabel() + "\n" + "\n".join(lines))
    return ax


def _sections(
    result, lang: str, monte_carlo, sensitivity, headline=None, charts=None, draw: bool = True, reading_effects=None
) -> tuple[list[dict], dict]:
    """``([section], {image name: PNG bytes})`` of the PDF, in the order of a proposal.

    ``charts`` (``{image name: PNG bytes}``) are the charts already drawn (from
    :func:`_chart_plan`), the others drawn here; with ``draw=False`` none is drawn (the
    images are empty).
    """
    sections, plan = _chart_plan(result, lang, monte_carlo, sensitivity, headline, reading_effects)
    charts = charts or {}
    images = {
        name: (charts[name] if name in charts else chart_png(chart, size, measured=True)) if draw else b""
        for name, (chart, size) in plan.items()
    }
    return sections, images


def _chart_plan(
    result, lang: str, monte_carlo, sensitivity, headline=None, reading_effects=None
) -> tuple[list[dict], dict]:
    """``([section], {image name: (draw(ax), size [inches])})``: the PDF's sections, in
    the order of a proposal, and the charts they show, not yet drawn."""
    words = catalog(lang)["report"]
    table = headline_view(result, monte_carlo, headline)
    first, draw_headline = _headline_page(result, table, monte_carlo, sensitivity, lang, reading_effects)
    sections, plan = [first], {"headline.png": (draw_headline, HEADLINE_CHART_IN)}
    bank_sections, draw_losses = _bank_pages(result, lang, sensitivity)
    sections += bank_sections
    if draw_losses is not None:
        plan["losses.png"] = (draw_losses, LOSS_CHART_IN)
    for stem, (title, draw_chart) in _charts(result, lang, monte_carlo, sensitivity).items():
        plan[f"{stem}.png"] = (draw_chart, CHART_SIZE_IN)
        sections.append(section(title, [image(f"{stem}.png")]))
    sections.append(section(
        words["readings_page"],
        [table_block(words["columns_readings"], _reading_rows(result.scenario, lang), READINGS_WIDTHS, APPENDIX_FONT_PT)],
    ))  # fmt: skip
    name = scenario_name(result.scenario, lang)
    sections.append(section(
        f"{words['life']} — {name}",
        [table_block(_real_month_words(words["columns_life"], result, lang), _life_rows(result, lang), LIFE_WIDTHS, TABLE_FONT_PT)],
    ))  # fmt: skip
    sections.append(section(
        f"{words['year_one']} — {name}",
        [table_block(
            _real_month_words(words["columns_year_one"], result, lang), _year_one_rows(result, lang), YEAR_ONE_WIDTHS,
            TABLE_FONT_PT,
        )],
    ))  # fmt: skip
    sections.append(section(
        words["assumptions"],
        [table_block(
            words["columns_assumptions"], _assumption_rows(result.scenario, lang), ASSUMPTION_WIDTHS,
            APPENDIX_FONT_PT, note=words["changed_note"],
        )],
    ))  # fmt: skip
    return sections, plan


def report_document(
    result, lang: str = "en", monte_carlo=None, sensitivity=None, headline=None, charts=None, reading_effects=None
) -> Document:
    """The report's PDF as a :class:`solarcoop.present.pages.Document`: its sections, a
    table of contents after page 1, page numbers and a header with the scenario's name
    and today's date (arguments as :func:`write_report`; ``charts`` as ``_sections``)."""
    words = catalog(lang)["report"]
    name = scenario_name(result.scenario, lang)
    sections, images = _sections(result, lang, monte_carlo, sensitivity, headline, charts, reading_effects=reading_effects)
    return Document(
        title=words["title"].format(name=name), lang=lang, sections=sections, landscape=True,
        header=(name, date_text(datetime.date.today(), lang)), contents_title=words["contents"],
        page_numbers=signs(lang)["digits"][1], images=images, subject=name,
    )  # fmt: skip


def contents(
    result, lang: str = "en", monte_carlo=None, sensitivity=None, headline=None, reading_effects=None
) -> list[str]:
    """Titles of the report's sections, in order, as its table of contents lists them;
    each section starts a page (a table may flow over several).

    Examples
    --------
    >>> import numpy as np, solarcoop as sc
    >>> result = sc.simulate(sc.qom_baseline(), energy=np.full(12, 420_000.0))
    >>> pages = contents(result)
    >>> pages[:4]
    ['What a family gets each month', "For the bank: the project's yardsticks", "The project's cash flow, year by year", "The family's money, through the loan and after it"]
    >>> pages[-1].startswith("Appendix: assumptions and their sources")
    True
    """
    sections, _ = _sections(result, lang, monte_carlo, sensitivity, headline, draw=False, reading_effects=reading_effects)
    return [part["title"] for part in sections]


READING_EFFECTS_PATHS = 500
"""Paths of each run behind page 1's "of the disputed facts" sentence when no Monte Carlo
is given to :func:`what_moves_it` (one run per reading's alternative, all on the same seed)."""


def what_moves_it(scenario, n_paths: int = 2_000, seed: int = 0, year: int = 1, monte_carlo=None):
    """The two answers page 1 gives to "what moves the family's money most" in ``year``:
    the tornado (:func:`~solarcoop.studies.sweeps.sensitivity` of
    ``family_cash_flow_rial_mean_yearN``, its metric in ``attrs["metric"]``) and, when
    ``n_paths`` is not 0, the effect of each disputed fact on the same year;
    ``(sensitivity, effects or None)``.

    With ``monte_carlo`` (the headline's run, its paths kept) of a scenario that draws
    every disputed fact, the effects are read from its own paths
    (:func:`~solarcoop.studies.headline.reading_effects_of`: the P50 of the paths that
    drew each alternative, against page 1's P50), and no other run is needed; else
    :func:`~solarcoop.studies.headline.reading_effects` runs the Monte Carlo once per
    alternative (at most :data:`READING_EFFECTS_PATHS` paths a run), which also tells the
    facts the scenario holds fixed.
    """
    from solarcoop.disputed import READING_NAMES
    from solarcoop.studies.headline import reading_effects, reading_effects_of
    from solarcoop.studies.sweeps import sensitivity

    metric = f"family_cash_flow_rial_mean_year{year}"
    drivers = sensitivity(
        scenario, metric=metric, also=bank.SENSITIVITY_FIGURES, client=OnTheCores()
    )  # the bank's figures from the same runs, the runs spread over the cores
    drivers.attrs["metric"] = metric
    effects = None
    if n_paths and monte_carlo is not None and set(scenario.uncertainty.readings) >= set(READING_NAMES):
        effects = reading_effects_of(monte_carlo, years=(year,))  # every fact drawn: its paths tell them all
    elif n_paths:
        effects = reading_effects(
            scenario, n_paths=max(10, min(n_paths, READING_EFFECTS_PATHS)), seed=seed, years=(year,)
        )
    return drivers, effects


class OnTheCores:
    """The ``client`` of a study (:func:`~solarcoop.studies.sweeps.sensitivity`) that runs
    its points at once on this machine's cores, in forked processes
    (:func:`solarcoop.studies.workers.run_shares`, every n-th point to the n-th of n
    cores), or here, one after the other, where the system does not fork or has one core.
    The results are those of the points run one by one, in order."""

    def map(self, function, *iterables, pure: bool = False) -> list:
        from solarcoop.studies import workers

        calls = list(zip(*iterables, strict=True))
        cores = min(workers.available_cores(), len(calls))
        if cores <= 1 or not workers.CAN_FORK:
            return [function(*call) for call in calls]
        shares = [calls[start::cores] for start in range(cores)]
        done = workers.run_shares(lambda share: [function(*call) for call in share], shares)
        results = [None] * len(calls)
        for start, part in enumerate(done):
            results[start::cores] = part
        return results

    def gather(self, results: list) -> list:
        return results


def write_report(
    result,
    out_dir,
    lang: str = "en",
    force: bool = False,
    monte_carlo=None,
    sensitivity=None,
    headline=None,
    reading_effects=None,
) -> list[Path]:
    """Write the PDF report, the Excel workbook and the PNG charts of a result.

    Parameters
    ----------
    result : solarcoop.Result
        From :func:`solarcoop.simulate`.
    out_dir : str or path
        The report's folder, created if missing and replaced whole (the new files appear
        together, or none of them). It must be missing, empty or hold an earlier run's
        files; a folder with other files is refused.
    lang : {"en", "fa"}
        Language of every label, digit and month name.
    force : bool
        Replace the files of an earlier run, removing those this report does not write.
        Without it a folder holding them raises :class:`ReportExistsError` (an
        ``InputError`` and a ``FileExistsError``) before anything is computed.
    monte_carlo : solarcoop.studies.montecarlo.MonteCarloResult, optional
        Adds the central and 9-in-10 figures to the headline, the fan chart, the chance of
        a month below the promise and a sheet of monthly P90 / P50 / P10 payouts.
    sensitivity : pandas.DataFrame, optional
        From :func:`solarcoop.studies.sweeps.sensitivity` (metric: the year-1 mean of the
        family's money after its instalment); adds the tornado chart, a sentence on page 1
        and a sheet.
    headline : solarcoop.Headline, optional
        From :func:`solarcoop.headline` (pass its ``single_run`` as ``result`` and its
        ``monte_carlo``): page 1 shows its table, real money in its ``base_month``.
        Without it page 1 shows the headline read from ``result`` and ``monte_carlo`` by
        :func:`solarcoop.studies.headline.headline_of`, the same computation (the chance
        of the promise needs a Monte Carlo that kept
        :data:`solarcoop.studies.headline.KEPT`).
    reading_effects : pandas.DataFrame, optional
        From :func:`solarcoop.studies.headline.reading_effects` for the tornado's year:
        page 1 then also names the disputed fact that moves that year most.

    Returns
    -------
    list of pathlib.Path
        The files written: the PDF, the workbook, then the PNG charts.
    """
    catalog(lang)
    out = check_folder(out_dir, force)
    _, plan = _chart_plan(result, lang, monte_carlo, sensitivity, headline, reading_effects)
    jobs = {name: (lambda chart=chart, size=size: chart_png(chart, size, measured=True)) for name, (chart, size) in plan.items()}
    workbook = f"report_{lang}.xlsx"
    jobs[workbook] = lambda: _workbook_bytes(result, lang, monte_carlo, sensitivity)
    made = made_at_once(jobs, weights={workbook: WORKBOOK_WEIGHT})
    document = report_document(result, lang, monte_carlo, sensitivity, headline, made, reading_effects)
    writers = {
        f"report_{lang}.pdf": document.write,
        workbook: lambda path: path.write_bytes(made[workbook]),
    }
    for stem in _charts(result, lang, monte_carlo, sensitivity):
        writers[f"{stem}_{lang}.png"] = lambda path, png=made[f"{stem}.png"]: path.write_bytes(png)
    return write_folder(out, writers, force)


WORKBOOK_WEIGHT = 3.0
"""Time to write the workbook, in charts drawn [-]: how :func:`write_report` shares its
work between the cores."""


def _workbook_bytes(result, lang: str, monte_carlo, sensitivity) -> bytes:
    """The report's workbook (:func:`~solarcoop.present.workbook.write_workbook`) as bytes."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report_{lang}.xlsx"
        write_workbook(result, path, lang, monte_carlo, sensitivity)
        return path.read_bytes()


_ELSEWHERE = {
    "assumptions_table": "solarcoop.present.assumptions",
    "family_statement": "solarcoop.present.statement",
    "write_statement": "solarcoop.present.statement",
    "write_workbook": "solarcoop.present.workbook",
}
"""Public names of the report's parts, still read as ``sc.report.<name>``."""


def __getattr__(name):
    if name in _ELSEWHERE:
        from importlib import import_module

        return getattr(import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
