import * as z from 'zod';
import { defineEvent } from './contract.ts';

const SOURCE = 'talent-relay.engagement';

/** A person was checked in at a hiring event (timeline, analytics, "after an event" surveys). */
export const EventAttended = defineEvent(SOURCE, 'EventAttended', z.object({ eventId: z.string(), candidateId: z.string(), title: z.string() }));

export const engagementEvents = [EventAttended];
