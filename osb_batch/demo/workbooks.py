"""The demo inbox: realistic workbooks, written the way sales staff write them.

``osb-batch demo`` drops into ``inbox/`` the master data of every market, the month's quotas,
contract prices, quota transfers, opening balances, the day's bank receipts, a later customer
update with Traditional-Chinese headers, the day's orders and four faulty files, so that one
``run`` shows every intake path (accepted, updated, refused, returned with red cells,
quarantined) and every decision path of an order: QC rejection with several reasons, a quota
cut, and each case of the credit decision table (5-2, 5-3, 5-4, 5-5, 5-7a, 5-7b, 5-7c), with a
customer's second order seeing the first one's exposure.

The orders are built against the demo's own master data: :func:`build` draws the master data,
then picks a customer for each scenario among those it can predict (credit customers without
opening balances, prepaid customers), sets their credit limits and adds the overdue opening
balances the scenario needs, and sizes each order so that its case follows. Every value is drawn
from ``random.Random(seed)`` and the business date, never the clock, so a seed always gives the
same cells. Headers are the catalogue's labels, so the demo cannot drift from the forms it
exercises. :mod:`osb_batch.demo.week` carries the same data on through a simulated week.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.styles import Alignment, Font

from osb_batch import catalogue as catalogue_mod
from osb_batch.hanzi import traditional
from osb_batch.messages import state_label

if TYPE_CHECKING:
    from osb_batch.settings import Market, Settings

DEFAULT_SEED = 20261126
CUSTOMERS = "客户主数据-全国.xlsx"
PRODUCTS = "产品价格表.xlsx"
CONTRACT_PRICES = "客户合同价.xlsx"
TRANSFERS = "配额调拨单.xlsx"
OPENING = "期初应收.xlsx"
UPDATE = "客户主数据-华北更新.xlsx"
BAD_CUSTOMERS = "客户主数据-西南补充.xlsx"
BAD_HEADER = "产品价格表-错表头.xlsx"
NOT_A_WORKBOOK = "会议纪要.xlsx"
MISSING_COLUMN = "配额表-缺列.xlsx"

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵钱严武戴孔汤"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
          "超", "霞", "平", "刚", "建华", "志强", "海燕", "晓东", "文博", "国栋", "春梅", "建国", "晓明",
          "丽华", "秀兰", "宏伟", "玉兰", "德明", "振华", "雪梅", "立新", "少华", "俊杰", "海涛")
_BRANDS = ("恒通", "华信", "瑞丰", "鑫盛", "宏达", "永兴", "金鼎", "和顺", "隆昌", "万家", "汇丰", "嘉禾",
           "天诚", "佳和", "盛世", "同泰", "百川", "福源", "兴业", "润达", "康泰", "昌隆", "德润", "广信",
           "聚源", "泰和", "合众", "信达", "安泰", "华联")
_TRADES = ("商贸", "医药", "电器", "建材", "家电", "贸易", "五金", "物资", "实业", "百货")
_CARRIERS = ("顺达", "通达", "安捷", "宏远", "畅通", "捷运", "飞马", "长兴")
_DISTRICTS = ("高新区", "经开区", "城南区", "城北区", "新城区", "开发区", "老城区")
_ROADS = ("人民路", "建设路", "解放路", "中山路", "和平路", "长江路", "黄河路", "工业路", "商贸街")
_CITIES = {
    "东北": ("沈阳", "大连", "长春", "吉林", "哈尔滨", "大庆", "鞍山"),
    "华北": ("北京", "天津", "石家庄", "保定", "太原", "唐山", "呼和浩特"),
    "西北": ("西安", "兰州", "银川", "西宁", "乌鲁木齐", "宝鸡"),
    "华中": ("武汉", "长沙", "郑州", "南昌", "宜昌", "洛阳", "株洲"),
    "山东": ("济南", "青岛", "烟台", "潍坊", "临沂", "淄博", "济宁"),
    "华东": ("上海", "南京", "杭州", "苏州", "宁波", "合肥", "无锡"),
    "华南": ("广州", "深圳", "东莞", "佛山", "南宁", "福州", "厦门"),
    "西南": ("成都", "重庆", "昆明", "贵阳", "绵阳", "遵义"),
}
_PROVINCE_CITIES = {
    "辽宁": ("沈阳", "大连", "鞍山"), "吉林": ("长春", "吉林"), "黑龙江": ("哈尔滨", "大庆"),
    "河北": ("石家庄", "保定", "唐山"), "山西": ("太原", "大同"), "内蒙古": ("呼和浩特", "包头"),
    "陕西": ("西安", "宝鸡"), "甘肃": ("兰州", "天水"), "宁夏": ("银川",), "青海": ("西宁",),
    "新疆": ("乌鲁木齐", "克拉玛依"), "湖北": ("武汉", "宜昌"), "湖南": ("长沙", "株洲"),
    "河南": ("郑州", "洛阳"), "江西": ("南昌", "九江"), "山东": ("济南", "青岛", "烟台"),
    "江苏": ("南京", "苏州", "无锡"), "浙江": ("杭州", "宁波", "温州"), "安徽": ("合肥", "芜湖"),
    "广东": ("广州", "深圳", "东莞", "佛山"), "广西": ("南宁", "柳州"), "福建": ("福州", "厦门"),
    "海南": ("海口", "三亚"), "四川": ("成都", "绵阳"), "云南": ("昆明", "曲靖"), "贵州": ("贵阳", "遵义"),
    "西藏": ("拉萨",),
}
# (product group, [(name, spec, unit, list price)]); the first two groups get quotas per product.
_PRODUCTS = (
    ("空调", [("挂式空调 KFR-26GW", "1匹 冷暖 一级能效", "套", 2399), ("挂式空调 KFR-35GW", "1.5匹 冷暖 一级能效", "套", 2899),
              ("挂式空调 KFR-50GW", "2匹 冷暖 变频", "套", 3999), ("柜式空调 KFR-51LW", "2匹 立柜 变频", "套", 4699),
              ("柜式空调 KFR-72LW", "3匹 立柜 变频", "套", 6299), ("空调外机 KFR-35W", "1.5匹 外机", "台", 1599),
              ("空调外机 KFR-72W", "3匹 外机", "台", 2899), ("空调内机 KFR-35G", "1.5匹 内机", "台", 1199),
              ("移动空调 KY-26", "1匹 单冷", "台", 1699), ("空调支架 ZJ-35", "通用 不锈钢", "件", 59)]),
    ("冰箱", [("双门冰箱 BCD-218", "218升 定频", "台", 1599), ("三门冰箱 BCD-258", "258升 风冷", "台", 2299),
              ("十字门冰箱 BCD-460", "460升 变频", "台", 4599), ("对开门冰箱 BCD-520W", "520升 风冷无霜", "台", 4999),
              ("多门冰箱 BCD-406", "406升 变频", "台", 3999), ("单门冰箱 BC-93", "93升", "台", 799),
              ("卧式冷柜 BD-200", "200升", "台", 1399), ("卧式冷柜 BD-300", "300升", "台", 1899),
              ("恒温酒柜 JC-120", "120升", "台", 2599), ("冰箱除味剂 CW-01", "12盒装", "箱", 96)]),
    ("洗衣机", [("滚筒洗衣机 XQG100-B14", "10公斤 变频", "台", 2499), ("滚筒洗衣机 XQG80-B12", "8公斤 变频", "台", 1899),
                ("洗烘一体机 XQG100-HBD", "10公斤 洗烘", "台", 3499), ("波轮洗衣机 XQB80-36", "8公斤 定频", "台", 999),
                ("波轮洗衣机 XQB100-BZ", "10公斤 变频", "台", 1399), ("双缸洗衣机 XPB90", "9公斤 半自动", "台", 699),
                ("迷你洗衣机 XQB30-M", "3公斤", "台", 899), ("热泵干衣机 GDZ90", "9公斤", "台", 3299),
                ("洗衣机底座 DZ-01", "通用 加高", "件", 129), ("洗衣机进水管 JS-15", "1.5米 10根装", "箱", 150)]),
    ("小家电", [("电饭煲 MB-FB40", "4升 智能", "台", 299), ("电压力锅 MY-50", "5升 双胆", "台", 399),
                ("电磁炉 C21-RT", "2100瓦", "台", 259), ("微波炉 M1-L20", "20升 转盘", "台", 459),
                ("电水壶 SH-17", "1.7升 12台装", "箱", 780), ("豆浆机 DJ-13", "1.3升 破壁", "台", 329),
                ("空气炸锅 KZ-50", "5升 可视", "台", 349), ("落地电风扇 FS-40", "遥控 七叶", "台", 199),
                ("无线吸尘器 VC-12", "手持", "台", 899), ("厨房小家电礼盒 LH-3", "电饭煲+电水壶+电磁炉", "套", 799)]),
)
_DISCONTINUED = {"移动空调 KY-26", "双缸洗衣机 XPB90"}
_DATE_FORMAT = "yyyy-mm-dd"
_MONEY_FORMAT = "#,##0.00"
_YUAN_FORMAT = '"¥"#,##0.00'


@dataclass(frozen=True, slots=True)
class _Customer:
    code: str
    name: str
    market: Market
    region: str
    city: str
    kam: str
    um: str
    credit_limit: Decimal
    term: int
    prepaid: bool
    grade: str
    aliases: str
    station: str
    contact: str
    phone: str
    address: str


@dataclass(frozen=True, slots=True)
class _Product:
    code: str
    name: str
    spec: str
    unit: str
    price: Decimal
    on_sale: bool
    group: str


class _Names:
    """Chinese person names, never the same twice in one demo."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def __call__(self) -> str:
        while (name := self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)) in self.used:
            pass
        self.used.add(name)
        return name


