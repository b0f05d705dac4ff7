"""The demo's master data: customers of every market, the product list, quotas and the rows of
the other master-data files (contract prices, quota transfers, opening balances, the 华北 update
and the faulty 西南 additions).

Every value is drawn from the ``random.Random`` the caller passes, in a fixed order, so a seed
always gives the same master data; :func:`osb_batch.demo.demo_data.build` makes the draws.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from osb_batch.hanzi import traditional

if TYPE_CHECKING:
    from osb_batch.settings import Market

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵钱严武戴孔汤"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
          "超", "霞", "平", "刚", "建华", "志强", "海燕", "晓东", "文博", "国栋", "春梅", "建国", "晓明",
          "丽华", "秀兰", "宏伟", "玉兰", "德明", "振华", "雪梅", "立新", "少华", "俊杰", "海涛")
BRANDS = ("恒通", "华信", "瑞丰", "鑫盛", "宏达", "永兴", "金鼎", "和顺", "隆昌", "万家", "汇丰", "嘉禾",
           "天诚", "佳和", "盛世", "同泰", "百川", "福源", "兴业", "润达", "康泰", "昌隆", "德润", "广信",
           "聚源", "泰和", "合众", "信达", "安泰", "华联")
TRADES = ("商贸", "医药", "电器", "建材", "家电", "贸易", "五金", "物资", "实业", "百货")
CARRIERS = ("顺达", "通达", "安捷", "宏远", "畅通", "捷运", "飞马", "长兴")
DISTRICTS = ("高新区", "经开区", "城南区", "城北区", "新城区", "开发区", "老城区")
ROADS = ("人民路", "建设路", "解放路", "中山路", "和平路", "长江路", "黄河路", "工业路", "商贸街")
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
PRODUCT_GROUPS = (
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


@dataclass(frozen=True, slots=True)
class Customer:
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
class Product:
    code: str
    name: str
    spec: str
    unit: str
    price: Decimal
    on_sale: bool
    group: str


class Names:
    """Chinese person names, never the same twice in one demo."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def __call__(self) -> str:
        while (name := self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)) in self.used:
            pass
        self.used.add(name)
        return name

def transfer_market(markets: Sequence[Market]) -> Market:
    """The market whose regions trade quota in the transfers file."""
    return max(markets, key=lambda m: len(market_regions(m)))


def draw_customers(rng: random.Random, names: Names, markets: Sequence[Market]) -> list[Customer]:
    """About 60 customers spread over the markets, each region with its own UM."""
    per_market = [60 // len(markets)] * len(markets)
    for i in rng.sample(range(len(markets)), 60 % len(markets)):
        per_market[i] += 1
    prepaid = set(rng.sample(range(60), 8))
    zero_limit = set(sorted(prepaid)[:2]) | {min(set(range(60)) - prepaid)}
    used_names: set[str] = set()
    customers: list[Customer] = []
    for market, count in zip(markets, per_market, strict=True):
        ums = {region: names() for region in market_regions(market)}
        kams = [names() for _ in range(rng.choice((2, 3)))]
        regions = list(market_regions(market))
        rng.shuffle(regions)
        for j in range(count):
            n = len(customers)
            region = regions[j % len(regions)]
            city, place = customer_place(rng, market, region)
            while (name := f"{place}{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司") in used_names:
                pass
            used_names.add(name)
            is_prepaid = n in prepaid
            limit = 0 if n in zero_limit else rng.randrange(5, 201) * 10_000
            alias = name if rng.random() < 0.7 else f"{name};{rng.choice((name[:len(place) + 2], names()))}"
            customers.append(Customer(
                code=f"C{n + 1:03d}", name=name, market=market, region=region, city=city,
                kam=rng.choice(kams), um=ums[region], credit_limit=Decimal(limit),
                term=0 if is_prepaid else rng.choice((30, 30, 45, 60, 60, 90)), prepaid=is_prepaid,
                grade=rng.choice("CD" if is_prepaid else "AABBBC"), aliases=alias,
                station=f"{city}{rng.choice(CARRIERS)}托运站", contact=names(), phone=phone_number(rng),
                address=f"{city}市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randrange(1, 999)}号",
            ))
    return customers


def customer_place(rng: random.Random, market: Market, region: str) -> tuple[str, str]:
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


def market_regions(market: Market) -> tuple[str, ...]:
    """The market's regions; its cities when rules.toml leaves them open (any region accepted)."""
    return tuple(market.regions) or _CITIES.get(market.zh, (market.zh,))


def phone_number(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10)}-{rng.randrange(10_000):04d}-{rng.randrange(10_000):04d}"


def product_list() -> list[Product]:
    products = []
    for group, items in PRODUCT_GROUPS:
        for name, spec, unit, price in items:
            products.append(Product(f"P{len(products) + 1:03d}", name, spec, unit,
                                     Decimal(price).quantize(Decimal("0.01")), name not in _DISCONTINUED, group))
    return products


@dataclass(frozen=True, slots=True)
class Quota:
    level: str          # 区域 | 客户
    market: Market
    region: str
    customer: str
    product: str        # product code or product group
    qty: int


