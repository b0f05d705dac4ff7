"""The chain engine: dues across days off, items that open, move and close, escalation, strays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from osb_batch.chain_terms import parse_condition, parse_due_terms
from osb_batch.rules.chains import Doc, due_time, follow
from osb_batch.settings import parse
from osb_batch.settings.loader import SettingsError
from osb_batch.settings.sections import DEFAULT_CHAINS, Chain, ChainStep
from osb_batch.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


class Directory:
    """KAM of every customer 李强; managers: 李强 -> 赵刚 (UM) -> 孙伟 (MM)."""

    boss = {"李强": "赵刚", "赵刚": "孙伟", "周敏": "赵刚"}

    def responsible(self, candidate, values):
        if candidate.islower():
            value = values.get(candidate)
            return str(value) if value else None
        return {"KAM": "李强", "BCR": "周敏", "SSG": "王丽娜"}.get(candidate)

    def manager_of(self, person, values):
        return self.boss.get(person)


@pytest.mark.parametrize(("due", "opening", "start", "expected"), [
    # working days end at the end of the n-th working day after the start's day
    ("2d", {}, "2026-11-26 10:00", "2026-11-30 23:59:59"),          # Thursday -> Monday across a weekend
    ("1d", {}, "2026-11-27 17:00", "2026-11-30 23:59:59"),          # Friday -> Monday
    ("2d", {}, "2026-09-30 09:00", "2026-10-09 23:59:59"),          # National Day 1-7 Oct skipped
    ("3d", {}, "2026-10-08 09:00", "2026-10-12 23:59:59"),          # make-up Saturday 10 Oct counts
    ("1d", {}, "2026-09-24 09:00", "2026-09-28 23:59:59"),          # Mid-Autumn Friday 25 Sep skipped
    # hours: clock hours; landing on a day off moves to the next working day at the same time
    ("24h", {}, "2026-11-26 10:00", "2026-11-27 10:00"),
    ("24h", {}, "2026-11-27 10:00", "2026-11-30 10:00"),            # Saturday -> Monday
    ("24h", {}, "2026-09-30 15:00", "2026-10-08 15:00"),            # into the holiday -> first day back
    ("24h", {}, "2026-10-09 08:00", "2026-10-10 08:00"),            # a make-up Saturday is a working day
    # calendar days from a date field (end of that day), moved off days off
    ("bid_date+30c", {"bid_date": dt.date(2026, 9, 1)}, "2026-09-01 09:00", "2026-10-08 23:59:59"),
    ("bid_date+30c", {"bid_date": dt.date(2026, 10, 1)}, "2026-10-01 09:00", "2026-11-02 23:59:59"),  # a Saturday
    ("end_date-30c", {"end_date": dt.date(2026, 12, 31)}, "2026-01-05 09:00", "2026-12-01 23:59:59"),
    # the first term that applies
    ("expected_date | 5d", {"expected_date": dt.date(2026, 11, 30)}, "2026-11-26 09:00",
     "2026-11-30 23:59:59"),
    ("expected_date | 5d", {}, "2026-11-26 09:00", "2026-12-03 23:59:59"),
    ("category=投诉 ? opened_at+2d | opened_at+3d", {"category": "投诉", "opened_at": at("2026-11-26 09:00")},
     "2026-11-26 12:00", "2026-11-30 23:59:59"),
    ("category=投诉 ? opened_at+2d | opened_at+3d", {"category": "咨询", "opened_at": at("2026-11-26 09:00")},
     "2026-11-26 12:00", "2026-12-01 23:59:59"),
])
def test_due_times_skip_days_off(due, opening, start, expected):
    assert due_time(parse_due_terms(due), opening, at(start), CAL) == at(expected)


def test_no_due_is_no_deadline():
    assert due_time(parse_due_terms(""), {}, at("2026-11-26 10:00"), CAL) is None


@pytest.mark.parametrize("text", ["2x", "+3d", "-2d", "a b", "status==x"])
def test_bad_notations_are_refused(text):
    with pytest.raises(ValueError):
        parse_due_terms(text) if "=" not in text else parse_condition(text)


@pytest.mark.parametrize(("condition", "values", "holds"), [
    ("", {}, True),
    ("reviewed_by", {"reviewed_by": "赵刚"}, True),
    ("reviewed_by", {"reviewed_by": None}, False),
    ("status=已关闭", {"status": "已关闭"}, True),
    ("status=已关闭,处理中", {"status": "处理中"}, True),
    ("status=已关闭", {"status": "待处理"}, False),
    ("status=Closed", {"status": "closed"}, True),
])
def test_conditions(condition, values, holds):
    assert parse_condition(condition).holds(values) is holds


INVOICING = Chain("invoicing", "开票", "invoice_request", ("request_no",), ("BCR",), "", (),
                  (ChainStep("invoiced", "invoice", ("delivery_note_no",), "", "2d", ()),))


def request(no, note, when, new=False):
    return Doc("invoice_request", {"request_no": no, "delivery_note_no": note, "customer_code": "C1"}, at(when),
               ref=no, new=new)


def invoice(no, note, when, new=True):
    return Doc("invoice", {"invoice_no": no, "delivery_note_no": note}, at(when), ref=no, new=new)


def run(docs, as_of, chains=(INVOICING,), escalate_after=2):
    return follow(chains, docs, calendar=CAL, people=Directory(), as_of=at(as_of), escalate_after=escalate_after)


@pytest.mark.parametrize(("docs", "as_of", "status", "late", "overdue_days", "escalate_to"), [
    ([request("IR1", "DN1", "2026-11-26 09:00")], "2026-11-27 18:00", "open", False, 0, None),
    ([request("IR1", "DN1", "2026-11-26 09:00")], "2026-12-01 18:00", "overdue", False, 1, None),
    ([request("IR1", "DN1", "2026-11-26 09:00")], "2026-12-02 18:00", "overdue", False, 2, "赵刚"),
    ([request("IR1", "DN1", "2026-11-26 09:00"), invoice("F1", "DN1", "2026-11-30 10:00")],
     "2026-12-02 18:00", "closed", False, 0, None),
    ([request("IR1", "DN1", "2026-11-26 09:00"), invoice("F1", "DN1", "2026-12-01 10:00")],
     "2026-12-02 18:00", "closed", True, 0, None),
    # a document after the moment asked about does not count yet
    ([request("IR1", "DN1", "2026-11-26 09:00"), invoice("F1", "DN1", "2026-12-03 10:00")],
     "2026-12-02 18:00", "overdue", False, 2, "赵刚"),
])
def test_an_item_opens_moves_closes_and_escalates(docs, as_of, status, late, overdue_days, escalate_to):
    (item,) = run(docs, as_of).items
    assert (item.key, item.responsible, item.status, item.late, item.overdue_days, item.escalate_to) == (
        "IR1", "周敏", status, late, overdue_days, escalate_to)


def test_a_closer_matching_nothing_and_a_second_closer_are_strays_once():
    docs = [request("IR1", "DN1", "2026-11-26 09:00"), invoice("F1", "DN1", "2026-11-27 10:00"),
            invoice("F2", "DN1", "2026-11-27 11:00"), invoice("F3", "DN9", "2026-11-27 12:00"),
            invoice("F4", "DN8", "2026-11-27 12:00", new=False)]
    out = run(docs, "2026-11-27 18:00")
    assert [(s.kind, s.doc.ref) for s in out.strays] == [("duplicate", "F2"), ("unmatched", "F3")]
    assert [(i.status, i.closed) for i in out.items] == [("closed", at("2026-11-27 10:00"))]


def test_a_later_step_completes_the_earlier_ones_and_each_step_has_its_responsible():
    chain = next(c for c in DEFAULT_CHAINS if c.name == "returns")
    opening = {"red_request_no": "R1", "product_code": "P1", "original_doc_no": "DN1", "applicant": "李强",
               "reviewed_by": None}
    reviewed = {**opening, "reviewed_by": "赵刚"}
    first = run([Doc("return_detail", opening, at("2026-11-26 09:00"))], "2026-11-26 18:00", (chain,))
    assert [(i.step, i.responsible) for i in first.items] == [("reviewed", "李强")]
    second = run([Doc("return_detail", opening, at("2026-11-26 09:00")),
                  Doc("return_detail", reviewed, at("2026-11-27 09:00"))], "2026-11-27 18:00", (chain,))
    assert [(i.step, i.responsible, i.status) for i in second.items] == [("booked", "赵刚", "open")]


def test_a_ticket_sent_closed_opens_and_closes_at_once():
    chain = next(c for c in DEFAULT_CHAINS if c.name == "service_tickets")
    ticket = {"ticket_no": "T1", "status": "已关闭", "opened_at": at("2026-11-26 09:00"), "assigned_to": "刘洋"}
    (item,) = run([Doc("service_ticket", ticket, at("2026-11-26 10:00"), new=True)], "2026-11-26 18:00",
                  (chain,)).items
    assert (item.status, item.responsible, item.late) == ("closed", "刘洋", False)


def test_an_expiry_date_closes_an_item_as_expired():
    chain = next(c for c in DEFAULT_CHAINS if c.name == "quotations")
    quote = {"quote_no": "Q1", "product_code": "P1", "customer_code": "C1", "quoted_by": "李强",
             "valid_until": dt.date(2026, 11, 30)}
    before = run([Doc("quotation", quote, at("2026-11-20 09:00"))], "2026-11-30 18:00", (chain,))
    after = run([Doc("quotation", quote, at("2026-11-20 09:00"))], "2026-12-01 09:00", (chain,))
    assert [i.status for i in before.items] == ["open"]
    assert [(i.status, i.outcome) for i in after.items] == [("closed", "expired")]


def test_a_department_chain_over_an_existing_form_needs_only_rules_toml():
    settings = parse("""
