import { describe, expect, it } from 'vitest';
import {
  executeJsonPath,
  findResults,
  parseJsonPath,
  printResults,
  type JsonPath,
} from '../../../main/shell/printers/jsonpath';
import { goFloat, goJson, goQuote, goSprint, goSyntax } from '../../../main/shell/printers/gofmt';
import { goSort, isLess, quantityNano, sortByJsonPath, Unsortable } from '../../../main/shell/printers/sort';
import {
  columnsFromFile,
  columnsFromSpec,
  CustomColumnsPrinter,
  relaxedJsonPath,
} from '../../../main/shell/printers/customColumns';
import { TabWriter } from '../../../main/shell/printers/table';

const tpl = (text: string): JsonPath => {
  const p = parseJsonPath(text);
  if ('error' in p) throw new Error(p.error);
  return p;
};

/** What kubectl's jsonpath printer writes for data, or its error's first line. */
const run = (text: string, data: unknown, allowMissingKeys = true) => {
  const r = executeJsonPath(tpl(text), text, data, { allowMissingKeys, asJson: false });
  return 'out' in r ? r.out : r.error.split('\n')[0];
};

const pods = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      metadata: { name: 'db-1', labels: { app: 'db' }, annotations: { 'kubernetes.io/role': 'primary' } },
      spec: { containers: [{ name: 'pg', image: 'postgres:16' }], replicas: 3, weight: 0.5, paused: false },
    },
    {
      metadata: { name: 'web-1', labels: { app: 'web', tier: 'front' } },
      spec: {
        containers: [
          { name: 'nginx', image: 'nginx' },
          { name: 'log', image: 'busybox' },
        ],
        replicas: 1,
      },
    },
  ],
};

