"""The documents one trail makes for another chain: exchanges open returns items, the customers
master converts leads; replayed through the default chains, one case per row."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from osb_batch.catalogue import Choice
from osb_batch.rules.chain_links import conversions, exchanges, linked
from osb_batch.rules.chains import Doc, follow
from osb_batch.settings.sections import DEFAULT_CHAINS
from osb_batch.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
REPLACE = Choice("replace", "换货", "Replacement")
REPAIR = Choice("repair", "维修", "Repair")
CAL = WorkCalendar(frozenset(), frozenset())


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


class People:
    def responsible(self, candidate, values):
        return values.get(candidate) if candidate[0].islower() else None

    def manager_of(self, person, values):
        return None


def request(kind=REPLACE, when="2026-11-26 09:00", no="AS-1"):
    return Doc("after_sales_request", {"request_no": no, "customer_code": "C1", "product_code": "P1",
                                       "service_type": kind, "applicant": "王五"}, at(when))


def requisition(when, reviewed_by=None, customer="C1", no="R-9"):
    return Doc("return_detail", {"red_request_no": no, "product_code": "P1", "customer_code": customer,
                                 "original_doc_no": "DN-1", "qty": 1, "applicant": "李强", "reviewed_by": reviewed_by},
               at(when))


def returned(when):
    return Doc("return", {"return_no": "TH-1", "original_doc_no": "DN-1", "product_code": "P1"}, at(when))


def returns_items(docs, as_of="2026-12-04 18:00"):
    chain = next(c for c in DEFAULT_CHAINS if c.name == "returns")
    out = follow((chain,), exchanges(docs), calendar=CAL, people=People(), as_of=at(as_of), escalate_after=2)
    return {i.key: (i.status, i.step, i.responsible) for i in out.items}


@pytest.mark.parametrize(("docs", "expected"), [
    # an exchange opens a returns item waiting for the reviewed requisition, its applicant responsible
    ([request()], {"AS-1|P1": ("overdue", "reviewed", "王五")}),
    # a repair opens none
    ([request(REPAIR)], {}),
    # the requisition that follows for that customer and product moves the exchange's item on
    ([request(), requisition("2026-11-27 10:00", "赵六")], {"AS-1|P1": ("open", "booked", "赵六")}),
    ([request(), requisition("2026-11-27 10:00", "赵六"), returned("2026-11-30 10:00")],
     {"AS-1|P1": ("closed", "", "赵六")}),
    # another customer's requisition, or one from before the request, is its own item
    ([request(), requisition("2026-11-27 10:00", "赵六", customer="C2")],
     {"AS-1|P1": ("overdue", "reviewed", "王五"), "R-9|P1": ("open", "booked", "赵六")}),
    ([requisition("2026-11-25 10:00", "赵六"), request()],
     {"AS-1|P1": ("overdue", "reviewed", "王五"), "R-9|P1": ("open", "booked", "赵六")}),
    # two exchanges of the same product: each claims its own requisition
    ([request(), request(no="AS-2", when="2026-11-26 10:00"), requisition("2026-11-27 10:00", "赵六"),
      requisition("2026-11-27 11:00", "赵六", no="R-10")],
     {"AS-1|P1": ("open", "booked", "赵六"), "AS-2|P1": ("open", "booked", "赵六")}),
])
def test_an_exchange_request_opens_a_returns_item(docs, expected):
    assert returns_items(docs, "2026-12-01 18:00" if len(docs) > 1 else "2026-12-04 18:00") == expected


def lead(stage, when, name="华山医院"):
    return Doc("target_customers", {"customer_name": name, "stage": stage, "follow_up_by": "王五"}, at(when))


@pytest.mark.parametrize(("docs", "customers", "expected"), [
    ([lead("初步接触", "2026-11-26 10:00")], {}, []),
    ([lead("初步接触", "2026-11-26 10:00")], {"华山医院": at("2026-12-01 09:00")}, [at("2026-12-01 09:00")]),
    # a customer already in the master when the lead was registered: won when registered
    ([lead("初步接触", "2026-11-26 10:00")], {"华山医院": at("2026-11-01 09:00")}, [at("2026-11-26 10:00")]),
    # a lead its KAM already marked won or lost closes by that row
    ([lead("初步接触", "2026-11-26 10:00"), lead("已放弃", "2026-11-27 10:00")], {"华山医院": at("2026-12-01 09:00")},
     []),
    ([lead("初步接触", "2026-11-26 10:00")], {"另一家": at("2026-12-01 09:00")}, []),
])
def test_a_lead_whose_name_is_in_the_customers_master_is_won(docs, customers, expected):
    assert [d.at for d in conversions(docs, customers)] == expected


def test_a_converted_lead_closes_its_item():
    chain = next(c for c in DEFAULT_CHAINS if c.name == "target_customers")
    docs = linked([lead("初步接触", "2026-11-26 10:00")], {"华山医院": at("2026-12-01 09:00")})
    (item,) = follow((chain,), docs, calendar=CAL, people=People(), as_of=at("2026-12-02 18:00"),
                     escalate_after=2).items
    assert (item.status, item.closed, item.late) == ("closed", at("2026-12-01 09:00"), False)
