"""The README's quick start runs as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_quick_start_runs():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has no Python quick start"
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - our own README
    assert namespace["result"].summary["specific_yield_kwh_per_kwp_year1"] > 1_600
    assert namespace["risk"].n_paths == 10_000


def test_readme_gives_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "pip install -e . && solarcoop run" in text
    assert 'pip install -e ".[test]" && pytest' in text
