import type {
  CertificationItem,
  ItemDecision,
  ItemReason,
  Remediation,
} from '../domain/certifications/certification-item.js'
import type { Decision } from '../domain/certifications/campaign.js'
import { filterFields, type CheckedFilter } from '../domain/query/check-filters.js'
import { selectTuples, type Db } from './db.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'
import { WhereClauses } from './where-clauses.js'

/** A generated item, before it is stored. */
export type NewCertificationItem = Omit<
  CertificationItem,
  | 'decision'
  | 'proposedEndDate'
  | 'comments'
  | 'decidedBy'
  | 'decided'
  | 'remediation'
  | 'remediationDetail'
  | 'activityIds'
  | 'reasons'
> & {
  /** The reasons as JSON text: items of identities with the same grants share it. */
  readonly reasonsJson: string
}

/** The columns generation writes (also the benchmark's baseline). */
export const CERTIFICATION_ITEM_INSERT_COLUMNS = [
  'id',
  'campaign_id',
  'certification_id',
  'identity_id',
  'item_type',
  'item_id',
  'item_name',
  'source_id',
  'attribute',
  'value',
  'native_identity',
  'reasons',
  'revocable',
  'acknowledge_only',
  'assignment_ids',
  'peers',
] as const

// An entitlement's item id is its key (entitlementKey), whose parts are joined by NUL, which PostgreSQL text
// cannot hold: it is stored with the unit separator instead, and read back as the key.
const storedItemId = (id: string): string => id.replaceAll('\u0000', '\u001f')
const itemIdOf = (stored: string): string => stored.replaceAll('\u001f', '\u0000')

/** Writes generated items in bulk (COPY on the embedded database, unnest on a server). */
export async function insertCertificationItems(
  db: Db,
  items: readonly NewCertificationItem[],
): Promise<void> {
  await db.insertRows(
    'certification_items',
    CERTIFICATION_ITEM_INSERT_COLUMNS,
    items.map((i) => [
      i.id,
      i.campaignId,
      i.certificationId,
      i.identityId,
      i.itemType,
      storedItemId(i.itemId),
      i.itemName,
      i.sourceId,
      i.attribute,
      i.value,
      i.nativeIdentity,
      i.reasonsJson,
      i.revocable ? 't' : 'f',
      i.acknowledgeOnly,
      i.assignmentIds.length > 0 ? JSON.stringify(i.assignmentIds) : '[]',
      JSON.stringify(i.peers),
    ]),
  )
}

const time = (c: string): string => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const COLUMNS = [
  ...CERTIFICATION_ITEM_INSERT_COLUMNS,
  'decision',
  time('proposed_end_date'),
  'comments',
  'decided_by',
  time('decided'),
  'remediation',
  'remediation_detail',
  "coalesce(activity_ids, '[]')",
]
type Tuple = [
  string,
  string,
  string,
  string,
  CertificationItem['itemType'],
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  ItemReason[],
  boolean,
  string | null,
  string[],
  Record<string, number>,
  Decision | null,
  string | null,
  string | null,
  string | null,
  string | null,
  Remediation | null,
  string | null,
  string[],
]

function toItem(t: Tuple): CertificationItem {
  return {
    id: t[0],
    campaignId: t[1],
    certificationId: t[2],
    identityId: t[3],
    itemType: t[4],
    itemId: itemIdOf(t[5]),
    itemName: t[6],
    sourceId: t[7],
    attribute: t[8],
    value: t[9],
    nativeIdentity: t[10],
    reasons: t[11],
    revocable: t[12],
    acknowledgeOnly: t[13],
    assignmentIds: t[14],
    peers: t[15],
    decision: t[16],
    proposedEndDate: t[17],
    comments: t[18],
    decidedBy: t[19],
    decided: t[20],
    remediation: t[21],
    remediationDetail: t[22],
    activityIds: t[23],
  }
}

