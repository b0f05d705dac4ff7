"""Run one command as a child and report its wall time and peak memory.

Usage: python benchmarks/_peak.py [--stdout PATH] CMD [ARG...]

The command's stdout goes to PATH (default: /dev/null); its stderr is passed through. When the
child ends, this prints one JSON line on its own stdout:

    {"rc": 0, "wall_s": 1.234, "cpu_s": 1.1, "maxrss_kb": 123456}

``maxrss_kb`` is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of this wrapper, that is the peak
resident set size of the largest child (and grandchild that was waited for) it ever had. The
wrapper has exactly one child, so the figure is that command's own peak, which is why
bench_validate.py starts a fresh wrapper for every measurement (RUSAGE_CHILDREN in the
benchmark process itself would be the max over every run so far). ``cpu_s`` is the child's user +
system CPU time (all its threads), which other work on a shared machine inflates far less than
the wall time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    out_path = os.devnull
    if argv[:1] == ["--stdout"]:
        if len(argv) < 2:
            print("usage: _peak.py [--stdout PATH] CMD [ARG...]", file=sys.stderr)
            return 2
        out_path, argv = argv[1], argv[2:]
    if not argv:
        print("usage: _peak.py [--stdout PATH] CMD [ARG...]", file=sys.stderr)
        return 2
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        rc = subprocess.run(argv, stdout=out, check=False).returncode
        wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss
    if sys.platform == "darwin":  # bytes there, kilobytes on Linux
        peak //= 1024
    print(json.dumps({"rc": rc, "wall_s": round(wall, 4), "cpu_s": round(usage.ru_utime + usage.ru_stime, 4),
                      "maxrss_kb": peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
