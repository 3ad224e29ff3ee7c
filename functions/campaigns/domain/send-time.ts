import type { SendWindow } from '../schemas.ts';

/**
 * When an email may go out: not before `earliest`, and inside the send window in the recipient's local time.
 * Pure: wall-clock arithmetic through Intl, so daylight-saving changes are handled by the platform's zone data.
 */
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const formats = new Map<string, Intl.DateTimeFormat>();

function localParts(at: number, timeZone: string) {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at an instant, in milliseconds. */
const offsetAt = (at: number, timeZone: string) => {
  const p = localParts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
};

/** The instant a local wall-clock time happens in a zone (the later one when a DST gap skips it). */
function instantOf(local: { year: number; month: number; day: number; minutes: number }, timeZone: string): number {
  const guess = Date.UTC(local.year, local.month - 1, local.day, 0, local.minutes);
  const first = guess - offsetAt(guess, timeZone);
  return guess - offsetAt(first, timeZone);
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

export function nextSendTime(earliest: Date, timeZone: string, window?: SendWindow): Date {
  if (!window) return earliest;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const allowed = (year: number, month: number, day: number) =>
    !window.days || window.days.includes(dayNames[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!);
  const now = localParts(earliest.getTime(), timeZone);
  const minuteNow = now.hour * 60 + now.minute;
  if (allowed(now.year, now.month, now.day) && minuteNow >= start && minuteNow < end) return earliest;
  // Today's window if it is still ahead, else the first allowed day after.
  for (let ahead = minuteNow < start ? 0 : 1; ahead <= 7; ahead++) {
    const date = new Date(Date.UTC(now.year, now.month - 1, now.day + ahead));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (allowed(year, month, day)) return new Date(instantOf({ year, month, day, minutes: start }, timeZone));
  }
  return earliest;
}

/** The instant a zone's clocks show the same wall time as `from`'s clocks at `at` (9:00 in Berlin → 9:00 in Tokyo). */
export function sameLocalTime(at: Date, from: string, to: string): Date {
  const p = localParts(at.getTime(), from);
  return new Date(instantOf({ year: p.year, month: p.month, day: p.day, minutes: p.hour * 60 + p.minute }, to) + p.second * 1000);
}

/** Adds an ISO 8601 duration of days, hours and minutes (the drip delay syntax). */
export function addDuration(from: Date, duration: string): Date {
  const [, days, hours, minutes] = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(duration) ?? [];
  return new Date(from.getTime() + ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000);
}

/** Whether an instant falls inside the window in a zone. */
export const insideWindow = (at: Date, timeZone: string, window: SendWindow) => nextSendTime(at, timeZone, window).getTime() === at.getTime();
