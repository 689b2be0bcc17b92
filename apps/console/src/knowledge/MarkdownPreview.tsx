// A safe Markdown preview: headings, paragraphs, lists and bold rendered as React elements (text is
// always set as text, never as HTML), enough to see how an article splits into sections.
import { Typography } from 'antd';
import type { ReactNode } from 'react';

function inline(text: string): ReactNode[] {
  return text.split(/(\*\*[^*]+\*\*)/g).map((part, i) =>
    part.startsWith('**') && part.endsWith('**') && part.length > 4 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: fragments of one line never reorder
      <strong key={i}>{part.slice(2, -2)}</strong>
    ) : (
      part
    ),
  );
}

export function MarkdownPreview({ source }: { source: string }) {
  const blocks: ReactNode[] = [];
  let list: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) {
      blocks.push(
        <Typography.Paragraph key={blocks.length}>{inline(paragraph.join(' '))}</Typography.Paragraph>,
      );
      paragraph = [];
    }
    if (list.length > 0) {
      blocks.push(
        <ul key={blocks.length}>
          {list.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: list items of a static preview
            <li key={i}>{inline(item)}</li>
          ))}
        </ul>,
      );
      list = [];
    }
  };
  for (const line of source.split('\n')) {
    const heading = /^\s{0,3}(#{1,6})\s+(.+)$/.exec(line);
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.+)$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(5, heading[1]!.length + 2) as 3 | 4 | 5;
      blocks.push(
        <Typography.Title key={blocks.length} level={level}>
          {heading[2]}
        </Typography.Title>,
      );
    } else if (item) {
      if (paragraph.length > 0) flush();
      list.push(item[1]!);
    } else if (line.trim() === '') flush();
    else {
      if (list.length > 0) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return <div className="zk-markdown-preview">{blocks}</div>;
}
