import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { derivedId } from '../src/domain/config/config-ids.js'
import { ConfigError, formatConfigProblem } from '../src/domain/errors.js'
import { loadWorkspaceWithWarnings } from '../src/engine/workspace/load-workspace.js'
import { demoWorkspace } from './support/temp-workspace.js'

const LOBBY_ID = 'f2dd33ce00d17ebf955e7f5b1dda0154'

describe('configuration ids', () => {
  it('derives the id of an object written without one from its kind and name, and warns with file and path', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(
      join(dir, 'roles/visitors.yaml'),
      'name: Visitors\nmembership: { type: IDENTITY_LIST, identities: [{ name: joan.goldwasser }] }\n',
    )
    const { config, warnings } = await loadWorkspaceWithWarnings(dir)
    const id = derivedId('role', 'Visitors')
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(config.roles.find((r) => r.value.name === 'Visitors')?.value.id).toBe(id)
    expect(warnings.map(formatConfigProblem)).toEqual([
      `roles/visitors.yaml: role "Visitors": id: warning: no id: the derived id ${id} is used, which changes if the object is renamed; write "id: ${id}" to keep it`,
    ])
    // Every object and lifecycle state of the demo carries an id of its own.
    const profile = config.identityProfiles[0]?.value
    expect(profile?.lifecycleStates.every((s) => /^[0-9a-f]{32}$/.test(s.id ?? ''))).toBe(true)
  })

  it('gives a lifecycle state without an id one derived from its profile and technical name', async () => {
    const { dir } = await demoWorkspace()
    const file = join(dir, 'identity-profiles/employees.yaml')
    const text = readFileSync(file, 'utf8')
    const stateId = /technicalName: leave\n {4}id: (\w+)\n/.exec(text)?.[1]
    writeFileSync(file, text.replace(`technicalName: leave\n    id: ${stateId}\n`, 'technicalName: leave\n'))
    const { config, warnings } = await loadWorkspaceWithWarnings(dir)
    const profile = config.identityProfiles[0]?.value
    const derived = derivedId('lifecycle state', `${profile?.id}/leave`)
    expect(profile?.lifecycleStates.find((s) => s.technicalName === 'leave')?.id).toBe(derived)
    expect(warnings.map((w) => `${w.file} ${w.path}`)).toEqual([
      'identity-profiles/employees.yaml lifecycleStates[2].id',
    ])
  })

  it('refuses one id on two objects, naming both files', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(
      join(dir, 'access-profiles/garage.yaml'),
      `name: Garage\nid: ${LOBBY_ID}\nsource: Badge System\nentitlements: [{ value: garage }]\n`,
    )
    const err = await loadWorkspaceWithWarnings(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).problems.map(formatConfigProblem)).toEqual([
      `access-profiles/lobby-access.yaml: access profile "Lobby Access": id: duplicate id "${LOBBY_ID}": access profile "Garage" in access-profiles/garage.yaml has it too`,
    ])
  })
})
