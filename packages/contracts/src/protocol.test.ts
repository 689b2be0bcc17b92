// The protocol module is what browser bundles import; it must stay free of the schema library.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as contracts from './index.ts';
import * as protocol from './protocol.ts';

describe('@zhike/contracts/protocol', () => {
  it('has no runtime imports, so bundling it pulls in nothing else', () => {
    // kpiFormat.ts is imported by the console the same way.
    for (const file of ['./protocol.ts', './kpiFormat.ts']) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      const imports = source.split('\n').filter((line) => /^\s*(import|export)\b.*\bfrom\b/.test(line));
      expect(
        imports.every((line) => /^import type /.test(line)),
        file,
      ).toBe(true);
      expect(imports.length, file).toBeGreaterThan(0);
    }
  });

  it('is the one source of the constants the schema modules use', () => {
    expect(contracts.MAX_MESSAGE_TEXT).toBe(protocol.MAX_MESSAGE_TEXT);
    const maxLength = (schema: object) => (schema as { maxLength?: number }).maxLength;
    expect(maxLength(contracts.SendMessageBody.properties.text)).toBe(protocol.MAX_MESSAGE_TEXT);
    expect(maxLength(contracts.InboundBody.properties.text)).toBe(protocol.WIDGET_MAX_TEXT);
    expect(contracts.problemCodes).toBe(protocol.problemCodes);
  });

  it('documents widget close codes in the application range and marks which socket errors are retryable', () => {
    for (const code of Object.values(protocol.WIDGET_CLOSE)) expect(code).toBeGreaterThanOrEqual(4000);
    expect(protocol.WIDGET_CLOSE.unknownVisitor).toBe(4401);
    expect(protocol.WIDGET_CLOSE.originNotAllowed).toBe(4403);
    expect(protocol.widgetSocketErrors.internal.retryable).toBe(true);
    expect(protocol.widgetSocketErrors.validation_failed.retryable).toBe(false);
  });
});
