// The little XML S3 speaks back: error bodies, list pages, upload ids. Flat, known element names, so a
// few careful regular expressions read it; no XML library for four shapes.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/** The text of the first <tag>…</tag> (tag names are S3's own, never user input). */
export function xmlValue(xml: string, tag: string): string | null {
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  return match ? decodeXmlText(match[1] ?? '') : null;
}

/** The inner XML of every <tag>…</tag>. */
export function xmlBlocks(xml: string, tag: string): string[] {
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1] ?? '');
}

export interface S3ErrorBody {
  code: string;
  message: string;
  requestId: string | null;
}

/** An <Error> document, or null when the body is not one (a proxy's HTML page, an empty HEAD answer). */
export function parseErrorBody(body: string): S3ErrorBody | null {
  const error = xmlBlocks(body, 'Error')[0];
  if (error === undefined) return null;
  return {
    code: xmlValue(error, 'Code') ?? 'UnknownError',
    message: xmlValue(error, 'Message') ?? '',
    requestId: xmlValue(error, 'RequestId'),
  };
}

export interface ListPage {
  objects: { key: string; size: number; modified: Date }[];
  nextToken: string | null;
}

export function parseListPage(body: string): ListPage {
  const objects = xmlBlocks(body, 'Contents').map((item) => ({
    key: xmlValue(item, 'Key') ?? '',
    size: Number(xmlValue(item, 'Size') ?? Number.NaN),
    modified: new Date(xmlValue(item, 'LastModified') ?? 0),
  }));
  if (objects.some((o) => o.key === '' || !Number.isFinite(o.size)))
    throw new Error('the bucket listing is not readable (an object without key or size)');
  const truncated = xmlValue(body, 'IsTruncated') === 'true';
  const nextToken = truncated ? xmlValue(body, 'NextContinuationToken') : null;
  if (truncated && !nextToken)
    throw new Error('the bucket listing is truncated but has no continuation token');
  return { objects, nextToken };
}
