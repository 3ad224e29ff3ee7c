import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import type { Job } from '../schemas.ts';
import { jobFrom, jobsWithStatus } from './entities.ts';

/** Open jobs read at most: matching scores them all and campaign emails suggest from them. */
export const OPEN_JOBS = 200;

/** The open jobs (GSI1 `JOBS#open`), as other contexts read them for matching and job suggestions. */
export async function openJobs(): Promise<Job[]> {
  const { Items = [] } = await documents.send(
    new QueryCommand({ TableName: config.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': jobsWithStatus('open') }, Limit: OPEN_JOBS }),
  );
  return Items.map(jobFrom);
}
