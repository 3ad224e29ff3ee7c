import type { StoredEvent } from './ports.ts';

/** The one line that says where: the venue's name and address, else the join URL. */
export function locationOf(event: Pick<StoredEvent, 'venue' | 'joinUrl'>): string | undefined {
  if (!event.venue) return event.joinUrl;
  const { name, address } = event.venue;
  const place = [address.street, [address.postalCode, address.city].filter(Boolean).join(' '), address.region, address.country].filter(Boolean).join(', ');
  return name ? `${name}, ${place}` : place;
}
