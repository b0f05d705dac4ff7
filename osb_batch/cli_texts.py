"""What the command line says, in Chinese and English: every command's help, its own messages and
the translation of click's messages (usage, errors) into Chinese.

cli.py, the only module that imports click, takes every text from here. The language of a
command is known before its arguments are parsed (:func:`cli_language`), so ``--help`` and usage
errors speak it too.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

LANGS = ("zh", "en")


def cli_language(args: Sequence[str], environ: Mapping[str, str] = os.environ) -> str:
    """The language of this command line: ``--lang`` on it, else $OSB_LANG, else general.lang of the
    working folder's rules.toml (``--home``, else $OSB_HOME, else the current directory) when it
    can be read, else Chinese."""
    chosen = _option(args, "--lang") or environ.get("OSB_LANG")
    if chosen in LANGS:
        return chosen
    home = Path(_option(args, "--home") or environ.get("OSB_HOME") or ".")
    try:
        general = tomllib.loads((home / "rules.toml").read_text(encoding="utf-8-sig")).get("general", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "zh"
    return general.get("lang") if general.get("lang") in LANGS else "zh"


def _option(args: Sequence[str], name: str) -> str | None:
    """The value of a top-level option ``name`` among ``args`` (``--name V`` or ``--name=V``)."""
    for n, arg in enumerate(args):
        if arg == name and n + 1 < len(args):
            return args[n + 1]
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
    return None


def command_help(name: str, lang: str) -> tuple[str | None, str]:
    """(short help, help) of command ``name`` (``main`` for osb-batch itself) in ``lang``. Chinese
    paragraphs are marked for click not to rewrap them: it would break lines at the wrong width,
    as it counts a Chinese character as one column; the terminal wraps them."""
    short, text = COMMAND_HELP[name][lang]
    if lang != "en":
        text = "\n\n".join(f"\b\n{paragraph}" for paragraph in text.split("\n\n"))
    return short or None, text


def say(message: str, lang: str, **values: object) -> str:
    """One of the command line's own messages in ``lang``."""
    zh, en = SAY[message]
    return (en if lang == "en" else zh).format(**values)


SAY: dict[str, tuple[str, str]] = {
    "rules_invalid": ("rules.toml 有误：\n{error}", "rules.toml is invalid:\n{error}"),
    "not_a_working_folder": (
        "{root} 不是工作文件夹（没有 rules.toml）：新建请运行 osb-batch init {root}，或用 --home 指定已有的工作文件夹。",
        "{root} is not a working folder (no rules.toml): run `osb-batch init {root}` to make one, "
        "or point --home at an existing one."),
    "busy": ("另一批处理正在运行（{busy}），本次退出。", "Another run is in progress ({busy})."),
    "crash": ("批处理失败，未提交任何更改；详情见 {log}", "The run failed; nothing was committed. See {log}"),
    "created": ("已创建 {path}", "created {path}"),
    "bad_period": ("“{period}”不是半年度，应写作 2026H1 或 2026H2", "'{period}' is not a period such as 2026H1 or 2026H2"),
    "inbox_first": ("已先处理收件箱：{folder}", "inbox processed first: {folder}"),
    "copy_refused": ("台账未复制，目标数据库保持原样：{why}", "The ledger was not copied; the target is as it was: {why}"),
    "no_ledger": ("尚无台账：请先运行 osb-batch run。", "No ledger yet: run `osb-batch run` first."),
    "no_form": ("没有表单“{key}”；osb-batch forms 列出全部表单", "no form {key!r}; `osb-batch forms` lists them"),
    "templates_stale": ("templates/xlsx 不是最新的：请运行 osb-batch templates",
                        "templates/xlsx is out of date: run `osb-batch templates`"),
    "templates_current": ("templates/xlsx 与表单目录 {version} 一致", "templates/xlsx matches catalogue {version}"),
    "templates_written": ("已写入 {n} 个模板到 {folder}", "{n} templates written to {folder}"),
}

# -- help: (short help, help) per command, help per option ------------------------------------------

