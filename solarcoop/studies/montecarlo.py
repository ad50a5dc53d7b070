"""How sure: the Monte Carlo over drawn paths (what if and what it takes are in
:mod:`solarcoop.studies.sweeps`).

The Monte Carlo runs the physics once per weather year, then books every path at once
on (paths x months) arrays, chunk by chunk so memory stays bounded: each path is priced,
collected and booked under its own drawn readings (per-path parameters, not groups of
paths). Every block of paths draws from its own child of the seed
(``numpy.random.SeedSequence(seed).spawn``), so the numbers depend only on the seed,
never on the chunk size or where a chunk runs: the same seed gives the same paths in
one process, in worker processes (:mod:`solarcoop.studies.workers`, one per core on Linux)
and on a Dask cluster.

Probabilities follow the energy industry: P90 is the value exceeded with 90 %
probability, i.e. the 10th percentile; P50 is the median.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import os
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from solarcoop import disputed as disputed_stage
from solarcoop import economy as economy_stage
from solarcoop import payment as payment_stage
from solarcoop import plant as plant_stage
from solarcoop import tariff as tariff_stage
from solarcoop import weather as weather_stage
from solarcoop._validation import InputError, check_number
from solarcoop.books.ledger import book_months
from solarcoop.calendar import accounting_months
from solarcoop.engine import (
    bill_paths,
    book_revenue,
    collect_paths,
    energy_by_weather_year,
    energy_profile,
    family_debt,
    ledger_inputs,
    ledger_lines,
    monthly_energy_kwh,
    path_parts,
    price_paths,
    profile_from_hourly,
)
from solarcoop.lines import DEBT_KEPT, MONTE_CARLO_KEPT
from solarcoop.scenario import Scenario
from solarcoop.studies import workers as worker_processes
from solarcoop.studies.streamed import StreamedColumns

SEED_BLOCK_PATHS = 250
"""Paths that draw from one child of the seed; chunks are whole blocks."""

CHUNK_PATHS = 2_500
"""Paths booked at once, at most: 2,500 x 300 months x 8 bytes = 6 MB per array."""

KEPT_COLUMNS = MONTE_CARLO_KEPT
"""Lines a Monte Carlo keeps for every path and month by default (declared in
:mod:`solarcoop.lines`; any line of ``Result.monthly`` can be asked for with ``kept=``)."""


def exceedance_quantile(probability_of_exceedance: float) -> float:
    """The quantile of a 'P' figure: P90 (exceeded with 90 % probability) is the 0.1 quantile.

    >>> exceedance_quantile(0.9)
    0.1
    """
    check_number("probability_of_exceedance", probability_of_exceedance, minimum=0, maximum=1)
    return round(1 - probability_of_exceedance, 12)


# --------------------------------------------------------------------------- Monte Carlo


KEEP_PATHS_AUTO_BYTES = 512 * 2**20
"""Without ``keep_paths``, a run keeps its paths when they take at most this much memory
(about 37,000 paths of the six default columns over 25 years) and streams them beyond."""

YEARLY_STATISTICS = ("mean", "min", "max")


def _yearly_statistics(values: np.ndarray) -> np.ndarray:
    """Each path's yearly mean, min and max of a monthly column, shape (paths, 3 x years)."""
    by_year = values.reshape(values.shape[0], -1, 12)  # twelve months each year
    return np.concatenate([getattr(by_year, statistic)(axis=2) for statistic in YEARLY_STATISTICS], axis=1)


