import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketName } from '../manifest.ts';
import { acknowledgeNist } from './nag.ts';

/**
 * The stack's private buckets. Import files are working copies, and raw inbound replies are read once (their text is
 * kept on the candidate's timeline): both expire after 30 days. The sites bucket is served through CloudFront.
 */
export class Files extends Construct {
  readonly buckets: Record<BucketName, Bucket>;

  constructor(scope: Construct, id: string, props: { retain: boolean }) {
    super(scope, id);
    const imports = new Bucket(this, 'Imports', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ expiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // Browsers upload large files straight to the presigned URL the API hands out.
      cors: [{ allowedMethods: [HttpMethods.PUT], allowedOrigins: ['*'], allowedHeaders: ['content-type'], maxAge: 3600 }],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    acknowledgeBucket(imports, {
      accessLogs: 'Objects are short-lived import files written only through presigned URLs the API issues to authenticated recruiters; the API access log records who asked.',
      replication: 'Short-lived working copies (30 days) of files the recruiter still has: nothing to recover elsewhere.',
      versions: 'Working copies of files the recruiter still has, expiring after 30 days: nothing to restore from an older version.',
    });
    const inbound = new Bucket(this, 'Inbound', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    acknowledgeBucket(inbound, {
      accessLogs: 'Only SES receiving writes here and one function reads; CloudTrail data events can be enabled account-wide where required.',
      replication: 'Raw replies are read once (their text goes to the candidate\'s timeline) and expire after 30 days.',
      versions: 'Raw replies are read once and their text is kept on the candidate\'s timeline; an older version would hold nothing more.',
    });
    // The career sites' files: private, read only by CloudFront through origin access control.
    const sites = new Bucket(this, 'Sites', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    acknowledgeBucket(sites, {
      accessLogs: 'Generated, public content that can be rendered again at any time; the CDN in front of it is where requests are seen.',
      replication: 'Every page and feed is rendered again from the table.',
      versions: 'Every page and feed is rendered again from the table.',
    });
    // Candidates' files (CVs): kept as long as the candidate, erased with them. The only copy of what people sent us,
    // so versioned: an overwritten or wrongly deleted file comes back for as long as the table's point-in-time
    // recovery reaches (35 days), and an erased person's files are gone for good when their backups are.
    const documents = new Bucket(this, 'Documents', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(1), noncurrentVersionExpiration: Duration.days(35), expiredObjectDeleteMarker: true },
        // Access exports are made for one download link (7 days); they go a day after it stops working, copies included.
        { prefix: 'exports/', expiration: Duration.days(8), noncurrentVersionExpiration: Duration.days(1) },
      ],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    acknowledgeBucket(documents, {
      accessLogs: 'Only the API functions read and write here, each on its own prefix; CloudTrail data events can be enabled account-wide where required.',
      replication: 'The stack lives in the one region its operator chose for candidates\' data (GDPR); a copy in another region is a transfer to decide, not a default. Versions and the 35-day window cover mistakes.',
    });
    this.buckets = { imports, inbound, sites, documents };
  }
}

/**
 * What the buckets answer by design: access is logged at the API and by CloudTrail rather than by S3 server access
 * logs; SSE-S3 rather than a KMS key; one region; versions only where they matter (documents).
 */
function acknowledgeBucket(bucket: Bucket, why: { accessLogs: string; replication: string; versions?: string }) {
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: why.accessLogs });
  acknowledgeNist(bucket, {
    S3BucketLoggingEnabled: why.accessLogs,
    S3BucketReplicationEnabled: why.replication,
    S3DefaultEncryptionKMS:
      'Encrypted at rest with SSE-S3 (AES-256, keys S3 manages); who reads is decided by the bucket policy and the functions\' roles, which a KMS key would not narrow, at a cost per request.',
    ...(why.versions ? { S3BucketVersioningEnabled: why.versions } : {}),
  });
}
