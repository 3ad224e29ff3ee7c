import { config } from '../../../shared/config.ts';
import { publishingService } from '../domain/publishing.ts';
import { siteService } from '../domain/site-service.ts';
import { dynamoJobStore, dynamoSiteStore, poolExists } from './dynamo-stores.ts';
import { s3SiteFiles } from './s3-files.ts';
import { clock, ids, organisation, sitesUrl } from './services.ts';

/** Rendering the public files: only the functions that publish carry the renderers. */
const links = () => ({ apiUrl: config.publicApiUrl, sitesUrl: config.sitesUrl });
export const publishing = publishingService({ jobs: dynamoJobStore, sites: dynamoSiteStore, files: s3SiteFiles, org: organisation, links, clock });
export const sites = siteService({ sites: dynamoSiteStore, publishing, poolExists, clock, ids, sitesUrl });
