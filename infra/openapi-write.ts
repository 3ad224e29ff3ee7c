import { writeFileSync } from 'node:fs';
import { buildOpenApi } from './openapi.ts';

// `npm run openapi`: regenerates the checked-in document (a test fails while it is out of date).
writeFileSync(new URL('../docs/openapi.json', import.meta.url), `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
