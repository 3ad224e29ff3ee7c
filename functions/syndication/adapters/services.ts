import { config } from '../../../shared/config.ts';
import { clock, newId } from '../../../shared/ids.ts';
import { jobService } from '../domain/job-service.ts';
import { publishingService } from '../domain/publishing.ts';
import { siteService } from '../domain/site-service.ts';
import { dynamoJobStore, dynamoSiteStore } from './dynamo-stores.ts';
import { s3SiteFiles } from './s3-files.ts';

export const ids = { next: newId };
export { clock };
const sitesUrl = () => config.sitesUrl;
export const links = () => ({ apiUrl: config.publicApiUrl, sitesUrl: config.sitesUrl });
export const organisation = () => config.organisation;

export const jobs = jobService({ jobs: dynamoJobStore, clock, ids, sitesUrl });
export const publishing = publishingService({ jobs: dynamoJobStore, sites: dynamoSiteStore, files: s3SiteFiles, org: organisation, links, clock });
export const sites = siteService({ sites: dynamoSiteStore, publishing, clock, ids, sitesUrl });
