import { CfnResource } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { acknowledgeNist, nistReasons } from './nag.ts';

/**
 * CDK's own deploy-time handlers (auto-deleting bucket objects, setting bucket notifications) are plain CloudFormation
 * functions that would log to a group Lambda creates on first use and keeps forever: give each a group with retention.
 * Our functions are `CfnFunction`s with their own log groups (BoundedContext).
 */
export function retainHandlerLogs(scope: IConstruct) {
  for (const resource of scope.node.findAll()) {
    if (!(resource instanceof CfnResource) || resource instanceof CfnFunction || resource.cfnResourceType !== 'AWS::Lambda::Function') continue;
    const logs = new LogGroup(resource.node.scope!, `${resource.node.id}Logs`, { retention: RetentionDays.ONE_MONTH });
    acknowledgeNist(logs, nistReasons.logGroup);
    resource.addPropertyOverride('LoggingConfig', { LogGroup: logs.logGroupName });
  }
}
