import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown in incident updates, postmortems and maintenance texts, rendered to HTML that is
 * safe to put in a page. Two layers: markdown-it with raw HTML off (tags are escaped, and its
 * link check drops javascript:, vbscript:, file: and data: URLs), then sanitize-html with a
 * small allowlist, so a bug in either one alone cannot let a script through.
 */
const md = new MarkdownIt({ html: false, linkify: true, breaks: true });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title'], ol: ['start'], th: ['style'], td: ['style'] },
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Links written by operators open the target without handing it this page.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }) },
};
ALLOWED.allowedAttributes = { ...ALLOWED.allowedAttributes, a: ['href', 'title', 'rel'] };

/** Safe HTML for a Markdown text. */
export function renderMarkdown(text: string): string {
  return sanitizeHtml(md.render(text), ALLOWED).trim();
}

/** The text without Markdown syntax, for plain-text mails, feed summaries and titles. */
export function markdownToText(text: string): string {
  const html = md.render(text);
  const blocks = html.replace(/<li>/g, '- ').replace(/<\/(p|h[1-6]|blockquote|pre|tr)>/g, '\n');
  return sanitizeHtml(blocks, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
