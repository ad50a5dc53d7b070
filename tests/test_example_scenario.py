"""The example scenario file that writes out every field is today's baseline."""

from pathlib import Path

import solarcoop as sc

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "scenarios" / "qom.toml"


def test_the_full_example_file_is_the_baseline_written_out(tmp_path):
    written = sc.save_scenario(sc.qom_baseline(), tmp_path / "qom.toml", full=True)
    assert EXAMPLE.read_text(encoding="utf-8") == Path(written).read_text(encoding="utf-8")
