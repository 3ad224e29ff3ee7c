import { dynamo } from '../../shared/table/client.ts';
import { currentFunction } from './faults.ts';

/**
 * A capacity meter for the local stack only (the bench reads it): asks DynamoDB Local for the consumed capacity of
 * every call the handlers make and adds it up per function, so a projection's cost per change can be reported.
 */
const used = new Map<string, { read: number; write: number }>();
let installed = false;

type Capacity = { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number };

export function meterCapacity() {
  if (installed) return;
  installed = true;
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
      const caller = currentFunction() ?? 'outside';
      const total = used.get(caller) ?? { read: 0, write: 0 };
      for (const capacity of [output.ConsumedCapacity ?? []].flat()) {
        const write = capacity.WriteCapacityUnits ?? 0;
        const read = capacity.ReadCapacityUnits ?? 0;
        // Some operations report only the total; writes are the calls that change items.
        const writes = /Put|Update|Delete|Write|Transact/.test(String(context.commandName)) && !/Get|Query/.test(String(context.commandName));
        total.write += write || (writes ? capacity.CapacityUnits ?? 0 : 0);
        total.read += read || (!writes ? capacity.CapacityUnits ?? 0 : 0);
      }
      used.set(caller, total);
      return result;
    },
    { step: 'initialize', name: 'localCapacityMeter' },
  );
}

/** Capacity consumed per function since the last reset. */
export const consumedCapacity = () => new Map(used);
export const resetCapacity = () => used.clear();
