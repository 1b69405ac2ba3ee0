//! Versioned schema migrations.
//!
//! Migration N brings a database from `user_version` N-1 to N. They run in one transaction;
//! a database newer than the last migration is refused, never touched.

/// `PRAGMA application_id` of a packbench database ("pbnc").
pub const APPLICATION_ID: i32 = 0x7062_6E63;

/// The migrations, in order. Index + 1 is the version the migration produces.
pub const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    r"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE products (
    gtin               TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    company_prefix_len INTEGER NOT NULL,
    level              TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE work_orders (
    id              TEXT PRIMARY KEY,
    gtin            TEXT NOT NULL REFERENCES products(gtin),
    lot             TEXT,
    expiry          TEXT,
    spec            TEXT NOT NULL,
    has_serial_list INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'open',
    created_ms      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    epc         TEXT NOT NULL,
    level       TEXT NOT NULL,
    status      TEXT NOT NULL,
    gtin        TEXT,
    lot         TEXT,
    expiry      TEXT,
    parent_id   INTEGER REFERENCES units(id),
    published   INTEGER NOT NULL DEFAULT 0,
    state       TEXT,
    child_count INTEGER NOT NULL DEFAULT 0,
    capacity    INTEGER,
    work_order  TEXT,
    listed      INTEGER NOT NULL DEFAULT 0,
    updated_ms  INTEGER NOT NULL
);
CREATE INDEX units_by_parent ON units(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX units_open_containers ON units(state) WHERE state = 'open';

CREATE TABLE users (
    username        TEXT PRIMARY KEY,
    full_name       TEXT NOT NULL,
    role            TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until_ms INTEGER NOT NULL DEFAULT 0,
    active          INTEGER NOT NULL DEFAULT 1,
    created_ms      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE commands (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    username   TEXT NOT NULL,
    time_ms    INTEGER NOT NULL,
    work_order TEXT,
    target     TEXT,
    changes    TEXT NOT NULL,
    undoes     INTEGER REFERENCES commands(id),
    undone_by  INTEGER REFERENCES commands(id)
);

CREATE TABLE signatures (
    id         INTEGER PRIMARY KEY,
    username   TEXT NOT NULL,
    full_name  TEXT NOT NULL,
    meaning    TEXT NOT NULL,
    reason     TEXT,
    time_ms    INTEGER NOT NULL,
    command_id INTEGER NOT NULL REFERENCES commands(id)
);

CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    command_id    INTEGER NOT NULL REFERENCES commands(id),
    seq           INTEGER NOT NULL,
    hash_id       TEXT NOT NULL,
    correction    INTEGER NOT NULL DEFAULT 0,
    event_time_ms INTEGER NOT NULL,
    body          TEXT NOT NULL,
    UNIQUE (hash_id, correction)
);
CREATE TABLE event_epcs (
    epc      TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (epc, event_id)
) WITHOUT ROWID;
CREATE INDEX events_by_command ON events(command_id);
CREATE INDEX events_by_time ON events(event_time_ms);

CREATE TABLE outbox (
    command_id      INTEGER PRIMARY KEY REFERENCES commands(id),
    state           TEXT NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_ms INTEGER NOT NULL DEFAULT 0,
    created_ms      INTEGER NOT NULL
);
CREATE INDEX outbox_by_state ON outbox(state, command_id);

CREATE TABLE audit (
    seq          INTEGER PRIMARY KEY,
    time_ms      INTEGER NOT NULL,
    username     TEXT NOT NULL,
    action       TEXT NOT NULL,
    target       TEXT,
    old_value    TEXT,
    new_value    TEXT,
    reason       TEXT,
    signature_id INTEGER,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_by_target ON audit(target) WHERE target IS NOT NULL;

CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    time_ms         INTEGER NOT NULL,
    code            TEXT NOT NULL,
    key             TEXT NOT NULL,
    detail          TEXT NOT NULL,
    username        TEXT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_ms INTEGER
);
",
    // 2: SSCC ranges and the labels allocated from them (issue 7).
    r"
CREATE TABLE sscc_ranges (
    id              INTEGER PRIMARY KEY,
    company_prefix  TEXT NOT NULL,
    extension_digit INTEGER NOT NULL,
    first_serial    INTEGER NOT NULL,
    last_serial     INTEGER NOT NULL,
    next_serial     INTEGER NOT NULL,
    source          TEXT NOT NULL,
    created_ms      INTEGER NOT NULL
);

CREATE TABLE labels (
    id           INTEGER PRIMARY KEY,
    sscc         TEXT NOT NULL UNIQUE,
    range_id     INTEGER REFERENCES sscc_ranges(id),
    level        TEXT NOT NULL,
    work_order   TEXT,
    state        TEXT NOT NULL,
    username     TEXT NOT NULL,
    allocated_ms INTEGER NOT NULL,
    printed_ms   INTEGER,
    print_count  INTEGER NOT NULL DEFAULT 0,
    verified_ms  INTEGER
);
CREATE INDEX labels_pending ON labels(state) WHERE state = 'printed';
",
    // 3: sync to the repository: delivery time of outbox rows, the local SSCC pool, pulled
    // master data bookkeeping.
    r"
ALTER TABLE outbox ADD COLUMN sent_ms INTEGER;
CREATE TABLE sscc_pool (
    sscc         TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    allocated_ms INTEGER NOT NULL,
    used_ms      INTEGER
) WITHOUT ROWID;
CREATE INDEX sscc_pool_free ON sscc_pool(used_ms, sscc) WHERE used_ms IS NULL;
",
    // 4: one SSCC store (issue 7). Serial ranges pulled from the repository's pool become
    // `sscc_ranges` rows (source 'pool', `origin` = the pool's name) and are allocated by the
    // same allocator as local ranges. Free SSCCs of the old per-SSCC pool become ranges
    // (consecutive runs; the 16 digits after the extension digit are split 7 + 9, which makes
    // the same SSCCs); SSCCs it already handed out become void labels so they are never
    // handed out again.
    r"
ALTER TABLE sscc_ranges ADD COLUMN origin TEXT;
CREATE INDEX sscc_ranges_open ON sscc_ranges(id) WHERE next_serial <= last_serial;
INSERT INTO sscc_ranges
    (company_prefix, extension_digit, first_serial, last_serial, next_serial, source, created_ms, origin)
SELECT prefix, ext, min(serial), max(serial), min(serial), 'pool', min(allocated_ms), source
FROM (
    SELECT substr(sscc, 2, 7) AS prefix,
           CAST(substr(sscc, 1, 1) AS INTEGER) AS ext,
           CAST(substr(sscc, 9, 9) AS INTEGER) AS serial,
           allocated_ms,
           source,
           CAST(substr(sscc, 9, 9) AS INTEGER)
             - row_number() OVER (PARTITION BY substr(sscc, 1, 8), source ORDER BY sscc) AS run
    FROM sscc_pool
    WHERE used_ms IS NULL AND length(sscc) = 18
)
GROUP BY prefix, ext, source, run
ORDER BY min(allocated_ms), prefix, ext, min(serial);
INSERT OR IGNORE INTO labels (sscc, level, state, username, allocated_ms)
SELECT sscc, 'case', 'void', 'migration', used_ms FROM sscc_pool WHERE used_ms IS NOT NULL;
DROP TABLE sscc_pool;
",
    // 5: hierarchies taken in from the site repository or an EPCIS file (issue 13). A unit
    // with an `adoptions` row came from elsewhere (`origin` 'repository' or 'file'; units
    // without one were made here); `known_events` holds the IDs of every event the station
    // adopted from, so that an event the repository has and the station does not know is
    // a change made elsewhere (the stale check).
    r"
CREATE TABLE adoptions (
    unit_id       INTEGER PRIMARY KEY REFERENCES units(id),
    origin        TEXT NOT NULL,
    source        TEXT NOT NULL,
    adopted_ms    INTEGER NOT NULL,
    refreshed_ms  INTEGER NOT NULL,
    last_event_ms INTEGER,
    event_ids     TEXT NOT NULL
);
CREATE TABLE known_events (
    event_id TEXT PRIMARY KEY
) WITHOUT ROWID;
",
    // 6: what each stored event is for (issue 13). `role` is 'event' (a command's own event),
    // 'correction' (an undone event re-sent with an errorDeclaration) or 'compensation' (the
    // event an undo writes to reverse one: a DELETE for an ADD, ...). The sync worker sends
    // each repository the roles it understands (docs/sync.md, Corrections). Outbox rows gain
    // two states without a schema change: 'sending' (claimed by the sync worker for one push)
    // and 'withdrawn' (undone before it left: never sent).
    r"
ALTER TABLE events ADD COLUMN role TEXT NOT NULL DEFAULT 'event';
UPDATE events SET role = 'correction' WHERE correction = 1;
",
    // 7: a row recorded while the repository could not be asked whether another bench had
    // changed the hierarchy (the amber UNVERIFIED_OFFLINE): the sync worker asks before it
    // sends it, and parks it when the hierarchy was changed elsewhere meanwhile (issue 13).
    r"
ALTER TABLE outbox ADD COLUMN unverified INTEGER NOT NULL DEFAULT 0;
",
    // 8: the bench never guesses (issue 14). `current_containers` is what the bench is filling,
    // per work order and level, so a restart continues with exactly the containers the packer
    // chose (no "most recent open container" guess); `suspensions` records a container put
    // aside partly filled (who, when, why, its contents then) so that resuming it checks that
    // nothing changed meanwhile; `auto_open_next` is the work order's "open the next container
    // automatically" option (off by default).
    r"
CREATE TABLE current_containers (
    work_order TEXT NOT NULL,
    level      TEXT NOT NULL,
    unit_id    INTEGER NOT NULL,
    PRIMARY KEY (work_order, level)
) WITHOUT ROWID;
CREATE TABLE suspensions (
    unit_id      INTEGER PRIMARY KEY,
    work_order   TEXT,
    suspended_ms INTEGER NOT NULL,
    username     TEXT NOT NULL,
    note         TEXT,
    child_count  INTEGER NOT NULL,
    contents     TEXT NOT NULL
);
ALTER TABLE work_orders ADD COLUMN auto_open_next INTEGER NOT NULL DEFAULT 0;
",
    // 9: the count (AI 37) the label printed last states (issue 14), NULL when it carried no
    // content (a pallet, a bare SSCC) or was printed before this column: closing a container
    // whose label states another count than it holds prints the label again (or says that it
    // must be), so a label never lies about its content.
    r"
ALTER TABLE labels ADD COLUMN printed_count INTEGER;
",
    // 10: hold / quarantine (issue 14 §2): a unit, a container (with everything in it) or a whole
    // lot (GTIN + lot, including units not seen yet) put on hold by a supervisor or QA with a
    // reason and a signature, released by a QA signature. A unit is held while any active hold
    // (`released_ms` NULL) covers it, itself, an ancestor or its lot; rows are never deleted.
    // `units_by_lot` finds the known units of a held lot.
    r"
CREATE TABLE holds (
    id                   INTEGER PRIMARY KEY,
    scope                TEXT NOT NULL,
    unit_id              INTEGER REFERENCES units(id),
    unit_key             TEXT,
    gtin                 TEXT,
    lot                  TEXT,
    reason               TEXT NOT NULL,
    comment              TEXT,
    placed_by            TEXT NOT NULL,
    placed_ms            INTEGER NOT NULL,
    command_id           INTEGER NOT NULL REFERENCES commands(id),
    signature_id         INTEGER REFERENCES signatures(id),
    released_by          TEXT,
    released_ms          INTEGER,
    release_reason       TEXT,
    release_command_id   INTEGER REFERENCES commands(id),
    release_signature_id INTEGER REFERENCES signatures(id)
);
CREATE INDEX holds_active ON holds(id) WHERE released_ms IS NULL;
CREATE INDEX units_by_lot ON units(gtin, lot) WHERE lot IS NOT NULL;
",
    // 11 (issue 16): tamper evidence: what an audit record vouches for beyond its own fields (a
    // command's id, a digest of its changes, its events' hash IDs, its outbox row and
    // signature, as JSON), covered by the keyed chain so that `audit verify` can check the
    // state tables against it. Records written before have none.
    r"
ALTER TABLE audit ADD COLUMN evidence TEXT;
",
    // 12: work order close-out (issue 14 §2). `work_orders.closed_ms` / `closed_by` / `closeout`:
    // when the order was closed, by whom (the user logged in; the supervisor's signature is
    // the command's), and the reconciliation that was signed (JSON), the batch record's copy
    // that later rework cannot change. `units.handled_ms`: when a command of this station
    // first changed the unit, so the reconciliation tells a serial-list entry scanned here
    // (and left loose) from one never seen; filled for the serial-list entries already
    // handled from the commands' recorded changes. An index finds an order's units.
    r"
ALTER TABLE work_orders ADD COLUMN closed_ms INTEGER;
ALTER TABLE work_orders ADD COLUMN closed_by TEXT;
ALTER TABLE work_orders ADD COLUMN closeout TEXT;
ALTER TABLE units ADD COLUMN handled_ms INTEGER;
UPDATE units SET handled_ms = updated_ms
WHERE listed = 1 AND (
    parent_id IS NOT NULL OR status != 'active'
    OR id IN (SELECT CAST(json_extract(j.value, '$.id') AS INTEGER)
              FROM commands c, json_each(c.changes) j)
);
CREATE INDEX units_by_work_order ON units(work_order) WHERE work_order IS NOT NULL;
",
    // 13 (issue 18): saleable-returns checks. One row per returned pack checked at the returns
    // desk: what was read, the correlation UUID, the request sent to the verification service
    // and its answer as received, the local decision when no request was needed, and the hold
    // a failed verification placed. Queued and failed rows are found for a retry.
    r"
CREATE TABLE return_checks (
    id                     INTEGER PRIMARY KEY,
    corr_uuid              TEXT NOT NULL UNIQUE,
    unit_key               TEXT NOT NULL,
    gtin                   TEXT NOT NULL,
    serial                 TEXT NOT NULL,
    lot                    TEXT,
    expiry                 TEXT,
    unit_id                INTEGER REFERENCES units(id),
    returned_in            TEXT,
    username               TEXT NOT NULL,
    requested_ms           INTEGER NOT NULL,
    state                  TEXT NOT NULL,
    local_reason           TEXT,
    request_url            TEXT,
    attempts               INTEGER NOT NULL DEFAULT 0,
    last_error             TEXT,
    answered_ms            INTEGER,
    http_status            INTEGER,
    answer                 TEXT,
    verified               INTEGER,
    failure_reason         TEXT,
    responder_gln          TEXT,
    verification_timestamp TEXT,
    hold_id                INTEGER REFERENCES holds(id)
);
CREATE INDEX return_checks_retry ON return_checks(id) WHERE state IN ('queued', 'error');
",
    // 14 (issue 15, the supervisor view): refusals as evidence. One row per refused scan or
    // command (a red answer: refused or alert): when, who, in which mode, which command, the
    // reason code, the scanned text and the station's detail (both cut to a bounded length,
    // secrets of the command redacted), and who refused it (`station`, the `screen` before the
    // scan reached the station, or the `protocol` for a malformed line). The shift summary
    // counts them by reason over a time window (`refusals_by_time`) and counts the packs, cases
    // and pallets the commands of that window completed (`commands_by_time`).
    r"
CREATE TABLE refusals (
    id       INTEGER PRIMARY KEY,
    time_ms  INTEGER NOT NULL,
    username TEXT NOT NULL,
    mode     TEXT NOT NULL,
    command  TEXT NOT NULL,
    source   TEXT NOT NULL,
    code     TEXT NOT NULL,
    scan     TEXT,
    detail   TEXT
);
CREATE INDEX refusals_by_time ON refusals(time_ms);
CREATE INDEX commands_by_time ON commands(time_ms);
",
];

/// The schema version this build writes.
pub fn current_version() -> i32 {
    i32::try_from(MIGRATIONS.len()).unwrap_or(i32::MAX)
}
