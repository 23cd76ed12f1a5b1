import { INFOLESS_ACTIVE_MS } from '../lifecycle.ts';

/**
 * The columns of `alerts`, in order. The parsed alert, its areas and the bytes received
 * (kilobytes each) come last: SQLite stores a row's columns in order and puts what does not fit
 * a page on overflow pages, so a column after them costs a walk along those pages on every
 * read of a summary (2.4× the time per row, measured).
 */
const ALERT_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['id', 'TEXT PRIMARY KEY'],
  ['seq', 'INTEGER NOT NULL'],
  ['sender', 'TEXT NOT NULL'],
  ['identifier', 'TEXT NOT NULL'],
  ['sent', 'TEXT NOT NULL'],
  ['sent_ms', 'INTEGER NOT NULL'],
  ['status', 'TEXT NOT NULL'],
  ['msg_type', 'TEXT NOT NULL'],
  ['scope', 'TEXT NOT NULL'],
  ['addresses', 'TEXT NOT NULL'],
  ['state', 'TEXT NOT NULL'],
  ['thread_id', 'TEXT NOT NULL'],
  ['org_id', 'TEXT NOT NULL'],
  ['received_at', 'TEXT NOT NULL'],
  ['expires_ms', 'INTEGER'],
  ['event', 'TEXT NOT NULL'],
  // Lower-cased in JavaScript: SQLite's NOCASE folds ASCII only, and events are often Cyrillic.
  ['event_key', 'TEXT NOT NULL'],
  ['severity', 'TEXT NOT NULL'],
  ['urgency', 'TEXT NOT NULL'],
  ['certainty', 'TEXT NOT NULL'],
  ['headline', 'TEXT'],
  ['countries', 'TEXT NOT NULL'],
  ['bbox', 'TEXT'],
  ['warnings', 'TEXT NOT NULL'],
  ['refs', 'TEXT NOT NULL'],
  ['routing', 'TEXT'],
  // The signature verdict at ingest (JSON), null for alerts stored before it was recorded.
  ['signature', 'TEXT'],
  // Language editions (lifecycle.ts): sender and identifier without its language suffix, the
  // edition's language and the id of the warning's first edition; null otherwise.
  ['edition_key', 'TEXT'],
  ['language', 'TEXT'],
  ['edition_of', 'TEXT'],
  // 1 while a partner's alert awaits the hub's outcome for it (ports.ts awaitsHubOutcome).
  ['hub_pending', 'INTEGER NOT NULL DEFAULT 0'],
  ['alert', 'TEXT NOT NULL'],
  ['areas', 'TEXT NOT NULL'],
  ['raw', 'BLOB NOT NULL'],
];

/** The last columns of {@link ALERT_COLUMNS}: the kilobyte ones. */
const ALERT_LAST_COLUMNS = 'alert,areas,raw';

function alertsTable(name: string): string {
  const columns = ALERT_COLUMNS.map(([column, type]) => `    ${column} ${type}`).join(',\n');
  return `CREATE TABLE IF NOT EXISTS ${name} (\n${columns},\n    UNIQUE (sender, identifier, sent)\n  )`;
}

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
    label TEXT,
    stations TEXT
  )`,
  // The sequence of console-visible events: AUTOINCREMENT never reuses a number, even after
  // the newest rows are deleted, so consoles never see a sequence go backwards. `audience` is
  // "all" or a JSON array of organisation ids; `data` the JSON payload consoles receive.
  `CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    at TEXT NOT NULL,
    audience TEXT NOT NULL,
    channel TEXT NOT NULL,
    data TEXT NOT NULL
  )`,
  alertsTable('alerts'),
  `CREATE INDEX IF NOT EXISTS alerts_state_expires ON alerts (state, expires_ms)`,
  `CREATE INDEX IF NOT EXISTS alerts_thread ON alerts (thread_id)`,
  `CREATE INDEX IF NOT EXISTS alerts_seq ON alerts (seq)`,
  // Lists by state, newest first (feeds, the API): without it a list of the newest active
  // alerts read and sorted every active alert (a second for 40,000).
  `CREATE INDEX IF NOT EXISTS alerts_state_seq ON alerts (state, seq)`,
  `CREATE INDEX IF NOT EXISTS alerts_edition_key ON alerts (edition_key, org_id) WHERE edition_key IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS alerts_edition_of ON alerts (edition_of) WHERE edition_of IS NOT NULL`,
  `CREATE INDEX IF NOT EXISTS alerts_hub_pending ON alerts (seq) WHERE hub_pending = 1`,
  `CREATE TABLE IF NOT EXISTS parked_refs (
    ref_key TEXT NOT NULL,
    ref TEXT NOT NULL,
    action TEXT NOT NULL,
    by_alert_id TEXT NOT NULL,
    by_sender TEXT NOT NULL,
    -- The organisation that parked it (null for references parked by version 0.1).
    by_org_id TEXT,
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
  `CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    -- lower-cased in JavaScript (NOCASE folds ASCII only; names may be Cyrillic).
    name_key TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS acks (
    alert_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    user_id TEXT,
    key_id TEXT,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (alert_id, org_id)
  )`,
  `CREATE TABLE IF NOT EXISTS escalations (
    alert_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    level INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (alert_id, org_id, level)
  )`,
  // The level every recipient of an alert has reached or acknowledged (escalations.ts): apart
  // from the alert's row, so the minute's escalation run reads and writes a small row.
  `CREATE TABLE IF NOT EXISTS alert_escalation_levels (
    alert_id TEXT PRIMARY KEY,
    level INTEGER NOT NULL
  ) WITHOUT ROWID`,
] as const;

