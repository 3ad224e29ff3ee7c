import { buildApp } from './stack.ts';

// `npm run synth` / `npm run deploy`: context flags (-c stage=prod -c corsOrigins=https://careers.example.com).
buildApp().app.synth();
