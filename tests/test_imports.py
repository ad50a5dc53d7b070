"""Heavy dependencies load only when they are needed (checked in fresh interpreters).

Which modules a fresh ``import solarcoop`` loads is a property of the code, not of
the machine's speed, so it is checked through ``sys.modules``; how long it takes is
measured in ``benchmarks/speed.py``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import solarcoop as sc

HEAVY = ("pvlib", "scipy", "matplotlib", "dask", "distributed", "openpyxl")
ARRAYS = ("numpy", "pandas")
ROOT = Path(sc.__file__).resolve().parent.parent


def loaded_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; which heavy (and array) modules it loaded."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY + ARRAYS!r}}}))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True, timeout=120
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_import_loads_no_heavy_dependency():
    loaded = loaded_after("import solarcoop")
    assert not any(loaded.values()), loaded  # not even numpy: names load when first read


def test_cli_help_loads_no_heavy_dependency():
    code = (
        "import contextlib, io\nfrom solarcoop.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])"
    )
    loaded = loaded_after(code)
    assert not any(loaded.values()), loaded  # argparse answers before numpy loads


def test_a_scenario_and_its_run_load_only_the_physics():
    loaded = loaded_after("import solarcoop as sc\nscenario = sc.qom_baseline()\nsc.load_scenario")
    assert not any(loaded[m] for m in HEAVY), loaded
    loaded = loaded_after("import solarcoop as sc\nsc.simulate(sc.qom_baseline())")
    assert loaded["pvlib"]  # the physics ran
    assert not any(loaded[m] for m in ("matplotlib", "dask", "distributed", "openpyxl")), loaded


def test_every_public_name_resolves():
    for name in sc.__all__:
        assert getattr(sc, name) is not None, name
    assert set(sc.__all__) <= set(dir(sc))
    assert sc.plots.monthly_payout  # charts load on first use
    assert sc.weather.qom_typical_year and sc.plant.hourly_energy


def test_unknown_name_is_an_attribute_error():
    try:
        sc.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:  # pragma: no cover
        raise AssertionError("sc.no_such_name did not raise")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def private_accesses(path: Path) -> set[tuple[str, str]]:
    """Names with a leading underscore that ``path`` takes from another solarcoop module:
    ``from solarcoop.x import _name`` and ``module._name`` on an imported solarcoop module."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    here, where = _module_name(path), path.relative_to(ROOT).as_posix()
    found, modules = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("solarcoop"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if alias.name.startswith("_") and node.module != here:
                    found.add((where, full))
                modules[alias.asname or alias.name] = full
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("solarcoop"):
                    modules[alias.asname or alias.name] = alias.name if alias.asname else "solarcoop"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and modules[node.value.id] != here
        ):
            found.add((where, f"{modules[node.value.id]}.{node.attr}"))
    return found


def test_the_scan_finds_a_private_name_taken_across_modules(tmp_path, monkeypatch):
    module = ROOT / "solarcoop" / "studies" / "montecarlo.py"
    assert private_accesses(module) == set()
    probe = ROOT / "solarcoop" / "engine.py"
    text = "from solarcoop.payment import _late\nfrom solarcoop import tariff as t\nt._price\n"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: text)
    assert private_accesses(probe) == {
        ("solarcoop/engine.py", "solarcoop.payment._late"),
        ("solarcoop/engine.py", "solarcoop.tariff._price"),
    }


def test_no_module_takes_a_private_name_from_another():
    found = set()
    for path in sorted((ROOT / "solarcoop").rglob("*.py")):
        found |= private_accesses(path)
    assert found == set()  # make the name public where it is shared


def test_only_the_outputs_import_the_presentation():
    """Figures flow one way: no module outside ``present/``, ``app/`` and the command line
    imports ``solarcoop.present`` when it loads (a study may hand its figures to a chart
    on request, inside a function)."""
    import ast

    package = ROOT / "solarcoop"
    outputs = (package / "present", package / "app", package / "cli.py")
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if any(path == place or place in path.parents for place in outputs):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:  # module level only
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            if any(name.startswith("solarcoop.present") for name in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