@dataclasses.dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """A Monte Carlo run: every path, or the distributions streamed from them.

    Attributes
    ----------
    scenario : Scenario
    months : pandas.DataFrame
        The accounting months (label, operating_year, ...).
    paths : dict of numpy.ndarray or None
        Each kept column (``KEPT_COLUMNS``) as an array (n_paths, n_months); ``None``
        when the paths were streamed (``monte_carlo(..., keep_paths=False)``).
    seed : int
    streamed : dict or None
        When streamed, each kept column's :class:`~solarcoop.studies.streamed.StreamedColumns`:
        ``"monthly"`` (one column a month) and ``"yearly"`` (each year's mean, min and
        max). Quantiles and chances then come from them, each within the bound that
        ``quantile_error``, ``probability_below_error`` and ``exceedance_error`` state
        (0 for kept paths).
    """

    scenario: Scenario
    months: pd.DataFrame
    paths: dict | None
    seed: int
    streamed: dict | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The kept columns."""
        return tuple(self.paths if self.paths is not None else self.streamed)

    @property
    def n_paths(self) -> int:
        if self.paths is not None:
            return next(iter(self.paths.values())).shape[0]
        return next(iter(self.streamed.values()))["monthly"].n_values

    def _check_column(self, column: str) -> None:
        if column not in self.columns:
            raise InputError(f"column = {column!r} was not kept: choose one of {sorted(self.columns)}")

    def _column(self, column: str) -> np.ndarray:
        self._check_column(column)
        if self.paths is None:
            raise InputError(
                f"the {self.n_paths:,} paths of this run were streamed, not kept, and this needs "
                "every path: run monte_carlo(..., keep_paths=True) (it says first whether they fit in memory)"
            )
        return self.paths[column]

    def _stream(self, column: str, kind: str):
        self._check_column(column)
        return self.streamed[column][kind]

    def _frame(self, values: np.ndarray, qs) -> pd.DataFrame:
        return pd.DataFrame(values, index=pd.Index(self.months["label"], name="label"), columns=qs)

    def quantiles(self, qs: Sequence[float], column: str = "family_cash_flow_rial") -> pd.DataFrame:
        """Monthly quantiles of a column across paths.

        Parameters
        ----------
        qs : sequence of float
            Quantiles in [0, 1] (0.1 is P90, the value exceeded with 90 % probability).
        column : str
            A kept column.

        Returns
        -------
        pandas.DataFrame
            One row per month (index: label), one column per quantile: exact
            (:func:`numpy.quantile`) for kept paths, within :meth:`quantile_error` of it
            for streamed ones.
        """
        qs = [check_number("qs", q, minimum=0, maximum=1) for q in np.atleast_1d(qs)]
        if self.paths is None:
            return self._frame(self._stream(column, "monthly").quantiles(qs).T, qs)
        return self._frame(np.quantile(self._column(column), qs, axis=0).T, qs)

    def quantile_error(self, qs: Sequence[float], column: str = "family_cash_flow_rial") -> pd.DataFrame:
        """Largest possible distance of each :meth:`quantiles` value from the exact one
        [unit of the column]; 0 when the paths were kept."""
        qs = [check_number("qs", q, minimum=0, maximum=1) for q in np.atleast_1d(qs)]
        if self.paths is None:
            return self._frame(self._stream(column, "monthly").quantile_error(qs).T, qs)
        self._check_column(column)
        return self._frame(np.zeros((len(self.months), len(qs))), qs)

    def probability_below(self, column: str = "family_cash_flow_rial", threshold: float = 50e6) -> pd.Series:
        """Chance, month by month, that ``column`` falls below ``threshold`` [-]."""
        if self.paths is None:
            below = self._stream(column, "monthly").fraction_below(threshold)
        else:
            below = (self._column(column) < threshold).mean(axis=0)
        return pd.Series(below, index=pd.Index(self.months["label"], name="label"), name=f"P({column} < {threshold:g})")

    def probability_below_error(self, column: str = "family_cash_flow_rial", threshold: float = 50e6) -> pd.Series:
        """Largest possible distance of each :meth:`probability_below` value from the exact
        share [-]; 0 when the paths were kept."""
        if self.paths is None:
            error = self._stream(column, "monthly").fraction_below_error(threshold)
        else:
            self._check_column(column)
            error = np.zeros(len(self.months))
        return pd.Series(error, index=pd.Index(self.months["label"], name="label"), name="error")

    def yearly(self, column: str = "family_cash_flow_rial", statistic: str = "mean") -> np.ndarray:
        """Each path's yearly mean, min or max of a monthly column, shape (n_paths, years).
        Needs the kept paths."""
        if statistic not in YEARLY_STATISTICS:
            raise InputError(f"statistic = {statistic!r}: choose 'mean', 'min' or 'max'")
        values = self._column(column)
        n_years = self.months["operating_year"].to_numpy().max()
        by_year = values.reshape(values.shape[0], n_years, 12)  # twelve months each year
        return getattr(by_year, statistic)(axis=2)

    def _metric_parts(self, name: str) -> tuple[str, str, int]:
        match = re.fullmatch(r"(?P<column>.+)_(?P<statistic>mean|min|max)_year(?P<year>\d+)", name)
        if match is None:
            raise InputError(
                f"metric = {name!r} is not of the form COLUMN_mean|min|max_yearN "
                "(for example 'family_cash_flow_rial_mean_year1')"
            )
        year, n_years = int(match["year"]), int(self.months["operating_year"].max())
        self._check_column(match["column"])
        if not 1 <= year <= n_years:
            raise InputError(f"metric = {name!r}: year {year} is outside 1..{n_years}")
        return match["column"], match["statistic"], year

    def metric(self, name: str) -> np.ndarray:
        """A per-path figure named like the summary's: ``family_cash_flow_rial_mean_year1``.
        Needs the kept paths."""
        column, statistic, year = self._metric_parts(name)
        return self.yearly(column, statistic)[:, year - 1]

    def _yearly_index(self, statistic: str, year: int) -> int:
        return YEARLY_STATISTICS.index(statistic) * int(self.months["operating_year"].max()) + year - 1

    def exceedance(self, name: str, probability_of_exceedance: float = 0.9) -> float:
        """The value of a metric exceeded with the given probability (P90 by default)."""
        q = exceedance_quantile(probability_of_exceedance)
        if self.paths is None:
            column, statistic, year = self._metric_parts(name)
            return float(self._stream(column, "yearly").quantiles([q])[0, self._yearly_index(statistic, year)])
        return float(np.quantile(self.metric(name), q))

    def exceedance_error(self, name: str, probability_of_exceedance: float = 0.9) -> float:
        """Largest possible distance of :meth:`exceedance` from the exact value; 0 when kept."""
        column, statistic, year = self._metric_parts(name)
        if self.paths is not None:
            return 0.0
        q = exceedance_quantile(probability_of_exceedance)
        return float(self._stream(column, "yearly").quantile_error([q])[0, self._yearly_index(statistic, year)])

    def chance_of_month_below(
        self, threshold_rial: float = 50e6, year: int = 1, column: str = "family_cash_flow_rial"
    ) -> float:
        """Chance that a month of operating ``year`` pays below ``threshold_rial`` [-]."""
        in_year = self.months["operating_year"].to_numpy() == year
        if not in_year.any():
            raise InputError(f"year = {year} is not an operating year of this run")
        if self.paths is None:  # every month has every path: the mean of the months' shares
            return float(np.mean(self._stream(column, "monthly").fraction_below(threshold_rial)[in_year]))
        return float((self._column(column)[:, in_year] < threshold_rial).mean())

    def summary(self, years: Sequence[int] = (1, 5)) -> pd.DataFrame:
        """P90, P50 and P10 of the family's money per month (its cash flow after the loan
        instalment, with its sign), the year's monthly mean, nominal and real (money of the
        scenario's real money month).

        Returns
        -------
        pandas.DataFrame
            One row per figure (``family_cash_flow_rial_mean_year1`` ...), columns
            ``P90`` (exceeded with 90 % probability), ``P50`` and ``P10`` [rial].
        """
        n_years = int(self.months["operating_year"].max())
        if isinstance(years, str) or not isinstance(years, Sequence):
            raise InputError(f"years = {years!r} must be a list of operating years 1 to {n_years}")
        for year in years:
            check_number("years", year, minimum=1, maximum=n_years, integer=True)
        rows = {}
        for year in years:
            for column in ("family_cash_flow_rial", "family_cash_flow_real_rial"):
                name = f"{column}_mean_year{year}"
                rows[name] = {f"P{p}": self.exceedance(name, p / 100) for p in (90, 50, 10)}
        return pd.DataFrame(rows).T

    def family_debt(self) -> pd.DataFrame:
        """What each path's family owes in withheld instalments: the figures of
        :func:`solarcoop.engine.family_debt`, the one definition the single run's summary
        reads (the single run's ``family_arrears_max_rial`` is this figure of its path).

        Needs every path of :data:`solarcoop.lines.DEBT_KEPT` (the arrears, the
        instalments due and consumer prices): run ``monte_carlo(..., kept=...,
        keep_paths=True)`` with them (:data:`solarcoop.studies.headline.KEPT` holds them);
        a streamed run has no per-path figures.

        Returns
        -------
        pandas.DataFrame
            One row per path: ``family_arrears_max_rial`` and ``..._real_rial`` (in money
            of the scenario's real money month) [rial], ``months_in_arrears``,
            ``arrears_cleared_month``, ``loan_last_due_month`` [-], ``owes_after_loan_year``
            [bool].
        """
        missing = [column for column in DEBT_KEPT if column not in self.columns]
        if missing or self.paths is None:
            raise InputError(
                f"the family's debt needs every path of {list(DEBT_KEPT)}; this run "
                + (f"did not keep {missing}" if missing else "streamed its paths")
                + ": run monte_carlo(..., kept=solarcoop.studies.headline.KEPT, keep_paths=True)"
            )
        to_real = economy_stage.real_money_factor(
            self.scenario.economy, self.months, self.paths["cpi_index"], self.scenario.real_money_month
        )
        debt = family_debt(self.paths["arrears_per_family_rial"], self.paths["loan_instalment_per_family_rial"], to_real)
        return pd.DataFrame(debt, index=pd.RangeIndex(self.n_paths, name="path"))


_WEATHER_TABLES: dict = {}


def _weather_key(weather):
    """What identifies the scenario's weather: its path, or a hash of a DataFrame's content
    (so that a frame changed in place is not mistaken for the one cached)."""
    if isinstance(weather, pd.DataFrame):
        return (tuple(weather.columns), int(pd.util.hash_pandas_object(weather).sum() % 2**63))
    return None if weather is None else os.fspath(weather)


def _weather_years(scenario: Scenario) -> list[pd.DataFrame]:
    if scenario.weather is not None:
        data = weather_stage.resolve(
            scenario.weather, scenario.site, scenario.weather_fill_gaps_hours, scenario.weather_accept
        )
        years = weather_stage.split_years(data) if len(data) > 8784 else [data]
        return years or [data]
    count = scenario.uncertainty.weather_years
    if count == 0:
        return [weather_stage.resolve(None, scenario.site)]
    return weather_stage.typical_years(count, seed=scenario.uncertainty.weather_seed, site=scenario.site)


def _given_energy_tables(scenario: Scenario, months: pd.DataFrame, energy) -> tuple[np.ndarray, np.ndarray, float]:
    """The planner's own year of energy as a one-year table (no weather variation, and no
    soiling spread: its soiling is already in it)."""
    profile = energy_profile(scenario, energy)
    table = monthly_energy_kwh(profile.energy_kwh[None, :], months)
    priced = table if profile.priced_energy_kwh is profile.energy_kwh else monthly_energy_kwh(
        profile.priced_energy_kwh[None, :], months
    )
    return table, priced, 0.0


def energy_tables(scenario: Scenario, months: pd.DataFrame, energy=None) -> tuple[np.ndarray, np.ndarray, float]:
    """Energy of every accounting month for every weather year, before degradation.

    With ``energy`` (the planner's year-one energy at the meter, see
    :func:`solarcoop.simulate`), that year on every path.

    Returns
    -------
    energy_kwh, priced_energy_kwh : numpy.ndarray
        Shape (n_weather_years, n_months) [kWh].
    soiling_loss : float
        The year-one soiling loss of the typical year [fraction], for scaling by path.
    """
    if energy is not None:
        return _given_energy_tables(scenario, months, energy)
    key = (
        scenario.site, scenario.plant, getattr(scenario.tariff, "time_of_use", None),
        _weather_key(scenario.weather),
        scenario.uncertainty.weather_years, scenario.uncertainty.weather_seed,
        scenario.start_date, scenario.lifetime_years, scenario.calendar,
    )  # fmt: skip
    if key not in _WEATHER_TABLES and scenario.weather is None:  # the embedded years: perhaps kept on disk
        kept = _tables_on_disk(key)
        if kept is not None:
            _WEATHER_TABLES.clear()
            _WEATHER_TABLES[key] = kept
    if key not in _WEATHER_TABLES:
        years = _weather_years(scenario)
        profiles = [
            profile_from_hourly(plant_stage.hourly_energy(scenario.plant, year, scenario.site), scenario.tariff)
            for year in years  # physics once per weather year
        ]
        energy = monthly_energy_kwh(np.stack([p.energy_kwh for p in profiles]), months)
        time_of_use = any(p.priced_energy_kwh is not p.energy_kwh for p in profiles)
        priced = monthly_energy_kwh(np.stack([p.priced_energy_kwh for p in profiles]), months) if time_of_use else energy
        steps = plant_stage.loss_breakdown(scenario.plant, years[0], scenario.site)
        # a dark year (accepted by the user) has no light to soil: no loss rather than 0/0
        lit = steps["after_row_sky_blocking"]
        soiling_loss = 1 - steps["after_soiling"] / lit if lit > 0 else 0.0
        _WEATHER_TABLES.clear()  # keep one scenario's physics: enough for goal seeks and repeats
        _WEATHER_TABLES[key] = (energy, priced, float(soiling_loss))
        if scenario.weather is None:
            _keep_tables_on_disk(key, _WEATHER_TABLES[key])
    return _WEATHER_TABLES[key]


CACHE_DIRECTORY_VARIABLE = "SOLARCOOP_CACHE_DIR"
"""The environment variable naming the folder where the embedded weather years' energy
tables are kept between processes (default: ``solarcoop`` in ``XDG_CACHE_HOME`` or
``~/.cache``); set it to an empty string to keep nothing on disk."""


def _cache_directory():
    """The folder of the tables kept on disk, or None when keeping is switched off."""
    from pathlib import Path

    named = os.environ.get(CACHE_DIRECTORY_VARIABLE)
    if named is not None:
        return Path(named) if named else None
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "solarcoop"
    except RuntimeError:  # no home folder: nothing is kept
        return None


def _code_fingerprint() -> str:
    """A hash of every source file of the library and of the versions of what the physics
    runs on: a table kept on disk is used only by the code that made it."""
    import hashlib
    from importlib.metadata import version
    from pathlib import Path

    digest = hashlib.sha256(f"{np.__version__} {pd.__version__} {version('pvlib')}".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _tables_file(key):
    """Where the tables of ``key`` are kept on disk, or None (no folder, or a key that
    cannot be written out exactly)."""
    import hashlib
    import pickle

    directory = _cache_directory()
    if directory is None:
        return None
    try:
        key_bytes = pickle.dumps(key, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    name = hashlib.sha256(key_bytes + _code_fingerprint().encode()).hexdigest()[:32]
    return directory / f"weather-tables-{name}.npz"


def _tables_on_disk(key):
    """The tables kept on disk for ``key`` by this code, or None."""
    path = _tables_file(key)
    if path is None or not path.exists():
        return None
    try:
        with np.load(path) as kept:
            energy, priced, soiling = kept["energy_kwh"], kept["priced_energy_kwh"], kept["soiling_loss"]
    except (OSError, ValueError, KeyError):
        return None  # unreadable (cut short, or another format): made again
    same = priced.size == 0
    return energy, energy if same else priced, float(soiling)


def _keep_tables_on_disk(key, tables) -> None:
    """Write the tables for ``key`` (written whole, then moved into place, so that another
    process never reads half a file); a folder that cannot be written keeps nothing."""
    energy, priced, soiling = tables
    try:
        path = _tables_file(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        with open(partial, "wb") as file:
            np.savez(file, energy_kwh=energy, priced_energy_kwh=np.empty(0) if priced is energy else priced,
                     soiling_loss=np.float64(soiling))  # fmt: skip
        os.replace(partial, path)
    except OSError:
        return


def _beta(rng, mean: float, std: float, size, name: str) -> np.ndarray:
    """Beta draws (always within 0 and 1) with the given mean and standard deviation."""
    if std == 0 or mean in (0.0, 1.0):
        return np.full(size, mean)
    common = mean * (1 - mean) / std**2 - 1
    if common <= 0:
        raise InputError(
            f"uncertainty.{name} gives a spread of {std:g} around a mean loss of {mean:g}: too wide "
            f"for a loss between 0 and 1 (the spread must stay below {np.sqrt(mean * (1 - mean)):g})"
        )
    return rng.beta(mean * common, (1 - mean) * common, size)


def _gamma(rng, mean: float, std: float, size) -> np.ndarray:
    """Gamma draws (never negative) with the given mean and standard deviation."""
    if std == 0 or mean == 0:
        return np.full(size, mean)
    return rng.gamma((mean / std) ** 2, std**2 / mean, size)


def _log_rates(base: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """Yearly rates whose log(1 + rate) moves by ``shocks / (1 + base)``: for small spreads
    the rate moves by ``shocks``, and no rate can fall to -100 %."""
    return (1 + base) * np.exp(shocks / (1 + base)) - 1


def _euro_change_base(scenario: Scenario, inflation: np.ndarray, drift_ratio: np.ndarray) -> np.ndarray:
    """Each path's euro change before its own shocks [fraction/year], (paths, years): the
    path's inflation times the real drift (so the euro follows the drawn inflation), or
    the scenario's nominal rate when ``economy.fx_change_per_year`` is given. ``drift_ratio`` (paths, 1) moves the
    drift to the path's reading of it (1 for the central)."""
    economy = scenario.economy
    n_years = scenario.lifetime_years
    if economy.fx_change_per_year is not None:
        base = (1 + economy_stage.rates_for_years(economy.fx_change_per_year, n_years))[None, :]
    else:
        drift = economy_stage.rates_for_years(economy.fx_real_drift_per_year, n_years)[None, :]
        base = (1 + inflation) * (1 + drift)
    return base * drift_ratio - 1


def draw_block(scenario: Scenario, tables, seed_sequence: np.random.SeedSequence, n_paths: int) -> dict:
    """One block's random inputs, shaped (paths, years) or (paths,): small arrays.

    Every block of :data:`SEED_BLOCK_PATHS` paths draws from its own child seed, so the
    numbers do not depend on how blocks are grouped into chunks, threads or workers.
    Each disputed fact of ``uncertainty.readings`` is drawn as the index of one of its
    alternatives (:mod:`solarcoop.disputed`), ``reading_<name>``, shape (paths,). Public so
    that an independent recomputation of the Monte Carlo (the numpy floor in
    ``benchmarks/``) draws exactly the library's random inputs.

    Parameters
    ----------
    scenario : Scenario
    tables : tuple
        The weather years' energy tables (:func:`energy_tables`).
    seed_sequence : numpy.random.SeedSequence
        The block's child seed.
    n_paths : int
        Paths in the block [-].

    Returns
    -------
    dict of numpy.ndarray
        The draws by name.
    """
    rng = np.random.default_rng(seed_sequence)
    uncertainty = scenario.uncertainty
    energy_table, _, soiling_loss = tables
    n_years = scenario.lifetime_years
    losses = scenario.plant.losses
    availability_loss = 0.0 if scenario.plant.system_losses is not None else losses.availability
    unavailable = _beta(rng, availability_loss, uncertainty.availability_std, (n_paths, n_years), "availability_std")
    soiling = _beta(
        rng, soiling_loss, uncertainty.soiling_relative_std * soiling_loss, (n_paths, n_years), "soiling_relative_std"
    )
    degradation = _gamma(rng, scenario.plant.degradation_per_year, uncertainty.degradation_std_per_year, (n_paths, 1))
    yearly_factor = (
        (1 - unavailable) / (1 - availability_loss) * (1 - soiling) / (1 - soiling_loss)
        * plant_stage.degradation_factor(degradation, np.arange(1, n_years + 1)[None, :])
    )  # fmt: skip
    inflation_base = economy_stage.rates_for_years(scenario.economy.inflation_per_year, n_years)[None, :]
    inflation = _log_rates(
        inflation_base,
        uncertainty.inflation_path_std_per_year * rng.standard_normal((n_paths, 1))
        + uncertainty.inflation_std_per_year * rng.standard_normal((n_paths, n_years)),
    )
    fx_shocks = uncertainty.fx_change_std_per_year * rng.standard_normal((n_paths, n_years))
    draws = {
        "weather_index": rng.integers(0, energy_table.shape[0], size=(n_paths, n_years)),
        "yearly_factor": yearly_factor,
        "inflation": inflation,
        "extra_delay": rng.choice(
            np.array(uncertainty.extra_delay_months), n_paths, p=uncertainty.extra_delay_probabilities
        ),
    }
    for name in disputed_stage.READING_NAMES:  # a fixed order, whichever are drawn
        if name in uncertainty.readings:
            chances = disputed_stage.probabilities(name, uncertainty)
            draws[f"reading_{name}"] = rng.choice(len(chances), n_paths, p=chances)
    drift_ratio = np.ones((n_paths, 1))
    if "reading_euro_drift" in draws:
        alternatives = disputed_stage.reading("euro_drift").alternatives
        ratios = np.array([disputed_stage.drift_ratio(a.name) for a in alternatives])
        drift_ratio = ratios[draws["reading_euro_drift"]][:, None]
    draws["fx_change"] = _log_rates(_euro_change_base(scenario, inflation, drift_ratio), fx_shocks)
    return draws


def _unique_rows(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``numpy.unique(codes, axis=0, return_inverse=True)`` for small non-negative integer
    codes (paths, k), through one integer per row (the same rows in the same order)."""
    codes = np.asarray(codes, dtype=np.int64)
    low = codes.min(axis=0) if len(codes) else np.zeros(codes.shape[1], np.int64)
    span = (codes.max(axis=0) - low + 1) if len(codes) else np.ones(codes.shape[1], np.int64)
    if np.prod(span.astype(float)) >= 2**62:  # too many combinations for one integer
        unique, inverse = np.unique(codes, axis=0, return_inverse=True)
        return unique, inverse.reshape(-1)
    weights = np.cumprod(np.r_[span[1:], 1][::-1])[::-1]  # row-major: the first column leads
    _, first, inverse = np.unique((codes - low) @ weights, return_index=True, return_inverse=True)
    return codes[first], inverse.reshape(-1)


def _groups(codes: np.ndarray):
    """Rows of an integer code matrix (paths, k), grouped: yields (code row, member mask)."""
    if codes.shape[1] == 0:
        yield codes[:0].reshape(-1), np.ones(codes.shape[0], bool)
        return
    unique, inverse = _unique_rows(codes)
    for i, row in enumerate(unique):
        yield row, inverse == i


_VARIANTS: dict = {}
"""Scenarios under drawn alternatives, kept while their scenario is in use: every chunk
of a Monte Carlo asks for the same few dozen."""


def _variant(scenario: Scenario, names, row) -> Scenario:
    """The scenario under the drawn alternatives ``row`` of the readings ``names``."""
    key = (id(scenario), tuple(names), tuple(int(index) for index in row))
    cached = _VARIANTS.get(key)
    if cached is not None and cached[0] is scenario:  # the same object, not a reused id
        return cached[1]
    if len(_VARIANTS) > 512:
        _VARIANTS.clear()
    variant = _applied(scenario, names, row)
    _VARIANTS[key] = (scenario, variant)
    return variant


def _applied(scenario: Scenario, names, row) -> Scenario:
    for name, index in zip(names, row, strict=True):
        item = disputed_stage.reading(name)
        scenario = disputed_stage.apply(scenario, name, item.alternatives[int(index)].name)
    return scenario


def _drawn(draws: dict, scenario: Scenario, stage: str) -> list[str]:
    return [
        name
        for name in disputed_stage.READING_NAMES
        if f"reading_{name}" in draws and disputed_stage.reading(name).stage == stage
    ]


def _pays_at_payment_month(tariff) -> bool:
    if isinstance(tariff, tariff_stage.SwitchingTariff):
        return _pays_at_payment_month(tariff.first) or _pays_at_payment_month(tariff.then)
    return getattr(tariff, "euro_window_end", None) == "payment_month"


def _codes(draws: dict, names: list[str]) -> np.ndarray:
    n_paths = len(draws["extra_delay"])
    return np.array([draws[f"reading_{name}"] for name in names], dtype=int).T.reshape(n_paths, len(names))


def _energy_and_indices(months: pd.DataFrame, tables, draws: dict, economy) -> dict[str, np.ndarray]:
    """Each drawn path's energy (its weather years, availability, soiling and degradation,
    year by year), priced energy, CPI and euro indices, shape (paths, months): what the
    draws and the weather years' physics make before anything is priced; ``economy``'s
    published history (a plant started in the past) is the same on every path."""
    energy_table, priced_table, _ = tables
    year_of_month = months["operating_year"].to_numpy() - 1
    energy = energy_by_weather_year(energy_table, draws["weather_index"], draws["yearly_factor"], year_of_month)
    if priced_table is energy_table:  # no time of use: priced energy is the energy
        priced = energy
    else:
        priced = energy_by_weather_year(priced_table, draws["weather_index"], draws["yearly_factor"], year_of_month)
    # a plant started in the past: its published months fixed on every path, the future drawn from there
    cpi = economy_stage.join_history(economy_stage.index_from_yearly_rates(draws["inflation"], months), economy.history_cpi)
    fx = economy_stage.join_history(
        economy_stage.index_from_yearly_rates(draws["fx_change"], months), economy.history_euro_rate_rial_per_eur
    )
    return {"energy_kwh": energy, "priced_energy_kwh": priced, "cpi_index": cpi, "fx_index": fx}


def _revenue_paths(
    scenario: Scenario, months: pd.DataFrame, tables, draws: dict, made: dict | None = None
) -> dict[str, np.ndarray]:
    """What the ledger takes in on every drawn path, shape (paths, months): the stages
    of :mod:`solarcoop.engine` (energy, price, bills, collected) under each path's draws.

    Paths are priced and collected in groups that share their drawn readings of that
    stage (a few dozen groups at most), each group under the scenario changed by
    :func:`solarcoop.disputed.apply`. ``made`` may hold the paths' energy and indices
    already made from the same draws (:func:`_energy_and_indices`). Returns the
    :data:`solarcoop.lines.REVENUE_LINES` and ``revenue_owed_at_end_rial`` (shape (paths,)).
    """
    made = _energy_and_indices(months, tables, draws, scenario.economy) if made is None else made
    energy, priced, cpi, fx = (made[name] for name in ("energy_kwh", "priced_energy_kwh", "cpi_index", "fx_index"))
    delay = np.maximum(scenario.payment.delay_months + draws["extra_delay"], 0)

    # price: by the drawn readings of the tariff (and the delay, if the euro window ends at payment)
    history = economy_stage.fx_index_before_operation(scenario.economy)  # the same past on every path
    names = _drawn(draws, scenario, "price")
    price = _price_by_path(scenario, months, names, _codes(draws, names), delay, cpi, fx, history)
    if price is None:
        price = _price_in_groups(scenario, months, names, draws, delay, cpi, fx, history)
    billed = bill_paths(priced, price)

    # collection: by the drawn payment reading and delay
    names = _drawn(draws, scenario, "payment")
    groups = (
        (dataclasses.replace(_variant(scenario, names, row[:-1]).payment, delay_months=int(row[-1])), members)
        for row, members in _groups(np.column_stack([_codes(draws, names), delay]))
    )
    collection = collect_paths(billed, scenario.payment, groups)
    return {
        "energy_kwh": energy,
        "priced_energy_kwh": priced,
        "price_rial_per_kwh": price,
        "cpi_index": cpi,
        "revenue_billed_rial": billed,
        **collection,
    }


def _price_by_path(scenario, months, names, codes, delay, cpi, fx, history) -> np.ndarray | None:
    """Every path priced at once under its drawn contract (:func:`solarcoop.tariff.guaranteed_price_by_path`),
    or None when the drawn tariffs are not guaranteed purchases of one term."""
    if codes.shape[1]:
        unique, which = _unique_rows(codes)
    else:
        unique, which = codes[:1], np.zeros(len(codes), dtype=int)
    contracts = [_variant(scenario, names, row).tariff for row in unique]
    if not tariff_stage.contracts_priced_by_path(contracts):
        return None
    lag = None
    if any(_pays_at_payment_month(contract) for contract in contracts):
        delays, delay_index = np.unique(delay, return_inverse=True)
        lag = np.stack(
            [
                payment_stage.months_to_payment(dataclasses.replace(scenario.payment, delay_months=int(d)), len(months))
                for d in delays
            ]
        )[delay_index.reshape(-1)]
    return tariff_stage.guaranteed_price_by_path(contracts, which, months, cpi, fx, history, lag)


def _price_in_groups(scenario, months, names, draws, delay, cpi, fx, history) -> np.ndarray:
    """Every path priced in groups that share their drawn tariff (and delay, when the
    euro window ends at the payment month): any tariff."""
    price = np.empty(cpi.shape)
    for row, members in _groups(_codes(draws, names)):
        tariff = _variant(scenario, names, row).tariff
        by_delay = _groups(delay[members][:, None]) if _pays_at_payment_month(tariff) else [((None,), None)]
        for (path_delay,), within in by_delay:
            chosen = members if within is None else np.flatnonzero(members)[within]
            terms = scenario.payment if path_delay is None else dataclasses.replace(scenario.payment, delay_months=int(path_delay))
            price[chosen] = price_paths(tariff, months, cpi[chosen], fx[chosen], history, terms)
    return price


_TAX_FIELDS = ("income_tax_rate", "tax_discount", "tax_exempt_years")


def _tax_terms_by_path(scenario: Scenario, draws: dict) -> dict[str, np.ndarray] | None:
    """Each path's tax terms under its drawn readings of the books (the tax reading):
    ``tax_rate_by_path`` (after the cooperative discount) and ``tax_exempt_years_by_path``,
    shape (paths,); None when those readings change more than the tax terms."""
    names = _drawn(draws, scenario, "books")
    n_paths = len(draws["extra_delay"])
    rate, exempt = np.empty(n_paths), np.empty(n_paths, dtype=int)
    for row, members in _groups(_codes(draws, names)):
        variant = _variant(scenario, names, row)
        cooperative = variant.cooperative
        base_terms = {name: getattr(scenario.cooperative, name) for name in _TAX_FIELDS}
        if dataclasses.replace(cooperative, **base_terms) != scenario.cooperative:
            return None
        if any(getattr(variant, part) != getattr(scenario, part) for part in ("funding", "costs", "debt", "loan", "member_classes")):
            return None
        rate[members] = cooperative.tax_rate_after_discount
        exempt[members] = cooperative.tax_exempt_years
    return {"tax_rate_by_path": rate, "tax_exempt_years_by_path": exempt}


def _book_groups(scenario: Scenario, draws: dict):
    """The paths booked together: yields (scenario, member mask, per-path tax terms).
    All at once with each path's own tax terms, or, when the readings of the books
    change more than the tax terms, in groups that share them."""
    tax_terms = _tax_terms_by_path(scenario, draws)
    if tax_terms is not None:
        yield scenario, slice(None), tax_terms
        return
    names = _drawn(draws, scenario, "books")
    for row, members in _groups(_codes(draws, names)):
        yield _variant(scenario, names, row), members, {}


def _book_chunk(
    scenario: Scenario,
    months: pd.DataFrame,
    tables: tuple[np.ndarray, np.ndarray, float],
    blocks: list[tuple[np.random.SeedSequence, int]],
    kept: tuple[str, ...],
    out: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Draw the paths of some seed blocks and book them; returns the kept columns,
    shape (paths, months). ``out`` may hold views to write the columns into.

    Revenue comes from :func:`_revenue_paths`; the books of all paths are kept at once,
    each path with its drawn tax terms (:func:`_book_groups`), computing only the kept lines.
    """
    draws = _draw_chunk(scenario, tables, blocks)
    revenue = _revenue_paths(scenario, months, tables, draws)
    return _book_drawn(scenario, months, draws, revenue, kept, out)


def _draw_chunk(scenario: Scenario, tables, blocks: list[tuple[np.random.SeedSequence, int]]) -> dict:
    """The draws of some seed blocks, one after the other (:func:`draw_block`)."""
    parts = [draw_block(scenario, tables, seed, size) for seed, size in blocks]
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _book_drawn(
    scenario: Scenario, months: pd.DataFrame, draws: dict, revenue: dict, kept: tuple[str, ...], out=None
) -> dict[str, np.ndarray]:
    """Book drawn paths' revenue (:func:`_revenue_paths`) under their drawn readings of the
    books; the kept columns, shape (paths, months), written into ``out`` when given.

    The groups of :func:`_book_groups` are booked in one pass of the month loop
    (:func:`_book_in_one_pass`) when they differ only by per-path inputs of the books
    (the plant's funding, the loans' grace, the tax terms), else group by group.
    """
    n_paths, n_months = revenue["energy_kwh"].shape
    result = out if out is not None else {column: np.empty((n_paths, n_months)) for column in kept}
    groups = list(_book_groups(scenario, draws))
    if len(groups) > 1 and _book_in_one_pass(scenario, months, groups, revenue, kept, result):
        return result
    for variant, members, tax_terms in groups:
        lines = book_revenue(
            variant, months, {name: values[members] for name, values in revenue.items()},
            billing_months=scenario.payment.billing_months, lines=kept, **tax_terms,
        )  # fmt: skip
        for column in kept:
            result[column][members] = lines[column]
    return result


def _book_in_one_pass(scenario, months, groups, revenue, kept, result) -> bool:
    """Book the groups' paths (``(variant, members, tax terms)``) in one pass, each path
    under its group's parts of the ledger (:func:`solarcoop.engine.path_parts`: each
    group's numbers and lines worked out once and spread to its paths with one index),
    writing the kept columns into ``result``; ``False`` (nothing written) when the groups
    differ by more than that. Every number equals the group-by-group books': a path's
    books do not depend on the paths booked with it."""
    n_paths = len(revenue["energy_kwh"])
    group_of_path = np.empty(n_paths, dtype=np.intp)
    for number, (_, members, _) in enumerate(groups):
        group_of_path[members] = number
    variants = [variant for variant, _, _ in groups]
    parts = None if any(tax_terms for _, _, tax_terms in groups) else path_parts(variants, group_of_path, months)
    if parts is None:  # the tax terms given path by path are each group's own: booked group by group
        return False
    ledger = ledger_inputs(
        variants[0], months, energy_kwh=revenue["energy_kwh"], cpi_index=revenue["cpi_index"],
        billed_rial=revenue["revenue_billed_rial"], collected_rial=revenue["revenue_collected_rial"],
        owed_at_end_rial=revenue["revenue_owed_at_end_rial"], billing_months=scenario.payment.billing_months,
        lines=kept, late_penalty_rial=revenue.get("revenue_late_penalty_rial", 0.0),
        bond_discount_rial=revenue.get("revenue_bond_discount_rial", 0.0), parts=parts,
    )  # fmt: skip
    books = book_months(**ledger.arguments)
    lines = ledger_lines(
        ledger, books, priced_energy_kwh=revenue["priced_energy_kwh"], price_rial_per_kwh=revenue["price_rial_per_kwh"],
        lines=kept,
    )  # fmt: skip
    for column in kept:
        result[column][...] = lines[column]
    return True


def _available_memory_bytes() -> int | None:
    """Memory the system can still give [bytes] (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _keeps_paths(keep_paths, n_paths: int, n_months: int, kept: tuple[str, ...]) -> bool:
    """Whether a run keeps its paths; refuses ``keep_paths=True`` when they would not fit."""
    needed = n_paths * n_months * 8 * len(kept)
    if keep_paths is None:
        return needed <= KEEP_PATHS_AUTO_BYTES
    if not isinstance(keep_paths, bool):
        raise InputError(f"keep_paths = {keep_paths!r} must be True, False or None (keep when small)")
    if keep_paths:
        available = _available_memory_bytes()
        if available is not None and needed > 0.8 * available:
            raise InputError(
                f"keep_paths=True: keeping {n_paths:,} paths of {len(kept)} column(s) x {n_months} months "
                f"needs {needed / 2**30:,.1f} GiB, more than the {0.8 * available / 2**30:,.1f} GiB this machine "
                "can spare (80 % of what is free): use keep_paths=False (quantiles and chances "
                "are streamed in bounded memory), fewer paths or fewer kept columns"
            )
    return keep_paths


class _Streams:
    """The streamed distributions of the kept columns, monthly and by year, laid out
    from a pilot chunk (counts add exactly, in any order)."""

    def __init__(self, pilot: dict, kept: tuple[str, ...]):
        self.kept = kept
        self.columns = {
            column: {
                "monthly": StreamedColumns(pilot[column]),
                "yearly": StreamedColumns(_yearly_statistics(pilot[column])),
            }
            for column in kept
        }

    def add(self, lines: dict) -> None:
        for column in self.kept:
            self.columns[column]["monthly"].add(lines[column])
            self.columns[column]["yearly"].add(_yearly_statistics(lines[column]))

    def merge(self, other: _Streams) -> None:
        for column in self.kept:
            for kind in ("monthly", "yearly"):
                self.columns[column][kind].merge(other.columns[column][kind])


def _progress(total: int, progress: bool):
    """A progress bar over ``total`` chunks (tqdm), or None."""
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="Monte Carlo", unit="chunk")


def _shares(blocks: list, n_shares: int, chunk_paths: int) -> list[list[list]]:
    """The seed blocks split into ``n_shares`` runs of consecutive blocks of nearly equal
    paths (one per process), each cut into the fewest chunks of at most ``chunk_paths``
    paths, of nearly equal size (no short last chunk costing a whole chunk's loop)."""
    per_chunk = chunk_paths // SEED_BLOCK_PATHS
    bounds = np.linspace(0, len(blocks), min(n_shares, len(blocks)) + 1).round().astype(int)
    shares = []
    for a, b in itertools.pairwise(bounds):
        n_chunks = -(-(b - a) // per_chunk)
        cuts = np.linspace(a, b, n_chunks + 1).round().astype(int)
        shares.append([blocks[i:j] for i, j in itertools.pairwise(cuts)])
    return shares


PROCESS_MIN_PATHS = 2_000
"""Runs of at least this many paths are booked in worker processes where the system forks
(:mod:`solarcoop.studies.workers`); smaller ones, which take a few hundredths of a second, here."""


def check_client(client) -> None:
    """A Dask client (anything with ``map`` and ``gather``), or None; else an ``InputError``
    that names what was given.

    >>> check_client("localhost:8786")
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: client = 'localhost:8786' is not a Dask client: give dask.distributed.Client(...) or None
    """
    if client is not None and not (callable(getattr(client, "map", None)) and callable(getattr(client, "gather", None))):
        raise InputError(
            f"client = {str(client)[:60]!r} is not a Dask client: give dask.distributed.Client(...) or None"
        )


def _in_processes(n_paths: int, client) -> bool:
    return client is None and worker_processes.CAN_FORK and n_paths >= PROCESS_MIN_PATHS


def _run_local(scenario, months, tables, shares, kept, paths, streams, bar, processes) -> None:
    """Book the shares at once on this machine (:func:`solarcoop.studies.workers.run_shares`),
    each in a worker process when ``processes``: into ``paths`` (arrays written in place,
    in memory shared with the workers), or counted into ``streams``."""
    share_starts = np.cumsum(
        [0] + [sum(size for chunk in share for _, size in chunk) for share in shares]
    )
    done = worker_processes.output_array((len(shares),), processes)  # chunks booked, by share
    done[:] = 0.0

    def work(job):
        index, share, start = job
        mine = None if streams is None else copy.deepcopy(streams)  # empty counts, same bins
        for chunk in share:
            stop = start + sum(size for _, size in chunk)
            if mine is None:
                _book_chunk(
                    scenario, months, tables, chunk, kept, {c: paths[c][start:stop] for c in kept}
                )
            else:
                mine.add(_book_chunk(scenario, months, tables, chunk, kept))
            start = stop
            done[index] += 1
            if bar is not None and not processes:
                bar.update(1)
        return mine

    def show_progress():
        bar.n = int(done.sum())
        bar.refresh()

    jobs = list(zip(range(len(shares)), shares, share_starts[:-1], strict=True))
    waiting = show_progress if bar is not None else None
    results = worker_processes.run_shares(work, jobs, processes=processes, waiting=waiting)
    if bar is not None:
        bar.n = sum(len(share) for share in shares)
        bar.refresh()
        bar.close()
    if streams is not None:
        for counted in results:
            streams.merge(counted)


def _run_on_client(scenario, months, tables, chunks, kept, client, paths, streams, bar) -> None:
    """Book the chunks on a Dask cluster, into ``paths`` or counted into ``streams``."""
    from distributed import as_completed

    starts = np.cumsum([0] + [sum(size for _, size in chunk) for chunk in chunks])
    futures = client.map(
        _book_chunk, [scenario] * len(chunks), [months] * len(chunks), [tables] * len(chunks),
        chunks, [kept] * len(chunks), pure=False,
    )  # fmt: skip
    where = {future.key: i for i, future in enumerate(futures)}
    for future in as_completed(futures):
        lines = future.result()
        if streams is None:
            a, b = starts[where[future.key]], starts[where[future.key] + 1]
            for column in kept:
                paths[column][a:b] = lines[column]
        else:
            streams.add(lines)  # one chunk at a time: memory stays bounded
        future.release()
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()


def _checked_workers(workers: int | None) -> int:
    """The workers a run books its shares on (default: the cores, at most 4)."""
    if workers is None:
        return min(worker_processes.available_cores(), 4)
    workers = check_number("workers", workers, minimum=1, integer=True)
    if workers > worker_processes.max_workers():
        raise InputError(
            f"workers = {workers:,} is more than this machine can use: allowed 1 to "
            f"{worker_processes.max_workers()} (twice the {worker_processes.available_cores()} "
            "cores this process may use, at least 4); more workers only take turns on the same "
            "cores and make the run slower"
        )
    return workers


def _check_drawable(scenario: Scenario) -> None:
    if (
        scenario.economy.cpi_monthly is not None
        or scenario.economy.euro_rate_monthly_rial_per_eur is not None
    ):
        raise InputError(
            "economy.cpi_monthly / economy.euro_rate_monthly_rial_per_eur: a Monte Carlo draws "
            "around yearly rates; set the monthly series to None to run one"
        )


def _checked_kept(kept: Sequence[str]) -> tuple[str, ...]:
    kept = tuple(kept)
    if not kept:
        raise InputError(
            "kept = () names no column: keep at least one monthly line, e.g. 'family_cash_flow_rial'"
        )
    return kept


def _seed_blocks(n_paths: int, seed: int) -> list[tuple[np.random.SeedSequence, int]]:
    """Each block of paths with its own child of the seed."""
    block_sizes = [
        min(SEED_BLOCK_PATHS, n_paths - start) for start in range(0, n_paths, SEED_BLOCK_PATHS)
    ]
    return list(
        zip(np.random.SeedSequence(seed).spawn(len(block_sizes)), block_sizes, strict=True)
    )


def monte_carlo(
    scenario: Scenario,
    n_paths: int = 10_000,
    seed: int = 0,
    client=None,
    chunk_paths: int = CHUNK_PATHS,
    kept: Sequence[str] = KEPT_COLUMNS,
    progress: bool = False,
    workers: int | None = None,
    energy=None,
    keep_paths: bool | None = None,
) -> MonteCarloResult:
    """Run ``n_paths`` futures of a scenario, drawing what ``scenario.uncertainty`` says.

    Parameters
    ----------
    scenario : Scenario
    n_paths : int
        Number of paths [-].
    seed : int
        Seed of the draws; the same seed gives the same paths, whatever the chunk size,
        the threads or the cluster.
    client : dask.distributed.Client, optional
        Spread the chunks over a Dask cluster; the result equals the local one.
    chunk_paths : int
        Paths booked at once (bounds memory), a multiple of :data:`SEED_BLOCK_PATHS` [-].
    kept : sequence of str
        Monthly columns kept for every path.
    progress : bool
        Show a progress bar.
    workers : int, optional
        Processes booking shares of the paths at once without a client (default: the
        cores this process may use, at most 4): forked children on Linux, writing their
        paths into memory shared with this process; threads elsewhere
        (:mod:`solarcoop.studies.workers`). The numbers do not depend on it. At most
        :func:`solarcoop.studies.workers.max_workers` (else :class:`InputError`).
    energy : array_like, optional
        Year-one energy at the meter [kWh], 12 monthly or 8,760 hourly values (as for
        :func:`solarcoop.simulate`), used on every path in place of the physics; the
        weather and soiling draws are then left out (availability and degradation are
        still drawn).
    keep_paths : bool or None
        Keep every path of the kept columns (``True``: refused with an ``InputError``
        when they would not fit in memory, which is checked before any computing), or
        stream them (``False``): quantiles, probabilities and chances are then counted
        chunk by chunk in bins (:mod:`solarcoop.studies.streamed`), within a stated bound of the
        exact values, in memory that does not grow with ``n_paths`` (a 1,000,000-path
        run of the Qom baseline stays under 2 GB: ``benchmarks/memory.py``). ``None``
        (default) keeps them when they take at most :data:`KEEP_PATHS_AUTO_BYTES`.

    Returns
    -------
    MonteCarloResult
    """
    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario = {scenario!r} must be a Scenario")
    n_paths = check_number("n_paths", n_paths, minimum=1, maximum=10_000_000, integer=True)
    seed = check_number("seed", seed, minimum=0, integer=True)
    chunk_paths = check_number("chunk_paths", chunk_paths, minimum=SEED_BLOCK_PATHS, integer=True)
    if chunk_paths % SEED_BLOCK_PATHS:
        raise InputError(
            f"chunk_paths = {chunk_paths} must be a multiple of {SEED_BLOCK_PATHS} (the paths "
            "that share one child seed), so that the numbers do not depend on it"
        )
    workers = _checked_workers(workers)
    check_client(client)
    _check_drawable(scenario)
    kept = _checked_kept(kept)
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    keep = _keeps_paths(keep_paths, n_paths, len(months), kept)  # before any computing
    tables = energy_tables(scenario, months, energy)
    blocks = _seed_blocks(n_paths, seed)
    # one share of consecutive blocks per worker; on a cluster, every chunk is a task
    shares = _shares(blocks, 1 if client is not None else workers, chunk_paths)
    chunks = [chunk for share in shares for chunk in share]
    paths = streams = None
    processes = _in_processes(n_paths, client)
    if keep:
        paths = {
            column: worker_processes.output_array((n_paths, len(months)), shared=processes)
            for column in kept
        }
    else:  # the first seed block, booked once more beforehand, lays out the bins
        streams = _Streams(_book_chunk(scenario, months, tables, blocks[:1], kept), kept)
    bar = _progress(len(chunks), progress)
    if client is None:
        _run_local(scenario, months, tables, shares, kept, paths, streams, bar, processes)
    else:
        _run_on_client(scenario, months, tables, chunks, kept, client, paths, streams, bar)
    streamed = None if streams is None else streams.columns
    return MonteCarloResult(
        scenario=scenario, months=months, paths=paths, seed=seed, streamed=streamed
    )


DRAWS_KEPT_UNDER = ("tariff", "payment", "costs", "cooperative", "loan", "member_classes", "debt", "funding", "promise", "name")
"""Scenario fields (the first part of a dotted path) the draws do not read: a change of one
keeps every path's draws (:func:`draw_block` reads the uncertainty, the plant, the
economy, the lifetime and, through the weather tables, the site and the weather)."""

REVENUE_KEPT_UNDER = ("costs", "cooperative", "loan", "member_classes", "debt", "funding", "promise", "name")
"""Scenario fields that neither the draws nor the revenue (energy, price, bills,
collection: :func:`_revenue_paths`) read: a change of one is booked again, nothing else."""

REUSED_REVENUE_BYTES = 256 * 2**20
"""Revenue lines kept between the runs of :class:`SamePaths` when they take at most this
much memory (2,000 paths of 300 months take a few tens of MB); beyond, they are computed
again at every run."""


class SamePaths:
    """Monte Carlos of one scenario with one input changed, on the same paths: what the
    change cannot reach is computed once and reused at every run.

    Every run equals ``monte_carlo(scenario.with_changes({path: value}), n_paths, seed,
    kept=kept)`` to the bit (but see the tariff's base price below): the same seed blocks
    give the same draws (common random numbers), and each path is booked on its own,
    whatever paths it is booked with.

    - an input of the books (:data:`REVENUE_KEPT_UNDER`: loan, costs, cooperative, ...):
      the draws and the revenue are kept; each run books the paths again;
    - the tariff or the payment (:data:`DRAWS_KEPT_UNDER`): the draws, and each path's
      energy and indices (unless the tariff's time of use changes the weather years'
      priced energy), are kept; each run prices, collects and books the paths again;
    - the tariff's base price (:attr:`AFFINE_PATHS`): every path's price, bills and
      collected revenue are affine in it, so the first two runs' revenue is kept, and
      each later run takes its revenue on the straight line through them and only books
      the paths again. Its columns then equal a whole Monte Carlo's within 1e-12 of each
      column's largest value, not to the bit: the order of the operations differs
      (measured: 1e-15 to 1e-14 on the Qom baseline, ``tests/test_same_paths.py``);
    - anything else (the plant, the site, the weather, the economy, the uncertainty): each
      run is a whole :func:`monte_carlo` (the weather years' physics is still reused when
      the change does not reach it, :func:`energy_tables`).

    Runs that would stream their paths (more than :data:`KEEP_PATHS_AUTO_BYTES`) are
    whole runs too, as are runs on a ``client``.

    Parameters
    ----------
    scenario : Scenario
    path : str
        The dotted path the runs change, e.g. ``"tariff.base_price_rial_per_kwh"``.
    n_paths, seed, chunk_paths, kept, client
        As for :func:`monte_carlo`.
    changes : callable, optional
        ``changes(value)`` gives the dotted paths a run sets (default ``{path: value}``);
        a study that keeps the scenario consistent (the shares following the families)
        sets more than ``path``, all of them inputs of the books.
    workers : int
        With more than one, a kept run of :data:`PROCESS_MIN_PATHS` paths or more is
        booked in shares in forked worker processes (which start with the kept draws and
        revenue in their memory), as :func:`monte_carlo` books them. Default 1: booked
        here, since a run of a few thousand paths takes about a tenth of a second of one
        core, and starting two processes at every run cost more than it saved (measured
        on a busy 2-core machine: ``benchmarks/goal_seek.py``).
    """

    AFFINE_PATHS = ("tariff.base_price_rial_per_kwh",)
    """Inputs that every path's revenue lines are affine in (``a + b * value``), each
    element on its own. The tariff's base price: it multiplies each contract's price
    (base x local content x indexation x escalation x step-down; a flat or market price
    is base x escalation x index); the drawn readings scale it (``tariff_level``) or
    leave it; the price that follows the contract's term and the indices do not read it;
    and bills (energy x price) and their collection (cash shares, delays, deferred
    rests, penalties and bond discounts as fractions of the bills, sums of bills) are
    linear in the price."""

    AFFINE_TARIFFS = (tariff_stage.GuaranteedPurchaseTariff, tariff_stage.FlatTariff, tariff_stage.MarketTariff)
    """The tariffs whose ``base_price_rial_per_kwh`` the runs of :attr:`AFFINE_PATHS` take
    on a straight line (a switching tariff names its parts' prices by other paths)."""

    BOOKED_WITHOUT = ("tariff",)
    """Parts of a scenario the books do not read (the tariff reaches them only through the
    revenue): a run that changes only these books its paths under the scenario's own
    drawn readings of the books, built once (:func:`_variant` keeps them), not under the
    changed scenario's, built again at every run. The numbers are the same to the bit."""

    def __init__(
        self,
        scenario: Scenario,
        path: str,
        n_paths: int = 10_000,
        seed: int = 0,
        kept: Sequence[str] = KEPT_COLUMNS,
        chunk_paths: int = CHUNK_PATHS,
        workers: int = 1,
        client=None,
        changes=None,
    ):
        if not isinstance(scenario, Scenario):
            raise InputError(f"scenario = {scenario!r} must be a Scenario")
        self.scenario, self.path, self.client = scenario, str(path), client
        self.changes = (lambda value: {self.path: value}) if changes is None else changes
        self.n_paths = check_number("n_paths", n_paths, minimum=1, maximum=10_000_000, integer=True)
        self.seed = check_number("seed", seed, minimum=0, integer=True)
        self.chunk_paths, self.workers = chunk_paths, workers
        self.kept = _checked_kept(kept)
        root = self.path.split(".")[0]
        self.months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
        self.draws = self.revenue = None
        reusable = root in DRAWS_KEPT_UNDER and client is None
        if not (reusable and _keeps_paths(None, self.n_paths, len(self.months), self.kept)):
            return  # every run is a whole Monte Carlo
        _check_drawable(scenario)
        chunk_paths = check_number("chunk_paths", chunk_paths, minimum=SEED_BLOCK_PATHS, integer=True)
        if chunk_paths % SEED_BLOCK_PATHS:
            return  # monte_carlo gives the message
        n_shares = _checked_workers(workers) if _in_processes(self.n_paths, client) else 1
        self.processes = n_shares > 1  # one share is booked here, without starting a process
        tables = energy_tables(scenario, self.months)
        self.shares = _shares(_seed_blocks(self.n_paths, self.seed), n_shares, chunk_paths)
        self.draws = [[_draw_chunk(scenario, tables, chunk) for chunk in share] for share in self.shares]
        self.tables, self.made = tables, None
        if root in REVENUE_KEPT_UNDER:
            first = _revenue_paths(scenario, self.months, tables, self.draws[0][0])
            per_path = sum(np.asarray(line).nbytes for line in first.values()) / len(self.draws[0][0]["extra_delay"])
            if per_path * self.n_paths <= REUSED_REVENUE_BYTES:
                self.revenue = [
                    [_revenue_paths(scenario, self.months, tables, draws) for draws in share]
                    for share in self.draws
                ]
        if self.revenue is None and 4 * 8 * self.n_paths * len(self.months) <= REUSED_REVENUE_BYTES:
            # each path's energy, priced energy, CPI and euro index (four arrays) are kept
            self.made = [
                [_energy_and_indices(self.months, tables, draws, scenario.economy) for draws in share] for share in self.draws
            ]
        # two runs' revenue (each path's price, bills and collection, about 6 arrays) and their difference
        self.references, self.line = None, None
        affine = self.path in self.AFFINE_PATHS and isinstance(scenario.tariff, self.AFFINE_TARIFFS)
        if affine and self.made is not None and not self.processes and 16 * 8 * self.n_paths * len(self.months) <= REUSED_REVENUE_BYTES:
            self.references = {}

    def run(self, value) -> MonteCarloResult:
        """The Monte Carlo with the path set to ``value``."""
        changes = self.changes(value)
        trial = self.scenario.with_changes(changes)
        same_books = all(str(changed).split(".")[0] in self.BOOKED_WITHOUT for changed in changes)
        booked = self.scenario if same_books else trial
        if self.draws is None:
            return monte_carlo(
                trial, n_paths=self.n_paths, seed=self.seed, client=self.client,
                chunk_paths=self.chunk_paths, kept=self.kept, workers=self.workers,
            )  # fmt: skip
        tables = None if self.revenue is not None else energy_tables(trial, self.months)
        shape = (self.n_paths, len(self.months))
        paths = {column: worker_processes.output_array(shape, self.processes) for column in self.kept}
        starts = np.cumsum([0] + [sum(len(draws["extra_delay"]) for draws in share) for share in self.draws])
        affine = self.references is not None and tables is self.tables
        if affine and self.line is None and len(self.references) == 2:  # drawn when first needed
            self.line = self._line_through(self.references)
            self.references = {}  # the line holds what is needed
        made_here = [[None] * len(share) for share in self.draws]  # this run's revenue, while no line is drawn

        def work(index: int) -> None:
            start = starts[index]
            for chunk, draws in enumerate(self.draws[index]):
                stop = start + len(draws["extra_delay"])
                if self.revenue is not None:
                    revenue = self.revenue[index][chunk]
                elif affine and self.line is not None:  # on the straight line through two runs' revenue
                    revenue = self._revenue_on_line(float(value), index, chunk)
                else:  # the kept energy and indices, unless the weather years' tables changed
                    kept = self.made is not None and tables is self.tables
                    made = self.made[index][chunk] if kept else None
                    revenue = _revenue_paths(trial, self.months, tables, draws, made)
                    made_here[index][chunk] = revenue
                _book_drawn(booked, self.months, draws, revenue, self.kept, {c: paths[c][start:stop] for c in self.kept})
                start = stop

        worker_processes.run_shares(work, range(len(self.draws)), processes=self.processes)
        if affine and self.line is None:
            self.references[float(value)] = made_here
        return MonteCarloResult(scenario=trial, months=self.months, paths=paths, seed=self.seed)

    def _line_through(self, references: dict) -> tuple[float, float, list]:
        """The straight line through two runs' revenue, chunk by chunk: the value nearer
        zero and its revenue (exact there), the other value, and each line's change
        between them (None for a line the input does not reach)."""
        (start, at_start), (end, at_end) = sorted(references.items(), key=lambda item: abs(item[0]))
        changes = [
            [
                {
                    name: None if np.array_equal(line, at_end[index][chunk][name]) else at_end[index][chunk][name] - line
                    for name, line in revenue.items()
                }
                for chunk, revenue in enumerate(share)
            ]
            for index, share in enumerate(at_start)
        ]
        return start, end, [list(zip(share, changed, strict=True)) for share, changed in zip(at_start, changes, strict=True)]

    def _revenue_on_line(self, value: float, index: int, chunk: int) -> dict[str, np.ndarray]:
        """The revenue of a chunk at ``value``, on the line through two runs' revenue."""
        start, end, lines = self.line
        at_start, change = lines[index][chunk]
        fraction = (value - start) / (end - start)
        return {
            name: line if change[name] is None else line + fraction * change[name]
            for name, line in at_start.items()
        }


def drawn_readings(scenario: Scenario, n_paths: int, seed: int = 0, energy=None) -> pd.DataFrame:
    """Which alternative of each drawn disputed fact every path of
    ``monte_carlo(scenario, n_paths, seed, energy=energy)`` took: the draws again, from
    the same child seeds (small arrays, no booking).

    Returns
    -------
    pandas.DataFrame
        One row per path, in the run's order; one column per reading of
        ``scenario.uncertainty.readings``, the index of its alternative
        (:mod:`solarcoop.disputed`) [-].
    """
    n_paths = check_number("n_paths", n_paths, minimum=1, maximum=10_000_000, integer=True)
    seed = check_number("seed", seed, minimum=0, integer=True)
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    draws = _draw_chunk(scenario, energy_tables(scenario, months, energy), _seed_blocks(n_paths, seed))
    names = [name for name in disputed_stage.READING_NAMES if f"reading_{name}" in draws]
    return pd.DataFrame({name: draws[f"reading_{name}"] for name in names})


# ---------------------------------------------------------------- for drawing elsewhere
# The whole programme (solarcoop.programme) draws its paths from national and regional
# streams with the same helpers, and books them here: these names are what it uses.

beta_draws = _beta
gamma_draws = _gamma
log_rates = _log_rates
euro_change_base = _euro_change_base


def energy_and_indices(months: pd.DataFrame, tables, draws: dict, economy) -> dict[str, np.ndarray]:
    """Each drawn path's energy, priced energy, CPI and euro indices (paths, months),
    before anything is priced (:func:`_energy_and_indices`)."""
    return _energy_and_indices(months, tables, draws, economy)


def book_drawn_paths(
    scenario: Scenario, months: pd.DataFrame, tables, draws: dict, kept: tuple[str, ...], made: dict | None = None
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Price, collect and book paths drawn elsewhere (draws shaped as :func:`draw_block`
    gives them), as :func:`monte_carlo` books its own. ``made`` may hold the paths'
    energy and indices (:func:`energy_and_indices`), for example of paths of plants
    at different sites booked together; each path is booked on its own, whatever paths
    it is booked with.

    Returns
    -------
    lines, revenue : dict of numpy.ndarray
        The kept lines and the revenue lines (energy, price, bills, collection), shape
        (paths, months).
    """
    revenue = _revenue_paths(scenario, months, tables, draws, made)
    return _book_drawn(scenario, months, draws, revenue, kept), revenue
