import { JobPublished } from '../../events/syndication.ts';
import { route } from '../../shared/http/route.ts';
import { ReactivationSettings } from './schemas.ts';

/** Reactivation of former applicants (docs/reactivation.md): its settings, and the event that looks for matches. */
const tag = 'segments';

export const getReactivationSettings = route({
  method: 'GET', path: '/settings/reactivation', access: 'admin', tag,
  summary: 'Reactivation settings: the silver medalists\' waiting period, the drip matches are enrolled in, who gets the tasks',
  response: ReactivationSettings,
});
export const putReactivationSettings = route({
  method: 'PUT', path: '/settings/reactivation', access: 'admin', tag,
  summary: 'Set the reactivation settings; a new waiting period evaluates the silver medalists again in the background',
  body: ReactivationSettings, response: ReactivationSettings,
});

/** A published job is matched against the silver medalists. */
export const reactivationTriggers = [JobPublished];
