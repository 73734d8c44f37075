import { describe, expect, it } from 'vitest';
import {
  ALIGN_RIGHT,
  DEBUG,
  DISCARD_EMPTY_COLUMNS,
  PrefixWriter,
  TabWriter,
  tabbedString,
  type TabWriterOptions,
} from '../../../main/shell/printers/tabwriter';

/** Lays out src with the given settings, written in one piece, one character at a time and in growing slices. */
function layouts(o: Partial<TabWriterOptions>, src: string): string[] {
  const whole = new TabWriter(o);
  whole.write(src);
  whole.flush();
  const bytes = new TabWriter(o);
  for (const ch of src) bytes.write(ch);
  bytes.flush();
  const slices = new TabWriter(o);
  for (let i = 0, d = 0; i < src.length; i += d, d++) slices.write(src.slice(i, i + d));
  slices.flush();
  return [whole.output(), bytes.output(), slices.output()];
}

const dots = (minwidth: number, padding: number, flags = 0): Partial<TabWriterOptions> => ({
  minwidth,
  tabwidth: 0,
  padding,
  padchar: '.',
  flags,
});

// Inputs and the layouts Go's text/tabwriter gives them.
const cases: [string, Partial<TabWriterOptions>, string, string][] = [
  ['empty input', dots(8, 1), '', ''],
  ['line ends only', dots(8, 1), '\n\n\n', '\n\n\n'],
  ['no tabs', dots(8, 1), 'a\nb\nc', 'a\nb\nc'],
  ['a lone tab on the last line', dots(8, 1), '\t', ''],
  ['a lone tab, right-aligned', dots(8, 1, ALIGN_RIGHT), '\t', ''],
  ['unterminated last cell', dots(8, 1), '*\t*', '*.......*'],
  ['terminated last cell', dots(8, 1), '*\t*\t', '*.......*'],
  ['debug bars', dots(8, 1, DEBUG), '*\t*\t', '*.......|*'],
  ['right-aligned', dots(8, 1, ALIGN_RIGHT), '*\t*\t', '.......**'],
  ['an empty cell', dots(8, 1), '\t\n', '........\n'],
  ['space padding', { minwidth: 8, tabwidth: 0, padding: 1, padchar: ' ' }, 'b) foo\tbar', 'b) foo  bar'],
  ['both cells in columns', dots(8, 1), 'e) foo\tbar\t\n', 'e) foo..bar.....\n'],
  [
    'minwidth 1, no padding',
    dots(1, 0),
    '1\t2\t3\t4\n11\t222\t3333\t44444\n',
    '1.2..3...4\n11222333344444\n',
  ],
  [
    'a form feed ends the columns',
    dots(1, 0),
    '1\t2\t3\t4\f11\t222\t3333\t44444\n',
    '1234\n11222333344444\n',
  ],
  ['minwidth 5', dots(5, 0), '1\t2\t3\t4\t\n', '1....2....3....4....\n'],
  [
    'widths count code points',
    dots(8, 1),
    '本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n',
    '本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n',
  ],
  [
    'a column is a run of lines with a cell in it',
    { minwidth: 4, tabwidth: 0, padding: 1, padchar: '-' },
    '4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n',
  ],
  [
    'tab padding',
    { minwidth: 8, tabwidth: 8, padding: 1, padchar: '\t' },
    '4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444\t\t333\t22\t1\t333\n999999999\t22\n7\t\t22\n\t\t\t\t88888888\n\n666666\t666666\t666666\t\t4444\n1\t1\t999999999\t0000000000\n',
  ],
  [
    'right-aligned numbers',
    { minwidth: 1, tabwidth: 0, padding: 2, padchar: ' ', flags: ALIGN_RIGHT },
    '.0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t',
    '    .0          .3    2.4    -5.1\n  23.0  12345678.9    2.4  -989.4\n   5.1        12.0    2.4    -7.0\n    .0         0.0  332.0  8908.0\n    .0         -.3  456.4    22.1\n    .0         1.2   44.4   -13.3',
  ],
  ['hard tabs keep an empty column', dots(4, 0, DISCARD_EMPTY_COLUMNS), 'a\t\tb', 'a.......b'],
  ['soft tabs lose an empty column', dots(4, 0, DISCARD_EMPTY_COLUMNS), 'a\v\vb', 'a...b'],
  [
    'empty soft columns discarded with tab padding',
    { minwidth: 100, tabwidth: 100, padding: 0, padchar: '\t', flags: DISCARD_EMPTY_COLUMNS },
    'a\vb\v\vd\na\vb\v\vd\ve\na\na\vb\vc\vd\na\vb\vc\vd\ve\n',
    'a\tb\td\na\tb\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n',
  ],
];

