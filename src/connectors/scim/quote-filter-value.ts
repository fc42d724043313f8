/**
 * A value for a SCIM filter (`userName eq "…"`). RFC 7644 §3.4.2.2 makes a comparison value a JSON
 * string, so quotes, backslashes and control characters are escaped the JSON way: a value such as
 * `x" or userName pr "` stays one value instead of widening the filter.
 */
export function quoteFilterValue(value: string): string {
  return JSON.stringify(value)
}
