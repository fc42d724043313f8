import jsonPatch from 'fast-json-patch'
import { z } from 'zod'
import { InputError } from '../../domain/errors.js'

/** An RFC 6902 JSON Patch body, as the reference's PATCH routes take it (`application/json-patch+json`). */
export const jsonPatchBody = z
  .array(
    z.strictObject({
      op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
      path: z.string().max(1024),
      value: z.unknown().optional(),
      from: z.string().max(1024).optional(),
    }),
  )
  .min(1)
  .max(100)

export type JsonPatch = z.infer<typeof jsonPatchBody>

/**
 * The document with the patch applied, on a copy (the original is untouched); a patch that does not apply
 * (a path that is not there, a failed `test`) is an InputError naming the operation.
 */
export function applyJsonPatch<T extends object>(document: T, patch: JsonPatch): T {
  try {
    return jsonPatch.applyPatch(structuredClone(document), patch as jsonPatch.Operation[], true, false)
      .newDocument
  } catch (err) {
    const index = (err as { index?: number }).index
    const message = ((err as Error).message.split('\n')[0] ?? '').trim()
    throw new InputError(`JSON Patch${index !== undefined ? ` operation ${index}` : ''}: ${message}`)
  }
}
