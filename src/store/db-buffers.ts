import { InputError } from '../domain/errors.js'

/**
 * The embedded database's shared buffers when PROVISIO_DB_BUFFERS does not say: large, so that an
 * aggregation or a refresh of many identities keeps its tables and indexes in memory.
 */
export const DEFAULT_DB_BUFFERS = '512MB'

/**
 * Bounds in kB: PostgreSQL's least (16 pages of 8 kB), and 1 GB, since PGlite's WebAssembly memory ends at
 * 2 GB (it does not start with 2 GB of buffers) and the rest of the database needs some of it.
 */
const MIN_KB = 128
const MAX_KB = 1024 * 1024
const UNIT_KB = { kB: 1, MB: 1024, GB: 1024 * 1024 } as const

/**
 * The shared_buffers setting of the embedded database from PROVISIO_DB_BUFFERS: a size such as `16MB`,
 * `512MB`, `1GB` or `4096kB`, or the default when unset or empty. PGlite allocates and zeroes all of it at
 * every open (≈1 s of CPU for 512MB), which a brief read-only command does not need. Anything else is a
 * clear error rather than PostgreSQL's own failure to start.
 */
export function dbBuffers(value: string | undefined): string {
  const text = value?.trim() ?? ''
  if (text === '') return DEFAULT_DB_BUFFERS
  const m = /^(\d+)\s*(kB|MB|GB)$/.exec(text)
  const kb = m ? Number(m[1]) * UNIT_KB[m[2] as keyof typeof UNIT_KB] : NaN
  if (!m || !(kb >= MIN_KB && kb <= MAX_KB)) {
    throw new InputError(
      `PROVISIO_DB_BUFFERS must be a size from 128kB to 1GB, such as 16MB or 1GB (got "${value}")`,
    )
  }
  return `${m[1]}${m[2]}`
}
