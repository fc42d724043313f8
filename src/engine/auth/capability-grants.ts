import { isMap, type Document } from 'yaml'
import { checkCapabilities, type Capability } from '../../domain/auth/capabilities.js'
import type { Identity } from '../../domain/model.js'
import type { ConfigRepository } from '../config/config-repository.js'
import type { LoadedWorkspace } from '../workspace/load-workspace.js'
import type { EngineContext } from '../engine-context.js'
import { findIdentity } from '../queries/get-identity.js'
import { capabilitiesOf } from './identity-capabilities.js'

/** An identity's capabilities after a change, and the workspace as it now loads. */
export interface CapabilityChange {
  readonly identity: Identity
  readonly capabilities: Capability[]
  readonly workspace: LoadedWorkspace
}

/**
 * Sets an identity's capabilities in `provisio.yaml` (`capabilities:`, keyed by the identity's name; an
 * entry under its id is folded into it). An empty set removes the entry. Takes effect with the next
 * access token the identity gets (a token carries the capabilities it was issued with).
 */
export async function setCapabilities(
  ctx: EngineContext,
  repository: ConfigRepository,
  identityIdOrName: string,
  capabilities: readonly string[],
): Promise<CapabilityChange> {
  const identity = await findIdentity(ctx, identityIdOrName)
  const wanted = checkCapabilities(capabilities).sort()
  const workspace = await repository.updateSettings((doc) => writeGrant(doc, identity, wanted))
  return { identity, capabilities: wanted, workspace }
}

/** Adds (`grant`) or removes (`revoke`) capabilities of an identity, keeping the others it holds. */
export async function changeCapabilities(
  ctx: EngineContext,
  repository: ConfigRepository,
  identityIdOrName: string,
  change: { grant?: readonly string[]; revoke?: readonly string[] },
): Promise<CapabilityChange> {
  const identity = await findIdentity(ctx, identityIdOrName)
  const grant = checkCapabilities(change.grant ?? [])
  const revoke = new Set(checkCapabilities(change.revoke ?? []))
  const held = capabilitiesOf(ctx, identity)
  const next = [...new Set([...held, ...grant])].filter((c) => !revoke.has(c))
  return setCapabilities(ctx, repository, identity.id, next)
}

function writeGrant(doc: Document, identity: Identity, capabilities: readonly Capability[]): void {
  if (!isMap(doc.get('capabilities'))) doc.set('capabilities', doc.createNode({}))
  doc.deleteIn(['capabilities', identity.id])
  if (capabilities.length === 0) doc.deleteIn(['capabilities', identity.name])
  else doc.setIn(['capabilities', identity.name], doc.createNode([...capabilities]))
}
