import { describe, expect, it } from 'vitest';
import {
  TemplateRenderError, checkTemplate, htmlToText, placeholdersOf, renderTemplate, type RecipientValues, type TemplateSource,
} from '../../functions/campaigns/domain/template.ts';

const unsubscribeUrl = 'https://api.example.com/u/tok_1?c=camp&v=1';
const aRecipient = (overrides: Partial<RecipientValues> = {}): RecipientValues => ({
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  company: 'Analytical Engines',
  unsubscribeUrl,
  preferencesUrl: 'https://api.example.com/public/preferences/tok_2',
  jobSuggestions: [],
  ...overrides,
});
const aTemplate = (overrides: Partial<TemplateSource> = {}): TemplateSource => ({
  subject: 'Hello {{firstName}}',
  html: '<html><body><p>Hi {{ firstName | default:"there" }}</p><a href="{{unsubscribeUrl}}">Unsubscribe</a></body></html>',
  ...overrides,
});

describe('checking a template', () => {
  it('finds nothing wrong with known fields, spaces inside the braces and defaults', () => {
    const template = aTemplate({ subject: '{{ fullName|default:"Hello" }} at {{company}}', text: 'Roles:\n{{jobSuggestions}}\n{{preferencesUrl}}' });
    expect(checkTemplate(template)).toEqual([]);
  });

  it('reports an unknown placeholder in the part it is in', () => {
    expect(checkTemplate(aTemplate({ text: 'Your salary: {{salary}}' }))).toEqual([{ path: 'text', message: expect.stringMatching(/unknown placeholder \{\{salary\}\}/) }]);
  });

  it.each([
    ['subject', '{{ }}'],
    ['subject', '{{firstName|upper}}'],
    ['html', '<p>Hi {{firstName</p>'],
    ['html', '<p>{{firstName|default:there}}</p>'],
  ] as const)('reports the malformed placeholder in the %s of %j', (path, broken) => {
    const problems = checkTemplate(aTemplate({ [path]: broken }));
    expect(problems).toEqual([{ path, message: expect.stringMatching(/malformed|unclosed/) }]);
  });

  it('refuses job suggestions in the subject, where a list cannot go', () => {
    expect(checkTemplate(aTemplate({ subject: 'New roles: {{jobSuggestions}}' }))).toEqual([{ path: 'subject', message: expect.stringMatching(/list/) }]);
  });

  it('lists the fields a template uses, each once', () => {
    expect(placeholdersOf(aTemplate({ text: '{{firstName}} {{email}}' }))).toEqual(['firstName', 'unsubscribeUrl', 'email']);
  });

  it('refuses to render an invalid template', () => {
    expect(() => renderTemplate(aTemplate({ html: '{{salary}}' }), aRecipient())).toThrow(TemplateRenderError);
  });
});

