"""The one catalogue of rule slugs: severity, message and what to do, in Chinese and English.

Templates are ``str.format`` strings over the finding's context (value, field, cell, sheet,
form and the finding's params). Input text is only ever a value substituted into them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    severity: str
    zh: str
    en: str
    action_zh: str
    action_en: str


def _r(severity, zh, en, action_zh="", action_en=""):
    return Rule(severity, zh, en, action_zh, action_en)


FIX_CELL = ("按说明修改此单元格后重新提交。", "Correct this cell and submit the file again.")
RESUBMIT = ("另存为 .xlsx 后重新放入收件箱。", "Save the file as .xlsx and drop it into the inbox again.")

RULES: dict[str, Rule] = {
    # the file as a whole
    "not-a-workbook": _r("error", "文件不是表格（{detail}）", "Not a spreadsheet ({detail})",
                         "请确认放入的是 Excel/WPS 表格文件。", "Make sure the file is an Excel/WPS workbook."),
    "file-corrupt": _r("error", "文件已损坏，无法读取（{detail}）", "The file is damaged and cannot be read ({detail})",
                       "用 Excel/WPS 打开并另存后重新提交。", "Open and re-save it in Excel/WPS, then submit again."),
    "file-encrypted": _r("error", "文件设有打开密码，批处理无法读取", "The workbook is password protected",
                         "取消密码（文件-信息-保护工作簿）后重新提交。", "Remove the password and submit again."),
    "file-too-large": _r("error", "文件解压后过大或压缩比异常（{detail}），已拒绝读取",
                         "The archive is too large when unpacked or its compression ratio is abnormal ({detail})",
                         "请检查文件来源；正常表单不会这么大。", "Check where the file came from; a normal form is never this large."),
    "sheet-too-large": _r("error", "工作表的数据区域过大（{detail}），已拒绝读取",
                          "A worksheet spans too large an area ({detail}); not read",
                          "删除远处误填的单元格（按 Ctrl+End 可找到）后另存并重新提交。",
                          "Delete the stray far-away cells (Ctrl+End finds them), save and submit again."),
    "file-empty": _r("error", "文件中没有任何数据", "The workbook holds no data",
                     "请填写后再提交。", "Fill the form before submitting it."),
    "file-duplicate": _r("warning", "与 {first} 完全相同的文件已于 {date} 处理过，本次不再重复处理",
                         "A byte-identical file ({first}) was already processed on {date}; ignored",
                         "无需操作；如需更正，请修改后再提交。", "Nothing to do; to correct data, change the file and submit it again."),
    "form-unknown": _r("error", "无法识别这是哪种表单；最接近的是：{closest}",
                       "Cannot tell which form this is; closest: {closest}",
                       "请使用 templates/xlsx 中的标准模板填写。", "Use the standard template from templates/xlsx."),
    "form-ambiguous": _r("error", "表头同时符合多种表单：{closest}", "The header fits several forms: {closest}",
                         "请使用标准模板，或把工作表命名为表单名称。", "Use the standard template or name the sheet after the form."),
    "header-not-found": _r("error", "前 {rows} 行中找不到表头", "No header row in the first {rows} rows",
                           "表头须在前 {rows} 行内。", "Put the header within the first {rows} rows."),
    "sheet-ignored": _r("info", "工作表“{sheet}”不是任何单据的表格，未读取",
                        "Sheet '{sheet}' is not a table of any form; not read",
                        "如其中有要处理的数据，请使用对应模板的表头，或将其另存为单独文件。",
                        "If it holds data to process, give it the header of its template, or save it as a file of its own."),
    "column-missing": _r("error", "缺少必填列“{label}”（本文件按“{form_zh}”识别）",
                         "Required column '{label}' is missing (file read as '{form_en}')",
                         "补上该列后重新提交。", "Add the column and submit again."),
    "column-unknown": _r("warning", "未知列“{value}”已保留但不处理", "Unknown column '{value}' kept but not used",
                         "如为笔误请改为标准列名。", "If this is a typo, use the standard column name."),
    "column-duplicate": _r("error", "“{label}”列出现了两次（另见 {other}）", "Column '{label}' appears twice (see also {other})",
                           "删除重复的列。", "Delete the duplicate column."),
    "no-rows": _r("warning", "表头下没有任何数据行", "No data rows under the header",
                  "填写数据后再提交。", "Fill in the rows before submitting."),
    "too-many-rows": _r("error", "数据行超过 {limit} 行，其后的行未读取", "More than {limit} data rows; the rest were not read",
                        "拆分为多个文件后提交，或调整 rules.toml intake.max_rows。",
                        "Split the file, or raise intake.max_rows in rules.toml."),
    # the severity of a summary is that of the findings it stands for (findings.fold)
    "more-of-rule": _r("info", "同一问题另有 {count_text} 处未逐条列出（{folded_name_zh}，如：{message_zh}）：{examples}",
                       "and {count_text} more with the same problem ({folded_name_en}, e.g. {message_en}): {examples}",
                       "{action_zh}退回副本中每一处都已标红；osb-batch validate --all 可逐条列出。",
                       "{action_en} The returned copy marks every one in red; osb-batch validate --all lists "
                       "them one by one."),
    "example-row-skipped": _r("info", "第 {row} 行与模板示例行完全相同，视为示例未处理",
                              "Row {row} is the template's example row; skipped",
                              "如确为真实数据，请至少修改一项后再提交。", "If it is real data, change it and submit again."),
    "macros-ignored": _r("info", "文件含宏，宏不会被运行也不会被复制", "The file contains macros; they are never run or copied"),
    "sheet-formula-scan": _r("warning", "无法检查公式缓存值（{detail}）", "Could not check formula cached values ({detail})"),
    # one cell
    "required-missing": _r("error", "必填项“{label}”为空", "Required field '{label}' is empty", *FIX_CELL),
    "required-when": _r("error", "当{other_label}为“{other_value}”时，“{label}”必填",
                        "'{label}' is required when {other_label} is '{other_value}'", *FIX_CELL),
    "invalid-number": _r("error", "“{label}”应为数字，实际为“{value}”", "'{label}' must be a number, found '{value}'", *FIX_CELL),
    "invalid-integer": _r("error", "“{label}”应为整数，实际为“{value}”", "'{label}' must be a whole number, found '{value}'", *FIX_CELL),
    "invalid-money": _r("error", "“{label}”应为金额（最多两位小数），实际为“{value}”",
                        "'{label}' must be an amount with at most 2 decimals, found '{value}'", *FIX_CELL),
    "invalid-date": _r("error", "“{label}”应为日期（如 2026-11-26），实际为“{value}”",
                       "'{label}' must be a date (e.g. 2026-11-26), found '{value}'", *FIX_CELL),
    "invalid-datetime": _r("error", "“{label}”应为日期时间（如 2026-11-26 14:30），实际为“{value}”",
                           "'{label}' must be a date and time (e.g. 2026-11-26 14:30), found '{value}'", *FIX_CELL),
    "invalid-month": _r("error", "“{label}”应为月份（如 2026-11），实际为“{value}”",
                        "'{label}' must be a month (e.g. 2026-11), found '{value}'", *FIX_CELL),
    "invalid-period": _r("error", "“{label}”应为半年度（如 2026H1），实际为“{value}”",
                         "'{label}' must be a half year (e.g. 2026H1), found '{value}'", *FIX_CELL),
    "invalid-quarter": _r("error", "“{label}”应为季度（如 2026Q4），实际为“{value}”",
                          "'{label}' must be a quarter (e.g. 2026Q4), found '{value}'", *FIX_CELL),
    "invalid-boolean": _r("error", "“{label}”应填 是/否，实际为“{value}”", "'{label}' must be yes/no, found '{value}'", *FIX_CELL),
    "invalid-choice": _r("error", "“{label}”不能为“{value}”，可选：{allowed}", "'{label}' cannot be '{value}'; allowed: {allowed}",
                         *FIX_CELL),
    "out-of-range": _r("error", "“{label}”为 {value}，超出允许范围 {range}", "'{label}' is {value}, outside {range}", *FIX_CELL),
    "formula-no-cache": _r("error", "公式单元格没有计算结果", "Formula cell has no cached value",
                           "用 Excel/WPS 打开并保存后重新提交。", "Open and save the file in Excel/WPS, then submit again."),
    "formula-error": _r("error", "单元格为错误值 {value}", "The cell holds the error value {value}", *FIX_CELL),
    # one row
    "duplicate-key": _r("error", "与第 {first} 行重复（{label}）", "Duplicates row {first} ({label})",
                        "删除或合并重复行。", "Delete or merge the duplicate rows."),
    "key-blank": _r("error", "此行有内容但关键列（{label}）为空", "Row has data but its key column(s) ({label}) are empty",
                    "补全关键列，或删除此行。", "Fill the key column(s) or delete the row."),
    # references
    "unknown-customer": _r("error", "客户编码“{value}”不存在{hint_zh}", "Unknown customer code '{value}'{hint_en}",
                           "先提交该客户的主数据，或更正编码。", "Submit the customer's master data first, or correct the code."),
    "unknown-product": _r("error", "产品编码“{value}”不存在{hint_zh}", "Unknown product code '{value}'{hint_en}",
                          "先提交产品价格表，或更正编码。", "Submit the product first, or correct the code."),
    "unknown-region": _r("error", "区域“{value}”不属于{market_zh}{hint_zh}",
                         "Region '{value}' is not a region of {market_en}{hint_en}",
                         "更正区域，或在 rules.toml 中登记该区域。", "Correct the region or register it in rules.toml."),
    "value-normalised": _r("info", "{label}“{value}”按“{named}”读取（本文件中同样写法的单元格都如此）",
                           "{label} '{value}' read as '{named}' (and so every cell of this file written the same way)"),
    # what intake did
    "form-not-acted": _r("info", "已接收并归档，{rows} 行；此类表单的处理功能尚未上线",
                         "Accepted and archived, {rows} rows; not yet acted on"),
    "master-updated": _r("info", "{what}“{value}”已更新：{changes}", "{what} '{value}' updated: {changes}"),
    "form-stored": _r("info", "已接收并记入台账，{rows} 行（汇总、统计和上报情况使用）",
                      "Accepted and stored in the ledger, {rows} rows (for the summaries, statistics and reporting calendar)"),
    "staff-scope-missing": _r("error", "{value} 的岗位为 {role}，“{label}”必填；此行未记入名册",
                              "{value} is a {role}: '{label}' is required; the row was not added to the roster",
                              *FIX_CELL),
    "transfer-no-consent": _r("error", "调拨单 {value} 没有调出区域经理同意，已拒绝",
                              "Transfer {value} lacks the giving UM's consent; refused",
                              "请调出区域经理确认同意后重新提交。", "Get the giving UM's consent and submit again."),
    "transfer-changed": _r("error", "调拨单号 {value} 已登记且内容不同，不能修改",
                           "Transfer {value} is already registered with other content",
                           "如需调整请使用新的调拨单号。", "Use a new transfer number for a new transfer."),
    "quarantined": _r("info", "文件已移入隔离区：{path}", "File moved to quarantine: {path}",
                      "阅读隔离区中同名 .txt 说明。", "Read the .txt file beside it in quarantine."),
    "file-open-elsewhere": _r("warning", "文件正被{who}打开编辑（旁边有占用标记文件 {owner_file}），本次未处理，仍留在收件箱",
                              "The file is open in {who_en}'s Excel/WPS/LibreOffice (owner file {owner_file}); "
                              "not taken by this run, left in the inbox",
                              "请打开者保存并关闭该文件，下次运行会自动处理；如已无人打开（程序曾意外退出），删除收件箱中的 {owner_file}。",
                              "Save and close it; the next run takes it. If nobody has it open "
                              "(the program closed unexpectedly), delete {owner_file} from the inbox."),
    "owner-file-left": _r("info", "Excel/WPS/LibreOffice 留下的占用标记文件，对应的工作簿已不在收件箱；不是表单，未处理",
                          "An owner file left by Excel/WPS/LibreOffice whose workbook is no longer in the inbox; "
                          "not a form, ignored",
                          "无人打开该工作簿时可删除此文件。", "Delete it when nobody has the workbook open."),
    # the order run: QC (osb_batch.rules.qc)
    "product-discontinued": _r("error", "产品“{value}”已停售", "Product '{value}' is discontinued",
                               "改订在售产品，或删除此行。", "Order a product on sale instead, or delete the line."),
    "quantity-not-positive": _r("error", "数量应大于 0（单位：{unit}），实际为 {value}",
                                "Quantity must be greater than 0 (unit: {unit}), found {value}", *FIX_CELL),
    "price-mismatch": _r("error", "单价 {value} 与{source_zh} {expected} 不符",
                         "Unit price {value} differs from the {source_en} {expected}",
                         "按价目表价或有效的合同价填写单价。", "Use the price-list price or the valid contract price."),
    "amount-mismatch": _r("error", "金额 {value} 不等于 数量 {qty} × 单价 {unit_price} = {expected}",
                          "Amount {value} is not quantity {qty} × unit price {unit_price} = {expected}", *FIX_CELL),
    "order-date-future": _r("error", "订单日期 {value} 晚于批处理日期 {batch_date}",
                            "Order date {value} is after the batch date {batch_date}", *FIX_CELL),
    "order-too-old": _r("error", "订单日期 {value} 已超过 {max_days} 天（最早可接受 {oldest}）",
                        "Order date {value} is more than {max_days} days old (earliest accepted {oldest})",
                        "请以新日期重新下单。", "Place the order again with a current date."),
    "kam-missing": _r("error", "缺少客户经理核实（姓名）", "The KAM's verification (name) is missing",
                      "请客户经理核实后填写姓名。", "Have the KAM verify the order and write their name."),
    "mm-missing": _r("error", "缺少市场经理审批（姓名）", "The MM's approval (name) is missing",
                     "请市场经理审批后填写姓名。", "Have the MM approve the order and write their name."),
    "order-duplicate": _r("error", "订单号 {value} 已存在（状态：{state}），只有已退回的订单可用原订单号重新提交",
                          "Order number {value} already exists (state {state}); only a rejected order may be "
                          "resubmitted under its number",
                          "新订单请使用新的订单号。", "Give a new order a new order number."),
    "st-reason-missing": _r("error", "申请特别处理须选择原因：订货会、业务超预期 或 其他",
                            "An ST request needs a reason: order fair, business above expectation or other",
                            *FIX_CELL),
    "st-reason-invalid": _r("error", "特别处理原因“{value}”不允许，可选：订货会、业务超预期、其他",
                            "ST reason '{value}' is not allowed; allowed: order fair, business above expectation, other",
                            *FIX_CELL),
    "st-note-missing": _r("error", "特别处理原因为“其他”时须填写书面说明",
                          "An ST request for 'other' reasons needs a written note", *FIX_CELL),
    "customer-master-incomplete": _r("error", "客户 {value} 的主数据缺少：{missing_zh}，订单暂缓处理",
                                     "Customer {value}'s master data lacks: {missing_en}; the order waits",
                                     "补全客户主数据后订单将自动重新检查。",
                                     "Complete the customer's master data; the order is re-checked automatically."),
    # the order run: AC (osb_batch.rules.quota)
    "quota-cut": _r("warning", "订货 {value} 超出配额，可订 {allowed}，削减 {cut}",
                    "Ordered {value} exceeds the quota; {allowed} allowed, {cut} cut",
                    "如需超配额，请申请超配额审批。", "To exceed the quota, request an over-quota approval."),
    "quota-over-approved": _r("info", "订货 {value} 超出配额（可订 {allowed}），超出的 {over} 已获超配额审批",
                              "Ordered {value} exceeds the quota ({allowed} allowed); the excess {over} is "
                              "approved over-quota"),
    "quota-fully-cut": _r("error", "配额已将全部 {lines} 行订货削减为 0（共削减 {cut}），订单无可发货数量，已拒绝",
                          "Quotas cut all {lines} lines of the order to 0 ({cut} cut in all); nothing is left "
                          "to ship, so the order is rejected",
                          "申请超配额审批或调拨配额后，以原订单号重新提交。",
                          "Obtain an over-quota approval or a quota transfer, then submit the order again "
                          "under its number."),
    # the order run: approvals coming back (osb_batch.daily.order_steps)
    "approval-unknown-order": _r("error", "审批单中的订单号 {value} 不存在", "Approval for unknown order {value}",
                                 "核对订单号。", "Check the order number."),
    "approval-wrong-signer": _r("error", "订单 {value} 应由 {expected} 审批，{approver} 的审批无效",
                                "Order {value} must be signed by {expected}; the decision by {approver} is not accepted",
                                "请由分管经理本人（或秘书代签并注明）审批。",
                                "Have the responsible SLT member sign (or a secretary on their behalf, marked so)."),
    "calendar-missing": _r("warning", "{value} 年没有官方节假日数据：按 holidays 包与 rules.toml [calendar] 计算，调休工作日未知",
                           "No official holiday data for {value}: using the holidays package and rules.toml [calendar]; "
                           "make-up working days unknown",
                           "在 rules.toml [calendar] 中登记该年的节假日与调休工作日。",
                           "Add that year's holidays and make-up working days to rules.toml [calendar]."),
    "problem-unknown": _r("error", "问题编号 {value} 不存在", "Problem number {value} does not exist",
                          "核对 OSB 问题记录表中的编号。", "Check the number in the OSB problem log."),
    "shipment-unknown-note": _r("warning", "送货单号 {value} 不是本系统开出的送货单，已记录",
                                "Delivery note {value} was not issued by osb_batch; recorded",
                                "核对送货单号。", "Check the delivery note number."),
    "approval-not-waiting": _r("warning", "订单 {value} 当前状态为 {state}，不需要此类审批，已记录未执行",
                               "Order {value} is {state} and does not wait for this approval; recorded, not applied"),
    # the receipts pool (osb_batch.ledger.receipts)
    "receipt-duplicate": _r("warning", "银行流水号 {value} 已登记过（{first}，到款日期 {date}，金额 {amount}）{differs}；本行不重复入账",
                            "Bank reference {value} is already recorded ({first_en}, received {date}, amount {amount})"
                            "{differs_en}; this row is not applied again",
                            "无需操作；如首次登记有误，请联系财务部核实。",
                            "Nothing to do; if the first record is wrong, ask finance to check it."),
    "invoice-duplicate": _r("warning", "发票号 {value} 已登记过（{first}，{date}，金额 {amount}）{differs}；本行不重复入账",
                            "Invoice {value} is already recorded ({first_en}, {date}, amount {amount}){differs_en}; "
                            "this row is not applied again",
                            "无需操作；如首次登记有误，请联系财务部更正。",
                            "Nothing to do; if the first record is wrong, ask finance to correct it."),
    "invoice-note-unknown": _r("warning", "发票 {invoice_no} 的送货单号 {value} 不在台账中（手工开单或系统上线前的单据），已按发票入账",
                               "Delivery note {value} of invoice {invoice_no} is not in the ledger (issued by hand "
                               "or before osb_batch); the invoice is recorded",
                               "如送货单号填错，请财务部核对。", "If the note number is wrong, ask finance to check it."),
    "invoice-customer-differs": _r("warning", "发票 {invoice_no} 的客户 {customer} 与送货单 {value} 的客户 {note_customer} 不同；按发票上的客户入账",
                                   "Invoice {invoice_no} names customer {customer} but delivery note {value} is "
                                   "for {note_customer}; recorded for the invoice's customer",
                                   "请财务部核对发票客户。", "Ask finance to check the invoice's customer."),
    "return-duplicate": _r("warning", "退货单 {value}（产品 {product}）已登记过（{first}）{differs}；本行不重复入账",
                           "Return {value} (product {product}) is already recorded ({first_en}){differs_en}; "
                           "this row is not applied again",
                           "无需操作；如首次登记有误，请联系财务部更正。",
                           "Nothing to do; if the first record is wrong, ask finance to correct it."),
    "confirmation-replaced": _r("info", "客户 {value} 的 {period} 对账回函已更新，以本文件为准（原回函：{first}）",
                                "Customer {value}'s reply for {period} replaces the earlier one ({first_en})"),
    "confirmation-balance-varies": _r("warning", "客户 {value} 的回函中确认余额前后不一致（{balances}），按第一行 {balance} 计",
                                      "Customer {value}'s reply gives different confirmed balances ({balances}); "
                                      "the first row's {balance} is used",
                                      "请与客户核实确认余额。", "Check the confirmed balance with the customer."),
    "finance-ar-replaced": _r("info", "财务应收余额（截止 {as_of}）已更新，以本文件为准，共 {rows} 个客户",
                              "Finance's receivables export as of {as_of} replaced by this file, {rows} customers"),
    "unfilled-rows-skipped": _r("info", "{count} 行未填写（第 {rows} 行），已跳过，这些单据保持原状",
                                "{count} rows left unfilled (rows {rows}) were skipped; they stay as they were"),
    "footer-rows-skipped": _r("info", "{count} 行是合计、小计或签字行（第 {rows} 行），不作为数据，已跳过",
                              "{count} total, subtotal or signature rows (rows {rows}) are not data; skipped",
                              "如其中确有真实数据，请勿以合计、小计、制表、审核等字样开头（rules.toml intake.footer_words）。",
                              "If one of them is real data, do not start it with a total or signature word "
                              "(intake.footer_words in rules.toml)."),
    "claim-changed": _r("error", "收款申请单号 {value} 已登记且内容不同，不能修改",
                        "Claim {value} is already registered with other content",
                        "新的认领请使用新的收款申请单号。", "Use a new claim number for a new claim."),
    "claim-receipt-unknown": _r("info", "收款申请单 {claim_no} 所认领的银行流水号 {value} 尚未到账，已登记，到款后自动匹配",
                                "Claim {claim_no} names bank reference {value}, not received yet; registered, "
                                "it is matched when the receipt arrives",
                                "如流水号有误，请核对银行回单。", "If the reference is wrong, check the bank slip."),
    "claim-receipt-matched": _r("warning", "收款申请单 {claim_no} 认领到款 {value} 给客户 {customer}，"
                                "但该笔到款已匹配给客户 {matched}（{matched_by}），未改变",
                                "Claim {claim_no} claims receipt {value} for customer {customer}, but the receipt is "
                                "already matched to customer {matched} ({matched_by}); not changed",
                                "请财务部与申请人核实实际付款客户。",
                                "Finance and the claimant should check which customer actually paid."),
    "claim-conflict": _r("error", "到款 {value}（{payer}，{amount} 元）被多张收款申请单认领给不同客户：{claims}，暂不匹配",
                         "Receipt {value} ({payer}, {amount}) is claimed for different customers: {claims}; "
                         "left unmatched",
                         "请核实实际付款客户，冲突解决前此笔到款留在到款池。",
                         "Check which customer actually paid; until then the receipt stays in the pool."),
    "receipt-remark-ambiguous": _r("info", "到款 {value}（{payer}，{amount} 元）的摘要含有不同客户的单号：{docs}（客户 {customers}），未按摘要匹配",
                                   "Receipt {value} ({payer}, {amount}) has documents of several customers in its "
                                   "remark: {docs} (customers {customers}); not matched by remark",
                                   "请提交收款申请单认领。", "Submit a collection claim for it."),
    "receipt-alias-ambiguous": _r("info", "到款 {value} 的付款户名“{payer}”同时对应客户 {customers}，未自动匹配",
                                  "Receipt {value}: payer name '{payer}' fits customers {customers}; not matched",
                                  "请提交收款申请单认领，或在客户主数据中更正付款户名。",
                                  "Submit a collection claim, or correct the payer aliases in the customer master data."),
    # the signed credit-limit proposal coming back (credit_limit_decisions)
    "credit-limit-blank": _r("info", "{count} 行未填写批准额度（第 {rows} 行），已跳过，这些客户的信用额度不变",
                             "{count} rows without an approved limit (rows {rows}) were skipped; those customers keep their limit"),
    "credit-limit-unknown-customer": _r("error", "客户编码 {value} 不在客户主数据中，批准额度未生效",
                                        "Customer code {value} is not in the customer master data; the approved limit was not applied",
                                        "核对客户编码后重新提交此行。", "Check the customer code and submit the row again."),
    "credit-limit-prepaid": _r("error", "客户 {value} 为先款后货客户，不设信用额度，批准额度未生效",
                               "Customer {value} pays in advance and has no credit limit; the approved limit was not applied",
                               "先款后货客户无需批准额度；如客户改为赊销，请先更新客户主数据。",
                               "A prepaid customer needs no limit; if it now buys on credit, update the customer master data first."),
    "credit-limit-wrong-signer": _r("error", "批准人“{value}”不是销售领导小组成员，客户 {customer} 的批准额度未生效",
                                    "Approver '{value}' is not a member of the SLT; the approved limit of customer {customer} was not applied",
                                    "请由销售领导小组成员批准（秘书代签须写明代哪位成员签），再重新提交。",
                                    "Have an SLT member approve it (a secretary signing on a member's behalf names the member), then submit again."),
    # the marketing budget loop (osb_batch.daily.budget_steps)
    "budget-no-row": _r("error", "{value}：{month} {market_zh}的{type_zh}没有预算，已拒绝",
                        "{value}: there is no budget for {type_en} of {market_en} in {month}; refused",
                        "请秘书组先提交该月该市场该类费用的营销费用预算，再重新提交本行。",
                        "Have the secretaries submit the marketing budget of that month, market and type, "
                        "then submit this row again."),
    "budget-request-unapproved": _r("error", "费用申请 {value} 的审批人（{approver}）不是{market_zh}的市场经理或销售领导小组成员，未计入预算",
                                    "Request {value}: the approver ({approver_en}) is neither the market manager "
                                    "of {market_en} nor an SLT member; not counted",
                                    "请市场经理或销售领导小组成员审批后，以原申请单号重新提交。",
                                    "Have the market manager or an SLT member approve it, then submit it again "
                                    "under its number."),
    "budget-over-refused": _r("error", "费用申请 {value} 金额 {amount} 超出 {month} {market_zh}{type_zh}的剩余预算 {remaining}，且未经销售领导小组批准，已拒绝",
                              "Request {value} of {amount} exceeds the remaining budget of {remaining} "
                              "({type_en}, {market_en}, {month}) without SLT approval; refused",
                              "降低金额，或请销售领导小组成员批准超预算后以原申请单号重新提交。",
                              "Lower the amount, or have an SLT member approve the excess and submit it again "
                              "under its number."),
    "budget-over-approved": _r("warning", "费用申请 {value} 金额 {amount} 超出 {month} {market_zh}{type_zh}的剩余预算 {remaining}，已由销售领导小组（{approver}）批准，按超预算计入",
                               "Request {value} of {amount} exceeds the remaining budget of {remaining} "
                               "({type_en}, {market_en}, {month}); approved by the SLT ({approver_en}), "
                               "counted over budget"),
    "budget-claim-no-request": _r("error", "报销单 {value} 没有费用申请，金额 {amount} 超过无申请报销上限 {max}，已拒绝",
                                  "Claim {value} has no request and its amount {amount} is above the {max} "
                                  "allowed without one; refused",
                                  "请先提交经审批的费用申请，再填写原申请单号报销。",
                                  "Have a request approved first, then claim against its number."),
    "budget-claim-request-not-standing": _r("error", "报销单 {value} 的原申请单 {request_no} 不存在或未获批准，金额 {amount} 超过无申请报销上限 {max}，已拒绝",
                                            "Claim {value} names request {request_no}, which is unknown or not "
                                            "approved, and its amount {amount} is above the {max} allowed "
                                            "without one; refused",
                                            "核对原申请单号，或待申请获批后重新提交。",
                                            "Check the request number, or submit again once the request is approved."),
    "budget-claim-over-request": _r("error", "报销单 {value} 金额 {amount} 超出申请 {request_no} 可报销的上限（申请金额 × {allowance}），超出的 {refused} 不予报销，报销 {accepted}",
                                    "Claim {value} of {amount} exceeds what request {request_no} allows (the "
                                    "request × {allowance}); the excess of {refused} is refused, {accepted} accepted",
                                    "超出部分如确需报销，请另行提交费用申请。",
                                    "To claim the excess, submit a new request for it."),
    "budget-claim-duplicate": _r("warning", "报销单号 {value} 已报销过，本行不重复报销",
                                 "Claim {value} was already applied; this row is not applied again",
                                 "无需操作；如首次报销有误，请联系秘书组。",
                                 "Nothing to do; if the first claim was wrong, ask the secretaries."),
    # the followed workflows (workflows.md)
    "workflow-unmatched": _r("warning", "{chain}：{value} 没有对应的待办事项（{opens}），已记录",
                             "{chain_en}: {value} matches no open item ({opens_en}); recorded",
                             "核对单号；如开启单据尚未提交，请先提交。",
                             "Check the number; if the opening document was never sent, send it first."),
    "workflow-duplicate": _r("warning", "{chain}：事项 {key} 已关闭，{value} 重复，只计一次",
                             "{chain_en}: item {key} is already closed; {value} is a duplicate, counted once",
                             "核对是否重复提交或单号有误。", "Check for a double submission or a wrong number."),
    "workflow-invoice-amount": _r("warning", "发票 {value} 金额 {amount} 元与开票申请 {request_no} 的 {requested} 元不符",
                                  "Invoice {value} is for {amount}, the request {request_no} for {requested}",
                                  "请开票员与申请人核对金额。", "The billing clerk and the applicant should check the amount."),
    "workflow-note-not-shipped": _r("warning", "开票申请所列送货单 {value} 尚未出库",
                                    "The invoice request names delivery note {value}, not yet shipped",
                                    "出库后再开票，或核对送货单号。", "Invoice after shipping, or check the note number."),
    "workflow-outbound-qty": _r("warning", "送货单 {note} 产品 {product} 出库 {value}，送货单为 {expected}（计入发运准确率）",
                                "Delivery note {note}, product {product}: {value} shipped, the note says {expected} "
                                "(counts against shipping accuracy)",
                                "请仓库核对出库数量。", "The warehouse should check the quantity shipped."),
    "workflow-receipt-short": _r("warning", "送货单 {note} 产品 {product} 签收 {value}（{condition}），已开售后事项 {request_no}",
                                 "Delivery note {note}, product {product}: received {value} ({condition_en}); "
                                 "after-sales item {request_no} opened",
                                 "客户经理跟进补发或换货。", "The KAM follows up with a replacement or a re-delivery."),
    "workflow-complaint": _r("warning", "投诉工单 {value}（客户 {customer}）：已通知市场经理 {manager}",
                             "Complaint ticket {value} (customer {customer}): market manager {manager} informed",
                             "2 个工作日内关闭投诉。", "Close the complaint within 2 working days."),
    "workflow-return-exceeds": _r("error", "退货 {value}：产品 {product} 退 {qty}，原单 {original} 只发出 {shipped}",
                                  "Return {value}: {qty} of {product} returned, original {original} shipped only {shipped}",
                                  "核对退货数量与原单号。", "Check the quantity and the original document."),
    "workflow-return-unreviewed": _r("warning", "退货 {value}（原单 {original}，产品 {product}）没有已审核的红字申请单",
                                     "Return {value} (original {original}, product {product}) has no reviewed red requisition",
                                     "补交经审核的退货详单。", "Send the reviewed return requisition."),
    "workflow-reviewer-not-entitled": _r("warning", "红字申请单 {red_request_no} 的审核人 {value} 不是该客户的区域经理、市场经理或 SLT",
                                         "Red requisition {red_request_no} was reviewed by {value}, not the customer's "
                                         "UM, MM or an SLT member", *FIX_CELL),
    "workflow-quote-unapproved": _r("warning", "报价 {quote_no} 产品 {product} 单价 {value} 低于价目表 {list_price} 超过 {limit}，"
                                    "须市场经理或 SLT 审批",
                                    "Quote {quote_no}, product {product}: {value} is more than {limit} below the list "
                                    "price {list_price}; it needs the MM's or an SLT member's approval",
                                    "在“审批人”列填写批准的市场经理或 SLT。", "Name the approving MM or SLT member in 'Approved by'."),
    "workflow-contract-risk": _r("warning", "合同风险：合同 {value} 签订时客户 {customer} 逾期 {overdue} 元，余额 {balance} 元（信用额度 {limit} 元）",
                                 "Contract risk: when contract {value} was signed, customer {customer} was overdue "
                                 "{overdue}, with a balance of {balance} (credit limit {limit})",
                                 "签订人与财务确认回款计划，必要时报市场经理。",
                                 "The signer and finance agree a payment plan; tell the MM if needed."),
    "workflow-claim-no-visit": _r("warning", "业务招待费报销 {value}：申请人 {applicant} 报销前 7 天内没有接待登记",
                                  "Entertainment claim {value}: no visit hosted by {applicant} in the 7 days before it",
                                  "补交来访登记，或核对费用类型。", "Send the visitor register, or check the expense type."),
}


STATE_LABEL = {
    "zh": {"REJECTED": "已拒绝", "AWAITING_SIGNATURE": "待签字", "NEEDS_MANAGER_APPROVAL": "待审批",
           "ST_PENDING": "特别处理待批", "PREPAY_REQUIRED": "需先款", "AWAITING_PAYMENT": "待付款",
           "APPROVED": "已批准", "NOTE_ISSUED": "已开单", "SHIPPED": "已发货", "INVOICED": "已开票",
           "PAID": "已回款", "REFUSED": "已拒批"},
    "en": {"REJECTED": "Rejected", "AWAITING_SIGNATURE": "Awaiting signature",
           "NEEDS_MANAGER_APPROVAL": "Needs manager approval", "ST_PENDING": "Special treatment pending",
           "PREPAY_REQUIRED": "Prepayment required", "AWAITING_PAYMENT": "Awaiting payment",
           "APPROVED": "Approved", "NOTE_ISSUED": "Note issued", "SHIPPED": "Shipped",
           "INVOICED": "Invoiced", "PAID": "Paid", "REFUSED": "Refused"},
}


#: the problem areas of domain.md (OP order processing, SP shipping, BC receivables and collections)
AREA_LABEL = {
    "zh": {"OP": "OP 订单处理", "SP": "SP 发货", "BC": "BC 收款"},
    "en": {"OP": "OP order processing", "SP": "SP shipping", "BC": "BC collections"},
}


def area_label(area: str, lang: str = "zh") -> str:
    """A problem area with its name (the area itself when it is not a known one)."""
    return AREA_LABEL["en" if lang == "en" else "zh"].get(area, area)


#: a finding's severity in words
SEVERITY_LABEL = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def state_label(state: str, lang: str = "zh") -> str:
    """An interface.md order state in words (the state itself when it is not a known one)."""
    return STATE_LABEL["en" if lang == "en" else "zh"].get(state, state)


def _rule(slug: str) -> Rule:
    try:
        return RULES[slug]
    except KeyError:
        raise KeyError(f"rule slug {slug!r} is not in osb_batch.messages.RULES") from None


class _Context(dict):
    def __missing__(self, key):
        return ""


def severity(slug: str) -> str:
    return _rule(slug).severity


def render(slug: str, lang: str, context: dict) -> str:
    rule = _rule(slug)
    ctx = _Context(context)
    ctx.setdefault("label", context.get("field", ""))
    if lang == "en":                            # a value given in English as well: NAME_en
        ctx.update((key[:-3], value) for key, value in context.items() if key.endswith("_en") and value)
    return (rule.en if lang == "en" else rule.zh).format_map(ctx)


def action(slug: str, lang: str, context: dict) -> str:
    rule = _rule(slug)
    return (rule.action_en if lang == "en" else rule.action_zh).format_map(_Context(context))


#: the credit check's cases (docs/credit-decisions.md), each with what it means
CASE_LABEL = {
    "zh": {"5-2": "5-2 额度内", "5-3": "5-3 超额度、在容差内", "5-4": "5-4 逾期或超额度，须先款",
           "5-5": "5-5 特别处理", "5-7a": "5-7a 预付款足够", "5-7b": "5-7b 预付款差额在上限内",
           "5-7c": "5-7c 预付款不足，须付款"},
    "en": {"5-2": "5-2 within the limit", "5-3": "5-3 over the limit, within the tolerance",
           "5-4": "5-4 overdue or over the limit, payment first", "5-5": "5-5 special treatment",
           "5-7a": "5-7a prepayment covers it", "5-7b": "5-7b prepayment short, within the cap",
           "5-7c": "5-7c prepayment short, payment first"},
}

#: the KPIs' English names by key (the ledger keeps the Chinese name the run gave it)
KPI_NAME_EN = {"op_same_day": "Notes issued the same day", "sp_24h": "Shipped within 24 hours",
               "sp_accuracy": "Shipping accuracy", "bc_5day": "Collected within 5 days of the due date"}


def case_label(case: str, lang: str = "zh") -> str:
    """A credit case with what it means (the case itself when it is not a known one)."""
    return CASE_LABEL["en" if lang == "en" else "zh"].get(case, case)


def kpi_name(key: str, name: str, lang: str = "zh") -> str:
    """A KPI's name in ``lang``: ``name``, the Chinese one the ledger keeps, or its English name."""
    return KPI_NAME_EN.get(key, name) if lang == "en" else name


