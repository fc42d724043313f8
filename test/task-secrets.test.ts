import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { newSecretKey, formatSecretKey } from '../src/domain/secrets/sealed-secrets.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { completeTask, rejectTask, revealTaskSecrets, rotateTaskSecrets } from '../src/engine/manual-tasks.js'
import { SECRETS_KEY_ENV, SECRETS_KEY_FILE } from '../src/engine/secrets/secrets-key-ring.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import type { Store } from '../src/store/open-store.js'
import { listWorkItems } from '../src/store/work-items.js'
import { databases } from './support/databases.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'

const NO_ENV = {}

describe.each(databases)('secrets of manual tasks on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  /** The demo with a secret PIN in the badge system's Create Account profile, executed: tasks with secrets. */
  async function setup(env: Record<string, string> = NO_ENV) {
    const ws = await demoWorkspace()
    const file = join(ws.dir, 'sources/badge-system.yaml')
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '# A badge shows',
        `      - name: pin
        type: secret
        transform: { type: rule, attributes: { name: Create Password } }
        attributes: { length: 12, minSpecial: 1 }
# A badge shows`,
      ),
    )
    // Four people lose their badge: four badges to issue by hand, each with a PIN.
    const badges = join(ws.dir, 'data/badges.csv')
    const lines = readFileSync(badges, 'utf8').split('\n')
    writeFileSync(badges, [lines[0], ...lines.slice(5)].join('\n'))
    const config = await loadWorkspace(ws.dir)
    store = await database.open()
    const ctx: EngineContext = {
      config,
      db: store.db,
      connectors: builtInConnectors(),
      now: () => new Date(),
    }
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, 'Badge System')
    await applyPlan(ctx)
    const saved = process.env[SECRETS_KEY_ENV]
    if (env[SECRETS_KEY_ENV] !== undefined) process.env[SECRETS_KEY_ENV] = env[SECRETS_KEY_ENV]
    else delete process.env[SECRETS_KEY_ENV]
    try {
      await executeDue(ctx, { sources: ['Badge System'] })
    } finally {
      if (saved === undefined) delete process.env[SECRETS_KEY_ENV]
      else process.env[SECRETS_KEY_ENV] = saved
    }
    const withSecrets = (await listWorkItems(store.db)).filter((t) => t.secrets !== null)
    expect(withSecrets.length).toBeGreaterThan(0)
    const rawRows = async () =>
      (await store?.db.query<{ id: string; secrets: string | null }>(
        'SELECT id, secrets::text AS secrets FROM work_items ORDER BY id',
      )) ?? []
    return { ...ws, ctx, store, tasks: withSecrets, rawRows }
  }

  it('keeps them encrypted in the database, with a key file of mode 600 outside it', async () => {
    const { ctx, dir, tasks, rawRows } = await setup()
    const task = tasks[0]
    const pin = revealTaskSecrets(ctx, task!, NO_ENV)?.['pin']
    expect(pin).toMatch(/^.{12}$/)
    const raw = (await rawRows()).find((r) => r.id === task?.id)?.secrets as string
    expect(raw).not.toContain(pin)
    expect(JSON.parse(raw)).toMatchObject({ alg: 'A256GCM', kid: expect.stringMatching(/^[0-9a-f]{16}$/) })
    expect(Object.keys(JSON.parse(raw) as object).sort()).toEqual(['alg', 'ct', 'iv', 'kid', 'tag'])
    expect(statSync(join(dir, SECRETS_KEY_FILE)).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(dir, 'secrets/.gitignore'), 'utf8')).toBe('*\n')
    // Sealed for one task: copied onto another, they do not open.
    const other = tasks[1]!
    expect(() => revealTaskSecrets(ctx, { ...other, secrets: task!.secrets }, NO_ENV)).toThrow(
      /do not decrypt with key [0-9a-f]{16}: they were altered or moved/,
    )
    // Closed (completed or rejected), a task keeps no secret.
    const [, done, rejected] = tasks
    await completeTask(ctx, done!.id)
    await rejectTask(ctx, rejected!.id, 'no')
    const after = await rawRows()
    expect(after.find((r) => r.id === done?.id)?.secrets).toBeNull()
    expect(after.find((r) => r.id === rejected?.id)?.secrets).toBeNull()
    expect(after.find((r) => r.id === task?.id)?.secrets).not.toBeNull()
    const closed = (await listWorkItems(ctx.db, { id: done!.id, state: 'all' }))[0]
    expect(revealTaskSecrets(ctx, closed!, NO_ENV)).toBeNull()
  })

  it('rotates the key: sealed again with a new one, the old one removed, the values unchanged', async () => {
    const { ctx, dir, tasks, rawRows } = await setup()
    const before = tasks.map((t) => revealTaskSecrets(ctx, t, NO_ENV))
    const oldKid = (
      JSON.parse((await rawRows()).find((r) => r.secrets)?.secrets as string) as { kid: string }
    ).kid
    const oldFile = readFileSync(join(dir, SECRETS_KEY_FILE), 'utf8')
    const r = await rotateTaskSecrets(ctx, NO_ENV)
    expect(r).toMatchObject({ resealed: tasks.length, keysRemoved: 1, newKey: true })
    expect(r.keyId).not.toBe(oldKid)
    const kids = (await rawRows()).flatMap((row) =>
      row.secrets ? [(JSON.parse(row.secrets) as { kid: string }).kid] : [],
    )
    expect(new Set(kids)).toEqual(new Set([r.keyId]))
    const after = await listWorkItems(ctx.db)
    expect(after.filter((t) => t.secrets).map((t) => revealTaskSecrets(ctx, t, NO_ENV))).toEqual(before)
    const newFile = readFileSync(join(dir, SECRETS_KEY_FILE), 'utf8')
    const keyLines = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))
    expect(keyLines(newFile)).toHaveLength(1)
    expect(keyLines(oldFile).some((k) => newFile.includes(k))).toBe(false)
    expect(statSync(join(dir, SECRETS_KEY_FILE)).mode & 0o777).toBe(0o600)
    // A key file others can read is refused, like ssh refuses such a private key.
    chmodSync(join(dir, SECRETS_KEY_FILE), 0o644)
    expect(() => revealTaskSecrets(ctx, tasks[0]!, NO_ENV)).toThrow(/can be read by others \(mode 644\)/)
  })

  it('takes its key from PROVISIO_SECRETS_KEY, and rotates to the first of its keys', async () => {
    const first = formatSecretKey(newSecretKey())
    const { ctx, dir, tasks } = await setup({ [SECRETS_KEY_ENV]: first })
    expect(() => statSync(join(dir, SECRETS_KEY_FILE))).toThrow(/ENOENT/)
    const env = { [SECRETS_KEY_ENV]: first }
    const values = revealTaskSecrets(ctx, tasks[0]!, env)
    expect(values?.['pin']).toMatch(/^.{12}$/)
    // Without the key the secrets cannot be read, and the error says which key is missing and where to put it.
    expect(() => revealTaskSecrets(ctx, tasks[0]!, NO_ENV)).toThrow(
      new RegExp(`encrypted with key [0-9a-f]{16}, which is not among the keys \\(${SECRETS_KEY_ENV}, `),
    )
    const second = formatSecretKey(newSecretKey())
    const rotated = await rotateTaskSecrets(ctx, { [SECRETS_KEY_ENV]: `${second},${first}` })
    expect(rotated).toMatchObject({ resealed: tasks.length, newKey: false })
    const reread = (await listWorkItems(ctx.db, { id: tasks[0]!.id }))[0]!
    expect(revealTaskSecrets(ctx, reread, { [SECRETS_KEY_ENV]: second })).toEqual(values)
    expect(() => revealTaskSecrets(ctx, reread, { [SECRETS_KEY_ENV]: 'short' })).toThrow(
      /PROVISIO_SECRETS_KEY \(key 1\): not a secrets key/,
    )
  })
})
