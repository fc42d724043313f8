import type { Identity } from '../../domain/model.js'
import { getIdentity } from '../../engine/queries/get-identity.js'
import { listAccounts } from '../../engine/queries/list-accounts.js'
import { listEntitlements } from '../../engine/queries/list-entitlements.js'
import { listIdentities } from '../../engine/queries/list-identities.js'
import { withEngine } from '../../app/open-engine.js'
import { accountJson } from '../../api/presenters/account-json.js'
import { entitlementJson } from '../../api/presenters/entitlement-json.js'
import { identityDetailJson, identityJson } from '../../api/presenters/identity-json.js'
import { formatTable, printJson } from '../print-table.js'

export async function identitiesCommand(workspace: string, options: { json?: boolean }): Promise<void> {
  const { rows: identities } = await withEngine(workspace, (e) => listIdentities(e))
  if (options.json) return printJson(identities.map(identityJson))
  process.stdout.write(
    formatTable(
      ['NAME', 'DISPLAY NAME', 'LIFECYCLE STATE', 'MANAGER', 'STATUS', 'ID'],
      identities.map((i) => [
        i.name,
        i.attributes['displayName'] ?? '',
        i.lifecycleState ?? '',
        i.managerName ?? '',
        status(i),
        i.id,
      ]),
    ) + `\n${identities.length} identities\n`,
  )
}

function status(i: Identity): string {
  if (i.authoritativeAccountRemoved) return 'AUTHORITATIVE ACCOUNT REMOVED'
  return i.processingState === 'ERROR' ? 'ERROR' : 'OK'
}

export async function identityCommand(
  workspace: string,
  idOrName: string,
  options: { json?: boolean },
): Promise<void> {
  const found = await withEngine(workspace, (e) => getIdentity(e, idOrName))
  if (options.json) return printJson(identityDetailJson(found.identity, found.accounts))
  const i = found.identity
  const lines = [
    `${i.name}  (${i.id})`,
    `  identity profile   ${i.identityProfile}`,
    `  lifecycle state    ${i.lifecycleState ?? '(not set)'}`,
    `  manager            ${i.managerName ?? '(none)'}`,
    `  status             ${status(i)}${i.processingError ? ` — ${i.processingError}` : ''}`,
    ...(i.authoritativeAccountRemoved
      ? [`  authoritative account removed ${i.authoritativeAccountRemoved}`]
      : []),
    '  attributes',
    ...Object.entries(i.attributes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `    ${k.padEnd(22)} ${v ?? ''}`),
    '  accounts',
    ...found.accounts.map(
      (a) => `    ${a.sourceName.padEnd(22)} ${a.nativeIdentity}  ${a.displayName ?? ''}`,
    ),
  ]
  process.stdout.write(lines.join('\n') + '\n')
}

export async function accountsCommand(
  workspace: string,
  source: string,
  options: { json?: boolean },
): Promise<void> {
  const { accounts, names } = await withEngine(workspace, async (e) => ({
    accounts: (await listAccounts(e, { filters: { source } })).rows,
    names: new Map((await listIdentities(e)).rows.map((i) => [i.id, i.name])),
  }))
  if (options.json) return printJson(accounts.map(accountJson))
  process.stdout.write(
    formatTable(
      ['NATIVE IDENTITY', 'DISPLAY NAME', 'IDENTITY', 'DISABLED'],
      accounts.map((a) => [
        a.nativeIdentity,
        a.displayName,
        a.identityId ? (names.get(a.identityId) ?? a.identityId) : '(uncorrelated)',
        a.disabled ? 'yes' : '',
      ]),
    ) + `\n${accounts.length} accounts\n`,
  )
}

export async function entitlementsCommand(
  workspace: string,
  source: string,
  options: { json?: boolean },
): Promise<void> {
  const { rows: entitlements } = await withEngine(workspace, (e) =>
    listEntitlements(e, { filters: { source } }),
  )
  if (options.json) return printJson(entitlements.map(entitlementJson))
  process.stdout.write(
    formatTable(
      ['ATTRIBUTE', 'VALUE', 'ID'],
      entitlements.map((x) => [x.attribute, x.value, x.id]),
    ) + `\n${entitlements.length} entitlements\n`,
  )
}