def make_demo(inbox: Path, settings: Settings, business_date: dt.date, *,
              seed: int = DEFAULT_SEED) -> list[Path]:
    """Fill ``inbox`` with the demo workbooks; return them in arrival order.

    The same seed and business date always give the same cell values. Modification times are
    set a few minutes apart on the business date's morning (master data, quotas, balances and
    receipts, then the later update, then the day's orders, then the faulty files), so that
    arrival order is deterministic.
    """
    return write_demo(inbox, build(settings, business_date, seed=seed))


def write_demo(inbox: Path, data: DemoData) -> list[Path]:
    """Write ``data``'s workbooks into ``inbox``; return them in arrival order."""
    inbox.mkdir(parents=True, exist_ok=True)
    day = data.day
    # (file name, writer, minutes after 08:30 of its arrival wave)
    writers = [
        (CUSTOMERS, lambda p: _write_customers(p, data.customers, day), 0),
        (PRODUCTS, lambda p: _write_products(p, data.products), 0),
        (CONTRACT_PRICES, lambda p: _write_contract_prices(p, data.contract_rows), 0),
        (f"月度配额表-{day:%Y-%m}.xlsx", lambda p: _write_quotas(p, data.quota_rows, day), 0),
        (TRANSFERS, lambda p: _write_transfers(p, data.transfer_rows), 0),
        (OPENING, lambda p: _write_opening(p, data.opening_rows, day), 0),
        (receipts_name(day), lambda p: write_receipts(p, data.receipt_rows, day), 0),
        (UPDATE, lambda p: _write_update(p, data.update_rows), 60),
        (orders_name(day), lambda p: write_orders(p, data.orders, day), 90),
        (BAD_CUSTOMERS, lambda p: _write_bad_customers(p, data.bad_rows, day), 120),
        (BAD_HEADER, lambda p: _write_bad_header(p, data.products), 120),
        (NOT_A_WORKBOOK, _write_not_a_workbook, 120),
        (MISSING_COLUMN, lambda p: _write_missing_column(p, data.customers, data.products, day), 120),
    ]
    files = []
    for name, write, _ in writers:
        path = inbox / name
        write(path)
        files.append(path)
    set_arrival(files, day, waves=[wave for _, _, wave in writers])
    return files


@dataclass(frozen=True, slots=True)
class DemoLine:
    product: _Product
    qty: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class DemoOrder:
    """One demo order and what the day's run should make of it."""

    order_no: str
    day: dt.date
    customer: _Customer
    lines: tuple[DemoLine, ...]
    kam_verified: str | None
    mm_approved: str | None
    role: str = ""
    st_reason: str | None = None          # the label staff write, e.g. 订货会
    st_note: str | None = None
    remark: str | None = None
    state: str = ""                       # expected state after the run
    case: str = ""                        # expected credit case; "" when QC rejects it
    expect: str = ""                      # what to expect, in Chinese

    @property
    def amount(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), Decimal(0))