[[workflows.chains]]
name = "work_logs"
zh = "工作日志复核"
opens = "work_log"
key = ["log_date", "staff"]
responsible = ["UM"]

[[workflows.chains.steps]]
name = "reviewed"
form = "work_log"
match = ["log_date", "staff"]
when = "outcome"
due = "1d"
""")
    (chain,) = settings.workflows.chains
    docs = [Doc("work_log", {"log_date": dt.date(2026, 11, 27), "staff": "李强"}, at("2026-11-27 18:00"))]
    (item,) = follow(settings.workflows.chains, docs, calendar=CAL, people=Directory(),
                     as_of=at("2026-12-01 09:00"), escalate_after=2).items
    assert (chain.name, item.key, item.status, item.overdue_days) == ("work_logs", "2026-11-27|李强", "overdue", 1)


@pytest.mark.parametrize(("text", "problem"), [
    ('opens = "nothing"', "workflows.chains[1].opens"),
    ('due = "2 weeks"', "workflows.chains[1].steps[1].due"),
])
def test_a_wrong_chain_is_reported_by_its_key(text, problem):
    base = {"opens": 'opens = "invoice_request"', "due": 'due = "2d"'}
    base[text.split(" ")[0]] = text
    toml = f"""
[[workflows.chains]]
name = "x"
zh = "x"
{base['opens']}
key = ["request_no"]
responsible = ["BCR"]

