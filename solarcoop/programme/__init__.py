"""The whole programme: every plant of a table, planned and tracked in one run.

:func:`programme` runs a programme table (:mod:`solarcoop.programme.table`) on shared
national draws and regional weather, locally or on a Dask cluster, and gives a
:class:`ProgrammeResult`. ``sc.programme(table, ...)`` is that function, and so is this
package when called (``import solarcoop.programme`` makes ``sc.programme`` the package,
which calls it).
"""

import sys
import types

from solarcoop.programme.result import (
    PLANT_COLUMNS,
    TOTAL_QUANTITIES,
    YEAR_QUANTITIES,
    ProgrammeResult,
)
from solarcoop.programme.run import programme
from solarcoop.programme.table import COLUMNS, read_actuals, read_table

__all__ = ["COLUMNS", "PLANT_COLUMNS", "TOTAL_QUANTITIES", "YEAR_QUANTITIES", "ProgrammeResult", "programme", "read_actuals", "read_table"]


class _CallablePackage(types.ModuleType):
    def __call__(self, *args, **kwargs) -> ProgrammeResult:
        """:func:`solarcoop.programme.run.programme`."""
        return programme(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