describe('kubectl JSONPath templates', () => {
  it('walks fields, quoted keys, escaped dots, indexes, slices and wildcards', () => {
    expect(run('{.items[*].metadata.name}', pods)).toBe('db-1 web-1');
    expect(run("{.items[0]['metadata']['name']}", pods)).toBe('db-1');
    expect(run("{.items[0]['metadata.name']}", pods)).toBe('db-1');
    expect(run('{.items[0].metadata.annotations.kubernetes\\.io/role}', pods)).toBe('primary');
    expect(run('{.items[-1].spec.containers[-1].name}', pods)).toBe('log');
    expect(run('{.items[1].spec.containers[0:2].image}', pods)).toBe('nginx busybox');
    expect(run('{.items[1].spec.containers[::2].name}', pods)).toBe('nginx');
    // `[]` is `[0]` to kubectl's parser
    expect(run('{.items[].metadata.name}', pods)).toBe('db-1');
    // a map's values in key order (Go's map order is random; the lab's is sorted)
    expect(run('{.items[1].metadata.labels.*}', pods)).toBe('web front');
    expect(run('{$.kind}{@.apiVersion}', pods)).toBe('Listv1');
  });

  it('descends recursively, takes unions and filters', () => {
    expect(run('{..image}', pods)).toBe('postgres:16 nginx busybox');
    expect(run("{.items[*]['metadata.name', 'spec.replicas']}", pods)).toBe('db-1 web-1 3 1');
    expect(run('{.items[1,0].metadata.name}', pods)).toBe('web-1 db-1');
    expect(run('{.items[?(@.metadata.labels.tier)].metadata.name}', pods)).toBe('web-1');
    expect(run('{.items[?(@.metadata.name == "db-1")].spec.replicas}', pods)).toBe('3');
    expect(run("{.items[?(@.metadata.name!='db-1')].spec.replicas}", pods)).toBe('1');
    expect(run('{.items[?(@.spec.replicas>=3)].metadata.name}', pods)).toBe('db-1');
    expect(run('{.items[?(@.spec.replicas<3)].metadata.name}', pods)).toBe('web-1');
    expect(run('{.items[?(@.spec.weight<1.5)].metadata.name}', pods)).toBe('db-1');
    expect(run('{.items[?(@.spec.paused==false)].metadata.name}', pods)).toBe('db-1');
  });

  it('compares as Go templates do: same kinds only, int and float apart, no order on booleans', () => {
    expect(run('{.items[?(@.spec.replicas==1.0)].metadata.name}', pods)).toBe(
      'error: error executing jsonpath "{.items[?(@.spec.replicas==1.0)].metadata.name}": Error executing template: incompatible types for comparison. Printing more information for debugging the template:',
    );
    expect(run('{.items[?(@.spec.paused<true)]}', pods)).toContain('invalid type for comparison');
    expect(run('{.items[?(@.metadata.labels=="x")]}', pods)).toContain('invalid type for comparison');
    expect(run('{.items[?(@.spec.containers[*].name=="x")]}', pods)).toContain(
      'can only compare one element at a time',
    );
    expect(run('{.items[?(@.spec.replicas=<3)]}', pods)).toContain('unrecognized filter operator =<');
  });

  it('ranges, nests ranges, and goes on after {end}', () => {
    expect(
      run('{range .items[*]}{.metadata.name}:{range .spec.containers[*]}{.name},{end};{end}!', pods),
    ).toBe('db-1:pg,;web-1:nginx,log,;!');
    expect(run('{range .items[*]}{.metadata.name}{"\\n"}{end}', pods)).toBe('db-1\nweb-1\n');
    // no {end}: the body runs to the end of the template
    expect(run('{range .items[*]}<{.metadata.name}>', pods)).toBe('<db-1><web-1>');
    // a range over nothing still runs its body for errors (kubectl's quirk), printing nothing
    expect(run('{range .items[5:5]}{.x}{end}', pods)).toBe('');
    expect(run('{range .items[?(@.metadata.name=="x")]}{.metadata.x}{end}', pods, false)).toContain(
      'Error executing template: metadata is not found.',
    );
  });

  it('prints as kubectl does: lists space-separated, maps and lists as Go JSON, literals', () => {
    expect(run('{.items[0].metadata.labels} {.items[0].spec.containers}', pods)).toBe(
      '{"app":"db"} [{"image":"postgres:16","name":"pg"}]',
    );
    expect(run('{\'a\'}{"b\\tc"}{12}{-3}{1.50}{true} {.items[0].spec.weight}', pods)).toBe(
      'ab\tc12-31.5true 0.5',
    );
    // text keeps backslashes: only quoted strings in actions have escapes
    expect(run('x\\n{.kind}', pods)).toBe('x\\nList');
    expect(run('{.x}', { x: '<a&b>' })).toBe('<a&b>');
    expect(run('{.x}', { x: { y: '<a&b>' } })).toBe('{"y":"\\u003ca\\u0026b\\u003e"}');
    expect(run('{.x}', { x: null })).toBe('<nil>');
    expect(
      printResults(findResults(tpl('{.kind} {.items[*].spec.replicas}'), pods, true) as unknown[][], true),
    ).toBe('[\n    "List"\n]\n[\n    " "\n]\n[\n    3,\n    1\n]\n');
  });

  it('misses keys quietly unless told, and reports kubectl errors with the object dumped', () => {
    expect(run('{.items[*].nope}', pods)).toBe('');
    expect(run('{.kind.nope}', pods)).toBe('');
    const r = executeJsonPath(
      tpl('{.nope}'),
      '{.nope}',
      { a: [1, 'x', null, 1.5, true, {}] },
      {
        allowMissingKeys: false,
        asJson: false,
      },
    );
    expect(r).toEqual({
      error:
        'error: error executing jsonpath "{.nope}": Error executing template: nope is not found. Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\t{.nope}\n\tobject given to jsonpath engine was:\n' +
        '\t\tmap[string]interface {}{"a":[]interface {}{1, "x", interface {}(nil), 1.5, true, map[string]interface {}{}}}\n\n\n',
    });
    expect(run('{.items[5]}', pods)).toContain('array index out of bounds: index 5, length 2.');
    expect(run('{.items[-5]}', pods)).toContain('array index out of bounds: index -3, length 2.');
    expect(run('{.items[1:0]}', pods)).toContain('starting index 1 is greater than ending index 0.');
    expect(run('{.items[::0]}', pods)).toContain('step must be > 0.');
    expect(run('{.kind[0]}', pods)).toContain('string is not array or slice.');
    expect(run('{.items[0].metadata[?(@.x)]}', pods)).toContain(
      'map[annotations:map[kubernetes.io/role:primary] labels:map[app:db] name:db-1] is not array or slice and cannot be filtered.',
    );
    expect(run('{bogus}', pods)).toContain('unrecognized identifier bogus.');
    expect(run('{end}', pods)).toContain('not in range, nothing to end.');
  });

  it('refuses malformed templates with the parser’s messages', () => {
    const error = (t: string) => (parseJsonPath(t) as { error: string }).error;
    expect(error('{.a')).toBe('unclosed action');
    expect(error('{.a[0}')).toBe('unterminated array');
    expect(error('{.a[?(@.b=="x"]}')).toBe('unterminated filter');
    expect(error('{.a[?(@.b=="x")}')).toBe('unclosed array expect ]');
    expect(error('{"abc}')).toBe('unterminated quoted string');
    expect(error('{"\\q"}')).toBe('unquote string "\\q" error invalid syntax');
    expect(error('{-}')).toBe('cannot parse number -');
    expect(error('{.a[x]}')).toBe('invalid array index x');
    expect(error('{.a["b"]}')).toBe('invalid array index "b"');
    expect(error('{.a[1,"b"]}')).toBe('invalid array index "b"');
    expect(error('{.a,.b}')).toBe("unrecognized character in action: U+002C ','");
    expect(error('{\t.a}')).toBe('unrecognized character in action: U+0009');
  });
});

