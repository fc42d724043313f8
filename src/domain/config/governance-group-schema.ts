import { z } from 'zod'
import { nonEmpty, ownerRefSchema } from './schema-primitives.js'

/**
 * A governance group (the reference's workgroup): a named set of identities that decides an approval step
 * together, the first member to act deciding for all. Its members are identities named by id or name, as
 * everywhere in a workspace; they are looked up when the group is used (an approval is assigned), not when
 * the workspace loads, since identities live in the database.
 */

/** A member: `{type: IDENTITY, id|name}` or a plain identity name. */
export const governanceGroupMemberSchema = z
  .union(
    [
      nonEmpty.transform((name): { type?: string; id?: string; name?: string } => ({ name })),
      z.looseObject({ type: z.string().optional(), id: nonEmpty.optional(), name: nonEmpty.optional() }),
    ],
    {
      error: (issue) =>
        issue.input === undefined
          ? 'required: an identity name or {type: IDENTITY, id, name}'
          : 'must be an identity name or {type: IDENTITY, id, name}',
    },
  )
  // Checked on the union's result, so each problem is said at its own field.
  .superRefine((m, ctx) => {
    if (m.type !== undefined && m.type !== 'IDENTITY') {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `a member is an identity: type must be IDENTITY, not ${JSON.stringify(m.type)}`,
      })
    }
    if (m.id === undefined && m.name === undefined) {
      ctx.addIssue({ code: 'custom', message: 'needs a name or an id' })
    }
  })
  .transform((m): GovernanceGroupMember => ({ ...m, type: 'IDENTITY' }))

export interface GovernanceGroupMember {
  readonly type: 'IDENTITY'
  readonly id?: string | undefined
  readonly name?: string | undefined
}

export const governanceGroupSchema = z.looseObject({
  name: nonEmpty.max(128, 'at most 128 characters'),
  id: z.string().optional(),
  description: z.string().max(2000, 'at most 2000 characters').optional(),
  /** Who looks after the group (an identity); being its owner does not make one a member. */
  owner: ownerRefSchema.optional(),
  members: z.array(governanceGroupMemberSchema).default([]),
})

export type GovernanceGroupConfig = z.infer<typeof governanceGroupSchema>
