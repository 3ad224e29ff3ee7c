import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarInvite, organiserOf } from '../../functions/engagement/domain/icalendar.ts';
import type { StoredEvent } from '../../functions/engagement/domain/ports.ts';

const anEvent = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  id: 'hev_01JAAAAAAAAAAAAAAAAAAAAAAA',
  title: 'Career fair; Berlin, spring',
  kind: 'career-fair',
  description: 'Meet the teams.\nBring your questions.',
  startsAt: '2026-03-10T16:00:00.000Z',
  endsAt: '2026-03-10T19:00:00.000Z',
  timeZone: 'Europe/Berlin',
  venue: { name: 'Hall 7', address: { street: 'Messedamm 22', postalCode: '14055', city: 'Berlin', country: 'DE' } },
  status: 'scheduled',
  confirmed: 0,
  waitlisted: 0,
  attended: 0,
  invitations: [],
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-01T09:00:00.000Z',
  version: 3,
  ...overrides,
});

const invite = (method: 'REQUEST' | 'CANCEL', event = anEvent()) =>
  calendarInvite({ event, attendee: { email: 'ada@example.com', name: 'Ada Lovelace' }, organiser: { name: 'Talent Relay', email: 'talent@example.com' }, method, stamp: '2026-03-01T09:00:00.000Z', url: 'https://api.example.com/public/rsvps/t' });

describe('the iCalendar invite', () => {
  it('is an RFC 5545 request a parser reads back: UID per event, UTC times, organiser, attendee, sequence from the version', () => {
    const calendar = new ICAL.Component(ICAL.parse(invite('REQUEST')));
    expect([calendar.getFirstPropertyValue('version'), calendar.getFirstPropertyValue('method'), calendar.getFirstPropertyValue('prodid')]).toEqual(['2.0', 'REQUEST', '-//Talent Relay//Hiring events//EN']);
    const vevent = calendar.getFirstSubcomponent('vevent')!;
    const event = new ICAL.Event(vevent);
    expect(event.uid).toBe('hev_01JAAAAAAAAAAAAAAAAAAAAAAA@talent-relay');
    expect(event.summary).toBe('Career fair; Berlin, spring');
    expect(event.description).toBe('Meet the teams.\nBring your questions.');
    expect(event.location).toBe('Hall 7, Messedamm 22, 14055 Berlin, DE');
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-03-10T16:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-03-10T19:00:00.000Z');
    expect(event.sequence).toBe(2);
    expect(vevent.getFirstPropertyValue('dtstamp')?.toString()).toBe('2026-03-01T09:00:00Z');
    expect(vevent.getFirstPropertyValue('organizer')).toBe('mailto:talent@example.com');
    expect(String(vevent.getFirstPropertyValue('attendee')).toLowerCase()).toBe('mailto:ada@example.com');
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('cancels with the same UID and status CANCELLED', () => {
    const vevent = new ICAL.Component(ICAL.parse(invite('CANCEL'))).getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('uid')).toBe('hev_01JAAAAAAAAAAAAAAAAAAAAAAA@talent-relay');
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('points an online event at its join URL', () => {
    const vevent = new ICAL.Component(ICAL.parse(invite('REQUEST', anEvent({ venue: undefined, joinUrl: 'https://meet.example.com/abc' })))).getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('url')).toBe('https://meet.example.com/abc');
    expect(vevent.getFirstPropertyValue('location')).toBe('https://meet.example.com/abc');
  });

  it('names the organiser from the sender address, with or without a display name', () => {
    expect(organiserOf('Talent Relay <talent@example.com>')).toEqual({ name: 'Talent Relay', email: 'talent@example.com' });
    expect(organiserOf('"Acme, Inc." <jobs@acme.example>')).toEqual({ name: 'Acme, Inc.', email: 'jobs@acme.example' });
    expect(organiserOf('jobs@acme.example')).toEqual({ name: 'jobs@acme.example', email: 'jobs@acme.example' });
  });
});