@dataclass(slots=True)
class DemoData:
    """Everything the demo writes, drawn once from the seed; :mod:`demo_week` reuses it."""

    day: dt.date
    seed: int
    settings: Settings
    customers: list[_Customer]
    products: list[_Product]
    quotas: list[_Quota]
    contract_rows: list[dict]
    quota_rows: list[dict]
    transfer_rows: list[dict]
    opening_rows: list[dict]
    update_rows: list[dict]
    bad_rows: list[dict]
    market_managers: dict[str, str] = field(default_factory=dict)      # market code -> MM name
    roles: dict[str, _Customer] = field(default_factory=dict)           # scenario -> customer
    regulars: list[_Customer] = field(default_factory=list)             # for later days' orders
    receipt_rows: list[dict] = field(default_factory=list)
    orders: list[DemoOrder] = field(default_factory=list)
    receipts_wired: bool = False

    def product(self, name: str) -> _Product:
        return next(p for p in self.products if p.name == name)

    def price(self, customer: _Customer, product: _Product, day: dt.date) -> Decimal:
        """The contract price valid on ``day``, else the list price: what a correct order says."""
        for row in self.contract_rows:
            if (row["customer_code"], row["product_code"]) == (customer.code, product.code) \
                    and row["valid_from"] <= day and (row["valid_to"] is None or day <= row["valid_to"]):
                return row["unit_price"]
        return product.price

    def line(self, customer: _Customer, product: _Product, qty: int, day: dt.date | None = None) -> DemoLine:
        price = self.price(customer, product, day or self.day)
        return DemoLine(product, Decimal(qty), price, (price * qty).quantize(_CENT))

    def sized(self, customer: _Customer, product: _Product, target: Decimal,
              day: dt.date | None = None) -> DemoLine:
        """A line of ``product`` worth about ``target`` yuan (rounded up to whole units)."""
        price = self.price(customer, product, day or self.day)
        return self.line(customer, product, max(1, math.ceil(target / price)), day)

    def mm(self, customer: _Customer) -> str:
        return self.market_managers[customer.market.code]


_CENT = Decimal("0.01")
# products the scenarios order: high-value goods of groups quota'd per group (plenty per region),
# and one cheap product quota'd per product for the cut
_WASHER_DRYER = "洗烘一体机 XQG100-HBD"
_DRYER = "热泵干衣机 GDZ90"
_WASHER = "滚筒洗衣机 XQG100-B14"
_WASHER_SMALL = "滚筒洗衣机 XQG80-B12"
_RICE_COOKER = "电饭煲 MB-FB40"
_MICROWAVE = "微波炉 M1-L20"
_BRACKET = "空调支架 ZJ-35"
_OLD_AC = "移动空调 KY-26"
# scenario -> the credit limit its customer gets (the orders are sized from it)
_LIMITS = {"pass": 200_000, "over": 100_000, "overdue": 300_000, "far_over": 50_000, "st": 300_000,
           "twice": 150_000, "cut": 500_000}
_CREDIT_ROLES = ("cut", "pass", "over", "overdue", "far_over", "st", "twice", "rejected")
_PREPAID_ROLES = ("prepay_ok", "shortfall", "prepay_wait")


def receipts_wired() -> bool:
    """Whether this build matches bank receipts to customers (so that prepayment is available)."""
    try:
        from osb_batch.ledger import receipts
    except ImportError:
        return False
    return all(hasattr(receipts, name) for name in ("apply_bank_receipts", "match"))


def build(settings: Settings, business_date: dt.date, *, seed: int = DEFAULT_SEED) -> DemoData:
    """The demo's data for ``business_date``: master data, faulty rows, receipts and orders.

    The random draws happen in the order the workbooks were always written, so the master-data
    files of a seed do not change when scenarios are added; the scenarios then use no draw but
    the market managers' names.
    """
    rng = random.Random(seed)
    names = _Names(rng)
    customers = _customers(rng, names, settings.markets)
    products = _products()
    quotas = _quotas(rng, customers, products, settings.markets)
    data = DemoData(
        day=business_date, seed=seed, settings=settings, customers=customers, products=products, quotas=quotas,
        contract_rows=_contract_rows(rng, customers, products, business_date),
        quota_rows=[_quota_row(q, rng.choice(_month_texts(business_date))) for q in quotas],
        transfer_rows=_transfer_rows(rng, customers, quotas, settings.markets, business_date),
        opening_rows=_opening_rows(rng, customers, business_date),
        update_rows=_update_rows(rng, customers),
        bad_rows=_bad_customer_rows(rng, names, customers, settings.markets, business_date),
        receipts_wired=receipts_wired(),
    )
    data.market_managers = {m.code: names() for m in settings.markets}
    _cast(data, names)
    _orders(data)
    return data


def _interleaved(customers: Sequence[_Customer]) -> list[_Customer]:
    """Customers taken one market at a time, so that scenarios spread over markets and regions."""
    by_market: dict[str, list[_Customer]] = {}
    for c in customers:
        by_market.setdefault(c.market.code, []).append(c)
    queues = list(by_market.values())
    out = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def _cast(data: DemoData, names: _Names) -> None:
    """Pick each scenario's customer, give it the credit limit and opening balance it needs.

    Credit scenarios take credit customers without opening balances (whose exposure is known)
    and not in the later 华北 update (whose limits change); the cut takes one outside the market
    whose regions trade quota, so that its region's quota is the quota file's figure.
    """
    day = data.day
    update_market = _pick_market([c.market for c in data.customers], "华北", "N", 0)
    updated = {c.code for c in [c for c in data.customers if c.market is update_market][:3]}
    with_opening = {r["customer_code"] for r in data.opening_rows}
    transfer_market = _transfer_market(data.settings.markets)
    credit = _interleaved([c for c in data.customers if not c.prepaid and c.credit_limit > 0
                           and c.code not in with_opening | updated])
    prepaid = _interleaved([c for c in data.customers if c.prepaid])
    cut = next((c for c in credit if c.market is not transfer_market), None)
    if cut is None or len(credit) < len(_CREDIT_ROLES) + 2 or len(prepaid) < len(_PREPAID_ROLES):
        raise ValueError("too few demo customers for the order scenarios")
    credit.remove(cut)
    roles = {"cut": cut, **dict(zip(_CREDIT_ROLES[1:], credit, strict=False)),
             **dict(zip(_PREPAID_ROLES, prepaid, strict=False))}
    data.regulars = credit[len(_CREDIT_ROLES) - 1:]
    changed = {roles[role].code: Decimal(limit) for role, limit in _LIMITS.items()}
    data.customers = [dataclasses.replace(c, credit_limit=changed[c.code]) if c.code in changed else c
                      for c in data.customers]
    by_code = {c.code: c for c in data.customers}
    data.roles = {role: by_code[c.code] for role, c in roles.items()}
    data.regulars = [by_code[c.code] for c in data.regulars]
    # overdue receivables for the 5-4 and 5-5 customers: an invoice due 25 days ago
    for role, amount in (("overdue", Decimal("36000.00")), ("st", Decimal("28000.00"))):
        c = data.roles[role]
        due = day - dt.timedelta(days=25)
        data.opening_rows.append({"customer_code": c.code, "doc_date": due - dt.timedelta(days=c.term),
                                  "due_date": due, "amount": amount,
                                  "doc_no": f"QC-{day.year}-{len(data.opening_rows) + 1:03d}"})
    # the day's bank receipts: enough for one prepaid customer, too little for another, one unknown payer
    ok, wait = data.roles["prepay_ok"], data.roles["prepay_wait"]
    data.receipt_rows = [
        receipt_row(day, 1, ok.name, Decimal("100000.00"), f"工商银行{ok.city}分行", "预付货款"),
        receipt_row(day, 2, names(), Decimal("3000.00"), "建设银行营业部", "货款"),
        receipt_row(day, 3, wait.name, Decimal("20000.00"), f"农业银行{wait.city}支行", "部分预付款"),
    ]


