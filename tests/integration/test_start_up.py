"""What a command imports before it does anything: start-up is part of every run's time."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("modules, absent", [
    # the daily run and validate patch returned copies at the XML level: openpyxl only for odd files
    (["osb_batch.cli", "osb_batch.daily.run"], "openpyxl"),
    # validate reads and checks; it writes nothing
    (["osb_batch.cli", "osb_batch.commands.validate"], "xlsxwriter"),
    (["osb_batch.cli", "osb_batch.commands.validate"], "openpyxl"),
])
def test_a_command_does_not_import_what_only_other_commands_need(modules, absent):
    code = f"import sys, {', '.join(modules)}; print({absent!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
