import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { invoke } from './lambda.ts';
import type { Server } from 'node:http';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Role } from '../../shared/roles.ts';
import { buckets, functions, workflows } from '../manifest.ts';
import { workflowVariable } from '../../shared/workflows.ts';
import { localWorkflowArn, localWorkflows } from './workflows.ts';
import { localObjectEvents } from './object-events.ts';
import { clearFaults, faults, injectFault } from './faults.ts';
import { startDynamoDbLocal, ensureTable } from './dynamodb.ts';
import { localEventBus } from './event-bus.ts';
import { localHttpApi } from './http-server.ts';
import { localIssuer } from './jwt.ts';
import { startMail } from './mail.ts';
import { listen } from './net.ts';
import { localBucket, startSites } from './sites.ts';
import { localStreamRelay } from './stream-relay.ts';

export interface LocalStackOptions {
  /** API port; 0 picks a free one. Default 3000. */
  apiPort?: number;
  /** Sites and feeds port; 0 picks a free one. Default 3001. */
  sitesPort?: number;
  /** Keep nothing on disk. */
  memory?: boolean;
  /** Where data persists unless `memory`. Default `.local`. */
  dataDir?: string;
  /** Workflow waits pass this many times faster. */
  timeScale?: number;
  quiet?: boolean;
}

export const LOCAL_TABLE = 'talent-relay';
export const LOCAL_BUS = 'talent-relay';
export const LOCAL_REPLY_DOMAIN = 'reply.talent-relay.local';

/**
 * The whole system on embedded emulators, in this process: the manifest's handlers behind a local HTTP API, on
 * DynamoDB Local, an SES v2 emulator, an S3 emulator with the sites server, and a local EventBridge.
 * Handlers reach the emulators through the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables.
 */
export async function startLocalStack(options: LocalStackOptions = {}) {
  const dataDir = options.memory ? undefined : (options.dataDir ?? '.local');
  const log = (line: string) => {
    if (!options.quiet) console.error(`[local] ${line}`);
  };
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch((error: Error) => log(`stopping: ${error.message}`));
  };

  try {
    const dynamo = await startDynamoDbLocal({ dataDir: dataDir && join(dataDir, 'dynamodb') });
    stops.push(dynamo.stop);
    const bus = localEventBus(functions, log);
    const busEndpoint = await bus.start();
    stops.push(bus.stop);
    const mail = await startMail(bus.publish);
    stops.push(mail.stop);
    const objectEvents = localObjectEvents(functions, log);
    const sites = await startSites({
      dataDir: dataDir && join(dataDir, 's3'),
      port: options.sitesPort ?? 3001,
      buckets: buckets.map(localBucket),
      onEvent: objectEvents.deliver,
    });
    stops.push(sites.stop);
    const runner = localWorkflows({ workflows, functions, timeScale: options.timeScale ?? 1, log });
    const workflowsEndpoint = await runner.start();
    stops.push(runner.stop);

    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      // The S3 emulator's own key pair; the other emulators accept any.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SESV2: mail.endpoint,
      AWS_ENDPOINT_URL_S3: sites.s3Endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: busEndpoint,
      AWS_ENDPOINT_URL_SFN: workflowsEndpoint,
      ...Object.fromEntries(buckets.map((name) => [`BUCKET_${name.toUpperCase()}`, localBucket(name)])),
      ...Object.fromEntries(workflows.map((spec) => [workflowVariable(spec.name), localWorkflowArn(spec.name)])),
      TABLE_NAME: LOCAL_TABLE,
      EVENT_BUS_NAME: LOCAL_BUS,
      SITES_URL: sites.url,
      ORG_NAME: 'Talent Relay',
      ORG_URL: sites.url,
      CORS_ORIGINS: sites.url,
      MAIL_FROM: 'Talent Relay <talent@talent-relay.local>',
      SES_CONFIGURATION_SET: 'talent-relay',
      REPLY_DOMAIN: LOCAL_REPLY_DOMAIN,
      // Local only: links in locally sent emails keep working across restarts.
      TOKEN_SECRET: 'talent-relay-local-link-signing-key',
      SEALING_SECRET: 'talent-relay-local-secret-sealing-key',
      // Local only: webhooks may deliver to receivers on this machine (http://127.0.0.1:<port>); never set in AWS.
      WEBHOOKS_ALLOW_LOOPBACK: '1',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? (options.quiet ? 'SILENT' : 'WARN'),
      TIME_SCALE: String(options.timeScale ?? 1),
    });

    const { streamArn, created } = await ensureTable(dynamo.client, LOCAL_TABLE);
    const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint });
    const relay = localStreamRelay({ streamArn, functions, client: streams, fromStart: created, log });
    stops.push(async () => {
      await relay.stop();
      streams.destroy();
    });

    const s3 = new S3Client({ forcePathStyle: true, endpoint: sites.s3Endpoint });
    stops.push(async () => s3.destroy());
    const issuer = localIssuer();
    const apiServer: Server = localHttpApi({
      functions,
      issuer,
      local: {
        token: (role, claims) => issuer.sign(role, claims),
        mail: (to) => mail.messages(to),
        fault: injectFault,
        clearFaults,
        faults,
        sesEvent: (event) => mail.inject(event),
        async inbound(raw) {
          const key = `replies/${randomUUID()}`;
          // The verdict headers SES receiving prepends (the local sender is trusted: the tests write as the person).
          const verdicts = 'X-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: PASS\r\nAuthentication-Results: amazonses.com; spf=pass smtp.mailfrom=local; dkim=pass header.i=local\r\n';
          await s3.send(new PutObjectCommand({ Bucket: localBucket('inbound'), Key: key, Body: Buffer.concat([Buffer.from(verdicts), raw]) }));
          return key;
        },
        async runSchedule(name) {
          const fn = functions.find((f) => f.schedule?.name === name);
          if (!fn) return false;
          // The event EventBridge Scheduler's rule target receives.
          return (await invoke(fn, { version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), resources: [name], detail: {} })) ?? null;
        },
      },
      log,
    });
    const apiUrl = `http://localhost:${await listen(apiServer, options.apiPort ?? 3000)}`;
    process.env.PUBLIC_API_URL = apiUrl;
    stops.push(async () => {
      apiServer.closeAllConnections();
      await new Promise((resolve) => apiServer.close(resolve));
    });

    return {
      apiUrl,
      sitesUrl: sites.url,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: sites.s3Endpoint,
      sesEndpoint: mail.endpoint,
      tokenFor: (role: Role) => issuer.sign(role),
      /** SES API calls made so far, by method and path (the bench's calls per 1,000 recipients). */
      sesCalls: mail.calls,
      resetSesCalls: mail.resetCalls,
      /** Resolves when no event delivery or stream batch is under way. */
      idle: async () => {
        await Promise.all([bus.idle(), runner.idle(), objectEvents.idle()]);
        await bus.idle();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
