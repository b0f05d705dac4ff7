"""The customers' attribution history: market, region, KAM and UM as they stood on any date.

Every document is attributed to its customer's market, region, KAM (account manager) and UM
(unit manager) as they were on the document's date (management.md). A change to a customer
takes effect on the business date of the run that applied it; a document dated before the
customer's first record takes that first record. ``customer_versions`` keeps one row per
customer and effective date; :func:`attribute` joins a frame of documents to it in one
vectorised ``merge_asof``.
"""

from __future__ import annotations

import pandas as pd

from .database import Ledger

#: the attribution columns a fact gets, and the customers' columns they come from
ATTRIBUTION = {"market": "market", "region": "region", "kam": "account_manager", "um": "unit_manager"}


def business_date_of(ledger: Ledger, run_id: int) -> str:
    """The business date (ISO) of a run."""
    return ledger.conn.execute("SELECT business_date FROM runs WHERE id = ?", (run_id,)).fetchone()[0]


def record_customer_versions(ledger: Ledger, *, run_id: int) -> int:
    """A new version, effective on this run's business date, for every customer whose market,
    region, KAM or UM differs from its latest version (or who has none). Returns how many."""
    day = business_date_of(ledger, run_id)
    differs = " OR ".join(f"v.{c} IS NOT c.{c}" for c in ATTRIBUTION.values())
    cur = ledger.conn.execute(
        "INSERT OR REPLACE INTO customer_versions "
        "(customer_code, effective, market, region, account_manager, unit_manager, run_id) "
        "SELECT c.customer_code, ?, c.market, c.region, c.account_manager, c.unit_manager, ? "
        "FROM customers c LEFT JOIN customer_versions v ON v.customer_code = c.customer_code "
        " AND v.effective = (SELECT MAX(effective) FROM customer_versions w WHERE w.customer_code = c.customer_code) "
        f"WHERE v.customer_code IS NULL OR {differs}", (day, run_id))
    return cur.rowcount


def attribution_intervals(ledger: Ledger) -> pd.DataFrame:
    """One row per customer version: customer_code, start (datetime64), end (exclusive, NaT for
    the current one), market, region, kam, um. The first version of a customer starts at NaT:
    it also covers everything dated before it."""
    frame = pd.read_sql(
        "SELECT customer_code, effective, market, region, account_manager AS kam, unit_manager AS um "
        "FROM customer_versions ORDER BY customer_code, effective", ledger.conn)
    start = pd.to_datetime(frame.pop("effective")).astype("datetime64[ns]")
    same = frame["customer_code"].eq(frame["customer_code"].shift())
    frame.insert(1, "start", start.where(same))
    frame.insert(2, "end", start.shift(-1).where(frame["customer_code"].eq(frame["customer_code"].shift(-1))))
    return frame


def attribute(facts: pd.DataFrame, ledger: Ledger) -> pd.DataFrame:
    """``facts`` (with ``customer_code`` and a datetime64 ``date``) with market, region, kam and um
    set from the customer's version in effect on each row's date; the row order is kept."""
    versions = pd.read_sql(
        "SELECT customer_code, effective, market, region, account_manager AS kam, unit_manager AS um "
        "FROM customer_versions", ledger.conn)
    versions["effective"] = pd.to_datetime(versions["effective"]).astype("datetime64[ns]")
    versions["customer_code"] = versions["customer_code"].astype(object)
    versions = versions.sort_values(["effective", "customer_code"], kind="stable")
    first = versions.drop_duplicates("customer_code").set_index("customer_code")
    base = facts.drop(columns=[c for c in ATTRIBUTION if c in facts.columns])
    base = base.assign(_row=range(len(base)), customer_code=base["customer_code"].astype(object),
                       date=base["date"].astype("datetime64[ns]"))
    ordered = base.sort_values("date", kind="stable")
    found = pd.merge_asof(ordered, versions.rename(columns={"effective": "date"}).assign(_hit=True),
                          on="date", by="customer_code", direction="backward")
    earlier = found["_hit"].isna()
    for column in ATTRIBUTION:
        found.loc[earlier, column] = found.loc[earlier, "customer_code"].map(first[column])
        found[column] = found[column].astype(object).where(found[column].notna(), None)
    return found.sort_values("_row").drop(columns=["_row", "_hit"]).reset_index(drop=True)
