import { describe } from 'vitest'
import { SqlConnector } from '../../src/connectors/sql/sql-connector.js'
import { sqlSettings } from '../../src/connectors/sql/sql-connector-attributes.js'
import {
  connectorContract,
  type ContractSubject,
} from '../../src/connectors/contract/connector-contract-suite.js'
import {
  APP_STATEMENTS,
  APP_TABLE_MAPPING,
  sqlServerUrl,
  startSqlTestDatabase,
} from '../support/sql-test-database.js'

/** A connector on a fresh database; the whole URL is a secret reference, as it would be in production. */
async function subject(description: Record<string, unknown>): Promise<ContractSubject> {
  const db = await startSqlTestDatabase()
  const settings = sqlSettings('SQL', { url: '${env:TEST_SQL_URL}', ...description })
  return {
    connector: new SqlConnector(settings, { TEST_SQL_URL: db.url }),
    stop: db.stop,
    cleanup: db.cleanup,
    groups: { attribute: 'groups', values: ['staff', 'admins'] },
  }
}

describe.runIf(sqlServerUrl)('SQL against a real PostgreSQL', () => {
  connectorContract('sql (table mapping)', () => subject(APP_TABLE_MAPPING))
  connectorContract('sql (statements)', () => subject(APP_STATEMENTS))
})
