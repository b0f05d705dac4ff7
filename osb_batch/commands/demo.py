"""``osb-batch demo``: a demo day dropped into inbox/, or several days simulated and run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from osb_batch.settings import Settings
from osb_batch.workspace import Home

from .init import init_folder


def fill_inbox(home: Home, settings: Settings, day: dt.date | None, lang: str = "zh") -> str:
    """Drop the demo day's workbooks into inbox/ (default: today); what each should come to, in ``lang``."""
    from osb_batch.demo.workbooks import build, demo_summary, write_demo
    init_folder(home.root)
    data = build(settings, day or settings.today())
    return demo_summary(write_demo(home.inbox, data), data, lang)


def simulate_days(home: Home, settings: Settings, start: dt.date | None, days: int, *,
                  echo: Callable[[str], None], lang: str) -> Path:
    """Run ``days`` simulated days (default start: the Thursday on or before today); the last run's folder.

    Raises workspace.RunBusy when another run holds the lock.
    """
    from osb_batch.demo.week import default_start, simulate
    init_folder(home.root)
    outcomes = simulate(home, settings, start or default_start(settings.today()), days, echo=echo, lang=lang)
    return outcomes[-1].folder
