"""The forms catalogue (forms.toml) against the spec (forms.md): the forms, their fields and checks."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import pytest

from osb_batch.catalogue import TYPES, Catalogue, Field, Form, load

# ---- forms.md "The forms the batch acts on", transcribed: "key*" = required, then the Chinese
# label where forms.md gives one (None where it does not), then the row key.
SPEC_INPUT: dict[str, tuple[str, list[tuple[str, str | None]], list[str]]] = {
    "customers": ("客户主数据", [
        ("customer_code*", "客户编码"), ("customer_name*", "客户名称"), ("market*", "市场"),
        ("region*", "区域"), ("account_manager*", "客户经理"), ("unit_manager*", "区域经理"),
        ("credit_limit*", "信用额度"), ("payment_term_days*", "回款期(天)"), ("prepaid*", "先款后货"),
        ("credit_grade", "信用等级"), ("payer_aliases", "付款户名"), ("shipping_station", "指定托运站"),
        ("contact", "联系人"), ("phone", "电话"), ("address", "地址"),
    ], ["customer_code"]),
    "products": ("产品价格表", [
        ("product_code*", None), ("product_name*", None), ("spec", "规格"), ("unit*", "单位"),
        ("unit_price*", "单价"), ("status*", "状态"), ("product_group", "产品组"),
    ], ["product_code"]),
    "contract_prices": ("客户合同价", [
        ("customer_code*", None), ("product_code*", None), ("unit_price*", None), ("valid_from*", None),
        ("valid_to", None),
    ], ["customer_code", "product_code", "valid_from"]),
    "quotas": ("月度配额表", [
        ("month*", "月份"), ("level*", "级别"), ("market*", None), ("region*", None), ("customer_code", None),
        ("product_code*", None), ("quota_qty*", "配额数量"),
    ], ["month", "level", "market", "region", "customer_code", "product_code"]),
    "quota_transfers": ("配额调拨单", [
        ("transfer_no*", None), ("month*", None), ("from_region*", None), ("to_region*", None),
        ("product_code*", None), ("qty*", None), ("from_um_consent*", "调出区域经理同意"),
        ("from_um", "调出区域经理"), ("remark", None),
    ], ["transfer_no"]),
    "orders": ("订单", [
        ("order_no*", "订单号"), ("order_date*", "订单日期"), ("customer_code*", None),
        ("kam_verified*", "客户经理核实"), ("mm_approved*", "市场经理审批"), ("product_code*", None),
        ("qty*", "数量"), ("unit_price*", "单价"), ("amount*", "金额"), ("st_requested", "申请特别处理"),
        ("st_reason", "特别处理原因"), ("st_note", None), ("over_quota_requested", "申请超配额"),
        ("remark", "备注"),
    ], ["order_no", "product_code"]),
    "approvals": ("审批单", [
        ("order_no*", None), ("approval_type*", "审批类型"), ("product_code", None), ("approver*", "审批人"),
        ("decision*", "决定"), ("signed_at*", "签字时间"), ("on_behalf", "秘书代签"), ("note", "意见"),
    ], ["order_no", "approval_type", "product_code", "approver"]),
    "shipments": ("发运反馈", [
        ("delivery_note_no*", "送货单号"), ("order_no*", None), ("note_received_at*", "收单时间"),
        ("shipped_at", "发货时间"), ("station", "托运站"), ("correct*", "发运准确"), ("remark", None),
    ], ["delivery_note_no"]),
    "invoices": ("开票记录", [
        ("invoice_no*", "发票号"), ("delivery_note_no*", None), ("customer_code*", None),
        ("invoice_date*", None), ("amount*", None),
    ], ["invoice_no"]),
    "returns": ("退货单", [
        ("return_no*", "退货单号"), ("original_doc_no*", "原单号"), ("customer_code*", None),
        ("product_code*", None), ("qty*", None), ("amount*", None), ("return_date*", None),
        ("approved_by*", "审核人"), ("reason", "原因"),
    ], ["return_no", "product_code"]),
    "bank_receipts": ("银行到款", [
        ("bank_ref*", "银行流水号"), ("receipt_date*", "到款日期"), ("payer_name*", "付款户名"),
        ("amount*", None), ("bank_account", "收款账户"), ("remark", "摘要"),
    ], ["bank_ref"]),
    "collection_claims": ("收款申请单", [
        ("claim_no*", None), ("bank_ref*", None), ("customer_code*", None), ("amount*", None),
        ("invoice_nos", "核销发票号"), ("claimed_by*", None),
    ], ["claim_no"]),
    "opening_balances": ("期初应收", [
        ("customer_code*", None), ("doc_no*", None), ("doc_date*", None), ("due_date*", None),
        ("amount*", None),
    ], ["customer_code", "doc_no"]),
    "confirmations": ("对账确认函", [
        ("period*", "对账期间"), ("customer_code*", None), ("customer_balance*", "客户确认余额"),
        ("agreed*", "是否相符"), ("doc_no", None), ("doc_date", None), ("doc_amount", None),
        ("signed_by", "客户签章人"),
    ], ["customer_code", "doc_no"]),
    "finance_ar": ("财务应收余额", [
        ("as_of*", "截止日期"), ("customer_code*", None), ("balance*", "财务账面余额"),
    ], ["customer_code"]),
    "problem_updates": ("问题处理反馈", [
        ("problem_no*", "问题编号"), ("explanation*", "书面说明"), ("resolved*", "已解决"),
        ("resolved_by*", None), ("resolved_at*", None),
    ], ["problem_no"]),
    "credit_limit_decisions": ("信用额度调整", [
        ("quarter*", "季度"), ("customer_code*", None), ("proposed_limit", "建议额度"),
        # forms.md stars approved_limit and approved_by; management.md skips a row left blank with one
        # info line, so both are optional and the applier tells the blank rows (credit-limit-blank)
        ("manual_adjustment", "人工调整"), ("approved_limit", "批准额度"), ("approved_by", None),
    ], ["quarter", "customer_code"]),
    "staff": ("销售人员名册", [
        ("name*", "姓名"), ("role*", "岗位"), ("market", None), ("region", None), ("email", "邮箱"),
        ("phone", "电话"), ("active*", "在职"), ("since", "起始日期"),
    ], ["name"]),
    "marketing_budget": ("营销费用预算", [
        ("month*", "月份"), ("market*", None), ("expense_type*", "费用类型"), ("budget_amount*", "预算金额"),
    ], ["month", "market", "expense_type"]),
}

SPEC_OUTPUT = {
    "exceptions": "异常清单", "returned_copies": "退回修改件", "order_register": "订单备忘录",
    "approval_requests": "待审批单", "delivery_notes": "送货单", "um_notices": "区域通知",
    "problem_log": "OSB问题记录表", "receivables": None, "receipts_pool": "到款池", "kpi": "OSB指标",
    "statements": "对账单", "reconciliation": "对账汇总", "credit_grades": "客户信用等级一览表",
    "credit_limit_proposal": "信用额度建议",
    "reminders": "催报通知",            # management.md: every run's 催报通知-D.xlsx, for SSG and each person who owes
}

# the other standard forms named in forms.md (one name each where forms.md gives two)
SPEC_OTHER_NAMES = [
    "目标客户基本信息情况统计表", "客户拜访计划", "工作日志", "报价单", "投标书登记", "需货申请单",
    "销售出库单", "客户确认单", "开票申请单", "售后服务申请表", "客服工单", "退货详单", "POP物料申请",
    "客户来访登记", "周工作计划表", "月工作计划表", "销售情况周统计表", "销售情况月统计表",
    "销售员工作周统计表", "销售员工作月统计表", "市场状况周统计表", "市场状况月统计表",
    "经销商进货情况统计表", "区域销售情况统计表", "每月经销商管理汇总表",
]

EXCEPTION_COLUMNS = [
    ("severity", "严重程度"), ("file", "文件"), ("sheet", "工作表"), ("cell", "单元格"), ("field", "字段"),
    ("value", "原值"), ("rule_name", "规则"), ("rule", "规则代码"), ("message", "说明"), ("owner", "处理人"),
    ("action", "处理办法"),
]

# domain.md "Markets and who signs": the default markets an example may name
MARKETS = {"东北", "NE", "华北", "N", "西北", "NW", "华中", "C", "山东", "SD", "华东", "E", "华南", "S",
           "西南", "SW"}
BOOLEAN_TEXT = {"是", "否", "Y", "N", "TRUE", "FALSE", "1", "0", "√", "×"}
SHEET_FORBIDDEN = set("[]:*?/\\")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load()


def all_fields(cat: Catalogue):
    return [pytest.param(form, f, id=f"{form.key}.{f.key}") for form in cat for f in form.fields]


CAT = load()
FIELDS = all_fields(CAT)
INPUT_FIELDS = [p for p in FIELDS if p.values[0].kind == "input"]


def norm(label: str) -> str:
    return label.strip().casefold()


# ---------------------------------------------------------------- the spec's input forms

def test_exactly_the_spec_input_forms(cat):
    assert sorted(f.key for f in cat.of_kind("input")) == sorted(SPEC_INPUT)


@pytest.mark.parametrize("key", SPEC_INPUT)
def test_input_form_fields_match_spec(cat, key):
    zh, spec_fields, row_key = SPEC_INPUT[key]
    form = cat[key]
    assert form.zh == zh
    assert form.kind == "input" and form.acts is True
    assert [f.key + ("*" if f.required else "") for f in form.fields] == [k for k, _ in spec_fields]
    for spec_key, label in spec_fields:
        if label is not None:
            assert form.field(spec_key.rstrip("*")).zh == label, spec_key
    assert list(form.row_key) == row_key
    assert form.note, "a form-level note (who fills it, one row per what)"


def test_input_field_checks(cat):
    """The enumerations, ranges, lists and references forms.md and domain.md ask for."""
    customers = cat["customers"]
    assert customers.field("market").choices_from == "markets"
    assert customers.field("market").ref == "markets"
    assert customers.field("region").ref == "regions"
    assert customers.field("credit_limit").min == 0 and not customers.field("credit_limit").min_exclusive
    term = customers.field("payment_term_days")
    assert (term.type, term.min, term.max) == ("integer", 0, 365)
    assert customers.field("prepaid").type == "boolean"
    assert [c.key for c in customers.field("credit_grade").choices] == ["A", "B", "C", "D"]
    assert customers.field("payer_aliases").list
    assert cat["collection_claims"].field("invoice_nos").list

    products = cat["products"]
    assert [(c.key, c.zh) for c in products.field("status").choices] == [
        ("active", "在售"), ("discontinued", "停售")]
    for form, key in [("products", "unit_price"), ("contract_prices", "unit_price"), ("orders", "qty"),
                      ("quota_transfers", "qty"), ("bank_receipts", "amount"), ("returns", "qty"),
                      ("returns", "amount")]:
        f = cat[form].field(key)
        assert f.min == 0 and f.min_exclusive, f"{form}.{key} must be > 0"

    quotas = cat["quotas"]
    assert [(c.key, c.zh) for c in quotas.field("level").choices] == [("customer", "客户"), ("region", "区域")]
    assert quotas.field("customer_code").required_when == ("level", "customer")
    assert quotas.field("product_code").ref == "products_or_groups"
    assert quotas.field("market").choices_from == "markets"
    assert quotas.field("region").ref == "regions"
    assert quotas.field("quota_qty").min == 0 and not quotas.field("quota_qty").min_exclusive
    assert cat["quota_transfers"].field("from_region").ref == "regions"
    assert cat["quota_transfers"].field("to_region").ref == "regions"

    assert [c.zh for c in cat["orders"].field("st_reason").choices] == ["订货会", "业务超预期", "其他"]
    approvals = cat["approvals"]
    assert [c.key for c in approvals.field("approval_type").choices] == [
        "MA", "over_limit", "shortfall", "ST", "over_quota"]
    assert [c.zh for c in approvals.field("approver").choices] == ["总经理", "销售总监", "销售副总监"]
    assert [c.zh for c in approvals.field("decision").choices] == ["同意", "不同意"]

    decisions = cat["credit_limit_decisions"]
    assert decisions.field("quarter").type == "quarter"
    assert decisions.field("proposed_limit").min == 0 and decisions.field("approved_limit").min == 0
    assert decisions.field("manual_adjustment").min is None
    assert cat["confirmations"].field("period").type == "period"
    assert cat["opening_balances"].field("amount").min is None, "credits are negative"


def test_input_types(cat):
    expected = {
        "customer_code": "code", "product_code": "code", "order_no": "code", "bank_ref": "code",
        "transfer_no": "code", "invoice_no": "code", "delivery_note_no": "code", "claim_no": "code",
        "return_no": "code", "original_doc_no": "code", "doc_no": "code",
        "qty": "quantity", "quota_qty": "quantity", "problem_no": "integer", "payment_term_days": "integer",
        "signed_at": "datetime", "note_received_at": "datetime", "shipped_at": "datetime",
        "resolved_at": "datetime", "month": "month", "period": "period", "quarter": "quarter",
        "amount": "money", "unit_price": "money", "credit_limit": "money", "balance": "money",
        "order_date": "date", "invoice_date": "date", "receipt_date": "date", "doc_date": "date",
        "due_date": "date", "return_date": "date", "valid_from": "date", "valid_to": "date", "as_of": "date",
    }
    for form in cat.of_kind("input"):
        for f in form.fields:
            if f.key in expected:
                assert f.type == expected[f.key], f"{form.key}.{f.key}"


def test_references_on_codes(cat):
    for form in cat:
        if form.kind == "output":
            continue
        for f in form.fields:
            if f.key == "customer_code" and form.key != "customers":
                assert f.ref == "customers", f"{form.key}.customer_code"
            if f.key == "product_code" and form.key != "products":
                assert f.ref in ("products", "products_or_groups"), f"{form.key}.product_code"
    for key in ("orders", "contract_prices", "returns", "approvals"):
        assert cat[key].field("product_code").ref == "products"
    assert cat["customers"].field("customer_code").ref == ""
    assert cat["products"].field("product_code").ref == ""


@pytest.mark.parametrize(("form", "f"), INPUT_FIELDS)
def test_input_field_has_note_example_width(form: Form, f: Field):
    assert f.note and re.search(r"[\u4e00-\u9fff]", f.note), "a Chinese 填写说明"
    assert f.example is not None and f.example != ""
    assert 6 <= f.width <= 40


# ---------------------------------------------------------------- every form

@pytest.mark.parametrize(("form", "f"), [p for p in FIELDS if p.values[1].type == "enum"])
def test_enum_has_choices(form: Form, f: Field):
    assert f.choices or f.choices_from
    keys = [c.key for c in f.choices]
    assert len(set(keys)) == len(keys)
    for c in f.choices:
        assert c.key and c.zh and c.en


@pytest.mark.parametrize(("form", "f"), [p for p in FIELDS if p.values[1].example not in (None, "")])
def test_example_is_valid_for_its_type(form: Form, f: Field):
    values = f.example.split(";") if f.list and isinstance(f.example, str) else [f.example]
    for value in values:
        number = _check_type(f, value)
        if number is not None:
            if f.min is not None:
                assert number > f.min if f.min_exclusive else number >= f.min
            if f.max is not None:
                assert number <= f.max


def _check_type(f: Field, value) -> Decimal | None:
    """Assert ``value`` is a valid example of ``f``; the number, for numeric types."""
    assert f.type in TYPES
    if f.type in ("text", "code"):
        assert isinstance(value, str) and value.strip() == value
    elif f.type == "integer":
        assert isinstance(value, int) and not isinstance(value, bool)
        return Decimal(value)
    elif f.type in ("money", "quantity"):
        assert isinstance(value, (str, int, float)) and not isinstance(value, bool)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            pytest.fail(f"{value!r} is not a number")
        if f.type == "money":
            assert number == number.quantize(Decimal("0.01")), "money has at most 2 decimals"
        return number
    elif f.type == "date":
        assert isinstance(value, dt.date | str) and not isinstance(value, dt.datetime), value
        if isinstance(value, str):
            dt.date.fromisoformat(value)            # raises ValueError unless an ISO date
    elif f.type == "datetime":
        assert isinstance(value, dt.datetime | str), value
        if isinstance(value, str):
            dt.datetime.fromisoformat(value)        # raises ValueError unless an ISO date and time
    elif f.type == "month":
        assert re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value)
    elif f.type == "period":
        assert re.fullmatch(r"\d{4}H[12]", value)
    elif f.type == "quarter":
        assert re.fullmatch(r"\d{4}Q[1-4]", value)
    elif f.type == "boolean":
        assert isinstance(value, bool) or value in BOOLEAN_TEXT
    elif f.type == "enum":
        if f.choices:
            assert value in {label for c in f.choices for label in (c.key, c.zh, c.en)}
        else:
            assert f.choices_from == "markets" and value in MARKETS
    return None


def test_examples_tell_one_story(cat):
    """The example rows of all templates describe the same customer, product, order and note."""
    same = {"customer_code": "C001", "product_code": "P001", "order_no": "SO-20261126-001",
            "delivery_note_no": "DN-20261126-001", "market": "华东"}
    for form in cat:
        for f in form.fields:
            if f.key in same and f.example is not None:
                assert f.example == same[f.key], f"{form.key}.{f.key}"
        if "customer_code" in form.keys and "customer_name" in form.keys:
            name = form.field("customer_name").example
            assert name in (None, "上海浦东贸易有限公司"), form.key
    orders = cat["orders"]
    qty, price, amount = (Decimal(str(orders.field(k).example)) for k in ("qty", "unit_price", "amount"))
    assert qty * price == amount


@pytest.mark.parametrize("form", list(CAT), ids=lambda f: f.key)
def test_labels_unique_within_form(form: Form):
    zh = [f.zh for f in form.fields]
    en = [norm(f.en) for f in form.fields]
    assert len(set(zh)) == len(zh), "Chinese labels repeat"
    assert len(set(en)) == len(en), "English labels repeat"
    owner: dict[str, str] = {}
    for f in form.fields:
        for label in {norm(f.zh), norm(f.en), norm(f.key)}:
            assert owner.setdefault(label, f.key) == f.key, \
                f"{label!r} names both {owner[label]} and {f.key}"


@pytest.mark.parametrize("form", list(CAT), ids=lambda f: f.key)
def test_form_names_fit_excel(form: Form):
    assert SNAKE.match(form.key)
    for name in (form.zh, form.en):
        assert name == name.strip() and 0 < len(name) <= 31
        assert not set(name) & SHEET_FORBIDDEN, name
    assert form.note
    for f in form.fields:
        assert SNAKE.match(f.key), f.key
        assert f.zh and f.en
        assert f.width > 0


def test_form_names_unique_and_not_field_labels(cat):
    names = [n for form in cat for n in {norm(x) for x in form.names}]
    assert len(set(names)) == len(names)
    form_names = {form.zh for form in cat}
    for form in cat:
        for f in form.fields:
            assert f.zh not in form_names, f"{form.key}.{f.key}: label {f.zh} is a form name"


# ---------------------------------------------------------------- outputs and other forms

def test_output_forms(cat):
    outputs = {f.key: f for f in cat.of_kind("output")}
    assert sorted(outputs) == sorted(SPEC_OUTPUT)
    for key, zh in SPEC_OUTPUT.items():
        assert not outputs[key].acts
        if zh:
            assert outputs[key].zh == zh
    exceptions = cat["exceptions"]
    assert [(f.key, f.zh) for f in exceptions.fields] == EXCEPTION_COLUMNS
    assert {f.type for f in exceptions.fields} == {"text"}
    assert [(f.key, f.type) for f in cat["returned_copies"].fields] == [("note", "text")]


@pytest.mark.parametrize(("output", "source"), [("approval_requests", "approvals"),
                                                 ("credit_limit_proposal", "credit_limit_decisions")])
def test_returned_outputs_carry_the_input_fields(cat, output, source):
    """A pre-filled workbook that comes back as an input form shows that form's columns as declared."""
    out, src = cat[output], cat[source]
    for f in src.fields:
        assert f.key in out.keys, f"{output} lacks {f.key}"
        g = out.field(f.key)
        assert (g.zh, g.en, g.type, g.required, g.choices) == (f.zh, f.en, f.type, f.required, f.choices)


