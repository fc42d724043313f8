import { z } from 'zod'

/** Building blocks shared by the object schemas, kept apart so the schema files do not import each other. */

export const nonEmpty = z.string().trim().min(1, 'must not be empty')

export type ObjectRef = { type?: string; id?: string; name?: string }

/** A reference to another object by name (or id), as `{type, id, name}` or a plain name. */
export const objectRefSchema = z.union(
  [
    nonEmpty.transform((name): ObjectRef => ({ name })),
    z
      .looseObject({ type: z.string().optional(), id: z.string().optional(), name: z.string().optional() })
      .refine((r) => r.id !== undefined || r.name !== undefined, 'needs a name or an id'),
  ],
  {
    // zod's own union message is a bare "Invalid input"; say what is expected instead.
    error: (issue) =>
      issue.input === undefined
        ? 'required: a name or {type, id, name}'
        : 'must be a name or {type, id, name} with a name or an id',
  },
)

/**
 * An owner: an identity, `{type: IDENTITY, id|name}` or its name. The reference's owners are identities
 * (a governance group may be an additional owner, never the owner): a manual task or an approval goes to
 * one person.
 */
export const ownerRefSchema = objectRefSchema.superRefine((ref, ctx) => {
  if (ref.type !== undefined && ref.type !== 'IDENTITY') {
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      message: `an owner is an identity: type must be IDENTITY, not ${JSON.stringify(ref.type)}`,
    })
  }
})

export const transformDefinitionSchema: z.ZodType<{
  type: string
  name?: string
  id?: string
  attributes?: Record<string, unknown>
}> = z.looseObject({
  type: nonEmpty,
  name: z.string().max(50, 'at most 50 characters').optional(),
  id: z.string().optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  requiresPeriodicRefresh: z.boolean().optional(),
})

/** The name or id a reference names (a name wins: it is what our YAML usually writes). */
export function refKeys(ref: ObjectRef): string[] {
  return [ref.name, ref.id].filter((k): k is string => k !== undefined)
}

/** How a reference reads in a message. */
export function refLabel(ref: ObjectRef): string {
  return ref.name ?? ref.id ?? '?'
}
