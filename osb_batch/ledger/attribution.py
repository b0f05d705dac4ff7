"""The customers' attribution history: market, region, KAM and UM as they stood on any date.

Every document is attributed to its customer's market, region, KAM (account manager) and UM
(unit manager) as they were on the document's date (management.md). A change to a customer
takes effect on the business date of the run that applied it; a document dated before the
customer's first record takes that first record. ``customer_versions`` keeps one row per
customer and effective date; :func:`attribute` joins a frame of documents to it with one
vectorised binary search (an as-of join by customer and date).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .database import Ledger, replacing

#: the attribution columns a fact gets, and the customers' columns they come from
ATTRIBUTION = {"market": "market", "region": "region", "kam": "account_manager", "um": "unit_manager"}
EPOCH_DAYS = int(np.datetime64("1900-01-01", "D").astype("int64"))
#: every customer's versions by (customer, effective); a customer without any (written to the
#: ledger by other means than a run) stands as it is from the start
VERSIONS = """
    SELECT customer_code, effective, market, region, account_manager AS kam, unit_manager AS um
    FROM customer_versions
    UNION ALL
    SELECT customer_code, '1900-01-01', market, region, account_manager, unit_manager FROM customers c
    WHERE NOT EXISTS (SELECT 1 FROM customer_versions v WHERE v.customer_code = c.customer_code)
    ORDER BY 1, 2"""
VERSION_COLUMNS = ("customer_code", "effective", "market", "region", "account_manager", "unit_manager", "run_id")
KEY_SPAN = 1 << 20      # days from 1900 to beyond 4700: (customer, day) packed into one int64 key


def business_date_of(ledger: Ledger, run_id: int) -> str:
    """The business date (ISO) of a run."""
    return ledger.conn.execute("SELECT business_date FROM runs WHERE id = ?", (run_id,)).fetchone()[0]


def record_customer_versions(ledger: Ledger, *, run_id: int) -> int:
    """A new version, effective on this run's business date, for every customer whose market,
    region, KAM or UM differs from its latest version (or who has none). Returns how many."""
    day = business_date_of(ledger, run_id)
    differs = " OR ".join(f"v.{c} IS DISTINCT FROM c.{c}" for c in ATTRIBUTION.values())
    cur = ledger.conn.execute(
        "INSERT INTO customer_versions "
        "(customer_code, effective, market, region, account_manager, unit_manager, run_id) "
        "SELECT c.customer_code, ?, c.market, c.region, c.account_manager, c.unit_manager, ? "
        "FROM customers c LEFT JOIN customer_versions v ON v.customer_code = c.customer_code "
        " AND v.effective = (SELECT MAX(effective) FROM customer_versions w WHERE w.customer_code = c.customer_code) "
        f"WHERE v.customer_code IS NULL OR {differs}" + replacing(("customer_code", "effective"), VERSION_COLUMNS),
        (day, run_id))
    return cur.rowcount


def attribution_intervals(ledger: Ledger) -> pd.DataFrame:
    """One row per customer version: customer_code, start (datetime64), end (exclusive, NaT for
    the current one), market, region, kam, um. The first version of a customer starts at NaT:
    it also covers everything dated before it."""
    frame = ledger.frame(VERSIONS)
    start = pd.to_datetime(frame.pop("effective")).astype("datetime64[ns]")
    same = frame["customer_code"].eq(frame["customer_code"].shift())
    frame.insert(1, "start", start.where(same))
    frame.insert(2, "end", start.shift(-1).where(frame["customer_code"].eq(frame["customer_code"].shift(-1))))
    return frame


def attribute(facts: pd.DataFrame, ledger: Ledger) -> pd.DataFrame:
    """``facts`` (with ``customer_code`` and a datetime64 ``date``) with market, region, kam and um
    set from the customer's version in effect on each row's date, in the same row order.

    Vectorised as one binary search over the versions sorted by (customer, effective): the last
    version at or before the date, else (a date before the first record) the customer's first.
    """
    versions = ledger.frame(VERSIONS, dtype=object)
    customers = pd.Index(versions["customer_code"].unique())
    v_customer = customers.get_indexer(versions["customer_code"])
    v_key = v_customer * KEY_SPAN + _days(versions["effective"])
    f_customer = customers.get_indexer(facts["customer_code"].astype(object))
    f_key = f_customer * KEY_SPAN + _days(facts["date"])
    at = np.searchsorted(v_key, f_key, side="right") - 1
    first = np.searchsorted(v_customer, f_customer, side="left")
    same = (at >= 0) & (v_customer[np.clip(at, 0, None)] == f_customer)
    at = np.where(same, at, first)
    known = f_customer >= 0
    out = facts.copy()
    for column in ATTRIBUTION:
        values = versions[column].to_numpy(object)
        picked = np.full(len(out), None, dtype=object)
        picked[known] = values[at[known]]
        out[column] = pd.Series(picked, index=out.index, dtype=object)
    return out


def _days(dates: pd.Series) -> np.ndarray:
    """Days since 1900-01-01 of ISO date texts or datetime64 values (KEY_SPAN bounds them)."""
    days = pd.to_datetime(dates).to_numpy("datetime64[D]").astype("int64") - EPOCH_DAYS
    return days.astype("int64")
