import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { derivedId } from '../src/domain/config/config-ids.js'
import { ConfigError, formatConfigProblem } from '../src/domain/errors.js'
import { ConfigRepository } from '../src/engine/config/config-repository.js'
import { loadWorkspaceWithWarnings } from '../src/engine/workspace/load-workspace.js'
import { demoWorkspace } from './support/temp-workspace.js'

/** Two access profiles in one file, with comments around, between and inside them. */
const TWO_PROFILES = `# Access profiles of the badge system, kept together.
- name: Garage Access   # the car park
  id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
  description:   "Parking, levels -1 and -2"
  source: Badge System
  entitlements:
    # both levels
    - { attribute: zones, value: GARAGE-1 }
    - { attribute: zones, value: GARAGE-2 }

# The roof is separate: only facilities staff go there.
- name: Roof Access
  source: Badge System   # same source
  entitlements: [ {attribute: zones, value: ROOF} ]
# end of file
`

describe('configuration repository', () => {
  it('reads, writes one object, and reads it back; the rest of the file is untouched', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(join(dir, 'access-profiles/badge-extras.yaml'), TWO_PROFILES)
    const repo = new ConfigRepository(dir)
    const before = await repo.read()
    const roof = before.config.accessProfiles.find((a) => a.value.name === 'Roof Access')
    expect(roof?.value.id).toBe(derivedId('access profile', 'Roof Access'))

    const written = await repo.write('accessProfiles', {
      name: 'Roof Access',
      description: 'The roof, for facilities staff',
      source: 'Badge System',
      entitlements: [{ attribute: 'zones', value: 'ROOF' }],
    })
    // Matched by name, it keeps its (derived) id, now written down.
    expect(written).toMatchObject({
      file: 'access-profiles/badge-extras.yaml',
      id: roof?.value.id,
      created: false,
    })

    const text = readFileSync(join(dir, 'access-profiles/badge-extras.yaml'), 'utf8')
    const firstObjectEnd = TWO_PROFILES.indexOf('- name: Roof Access')
    // The first object, its comments and its odd spacing, and the comments between and after, byte for byte.
    expect(text.slice(0, firstObjectEnd)).toBe(TWO_PROFILES.slice(0, firstObjectEnd))
    expect(text.endsWith('# end of file\n')).toBe(true)
    // The changed object keeps its own comment where its field is untouched.
    expect(text).toContain('source: Badge System # same source')
    expect(text).toContain(`id: ${roof?.value.id}`)

    const after = await repo.read()
    const again = after.config.accessProfiles.find((a) => a.value.name === 'Roof Access')?.value
    expect(again).toMatchObject({ id: roof?.value.id, description: 'The roof, for facilities staff' })
    expect(after.config.accessProfiles.find((a) => a.value.name === 'Garage Access')?.value).toEqual(
      before.config.accessProfiles.find((a) => a.value.name === 'Garage Access')?.value,
    )
    // Only Roof Access lost its "no id" warning.
    const noId = (w: readonly { object?: string; message: string }[]) =>
      w.filter((p) => p.message.startsWith('no id')).map((p) => p.object)
    expect(noId(before.warnings)).toEqual(['access profile "Roof Access"'])
    expect(noId(after.warnings)).toEqual([])
  })

  it('writes a new object to a file of its own, and renames it by its id', async () => {
    const { dir } = await demoWorkspace()
    const repo = new ConfigRepository(dir)
    const roof = { source: 'Badge System', entitlements: [{ attribute: 'zones', value: 'ROOF' }] }
    const created = await repo.write('accessProfiles', { name: 'Roof', ...roof })
    expect(created).toMatchObject({ file: 'access-profiles/roof.yaml', created: true })
    expect(created.id).toMatch(/^[0-9a-f]{32}$/)
    expect(readFileSync(join(dir, 'access-profiles/roof.yaml'), 'utf8')).toContain(`id: ${created.id}`)

    const renamed = await repo.write('accessProfiles', { id: created.id, name: 'Roof Access', ...roof })
    expect(renamed).toMatchObject({ file: 'access-profiles/roof.yaml', id: created.id, created: false })
    const { config } = await loadWorkspaceWithWarnings(dir)
    expect(config.accessProfiles.filter((a) => a.value.id === created.id).map((a) => a.value.name)).toEqual([
      'Roof Access',
    ])

    // Renaming an object that others name breaks their references: refused, with the reason.
    const lobby = config.accessProfiles.find((a) => a.value.name === 'Lobby Access')?.value
    const err = await repo
      .write('accessProfiles', { id: lobby?.id, name: 'Lobby', ...roof })
      .catch((e: unknown) => e)
    expect((err as ConfigError).problems.map(formatConfigProblem)).toEqual([
      'roles/all-employees.yaml: role "All Employees": accessProfiles[0]: no access profile named "Lobby Access"',
    ])
  })

  it('refuses a write that would not validate and leaves the file byte for byte as it was', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(join(dir, 'access-profiles/badge-extras.yaml'), TWO_PROFILES)
    const repo = new ConfigRepository(dir)
    const files = readdirSync(join(dir, 'access-profiles')).sort()
    const err = await repo
      .write('accessProfiles', {
        name: 'Roof Access',
        source: 'No Such Source',
        entitlements: [{ attribute: 'zones', value: 'ROOF' }],
        enabeld: true,
      })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).problems.map(formatConfigProblem)).toEqual([
      'access-profiles/badge-extras.yaml: access profile "Roof Access": enabeld: unknown field (did you mean "enabled"?)',
      'access-profiles/badge-extras.yaml: access profile "Roof Access": source: no source named "No Such Source"',
    ])
    expect(readFileSync(join(dir, 'access-profiles/badge-extras.yaml'), 'utf8')).toBe(TWO_PROFILES)
    // No temporary file left behind, no new file.
    expect(readdirSync(join(dir, 'access-profiles')).sort()).toEqual(files)

    // A new object that does not validate is not written either.
    await expect(repo.write('roles', { name: 'Broken', accessProfiles: ['Nowhere'] })).rejects.toBeInstanceOf(
      ConfigError,
    )
    expect(readdirSync(join(dir, 'roles'))).not.toContain('broken.yaml')
  })

  it('removes one object of a list and keeps every other byte; the last one takes its file with it', async () => {
    const { dir } = await demoWorkspace()
    const file = join(dir, 'access-profiles/badge-extras.yaml')
    writeFileSync(file, TWO_PROFILES)
    const repo = new ConfigRepository(dir)
    const removed = await repo.remove('accessProfiles', '0a1b2c3d4e5f60718293a4b5c6d7e8f9')
    expect(removed).toMatchObject({ file: 'access-profiles/badge-extras.yaml', fileRemoved: false })
    const garageStart = TWO_PROFILES.indexOf('- name: Garage Access')
    const garageEnd = TWO_PROFILES.indexOf('\n# The roof')
    // Exactly Garage Access's own lines went; the comments around it, and Roof Access, stay byte for byte.
    expect(readFileSync(file, 'utf8')).toBe(
      TWO_PROFILES.slice(0, garageStart) + TWO_PROFILES.slice(garageEnd),
    )
    expect(removed.workspace.config.accessProfiles.map((a) => a.value.name)).not.toContain('Garage Access')

    const roof = derivedId('access profile', 'Roof Access')
    expect(await repo.raw('accessProfiles', roof)).toMatchObject({
      file: 'access-profiles/badge-extras.yaml',
      id: roof,
      value: { name: 'Roof Access', source: 'Badge System' },
    })
    const last = await repo.remove('accessProfiles', roof)
    expect(last.fileRemoved).toBe(true)
    expect(readdirSync(join(dir, 'access-profiles'))).not.toContain('badge-extras.yaml')
    await expect(repo.remove('accessProfiles', roof)).rejects.toThrow(/no access profile with id/)
  })

  it('refuses to remove an object others refer to, naming them, and writes nothing', async () => {
    const { dir, config } = await demoWorkspace()
    const repo = new ConfigRepository(dir)
    const lobby = config.accessProfiles.find((a) => a.value.name === 'Lobby Access')?.value.id as string
    const before = readFileSync(join(dir, 'access-profiles/lobby-access.yaml'), 'utf8')
    const err = await repo.remove('accessProfiles', lobby).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).message).toMatch(/^cannot remove access profile "Lobby Access"/)
    expect((err as ConfigError).problems.map(formatConfigProblem)).toEqual([
      'roles/all-employees.yaml: role "All Employees": accessProfiles[0]: no access profile named "Lobby Access"',
    ])
    expect(readFileSync(join(dir, 'access-profiles/lobby-access.yaml'), 'utf8')).toBe(before)
  })

  it('previews changes in order without writing anything', async () => {
    const { dir, config } = await demoWorkspace()
    const repo = new ConfigRepository(dir)
    const snapshot = () =>
      ['roles', 'access-profiles'].flatMap((d) =>
        readdirSync(join(dir, d)).map((f) => `${d}/${f}:${readFileSync(join(dir, d, f), 'utf8')}`),
      )
    const files = snapshot()
    const allEmployees = config.roles.find((r) => r.value.name === 'All Employees')?.value.id as string
    const lobby = config.accessProfiles.find((a) => a.value.name === 'Lobby Access')?.value.id as string
    // Removing Lobby Access alone would break All Employees; after the role goes first, it validates.
    const after = await repo.preview([
      { action: 'remove', folder: 'roles', id: allEmployees },
      { action: 'remove', folder: 'accessProfiles', id: lobby },
      {
        action: 'write',
        folder: 'roles',
        object: { name: 'Lobby Visitors', accessProfiles: ['Directory Users'] },
      },
    ])
    expect(after.config.roles.map((r) => r.value.name).sort()).toEqual([
      'Lobby Visitors',
      'Operations Datacenter',
    ])
    expect(after.config.accessProfiles.map((a) => a.value.name)).not.toContain('Lobby Access')
    expect(snapshot()).toEqual(files)
    await expect(
      repo.preview([{ action: 'remove', folder: 'accessProfiles', id: lobby }]),
    ).rejects.toBeInstanceOf(ConfigError)
  })
})
