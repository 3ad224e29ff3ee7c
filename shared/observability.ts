import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

// One instance each per Lambda; service name and namespace come from POWERTOOLS_* variables.
// Tracing is Lambda's active X-Ray tracing: Powertools Tracer would add aws-xray-sdk-core (~115 KB minified)
// to every bundle, past the 300 KB budget.
export const logger = new Logger();
export const metrics = new Metrics({ namespace: 'TalentRelay' });
