import type { AccessRequestConfig } from '../../domain/config/access-request-config-schema.js'
import { ConfigError } from '../../domain/errors.js'
import { findIdentityOrNone } from '../queries/get-identity.js'
import { SETTINGS_FILE } from '../workspace/load-workspace.js'
import { writeSettingsSection, type Changed, type ReconfigurableEngine } from './change-config.js'

/** Where the section lives in provisio.yaml, as problems name it. */
const SECTION = 'accessRequestConfig'
const FALLBACK = `${SECTION}.approvalReminderAndEscalationConfig.fallbackApproverRef`

/**
 * Replaces the tenant's access request configuration (`accessRequestConfig:` of provisio.yaml) with this
 * one, as the YAML would say it: a field left out takes its default. Only that section of the file is
 * rewritten, in place, so every other byte of the file and the comments of fields that stay are kept; an
 * empty configuration removes the section. The fallback approver must be an identity, written by its id and
 * name. Checked with validate's rules (a ConfigError names each problem at its path in provisio.yaml),
 * then published and run with.
 */
export async function setAccessRequestConfig(
  engine: ReconfigurableEngine,
  value: Readonly<Record<string, unknown>>,
  author?: string,
): Promise<Changed<{ readonly config: AccessRequestConfig }>> {
  const written = await withFallbackApprover(engine, value)
  const empty = Object.keys(written).length === 0
  const changed = await writeSettingsSection(engine, SECTION, empty ? undefined : written, author)
  return { ...changed, config: changed.workspace.config.settings.accessRequestConfig }
}

/** The configuration with its fallback approver as the identity it names (`{type, id, name}`). */
async function withFallbackApprover(
  engine: ReconfigurableEngine,
  value: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const escalation = value['approvalReminderAndEscalationConfig']
  if (escalation === null || typeof escalation !== 'object' || Array.isArray(escalation)) return { ...value }
  const ref = (escalation as Record<string, unknown>)['fallbackApproverRef']
  if (ref === null || typeof ref !== 'object' || Array.isArray(ref)) return { ...value }
  const { id, name } = ref as { id?: unknown; name?: unknown }
  const key = typeof id === 'string' && id !== '' ? id : typeof name === 'string' ? name : undefined
  // Without an id or a name, validation says what is missing.
  if (key === undefined) return { ...value }
  const identity = await findIdentityOrNone(engine, key)
  if (!identity) {
    throw new ConfigError([
      {
        file: SETTINGS_FILE,
        object: 'workspace',
        path: FALLBACK,
        message: `no identity with id or name "${key}": the fallback approver is an identity`,
      },
    ])
  }
  const fallbackApproverRef = { type: 'IDENTITY', id: identity.id, name: identity.name }
  return { ...value, approvalReminderAndEscalationConfig: { ...escalation, fallbackApproverRef } }
}
