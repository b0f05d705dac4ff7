"""The ``osb-batch`` command: thin wiring of settings, reader, intake and writers.

Exit status: 0 the command completed (finding bad input is its job); 1 the run itself could not
complete (another run holds the lock, an internal error), or ``validate`` found an error;
2 wrong usage or an invalid rules.toml.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

import click

from . import catalogue as catalogue_mod
from . import settings as settings_mod
from .workspace import Home, NotAWorkingFolder, RunBusy


class Context:
    def __init__(self, home: Path, lang: str | None):
        self.home = Home(home)
        self.lang_option = lang

    def settings(self, *, new_folder_ok: bool = False) -> settings_mod.Settings:
        """The folder's rules; exit 2 when it is not a working folder (unless the command makes one)."""
        try:
            if not new_folder_ok:
                self.home.check()
        except NotAWorkingFolder as missing:
            _not_a_working_folder(missing.root)
        try:
            return settings_mod.load(self.home.rules if self.home.rules.exists() else None)
        except settings_mod.SettingsError as exc:
            click.echo(f"rules.toml 有误 / rules.toml is invalid:\n{exc}", err=True)
            sys.exit(2)

    def lang(self, settings: settings_mod.Settings) -> str:
        return self.lang_option or settings.general.lang


def _not_a_working_folder(root: Path) -> None:
    click.echo(f"{root} 不是工作文件夹（没有 rules.toml）：新建请运行 osb-batch init {root}，或用 --home 指定已有的工作文件夹。\n"
               f"{root} is not a working folder (no rules.toml): run `osb-batch init {root}` to make one, "
               f"or point --home at an existing one.", err=True)
    sys.exit(2)


def _busy(busy: Exception) -> None:
    click.echo(f"另一批处理正在运行（{busy}），本次退出。/ Another run is in progress ({busy}).", err=True)
    sys.exit(1)


def _crash(obj: Context) -> None:
    log = obj.home.state / "logs" / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(traceback.format_exc(), encoding="utf-8")
    click.echo(f"批处理失败，未提交任何更改；详情见 {log}\nThe run failed; nothing was committed. See {log}", err=True)
    sys.exit(1)


class _Count:
    """A stage's items done so far, drawn on ``bar`` when the stage has one."""

    def __init__(self, bar=None):
        self.done, self.bar = 0, bar

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)


class _Terminal:
    """:class:`osb_batch.progress.Progress` on stderr: click's progress bar for a stage that knows
    its size, else its name when it starts and its time when it ends."""

    def __init__(self, lang: str):
        self.lang = lang

    @contextmanager
    def stage(self, key: str, total: int | None = None):
        from osb_batch.progress import label
        text, started = label(key, self.lang), time.monotonic()
        if total:
            with click.progressbar(length=total, label=text, file=sys.stderr, show_pos=True) as bar:
                yield _Count(bar)
            return
        count = _Count()
        click.echo(f"{text} …", err=True, nl=False)
        try:
            yield count
        finally:
            click.echo(f"{f' {count.done}' if count.done else ''} ({time.monotonic() - started:.1f} s)", err=True)


def _progress(lang: str, as_json: bool):
    """Progress for a person at a terminal; nothing for a pipe, a log file, cron or ``--json``."""
    from osb_batch.progress import QUIET
    return _Terminal(lang) if not as_json and sys.stderr.isatty() else QUIET


def _home(value: str | None) -> Path:
    return Path(value or os.environ.get("OSB_HOME") or ".").resolve()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", metavar="DIR", help="Working folder (default: $OSB_HOME, else the current directory).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of messages (default: rules.toml general.lang).")
