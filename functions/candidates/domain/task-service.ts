import { TaskCompleted, TaskCreated } from '../../../events/candidates.ts';
import { makeEvent, type DomainEvent } from '../../../events/contract.ts';
import { InvalidInput, NotFound } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { CreateTask, Task, UpdateTask } from '../schemas.ts';
import type { CandidateService } from './candidate-service.ts';
import type { Clock, Ids, Mailer, TaskStore } from './ports.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const startOfDay = (iso: string) => `${iso.slice(0, 10)}T00:00:00.000Z`;

/** The due-date window of `?due=`: overdue is before now; today and week end at the end of the (UTC) day. */
export function dueBefore(due: 'overdue' | 'today' | 'week' | undefined, now: string): string | undefined {
  if (!due) return undefined;
  if (due === 'overdue') return now;
  const endOfToday = Date.parse(startOfDay(now)) + DAY_MS;
  return new Date(due === 'today' ? endOfToday : endOfToday + 6 * DAY_MS).toISOString();
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The digest one recruiter gets: overdue first, then today's. */
export function digestOf(assignee: string, tasks: Task[], now: string) {
  const overdue = tasks.filter((t) => t.dueAt < now);
  const today = tasks.filter((t) => t.dueAt >= now);
  const line = (t: Task) => `${t.title} (candidate ${t.candidateId}, due ${t.dueAt.slice(0, 16).replace('T', ' ')} UTC)`;
  const section = (title: string, list: Task[]) => (list.length ? [`${title}:`, ...list.map((t) => `- ${line(t)}`), ''] : []);
  const htmlSection = (title: string, list: Task[]) =>
    list.length ? `<h2>${title}</h2><ul>${list.map((t) => `<li>${escape(line(t))}</li>`).join('')}</ul>` : '';
  return {
    to: assignee,
    subject: `Your follow-ups for ${now.slice(0, 10)}: ${overdue.length} overdue, ${today.length} due today`,
    text: [...section('Overdue', overdue), ...section('Due today', today)].join('\n'),
    html: `${htmlSection('Overdue', overdue)}${htmlSection('Due today', today)}`,
  };
}

export function taskService(deps: { tasks: TaskStore; candidates: CandidateService; mailer: Mailer; clock: Clock; ids: Ids }) {
  const { tasks, candidates, mailer, clock, ids } = deps;
  const emit = (contract: typeof TaskCreated | typeof TaskCompleted, actor: string, payload: Record<string, string>): DomainEvent =>
    makeEvent(contract, { eventId: ids.next('evt'), occurredAt: clock.now(), actor }, payload as never);

  async function get(id: string): Promise<Task> {
    const task = await tasks.get(id);
    if (!task) throw new NotFound(`There is no task ${id}.`);
    return task;
  }

  return {
    get,

    async create(candidateId: string, input: CreateTask, actor: string, id = ids.next('task')): Promise<Task> {
      await candidates.get(candidateId);
      const task: Task = { id, candidateId, ...input, status: 'open', createdAt: clock.now(), createdBy: actor };
      await tasks.save(task, undefined, [emit(TaskCreated, actor, { candidateId, taskId: task.id, title: task.title, assignee: task.assignee, dueAt: task.dueAt })]);
      return task;
    },

    async update(id: string, patch: UpdateTask, actor: string): Promise<Task> {
      const previous = await get(id);
      const { done, notes, ...fields } = patch;
      const next: Task = { ...previous, ...fields };
      if (notes === null) delete next.notes;
      else if (notes !== undefined) next.notes = notes;
      const completing = done === true && previous.status === 'open';
      if (done === true) Object.assign(next, { status: 'done', completedAt: previous.completedAt ?? clock.now() });
      if (done === false) {
        next.status = 'open';
        delete next.completedAt;
      }
      await tasks.save(next, previous, completing ? [emit(TaskCompleted, actor, { candidateId: next.candidateId, taskId: id, title: next.title })] : []);
      return next;
    },

    list(query: { assignee?: string; due?: 'overdue' | 'today' | 'week'; status: 'open' | 'done' }, callerEmail: string | undefined, page: PageRequest) {
      const assignee = query.assignee ?? callerEmail;
      if (!assignee) throw new InvalidInput('Say whose tasks: ?assignee=<email> (the token carries no email).', [{ path: 'query.assignee', message: 'required' }]);
      return tasks.list({ assignee, status: query.status, dueBefore: dueBefore(query.due, clock.now()) }, page);
    },

    /** The daily digest: one email per recruiter with open tasks due by the end of today, once per day. */
    async sendDigests(): Promise<{ sent: number }> {
      const now = clock.now();
      const byAssignee = new Map<string, Task[]>();
      for await (const page of tasks.dueBefore(dueBefore('today', now)!)) {
        for (const task of page) byAssignee.set(task.assignee, [...(byAssignee.get(task.assignee) ?? []), task]);
      }
      let sent = 0;
      for (const [assignee, due] of byAssignee) {
        // Claimed before sending, so a re-run never sends twice; released if sending fails, so a re-run sends it.
        if (!(await tasks.claimDigest(now.slice(0, 10), assignee))) continue;
        try {
          await mailer.send(digestOf(assignee, due, now));
        } catch (error) {
          await tasks.releaseDigest(now.slice(0, 10), assignee);
          throw error;
        }
        sent++;
      }
      return { sent };
    },
  };
}
