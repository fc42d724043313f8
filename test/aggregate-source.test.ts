import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryConnector } from '../src/connectors/memory/memory-connector.js'
import { journalHeader } from '../src/connectors/memory/memory-state-file.js'
import { ConflictError } from '../src/domain/errors.js'
import { aggregateSource } from '../src/engine/aggregate-source.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { storableAccount, toSourceAccount } from '../src/engine/connector-accounts.js'
import { processIdentities } from '../src/engine/process-identities.js'
import { listAccounts } from '../src/store/accounts.js'
import { listEntitlements } from '../src/store/entitlements.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { findIdentity, listIdentities } from '../src/store/identities.js'
import type { Store } from '../src/store/open-store.js'
import { sql as repairUnreadableJson } from '../src/store/migrations/0006-unreadable-json.js'
import { ensureSource } from '../src/store/sources.js'
import { databases } from './support/databases.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'

describe.each(databases)('aggregation and identity processing on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  async function setup() {
    const ws = await demoWorkspace()
    store = await database.open()
    return { ...ws, ctx: engineContext(ws.config, store), store }
  }

  it('ends at its own transaction: the identities it queued are processed by the next step', async () => {
    const { ctx, store } = await setup()
    const r = await aggregateSource(ctx, 'HR')
    expect(r.accounts.created).toBe(40)
    expect(await listIdentities(store.db)).toHaveLength(0)
    expect((await processIdentities(ctx)).identities.created).toBe(40)
    expect(await listIdentities(store.db)).toHaveLength(40)
  })

  it("reads a delimited source through the engine's connector registry", async () => {
    const { ctx, store } = await setup()
    // Every delimited source of this engine is read by a substitute: aggregation asks the registry.
    const hr = new MemoryConnector({ idAttribute: 'employeeId' })
    await hr.createAccount(null, { employeeId: 'E1', firstName: 'Ada', lastName: 'Lovelace' })
    const r = await aggregateSource(
      { ...ctx, connectors: ctx.connectors.with('delimited-file', () => hr) },
      'HR',
    )
    expect(r).toMatchObject({ file: 'delimited-file:HR', accounts: { created: 1 } })
    expect((await listAccounts(store.db, {})).map((a) => a.nativeIdentity)).toEqual(['E1'])
  })

  it('builds identities from the authoritative source with transforms, lifecycle states and managers', async () => {
    const { ctx, store } = await setup()
    const r = await aggregateThenProcess(ctx, 'HR')
    expect(r.accounts).toMatchObject({ created: 40, updated: 0, deleted: 0, errors: 0 })
    expect(r.identities.identities.created).toBe(40)

    const identities = await listIdentities(store.db)
    expect(identities).toHaveLength(40)
    const states = new Set(identities.map((i) => i.lifecycleState))
    expect(states.has('active')).toBe(true)
    for (const s of states) {
      expect(['active', 'leave', 'prehire', 'terminated', 'activePendingTermination']).toContain(s)
    }
    expect(identities.every((i) => i.processingState === 'OK')).toBe(true)

    // Person 100006 is in Engineering (index 6 % 6 == 0) and reports to the head, 100000.
    const hrRows = readFileSync(join(ctx.config.dir, 'data/hr.csv'), 'utf8').split('\n')
    const [, first, , , email] = (hrRows[7] ?? '').split(',')
    const person = identities.find((i) => i.attributes['employeeNumber'] === '100006')
    const head = identities.find((i) => i.attributes['employeeNumber'] === '100000')
    expect(person?.managerId).toBe(head?.id)
    expect(person?.attributes['managerDisplayName']).toBe(head?.attributes['displayName'])
    expect(person?.attributes['firstname']).toBe(first)
    expect(person?.attributes['email']).toBe(email?.toLowerCase())
    expect(person?.attributes['departmentCode']).toBe('ENG')
    expect(person?.attributes['uid']).toMatch(/^[a-z.]+$/)
    expect(person?.name).toBe(person?.attributes['uid'])
  })

  it('changes nothing when the same file is aggregated again', async () => {
    const { ctx, store } = await setup()
    await aggregateThenProcess(ctx, 'HR')
    const before = await listIdentities(store.db)
    const again = await aggregateThenProcess(ctx, 'HR')
    expect(again.accounts).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 40 })
    expect(again.identities.identities).toMatchObject({ created: 0, updated: 0, errors: 0 })
    expect(await listIdentities(store.db)).toEqual(before)
  })

  it('reports malformed rows with their line numbers and aggregates the others', async () => {
    const { ctx, dir, store } = await setup()
    const file = join(dir, 'data/hr.csv')
    appendFileSync(file, 'short,row\n,Empty,Id,x,x,x,x,x,x,x,x,x,x,x\n100001,Dup,Row,x,x,x,x,x,x,x,x,x,x,x\n')
    const r = await aggregateThenProcess(ctx, 'HR')
    expect(r.rowErrors.map((e) => e.line)).toEqual([42, 43, 44])
    expect(r.rowErrors[0]?.message).toMatch(/expected 14 columns, found 2/)
    expect(r.rowErrors[1]?.message).toMatch(/account id column "employeeId" is empty/)
    expect(r.rowErrors[2]?.message).toMatch(/duplicate account id "100001" \(first on line 3\)/)
    expect(r.accounts.created).toBe(40)
    expect(await listIdentities(store.db)).toHaveLength(40)
  })

  it('stops without changing anything when the delete threshold would be exceeded', async () => {
    const { ctx, dir, store } = await setup()
    await aggregateThenProcess(ctx, 'HR')
    const file = join(dir, 'data/hr.csv')
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
    writeFileSync(file, lines.slice(0, 21).join('\n') + '\n') // header + 20 of 40: 50% > 20%
    await expect(aggregateThenProcess(ctx, 'HR')).rejects.toThrow(ConflictError)
    await expect(aggregateThenProcess(ctx, 'HR')).rejects.toThrow(
      /delete 20 of 40 accounts \(50.0%\).*deleteThreshold of 20%/,
    )
    const sourceId = await ensureSource(store.db, 'HR')
    expect(await listAccounts(store.db, { sourceId })).toHaveLength(40)
  })

  it('flags an identity whose authoritative account disappears, and relinks it when the person returns', async () => {
    const { ctx, dir, store } = await setup()
    await aggregateThenProcess(ctx, 'HR')
    const file = join(dir, 'data/hr.csv')
    const original = readFileSync(file, 'utf8')
    const lines = original.trimEnd().split('\n')
    const leaver = lines[10]?.split(',')[0] as string
    writeFileSync(file, lines.filter((_, i) => i !== 10).join('\n') + '\n')
    const r = await aggregateThenProcess(ctx, 'HR')
    expect(r.accounts.deleted).toBe(1)
    expect(r.identities.authoritativeAccountRemoved).toBe(1)
    const identities = await listIdentities(store.db)
    expect(identities).toHaveLength(40)
    const flagged = identities.filter((i) => i.authoritativeAccountRemoved !== null)
    expect(flagged.map((i) => i.attributes['employeeNumber'])).toEqual([leaver])

    writeFileSync(file, original)
    const back = await aggregateThenProcess(ctx, 'HR')
    expect(back.identities.identities.created).toBe(0)
    const again = await findIdentity(store.db, flagged[0]?.id as string)
    expect(again?.authoritativeAccountRemoved).toBeNull()
  })

  it('updates identities whose HR data changed, and only those', async () => {
    const { ctx, dir, store } = await setup()
    await aggregateThenProcess(ctx, 'HR')
    const file = join(dir, 'data/hr.csv')
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
    const cells = (lines[5] as string).split(',')
    cells[6] = 'Principal Engineer'
    lines[5] = cells.join(',')
    writeFileSync(file, lines.join('\n') + '\n')
    const r = await aggregateThenProcess(ctx, 'HR')
    expect(r.accounts).toMatchObject({ updated: 1, unchanged: 39 })
    expect(r.identities.identities).toMatchObject({ updated: 1, created: 0 })
    const id = (await listIdentities(store.db)).find((i) => i.attributes['employeeNumber'] === cells[0])
    expect(id?.attributes['title']).toBe('Principal Engineer')
  })

  it('gives transforms other identities by uid and accounts with their entitlements', async () => {
    const { ctx, dir, store } = await setup()
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, 'Badge System')
    const head = (await listIdentities(store.db)).find((i) => i.attributes['employeeNumber'] === '100000')
    const profile = join(dir, 'identity-profiles/employees.yaml')
    appendFileSync(
      profile,
      `    - identityAttributeName: engineeringHead
      transformDefinition:
        type: rule
        attributes:
          name: Cloud Services Deployment Utility
          operation: getReferenceIdentityAttribute
          uid: ${head?.name}
          attributeName: displayName
    - identityAttributeName: badge
      transformDefinition:
        type: accountAttribute
        attributes:
          sourceName: Badge System
          attributeName: badgeId
          accountFilter: entitlements == true && zones.contains("datacenter")
`,
    )
    const ctx2 = { ...ctx, config: await loadWorkspace(dir) }
    await processIdentities(ctx2)
    const identities = await listIdentities(store.db)
    expect(new Set(identities.map((i) => i.attributes['engineeringHead']))).toEqual(
      new Set([head?.attributes['displayName']]),
    )
    const badges = await listAccounts(store.db, { sourceId: await ensureSource(store.db, 'Badge System') })
    const inDatacenter = badges.filter(
      (b) => b.identityId !== null && (b.attributes['zones'] as string[]).includes('datacenter'),
    )
    expect(inDatacenter.length).toBeGreaterThan(0)
    for (const b of inDatacenter) {
      expect(identities.find((i) => i.id === b.identityId)?.attributes['badge']).toBe(b.nativeIdentity)
    }
    const withBadge = identities.filter((i) => i.attributes['badge'] !== null)
    expect(withBadge).toHaveLength(inDatacenter.length)
  })

  it('correlates accounts of another source and discovers its entitlements', async () => {
    const { ctx, store } = await setup()
    const badgesFirst = await aggregateThenProcess(ctx, 'Badge System')
    expect(badgesFirst.correlated).toBe(0)
    await aggregateThenProcess(ctx, 'HR')
    const sourceId = await ensureSource(store.db, 'Badge System')
    const accounts = await listAccounts(store.db, { sourceId })
    const visitor = accounts.find((a) => a.nativeIdentity === 'B9999')
    expect(visitor?.identityId).toBeNull()
    const correlated = accounts.filter((a) => a.identityId !== null)
    expect(correlated.length).toBe(accounts.length - 1)
    const ents = await listEntitlements(store.db, sourceId)
    expect(ents.map((e) => e.value)).toContain('lobby')
    expect(ents.every((e) => e.attribute === 'zones')).toBe(true)
    const p = await processIdentities(ctx)
    expect(p.identities.created).toBe(0)
  })

  /** The demo's HR file as lines (header first), and a writer that puts lines back. */
  function hrLines(dir: string): { lines: string[]; write: (lines: readonly string[]) => void } {
    const file = join(dir, 'data/hr.csv')
    return {
      lines: readFileSync(file, 'utf8').trimEnd().split('\n'),
      write: (lines) => writeFileSync(file, lines.join('\n') + '\n'),
    }
  }

  it('refuses a row with a NUL character, and the workspace stays usable after the row goes', async () => {
    const { ctx, dir, store } = await setup()
    const { lines, write } = hrLines(dir)
    const bad = (lines[1] as string).split(',')
    bad[0] = '999999'
    bad[6] = 'Bad\u0000Title'
    write([...lines, bad.join(',')])
    const r = await aggregateThenProcess(ctx, 'HR')
    expect(r.accounts).toMatchObject({ created: 40, errors: 1 })
    expect(r.rowErrors).toEqual([
      {
        line: 42,
        message: 'column 7 ("title") holds a NUL character (\\0) at position 4, which the store cannot hold',
        nativeIdentity: '999999',
      },
    ])
    // An existing person's row gains one: the account is kept as it was, not updated or deleted.
    const changed = (lines[2] as string).split(',')
    changed[6] = 'Also\u0000Bad'
    write([lines[0] as string, lines[1] as string, changed.join(','), ...lines.slice(3)])
    const kept = await aggregateThenProcess(ctx, 'HR')
    expect(kept.accounts).toMatchObject({ updated: 0, deleted: 0, unchanged: 39, errors: 1 })
    write(lines)
    await aggregateThenProcess(ctx, 'HR')
    const full = await processIdentities(ctx, { full: true })
    expect(full.identities.errors).toBe(0)
    expect(
      (await listIdentities(store.db)).every((i) => !JSON.stringify(i.attributes).includes('\\u0000')),
    ).toBe(true)
  })

  it('refuses rows a stray pair of quotes joins, and keeps their accounts instead of deleting them', async () => {
    const { ctx, dir, store } = await setup()
    await aggregateThenProcess(ctx, 'HR')
    const { lines, write } = hrLines(dir)
    const quoted = [...lines]
    const title = (row: number, f: (t: string) => string) => {
      const cells = (quoted[row] as string).split(',')
      cells[6] = f(cells[6] as string)
      quoted[row] = cells.join(',')
    }
    title(5, (t) => `"${t}`)
    title(7, (t) => `${t}"`)
    write(quoted)
    const r = await aggregateThenProcess(ctx, 'HR')
    expect(r.accounts).toMatchObject({ deleted: 0, updated: 0, errors: 1 })
    expect(r.rowErrors[0]).toMatchObject({ line: 6, endLine: 8 })
    expect(r.rowErrors[0]?.message).toMatch(/a quoted field runs over lines 6-8/)
    expect(r.identities.authoritativeAccountRemoved).toBe(0)
    const ids = [5, 6, 7].map((row) => (lines[row] as string).split(',')[0])
    expect([r.rowErrors[0]?.nativeIdentity, ...(r.rowErrors[0]?.otherIds ?? [])]).toEqual(ids)
    const sourceId = await ensureSource(store.db, 'HR')
    expect(await listAccounts(store.db, { sourceId })).toHaveLength(40)
  })

  it('counts accounts on refused rows as kept when it weighs the delete threshold', async () => {
    const { ctx, dir, store } = await setup()
    await aggregateThenProcess(ctx, 'HR')
    const { lines, write } = hrLines(dir)
    // Half the rows garbled (an unclosed quote each, a long field, bytes not valid UTF-8): none is deleted.
    const garbled = lines.map((l, i) => {
      if (i === 0 || i % 2 === 1) return l
      const cells = l.split(',')
      cells[6] = i % 3 === 0 ? `"${cells[6]}` : i % 3 === 1 ? 'x'.repeat(20_000) : `${cells[6]}\u0000`
      return cells.join(',')
    })
    write(garbled)
    const r = await aggregateThenProcess(ctx, 'HR')
    expect(r.accounts).toMatchObject({ deleted: 0, updated: 0 })
    expect(r.accounts.errors).toBeGreaterThan(5)
    expect(r.accounts.unchanged + r.accounts.errors).toBeLessThanOrEqual(40)
    expect(await listAccounts(store.db, { sourceId: await ensureSource(store.db, 'HR') })).toHaveLength(40)
    // Rows that are really gone still count against the threshold.
    write(lines.slice(0, 21))
    await expect(aggregateThenProcess(ctx, 'HR')).rejects.toThrow(ConflictError)
  })

  it("reports a direct connector's values the store cannot hold as account errors, and keeps the account", async () => {
    const { ctx, dir, store } = await setup()
    mkdirSync(join(dir, 'systems'), { recursive: true })
    const state = join(dir, 'systems/directory.json')
    const account = (uid: string, attributes: Record<string, unknown>) => ({
      nativeIdentity: uid,
      attributes: { uid, employeeNumber: uid, displayName: uid, ...attributes },
      disabled: false,
    })
    const writeState = (accounts: ReturnType<typeof account>[]) =>
      writeFileSync(
        state,
        JSON.stringify(
          journalHeader({
            entitlements: [],
            accounts: new Map(accounts.map(({ nativeIdentity, ...a }) => [nativeIdentity, a])),
          }),
        ) + '\n',
      )
    writeState([account('ok', { department: 'IT' }), account('kept', { department: 'IT' })])
    expect((await aggregateThenProcess(ctx, 'Corporate Directory')).accounts).toMatchObject({
      created: 2,
      errors: 0,
    })
    writeState([
      account('ok', { department: 'IT' }),
      account('kept', { department: 'I\u0000T' }),
      account('lone', { groups: ['g', 'x\ud800'] }),
    ])
    const r = await aggregateThenProcess(ctx, 'Corporate Directory')
    expect(r.accounts).toMatchObject({ created: 0, deleted: 0, updated: 0, unchanged: 1, errors: 3 })
    // The system lists the groups its accounts hold: that one is refused too.
    expect(r.rowErrors[2]?.message).toBe(
      'entitlement "x\\ud800" of "groups" holds a lone UTF-16 surrogate (U+D800) at position 2, which the store cannot hold',
    )
    expect(r.rowErrors.slice(0, 2)).toEqual([
      {
        line: 2,
        message:
          'account "kept": attribute "department" holds a NUL character (\\0) at position 2, which the store cannot hold',
        nativeIdentity: 'kept',
      },
      {
        line: 3,
        message:
          'account "lone": attribute "groups" holds a lone UTF-16 surrogate (U+D800) at position 2, which the store cannot hold',
        nativeIdentity: 'lone',
      },
    ])
    const accounts = await listAccounts(store.db, {
      sourceId: await ensureSource(store.db, 'Corporate Directory'),
    })
    expect(accounts.find((a) => a.nativeIdentity === 'kept')?.attributes['department']).toBe('IT')
    expect(accounts.map((a) => a.nativeIdentity).sort()).toEqual(['kept', 'ok'])
    await processIdentities(ctx, { full: true })
  })

  it('repairs a store that an earlier version let hold a NUL or a lone surrogate (migration 6)', async () => {
    const { ctx, store } = await setup()
    await aggregateThenProcess(ctx, 'HR')
    const [a, b] = await listIdentities(store.db)
    const sourceId = await ensureSource(store.db, 'HR')
    const account = (await listAccounts(store.db, { sourceId })).find((x) => x.identityId === a?.id)
    // What an earlier version wrote: JSON that json accepts and its text functions never read again.
    const poison = async (table: string, id: string, attributes: Record<string, unknown>) =>
      store.db.query(`UPDATE ${table} SET attributes = $1::json WHERE id = $2`, [
        JSON.stringify(attributes),
        id,
      ])
    await poison('identities', a?.id as string, {
      ...a?.attributes,
      title: 'Bad\u0000Title',
      note: 'a \\u0000 text',
    })
    await poison('identities', b?.id as string, { ...b?.attributes, title: 'Lone\ud800' })
    await poison('accounts', account?.id as string, { ...account?.attributes, title: 'Bad\u0000Title' })
    const titles = "SELECT attributes->>'title' AS t FROM identities"
    await expect(store.db.query(titles)).rejects.toThrow(/unsupported Unicode escape sequence/)
    await poison('identities', a?.id as string, { ...a?.attributes, note: 'a \\u0000 text' })
    await expect(store.db.query(titles)).rejects.toThrow(/invalid input syntax for type json/)
    await poison('identities', a?.id as string, {
      ...a?.attributes,
      title: 'Bad\u0000Title',
      note: 'a \\u0000 text',
    })

    await store.db.transaction((tx) => tx.exec(repairUnreadableJson))
    const cleaned = await findIdentity(store.db, a?.id as string)
    // The escapes become U+FFFD; the text "\\u0000" (an escaped backslash) is left as it was.
    expect(cleaned?.attributes).toMatchObject({ title: 'Bad\ufffdTitle', note: 'a \\u0000 text' })
    expect((await findIdentity(store.db, b?.id as string))?.attributes['title']).toBe('Lone\ufffd')
    const full = await processIdentities(ctx, { full: true })
    expect(full.identities.errors).toBe(0)
    // The repaired account is read again from the file, and its identity with it.
    const again = await aggregateThenProcess(ctx, 'HR')
    expect(again.accounts).toMatchObject({ updated: 1, deleted: 0, errors: 0 })
    const repaired = await findIdentity(store.db, a?.id as string)
    expect(repaired?.attributes['title']).toBe(a?.attributes['title'])
    const lone = await findIdentity(store.db, b?.id as string)
    expect(lone?.attributes['title']).toBe(b?.attributes['title'])
    expect(await store.db.query(titles)).toHaveLength(40)
  })
})

describe("a provisioned account's stored copy", () => {
  it("holds U+FFFD where the system handed back a NUL or a lone surrogate, and only the schema's attributes", async () => {
    const { config } = await demoWorkspace()
    const source = config.sources.find((s) => s.value.name === 'Corporate Directory')?.value
    if (!source) throw new Error('no Corporate Directory in the demo')
    const handedBack = {
      nativeIdentity: 'u',
      attributes: { uid: 'u\u0000', mail: 'm', groups: ['a\ud800', 'b😀'], password: 'secret' },
    }
    expect(storableAccount(toSourceAccount(source, handedBack)).attributes).toEqual({
      uid: 'u\ufffd',
      mail: 'm',
      groups: ['a\ufffd', 'b😀'],
    })
    // Aggregation sees the system's value as it is, to report it.
    expect(
      toSourceAccount(source, { nativeIdentity: 'u', attributes: { uid: 'u\u0000' } }).attributes,
    ).toEqual({
      uid: 'u\u0000',
    })
  })
})
