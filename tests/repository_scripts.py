"""A script of the repository (an example or a benchmark) loaded as a module, for tests."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_script(folder: str, name: str):
    """The script ``folder/name.py`` of the repository run as a module (its ``main`` is
    not called), registered in ``sys.modules`` under a name of its own so that the
    dataclasses it defines resolve their module."""
    spec = importlib.util.spec_from_file_location(f"{folder}_{name}", ROOT / folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
