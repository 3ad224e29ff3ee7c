import { CfnOutput, Validations } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity, ReceiptRuleSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeNist } from './nag.ts';

export interface EmailProps {
  /** The sending domain (from the configured sender address): verified as an SES identity with Easy DKIM. */
  domain: string;
  /** Where replies arrive: `reply+<token>@replyDomain`, its MX pointing at SES receiving. */
  replyDomain: string;
  /** Replies are stored here under `replies/` for the inbound function. */
  inbound: Bucket;
}

const awsManagedKey =
  'Encrypted with the account\'s aws/secretsmanager KMS key; only the functions that declare the permission may read it (test/infra/template.test.ts), which a customer managed key would not narrow.';

/**
 * Email on SES v2: the sending identity, one configuration set that tracks opens and clicks and publishes every
 * sending event to the default EventBridge bus (where SES delivers service events), the account-level suppression of
 * bounces and complaints, the receipt rule that stores replies in S3, and the key that signs links in emails.
 */
export class Email extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;
  readonly signingKey: Secret;
  readonly sealingKey: Secret;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    this.identity = new EmailIdentity(this, 'Identity', { identity: Identity.domain(props.domain) });
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
    });
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [
        EmailSendingEvent.SEND, EmailSendingEvent.DELIVERY, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT,
        EmailSendingEvent.OPEN, EmailSendingEvent.CLICK, EmailSendingEvent.DELIVERY_DELAY, EmailSendingEvent.RENDERING_FAILURE,
      ],
    });

    // Receipt rule sets are account-wide and only one is active: activate this one once (see README, Deploy).
    const replies = new ReceiptRuleSet(this, 'Replies', {
      rules: [{ recipients: [props.replyDomain], actions: [new S3({ bucket: props.inbound, objectKeyPrefix: 'replies/' })], scanEnabled: true }],
    });

    this.signingKey = new Secret(this, 'LinkSigningKey', {
      description: 'Signs unsubscribe, preference and reply links in emails',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    const neverRotated = 'Rotating the key would break the unsubscribe links in every email already sent, which RFC 8058 and the law require to keep working.';
    Validations.of(this.signingKey).acknowledge({ id: 'AwsSolutions-SMG4', reason: neverRotated });
    acknowledgeNist(this.signingKey, { SecretsManagerRotationEnabled: neverRotated, SecretsManagerUsingKMSKey: awsManagedKey });
    this.sealingKey = new Secret(this, 'SecretSealingKey', {
      description: 'Seals the signing secrets of webhooks and ATS connections before they are stored',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    const sealsStoredSecrets = 'Every stored webhook and ATS secret is sealed with this key; rotating it would make them unreadable.';
    Validations.of(this.sealingKey).acknowledge({ id: 'AwsSolutions-SMG4', reason: sealsStoredSecrets });
    acknowledgeNist(this.sealingKey, { SecretsManagerRotationEnabled: sealsStoredSecrets, SecretsManagerUsingKMSKey: awsManagedKey });
    new CfnOutput(scope, 'ReplyRuleSetName', { value: replies.receiptRuleSetName, description: 'aws ses set-active-receipt-rule-set --rule-set-name <this>' });
  }
}
