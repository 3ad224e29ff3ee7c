import type { Server } from 'node:http';
import { createRequire } from 'node:module';

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

/** The SES v2 emulator, and its mailbox read back in the shape `GET /_local/mail` answers. */
export async function startMail() {
  // A CommonJS module whose factory is `exports.default`; require() reads it the same way under tsx and vitest.
  const { default: startSesEmulator } = createRequire(import.meta.url)('aws-ses-v2-local') as typeof import('aws-ses-v2-local');
  const server: Server = await startSesEmulator({ host: '127.0.0.1', port: 0 });
  const address = server.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    endpoint,
    async messages(to?: string) {
      const { emails } = (await (await fetch(`${endpoint}/store`)).json()) as { emails: StoredEmail[] };
      const wanted = to?.toLowerCase();
      return emails
        .filter((email) => !wanted || [...email.destination.to, ...email.destination.cc, ...email.destination.bcc].some((a) => a.toLowerCase().includes(wanted)))
        .map((email) => ({
          messageId: email.messageId,
          from: email.from,
          to: email.destination.to,
          subject: email.subject,
          headers: Object.fromEntries((email.headers ?? []).map(({ name, value }) => [name.toLowerCase(), value])),
          text: email.body.text,
          html: email.body.html,
          date: new Date(email.at * 1000).toISOString(),
        }));
    },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
