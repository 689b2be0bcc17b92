// Pure helpers for the channel settings forms.

/** The one line a shop pastes into its site; `origin` is where this console (and the widget) is served. */
export function widgetSnippet(origin: string, widgetToken: string): string {
  return `<script src="${origin}/widget.js" data-inbox="${widgetToken}" defer></script>`;
}

const ORIGIN = /^https?:\/\/[^/\s]+$/;

/** Accepts what people paste ("https://shop.cn/", " HTTPS://Shop.cn ") and returns the canonical origin. */
export function normaliseOrigin(input: string): string | null {
  const trimmed = input.trim().replace(/\/+$/, '');
  if (!ORIGIN.test(trimmed)) return null;
  try {
    return new URL(trimmed).origin;
  } catch {
    return null;
  }
}

export function inboundExample(origin: string): string {
  return [
    `curl -X POST ${origin}/api/v1/inbound \\`,
    `  -H 'Authorization: Bearer <API_KEY>' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '{"customer":{"externalId":"user-42","name":"王小明"},"messageId":"msg-1001","text":"我的订单到哪了？"}'`,
  ].join('\n');
}
