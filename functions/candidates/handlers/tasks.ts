import { created, endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { tasks } from '../adapters/services-tasks.ts';
import * as api from '../api.ts';

const createTask = endpoint(api.createTask, async ({ params, body, actor }) => created(await tasks.create(params.id, body, actor.sub)));

const updateTask = endpoint(api.updateTask, async ({ params, body, actor }) => ok(await tasks.update(params.id, body, actor.sub)));

const listTasks = endpoint(api.listTasks, async ({ query: { limit, cursor, ...query }, actor }) =>
  ok(await tasks.list(query, actor.email, { limit, cursor })),
);

export const handler = httpApi(createTask, updateTask, listTasks);
