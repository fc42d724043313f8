/**
 * A UTC timestamp as the database writes it in JSON (`2026-12-07T05:28:18.123456+00:00`) or as
 * toISOString does: rewritten as text. Rows read as one JSON value (selectJsonRows) carry every
 * timestamp this way, and parsing each into a Date costs about seven times as much.
 */
const UTC_TEXT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(?:\+00:00|Z)$/

/** A timestamp from the store as an ISO string in UTC, to the millisecond (the fraction truncated, as Date does). */
export function iso(v: string | Date): string {
  if (v instanceof Date) return v.toISOString()
  const m = UTC_TEXT.exec(v)
  if (m) return `${m[1] as string}.${`${m[2] ?? ''}000`.slice(0, 3)}Z`
  return new Date(v).toISOString()
}

export function isoOrNull(v: string | Date | null): string | null {
  return v === null ? null : iso(v)
}