COMMAND_HELP: dict[str, dict[str, tuple[str, str]]] = {
    "main": {
        "zh": ("", "osb_batch：销售部每日的订单—发货—开票批处理。\n\n"
                   "员工把填好的表格放进 inbox/；osb-batch run 读取、检查并登记，把每个人需要的文件写到 outbox/。\n\n"
                   "语言：--lang；否则环境变量 OSB_LANG；否则工作文件夹 rules.toml 的 general.lang；默认中文。\n\n"
                   "示例：osb-batch --home /srv/osb run --date 2026-11-26"),
        "en": ("", "osb_batch: the sales department's daily Order-Shipment-Billing batch.\n\n"
                   "Staff drop filled workbooks into inbox/; `osb-batch run` reads, checks and applies them "
                   "and writes what each person needs into outbox/.\n\n"
                   "Language: --lang; else $OSB_LANG; else general.lang in the working folder's rules.toml; "
                   "else Chinese.\n\n"
                   "Example: osb-batch --home /srv/osb run --date 2026-11-26"),
    },
    "init": {
        "zh": ("新建工作文件夹", "新建工作文件夹：rules.toml、inbox/、outbox/、templates/xlsx/。\n\n"
                                 "示例：osb-batch init /srv/osb"),
        "en": ("Create a new working folder", "Create a new working folder: rules.toml, inbox/, outbox/, "
               "templates/xlsx/.\n\nExample: osb-batch init /srv/osb"),
    },
    "demo": {
        "zh": ("放入演示数据（或模拟 N 天）",
               "在 inbox/ 放入真实感的一天演示数据：八个市场的主数据、银行到款、当天订单（覆盖每条决策路径：合格性检查退回、"
               "配额削减、信用检查情形 5-2 至 5-7c，见 docs/credit-decisions.md）和几个有错的文件，并列出每个文件、"
               "每张订单应有的结果。\n\n"
               "不带 --days 时只放入文件，请自行运行 osb-batch run。带 --days N 时从起始日起逐个日历日自行运行批处理："
               "第 1 天是演示日；以后每天放入当天的表格（每天有仓库发运反馈；工作日有新订单和上一次运行的待审批单，"
               "由领导签字；最后一天有问题记录更新）并运行。周六、周日和节假日也运行，但无人签字。默认起始日是今天或之前"
               "最近的周四，使第 3、4 天为周六、周日。每天打印一行。文件夹必须是新的或空的（收件箱无文件、没有台账），"
               "除非加 --force：加到用过的文件夹里的演示数据不会得出打印的结果。\n\n"
               "示例：osb-batch --home /tmp/osb-demo demo && osb-batch --home /tmp/osb-demo run\n\n"
               "示例：osb-batch --home /tmp/osb-week demo --days 5 --date 2026-11-26"),
        "en": ("Fill inbox/ with a demo day (or simulate N days)",
               "Fill inbox/ with a realistic demo day: master data for the eight markets, bank receipts, the "
               "day's orders (every decision path: QC rejection, quota cut, credit cases 5-2 to 5-7c, explained "
               "in docs/credit-decisions.md) and a few faulty files. Prints what each file and each order should "
               "come to.\n\n"
               "Without --days it only fills inbox/: run `osb-batch run` yourself. With --days N it runs the "
               "batch itself, once per calendar day from the start date: day 1 is the demo day; each later day "
               "drops that day's workbooks (warehouse shipment feedback every day; on working days new orders "
               "and the previous run's approval workbooks signed by their SLT member; a problem-log update on "
               "the last day) and runs. Saturdays, Sundays and holidays run too, but nobody signs. The default "
               "start is the Thursday on or before today, so that days 3 and 4 are Saturday and Sunday. Prints "
               "one line per day. The folder must be new or empty (no inbox files, no ledger) unless --force: "
               "a demo added to a used folder does not come to what it prints.\n\n"
               "Example: osb-batch --home /tmp/osb-demo demo && osb-batch --home /tmp/osb-demo run\n\n"
               "Example: osb-batch --home /tmp/osb-week demo --days 5 --date 2026-11-26"),
    },
    "run": {
        "zh": ("每日批处理", "每日批处理：读取 inbox/，登记到台账，写出 outbox/日期/run-NN/。\n\n"
                            "一天可运行多次，崩溃后可再次运行。打印摘要，最后一行是本次运行文件夹的路径。在终端上，"
                            "各阶段的进度显示在标准错误输出；在 cron、管道中或加 --json 时不打印其他内容。\n\n"
                            "示例：osb-batch run --date 2026-11-26"),
        "en": ("The daily batch", "The daily batch: read inbox/, apply it to the ledger, write "
               "outbox/DATE/run-NN/.\n\nSafe to run several times a day and again after a crash. Prints a summary "
               "and, last, the run folder's path. On a terminal, each stage's progress is shown on stderr; under "
               "cron, in a pipe or with --json nothing else is printed.\n\nExample: osb-batch run --date 2026-11-26"),
    },
    "reconcile": {
        "zh": ("半年对账", "半年对账：对账单、总额核对、客户回函、财务工作簿。\n\n"
                         "收件箱中待处理的文件（客户回函、财务导出、最后的发票）先由一次正常的每日运行处理。写出 "
                         "outbox/对账-期间/，替换同一期间以前的对账。对账单合计与台账期末应收不一致时退出（退出码 1），"
                         "不写任何文件。在终端上，进度显示在标准错误输出。\n\n"
                         "示例：osb-batch reconcile --period 2026H1 --json"),
        "en": ("The half-year reconciliation", "The half-year reconciliation: statements, control total, "
               "replies, finance's workbook.\n\nFiles waiting in inbox/ (customers' replies, finance's export, the "
               "last invoices) are taken in first by a normal daily run. Writes outbox/对账-PERIOD/, replacing an "
               "earlier reconciliation of the same period. Stops with exit 1, writing nothing, if the statements "
               "do not add up to the ledger's receivables at the period end. On a terminal, progress is shown on "
               "stderr.\n\nExample: osb-batch reconcile --period 2026H1 --json"),
    },
    "report": {
        "zh": ("周、月、季度管理报表", "一周、一个月或一个季度的管理报表，写入 outbox/报表-期间/。\n\n"
                                 "收件箱中待处理的文件先由一次正常的每日运行处理。整体替换同一期间以前的报表文件夹；"
                                 "期间尚未结束时给出截至目前的数字。期间写法不对时退出码为 2。\n\n"
                                 "示例：osb-batch report monthly --period 2026-11 --json"),
        "en": ("Weekly, monthly and quarterly management reports", "The periodic reports of a week, month or "
               "quarter into outbox/报表-PERIOD/.\n\nFiles waiting in inbox/ are taken in first by a normal daily "
               "run. Replaces an earlier folder of the same period whole; a period not yet closed gives the "
               "figures so far. Exit 2 for a period that is not one of KIND's.\n\n"
               "Example: osb-batch report monthly --period 2026-11 --json"),
    },
    "deliver": {
        "zh": ("把未发出的文件发给各人", "按 rules.toml [mail] 把仍欠各人的文件用邮件发出（每人一封，附件为其文件）；"
               "加 --dry-run 只列出欠谁哪些文件，不发送。\n\n"
               "欠发的文件：配置了 [mail] 之后生成的运行、报表、对账文件夹中从未发给该人的文件，以及上次发送失败的文件"
               "（服务器不可用、收件人被拒）。同一文件不会重复发给同一人。密码只从环境变量 OSB_SMTP_PASSWORD 读取。"
               "--test-to 向一个地址发一封测试邮件，用来检查设置。有发送失败时退出码为 1。\n\n"
               "示例：osb-batch deliver --dry-run\n\n示例：osb-batch deliver --test-to me@example.com"),
        "en": ("Send each person the files still owed to them", "Email each person the files still owed to them "
               "through rules.toml [mail] (one message each, their files attached); with --dry-run, only list who "
               "is owed which files.\n\nOwed: files of run, report and reconciliation folders made while [mail] "
               "was configured that were never sent to their person, and those whose sending failed (server down, "
               "recipient refused). A file is never sent twice to the same person. The password comes only from "
               "the environment variable OSB_SMTP_PASSWORD. --test-to sends one test message to an address, to "
               "try the settings. Exit 1 when a sending failed.\n\nExample: osb-batch deliver --dry-run\n\n"
               "Example: osb-batch deliver --test-to me@example.com"),
    },
    "validate": {
        "zh": ("检查表格，不改动任何数据", "按表单目录检查表格，不改动任何数据。有错误时退出码为 1。\n\n"
               "客户、产品等引用按工作文件夹的台账（只读）以及 FILES 中的主数据检查。同一文件同一规则的问题超过 "
               "intake.max_findings_per_rule 条（rules.toml，默认 200）时，其余合为一条汇总（规则 more-of-rule），"
               "给出数量和前几个单元格；--all 逐条列出。\n\n"
               "示例：osb-batch validate inbox/订单-华东-1126.xlsx --json"),
        "en": ("Check workbooks, touching no state", "Check workbooks against the catalogue, touching no state. "
               "Exits 1 when a file has an error.\n\nReferences (customers, products) are checked against the "
               "working folder's ledger, read only, plus master data among FILES. Beyond "
               "intake.max_findings_per_rule findings of one rule in one file (rules.toml, default 200), the "
               "rest are one summary finding (rule more-of-rule) with their count and first cells and values; "
               "--all prints them one by one.\n\nExample: osb-batch validate inbox/订单-华东-1126.xlsx --json"),
    },
    "status": {
        "zh": ("有什么在等待", "有什么在等待：按签字人列出的待审批、特别处理申请、等待付款的订单、未解决的问题、"
                             "未认领的到款、逾期客户。只读台账。\n\n示例：osb-batch status --json"),
        "en": ("What waits", "What waits: approvals by signer, ST requests, orders waiting for payment, open "
               "problems, unmatched receipts, overdue customers. Reads the ledger only.\n\n"
               "Example: osb-batch status --json"),
    },
    "forms": {
        "zh": ("列出表单目录，或显示一个表单", "列出表单目录，或显示一个表单的字段。\n\n示例：osb-batch forms customers"),
        "en": ("List the forms catalogue, or show one form", "List the forms catalogue, or show one form's "
               "fields.\n\nExample: osb-batch forms customers"),
    },
    "templates": {
        "zh": ("写出空白模板，或检查是否最新", "为每个表单在 templates/xlsx/ 写出一个空白模板，或检查它们是否最新。\n\n"
                                          "示例：osb-batch templates --check"),
        "en": ("Write blank templates, or check them", "Write one blank template per form into templates/xlsx/, "
               "or check they are current.\n\nExample: osb-batch templates --check"),
    },
    "ledger": {
        "zh": ("台账：复制到 PostgreSQL", "台账的维护命令。\n\n示例：osb-batch ledger copy --to postgresql://osb@db:5432/osb"),
        "en": ("The ledger: copy it to PostgreSQL", "Commands on the ledger itself.\n\n"
               "Example: osb-batch ledger copy --to postgresql://osb@db:5432/osb"),
    },
    "ledger copy": {
        "zh": ("把本工作文件夹的 SQLite 台账复制到一个空的 PostgreSQL 数据库",
               "把 state/ledger.sqlite 复制到一个空的 PostgreSQL 数据库，并核对每张表的行数和金额合计；"
               "任何一项不符，或目标库不为空，则什么也不留下（整个复制在一个事务中回滚）并说明原因，退出码 1。"
               "复制期间持有运行锁。复制后在 rules.toml 的 [ledger] url（或环境变量 OSB_LEDGER_URL）写上该地址，"
               "此后的运行即使用共享台账。\n\n示例：osb-batch ledger copy --to postgresql://osb@db:5432/osb"),
        "en": ("Copy this working folder's SQLite ledger into an empty PostgreSQL database",
               "Copy state/ledger.sqlite into an empty PostgreSQL database and prove it: every table's row count "
               "and money totals equal. If any differs, or the target is not empty, nothing is left behind (the "
               "whole copy is one transaction, rolled back), it says why and exits 1. Holds the run lock meanwhile. "
               "Then name the database in rules.toml [ledger] url (or OSB_LEDGER_URL) and the next runs use it.\n\n"
               "Example: osb-batch ledger copy --to postgresql://osb@db:5432/osb"),
    },
}