describe("Go's formatting of decoded values", () => {
  it('writes floats, quotes, %v and %#v as Go does', () => {
    expect([0.5, 1e6, 123456.5, 1234567.5, 1e-5, 0.0001, 1e21].map(goFloat)).toEqual([
      '0.5',
      '1e+06',
      '123456.5',
      '1.2345675e+06',
      '1e-05',
      '0.0001',
      '1e+21',
    ]);
    expect(goQuote('a"b\\c\n\t\x01é\u2028')).toBe('"a\\"b\\\\c\\n\\t\\x01é\\u2028"');
    expect(goSprint({ b: [1, 'x'], a: { c: null } })).toBe('map[a:map[c:<nil>] b:[1 x]]');
    expect(goSyntax({ b: [1.5], a: 'x' })).toBe('map[string]interface {}{"a":"x", "b":[]interface {}{1.5}}');
    expect(goJson({ b: '<&>', a: '\u2029' })).toBe('{"a":"\\u2029","b":"\\u003c\\u0026\\u003e"}');
  });
});

describe('kubectl --sort-by', () => {
  it('reads quantities exactly, in nano units rounded up', () => {
    expect(quantityNano('500m')).toBe(500_000_000n);
    expect(quantityNano('1Gi')).toBe(1073741824n * 1_000_000_000n);
    expect(quantityNano('1e3')).toBe(1000n * 1_000_000_000n);
    expect(quantityNano('-1.5k')).toBe(-1500n * 1_000_000_000n);
    expect(quantityNano('1.0000000001')).toBe(1_000_000_001n);
    expect(quantityNano('.5')).toBe(500_000_000n);
    expect(quantityNano('+')).toBe(0n);
    for (const no of ['', 'web-1', '1K', 'Pending', '2026-01-05T09:20:00Z', '1e', '5-'])
      expect(quantityNano(no)).toBe(undefined);
  });

  it('compares as kubectl does, and knows what it cannot compare', () => {
    expect(isLess('500m', '2')).toBe(true);
    expect(isLess('10', '9')).toBe(false);
    expect(isLess('v10', 'v9')).toBe(true);
    expect(isLess('1Gi', 'abc')).toBe(true);
    expect(isLess(2, 10)).toBe(true);
    expect(isLess(null, 'a')).toBe(true);
    expect(() => isLess(1, 1.5)).toThrow(new Unsortable('unsortable interface: interface'));
    expect(() => isLess('a', 1)).toThrow(new Unsortable('unsortable interface: interface'));
    expect(() => isLess(true, false)).toThrow(new Unsortable('unsortable type: bool'));
    expect(() => isLess({}, {})).toThrow(new Unsortable('unsortable type: map[string]interface {}'));
  });

  it("sorts as Go's sort.Sort: any size in order, and insertion sort's order of equals up to 12", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (const n of [0, 1, 5, 12, 13, 49, 50, 51, 200, 1000]) {
      const keys = Array.from({ length: n }, (_, i) => i).sort(() => (random() % 3) - 1);
      const sorted = [...keys];
      goSort(sorted, (a, b) => a < b);
      expect(sorted).toEqual([...keys].sort((a, b) => a - b));
      const reversed = [...sorted].reverse();
      goSort(reversed, (a, b) => a < b);
      expect(reversed).toEqual(sorted);
    }
    const items = ['b1', 'a1', 'b2', 'a2', 'c1', 'a3'];
    goSort(items, (x, y) => x[0]! < y[0]!);
    expect(items).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
  });

  it('puts items without the field first, and fails when no item has it', () => {
    const items = [{ n: 'x', v: '2' }, { n: 'y' }, { n: 'z', v: '10' }, { n: 'w' }];
    expect(sortByJsonPath(items, tpl('{.v}'), '{.v}', (i) => i)).toBe(undefined);
    expect(items.map((i) => i.n)).toEqual(['w', 'y', 'x', 'z']);
    expect(sortByJsonPath(items, tpl('{.q}'), '{.q}', (i) => i)).toEqual({
      error: `couldn't find any field with path "{.q}" in the list of objects`,
    });
  });
});