def receipt_row(day: dt.date, n: int, payer: str, amount: Decimal, account: str, remark: str) -> dict:
    return {"bank_ref": f"BR-{day:%Y%m%d}-{n:03d}", "receipt_date": day, "payer_name": payer,
            "amount": amount, "bank_account": account, "remark": remark}


def order_no(day: dt.date, n: int) -> str:
    return f"SO-{day:%Y%m%d}-{n:03d}"


def _orders(data: DemoData) -> None:
    """The day's orders in sheet (acceptance) order, each with the outcome it should get."""
    day, r, p = data.day, data.roles, data.product
    credit = data.settings.credit
    tol, cap = credit.tolerance, credit.prepay_shortfall_cap
    limit = {role: c.credit_limit for role, c in r.items()}
    first = data.sized(r["twice"], p(_WASHER_DRYER), limit["twice"] * Decimal("0.7"))
    bracket = p(_BRACKET)
    allowed = _allowed(data, r["cut"], bracket)
    plan = [
        ("twice", [first], {}),
        ("pass", [data.sized(r["pass"], p(_WASHER_DRYER), limit["pass"] * Decimal("0.35")),
                  data.line(r["pass"], p(_RICE_COOKER), 50)], {}),
        ("rejected", [_priced(data.line(r["rejected"], p(_OLD_AC), 5), p(_OLD_AC).price),
                      _wrong_amount(data.line(r["rejected"], p(_WASHER_SMALL), 10))], {"mm_approved": None}),
        ("over", [data.sized(r["over"], p(_WASHER_DRYER), limit["over"] * (1 + tol / 2))], {}),
        ("prepay_ok", [data.sized(r["prepay_ok"], p(_WASHER), Decimal(50_000))], {}),
        ("overdue", [data.sized(r["overdue"], p(_WASHER), limit["overdue"] * Decimal("0.15"))], {}),
        ("st", [data.sized(r["st"], p(_DRYER), limit["st"] * Decimal("0.3"))],
         {"st_reason": "订货会", "st_note": f"{day.year}年冬季订货会订单，客户承诺月底前结清逾期款"}),
        ("cut", [data.line(r["cut"], bracket, int(allowed) + 20), data.line(r["cut"], p(_MICROWAVE), 10)],
         {"remark": "配合门店安装季备货"}),
        ("shortfall", [data.sized(r["shortfall"], p(_RICE_COOKER), cap * Decimal("0.75"))], {}),
        ("far_over", [data.sized(r["far_over"], p(_WASHER_DRYER), limit["far_over"] * (1 + tol + Decimal("0.2")))],
         {}),
        ("prepay_wait", [data.sized(r["prepay_wait"], p(_WASHER_DRYER), Decimal(20_000) + cap + 22_000)], {}),
        ("twice", [data.sized(r["twice"], p(_WASHER), limit["twice"] * (1 + tol / 2) - first.amount)],
         {"remark": "同一客户当天第二单"}),
    ]
    book = _Expectations(data)
    for n, (role, lines, extra) in enumerate(plan, start=1):
        c = r[role]
        order = DemoOrder(order_no(day, n), day, c, tuple(lines), kam_verified=c.kam,
                          mm_approved=extra.pop("mm_approved", data.mm(c)), role=role, **extra)
        data.orders.append(book.expect(order, cut={bracket.code: allowed} if role == "cut" else {}))


def _priced(line: DemoLine, price: Decimal) -> DemoLine:
    return dataclasses.replace(line, unit_price=price, amount=(price * line.qty).quantize(_CENT))


def _wrong_amount(line: DemoLine) -> DemoLine:
    """A line whose amount was typed wrong (not quantity × unit price)."""
    return dataclasses.replace(line, amount=(line.amount * Decimal("0.95")).quantize(Decimal("1")))


def _allowed(data: DemoData, customer: _Customer, product: _Product) -> Decimal:
    """What the quota file allows ``customer`` of ``product`` this month (no transfers, no orders yet)."""
    rows = [q.qty for q in data.quotas if q.product == product.code and q.market is customer.market
            and q.region == customer.region and q.customer in ("", customer.code)]
    return Decimal(min(rows)) if rows else Decimal(10**6)


class _Expectations:
    """The outcome of each demo order, by the same credit rules the batch uses."""

    def __init__(self, data: DemoData):
        from osb_batch.rules import credit
        self.credit, self.data = credit, data
        s = data.settings.credit
        self.policy = credit.CreditPolicy(s.tolerance, s.prepay_shortfall_cap)
        self.committed: dict[str, Decimal] = {}
        self.receipts: dict[str, Decimal] = {}
        if data.receipts_wired:
            names = {c.name: c.code for c in data.customers}
            for row in data.receipt_rows:
                if row["payer_name"] in names:
                    code = names[row["payer_name"]]
                    self.receipts[code] = self.receipts.get(code, Decimal(0)) + row["amount"]

    def expect(self, order: DemoOrder, cut: Mapping[str, Decimal]) -> DemoOrder:
        c = order.customer
        if order.role == "rejected":
            return dataclasses.replace(order, state="REJECTED", expect=(
                "停售产品、金额不等于数量×单价、缺市场经理审批 → QC 退回，一次列出全部原因（已拒绝）"))
        amount = sum((min(ln.qty, cut.get(ln.product.code, ln.qty)) * ln.unit_price for ln in order.lines),
                     Decimal(0)).quantize(_CENT)
        rows = [r for r in self.data.opening_rows if r["customer_code"] == c.code]
        open_ar = sum((r["amount"] for r in rows), Decimal(0))
        overdue = sum((r["amount"] for r in rows if isinstance(r["due_date"], dt.date)
                       and r["due_date"] < order.day and r["amount"] > 0), Decimal(0))
        facts = self.credit.CreditFacts(c.credit_limit, c.prepaid, open_ar, overdue,
                                        self.receipts.get(c.code, Decimal(0)))
        committed = self.committed.get(c.code, Decimal(0))
        decision = self.credit.decide(amount, facts, committed, committed if c.prepaid else Decimal(0),
                                      bool(order.st_reason), self.policy)
        if decision.committed:
            self.committed[c.code] = committed + amount
        why = _why(order, decision, facts, cut, amount)
        return dataclasses.replace(order, state=decision.state, case=decision.case,
                                   expect=f"{why} → {decision.case} {state_label(decision.state)}")


