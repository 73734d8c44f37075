// Every UI string goes through the i18n layer: English and Brazilian Portuguese have the same keys,
// every placeholder in one is in the other, and no view writes words into its markup directly.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', '..', '..', 'renderer', 'src');

// i18n.ts touches localStorage and React only inside functions: it loads in Node as it is
const { languages, translator } = await import('../../../renderer/src/lib/i18n');

describe('the UI strings', () => {
  it('exist in English and Brazilian Portuguese with the same placeholders', () => {
    const en = languages.en.messages as Record<string, string>;
    const pt = languages['pt-BR'].messages as Record<string, string>;
    expect(Object.keys(pt).sort()).toEqual(Object.keys(en).sort());
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(en)) expect(vars(pt[k]!), k).toEqual(vars(en[k]!));
    expect(translator('pt-BR')('topology.hosts', { count: 4 })).toBe('4 hosts');
    expect(translator('pt-BR')('center.topology')).toBe('Topologia');
  });

  it('are not written into the markup of any view', () => {
    const files = [
      ...readdirSync(src).filter((f) => f.endsWith('.tsx')),
      ...readdirSync(join(src, 'views')).map((f) => join('views', f)),
    ];
    const found: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(src, f), 'utf8');
      // words between tags, or in a title/placeholder/aria-label attribute given as a literal (not an
      // arrow's "=>", not a path such as the placeholder /manifest.yaml)
      for (const m of text.matchAll(
        /(?<!=)>([^<>{}\n]*[A-Za-z]{3,}[^<>{}\n]*)<|\b(?:placeholder|aria-label|title)="([^"/]*[A-Za-z]{3,}[^"/]*)"/g,
      ))
        found.push(`${f}: ${(m[1] ?? m[2])!.trim()}`);
    }
    expect(found).toEqual([]);
  });
});
