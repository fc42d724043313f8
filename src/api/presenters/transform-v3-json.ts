import type { TransformConfig } from '../../domain/config/config-schemas.js'

/**
 * A named transform in the reference's shape (`TransformRead`): the reference's fields are Provisio's.
 * Provisio's transforms are all the tenant's own (`internal: false`).
 */
export function transformV3Json(t: TransformConfig): Record<string, unknown> {
  const periodic = (t as { requiresPeriodicRefresh?: boolean }).requiresPeriodicRefresh
  return {
    id: t.id,
    name: t.name,
    type: t.type,
    attributes: t.attributes ?? {},
    internal: false,
    ...(periodic !== undefined ? { requiresPeriodicRefresh: periodic } : {}),
  }
}
