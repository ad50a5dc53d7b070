"""Interrupted writes and output folders that are links, the current folder, or nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import solarcoop as sc
from solarcoop._atomic import write_file, write_folder

SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from solarcoop._atomic import write_file, write_folder

    def slow(path):
        path.write_text("half")
        print("writing", flush=True)
        time.sleep(60)

    if sys.argv[2] == "folder":
        write_folder(sys.argv[1], {"a.txt": slow})
    else:
        write_file(sys.argv[1], slow)
    """
)


@pytest.mark.parametrize("shape", ["folder", "file"])
@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_an_interrupted_write_leaves_nothing_behind(tmp_path, shape, signum, status):
    target = tmp_path / ("out" if shape == "folder" else "out.txt")
    root = Path(sc.__file__).parent.parent
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER + "\n", str(target), shape],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(root)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    try:
        assert process.stdout.readline() == "writing\n"
        process.send_signal(signum)
        process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode in (status, -signum)  # Python ends on Ctrl-C by the signal itself
    assert sorted(os.listdir(tmp_path)) == []


def test_a_write_left_by_a_killed_process_is_swept_at_the_next_start(tmp_path):
    out = tmp_path / "out"
    left = tmp_path / ".out.999999999-0123456789ab.partial"  # no process has this id
    left.mkdir()
    (left / "a.txt").write_text("half")
    write_folder(out, {"a.txt": lambda p: p.write_text("whole")})
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_an_output_folder_that_is_a_link_is_written_where_it_points(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    written = write_folder(link, {"a.txt": lambda p: p.write_text("whole")})
    assert written == [link / "a.txt"]
    assert link.is_symlink()
    assert (target / "a.txt").read_text() == "whole"
    # a second run with force replaces the set and keeps the link
    write_folder(link, {"b.txt": lambda p: p.write_text("again")}, force=True)
    assert link.is_symlink() and sorted(os.listdir(target)) == [".solarcoop-files.json", "b.txt"]


def test_a_link_to_nothing_is_refused_by_name(tmp_path):
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "gone")
    with pytest.raises(sc.InputError, match=r"output folder '.*link' is a link to '.*gone', which does not exist"):
        write_folder(link, {"a.txt": lambda p: p.write_text("x")})


@pytest.mark.parametrize("out", [".", "x/..", ".."])
def test_the_current_folder_or_one_holding_it_is_refused_and_nothing_stray_is_made(tmp_path, monkeypatch, out):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with pytest.raises(sc.InputError, match="is the current folder or holds it"):
        write_folder(out, {"a.txt": lambda p: p.write_text("x")})
    assert os.listdir(work) == []
    assert os.listdir(tmp_path) == ["work"]


def test_a_single_file_write_interrupted_keeps_the_earlier_file(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("earlier")

    def fail(path):
        path.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_file(target, fail)
    assert os.listdir(tmp_path) == ["a.txt"] and target.read_text() == "earlier"


def test_ctrl_c_in_the_command_is_one_line_without_a_traceback(monkeypatch, capsys):
    from solarcoop import cli

    def interrupted(args):
        raise KeyboardInterrupt

    parser = cli.build_parser

    def patched():
        built = parser()
        built.set_defaults(handler=interrupted)
        for action in built._subparsers._group_actions:
            for sub in action.choices.values():
                sub.set_defaults(handler=interrupted)
        return built

    monkeypatch.setattr(cli, "build_parser", patched)
    assert cli.main(["run", "--paths", "0"]) == 130
    err = capsys.readouterr().err
    assert err.startswith("solarcoop: stopped") and "Traceback" not in err


def test_a_full_disk_is_reported_as_such_when_the_writer_fails_again_on_closing(tmp_path, capsys):
    import errno

    def full_disk_then_closed(path):
        try:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        finally:
            raise ValueError("seek of closed file")  # what a PDF writer raises on its way out

    with pytest.raises(OSError) as caught:
        write_folder(tmp_path / "out", {"report.pdf": full_disk_then_closed})
    assert caught.value.errno == errno.ENOSPC
    with pytest.raises(OSError) as caught:
        write_file(tmp_path / "a.pdf", full_disk_then_closed)
    assert caught.value.errno == errno.ENOSPC
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc, where no folder can be made")
def test_a_folder_that_cannot_be_made_is_named_not_the_temporary_one():
    with pytest.raises(sc.InputError, match=r"cannot write output folder '/proc/solarcoop-out': .* in '/proc'") as caught:
        write_folder("/proc/solarcoop-out", {"a.txt": lambda p: p.write_text("x")})
    assert ".partial" not in str(caught.value)