def test_approval_requests_show_the_figures(cat):
    form = cat["approval_requests"]
    types = {"customer_code": "code", "customer_name": "text", "amount": "money", "credit_limit": "money",
             "exposure": "money", "over_pct": "text", "overdue": "money", "case": "text",
             "deadline": "datetime"}
    for key, type_ in types.items():
        assert form.field(key).type == type_


def test_other_forms(cat):
    others = cat.of_kind("other")
    assert len(others) >= 30
    names = {f.zh for f in others}
    missing = [n for n in SPEC_OTHER_NAMES if n not in names]
    assert not missing
    # one form for 销售合同登记 / 合同台账, two for 营销费用申请 / 报销, three for 年度/季度/月度计划
    assert {"销售合同登记", "营销费用申请", "营销费用报销", "年度计划", "季度计划", "月度计划"} <= names
    for form in others:
        assert not form.acts
        assert 5 <= len(form.fields) <= 12, form.key
        assert form.row_key and form.required, form.key
        assert set(form.row_key) <= set(form.keys)


# ---------------------------------------------------------------- identification by header

def _coverage(form: Form, header: set[str]) -> tuple[float, int]:
    """The reader's ranking of a header row for ``form``: share of required fields found, fields found."""
    found = {f.key for f in form.fields if {norm(x) for x in f.labels} & header}
    required = [f for f in form.required if f.key in found]
    return len(required) / max(1, len(form.required)), len(found)


@pytest.mark.parametrize("key", SPEC_INPUT)
@pytest.mark.parametrize("columns", ["all", "required"])
def test_input_header_identifies_its_form(cat, key, columns):
    """A workbook with an input form's Chinese header (all columns, or only the required ones) is
    that form by header match, ahead of every other input or other form."""
    form = cat[key]
    header = {norm(f.zh) for f in (form.fields if columns == "all" else form.required)}
    mine = _coverage(form, header)
    for other in cat:
        if other.kind != "output" and other is not form:
            assert _coverage(other, header) < mine, f"{other.key} ties with or beats {key}"
