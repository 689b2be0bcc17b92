import { describe, expect, it } from 'vitest';
import { normaliseOrigin, widgetSnippet } from './widgetSnippet.ts';

describe('channel settings helpers', () => {
  it('prints the exact widget snippet', () => {
    expect(widgetSnippet('https://cs.shop.cn', 'wt_abc')).toBe(
      '<script src="https://cs.shop.cn/widget.js" data-inbox="wt_abc" defer></script>',
    );
  });

  it('normalises pasted origins and rejects paths or other schemes', () => {
    expect(normaliseOrigin(' https://Shop.example.com/ ')).toBe('https://shop.example.com');
    expect(normaliseOrigin('http://localhost:5173')).toBe('http://localhost:5173');
    expect(normaliseOrigin('https://shop.example.com/cart')).toBeNull();
    expect(normaliseOrigin('shop.example.com')).toBeNull();
    expect(normaliseOrigin('ftp://shop.example.com')).toBeNull();
  });
});
