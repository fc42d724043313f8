import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  AccessRequestsApi,
  EntitlementsBetaApi,
  GovernanceGroupsBetaApi,
  type Configuration,
} from 'sailpoint-api-client'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { ACCESS_REQUEST_CONFIG_DEFAULTS } from '../src/domain/config/access-request-config-schema.js'
import { createApiClient } from '../src/engine/auth/credentials.js'
import { configHistory } from '../src/engine/config/config-history.js'
import { publishConfig } from '../src/engine/config/publish-config.js'
import { findIdentity } from '../src/engine/queries/get-identity.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import { listAuditEvents, type AuditEvent } from '../src/store/audit-events.js'
import type { Db } from '../src/store/db.js'
import { databases } from './support/databases.js'
import { clientConfiguration, listening } from './support/official-client.js'
import { expectReferenceShape } from './support/reference-schema.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

const SECURITY_APPROVERS = '7d0c2f4e9a8b41c3b5e6f70812a3c4d5'
const PATCH = { 'content-type': 'application/json-patch+json' }
type Headers = { authorization: string }

/** The audit row is written once the response is sent: on PostgreSQL it can land a moment later. */
async function auditedAs(db: Db, action: string): Promise<AuditEvent> {
  return vi.waitFor(async () => {
    const found = (await listAuditEvents(db)).find((e) => e.action === action)
    expect(found).toBeDefined()
    return found as AuditEvent
  })
}

