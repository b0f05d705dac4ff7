"""The ``osb-batch`` command: thin wiring of settings, reader, intake and writers.

Exit status: 0 the command completed (finding bad input is its job); 1 the run itself could not
complete (another run holds the lock, an internal error), or ``validate`` found an error;
2 wrong usage or an invalid rules.toml.

Every text comes from :mod:`osb_batch.cli_texts`, in the language of the command line, found
before its arguments are parsed (--lang, $OSB_LANG, rules.toml general.lang, else Chinese): the
help of every command and option, and click's own messages, which click marks for gettext through
its modules' ``_`` and ``ngettext``, given here in that language.
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
from .cli_texts import OPTION_HELP, cli_language, click_gettext, command_help, say
from .workspace import Home, NotAWorkingFolder, RunBusy

_CLICK_MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                  click.types)


def _speak(group: click.Group, lang: str) -> None:
    """Click's messages and every command's and option's help in ``lang``."""
    gettext, ngettext = click_gettext(lang)
    for module in _CLICK_MODULES:
        for name, function in (("_", gettext), ("ngettext", ngettext)):
            if hasattr(module, name):
                setattr(module, name, function)
    named = [("main", group), *group.commands.items()]
    named += [(f"{name} {sub}", c) for name, g in group.commands.items() if isinstance(g, click.Group)
              for sub, c in g.commands.items()]
    for name, command in named:
        command.short_help, command.help = command_help(name, lang)
        for param in command.params:
            if (texts := OPTION_HELP.get(f"{name}.{param.name}")) and isinstance(param, click.Option):
                param.help = texts[lang == "en"]


class _Command(click.Command):
    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = click.core._("Show this message and exit.")
        return option


class _Group(_Command, click.Group):
    """osb-batch: finds the language of the command line before click parses it."""

    command_class = _Command

    def main(self, args=None, *rest, **extra):
        args = list(sys.argv[1:] if args is None else args)
        _speak(self, cli_language(args))
        return super().main(args, *rest, **extra)


class Context:
    def __init__(self, home: Path, lang: str | None, speaks: str):
        self.home = Home(home)
        self.lang_option = lang
        self.speaks = speaks            # the language found before the command line was parsed

    def settings(self, *, new_folder_ok: bool = False) -> settings_mod.Settings:
        """The folder's rules; exit 2 when it is not a working folder (unless the command makes one)."""
        try:
            if not new_folder_ok:
                self.home.check()
        except NotAWorkingFolder as missing:
            click.echo(say("not_a_working_folder", self.speaks, root=missing.root), err=True)
            sys.exit(2)
        try:
            return settings_mod.load(self.home.rules if self.home.rules.exists() else None)
        except settings_mod.SettingsError as exc:
            click.echo(say("rules_invalid", self.speaks, error=exc), err=True)
            sys.exit(2)

    def lang(self, settings: settings_mod.Settings) -> str:
        return self.lang_option or settings.general.lang


def _busy(obj: Context, busy: Exception) -> None:
    click.echo(say("busy", obj.speaks, busy=busy), err=True)
    sys.exit(1)


def _crash(obj: Context) -> None:
    log = obj.home.state / "logs" / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(traceback.format_exc(), encoding="utf-8")
    click.echo(say("crash", obj.speaks, log=log), err=True)
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


# help texts: osb_batch/cli_texts.py (COMMAND_HELP, OPTION_HELP), in the language of the command line
@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", metavar="DIR")
@click.option("--lang", type=click.Choice(["zh", "en"]), envvar="OSB_LANG")
@click.version_option(package_name="osb_batch")
@click.pass_context
def main(ctx: click.Context, home: str | None, lang: str | None) -> None:
    ctx.obj = Context(_home(home), lang, lang or cli_language(["--home", str(_home(home))]))


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def init(obj: Context, directory: Path) -> None:
    from osb_batch.commands.init import init_folder
    created = init_folder(directory)
    for path in created:
        click.echo(say("created", obj.speaks, path=path))
    click.echo(str(directory.resolve()))