OPTION_HELP: dict[str, tuple[str, str]] = {
    "main.home": ("工作文件夹（默认：$OSB_HOME，否则当前目录）。", "Working folder (default: $OSB_HOME, else the current directory)."),
    "main.version": ("显示版本并退出。", "Show the version and exit."),
    "main.lang": ("消息语言（默认：$OSB_LANG，否则 rules.toml 的 general.lang）。",
                  "Language of messages (default: $OSB_LANG, else rules.toml general.lang)."),
    "demo.business_date": ("业务日期；带 --days 时为模拟的第一天。默认今天；带 --days 时为今天或之前最近的周四。",
                           "Business date; with --days, the first simulated day. Default: today; with --days, the "
                           "Thursday on or before today."),
    "demo.days": ("模拟 N 个日历日，并逐日自行运行批处理（含周末）。",
                  "Simulate N calendar days and RUN THE BATCH ITSELF for each day (weekends included)."),
    "demo.force": ("向收件箱或台账不为空的文件夹加入演示数据。", "Add the demo to a folder whose inbox or ledger is not empty."),
    "run.business_date": ("业务日期（默认：今天，北京时间）。", "Business date (default: today, Asia/Shanghai)."),
    "run.as_json": ("打印 manifest.json，而不是摘要。", "Print manifest.json instead of the summary."),
    "reconcile.period": ("半年度：YYYYH1 或 YYYYH2。", "The half year: YYYYH1 or YYYYH2."),
    "reconcile.business_date": ("收件箱有文件时先做的每日运行的业务日期（默认：今天）。",
                                "Business date of the daily run done first when inbox/ holds files (default: today)."),
    "reconcile.as_json": ("以 JSON 打印结果。", "Print the result as JSON (README: reconcile --json)."),
    "report.period": ("期间：2026-W48（周）、2026-11（月）、2026Q4（季度）。",
                      "The period: 2026-W48 (weekly), 2026-11 (monthly), 2026Q4 (quarterly)."),
    "report.business_date": ("收件箱有文件时先做的每日运行的业务日期，也是报表的截止日期（默认：今天）。",
                             "Business date: of the daily run done first when inbox/ holds files, and the "
                             "report's as-of date (default: today)."),
    "report.as_json": ("以 JSON 打印结果（与文件夹中的 manifest.json 相同）。",
                       "Print the result as JSON (the same as the folder's manifest.json)."),
    "deliver.dry_run": ("只列出欠谁哪些文件，不发送。", "List who is owed which files; send nothing."),
    "deliver.test_to": ("向此地址发一封测试邮件（检查 [mail] 设置），不发其他文件。",
                        "Send one test message to this address (to try the [mail] settings), nothing else."),
    "deliver.as_json": ("以 JSON 打印结果（与 manifest.json 的 deliveries 相同）。",
                        "Print the result as JSON (as manifest.json's deliveries)."),
    "validate.as_json": ("以 JSON 列表打印问题。", "Print findings as a JSON list."),
    "validate.every": ("逐条打印每个问题，不按 intake.max_findings_per_rule 汇总。",
                       "Print every finding, not one summary per file and rule beyond intake.max_findings_per_rule."),
    "status.as_of": ("以此日期计算逾期（默认：今天）。", "Overdue as of this date (default: today)."),
    "status.as_json": ("以 JSON 打印。", "Print as JSON."),
    "forms.as_json": ("以 JSON 打印。", "Print as JSON."),
    "forms.markdown": ("打印填表说明（docs/forms-guide.md）。", "Print the forms guide (填表说明, docs/forms-guide.md)."),
    "ledger copy.url": ("目标 PostgreSQL 数据库（必须为空），如 postgresql://osb@db:5432/osb。",
                        "The target PostgreSQL database (it must be empty), e.g. postgresql://osb@db:5432/osb."),
    "ledger copy.as_json": ("以 JSON 打印每张表的行数与合计。", "Print each table's rows and totals as JSON."),
    "templates.check": ("templates/xlsx 与表单目录不一致时失败（退出码 1）。",
                        "Fail (exit 1) when templates/xlsx differs from the catalogue."),
}

