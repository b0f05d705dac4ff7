"""``osb-batch forms``: the catalogue as a table or JSON, derived from the declaration."""

from __future__ import annotations

import json

from osb_batch.catalogue import Catalogue, Field, Form

KIND_ZH = {"input": "输入", "output": "输出", "other": "其他"}


def _range(f: Field) -> str:
    if f.choices:
        return "/".join(c.zh for c in f.choices)
    if f.choices_from:
        return f"rules.toml {f.choices_from}"
    low = "" if f.min is None else (">" if f.min_exclusive else "≥") + f" {f.min}"
    high = "" if f.max is None else f"≤ {f.max}"
    return ", ".join(p for p in (low, high) if p)


def field_dict(f: Field) -> dict:
    return {"key": f.key, "zh": f.zh, "en": f.en, "type": f.type, "required": f.required,
            "allowed": _range(f), "ref": f.ref, "list": f.list, "note": f.note}


def list_forms(cat: Catalogue, as_json: bool = False) -> str:
    if as_json:
        return json.dumps([{"key": f.key, "zh": f.zh, "en": f.en, "kind": f.kind, "fields": len(f.fields)}
                           for f in cat], ensure_ascii=False, indent=1)
    lines = [f"catalogue {cat.version}: {len(cat.forms)} forms"]
    for kind in ("input", "output", "other"):
        forms = cat.of_kind(kind)
        lines.append(f"\n{KIND_ZH[kind]} ({kind}, {len(forms)})")
        lines += [f"  {f.key:<28} {f.zh}  ({f.en}, {len(f.fields)} fields)" for f in forms]
    return "\n".join(lines)


def describe_form(form: Form, as_json: bool = False) -> str:
    if as_json:
        return json.dumps({"key": form.key, "zh": form.zh, "en": form.en, "kind": form.kind,
                           "row_key": list(form.row_key), "note": form.note,
                           "fields": [field_dict(f) for f in form.fields]}, ensure_ascii=False, indent=1)
    lines = [f"{form.key}  {form.zh} / {form.en}  [{form.kind}]", form.note, ""]
    for f in form.fields:
        mark = "*" if f.required else " "
        extra = _range(f)
        lines.append(f" {mark} {f.key:<24} {f.zh:<12} {f.type:<9} {extra}")
    if form.row_key:
        lines.append(f"\nrow key: {', '.join(form.row_key)}")
    return "\n".join(lines)


def find_form(cat: Catalogue, key: str) -> Form | None:
    """The form with this key, or else the first whose Chinese or English name it is."""
    if key in cat:
        return cat[key]
    matches = [f for f in cat if key in (f.zh, f.en)]
    return matches[0] if matches else None
