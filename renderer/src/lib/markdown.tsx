// The Markdown a lab is written in (resources/labs/<id>/lab.md), rendered as React elements — never as
// HTML, so a lab's text cannot inject markup: headings, paragraphs, fenced code, lists, block quotes,
// and inline code, bold, italic and links.
import type { ReactNode } from 'react';

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'quote'; text: string }
  | { kind: 'para'; text: string };

export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  const endPara = () => {
    if (para.length) blocks.push({ kind: 'para', text: para.join(' ') });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```+|~~~+)\s*([\w-]*)/.exec(line);
    if (fence) {
      endPara();
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) body.push(lines[i]!);
      blocks.push({ kind: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      endPara();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]!.trim() });
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      endPara();
      const ordered = /\d/.test(item[1]!);
      const last = blocks.at(-1);
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(item[2]!);
      else blocks.push({ kind: 'list', ordered, items: [item[2]!] });
      // continuation lines of the item
      while (
        i + 1 < lines.length &&
        /^\s{2,}\S/.test(lines[i + 1]!) &&
        !/^\s*([-*+]|\d+[.)])\s/.test(lines[i + 1]!)
      ) {
        const l = blocks.at(-1) as Extract<Block, { kind: 'list' }>;
        l.items[l.items.length - 1] += ` ${lines[++i]!.trim()}`;
      }
      continue;
    }
    const quote = /^>\s?(.*)$/.exec(line);
    if (quote) {
      endPara();
      const last = blocks.at(-1);
      if (last?.kind === 'quote') last.text += ` ${quote[1]!}`;
      else blocks.push({ kind: 'quote', text: quote[1]! });
      continue;
    }
    if (line.trim() === '') endPara();
    else para.push(line.trim());
  }
  endPara();
  return blocks;
}

/** Inline Markdown: `code`, **bold**, _italic_ / *italic*, [text](url). */
export function inline(text: string, key = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  const re =
    /`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|(?<![\w*])\*(?!\s)(.+?)\*(?!\w)|(?<!\w)_(?!\s)(.+?)_(?!\w)|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let at = 0;
  let n = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    const k = `${key}-${n++}`;
    if (m[1] !== undefined) out.push(<code key={k}>{m[1]}</code>);
    else if (m[2] !== undefined || m[3] !== undefined)
      out.push(<strong key={k}>{inline(m[2] ?? m[3]!, k)}</strong>);
    else if (m[4] !== undefined || m[5] !== undefined) out.push(<em key={k}>{inline(m[4] ?? m[5]!, k)}</em>);
    else if (m[6] !== undefined) {
      const href = m[7]!;
      out.push(
        /^https?:\/\//.test(href) ? (
          <a key={k} href={href} target="_blank" rel="noreferrer noopener">
            {inline(m[6], k)}
          </a>
        ) : (
          <span key={k}>{inline(m[6], k)}</span>
        ),
      );
    }
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={`markdown ${className ?? ''}`}>
      {parseMarkdown(text).map((b, i) => {
        const k = `b${i}`;
        switch (b.kind) {
          case 'heading': {
            const H = `h${Math.min(b.level + 2, 6)}` as 'h3' | 'h4' | 'h5' | 'h6';
            return <H key={k}>{inline(b.text, k)}</H>;
          }
          case 'code':
            return (
              <pre key={k} className={`code ${b.lang ? `lang-${b.lang}` : ''}`}>
                <code>{b.text}</code>
              </pre>
            );
          case 'list': {
            const L = b.ordered ? 'ol' : 'ul';
            return (
              <L key={k}>
                {b.items.map((item, j) => (
                  <li key={j}>{inline(item, `${k}-${j}`)}</li>
                ))}
              </L>
            );
          }
          case 'quote':
            return <blockquote key={k}>{inline(b.text, k)}</blockquote>;
          default:
            return <p key={k}>{inline(b.text, k)}</p>;
        }
      })}
    </div>
  );
}
