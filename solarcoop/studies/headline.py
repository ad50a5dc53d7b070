"""The headline: what a family is paid per month and how sure that is, first.

:func:`headline` runs the Monte Carlo (every disputed fact drawn around the scenario's
central reading, :mod:`solarcoop.disputed`) and the single run, and sets out, for
operating years 1, 2, 3 and the first full year after the family loan ends:

- the family's money per month, P50 and P90 (exceeded with 50 % and 90 %
  probability), nominal and in real money: money of the scenario's
  :attr:`~solarcoop.scenario.Scenario.real_money_month` (the promise's month, Shahrivar
  1404 for Qom, else the first operating month);
- the single run's figure and where it falls among the paths (its percentile);
- the chance that a month of that year reaches the promised amount, each month counted
  in the promise's own money (:func:`month_reaches_promise`, the one definition), for
  each money the promise may count: sales revenue per family, distribution per family
  (before the loan instalment), and the family's money after the instalment; the one
  the promise counts (:func:`promise_counted`) leads.
- what the family owes in withheld instalments (:class:`FamilyDebt`, ``Headline.debt``):
  the chance it owes, the most owed at P50 and at P90 (the bad case of a debt: more
  owed), nominal and real, the months owing, the chance it still owes after the year of
  its last instalment, and the single run's place among the paths; each path's figures
  are :func:`solarcoop.engine.family_debt`, the single run's summary the same function.

The family's money (:data:`FAMILY_MONEY`, ``family_cash_flow_rial``) is what reaches the
family less what it pays its lender, negative in a month it pays from its own pocket. The
P50 and P90 are exactly :meth:`MonteCarloResult.exceedance` of the same run
(``family_cash_flow_rial_mean_yearN``): the yearly mean of each path's months.

This module is the one place the headline is computed: :func:`headline_of` reads it from
a single run and a Monte Carlo, with one rule for the first year after the loan
(:func:`first_year_after_loan`) and one for the single run's percentile
(:func:`percentile_among`); the report, the statement, the command line and the app show
its table. The figures the charts draw beside it (the promised band in each month's
money, the yearly P90 and P50) are computed here too.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from solarcoop._validation import InputError, check_number
from solarcoop.economy import cpi_index, price_level_at, real_money_factor
from solarcoop.engine import OWED_RIAL, Result, simulate
from solarcoop.lines import DEBT_KEPT
from solarcoop.scenario import Scenario
from solarcoop.studies.montecarlo import MonteCarloResult, exceedance_quantile, monte_carlo

FROM_SCENARIO = "scenario"
"""``promise_rial`` default: taken from ``scenario.promise`` (its bottom, 50 million rial
for Qom, in money of its month, Shahrivar 1404)."""

PROMISE_COUNTS = {
    "sales": "revenue_billed_rial",
    "distribution": "distribution_per_family_rial",
    "net": "family_cash_flow_rial",
}
"""Each money a promise may count (:data:`solarcoop.promise.COUNTS`) and the monthly line
that measures it (sales: the plant's billed revenue divided among the families; net: the
family's cash flow after its loan instalment, with its sign)."""

KEPT = (
    "family_cash_flow_rial",
    "family_cash_flow_real_rial",
    "distribution_per_family_rial",
    "revenue_billed_rial",
    "cpi_index",
    *(line for line in DEBT_KEPT if line != "cpi_index"),
)
"""What the headline's Monte Carlo keeps for every path: the family's money, the moneys a
promise may count, consumer prices and what the family's debt needs
(:data:`solarcoop.lines.DEBT_KEPT`)."""


@dataclasses.dataclass(frozen=True)
class FamilyDebt:
    """What a family owes in withheld instalments (its payouts did not cover them), over
    the futures drawn and in the single run: the one figure set every output reads.

    Each path's figures are :func:`solarcoop.engine.family_debt`'s (the single run's
    summary is the same function of its one path). Over the paths, P50 is the median and
    P90 the bad case of a debt: the amount 9 futures in 10 do not exceed (the 0.9
    quantile; for money received P90 is the 0.1 quantile, exceeded in 9 futures in 10).
    Paths that owe nothing count as 0 in the quantiles.

    Attributes
    ----------
    n_paths : int
        Paths the distribution rests on; 0 without one (every distribution figure NaN).
    chance_owes : float
        Share of the paths whose family owes in some month [-].
    chance_owes_after_loan_year : float
        Share of the paths whose family still owes after the operating year of its last
        instalment due [-].
    most_owed_p50_rial, most_owed_p90_rial : float
        The most a family owes over the life, nominal [rial].
    most_owed_p50_real_rial, most_owed_p90_real_rial : float
        The same in money of ``base_month`` (each month's debt in that money, the
        largest) [rial].
    months_owing_p50, months_owing_p90 : float
        Months owing [-].
    single_most_owed_rial, single_most_owed_real_rial : float
        The single run's most owed [rial].
    single_months_owing : int
    single_cleared_label : str
        The single run's month from which nothing withheld is owed (its first month when
        it never owes; "not within the life").
    single_owes_after_loan_year : bool
    single_loan_year : int or None
        The operating year of the single run's last instalment due.
    single_percentile : float
        Where the single run's most owed (nominal) falls among the paths', ties counted
        half (:func:`percentile_among`) [%]; NaN without paths.
    base_month : str
        Label of the month whose money the real figures are in.
    """

    n_paths: int
    chance_owes: float
    chance_owes_after_loan_year: float
    most_owed_p50_rial: float
    most_owed_p90_rial: float
    most_owed_p50_real_rial: float
    most_owed_p90_real_rial: float
    months_owing_p50: float
    months_owing_p90: float
    single_most_owed_rial: float
    single_most_owed_real_rial: float
    single_months_owing: int
    single_cleared_label: str
    single_owes_after_loan_year: bool
    single_loan_year: int | None
    single_percentile: float
    base_month: str

    @property
    def measured(self) -> bool:
        """Whether the figures rest on drawn futures (else only the single run's are set)."""
        return self.n_paths > 0

    @property
    def none_owed(self) -> bool:
        """No future drawn and not the single run owes anything: say so, not zeros."""
        return self.single_months_owing == 0 and (not self.measured or self.chance_owes == 0)

    def table(self) -> pd.DataFrame:
        """Every figure as a row (``figure``, ``value``), units in the names: what
        ``solarcoop run`` writes to ``headline_debt.csv``.

        >>> debt = FamilyDebt(
        ...     n_paths=3, chance_owes=2 / 3, chance_owes_after_loan_year=0.0,
        ...     most_owed_p50_rial=10.0, most_owed_p90_rial=46.0, most_owed_p50_real_rial=8.0,
        ...     most_owed_p90_real_rial=40.0, months_owing_p50=2.0, months_owing_p90=4.0,
        ...     single_most_owed_rial=10.0, single_most_owed_real_rial=8.0, single_months_owing=2,
        ...     single_cleared_label="1405-04", single_owes_after_loan_year=False,
        ...     single_loan_year=1, single_percentile=50.0, base_month="1404-06",
        ... )
        >>> debt.table().loc["most_owed_p90_rial", "value"]
        46.0
        """
        figures = dataclasses.asdict(self)
        return pd.DataFrame({"value": list(figures.values())}, index=pd.Index(list(figures), name="figure"))


DEBT_QUANTILE = 0.9
"""The quantile of the debt's P90, its bad case (more owed)."""


def family_debt_of(single: Result, monte_carlo: MonteCarloResult | None = None) -> FamilyDebt:
    """The family's debt in withheld instalments (:class:`FamilyDebt`): the single run's
    from its summary, the distribution from every path of ``monte_carlo``
    (:meth:`MonteCarloResult.family_debt`); without it, or when it did not keep what the
    debt needs, the distribution figures are NaN and ``n_paths`` 0.

    Examples
    --------
    >>> import solarcoop as sc
    >>> short = sc.qom_baseline().with_changes({"lifetime_years": 3})
    >>> debt = family_debt_of(sc.simulate(short))
    >>> debt.single_months_owing > 0, debt.measured
    (True, False)
    """
    summary = single.summary
    monthly = single.monthly
    due = np.flatnonzero(monthly["loan_instalment_per_family_rial"].to_numpy() > OWED_RIAL)
    single_debt = {
        "single_most_owed_rial": float(summary["family_arrears_max_rial"]),
        "single_most_owed_real_rial": float(summary["family_arrears_max_real_rial"]),
        "single_months_owing": int(summary["months_in_arrears"]),
        "single_cleared_label": str(summary["arrears_cleared_label"]),
        "single_owes_after_loan_year": bool(summary["family_owes_after_loan_year"]),
        "single_loan_year": int(monthly["operating_year"].iloc[due[-1]]) if due.size else None,
        "base_month": single.scenario.real_money_month,
    }
    kept = () if monte_carlo is None else monte_carlo.columns
    if monte_carlo is None or monte_carlo.paths is None or not all(line in kept for line in DEBT_KEPT):
        return FamilyDebt(
            n_paths=0, chance_owes=np.nan, chance_owes_after_loan_year=np.nan,
            most_owed_p50_rial=np.nan, most_owed_p90_rial=np.nan,
            most_owed_p50_real_rial=np.nan, most_owed_p90_real_rial=np.nan,
            months_owing_p50=np.nan, months_owing_p90=np.nan,
                        single_percentile=np.nan, **single_debt,
        )  # fmt: skip
    paths = monte_carlo.family_debt()
    quantiles = [0.5, DEBT_QUANTILE]
    nominal = np.quantile(paths["family_arrears_max_rial"].to_numpy(), quantiles)
    real = np.quantile(paths["family_arrears_max_real_rial"].to_numpy(), quantiles)
    months = np.quantile(paths["months_in_arrears"].to_numpy(), quantiles)
    most = single_debt["single_most_owed_rial"]
    return FamilyDebt(
        n_paths=monte_carlo.n_paths,
        chance_owes=float((paths["months_in_arrears"] > 0).mean()),
        chance_owes_after_loan_year=float(paths["owes_after_loan_year"].mean()),
        most_owed_p50_rial=float(nominal[0]), most_owed_p90_rial=float(nominal[1]),
        most_owed_p50_real_rial=float(real[0]), most_owed_p90_real_rial=float(real[1]),
        months_owing_p50=float(months[0]), months_owing_p90=float(months[1]),
                single_percentile=float(percentile_among(paths["family_arrears_max_rial"].to_numpy()[:, None], np.array([most]))[0]),
        **single_debt,
    )  # fmt: skip


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
        (each month counted in the promise's own money, :func:`month_reaches_promise`).
        "Net payout" in these names is the family's money (:data:`FAMILY_MONEY`): its
        cash flow after its instalment, with its sign.
    percentiles : pandas.Series
        The single run's percentile among the paths for every operating year [%].
    base_month : str
        Label of the month whose money the real columns are in ("1404-06"): the
        scenario's :attr:`~solarcoop.scenario.Scenario.real_money_month`.
    promise_rial : float or None
        The monthly amount promised per family [rial]; None: no chance columns.
    n_paths : int
        Paths of the Monte Carlo (0 without one).
    seed : int or None
    scenario_name : str
    monte_carlo : MonteCarloResult or None
    single_run : Result
    year_after_loan : int or None
        The first full operating year after the family loan
        (:func:`first_year_after_loan`), None if the life ends before it.
    debt : FamilyDebt or None
        What the family owes in withheld instalments, over the futures and in the single
        run (:func:`family_debt_of`): the figures every output says of the debt.
    """

    table: pd.DataFrame
    percentiles: pd.Series
    base_month: str
    promise_rial: float | None
    n_paths: int
    seed: int | None
    scenario_name: str
    monte_carlo: MonteCarloResult | None
    single_run: Result
    year_after_loan: int | None = None
    debt: FamilyDebt | None = None

    def to_text(self, lang: str = "en") -> str:
        """The headline as a few lines for a terminal or a report (``"en"`` or ``"fa"``):
        :func:`solarcoop.present.headline.format_headline`."""
        from solarcoop.present.headline import format_headline

        return format_headline(self, lang)


def promise_price_level(scenario: Scenario, months: pd.DataFrame, base_month: str) -> np.ndarray:
    """Consumer prices of each accounting month over those of ``base_month``, on the
    scenario's own (central) inflation path [-], shape (n_months,).

    Multiplies money of ``base_month`` (a promise's date, "1404-06") into each month's
    nominal rial, so a promise made in that month's money can be drawn beside nominal
    payouts: the reciprocal of :func:`solarcoop.economy.real_money_factor`.

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
    return 1 / real_money_factor(scenario.economy, months, cpi, base_month)


FAMILY_MONEY = "family_cash_flow_rial"
"""The family's money a month: what reaches it less what it pays its lender, with its
sign (negative in a month it pays from its own pocket). Every "net", "payout" and "what
the family gets" of solarcoop's outputs is this line (its real twin in real money)."""

FLOORED_PAYOUT = "payout_per_family_rial"
"""Paid out to the family after its instalment, never below zero: a line of the books,
not the family's money (:data:`FAMILY_MONEY` is)."""


def money_column(result: Result, monte_carlo: MonteCarloResult | None = None) -> str:
    """The family's monthly money the headline counts: :data:`FAMILY_MONEY`, its own cash
    flow after the instalment, with its sign.

    Examples
    --------
    >>> import numpy as np, solarcoop as sc
    >>> money_column(sc.simulate(sc.qom_baseline(), energy=np.full(12, 420_000.0)))
    'family_cash_flow_rial'
    """
    return FAMILY_MONEY


def promise_counted(scenario: Scenario) -> str:
    """What the chance of the promise counts (:data:`PROMISE_COUNTS`): the promise's own
    ``counts`` when its source says, else ``"net"``, the family's money after its
    instalment, which is what a family lives on.

    >>> import solarcoop as sc
    >>> promise_counted(sc.qom_baseline())  # the news report does not say
    'net'
    """
    promise = getattr(scenario, "promise", None)
    return "net" if promise is None or promise.counts is None else promise.counts


def promise_in_real_money(scenario: Scenario, months: pd.DataFrame, cpi, promise_rial: float) -> np.ndarray:
    """A promised amount of the promise's month (``promise.money_of``) in money of the
    scenario's real money month [rial], shape ``cpi.shape[:-1] + (1,)``: the amount
    itself when the two months are one (the default)."""
    base = scenario.real_money_month
    if scenario.promise is None or scenario.promise.money_of == base:
        return np.full(np.shape(cpi)[:-1] + (1,), float(promise_rial))
    economy = scenario.economy
    return promise_rial * (
        price_level_at(economy, months, cpi, base) / price_level_at(economy, months, cpi, scenario.promise.money_of, "promise.money_of")
    )


def month_reaches_promise(
    monte_carlo: MonteCarloResult,
    scenario: Scenario,
    counts: str | None = None,
    promise_rial: float | str | None = None,
) -> np.ndarray:
    """Whether each path's month reaches the promise, in the promise's own money [bool],
    shape (n_paths, n_months).

    The one definition of the promise's chance: page 1, the chance chart, the statement,
    the command line and the app all average this array (over a year's months and the
    paths, or over the paths month by month).

    Parameters
    ----------
    monte_carlo : MonteCarloResult
        With kept paths of ``cpi_index`` and the line ``counts`` names
        (:data:`KEPT` holds them all).
    scenario : Scenario
        The scenario of the run; its ``promise`` (or ``promise_rial``) sets the amount.
    counts : {"sales", "distribution", "net"}, optional
        Which money is counted; default :func:`promise_counted`.
    promise_rial : float, optional
        The amount per family per month, in money of ``promise.money_of`` (or, without a
        promise, of the real money month) [rial]; default the promise's bottom.
    """
    counts = promise_counted(scenario) if counts is None else counts
    if counts not in PROMISE_COUNTS:
        raise InputError(f"counts = {counts!r} is not allowed: choose one of {sorted(PROMISE_COUNTS)}")
    promise_rial = _promise_rial(scenario, FROM_SCENARIO if promise_rial is None else promise_rial)
    if promise_rial is None:
        raise InputError(f"scenario {scenario.name!r} has no promise: give promise_rial")
    column = PROMISE_COUNTS[counts]
    for needed in ("cpi_index", column):
        if monte_carlo.paths is None or needed not in monte_carlo.columns:
            raise InputError(
                f"the Monte Carlo did not keep {needed!r} for every path: run it with "
                "kept=solarcoop.studies.headline.KEPT and keep_paths=True"
            )
    cpi = monte_carlo.paths["cpi_index"]
    values = monte_carlo.paths[column] * real_money_factor(
        scenario.economy, monte_carlo.months, cpi, scenario.real_money_month
    )
    if counts == "sales":
        values = values / scenario.cooperative.families
    return values >= promise_in_real_money(scenario, monte_carlo.months, cpi, promise_rial)


def chance_month_reaches_promise(
    monte_carlo: MonteCarloResult,
    scenario: Scenario,
    year: int,
    counts: str | None = None,
    promise_rial: float | str | None = None,
) -> float:
    """Chance that a month of operating ``year`` reaches the promise, in its own money [-]:
    :func:`month_reaches_promise` averaged over the year's months and the paths."""
    in_year = monte_carlo.months["operating_year"].to_numpy() == year
    if not in_year.any():
        raise InputError(f"year = {year} is not an operating year of this run")
    return float(month_reaches_promise(monte_carlo, scenario, counts, promise_rial)[:, in_year].mean())


def promise_band_rial(scenario: Scenario, months: pd.DataFrame, real: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The scenario's promised band, its bottom and its top, in each accounting month's
    money [rial], shape (n_months,) each.

    The promise is money of its own month (``scenario.promise.money_of``): in nominal
    rial it is kept in value, grown with the scenario's central inflation to each month
    (:func:`promise_price_level`), so a nominal payout above it meets the promise in its
    own money. ``real``: in money of the scenario's real money month (the promise itself
    when that is the promise's month, the default; the same in every month). ``months``
    runs from the first accounting month.

    Examples
    --------
    >>> import solarcoop as sc
    >>> from solarcoop.calendar import accounting_months
    >>> scenario = sc.qom_baseline().with_changes({"economy.inflation_per_year": 0.4})
    >>> months = accounting_months(scenario.start_date, 24)
    >>> low, _ = promise_band_rial(scenario, months)  # 50 million of Shahrivar 1404, kept in value
    >>> round(float(low[0]) / 1e6, 3), round(float(low[12]) / 1e6, 3)
    (60.843, 85.18)
    >>> low, high = promise_band_rial(scenario, months, real=True)  # in the promise's own money
    >>> round(float(low[12]) / 1e6, 3), round(float(high[12]) / 1e6, 3)
    (50.0, 80.0)
    """
    promise = scenario.promise
    if promise is None:
        raise InputError(f"scenario {scenario.name!r} has no promise: its band is not defined")
    if real:
        cpi = cpi_index(scenario.economy, months)
        level = np.full(len(months), float(promise_in_real_money(scenario, months, cpi, 1.0)[0]))
    else:
        level = promise_price_level(scenario, months, promise.money_of)
    low, high = promise.band_rial
    return low * level, high * level


def yearly_exceedance(
    monte_carlo: MonteCarloResult, column: str, probabilities: tuple[float, ...] = (0.9, 0.5), years: int | None = None
) -> np.ndarray:
    """The value of each path's yearly mean of ``column`` exceeded with each probability,
    year by year [unit of the column], shape (len(probabilities), years).

    ``(0.9, 0.5)`` gives the P90 and the P50 of operating years 1 to ``years`` (default
    all), as :meth:`MonteCarloResult.exceedance` gives them one year at a time.
    """
    yearly = monte_carlo.yearly(column)
    yearly = yearly if years is None else yearly[:, :years]
    return np.quantile(yearly, [exceedance_quantile(p) for p in probabilities], axis=0)


def chance_month_paid_from_pocket(monte_carlo: MonteCarloResult, year: int = 1) -> float:
    """Chance that a month of operating ``year`` has the family pay from its own pocket
    (its cash flow after the instalment below -0.5 rial) [-]."""
    in_year = monte_carlo.months["operating_year"].to_numpy() == year
    return float((monte_carlo.paths["family_cash_flow_rial"][:, in_year] < -0.5).mean())


def first_year_after_loan(result: Result) -> int | None:
    """The first full operating year after the family loan is over, or None if there is
    none within the life (or no loan at all).

    The loan is over for a family in the first month it owes its lender nothing: the
    scheduled balance is repaid *and* no arrears are left. Under ``loan.shortfall =
    "arrears"`` the months whose distribution did not cover the instalment are owed
    after the schedule ends and are paid from later distributions, so the family's
    money is still cut by the loan until they are cleared; the last scheduled instalment
    alone would call a year "after the loan" in which the family still pays for it.
    The year shown is the first that starts on or after that month.

    Examples
    --------
    >>> import solarcoop as sc
    >>> first_year_after_loan(sc.simulate(sc.qom_baseline()))  # 84 instalments, the withheld ones cleared in year 8
    9
    """
    if not (result.monthly["loan_instalment_per_family_rial"].to_numpy() > 0.5).any():
        return None  # no loan: no year after it
    balance = result.monthly["loan_balance_per_family_rial"].to_numpy()
    arrears = result.monthly["arrears_per_family_rial"].to_numpy()
    done = np.flatnonzero((balance < 0.5) & (arrears < 0.5))
    if done.size == 0:
        return None
    month = int(done[0]) + 1  # the first month with nothing to pay
    year = month // 12 + 1 if month % 12 == 0 else month // 12 + 2
    return year if year <= int(result.monthly["operating_year"].max()) else None


def headline_years(result: Result) -> tuple[int, ...]:
    """Operating years the headline shows: 1, 2, 3 and :func:`first_year_after_loan`,
    within the life, each once."""
    after = first_year_after_loan(result)
    n_years = int(result.monthly["operating_year"].max())
    return tuple(dict.fromkeys(y for y in (1, 2, 3, after) if y is not None and y <= n_years))


def first_year_money_moves(result) -> int:
    """The first operating year in which the family's money of the single run ``result`` is
    not 0 [-]: where the family's instalments are withheld from its payouts (the arrears
    practice) and they take the whole distribution, its money is held at 0 whatever the
    inputs, and no input can be said to move it; 1 if every year is 0.

    >>> import solarcoop as sc
    >>> first_year_money_moves(sc.simulate(sc.qom_baseline()))  # year 1: its instalments are withheld
    2
    """
    monthly = result.monthly
    by_year = monthly["family_cash_flow_rial"].groupby(monthly["operating_year"]).mean()
    moving = by_year.index[by_year.to_numpy() != 0.0]
    return int(moving[0]) if len(moving) else 1


def percentile_among(values: np.ndarray, single: np.ndarray) -> np.ndarray:
    """Where ``single`` falls among each column of ``values`` [%]: the share of values
    below it, with values equal to it counted half (the mid-rank).

    Ties are common in the family's money: in years its distribution does not cover the
    instalment, many futures pay exactly minus the instalment. Counting only the values
    strictly below would put a single run that lies inside such a tie at the bottom
    (0 %) although as many futures are equal to it as any; counting the ties half puts
    it in their middle, and a single run equal to every path sits at 50 %.

    Examples
    --------
    >>> percentile_among(np.array([[1.0], [2.0], [2.0], [3.0]]), np.array([2.0]))
    array([50.])
    """
    below = (values < single).mean(axis=0)
    ties = (values == single).mean(axis=0)
    return 100 * (below + ties / 2)


def _promise_rial(scenario: Scenario, promise_rial) -> float | None:
    promise = getattr(scenario, "promise", None)
    if isinstance(promise_rial, str) and promise_rial == FROM_SCENARIO:
        promise_rial = None if promise is None else promise.low_rial
    if promise_rial is not None:
        promise_rial = float(check_number("promise_rial", promise_rial, minimum=0, min_inclusive=False))
    return promise_rial


def headline_of(
    single: Result,
    monte_carlo: MonteCarloResult | None = None,
    *,
    base_month: str | None = None,
    promise_rial: float | str | None = FROM_SCENARIO,
    years: tuple[int, ...] | None = None,
) -> Headline:
    """The headline of runs already made: the single run and, optionally, a Monte Carlo
    of the same scenario (:func:`headline` makes both, then calls this).

    Parameters
    ----------
    single : Result
        The single run (every disputed fact at its central reading).
    monte_carlo : MonteCarloResult, optional
        With kept paths. Without it only ``label`` and the single run's figure are
        filled (the other columns are NaN). A figure whose columns it did not keep is NaN:
        the real figures need the real twin of :data:`FAMILY_MONEY`, the chances need
        ``cpi_index`` and each money's column (:data:`PROMISE_COUNTS`); :data:`KEPT` holds
        them all.
    base_month : str, optional
        Must be the scenario's real money month, the one the runs counted in (else an
        ``InputError`` says how to rerun them).
    promise_rial, years
        As for :func:`headline`.

    Returns
    -------
    Headline
        Its ``n_paths`` is 0 and its ``seed`` None without a Monte Carlo.

    Examples
    --------
    >>> import numpy as np, solarcoop as sc
    >>> single = sc.simulate(sc.qom_baseline(), energy=np.full(12, 420_000.0))
    >>> table = headline_of(single).table
    >>> table.index.tolist(), bool(table["net_payout_per_family_p50_rial"].isna().all())
    ([1, 2, 3, 9], True)
    """
    scenario = single.scenario
    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario = {scenario!r} must be a Scenario")
    promise_rial = _promise_rial(scenario, promise_rial)
    if base_month is not None and str(base_month) != scenario.real_money_month:
        raise InputError(
            f"base_month = {base_month!r}: these runs count real money in {scenario.real_money_month} money; "
            f"run them with scenario.with_changes({{'real_money_of': {str(base_month)!r}}}) "
            "(sc.headline(scenario, base_month=...) does)"
        )
    base_month = scenario.real_money_month
    n_years = scenario.lifetime_years
    if years is None:
        years = headline_years(single)
    for year in years:
        check_number("years", year, minimum=1, maximum=n_years, integer=True)
    column = FAMILY_MONEY
    real_column = column.replace("_rial", "_real_rial")
    single_yearly = single.annual[f"{column}_mean"].to_numpy()
    index = pd.Index(range(1, n_years + 1), name="operating_year")
    kept = () if monte_carlo is None else monte_carlo.columns
    if column in kept:
        percentiles = pd.Series(
            percentile_among(monte_carlo.yearly(column), single_yearly[None, :]), index=index, name="single_run_percentile"
        )
    else:
        percentiles = pd.Series(np.nan, index=index, name="single_run_percentile")
    months = single.monthly if monte_carlo is None else monte_carlo.months
    operating_year = months["operating_year"].to_numpy()
    reaches = {}
    if promise_rial is not None and "cpi_index" in kept and monte_carlo.paths is not None:
        for counts, counts_column in PROMISE_COUNTS.items():
            if counts_column in kept:
                reaches[counts] = month_reaches_promise(monte_carlo, scenario, counts, promise_rial)
    rows = {}
    for year in years:
        row = {"label": months["label"].to_numpy()[operating_year == year][0]}
        for name, figure in (("net_payout_per_family_p{}_rial", column), ("net_payout_per_family_p{}_real_rial", real_column)):
            for p in (50, 90):
                row[name.format(p)] = (
                    monte_carlo.exceedance(f"{figure}_mean_year{year}", p / 100) if figure in kept else np.nan
                )
        row["single_run_net_payout_per_family_rial"] = single_yearly[year - 1]
        row["single_run_percentile"] = percentiles.loc[year]
        if promise_rial is not None:  # each month counted in the promise's own money
            in_year = operating_year == year
            for counts in PROMISE_COUNTS:
                row[f"chance_month_reaches_promise_{counts}"] = (
                    float(reaches[counts][:, in_year].mean()) if counts in reaches else np.nan
                )
        rows[year] = row
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("operating_year")
    return Headline(
        table=table,
        percentiles=percentiles,
        base_month=base_month,
        promise_rial=promise_rial,
        n_paths=0 if monte_carlo is None else monte_carlo.n_paths,
        seed=None if monte_carlo is None else monte_carlo.seed,
        scenario_name=scenario.name,
        monte_carlo=monte_carlo,
        single_run=single,
        year_after_loan=first_year_after_loan(single),
        debt=family_debt_of(single, monte_carlo),
    )


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

    Runs the single run and the Monte Carlo and reads the headline from them with
    :func:`headline_of`, the one computation of the headline (the report, the workbook,
    the statement, the command line and the app read its table).

    Parameters
    ----------
    scenario : Scenario
        Its own values are the central reading; the Monte Carlo draws around them.
    n_paths, seed : int
        Monte Carlo size and seed [-]; the same give the same numbers.
    base_month : str, optional
        Month label whose money the real columns are in: sets the scenario's
        ``real_money_of``. Default the scenario's
        :attr:`~solarcoop.scenario.Scenario.real_money_month` (Shahrivar 1404, "1404-06",
        for Qom: its promise's month).
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
        Operating years shown; default 1, 2, 3 and the first full year after the loan
        (:func:`first_year_after_loan`).

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
    if base_month is not None and str(base_month) != scenario.real_money_month:
        scenario = scenario.with_changes({"real_money_of": str(base_month)})
    promise_rial = _promise_rial(scenario, promise_rial)
    single = simulate(scenario, energy=energy)
    run = monte_carlo(
        scenario, n_paths=n_paths, seed=seed, kept=KEPT, progress=progress, energy=energy, keep_paths=True
    )
    return headline_of(single, run, promise_rial=promise_rial, years=years)


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

    column = FAMILY_MONEY.replace("_rial", "_real_rial")

    def p50s(variant: Scenario) -> dict:
        run = monte_carlo(variant, n_paths=n_paths, seed=seed, kept=(column,), energy=energy, keep_paths=True)
        return {year: run.exceedance(f"{column}_mean_year{year}", 0.5) for year in years}

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
    return _effects_table(rows, years, everything, promise_rial, scenario.real_money_month)


def _effects_table(rows: list, years, everything: dict, promise_rial, money_of: str) -> pd.DataFrame:
    """The rows of a reading-effects table, readings by their swing in the last year,
    widest first (the joint ``all`` rows last), with its attributes."""
    table = pd.DataFrame(rows)
    last = f"p50_year{years[-1]}_real_rial"
    swing = table.groupby("reading")[last].agg(lambda values: values.max() - values.min())
    swing["all"] = -np.inf  # the joint rows last
    order = {name: rank for rank, name in enumerate(swing.sort_values(ascending=False).index)}
    table["_order"] = table["reading"].map(order)
    table = table.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    table.attrs["p50_all_drawn_real_rial"] = everything
    table.attrs["promise_rial"] = promise_rial
    table.attrs["money_of"] = money_of
    return table


def reading_effects_of(
    run: MonteCarloResult, years: tuple[int, ...], promise_rial: float | str | None = FROM_SCENARIO, energy=None
) -> pd.DataFrame:
    """:func:`reading_effects` read from one Monte Carlo's own paths, without running
    another: for each drawn disputed fact and each of its alternatives, the P50 of the
    paths that drew that alternative (the others drawn as usual, as they are independent
    of it), against the P50 of all the paths.

    Fixing a reading and drawing the rest, as :func:`reading_effects` does, and keeping
    the paths that drew it are two estimates of the same distribution; this one needs no
    new run, and its P50 of everything is the run's own (page 1's). Each alternative's
    P50 rests on the paths that drew it, about ``n_paths`` times its probability (the
    ``paths`` column); an alternative no path drew has no P50 (NaN). The joint ``all``
    rows (every reading at once at its least or most favourable alternative), which
    almost no path draws, are left out.

    Parameters
    ----------
    run : MonteCarloResult
        With its paths kept (``keep_paths=True``) of the family's money in real money
        (``family_cash_flow_real_rial``, of ``run.scenario.real_money_month``).
    years : tuple of int
        Operating years [-].
    promise_rial : float or None
        As :func:`reading_effects`.
    energy : array_like, optional
        The ``energy`` the run was given, if any (its draws depend on it).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`reading_effects`, and ``paths``: the paths behind each row [-].

    Examples
    --------
    >>> import solarcoop as sc
    >>> from solarcoop.studies.montecarlo import monte_carlo
    >>> short = sc.qom_baseline().with_changes({"lifetime_years": 2})
    >>> run = monte_carlo(short, n_paths=250, kept=("family_cash_flow_real_rial",), keep_paths=True)
    >>> table = reading_effects_of(run, years=(2,))
    >>> int(table.groupby("reading")["paths"].sum().iloc[0])
    250
    """
    from solarcoop import disputed
    from solarcoop.studies.montecarlo import drawn_readings

    scenario = run.scenario
    promise = getattr(scenario, "promise", None)
    if isinstance(promise_rial, str) and promise_rial == FROM_SCENARIO:
        promise_rial = None if promise is None else promise.low_rial
    column = FAMILY_MONEY.replace("_rial", "_real_rial")
    values = {year: run.metric(f"{column}_mean_year{year}") for year in years}
    q = exceedance_quantile(0.5)
    everything = {year: float(np.quantile(values[year], q)) for year in years}
    drawn = drawn_readings(scenario, run.n_paths, run.seed, energy=energy)
    rows = []
    for name in drawn.columns:
        item = disputed.reading(name)
        chances = disputed.probabilities(name, scenario.uncertainty)
        codes = drawn[name].to_numpy()
        for index, (alternative, chance) in enumerate(zip(item.alternatives, chances, strict=True)):
            members = codes == index
            out = {
                "reading": name, "alternative": alternative.name, "probability": float(chance),
                "central": alternative.name == item.central, "paths": int(members.sum()),
            }  # fmt: skip
            for year in years:
                p50 = float(np.quantile(values[year][members], q)) if members.any() else np.nan
                change = p50 - everything[year]
                out[f"p50_year{year}_real_rial"] = p50
                out[f"change_year{year}_real_rial"] = change
                if promise_rial is not None:
                    gap = promise_rial - everything[year]
                    out[f"gap_share_year{year}"] = change / gap if gap > 0 else np.nan
            rows.append(out)
    if not rows:
        raise InputError("this run draws no disputed fact (scenario.uncertainty.readings is empty)")
    return _effects_table(rows, years, everything, promise_rial, scenario.real_money_month)


def reading_effects_years(effects: pd.DataFrame) -> list[int]:
    """The operating years a :func:`reading_effects` table holds."""
    return [int(c[len("p50_year"):-len("_real_rial")]) for c in effects.columns if c.startswith("p50_year")]


def widest_reading(effects: pd.DataFrame, year: int) -> tuple[str, float, float]:
    """The disputed fact that moves the P50 of ``year`` most in a :func:`reading_effects`
    table, with the P50 at its least and most favourable reading [rial, real money]:
    ``(reading, low, high)``.

    The widest swing of the year asked for, not of the table's last year, so that a page
    that names a year names that year's answer.
    """
    column = f"p50_year{year}_real_rial"
    if column not in effects.columns:
        raise InputError(f"year = {year}: these reading effects hold years {reading_effects_years(effects)}")
    single = effects[effects["reading"] != "all"]
    low = single.groupby("reading", sort=False)[column].min()
    high = single.groupby("reading", sort=False)[column].max()
    reading = str((high - low).idxmax())
    return reading, float(low[reading]), float(high[reading])
