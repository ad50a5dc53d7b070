"""What a programme run gives: each plant by year, and the programme's totals by month.

P90 is the value exceeded with 90 % probability (the 0.1 quantile across paths), P50
the median. The totals' P50 and P90 are those of the SUM over plants on each path (the
plants share the national draws and their region's weather on a path), not sums of the
plants' own quantiles.
"""

from __future__ import annotations

import dataclasses
import os

import pandas as pd

from solarcoop._validation import InputError

PLANT_COLUMNS = (
    "plant_id", "province", "year",
    "family_money_p50_rial", "family_money_p90_rial",
    "family_money_real_p50_rial", "family_money_real_p90_rial",
    "paid_to_families_plan_p50_rial", "paid_to_families_plan_p10_rial",
    "paid_to_families_actual_rial", "energy_plan_p50_kwh", "energy_plan_p10_kwh",
    "energy_actual_kwh", "actual_months", "below_plan_p10",
)  # fmt: skip
"""Columns of :attr:`ProgrammeResult.plants`."""

TOTAL_QUANTITIES = ("paid_to_families_rial", "families_paying_from_pocket", "instalments_in_arrears", "paid_to_families_real_rial")
"""The programme's totals, each with ``_p50``, ``_p90``, ``_high`` (0.9 quantile) and ``_mean``."""

YEAR_QUANTITIES = (
    "paid_to_families_rial", "families_paying_from_pocket", "families_paying_from_pocket_peak",
    "instalments_in_arrears", "paid_to_families_real_rial",
)  # fmt: skip
"""The programme's totals by Jalali year (each path's year figure, then its quantiles across
paths): the year's sum paid [rial, nominal, and real: in money of the result's
``real_money_of``], the mean month's families paying from their pocket
and in arrears, and the highest month's families paying from their pocket [families]."""


@dataclasses.dataclass(frozen=True, eq=False)
class ProgrammeResult:
    """A whole programme on drawn paths (:func:`solarcoop.programme.programme`).

    Attributes
    ----------
    plants : pandas.DataFrame
        One row per plant x Jalali year of operation (:data:`PLANT_COLUMNS`):

        - ``plant_id`` (str), ``province`` (English name of the province), ``year``
          (Jalali year, int);
        - ``family_money_p50_rial``, ``family_money_p90_rial``: the family's money per
          month in that year (the ledger's ``family_cash_flow_rial``: what reaches one
          family less what it pays its lender from its own pocket; the year's mean month),
          P50 and P90 across paths [rial per family per month, nominal];
        - ``family_money_real_p50_rial``, ``family_money_real_p90_rial``: the same in
          money of :attr:`real_money_of` [rial per family per month];
        - plan against actual, for the plant-years with actual months (NaN elsewhere):
          ``actual_months`` (months with an actual figure, int, 0 without), the plan's
          ``paid_to_families_plan_p50_rial`` and ``_p10_rial`` (the 0.5 and 0.1 quantiles
          across paths, p10 being here the 10th percentile, the plan's low side, of what the whole plant pays its families over those same months
          [rial]) and ``paid_to_families_actual_rial``; ``energy_plan_p50_kwh``,
          ``energy_plan_p10_kwh`` and ``energy_actual_kwh`` the same for the energy [kWh];
        - ``below_plan_p10`` (bool): an actual figure of that year (paid to families or
          energy) sits below the plan's 0.1 quantile (below what nine futures in ten beat).
    totals : pandas.DataFrame
        One row per programme month: ``label`` (Jalali ``"1404-07"``), ``month_index``
        (0 in the first month of the earliest plant), then for each of
        :data:`TOTAL_QUANTITIES` the ``_p50``, ``_p90``, ``_high`` and ``_mean`` across
        paths of the sum over plants on each path (P90: exceeded on 90 % of the paths,
        the 0.1 quantile; ``_high``: exceeded on only 10 %, the 0.9 quantile, the bad
        side of the families paying from their pocket):

        - ``paid_to_families_rial``: what all plants pay their families that month [rial];
        - ``families_paying_from_pocket``: families that pay some of that month's
          instalment from their own pocket [families];
        - ``instalments_in_arrears``: families whose instalments are in arrears that
          month (the ledger's ``arrears_per_family_rial`` above zero) [families].
        - ``paid_to_families_real_rial``: the same as paid to families, each path's month
          deflated by that path's own consumer-price index (the national draws) to the
          month :attr:`real_money_of` (the ledger's ``distribution_per_family_real_rial``)
          [rial of that month].
    by_province : pandas.DataFrame
        The same columns as ``totals``, one row per province x month (``province`` first).
    totals_by_year : pandas.DataFrame
        One row per Jalali year of the programme's months: ``year``, ``months`` (the year's
        months in the result: the first and last may be partial), then for each of
        :data:`YEAR_QUANTITIES` the ``_p50``, ``_p90``, ``_high`` and ``_mean`` across paths
        of each path's year figure (paid: the sum of the path's months, so the year's P90
        is the P90 of the year's sum, not a sum of the months' P90s [rial]; the families:
        the path's mean month, and its highest month for ``_peak`` [families]).
    by_province_year : pandas.DataFrame
        The same columns as ``totals_by_year``, one row per province x year (``province`` first).
    year_paths : pandas.DataFrame
        Each path's programme figures by year (``path``, ``year``, then
        :data:`YEAR_QUANTITIES`): what ``totals_by_year`` takes its quantiles of.
    real_money_of : str
        The Jalali month whose money the real figures are in.
    n_paths : int
    seed : int
    n_plants : int
    n_families : int
    n_cells : int
        Site cells the physics ran for (plants of one cell share their weather years).
    n_units : int
        Plants computed (plants identical up to the number of families are computed once).
    readings : dict
        National readings held at one alternative in this run (empty: all drawn).
    """

    plants: pd.DataFrame
    totals: pd.DataFrame
    by_province: pd.DataFrame
    real_money_of: str
    n_paths: int
    seed: int
    n_plants: int
    n_families: int
    n_cells: int = 0
    n_units: int = 0
    readings: dict = dataclasses.field(default_factory=dict)
    totals_by_year: pd.DataFrame | None = None
    by_province_year: pd.DataFrame | None = None
    year_paths: pd.DataFrame | None = None

    def to_parquet(self, folder) -> dict[str, str]:
        """Write the result to ``folder`` (made if missing) as Parquet (needs pyarrow):
        ``plants/``, ``by_province/`` and ``by_province_year/`` partitioned by province
        (one folder ``province=NAME`` each), ``totals.parquet``, ``totals_by_year.parquet``
        and ``year_paths.parquet``.

        Returns
        -------
        dict of str to str
            The paths written, by table.
        """
        try:
            import pyarrow  # noqa: F401
        except ImportError as error:  # an optional extra
            raise InputError(
                "to_parquet needs pyarrow: pip install 'solarcoop[programme]'"
            ) from error
        folder = os.fspath(folder)
        os.makedirs(folder, exist_ok=True)
        written = {}
        for name in ("plants", "by_province"):
            path = os.path.join(folder, name)
            getattr(self, name).to_parquet(path, partition_cols=["province"], index=False)
            written[name] = path
        if self.by_province_year is not None:
            path = os.path.join(folder, "by_province_year")
            self.by_province_year.to_parquet(path, partition_cols=["province"], index=False)
            written["by_province_year"] = path
        for name in ("totals", "totals_by_year", "year_paths"):
            if getattr(self, name) is not None:
                path = os.path.join(folder, f"{name}.parquet")
                getattr(self, name).to_parquet(path, index=False)
                written[name] = path
        return written
