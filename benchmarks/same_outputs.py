"""Check that a change of structure leaves every output the same: numbers to the bit, words
to the letter.

``same_numbers.py`` guards the Monte Carlo's arrays. This script guards what a reader sees
and what the single-run engine, the studies and tracking return: the monthly ledger of
single runs in several variants, the headline and the readings' effects, sweeps, a goal
seek, a sensitivity, the options comparison, tracking, and the command line's printed
text and written files (CSV cells, PDF page text, workbook cells, PNG pixels) in English
and Persian::

    git stash                     # or check out the commit before the change
    python benchmarks/same_outputs.py save before.pkl
    git stash pop
    python benchmarks/same_outputs.py compare before.pkl

``compare`` lists every output that differs and exits with 1 if any does. Both runs must
be on the same machine and library versions. It takes a few minutes (the reports).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import solarcoop as sc  # noqa: E402
from solarcoop.cli import main as cli  # noqa: E402

ACTUALS = ROOT / "examples" / "actuals_synthetic_example.csv"
SCENARIO_FILE = ROOT / "examples" / "scenarios" / "qom.toml"


def variants() -> dict[str, sc.Scenario]:
    """Single-run scenarios that reach every funding source, rule and tariff."""
    base = sc.qom_baseline()
    return {
        "qom": base,
        "debt": base.with_changes({"funding.gap_filled_by": "debt"}),
        "cash_rule": base.with_changes(
            {
                "cooperative.distribution_rule": "cash",
                "cooperative.reserve_uses": ("inverter_replacement", "instalment_shortfall"),
            }
        ),
        "arrears_12000": base.with_changes(
            {"tariff.base_price_rial_per_kwh": 12_000, "loan.shortfall": "arrears"}
        ),
        "arrears_8000": base.with_changes(
            {"tariff.base_price_rial_per_kwh": 8_000, "loan.shortfall": "arrears"}
        ),
        "flat": base.with_changes({"tariff": sc.FlatTariff(40_000, 0.2)}),
        "energy_window": base.with_changes({"tariff.euro_window_end": "energy_month"}),
        "home": sc.home_plant(),
        "farm": sc.aggregated_farm(),
    }


def frame_arrays(prefix: str, frame: pd.DataFrame) -> dict:
    """Every column of a table, and its index, as arrays."""
    out = {f"{prefix}/index": np.asarray([str(label) for label in frame.index])}
    for column in frame.columns:
        values = frame[column].to_numpy()
        out[f"{prefix}/{column}"] = values if values.dtype.kind in "fiub" else values.astype(str)
    return out


def single_runs() -> dict:
    out = {}
    for name, scenario in variants().items():
        result = sc.simulate(scenario)
        out |= frame_arrays(f"simulate/{name}/monthly", result.monthly)
        out |= frame_arrays(f"simulate/{name}/annual", result.annual)
        out[f"simulate/{name}/summary"] = result.summary.astype(str).to_numpy()
        out[f"simulate/{name}/findings"] = np.asarray(result.findings, dtype=str)
        if result.by_class is not None:
            out |= frame_arrays(f"simulate/{name}/by_class", result.by_class)
    return out


def studies() -> dict:
    base = sc.qom_baseline()
    out = {}
    for name in ("qom", "arrears_12000", "arrears_8000", "home"):
        lead = sc.headline(variants()[name], n_paths=400, seed=1)
        out |= frame_arrays(f"headline/{name}/table", lead.table)
        out[f"headline/{name}/percentiles"] = lead.percentiles.to_numpy()
        out[f"headline/{name}/text_en"] = np.asarray(lead.to_text("en"))
        out[f"headline/{name}/text_fa"] = np.asarray(lead.to_text("fa"))
    out |= frame_arrays("reading_effects", sc.reading_effects(base, n_paths=200, seed=2))
    out |= frame_arrays(
        "sweep",
        sc.sweep(base, {"tariff.base_price_rial_per_kwh": [30_000, 42_000], "cooperative.families": [300, 400]}),
    )
    out |= frame_arrays("sensitivity", sc.sensitivity(base))
    goal = sc.goal_seek(base, "tariff.base_price_rial_per_kwh", ("payout_per_family_rial_mean_year1", 50e6))
    out["goal_seek"] = np.asarray(str(goal))
    comparison = sc.compare_options(n_paths=200, seed=3)
    for key, value in vars(comparison).items():
        if isinstance(value, pd.DataFrame):
            out |= frame_arrays(f"options/{key}", value)
    tracking = sc.track(base, sc.load_actuals(ACTUALS), n_paths=200, seed=4)
    for key, value in vars(tracking).items():
        if isinstance(value, pd.DataFrame):
            out |= frame_arrays(f"tracking/{key}", value)
    return out


def file_contents(prefix: str, folder: Path) -> dict:
    """What a reader sees in each written file."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    out = {}
    for path in sorted(folder.rglob("*")):
        key = f"{prefix}/{path.relative_to(folder)}"
        if path.suffix == ".pdf":
            out[key] = np.asarray([page.extract_text() for page in PdfReader(path).pages])
        elif path.suffix == ".xlsx":
            book = load_workbook(path)
            out[key] = np.asarray(
                [f"{sheet.title}!{cell.coordinate}={cell.value!r}|{cell.number_format}"
                 for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
            )  # fmt: skip
        elif path.suffix == ".png":
            import matplotlib.image

            pixels = matplotlib.image.imread(path)
            out[key] = np.asarray(hashlib.sha256(pixels.tobytes()).hexdigest())
        elif path.is_file():
            out[key] = np.asarray(path.read_text(encoding="utf-8"))
    return out


def command_line() -> dict:
    out = {}
    commands = {
        "run_en": ["run", "--paths", "300", "--lang", "en"],
        "run_fa": ["run", "--paths", "300", "--lang", "fa"],
        "run_single": ["run", "--paths", "0"],
        "montecarlo": ["montecarlo", "--paths", "500"],
        "sweep": ["sweep", "--vary", "cooperative.families=300,400"],
        "goal": ["goal-seek", "--target", "40e6"],
        "report_en": ["report", "--paths", "300", "--lang", "en"],
        "report_fa": ["report", "--paths", "300", "--lang", "fa"],
        "statement_fa": ["statement", "--paths", "300", "--lang", "fa"],
        "statement_en": ["statement", "--paths", "300", "--lang", "en"],
        "track_en": ["track", str(ACTUALS), "--paths", "200", "--lang", "en"],
        "track_fa": ["track", str(ACTUALS), "--paths", "200", "--lang", "fa"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, argv in commands.items():
            folder = Path(tmp) / name
            if argv[0] != "goal-seek":
                argv = [*argv, "--out", str(folder)]
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
                code = cli([*argv[:1], str(SCENARIO_FILE), *argv[1:]])
            text = printed.getvalue().replace(str(folder), "OUT")
            out[f"cli/{name}/printed"] = np.asarray(f"exit {code}\n{text}")
            if folder.exists():
                out |= file_contents(f"cli/{name}", folder)
    return out


def outputs() -> dict:
    return single_runs() | studies() | command_line()


def same(before, now) -> bool:
    if now is None or before.shape != now.shape or before.dtype.kind != now.dtype.kind:
        return False
    if before.dtype.kind == "f":
        return np.array_equal(before, now, equal_nan=True)
    if before.dtype.kind == "O":
        return np.array_equal(before.astype(str), now.astype(str))
    return np.array_equal(before, now)


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in ("save", "compare"):
        raise SystemExit("usage: python benchmarks/same_outputs.py save|compare FILE.pkl")
    mode, path = sys.argv[1:]
    now = outputs()
    if mode == "save":
        Path(path).write_bytes(pickle.dumps(now))
        print(f"saved {len(now)} outputs to {path}")
        return
    before = pickle.loads(Path(path).read_bytes())
    differ = [name for name in before if not same(before[name], now.get(name))]
    new = [name for name in now if name not in before]
    for name in differ:
        print(f"differs: {name}")
    for name in new:
        print(f"new: {name}")
    print(f"{len(before) - len(differ)} of {len(before)} outputs the same")
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