#: what an OSB problem-log entry says, by its rule (osb_batch.daily.deadlines), in Chinese and English
PROBLEM_TEXT = {
    "op-same-day": ("订单 {order_no} 于 {accepted} 受理，当日未开出送货单（{state_label}）",
                    "Order {order_no} accepted {accepted}: no delivery note issued that day ({state_label})"),
    "st-deadline": ("特别处理申请 {order_no}（{accepted} 受理）未在 {days} 个工作日内审批完毕",
                    "Special treatment request {order_no} (accepted {accepted}) not decided within {days} working "
                    "day(s)"),
    "sp-48h": ("送货单 {note_no} 于 {received} 收到，{late_zh}超过 {hours} 小时",
               "Delivery note {note_no} received {received}: {late_en} after more than {hours} hours"),
    "sp-outbound-qty": ("送货单 {note_no} 产品 {product} 出库 {qty}，送货单为 {expected}（发运不准确）",
                        "Delivery note {note_no}, product {product}: {qty} shipped, the note says {expected} "
                        "(not shipped correctly)"),
    "sp-short-receipt": ("送货单 {note_no} 产品 {product} 客户签收 {qty}（{condition}），售后事项 {request_no}（发运不准确）",
                         "Delivery note {note_no}, product {product}: the customer received {qty} ({condition_en}), "
                         "after-sales item {request_no} (not shipped correctly)"),
}
LATE = {"shipped": ("发货", "shipped"), "unshipped": ("至今未发货", "not shipped")}


def problem_text(rule: str, params: dict, lang: str = "zh") -> str | None:
    """A problem-log entry's text in ``lang`` (None for a rule without one, or without its parameters)."""
    templates = PROBLEM_TEXT.get(rule)
    if templates is None or not params:
        return None
    late = LATE.get(params.get("late", ""), ("", ""))
    ctx = _Context({**params, "state_label": state_label(params.get("state", ""), lang),
                    "late_zh": late[0], "late_en": late[1]})
    return templates[1 if lang == "en" else 0].format_map(ctx)
