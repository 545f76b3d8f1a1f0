import type { Kysely, Migration } from 'kysely';
import type { StoreKind } from './schema.js';

/** Column types that differ per dialect; everything else is portable SQL. */
interface ColumnTypes {
  timestamp: 'text' | 'timestamptz';
  json: 'text' | 'jsonb';
}

function columnTypes(kind: StoreKind): ColumnTypes {
  return kind === 'sqlite' ? { timestamp: 'text', json: 'text' } : { timestamp: 'timestamptz', json: 'jsonb' };
}

// Migrations use Kysely<unknown> on purpose: they must keep working after the Database type moves on.
function initial(kind: StoreKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('services', t.json, (c) => c.notNull())
        .addColumn('sources', t.json, (c) => c.notNull())
        .addColumn('alert_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('triage_report', t.json)
        .addColumn('decision', t.json)
        .addColumn('reopened_from', 'text', (c) => c.references('incidents.id'))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('resolved_at', t.timestamp)
        .execute();
      await db.schema.createIndex('incidents_key_status').on('incidents').columns(['key', 'status']).execute();
      await db.schema.createIndex('incidents_updated_at').on('incidents').column('updated_at').execute();

      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('service', 'text')
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('received_at', t.timestamp, (c) => c.notNull())
        .addColumn('payload', t.json)
        .addUniqueConstraint('alerts_source_delivery_id', ['source', 'delivery_id'])
        .execute();
      await db.schema.createIndex('alerts_incident_received').on('alerts').columns(['incident_id', 'received_at']).execute();
      await db.schema.createIndex('alerts_received_at').on('alerts').column('received_at').execute();

      await db.schema
        .createTable('handled_events')
        .addColumn('consumer', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('handled_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('handled_events_pk', ['consumer', 'event_id'])
        .execute();

      await db.schema
        .createTable('fix_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('strategy', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('repository', 'text')
        .addColumn('branch', 'text')
        .addColumn('candidate', t.json)
        .addColumn('usage', t.json)
        .addColumn('error', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('fix_attempts_incident').on('fix_attempts').columns(['incident_id', 'created_at']).execute();

      // The (incident_id, repository) unique index also serves listPullRequests(incidentId).
      await db.schema
        .createTable('pull_requests')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('attempt_id', 'text', (c) => c.notNull().references('fix_attempts.id'))
        .addColumn('repository', 'text', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('pull_requests_pk', ['repository', 'number'])
        .addUniqueConstraint('pull_requests_incident_repository', ['incident_id', 'repository'])
        .execute();

      await db.schema
        .createTable('verification_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('attempt_id', 'text', (c) => c.notNull().references('fix_attempts.id'))
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('report', t.json)
        .addColumn('started_at', t.timestamp, (c) => c.notNull())
        .addColumn('finished_at', t.timestamp)
        .execute();
      await db.schema.createIndex('verification_runs_incident').on('verification_runs').columns(['incident_id', 'started_at']).execute();

      // No foreign key on incident_id: an audit entry must never be refused.
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', kind === 'sqlite' ? 'integer' : 'bigint', (c) =>
          kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity(),
        )
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('incident_id', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('detail', t.json)
        .execute();
      await db.schema.createIndex('audit_log_incident').on('audit_log').columns(['incident_id', 'seq']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['audit_log', 'verification_runs', 'pull_requests', 'fix_attempts', 'handled_events', 'alerts', 'incidents']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}

function deliveries(kind: StoreKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('deliveries')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('received_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('deliveries_pk', ['source', 'delivery_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('deliveries').execute();
    },
  };
}

function incidentKeys(kind: StoreKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('incident_keys')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
        .addColumn('added_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_keys_pk', ['key', 'incident_id'])
        .execute();
      await db.schema.createIndex('incident_keys_incident').on('incident_keys').column('incident_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('incident_keys').execute();
    },
  };
}

function controls(kind: StoreKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('controls')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', t.json)
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('controls').execute();
    },
  };
}

/**
 * The outbox of a handled event: the events its handler emitted, stored in the same transaction as
 * the mark and cleared once published. Plain text on both dialects, not jsonb: it is only ever read
 * back whole, and text keeps every event exactly as the handler emitted it (jsonb would refuse a
 * \u0000 in a log line and reorder keys).
 */
function handledPending(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('handled_events').addColumn('pending', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('handled_events').dropColumn('pending').execute();
    },
  };
}

/**
 * The store's schema history, in code rather than files on disk (tsc does not copy non-TS files into
 * dist/). Names sort in the order they apply; never edit a released migration, add the next one.
 */
export function createMigrations(kind: StoreKind): Record<string, Migration> {
  return {
    '0001_initial': initial(kind),
    '0002_deliveries': deliveries(kind),
    '0003_incident_keys': incidentKeys(kind),
    '0004_controls': controls(kind),
    '0005_handled_pending': handledPending(),
  };
}
