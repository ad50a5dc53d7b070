"""Every writer writes whole or not at all: a full disk or a kill leaves the earlier files."""

import errno
import os
import shutil
import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest
from matplotlib.figure import Figure

import solarcoop as sc
from solarcoop import _atomic
from solarcoop._atomic import MANIFEST, OutputExistsError, check_folder, write_file, write_folder
from solarcoop.cli import main
from solarcoop.present import report
from solarcoop.present.pages import Document


def _disk_full_after(nbytes: int):
    """A writer that writes ``nbytes`` then fails as a full disk does."""

    def write(path):
        with open(path, "wb") as handle:
            handle.write(b"x" * nbytes)
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    return write


def _listing(folder):
    return sorted(entry.name for entry in folder.iterdir())


def test_write_file_replaces_only_when_complete(tmp_path):
    target = tmp_path / "a.toml"
    target.write_text("earlier")
    with pytest.raises(OSError, match="No space"):
        write_file(target, _disk_full_after(4096))
    assert _listing(tmp_path) == ["a.toml"] and target.read_text() == "earlier"
    write_file(target, lambda path: path.write_text("new"))
    assert _listing(tmp_path) == ["a.toml"] and target.read_text() == "new"


def test_write_file_refuses_a_folder_and_a_missing_folder(tmp_path):
    with pytest.raises(sc.InputError, match="is a folder"):
        write_file(tmp_path, lambda path: None)
    with pytest.raises(sc.InputError, match="does not exist"):
        write_file(tmp_path / "no" / "a.toml", lambda path: None)


def test_write_folder_keeps_the_earlier_set_when_a_file_fails(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"a.csv": lambda p: p.write_text("1"), "b.csv": lambda p: p.write_text("2")})
    with pytest.raises(OSError, match="No space"):
        write_folder(out, {"a.csv": lambda p: p.write_text("new"), "b.csv": _disk_full_after(10)}, force=True)
    assert _listing(tmp_path) == ["out"]
    assert _listing(out) == [MANIFEST, "a.csv", "b.csv"] and (out / "a.csv").read_text() == "1"


def test_force_removes_the_files_the_new_set_does_not_write(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"fan.png": lambda p: p.write_text("old"), "a.csv": lambda p: p.write_text("old")})
    with pytest.raises(OutputExistsError, match=r"already holds the files of an earlier run \(a.csv, fan.png\)"):
        write_folder(out, {"a.csv": lambda p: p.write_text("new")})
    write_folder(out, {"a.csv": lambda p: p.write_text("new")}, force=True)
    assert _listing(out) == [MANIFEST, "a.csv"] and (out / "a.csv").read_text() == "new"
    assert _listing(tmp_path) == ["out"]


def test_of_two_runs_into_one_folder_the_later_refuses(tmp_path):
    out = tmp_path / "out"
    check_folder(out)  # both runs check before computing ...

    def other_run_finishes_first(path):
        write_folder(out, {"theirs.csv": lambda p: p.write_text("theirs")})
        path.write_text("mine")

    with pytest.raises(OutputExistsError):  # ... the later one refuses when it swaps in
        write_folder(out, {"mine.csv": other_run_finishes_first})
    assert _listing(out) == [MANIFEST, "theirs.csv"] and _listing(tmp_path) == ["out"]


