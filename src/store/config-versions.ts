import type { Db } from './db.js'

/** A published configuration version, without its objects. */
export interface ConfigVersionSummary {
  readonly number: number
  readonly hash: string
  readonly author: string
  readonly created: Date
  /** Objects per kind. */
  readonly counts: Readonly<Record<string, number>>
}

/** A published version with its objects (a ConfigSnapshot as JSON). */
export interface ConfigVersion extends ConfigVersionSummary {
  readonly objects: unknown
}

interface Row {
  number: number
  hash: string
  author: string
  created: Date | string
  counts: Record<string, number> | string
  objects?: unknown
}

const SUMMARY = 'number, hash, author, created, counts'

/**
 * Publishes a configuration unless the newest version already has this hash; returns the version it runs
 * as and whether it is new. Only the newest counts: going back to an earlier configuration is a new
 * version, so the newest version is always the one running. The table is locked for the check and the
 * insert, so processes starting together publish one version, numbered without gaps.
 */
export async function publishConfigVersion(
  db: Db,
  version: Omit<ConfigVersion, 'number'>,
): Promise<{ readonly number: number; readonly created: boolean }> {
  return db.transaction(async (tx) => {
    await tx.exec('LOCK TABLE config_versions IN EXCLUSIVE MODE')
    const newest = await tx.query<{ number: number; hash: string }>(
      'SELECT number, hash FROM config_versions ORDER BY number DESC LIMIT 1',
    )
    const last = newest[0]
    if (last && last.hash === version.hash) return { number: Number(last.number), created: false }
    const number = (last ? Number(last.number) : 0) + 1
    await tx.query(
      `INSERT INTO config_versions (number, hash, author, created, counts, objects)
       VALUES ($1, $2, $3, $4, $5::json, $6::json)`,
      [
        number,
        version.hash,
        version.author,
        version.created.toISOString(),
        JSON.stringify(version.counts),
        JSON.stringify(version.objects),
      ],
    )
    return { number, created: true }
  })
}

/** Every version, newest first. */
export async function listConfigVersions(db: Db): Promise<ConfigVersionSummary[]> {
  const rows = await db.query<Row>(`SELECT ${SUMMARY} FROM config_versions ORDER BY number DESC`)
  return rows.map(summary)
}

/** One version with its objects; undefined when there is none with that number. */
export async function getConfigVersion(db: Db, number: number): Promise<ConfigVersion | undefined> {
  const rows = await db.query<Row>(`SELECT ${SUMMARY}, objects FROM config_versions WHERE number = $1`, [
    number,
  ])
  return rows[0] ? full(rows[0]) : undefined
}

/** The newest version with its objects; undefined before anything is published. */
export async function newestConfigVersion(db: Db): Promise<ConfigVersion | undefined> {
  const rows = await db.query<Row>(
    `SELECT ${SUMMARY}, objects FROM config_versions ORDER BY number DESC LIMIT 1`,
  )
  return rows[0] ? full(rows[0]) : undefined
}

function summary(r: Row): ConfigVersionSummary {
  return {
    number: Number(r.number),
    hash: r.hash,
    author: r.author,
    created: new Date(r.created),
    counts: parsed(r.counts) as Record<string, number>,
  }
}

function full(r: Row): ConfigVersion {
  return { ...summary(r), objects: parsed(r.objects) }
}

/** `json` columns arrive parsed from a server and from the embedded database alike; text is parsed here. */
function parsed(v: unknown): unknown {
  return typeof v === 'string' ? (JSON.parse(v) as unknown) : v
}
