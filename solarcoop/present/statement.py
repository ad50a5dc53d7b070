"""The one A4 page a family reads before it joins, in plain words and large numbers."""


from __future__ import annotations

from pathlib import Path

import numpy as np

from solarcoop._atomic import check_folder, write_folder
from solarcoop.books.specs import PAYOUT_MONTHS
from solarcoop.findings import finding_text, institution_name
from solarcoop.present.headline import (
    chance_column,
    debt_words,
    headline_view,
    promise_words,
    shows_chance,
)
from solarcoop.present.locales import catalog
from solarcoop.present.pages import GREEN, MUTED, RED, Document, footer, section
from solarcoop.present.pages import table as table_block
from solarcoop.present.pages import text as paragraph
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

STATEMENT_COLUMNS = [0.3, 0.35, 0.35]
"""Relative widths of the statement's table: the year, the usual and the bad-year amount."""


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
    solarcoop.present.pages.Document
        One page, A4 portrait: ``.pdf()`` typesets it, ``.words()`` reads its words.
    """
    words = catalog(lang)
    text = words["statement"]
    scenario = result.scenario
    calendar = scenario.calendar
    table = headline_view(result, monte_carlo, headline)
    blocks = [paragraph(text["subtitle"], 12, fill=MUTED, space_pt=14)]
    y = blocks  # the page so far

    def heading(y: list, words_: str) -> list:
        y.append(paragraph(words_, 15, bold=True, fill=GREEN, space_pt=5))
        return y

    def body(y: list, words_: str) -> list:
        y.append(paragraph(words_, 11.5, space_pt=14))
        return y

    monthly = result.monthly
    instalments = monthly.loc[monthly["loan_instalment_per_family_rial"] > 0.5, "loan_instalment_per_family_rial"]
    share = scenario.share_price_rial
    # the last instalment due (withheld instalments may be cleared from a later payout)
    last_due = monthly.loc[instalments.index[-1], "label"] if len(instalments) else result.summary["loan_paid_off_label"]
    paid_off = month_text(last_due, calendar, lang)
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
    y.append(paragraph(text["expect_money"].format(base=base), 10, fill=MUTED, space_pt=6))
    columns = text["expect_columns"] if monte_carlo is not None else text["expect_columns_single"]
    rows = []
    for year in table.index:
        row = table.loc[year]
        label_template = text["expect_row_after"] if year == table.index[-1] and year > 3 else text["expect_row"]
        label = label_template.format(year=format_number(year, lang), label=digits(row["label"], lang))
        if monte_carlo is not None:  # in today's money: the real money month's
            usual, bad = row["net_payout_per_family_p50_real_rial"], row["net_payout_per_family_p90_real_rial"]
        else:
            usual, bad = result.annual.loc[year, "family_cash_flow_real_rial_mean"], None
        cells = [label, _statement_amount(usual, lang), "" if bad is None else _statement_amount(bad, lang)]
        rows.append(cells)
    # the amounts large and black: a bad future's is said as what the family pays, not coloured
    blocks.append(table_block(columns, rows, STATEMENT_COLUMNS, 10, columns=[
        {"size": 12}, {"size": 14, "bold": True}, {"size": 14, "bold": True},
    ]))  # fmt: skip
    blocks.append(paragraph("", 6, space_pt=8))
    y = heading(y, text["pocket_heading"])
    loan_months = len(instalments)
    short = monthly["distribution_per_family_rial"] + 0.5 < monthly["loan_instalment_per_family_rial"]
    from_pocket = monthly.get("paid_from_pocket_per_family_rial")
    if from_pocket is not None and (from_pocket > 0.5).any():
        paying = from_pocket > 0.5
        real_pocket = result.in_real_money("paid_from_pocket_per_family_rial")
        pocket = text["pocket_paid"].format(
            months=format_number(int(result.summary["months_paid_from_pocket"]), lang),  # as `run` says it
            loan_months=format_number(loan_months, lang),
            first=text["pocket_first"].format(
                label=month_text(monthly.loc[paying, "label"].iloc[0], calendar, lang)
            ),
            total=money_million(result.summary["paid_from_pocket_per_family_real_rial_total"], lang),
            worst=money_million(real_pocket.max(), lang),
            base=base,
        )
    elif scenario.cooperative.payout_cadence != "monthly" and result.summary["months_in_arrears"] > 0:
        # paid every few months, the instalments withheld: what is owed between payouts is a debt, not a shortfall
        first_payout = monthly["label"].iloc[min(scenario.cooperative.first_payout_month_index, len(monthly) - 1)]
        pocket = text["pocket_withheld"].format(
            every=format_number(PAYOUT_MONTHS[scenario.cooperative.payout_cadence], lang),
            first=month_text(first_payout, calendar, lang),
            arrears=money_million(result.summary["family_arrears_max_rial"], lang),
            months=format_number(int(result.summary["months_in_arrears"]), lang),
        )
    elif short.any():
        first = text["pocket_first"].format(label=month_text(monthly.loc[short, "label"].iloc[0], calendar, lang))
        pocket = text["pocket_text"].format(
            months=format_number(int(short.sum()), lang),
            loan_months=format_number(loan_months, lang),
            first=first,
            arrears=money_million(result.summary["family_arrears_max_rial"], lang),
        )
    else:
        pocket = text["pocket_none"]
    if monte_carlo is not None and "family_cash_flow_rial" in monte_carlo.columns:
        paying = chance_month_paid_from_pocket(monte_carlo, year=1)
        pocket += " " + text["pocket_chance_pay"].format(chance=chance_text(paying, lang))
    debt = table.attrs.get("debt")  # the headline's figures of the family's debt over the futures
    if debt is not None and debt.measured:
        figures = debt_words(debt, calendar, lang)
        if debt.chance_owes == 0:
            pocket += " " + text["pocket_debt_none"]
        else:  # nominal, as the single run's most owed before it, and in the table's money
            pocket += " " + text["pocket_debt_spread"].format(**figures)
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
    # about the inputs: the findings, as footnotes
    blocks += [paragraph(f"* {finding_text(finding, lang)}", 8, fill=RED, space_pt=3) for finding in getattr(result, "findings", ())]
    blocks.append(footer(text["footer"].format(name=scenario_name(scenario, lang)), 8.5))
    title = text["title"].format(name=scenario_name(scenario, lang))
    return Document(title=title, lang=lang, sections=[section(title, blocks)], landscape=False)


def write_statement(
    result, out_dir, lang: str = "fa", force: bool = False, monte_carlo=None, headline=None
) -> Path:
    """Write :func:`family_statement` as ``statement_<lang>.pdf`` (one A4 page) in its own
    folder, whole or not at all; an earlier run's folder is replaced only with ``force``
    (else :class:`ReportExistsError`, before anything is drawn)."""
    catalog(lang)
    out = check_folder(out_dir, force)
    document = family_statement(result, monte_carlo, lang, headline)
    (written,) = write_folder(out, {f"statement_{lang}.pdf": document.write}, force)
    return written
