"""Where the demo may go: a new or empty working folder.

The demo prints what each file and order will come to. Added to a folder whose inbox already
holds files, or whose ledger already knows customers and orders, it comes to something else
each time (duplicates, orders seen before, other exposures), so it is refused without --force.
"""

from __future__ import annotations

from osb_batch.ledger import session
from osb_batch.workspace import Home


def _has_runs(home: Home, settings: object | None) -> bool:
    """Whether the folder's ledger (a shared database too) has recorded a run."""
    ledger = session.read_only(home, settings)
    if ledger is None:
        return False
    try:
        return ledger.count("runs") > 0
    finally:
        ledger.close()


def used_folder(home: Home, lang: str = "zh", settings: object | None = None) -> str:
    """Why ``home`` is not fit for the demo (in ``lang``), or "" when it is new or empty."""
    waiting = len(home.inbox_files())
    zh, en = [], []
    if waiting:
        zh.append(f"收件箱中有 {waiting} 个文件")
        en.append(f"{waiting} file(s) wait in inbox/")
    where = session.target(home, settings)
    if where == home.ledger_path and home.ledger_path.exists():
        zh.append("已有台账（state/ledger.sqlite）")
        en.append("it has a ledger (state/ledger.sqlite)")
    elif where != home.ledger_path and _has_runs(home, settings):
        zh.append("共享台账中已有运行记录")
        en.append("its shared ledger has runs")
    if not zh:
        return ""
    if lang == "en":
        return (f"{home.root} is in use: {'; '.join(en)}. The demo needs a new or empty folder, or it will not "
                f"come to what it prints: choose another folder with --home, or add --force to add it anyway.")
    return (f"{home.root} 已在使用：{'，'.join(zh)}。演示只能放入新的或空的文件夹，否则结果与演示说明不符；"
            f"请换一个文件夹（--home），或加 --force 仍然加入。")
