export function iso(v: string | Date): string {
  return v instanceof Date ? v.toISOString() : new Date(v).toISOString()
}

export function isoOrNull(v: string | Date | null): string | null {
  return v === null ? null : iso(v)
}
