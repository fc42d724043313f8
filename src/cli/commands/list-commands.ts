import { findSource } from '../../domain/config/workspace-config.js'
import { NotFoundError } from '../../domain/errors.js'
import type { Identity } from '../../domain/model.js'
import { listAccounts } from '../../store/accounts.js'
import { listEntitlements } from '../../store/entitlements.js'
import { findIdentity, listIdentities } from '../../store/identities.js'
import { ensureSource } from '../../store/sources.js'
import { withEngine, type OpenEngine } from '../../app/open-engine.js'
import { formatTable, printJson } from '../print-table.js'

export async function identitiesCommand(workspace: string, options: { json?: boolean }): Promise<void> {
  const identities = await withEngine(workspace, (e) => listIdentities(e.db))
  if (options.json) return printJson(identities)
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
  const found = await withEngine(workspace, async (e) => {
    const identity = await findIdentity(e.db, idOrName)
    if (!identity) throw new NotFoundError(`no identity with id or name "${idOrName}"`)
    return { identity, accounts: await listAccounts(e.db, { identityIds: [identity.id] }) }
  })
  if (options.json) return printJson({ ...found.identity, accounts: found.accounts })
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

async function sourceIdOf(e: OpenEngine, name: string): Promise<string> {
  const source = findSource(e.config, name)
  if (!source) throw new NotFoundError(`no source named "${name}"`)
  return ensureSource(e.db, source.name, source.id)
}

export async function accountsCommand(
  workspace: string,
  source: string,
  options: { json?: boolean },
): Promise<void> {
  const { accounts, names } = await withEngine(workspace, async (e) => ({
    accounts: await listAccounts(e.db, { sourceId: await sourceIdOf(e, source) }),
    names: new Map((await listIdentities(e.db)).map((i) => [i.id, i.name])),
  }))
  if (options.json) return printJson(accounts)
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
  const entitlements = await withEngine(workspace, async (e) =>
    listEntitlements(e.db, await sourceIdOf(e, source)),
  )
  if (options.json) return printJson(entitlements)
  process.stdout.write(
    formatTable(
      ['ATTRIBUTE', 'VALUE', 'ID'],
      entitlements.map((x) => [x.attribute, x.value, x.id]),
    ) + `\n${entitlements.length} entitlements\n`,
  )
}
