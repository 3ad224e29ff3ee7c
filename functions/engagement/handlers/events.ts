import { created, endpoint, httpApi, ok, withVersion } from '../../../shared/http/api.ts';
import { hiringEvents } from '../adapters/services-events.ts';
import * as api from '../api.ts';

const createEvent = endpoint(api.createEvent, async ({ body, actor }) => {
  const event = await hiringEvents.create(body, actor.sub);
  return created(event, { location: `/events/${event.id}`, etag: `"${event.version}"` });
});
const listEvents = endpoint(api.listEvents, async ({ query: { from, to, ...page } }) => ok(await hiringEvents.list({ from, to }, page)));
const getEvent = endpoint(api.getEvent, async ({ params }) => withVersion(await hiringEvents.get(params.id)));
const updateEvent = endpoint(api.updateEvent, async ({ params, body, actor, ifMatch }) => withVersion(await hiringEvents.update(params.id, body, actor.sub, ifMatch)));
const checkIn = endpoint(api.checkIn, async ({ params, body, actor }) => {
  const checkedIn = await hiringEvents.checkIn(params.id, body, actor.sub);
  return { status: checkedIn.created ? 201 : 200, body: checkedIn.attendee };
});
const listAttendees = endpoint(api.listAttendees, async ({ params, query: { status, ...page } }) => ok(await hiringEvents.attendees(params.id, status, page)));

export const handler = httpApi(createEvent, listEvents, getEvent, updateEvent, checkIn, listAttendees);
