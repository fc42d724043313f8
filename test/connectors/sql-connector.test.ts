import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectorAccount } from '../../src/connectors/connector.js'
import { SqlConnector } from '../../src/connectors/sql/sql-connector.js'
import { sqlSettings } from '../../src/connectors/sql/sql-connector-attributes.js'
import {
  APP_STATEMENTS,
  APP_TABLE_MAPPING,
  sqlServerUrl,
  startSqlTestDatabase,
  type SqlTestDatabase,
} from '../support/sql-test-database.js'
import { all, failure } from '../../src/connectors/contract/connector-contract-suite.js'

const STYLES = [
  ['table mapping', APP_TABLE_MAPPING],
  ['statements', APP_STATEMENTS],
] as const

describe.runIf(sqlServerUrl)('SQL connector against a real PostgreSQL', () => {
  // Run after each test, last first: connectors close before their database is dropped.
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  function connect(db: SqlTestDatabase, description: Record<string, unknown>): SqlConnector {
    const connector = new SqlConnector(sqlSettings('SQL', { url: '${env:TEST_SQL_URL}', ...description }), {
      TEST_SQL_URL: db.url,
    })
    cleanups.push(() => connector.close())
    return connector
  }

  async function open(
    description: Record<string, unknown>,
    schema?: string,
  ): Promise<{ c: SqlConnector; db: SqlTestDatabase }> {
    const db = await startSqlTestDatabase(schema)
    cleanups.push(db.cleanup)
    return { c: connect(db, description), db }
  }

  describe.each(STYLES)('%s', (_, description) => {
    it('stores a value that looks like SQL injection verbatim, as data', async () => {
      const { c, db } = await open(description)
      const uid = `o'brien"; DROP TABLE app.accounts; --`
      const mail = `x'); DELETE FROM app.accounts; --@example.com`
      await c.createAccount(uid, { uid, mail, groups: ['staff'] })
      await c.updateAccount(uid, [
        { op: 'Set', attribute: 'displayName', value: `Robert'); DROP TABLE app.groups;--` },
      ])
      const { rows } = await db.query('SELECT uid, mail, display_name FROM app.accounts')
      expect(rows).toEqual([{ uid, mail, display_name: `Robert'); DROP TABLE app.groups;--` }])
      expect((await c.readAccount(uid)).attributes['groups']).toEqual(['staff'])
      expect((await db.query('SELECT count(*)::int AS n FROM app.groups')).rows[0]).toEqual({ n: 2 })
    })

    it('rolls back every change of an update when one of them fails', async () => {
      const { c, db } = await open(description)
      await c.createAccount('jdoe', { uid: 'jdoe', mail: 'jdoe@example.com', groups: ['staff'] })
      // The mail fails the table's CHECK constraint after the group change was already made.
      const failed = await failure(
        c.updateAccount('jdoe', [
          { op: 'Add', attribute: 'groups', value: 'admins' },
          { op: 'Remove', attribute: 'groups', value: 'staff' },
          { op: 'Set', attribute: 'mail', value: 'not-an-address' },
        ]),
      )
      expect(failed).toMatchObject({ kind: 'TERMINAL', code: 'SQL_23514' })
      expect(failed.message).toContain('check constraint')
      const memberships = await db.query('SELECT uid, group_id FROM app.memberships')
      expect(memberships.rows).toEqual([{ uid: 'jdoe', group_id: 'staff' }])
      expect((await c.readAccount('jdoe')).attributes['mail']).toBe('jdoe@example.com')
    })

    it('lists thousands of accounts with their groups, page by page', async () => {
      const { c, db } = await open({ ...description, pageSize: 700 })
      await db.query(`INSERT INTO app.accounts (uid, mail)
        SELECT 'user' || i, 'user' || i || '@example.com' FROM generate_series(1, 5000) i`)
      await db.query(`INSERT INTO app.memberships (uid, group_id)
        SELECT 'user' || i, 'staff' FROM generate_series(1, 5000) i
        UNION ALL SELECT 'user' || i, 'admins' FROM generate_series(3, 5000, 3) i`)
      const accounts = await all(c.listAccounts())
      expect(accounts).toHaveLength(5000)
      expect(new Set(accounts.map((a) => a.nativeIdentity)).size).toBe(5000)
      const byId = new Map(accounts.map((a) => [a.nativeIdentity, a]))
      expect(byId.get('user1')?.attributes).toMatchObject({ mail: 'user1@example.com', groups: ['staff'] })
      expect(byId.get('user3')?.attributes['groups']).toEqual(['admins', 'staff'])
      const inAdmins = accounts.filter((a) => (a.attributes['groups'] as string[]).includes('admins'))
      expect(inAdmins).toHaveLength(1666)
      const entitlements = await all(c.listEntitlements())
      expect(entitlements.sort((a, b) => a.value.localeCompare(b.value))).toEqual([
        { attribute: 'groups', value: 'admins', displayName: 'Administrators' },
        { attribute: 'groups', value: 'staff', displayName: 'Staff' },
      ])
    })

    it('a connection that dies between calls is a retryable failure', async () => {
      const { c, db } = await open(description)
      await c.createAccount('jdoe', { uid: 'jdoe' })
      await db.stop()
      expect((await failure(c.readAccount('jdoe'))).kind).toBe('RETRYABLE')
    })
  })

  it('a session the server terminates (57P01) in the middle of a statement is retryable', async () => {
    // A read that waits, so there is a statement in progress to terminate.
    const { statements } = APP_STATEMENTS
    const { c, db } = await open({
      statements: { ...statements, read: `${statements.read} AND pg_sleep(60) IS NOT NULL` },
    })
    await db.query(`INSERT INTO app.accounts (uid) VALUES ('jdoe')`)
    const reading = failure(c.readAccount('jdoe'))
    for (;;) {
      const { rows } = await db.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'provisio' AND query LIKE '%pg_sleep%'`,
      )
      if (rows.some((r) => r['done'] === true)) break
      await sleep(20)
    }
    expect(await reading).toMatchObject({ kind: 'RETRYABLE', code: 'SQL_57P01' })
    // The dead session was closed, not put back: the next call gets a new one.
    expect((await failure(c.updateAccount('nobody', []))).kind).toBe('NOT_FOUND')
  })

  it('checks the mapping on test-connection, naming the field whose column is missing', async () => {
    const { c, db } = await open({
      ...APP_TABLE_MAPPING,
      accounts: { ...APP_TABLE_MAPPING.accounts, columns: { uid: 'uid', mail: 'email' } },
    })
    const failed = await failure(c.testConnection())
    expect(failed).toMatchObject({ kind: 'TERMINAL', code: 'SCHEMA' })
    expect(failed.message).toBe(
      'connectorAttributes.accounts.columns.mail: table app.accounts has no column email',
    )
    const roles = connect(db, { ...APP_TABLE_MAPPING, groups: { table: 'app.roles', idColumn: 'id' } })
    expect((await failure(roles.testConnection())).message).toBe(
      'connectorAttributes.groups.table: table app.roles does not exist or is not visible',
    )
  })

  it('checks the statements on test-connection without running them', async () => {
    const { c, db } = await open({
      statements: {
        ...APP_STATEMENTS.statements,
        disable: 'UPDATE app.acounts SET disabled = true WHERE uid = :id',
      },
    })
    const failed = await failure(c.testConnection())
    expect(failed).toMatchObject({ kind: 'TERMINAL', code: 'SCHEMA' })
    expect(failed.message).toBe(
      'connectorAttributes.statements.disable[0]: relation "app.acounts" does not exist',
    )
    // EXPLAIN planned the INSERT, UPDATE and DELETE statements: nothing was written.
    expect((await db.query('SELECT count(*)::int AS n FROM app.accounts')).rows[0]).toEqual({ n: 0 })
  })

  it('refuses an attribute it has nowhere to write, and a group that does not exist, writing nothing', async () => {
    const { c, db } = await open(APP_TABLE_MAPPING)
    const unmapped = await failure(c.createAccount('jdoe', { uid: 'jdoe', title: 'Engineer' }))
    expect(unmapped).toMatchObject({ kind: 'TERMINAL', code: 'SCHEMA' })
    expect(unmapped.message).toContain('attribute title has no column in table app.accounts')
    const noGroup = await failure(c.createAccount('jdoe', { uid: 'jdoe', groups: ['staff', 'wizards'] }))
    expect(noGroup).toMatchObject({ kind: 'TERMINAL', message: 'no such group in table app.groups: wizards' })
    expect((await db.query('SELECT count(*)::int AS n FROM app.accounts')).rows[0]).toEqual({ n: 0 })

    const noUpdate = connect(db, { statements: { ...APP_STATEMENTS.statements, update: undefined } })
    await noUpdate.createAccount('jdoe', { uid: 'jdoe' })
    const unwritten = await failure(
      noUpdate.updateAccount('jdoe', [{ op: 'Set', attribute: 'mail', value: 'a@b' }]),
    )
    expect(unwritten).toMatchObject({ kind: 'TERMINAL', code: 'SCHEMA' })
    expect(unwritten.message).toContain('no statement writes mail')
  })

  it("runs an attribute's own set statement after update, so it has the last word", async () => {
    const { statements } = APP_STATEMENTS
    const { c } = await open({
      statements: {
        ...statements,
        set: { mail: 'UPDATE app.accounts SET mail = lower(:value) WHERE uid = :id' },
      },
    })
    await c.createAccount('jdoe', { uid: 'jdoe', mail: 'jdoe@example.com' })
    const updated = await c.updateAccount('jdoe', [
      { op: 'Set', attribute: 'mail', value: 'Jane.Doe@Example.com' },
      { op: 'Set', attribute: 'displayName', value: 'Jane Doe' },
    ])
    expect(updated.attributes).toMatchObject({ mail: 'jane.doe@example.com', displayName: 'Jane Doe' })
  })

  it('maps every column when none are listed: a generated key, an enabled flag, array columns', async () => {
    const { c, db } = await open(
      {
        accounts: { table: 'people', idColumn: 'login', enabledColumn: 'active' },
        memberships: {
          table: 'people_roles',
          accountColumn: 'person_id',
          groupColumn: 'role',
          accountKeyColumn: 'id',
        },
      },
      `CREATE TABLE people (id serial PRIMARY KEY, login text UNIQUE NOT NULL, tags text[], active boolean,
         hired date);
       CREATE TABLE people_roles (person_id int REFERENCES people (id), role text);`,
    )
    const created = await c.createAccount('jdoe', {
      login: 'jdoe',
      tags: 'blue',
      hired: '2024-02-29',
      groups: ['dev'],
    })
    expect(created).toEqual<ConnectorAccount>({
      nativeIdentity: 'jdoe',
      attributes: { id: 1, login: 'jdoe', tags: ['blue'], hired: '2024-02-29', groups: ['dev'] },
      disabled: false,
    })
    const updated = await c.updateAccount('jdoe', [
      { op: 'Add', attribute: 'tags', value: ['green', 'blue'] },
      { op: 'Remove', attribute: 'tags', value: 'blue' },
      { op: 'Set', attribute: 'groups', value: ['ops', 'qa'] },
    ])
    expect(updated.attributes).toMatchObject({ tags: ['green'], groups: ['ops', 'qa'] })
    expect((await c.disableAccount('jdoe')).disabled).toBe(true)
    expect((await db.query('SELECT active FROM people')).rows).toEqual([{ active: false }])
    expect((await all(c.listEntitlements())).map((e) => e.value).sort()).toEqual(['ops', 'qa'])
    await c.deleteAccount('jdoe')
    expect((await db.query('SELECT count(*)::int AS n FROM people_roles')).rows[0]).toEqual({ n: 0 })
  })
})
