import { Duration } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

/** The bus between contexts, with an archive so a consumer's bug can be fixed and the events replayed. */
export class DomainEvents extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: { busName: string }) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: props.busName });
    this.bus.archive('Archive', {
      description: 'Every domain event, for replay',
      eventPattern: { account: [this.bus.env.account] },
      retention: Duration.days(90),
    });
  }
}
