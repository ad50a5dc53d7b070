"""The one A4 page a family reads before it joins, in plain words and large numbers."""


from __future__ import annotations

from pathlib import Path

import numpy as np

from solarcoop._atomic import check_folder, write_folder
from solarcoop.findings import finding_text, institution_name
from solarcoop.present.headline import chance_column, headline_view, promise_words, shows_chance
from solarcoop.present.locales import catalog
from solarcoop.present.pages import (
    LINE_SPACING,
    MARGIN,
    line_height_fraction,
    page_figure,
    paragraph,
    text_width_in,
    wrap,
)
from solarcoop.present.plots import scenario_name
from solarcoop.present.text import (
    MILLION,
    chance_text,
    digits,
    format_number,
    money_million,
    month_text,
)
from solarcoop.studies.headline import chance_month_paid_from_pocket

STATEMENT_SIZE_IN = (8.27, 11.69)
"""A4 portrait [inches]."""


def _statement_amount(value_rial: float, lang: str) -> str:
    """Large, plain: "nothing" for less than 50,000 rial, whole millions from 100 million."""
    text = catalog(lang)["statement"]
    if abs(value_rial) < 0.05 * MILLION:
        return text["nothing"]
    if value_rial < 0:  # the family pays
        decimals = 0 if abs(value_rial) >= 100 * MILLION else 1
        return text["pay"].format(value=money_million(-value_rial, lang, decimals))
    decimals = 0 if abs(value_rial) >= 100 * MILLION else 1
    return text["amount"].format(value=money_million(value_rial, lang, decimals))


