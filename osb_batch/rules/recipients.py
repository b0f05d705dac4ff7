"""Who receives which output: one table, form key -> the receivers (forms.md "for whom").

A receiver is a group named in rules.toml ``[delivery]`` (``ssg``, ``slt``, ``finance``,
``warehouse``), the roster's KAMs (``kams``), or ``person``: the one person the file is for (an
SLT member's approval workbook, a UM's notices, a submitter's returned copy, a customer's
statement for its KAM), which the manifest's output entry names. A file of a per-person form
that names nobody (SSG's list of everyone's reminders) goes to SSG. The exceptions workbook goes
to SSG and to each person the run's findings are for (``owners``: the UMs of their rows).

Pure: the caller gives the groups' names and the entries; nothing here reads a file or the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

PERSON, OWNERS, KAMS = "person", "owners", "kams"
GROUPS = ("ssg", "slt", "finance", "warehouse")

#: form key -> receivers, in the order their folders are listed. Every output form has an entry.
ROUTES: Mapping[str, tuple[str, ...]] = {
    # the daily run
    "exceptions": ("ssg", OWNERS),
    "returned_copies": (PERSON,),
    "order_register": ("ssg",),
    "approval_requests": (PERSON,),
    "delivery_notes": ("finance", "warehouse"),
    "um_notices": (PERSON,),
    "problem_log": ("slt", "ssg"),
    "receivables": ("ssg", "finance", KAMS),
    "receipts_pool": ("ssg", KAMS),
    "kpi": ("slt",),
    "reminders": (PERSON,),
    "workflow_items": (PERSON,),
    "summary": ("slt",),
    # reconciliation (对账-P)
    "reconciliation": ("finance",),
    "statements": (PERSON,),
    # the periodic reports (报表-P), by part
    "credit_grades": ("slt", "ssg"),
    "credit_limit_proposal": ("slt",),
    "credit_limit_decisions": ("slt",),
    "workflow_report": ("slt", "ssg"),
    "reporting_matrix": ("ssg",),
    "budget_execution": ("slt", "ssg", "finance"),
    "contract_register": ("ssg", "finance"),
    "shipping_info": ("ssg", "warehouse"),
    "osb_meeting": ("slt", "ssg"),
    "sales_scoped": (PERSON,),
    "weekly_sales_stats": ("slt", "ssg"),
    "monthly_sales_stats": ("slt", "ssg"),
    "regional_sales_stats": ("slt", "ssg"),
    "salesperson_weekly_stats": ("slt", "ssg"),
    "salesperson_monthly_stats": ("slt", "ssg"),
    "dealer_purchase_stats": ("slt", "ssg"),
    "dealer_monthly_summary": ("slt", "ssg"),
}

#: A form ROUTES does not name is a consolidation of what staff send (报表-P: the plans, the work
#: logs, the market status reports, one workbook per form): for SLT and SSG.
CONSOLIDATED: tuple[str, ...] = ("slt", "ssg")


@dataclass(frozen=True, slots=True)
class Receivers:
    """The names behind the groups: rules.toml ``[delivery]`` and the roster's KAMs."""

    groups: Mapping[str, Sequence[str]]          # ssg, slt, finance, warehouse -> names
    kams: Sequence[str] = ()


def recipients(entry: Mapping, receivers: Receivers) -> list[str]:
    """The names ``entry`` (a manifest output entry: form, and person/owners where it has them) is for.

    A form :data:`ROUTES` does not name is a consolidation (:data:`CONSOLIDATED`).
    """
    names: list[str] = []
    for receiver in ROUTES.get(entry["form"], CONSOLIDATED):
        if receiver == PERSON:
            names += [entry["person"]] if entry.get("person") else list(receivers.groups["ssg"])
        elif receiver == OWNERS:
            names += entry.get("owners", [])
        elif receiver == KAMS:
            names += receivers.kams
        else:
            names += receivers.groups[receiver]
    return list(dict.fromkeys(names))


def by_person(entries: Iterable[Mapping], receivers: Receivers) -> dict[str, list[Mapping]]:
    """Each receiver's entries, in the order of ``entries``."""
    mine: dict[str, list[Mapping]] = {}
    for entry in entries:
        for name in recipients(entry, receivers):
            mine.setdefault(name, []).append(entry)
    return mine


def submitter(people: Iterable[str | None], file_name: str, known: Iterable[str],
              fallback: str | None = None) -> str | None:
    """Who sent a file back to be corrected: the first person its rows name (the form's person
    column), else the known person whose name is in the file name (the longest), else ``fallback``."""
    named = next((p.strip() for p in people if p and str(p).strip()), None)
    if named:
        return named
    inside = [name for name in known if name and name in file_name]
    return max(inside, key=len) if inside else fallback
