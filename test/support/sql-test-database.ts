import pg from 'pg'
import { createServerDatabase } from './databases.js'
import { startTcpProxy } from './tcp-proxy.js'

/** The test PostgreSQL server (CI sets it); tests of the SQL connector are skipped without one. */
export const sqlServerUrl = process.env['PROVISIO_TEST_DATABASE_URL']

/**
 * The system a SQL source provisions, in the tests: accounts with a disabled flag, groups, and the
 * memberships between them, in a schema of their own (so names are schema-qualified).
 */
export const APP_SCHEMA = `
CREATE SCHEMA app;
CREATE TABLE app.accounts (
  uid text PRIMARY KEY,
  mail text CHECK (mail IS NULL OR mail LIKE '%@%'),
  display_name text,
  employee_number text,
  disabled boolean NOT NULL DEFAULT false
);
CREATE TABLE app.groups (id text PRIMARY KEY, name text NOT NULL);
CREATE TABLE app.memberships (
  uid text NOT NULL REFERENCES app.accounts (uid),
  group_id text NOT NULL REFERENCES app.groups (id),
  PRIMARY KEY (uid, group_id)
);
INSERT INTO app.groups VALUES ('staff', 'Staff'), ('admins', 'Administrators');
`

/** A table mapping of APP_SCHEMA. */
export const APP_TABLE_MAPPING = {
  accounts: {
    table: 'app.accounts',
    idColumn: 'uid',
    columns: { uid: 'uid', mail: 'mail', displayName: 'display_name', employeeNumber: 'employee_number' },
    disabledColumn: 'disabled',
  },
  memberships: { table: 'app.memberships', accountColumn: 'uid', groupColumn: 'group_id' },
  groups: { table: 'app.groups', idColumn: 'id', nameColumn: 'name' },
}

const ACCOUNT_QUERY = `SELECT a.uid, a.mail, a.display_name AS "displayName", a.employee_number AS "employeeNumber",
       a.disabled, ARRAY(SELECT m.group_id FROM app.memberships m WHERE m.uid = a.uid ORDER BY 1) AS groups
  FROM app.accounts a`

/** The same system described by statements. */
export const APP_STATEMENTS = {
  statements: {
    idColumn: 'uid',
    list: ACCOUNT_QUERY,
    read: `${ACCOUNT_QUERY} WHERE a.uid = :id`,
    create: `INSERT INTO app.accounts (uid, mail, display_name, employee_number)
             VALUES (:id, :attributes.mail, :attributes.displayName, :attributes.employeeNumber)`,
    update: `UPDATE app.accounts SET mail = :attributes.mail, display_name = :attributes.displayName,
             employee_number = :attributes.employeeNumber WHERE uid = :id`,
    delete: ['DELETE FROM app.memberships WHERE uid = :id', 'DELETE FROM app.accounts WHERE uid = :id'],
    enable: 'UPDATE app.accounts SET disabled = false WHERE uid = :id',
    disable: 'UPDATE app.accounts SET disabled = true WHERE uid = :id',
    addMember: 'INSERT INTO app.memberships (uid, group_id) VALUES (:id, :value) ON CONFLICT DO NOTHING',
    removeMember: 'DELETE FROM app.memberships WHERE uid = :id AND group_id = :value',
    listGroups: 'SELECT id, name FROM app.groups',
  },
}

export interface SqlTestDatabase {
  /** The database, through a relay that `stop()` cuts: give this one to the connector. */
  readonly url: string
  /** Runs SQL directly (not through the relay), to prepare or check the system. */
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>
  /** Makes the database unreachable through `url`: open connections die, new ones are refused. */
  stop(): Promise<void>
  /** Stops the relay and drops the database. */
  cleanup(): Promise<void>
}

/** A fresh database on the test server, set up with `schema`, behind a relay the test can cut. */
export async function startSqlTestDatabase(schema = APP_SCHEMA): Promise<SqlTestDatabase> {
  const direct = await createServerDatabase()
  const admin = new pg.Client({ connectionString: direct })
  await admin.connect()
  await admin.query(schema)
  const server = new URL(direct)
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) })
  const relayed = new URL(direct)
  relayed.hostname = '127.0.0.1'
  relayed.port = String(proxy.port)
  return {
    url: relayed.toString(),
    query: (text, values) => admin.query(text, values),
    stop: proxy.stop,
    async cleanup() {
      await proxy.stop()
      await admin.end()
      const maintenance = new pg.Client({ connectionString: sqlServerUrl })
      await maintenance.connect()
      try {
        await maintenance.query(`DROP DATABASE IF EXISTS "${server.pathname.slice(1)}" WITH (FORCE)`)
      } finally {
        await maintenance.end()
      }
    },
  }
}
