import type { Attributes } from '../../connectors/connector.js'
import type { ClaimedActivity } from '../../store/activity-claims.js'
import { generateSecrets } from './generate-secrets.js'
import type { SourceScope } from './source-scope.js'

/** The Create items as attributes; secret fields are generated now and never stored. */
export async function createAttributes(scope: SourceScope, a: ClaimedActivity): Promise<Attributes> {
  const attributes: Attributes = {}
  const secrets = a.items.filter((i) => i.secret)
  const generated =
    secrets.length > 0
      ? await generateSecrets(scope.ctx, scope.source, await scope.identity(a.identityId), secrets)
      : new Map<string, string>()
  for (const item of a.items) {
    const value = item.secret ? (generated.get(item.attribute) ?? null) : item.value
    if (item.operation === 'Add') {
      const held = attributes[item.attribute]
      const list = Array.isArray(held) ? held : held === undefined || held === null ? [] : [held]
      attributes[item.attribute] = [...list, ...(Array.isArray(value) ? value : [value])]
    } else attributes[item.attribute] = value
  }
  return attributes
}
