import { describe, expect, it } from 'vitest';
import { buildXml, fieldsOf, parseXml, XmlRejected } from './xml.ts';

const push = `<xml>
  <ToUserName><![CDATA[gh_3f3ab5c2d3e1]]></ToUserName>
  <FromUserName><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></FromUserName>
  <CreateTime>1764032400</CreateTime>
  <MsgType><![CDATA[text]]></MsgType>
  <Content><![CDATA[我的订单什么时候到？]]></Content>
  <MsgId>24123456789012345</MsgId>
</xml>`;

describe('WeChat XML reader', () => {
  it('reads a text push field by field', () => {
    const fields = fieldsOf(parseXml(push));
    expect(fields).toEqual({
      ToUserName: 'gh_3f3ab5c2d3e1',
      FromUserName: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      CreateTime: '1764032400',
      MsgType: 'text',
      Content: '我的订单什么时候到？',
      MsgId: '24123456789012345',
    });
  });

  it('reads nested lists, the XML declaration, predefined entities and character references', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="utf-8"?>\n<xml><A>x &amp; y &lt;3 &#20320;&#x597D;</A>' +
        '<SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum>aa</PicMd5Sum></item><item><PicMd5Sum>bb</PicMd5Sum></item></PicList></SendPicsInfo></xml>',
    );
    expect(fieldsOf(root).A).toBe('x & y <3 你好');
    const list = root.children[1]?.children[1]?.children.map((item) => item.children[0]?.text);
    expect(list).toEqual(['aa', 'bb']);
  });

  it('keeps customer text that looks like markup when it is inside CDATA, literally', () => {
    const fields = fieldsOf(
      parseXml(
        '<xml><Content><![CDATA[<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]> &e;]]></Content></xml>',
      ),
    );
    expect(fields.Content).toBe('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]> &e;');
  });

  const hostile: [string, string][] = [
    [
      'an external entity reading a local file (XXE)',
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>',
    ],
    [
      'an external DTD',
      '<!DOCTYPE xml SYSTEM "http://127.0.0.1:1/evil.dtd"><xml><Content>hi</Content></xml>',
    ],
    [
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
      ).join('')}]><xml><Content>&lol9;</Content></xml>`,
    ],
    ['a parameter entity', '<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p">%p;]><xml/>'],
    ['an undeclared entity reference', '<xml><Content>&xxe;</Content></xml>'],
    ['a DOCTYPE after a comment', '<!-- hi --><!DOCTYPE xml><xml/>'],
    ['a declaration inside an element', '<xml><A><!ENTITY x "y"></A></xml>'],
    ['a processing instruction', '<xml><?php echo 1; ?></xml>'],
    ['a bare ampersand', '<xml><A>fish & chips</A></xml>'],
    ['mismatched tags', '<xml><A>1</B></xml>'],
    ['an unclosed root', '<xml><A>1</A>'],
    ['content after the root', '<xml/><xml/>'],
    ['a character reference to NUL', '<xml><A>&#0;</A></xml>'],
    ['not XML at all', '{"ToUserName":"x"}'],
    ['an empty body', ''],
  ];
  for (const [name, xml] of hostile) {
    it(`refuses ${name}`, () => {
      expect(() => parseXml(xml)).toThrow(XmlRejected);
    });
  }

  it('caps size, depth and element count', () => {
    expect(() => parseXml(`<xml><A>${'a'.repeat(300 * 1024)}</A></xml>`)).toThrow(/too large/);
    expect(() => parseXml(`${'<a>'.repeat(20)}${'</a>'.repeat(20)}`)).toThrow(/deeply/);
    expect(() => parseXml(`<xml>${'<a/>'.repeat(1000)}</xml>`)).toThrow(/too many/);
  });

  it('writes CDATA that survives "]]>" and drops characters XML cannot carry', () => {
    const xml = buildXml([
      ['Content', 'a]]>b\u0000c 😀'],
      ['CreateTime', 1764032400],
    ]);
    expect(xml).toBe(
      '<xml><Content><![CDATA[a]]]]><![CDATA[>bc 😀]]></Content><CreateTime>1764032400</CreateTime></xml>',
    );
    expect(fieldsOf(parseXml(xml))).toEqual({ Content: 'a]]>bc 😀', CreateTime: '1764032400' });
  });
});
