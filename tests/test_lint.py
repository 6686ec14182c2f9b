"""The house style (docs/architecture.md#house-style): ruff finds nothing to complain about."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUFF = Path(sys.executable).with_name("ruff")


def test_ruff_finds_no_lint_errors():
    result = subprocess.run(
        [
            str(RUFF),
            "check",
            "--quiet",
            "app",
            "crm",
            "demo",
            "mapping",
            "tests",
            "bench",
            "config.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
