"""The whole programme on shared draws: :func:`programme`.

A programme's risk is not the sum of independent plants: inflation, the euro, the
buyer's delays and the disputed readings (:mod:`solarcoop.disputed`) are national, so
they are the same for every plant on a path; weather is shared by the plants of a site
cell. The paths are drawn from three kinds of streams, each a child of the seed
(``numpy.random.SeedSequence(seed, spawn_key=...)``), block by block of
:data:`~solarcoop.studies.montecarlo.SEED_BLOCK_PATHS` paths, so the first paths are the
same whatever ``n_paths``, and a plant's paths do not depend on which other plants are in
the table:

- national, ``spawn_key=(0, block)``: the inflation shocks (one per path, one per path
  and year), the euro shocks, the buyer's extra delay and the index of every reading's
  alternative, on an axis of Jalali years (:data:`NATIONAL_FIRST_YEAR` on, for
  :data:`NATIONAL_YEARS` years). A plant's operating year uses the draws of the Jalali
  year in which it begins, so plants of one start year share their rates year by year;
- cell, ``spawn_key=(1, cell, block)``: the weather year of each Jalali year, and the
  plant-level draws (availability and soiling by year, degradation by path), drawn
  per site cell: the plants of a cell share their dust, their outages' luck and their
  panels' ageing (a stated choice: it makes plants of a cell move together, so the
  programme's spread is if anything wider than with plant-by-plant draws).

Each path's draws are turned into a plant's inputs with the same helpers as
:func:`solarcoop.studies.montecarlo.monte_carlo` (beta, gamma and log-rate draws, the
euro's drift), and booked by :func:`~solarcoop.studies.montecarlo.book_drawn_paths`.
``monte_carlo`` itself is unchanged: its single-plant paths keep their own stream.

Physics runs once per site cell and plant design (the energy of one kWp over the
weather years, :func:`cell_energy_per_kwp`), not once per plant, and is scaled by each
plant's capacity. Plants identical in everything but their id (kind, cell, province,
start month, contract year, tariff class, capacity, families, loan terms per family) form
one *unit*, booked once: its per-family lines are the same for each of its plants, and
the totals multiply them by the unit's families (paid to families: the per-family
distribution times the families; families paying from their pocket or in arrears: the
unit's families in a month where its average family does).
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import itertools
import types
from collections.abc import Mapping

import numpy as np
import pandas as pd

from solarcoop import disputed as disputed_stage
from solarcoop import economy as economy_stage
from solarcoop import history
from solarcoop import plant as plant_stage
from solarcoop import weather as weather_stage
from solarcoop._validation import InputError, check_number
from solarcoop.calendar import accounting_months
from solarcoop.engine import monthly_energy_kwh, profile_from_hourly
from solarcoop.finance import Loan
from solarcoop.programme.result import (
    PLANT_COLUMNS,
    TOTAL_QUANTITIES,
    YEAR_QUANTITIES,
    ProgrammeResult,
)
from solarcoop.programme.table import read_actuals, read_table
from solarcoop.scenario import Scenario, qom_baseline
from solarcoop.site import Site
from solarcoop.studies import montecarlo as mc
from solarcoop.studies.options import aggregated_farm, home_plant
from solarcoop.vintage import started

NATIONAL_FIRST_YEAR = 1390
"""First Jalali year of the national draws' axis."""

NATIONAL_YEARS = 80
"""Jalali years the national and cell draws cover (1390 to 1469): a plant must end by then."""

CELL_DEG = 0.05
"""Side of a site cell [degrees]: about 5.5 km north-south and 4.5 km east-west in Iran.
Plants of one cell share their physics and their weather years."""

BATCH_PATHS = 8_000
"""Paths booked at once, at most (units x paths): 8,000 x 300 months x 8 bytes = 19 MB an
array, a few hundred MB for all the lines a batch holds. The books loop over months, so
a batch's time grows far less than its paths."""

KEPT = (
    "distribution_per_family_rial",
    "distribution_per_family_real_rial",
    "family_cash_flow_rial",
    "family_cash_flow_real_rial",
    "paid_from_pocket_per_family_rial",
    "arrears_per_family_rial",
)
"""The ledger's lines a programme keeps for every unit and path."""

BOOKING_KEY = (
    "kind", "start_month", "contract_year", "support", "capacity_kwp", "families",
    "loan_principal_rial", "loan_rate_per_year", "loan_term_months", "loan_grace_months",
)  # fmt: skip
"""Units alike in these (differing by site only) are booked together, in one batch of paths."""

UNIT_KEY = (
    "kind", "province", "cell", "start_month", "contract_year", "support", "capacity_kwp", "families",
    "loan_principal_rial", "loan_rate_per_year", "loan_term_months", "loan_grace_months",
)  # fmt: skip
"""What makes plants one unit (booked once)."""

_P50, _P90, _HIGH = 0.5, mc.exceedance_quantile(0.9), mc.exceedance_quantile(0.1)


# ------------------------------------------------------------------------------ draws


