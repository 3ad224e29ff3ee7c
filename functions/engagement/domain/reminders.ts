import type { ReminderInput } from './ports.ts';

/** The workflow of one event schedule's reminders: the wiring declares it, the adapter starts it by this name. */
export const REMINDER_WORKFLOW = 'engagement-reminders';

const HOUR_MS = 3_600_000;
/** How long before the start each reminder goes out, in the order they do. */
export const reminders = { 'day-before': 24 * HOUR_MS, 'hour-before': HOUR_MS } as const;
export type Reminder = keyof typeof reminders;
const order = Object.keys(reminders) as Reminder[];

/** The first reminder still ahead of `now` for an event starting at `startsAt`; none when even the last has passed. */
export function firstReminder(startsAt: string, now: string): Pick<ReminderInput, 'reminder' | 'remindAt'> | undefined {
  for (const reminder of order) {
    const remindAt = new Date(Date.parse(startsAt) - reminders[reminder]).toISOString();
    if (remindAt > now) return { reminder, remindAt };
  }
  return undefined;
}

/** The reminder after this one, whatever the time: the workflow's wait decides when it goes. */
export function followingReminder(startsAt: string, reminder: Reminder): Pick<ReminderInput, 'reminder' | 'remindAt'> | undefined {
  const next = order[order.indexOf(reminder) + 1];
  return next ? { reminder: next, remindAt: new Date(Date.parse(startsAt) - reminders[next]).toISOString() } : undefined;
}

/** The execution that follows one version of the event's schedule: a moved start gets a run of its own. */
export const reminderRun = (eventId: string, version: number) => `${eventId}-v${version}`;

/** RSVP links work until a day after the event ends. */
export const linkDays = (endsAt: string, now: string) => Math.max(1, Math.ceil((Date.parse(endsAt) - Date.parse(now)) / 86_400_000) + 1);
