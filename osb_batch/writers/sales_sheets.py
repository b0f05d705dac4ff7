"""The sheets of the sales statistics forms: 销售情况周/月统计表 (market × region × product with
subtotals), 区域销售情况统计表 (regions ranked, a subtotal per market) and 销售员工作周/月统计表
(people), each in its catalogue layout with 环比, 同期, 累计 and ranks after the catalogue's columns."""

from __future__ import annotations

from osb_batch import catalogue

from .form_sheet import FormSheet, form_columns
from .sales_records import BASIS_TEXT, Context

#: The form of each table per period kind (a quarter is shown in the monthly layouts).
FORMS = {
    "lines": {"week": "weekly_sales_stats", "month": "monthly_sales_stats", "quarter": "monthly_sales_stats"},
    "regions": {"month": "regional_sales_stats", "quarter": "regional_sales_stats"},
    "people": {"week": "salesperson_weekly_stats", "month": "salesperson_monthly_stats",
               "quarter": "salesperson_monthly_stats"},
}
KINDS = {"sales_qty": "qty", "sales_amount": "money", "collection": "money", "target_amount": "money",
         "completion_rate": "ratio", "growth_rate": "ratio", "customer_count": "int", "new_customers": "int",
         "visits": "int", "order_count": "int", "week_start": "date"}
COMPARED = (("previous", "上期金额", "Previous period", "money"), ("mom", "环比", "Change on previous period", "ratio"),
            ("year_ago", "去年同期", "Same period last year", "money"),
            ("year_to_date", "本年累计", "Year to date", "money"))
SUBTOTAL, TOTAL = ("小计", "Subtotal"), ("合计", "Total")
REPORTED_BY = ("批处理", "Batch")
NOTE = {"zh": "口径：{basis}；{start} 至 {end}", "en": "Basis: {basis}. {start} to {end}"}
DERIVED = {"zh": "；人员由客户主数据推出（尚无销售人员名册）", "en": ". People derived from the customers master (no staff roster yet)"}


def text(ctx: Context, pair: tuple[str, str]) -> str:
    return pair[ctx.lang == "en"]


def note(ctx: Context, people: bool = False) -> str:
    lang = "en" if ctx.lang == "en" else "zh"
    line = NOTE[lang].format(basis=text(ctx, BASIS_TEXT[ctx.basis]), start=ctx.start, end=ctx.end)
    return line + (DERIVED[lang] if people and ctx.derived else "")


def form_title(ctx: Context, form_key: str, suffix: str = "") -> str:
    form = catalogue.load()[form_key]
    name = form.en if ctx.lang == "en" else form.zh
    return f"{name} {ctx.label}{suffix}"


def period_cell(ctx: Context) -> object:
    return ctx.start if ctx.kind == "week" else ctx.label


def _period_key(form_key: str) -> str:
    return catalogue.load()[form_key].fields[0].key


def lines_sheet(wb, ctx: Context, figures, name: str, suffix: str = "") -> FormSheet:
    """销售情况周/月统计表: a row per market × region × product, 小计 per region and market, 合计 last."""
    form = FORMS["lines"][ctx.kind]
    keys = (_period_key(form), "market", "region", "product_code", "sales_qty", "sales_amount", "collection",
            "target_amount", "completion_rate", "growth_rate", "reported_by")
    sheet = FormSheet(wb, name, form_columns(form, keys, KINDS, ctx.lang, COMPARED), form_title(ctx, form, suffix),
                      note(ctx))
    by = text(ctx, REPORTED_BY)
    for line in figures.lines:
        first = period_cell(ctx) if line.level == "product" else text(ctx, SUBTOTAL if line.level != "total" else TOTAL)
        cells = [first, ctx.market(line.market), line.region, line.product_code, line.qty, line.amount,
                 line.collection, line.target, line.achievement, line.yoy, by if line.level == "product" else None,
                 line.previous, line.mom, line.year_ago, line.year_to_date]
        (sheet.row if line.level == "product" else sheet.total)(cells)
    sheet.finish()
    return sheet


def regions_sheet(wb, ctx: Context, figures, name: str, suffix: str = "") -> FormSheet:
    """区域销售情况统计表: the regions of each market by rank, the market's 小计, then 合计."""
    form = FORMS["regions"][ctx.kind]
    keys = ("month", "market", "region", "target_amount", "sales_amount", "completion_rate", "collection",
            "customer_count", "new_customers", "growth_rate", "remark")
    extras = (("rank", "排名", "Rank", "int"), *COMPARED)
    sheet = FormSheet(wb, name, form_columns(form, keys, KINDS, ctx.lang, extras), form_title(ctx, form, suffix),
                      note(ctx))
    markets = {row.market: row for row in figures.markets}
    order = {code: n for n, code in enumerate(ctx.markets)}
    codes = sorted({row.market for row in (*figures.regions, *figures.markets)}, key=lambda c: (order.get(c, 99), c))
    for code in codes:
        for row in (r for r in figures.regions if r.market == code):
            sheet.row(_area_cells(ctx, ctx.label, row))
        if code in markets:
            sheet.total(_area_cells(ctx, text(ctx, SUBTOTAL), markets[code]))
    total = figures.total
    customers = sum(r.customers for r in figures.regions)
    fresh = sum(r.new_customers for r in figures.regions)
    sheet.total([text(ctx, TOTAL), None, None, total.target, total.amount, total.achievement, total.collection,
                 customers, fresh, total.yoy, None, None, total.previous, total.mom, total.year_ago,
                 total.year_to_date])
    sheet.finish()
    return sheet


def _area_cells(ctx: Context, first: str, row) -> list:
    return [first, ctx.market(row.market), row.region, row.target, row.amount, row.achievement, row.collection,
            row.customers, row.new_customers, row.yoy, None, row.rank, row.previous, row.mom, row.year_ago,
            row.year_to_date]


def people_sheet(wb, ctx: Context, figures, name: str, suffix: str = "") -> FormSheet:
    """销售员工作周/月统计表: each person of the market roles, by role and national rank."""
    form = FORMS["people"][ctx.kind]
    keys = (_period_key(form), "salesperson", "region", "visits", "new_customers", "order_count", "sales_amount",
            "collection", "target_amount", "completion_rate", "remark")
    extras = (("role", "岗位", "Role", "text"), ("market", "市场", "Market", "text"),
              ("rank", "全国排名", "National rank", "int"), ("market_rank", "市场内排名", "Rank in market", "int"),
              ("on_time_rate", "按时上报率", "On-time report rate", "ratio"))
    sheet = FormSheet(wb, name, form_columns(form, keys, KINDS, ctx.lang, extras), form_title(ctx, form, suffix),
                      note(ctx, people=True))
    roles = {c.key: text(ctx, (c.zh, c.en)) for c in catalogue.load()["staff"].field("role").choices}
    for row in figures.people:
        sheet.row([period_cell(ctx), row.name, row.region, row.visits, row.new_customers, row.orders, row.amount,
                   row.collection, row.target, row.achievement, None, roles.get(row.role, row.role),
                   ctx.market(row.market), row.rank, row.market_rank, row.on_time_rate])
    sheet.finish()
    return sheet

