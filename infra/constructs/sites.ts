import { Duration, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods, CachePolicy, Distribution, Function as CloudFrontFunction, FunctionCode, FunctionEventType, FunctionRuntime, HeadersFrameOption,
  HeadersReferrerPolicy, HttpVersion, PriceClass, ResponseHeadersPolicy, ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The career sites and feeds: the private sites bucket behind CloudFront (origin access control, HTTPS only,
 * security headers). Pages post their forms to the API, which the content security policy names.
 */
export class Sites extends Construct {
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: { bucket: Bucket; apiUrl: string }) {
    super(scope, id);
    // `/jobs/x/` → `/jobs/x/index.html`, as the local sites server does.
    const directoryIndex = new CloudFrontFunction(this, 'DirectoryIndex', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Serves index.html for directory paths',
      code: FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (r.uri.endsWith('/')) r.uri += 'index.html'; else if (!r.uri.split('/').pop().includes('.')) r.uri += '/index.html'; return r; }",
      ),
    });
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Security headers for the career sites',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: `default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src ${props.apiUrl}; form-action ${props.apiUrl}; base-uri 'none'; frame-ancestors 'none'`,
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: false, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Talent Relay career sites and job feeds',
      defaultRootObject: 'sitemap.xml',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(props.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'Career sites and job feeds are meant for applicants and job boards in every country.' },
      { id: 'AwsSolutions-CFR2', reason: 'Static, cacheable files with no forms processed at the edge; the forms post to the API, whose public routes are throttled.' },
      { id: 'AwsSolutions-CFR3', reason: 'Public, generated content; the API access log records every form submission.' },
      { id: 'AwsSolutions-CFR4', reason: 'The default CloudFront certificate allows TLS 1.0 at the edge; the production setup is a custom domain with its own certificate and TLS 1.2 as the minimum.' },
    );
  }
}
