import { SesEventRecord } from '../functions/campaigns/domain/email-tracking.ts';
import type { EventContract } from './contract.ts';

/**
 * The events SES publishes for the configuration set's EventBridge destination: source `aws.ses` on the account's
 * default bus, one detail-type per event type, the SES event record as detail.
 */
const detailTypes = [
  'Email Sent', 'Email Delivered', 'Email Bounced', 'Email Complaint Received', 'Email Rejected',
  'Email Opened', 'Email Clicked', 'Email Delivery Delayed', 'Email Rendering Failed',
] as const;

export const SesEmailEvents = detailTypes.map(
  (detailType) => ({ detailType, source: 'aws.ses', version: 0, detail: SesEventRecord, bus: 'default' }) satisfies EventContract,
);

/** The detail-type SES uses for an event record's type. */
export const sesDetailType: Record<string, (typeof detailTypes)[number]> = {
  Send: 'Email Sent', Delivery: 'Email Delivered', Bounce: 'Email Bounced', Complaint: 'Email Complaint Received', Reject: 'Email Rejected',
  Open: 'Email Opened', Click: 'Email Clicked', DeliveryDelay: 'Email Delivery Delayed', 'Rendering Failure': 'Email Rendering Failed',
};
