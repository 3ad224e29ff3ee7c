import { config } from '../../../shared/config.ts';
import { clock } from '../../../shared/ids.ts';
import { invitationService } from '../domain/invitation.ts';
import { eventCampaigns } from './campaigns.ts';
import { dynamoEventStore } from './dynamo-stores.ts';

// The event store alone, not services.ts's stores: those bring the candidates context, which invitations never use.
export const invitations = invitationService({ events: dynamoEventStore, campaigns: eventCampaigns, publicApiUrl: () => config.publicApiUrl, clock });
