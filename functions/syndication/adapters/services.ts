import { config } from '../../../shared/config.ts';
import { clock, newId } from '../../../shared/ids.ts';
import { jobService } from '../domain/job-service.ts';
import { dynamoJobStore } from './dynamo-stores.ts';

export const ids = { next: newId };
export { clock };
export const sitesUrl = () => config.sitesUrl;
export const organisation = () => config.organisation;

export const jobs = jobService({ jobs: dynamoJobStore, clock, ids, sitesUrl });
