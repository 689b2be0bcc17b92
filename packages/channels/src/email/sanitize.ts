// Email HTML is hostile input: it is shown to agents only after this allow-list pass, and its text is
// what the bot and the conversation see. No scripts, styles, event handlers, forms or frames survive;
// links keep only http(s)/mailto; images only when embedded in the mail itself (data: from cid parts),
// so opening a mail never tells a tracker that it was read.
import { convert } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';

const ALLOWED_TAGS = [
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'caption',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'div',
  'dl',
  'dt',
  'em',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'li',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
];

const policy: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    table: ['border', 'cellpadding', 'cellspacing', 'width'],
    col: ['span', 'width'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  // Whatever is not allowed goes with its content for these, and loses only its tags otherwise.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'title',
    'head',
    'template',
    'svg',
    'math',
  ],
  disallowedTagsMode: 'discard',
  parseStyleAttributes: false,
  transformTags: {
    // Links open outside the console and leak neither the console's URL nor a window handle.
    // Relative URLs would resolve against the console's own origin; only absolute ones mean anything.
    a: (tagName, attribs) => {
      const { href, ...rest } = attribs;
      const absolute = href !== undefined && /^\s*(https?:\/\/|mailto:)/i.test(href);
      return {
        tagName,
        attribs: {
          ...rest,
          ...(absolute ? { href } : {}),
          target: '_blank',
          rel: 'noopener noreferrer nofollow',
        },
      };
    },
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      return { tagName, attribs: src && /^data:image\//i.test(src.trim()) ? { ...rest, src } : rest };
    },
  },
  exclusiveFilter: (frame) =>
    // An image whose remote src was stripped is an empty box; drop it (alt text is lost with it).
    frame.tag === 'img' && !frame.attribs.src,
};

// The transform adds target/rel, which the attribute allow-list must then let through.
policy.allowedAttributes = { ...(policy.allowedAttributes || {}), a: ['href', 'title', 'target', 'rel'] };

/** The mail's HTML reduced to safe markup (see the file comment). */
export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, policy);
}

/**
 * Blocks mail clients put the quoted earlier mail in: Gmail, Apple Mail and Thunderbird use blockquote
 * (with a class or `type="cite"`), Outlook a div after `divRplyFwdMsg`, QQ/Foxmail and NetEase mail a
 * div marked as the original message.
 */
const QUOTE_SELECTORS = [
  'blockquote',
  '.gmail_quote',
  '.gmail_extra',
  '#divRplyFwdMsg',
  '#appendonsend',
  '#isReplyContent',
  '#isForwardContent',
  '.qmbox',
  '#origbody',
];

/** The text of an HTML mail, with quoted earlier mails left out unless nothing else would remain. */
export function htmlToText(html: string, { dropQuotes }: { dropQuotes: boolean }): string {
  const base = {
    wordwrap: false as const,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
    limits: { maxInputLength: 2_000_000 },
  };
  const full = convert(html, base).trim();
  if (!dropQuotes) return full;
  const withoutQuotes = convert(html, {
    ...base,
    selectors: [...base.selectors, ...QUOTE_SELECTORS.map((selector) => ({ selector, format: 'skip' }))],
  }).trim();
  return withoutQuotes.length > 0 ? withoutQuotes : full;
}
