"""The name people read for each rule of :data:`osb_batch.messages.RULES`, in Chinese and English.

The exceptions list's 规则 column and the summary of folded findings show these names; the slug
itself is for machines (manifest.json, ``--json``, the list's hidden rule-code column).
"""

from __future__ import annotations

RULE_NAMES: dict[str, tuple[str, str]] = {
    "not-a-workbook": ("不是表格文件", "Not a spreadsheet"),
    "file-corrupt": ("文件损坏", "Damaged file"),
    "file-encrypted": ("文件有密码", "Password-protected file"),
    "file-too-large": ("文件过大", "File too large"),
    "sheet-too-large": ("工作表范围过大", "Worksheet too large"),
    "file-empty": ("空文件", "Empty file"),
    "file-duplicate": ("重复文件", "Duplicate file"),
    "form-unknown": ("无法识别表单", "Unknown form"),
    "form-ambiguous": ("表单不明确", "Ambiguous form"),
    "header-not-found": ("找不到表头", "No header row"),
    "sheet-ignored": ("工作表未读取", "Sheet not read"),
    "column-missing": ("缺少必填列", "Missing column"),
    "column-unknown": ("未知列", "Unknown column"),
    "column-duplicate": ("重复列", "Duplicate column"),
    "no-rows": ("没有数据行", "No data rows"),
    "too-many-rows": ("行数过多", "Too many rows"),
    "more-of-rule": ("同类问题汇总", "More of the same"),
    "example-row-skipped": ("示例行已跳过", "Example row skipped"),
    "macros-ignored": ("宏未运行", "Macros ignored"),
    "sheet-formula-scan": ("公式无法检查", "Formulas not checked"),
    "required-missing": ("必填项为空", "Required field empty"),
    "required-when": ("条件必填项为空", "Conditionally required field empty"),
    "invalid-number": ("不是数字", "Not a number"),
    "invalid-integer": ("不是整数", "Not a whole number"),
    "invalid-money": ("金额格式错误", "Invalid amount"),
    "invalid-date": ("日期格式错误", "Invalid date"),
    "invalid-datetime": ("日期时间格式错误", "Invalid date and time"),
    "invalid-month": ("月份格式错误", "Invalid month"),
    "invalid-period": ("半年度格式错误", "Invalid half year"),
    "invalid-quarter": ("季度格式错误", "Invalid quarter"),
    "invalid-boolean": ("应填是或否", "Yes or no expected"),
    "invalid-choice": ("不在可选值中", "Value not allowed"),
    "out-of-range": ("超出允许范围", "Out of range"),
    "formula-no-cache": ("公式无结果", "Formula without a value"),
    "formula-error": ("单元格错误值", "Error value in cell"),
    "duplicate-key": ("重复行", "Duplicate row"),
    "key-blank": ("关键列为空", "Key column empty"),
    "unknown-customer": ("客户不存在", "Unknown customer"),
    "unknown-product": ("产品不存在", "Unknown product"),
    "unknown-region": ("区域不属于市场", "Region not in market"),
    "value-normalised": ("写法已统一", "Spelling normalised"),
    "form-not-acted": ("已归档未处理", "Archived, not acted on"),
    "form-stored": ("已登记备查", "Stored for the reports"),
    "staff-scope-missing": ("岗位缺少市场或区域", "Role without its market or region"),
    "master-updated": ("主数据已更新", "Master data updated"),
    "transfer-no-consent": ("调拨未获同意", "Transfer without consent"),
    "transfer-changed": ("调拨单已登记", "Transfer already registered"),
    "quarantined": ("已隔离", "Quarantined"),
    "file-open-elsewhere": ("文件正被打开", "File open elsewhere"),
    "owner-file-left": ("遗留占用标记文件", "Leftover owner file"),
    "product-discontinued": ("产品已停售", "Product discontinued"),
    "quantity-not-positive": ("数量不大于零", "Quantity not positive"),
    "price-mismatch": ("单价不符", "Price differs"),
    "amount-mismatch": ("金额计算不符", "Amount does not add up"),
    "order-date-future": ("订单日期在未来", "Order date in the future"),
    "order-too-old": ("订单日期过早", "Order too old"),
    "kam-missing": ("缺客户经理核实", "KAM verification missing"),
    "mm-missing": ("缺市场经理审批", "MM approval missing"),
    "order-duplicate": ("订单号重复", "Duplicate order number"),
    "st-reason-missing": ("缺特别处理原因", "ST reason missing"),
    "st-reason-invalid": ("特别处理原因不允许", "ST reason not allowed"),
    "st-note-missing": ("缺特别处理说明", "ST note missing"),
    "customer-master-incomplete": ("客户主数据不全", "Customer master data incomplete"),
    "quota-cut": ("超配额削减", "Cut to the quota"),
    "quota-over-approved": ("超配额已批准", "Over-quota approved"),
    "quota-fully-cut": ("配额全部削减", "Fully cut by quotas"),
    "approval-unknown-order": ("审批的订单不存在", "Approval for an unknown order"),
    "approval-wrong-signer": ("审批人不符", "Wrong signer"),
    "calendar-missing": ("缺节假日数据", "Holiday data missing"),
    "problem-unknown": ("问题编号不存在", "Unknown problem number"),
    "shipment-unknown-note": ("送货单号不明", "Unknown delivery note"),
    "approval-not-waiting": ("订单不需此审批", "Approval not awaited"),
    "receipt-duplicate": ("到款重复", "Duplicate receipt"),
    "invoice-duplicate": ("发票重复", "Duplicate invoice"),
    "invoice-note-unknown": ("发票的送货单不明", "Invoice for an unknown note"),
    "invoice-customer-differs": ("发票客户不同", "Invoice customer differs"),
    "return-duplicate": ("退货重复", "Duplicate return"),
    "confirmation-replaced": ("回函已更新", "Reply replaced"),
    "confirmation-balance-varies": ("回函余额不一致", "Reply balances differ"),
    "finance-ar-replaced": ("财务应收已更新", "Finance receivables replaced"),
    "unfilled-rows-skipped": ("未填写行已跳过", "Unfilled rows skipped"),
    "footer-rows-skipped": ("合计行已跳过", "Total rows skipped"),
    "claim-changed": ("收款申请已登记", "Claim already registered"),
    "claim-receipt-unknown": ("认领的到款未到账", "Claimed receipt not received"),
    "claim-receipt-matched": ("到款已匹配他人", "Receipt already matched"),
    "claim-conflict": ("认领冲突", "Conflicting claims"),
    "receipt-remark-ambiguous": ("摘要含多个客户", "Remark names several customers"),
    "receipt-alias-ambiguous": ("付款户名不唯一", "Payer name fits several customers"),
    "credit-limit-blank": ("未填批准额度", "No approved limit"),
    "credit-limit-unknown-customer": ("客户不存在", "Unknown customer"),
    "credit-limit-prepaid": ("先款客户无信用额度", "Prepaid customer has no limit"),
    "credit-limit-wrong-signer": ("批准人不是 SLT 成员", "Approver not an SLT member"),
    "budget-no-row": ("没有预算", "No budget"),
    "budget-request-unapproved": ("费用申请未经有效审批", "Request not approved"),
    "budget-over-refused": ("超预算已拒绝", "Over budget, refused"),
    "budget-over-approved": ("超预算经 SLT 批准", "Over budget, approved by SLT"),
    "budget-claim-no-request": ("无申请报销超限", "Claim without request over the limit"),
    "budget-claim-request-not-standing": ("原申请无效", "Request not standing"),
    "budget-claim-over-request": ("报销超出申请", "Claim over its request"),
    "budget-claim-duplicate": ("重复报销", "Duplicate claim"),
}


def rule_name(slug: str, lang: str = "zh") -> str:
    """The rule's name in ``lang``; a rule without a name yet shows its first words, never its slug."""
    names = RULE_NAMES.get(slug)
    if names is None:
        from .messages import RULES
        rule = RULES.get(slug)
        text = "" if rule is None else (rule.en if lang == "en" else rule.zh)
        return text.split("{", 1)[0].strip(" :：，,") or ("Other" if lang == "en" else "其他")
    return names[1] if lang == "en" else names[0]


__all__ = ["RULE_NAMES", "rule_name"]
