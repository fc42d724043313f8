import { z } from 'zod'
import { nonEmpty } from '../../domain/config/schema-primitives.js'

/** Settings of a delimited-file (CSV) source, in its `connectorAttributes`. */
export const delimitedFileAttributesSchema = z.looseObject({
  file: nonEmpty,
  delimiter: z.string().length(1, 'must be one character').default(','),
  quoteChar: z.string().length(1, 'must be one character').default('"'),
  multiValueDelimiter: z.string().min(1).default('|'),
  encoding: z.enum(['utf8', 'utf-8', 'latin1']).default('utf8'),
  // A quoted field with line breaks is refused unless the file is known to have them: a stray quote joins rows.
  multilineFields: z.boolean().default(false),
  // Characters a field may hold; a longer one is refused (a runaway field is a stray quote or a wrong delimiter).
  maxFieldLength: z.number().int().positive().default(10_000),
})

export type DelimitedFileAttributes = z.infer<typeof delimitedFileAttributesSchema>
