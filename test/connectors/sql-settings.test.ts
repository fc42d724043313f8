import { describe, expect, it } from 'vitest'
import { resolveConnectionUrl } from '../../src/connectors/sql/resolve-connection-url.js'
import { sqlSettings } from '../../src/connectors/sql/sql-connector-attributes.js'
import { InputError } from '../../src/domain/errors.js'

const URL_REF = '${env:APP_DB_URL}'
const mapping = {
  accounts: { table: 'app.accounts', idColumn: 'uid', columns: { mail: 'mail' } },
  memberships: { table: 'app.memberships', accountColumn: 'uid', groupColumn: 'group_id' },
}

/** The InputError message for these connectorAttributes. */
function problem(attributes: Record<string, unknown>): string {
  try {
    sqlSettings('App DB', attributes)
  } catch (err) {
    expect(err).toBeInstanceOf(InputError)
    return (err as Error).message
  }
  throw new Error('expected the settings to be refused')
}

describe('SQL source settings', () => {
  it('takes a table mapping with defaults', () => {
    const s = sqlSettings('App DB', { url: URL_REF, ...mapping })
    expect(s).toMatchObject({ poolSize: 8, timeoutMs: 30_000, pageSize: 1000, groupsAttribute: 'groups' })
    expect(s.accounts?.table).toBe('app.accounts')
  })

  it.each([
    [{ table: 'accounts; DROP TABLE x' }, 'connectorAttributes.accounts.table: must be a table name'],
    [{ table: 'a.b.c' }, 'connectorAttributes.accounts.table: must be a table name'],
    [{ idColumn: 'uid"' }, 'connectorAttributes.accounts.idColumn: must be a column name'],
    [{ columns: { mail: 'e-mail' } }, 'connectorAttributes.accounts.columns.mail: must be a column name'],
    [{ disabledColumn: '1st' }, 'connectorAttributes.accounts.disabledColumn: must be a column name'],
    [
      { disabledColumn: 'disabled', enabledColumn: 'active' },
      'connectorAttributes.accounts.enabledColumn: give disabledColumn or enabledColumn, not both',
    ],
    [{ idcolumn: 'uid' }, 'connectorAttributes.accounts: Unrecognized key: "idcolumn"'],
  ])('refuses accounts %j, naming the field', (accounts, message) => {
    expect(problem({ url: URL_REF, ...mapping, accounts: { ...mapping.accounts, ...accounts } })).toContain(
      message,
    )
  })

  it('names the field of a bad membership or groups table', () => {
    expect(
      problem({ url: URL_REF, ...mapping, memberships: { ...mapping.memberships, groupColumn: 'group id' } }),
    ).toContain('connectorAttributes.memberships.groupColumn: must be a column name')
    expect(problem({ url: URL_REF, ...mapping, groups: { table: 'app.groups', idColumn: 'x.y' } })).toContain(
      'connectorAttributes.groups.idColumn: must be a column name',
    )
    expect(
      problem({ url: URL_REF, accounts: mapping.accounts, groups: { table: 'g', idColumn: 'id' } }),
    ).toContain('connectorAttributes.groups: needs memberships')
  })

  it('needs a table mapping or statements, not both', () => {
    expect(problem({ url: URL_REF })).toContain('connectorAttributes.accounts: required: a table mapping')
    expect(
      problem({ url: URL_REF, ...mapping, statements: { list: 'SELECT 1', read: 'SELECT 1' } }),
    ).toContain('connectorAttributes.statements: give a table mapping (accounts…) or statements, not both')
  })

  it('never takes a password as text, in the URL or beside it, and never repeats it', () => {
    const inUrl = problem({ url: 'postgres://app:s3cr3t@db.example.com/app', ...mapping })
    expect(inUrl).toContain('connectorAttributes.url: must not contain a password')
    expect(inUrl).not.toContain('s3cr3t')
    expect(problem({ url: 'postgres://db/app?password=s3cr3t', ...mapping })).not.toContain('s3cr3t')
    const beside = problem({ url: 'postgres://app@db/app', password: 's3cr3t', ...mapping })
    expect(beside).toContain('connectorAttributes.password: must be a reference such as ${env:NAME}')
    expect(beside).not.toContain('s3cr3t')
    expect(problem({ url: 'mysql://db/app', ...mapping })).toContain(
      'connectorAttributes.url: must be a postgres://',
    )
  })

  it('compiles statements, naming the statement and the entry of a list that is wrong', () => {
    const s = sqlSettings('App DB', {
      url: URL_REF,
      statements: {
        list: 'SELECT uid AS id FROM app.accounts',
        read: 'SELECT uid AS id FROM app.accounts WHERE uid = :id',
        delete: ['DELETE FROM app.memberships WHERE uid = :id', 'DELETE FROM app.accounts WHERE uid = :id'],
        set: { mail: 'UPDATE app.accounts SET mail = :value WHERE uid = :id' },
      },
    })
    expect(s.statements?.read.text).toBe('SELECT uid AS id FROM app.accounts WHERE uid = $1')
    expect(s.statements?.delete?.map((d) => d.parameters)).toEqual([['id'], ['id']])
    expect(s.statements?.set['mail']?.[0]?.parameters).toEqual(['value', 'id'])

    const statements = { list: 'SELECT 1 AS id', read: 'SELECT 1 AS id WHERE :id IS NOT NULL' }
    expect(
      problem({ url: URL_REF, statements: { ...statements, read: 'SELECT * FROM t WHERE uid = :uid' } }),
    ).toContain('connectorAttributes.statements.read: unknown parameter :uid (known: :id)')
    expect(
      problem({
        url: URL_REF,
        statements: { ...statements, delete: ['DELETE FROM m WHERE uid = :id', 'DELETE x; DROP y'] },
      }),
    ).toContain('connectorAttributes.statements.delete[1]: one statement per entry')
    expect(problem({ url: URL_REF, statements: { ...statements, list: 'DELETE FROM t' } })).toContain(
      'connectorAttributes.statements.list: must be a query (SELECT …)',
    )
    expect(
      problem({
        url: URL_REF,
        statements: { ...statements, addMember: 'INSERT INTO m VALUES (:id, :group)' },
      }),
    ).toContain('connectorAttributes.statements.addMember: unknown parameter :group (known: :id, :value)')
    expect(problem({ url: URL_REF, statements: { list: 'SELECT 1 AS id' } })).toContain(
      'connectorAttributes.statements.read:',
    )
  })
})

