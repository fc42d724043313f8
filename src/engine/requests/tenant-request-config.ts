import {
  ACCESS_REQUEST_CONFIG_DEFAULTS,
  type AccessRequestConfig,
} from '../../domain/config/access-request-config-schema.js'
import type { EngineContext } from '../engine-context.js'

/**
 * The tenant's access request configuration (`accessRequestConfig:` of provisio.yaml, the reference's
 * `AccessRequestConfig`), every default filled by its schema.
 */
export type TenantRequestConfig = AccessRequestConfig

export const TENANT_REQUEST_DEFAULTS: TenantRequestConfig = ACCESS_REQUEST_CONFIG_DEFAULTS

/** The workspace's tenant configuration. */
export function tenantRequestConfig(ctx: Pick<EngineContext, 'config'>): TenantRequestConfig {
  return ctx.config.settings.accessRequestConfig
}
