import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReviewItemType } from '../src/domain/certifications/review-items.js'
import { readFilters, type FilterFields } from '../src/domain/query/check-filters.js'
import {
  insertCertificationItems,
  listCertificationItems,
  type CertificationItemFilterField,
  type CertificationItemSortField,
  type NewCertificationItem,
} from '../src/store/certification-items.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import type { Store } from '../src/store/open-store.js'
import type { SortKey } from '../src/store/paging.js'
import { addEntitlements } from '../src/store/entitlements.js'
import { ensureSource } from '../src/store/sources.js'
import { databases } from './support/databases.js'
import { identityRow } from './support/identity-rows.js'

/*
 * One certification's items, their ids in the opposite order of the names they sort by, so an order that
 * falls back on the id shows:
 *
 *   identity  "zoe" (id i1)       "adam" (id i2)      role "middle" (id aaa-role, a role composition's)
 *             7 ENTITLEMENT  Zeta   6 ENTITLEMENT  Alpha  1 ROLE
 *             5 ACCESS_PROFILE Alpha 4 ACCESS_PROFILE Zeta
 *             3 ROLE                 2 ROLE
 *
 *   sources   "Zeta Directory" (id s1), "Alpha Badges" (id s2)
 */
describe.each(databases)('certification items in order on $name', (database) => {
  let store: Store | undefined
  beforeAll(async () => {
    store = await seed()
  })
  afterAll(async () => {
    await store?.close()
  })

  const seed = async (): Promise<Store> => {
    const s = await database.open()
    const zeta = await ensureSource(s.db, 'Zeta Directory', 's1')
    const alpha = await ensureSource(s.db, 'Alpha Badges', 's2')
    await insertIdentities(s.db, [identityRow('i1', 'zoe'), identityRow('i2', 'adam')])
    // Item 6's entitlement is in the catalog (known by the catalog's id), item 7's is not (by its key).
    await addEntitlements(s.db, alpha, [{ attribute: 'groups', value: 'g6' }])
    const item = (
      id: string,
      identityId: string,
      itemType: ReviewItemType,
      sourceId: string | null,
    ): NewCertificationItem => ({
      id,
      campaignId: 'campaign',
      certificationId: 'cert',
      identityId,
      itemType,
      itemId: `access-${id}`,
      itemName: `access ${id}`,
      sourceId,
      attribute: itemType === 'ENTITLEMENT' ? 'groups' : null,
      value: itemType === 'ENTITLEMENT' ? `g${id}` : null,
      nativeIdentity: null,
      reasonsJson: '[]',
      revocable: true,
      acknowledgeOnly: null,
      assignmentIds: [],
      peers: {},
    })
    await insertCertificationItems(s.db, [
      item('1', 'aaa-role', 'ROLE', null),
      item('2', 'i2', 'ROLE', null),
      item('3', 'i1', 'ROLE', null),
      item('4', 'i2', 'ACCESS_PROFILE', zeta),
      item('5', 'i1', 'ACCESS_PROFILE', alpha),
      item('6', 'i2', 'ENTITLEMENT', alpha),
      item('7', 'i1', 'ENTITLEMENT', zeta),
    ])
    return s
  }
  const sortBy = (sorters: string): SortKey<CertificationItemSortField>[] =>
    sorters.split(',').map((s) => ({
      field: s.replace(/^-/, '') as CertificationItemSortField,
      descending: s.startsWith('-'),
    }))
  const ids = async (
    sorters: string,
    page: { limit?: number; offset?: number } = {},
    subjectNames?: ReadonlyMap<string, string>,
  ): Promise<string[]> =>
    (
      await listCertificationItems(
        (store as Store).db,
        { certificationIds: ['cert'], ...(subjectNames ? { subjectNames } : {}) },
        { ...page, sort: sortBy(sorters) },
      )
    ).map((i) => i.id)

  it("sorts by the identity's name, ties by id; a subject that is no identity by the name given for it", async () => {
    // Without a name, a role composition's subject sorts by its id.
    expect(await ids('identityName')).toEqual(['1', '2', '4', '6', '3', '5', '7'])
    expect(await ids('-identityName')).toEqual(['3', '5', '7', '2', '4', '6', '1'])
    const roles = new Map([['aaa-role', 'middle']])
    expect(await ids('identityName', {}, roles)).toEqual(['2', '4', '6', '1', '3', '5', '7'])
    expect(await ids('-identityName,-type', {}, roles)).toEqual(['3', '7', '5', '1', '2', '6', '4'])
  })

  it("sorts by an entitlement's or an access profile's source name, the other items after them (before, descending)", async () => {
    expect(await ids('entitlementSource')).toEqual(['6', '7', '1', '2', '3', '4', '5'])
    expect(await ids('-entitlementSource')).toEqual(['1', '2', '3', '4', '5', '7', '6'])
    expect(await ids('accessProfileSource')).toEqual(['5', '4', '1', '2', '3', '6', '7'])
    expect(await ids('-accessProfileSource,identityName')).toEqual(['1', '2', '6', '3', '7', '4', '5'])
  })

  it('pages one order without overlap or gap', async () => {
    const whole = await ids('identityName,-accessProfileSource')
    expect(whole).toEqual(['1', '2', '6', '4', '3', '7', '5'])
    const pages: string[] = []
    for (let offset = 0; offset < whole.length; offset += 3) {
      pages.push(...(await ids('identityName,-accessProfileSource', { limit: 3, offset })))
    }
    expect(pages).toEqual(whole)
  })

  // As the API offers them (the reference's filters of access-review-items).
  const FIELDS: FilterFields<CertificationItemFilterField> = {
    id: { type: 'string', operators: ['eq', 'in'] },
    type: { type: 'string', operators: ['eq'] },
    'access.type': { type: 'string', operators: ['eq'] },
    'access.id': { type: 'string', operators: ['eq', 'in'] },
    'access.name': { type: 'string', operators: ['eq', 'sw'] },
    completed: { type: 'boolean', operators: ['eq', 'ne'] },
    'identitySummary.id': { type: 'string', operators: ['eq', 'in'] },
    'identitySummary.name': { type: 'string', operators: ['eq', 'sw'] },
    'entitlement.sourceName': { type: 'string', operators: ['eq', 'sw'] },
    'accessProfile.sourceName': { type: 'string', operators: ['eq', 'sw'] },
  }
  const matching = async (filters: string, subjectNames?: ReadonlyMap<string, string>): Promise<string[]> =>
    (
      await listCertificationItems((store as Store).db, {
        certificationIds: ['cert'],
        expression: readFilters(filters, FIELDS),
        ...(subjectNames ? { subjectNames } : {}),
      })
    ).map((i) => i.id)

  it("filters by the identity's name; a subject that is no identity by the name given for it", async () => {
    expect(await matching('identitySummary.name eq "adam"')).toEqual(['2', '4', '6'])
    expect(await matching('identitySummary.name sw "zo"')).toEqual(['3', '5', '7'])
    expect(await matching('identitySummary.name eq "middle"')).toEqual([])
    const roles = new Map([['aaa-role', 'middle']])
    expect(await matching('identitySummary.name eq "middle"', roles)).toEqual(['1'])
    // Sorted and filtered by the name at once: the names are one parameter of the statement.
    const items = await listCertificationItems(
      (store as Store).db,
      {
        certificationIds: ['cert'],
        expression: readFilters('identitySummary.name sw "m" or identitySummary.name eq "adam"', FIELDS),
        subjectNames: roles,
      },
      { sort: [{ field: 'identityName', descending: true }] },
    )
    expect(items.map((i) => i.id)).toEqual(['1', '2', '4', '6'])
  })

  it("filters by an entitlement's or an access profile's source name", async () => {
    expect(await matching('entitlement.sourceName eq "Alpha Badges"')).toEqual(['6'])
    expect(await matching('entitlement.sourceName sw "Zeta"')).toEqual(['7'])
    expect(await matching('accessProfile.sourceName sw "Zeta"')).toEqual(['4'])
    expect(
      await matching(
        'accessProfile.sourceName eq "Alpha Badges" or entitlement.sourceName eq "Alpha Badges"',
      ),
    ).toEqual(['5', '6'])
  })

  it("filters by the access's id: an entitlement's is the catalog's when it has one, else its key", async () => {
    const [catalogId] = (
      await (store as Store).db.query<{ id: string }>(`SELECT id FROM entitlements WHERE value = 'g6'`)
    ).map((r) => r.id)
    expect(catalogId).toBeDefined()
    expect(await matching(`access.id eq "${catalogId}"`)).toEqual(['6'])
    expect(await matching('access.id eq "access-6"')).toEqual([])
    expect(await matching('access.id in ("access-7", "access-1", "access-4")')).toEqual(['1', '4', '7'])
  })
})
