/** `npm start`: the whole system on this machine. Flags: --memory --port N --sites-port N --time-scale N --data-dir D */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PortInUse } from './net.ts';
import { startLocalStack } from './stack.ts';

const { values: flags } = parseArgs({
  options: {
    memory: { type: 'boolean', default: false },
    port: { type: 'string', default: '3000' },
    'sites-port': { type: 'string', default: '3001' },
    'time-scale': { type: 'string', default: '1' },
    'data-dir': { type: 'string', default: '.local' },
  },
});

const fail = (message: string): never => {
  console.error(`talent-relay: ${message}`);
  process.exit(1);
};

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// One stack per data directory: two would fight over the same DynamoDB files.
const lock = join(flags['data-dir'], 'stack.pid');
if (!flags.memory) {
  mkdirSync(flags['data-dir'], { recursive: true });
  const holder = existsSync(lock) ? Number(readFileSync(lock, 'utf8')) : 0;
  if (holder && holder !== process.pid && isRunning(holder)) fail(`already running (pid ${holder}). Stop it first, or start another with --memory and other ports.`);
  writeFileSync(lock, String(process.pid));
}

const stack = await startLocalStack({
  apiPort: Number(flags.port),
  sitesPort: Number(flags['sites-port']),
  memory: flags.memory,
  dataDir: flags['data-dir'],
  timeScale: Number(flags['time-scale']),
}).catch((error: Error) => fail(error instanceof PortInUse ? error.message : `could not start: ${error.message}`));

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await stack.stop();
  if (!flags.memory) rmSync(lock, { force: true });
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGHUP', shutdown);

const admin = await stack.tokenFor('admin');
const recruiter = await stack.tokenFor('recruiter');
console.log(`
Talent Relay is running locally${flags.memory ? ' (in memory)' : ` (data in ${flags['data-dir']}/)`}.

  API             ${stack.apiUrl}          (OpenAPI: ${stack.apiUrl}/openapi.json)
  Sites & feeds   ${stack.sitesUrl}
  Mailbox         ${stack.apiUrl}/_local/mail?to=<address>
  DynamoDB Local  ${stack.dynamoEndpoint}
  SES v2 emulator ${stack.sesEndpoint}

Admin token (12 h):
  ${admin}
Recruiter token (12 h):
  ${recruiter}

Try:
  curl -s ${stack.apiUrl}/candidates -H 'authorization: Bearer ${recruiter.slice(0, 12)}…'
  (or mint one: curl -s -X POST ${stack.apiUrl}/_local/token -H 'content-type: application/json' -d '{"role":"recruiter"}')

Ctrl-C stops everything.`);
