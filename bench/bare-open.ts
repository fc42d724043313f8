import { PGlite } from '@electric-sql/pglite'

/**
 * The floor of the `cli` benchmark: a process that only opens the embedded database in the folder given,
 * runs `select 1`, and closes it. Whatever a CLI command takes beyond this is the project's own.
 *
 * PGlite writes its `postgresqlconf` option into the folder's postgresql.conf, so an open without it
 * inherits the shared buffers of whichever process opened the folder last. This one always says its own:
 * SHARED_BUFFERS when given (to open as the brief commands do), else none — PGlite's default (128MB).
 */
const [dataDir, sharedBuffers] = process.argv.slice(2)
if (dataDir === undefined) throw new Error('usage: node bare-open.js DATA_DIR [SHARED_BUFFERS]')
const pglite = await PGlite.create(dataDir, {
  postgresqlconf: sharedBuffers === undefined ? '# PGlite defaults' : `shared_buffers = ${sharedBuffers}`,
})
await pglite.query('select 1')
await pglite.close()