describe('rendering a template', () => {
  it('uses the default when a value is missing or blank, else the empty string', () => {
    const template = aTemplate({ subject: 'Hi {{firstName|default:"there"}}, {{city|default:"a}}b"}} {{headline}}!', html: '<p>{{fullName}}</p>{{unsubscribeUrl}}' });
    expect(renderTemplate(template, aRecipient({ firstName: '  ' })).subject).toBe('Hi there, a}}b !');
    expect(renderTemplate(template, aRecipient({ firstName: undefined })).html).toContain('<p>Lovelace</p>');
    expect(renderTemplate(template, aRecipient()).html).toContain('<p>Ada Lovelace</p>');
  });

  it('escapes hostile values in the body and inside attributes', () => {
    const template = aTemplate({ html: '<p>Hi {{firstName}}</p><a href="{{company}}">x</a>{{unsubscribeUrl}}' });
    const { html } = renderTemplate(template, aRecipient({ firstName: '<script>alert(1)</script>', company: '"><img src=x onerror=alert(1)>' }));
    expect(html).toBe('<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p><a href="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">x</a>https://api.example.com/u/tok_1?c=camp&amp;v=1');
  });

  it('strips line breaks and control characters from the subject, so a value cannot add headers', () => {
    const { subject } = renderTemplate(aTemplate({ subject: '  Hello   {{firstName}} ' }), aRecipient({ firstName: 'Ada\r\nBcc: everyone@example.com\u0000' }));
    expect(subject).toBe('Hello Ada Bcc: everyone@example.com');
  });

  it('never expands placeholders that arrive inside values', () => {
    const email = renderTemplate(aTemplate({ text: 'Hi {{firstName}}' }), aRecipient({ firstName: '{{email}}' }));
    expect(email.subject).toBe('Hello {{email}}');
    expect(email.text).toMatch(/^Hi \{\{email\}\}/);
  });

  it('renders job suggestions as an escaped list in html and as lines in text', () => {
    const jobSuggestions = [{ title: 'Engineer <Rust>', url: 'https://jobs.example.com/1?a=1&b=2', location: 'Remote' }, { title: 'Analyst', url: 'https://jobs.example.com/2' }];
    const template = aTemplate({ html: '{{jobSuggestions}}{{unsubscribeUrl}}', text: 'Roles:\n{{jobSuggestions}}\n{{unsubscribeUrl}}' });
    const email = renderTemplate(template, aRecipient({ jobSuggestions }));
    expect(email.html).toMatch(/^<ul><li><a href="https:\/\/jobs\.example\.com\/1\?a=1&amp;b=2">Engineer &lt;Rust&gt;<\/a> — Remote<\/li><li><a href="https:\/\/jobs\.example\.com\/2">Analyst<\/a><\/li><\/ul>/);
    expect(email.text).toBe(`Roles:\n- Engineer <Rust> (Remote): https://jobs.example.com/1?a=1&b=2\n- Analyst: https://jobs.example.com/2\n${unsubscribeUrl}`);
  });

  it('renders no job suggestions as the empty string, or the default', () => {
    const template = aTemplate({ html: '<div>{{jobSuggestions}}</div><p>{{jobSuggestions|default:"No open roles"}}</p>{{unsubscribeUrl}}' });
    expect(renderTemplate(template, aRecipient()).html).toMatch(/^<div><\/div><p>No open roles<\/p>/);
  });

  it('appends a visible unsubscribe link before </body> and to the text part when the template has none', () => {
    const email = renderTemplate(aTemplate({ html: '<html><body><p>Hi</p></body></html>', text: 'Hi' }), aRecipient());
    expect(email.html).toMatch(/<p>Hi<\/p><p[^>]*><a href="https:\/\/api\.example\.com\/u\/tok_1\?c=camp&amp;v=1">Unsubscribe<\/a><\/p><\/body><\/html>$/);
    expect(email.text).toBe(`Hi\n\nUnsubscribe: ${unsubscribeUrl}`);
    expect(renderTemplate(aTemplate({ html: '<p>Hi</p>' }), aRecipient()).html).toMatch(/^<p>Hi<\/p><p[^>]*><a href="[^"]+">Unsubscribe<\/a><\/p>$/);
  });

  it('does not add a second unsubscribe link when the template places one', () => {
    const email = renderTemplate(aTemplate({ text: 'Hi\nLeave: {{unsubscribeUrl}}' }), aRecipient());
    expect(email.html.match(/Unsubscribe/g)).toHaveLength(1);
    expect(email.text).toBe(`Hi\nLeave: ${unsubscribeUrl}`);
  });

  it('writes the text part from the rendered html when the template has none', () => {
    const template = aTemplate({ html: '<p>Hi {{firstName}} &amp; team,</p><p>See <a href="https://jobs.example.com/1">the role</a> or https://jobs.example.com.<br>Bye</p>' });
    expect(renderTemplate(template, aRecipient()).text).toBe(`Hi Ada & team,\n\nSee the role (https://jobs.example.com/1) or https://jobs.example.com.\nBye\n\nUnsubscribe (${unsubscribeUrl})`);
  });
});

describe('html to text', () => {
  it('turns MJML-compiled html into readable text: no head, styles or Outlook comments, one blank line between blocks', () => {
    const html = `<!doctype html>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Roles</title><!--[if !mso]><!--><meta http-equiv="X-UA-Compatible" content="IE=edge"><!--<![endif]-->
<style type="text/css">#outlook a { padding:0; } @media only screen and (min-width:480px) { .mj-column-per-100 { width:100% !important; }}</style></head>
<body style="word-spacing:normal;"><div style="" role="article" lang="und">
  <!--[if mso | IE]><table align="center" border="0" cellpadding="0" cellspacing="0" style="width:600px;" width="600"><tr><td><![endif]-->
  <div style="margin:0px auto;max-width:600px;"><table align="center" border="0" role="presentation" style="width:100%;"><tbody><tr>
    <td style="direction:ltr;font-size:0px;padding:20px 0;text-align:center;">
      <div class="mj-column-per-100 mj-outlook-group-fix"><table border="0" role="presentation" width="100%"><tbody>
        <tr><td align="left"><div style="font-family:Ubuntu, Helvetica, Arial, sans-serif;font-size:13px;">
          <h1>Hi   Ada,</h1><p>New roles that fit you &mdash; &#8220;remote&#8221;&nbsp;first:</p></div></td></tr>
        <tr><td align="center"><table border="0" role="presentation"><tbody><tr><td align="center" bgcolor="#414141">
          <a href="https://jobs.example.com/1?a=1&amp;b=2" style="display:inline-block;color:#ffffff;" target="_blank">
            See the role
          </a></td></tr></tbody></table></td></tr>
        <tr><td><div><a href="https://example.com">https://example.com</a> &middot; <a href="https://example.com/p">Preferences</a></div></td></tr>
      </tbody></table></div>
    </td></tr></tbody></table></div>
  <!--[if mso | IE]></td></tr></table><![endif]-->
</div></body></html>`;
    expect(htmlToText(html)).toBe(
      'Hi Ada,\n\nNew roles that fit you — “remote” first:\n\nSee the role (https://jobs.example.com/1?a=1&b=2)\n\nhttps://example.com · Preferences (https://example.com/p)',
    );
  });

  it('decodes entities once, so escaped markup stays text', () => {
    expect(htmlToText('<p>&amp;lt;b&amp;gt; &lt;i&gt; &quot;q&quot; &#39;s&#x27;</p>')).toBe('&lt;b&gt; <i> "q" \'s\'');
  });
});