# -- click's own messages (its gettext message ids) in Chinese ----------------------------------------

CLICK_ZH: dict[str, str] = {
    "Usage:": "用法：",
    "required": "必填",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{name} {filename!r} does not exist.": "{filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{filename!r} 不可写。",
    "default: {default}": "默认：{default}",
    "Aborted!": "已中止！",
}
# ngettext: singular message id -> the Chinese (one form for every count)
CLICK_ZH_PLURAL: dict[str, str] = {
    "Did you mean {possibility}?": "您是想用 {possibility} 吗？",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not {choice}.": "{value!r} 不是可选值 {choices} 之一。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {formats}（日期请写作 2026-11-26）。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，实际给了 {len} 个。",
}


def click_gettext(lang: str):
    """(gettext, ngettext) for click's messages in ``lang``: Chinese from the tables above; for English
    the standard library's, which click uses by default (its message ids are English)."""
    if lang == "en":
        return stdlib_gettext.gettext, stdlib_gettext.ngettext

    def gettext(message: str) -> str:
        return CLICK_ZH.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return CLICK_ZH_PLURAL.get(singular) or (singular if n == 1 else plural)

    return gettext, ngettext


__all__ = ["cli_language", "command_help", "say", "COMMAND_HELP", "OPTION_HELP", "click_gettext", "LANGS"]
