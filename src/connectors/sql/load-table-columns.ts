import { ConnectorError } from '../../domain/errors.js'
import { quoteIdentifier } from './quote-identifier.js'
import type { SqlSession } from './sql-target.js'

/** A table's columns by name, each saying whether it holds an array. */
export type TableColumns = ReadonlyMap<string, { readonly isArray: boolean }>

/**
 * The columns of a table or view, from the catalog. The name is resolved as the statements resolve it
 * (quoted, through the search path). Throws a TERMINAL error when there is no such table.
 */
export async function loadTableColumns(
  session: SqlSession,
  table: string,
  field: string,
): Promise<TableColumns> {
  const { rows } = await session.query(
    `SELECT a.attname AS name, t.typcategory = 'A' AS is_array
       FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [quoteIdentifier(table)],
  )
  if (rows.length === 0) {
    throw new ConnectorError('TERMINAL', `${field}: table ${table} does not exist or is not visible`, {
      code: 'SCHEMA',
    })
  }
  return new Map(rows.map((r) => [String(r['name']), { isArray: r['is_array'] === true }]))
}

/** Throws a TERMINAL error naming the configuration field when `column` is not among `columns`. */
export function requireColumn(columns: TableColumns, table: string, column: string, field: string): void {
  if (!columns.has(column)) {
    throw new ConnectorError('TERMINAL', `${field}: table ${table} has no column ${column}`, {
      code: 'SCHEMA',
    })
  }
}
