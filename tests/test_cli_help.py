"""Every command explains itself with an example."""
import pytest
from click.testing import CliRunner

from monitor.cli import main

COMMANDS = sorted(main.commands)


def test_top_level_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_an_example(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert f"jobmon {name}" in result.output


def test_bad_week_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["shortages", "--db", str(tmp_path / "s.db"), "--week", "47"])
    assert result.exit_code != 0
    assert "ISO week like 2026-W47" in result.output


def test_shortages_before_monitor_says_what_to_do(tmp_path):
    result = CliRunner().invoke(main, ["shortages", "--db", str(tmp_path / "s.db")])
    assert result.exit_code != 0
    assert "jobmon monitor" in result.output


def test_match_titles_writes_one_csv_row_per_line():
    result = CliRunner().invoke(main, ["match-titles"], input="Java开发工程师（急招）\n搬砖\n\n")
    lines = result.output.splitlines()
    assert lines[0] == "title,code,name,level,score,method"
    assert lines[1].startswith("Java开发工程师（急招）,2-02-10-03,计算机软件工程技术人员,细类,")
    assert lines[2] == "搬砖,,,,0.0,"
    assert len(lines) == 4
