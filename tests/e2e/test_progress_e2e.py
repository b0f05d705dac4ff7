"""Progress on a terminal: stage names on stderr when it is a TTY, nothing extra otherwise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from osb_batch.progress import label


def under_a_terminal(osb, *args: str) -> tuple[str, str]:
    """Run the CLI with stderr on a pseudo-terminal and stdout on a pipe: (stdout, what the terminal showed)."""
    master, slave = os.openpty()
    shown = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:         # EIO: every writer of the terminal is gone
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        done = subprocess.run([sys.executable, "-m", "osb_batch", "--home", str(osb.home), *args],
                              stdout=subprocess.PIPE, stderr=slave, text=True, timeout=300)
    finally:
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
    assert done.returncode == 0, shown.decode(errors="replace")
    return done.stdout, shown.decode("utf-8", errors="replace")


def test_a_run_on_a_terminal_shows_its_stages_and_prints_the_same_summary(osb):
    osb("demo", "--date", "2026-11-26")
    stdout, terminal = under_a_terminal(osb, "run", "--date", "2026-11-26")
    for stage in ("read", "apply", "write"):
        assert label(stage, "zh") in terminal, terminal
    assert len(stdout.splitlines()) == 7 and stdout.splitlines()[-1].endswith("run-01")   # with 催报
    stdout, terminal = under_a_terminal(osb, "--lang", "en", "reconcile", "--period", "2026H2", "--date", "2026-11-27")
    assert label("build", "en") in terminal and label("statements", "en") in terminal, terminal
    assert stdout.splitlines()[-1].endswith("对账-2026H2")


def test_without_a_terminal_a_run_prints_only_its_summary_and_json_only_json(osb):
    osb("demo", "--date", "2026-11-26")
    piped = osb.subprocess("run", "--date", "2026-11-26")
    assert (piped.returncode, piped.stderr) == (0, "")
    lines = piped.stdout.splitlines()
    assert len(lines) == 7 and lines[0].startswith("业务日期 2026-11-26") and lines[-1].endswith("run-01")
    again = osb.subprocess("run", "--date", "2026-11-26", "--json")
    assert (again.returncode, again.stderr) == (0, "")
    assert json.loads(again.stdout)["run"] == 2


def test_json_on_a_terminal_shows_no_progress(osb):
    osb("demo", "--date", "2026-11-26")
    stdout, terminal = under_a_terminal(osb, "run", "--date", "2026-11-26", "--json")
    assert json.loads(stdout)["run"] == 1
    assert terminal == ""