@main.command()
@click.option("--date", "business_date", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD")
@click.option("--days", type=click.IntRange(min=1), metavar="N")
@click.option("--force", is_flag=True)
@click.pass_obj
def demo(obj: Context, business_date: dt.datetime | None, days: int | None, force: bool) -> None:
    from osb_batch.commands.demo import fill_inbox, simulate_days
    from osb_batch.demo.folder import used_folder
    settings = obj.settings(new_folder_ok=True)
    if not force and (used := used_folder(obj.home, obj.lang(settings), settings)):
        click.echo(used, err=True)
        sys.exit(2)
    start = business_date.date() if business_date else None
    if days is None:
        click.echo(fill_inbox(obj.home, settings, start, obj.lang(settings)))
        return
    try:
        folder = simulate_days(obj.home, settings, start, days, echo=click.echo, lang=obj.lang(settings))
    except RunBusy as busy:
        _busy(obj, busy)
    click.echo(str(folder))


@main.command()
@click.option("--date", "business_date", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def run(obj: Context, business_date: dt.datetime | None, as_json: bool) -> None:
    from osb_batch.daily.run import run as run_batch
    settings = obj.settings()
    lang = obj.lang(settings)
    day = business_date.date() if business_date else settings.today()
    try:
        outcome = run_batch(obj.home, settings, day, lang=lang, progress=_progress(lang, as_json))
    except RunBusy as busy:
        _busy(obj, busy)
    except Exception:
        _crash(obj)
    if as_json:
        click.echo(json.dumps(outcome.manifest, ensure_ascii=False, indent=2))
        return
    from osb_batch.commands.run_summary import text_summary
    click.echo(text_summary(outcome.manifest, lang))
    click.echo(str(outcome.folder))


@main.command()
@click.option("--period", required=True, metavar="2026H1")
@click.option("--date", "business_date", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def reconcile(obj: Context, period: str, business_date: dt.datetime | None, as_json: bool) -> None:
    from osb_batch.commands import reconcile as command
    from osb_batch.reports.period import half_year
    from osb_batch.reports.reconciliation import ControlTotalError
    settings = obj.settings()
    lang = obj.lang(settings)
    chosen = half_year(period, settings)
    if chosen is None:
        raise click.BadParameter(say("bad_period", lang, period=period), param_hint="--period")
    day = business_date.date() if business_date else settings.today()
    progress = _progress(lang, as_json)
    try:
        _inbox_first(obj, settings, day, lang, progress, command.take_inbox_first)
        done = command.reconcile(obj.home, settings, chosen, lang=lang, today=day, progress=progress)
    except RunBusy as busy:
        _busy(obj, busy)
    except ControlTotalError as bad:
        click.echo(command.control_total_message(bad, lang), err=True)
        sys.exit(1)
    except Exception:
        _crash(obj)
    _show(done, command.summary, lang, as_json)


@main.command()
@click.option("--dry-run", is_flag=True)
@click.option("--test-to", metavar="ADDRESS")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def deliver(obj: Context, dry_run: bool, test_to: str | None, as_json: bool) -> None:
    import smtplib

    from osb_batch.commands import deliver as command
    settings = obj.settings()
    lang = obj.lang(settings)
    if not as_json:
        click.echo(command.configuration(settings, lang), err=True)
    if not settings.mail.host:
        sys.exit(1)
    if test_to:
        try:
            click.echo(command.send_test(settings, test_to))
        except (smtplib.SMTPException, OSError) as bad:
            click.echo(f"{type(bad).__name__}: {bad}", err=True)
            sys.exit(1)
        return
    try:
        done = command.deliver(obj.home, settings, dry_run=dry_run, today=settings.today())
    except RunBusy as busy:
        _busy(obj, busy)
    click.echo(json.dumps(done, ensure_ascii=False, indent=2) if as_json else command.listing(done, lang))
    if any(d["status"] == "failed" for d in done):
        sys.exit(1)


def _inbox_first(obj: Context, settings, day: dt.date, lang: str, progress, take_inbox_first) -> None:
    """A daily run first when inbox/ holds files, said on stderr."""
    first = take_inbox_first(obj.home, settings, day, lang, progress)
    if first is not None:
        click.echo(say("inbox_first", lang, folder=first), err=True)


def _show(done, summary, lang: str, as_json: bool) -> None:
    """A report's JSON, or its summary and, last, its folder."""
    if as_json:
        click.echo(json.dumps(done.result, ensure_ascii=False, indent=2))
        return
    click.echo(summary(done, lang))
    click.echo(str(done.folder))


@main.command()
@click.argument("kind", type=click.Choice(["weekly", "monthly", "quarterly"]))
@click.option("--period", required=True, metavar="2026-11")
@click.option("--date", "business_date", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def report(obj: Context, kind: str, period: str, business_date: dt.datetime | None, as_json: bool) -> None:
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
        _inbox_first(obj, settings, day, lang, progress, command.take_inbox_first)
        done = command.report(obj.home, settings, kind, chosen, lang=lang, today=day,
                              now=dt.datetime.now(dt.UTC), progress=progress)
    except RunBusy as busy:
        _busy(obj, busy)
    except Exception:
        _crash(obj)
    _show(done, command.summary, lang, as_json)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.option("--all", "every", is_flag=True)
@click.pass_obj
def validate(obj: Context, files: tuple[Path, ...], as_json: bool, every: bool) -> None:
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
@click.option("--date", "as_of", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def status(obj: Context, as_of: dt.datetime | None, as_json: bool) -> None:
    from osb_batch.commands.status import as_json as to_json
    from osb_batch.commands.status import read_status, render
    settings = obj.settings()
    found = read_status(obj.home, settings, as_of.date() if as_of else settings.today())
    if found is None:
        click.echo(say("no_ledger", obj.lang(settings)))
        return
    if as_json:
        click.echo(to_json(found))
        return
    from osb_batch.daily.workflows import step_names
    lang = obj.lang(settings)
    click.echo(render(found, lang, step_names(settings, lang)))


@main.command()
@click.argument("key", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.option("--markdown", is_flag=True)
@click.pass_obj
def forms(obj: Context, key: str | None, as_json: bool, markdown: bool) -> None:
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
        raise click.UsageError(say("no_form", obj.speaks, key=key))
    click.echo(describe_form(form, as_json))


@main.command()
@click.option("--check", is_flag=True)
@click.pass_obj
def templates(obj: Context, check: bool) -> None:
    from osb_batch.commands.templates import stale_templates, write_all
    settings = obj.settings()
    if check:
        problems, version = stale_templates(obj.home, settings)
        for p in problems:
            click.echo(p, err=True)
        if problems:
            click.echo(say("templates_stale", obj.lang(settings)), err=True)
            sys.exit(1)
        click.echo(say("templates_current", obj.lang(settings), version=version))
        return
    written = write_all(obj.home, settings)
    click.echo(say("templates_written", obj.lang(settings), n=len(written), folder=obj.home.templates))


@main.group(cls=_Group)
def ledger() -> None:
    pass


@ledger.command("copy")
@click.option("--to", "url", required=True, metavar="URL")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def ledger_copy(obj: Context, url: str, as_json: bool) -> None:
    from osb_batch.commands.ledger import as_json as to_json
    from osb_batch.commands.ledger import copy_to, summary
    from osb_batch.ledger.copy import CopyRefused
    settings = obj.settings()
    try:
        proofs = copy_to(obj.home, url)
    except RunBusy as busy:
        _busy(obj, busy)
    except CopyRefused as refused:
        click.echo(say("copy_refused", obj.lang(settings), why=refused), err=True)
        sys.exit(1)
    click.echo(to_json(proofs) if as_json else summary(proofs, obj.lang(settings)))
