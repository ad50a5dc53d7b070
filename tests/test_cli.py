import pandas as pd

from solarcoop.cli import main


def test_run_prints_a_summary_and_writes_table_and_charts(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "specific yield, year 1" in printed
    assert "payout after instalment (net)" in printed
    assert str(out / "monthly.csv") in printed
    monthly = pd.read_csv(out / "monthly.csv")
    assert len(monthly) == 300
    assert monthly["label"].iloc[0] == "1405-01"
    for chart in ("payout.png", "energy.png"):
        assert (out / chart).stat().st_size > 10_000


def test_bad_scenario_file_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "nothing.toml"
    assert main(["run", "--scenario", str(missing), "--out", str(tmp_path)]) == 2
    assert "nothing.toml" in capsys.readouterr().err
