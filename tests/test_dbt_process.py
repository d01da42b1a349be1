"""dbt child processes started ahead of need (`chorus.build.process`, `chorus.build.worker`)."""

from __future__ import annotations

import os
from pathlib import Path

from chorus.build import process as dbt_process
from chorus.build.process import dbt_child, prestart, stop_waiting


def test_a_prestarted_child_runs_the_command_sent_later_in_the_folder_and_environment_sent(
    tmp_path: Path,
) -> None:
    """The child was started before the command existed: the command's own environment and
    working folder are the ones dbt sees, not those the child started with."""
    stop_waiting()
    prestart(1)
    waiting = list(dbt_process._waiting)
    child = dbt_child()
    assert waiting == [child] and not dbt_process._waiting  # the loaded child is handed out once
    (tmp_path / "profiles").mkdir()
    env = {**os.environ, "DBT_PROFILES_DIR": "profiles", "DBT_PROJECT_DIR": str(tmp_path / "nowhere")}
    done = child.run(["parse"], env, tmp_path)
    assert done.returncode == 2
    # `profiles` was found relative to the folder sent; the project named in the environment sent
    # is what dbt then looked for
    assert "profiles" not in done.stderr
    assert str(tmp_path / "nowhere") in done.stderr


def test_children_nobody_used_are_ended_and_end_by_themselves_without_a_command() -> None:
    stop_waiting()
    prestart(2)
    children = list(dbt_process._waiting)
    assert len(children) == 2
    stop_waiting()
    assert not dbt_process._waiting
    assert all(child.process.poll() is not None for child in children)
    # a child whose parent closes its stdin without a command exits quietly
    alone = dbt_child()
    stdout, stderr = alone.process.communicate("")
    assert alone.process.returncode == 0, stderr
