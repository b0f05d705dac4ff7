"""Measurement helpers shared by the benchmark scripts (bench_validate.py, bench_daily.py, bench_reconcile.py).

- :func:`measure` runs one command in a fresh process under ``_peak.py`` and returns its exit
  code, wall time and peak RSS (see ``_peak.py`` for why every measurement gets its own wrapper);
- :func:`osb_batch_command` is how the scripts start ``osb-batch`` (the script next to the running
  interpreter, so the measured code is the one this interpreter imports);
- :func:`profile_top` lists the osb_batch functions with the largest cumulative time of a cProfile
  output file;
- :func:`log` writes progress to stderr (stdout is the Markdown report); :func:`print_profile`
  prints a profile's top functions as a Markdown table;
- :func:`run_osb` runs an untimed ``osb-batch`` command (seeding a working folder);
- generated inputs: the names, word lists and order columns the scripts share, :func:`person`,
  :func:`headers` (the catalogue's labels, through :mod:`osb_batch.demo.staff_workbook`),
  :class:`StreamedSheet` (one sheet written with xlsxwriter ``constant_memory``, the fast path
  for large inputs) and :func:`order_line` (an order line with one deliberate fault).

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
import random
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from osb_batch import catalogue as catalogue_mod
from osb_batch.demo.staff_workbook import DATE_FORMAT, MONEY_FORMAT, form_header

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


def print_profile(top: list[dict]) -> None:
    """The rows of :func:`profile_top` as a Markdown table."""
    print("| cum s | own s | calls | function |")
    print("|---:|---:|---:|---|")
    for t in top:
        print(f"| {t['cumtime']:.2f} | {t['tottime']:.2f} | {t['ncalls']:,} | `{t['function']}` |")


def run_osb(home: Path, *args: str) -> subprocess.CompletedProcess:
    """``osb-batch --home HOME ARGS``, untimed; raises with its output unless it exits 0."""
    proc = subprocess.run(osb_batch_command() + ["--home", str(home), *args], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"osb-batch {' '.join(args)} exited {proc.returncode}:\n"
                           f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return proc


# ----------------------------------------------------------------------------------------------
# Generated inputs

KAMS = ["王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄勇", "周杰", "吴芳", "徐强", "孙丽"]
MMS = ["郑国栋", "马晓燕", "胡建华", "朱玉兰", "高志强", "林春梅", "何文斌", "罗秀英"]
UMS = ["李强", "陈刚", "刘建军", "王海燕", "张志明", "杨晓东"]
BRANDS = ["恒通", "华信", "瑞丰", "鑫盛", "宏达", "永兴", "金鼎", "和顺", "隆昌", "万家"]
TRADES = ["商贸", "贸易", "百货", "实业", "物资"]
PRODUCT_NAMES = [("全效洗衣液", "箱"), ("柔顺剂", "箱"), ("洗洁精", "箱"), ("消毒液", "箱"),
                 ("洗手液", "箱"), ("厨房清洁剂", "箱"), ("玻璃清洁剂", "箱"), ("地板清洁剂", "桶")]
ST_REASONS = ["订货会", "业务超预期", "其他"]
ST_NOTES = ["订货会现场追加", "客户新店开业备货", "春节前备货", "竞品断货，客户临时加单"]
REMARKS = ["请周五前发货", "指定托运站发货", "分两批发", "随货附发票", "联系人电话已更新"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "强", "丽", "涛", "明", "超", "秀英",
         "建国", "海燕", "志强", "晓东", "春梅", "文斌", "玉兰", "国栋", "建华", "晓燕", "海涛", "丽华", "卫东"]

# Columns of an orders sheet (field keys, template order) and their widths.
ORDER_KEYS = ["order_no", "order_date", "customer_code", "kam_verified", "mm_approved", "product_code", "qty",
              "unit_price", "amount", "st_requested", "st_reason", "st_note", "over_quota_requested", "remark"]
ORDER_WIDTHS = [20, 12, 10, 12, 12, 10, 8, 11, 13, 12, 14, 24, 10, 18]


def person(rng: random.Random, taken: set[str]) -> str:
    """A Chinese person's name not in ``taken`` (added to it)."""
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in taken:
            taken.add(name)
            return name


def headers(form_key: str, keys: list[str]) -> list[str]:
    """The catalogue's labels of ``keys``, ``*`` on required fields: the template's header."""
    return form_header(form_key, keys, star=True)[1]


class StreamedSheet:
    """One sheet streamed with xlsxwriter ``constant_memory`` into ``path`` (written to a temporary
    file, moved into place by :meth:`close`): a bold header of :func:`headers`, frozen, then one
    row per :meth:`write`. Text is written as text, datetimes as dates, other values as numbers
    (money fields as ``#,##0.00``, quantities as ``0``); None leaves the cell empty."""

    def __init__(self, path: Path, form_key: str, keys: list[str], *, sheet: str,
                 widths: list[int] | None = None):
        import xlsxwriter

        self.path, self.tmp, self.keys, self.row = path, path.with_suffix(".tmp.xlsx"), keys, 1
        self.wb = xlsxwriter.Workbook(str(self.tmp), {"constant_memory": True})
        self.ws = self.wb.add_worksheet(sheet)
        self.date = self.wb.add_format({"num_format": DATE_FORMAT})
        by_type = {"money": self.wb.add_format({"num_format": MONEY_FORMAT}),
                   "quantity": self.wb.add_format({"num_format": "0"})}
        form = catalogue_mod.load()[form_key]
        self.number = [by_type.get(form.field(k).type) for k in keys]
        head = self.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.ws.freeze_panes(1, 0)
        for c, label in enumerate(headers(form_key, keys)):
            self.ws.set_column(c, c, widths[c] if widths else max(10, 2 * len(label) + 2))
            self.ws.write_string(0, c, label, head)

    def write(self, values: Mapping[str, object]) -> None:
        ws, r = self.ws, self.row
        for c, key in enumerate(self.keys):
            value = values.get(key)
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            elif isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, self.date)
            else:
                ws.write_number(r, c, value, self.number[c])
        self.row += 1

    def close(self) -> None:
        self.wb.close()
        os.replace(self.tmp, self.path)


def write_sheet(path: Path, form_key: str, keys: list[str], rows: list[dict]) -> None:
    """A whole sheet of ``rows`` (field key -> value) through :class:`StreamedSheet`."""
    sheet = StreamedSheet(path, form_key, keys, sheet=catalogue_mod.load()[form_key].zh)
    for row in rows:
        sheet.write(row)
    sheet.close()


def order_line(values: dict, fault: str | None, rng: random.Random) -> dict:
    """The order line ``values`` (unit price and amount in cents) as written, with ``fault``:
    ``qty_text``, ``price_text``, ``date_text_invalid``, ``customer_blank``, ``kam_blank``,
    ``bool_invalid`` or ``amount_mismatch`` (off by 1.00); other faults are the caller's."""
    line = {**values, "unit_price": values["unit_price"] / 100,
            "amount": (values["amount"] + (100 if fault == "amount_mismatch" else 0)) / 100}
    if fault == "date_text_invalid":
        line["order_date"] = "2026-13-45"
    elif fault in ("customer_blank", "kam_blank"):
        line["customer_code" if fault == "customer_blank" else "kam_verified"] = None
    elif fault == "qty_text":
        line["qty"] = rng.choice(["十二", "约50", "一箱"])
    elif fault == "price_text":
        line["unit_price"] = "待定"
    elif fault == "bool_invalid":
        line["st_requested"] = "也许"
    return line