def _blocks(n_paths: int) -> list[tuple[int, int]]:
    size = mc.SEED_BLOCK_PATHS
    return [(b, min(size, n_paths - b * size)) for b in range(-(-n_paths // size))]


def _base_uncertainty():
    return home_plant().uncertainty


def national_draws(n_paths: int, seed: int, uncertainty=None) -> dict[str, np.ndarray]:
    """The national draws every plant of a path shares.

    Returns
    -------
    dict of numpy.ndarray
        ``inflation_path_z`` (paths, 1) and ``inflation_z`` (paths, years), standard
        normal shocks of inflation (whole path, and year by year) [-]; ``fx_z`` (paths,
        years) of the euro [-]; ``extra_delay`` (paths,) [months]; ``reading_<name>``
        (paths,) the index of each reading's alternative (:data:`solarcoop.disputed.READING_NAMES`,
        all of them). Years are Jalali years from :data:`NATIONAL_FIRST_YEAR`.
    """
    uncertainty = _base_uncertainty() if uncertainty is None else uncertainty
    parts = []
    for block, size in _blocks(n_paths):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0, block)))
        part = {
            "inflation_path_z": rng.standard_normal((size, 1)),
            "inflation_z": rng.standard_normal((size, NATIONAL_YEARS)),
            "fx_z": rng.standard_normal((size, NATIONAL_YEARS)),
            "extra_delay": rng.choice(
                np.array(uncertainty.extra_delay_months), size, p=uncertainty.extra_delay_probabilities
            ),
        }
        for name in disputed_stage.READING_NAMES:  # a fixed order: all of them, drawn or not
            chances = disputed_stage.probabilities(name, uncertainty)
            part[f"reading_{name}"] = rng.choice(len(chances), size, p=chances)
        parts.append(part)
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def cell_code(cell_i: int, cell_j: int) -> int:
    """A cell's number in the seed: the same cell, the same stream, whatever the table."""
    return int((cell_i + 50_000) * 100_000 + (cell_j + 50_000))


def cell_draws(scenario: Scenario, n_weather_years: int, soiling_loss: float, code: int, n_paths: int, seed: int) -> dict:
    """A cell's draws for one plant design, on the national axis of Jalali years:
    ``weather_index`` (paths, years), ``unavailable`` and ``soiling`` losses (paths,
    years) [fraction], ``degradation`` (paths, 1) [fraction/year]."""
    uncertainty, plant = scenario.uncertainty, scenario.plant
    availability_loss = 0.0 if plant.system_losses is not None else plant.losses.availability
    parts = []
    for block, size in _blocks(n_paths):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1, code, block)))
        shape = (size, NATIONAL_YEARS)
        parts.append(
            {
                "weather_index": rng.integers(0, n_weather_years, size=shape),
                "unavailable": mc.beta_draws(rng, availability_loss, uncertainty.availability_std, shape, "availability_std"),
                "soiling": mc.beta_draws(
                    rng, soiling_loss, uncertainty.soiling_relative_std * soiling_loss, shape, "soiling_relative_std"
                ),
                "degradation": mc.gamma_draws(rng, plant.degradation_per_year, uncertainty.degradation_std_per_year, (size, 1)),
            }
        )
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def plant_draws(scenario: Scenario, national: dict, cell: dict, soiling_loss: float, first_year: int) -> dict:
    """One plant's draws (as :func:`solarcoop.studies.montecarlo.monte_carlo` draws them
    for one plant) from the national and cell draws: its operating year ``k`` takes the
    Jalali year ``first_year + k - 1``."""
    uncertainty, plant = scenario.uncertainty, scenario.plant
    n_years = scenario.lifetime_years
    years = slice(first_year - NATIONAL_FIRST_YEAR, first_year - NATIONAL_FIRST_YEAR + n_years)
    availability_loss = 0.0 if plant.system_losses is not None else plant.losses.availability
    yearly_factor = (
        (1 - cell["unavailable"][:, years]) / (1 - availability_loss)
        * (1 - cell["soiling"][:, years]) / (1 - soiling_loss)
        * plant_stage.degradation_factor(cell["degradation"], np.arange(1, n_years + 1)[None, :])
    )  # fmt: skip
    inflation_base = economy_stage.rates_for_years(scenario.economy.inflation_per_year, n_years)[None, :]
    inflation = mc.log_rates(
        inflation_base,
        uncertainty.inflation_path_std_per_year * national["inflation_path_z"]
        + uncertainty.inflation_std_per_year * national["inflation_z"][:, years],
    )
    draws = {
        "weather_index": cell["weather_index"][:, years],
        "yearly_factor": yearly_factor,
        "inflation": inflation,
        "extra_delay": national["extra_delay"],
    }
    for name in disputed_stage.READING_NAMES:
        if name in uncertainty.readings:
            draws[f"reading_{name}"] = national[f"reading_{name}"]
    drift_ratio = np.ones((len(inflation), 1))
    if "reading_euro_drift" in draws:
        alternatives = disputed_stage.reading("euro_drift").alternatives
        ratios = np.array([disputed_stage.drift_ratio(a.name) for a in alternatives])
        drift_ratio = ratios[draws["reading_euro_drift"]][:, None]
    fx_shocks = uncertainty.fx_change_std_per_year * national["fx_z"][:, years]
    draws["fx_change"] = mc.log_rates(mc.euro_change_base(scenario, inflation, drift_ratio), fx_shocks)
    return draws


