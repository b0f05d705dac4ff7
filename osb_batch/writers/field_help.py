"""What a template tells the person filling it about each field: its type, allowed values,
ranges and formats in words, the example written as text, and the general rules of 填写说明.

Pure functions of the catalogue's :class:`~osb_batch.catalogue.Field`; no workbook here.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from osb_batch.catalogue import Field

TYPE_ZH = {
    "text": "文本", "code": "编码（文本）", "integer": "整数", "money": "金额（元）",
    "quantity": "数量（数字）", "date": "日期", "datetime": "日期时间", "month": "月份",
    "period": "期间", "quarter": "季度", "boolean": "是/否", "enum": "下拉选项",
}
FORMAT_HINT = {
    "date": "如 2026-11-26",
    "datetime": "如 2026-11-26 16:30",
    "month": "如 2026-11",
    "period": "如 2026H1（上半年）、2026H2（下半年）",
    "quarter": "如 2026Q4",
    "boolean": "是 / 否",
    "money": "单位：元，最多两位小数",
}
REF_HINT = {
    "customers": "须为客户主数据中已有的客户编码",
    "products": "须为产品价格表中已有的产品编码",
    "products_or_groups": "产品编码或产品组编码",
    "regions": "须为该市场下的区域（见 rules.toml）",
    "markets": "",
}
CHOICES_FROM_HINT = {"markets": "rules.toml 中设置的市场（中文名或代码）"}
BOOLEAN_VALUES = ("是", "否")
_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "对", "t"})
GENERAL_RULES = (
    "表头（列名）须保留在表格的前 20 行内，可以在表头上方加标题或备注行；请勿修改列名。",
    "列的顺序可以调整；不需要的选填列可以删除；自行增加的列会被保留并提示。",
    "带 * 的列（橙色表头）为必填项，灰色表头的列为选填项。",
    "第2行为示例，请删除或覆盖后再提交。",
    "日期请填写为 2026-11-26 的形式（2026/11/26、2026年11月26日 也可识别）；"
    "日期时间如 2026-11-26 16:30。",
    "是/否 列请填写 是 或 否（Y/N、TRUE/FALSE、1/0、√/× 也可识别）。",
    "有下拉列表的列请从列表中选择；金额以元为单位，请勿填写单位或文字。",
    "可填多个值的列，多个值之间用分号（;）分隔。",
    "请勿删除或修改隐藏的 _osb 工作表，系统用它识别表单。",
)


def example_text(f: Field, value: object) -> str:
    """The example value as the template shows it: lists joined by `;`, 是/否, an enum's Chinese label."""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if f.type == "boolean":
        if isinstance(value, bool):
            return BOOLEAN_VALUES[0] if value else BOOLEAN_VALUES[1]
        text = str(value).strip()
        return text if text in BOOLEAN_VALUES else (
            BOOLEAN_VALUES[0] if text.lower() in _TRUE else BOOLEAN_VALUES[1])
    if f.type == "enum":
        text = str(value)
        return next((c.zh for c in f.choices if text in (c.key, c.zh, c.en)), text)
    return str(value)


def dedupe(values: Iterable[str]) -> tuple[str, ...]:
    """``values`` in order, each once."""
    return tuple(dict.fromkeys(values))


def _number(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def range_text(f: Field) -> str:
    """A number field's allowed range in words ("" when it has none)."""
    low = None if f.min is None else _number(f.min)
    high = None if f.max is None else _number(f.max)
    if low is not None and high is not None:
        return f"{low} 到 {high}" + (f"（不含 {low}）" if f.min_exclusive else "")
    if low is not None:
        return f"大于 {low}" if f.min_exclusive else f"大于或等于 {low}"
    if high is not None:
        return f"小于或等于 {high}"
    return ""


def values_text(f: Field) -> str:
    """What a field accepts, in words: choices, range, format, reference and list hints."""
    parts = []
    if f.type == "enum":
        if f.choices:
            parts.append("、".join(dedupe(c.zh for c in f.choices)))
        elif f.choices_from:
            parts.append(CHOICES_FROM_HINT.get(f.choices_from, f"见 rules.toml 的 {f.choices_from}"))
    elif f.type in ("money", "quantity", "integer"):
        if rng := range_text(f):
            parts.append(rng)
    if hint := FORMAT_HINT.get(f.type):
        parts.append(hint)
    if hint := REF_HINT.get(f.ref):
        parts.append(hint)
    if f.list:
        parts.append("可填多个，用分号（;）分隔")
    return "；".join(parts)


def input_message(f: Field) -> str:
    """The input message Excel shows when a cell of the column is selected."""
    parts = [p for p in (f.note, values_text(f)) if p]
    return "\n".join(parts)
