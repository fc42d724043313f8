import { z } from 'zod'

/** An RFC 6902 JSON Patch document, as the v3 PATCH routes take it (`application/json-patch+json`). */
export const jsonPatchBody = z
  .array(
    z.strictObject({
      op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
      path: z.string().max(1024),
      value: z.unknown().optional(),
      from: z.string().max(1024).optional(),
    }),
  )
  .max(500)