describe('kubectl custom columns', () => {
  it('reads specs and files, with kubectl’s messages', () => {
    expect(relaxedJsonPath('a.b')).toBe('{.a.b}');
    expect(relaxedJsonPath('{.a.b}')).toBe('{.a.b}');
    expect(relaxedJsonPath('{a')).toEqual({ error: expect.stringContaining('unexpected path string') });
    expect(columnsFromSpec('A:.x,B:y:z')).toEqual([
      { header: 'A', path: '{.x}' },
      { header: 'B', path: '{.y:z}' },
    ]);
    expect(columnsFromSpec('A')).toEqual({
      error: 'unexpected custom-columns spec: A, expected <header>:<json-path-expr>',
    });
    expect(columnsFromFile('A  B\r\n.x  {.y}\r\n')).toEqual([
      { header: 'A', path: '{.x}' },
      { header: 'B', path: '{.y}' },
    ]);
    expect(columnsFromFile('A B\n.x\n')).toEqual({
      error: "number of headers (2) and field specifications (1) don't match",
    });
    expect(columnsFromFile('')).toEqual({ error: expect.stringContaining('missing header line') });
  });

  it('prints <none>, joins several values, shows terminal escapes, and splits cells at tabs', () => {
    const tw = new TabWriter();
    const p = new CustomColumnsPrinter(columnsFromSpec('N:.n,V:.v[*],M:.m') as never, false);
    expect(
      p.print([{ n: 'a', v: [1, 2], m: { k: 'v' } }, { n: 'b\x1b[31m\r', v: [] }, { n: 'c\td' }], tw),
    ).toBe(undefined);
    // the tab in c\td makes a cell more on its line, as Go's tabwriter reads it
    expect(tw.flush()).toBe(
      'N           V        M\n' +
        'a           1,2      map[k:v]\n' +
        'b^[[31m\\r   <none>   <none>\n' +
        'c           d        <none>   <none>\n',
    );
  });
});

describe("kubectl's tabwriter", () => {
  it('remembers column widths across flushes, as a watch prints its rows', () => {
    const tw = new TabWriter();
    tw.write('NAME\tAGE\nab\t1s\n');
    expect(tw.flush()).toBe('NAME   AGE\nab     1s\n');
    tw.write('a-longer-name\t2s\n');
    expect(tw.flush()).toBe('a-longer-name   2s\n');
    tw.write('x\t3s\n');
    expect(tw.flush()).toBe('x               3s\n');
    tw.write('no newline\tat the end');
    expect(tw.flush()).toBe('no newline      at the end');
  });
});