export interface CertificationItemFilter {
  readonly ids?: readonly string[]
  readonly certificationIds?: readonly string[]
  readonly campaignIds?: readonly string[]
  readonly identityIds?: readonly string[]
  readonly itemTypes?: readonly string[]
  /** The access reviewed: a role's or access profile's id, an entitlement's key (entitlementKey). */
  readonly itemIds?: readonly string[]
  /** Decided (true) or not yet (false). */
  readonly decided?: boolean
  readonly decisions?: readonly Decision[]
  readonly remediations?: readonly Remediation[]
  /** Decided but not remediated, or pending without any activity (remediation did not start). */
  readonly unremediated?: boolean
  /** The API's `filters`, checked against the fields of `itemColumns`. */
  readonly expression?: CheckedFilter<CertificationItemFilterField>
  /** The names of subjects that are not identities (a role composition campaign's roles), by id. */
  readonly subjectNames?: ReadonlyMap<string, string>
}
export type CertificationItemFilterField =
  | 'id'
  | 'type'
  | 'access.type'
  | 'access.id'
  | 'access.name'
  | 'completed'
  | 'identitySummary.id'
  | 'identitySummary.name'
  | 'entitlement.sourceName'
  | 'accessProfile.sourceName'
export type CertificationItemSortField =
  'id' | 'identity' | 'identityName' | 'name' | 'type' | 'entitlementSource' | 'accessProfileSource'

// Items keep ids: names are looked up where a filter or sort asks for them. A sort is written once and
// read both inside the page's query and over its rows, so it names only the item's columns, unqualified
// (neither identities nor sources has an identity_id or a source_id column of its own).
const sourceNameOf = (itemType: string): string =>
  `CASE WHEN item_type = '${itemType}' THEN (SELECT s.name FROM sources s WHERE s.id = source_id) END`
// The id an entitlement is known by outside the campaign is the catalog's (the item keeps the planner's
// key); entitlements has columns of the item's names, so the item's are qualified (filters only).
const ACCESS_ID = `CASE WHEN item_type = 'ENTITLEMENT' THEN coalesce((SELECT e.id FROM entitlements e
  WHERE e.source_id = certification_items.source_id AND e.attribute = certification_items.attribute
    AND e.value = certification_items.value), item_id) ELSE item_id END`

/**
 * What filters and sorts read of an item; `subjectNames` is the parameter (`$n`) holding the names of
 * subjects that are no identity, by id, when some are.
 */