@click.version_option(package_name="osb_batch")
@click.pass_context
def main(ctx: click.Context, home: str | None, lang: str | None) -> None:
    """osb_batch: the sales department's daily Order-Shipment-Billing batch.

    Staff drop filled workbooks into inbox/; `osb-batch run` reads, checks and applies them
    and writes what each person needs into outbox/.

    Example: osb-batch --home /srv/osb run --date 2026-11-26
    """
    ctx.obj = Context(_home(home), lang)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def init(obj: Context, directory: Path) -> None:
    """Create a new working folder: rules.toml, inbox/, outbox/, templates/xlsx/.

    Example: osb-batch init /srv/osb
    """
    from osb_batch.commands.init import init_folder
    created = init_folder(directory)
    for path in created:
        click.echo(f"created {path}")
    click.echo(str(directory.resolve()))


@main.command()
@click.option("--date", "business_date", type=click.DateTime(["%Y-%m-%d"]),
              help="Business date; with --days, the first simulated day. Default: today; with --days, "
                   "the Thursday on or before today.")
@click.option("--days", type=click.IntRange(min=1), metavar="N",
              help="Simulate N calendar days and RUN THE BATCH ITSELF for each day (weekends included).")
@click.option("--force", is_flag=True, help="Add the demo to a folder whose inbox or ledger is not empty.")
@click.pass_obj
def demo(obj: Context, business_date: dt.datetime | None, days: int | None, force: bool) -> None:
    """Fill inbox/ with a realistic demo day: master data for the eight markets, bank receipts,
    the day's orders (every decision path: QC rejection, quota cut, credit cases 5-2 to 5-7c,
    explained in docs/credit-decisions.md)
    and a few faulty files. Prints what each file and each order should come to.

    Without --days it only fills inbox/: run `osb-batch run` yourself. With --days N it runs the
    batch itself, once per calendar day from the start date: day 1 is the demo day; each later day
    drops that day's workbooks (warehouse shipment feedback every day; on working days new orders
    and the previous run's approval workbooks signed by their SLT member; a problem-log update on
    the last day) and runs. Saturdays, Sundays and holidays run too, but nobody signs. The default
    start is the Thursday on or before today, so that days 3 and 4 are Saturday and Sunday. Prints
    one line per day. The folder must be new or empty (no inbox files, no ledger) unless --force:
    a demo added to a used folder does not come to what it prints.

    Example: osb-batch --home /tmp/osb-demo demo && osb-batch --home /tmp/osb-demo run

    Example: osb-batch --home /tmp/osb-week demo --days 5 --date 2026-11-26
    """
    from osb_batch.commands.demo import fill_inbox, simulate_days
    from osb_batch.demo.folder import used_folder
    settings = obj.settings(new_folder_ok=True)
    if not force and (used := used_folder(obj.home)):
        click.echo(used, err=True)
        sys.exit(2)
    start = business_date.date() if business_date else None
    if days is None:
        click.echo(fill_inbox(obj.home, settings, start))
        return
    try:
        folder = simulate_days(obj.home, settings, start, days, echo=click.echo, lang=obj.lang(settings))
    except RunBusy as busy:
        _busy(busy)
    click.echo(str(folder))


@main.command()
@click.option("--date", "business_date", type=click.DateTime(["%Y-%m-%d"]), help="Business date (default: today, Asia/Shanghai).")
@click.option("--json", "as_json", is_flag=True, help="Print manifest.json instead of the summary.")
@click.pass_obj
def run(obj: Context, business_date: dt.datetime | None, as_json: bool) -> None:
    """The daily batch: read inbox/, apply it to the ledger, write outbox/DATE/run-NN/.

    Safe to run several times a day and again after a crash. Prints a summary and, last,
    the run folder's path. On a terminal, each stage's progress is shown on stderr; under cron,
    in a pipe or with --json nothing else is printed.

    Example: osb-batch run --date 2026-11-26
    """
    from osb_batch.daily.run import run as run_batch
    settings = obj.settings()
    lang = obj.lang(settings)
    day = business_date.date() if business_date else settings.today()
    try:
        outcome = run_batch(obj.home, settings, day, lang=lang, progress=_progress(lang, as_json))
    except RunBusy as busy:
        _busy(busy)
    except Exception:
        _crash(obj)
    if as_json:
        click.echo(json.dumps(outcome.manifest, ensure_ascii=False, indent=2))
        return
    from osb_batch.commands.run_summary import text_summary
    click.echo(text_summary(outcome.manifest, lang))
    click.echo(str(outcome.folder))


