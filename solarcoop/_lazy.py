"""Heavy dependencies imported on first use, so that ``import solarcoop`` stays quick.

pvlib pulls in scipy (through ``pvlib.spectrum``) and takes most of a second to
import; a planner who only reads a scenario file, asks ``solarcoop --help`` or
re-runs a ledger should not wait for it. Modules that need such a dependency bind a
:class:`LazyModule` in its place: the real module is imported the first time one of
its attributes is read, and every later read goes straight to it.
"""

from __future__ import annotations

import importlib


class LazyModule:
    """Stands in for the module ``name`` until one of its attributes is first read.

    >>> json_module = LazyModule("json")
    >>> json_module.dumps([1])
    '[1]'
    """

    def __init__(self, name: str):
        self._name = name
        self._module = None

    def __getattr__(self, attribute: str):
        # only called for names the proxy itself lacks, i.e. the module's attributes
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not yet imported"
        return f"<lazy module {self._name!r} ({state})>"
