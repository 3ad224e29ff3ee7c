import { describe, expect, it } from 'vitest';
import { addDuration, insideWindow, nextSendTime } from '../../functions/campaigns/domain/send-time.ts';
import type { SendWindow } from '../../functions/campaigns/schemas.ts';

const officeHours: SendWindow = { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
const everyDay: SendWindow = { start: '09:00', end: '17:00' };

/** When a send goes out, as an ISO instant. */
const sendAt = (earliest: string, timeZone: string, window?: SendWindow) => nextSendTime(new Date(earliest), timeZone, window).toISOString();
/** The weekday and wall-clock time of an instant in a zone, e.g. "Mon 09:00". */
const wallClock = (instant: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant)).replace(',', '');

// 2026-11-25 is a Wednesday.
describe('the next send time', () => {
  it('keeps a time inside the window', () => {
    expect(sendAt('2026-11-25T10:15:42.000Z', 'UTC', officeHours)).toBe('2026-11-25T10:15:42.000Z');
  });

  it('moves a time before the window to its start the same day', () => {
    expect(sendAt('2026-11-25T06:30:00.000Z', 'UTC', officeHours)).toBe('2026-11-25T09:00:00.000Z');
  });

  it('moves a time after the window to its start the next allowed day', () => {
    expect(sendAt('2026-11-25T18:00:00.000Z', 'UTC', officeHours)).toBe('2026-11-26T09:00:00.000Z');
  });

  it('treats the end of the window as outside it', () => {
    expect(sendAt('2026-11-25T17:00:00.000Z', 'UTC', officeHours)).toBe('2026-11-26T09:00:00.000Z');
  });

  it('skips the weekend: Friday 18:00 in a Monday-to-Friday window goes out Monday 09:00', () => {
    expect(sendAt('2026-11-27T18:00:00.000Z', 'UTC', officeHours)).toBe('2026-11-30T09:00:00.000Z');
  });

  it('skips a disallowed day even before the window opens on it', () => {
    expect(sendAt('2026-11-28T07:00:00.000Z', 'UTC', officeHours)).toBe('2026-11-30T09:00:00.000Z');
  });

  it('reads the window in the recipient’s zone: 07:00 in Tokyo waits for 09:00 Tokyo time, midnight UTC', () => {
    const at = sendAt('2026-11-24T22:00:00.000Z', 'Asia/Tokyo', officeHours);
    expect(at).toBe('2026-11-25T00:00:00.000Z');
    expect(wallClock(at, 'Asia/Tokyo')).toBe('Wed 09:00');
  });

  it('uses the local day, not the UTC one: Tuesday 19:00 in Los Angeles (already Wednesday in UTC) goes out Wednesday 09:00 there', () => {
    const at = sendAt('2026-11-25T03:00:00.000Z', 'America/Los_Angeles', officeHours);
    expect(at).toBe('2026-11-25T17:00:00.000Z');
    expect(wallClock(at, 'America/Los_Angeles')).toBe('Wed 09:00');
  });

  it('keeps a Friday afternoon in Los Angeles that is already Saturday in UTC', () => {
    expect(sendAt('2026-11-27T23:30:00.000Z', 'America/Los_Angeles', officeHours)).toBe('2026-11-27T23:30:00.000Z');
  });

  it('opens at 09:00 local time on the Sunday Berlin moves its clocks forward', () => {
    const at = sendAt('2026-03-28T17:00:00.000Z', 'Europe/Berlin', everyDay);
    expect(at).toBe('2026-03-29T07:00:00.000Z');
    expect(wallClock(at, 'Europe/Berlin')).toBe('Sun 09:00');
  });

  it('opens at 09:00 local time on the Sunday Berlin moves its clocks back', () => {
    const at = sendAt('2026-10-24T16:00:00.000Z', 'Europe/Berlin', everyDay);
    expect(at).toBe('2026-10-25T08:00:00.000Z');
    expect(wallClock(at, 'Europe/Berlin')).toBe('Sun 09:00');
  });

  it('skips a weekend that changes the clocks and opens at 09:00 summer time on Monday', () => {
    const at = sendAt('2026-03-27T17:00:00.000Z', 'Europe/Berlin', officeHours);
    expect(at).toBe('2026-03-30T07:00:00.000Z');
    expect(wallClock(at, 'Europe/Berlin')).toBe('Mon 09:00');
  });

  it('leaves the time unchanged without a window', () => {
    expect(sendAt('2026-11-28T03:07:00.000Z', 'Asia/Tokyo')).toBe('2026-11-28T03:07:00.000Z');
  });
});

describe('drip delays', () => {
  const from = new Date('2026-11-25T10:00:00.000Z');

  it.each([
    ['P2D', '2026-11-27T10:00:00.000Z'],
    ['PT12H', '2026-11-25T22:00:00.000Z'],
    ['P1DT30M', '2026-11-26T10:30:00.000Z'],
    ['P1DT2H15M', '2026-11-26T12:15:00.000Z'],
  ])('adds %s', (duration, expected) => {
    expect(addDuration(from, duration).toISOString()).toBe(expected);
  });
});

describe('inside the window', () => {
  it.each([
    { when: 'Wednesday 10:00', at: '2026-11-25T10:00:00.000Z', inside: true },
    { when: 'Wednesday 09:00, the start', at: '2026-11-25T09:00:00.000Z', inside: true },
    { when: 'Wednesday 16:59', at: '2026-11-25T16:59:00.000Z', inside: true },
    { when: 'Wednesday 17:00, the end', at: '2026-11-25T17:00:00.000Z', inside: false },
    { when: 'Wednesday 08:59', at: '2026-11-25T08:59:00.000Z', inside: false },
    { when: 'Saturday 10:00', at: '2026-11-28T10:00:00.000Z', inside: false },
  ])('says $inside for $when in UTC', ({ at, inside }) => {
    expect(insideWindow(new Date(at), 'UTC', officeHours)).toBe(inside);
  });

  it('judges in the given zone: 10:00 UTC is 19:00 in Tokyo, outside office hours there', () => {
    expect(insideWindow(new Date('2026-11-25T10:00:00.000Z'), 'Asia/Tokyo', officeHours)).toBe(false);
  });
});
