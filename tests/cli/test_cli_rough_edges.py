"""Command-line rough edges: clear errors instead of tracebacks, links on the real address, help
text, and the README's Python example actually runs."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pmp_surveys.cli import main
from pmp_surveys.settings import project_root

ROOT = project_root()
CLI = [str(Path(sys.executable).parent / "pmp-surveys")]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a child process, with no terminal (stdin is /dev/null)."""
    import os

    return subprocess.run(
        [*CLI, *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_create_operator_without_a_terminal_says_what_to_do() -> None:
    done = cli("users", "create-operator", "--email", "op@example.lv", "--name", "Op")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "--password-stdin" in done.stderr


def test_export_to_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "t.csv"
    done = cli("export", "--campaign", "x", "--format", "csv", "--lang", "lv", "--out", str(target))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "does not exist" in done.stderr
    folder = cli("export", "--campaign", "x", "--format", "csv", "--lang", "lv", "--out", str(tmp_path))
    assert folder.returncode == 1 and "is a folder" in folder.stderr


def test_plan_help_shows_a_single_percent_sign(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    out = capsys.readouterr().out
    assert "70 %" in out.replace("\n", " ") and "%%" not in out


def test_plan_refuses_an_icc_without_a_cluster_size(capsys: pytest.CaptureFixture[str]) -> None:
    # it printed 381 responses (design effect 1) where 742 are needed with 20 per school
    with pytest.raises(SystemExit) as stopped:
        main(["plan", "--half-width", "0.05", "--icc", "0.05"])
    assert stopped.value.code != 0 and "--cluster-size" in str(stopped.value.code)
    assert main(["plan", "--half-width", "0.05", "--icc", "0.05", "--cluster-size", "20"]) == 0
    assert "742 responses" in capsys.readouterr().out


async def test_invite_prints_the_running_servers_address(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("PMP_DATABASE_URL", database_url)
    monkeypatch.setenv("PMP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PMP_PUBLIC_URL", raising=False)
    (tmp_path / "server_url").write_text("http://127.0.0.1:8112\n")
    out = await asyncio.to_thread(
        _capture, ["users", "invite", "--email", "new.operator@example.lv", "--role", "operator"]
    )
    assert "http://127.0.0.1:8112/admin/invite/" in out
    out = await asyncio.to_thread(
        _capture,
        [
            "users",
            "invite",
            "--email",
            "other.op@example.lv",
            "--role",
            "operator",
            "--base-url",
            "https://aptauja.lv/",
        ],
    )
    assert "https://aptauja.lv/admin/invite/" in out and ":8000" not in out


def _capture(argv: list[str]) -> str:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(argv) == 0
    return buffer.getvalue()


def test_readme_statistics_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL) if "target_verdict(" in b]
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
