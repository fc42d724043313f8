import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../src/domain/errors.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { checkOwners } from '../src/engine/check-owners.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import type { Store } from '../src/store/open-store.js'
import { listPlannedActivities } from '../src/store/activities.js'
import { databases } from './support/databases.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'

describe.each(databases)('owners are identities, on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  it("the demo's owners are identities; an owner who is not stops apply before it writes anything", async () => {
    const { dir, config } = await demoWorkspace()
    store = await database.open()
    const ctx = engineContext(config, store)
    // Before the authoritative source is aggregated there is no identity to check against.
    expect(await checkOwners(ctx)).toEqual({ checked: false, problems: [] })
    await aggregateThenProcess(ctx, 'HR')
    expect(await checkOwners(ctx)).toEqual({ checked: true, problems: [] })

    const file = join(dir, 'sources/badge-system.yaml')
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: james.lamarr', 'name: facilities.lead'))
    const edited = await loadWorkspace(dir)
    const owners = await checkOwners({ ...ctx, config: edited })
    expect(owners.problems).toEqual([
      {
        file: 'sources/badge-system.yaml',
        object: 'source "Badge System"',
        path: 'owner',
        message:
          '"facilities.lead" is not an identity: name an identity (by name or id) that can act on its tasks',
      },
    ])
    // A governance group's members and the fallback approver are checked as owners are.
    const group = join(dir, 'governance-groups/security-approvers.yaml')
    writeFileSync(
      group,
      readFileSync(group, 'utf8').replace(
        '  - { type: IDENTITY, name: joan.goldwasser }',
        '  - { type: IDENTITY, name: joan.goldwaser }',
      ),
    )
    writeFileSync(
      join(dir, 'provisio.yaml'),
      readFileSync(join(dir, 'provisio.yaml'), 'utf8') +
        'accessRequestConfig:\n  approvalReminderAndEscalationConfig:\n    fallbackApproverRef: { name: nobody }\n',
    )
    const withGroup = await checkOwners({ ...ctx, config: await loadWorkspace(dir) })
    expect(withGroup.problems.map((p) => `${p.file} | ${p.path} | ${p.message.split(':')[0]}`)).toEqual([
      'sources/badge-system.yaml | owner | "facilities.lead" is not an identity',
      'governance-groups/security-approvers.yaml | members[1] | "joan.goldwaser" is not an identity',
      'provisio.yaml | accessRequestConfig.approvalReminderAndEscalationConfig.fallbackApproverRef | "nobody" is not an identity',
    ])
    await expect(applyPlan(engineContext(edited, store))).rejects.toThrow(ConfigError)
    expect(await listPlannedActivities(store.db)).toEqual([])
    // The same workspace with a real owner applies.
    expect((await applyPlan(ctx)).accountRequests).toBeGreaterThan(0)
  })
})
