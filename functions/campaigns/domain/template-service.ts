import { InvalidInput, NotFound } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { SaveTemplate, Template } from '../schemas.ts';
import { composeEmail } from './message.ts';
import type { Audiences, Clock, Ids, JobBoard, Links, Signer, TemplateStore } from './ports.ts';
import { checkTemplate, placeholdersOf } from './template.ts';

export interface TemplateDeps {
  templates: TemplateStore;
  /** MJML to HTML; only the functions that save templates carry the compiler. */
  compileMjml?: (mjml: string) => Promise<{ html: string; errors: { line?: number; message: string }[] }>;
  audiences: Audiences;
  jobs: JobBoard;
  signer: Signer;
  links: Links;
  clock: Clock;
  ids: Ids;
}

/**
 * The largest HTML a template may send. SES takes a bulk entry's rendered parts as one JSON value (escaped), at most
 * 256 KB; the text part, generated or given, and the job suggestions must fit beside the HTML.
 */
const MAX_HTML_BYTES = 100 * 1024;

export function templateService(deps: TemplateDeps) {
  const { templates, clock } = deps;

  /** The template as it will be stored, or 400 naming every problem: MJML errors, unknown placeholders. */
  async function build(body: SaveTemplate): Promise<Pick<Template, 'name' | 'subject' | 'html' | 'mjml' | 'text' | 'placeholders'>> {
    let html = body.html;
    if (body.mjml !== undefined) {
      if (!deps.compileMjml) throw new Error('This function cannot compile MJML');
      const compiled = await deps.compileMjml(body.mjml);
      if (compiled.errors.length) {
        throw new InvalidInput('The MJML does not compile.', compiled.errors.map((e) => ({ path: 'body.mjml', message: e.line ? `line ${e.line}: ${e.message}` : e.message })));
      }
      html = compiled.html;
    }
    if (Buffer.byteLength(html!) > MAX_HTML_BYTES) {
      throw new InvalidInput('The email is too large.', [{ path: body.mjml !== undefined ? 'body.mjml' : 'body.html', message: `over ${MAX_HTML_BYTES / 1024} KB of HTML${body.mjml !== undefined ? ' once compiled' : ''}` }]);
    }
    const source = { subject: body.subject, html: html!, ...(body.text ? { text: body.text } : {}) };
    const problems = checkTemplate(source);
    if (problems.length) {
      const part = (path: string) => (path === 'html' && body.mjml !== undefined ? 'mjml' : path);
      throw new InvalidInput('The template has placeholders it cannot fill.', problems.map((p) => ({ path: `body.${part(p.path)}`, message: p.message })));
    }
    return { name: body.name, ...source, ...(body.mjml ? { mjml: body.mjml } : {}), placeholders: placeholdersOf(source) };
  }

  async function get(id: string): Promise<Template> {
    const template = await templates.get(id);
    if (!template) throw new NotFound(`No template ${id}.`);
    return template;
  }

  return {
    get,
    list: (page: PageRequest) => templates.list(page),

    async create(body: SaveTemplate): Promise<Template> {
      const now = clock.now();
      const template: Template = { id: deps.ids.next('tpl'), ...(await build(body)), createdAt: now, updatedAt: now, version: 1 };
      await templates.create(template);
      return template;
    },

    async replace(id: string, body: SaveTemplate, ifMatch?: number): Promise<Template> {
      const current = await get(id);
      const next: Template = { id, ...(await build(body)), createdAt: current.createdAt, updatedAt: clock.now(), version: current.version + 1 };
      await templates.replace(next, ifMatch ?? current.version);
      return next;
    },

    /** Exactly what the candidate would receive, links and headers included. */
    async preview(id: string, candidateId: string) {
      const template = await get(id);
      const contact = (await deps.audiences.contacts([candidateId])).get(candidateId);
      if (!contact?.profile) throw new NotFound(`No candidate ${candidateId}.`);
      // A preview shows where the links go, but they do nothing: a viewer must not get a person's unsubscribe link.
      const inert: Signer = { sign: async () => 'preview', signReply: async () => 'preview', verify: async () => undefined, verifyReply: async () => undefined };
      const email = await composeEmail({ template, profile: contact.profile, candidateId, jobs: await deps.jobs.openJobs(), signer: inert, links: deps.links });
      return { subject: email.subject, html: email.html, text: email.text, headers: { ...email.headers, 'Reply-To': email.replyTo } };
    },
  };
}