/**
 * Statements that bring a data directory written by an earlier version up to date, run before
 * {@link sqliteSchema} when `needed` says so. Version 0.1 kept `alert_id` and `state` in
 * `events`; its events are kept (sequence numbers never go back) but not replayed.
 */
export const sqliteMigrations = [
  {
    name: 'events with audience and payload',
    needed: (columns: ReadonlySet<string>) => columns.has('alert_id'),
    table: 'events',
    statements: [
      'ALTER TABLE events RENAME TO events_v1',
      `CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        at TEXT NOT NULL,
        audience TEXT NOT NULL,
        channel TEXT NOT NULL,
        data TEXT NOT NULL
      )`,
      `INSERT INTO events (seq, type, subject_id, at, audience, channel, data)
         SELECT seq, type, alert_id, at, '[]', 'none', json_object('state', state) FROM events_v1`,
      'DROP TABLE events_v1',
    ],
  },
  {
    name: 'alerts with their routing record',
    needed: (columns: ReadonlySet<string>) => columns.size > 0 && !columns.has('routing'),
    table: 'alerts',
    statements: ['ALTER TABLE alerts ADD COLUMN routing TEXT'],
  },
  {
    name: 'parked references with their organisation',
    needed: (columns: ReadonlySet<string>) => columns.size > 0 && !columns.has('by_org_id'),
    table: 'parked_refs',
    statements: ['ALTER TABLE parked_refs ADD COLUMN by_org_id TEXT'],
  },
  {
    name: 'alerts with their signature verdict',
    needed: (columns: ReadonlySet<string>) => columns.size > 0 && !columns.has('signature'),
    table: 'alerts',
    statements: ['ALTER TABLE alerts ADD COLUMN signature TEXT'],
  },
  {
    name: 'alerts with their language edition',
    needed: (columns: ReadonlySet<string>) => columns.size > 0 && !columns.has('edition_of'),
    table: 'alerts',
    statements: [
      'ALTER TABLE alerts ADD COLUMN edition_key TEXT',
      'ALTER TABLE alerts ADD COLUMN language TEXT',
      'ALTER TABLE alerts ADD COLUMN edition_of TEXT',
    ],
  },
  {
    // Active partner alerts whose routing record has no hub outcome yet await one.
    name: 'alerts awaiting their hub outcome',
    needed: (columns: ReadonlySet<string>) => columns.size > 0 && !columns.has('hub_pending'),
    table: 'alerts',
    statements: [
      'ALTER TABLE alerts ADD COLUMN hub_pending INTEGER NOT NULL DEFAULT 0',
      `UPDATE alerts SET hub_pending = 1
        WHERE state = 'active' AND routing IS NOT NULL AND json_type(routing, '$.hub') = 'null'
          AND org_id NOT IN (SELECT id FROM organisations WHERE country IS NULL)`,
    ],
  },
  {
    // Versions before messages without info expired stored them with no expiry: active for
    // ever. Run at every start (it only touches such rows, so a second run changes nothing);
    // the expiry job, also run at start-up, then expires those already due.
    name: 'messages without info expire a day after they were sent',
    needed: (columns: ReadonlySet<string>) => columns.size > 0,
    table: 'alerts',
    statements: [
      `UPDATE alerts SET expires_ms = sent_ms + ${String(INFOLESS_ACTIVE_MS)}
        WHERE state = 'active' AND expires_ms IS NULL AND json_array_length(alert, '$.info') = 0`,
    ],
  },
  {
    // Last of the alerts migrations: a column added above lands after the kilobyte columns.
    name: 'alerts with the kilobyte columns last',
    needed: (columns: ReadonlySet<string>) =>
      columns.size > 0 && [...columns].slice(-3).join(',') !== ALERT_LAST_COLUMNS,
    table: 'alerts',
    statements: [
      alertsTable('alerts_relaid'),
      `INSERT INTO alerts_relaid (${ALERT_COLUMNS.map(([c]) => c).join(', ')})
         SELECT ${ALERT_COLUMNS.map(([c]) => c).join(', ')} FROM alerts`,
      'DROP TABLE alerts',
      'ALTER TABLE alerts_relaid RENAME TO alerts',
    ],
  },
  {
    name: 'API keys with their station scope',
    needed: (columns: ReadonlySet<string>) => columns.size > 0 && !columns.has('stations'),
    table: 'api_keys',
    statements: ['ALTER TABLE api_keys ADD COLUMN stations TEXT'],
  },
] as const;
