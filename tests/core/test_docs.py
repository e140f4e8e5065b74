"""The README is checked against the code: every command documented, every documented command real."""

from __future__ import annotations

import re
from pathlib import Path

import click

from leadshift.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def command_paths(group: click.Group, prefix: str = "leadshift") -> set[str]:
    paths = set()
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            paths |= command_paths(cmd, path)
        else:
            paths.add(path)
    return paths


def test_every_command_is_in_the_readme():
    documented = set(re.findall(r"`(leadshift(?: [a-z][a-z-]*)+)", README))
    missing = sorted(p for p in command_paths(main) if not any(d.startswith(p) for d in documented))
    assert not missing, f"README.md does not document: {', '.join(missing)}"


def test_every_command_the_readme_names_exists():
    real = command_paths(main)
    groups = {p.rsplit(" ", 1)[0] for p in real}
    for table_row in re.findall(r"^\| `(leadshift [^`]+)`", README, flags=re.M):
        words = [w for w in table_row.split() if re.fullmatch(r"[a-z][a-z-]*", w)]
        # The longest leading run of plain words is the command path.
        path = " ".join(words[:3]) if " ".join(words[:3]) in real else " ".join(words[:2])
        assert path in real or path in groups, f"README.md names `{table_row}`, which is no command"


def test_the_readme_gives_the_two_setup_commands():
    assert "make run" in README and "make test" in README
