import { PGlite } from '@electric-sql/pglite'

/**
 * The floor of the `cli` benchmark: a process that only opens the embedded database in the folder given
 * (with PGlite's defaults), runs `select 1`, and closes it. Whatever a CLI command takes beyond this is
 * the project's own.
 */
const dataDir = process.argv[2]
if (dataDir === undefined) throw new Error('usage: node bare-open.js DATA_DIR')
const pglite = await PGlite.create(dataDir)
await pglite.query('select 1')
await pglite.close()
