/**
 * Escapes a value for use in a DN's RDN (RFC 4514 §2.4): `, + " \ < > ;` and `=` anywhere, a leading
 * space or `#`, a trailing space, and NUL. Filter values are escaped by ldapts's filter classes.
 */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00')
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `
  return out
}
