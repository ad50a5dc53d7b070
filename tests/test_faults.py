"""Bad and edge inputs as a hostile user would try them: one table per surface.

Each row: the input, the error type expected (or None: accepted) and words its message
must hold (the field or file, the value, what is allowed).
"""

import datetime

import numpy as np
import pytest

import solarcoop as sc
from solarcoop.cli import main

# -------------------------------------------------------------------- the Python API

API_CASES = [
    # (dotted path, value, words in the message; None: accepted)
    ("cooperative.families", 1e308, ["cooperative.families", "1e+308", "1,000,000"]),
    ("cooperative.families", 1_000_001, ["cooperative.families", "1000001", "<= 1,000,000"]),
    ("cooperative.families", 1_000_000, None),
    ("loan.principal_rial", 1e308, ["loan.principal_rial", "1e+308", "1,000,000,000,000,000"]),
    ("loan.principal_rial", 1e16, ["loan.principal_rial", "1e+16"]),
    ("loan.principal_rial", 1e12, None),
    ("cooperative.starting_cash_rial", 1e308, ["cooperative.starting_cash_rial", "out of range"]),
    ("costs.management_rial_per_year", 1e308, ["costs.management_rial_per_year", "100,000,000,000,000"]),
    ("costs.capital_cost_rial_per_kwp", 1e12, ["costs.capital_cost_rial_per_kwp", "100,000,000,000"]),
    ("costs.om_rial_per_kwp_year", 1e10, ["costs.om_rial_per_kwp_year"]),
    ("costs.land_lease_rial_per_year", float("inf"), ["costs.land_lease_rial_per_year", "finite"]),
    ("costs.grid_fees_rial_per_kwh", 1e8, ["costs.grid_fees_rial_per_kwh", "10,000,000"]),
    ("cooperative.share_price_rial", 1e14, ["cooperative.share_price_rial"]),
    ("plant.capacity_kwp", 1e9, ["plant.capacity_kwp", "1,000,000"]),
    ("tariff.base_price_rial_per_kwh", 1e300, ["tariff.base_price_rial_per_kwh", "10,000,000"]),
    ("loan.grace_months", 10**9, ["loan.grace_months", "600"]),
    ("loan.first_month_index", 10**9, ["loan.first_month_index", "1200"]),
    ("start_date", "1405-01-21", ["start_date", "Jalali 1405-01-21 is 2026-04-10", "Gregorian"]),
    ("start_date", "1405-01-01", ["start_date", "Jalali 1405-01-01 is 2026-03-21"]),
    ("start_date", datetime.date(1405, 1, 21), ["Jalali 1405-01-21 is 2026-04-10"]),
    ("start_date", "1405-13-40", ["start_date", "Jalali year", "Gregorian"]),
    ("start_date", datetime.date(1, 1, 1), ["start_date", "0001-01-01", "1950 to 2100"]),
    ("start_date", 12345, ["start_date", "12345", "not a date"]),
    ("start_date", 2026.0, ["start_date", "not a date"]),
    ("start_date", "next spring", ["start_date", "not a date", "2026-03-21"]),
    ("start_date", datetime.datetime(2026, 3, 21, 5), ["start_date", "time of day"]),
    ("start_date", np.datetime64("2026-03-21"), None),
    ("start_date", "2026-03-21", None),
]


@pytest.mark.parametrize(("path", "value", "words"), API_CASES, ids=[f"{p}={v!r}" for p, v, _ in API_CASES])
def test_api_inputs(path, value, words):
    if words is None:
        sc.qom_baseline().with_changes({path: value})
        return
    with pytest.raises(sc.InputError) as raised:
        sc.qom_baseline().with_changes({path: value})
    message = str(raised.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_the_largest_inputs_allowed_keep_the_ledger_finite():
    huge = sc.qom_baseline().with_changes({
        "cooperative.starting_cash_rial": 1e15, "costs.management_rial_per_year": 1e14,
        "lifetime_years": 2, "loan.term_months": 12,
    })
    monthly = sc.simulate(huge, energy=np.full(12, 420_000.0)).monthly
    money = monthly[[column for column in monthly.columns if column.endswith("_rial")]].to_numpy()
    assert money.size and np.isfinite(money).all()


# ------------------------------------------------------------------- the command line

CLI_CASES = [
    # (arguments, words on standard error)
    (["montecarlo", "--threshold", "nan"], ["--threshold", "'nan'", "finite"]),
    (["montecarlo", "--threshold", "inf"], ["--threshold", "'inf'", "finite"]),
    (["goal-seek", "--target", "nan"], ["--target", "'nan'", "finite"]),
    (["goal-seek", "--bounds", "0", "nan"], ["--bounds", "finite"]),
    (["goal-seek", "--probability", "nan"], ["--probability", "finite"]),
    (["sweep", "--vary", "plant.tilt_deg"], ["--vary", "PATH=V1,V2"]),
    (["sweep", "--vary", "plant.tilt_deg="], ["--vary", "no values"]),
    (["run", "{missing}"], ["nothing.toml"]),
    (["run", "--out", "{file}"], ["a-file.txt", "is a file, not a folder"]),
    (["run", "--out", "{foreign}"], ["solarcoop did not write", "notes.txt"]),
]


@pytest.mark.parametrize(("arguments", "words"), CLI_CASES, ids=[" ".join(a) for a, _ in CLI_CASES])
def test_cli_errors_are_one_line_and_exit_2(tmp_path, capsys, arguments, words):
    (tmp_path / "a-file.txt").write_text("x")
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "notes.txt").write_text("mine")
    places = {"{missing}": str(tmp_path / "nothing.toml"), "{file}": str(tmp_path / "a-file.txt"),
              "{foreign}": str(tmp_path / "foreign")}
    arguments = [places.get(a, a) for a in arguments]
    if "--out" not in arguments and arguments[0] != "goal-seek":
        arguments += ["--out", str(tmp_path / "out")]
    assert _exit_code(arguments) == 2
    error = capsys.readouterr().err
    assert "Traceback" not in error
    for word in words:
        assert word in error
    assert not (tmp_path / "out").exists()