@main.command()
@click.option("--period", required=True, metavar="2026H1", help="The half year: YYYYH1 or YYYYH2.")
@click.option("--date", "business_date", type=click.DateTime(["%Y-%m-%d"]),
              help="Business date of the daily run done first when inbox/ holds files (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (README: reconcile --json).")
@click.pass_obj
def reconcile(obj: Context, period: str, business_date: dt.datetime | None, as_json: bool) -> None:
    """The half-year reconciliation: statements, control total, replies, finance's workbook.

    Files waiting in inbox/ (customers' replies, finance's export, the last invoices) are taken in
    first by a normal daily run. Writes outbox/对账-PERIOD/, replacing an earlier reconciliation
    of the same period. Stops with exit 1, writing nothing, if the statements do not add up to
    the ledger's receivables at the period end. On a terminal, progress is shown on stderr.

    Example: osb-batch reconcile --period 2026H1 --json
    """
    from osb_batch.commands import reconcile as command
    from osb_batch.reports.period import half_year
    from osb_batch.reports.reconciliation import ControlTotalError
    settings = obj.settings()
    lang = obj.lang(settings)
    chosen = half_year(period, settings)
    if chosen is None:
        raise click.BadParameter(f"'{period}' is not a period such as 2026H1 or 2026H2", param_hint="--period")
    day = business_date.date() if business_date else settings.today()
    progress = _progress(lang, as_json)
    try:
        first = command.take_inbox_first(obj.home, settings, day, lang, progress)
        if first is not None:
            click.echo(f"已先处理收件箱 / inbox processed first: {first}", err=True)
        done = command.reconcile(obj.home, settings, chosen, lang=lang, today=day, progress=progress)
    except RunBusy as busy:
        _busy(busy)
    except ControlTotalError as bad:
        click.echo(command.control_total_message(bad), err=True)
        sys.exit(1)
    except Exception:
        _crash(obj)
    if as_json:
        click.echo(json.dumps(done.result, ensure_ascii=False, indent=2))
        return
    click.echo(command.summary(done))
    click.echo(str(done.folder))


@main.command()
@click.argument("kind", type=click.Choice(["weekly", "monthly", "quarterly"]))
@click.option("--period", required=True, metavar="2026-11", help="2026-W48 (weekly), 2026-11 (monthly), 2026Q4 (quarterly).")
@click.option("--date", "business_date", type=click.DateTime(["%Y-%m-%d"]),
              help="Business date: of the daily run done first when inbox/ holds files, and the report's as-of date.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (README: Management reports).")
@click.pass_obj
def report(obj: Context, kind: str, period: str, business_date: dt.datetime | None, as_json: bool) -> None:
    """The periodic reports of a week, month or quarter into outbox/报表-PERIOD/.

    Files waiting in inbox/ are taken in first by a normal daily run. Replaces an earlier folder
    of the same period whole; a period not yet closed gives the figures so far. Exit 2 for a
    period that is not one of KIND's.

    Example: osb-batch report monthly --period 2026-11 --json
    """
    from osb_batch.commands import report as command
    settings = obj.settings()
    lang = obj.lang(settings)
    chosen = command.parse_period(kind, period)
    if chosen is None:
        click.echo(command.bad_period_message(kind, period, lang), err=True)
        sys.exit(2)
    day = business_date.date() if business_date else settings.today()
    progress = _progress(lang, as_json)
    try:
        if command.take_inbox_first(obj.home, settings, day, lang, progress) is not None:
            click.echo("已先处理收件箱 / inbox processed first", err=True)
        done = command.report(obj.home, settings, kind, chosen, lang=lang, today=day,
                              now=dt.datetime.now(dt.UTC), progress=progress)
    except RunBusy as busy:
        _busy(busy)
    except Exception:
        _crash(obj)
    click.echo(json.dumps(done.result, ensure_ascii=False, indent=2) if as_json else command.summary(done, lang))
    if not as_json:
        click.echo(str(done.folder))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print findings as a JSON list.")