# ---------------------------------------------------------------------------- physics


@functools.lru_cache(maxsize=2048)
def _cell_daily(site: Site, plant, weather_years: int, weather_seed, time_of_use) -> tuple[np.ndarray, np.ndarray, float]:
    years = weather_stage.typical_years(weather_years, seed=weather_seed, site=site) if weather_years else [
        weather_stage.resolve(None, site)
    ]
    pricing = types.SimpleNamespace(time_of_use=time_of_use)
    profiles = [
        profile_from_hourly(plant_stage.hourly_energy(plant, year, site), pricing)
        for year in years  # physics once per weather year
    ]
    daily = np.stack([p.energy_kwh for p in profiles])
    uses = any(p.priced_energy_kwh is not p.energy_kwh for p in profiles)
    priced = np.stack([p.priced_energy_kwh for p in profiles]) if uses else daily
    steps = plant_stage.loss_breakdown(plant, years[0], site)
    lit = steps["after_row_sky_blocking"]
    soiling_loss = 1 - steps["after_soiling"] / lit if lit > 0 else 0.0
    return daily, priced, float(soiling_loss)


def cell_energy_per_kwp(scenario: Scenario) -> tuple[np.ndarray, np.ndarray, float]:
    """The daily energy of one kWp of the scenario's plant design at its site, for each
    weather year, and priced through the tariff's time of use (the same array without
    one) [kWh per kWp], shape (weather years, 365); and the typical year's soiling loss
    [fraction]. Computed once per site, design, weather setting and time of use, and
    kept (a few hundred kB a cell); energy is proportional to capacity."""
    uncertainty = scenario.uncertainty
    return _cell_daily(
        scenario.site, dataclasses.replace(scenario.plant, capacity_kwp=1.0), uncertainty.weather_years,
        uncertainty.weather_seed, getattr(scenario.tariff, "time_of_use", None),
    )  # fmt: skip


def unit_tables(scenario: Scenario, months: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, float]:
    """The energy tables of a plant (as :func:`solarcoop.studies.montecarlo.energy_tables`
    gives them), from its cell's energy per kWp times its capacity."""
    daily, priced_daily, soiling_loss = cell_energy_per_kwp(scenario)
    capacity = scenario.plant.capacity_kwp
    energy = monthly_energy_kwh(daily * capacity, months)
    priced = energy if priced_daily is daily else monthly_energy_kwh(priced_daily * capacity, months)
    return energy, priced, soiling_loss


# -------------------------------------------------------------------------- scenarios


def cell_site(cell_i: int, cell_j: int, cell_deg: float = CELL_DEG) -> Site:
    """The site of a cell: its centre, the altitude looked up there."""
    return Site(latitude=round(cell_i * cell_deg, 6), longitude=round(cell_j * cell_deg, 6), timezone="Asia/Tehran")


def _get(scenario, path: str):
    value = scenario
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _changed(scenario: Scenario, changes: Mapping) -> Scenario:
    if not changes:
        return scenario
    values = {path: value(_get(scenario, path)) if callable(value) else value for path, value in changes.items()}
    return scenario.with_changes(values)


def plant_scenario(row, site: Site, real_money_of: str, readings: Mapping | None = None, changes: Mapping | None = None) -> Scenario:
    """The scenario of one row of a (read) programme table at ``site``.

    A home plant is :func:`~solarcoop.studies.options.home_plant`, a share in an
    aggregated farm :func:`~solarcoop.studies.options.aggregated_farm`, a cooperative the
    Qom baseline's books at the row's size and families; each started in its start month
    (:func:`solarcoop.vintage.started`: its contract year's terms, its published past),
    with the row's loan per family (none when the principal is 0), real money of
    ``real_money_of``, then ``changes`` (dotted paths; a callable value takes the current
    value) and the ``readings`` held at one alternative (not drawn).
    """
    capacity, families = float(row["capacity_kwp"]), int(row["families"])
    principal = float(row["loan_principal_rial"])
    loan = Loan(
        principal_rial=principal,
        annual_rate=float(row["loan_rate_per_year"]),
        term_months=int(row["loan_term_months"]),
        grace_months=int(row["loan_grace_months"]),
    )
    if row["kind"] == "home":
        base = home_plant(site, capacity, loan)
    elif row["kind"] == "share":
        base = aggregated_farm(site, capacity, families, loan)
    else:
        q = qom_baseline()
        base = dataclasses.replace(
            q, name=None, site=site, plant=dataclasses.replace(q.plant, capacity_kwp=capacity),
            cooperative=dataclasses.replace(q.cooperative, families=families), loan=loan, promise=None,
        )  # fmt: skip
    support = bool(row["support"])
    scenario = started(base, str(row["start_month"]), support=support, contract_year=int(row["contract_year"]))
    scenario = dataclasses.replace(scenario, real_money_of=real_money_of)
    scenario = _changed(scenario, changes or {})
    for name, alternative in (readings or {}).items():
        scenario = disputed_stage.apply(scenario, name, alternative)
    held = tuple(name for name in scenario.uncertainty.readings if name not in (readings or {}))
    if held != scenario.uncertainty.readings:
        scenario = dataclasses.replace(scenario, uncertainty=dataclasses.replace(scenario.uncertainty, readings=held))
    return scenario


