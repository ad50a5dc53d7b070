"""The whole programme: every plant of a table, planned and tracked in one run.

:func:`programme` runs a programme table (:mod:`solarcoop.programme.table`) on shared
national draws and regional weather, locally or on a Dask cluster, and gives a
:class:`ProgrammeResult`.
"""

from solarcoop.programme.result import PLANT_COLUMNS, TOTAL_QUANTITIES, ProgrammeResult

__all__ = ["PLANT_COLUMNS", "TOTAL_QUANTITIES", "ProgrammeResult"]
