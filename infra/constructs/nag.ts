import { Names, Stack, type CfnElement, type NestedStack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag writes a reference to `target`'s attribute (`Arn`, or `Ref`) in a finding on a resource in
 * `consumer`'s stack. Within one stack that is `<LogicalId.Arn>`; across nested stacks CDK passes the value in as a
 * parameter named after the producer (through the parent's outputs when a sibling produces it), so an
 * acknowledgement must name that parameter.
 */
export function nagReference(consumer: IConstruct, target: CfnElement, attribute: 'Arn' | 'Ref'): string {
  const consuming = Stack.of(consumer);
  const producing = Stack.of(target);
  if (consuming === producing) return attribute === 'Ref' ? producing.getLogicalId(target) : `${producing.getLogicalId(target)}.${attribute}`;
  const value = `${Names.nodeUniqueId(target.node)}${attribute}`;
  if (producing === consuming.nestedStackParent) return `referenceto${value}`;
  // A sibling nested stack: its output, read from the parent's nested-stack resource.
  const sibling = (producing as NestedStack).nestedStackResource!;
  return `referenceto${Names.nodeUniqueId(sibling.node)}Outputs${value}`;
}