def test_leftovers_of_a_killed_run_are_removed_by_the_next_write(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    (tmp_path / f".out.{pid}-0123456789ab.partial").mkdir()
    (tmp_path / f".a.toml.{pid}-0123456789ab.partial").write_text("half")
    alive = tmp_path / f".out.{os.getpid()}-0123456789ab.partial"  # a run still working
    alive.mkdir()
    write_folder(tmp_path / "out", {"a.csv": lambda p: p.write_text("1")})
    write_file(tmp_path / "a.toml", lambda p: p.write_text("x"))
    assert _listing(tmp_path) == sorted(["a.toml", "out", alive.name])


@pytest.mark.parametrize("name", ["../escape.csv", ".hidden", "sub/a.csv"])
def test_file_names_of_a_set_are_plain(tmp_path, name):
    with pytest.raises(sc.InputError, match="plain file name"):
        write_folder(tmp_path / "out", {name: lambda p: p.write_text("1")})


def test_without_renameat2_the_swap_falls_back_to_two_renames(tmp_path, monkeypatch):
    monkeypatch.setattr(_atomic, "_renameat2", lambda *args: False)
    out = tmp_path / "out"
    write_folder(out, {"a.csv": lambda p: p.write_text("1")})
    write_folder(out, {"b.csv": lambda p: p.write_text("2")}, force=True)
    assert _listing(out) == [MANIFEST, "b.csv"] and _listing(tmp_path) == ["out"]


# Each writer of the library, its underlying write failing half way (a full disk).

def _fail_half_way(monkeypatch, owner, name):
    real = getattr(owner, name)

    def failing(self, path, *args, **kwargs):
        real(self, path, *args, **kwargs)
        with open(path, "r+b") as handle:
            handle.truncate(max(os.path.getsize(path) // 2, 1))
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(owner, name, failing)


@pytest.fixture(scope="module")
def short_scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("scenario") / "short.toml"
    sc.save_scenario(sc.qom_baseline().with_changes({"lifetime_years": 2, "loan.term_months": 12}), path)
    return str(path)


@pytest.mark.parametrize(
    ("command", "owner", "method"),
    [
        (["run"], pd.DataFrame, "to_csv"),
        (["run"], Figure, "savefig"),
        (["sweep", "--vary", "plant.tilt_deg=20,30"], pd.DataFrame, "to_csv"),
        (["montecarlo", "--paths", "20"], pd.DataFrame, "to_csv"),
    ],
)
def test_cli_writers_on_a_full_disk_keep_the_earlier_files(tmp_path, capsys, monkeypatch, short_scenario,
                                                           command, owner, method):
    out = tmp_path / "out"
    args = [*command, "--scenario", short_scenario, "--out", str(out)]
    assert main(args) == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    _fail_half_way(monkeypatch, owner, method)
    assert main([*args, "--force"]) == 2
    error = capsys.readouterr().err
    assert "No space left on device" in error and "Traceback" not in error
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert _listing(tmp_path) == ["out"]


def test_save_scenario_on_a_full_disk_keeps_the_earlier_file(tmp_path, monkeypatch):
    target = tmp_path / "mine.toml"
    sc.save_scenario(sc.qom_baseline(), target)
    before = target.read_bytes()
    real = type(target).write_text

    def half_then_full(self, text, *args, **kwargs):
        real(self, text[: len(text) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(type(target), "write_text", half_then_full)
    with pytest.raises(OSError, match="No space"):
        sc.save_scenario(sc.qom_baseline().with_changes({"plant.tilt_deg": 20}), target)
    assert _listing(tmp_path) == ["mine.toml"] and target.read_bytes() == before


@pytest.fixture(scope="module")
def earlier_report(tmp_path_factory):
    short = sc.qom_baseline().with_changes({"lifetime_years": 2, "loan.term_months": 12})
    result = sc.simulate(short, energy=np.full(12, 420_000.0))
    out = tmp_path_factory.mktemp("earlier") / "report"
    report.write_report(result, out)
    return result, out


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _workbook_full_half_way(self, handle):
    handle.write(b"PK\x03\x04")
    _full_disk()


@pytest.mark.parametrize(
    ("owner", "method", "failing"),
    [
        (Document, "write", _full_disk),
        (Figure, "savefig", _full_disk),
        (openpyxl.Workbook, "save", _workbook_full_half_way),
    ],
    ids=["pdf", "png", "xlsx"],
)
def test_report_writers_on_a_full_disk_keep_the_earlier_report(earlier_report, tmp_path, monkeypatch,
                                                               owner, method, failing):
    result, earlier = earlier_report
    out = tmp_path / "report"
    shutil.copytree(earlier, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    monkeypatch.setattr(owner, method, failing)
    if owner is not Document:
        monkeypatch.setattr(report, "_sections", lambda *args, **kwargs: ([], {}))  # a short PDF: the failure comes later
    with pytest.raises(OSError, match="No space"):
        report.write_report(result, out, force=True)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert _listing(tmp_path) == ["report"]