describe('the connection URL', () => {
  it('resolves the URL and the password from their references', () => {
    const url = resolveConnectionUrl(
      { url: 'postgres://app@db.example.com:5433/app?sslmode=require', password: '${env:APP_DB_PASSWORD}' },
      { APP_DB_PASSWORD: 'p@ss word&more' },
    )
    const parsed = new URL(url)
    expect(parsed.searchParams.get('password')).toBe('p@ss word&more')
    expect(parsed.searchParams.get('sslmode')).toBe('require')
    expect(parsed.host).toBe('db.example.com:5433')
    expect(resolveConnectionUrl({ url: URL_REF }, { APP_DB_URL: 'postgres://app:pw@db/app' })).toBe(
      'postgres://app:pw@db/app',
    )
  })

  it('says which reference is unset or wrong without showing its value', () => {
    expect(() => resolveConnectionUrl({ url: URL_REF }, {})).toThrow(
      'environment variable APP_DB_URL is not set',
    )
    const wrong = (): string =>
      resolveConnectionUrl({ url: URL_REF }, { APP_DB_URL: 'mysql://u:hunter2@db/x' })
    expect(wrong).toThrow('connectorAttributes.url: ${env:APP_DB_URL} is not a postgres:// URL')
    expect(wrong).not.toThrow(/hunter2/)
  })
})
