// The labs panel's Markdown (renderer/src/lib/markdown.tsx): the blocks and inline marks lab.md uses,
// rendered as elements — a lab's text never becomes markup.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, parseMarkdown } from '../../../renderer/src/lib/markdown';

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('lab Markdown', () => {
  it('splits headings, paragraphs, fenced code, lists and quotes', () => {
    expect(
      parseMarkdown(
        '# Title\n\nOne line\nand the next.\n\n```sh\ngovc ls\nsleep 20m\n```\n\n- a\n- b\n  continued\n1. first\n\n> note',
      ),
    ).toEqual([
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'para', text: 'One line and the next.' },
      { kind: 'code', lang: 'sh', text: 'govc ls\nsleep 20m' },
      { kind: 'list', ordered: false, items: ['a', 'b continued'] },
      { kind: 'list', ordered: true, items: ['first'] },
      { kind: 'quote', text: 'note' },
    ]);
  });

  it('renders inline code, bold, italic and links, and escapes everything else', () => {
    expect(html('A **Supervisor Cluster** runs `kubectl`, _really_ ([docs](https://example.com/x)).')).toBe(
      '<div class="markdown "><p>A <strong>Supervisor Cluster</strong> runs <code>kubectl</code>, <em>really</em> (<a href="https://example.com/x" target="_blank" rel="noreferrer noopener">docs</a>).</p></div>',
    );
    const evil = html('<img src=x onerror=alert(1)> [x](javascript:alert(1))\n\n```\n<script>\n```');
    expect(evil).not.toContain('<img');
    expect(evil).not.toContain('<script>');
    expect(evil).not.toContain('href="javascript');
    expect(evil).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps snake_case and a*b as they are', () => {
    expect(html('set max_pods and a*b*c')).toBe('<div class="markdown "><p>set max_pods and a*b*c</p></div>');
  });
});
