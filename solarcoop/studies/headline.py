"""The headline: what a family is paid per month and how sure that is, first.

:func:`headline` runs the Monte Carlo (every disputed fact drawn around the scenario's
central reading, :mod:`solarcoop.disputed`) and the single run, and sets out, for
operating years 1, 2, 3 and the first full year after the family loan ends:

- the net payout per family per month, P50 and P90 (exceeded with 50 % and 90 %
  probability), nominal and in money of a base month (default Shahrivar 1404, the date
  of the news report that made the promise);
- the single run's figure and where it falls among the paths (its percentile);
- the chance that a month of that year reaches the promised amount, in money of the base
  month (the promise's), for each money the promise may count: sales revenue per family,
  distribution per family (before the loan instalment), and the family's cash flow net
  of the instalment.

"Net payout" is the family's cash flow (``family_cash_flow_rial``): what reaches the
family less what it pays its lender, negative in a month it pays from its own pocket. The
P50 and P90 are exactly :meth:`MonteCarloResult.exceedance` of the same run
(``family_cash_flow_rial_mean_yearN``): the yearly mean of each path's months.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from solarcoop._validation import InputError, check_number
from solarcoop.calendar import digits
from solarcoop.economy import cpi_index, rates_for_years
from solarcoop.engine import Result, simulate
from solarcoop.scenario import Scenario
from solarcoop.studies.montecarlo import MonteCarloResult, monte_carlo

FROM_SCENARIO = "scenario"
"""``promise_rial`` and ``base_month`` default: taken from ``scenario.promise`` (its
bottom, 50 million rial for Qom, and its month, Shahrivar 1404)."""

PROMISE_COUNTS = {
    "sales": "revenue_billed_rial",
    "distribution": "distribution_per_family_rial",
    "net": "family_cash_flow_rial",
}
"""Each money a promise may count (:data:`solarcoop.promise.COUNTS`) and the monthly line
that measures it (sales: the plant's billed revenue divided among the families; net: the
family's cash flow after its loan instalment, with its sign)."""

PROMISE_READINGS = PROMISE_COUNTS
"""The former name of :data:`PROMISE_COUNTS`."""

KEPT = (
    "family_cash_flow_rial",
    "family_cash_flow_real_rial",
    "distribution_per_family_rial",
    "revenue_billed_rial",
    "cpi_index",
)


@dataclasses.dataclass(frozen=True, eq=False)
class Headline:
    """What a family is paid per month in the years that matter, and how sure that is.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per operating year shown (index ``operating_year``): ``label`` (the
        year's first month), ``net_payout_per_family_p50_rial``, ``..._p90_rial``, their
        real twins ``..._p50_real_rial`` and ``..._p90_real_rial`` (money of
        ``base_month``), ``single_run_net_payout_per_family_rial``,
        ``single_run_percentile`` [%] and, with a promise,
        ``chance_month_reaches_promise_sales``, ``..._distribution``, ``..._net`` [-]
        (each month counted in money of ``base_month``). Net is the family's cash flow
        after its instalment, with its sign.
    percentiles : pandas.Series
        The single run's percentile among the paths for every operating year [%].
    base_month : str
        Label of the month whose money the real columns are in ("1404-06").
    promise_rial : float or None
        The monthly amount promised per family [rial]; None: no chance columns.
    n_paths, seed : int
    scenario_name : str
    monte_carlo : MonteCarloResult
    single_run : Result
    """

    table: pd.DataFrame
    percentiles: pd.Series
    base_month: str
    promise_rial: float | None
    n_paths: int
    seed: int
    scenario_name: str
    monte_carlo: MonteCarloResult
    single_run: Result

    def to_text(self, lang: str = "en") -> str:
        """The headline as a few lines for a terminal or a report (``"en"`` or ``"fa"``)."""
        return format_headline(self, lang)


def _month_number(label: str, what: str) -> int:
    try:
        year, month = (int(part) for part in str(label).split("-"))
    except ValueError:
        raise InputError(f"{what} = {label!r} must be a month label 'YYYY-MM' (for example '1404-06')") from None
    if not 1 <= month <= 12:
        raise InputError(f"{what} = {label!r}: the month must be 01 to 12")
    return 12 * year + month - 1


def _base_factor(scenario: Scenario, run: MonteCarloResult, base_month: str) -> np.ndarray:
    """Consumer prices of the base month over those of the first month, per path [-],
    shape (n_paths, 1): multiplies first-month money into base-month money."""
    labels = run.months["label"].to_numpy()
    offset = _month_number(labels[0], "start") - _month_number(base_month, "base_month")
    if offset >= 0:  # before operation: the same past on every path, at year one's inflation
        first_year = rates_for_years(scenario.economy.inflation_per_year, 1)[0]
        return np.full((run.n_paths, 1), (1 + first_year) ** (-offset / 12))
    if -offset >= len(labels):
        raise InputError(f"base_month = {base_month!r} lies after the last month simulated ({labels[-1]})")
    return run.paths["cpi_index"][:, [-offset]]


def promise_price_level(scenario: Scenario, months: pd.DataFrame, base_month: str) -> np.ndarray:
    """Consumer prices of each accounting month over those of ``base_month``, on the
    scenario's own (central) inflation path [-], shape (n_months,).

    Multiplies money of ``base_month`` (a promise's date, "1404-06") into each month's
    nominal rial, so a promise made in that month's money can be drawn beside nominal
    payouts. A base month before operation is reached at year one's inflation, as
    :func:`headline` does.

    Examples
    --------
    >>> import solarcoop as sc
    >>> from solarcoop.calendar import accounting_months
    >>> scenario = sc.qom_baseline().with_changes({"economy.inflation_per_year": 0.4})
    >>> months = accounting_months(scenario.start_date, 24)
    >>> level = promise_price_level(scenario, months, "1404-01")
    >>> round(float(level[0]), 6), round(float(level[12]), 6)
    (1.4, 1.96)
    """
    cpi = cpi_index(scenario.economy, months)
    offset = _month_number(months["label"].iloc[0], "start") - _month_number(base_month, "base_month")
    if offset >= 0:
        first_year = rates_for_years(scenario.economy.inflation_per_year, 1)[0]
        return cpi * (1 + first_year) ** (offset / 12)
    if -offset >= len(cpi):
        raise InputError(f"base_month = {base_month!r} lies after the last month simulated")
    return cpi / cpi[-offset]


def first_year_after_loan(result: Result) -> int | None:
    """The first operating year that starts after every family's scheduled loan is repaid,
    or None if there is none within the life."""
    balance = result.monthly["loan_balance_per_family_rial"].to_numpy()
    arrears = result.monthly["arrears_per_family_rial"].to_numpy()
    done = np.flatnonzero((balance < 0.5) & (arrears < 0.5))
    if done.size == 0:
        return None
    month = int(done[0]) + 1  # the first month with nothing to pay
    year = month // 12 + 1 if month % 12 == 0 else month // 12 + 2
    return year if year <= int(result.monthly["operating_year"].max()) else None


def _percentile(values: np.ndarray, single: np.ndarray) -> np.ndarray:
    """Where ``single`` falls among each column of ``values`` [%] (ties count half)."""
    below = (values < single).mean(axis=0)
    ties = (values == single).mean(axis=0)
    return 100 * (below + ties / 2)


def headline(
    scenario: Scenario,
    *,
    n_paths: int = 2_000,
    seed: int = 0,
    base_month: str | None = None,
    energy=None,
    progress: bool = False,
    promise_rial: float | str | None = FROM_SCENARIO,
    years: tuple[int, ...] | None = None,
) -> Headline:
    """Net payout per family per month, P50 and P90, and the chance of the promise.

    Parameters
    ----------
    scenario : Scenario
        Its own values are the central reading; the Monte Carlo draws around them.
    n_paths, seed : int
        Monte Carlo size and seed [-]; the same give the same numbers.
    base_month : str, optional
        Month label whose money the real columns are in. Default: the month of
        ``scenario.promise`` (Shahrivar 1404, "1404-06", for Qom), else the first month.
    energy : array_like, optional
        Year-one energy in place of the physics (see :func:`solarcoop.simulate`), for
        the single run and every path.
    progress : bool
        Show a progress bar.
    promise_rial : float or None
        The monthly amount per family whose chance is counted [rial]. Default: the
        bottom of ``scenario.promise`` (50 million for Qom's 50-80 million); a scenario
        without a promise, or None, leaves out the chance columns.
    years : tuple of int, optional
        Operating years shown; default 1, 2, 3 and the first full year after the loan.

    Returns
    -------
    Headline

    Examples
    --------
    >>> import solarcoop as sc
    >>> short = sc.qom_baseline().with_changes({"lifetime_years": 3})
    >>> sc.headline(short, n_paths=250).table.index.tolist()
    [1, 2, 3]
    """
    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario = {scenario!r} must be a Scenario")
    promise = getattr(scenario, "promise", None)
    if isinstance(promise_rial, str) and promise_rial == FROM_SCENARIO:
        promise_rial = None if promise is None else promise.low_rial
    if promise_rial is not None:
        promise_rial = float(check_number("promise_rial", promise_rial, minimum=0, min_inclusive=False))
    if base_month is None and promise is not None and scenario.calendar == "jalali":
        base_month = promise.money_of
    single = simulate(scenario, energy=energy)
    base_month = single.monthly["label"].iloc[0] if base_month is None else str(base_month)
    run = monte_carlo(
        scenario, n_paths=n_paths, seed=seed, kept=KEPT, progress=progress, energy=energy, keep_paths=True
    )
    n_years = scenario.lifetime_years
    if years is None:
        after = first_year_after_loan(single)
        years = tuple(dict.fromkeys(y for y in (1, 2, 3, after) if y is not None and y <= n_years))
    for year in years:
        check_number("years", year, minimum=1, maximum=n_years, integer=True)

    factor = _base_factor(scenario, run, base_month)
    real_in_base = dataclasses.replace(
        run, paths={"family_cash_flow_real_rial": run.paths["family_cash_flow_real_rial"] * factor}
    )
    net_yearly = run.yearly("family_cash_flow_rial")
    single_yearly = single.annual["family_cash_flow_rial_mean"].to_numpy()
    percentiles = pd.Series(
        _percentile(net_yearly, single_yearly[None, :]),
        index=pd.Index(range(1, n_years + 1), name="operating_year"),
        name="single_run_percentile",
    )
    operating_year = run.months["operating_year"].to_numpy()
    families = scenario.cooperative.families
    rows = {}
    for year in years:
        row = {"label": run.months["label"].to_numpy()[operating_year == year][0]}
        for p in (50, 90):
            row[f"net_payout_per_family_p{p}_rial"] = run.exceedance(f"family_cash_flow_rial_mean_year{year}", p / 100)
        for p in (50, 90):
            row[f"net_payout_per_family_p{p}_real_rial"] = real_in_base.exceedance(
                f"family_cash_flow_real_rial_mean_year{year}", p / 100
            )
        row["single_run_net_payout_per_family_rial"] = single_yearly[year - 1]
        row["single_run_percentile"] = percentiles.loc[year]
        if promise_rial is not None:  # the promise is in money of the base month: so are the months
            in_year = operating_year == year
            to_base = factor / run.paths["cpi_index"][:, in_year]
            for counts, column in PROMISE_COUNTS.items():
                values = run.paths[column][:, in_year] * to_base
                if counts == "sales":
                    values = values / families
                row[f"chance_month_reaches_promise_{counts}"] = float((values >= promise_rial).mean())
        rows[year] = row
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("operating_year")
    return Headline(
        table=table,
        percentiles=percentiles,
        base_month=base_month,
        promise_rial=promise_rial,
        n_paths=run.n_paths,
        seed=seed,
        scenario_name=scenario.name,
        monte_carlo=run,
        single_run=single,
    )


TEXT = {
    "en": {
        "title": "{name}: net payout per family per month (its cash flow after the loan instalment)",
        "paths": "{n} futures (seed {seed}); every disputed fact drawn around its central reading",
        "header": "year      P50 / P90 nominal        P50 / P90 in {base} money    single run",
        "row": "{year:<4} {label}  {p50:>7} / {p90:<7} M    {r50:>7} / {r90:<7} M             {single:>7} M (percentile {pct})",
        "p90": "M = million rial; P90 is exceeded in 9 futures out of 10, P50 in half of them",
        "chance": "chance that a month reaches {promise} M rial of {base} money, read as: sales per family / distribution / net",
        "chance_row": "{year:<4} {sales:>5} / {distribution:>5} / {net:>5}",
        "single": "the single run sits at the {p1}, {p2} and {p5} percentile in years 1, 2 and 5",
        "million": "M",
    },
    "fa": {
        "title": "{name}: خالص پرداختی ماهانه به هر خانوار، پس از قسط وام",
        "paths": "{n} آینده (بذر {seed})؛ هر واقعیت مورد اختلاف پیرامون خوانش میانی‌اش قرعه‌کشی شده است",
        "header": "سال      P50 / P90 اسمی        P50 / P90 به پول {base}    اجرای تکی",
        "row": "{year:<4} {label}  {p50:>7} / {p90:<7} میلیون    {r50:>7} / {r90:<7} میلیون    {single:>7} میلیون (صدک {pct})",
        "p90": "مبالغ به میلیون ریال؛ P90 در ۹ آینده از ۱۰ و میانه (P50) در نیمی از آن‌ها فراتر رفته می‌شود",
        "chance": "احتمال رسیدن یک ماه به {promise} میلیون ریال به پول {base}، به خوانش: فروش هر خانوار / توزیع / خالص",
        "chance_row": "{year:<4} {sales:>5} / {distribution:>5} / {net:>5}",
        "single": "اجرای تکی در سال‌های ۱، ۲ و ۵ در صدک‌های {p1}، {p2} و {p5} است",
        "million": "میلیون",
    },
}


def format_headline(result: Headline, lang: str = "en") -> str:
    """A few lines a person reads first (``"en"`` or ``"fa"``: every number in Persian
    digits and separators, as :func:`solarcoop.calendar.digits` writes them; the scenario's
    name and the labels P50 / P90 as they are)."""
    if lang not in TEXT:
        raise InputError(f"lang = {lang!r}: choose 'en' or 'fa'")
    text = TEXT[lang]
    table = result.table

    def number(value: str) -> str:
        return digits(value, lang)

    def million(value: float) -> str:
        return number(f"{round(value / 1e6, 1) + 0.0:,.1f}")  # + 0.0: no "-0.0" from rounding noise

    def chance(value: float) -> str:
        return number(f"{value:.0%}").replace("%", "٪" if lang == "fa" else "%")

    def percentile(value: float) -> str:
        return number(f"{value:.0f}")

    lines = [
        text["title"].format(name=result.scenario_name),
        text["paths"].format(n=number(f"{result.n_paths:,}"), seed=number(str(result.seed))),
        text["header"].format(base=number(result.base_month)),
    ]
    for year, row in table.iterrows():
        lines.append(
            text["row"].format(
                year=number(str(year)), label=number(row["label"]),
                p50=million(row["net_payout_per_family_p50_rial"]), p90=million(row["net_payout_per_family_p90_rial"]),
                r50=million(row["net_payout_per_family_p50_real_rial"]),
                r90=million(row["net_payout_per_family_p90_real_rial"]),
                single=million(row["single_run_net_payout_per_family_rial"]), pct=percentile(row["single_run_percentile"]),
            )
        )  # fmt: skip
    lines.append(text["p90"])
    if result.promise_rial is not None:
        lines.append(text["chance"].format(promise=number(f"{result.promise_rial / 1e6:,.0f}"), base=number(result.base_month)))
        for year, row in table.iterrows():
            lines.append(
                text["chance_row"].format(
                    year=number(str(year)),
                    sales=chance(row["chance_month_reaches_promise_sales"]),
                    distribution=chance(row["chance_month_reaches_promise_distribution"]),
                    net=chance(row["chance_month_reaches_promise_net"]),
                )
            )
    shown = [y for y in (1, 2, 5) if y in result.percentiles.index]
    if len(shown) == 3:
        p1, p2, p5 = (result.percentiles.loc[y] for y in shown)
        lines.append(text["single"].format(p1=percentile(p1), p2=percentile(p2), p5=percentile(p5)))
    return "\n".join(lines)


# --------------------------------------------------------------------------- which reading matters


def reading_effects(
    scenario: Scenario,
    *,
    n_paths: int = 1_000,
    seed: int = 0,
    years: tuple[int, ...] | None = None,
    promise_rial: float | str | None = FROM_SCENARIO,
    energy=None,
) -> pd.DataFrame:
    """How far each disputed fact moves the P50 of the family's net payout (its cash flow
    after the instalment, in money of the promise's month), and how much of the P50's
    distance from the promise it explains.

    For each reading and each of its alternatives, the Monte Carlo is run with that
    reading fixed at the alternative and every other one drawn as usual (same seed, so
    the runs share their other draws); its P50 is compared with the P50 of the run that
    draws everything (the headline's). A last row, ``all`` / ``least_favourable``, fixes
    every reading at its least favourable alternative at once, and ``all`` /
    ``most_favourable`` at its most favourable.

    Parameters
    ----------
    scenario : Scenario
    n_paths, seed : int
        Size and seed of every run [-].
    years : tuple of int, optional
        Operating years; default year 2 and the first full year after the family loan.
    promise_rial : float or None
        Default the bottom of ``scenario.promise``; None leaves out the ``gap_share``
        columns.
    energy : array_like, optional
        Year-one energy in place of the physics.

    Returns
    -------
    pandas.DataFrame
        One row per (reading, alternative): ``probability``, ``central``, and per year
        ``p50_yearN_real_rial`` (net payout per family per month with the reading fixed,
        in money of the promise's month, or of the first month without a promise),
        ``change_yearN_real_rial`` (against the P50 drawing everything) and, with a promise,
        ``gap_share_yearN``: that change over the distance from the P50 drawing
        everything up to the promise [-] (0.25: this alternative, held for sure, closes
        a quarter of the gap; negative: it widens it). Rows of a reading are ordered
        from least to most favourable; readings by their swing in the last year, widest
        first.

    Examples
    --------
    >>> import solarcoop as sc
    >>> short = sc.qom_baseline().with_changes({"lifetime_years": 2})
    >>> table = reading_effects(short, n_paths=250, years=(2,))
    >>> sorted(set(table["reading"]))[:3]
    ['all', 'euro_drift', 'euro_window']
    """
    from solarcoop import disputed

    promise = getattr(scenario, "promise", None)
    if isinstance(promise_rial, str) and promise_rial == FROM_SCENARIO:
        promise_rial = None if promise is None else promise.low_rial
    if years is None:
        after = first_year_after_loan(simulate(scenario, energy=energy))
        years = tuple(dict.fromkeys(y for y in (2, after) if y is not None and y <= scenario.lifetime_years))
    drawn = scenario.uncertainty.readings

    base_month = promise.money_of if promise is not None and scenario.calendar == "jalali" else None
    column = "family_cash_flow_real_rial"

    def p50s(variant: Scenario) -> dict:
        run = monte_carlo(
            variant, n_paths=n_paths, seed=seed, kept=(column, "cpi_index"), energy=energy, keep_paths=True
        )
        month = base_month or run.months["label"].iloc[0]
        real = dataclasses.replace(run, paths={column: run.paths[column] * _base_factor(scenario, run, month)})
        return {year: real.exceedance(f"{column}_mean_year{year}", 0.5) for year in years}

    everything = p50s(scenario)
    rows = []

    def row(reading: str, alternative: str, probability: float, central: bool, values: dict) -> dict:
        out = {"reading": reading, "alternative": alternative, "probability": probability, "central": central}
        for year in years:
            change = values[year] - everything[year]
            out[f"p50_year{year}_real_rial"] = values[year]
            out[f"change_year{year}_real_rial"] = change
            if promise_rial is not None:
                gap = promise_rial - everything[year]
                out[f"gap_share_year{year}"] = change / gap if gap > 0 else np.nan
        return out

    least, most = scenario, scenario
    for item in disputed.READINGS:
        chances = disputed.probabilities(item.name, scenario.uncertainty)
        fixed = scenario.with_changes({"uncertainty.readings": tuple(r for r in drawn if r != item.name)})
        for alternative, chance in zip(item.alternatives, chances, strict=True):
            values = p50s(disputed.apply(fixed, item.name, alternative.name))
            rows.append(row(item.name, alternative.name, float(chance), alternative.name == item.central, values))
        least = disputed.apply(least, item.name, item.alternatives[0].name)
        most = disputed.apply(most, item.name, item.alternatives[-1].name)
    for name, variant in (("least_favourable", least), ("most_favourable", most)):
        rows.append(row("all", name, np.nan, False, p50s(variant.with_changes({"uncertainty.readings": ()}))))
    table = pd.DataFrame(rows)
    last = f"p50_year{years[-1]}_real_rial"
    swing = table.groupby("reading")[last].agg(lambda values: values.max() - values.min())
    swing["all"] = -np.inf  # the joint rows last
    order = {name: rank for rank, name in enumerate(swing.sort_values(ascending=False).index)}
    table["_order"] = table["reading"].map(order)
    table = table.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    table.attrs["p50_all_drawn_real_rial"] = everything
    table.attrs["promise_rial"] = promise_rial
    table.attrs["money_of"] = base_month or simulate(scenario, energy=energy).monthly["label"].iloc[0]
    return table
