"""The ledger's schema as numbered migrations: migration n is ``MIGRATIONS[n - 1]``.

:meth:`osb_batch.ledger.database.Ledger.migrate` applies the ones a database lacks on open and
records the number reached in ``PRAGMA user_version``. A migration, once released, never changes;
a new table or column is a new entry at the end.
"""

MIGRATIONS: tuple[str, ...] = (
    # 1: runs, inputs, master data
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY, business_date TEXT NOT NULL, run_no INTEGER NOT NULL,
        started_at TEXT NOT NULL, folder TEXT NOT NULL, state TEXT NOT NULL,
        UNIQUE (business_date, run_no));
    CREATE TABLE inputs (
        id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs, sha256 TEXT NOT NULL,
        name TEXT NOT NULL, inbox_path TEXT NOT NULL, archive_path TEXT, form TEXT,
        status TEXT NOT NULL, rows INTEGER NOT NULL, errors INTEGER NOT NULL, cleaned INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX inputs_sha ON inputs (sha256);
    CREATE TABLE customers (
        customer_code TEXT PRIMARY KEY, customer_name TEXT, market TEXT, region TEXT,
        account_manager TEXT, unit_manager TEXT, credit_limit TEXT, payment_term_days TEXT,
        prepaid TEXT, credit_grade TEXT, payer_aliases TEXT, shipping_station TEXT, contact TEXT,
        phone TEXT, address TEXT, input_id INTEGER);
    CREATE TABLE products (
        product_code TEXT PRIMARY KEY, product_name TEXT, spec TEXT, unit TEXT, unit_price TEXT,
        status TEXT, product_group TEXT, input_id INTEGER);
    CREATE TABLE contract_prices (
        customer_code TEXT, product_code TEXT, valid_from TEXT, unit_price TEXT, valid_to TEXT,
        input_id INTEGER, PRIMARY KEY (customer_code, product_code, valid_from));
    CREATE TABLE quotas (
        month TEXT, level TEXT, market TEXT, region TEXT, customer_code TEXT, product_code TEXT,
        quota_qty TEXT, input_id INTEGER,
        PRIMARY KEY (month, level, market, region, customer_code, product_code));
    CREATE TABLE quota_transfers (
        transfer_no TEXT PRIMARY KEY, month TEXT, from_region TEXT, to_region TEXT,
        product_code TEXT, qty TEXT, from_um_consent TEXT, from_um TEXT, remark TEXT, input_id INTEGER);
    CREATE TABLE opening_balances (
        customer_code TEXT, doc_no TEXT, doc_date TEXT, due_date TEXT, amount TEXT, input_id INTEGER,
        PRIMARY KEY (customer_code, doc_no));
    CREATE TABLE changes (
        id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, input_id INTEGER, form TEXT NOT NULL,
        row_key TEXT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT);
    """,
    # 2: the order lifecycle, approvals, delivery notes, counters
    """
    CREATE TABLE orders (
        id INTEGER PRIMARY KEY, order_no TEXT NOT NULL, attempt INTEGER NOT NULL,
        order_date TEXT, customer_code TEXT, kam_verified TEXT, mm_approved TEXT,
        st_requested INTEGER NOT NULL DEFAULT 0, st_reason TEXT, st_note TEXT,
        over_quota_requested INTEGER NOT NULL DEFAULT 0, remark TEXT,
        accepted_on TEXT NOT NULL, accepted_run INTEGER NOT NULL, content TEXT NOT NULL,
        state TEXT NOT NULL, case_id TEXT, amount TEXT, requested_amount TEXT,
        reasons TEXT NOT NULL DEFAULT '[]', figures TEXT NOT NULL DEFAULT '{}', signer TEXT,
        note_no TEXT, input_id INTEGER, UNIQUE (order_no, attempt));
    CREATE TABLE order_lines (
        order_id INTEGER NOT NULL REFERENCES orders, line_no INTEGER NOT NULL, product_code TEXT,
        qty_requested TEXT, qty TEXT, unit_price TEXT, amount TEXT, cut_qty TEXT, over_quota_qty TEXT,
        PRIMARY KEY (order_id, line_no));
    CREATE TABLE order_events (
        id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders, run_id INTEGER NOT NULL,
        business_date TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, cause TEXT NOT NULL);
    CREATE TABLE approvals (
        id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders, order_no TEXT NOT NULL,
        approval_type TEXT NOT NULL, product_code TEXT, approver TEXT NOT NULL, decision TEXT NOT NULL,
        signed_at TEXT, on_behalf INTEGER NOT NULL DEFAULT 0, note TEXT, accepted INTEGER NOT NULL,
        reason TEXT, input_id INTEGER, run_id INTEGER NOT NULL);
    CREATE TABLE delivery_notes (
        note_no TEXT PRIMARY KEY, order_id INTEGER NOT NULL UNIQUE REFERENCES orders,
        issued_on TEXT NOT NULL, run_id INTEGER NOT NULL);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)
    """,
    # 3: the problem log, shipments, the receipts pool
    """
    CREATE TABLE problems (
        problem_no INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, opened_on TEXT NOT NULL,
        area TEXT NOT NULL, rule TEXT NOT NULL, order_no TEXT, note_no TEXT, responsible TEXT NOT NULL,
        what TEXT NOT NULL, status TEXT NOT NULL, explanation TEXT, resolved_by TEXT, resolved_at TEXT,
        run_id INTEGER NOT NULL);
    CREATE TABLE shipments (
        delivery_note_no TEXT PRIMARY KEY, order_no TEXT, note_received_at TEXT, shipped_at TEXT,
        station TEXT, correct INTEGER, remark TEXT, input_id INTEGER, run_id INTEGER NOT NULL);
    CREATE TABLE receipts (
        bank_ref TEXT PRIMARY KEY, receipt_date TEXT NOT NULL, payer_name TEXT, amount TEXT NOT NULL,
        bank_account TEXT, remark TEXT, customer_code TEXT, matched_by TEXT, input_id INTEGER,
        run_id INTEGER NOT NULL);
    CREATE TABLE claims (
        claim_no TEXT PRIMARY KEY, bank_ref TEXT NOT NULL, customer_code TEXT NOT NULL, amount TEXT NOT NULL,
        invoice_nos TEXT, claimed_by TEXT, input_id INTEGER, run_id INTEGER NOT NULL)
    """,
    # 4: indexes for the per-order look-ups of the daily run
    """
    CREATE INDEX orders_customer_state ON orders (customer_code, state);
    CREATE INDEX orders_state ON orders (state);
    CREATE INDEX approvals_order ON approvals (order_no, approval_type);
    CREATE INDEX receipts_customer ON receipts (customer_code, receipt_date);
    CREATE INDEX claims_ref ON claims (bank_ref)
    """,
    # 5: receivables (invoices, returns) and the half-year reconciliation's replies
    """
    CREATE TABLE invoices (
        invoice_no TEXT PRIMARY KEY, delivery_note_no TEXT, customer_code TEXT NOT NULL,
        invoice_date TEXT NOT NULL, amount TEXT NOT NULL, input_id INTEGER, run_id INTEGER NOT NULL);
    CREATE INDEX invoices_customer ON invoices (customer_code);
    CREATE INDEX invoices_note ON invoices (delivery_note_no);
    CREATE TABLE returns (
        return_no TEXT NOT NULL, product_code TEXT NOT NULL, original_doc_no TEXT, customer_code TEXT NOT NULL,
        qty TEXT, amount TEXT NOT NULL, return_date TEXT NOT NULL, approved_by TEXT, reason TEXT,
        input_id INTEGER, run_id INTEGER NOT NULL, PRIMARY KEY (return_no, product_code));
    CREATE TABLE confirmations (
        period TEXT NOT NULL, customer_code TEXT NOT NULL, balance TEXT NOT NULL, agreed INTEGER,
        signed_by TEXT, input_id INTEGER, run_id INTEGER NOT NULL, PRIMARY KEY (period, customer_code));
    CREATE TABLE confirmation_docs (
        period TEXT NOT NULL, customer_code TEXT NOT NULL, line INTEGER NOT NULL, doc_no TEXT, doc_date TEXT,
        amount TEXT NOT NULL, PRIMARY KEY (period, customer_code, line));
    CREATE TABLE finance_ar (
        as_of TEXT NOT NULL, customer_code TEXT NOT NULL, balance TEXT NOT NULL, input_id INTEGER,
        run_id INTEGER NOT NULL, PRIMARY KEY (as_of, customer_code));
    ALTER TABLE receipts ADD COLUMN matched_run INTEGER;
    ALTER TABLE receipts ADD COLUMN paid_docs TEXT
    """,
    # 6: the management cycle: arrival times, the roster's versions, the customers' attribution
    # history (seeded with each customer as it stands, from the run that first recorded it),
    # and the rows of the forms people send (one per row key, a re-submission replacing it)
    """
    ALTER TABLE inputs ADD COLUMN arrived_at TEXT;
    CREATE TABLE staff (
        name TEXT NOT NULL, since TEXT NOT NULL, role TEXT NOT NULL, market TEXT, region TEXT,
        email TEXT, phone TEXT, active INTEGER NOT NULL, input_id INTEGER, run_id INTEGER NOT NULL,
        PRIMARY KEY (name, since));
    CREATE TABLE customer_versions (
        customer_code TEXT NOT NULL, effective TEXT NOT NULL, market TEXT, region TEXT,
        account_manager TEXT, unit_manager TEXT, run_id INTEGER,
        PRIMARY KEY (customer_code, effective));
    INSERT INTO customer_versions
        SELECT c.customer_code,
               COALESCE((SELECT runs.business_date FROM inputs JOIN runs ON runs.id = inputs.run_id
                         WHERE inputs.id = c.input_id), '1900-01-01'),
               c.market, c.region, c.account_manager, c.unit_manager,
               (SELECT inputs.run_id FROM inputs WHERE inputs.id = c.input_id)
        FROM customers c;
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY, form TEXT NOT NULL, row_key TEXT NOT NULL, person TEXT, period TEXT,
        content TEXT NOT NULL, arrived_at TEXT, input_id INTEGER, run_id INTEGER NOT NULL,
        replaced_by INTEGER);
    CREATE INDEX documents_form ON documents (form, period);
    CREATE INDEX documents_key ON documents (form, row_key)
    """,
    # 7: what a problem entry says, as parameters, so that its log is written in the reader's language
    """
    ALTER TABLE problems ADD COLUMN params TEXT
    """,
    # 8: the periodic reports produced (报表-P), so that the daily run makes each period once
    """
    CREATE TABLE periodic_reports (
        kind TEXT NOT NULL, period TEXT NOT NULL, folder TEXT NOT NULL, business_date TEXT NOT NULL,
        produced_at TEXT NOT NULL, PRIMARY KEY (kind, period))
    """,
    # 9: the secretary group's monthly and quarterly results, given once per period: the credit
    # grades of a month, the contract register numbers, the quarter's credit-limit proposals and
    # the limits approved on the signed copies that came back
    """
    CREATE TABLE credit_grades (
        month TEXT NOT NULL, customer_code TEXT NOT NULL, grade TEXT NOT NULL, previous TEXT,
        ratio TEXT, due TEXT NOT NULL, on_time TEXT NOT NULL, overdue TEXT NOT NULL,
        oldest_days INTEGER NOT NULL, given_on TEXT NOT NULL, PRIMARY KEY (month, customer_code));
    CREATE TABLE contract_numbers (
        contract_no TEXT PRIMARY KEY, month TEXT NOT NULL, register_no TEXT NOT NULL UNIQUE,
        sign_date TEXT NOT NULL, late INTEGER NOT NULL, given_on TEXT NOT NULL);
    CREATE TABLE credit_proposals (
        quarter TEXT NOT NULL, customer_code TEXT NOT NULL, current TEXT NOT NULL, grade TEXT NOT NULL,
        average TEXT NOT NULL, growth TEXT NOT NULL, formula TEXT NOT NULL, proposed TEXT NOT NULL,
        given_on TEXT NOT NULL, PRIMARY KEY (quarter, customer_code));
    CREATE TABLE credit_limit_changes (
        id INTEGER PRIMARY KEY, quarter TEXT NOT NULL, customer_code TEXT NOT NULL, old_limit TEXT,
        formula TEXT, adjustment TEXT, new_limit TEXT NOT NULL, approved_by TEXT NOT NULL,
        on_behalf_of TEXT, input_id INTEGER, run_id INTEGER NOT NULL)
    """,
    # 10: the marketing budget loop: each decision on an expense request or claim, once taken
    # (in the order taken), so that re-runs change no budget figure and a claim number is applied once
    """
    CREATE TABLE budget_decisions (
        id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL, number TEXT NOT NULL,
        day TEXT NOT NULL, status TEXT NOT NULL, rule TEXT NOT NULL, item TEXT NOT NULL, cell TEXT,
        accepted TEXT, refused TEXT, remaining_before TEXT, by_slt INTEGER NOT NULL DEFAULT 0,
        run_id INTEGER NOT NULL);
    CREATE INDEX budget_decisions_number ON budget_decisions (kind, number)
    """,
    # 11: the followed workflows: where each stored row sits in its file, and the chains' items
    # as the last run saw them (re-evaluated from the documents every run)
    """
    ALTER TABLE documents ADD COLUMN place TEXT;
    CREATE TABLE workflow_items (
        chain TEXT NOT NULL, key TEXT NOT NULL, step TEXT NOT NULL, responsible TEXT NOT NULL,
        opened TEXT NOT NULL, due TEXT, status TEXT NOT NULL, overdue_days INTEGER NOT NULL,
        closed TEXT, late INTEGER NOT NULL, escalate_to TEXT, outcome TEXT NOT NULL,
        closed_on TEXT, customer_code TEXT, changed_run INTEGER NOT NULL, PRIMARY KEY (chain, key))
    """,
    # 12: delivery: each file owed to, sent to or failed for each person (never the same file twice
    # to the same person); plain SQL on purpose, the same on SQLite and PostgreSQL
    """
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY, person TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL,
        form TEXT NOT NULL, folder TEXT NOT NULL, status TEXT NOT NULL, queued_at TEXT NOT NULL,
        due TEXT, email TEXT, error TEXT, message_id TEXT, sent_at TEXT, UNIQUE (person, sha256))
    """,
)
