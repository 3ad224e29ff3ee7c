import { dripService } from '../domain/drip-service.ts';
import { sendService } from '../domain/send-service.ts';
import { sesMailer } from './ses-mailer.ts';
import { clock, links, signer, stores, workflows } from './services.ts';

const deps = { ...stores, mailer: sesMailer, signer, links, clock };
export const sending = sendService(deps);
export const drips = dripService({ ...deps, workflows });
