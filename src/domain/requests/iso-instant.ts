/**
 * The instant of a date a person gives (a request's sunrise or sunset, a date on the command line): an ISO
 * 8601 time with its zone (`2027-01-31T17:00:00Z`), a four-digit year, and a day and time that exist;
 * otherwise undefined. Date.parse alone takes 2031-02-31 as 3 March, hour 24 as the next day, and years
 * beyond 9999 that the database then refuses to store.
 */
export function isoInstant(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/.exec(
    value,
  )
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const calendar = new Date(Date.UTC(year, month - 1, day))
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : t
}
