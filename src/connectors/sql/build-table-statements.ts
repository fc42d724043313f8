import { quoteIdentifier as q } from './quote-identifier.js'
import type { SqlAccountsTable, SqlGroupsTable, SqlMembershipsTable } from './sql-connector-attributes.js'

/** The result column holding an account's groups; no account column is expected to be named so. */
export const GROUPS_COLUMN = '__provisio_groups'

/** The table mapping's statements. Every name in them is validated and quoted; every value is a `$n`. */
export interface TableStatements {
  /** Every account with its groups (one query: memberships are aggregated, not read per account). */
  readonly list: string
  /** One account (`$1`: id) with its groups; `readForUpdate` also locks its row. */
  readonly read: string
  readonly readForUpdate: string
  /** Inserts `columns` (`$1…` in their order) and returns the row as `read` does, without groups. */
  insert(columns: readonly string[]): string
  /** Sets `columns` (`$2…`) of the account `$1`. */
  update(columns: readonly string[]): string
  /** Deletes the account `$1`. */
  readonly delete: string
  /** Memberships, by the account's key (`$1`) and the group (`$2`). */
  readonly membership?: {
    readonly add: string
    readonly remove: string
    readonly removeAll: string
  }
  /**
   * When there is a groups table: adds the account (`$1`, its key) to those of the groups `$2` (an array
   * of ids) that exist and it is not in yet, in one statement, and returns the ids (`id`) of the groups
   * that exist, so the caller can fail (and roll back) when one does not.
   */
  readonly addToExistingGroups?: string
  /** The entitlements: `id` and perhaps `name`. */
  readonly entitlements?: string
}

/** The statements for a table mapping; `columns` are the account columns to read (undefined: all). */
export function buildTableStatements(
  accounts: SqlAccountsTable,
  columns: readonly string[] | undefined,
  memberships?: SqlMembershipsTable,
  groups?: SqlGroupsTable,
): TableStatements {
  const A = q(accounts.table)
  const id = `a.${q(accounts.idColumn)}`
  const selected = columns === undefined ? 'a.*' : columns.map((c) => `a.${q(c)}`).join(', ')
  const returning = columns === undefined ? '*' : columns.map(q).join(', ')
  const common = {
    insert: (cols: readonly string[]) =>
      cols.length === 0
        ? `INSERT INTO ${A} DEFAULT VALUES RETURNING ${returning}`
        : `INSERT INTO ${A} (${cols.map(q).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${returning}`,
    update: (cols: readonly string[]) =>
      `UPDATE ${A} AS a SET ${cols.map((c, i) => `${q(c)} = $${i + 2}`).join(', ')} WHERE ${id} = $1`,
    delete: `DELETE FROM ${A} AS a WHERE ${id} = $1`,
  }
  if (memberships === undefined) {
    const read = `SELECT ${selected}, ARRAY[]::text[] AS "${GROUPS_COLUMN}" FROM ${A} AS a WHERE ${id} = $1`
    return {
      ...common,
      list: `SELECT ${selected}, ARRAY[]::text[] AS "${GROUPS_COLUMN}" FROM ${A} AS a`,
      read,
      readForUpdate: `${read} FOR UPDATE OF a`,
    }
  }
  const M = q(memberships.table)
  const account = q(memberships.accountColumn)
  const group = q(memberships.groupColumn)
  const key = `a.${q(memberships.accountKeyColumn ?? accounts.idColumn)}`
  const read =
    `SELECT ${selected}, ARRAY(SELECT m.${group}::text FROM ${M} AS m WHERE m.${account} = ${key}` +
    ` AND m.${group} IS NOT NULL ORDER BY 1) AS "${GROUPS_COLUMN}" FROM ${A} AS a WHERE ${id} = $1`
  return {
    ...common,
    // A join with the memberships grouped once reads every account's groups in a single pass, whatever
    // the indexes; a subquery per row would scan the memberships once per account without one.
    list:
      `SELECT ${selected}, COALESCE(g.groups, ARRAY[]::text[]) AS "${GROUPS_COLUMN}" FROM ${A} AS a` +
      ` LEFT JOIN (SELECT m.${account} AS account, array_agg(m.${group}::text ORDER BY m.${group}::text) AS groups` +
      ` FROM ${M} AS m WHERE m.${group} IS NOT NULL GROUP BY m.${account}) AS g ON g.account = ${key}`,
    read,
    readForUpdate: `${read} FOR UPDATE OF a`,
    membership: {
      // Adding a membership that exists changes nothing (the account row is locked, so no other call
      // adds it between the check and the insert).
      add:
        `INSERT INTO ${M} (${account}, ${group}) SELECT $1, $2 WHERE NOT EXISTS` +
        ` (SELECT 1 FROM ${M} AS m WHERE m.${account} = $1 AND m.${group} = $2)`,
      remove: `DELETE FROM ${M} AS m WHERE m.${account} = $1 AND m.${group} = $2`,
      removeAll: `DELETE FROM ${M} AS m WHERE m.${account} = $1`,
    },
    ...(groups === undefined
      ? { entitlements: `SELECT DISTINCT m.${group}::text AS id FROM ${M} AS m WHERE m.${group} IS NOT NULL` }
      : {
          addToExistingGroups:
            `WITH found AS (SELECT g.${q(groups.idColumn)} AS id FROM ${q(groups.table)} AS g` +
            ` WHERE g.${q(groups.idColumn)} = ANY($2)),` +
            ` added AS (INSERT INTO ${M} (${account}, ${group}) SELECT $1, f.id FROM found AS f WHERE NOT EXISTS` +
            ` (SELECT 1 FROM ${M} AS m WHERE m.${account} = $1 AND m.${group} = f.id))` +
            ` SELECT f.id::text AS id FROM found AS f`,
          entitlements:
            `SELECT g.${q(groups.idColumn)}::text AS id` +
            (groups.nameColumn === undefined ? '' : `, g.${q(groups.nameColumn)}::text AS name`) +
            ` FROM ${q(groups.table)} AS g`,
        }),
  }
}
