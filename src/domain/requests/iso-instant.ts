import { z } from 'zod'

/** An ISO 8601 time with its zone, as campaign deadlines are read too (campaignSpecSchema). */
const ISO_TIME = z.iso.datetime({ offset: true })

/**
 * The instant of a date a person gives (a request's sunrise or sunset, a date on the command line): an ISO
 * 8601 time with its zone (`2027-01-31T17:00:00Z`), on a day and at a time that exist, in a four-digit
 * year; otherwise undefined. Date.parse alone takes 2031-02-31 as 3 March, hour 24 as the next day, and
 * years beyond 9999 that the database then refuses to store.
 */
export function isoInstant(value: string): number | undefined {
  return ISO_TIME.safeParse(value).success ? Date.parse(value) : undefined
}
