import { Validations } from 'aws-cdk-lib';
import { CfnStage, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey, HttpStage, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeCeiling, routeKey, type RouteContract } from '../../shared/http/route.ts';
import { acknowledgeNist, nistReasons } from './nag.ts';

/** Default throttling for the whole API; public routes declare their own, lower limits. */
const DEFAULT_THROTTLE = { rateLimit: 200, burstLimit: 400 };

/** The HTTP API: access logs, default throttling, per-route limits for public routes. */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  /** Its per-route settings name routes that nested stacks create: deploy it after them. */
  readonly stage: HttpStage;
  private readonly routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};

  constructor(scope: Construct, id: string, private readonly props: { authorizer: IHttpRouteAuthorizer }) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', { description: 'Talent Relay API', createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    acknowledgeNist(accessLogs, nistReasons.logGroup);
    const stage = (this.stage = this.httpApi.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: DEFAULT_THROTTLE,
    }));
    // Access logs as JSON, one line per request, with the caller's subject (never the token).
    const cfnStage = stage.node.defaultChild as CfnStage;
    cfnStage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        sub: '$context.authorizer.claims.sub',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
      }),
    };
    cfnStage.addPropertyOverride('RouteSettings', this.routeSettings);
  }

  /**
   * Serves `route` through `integration`, behind the JWT authorizer unless the route is public. The route is created
   * in `scope` (the context's nested stack), so the routes do not count against the API's own stack.
   */
  addRoute(scope: Construct, route: RouteContract, integration: HttpLambdaIntegration) {
    const isPublic = route.access === 'public';
    const created = new HttpRoute(scope, `${route.method}${route.path.replace(/[^A-Za-z0-9]/g, '')}Route`, {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
      integration,
      authorizer: isPublic ? new HttpNoneAuthorizer() : this.props.authorizer,
    });
    if (isPublic) {
      Validations.of(created).acknowledge({ id: 'AwsSolutions-APIG4', reason: `${routeKey(route)} is public by design (DESIGN §5); it is validated and rate-limited.` });
    }
    if (route.rateLimit) {
      // Per client the function counts; here a ceiling for everyone together, so a flood never reaches the table.
      this.routeSettings[routeKey(route)] = routeCeiling(route.rateLimit);
    }
  }
}
