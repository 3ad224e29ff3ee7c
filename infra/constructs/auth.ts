import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, CfnUserPoolGroup, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { roles } from '../../shared/roles.ts';

/** Cognito users in one group per role, and the JWT authorizer the HTTP API puts on every non-public route. */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: { retain: boolean }) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge(
      { id: 'AwsSolutions-COG2', reason: 'MFA is optional (TOTP) so teams that sign in through their own identity provider are not forced into a second factor here.' },
      { id: 'AwsSolutions-COG3', reason: 'Cognito threat protection (Plus plan) is a per-user cost left to the operator; the API is only reachable with a valid token.' },
      { id: 'AwsSolutions-COG8', reason: 'The Plus feature plan is a per-user cost left to the operator (see COG3).' },
    );
    for (const role of roles) {
      new CfnUserPoolGroup(this, `${role}Group`, { userPoolId: this.userPool.userPoolId, groupName: role, description: `Talent Relay ${role}` });
    }
    this.client = this.userPool.addClient('ApiClient', {
      authFlows: { userSrp: true },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
    });
    // ID tokens carry cognito:groups, which the functions read the role from.
    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', this.userPool.userPoolProviderUrl, {
      jwtAudience: [this.client.userPoolClientId],
    });
  }
}