def _exit_code(arguments) -> int:
    """What the command exits with (argument errors exit from argparse)."""
    try:
        return main(arguments)
    except SystemExit as stop:
        return stop.code


def test_cli_refuses_a_second_run_into_one_folder_before_computing(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    (out).mkdir()
    (out / "sweep.csv").write_text("old")
    (out / ".solarcoop-files.json").write_text('{"files": ["sweep.csv"]}')
    import solarcoop.studies.sweeps

    def must_not_run(*args, **kwargs):
        raise AssertionError("computed before checking the folder")

    monkeypatch.setattr(solarcoop.studies.sweeps, "sweep", must_not_run)
    assert main(["sweep", "--vary", "plant.tilt_deg=20", "--out", str(out)]) == 2
    assert "already holds the files of an earlier run (sweep.csv)" in capsys.readouterr().err


def test_cli_merges_a_path_given_twice_to_vary(tmp_path, capsys, monkeypatch):
    import solarcoop.studies.sweeps

    seen = {}

    def record(scenario, grid, progress=False):
        seen.update(grid)
        raise sc.InputError("stop here")

    monkeypatch.setattr(solarcoop.studies.sweeps, "sweep", record)
    main(["sweep", "--vary", "plant.tilt_deg=10", "--vary", "plant.tilt_deg=20,10", "--out", str(tmp_path / "o")])
    assert seen == {"plant.tilt_deg": [10, 20]}
    assert "values merged into [10, 20]" in capsys.readouterr().err


def test_cli_debug_shows_the_traceback(tmp_path):
    with pytest.raises(sc.InputError):
        main(["run", str(tmp_path / "nothing.toml"), "--debug", "--out", str(tmp_path / "o")])


# ------------------------------------------------------------ Monte Carlo arguments
MONTE_CARLO_ARGUMENT_CASES = {
    "no paths": ({"n_paths": 0}, ["n_paths", "0", "1 <="]),
    "negative paths": ({"n_paths": -5}, ["n_paths", "-5"]),
    "fractional paths": ({"n_paths": 1.5}, ["n_paths", "1.5", "whole number"]),
    "paths as text": ({"n_paths": "100"}, ["n_paths", "'100'", "not a number"]),
    "NaN paths": ({"n_paths": float("nan")}, ["n_paths", "nan"]),
    "too many paths": ({"n_paths": 10**13}, ["n_paths", "10,000,000"]),
    "negative seed": ({"seed": -1}, ["seed", "-1"]),
    "seed as text": ({"seed": "a"}, ["seed", "'a'"]),
    "fractional seed": ({"seed": 1.5}, ["seed", "whole number"]),
    "keep_paths as text": ({"keep_paths": "yes"}, ["keep_paths", "'yes'", "True, False or None"]),
    "unknown kept line": ({"kept": ["nope"]}, ["kept", "'nope'", "monthly line"]),
    "no kept line": ({"kept": []}, ["kept", "at least one"]),
    "no workers": ({"workers": 0}, ["workers", "0"]),
    "tiny chunks": ({"chunk_paths": 0}, ["chunk_paths", "0", "250"]),
    "energy of the wrong shape": ({"energy": [1.0, 2.0, 3.0]}, ["energy", "(3,)", "12 monthly or 8,760 hourly"]),
}


@pytest.mark.parametrize("case", sorted(MONTE_CARLO_ARGUMENT_CASES))
def test_monte_carlo_arguments_are_refused_with_a_clear_message(case):
    arguments, words = MONTE_CARLO_ARGUMENT_CASES[case]
    arguments = {"n_paths": 10, **arguments}
    with pytest.raises(sc.InputError) as raised:
        sc.monte_carlo(sc.qom_baseline(), **arguments)
    for word in words:
        assert word in str(raised.value), (case, str(raised.value))
