/** The SQLite schema (one statement list, applied idempotently at start). */
export const sqliteSchema = [
  `CREATE TABLE IF NOT EXISTS organisations (
    id TEXT PRIMARY KEY,
    country TEXT,
    name TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    senders TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    label TEXT
  )`,
  // The sequence of console-visible events: AUTOINCREMENT never reuses a number, even after
  // the newest rows are deleted, so consoles never see a sequence go backwards.
  `CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    at TEXT NOT NULL,
    state TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    sender TEXT NOT NULL,
    identifier TEXT NOT NULL,
    sent TEXT NOT NULL,
    sent_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    msg_type TEXT NOT NULL,
    scope TEXT NOT NULL,
    addresses TEXT NOT NULL,
    state TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    expires_ms INTEGER,
    event TEXT NOT NULL,
    -- lower-cased in JavaScript: SQLite's NOCASE folds ASCII only, and events are often Cyrillic.
    event_key TEXT NOT NULL,
    severity TEXT NOT NULL,
    urgency TEXT NOT NULL,
    certainty TEXT NOT NULL,
    headline TEXT,
    countries TEXT NOT NULL,
    bbox TEXT,
    warnings TEXT NOT NULL,
    refs TEXT NOT NULL,
    alert TEXT NOT NULL,
    areas TEXT NOT NULL,
    raw BLOB NOT NULL,
    UNIQUE (sender, identifier, sent)
  )`,
  `CREATE INDEX IF NOT EXISTS alerts_state_expires ON alerts (state, expires_ms)`,
  `CREATE INDEX IF NOT EXISTS alerts_thread ON alerts (thread_id)`,
  `CREATE INDEX IF NOT EXISTS alerts_seq ON alerts (seq)`,
  `CREATE TABLE IF NOT EXISTS parked_refs (
    ref_key TEXT NOT NULL,
    ref TEXT NOT NULL,
    action TEXT NOT NULL,
    by_alert_id TEXT NOT NULL,
    by_sender TEXT NOT NULL,
    by_thread_id TEXT NOT NULL,
    PRIMARY KEY (ref_key, by_alert_id)
  )`,
  `CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    alert_id TEXT NOT NULL,
    at TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    cause TEXT NOT NULL,
    by_alert_id TEXT
  )`,
  `CREATE INDEX IF NOT EXISTS audit_alert ON audit (alert_id, seq)`,
  `CREATE TABLE IF NOT EXISTS quarantine (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    code TEXT NOT NULL,
    reasons TEXT NOT NULL,
    content_type TEXT,
    bytes INTEGER NOT NULL,
    raw BLOB NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS quarantine_org ON quarantine (org_id, received_at)`,
] as const;
