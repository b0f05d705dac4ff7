"""Measurement helpers shared by the benchmark scripts (bench_validate.py, bench_daily.py, bench_reconcile.py).

- :func:`measure` runs one command in a fresh process under ``_peak.py`` and returns its exit
  code, wall time and peak RSS (see ``_peak.py`` for why every measurement gets its own wrapper);
- :func:`osb_batch_command` is how the scripts start ``osb-batch`` (the script next to the running
  interpreter, so the measured code is the one this interpreter imports);
- :func:`profile_top` lists the osb_batch functions with the largest cumulative time of a cProfile
  output file;
- :func:`log` writes progress to stderr (stdout is the Markdown report).

The scripts import this module by name: run them as ``python benchmarks/bench_*.py``, which puts
``benchmarks/`` on ``sys.path``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEAK = HERE / "_peak.py"
MB = 1024 * 1024               # "MB" in the tables is MiB


def save_results(out: Path, name: str, results: list[dict], suffix: str = "", **extra) -> Path:
    """Write ``OUT/<name>-YYYYMMDD-HHMMSS<suffix>.json``: the machine, ``extra`` and every per-run figure."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    record = {"when": stamp, "cpus": os.cpu_count(), "platform": platform.platform(),
              "python": platform.python_version(), **extra, "results": results}
    path = out / f"{name}-{stamp}{suffix}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def measure(cmd: list[str], stdout_path: Path | None = None, ok_rcs: tuple[int, ...] = (0,),
            json_list: bool = False) -> dict:
    """Run cmd under _peak.py in a fresh process; return {"rc", "wall_s", "maxrss_kb"}."""
    wrapper = [sys.executable, str(PEAK)]
    if stdout_path is not None:
        wrapper += ["--stdout", str(stdout_path)]
    proc = subprocess.run(wrapper + cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(f"_peak.py failed ({proc.returncode}): {proc.stderr.strip()}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["rc"] not in ok_rcs:
        raise RuntimeError(f"{' '.join(cmd)} exited {result['rc']}:\n{proc.stderr.strip()[-4000:]}")
    if json_list and stdout_path is not None and not _looks_like_json_list(stdout_path):
        # A Python crash also exits 1: only a JSON list on stdout makes exit 1 a finished run.
        raise RuntimeError(f"{' '.join(cmd)} exited {result['rc']} without a JSON list on stdout:\n"
                           f"{proc.stderr.strip()[-4000:]}")
    return result


def _looks_like_json_list(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(64).lstrip()
        if not head.startswith(b"["):
            return False
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 64))
        return f.read().rstrip().endswith(b"]")


def osb_batch_command() -> list[str]:
    script = Path(sys.executable).parent / "osb-batch"
    if script.exists():
        return [str(script)]
    found = shutil.which("osb-batch")
    if found:
        return [found]
    return [sys.executable, "-m", "osb_batch"]


def profile_top(prof: Path, n: int = 15) -> list[dict]:
    """The n osb_batch functions with the largest cumulative time in the cProfile output ``prof``."""
    stats = pstats.Stats(str(prof), stream=io.StringIO())
    rows = []
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        if "osb_batch" in file.replace("\\", "/").split("/"):
            short = file.replace("\\", "/").split("/osb_batch/", 1)[-1]
            rows.append({"function": f"{short}:{line} {func}", "ncalls": ncalls, "tottime": tottime,
                         "cumtime": cumtime})
    rows.sort(key=lambda r: -r["cumtime"])
    return rows[:n]