@click.option("--all", "every", is_flag=True,
              help="Print every finding, not one summary per file and rule beyond intake.max_findings_per_rule.")
@click.pass_obj
def validate(obj: Context, files: tuple[Path, ...], as_json: bool, every: bool) -> None:
    """Check workbooks against the catalogue, touching no state. Exits 1 when a file has an error.

    References (customers, products) are checked against the working folder's ledger, read
    only, plus master data among FILES. Beyond intake.max_findings_per_rule findings of one rule
    in one file (rules.toml, default 200), the rest are one summary finding (rule more-of-rule)
    with their count and first cells and values; --all prints them one by one.

    Example: osb-batch validate inbox/订单-华东-1126.xlsx --json
    """
    from osb_batch.commands.validate import findings_json, findings_text, validate_files
    settings = obj.settings()
    lang = obj.lang(settings)
    findings = validate_files(obj.home, settings, list(files), every=every)
    if as_json:
        sys.stdout.writelines(findings_json(findings, lang))
        sys.stdout.flush()
    else:
        click.echo(findings_text(findings, len(files), lang))
    sys.exit(1 if any(f.is_error for f in findings) else 0)


@main.command()
@click.option("--date", "as_of", type=click.DateTime(["%Y-%m-%d"]), help="Overdue as of this date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def status(obj: Context, as_of: dt.datetime | None, as_json: bool) -> None:
    """What waits: approvals by signer, ST requests, orders waiting for payment, open problems,
    unmatched receipts, overdue customers. Reads the ledger only.

    Example: osb-batch status --json
    """
    from osb_batch.commands.status import as_json as to_json
    from osb_batch.commands.status import read_status, render
    settings = obj.settings()
    found = read_status(obj.home.ledger_path, as_of.date() if as_of else settings.today())
    if found is None:
        click.echo("尚无台账：请先运行 osb-batch run。/ No ledger yet: run `osb-batch run` first.")
        return
    click.echo(to_json(found) if as_json else render(found, obj.lang(settings)))


@main.command()
@click.argument("key", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--markdown", is_flag=True, help="Print the forms guide (填表说明, docs/forms-guide.md).")
@click.pass_obj
def forms(obj: Context, key: str | None, as_json: bool, markdown: bool) -> None:
    """List the forms catalogue, or show one form's fields.

    Example: osb-batch forms customers
    """
    from osb_batch.commands.forms import describe_form, find_form, list_forms
    cat = catalogue_mod.load()
    if markdown:
        from osb_batch.forms_guide import forms_guide
        click.echo(forms_guide(cat), nl=False)
        return
    if key is None:
        click.echo(list_forms(cat, as_json))
        return
    form = find_form(cat, key)
    if form is None:
        raise click.UsageError(f"no form {key!r}; `osb-batch forms` lists them")
    click.echo(describe_form(form, as_json))


@main.command()
@click.option("--check", is_flag=True, help="Fail (exit 1) when templates/xlsx differs from the catalogue.")
@click.pass_obj
def templates(obj: Context, check: bool) -> None:
    """Write one blank template per form into templates/xlsx/, or check they are current.

    Example: osb-batch templates --check
    """
    from osb_batch.commands.templates import stale_templates, write_all
    settings = obj.settings()
    if check:
        problems, version = stale_templates(obj.home, settings)
        for p in problems:
            click.echo(p, err=True)
        if problems:
            click.echo("templates/xlsx is out of date: run `osb-batch templates`", err=True)
            sys.exit(1)
        click.echo(f"templates/xlsx matches catalogue {version}")
        return
    written = write_all(obj.home, settings)
    click.echo(f"{len(written)} templates written to {obj.home.templates}")
