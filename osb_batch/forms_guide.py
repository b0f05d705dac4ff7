"""The forms guide (填表说明, ``docs/forms-guide.md``) as Markdown, derived from the catalogue.

``osb-batch forms --markdown`` prints it; a test checks that the copy in docs/ is current, as
``templates --check`` does for the templates. Every form, who fills it and how (its note), and
every field with its required mark, type and allowed values.
"""

from __future__ import annotations

from osb_batch.catalogue import Catalogue, Field, Form

TYPE_ZH = {"text": "文本 text", "code": "编码 code", "integer": "整数 integer",
           "money": "金额（元，最多两位小数）money", "quantity": "数量 quantity", "date": "日期 date",
           "datetime": "日期时间 date and time", "month": "月份 month（2026-11）",
           "period": "半年度 half year（2026H1）", "quarter": "季度 quarter（2026Q4）",
           "boolean": "是/否 yes/no", "enum": "选项 choice"}
KIND_TITLE = {"input": ("批处理读取并处理的表单", "forms the batch reads and acts on"),
              "output": ("批处理写出的表单", "forms the batch writes"),
              "other": ("其他标准表单（读取、检查并归档）", "other standard forms (read, checked, archived)")}

INTRO = """\
# 填表说明 / Forms guide

本文件由表单目录生成（`osb-batch forms --markdown`，目录版本 {version}），请勿手工修改。
Generated from the forms catalogue (version {version}) by `osb-batch forms --markdown`; do not edit by hand.

## 怎样填写 / How to fill a form

- 用 `templates/xlsx/` 中的标准模板填写（`osb-batch templates` 生成）。带 `*` 的列必填。
  Use the blank templates in `templates/xlsx/`; columns marked `*` are required.
- 表头须在前 20 行内，上面可以有标题和说明行；列的顺序可以调整；表头也可写繁体中文、英文或字段键。
  The header must be within the first 20 rows (titles and notes above it are fine); columns may
  be in any order; headers may also be written in Traditional Chinese, English or as the key.
- 每行一条记录；订单等多行单据的表头信息（订单号、日期、客户）每行重复填写。空行跳过。
  One record per row; an order's header fields repeat on each of its lines. Blank rows are skipped.
- 日期可写 2026-11-26、2026/11/26、2026年11月26日；金额可带千分位和 ¥；是/否 也可写 Y/N、√/×。
  Dates as 2026-11-26, 2026/11/26 or 2026年11月26日; amounts may carry thousands separators and
  ¥; yes/no also as Y/N or √/×.
- 区域可带“省”“市”“自治区”等后缀（河南省 即 河南）；编码的全角字符和空格会被去掉（Ｃ１０１ 即 C101），
  但大小写须与主数据一致：c101 会被退回，并提示“是否应为“C101”？”。
  A region may carry its suffix (河南省 is 河南); codes are read without full-width characters and
  spaces (Ｃ１０１ is C101) but keep their case: c101 is refused with the known code C101 suggested.
- 模板第 2 行是示例，可以留着（原样不变时不处理）；工作表“填写说明”不会当作数据。
  Row 2 of a template is an example: left unchanged it is skipped. The 填写说明 sheet is never data.
- 填好后 **保存并关闭** 再放入 `inbox/`：仍在 Excel/WPS/LibreOffice 中打开的文件留在收件箱，等下次运行。
  **Save and close** the file before dropping it into `inbox/`: a file still open in
  Excel/WPS/LibreOffice waits in the inbox for the next run.
- 有错的单元格会在 `退回修改件-…` 中标红并附批注，`异常清单` 列出每个问题和处理办法；改正后重新提交整个文件。
  Cells in error come back red with a comment in `退回修改件-…`, and `异常清单` lists every
  problem with what to do; correct them and submit the whole file again.

信用检查的情形（5-2 … 5-7c）见 [信用检查决策表](credit-decisions.md)。
The credit cases (5-2 … 5-7c) are explained in [the credit decision table](credit-decisions.md).
"""


def _allowed(f: Field) -> str:
    if f.choices:
        return " / ".join(f"{c.zh} ({c.en})" if c.en and c.en != c.zh else c.zh for c in f.choices)
    if f.choices_from:
        return f"rules.toml `[{f.choices_from}]` 中的名称或代码 / a name or code from rules.toml"
    low = "" if f.min is None else (">" if f.min_exclusive else "≥") + f" {f.min}"
    high = "" if f.max is None else f"≤ {f.max}"
    parts = [", ".join(p for p in (low, high) if p)] if low or high else []
    if f.list:
        parts.append("多个值用 `;` 分隔 / `;`-separated")
    if f.required_when:
        parts.append(f"当 `{f.required_when[0]}` = `{f.required_when[1]}` 时必填 / required then")
    return "; ".join(parts)


def _cell(text: object) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def _form_section(form: Form) -> list[str]:
    lines = [f"### {form.zh} / {form.en} (`{form.key}`)", ""]
    if form.note:
        lines += [form.note, ""]
    lines += ["| 列名 column | English | 键 key | 类型 type | 允许的值 allowed | 说明 note |",
              "|---|---|---|---|---|---|"]
    for f in form.fields:
        lines.append(f"| {_cell(f.header())} | {_cell(f.en)} | `{f.key}` | {TYPE_ZH.get(f.type, f.type)} "
                     f"| {_cell(_allowed(f))} | {_cell(f.note)} |")
    if form.row_key:
        lines += ["", f"每行由 {', '.join(f'`{k}`' for k in form.row_key)} 区分，重复即为错误。"
                      f" Rows are told apart by {', '.join(form.row_key)}: a repeat is an error."]
    return lines + [""]


def forms_guide(cat: Catalogue) -> str:
    """The whole guide: how to fill, an index of the forms, then each form's fields."""
    lines = [INTRO.format(version=cat.version), "## 表单一览 / The forms", ""]
    for kind, (zh, en) in KIND_TITLE.items():
        lines += [f"**{zh} / {en}**: " + "、".join(f"{f.zh} (`{f.key}`)" for f in cat.of_kind(kind)), ""]
    for kind, (zh, en) in KIND_TITLE.items():
        lines += [f"## {zh} / {en}", ""]
        for form in cat.of_kind(kind):
            lines += _form_section(form)
    return "\n".join(lines).rstrip("\n") + "\n"