def draw_quotas(rng: random.Random, customers: Sequence[Customer], products: Sequence[Product],
            markets: Sequence[Market]) -> list[Quota]:
    """Region quotas per product for the first two groups, per group for the others; then ~15 customers."""
    coded_groups = {group for group, _ in PRODUCT_GROUPS[:2]}
    coded = [p.code for p in products if p.on_sale and p.group in coded_groups]
    groups = [group for group, _ in PRODUCT_GROUPS[2:]]
    quotas = []
    for market in markets:
        for region in market_regions(market):
            quotas += [Quota("区域", market, region, "", code, rng.randrange(5, 61) * 10) for code in coded]
            quotas += [Quota("区域", market, region, "", g, rng.randrange(20, 121) * 10) for g in groups]
    region_qty = {(q.market.code, q.region, q.product): q.qty for q in quotas}
    for c in sorted(rng.sample(list(customers), 15), key=lambda c: c.code):
        for code in sorted(rng.sample(coded, 2)):
            qty = min(rng.randrange(2, 31) * 5, region_qty[(c.market.code, c.region, code)])
            quotas.append(Quota("客户", c.market, c.region, c.code, code, qty))
    return quotas


CUSTOMER_ORDER = ("market", "region", "customer_code", "customer_name", "account_manager", "unit_manager",
                   "credit_grade", "credit_limit", "payment_term_days", "prepaid", "payer_aliases",
                   "shipping_station", "contact", "phone", "address")


def customer_row(c: Customer, rng: random.Random | None = None) -> dict[str, object]:
    as_text = rng is not None and rng.random() < 0.3
    return {
        "customer_code": c.code, "customer_name": c.name, "market": c.market.zh, "region": c.region,
        "account_manager": c.kam, "unit_manager": c.um,
        "credit_limit": f"{c.credit_limit:,.2f}" if as_text else c.credit_limit,
        "payment_term_days": str(c.term) if as_text else c.term, "prepaid": "是" if c.prepaid else "否",
        "credit_grade": c.grade, "payer_aliases": c.aliases, "shipping_station": c.station,
        "contact": c.contact, "phone": c.phone, "address": c.address,
    }


def contract_rows(rng: random.Random, customers: Sequence[Customer], products: Sequence[Product],
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


def month_texts(day: dt.date) -> tuple[str, str]:
    return f"{day.year}年{day.month}月", day.strftime("%Y-%m")


def quota_row(q: Quota, month: str) -> dict[str, object]:
    return {"month": month, "level": q.level, "market": q.market.zh, "region": q.region,
            "customer_code": q.customer or None, "product_code": q.product, "quota_qty": q.qty}



def transfer_rows(rng: random.Random, customers: Sequence[Customer], quotas: Sequence[Quota],
                   markets: Sequence[Market], day: dt.date) -> list[dict]:
    """Three transfers inside one market; the last lacks the giving UM's consent."""
    market = transfer_market(markets)
    regions = list(market_regions(market))
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


def opening_rows(rng: random.Random, customers: Sequence[Customer], day: dt.date) -> list[dict]:
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


def pick_market(markets: Sequence[Market], zh: str, code: str, fallback: int) -> Market:
    return next((m for m in markets if m.zh == zh or m.code == code), markets[fallback])


def update_rows(rng: random.Random, customers: Sequence[Customer]) -> list[dict]:
    """Three existing customers of 华北 with a new credit limit or phone."""
    market = pick_market([c.market for c in customers], "华北", "N", 0)
    chosen = [c for c in customers if c.market is market][:3]
    rows = []
    for i, c in enumerate(chosen):
        row = customer_row(c)
        row["market"] = traditional(c.market.zh)
        if i == 0:
            row["credit_limit"] = c.credit_limit + 300_000
        elif i == 1:
            row["credit_limit"] = c.credit_limit + (-100_000 if c.credit_limit >= 200_000 else 100_000)
        else:
            row["phone"] = phone_number(rng)
        rows.append(row)
    return rows



def bad_customer_rows(rng: random.Random, names: Names, customers: Sequence[Customer],
                       markets: Sequence[Market], day: dt.date) -> list[dict]:
    """Six new 西南 customers, wrong in one way each but one, plus a row repeating a code."""
    market = pick_market(markets, "西南", "SW", -1)
    kam, n = names(), len(customers)
    codes = [f"C{n + k:03d}" for k in (1, 2, 3, 4, 4)] + [None, f"C{n + 5:03d}"]
    rows = []
    for i, code in enumerate(codes):
        region = market_regions(market)[i % len(market_regions(market))]
        city, place = customer_place(rng, market, region)
        rows.append(customer_row(Customer(
            code=code, name=f"{place}{BRANDS[i]}{TRADES[i]}有限公司", market=market, region=region,
            city=city, kam=kam, um=names(), credit_limit=Decimal(rng.randrange(5, 50) * 10_000), term=30,
            prepaid=False, grade="B", aliases="", station=f"{city}{rng.choice(CARRIERS)}托运站",
            contact=names(), phone=phone_number(rng),
            address=f"{city}市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randrange(1, 999)}号")))
    rows[0]["market"] = "西藏区"                 # unknown market
    rows[1]["credit_limit"] = "abc"              # not a number
    rows[2]["payment_term_days"] = 400           # out of 0-365
    # rows[3] is right; rows[4] repeats its code; rows[5] has no code but everything else
    rows[6]["prepaid"] = "可能"                   # not a boolean
    return rows