def family_statement(result, monte_carlo=None, lang: str = "fa", headline=None):
    """One A4 page for a family deciding whether to join, in plain words and large numbers.

    What its share costs and how the loan is repaid; what it can expect per month in years
    1-3 and after the loan, in today's money (the scenario's real money month): usually,
    and in a bad future ("in 9 futures out of 10 at least"); the months it may have to
    pay from its own pocket, with the money of every total named; when the loan ends;
    what is not certain. Persian first (``lang="fa"`` by default).

    Parameters
    ----------
    result : solarcoop.Result
    monte_carlo : solarcoop.studies.montecarlo.MonteCarloResult, optional
        Gives the usual and bad-year figures; without it the single run's are shown.
    lang : {"fa", "en"}
    headline : solarcoop.Headline, optional
        From :func:`solarcoop.headline`: its table is shown. Without it the table is read
        from ``result`` and ``monte_carlo`` by
        :func:`solarcoop.studies.headline.headline_of`, the same computation.

    Returns
    -------
    matplotlib.figure.Figure
        One page, A4 portrait.
    """
    words = catalog(lang)
    text = words["statement"]
    scenario = result.scenario
    calendar = scenario.calendar
    table = headline_view(result, monte_carlo, headline)
    figure = page_figure(text["title"].format(name=scenario_name(scenario, lang)), lang, STATEMENT_SIZE_IN)
    right = lang == "fa"
    x = 1 - MARGIN if right else MARGIN
    ha = "right" if right else "left"
    width_in = (1 - 2 * MARGIN) * STATEMENT_SIZE_IN[0]
    y = paragraph(figure, 0.915, text["subtitle"], 12, lang, color="dimgray") - 0.02

    def heading(y: float, words_: str) -> float:
        return paragraph(figure, y, words_, 15, lang, weight="bold", color="darkgreen") - 0.006

    def body(y: float, words_: str) -> float:
        return paragraph(figure, y, words_, 11.5, lang) - 0.02

    monthly = result.monthly
    instalments = monthly.loc[monthly["loan_instalment_per_family_rial"] > 0.5, "loan_instalment_per_family_rial"]
    share = scenario.share_price_rial
    paid_off = month_text(result.summary["loan_paid_off_label"], calendar, lang)
    y = heading(y, text["cost_heading"])
    y = body(
        y,
        text["cost_text"].format(
            share=format_number(share / MILLION, lang),
            share_toman=format_number(share / 10 / MILLION, lang),
            instalment=money_million(instalments.iloc[0] if len(instalments) else 0.0, lang),
            term=format_number(len(instalments), lang),
            paid_off=paid_off,
            lender=institution_name(scenario.lender, "lender", lang),
        ),
    )
    y = heading(y, text["expect_heading"])
    base = month_text(table.attrs["base_month"], calendar, lang)
    y = paragraph(figure, y, text["expect_money"].format(base=base), 10, lang, color="dimgray") - 0.01
    columns = text["expect_columns"] if monte_carlo is not None else text["expect_columns_single"]
    spans = np.array([0.34, 0.33, 0.33]) * (1 - 2 * MARGIN)
    column_x = MARGIN + np.concatenate([[0.0], np.cumsum(spans)[:-1]])
    column_x = 1 - column_x if right else column_x
    header_lines = [wrap(cell, spans[i] * STATEMENT_SIZE_IN[0] - 0.15, 10) for i, cell in enumerate(columns)]
    for column, lines in enumerate(header_lines):
        figure.text(column_x[column], y, "\n".join(lines), fontsize=10, ha=ha, va="top", color="dimgray", linespacing=LINE_SPACING)
    y -= max(len(lines) for lines in header_lines) * line_height_fraction(10, STATEMENT_SIZE_IN[1]) + 0.01
    for year in table.index:
        row = table.loc[year]
        label_template = text["expect_row_after"] if year == table.index[-1] and year > 3 else text["expect_row"]
        label = label_template.format(year=format_number(year, lang), label=digits(row["label"], lang))
        if monte_carlo is not None:  # in today's money: the real money month's
            usual, bad = row["net_payout_per_family_p50_real_rial"], row["net_payout_per_family_p90_real_rial"]
        else:
            usual, bad = result.annual.loc[year, "family_cash_flow_real_rial_mean"], None
        cells = [label, _statement_amount(usual, lang), "" if bad is None else _statement_amount(bad, lang)]
        label_lines = wrap(cells[0], spans[0] * STATEMENT_SIZE_IN[0] - 0.15, 12)
        figure.text(column_x[0], y, "\n".join(label_lines), fontsize=12, ha=ha, va="top", linespacing=LINE_SPACING)
        for column, value in ((1, usual), (2, bad)):
            color = "firebrick" if value is not None and value < -0.05 * MILLION else "black"  # red only below zero
            # large, but never into the next column
            room_in = spans[column] * STATEMENT_SIZE_IN[0] - 0.15
            text_in = text_width_in(cells[column], 16, True) if cells[column] else 0.0
            size = 16 if text_in <= room_in else 16 * room_in / text_in
            figure.text(column_x[column], y, cells[column], fontsize=size, weight="bold", ha=ha,
                        va="top", color=color)  # fmt: skip
        y -= max(len(label_lines) * line_height_fraction(12, STATEMENT_SIZE_IN[1]), line_height_fraction(16, STATEMENT_SIZE_IN[1])) + 0.012
    y -= 0.01
    y = heading(y, text["pocket_heading"])
    loan_months = len(instalments)
    short = monthly["distribution_per_family_rial"] + 0.5 < monthly["loan_instalment_per_family_rial"]
    from_pocket = monthly.get("paid_from_pocket_per_family_rial")
    if from_pocket is not None and (from_pocket > 0.5).any():
        paying = from_pocket > 0.5
        real_pocket = result.in_real_money("paid_from_pocket_per_family_rial")
        pocket = text["pocket_paid"].format(
            months=format_number(int(paying.sum()), lang),
            loan_months=format_number(loan_months, lang),
            first=text["pocket_first"].format(
                label=month_text(monthly.loc[paying, "label"].iloc[0], calendar, lang)
            ),
            total=money_million(real_pocket.sum(), lang),
            worst=money_million(real_pocket.max(), lang),
            base=base,
        )
    elif short.any():
        first = text["pocket_first"].format(label=month_text(monthly.loc[short, "label"].iloc[0], calendar, lang))
        pocket = text["pocket_text"].format(
            months=format_number(int(short.sum()), lang),
            loan_months=format_number(loan_months, lang),
            first=first,
            arrears=money_million(monthly["arrears_per_family_rial"].max(), lang),
        )
    else:
        pocket = text["pocket_none"]
    if monte_carlo is not None and "family_cash_flow_rial" in monte_carlo.columns:
        paying = chance_month_paid_from_pocket(monte_carlo, year=1)
        pocket += " " + text["pocket_chance_pay"].format(chance=chance_text(paying, lang))
    y = body(y, pocket)
    after = table.index[-1]
    if monte_carlo is not None and scenario.promise is not None and shows_chance(table, scenario):
        column = chance_column(scenario)
        y = body(
            y,
            text["promise_text"].format(
                **promise_words(scenario, lang, table),
                first=chance_text(table.loc[1, column], lang),
                after=chance_text(table.loc[after, column], lang),
                year_after=format_number(after, lang),
            ),
        )
    y = heading(y, text["uncertain_heading"])
    nominal = table.loc[after, "net_payout_per_family_p50_rial"]
    if not np.isfinite(nominal):  # no Monte Carlo: the single run's
        nominal = result.annual.loc[after, "family_cash_flow_rial_mean"]
    y = body(
        y, text["uncertain_text"].format(base=base, year_after=format_number(after, lang), nominal=money_million(nominal, lang))
    )
    notes = [finding_text(finding, lang) for finding in getattr(result, "findings", ())]  # about the inputs
    if notes:
        lines = [line for note in notes for line in wrap(f"* {note}", width_in, 8)]
        figure.text(x, 0.075, "\n".join(lines), fontsize=8, ha=ha, va="bottom", color="firebrick", linespacing=LINE_SPACING)
    figure.text(x, 0.03, "\n".join(wrap(text["footer"].format(name=scenario_name(scenario, lang)), width_in, 8.5)), fontsize=8.5, ha=ha, va="bottom", color="dimgray", linespacing=LINE_SPACING)
    return figure


def write_statement(
    result, out_dir, lang: str = "fa", force: bool = False, monte_carlo=None, headline=None
) -> Path:
    """Write :func:`family_statement` as ``statement_<lang>.pdf`` (one A4 page) in its own
    folder, whole or not at all; an earlier run's folder is replaced only with ``force``
    (else :class:`ReportExistsError`, before anything is drawn)."""
    from matplotlib.backends.backend_pdf import PdfPages

    catalog(lang)
    out = check_folder(out_dir, force)
    title = catalog(lang)["statement"]["title"].format(name=scenario_name(result.scenario, lang))

    def write(path: Path) -> None:
        with PdfPages(path, metadata={"Title": title}) as pdf:
            pdf.savefig(family_statement(result, monte_carlo, lang, headline))

    (written,) = write_folder(out, {f"statement_{lang}.pdf": write}, force)
    return written
