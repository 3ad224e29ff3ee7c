import { ApplicationReceived, ApplicationStatusChanged, CandidateCreated, CandidateUpdated, CandidatesMerged, MergeUndone } from '../../events/candidates.ts';
import { CandidateErased, PrivacyEmailSent } from '../../events/privacy.ts';

/** Changes to people that the audit log records from their events (reads and exports are recorded by the routes). */
export const auditedEvents = [CandidateCreated, CandidateUpdated, CandidatesMerged, MergeUndone, ApplicationReceived, ApplicationStatusChanged, CandidateErased, PrivacyEmailSent];