def _why(order: DemoOrder, decision, facts, cut: Mapping[str, Decimal], amount: Decimal) -> str:
    over = "" if decision.over is None else f"{decision.over:.1%}"
    parts = []
    for ln in order.lines:
        if ln.product.code in cut and ln.qty > cut[ln.product.code]:
            parts.append(f"{ln.product.name} 申请 {ln.qty}{ln.product.unit}，配额只剩 {cut[ln.product.code]}，"
                         f"削减 {ln.qty - cut[ln.product.code]}")
    if order.role == "twice" and order.remark:
        parts.append("计入同一客户第一单的占用")
    if facts.prepaid:
        parts.append(f"先款后货，订单 {amount:,.2f} 元，可用预付款 {decision.available_prepayment:,.2f} 元")
    else:
        parts.append(f"额度 {facts.limit:,.0f} 元，占用 {decision.exposure:,.2f} 元（超出 {over}）"
                     if decision.over is not None and decision.over > 0 else
                     f"额度 {facts.limit:,.0f} 元，占用 {decision.exposure:,.2f} 元")
        if facts.overdue > 0:
            parts.append(f"逾期应收 {facts.overdue:,.2f} 元")
    if order.st_reason:
        parts.append(f"申请特别处理（{order.st_reason}），须三位 SLT 成员签字")
    return "；".join(parts)


def _transfer_market(markets: Sequence[Market]) -> Market:
    """The market whose regions trade quota in the transfers file."""
    return max(markets, key=lambda m: len(_regions(m)))

# --- data -----------------------------------------------------------------------------------


def _customers(rng: random.Random, names: _Names, markets: Sequence[Market]) -> list[_Customer]:
    """About 60 customers spread over the markets, each region with its own UM."""
    per_market = [60 // len(markets)] * len(markets)
    for i in rng.sample(range(len(markets)), 60 % len(markets)):
        per_market[i] += 1
    prepaid = set(rng.sample(range(60), 8))
    zero_limit = set(sorted(prepaid)[:2]) | {min(set(range(60)) - prepaid)}
    used_names: set[str] = set()
    customers: list[_Customer] = []
    for market, count in zip(markets, per_market, strict=True):
        ums = {region: names() for region in _regions(market)}
        kams = [names() for _ in range(rng.choice((2, 3)))]
        regions = list(_regions(market))
        rng.shuffle(regions)
        for j in range(count):
            n = len(customers)
            region = regions[j % len(regions)]
            city, place = _place(rng, market, region)
            while (name := f"{place}{rng.choice(_BRANDS)}{rng.choice(_TRADES)}有限公司") in used_names:
                pass
            used_names.add(name)
            is_prepaid = n in prepaid
            limit = 0 if n in zero_limit else rng.randrange(5, 201) * 10_000
            alias = name if rng.random() < 0.7 else f"{name};{rng.choice((name[:len(place) + 2], names()))}"
            customers.append(_Customer(
                code=f"C{n + 1:03d}", name=name, market=market, region=region, city=city,
                kam=rng.choice(kams), um=ums[region], credit_limit=Decimal(limit),
                term=0 if is_prepaid else rng.choice((30, 30, 45, 60, 60, 90)), prepaid=is_prepaid,
                grade=rng.choice("CD" if is_prepaid else "AABBBC"), aliases=alias,
                station=f"{city}{rng.choice(_CARRIERS)}托运站", contact=names(), phone=_phone(rng),
                address=f"{city}市{rng.choice(_DISTRICTS)}{rng.choice(_ROADS)}{rng.randrange(1, 999)}号",
            ))
    return customers


def _place(rng: random.Random, market: Market, region: str) -> tuple[str, str]:
    """(city for the address, place name that starts the company name) of a customer."""
    bare = region.removesuffix("市").removesuffix("省")
    if bare in _PROVINCE_CITIES:
        return rng.choice(_PROVINCE_CITIES[bare]), bare
    pool = _CITIES.get(market.zh) or tuple(c for cities in _CITIES.values() for c in cities)
    if bare in pool:
        return bare, bare
    city = rng.choice(pool)
    looks_like_place = 2 <= len(bare) <= 3 and not bare.endswith(("区", "部", "片")) and bare.isalpha()
    return city, bare if looks_like_place else city


def _regions(market: Market) -> tuple[str, ...]:
    """The market's regions; its cities when rules.toml leaves them open (any region accepted)."""
    return tuple(market.regions) or _CITIES.get(market.zh, (market.zh,))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10)}-{rng.randrange(10_000):04d}-{rng.randrange(10_000):04d}"


def _products() -> list[_Product]:
    products = []
    for group, items in _PRODUCTS:
        for name, spec, unit, price in items:
            products.append(_Product(f"P{len(products) + 1:03d}", name, spec, unit,
                                     Decimal(price).quantize(Decimal("0.01")), name not in _DISCONTINUED, group))
    return products


@dataclass(frozen=True, slots=True)
class _Quota:
    level: str          # 区域 | 客户
    market: Market
    region: str
    customer: str
    product: str        # product code or product group
    qty: int


def _quotas(rng: random.Random, customers: Sequence[_Customer], products: Sequence[_Product],
            markets: Sequence[Market]) -> list[_Quota]:
    """Region quotas per product for the first two groups, per group for the others; then ~15 customers."""
    coded_groups = {group for group, _ in _PRODUCTS[:2]}
    coded = [p.code for p in products if p.on_sale and p.group in coded_groups]
    groups = [group for group, _ in _PRODUCTS[2:]]
    quotas = []
    for market in markets:
        for region in _regions(market):
            quotas += [_Quota("区域", market, region, "", code, rng.randrange(5, 61) * 10) for code in coded]
            quotas += [_Quota("区域", market, region, "", g, rng.randrange(20, 121) * 10) for g in groups]
    region_qty = {(q.market.code, q.region, q.product): q.qty for q in quotas}
    for c in sorted(rng.sample(list(customers), 15), key=lambda c: c.code):
        for code in sorted(rng.sample(coded, 2)):
            qty = min(rng.randrange(2, 31) * 5, region_qty[(c.market.code, c.region, code)])
            quotas.append(_Quota("客户", c.market, c.region, c.code, code, qty))
    return quotas


# --- workbooks ------------------------------------------------------------------------------


def _form(key: str) -> catalogue_mod.Form:
    return catalogue_mod.load()[key]