# ----------------------------------------------------------------------- one unit


def _prepared(row, context: dict, national: dict, alike: dict | None = None) -> dict:
    """A unit's scenario, months, tables, draws and energy and indices (``made``).
    ``alike``: the prepared unit of a plant that differs only by site, whose scenario
    (with this unit's site) and months are taken, unless ``changes`` set the site."""
    n_paths, seed = context["n_paths"], context["seed"]
    site = cell_site(int(row["cell_i"]), int(row["cell_j"]), context["cell_deg"])
    changes_site = any(str(path).split(".")[0] == "site" for path in context["changes"])
    if alike is not None and not changes_site:
        scenario, months = dataclasses.replace(alike["scenario"], site=site), alike["months"]
    else:
        scenario = plant_scenario(row, site, context["real_money_of"], context["readings"], context["changes"])
        months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    tables = unit_tables(scenario, months)
    code = cell_code(int(row["cell_i"]), int(row["cell_j"]))
    cell = cell_draws(scenario, tables[0].shape[0], tables[2], code, n_paths, seed)
    draws = plant_draws(scenario, national, cell, tables[2], int(str(row["start_month"])[:4]))
    return {
        "scenario": scenario,
        "months": months,
        "tables": tables,
        "draws": draws,
        "made": mc.energy_and_indices(months, tables, draws, scenario.economy),
        "first_index": _month_position(str(row["start_month"])) - context["first_position"],
    }


def _booked(prepared: list[dict]) -> list[dict]:
    """Book units that differ only by their site together, all their paths at once (each
    path is booked on its own: the same numbers as one by one); each unit's ``lines``
    and ``energy_kwh``."""
    first = prepared[0]
    join = lambda parts: {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}  # noqa: E731
    lines, revenue = mc.book_drawn_paths(
        first["scenario"], first["months"], first["tables"], join([p["draws"] for p in prepared]), KEPT,
        join([p["made"] for p in prepared]),
    )  # fmt: skip
    n_paths = len(first["draws"]["extra_delay"])
    booked = []
    for k, made in enumerate(prepared):
        paths = slice(k * n_paths, (k + 1) * n_paths)
        booked.append(
            {
                "scenario": made["scenario"], "months": made["months"], "first_index": made["first_index"],
                "lines": {name: values[paths] for name, values in lines.items()},
                "energy_kwh": revenue["energy_kwh"][paths],
            }
        )  # fmt: skip
    return booked


def unit_paths(row, context: dict, national: dict | None = None) -> dict:
    """Book one unit (or one plant: a row of the read table with its ``cell_i``,
    ``cell_j``) on the programme's draws.

    Returns
    -------
    dict
        ``scenario``, ``months`` (its accounting months), ``lines`` (the :data:`KEPT`
        lines, per family, shape (paths, months)), ``energy_kwh`` (the plant's energy,
        (paths, months)) and ``first_index`` (its first month on the programme's axis).
    """
    national = national_draws(context["n_paths"], context["seed"]) if national is None else national
    return _booked([_prepared(row, context, national)])[0]


def _month_position(label: str) -> int:
    year, month = history.parse_month(label)
    return 12 * year + month - 1


