import { withEngine } from '../../app/open-engine.js'
import { changeCapabilities } from '../../engine/auth/capability-grants.js'
import { ConfigRepository } from '../../engine/config/config-repository.js'
import { formatTable, printJson } from '../print-table.js'

/**
 * `provisio capabilities grant|revoke IDENTITY CAPABILITY…`: changes `capabilities:` in provisio.yaml
 * (comments kept) and publishes the configuration; the identity's next access token carries it.
 */
export async function capabilitiesChangeCommand(
  workspace: string,
  identity: string,
  capabilities: readonly string[],
  change: 'grant' | 'revoke',
  o: { json?: boolean },
): Promise<void> {
  const result = await withEngine(workspace, async (e) => {
    const r = await changeCapabilities(e, new ConfigRepository(e.config.dir), identity, {
      [change]: capabilities,
    })
    await e.reconfigure(r.workspace.config)
    return r
  })
  if (o.json) {
    return printJson({
      identityId: result.identity.id,
      name: result.identity.name,
      capabilities: result.capabilities,
    })
  }
  const held = result.capabilities.length === 0 ? 'no capabilities' : result.capabilities.join(', ')
  process.stdout.write(`${result.identity.name} (${result.identity.id}) now has ${held}\n`)
}

/** `provisio capabilities list`: who holds what, as provisio.yaml grants it. */
export async function capabilitiesListCommand(workspace: string, o: { json?: boolean }): Promise<void> {
  const grants = await withEngine(workspace, async (e) =>
    Object.entries(e.config.settings.capabilities).map(([identity, caps]) => ({
      identity,
      capabilities: caps,
    })),
  )
  if (o.json) return printJson(grants)
  if (grants.length === 0) {
    process.stdout.write('no capabilities granted (capabilities: in provisio.yaml)\n')
    return
  }
  process.stdout.write(
    formatTable(
      ['IDENTITY', 'CAPABILITIES'],
      grants.map((g) => [g.identity, g.capabilities.join(', ')]),
    ) + '\n',
  )
}
