/**
 * Tables of tracking-plan enforcement (migrations `0004_plan_enforcement` on SQLite and
 * `0006_plan_enforcement` on PostgreSQL), written by the store step in the transaction that
 * stores the batch. `{{id}}` is the auto-increment primary key and `{{int}}` the 64-bit integer
 * type of the dialect. Times are epoch ms.
 */
export function planEnforcementSql(dialect: { id: string; int: string }): string {
  const { id, int } = dialect
  return `
      -- Events a gate step blocked: kept with their violations, out of events (so no later
      -- step sees them) until replayed or discarded. payload is the event as received.
      CREATE TABLE quarantined_events (
        id ${id},
        source_id text NOT NULL,
        message_id text NOT NULL,
        received_at ${int} NOT NULL,
        type text NOT NULL,
        name text,
        payload text NOT NULL,
        violations text NOT NULL, -- JSON array of {type, field, description}
        step text NOT NULL, -- the gate step that blocked it ('plan')
        plan_id text,
        plan_revision ${int},
        status text NOT NULL DEFAULT 'quarantined'
          CHECK (status IN ('quarantined', 'replayed', 'discarded')),
        quarantined_at ${int} NOT NULL,
        updated_at ${int} NOT NULL
      );
      -- Not unique: a replayed event blocked again is a new row while its old row is still
      -- open (it is marked replayed once the append is durable), and a client retry of a
      -- blocked event is kept again (replaying both stores it once: dedupe by messageId).
      CREATE INDEX quarantined_events_message ON quarantined_events (message_id);
      CREATE INDEX quarantined_events_source ON quarantined_events (source_id, id);
      CREATE INDEX quarantined_events_status ON quarantined_events (status, id);

      -- Plan checks per source, minute (as ingest_stats.minute) and event.
      CREATE TABLE plan_stats (
        source_id text NOT NULL,
        minute ${int} NOT NULL,
        event_type text NOT NULL,
        event_name text NOT NULL, -- '' when the type has no name
        checked ${int} NOT NULL DEFAULT 0,
        passed ${int} NOT NULL DEFAULT 0,
        violated ${int} NOT NULL DEFAULT 0,
        blocked ${int} NOT NULL DEFAULT 0,
        omitted ${int} NOT NULL DEFAULT 0,
        PRIMARY KEY (source_id, minute, event_type, event_name)
      );

      -- Violations grouped by source, event, field and type, per 10-minute bucket (windows of
      -- 1 h, 24 h and 7 d sum buckets), with the latest occurrence.
      CREATE TABLE plan_violations (
        source_id text NOT NULL,
        bucket ${int} NOT NULL,
        event_type text NOT NULL,
        event_name text NOT NULL,
        field text NOT NULL,
        violation_type text NOT NULL,
        count ${int} NOT NULL,
        first_seen ${int} NOT NULL,
        last_seen ${int} NOT NULL,
        last_message_id text NOT NULL,
        last_description text NOT NULL,
        PRIMARY KEY (source_id, bucket, event_type, event_name, field, violation_type)
      );

      -- Violation Generated events waiting for the main thread to append them to the log.
      CREATE TABLE violation_outbox (
        id ${id},
        source_id text NOT NULL,
        message_id text NOT NULL,
        payload text NOT NULL
      );
  `
}