function itemColumns(subjectNames: string | undefined): {
  filters: Record<CertificationItemFilterField, string>
  sorts: Record<CertificationItemSortField, string>
} {
  const identityName = `${subjectNames !== undefined ? `coalesce(${subjectNames}::json ->> identity_id, ` : '('}
    (SELECT x.name FROM identities x WHERE x.id = identity_id))`
  return {
    filters: {
      id: 'id',
      type: 'item_type',
      'access.type': 'item_type',
      'access.id': ACCESS_ID,
      'access.name': 'item_name',
      completed: '(decision IS NOT NULL)',
      'identitySummary.id': 'identity_id',
      'identitySummary.name': identityName,
      'entitlement.sourceName': sourceNameOf('ENTITLEMENT'),
      'accessProfile.sourceName': sourceNameOf('ACCESS_PROFILE'),
    },
    sorts: {
      id: 'id',
      identity: 'identity_id',
      identityName: `coalesce(${identityName}, identity_id)`,
      name: 'item_name',
      type: 'item_type',
      entitlementSource: sourceNameOf('ENTITLEMENT'),
      accessProfileSource: sourceNameOf('ACCESS_PROFILE'),
    },
  }
}

// A campaign's items are those of its certifications (an item moves only between certifications of its
// campaign): found through the index by certification, the only one besides the key that writes pay for.
const CERTIFICATIONS_OF = `SELECT id FROM work_items WHERE type = 'Certification' AND campaign_id`

/**
 * Items with their outcomes: remediation writes those to a narrow table of their own (an update of the wide
 * item rows cost a sign-off a third of its time), and an item without one has not been remediated. The
 * outcome's columns are named apart from the item's, so filters and sorts read the same unqualified.
 */
const ITEMS = `certification_items LEFT JOIN certification_outcomes ON certification_item_id = id`

/** An item whose remediation was not written, or could not start (pending without any activity). */
const unremediated = (t = ''): string =>
  `(${t}remediation IS NULL OR (${t}remediation = 'PENDING' AND coalesce(${t}activity_ids::text, '[]') = '[]'))`

/** Decided items (`i`) not remediated: a FROM and WHERE to which a condition can be added with AND. */
export const UNREMEDIATED_ITEMS = `certification_items i LEFT JOIN certification_outcomes o ON o.certification_item_id = i.id
  WHERE i.decision IS NOT NULL AND ${unremediated('o.')}`

/**
 * The conditions of `f`, and the columns its filter and `sort` read: the subjects' names are a parameter,
 * the first, when either reads them (a parameter the statement does not use is an error on a server).
 */
function where(
  f: CertificationItemFilter,
  sort?: Page<CertificationItemSortField>['sort'],
): { w: WhereClauses; columns: ReturnType<typeof itemColumns> } {
  const w = new WhereClauses()
  const readsNames =
    (f.expression !== undefined && filterFields(f.expression).has('identitySummary.name')) ||
    (sort ?? []).some((k) => k.field === 'identityName')
  let names: string | undefined
  if (f.subjectNames !== undefined && readsNames) {
    w.params.push(JSON.stringify(Object.fromEntries(f.subjectNames)))
    names = `$${w.params.length}`
  }
  const columns = itemColumns(names)
  if (f.ids) w.add('id = ANY(?::text[])', f.ids)
  if (f.certificationIds) w.add('certification_id = ANY(?::text[])', f.certificationIds)
  if (f.campaignIds) w.add(`certification_id IN (${CERTIFICATIONS_OF} = ANY(?::text[]))`, f.campaignIds)
  if (f.identityIds) w.add('identity_id = ANY(?::text[])', f.identityIds)
  if (f.itemTypes) w.add('item_type = ANY(?::text[])', f.itemTypes)
  if (f.itemIds) w.add('item_id = ANY(?::text[])', f.itemIds.map(storedItemId))
  if (f.decided === true) w.add('decision IS NOT NULL')
  if (f.decided === false) w.add('decision IS NULL')
  if (f.decisions) w.add('decision = ANY(?::text[])', f.decisions)
  if (f.remediations) w.add('remediation = ANY(?::text[])', f.remediations)
  if (f.unremediated === true) w.add(`decision IS NOT NULL AND ${unremediated()}`)
  w.filter(f.expression, columns.filters)
  return { w, columns }
}

export async function listCertificationItems(
  db: Db,
  filter: CertificationItemFilter,
  page?: Page<CertificationItemSortField>,
): Promise<CertificationItem[]> {
  const { w, columns } = where(filter, page?.sort)
  const order = orderClause(page?.sort, columns.sorts, 'id', 'id')
  const tuples = await selectTuples<Tuple>(
    db,
    COLUMNS,
    `FROM (SELECT * FROM ${ITEMS} ${w.sql()} ${order}${limitClause(page, w.params)}) AS page`,
    w.params,
    order,
  )
  return tuples.map(toItem)
}

/** What remediation reads of an item: not why it is held, nor its peers' shares (the wide columns). */
export type RemediationItem = Omit<CertificationItem, 'reasons' | 'peers' | 'itemName' | 'acknowledgeOnly'>
const NOT_REMEDIATION = new Set(['reasons', 'peers', 'item_name', 'acknowledge_only'])

/** The decided items of certifications that wait for a remediation, in id order, as remediation reads them. */
export async function listUnremediatedItems(
  db: Db,
  certificationIds: readonly string[],
): Promise<RemediationItem[]> {
  const { w } = where({ certificationIds, unremediated: true })
  const tuples = await selectTuples<Tuple>(
    db,
    COLUMNS.map((c) => (NOT_REMEDIATION.has(c) ? 'NULL' : c)),
    `FROM ${ITEMS} ${w.sql()}`,
    w.params,
    'ORDER BY id',
  )
  return tuples.map(toItem)
}

export async function countCertificationItems(db: Db, filter: CertificationItemFilter): Promise<number> {
  const { w } = where(filter)
  return countRows(db, `FROM ${ITEMS} ${w.sql()}`, w.params)
}

/**
 * Records decisions on items of one certification (each replacing the item's earlier one) in one statement,
 * only while the certification is open and the items are still in it: the certification's row is locked
 * first, so a sign-off (or a reassignment) either comes after these decisions or leaves them unwritten.
 * Returns how many items were decided; fewer than given means the certification moved on meanwhile.
 */
export async function recordDecisions(
  db: Db,
  certificationId: string,
  decisions: readonly ItemDecision[],
  by: string,
  now: Date,
): Promise<number> {
  if (decisions.length === 0) return 0
  const rows = await db.query<{ n: number }>(
    `WITH open AS (
       SELECT id FROM work_items WHERE id = $7 AND type = 'Certification' AND completed IS NULL FOR UPDATE),
     d AS (
       UPDATE certification_items i SET decision = u.decision, proposed_end_date = u.end_date,
         comments = u.comments, decided_by = $5, decided = $6
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]) AS u(id, decision, end_date, comments),
         open
       WHERE i.id = u.id AND i.certification_id = open.id RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [
      decisions.map((d) => d.id),
      decisions.map((d) => d.decision),
      decisions.map((d) => d.proposedEndDate ?? null),
      decisions.map((d) => d.comments ?? null),
      by,
      now.toISOString(),
      certificationId,
    ],
  )
  return Number(rows[0]?.n ?? 0)
}

/** Decides every undecided item of some certifications the same way (a past-due campaign's completion). */
export async function decideRemaining(
  db: Db,
  certificationIds: readonly string[],
  decision: Decision,
  comment: string,
  now: Date,
): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH d AS (
       UPDATE certification_items SET decision = CASE WHEN $2 = 'REVOKE' AND revocable THEN 'REVOKE' ELSE 'APPROVE' END,
         comments = $3, decided = $4
       WHERE certification_id = ANY($1::text[]) AND decision IS NULL RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [certificationIds, decision, comment, now.toISOString()],
  )
  return Number(rows[0]?.n ?? 0)
}

/** What remediation did with an item: its outcome, detail and the activities it wrote. */
export interface ItemOutcome {
  readonly id: string
  readonly remediation: Remediation
  readonly detail: string | null
  readonly activityIds?: readonly string[]
}

// In id order: the key's index is then written forward rather than back and forth (it was measured 5–25%
// less time for a sign-off's 14,000 when the outcomes were an update of the items).
const inIdOrder = (results: readonly ItemOutcome[]): ItemOutcome[] =>
  [...results].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/** Records what remediation did with items (replacing an outcome they had). */
export async function recordRemediation(
  db: Db,
  results: readonly ItemOutcome[],
  /** Leave items another run has remediated meanwhile (what a remediation that failed to start records). */
  options: { ifUnremediated?: boolean } = {},
): Promise<void> {
  if (results.length === 0) return
  const sorted = inIdOrder(results)
  await db.query(
    `INSERT INTO certification_outcomes AS o (certification_item_id, remediation, remediation_detail, activity_ids)
     SELECT u.id, u.remediation, u.detail, u.activities::json
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, remediation, detail, activities)
     ON CONFLICT (certification_item_id) DO UPDATE SET remediation = excluded.remediation,
       remediation_detail = excluded.remediation_detail,
       activity_ids = coalesce(excluded.activity_ids, o.activity_ids)${
         options.ifUnremediated === true ? ` WHERE ${unremediated('o.')}` : ''
       }`,
    [
      sorted.map((r) => r.id),
      sorted.map((r) => r.remediation),
      sorted.map((r) => r.detail),
      sorted.map((r) => (r.activityIds ? JSON.stringify(r.activityIds) : null)),
    ],
  )
}

/**
 * The outcomes of items claimed for remediation (read by `listUnremediatedItems` in the same transaction, so
 * no other run writes them meanwhile): `earlier` are those that already had one (pending, remediation could
 * not start), replaced; the rest are new rows, written in bulk (COPY on the embedded store: about half the
 * time of an upsert for a sign-off's 14,000).
 */
export async function writeClaimedOutcomes(
  db: Db,
  results: readonly ItemOutcome[],
  earlier: readonly string[],
): Promise<void> {
  if (earlier.length > 0) {
    await db.query('DELETE FROM certification_outcomes WHERE certification_item_id = ANY($1::text[])', [
      earlier,
    ])
  }
  await db.insertRows(
    'certification_outcomes',
    ['certification_item_id', 'remediation', 'remediation_detail', 'activity_ids'],
    inIdOrder(results).map((r) => [
      r.id,
      r.remediation,
      r.detail,
      r.activityIds ? JSON.stringify(r.activityIds) : null,
    ]),
  )
}

/** What a campaign's report lists of an item: its decision and remediation, not why it is held. */
export type ReportedItem = Pick<
  CertificationItem,
  | 'id'
  | 'certificationId'
  | 'identityId'
  | 'itemType'
  | 'itemName'
  | 'sourceId'
  | 'decision'
  | 'decidedBy'
  | 'decided'
  | 'comments'
  | 'proposedEndDate'
  | 'remediation'
  | 'remediationDetail'
>

/**
 * Items of some certifications as a report lists them, in the table's key order (certification, then
 * item: an identity's items lie together): all of them, or of one certification a page at a time, those
 * after item `after`. Each read follows the key from where it starts, never rereading what came before.
 */
export async function listReportedItems(
  db: Db,
  certificationIds: readonly string[],
  after: string | null,
  limit: number | null,
): Promise<ReportedItem[]> {
  const w = new WhereClauses().add('certification_id = ANY(?::text[])', certificationIds)
  if (after !== null) w.add('id > ?', after)
  const limitSql = limit === null ? '' : limitClause({ limit }, w.params)
  const tuples = await selectTuples<Tuple>(
    db,
    // Not why each item is held: the wide columns.
    COLUMNS.map((c) => (c === 'reasons' || c === 'peers' ? 'NULL' : c)),
    `FROM (SELECT * FROM ${ITEMS} ${w.sql()} ORDER BY certification_id, id${limitSql}) AS page`,
    w.params,
    'ORDER BY certification_id, id',
  )
  return tuples.map(toItem)
}

/** Per certification: items, decided, revoked; for progress by reviewer. */
export async function decisionCounts(
  db: Db,
  campaignId: string,
): Promise<Map<string, { total: number; decided: number; revoked: number; approved: number }>> {
  const rows = await db.query<{ certification_id: string; total: number; decided: number; revoked: number }>(
    `SELECT certification_id, count(*)::int AS total, count(decision)::int AS decided,
       count(*) FILTER (WHERE decision = 'REVOKE')::int AS revoked
     FROM certification_items WHERE certification_id IN (${CERTIFICATIONS_OF} = $1) GROUP BY certification_id`,
    [campaignId],
  )
  return new Map(
    rows.map((r) => [
      r.certification_id,
      {
        total: Number(r.total),
        decided: Number(r.decided),
        revoked: Number(r.revoked),
        approved: Number(r.decided) - Number(r.revoked),
      },
    ]),
  )
}

/**
 * A campaign's items (or one certification's) by remediation outcome (null: not remediated: not signed off
 * yet, or queued for remediation).
 */
export async function remediationCounts(
  db: Db,
  of: { campaignId: string } | { certificationId: string },
): Promise<Record<string, number>> {
  const [where, id] =
    'campaignId' in of
      ? [`certification_id IN (${CERTIFICATIONS_OF} = $1)`, of.campaignId]
      : ['certification_id = $1', of.certificationId]
  const rows = await db.query<{ remediation: string | null; n: number }>(
    `SELECT remediation, count(*)::int AS n FROM ${ITEMS} WHERE ${where} GROUP BY remediation`,
    [id],
  )
  return Object.fromEntries(rows.map((r) => [r.remediation ?? 'NOT_STARTED', Number(r.n)]))
}

/** Moves items to another certification (part of a certification reassigned), with their decisions. */
export async function moveCertificationItems(
  db: Db,
  itemIds: readonly string[],
  fromCertificationId: string,
  certificationId: string,
): Promise<number> {
  if (itemIds.length === 0) return 0
  // Only items still in the certification they are moved from: fewer means some moved meanwhile.
  const rows = await db.query<{ n: number }>(
    `WITH m AS (UPDATE certification_items SET certification_id = $3
       WHERE id = ANY($1::text[]) AND certification_id = $2 RETURNING 1)
     SELECT count(*)::int AS n FROM m`,
    [itemIds, fromCertificationId, certificationId],
  )
  return Number(rows[0]?.n ?? 0)
}
