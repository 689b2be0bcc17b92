// A small strict reader and writer for the flat XML WeChat pushes (`<xml><ToUserName>…</ToUserName>…</xml>`).
// It is written for hostile input: a document type declaration, an entity declaration or any entity other
// than XML's five predefined ones and character references is refused before anything is read, so there
// is nothing to expand (no XXE file reads, no billion laughs); size, depth and element count are capped.

export class XmlRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlRejected';
  }
}

export interface XmlElement {
  name: string;
  /** The element's own character data (CDATA and text joined), trimmed of surrounding whitespace. */
  text: string;
  children: XmlElement[];
}

export interface XmlLimits {
  maxChars: number;
  maxDepth: number;
  maxElements: number;
}

/** WeChat's documents are a root with a few fields and at most one or two nested lists (SendPicsInfo). */
export const wechatXmlLimits: XmlLimits = { maxChars: 256 * 1024, maxDepth: 6, maxElements: 400 };

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Resolves the five predefined entities and character references; anything else is refused, not kept. */
function decodeText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&<>\s]{0,12});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new XmlRejected('bare "&" in text');
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (!numeric) throw new XmlRejected(`entity reference &${name}; is not allowed`);
    const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
    if (!isXmlChar(code)) throw new XmlRejected('character reference to a character XML does not allow');
    return String.fromCodePoint(code);
  });
}

/**
 * Parses one WeChat XML document. Throws `XmlRejected` for anything outside the plain element/text/CDATA
 * subset: DOCTYPE, ENTITY, processing instructions (other than the XML declaration), unknown entities,
 * mismatched tags, trailing content.
 */
export function parseXml(input: string, limits: XmlLimits = wechatXmlLimits): XmlElement {
  if (input.length > limits.maxChars) throw new XmlRejected('document too large');
  let pos = 0;
  let elements = 0;
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;

  const skipMisc = () => {
    for (;;) {
      while (pos < text.length && /\s/.test(text[pos] as string)) pos++;
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) throw new XmlRejected('unterminated comment');
        pos = end + 3;
        continue;
      }
      // A DTD (internal subset or external) is where entities are declared: refuse it, never read it. Inside
      // elements the same markup is refused below, so customer text in CDATA may still say "<!DOCTYPE".
      if (text.startsWith('<!', pos) || text.startsWith('<?', pos)) {
        throw new XmlRejected('document type declarations and processing instructions are not allowed');
      }
      return;
    }
  };

  if (/^<\?xml\s/.test(text)) {
    const end = text.indexOf('?>');
    if (end < 0) throw new XmlRejected('unterminated XML declaration');
    pos = end + 2;
  }
  skipMisc();

  const readElement = (depth: number): XmlElement => {
    if (depth > limits.maxDepth) throw new XmlRejected('nested too deeply');
    if (++elements > limits.maxElements) throw new XmlRejected('too many elements');
    if (text[pos] !== '<') throw new XmlRejected(`expected an element at ${pos}`);
    pos++;
    const nameMatch = NAME.exec(text.slice(pos, pos + 128));
    if (!nameMatch) throw new XmlRejected(`bad element name at ${pos}`);
    const name = nameMatch[0];
    pos += name.length;
    // Attributes are not part of WeChat's format; tolerate well-formed ones and ignore their values.
    for (;;) {
      while (/\s/.test(text[pos] ?? '')) pos++;
      if (text.startsWith('/>', pos)) {
        pos += 2;
        return { name, text: '', children: [] };
      }
      if (text[pos] === '>') {
        pos++;
        break;
      }
      const attr = /^([A-Za-z_][A-Za-z0-9_.:-]*)\s*=\s*("[^"<&]*"|'[^'<&]*')/.exec(
        text.slice(pos, pos + 1024),
      );
      if (!attr) throw new XmlRejected(`malformed tag <${name}>`);
      pos += attr[0].length;
    }

    const parts: string[] = [];
    const children: XmlElement[] = [];
    for (;;) {
      if (pos >= text.length) throw new XmlRejected(`<${name}> is not closed`);
      if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos + 9);
        if (end < 0) throw new XmlRejected('unterminated CDATA section');
        parts.push(text.slice(pos + 9, end));
        pos = end + 3;
      } else if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) throw new XmlRejected('unterminated comment');
        pos = end + 3;
      } else if (text.startsWith('</', pos)) {
        const close = /^<\/([A-Za-z_][A-Za-z0-9_.-]*)\s*>/.exec(text.slice(pos, pos + 160));
        if (!close || close[1] !== name) throw new XmlRejected(`mismatched closing tag for <${name}>`);
        pos += close[0].length;
        return { name, text: parts.join('').trim(), children };
      } else if (text.startsWith('<?', pos) || text.startsWith('<!', pos)) {
        throw new XmlRejected('processing instructions and declarations are not allowed');
      } else if (text[pos] === '<') {
        children.push(readElement(depth + 1));
      } else {
        const next = text.indexOf('<', pos);
        const end = next < 0 ? text.length : next;
        const raw = text.slice(pos, end);
        if (raw.includes(']]>')) throw new XmlRejected('"]]>" in text');
        parts.push(decodeText(raw));
        pos = end;
      }
    }
  };

  const root = readElement(1);
  skipMisc();
  if (pos !== text.length) throw new XmlRejected('content after the root element');
  for (const char of root.text + collectText(root)) {
    if (!isXmlChar(char.codePointAt(0) ?? 0)) throw new XmlRejected('character XML does not allow');
  }
  return root;
}

function collectText(element: XmlElement): string {
  return element.children.map((child) => child.text + collectText(child)).join('');
}

/** The root's direct children as name → text (first occurrence wins), which is all a WeChat push needs. */
export function fieldsOf(root: XmlElement): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const child of root.children) {
    if (!(child.name in fields)) fields[child.name] = child.text;
  }
  return fields;
}

/** Drops characters XML 1.0 cannot carry (control characters, lone surrogates) from outgoing text. */
export function xmlSafeText(value: string): string {
  let out = '';
  for (const char of value) {
    if (isXmlChar(char.codePointAt(0) ?? 0) && !(char.length === 1 && /[\uD800-\uDFFF]/.test(char)))
      out += char;
  }
  return out;
}

/** A CDATA section that survives any text, including one containing "]]>". */
export function cdata(value: string): string {
  return `<![CDATA[${xmlSafeText(value).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Builds `<xml>` with the given fields, in order: strings as CDATA, numbers as plain text. */
export function buildXml(fields: ReadonlyArray<readonly [string, string | number]>): string {
  const body = fields
    .map(
      ([name, value]) =>
        `<${name}>${typeof value === 'number' ? String(Math.trunc(value)) : cdata(value)}</${name}>`,
    )
    .join('');
  return `<xml>${body}</xml>`;
}
