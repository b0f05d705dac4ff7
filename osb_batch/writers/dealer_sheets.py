"""The dealers' sheets: 经销商进货情况统计表 (dealer × product, ``stock_qty`` left for the region to
fill and read back through the inbox) and 每月经销商管理汇总表 (per dealer: purchases, collection,
balance, overdue, credit grade, limit used)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .form_sheet import FormSheet, form_columns
from .sales_records import Context
from .sales_sheets import TOTAL, form_title, note, text

PURCHASE_KEYS = ("month", "customer_code", "customer_name", "product_code", "purchase_qty", "purchase_amount",
                 "stock_qty", "last_month_qty", "remark")
PURCHASE_EXTRAS = (("last_month_amount", "上月进货金额", "Last month's amount", "money"),
                   ("market", "市场", "Market", "text"), ("region", "区域", "Region", "text"),
                   ("kam", "客户经理", "Key account manager", "text"))
SUMMARY_KEYS = ("month", "customer_code", "customer_name", "market", "region", "purchase_amount", "collection",
                "balance", "overdue", "credit_grade", "evaluation")
SUMMARY_EXTRAS = (("kam", "客户经理", "Key account manager", "text"),
                  ("year_to_date", "本年累计进货", "Purchases year to date", "money"),
                  ("year_ago", "去年同期进货", "Purchases same month last year", "money"),
                  ("yoy", "同比", "Year-on-year change", "ratio"),
                  ("stock_qty", "期末库存", "Closing stock", "qty"),
                  ("credit_limit", "信用额度", "Credit limit", "money"),
                  ("limit_used", "额度使用率", "Share of limit used", "ratio"))
KINDS = {"purchase_qty": "qty", "purchase_amount": "money", "stock_qty": "qty", "last_month_qty": "qty",
         "collection": "money", "balance": "money", "overdue": "money"}
RATIO = Decimal("0.0001")
ZERO = Decimal("0.00")


def purchases_sheet(wb, ctx: Context, figures, name: str, suffix: str = "") -> FormSheet:
    """One row per dealer and product bought this month or last; 合计 last."""
    form = "dealer_purchase_stats"
    sheet = FormSheet(wb, name, form_columns(form, PURCHASE_KEYS, KINDS, ctx.lang, PURCHASE_EXTRAS, fill=("stock_qty",)),
                      form_title(ctx, form, suffix), note(ctx))
    cards, label, market = ctx.cards, ctx.label, ctx.market
    qty = amount = before_qty = before_amount = Decimal(0)
    for row in figures.dealer_products:
        card = cards.get(row.customer_code)
        sheet.row((label, row.customer_code, card.name if card else None, row.product_code, row.qty, row.amount,
                   None, row.previous_qty, None, row.previous_amount, market(row.market), row.region, row.kam))
        qty += row.qty
        amount += row.amount
        before_qty += row.previous_qty
        before_amount += row.previous_amount
    sheet.total((text(ctx, TOTAL), None, None, None, qty, amount, None, before_qty, None, before_amount,
                 None, None, None))
    sheet.finish()
    return sheet


def summary_sheet(wb, ctx: Context, figures, name: str, suffix: str = "") -> FormSheet:
    """One row per dealer; 合计 last."""
    form = "dealer_monthly_summary"
    sheet = FormSheet(wb, name, form_columns(form, SUMMARY_KEYS, KINDS, ctx.lang, SUMMARY_EXTRAS),
                      form_title(ctx, form, suffix), note(ctx))
    sums = [ZERO] * 6
    for row in figures.dealers:
        card = ctx.cards.get(row.customer_code)
        limit = card.credit_limit if card else None
        balance, overdue = row.balance or ZERO, row.overdue or ZERO       # an account settled to nothing is not listed
        used = (balance / limit).quantize(RATIO, ROUND_HALF_UP) if limit else None
        stock = ctx.stock.get(row.customer_code)
        sheet.row((ctx.label, row.customer_code, card.name if card else None, ctx.market(row.market), row.region,
                   row.amount, row.collection, balance, overdue, row.grade, None, row.kam,
                   row.year_to_date, row.year_ago, row.yoy, stock, limit, used))
        for n, value in enumerate((row.amount, row.collection, balance, overdue, row.year_to_date, row.year_ago)):
            sums[n] += value or 0
    sheet.total((text(ctx, TOTAL), None, None, None, None, *sums[:4], None, None, None, *sums[4:], None, None,
                 None, None))
    sheet.finish()
    return sheet
