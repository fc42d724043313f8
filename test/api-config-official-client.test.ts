import {
  AccessProfilesApi,
  IdentityProfilesApi,
  LifecycleStatesApi,
  RolesApi,
  SourcesApi,
  TransformsApi,
  type Configuration,
  type Source,
} from 'sailpoint-api-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { createApiClient } from '../src/engine/auth/credentials.js'
import { databases } from './support/databases.js'
import { clientConfiguration, listening } from './support/official-client.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { testApi } from './support/test-api.js'

const BADGE = '8b3b760bc48f4aaf32f3d7d0f9882780'
const EMPLOYEES = '8af1c1bc61994b2aafe698599247727d'
const LOBBY = 'f2dd33ce00d17ebf955e7f5b1dda0154'

describe.each(databases)('the official client changes configuration objects on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let admin: Configuration

  beforeAll(async () => {
    const ws = await demoWorkspace()
    ;({ api, engine } = await testApi(ws.config, await database.open(), {
      rateLimit: { max: 10_000, windowSeconds: 10 },
    }))
    admin = clientConfiguration(
      await listening(api),
      await createApiClient(engine, {
        name: 'sdk config admin',
        capabilities: ['SOURCE_ADMIN', 'ROLE_ADMIN'],
      }),
    )
  })
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('reads a source, puts it back changed, and patches it', async () => {
    const sources = new SourcesApi(admin)
    const listed = await sources.listSources({ filters: 'name eq "Badge System"' })
    expect(listed.data.map((s) => s.id)).toEqual([BADGE])
    const read = (await sources.getSource({ id: BADGE })).data
    const put = await sources.putSource({ id: BADGE, source: { ...read, description: 'Badges' } as Source })
    expect(put.data.description).toBe('Badges')
    const patched = await sources.updateSource({
      id: BADGE,
      jsonPatchOperation: [{ op: 'replace', path: '/deleteThreshold', value: 35 }],
    })
    expect(patched.data.deleteThreshold).toBe(35)
    const policies = await sources.listProvisioningPolicies({ sourceId: BADGE })
    expect(policies.data.map((p) => p.usageType)).toEqual(['CREATE'])
    expect((await sources.getSourceHealth({ sourceId: BADGE })).data.status).toBe(
      'SOURCE_STATE_UNCHECKED_SOURCE',
    )
    // Provisio's own fields survived a PUT of the v3 fields only.
    expect(engine.config.sources.find((s) => s.value.id === BADGE)?.value.provisioningPolicies).toHaveLength(
      1,
    )
  })

  it('creates and changes an access profile and a role, lists transforms and lifecycle states', async () => {
    const profiles = new AccessProfilesApi(admin)
    const profile = await profiles.createAccessProfile({
      accessProfile: {
        name: 'Roof Access',
        owner: { type: 'IDENTITY', name: 'james.lamarr' },
        source: { type: 'SOURCE', id: BADGE, name: 'Badge System' },
        entitlements: [{ type: 'ENTITLEMENT', attribute: 'zones', value: 'roof' } as never],
      },
    })
    expect(profile.status).toBe(201)
    const renamed = await profiles.patchAccessProfile({
      id: profile.data.id as string,
      jsonPatchOperation: [{ op: 'replace', path: '/description', value: 'The roof' }],
    })
    expect(renamed.data.description).toBe('The roof')

    const roles = new RolesApi(admin)
    const role = await roles.createRole({
      role: {
        name: 'Roofers',
        owner: { type: 'IDENTITY', name: 'joan.goldwasser' },
        accessProfiles: [
          { type: 'ACCESS_PROFILE', id: profile.data.id as string },
          { type: 'ACCESS_PROFILE', id: LOBBY },
        ],
      },
    })
    expect(role.status).toBe(201)
    const requestable = await roles.patchRole({
      id: role.data.id as string,
      jsonPatchOperation: [{ op: 'replace', path: '/requestable', value: true }],
    })
    expect(requestable.data.requestable).toBe(true)
    await roles.deleteRole({ id: role.data.id as string })
    await profiles.deleteAccessProfile({ id: profile.data.id as string })

    const transforms = await new TransformsApi(admin).listTransforms({ filters: 'name sw "Lifecycle"' })
    expect(transforms.data.map((t) => t.name)).toEqual(['Lifecycle State'])
    expect((await new IdentityProfilesApi(admin).listIdentityProfiles()).data.map((p) => p.id)).toEqual([
      EMPLOYEES,
    ])
    const states = new LifecycleStatesApi(admin)
    const listed = await states.getLifecycleStates({ identityProfileId: EMPLOYEES })
    expect(listed.data.map((s) => s.technicalName)).toContain('active')
    const created = await states.createLifecycleState({
      identityProfileId: EMPLOYEES,
      lifecycleState: { name: 'Contractor', technicalName: 'contractor', enabled: true },
    })
    const patched = await states.updateLifecycleStates({
      identityProfileId: EMPLOYEES,
      lifecycleStateId: created.data.id as string,
      jsonPatchOperation: [{ op: 'replace', path: '/enabled', value: false }],
    })
    expect(patched.data.enabled).toBe(false)
  })
})
