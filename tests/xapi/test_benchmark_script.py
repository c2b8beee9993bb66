"""The LRS load benchmark runs end to end (tiny sizes: a smoke test, no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("client", ["stdlib", "httpx"])
def test_post_phases_print_one_json_line_per_figure(client: str) -> None:
    """Test that both POST phases store every statement and print their figures."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "lrs_load.py"), "--db", "sqlite",
         "--phases", "post", "--singles", "3", "--batches", "2", "--clients", "2",
         "--port", str(free_port()), "--client", client],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [line["benchmark"] for line in lines] == ["lrs.post_single", "lrs.post_batch50"]
    for line in lines:
        assert line["db"] == "sqlite" and line["unit"] == "statements/s"
        assert line["value"] > 0 and line["server_cpu_ms"] > 0 and line["client"] == client
        assert line["p95_ms"] >= line["p50_ms"] > 0
