/**
 * The service's date. The LRS is a UK service: "today" — for the age rules (13 to 110), a date of
 * birth or an award date not in the future — is the date in the UK (Europe/London: GMT in winter,
 * BST in summer), not the UTC date. Between 00:00 and 01:00 UK time in summer the two differ, and
 * an award dated today would be "in the future" on the UTC date.
 *
 * @since 0.1.2
 */
import { Clock, Effect } from "effect"

/**
 * The time zone whose calendar date is the service's date.
 *
 * @since 0.1.2
 * @category constants
 */
export const TIME_ZONE = "Europe/London"

// made on first use (building one is slow; the module has no side effects on import)
let formatter: Intl.DateTimeFormat | undefined

const partsOf = (millis: number): Record<string, string> => {
  formatter ??= new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" })
  const parts: Record<string, string> = {}
  // assembled from the parts: a locale's own order and separators are not relied on
  for (const p of formatter.formatToParts(millis)) parts[p.type] = p.value
  return parts
}

/**
 * The service's date (`YYYY-MM-DD`, the date in Europe/London) at an instant in epoch
 * milliseconds. Pure: the same instant always gives the same date.
 *
 * @since 0.1.2
 * @category dates
 */
export const dateAt = (millis: number): string => {
  const { day, month, year } = partsOf(millis)
  return `${year}-${month}-${day}`
}

/**
 * The service's date now, read from the `Clock` (so a test clock sets it).
 *
 * @since 0.1.2
 * @category dates
 */
export const today: Effect.Effect<string> = Effect.map(Clock.currentTimeMillis, dateAt)