def _yearly(values: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(paths, months) -> each Jalali year's mean month (paths, years), and the years."""
    cuts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
    counts = np.diff(np.r_[cuts, len(years)])
    return np.add.reduceat(values, cuts, axis=1) / counts, years[cuts]


def _plan_against_actual(made: dict, plants: pd.DataFrame, actuals: pd.DataFrame) -> list[dict]:
    """Plan against actual, by plant and Jalali year, for the unit's plants with actuals."""
    labels = made["months"]["label"].to_numpy()
    where = {label: i for i, label in enumerate(labels)}
    rows = []
    paid_paths = made["lines"]["distribution_per_family_rial"]
    for plant_id, families in zip(plants["plant_id"], plants["families"], strict=True):
        mine = actuals[actuals["plant_id"] == plant_id]
        mine = mine[mine["month"].isin(where)]
        for year, in_year in mine.groupby(mine["month"].str[:4]):
            row = {"plant_id": plant_id, "year": int(year), "actual_months": len(in_year), "below_plan_p10": False}
            for figure, plan, column in (
                ("paid_to_families", paid_paths * families, "paid_to_families_rial"),
                ("energy", made["energy_kwh"], "energy_kwh"),
            ):
                given = in_year[in_year[column].notna()]
                unit = "rial" if figure == "paid_to_families" else "kwh"
                if given.empty:
                    continue
                columns = [where[m] for m in given["month"]]
                planned = plan[:, columns].sum(axis=1)
                actual = float(given[column].sum())
                p10 = float(np.quantile(planned, 0.1))
                row[f"{figure}_plan_p50_{unit}"] = float(np.quantile(planned, 0.5))
                row[f"{figure}_plan_p10_{unit}"] = p10
                row[f"{figure}_actual_{unit}"] = actual
                row["below_plan_p10"] = bool(row["below_plan_p10"] or actual < p10)
            rows.append(row)
    return rows


def _add_unit(row, made: dict, context: dict, sums: dict, yearly: list, actual: list) -> None:
    """Add a booked unit to its province's sums, its yearly quantiles and its plan against actual."""
    lines = made["lines"]
    families = float(row["unit_families"])
    a = made["first_index"] - sums["first_index"]  # on the task's window of months
    b = a + lines["distribution_per_family_rial"].shape[1]
    if row["province"] not in sums["by_province"]:
        sums["by_province"][row["province"]] = np.zeros((len(TOTAL_QUANTITIES), context["n_paths"], sums["n_months"]))
    total = sums["by_province"][row["province"]]
    total[0][:, a:b] += lines["distribution_per_family_rial"] * families
    total[1][:, a:b] += (lines["paid_from_pocket_per_family_rial"] > 0.5) * families
    total[2][:, a:b] += (lines["arrears_per_family_rial"] > 0.5) * families
    total[3][:, a:b] += lines["distribution_per_family_real_rial"] * families  # the path's own prices
    years = made["months"]["label"].str[:4].astype(int).to_numpy()
    frame = {}
    for column, name in (("family_cash_flow_rial", "family_money"), ("family_cash_flow_real_rial", "family_money_real")):
        by_year, which = _yearly(lines[column], years)
        _across_paths(frame, name, by_year, "_rial")  # the plants' table keeps the P50 and P90
    frame["year"] = which
    frame["unit"] = int(row["unit"])
    yearly.append(pd.DataFrame(frame))
    if context["actuals"] is not None:
        plants = context["unit_plants"].get(int(row["unit"]))
        if plants is not None:
            actual.extend(_plan_against_actual(made, plants, context["actuals"]))


def run_units(units: pd.DataFrame, context: dict) -> dict:
    """Book some units on the programme's draws (one task).

    Returns
    -------
    dict
        ``sums``: ``first_index`` (the task's first month on the programme's axis),
        ``n_months`` and ``by_province``: the paths' sums of :data:`TOTAL_QUANTITIES`,
        shape (4, paths, the task's months); ``yearly``: each unit's P50 and P90 of the family's
        money by Jalali year; ``actual``: plan against actual rows.
    """
    national = national_draws(context["n_paths"], context["seed"])
    starts = units["start_month"].map(_month_position) - context["first_position"]
    first_index = int(starts.min())
    ends = int((starts + units["lifetime_months"]).max())
    sums = {"first_index": first_index, "n_months": ends - first_index, "by_province": {}}
    yearly, actual = [], []
    per_batch = max(1, BATCH_PATHS // context["n_paths"])
    for _, batch in units.groupby(list(BOOKING_KEY), sort=False, dropna=False):
        for start in range(0, len(batch), per_batch):  # units differing by site only, booked together
            rows = [row for _, row in batch.iloc[start : start + per_batch].iterrows()]
            prepared = [_prepared(rows[0], context, national)]
            prepared += [_prepared(row, context, national, prepared[0]) for row in rows[1:]]
            booked = _booked(prepared)
            for row, made in zip(rows, booked, strict=True):
                _add_unit(row, made, context, sums, yearly, actual)
    return {"sums": sums, "yearly": pd.concat(yearly, ignore_index=True), "actual": actual}


# --------------------------------------------------------------------------- programme


def _check_readings(readings) -> dict:
    if readings is None:
        return {}
    if not isinstance(readings, Mapping):
        raise InputError(f"readings = {readings!r} must map reading names to alternatives, e.g. {{'payment': 'late'}}")
    for name, alternative in readings.items():
        item = disputed_stage.reading(name)  # refuses an unknown name with the choices
        names = [a.name for a in item.alternatives]
        if alternative not in names:
            raise InputError(
                f"readings[{name!r}] = {alternative!r} is not an alternative of {name}: choose one of {names}",
                "not_a_choice", field=f"readings.{name}", value=alternative, choices=", ".join(names),
            )  # fmt: skip
    return dict(readings)


def units_of(table: pd.DataFrame, cell_deg: float = CELL_DEG) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plants of a read table with their cell (``cell_i``, ``cell_j``) and unit, and
    one row per unit (its first plant's row, with ``unit_families`` and ``unit_plants``)."""
    plants = table.copy()
    plants["cell_i"] = np.round(plants["latitude_deg"].to_numpy() / cell_deg).astype(int)
    plants["cell_j"] = np.round(plants["longitude_deg"].to_numpy() / cell_deg).astype(int)
    plants["cell"] = [cell_code(i, j) for i, j in zip(plants["cell_i"], plants["cell_j"], strict=True)]
    plants["unit"] = plants.groupby(list(UNIT_KEY), sort=True, dropna=False).ngroup()
    grouped = plants.groupby("unit", sort=True)
    units = grouped.first()
    units["unit_families"] = grouped["families"].sum()
    units["unit_plants"] = grouped.size()
    units = units.reset_index().sort_values([*BOOKING_KEY, "province", "cell", "unit"], kind="stable")
    return plants, units.reset_index(drop=True)


def unit_lifetime_years(units: pd.DataFrame, real_money_of: str, readings: Mapping | None = None,
                        changes: Mapping | None = None, cell_deg: float = CELL_DEG) -> np.ndarray:
    """Each unit's operating years [years]: its kind's scenario's (:func:`plant_scenario`,
    after ``changes``: a change of ``lifetime_years`` makes a life longer or shorter than
    the default, and the programme's month axis follows the longest)."""
    years = {}
    for _, row in units.drop_duplicates("kind").iterrows():  # a few kinds, not units
        site = cell_site(int(row["cell_i"]), int(row["cell_j"]), cell_deg)
        years[row["kind"]] = plant_scenario(row, site, real_money_of, readings, changes).lifetime_years
    return units["kind"].map(years).to_numpy(dtype=int)


def _check_ends(plants: pd.DataFrame, units: pd.DataFrame) -> None:
    """Refuse the first plant that would run past the draws' last Jalali year: by its start
    month when the default life already does, else by its (changed) ``lifetime_years``."""
    last_year = NATIONAL_FIRST_YEAR + NATIONAL_YEARS - 1
    default_years = max(home_plant().lifetime_years, qom_baseline().lifetime_years)
    start_year = plants["start_month"].str[:4].astype(int).to_numpy()
    life_years = plants["unit"].map(units.set_index("unit")["lifetime_months"]).to_numpy() // 12
    late = start_year + default_years > last_year + 1
    long = start_year + life_years > last_year + 1
    if not (late | long).any():
        return
    bad = int(np.flatnonzero(late | long)[0])
    start = str(plants["start_month"].iloc[bad])
    if late[bad]:
        raise InputError(
            f"row {bad + 1}: start_month = {start!r} is not allowed: plants must end by "
            f"{last_year} (start by {last_year - default_years})",
            "bad_table_row", row=bad + 1, field="start_month", value=start,
            allowed=f"by {last_year - default_years}-12",
        )  # fmt: skip
    most = last_year + 1 - int(start_year[bad])
    raise InputError(
        f"row {bad + 1}: lifetime_years = {int(life_years[bad])} is not allowed: at most {most} years for a plant "
        f"starting in {start} (the programme's draws end with {last_year}); {int(long.sum())} plant(s) would run past it",
        "life_past_draws", row=bad + 1, field="lifetime_years", value=int(life_years[bad]), allowed=f"1 <= value <= {most}",
    )  # fmt: skip


def _tasks(units: pd.DataFrame, units_per_task: int) -> list[pd.DataFrame]:
    return [units.iloc[i : i + units_per_task] for i in range(0, len(units), units_per_task)]


def _across_paths(frame: dict, name: str, values: np.ndarray, unit: str = "") -> None:
    """Put ``name``'s ``_p50``, ``_p90``, ``_high`` and ``_mean`` across paths (axis 0) of
    ``values`` into ``frame``, each name ending in ``unit`` (``"_rial"``: the plants'
    ``family_money_p50_rial``). P90 is the 0.1 quantile (exceeded on 90 % of the paths),
    ``_high`` the 0.9 quantile. The month, year and plant tables all take theirs here."""
    q = np.quantile(values, [_P50, _P90, _HIGH], axis=0)
    frame[f"{name}_p50{unit}"], frame[f"{name}_p90{unit}"], frame[f"{name}_high{unit}"] = q
    frame[f"{name}_mean{unit}"] = values.mean(axis=0)


def _quantile_frame(sums: np.ndarray, labels, index) -> pd.DataFrame:
    frame = {"label": labels, "month_index": index}
    for k, name in enumerate(TOTAL_QUANTITIES):
        _across_paths(frame, name, sums[k])
    return pd.DataFrame(frame)


def year_paths(sums: np.ndarray, labels) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Each path's totals by Jalali year from its totals by month.

    Parameters
    ----------
    sums : numpy.ndarray
        Shape (len(TOTAL_QUANTITIES), paths, months): each path's monthly sums over plants.
    labels : sequence of str
        The months' Jalali labels (``"1404-07"``), consecutive.

    Returns
    -------
    dict of str to numpy.ndarray, numpy.ndarray, numpy.ndarray
        For each of :data:`YEAR_QUANTITIES` an array (paths, years): paid to families, the
        year's sum [rial]; families paying from their pocket and in arrears, the year's
        mean month [families]; ``families_paying_from_pocket_peak``, the year's highest
        month on that path [families]. Then the years and their months in the result.
    """
    years = np.array([int(str(label)[:4]) for label in labels])
    cuts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
    counts = np.diff(np.r_[cuts, len(years)])
    summed = np.add.reduceat(sums, cuts, axis=2)
    position = {name: k for k, name in enumerate(TOTAL_QUANTITIES)}
    paths = {}
    for name in YEAR_QUANTITIES:
        if name.endswith("_peak"):
            paths[name] = np.maximum.reduceat(sums[position[name.removesuffix("_peak")]], cuts, axis=1)
        elif name.endswith("_rial"):
            paths[name] = summed[position[name]]
        else:
            paths[name] = summed[position[name]] / counts
    return paths, years[cuts], counts


def _year_frame(paths: dict[str, np.ndarray], years: np.ndarray, counts: np.ndarray) -> pd.DataFrame:
    frame = {"year": years, "months": counts}
    for name in YEAR_QUANTITIES:
        _across_paths(frame, name, paths[name])
    return pd.DataFrame(frame)


def _paths_frame(paths: dict[str, np.ndarray], years: np.ndarray) -> pd.DataFrame:
    n_paths, n_years = paths[YEAR_QUANTITIES[0]].shape
    frame = {"path": np.repeat(np.arange(n_paths), n_years), "year": np.tile(years, n_paths)}
    frame.update({name: values.ravel() for name, values in paths.items()})
    return pd.DataFrame(frame)


def programme(
    table,
    n_paths: int = 500,
    seed: int = 0,
    client=None,
    actuals=None,
    readings: Mapping[str, str] | None = None,
    changes: Mapping | None = None,
    real_money_of: str | None = None,
    cell_deg: float = CELL_DEG,
    units_per_task: int | None = None,
) -> ProgrammeResult:
    """Every plant of a programme table on the same drawn futures.

    Parameters
    ----------
    table : str, path or pandas.DataFrame
        The programme table (:mod:`solarcoop.programme.table`: one row per plant).
    n_paths : int
        Paths [-]. Each national draw is shared by every plant on a path.
    seed : int
        The same seed gives the same numbers, locally or on any cluster.
    client : dask.distributed.Client, optional
        Book the units on a Dask cluster, ``units_per_task`` to a task
        (``client.submit``, a few tasks per worker thread ahead); the result equals the local one to the bit (the tasks' sums
        are added in the same order).
    actuals : str, path or pandas.DataFrame, optional
        The plants' actual months (:func:`~solarcoop.programme.table.read_actuals`):
        plan against actual in ``plants``.
    readings : mapping of str to str, optional
        National readings held at one alternative on every path, e.g.
        ``{"payment": "late"}`` (names and alternatives: :func:`solarcoop.disputed.readings`):
        every plant's scenario takes the alternative (:func:`solarcoop.disputed.apply`)
        and the reading is not drawn. Everything else is drawn as without it, from the
        same streams, so two runs differ only by the reading: difference their totals to
        see what it does to the programme.
    changes : mapping, optional
        Dotted paths set on every plant's scenario, on the same paths (for example
        ``{"economy.inflation_per_year": 0.45}``, or a callable of the current value:
        ``{"tariff.base_price_rial_per_kwh": lambda p: 0.8 * p}`` for a tariff 20 %
        lower).
    real_money_of : str, optional
        The Jalali month whose money the real figures are in (default: the last month
        the history publishes, :func:`solarcoop.history.common_last_month`).
    cell_deg : float
        Site cell side [degrees] (:data:`CELL_DEG`).
    units_per_task : int, optional
        Units booked by one task [-] (default: as many as make :data:`BATCH_PATHS`
        paths, at least one); changes only the order in which the tasks' sums are added
        (the last bits of a sum), never which paths a plant gets.

    Returns
    -------
    ProgrammeResult
    """
    n_paths = check_number("n_paths", n_paths, minimum=1, maximum=1_000_000, integer=True)
    seed = check_number("seed", seed, minimum=0, integer=True)
    cell_deg = check_number("cell_deg", cell_deg, minimum=0.001, maximum=5)
    if units_per_task is None:
        units_per_task = max(1, BATCH_PATHS // n_paths)
    units_per_task = check_number("units_per_task", units_per_task, minimum=1, integer=True)
    mc.check_client(client)
    readings = _check_readings(readings)
    table = read_table(table)
    actuals = None if actuals is None else read_actuals(actuals, table)
    real_money_of = history.common_last_month() if real_money_of is None else str(real_money_of)
    history.parse_month(real_money_of, "real_money_of")
    plants, units = units_of(table, cell_deg)

    units["lifetime_months"] = 12 * unit_lifetime_years(units, real_money_of, readings, changes, cell_deg)
    _check_ends(plants, units)
    first = min(plants["start_month"])
    starts = units["start_month"].map(_month_position).to_numpy()
    n_months = int((starts + units["lifetime_months"].to_numpy()).max()) - _month_position(first)
    labels = [history.shift_month(first, k) for k in range(n_months)]
    unit_plants = None
    if actuals is not None:
        with_actuals = plants[plants["plant_id"].isin(actuals["plant_id"])]
        unit_plants = {int(u): frame[["plant_id", "families"]] for u, frame in with_actuals.groupby("unit")}
    context = {
        "n_paths": n_paths, "seed": seed, "cell_deg": cell_deg, "readings": readings,
        "changes": dict(changes or {}), "real_money_of": real_money_of, "n_months": n_months,
        "first_position": _month_position(first), "actuals": actuals, "unit_plants": unit_plants or {},
    }  # fmt: skip
    tasks = _tasks(units, units_per_task)
    if client is None:
        results = (run_units(task, context) for task in tasks)
    else:
        results = _on_client(client, tasks, context)
    by_province, yearly, actual = {}, [], []
    for result in results:  # added in the tasks' order, wherever they ran
        a = result["sums"]["first_index"]
        b = a + result["sums"]["n_months"]
        for province, sums in result["sums"]["by_province"].items():
            if province not in by_province:
                by_province[province] = np.zeros((len(TOTAL_QUANTITIES), n_paths, n_months))
            by_province[province][:, :, a:b] += sums
        yearly.append(result["yearly"])
        actual.extend(result["actual"])
    provinces = sorted(by_province)
    index = np.arange(n_months)
    totals = np.zeros_like(by_province[provinces[0]])
    for province in provinces:
        totals += by_province[province]
    province_frames = [_quantile_frame(by_province[p], labels, index).assign(province=p) for p in provinces]
    by_province_frame = pd.concat(province_frames, ignore_index=True)
    by_province_frame = by_province_frame[["province", *[c for c in by_province_frame if c != "province"]]]
    plant_frame = _plants_frame(plants, pd.concat(yearly, ignore_index=True), actual)
    paths, years, counts = year_paths(totals, labels)
    province_years = []
    for province in provinces:
        province_years.append(_year_frame(*year_paths(by_province[province], labels)).assign(province=province))
    by_province_year = pd.concat(province_years, ignore_index=True)
    by_province_year = by_province_year[["province", *[c for c in by_province_year if c != "province"]]]
    return ProgrammeResult(
        plants=plant_frame,
        totals=_quantile_frame(totals, labels, index),
        by_province=by_province_frame,
        totals_by_year=_year_frame(paths, years, counts),
        by_province_year=by_province_year,
        year_paths=_paths_frame(paths, years),
        real_money_of=real_money_of,
        n_paths=n_paths,
        seed=seed,
        n_plants=len(plants),
        n_families=int(plants["families"].sum()),
        n_cells=int(plants["cell"].nunique()),
        n_units=len(units),
        readings=readings,
    )


def _on_client(client, tasks: list, context: dict):
    """Each task's result, run on the cluster, in the tasks' order: a few tasks per worker
    thread are submitted ahead (``client.submit``), the next one as each result is read
    and released, so the results waiting to be added stay few (Dask schedules them)."""
    shared = client.scatter(context, broadcast=True)
    ahead = max(2, 2 * sum(client.nthreads().values()))
    waiting = collections.deque()
    pending = iter(tasks)
    for task in itertools.islice(pending, ahead):
        waiting.append(client.submit(run_units, task, shared, pure=False))
    while waiting:
        future = waiting.popleft()
        result = future.result()
        future.release()
        task = next(pending, None)
        if task is not None:
            waiting.append(client.submit(run_units, task, shared, pure=False))
        yield result


def _plants_frame(plants: pd.DataFrame, yearly: pd.DataFrame, actual: list[dict]) -> pd.DataFrame:
    frame = plants[["plant_id", "province", "unit"]].merge(yearly, on="unit", how="left").drop(columns="unit")
    if actual:
        frame = frame.merge(pd.DataFrame(actual), on=["plant_id", "year"], how="left")
    for column in PLANT_COLUMNS:
        if column not in frame:
            frame[column] = np.nan
    frame["actual_months"] = frame["actual_months"].fillna(0).astype(int)
    frame["below_plan_p10"] = frame["below_plan_p10"].astype("boolean").fillna(False).astype(bool)
    return frame[list(PLANT_COLUMNS)]


def plant_paths(
    table,
    plant_id: str,
    n_paths: int = 500,
    seed: int = 0,
    readings: Mapping[str, str] | None = None,
    changes: Mapping | None = None,
    real_money_of: str | None = None,
    cell_deg: float = CELL_DEG,
) -> dict:
    """One plant of a programme table, alone, on the programme's draws (the same national
    and cell streams as :func:`programme` with the same arguments).

    Returns
    -------
    dict
        As :func:`unit_paths`, for the plant alone: ``lines`` per family, ``energy_kwh``
        for the plant, ``months`` its accounting months, and ``families``.
    """
    table = read_table(table)
    plants, _ = units_of(table, cell_deg)
    chosen = plants[plants["plant_id"] == str(plant_id)]
    if chosen.empty:
        raise InputError(f"plant_id = {plant_id!r} is not in the table")
    row = chosen.iloc[0]
    context = {
        "n_paths": check_number("n_paths", n_paths, minimum=1, maximum=1_000_000, integer=True),
        "seed": check_number("seed", seed, minimum=0, integer=True),
        "cell_deg": cell_deg, "readings": _check_readings(readings), "changes": dict(changes or {}),
        "real_money_of": history.common_last_month() if real_money_of is None else str(real_money_of),
        "first_position": _month_position(str(row["start_month"])),
    }  # fmt: skip
    made = unit_paths(row, context)
    made["families"] = int(row["families"])
    return made