def _write(path: Path, form_key: str, order: Sequence[str], rows: Iterable[Mapping[str, object]], *,
           sheet: str, title: str = "", notes: Sequence[str] = (), star: bool = False,
           hant: bool = False, formats: Mapping[str, str] | None = None) -> None:
    """One sheet: optional merged title and note rows, a header of catalogue labels, the rows.

    ``order`` is the column order (field keys); keys the catalogue lacks are left out.
    ``formats`` maps field keys to number formats.
    """
    form = _form(form_key)
    keys = [k for k in order if k in form.keys]
    header = [form.field(k).header() if star else form.field(k).zh for k in keys]
    if hant:
        header = [traditional(h) for h in header]
    wb = openpyxl.Workbook()
    wb.properties.creator = "销售部秘书组"
    wb.properties.created = dt.datetime(2026, 1, 1)
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(keys))
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for note in notes:
        ws.append([note])
    ws.append(header)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.get(k) for k in keys])
    for col, key in enumerate(keys, start=1):
        letter = openpyxl.utils.get_column_letter(col)
        ws.column_dimensions[letter].width = max(10, 2 * len(header[col - 1]) + 2)
        if formats and key in formats:
            for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=col, max_col=col):
                if not isinstance(cell.value, str):
                    cell.number_format = formats[key]
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    wb.save(path)


def write_form(path: Path, form_key: str, rows: Iterable[Mapping[str, object]], *, sheet: str, title: str = "",
               formats: Mapping[str, str] | None = None) -> None:
    """A workbook of one form in catalogue column order, starred header under a title row."""
    _write(path, form_key, _form(form_key).keys, rows, sheet=sheet, title=title, star=True, formats=formats)


_CUSTOMER_ORDER = ("market", "region", "customer_code", "customer_name", "account_manager", "unit_manager",
                   "credit_grade", "credit_limit", "payment_term_days", "prepaid", "payer_aliases",
                   "shipping_station", "contact", "phone", "address")


def _customer_row(c: _Customer, rng: random.Random | None = None) -> dict[str, object]:
    as_text = rng is not None and rng.random() < 0.3
    return {
        "customer_code": c.code, "customer_name": c.name, "market": c.market.zh, "region": c.region,
        "account_manager": c.kam, "unit_manager": c.um,
        "credit_limit": f"{c.credit_limit:,.2f}" if as_text else c.credit_limit,
        "payment_term_days": str(c.term) if as_text else c.term, "prepaid": "是" if c.prepaid else "否",
        "credit_grade": c.grade, "payer_aliases": c.aliases, "shipping_station": c.station,
        "contact": c.contact, "phone": c.phone, "address": c.address,
    }


def _write_customers(path: Path, customers: Sequence[_Customer], day: dt.date) -> None:
    rng = random.Random(len(customers))       # which cells staff typed as text; fixed by the data
    _write(path, "customers", _CUSTOMER_ORDER, [_customer_row(c, rng) for c in customers],
           sheet="客户主数据", title=f"{day.year}年客户主数据（销售部秘书组汇总）",
           notes=["说明：带 * 为必填项；信用额度单位：元；先款后货填 是/否。"], star=True,
           formats={"credit_limit": _MONEY_FORMAT})


def _write_products(path: Path, products: Sequence[_Product]) -> None:
    rows = [{"product_code": p.code, "product_name": p.name, "spec": p.spec, "unit": p.unit,
             "unit_price": p.price, "status": "在售" if p.on_sale else "停售", "product_group": p.group}
            for p in products]
    _write(path, "products", _form("products").keys, rows, sheet="产品价格表",
           formats={"unit_price": _YUAN_FORMAT})


def _contract_rows(rng: random.Random, customers: Sequence[_Customer], products: Sequence[_Product],
                   day: dt.date) -> list[dict]:
    credit = [c for c in customers if not c.prepaid]
    on_sale = [p for p in products if p.on_sale]
    pairs = sorted({(c.code, p) for c in rng.sample(credit, 7) for p in rng.sample(on_sale, 2)},
                   key=lambda cp: (cp[0], cp[1].code))[:10]
    year_end = dt.date(day.year, 12, 31)
    return [{"customer_code": code, "product_code": p.code,
             "unit_price": (p.price * Decimal(rng.choice(("0.92", "0.94", "0.95", "0.96", "0.97"))))
             .quantize(Decimal("1")).quantize(Decimal("0.01")),
             "valid_from": day.replace(day=1), "valid_to": rng.choice((None, year_end))}
            for code, p in pairs]


def _write_contract_prices(path: Path, rows: Sequence[dict]) -> None:
    _write(path, "contract_prices", _form("contract_prices").keys, rows, sheet="合同价",
           formats={"unit_price": _MONEY_FORMAT, "valid_from": _DATE_FORMAT, "valid_to": _DATE_FORMAT})


def _month_texts(day: dt.date) -> tuple[str, str]:
    return f"{day.year}年{day.month}月", day.strftime("%Y-%m")


def _quota_row(q: _Quota, month: str) -> dict[str, object]:
    return {"month": month, "level": q.level, "market": q.market.zh, "region": q.region,
            "customer_code": q.customer or None, "product_code": q.product, "quota_qty": q.qty}


def _write_quotas(path: Path, rows: Sequence[dict], day: dt.date) -> None:
    _write(path, "quotas", _form("quotas").keys, rows, sheet=f"{day.month}月配额",
           title=f"{day.year}年{day.month}月 月度配额表", star=True)


