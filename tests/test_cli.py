import pandas as pd

import solarcoop as sc
from solarcoop.cli import main


def test_run_prints_a_summary_and_writes_table_and_charts(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "--out", str(out), "--paths", "250"]) == 0
    printed = capsys.readouterr().out
    # the headline leads: P50 / P90 and the chance of the promise, then the single run
    assert printed.index("P50 / P90 nominal") < printed.index("specific yield, year 1")
    assert "chance that a month reaches the promise, 50 M rial of Shahrivar 1404 money" in printed
    assert "(percentile " in printed
    headline = pd.read_csv(out / "headline.csv", index_col="operating_year")
    assert headline.index.tolist() == [1, 2, 3, 9]  # the instalments withheld are cleared in year 8
    debt = pd.read_csv(out / "headline_debt.csv", index_col="figure")["value"]
    assert float(debt["n_paths"]) == 250 and float(debt["most_owed_p90_rial"]) >= float(debt["most_owed_p50_rial"]) > 0
    assert float(debt["single_most_owed_rial"]) > 0  # the single run owes withheld instalments
    # the central practice withholds the instalments: the run says what the family owes
    assert "months paid from its own pocket   0" in printed and "months owing unpaid instalments" in printed
    assert "specific yield, year 1" in printed
    assert "the family's money after it" in printed and "paid out after it, never below 0" in printed
    assert "the same, in money of Shahrivar 1404" in printed
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


def test_report_writes_pdf_workbook_and_charts_then_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", "--out", str(out), "--paths", "200", "--lang", "fa"]) == 0
    names = {path.name for path in out.iterdir()}
    assert {"report_fa.pdf", "report_fa.xlsx", "fan_fa.png", "tornado_fa.png"} <= names
    from solarcoop.present.locales import catalog

    printed = capsys.readouterr().out.splitlines()
    assert printed[-1].startswith(catalog("fa")["command_line"]["wrote"].split("{")[0])  # the files, in Persian
    assert "wrote" not in printed[-1]
    assert main(["report", "--out", str(out), "--paths", "0", "--lang", "fa"]) == 2
    assert "already holds the files of an earlier run" in capsys.readouterr().err


def test_run_takes_the_scenario_file_as_its_argument(tmp_path, capsys):
    from solarcoop.files import save_scenario

    scenario = sc.qom_baseline().with_changes({"cooperative.families": 300})
    path = save_scenario(scenario, tmp_path / "case.toml")
    assert main(["run", str(path), "--out", str(tmp_path / "a")]) == 0
    assert capsys.readouterr().out.startswith("Qom cooperative, 300 families, 3 MW")
    assert main(["run", "--scenario", str(path), "--out", str(tmp_path / "b")]) == 0
    assert (tmp_path / "a" / "monthly.csv").read_text() == (tmp_path / "b" / "monthly.csv").read_text()
    other = tmp_path / "other.toml"
    assert main(["run", str(path), "--scenario", str(other), "--out", str(tmp_path / "c")]) == 2
    assert "two scenario files given" in capsys.readouterr().err


def _latin_outside_codes(line: str) -> str:
    """The Latin letters and digits of a line, but for the codes given in brackets."""
    import re

    return "".join(ch for ch in re.sub(r"\([a-z0-9_.]+\)", "", line) if ch.isascii() and ch.isalnum())


def test_goal_seek_speaks_persian_with_lang_fa(capsys):
    assert main(["goal-seek", "--target", "50e6"]) == 0
    english = capsys.readouterr().out
    assert main(["goal-seek", "--target", "50e6", "--lang", "fa"]) == 0
    persian = capsys.readouterr().out.strip()
    # the same value found: "tariff.base_price_rial_per_kwh = 144,747.72 gives ..."
    value = english.split(" = ")[1].split(" gives")[0]
    from solarcoop.present.text import digits

    assert digits(value.replace(",", "٬").replace(".", "٫"), "fa") in persian
    assert "(tariff.base_price_rial_per_kwh)" in persian and "(family_cash_flow_rial_mean_year1)" in persian
    assert "۵۰٬۰۰۰٬۰۰۰" in persian and not _latin_outside_codes(persian)
    # out of reach, with who takes a change of the size: both said in Persian
    assert main(["goal-seek", "--path", "plant.capacity_kwp", "--target", "40e6", "--lang", "fa"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("در بازهٔ جست‌وجو دست‌یافتنی نیست")
    assert lines[1].startswith("یادداشت:")
    assert not any(_latin_outside_codes(line) for line in lines)
