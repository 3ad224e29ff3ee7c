import { FilterXSS } from 'xss';

/**
 * Job descriptions are HTML that ends up on public pages, in feeds and in Google's index: only formatting tags and
 * http(s)/mailto links stay; scripts, styles and their content go; every other tag is dropped, keeping its text.
 */
const filter = new FilterXSS({
  whiteList: {
    p: [], br: [], ul: [], ol: [], li: [], strong: [], b: [], em: [], i: [], u: [],
    h2: [], h3: [], h4: [], blockquote: [], a: ['href', 'title'],
  },
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style', 'iframe', 'object', 'noscript', 'template'],
  allowCommentTag: false,
  onTagAttr(tag, name, value) {
    if (tag === 'a' && name === 'href' && !/^(https?:|mailto:)/i.test(value.trim())) return '';
    return undefined;
  },
});

export const sanitiseHtml = (html: string): string => filter.process(html).trim();

/** The text of a sanitised description: for meta descriptions, search and the assistant. */
export const textOf = (html: string): string =>
  html.replace(/<(br|\/p|\/li|\/h\d)>/gi, ' ').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