def _transfer_rows(rng: random.Random, customers: Sequence[_Customer], quotas: Sequence[_Quota],
                   markets: Sequence[Market], day: dt.date) -> list[dict]:
    """Three transfers inside one market; the last lacks the giving UM's consent."""
    market = _transfer_market(markets)
    regions = list(_regions(market))
    last = len(regions) - 1
    steps = ((0, 1), (last, 0), (1, last)) if last >= 2 else ((0, last), (last, 0), (0, last))
    pairs = [(regions[a], regions[b]) for a, b in steps]
    ums = {c.region: c.um for c in customers if c.market is market}
    coded = {(q.region, q.product): q.qty for q in quotas
             if q.market is market and q.level == "区域" and q.product.startswith("P")}
    remarks = ("旺季调剂", "门店促销备货", "调出区域经理未同意，待沟通")
    rows = []
    for i, ((src, dst), remark) in enumerate(zip(pairs, remarks, strict=True)):
        code = rng.choice(sorted(p for r, p in coded if r == src))
        rows.append({"transfer_no": f"DB-{day:%Y%m}-{i + 1:03d}", "month": day.strftime("%Y-%m"),
                     "from_region": src, "to_region": dst, "product_code": code,
                     "qty": max(5, coded[(src, code)] // 20 * 5), "from_um_consent": "否" if i == 2 else "是",
                     "from_um": ums.get(src), "remark": remark})
    return rows


def _write_transfers(path: Path, rows: Sequence[dict]) -> None:
    _write(path, "quota_transfers", _form("quota_transfers").keys, rows, sheet="配额调拨单", star=True)


def _opening_rows(rng: random.Random, customers: Sequence[_Customer], day: dt.date) -> list[dict]:
    """Open receivables of ~20 credit customers, some overdue, and one credit note."""
    chosen = sorted(rng.sample([c for c in customers if not c.prepaid and c.credit_limit], 20),
                    key=lambda c: c.code)
    rows = []
    for c in chosen:
        doc_date = day - dt.timedelta(days=rng.randrange(5, c.term + 60))
        limit = int(c.credit_limit)
        amount = Decimal(rng.randrange(limit // 10, limit * 7 // 10)) + Decimal(rng.randrange(100)) / 100
        rows.append({"customer_code": c.code, "doc_date": doc_date, "amount": amount,
                     "due_date": doc_date + dt.timedelta(days=c.term)})
    credit_date = day - dt.timedelta(days=12)
    rows.append({"customer_code": chosen[0].code, "doc_date": credit_date, "due_date": credit_date,
                 "amount": Decimal(-rng.randrange(20, 100) * 100)})
    for i, row in enumerate(rows):
        row["doc_no"] = f"QC-{day.year}-{i + 1:03d}"
    return rows


def _write_opening(path: Path, rows: Sequence[dict], day: dt.date) -> None:
    rows = [dict(row) for row in rows]
    for i in (3, 11):    # dates typed as text, the way some staff do
        if i < len(rows):
            row = rows[i]
            row["doc_date"] = f"{row['doc_date'].year}年{row['doc_date'].month}月{row['doc_date'].day}日"
            row["due_date"] = row["due_date"].strftime("%Y/%m/%d")
    _write(path, "opening_balances", _form("opening_balances").keys, rows, sheet="期初应收",
           title=f"期初应收余额（截至 {day:%Y-%m-%d}）", star=True,
           formats={"doc_date": _DATE_FORMAT, "due_date": _DATE_FORMAT, "amount": _MONEY_FORMAT})


def _pick_market(markets: Sequence[Market], zh: str, code: str, fallback: int) -> Market:
    return next((m for m in markets if m.zh == zh or m.code == code), markets[fallback])


def _update_rows(rng: random.Random, customers: Sequence[_Customer]) -> list[dict]:
    """Three existing customers of 华北 with a new credit limit or phone."""
    market = _pick_market([c.market for c in customers], "华北", "N", 0)
    chosen = [c for c in customers if c.market is market][:3]
    rows = []
    for i, c in enumerate(chosen):
        row = _customer_row(c)
        row["market"] = traditional(c.market.zh)
        if i == 0:
            row["credit_limit"] = c.credit_limit + 300_000
        elif i == 1:
            row["credit_limit"] = c.credit_limit + (-100_000 if c.credit_limit >= 200_000 else 100_000)
        else:
            row["phone"] = _phone(rng)
        rows.append(row)
    return rows


def _write_update(path: Path, rows: Sequence[dict]) -> None:
    """The 华北 update with Traditional-Chinese headers, as a regional office sends it."""
    order = ("customer_code", "customer_name", "credit_limit", "market", "region", "account_manager",
             "unit_manager", "payment_term_days", "prepaid", "phone")
    _write(path, "customers", order, rows, sheet="客戶主數據", title="客戶主數據更新（華北市場）",
           hant=True, formats={"credit_limit": _MONEY_FORMAT})


def _bad_customer_rows(rng: random.Random, names: _Names, customers: Sequence[_Customer],
                       markets: Sequence[Market], day: dt.date) -> list[dict]:
    """Six new 西南 customers, wrong in one way each but one, plus a row repeating a code."""
    market = _pick_market(markets, "西南", "SW", -1)
    kam, n = names(), len(customers)
    codes = [f"C{n + k:03d}" for k in (1, 2, 3, 4, 4)] + [None, f"C{n + 5:03d}"]
    rows = []
    for i, code in enumerate(codes):
        region = _regions(market)[i % len(_regions(market))]
        city, place = _place(rng, market, region)
        rows.append(_customer_row(_Customer(
            code=code, name=f"{place}{_BRANDS[i]}{_TRADES[i]}有限公司", market=market, region=region,
            city=city, kam=kam, um=names(), credit_limit=Decimal(rng.randrange(5, 50) * 10_000), term=30,
            prepaid=False, grade="B", aliases="", station=f"{city}{rng.choice(_CARRIERS)}托运站",
            contact=names(), phone=_phone(rng),
            address=f"{city}市{rng.choice(_DISTRICTS)}{rng.choice(_ROADS)}{rng.randrange(1, 999)}号")))
    rows[0]["market"] = "西藏区"                 # unknown market
    rows[1]["credit_limit"] = "abc"              # not a number
    rows[2]["payment_term_days"] = 400           # out of 0-365
    # rows[3] is right; rows[4] repeats its code; rows[5] has no code but everything else
    rows[6]["prepaid"] = "可能"                   # not a boolean
    return rows


def _write_bad_customers(path: Path, rows: Sequence[dict], day: dt.date) -> None:
    market = rows[-1]["market"]
    _write(path, "customers", _CUSTOMER_ORDER, rows, sheet="Sheet1",
           title=f"{day.year}年客户主数据（{market}提交）", notes=["新增客户，请秘书组录入。"],
           star=True, formats={"credit_limit": _MONEY_FORMAT})


def _write_bad_header(path: Path, products: Sequence[_Product]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["货号", "品名", "价钱", "备注说明"])
    for p in products[:6]:
        ws.append([p.code.replace("P", "HH-"), p.name, float(p.price), "新价格，下月执行"])
    wb.save(path)


def _write_not_a_workbook(path: Path) -> None:
    text = "销售部周例会会议纪要\n一、十一月订单进度\n二、西南市场新客户录入\n三、配额调拨事项\n"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                     + text.encode("utf-8") + b"%%EOF\n")


def _write_missing_column(path: Path, customers: Sequence[_Customer], products: Sequence[_Product],
                          day: dt.date) -> None:
    """A quotas sheet where the required quantity column was deleted."""
    market = customers[0].market
    order = [k for k in _form("quotas").keys if k != "quota_qty"]
    rows = [_quota_row(_Quota("区域", market, region, "", p.code, 0), day.strftime("%Y-%m"))
            for region in _regions(market) for p in products[:3]]
    _write(path, "quotas", order, rows, sheet="月度配额表", star=True)


# --- the day's receipts and orders ------------------------------------------------------------


def receipts_name(day: dt.date) -> str:
    return f"银行到款-{day:%Y-%m-%d}.xlsx"


def orders_name(day: dt.date) -> str:
    return f"订单-{day:%Y-%m-%d}.xlsx"


def write_receipts(path: Path, rows: Sequence[dict], day: dt.date) -> None:
    """Finance's bank receipts export: a title, amounts partly typed as text with ¥ and commas."""
    shown = [{**row, "amount": f"¥{row['amount']:,.2f}" if i % 2 else row["amount"]}
             for i, row in enumerate(rows)]
    _write(path, "bank_receipts", _form("bank_receipts").keys, shown, sheet="到款明细",
           title=f"银行到款明细 {day:%Y年%m月%d日}", star=True,
           formats={"receipt_date": _DATE_FORMAT, "amount": _MONEY_FORMAT})


_ORDER_COLUMNS = ("order_no", "order_date", "customer_code", "kam_verified", "mm_approved", "product_code",
                  "qty", "unit_price", "amount", "st_requested", "st_reason", "st_note", "remark")


def write_orders(path: Path, orders: Sequence[DemoOrder], day: dt.date, title: str = "") -> None:
    """The orders as the SSG collects them: one row per line, order fields repeated on each line;
    a title and a note above the header; some dates, quantities and prices typed as text."""
    rows = []
    for o in orders:
        for ln in o.lines:
            n = len(rows)
            rows.append({
                "order_no": o.order_no,
                "order_date": f"{o.day.year}年{o.day.month}月{o.day.day}日" if n % 3 == 1 else o.day,
                "customer_code": o.customer.code, "kam_verified": o.kam_verified, "mm_approved": o.mm_approved,
                "product_code": ln.product.code,
                "qty": str(ln.qty) if n % 2 else int(ln.qty),
                "unit_price": f"{ln.unit_price:,.2f}" if n % 4 == 2 else ln.unit_price,
                "amount": ln.amount, "st_requested": "是" if o.st_reason else "否",
                "st_reason": o.st_reason, "st_note": o.st_note, "remark": o.remark,
            })
    _write(path, "orders", _ORDER_COLUMNS, rows, sheet="订单", title=title or f"订单汇总 {day:%Y-%m-%d}（销售部秘书组）",
           notes=["说明：带 * 为必填项；一张订单多行时，订单号、日期、客户等逐行填写。"], star=True,
           formats={"order_date": _DATE_FORMAT, "unit_price": _MONEY_FORMAT, "amount": _MONEY_FORMAT})


def set_arrival(paths: Sequence[Path], day: dt.date, start: dt.time = dt.time(8, 30),
                waves: Sequence[int] | None = None) -> None:
    """Modification times on ``day``'s morning, five minutes apart (plus each file's wave), in order."""
    first = dt.datetime.combine(day, start)
    for i, path in enumerate(paths):
        stamp = (first + dt.timedelta(minutes=(waves[i] if waves else 0) + 5 * i)).timestamp()
        os.utime(path, (stamp, stamp))


# --- summary --------------------------------------------------------------------------------

_DESCRIPTIONS = {
    CUSTOMERS: ("约 60 个客户，覆盖全部市场；标题行、说明行、列顺序与模板不同、部分数字为文本", "全部入账"),
    PRODUCTS: ("40 个产品（2 个停售），单价带 ¥ 格式", "全部入账"),
    CONTRACT_PRICES: ("约 10 条客户合同价，略低于目录价", "全部入账"),
    "月度配额表": ("本月区域级和客户级配额，月份写法混用（2026年11月 / 2026-11）", "全部入账"),
    TRANSFERS: ("同一市场内 3 笔区域间调拨", "2 笔生效；1 笔因调出区域经理未同意被拒绝"),
    OPENING: ("约 20 个客户的期初应收（含 1 笔负数贷项，部分已逾期）", "全部入账，进入应收账龄"),
    "银行到款": ("财务导出的当日银行到款 3 笔，部分金额为带 ¥ 的文本",
                 "2 笔按付款户名认领到先款后货客户（成为其预付款），1 笔户名不明，留在到款池待认领"),
    UPDATE: ("稍后到达的更新：3 个华北客户改信用额度或电话，繁体表头", "更新 3 个客户"),
    "订单": ("当日订单汇总：标题行、带 * 的中文表头、部分日期/数量/单价为文本；覆盖每条审核路径",
             "逐单结果见下"),
    BAD_CUSTOMERS: ("西南新客户，含多处错误",
                    "未知市场“西藏区”、信用额度“abc”、回款期 400 天超范围、客户编码重复、"
                    "一行缺客户编码、先款后货填“可能”：进入异常清单，退回修改件中标红；正确的行照常入账"),
    BAD_HEADER: ("表头（货号/品名/价钱/备注说明）与任何表单都不匹配",
                 "移入 quarantine/，说明文件列出最接近的表单"),
    NOT_A_WORKBOOK: ("不是 Excel 工作簿（实为 PDF 内容）", "移入 quarantine/，说明原因"),
    MISSING_COLUMN: ("配额表缺少必填列“配额数量”", "整表退回，异常清单指出缺少的列"),
}


def _description_key(name: str) -> str:
    for prefix in ("月度配额表", "银行到款", "订单"):
        if name.startswith(prefix + "-"):
            return prefix
    return name


def order_expectations(orders: Iterable[DemoOrder]) -> list[str]:
    """One Chinese line per order: number, customer, what the run should decide and why."""
    return [f"  {o.order_no}（{o.customer.code} {o.customer.name}，{o.customer.market.zh}）：{o.expect}"
            for o in orders]


def demo_summary(files: Iterable[Path], data: DemoData | None = None) -> str:
    """A few Chinese lines: which files were dropped into the inbox and what the run should do,
    order by order when ``data`` (from :func:`build`) is given."""
    files = list(files)
    lines = [f"已在 inbox/ 放入 {len(files)} 个演示文件（按到达顺序）："]
    expected = []
    for path in files:
        what, outcome = _DESCRIPTIONS.get(_description_key(path.name), ("", ""))
        lines.append(f"  {path.name}：{what}" if what else f"  {path.name}")
        if outcome:
            expected.append(f"  {path.name} → {outcome}")
    lines += ["运行 run 后预期：", *expected]
    if data is not None and data.orders:
        lines.append("订单逐单预期（信用检查情形见 domain.md 决策表）：")
        lines += order_expectations(data.orders)
        if not data.receipts_wired:
            lines.append("  注：本版本尚未按到款认领预付款，先款后货客户均无可用预付款。")
    return "\n".join(lines)
