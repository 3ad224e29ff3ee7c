import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketName } from '../manifest.ts';

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
    Validations.of(imports).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Objects are short-lived import files written only through presigned URLs the API issues to authenticated recruiters; the API access log records who asked.',
    });
    const inbound = new Bucket(this, 'Inbound', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    Validations.of(inbound).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Only SES receiving writes here and one function reads; CloudTrail data events can be enabled account-wide where required.',
    });
    // The career sites' files: private, read only by CloudFront through origin access control.
    const sites = new Bucket(this, 'Sites', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    Validations.of(sites).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Generated, public content that can be rendered again at any time; the CDN in front of it is where requests are seen.',
    });
    // Candidates' files (CVs): kept as long as the candidate, erased with them.
    const documents = new Bucket(this, 'Documents', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: false,
      // Access exports are made for one download link (7 days); they go a day after it stops working.
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }, { prefix: 'exports/', expiration: Duration.days(8) }],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    Validations.of(documents).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Only the API functions read and write here, each on its own prefix; CloudTrail data events can be enabled account-wide where required.',
    });
    this.buckets = { imports, inbound, sites, documents };
  }
}