describe.each(databases)(
  'governance groups, the access request configuration and requestable entitlements through the API on $name',
  (database) => {
    let api: Api
    let engine: OpenEngine
    let dir: string
    let admin: Headers
    let roleAdmin: Headers
    let sourceAdmin: Headers
    let sdk: Configuration
    const ids = new Map<string, string>()

    beforeAll(async () => {
      const ws = await demoWorkspace()
      dir = ws.dir
      ;({ api, engine } = await testApi(ws.config, await database.open(), {
        rateLimit: { max: 10_000, windowSeconds: 10 },
      }))
      await publishConfig(engine.db, engine.config)
      await refreshSource(engine, 'HR')
      await refreshSource(engine, 'Badge System')
      for (const name of ['james.lamarr', 'joan.goldwasser', 'james.wilson', 'ada.lamarr']) {
        ids.set(name, (await findIdentity(engine, name)).id)
      }
      admin = await clientBearer(engine, ['ORG_ADMIN'])
      roleAdmin = await clientBearer(engine, ['ROLE_ADMIN'])
      sourceAdmin = await clientBearer(engine, ['SOURCE_ADMIN'])
      sdk = clientConfiguration(
        await listening(api),
        await createApiClient(engine, { name: 'sdk access requests', capabilities: ['ORG_ADMIN'] }),
      )
    }, 120_000)
    afterAll(async () => {
      await api.close()
      await engine.close()
    })

    const id = (name: string): string => ids.get(name) ?? ''
    const json = (headers: Headers) => ({ ...headers, 'content-type': 'application/json' })

    it('lists, reads, creates, patches and deletes governance groups, written to governance-groups/', async () => {
      const list = await api.inject({ url: '/beta/workgroups?count=true', headers: roleAdmin })
      expect(list.statusCode).toBe(200)
      expect(list.headers['x-total-count']).toBe('1')
      expect(list.json()).toEqual([
        {
          id: SECURITY_APPROVERS,
          name: 'Security Approvers',
          description: expect.any(String) as string,
          owner: { type: 'IDENTITY', id: id('joan.goldwasser'), name: 'joan.goldwasser' },
          memberCount: 2,
          connectionCount: 1,
        },
      ])
      const connections = await api.inject({
        url: `/v2024/workgroups/${SECURITY_APPROVERS}/connections`,
        headers: roleAdmin,
      })
      expect(connections.json()).toEqual([
        {
          object: {
            type: 'ACCESS_PROFILE',
            id: 'e38224311cccfbd8b9e7690f2a91ab9e',
            name: 'Datacenter Access',
            description: 'Badge access to the datacenter floor',
          },
          connectionType: 'AccessRequestReviewer',
        },
      ])

      // A change previewed before it is made: the preview's kinds are the configuration's folders.
      for (const kind of ['governance group', 'governanceGroups', 'governance-groups']) {
        const preview = await api.inject({
          method: 'POST',
          url: '/provisio/v1/config/preview',
          headers: json(admin),
          payload: { kind, object: { name: 'Day Shift', members: ['james.wilson'] } },
        })
        expect(preview.statusCode).toBe(200)
        expect(preview.json().objects.added).toMatchObject([{ kind: 'governance group', name: 'Day Shift' }])
      }
      const previewInUse = await api.inject({
        method: 'POST',
        url: '/provisio/v1/config/preview',
        headers: json(admin),
        payload: { kind: 'governance group', remove: SECURITY_APPROVERS },
      })
      expect(previewInUse.statusCode).toBe(400)

      // Only ORG_ADMIN changes governance groups.
      const denied = await api.inject({
        method: 'POST',
        url: '/beta/workgroups',
        headers: json(roleAdmin),
        payload: { name: 'Night Shift' },
      })
      expect(denied.statusCode).toBe(403)

      const created = await api.inject({
        method: 'POST',
        url: '/beta/workgroups',
        headers: json(admin),
        payload: {
          name: 'Night Shift',
          description: 'After hours',
          owner: { type: 'IDENTITY', id: id('james.wilson') },
        },
      })
      expect(created.statusCode).toBe(201)
      const groupId = created.json().id as string
      expect(created.json()).toMatchObject({ name: 'Night Shift', memberCount: 0, connectionCount: 0 })
      expect(readFileSync(join(dir, 'governance-groups/night-shift.yaml'), 'utf8')).toContain('After hours')
      const duplicate = await api.inject({
        method: 'POST',
        url: '/beta/workgroups',
        headers: json(admin),
        payload: { name: 'Night Shift' },
      })
      expect(duplicate.statusCode).toBe(409)
      const unknownField = await api.inject({
        method: 'POST',
        url: '/beta/workgroups',
        headers: json(admin),
        payload: { name: 'Typo', descriptoin: 'x' },
      })
      expect(unknownField.statusCode).toBe(400)

      // Members: added in bulk by id (or name), each answered on its own; listed as identities.
      const added = await api.inject({
        method: 'POST',
        url: `/beta/workgroups/${groupId}/members/bulk-add`,
        headers: json(admin),
        payload: [
          { type: 'IDENTITY', id: id('james.lamarr') },
          { name: 'ada.lamarr' },
          { id: 'no-such-identity' },
          { id: id('james.lamarr') },
        ],
      })
      expect(added.statusCode).toBe(207)
      expect((added.json() as { status: number }[]).map((r) => r.status)).toEqual([201, 201, 404, 409])
      const members = await api.inject({
        url: `/beta/workgroups/${groupId}/members?sorters=-name&count=true`,
        headers: sourceAdmin,
      })
      expect(members.headers['x-total-count']).toBe('2')
      expect(
        (members.json() as { id: string; name: string; type: string }[]).map((m) => [m.type, m.id, m.name]),
      ).toEqual([
        ['IDENTITY', id('james.lamarr'), 'james.lamarr'],
        ['IDENTITY', id('ada.lamarr'), 'ada.lamarr'],
      ])
      expect(engine.config.governanceGroups.find((g) => g.value.id === groupId)?.value.members).toEqual([
        { type: 'IDENTITY', id: id('james.lamarr'), name: 'james.lamarr' },
        { type: 'IDENTITY', id: id('ada.lamarr'), name: 'ada.lamarr' },
      ])

      // A patch of the name keeps the members; the file is rewritten in place.
      const patched = await api.inject({
        method: 'PATCH',
        url: `/beta/workgroups/${groupId}`,
        headers: { ...admin, ...PATCH },
        payload: [
          { op: 'replace', path: '/name', value: 'Night Watch' },
          { op: 'replace', path: '/description', value: 'Nights and weekends' },
        ],
      })
      expect(patched.statusCode).toBe(200)
      expect(patched.json()).toMatchObject({ id: groupId, name: 'Night Watch', memberCount: 2 })
      const text = readFileSync(join(dir, 'governance-groups/night-shift.yaml'), 'utf8')
      expect(text).toContain('name: Night Watch')
      expect(text).toContain('name: ada.lamarr')

      const removed = await api.inject({
        method: 'POST',
        url: `/beta/workgroups/${groupId}/members/bulk-delete`,
        headers: json(admin),
        payload: [{ id: id('ada.lamarr') }, { id: id('joan.goldwasser') }],
      })
      expect(removed.statusCode).toBe(207)
      expect((removed.json() as { status: number }[]).map((r) => r.status)).toEqual([204, 404])
      expect(
        (await api.inject({ url: `/beta/workgroups/${groupId}`, headers: roleAdmin })).json(),
      ).toMatchObject({
        memberCount: 1,
      })

      // A group an approval step names is not deleted; one no step names is.
      const inUse = await api.inject({
        method: 'DELETE',
        url: `/beta/workgroups/${SECURITY_APPROVERS}`,
        headers: admin,
      })
      expect(inUse.statusCode).toBe(400)
      expect(inUse.json().messages[0].text).toContain('cannot remove governance group "Security Approvers"')
      const bulk = await api.inject({
        method: 'POST',
        url: '/beta/workgroups/bulk-delete',
        headers: json(admin),
        payload: { ids: [groupId, SECURITY_APPROVERS, 'nope'] },
      })
      expect(bulk.statusCode).toBe(207)
      expect((bulk.json() as { id: string; status: number }[]).map((r) => [r.id, r.status])).toEqual([
        [groupId, 204],
        [SECURITY_APPROVERS, 409],
        ['nope', 404],
      ])
      expect(engine.config.governanceGroups.map((g) => g.value.name)).toEqual(['Security Approvers'])

      // Each change published a version and was audited with the group before and after.
      expect((await configHistory(engine.db))[0]?.author).toMatch(/^api: client /)
      expect(await auditedAs(engine.db, 'GOVERNANCE_GROUP_MEMBERS_ADDED')).toMatchObject({
        targetType: 'GOVERNANCE_GROUP',
        targetId: groupId,
        targetName: 'Night Shift',
      })
      expect(await auditedAs(engine.db, 'GOVERNANCE_GROUP_UPDATED')).toMatchObject({ status: 200 })
    })

    it('the official client manages governance groups and their members', async () => {
      const groups = new GovernanceGroupsBetaApi(sdk)
      const created = await groups.createWorkgroup({
        workgroupDtoBeta: { name: 'Auditors', owner: { type: 'IDENTITY', id: id('joan.goldwasser') } },
      })
      const groupId = created.data.id as string
      const added = await groups.updateWorkgroupMembers({
        workgroupId: groupId,
        bulkWorkgroupMembersRequestInnerBeta: [{ type: 'IDENTITY', id: id('james.wilson') }],
      })
      expect(added.status).toBe(207)
      expect(added.data).toEqual([{ id: id('james.wilson'), status: 201, description: 'james.wilson added' }])
      const members = await groups.listWorkgroupMembers({ workgroupId: groupId })
      expect(members.data.map((m) => m.name)).toEqual(['james.wilson'])
      const listed = await groups.listWorkgroups({ filters: 'name sw "Aud"' })
      expect(listed.data.map((g) => [g.name, g.memberCount])).toEqual([['Auditors', 1]])
      const patched = await groups.patchWorkgroup({
        id: groupId,
        jsonPatchOperationBeta: [{ op: 'replace', path: '/description', value: 'Read-only reviewers' }],
      })
      expect(patched.data.description).toBe('Read-only reviewers')
      await groups.deleteWorkgroupMembers({
        workgroupId: groupId,
        bulkWorkgroupMembersRequestInnerBeta: [{ id: id('james.wilson') }],
      })
      await groups.deleteWorkgroup({ id: groupId })
      expect((await groups.listWorkgroups()).data.map((g) => g.name)).toEqual(['Security Approvers'])
    })

    it('reads and replaces the access request configuration, written to provisio.yaml with its comments', async () => {
      // Anyone signed in reads it (it says who may request what); the reference's shape, every default.
      const read = await api.inject({ url: '/v3/access-request-config', headers: sourceAdmin })
      expect(read.statusCode).toBe(200)
      expectReferenceShape('GET', '/access-request-config', 200, read.json())
      expect(read.json()).toEqual(ACCESS_REQUEST_CONFIG_DEFAULTS)

      const settings = join(dir, 'provisio.yaml')
      writeFileSync(
        settings,
        readFileSync(settings, 'utf8') +
          '# Access requests: how approvals are reminded and escalated.\naccessRequestConfig:\n  # Managers ask for their reports.\n  autoApprovalEnabled: false\n',
      )
      const versions = (await configHistory(engine.db)).length
      const body = {
        ...(read.json() as object),
        autoApprovalEnabled: true,
        approvalReminderAndEscalationConfig: {
          daysUntilEscalation: 3,
          daysBetweenReminders: 1,
          maxReminders: 2,
          fallbackApproverRef: {
            type: 'IDENTITY',
            id: id('joan.goldwasser'),
            name: 'Joan',
            email: 'x@example.com',
          },
        },
        entitlementRequestConfig: {
          allowEntitlementRequest: true,
          requestCommentsRequired: true,
          deniedCommentsRequired: false,
          grantRequestApprovalSchemes: `manager, workgroup:${SECURITY_APPROVERS}`,
        },
      }
      const denied = await api.inject({
        method: 'PUT',
        url: '/v3/access-request-config',
        headers: json(sourceAdmin),
        payload: body,
      })
      expect(denied.statusCode).toBe(403)
      const put = await api.inject({
        method: 'PUT',
        url: '/v3/access-request-config',
        headers: json(admin),
        payload: body,
      })
      expect(put.statusCode).toBe(200)
      expectReferenceShape('PUT', '/access-request-config', 200, put.json())
      expect(put.json()).toMatchObject({
        autoApprovalEnabled: true,
        approvalReminderAndEscalationConfig: {
          daysUntilEscalation: 3,
          fallbackApproverRef: { type: 'IDENTITY', id: id('joan.goldwasser'), name: 'joan.goldwasser' },
        },
        entitlementRequestConfig: { requestCommentsRequired: true },
      })
      // The rest of provisio.yaml and its comments stay; the engine runs with it, as a new version.
      const text = readFileSync(settings, 'utf8')
      expect(text).toContain('# Access requests: how approvals are reminded and escalated.')
      expect(text).toContain('# Managers ask for their reports.')
      expect(text).toContain('joan.goldwasser: [ORG_ADMIN]')
      expect(text).toContain('  autoApprovalEnabled: true')
      expect(text).not.toContain('x@example.com')
      expect(
        engine.config.settings.accessRequestConfig.approvalReminderAndEscalationConfig.maxReminders,
      ).toBe(2)
      expect((await configHistory(engine.db)).length).toBe(versions + 1)
      expect(await auditedAs(engine.db, 'ACCESS_REQUEST_CONFIG_UPDATED')).toMatchObject({
        targetType: 'ACCESS_REQUEST_CONFIG',
        status: 200,
      })

      // Bad values: a 400 naming each field in the body, nothing written.
      const bad = await api.inject({
        method: 'PUT',
        url: '/v3/access-request-config',
        headers: json(admin),
        payload: {
          approvalReminderAndEscalationConfig: { maxReminders: 0, fallbackApproverRef: { id: 'nobody' } },
          entitlementRequestConfig: { grantRequestApprovalSchemes: 'manager, owner' },
        },
      })
      expect(bad.statusCode).toBe(400)
      expect((bad.json().fields as { path: string }[]).map((f) => f.path)).toEqual([
        'body.approvalReminderAndEscalationConfig.fallbackApproverRef',
      ])
      const badSchemes = await api.inject({
        method: 'PUT',
        url: '/v3/access-request-config',
        headers: json(admin),
        payload: {
          approvalReminderAndEscalationConfig: { maxReminders: 0 },
          entitlementRequestConfig: { grantRequestApprovalSchemes: 'manager, owner' },
        },
      })
      expect(badSchemes.statusCode).toBe(400)
      expect((badSchemes.json().fields as { path: string }[]).map((f) => f.path).sort()).toEqual([
        'body.approvalReminderAndEscalationConfig.maxReminders',
        'body.entitlementRequestConfig.grantRequestApprovalSchemes',
      ])
      const typo = await api.inject({
        method: 'PUT',
        url: '/v3/access-request-config',
        headers: json(admin),
        payload: { autoApproval: true },
      })
      expect(typo.statusCode).toBe(400)
      expect(readFileSync(settings, 'utf8')).toBe(text)

      // The official client: read, change one field, put back. An empty configuration is all defaults.
      const requests = new AccessRequestsApi(sdk)
      const got = (await requests.getAccessRequestConfig()).data
      const set = await requests.setAccessRequestConfig({
        accessRequestConfig: {
          ...got,
          requestOnBehalfOfConfig: { allowRequestOnBehalfOfAnyoneByAnyone: true },
        },
      })
      expect(set.data.requestOnBehalfOfConfig).toEqual({
        allowRequestOnBehalfOfAnyoneByAnyone: true,
        allowRequestOnBehalfOfEmployeeByManager: true,
      })
      await requests.setAccessRequestConfig({ accessRequestConfig: {} })
      expect(engine.config.settings.accessRequestConfig).toEqual(ACCESS_REQUEST_CONFIG_DEFAULTS)
      expect(readFileSync(settings, 'utf8')).not.toContain('accessRequestConfig:')
    })

    it('makes an entitlement requestable and gives it an owner; aggregation keeps both', async () => {
      const filter = (f: string) => `/beta/entitlements?filters=${encodeURIComponent(f)}`
      const datacenter = (
        await api.inject({ url: filter('value eq "datacenter"'), headers: sourceAdmin })
      ).json()[0] as { id: string; requestable: boolean; owner: unknown }
      // Not requestable until someone says so, as the reference.
      expect(datacenter).toMatchObject({ requestable: false, owner: null })
      expect((await api.inject({ url: filter('requestable eq true'), headers: sourceAdmin })).json()).toEqual(
        [],
      )

      const denied = await api.inject({
        method: 'PATCH',
        url: `/beta/entitlements/${datacenter.id}`,
        headers: { ...roleAdmin, ...PATCH },
        payload: [{ op: 'replace', path: '/requestable', value: true }],
      })
      expect(denied.statusCode).toBe(403)
      const patched = await api.inject({
        method: 'PATCH',
        url: `/beta/entitlements/${datacenter.id}`,
        headers: { ...sourceAdmin, ...PATCH },
        payload: [
          { op: 'replace', path: '/requestable', value: true },
          { op: 'replace', path: '/owner', value: { type: 'IDENTITY', id: id('james.lamarr') } },
        ],
      })
      expect(patched.statusCode).toBe(200)
      expect(patched.json()).toMatchObject({
        id: datacenter.id,
        requestable: true,
        owner: { type: 'IDENTITY', id: id('james.lamarr'), name: 'james.lamarr' },
      })
      const listed = (await api.inject({ url: filter('requestable eq true'), headers: sourceAdmin })).json()
      expect((listed as { id: string }[]).map((e) => e.id)).toEqual([datacenter.id])

      // Refused, each named: another field, an owner who is no identity, a non-boolean.
      const other = await api.inject({
        method: 'PATCH',
        url: `/beta/entitlements/${datacenter.id}`,
        headers: { ...sourceAdmin, ...PATCH },
        payload: [{ op: 'replace', path: '/privileged', value: true }],
      })
      expect(other.statusCode).toBe(400)
      expect(other.json().fields[0].path).toBe('body.0.path')
      const nobody = await api.inject({
        method: 'PATCH',
        url: `/beta/entitlements/${datacenter.id}`,
        headers: { ...sourceAdmin, ...PATCH },
        payload: [{ op: 'replace', path: '/owner/id', value: 'nobody' }],
      })
      expect(nobody.statusCode).toBe(400)
      expect(nobody.json().messages[0].text).toContain('no identity with id or name "nobody"')
      const notBoolean = await api.inject({
        method: 'PATCH',
        url: `/beta/entitlements/${datacenter.id}`,
        headers: { ...sourceAdmin, ...PATCH },
        payload: [{ op: 'replace', path: '/requestable', value: 'yes' }],
      })
      expect(notBoolean.statusCode).toBe(400)
      const missing = await api.inject({
        method: 'PATCH',
        url: '/beta/entitlements/nope',
        headers: { ...sourceAdmin, ...PATCH },
        payload: [{ op: 'replace', path: '/requestable', value: true }],
      })
      expect(missing.statusCode).toBe(404)

      // Aggregated again: still requestable, still owned.
      await refreshSource(engine, 'Badge System')
      const again = (
        await api.inject({ url: `/v2024/entitlements/${datacenter.id}`, headers: sourceAdmin })
      ).json()
      expect(again).toMatchObject({ requestable: true, owner: { id: id('james.lamarr') } })
      expect(await auditedAs(engine.db, 'ENTITLEMENT_UPDATED')).toMatchObject({
        targetType: 'ENTITLEMENT',
        targetId: datacenter.id,
        before: { requestable: false, ownerId: null },
        after: { requestable: true, ownerId: id('james.lamarr') },
      })

      // The official client: the owner removed, requestable again false.
      const entitlements = new EntitlementsBetaApi(sdk)
      const cleared = await entitlements.patchEntitlement({
        id: datacenter.id,
        jsonPatchOperationBeta: [
          { op: 'replace', path: '/owner', value: null as never },
          { op: 'replace', path: '/requestable', value: false },
        ],
      })
      expect(cleared.data).toMatchObject({ requestable: false, owner: null })
    })
  },
)