describe('TabWriter lays text out as Go text/tabwriter does', () => {
  for (const [name, o, src, want] of cases) {
    it(name, () => {
      for (const got of layouts(o, src)) expect(got).toBe(want);
    });
  }
});

describe("kubectl's describe layout (minwidth 0, tabwidth 8, padding 2, spaces)", () => {
  it('aligns the value column over consecutive tabbed lines', () => {
    const text = tabbedString((w) => {
      w.write(0, 'Name:\tweb-1\n');
      w.write(0, 'Namespace:\tdemo\n');
      w.write(0, 'Priority:\t0\n');
      w.write(0, 'Service Account:\tdefault\n');
    });
    expect(text).toBe(
      'Name:             web-1\nNamespace:        demo\nPriority:         0\nService Account:  default\n',
    );
  });

  it('starts over after a line with no tab (a column runs on while lines have tabs), two spaces a level', () => {
    const text = tabbedString((w) => {
      w.write(0, 'Status:\tPending\n');
      w.write(0, 'Containers:\n');
      w.write(1, 'nginx:\n');
      w.write(2, 'Image:\tnginx:1.25\n');
      w.write(2, 'Port:\t<none>\n');
      w.write(2, 'Host Port:\t<none>\n');
      w.write(2, 'Limits:\n');
      w.write(3, 'cpu:\t500m\n');
      w.write(3, 'memory:\t128Mi\n');
      w.write(2, 'Environment:\t<none>\n');
      w.write(0, 'Volumes:\t<none>\n');
    });
    expect(text).toBe(
      [
        'Status:  Pending',
        'Containers:',
        '  nginx:',
        '    Image:      nginx:1.25',
        '    Port:       <none>',
        '    Host Port:  <none>',
        '    Limits:',
        '      cpu:        500m',
        '      memory:     128Mi',
        '    Environment:  <none>',
        'Volumes:          <none>',
        '',
      ].join('\n'),
    );
  });

  it('lays a table out column by column, and an explicit flush parts it from what came before', () => {
    const text = tabbedString((w) => {
      w.write(0, 'Tolerations:\t<none>\n');
      w.flush();
      w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
      w.write(1, '----\t------\t----\t----\t-------\n');
      w.write(1, 'Normal\tScheduled\t9h\tdefault-scheduler\tSuccessfully assigned demo/web-1\n');
      w.write(1, 'Warning\tBackOff\t8h (x3 over 2d3h)\tkubelet\tBack-off restarting\n');
    });
    expect(text).toBe(
      [
        'Tolerations:  <none>',
        'Events:',
        '  Type     Reason     Age                From               Message',
        '  ----     ------     ----               ----               -------',
        '  Normal   Scheduled  9h                 default-scheduler  Successfully assigned demo/web-1',
        '  Warning  BackOff    8h (x3 over 2d3h)  kubelet            Back-off restarting',
        '',
      ].join('\n'),
    );
  });

  it('continues a cell across writes and keeps an empty middle cell in its column', () => {
    const text = tabbedString((w) => {
      w.write(0, 'Labels:\t');
      w.write(0, 'app=web\n');
      w.write(0, '\t');
      w.write(0, 'tier=front\n');
      w.write(1, 'Namespace\tName\t\tCPU Requests\n');
      w.write(1, 'default\tnode-pod\t\t1500m (4%)\n');
    });
    expect(text).toBe(
      [
        'Labels:      app=web',
        '             tier=front',
        '  Namespace  Name        CPU Requests',
        '  default    node-pod    1500m (4%)',
        '',
      ].join('\n'),
    );
  });

  it('escapes terminal control characters as kubectl does', () => {
    expect(tabbedString((w) => w.write(0, 'Message:\tbad\x1b[31m red\r\n'))).toBe(
      'Message:  bad^[[31m red\\r\n',
    );
  });

  it('nests levels and writes whole lines', () => {
    const tw = new TabWriter();
    const w = new PrefixWriter(tw);
    w.write(0, 'Labels:\t');
    w.writeLine('<none>');
    w.nested(2).write(1, 'Claim:\tx\n');
    tw.flush();
    expect(tw.output()).toBe('Labels:       <none>\n      Claim:  x\n');
  });
});
