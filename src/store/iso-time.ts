export function iso(v: string | Date): string {
  return v instanceof Date ? v.toISOString() : new Date(v).toISOString()
}