[[workflows.chains.steps]]
name = "s"
form = "invoice"
match = ["delivery_note_no"]
{base['due']}
"""
    with pytest.raises(SettingsError) as err:
        parse(toml)
    assert problem in str(err.value)


def test_the_readme_example_chain_is_valid_rules_toml():
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("**Adding a chain needs no code**", 1)[1].split("```toml", 1)[1].split("```", 1)[0]
    (chain,) = parse(example).workflows.chains
    assert (chain.opens, chain.steps[0].due) == ("work_log", "1d")


def test_the_lines_of_one_file_closing_one_item_are_no_duplicates_of_each_other():
    chain = next(c for c in DEFAULT_CHAINS if c.name == "proof_of_delivery")
    note = Doc("delivery_note", {"note_no": "DN1"}, at("2026-11-26 00:00"))
    out = Doc("sales_outbound", {"delivery_note_no": "DN1"}, at("2026-11-26 10:00"))
    lines = [Doc("receipt_confirmation", {"delivery_note_no": "DN1", "product_code": p}, at("2026-11-27 10:00"),
                 ref=p, new=True, source=7) for p in ("P1", "P2")]
    again = Doc("receipt_confirmation", {"delivery_note_no": "DN1"}, at("2026-11-28 10:00"), ref="RC9", new=True,
                source=8)
    result = run([note, out, *lines, again], "2026-11-30 18:00", (chain,))
    assert [(s.kind, s.doc.ref) for s in result.strays] == [("duplicate", "RC9")]


def lead(stage, when, name="华山医院"):
    return Doc("target_customers", {"customer_name": name, "stage": stage, "follow_up_by": "王五"}, at(when))


@pytest.mark.parametrize(("rows", "as_of", "status", "due"), [
    # 30 calendar days from registration; 2026-12-26 is a Saturday: due the next working day
    ([lead("初步接触", "2026-11-26 10:00")], "2026-12-20 18:00", "open", "2026-12-28 10:00"),
    ([lead("初步接触", "2026-11-26 10:00")], "2026-12-29 18:00", "overdue", "2026-12-28 10:00"),
    # another stage restarts the 30 days; the same stage sent again does not
    ([lead("初步接触", "2026-11-26 10:00"), lead("有意向", "2026-12-10 09:00")], "2026-12-29 18:00", "open",
     "2027-01-11 09:00"),
    ([lead("初步接触", "2026-11-26 10:00"), lead("初步接触", "2026-12-10 09:00")], "2026-12-29 18:00", "overdue",
     "2026-12-28 10:00"),
    ([lead("初步接触", "2026-11-26 10:00"), lead("有意向", "2026-12-01 09:00"), lead("初步接触", "2026-12-10 09:00")],
     "2026-12-29 18:00", "open", "2027-01-11 09:00"),
    ([lead("初步接触", "2026-11-26 10:00"), lead("已成交", "2026-12-10 09:00")], "2026-12-29 18:00", "closed",
     "2026-12-28 10:00"),
])
def test_a_lead_is_due_an_update_30_days_after_its_last_change_of_stage(rows, as_of, status, due):
    chain = next(c for c in DEFAULT_CHAINS if c.name == "target_customers")
    (item,) = run(rows, as_of, chains=(chain,)).items
    assert (item.key, item.responsible, item.status, item.due) == ("华山医院", "王五", status, at(due))


def ticket(no, status, when, request_no=None, record=True):
    values = {"ticket_no": no, "status": status, "request_no": request_no, "assigned_to": "刘洋"}
    return Doc("service_ticket", values, at(when), new=True, source=f"{no}-{when}",
               record=("service_ticket", no) if record else None)


def after_sales(no, when):
    return Doc("after_sales_request", {"request_no": no, "customer_code": "C1", "expected_date": None}, at(when),
               new=True)


@pytest.mark.parametrize(("docs", "strays"), [
    # a ticket naming no request claims to close no after-sales item
    ([ticket("T1", "已关闭", "2026-11-26 10:00")], []),
    ([ticket("T1", "已关闭", "2026-11-26 10:00", "AS-9")], [("unmatched", "after_sales")]),
    # the ticket that closed a request, sent again with its satisfaction, is a version, not a duplicate
    ([after_sales("AS-1", "2026-11-26 09:00"), ticket("T1", "已关闭", "2026-11-26 10:00", "AS-1"),
      ticket("T1", "已关闭", "2026-11-27 10:00", "AS-1")], []),
    # another ticket closing it again is
    ([after_sales("AS-1", "2026-11-26 09:00"), ticket("T1", "已关闭", "2026-11-26 10:00", "AS-1"),
      ticket("T2", "已关闭", "2026-11-27 10:00", "AS-1")], [("duplicate", "after_sales")]),
    ([after_sales("AS-1", "2026-11-26 09:00"), ticket("T1", "已关闭", "2026-11-26 10:00", "AS-1", record=False),
      ticket("T1", "已关闭", "2026-11-27 10:00", "AS-1", record=False)], [("duplicate", "after_sales")]),
])
def test_what_is_an_unmatched_or_a_duplicate_closer(docs, strays):
    chain = next(c for c in DEFAULT_CHAINS if c.name == "after_sales")
    assert [(s.kind, s.chain) for s in run(docs, "2026-11-27 18:00", chains=(chain,)).strays] == strays


def test_a_lost_bids_row_sent_again_with_its_deposit_back_is_no_duplicate_result():
    chains = tuple(c for c in DEFAULT_CHAINS if c.name in ("bids", "bid_deposits"))
    lost = {"bid_no": "B1", "bid_date": dt.date(2026, 11, 14), "result": "未中标", "deposit": 5000, "owner": "王五"}
    docs = [Doc("bid_register", lost, at("2026-11-26 10:00"), new=True, record=("bid_register", "B1")),
            Doc("bid_register", {**lost, "deposit_returned": True}, at("2026-12-04 10:00"), new=True,
                record=("bid_register", "B1"))]
    out = run(docs, "2026-12-04 18:00", chains=chains)
    assert not out.strays
    assert [(i.chain, i.status) for i in out.items] == [("bids", "closed"), ("bid_deposits", "closed")]
