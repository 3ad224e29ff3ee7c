import type { FunctionSpec, WorkflowSpec } from '../manifest.ts';

export const functions: readonly FunctionSpec[] = [];
export const workflows: readonly WorkflowSpec[] = [];
