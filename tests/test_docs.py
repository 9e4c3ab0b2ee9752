"""The README documents every command-line option and every database table."""

import re
from pathlib import Path

from etl import cli, schema
from etl.model import store

README = (Path(__file__).parents[1] / "README.md").read_text("utf-8")


def option_strings():
    main = cli.parser()
    commands = next(a for a in main._actions if a.dest == "command")
    for name, sub in commands.choices.items():
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    yield name, option


def test_every_command_line_option_appears_in_the_readme():
    missing = [f"{name} {option}" for name, option in option_strings() if f"`{option}" not in README]
    assert missing == []


def test_every_command_appears_in_the_readme():
    commands = next(a for a in cli.parser()._actions if a.dest == "command")
    assert [c for c in commands.choices if f"| `{c}` |" not in README] == []


def test_every_table_of_the_schema_is_in_the_data_dictionary():
    tables = re.findall(r"CREATE (?:VIRTUAL TABLE|TABLE|VIEW) (\w+)", schema.TABLES) + list(store.TABLES)
    assert [t for t in tables if f"**`{t}`**" not in README] == []
