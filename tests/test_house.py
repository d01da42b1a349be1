"""The house rules a new maintainer relies on: one package per stage, each saying what it does;
one module reading the environment; the stages' order (`lint-imports`) and the SQL style
(sqlfluff), both run by `make check`."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "chorus"
STAGES = ("ingest", "build", "publish", "analyst", "report")


def test_each_stage_is_a_package_whose_init_says_what_it_does() -> None:
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        assert init.is_file(), f"chorus/{stage} is not a package"
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and len(doc.split()) >= 12, f"chorus/{stage}/__init__.py says nothing of the stage"


def environment_reads(path: Path) -> list[int]:
    """Lines of `path` that read the process environment (os.environ, os.getenv)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and node.attr in ("environ", "getenv", "environb")
        ):
            found.append(node.lineno)
    return found


def test_only_the_settings_resolver_reads_the_environment() -> None:
    """config.py resolves every setting once (environment, then Airflow Variables in tasks); the
    dbt worker only installs the environment it is handed, in its own process."""
    allowed = {PACKAGE / "config.py", PACKAGE / "build" / "worker.py"}
    readers = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if path not in allowed and (lines := environment_reads(path))
    }
    assert not readers, f"read the environment outside chorus/config.py: {readers}"


def test_the_stages_import_only_the_floors_below_them() -> None:
    linter = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(linter)], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 kept, 0 broken" in done.stdout


@pytest.mark.slow
def test_the_sql_linter_fails_a_model_out_of_style(tmp_path: Path) -> None:
    """`make check` lints the dbt project with sqlfluff: a model in upper case, its columns on one
    line, fails; the same model in the project's style passes."""
    from tools.sqllint import sqllint

    project = tmp_path / "transforms"
    shutil.copytree(PACKAGE.parent / "transforms", project, ignore=shutil.ignore_patterns("target", "logs"))
    model = project / "models" / "marts" / "zz_style.sql"
    model.write_text("SELECT campaign_id, party FROM {{ ref('campaigns') }}\n")
    assert sqllint(paths=("models/marts/zz_style.sql",), project=project) != 0
    model.write_text("select\n    campaign_id,\n    party\nfrom {{ ref('campaigns') }}\n")
    assert sqllint(paths=("models/marts/zz_style.sql",), project=project) == 0


def readme_commands() -> list[str]:
    """The command lines of the README's fenced blocks (comments cut)."""
    lines, inside = [], False
    for line in (PACKAGE.parent / "README.md").read_text().splitlines():
        if line.startswith("```"):
            inside = not inside
            continue
        command = line.split("  #")[0].strip()
        if inside and command and not command.startswith("#"):
            lines.append(command)
    return lines


def subcommand_options(words: list[str]) -> set[str] | None:
    """The options of the CLI's subcommand named by `words` (`run`, `export graph`), or None."""
    import argparse

    from chorus.cli import parser

    action: argparse.ArgumentParser | None = parser()
    for word in words:
        if action is None:
            return None
        subparsers = [a for a in action._actions if isinstance(a, argparse._SubParsersAction)]
        if not subparsers:
            break
        action = subparsers[0].choices.get(word)
    if action is None:
        return None
    return {option for a in action._actions for option in a.option_strings}


def test_every_command_in_the_readme_exists_with_the_options_it_shows() -> None:
    import re

    makefile = (PACKAGE.parent / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    checked = 0
    for command in readme_commands():
        words = command.split()
        if words[0] == "make":
            assert words[1] in targets, command
            checked += 1
        elif words[0] == "chorus":
            names = [w for w in words[1:3] if re.fullmatch(r"[a-z]+", w)]
            options = subcommand_options(names)
            assert options is not None, f"no such command: {command}"
            shown = set(re.findall(r"(--[a-z][a-z-]*)", command))
            assert shown <= options, f"{command}: no option {sorted(shown - options)}"
            checked += 1
    assert checked >= 15
