import { describe, expect, it } from 'vitest';
import { expandWord, parse, type AndOr, type Command } from '../../../main/shell/language/parser';

const env: Record<string, string> = { NS: 'demo', EMPTY: '', TWO: 'a b', '?': '1' };
const lookup = (n: string) => env[n];

function ok(src: string): AndOr[] {
  const r = parse(src);
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.script;
}
const argv = (c: Command) => c.words.flatMap((w) => expandWord(w, lookup));
const first = (src: string) => ok(src)[0]!.first.commands[0]!;

describe('the shell language', () => {
  it('splits words and honours quotes and escapes', () => {
    expect(argv(first(`kubectl get pods -o 'jsonpath={.items[*].metadata.name}'`))).toEqual([
      'kubectl',
      'get',
      'pods',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ]);
    expect(argv(first(`echo "a  b" c\\ d 'e"f' "g'h"`))).toEqual(['echo', 'a  b', 'c d', 'e"f', "g'h"]);
    expect(argv(first(`echo "tab\\"quote" \\$HOME`))).toEqual(['echo', 'tab"quote', '$HOME']);
  });

  it('expands $VAR, ${VAR} and $? — not inside single quotes — and splits unquoted values', () => {
    expect(argv(first(`kubectl get pods -n $NS`))).toEqual(['kubectl', 'get', 'pods', '-n', 'demo']);
    expect(argv(first(`echo "\${NS}-x" '$NS' $?`))).toEqual(['echo', 'demo-x', '$NS', '1']);
    expect(argv(first(`echo $TWO "$TWO" $EMPTY "$EMPTY"`))).toEqual(['echo', 'a', 'b', 'a b', '']);
    expect(argv(first(`echo $UNSET.yaml`))).toEqual(['echo', '.yaml']);
  });

  it('reads lists, and-or chains and pipelines', () => {
    const s = ok(`kubectl get pods | grep web | wc -l; echo done && echo yes || echo no`);
    expect(s).toHaveLength(2);
    expect(s[0]!.first.commands.map((c) => argv(c)[0])).toEqual(['kubectl', 'grep', 'wc']);
    expect(s[1]!.rest.map((r) => r.op)).toEqual(['&&', '||']);
  });

  it('reads redirections, including 2>/dev/null and 2>&1', () => {
    const c = first(`kubectl get pods > out.txt 2>/dev/null`);
    expect(argv(c)).toEqual(['kubectl', 'get', 'pods']);
    expect(
      c.redirects.map((r) => [
        r.fd,
        r.op,
        typeof r.target === 'number' ? r.target : expandWord(r.target, lookup)[0],
      ]),
    ).toEqual([
      [1, '>', 'out.txt'],
      [2, '>', '/dev/null'],
    ]);
    expect(first(`kubectl apply -f x.yaml >> log 2>&1`).redirects.map((r) => [r.fd, r.op])).toEqual([
      [1, '>>'],
      [2, '>&'],
    ]);
    // a digit is a descriptor only right before the operator: `echo 2 > f` writes "2" to f
    const spaced = first(`echo 2 > f`);
    expect(argv(spaced)).toEqual(['echo', '2']);
    expect(spaced.redirects.map((r) => [r.fd, r.op])).toEqual([[1, '>']]);
    expect(argv(first(`echo "2">f`))).toEqual(['echo', '2']);
    expect(first(`echo hi >&2`).redirects.map((r) => [r.fd, r.op, r.target])).toEqual([[1, '>&', 2]]);
  });

  it('reads heredocs, expanding unless the delimiter is quoted', () => {
    const src = `cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: $NS\nEOF\necho after`;
    const s = ok(src);
    const cat = s[0]!.first.commands[0]!;
    expect(cat.heredoc).toMatchObject({
      delimiter: 'EOF',
      expand: true,
      body: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: $NS\n',
    });
    expect(argv(s[0]!.first.commands[1]!)).toEqual(['kubectl', 'apply', '-f', '-']);
    expect(argv(s[1]!.first.commands[0]!)).toEqual(['echo', 'after']);
    expect(first(`cat <<'EOF'\n$NS\nEOF`).heredoc).toMatchObject({ expand: false, body: '$NS\n' });
    expect(first(`cat <<-EOF\n\t\tindented\n\tEOF`).heredoc).toMatchObject({ body: 'indented\n' });
  });

  it('reads NAME=value assignments before a command', () => {
    const c = first(`KUBECONFIG=/tmp/x kubectl get ns`);
    expect(c.assignments.map((a) => [a.name, expandWord(a.value, lookup)])).toEqual([
      ['KUBECONFIG', ['/tmp/x']],
    ]);
    expect(argv(c)).toEqual(['kubectl', 'get', 'ns']);
  });

  it('says when the input continues on another line', () => {
    for (const src of [`echo "open`, `echo 'open`, `kubectl get pods |`, `true &&`, `echo a \\`]) {
      expect(parse(src), src).toEqual({ kind: 'incomplete' });
    }
    // an open heredoc says which delimiter ends it
    for (const src of [`cat <<EOF\nline`, `cat <<EOF`])
      expect(parse(src), src).toEqual({
        kind: 'incomplete',
        heredoc: { delimiter: 'EOF', stripTabs: false },
      });
    expect(parse(`cat <<-'END'\n\tx`)).toEqual({
      kind: 'incomplete',
      heredoc: { delimiter: 'END', stripTabs: true },
    });
    expect(parse(`kubectl get pods |\n  grep web`).kind).toBe('ok');
  });

  it('reports syntax errors as bash does', () => {
    expect(parse(`| grep x`)).toEqual({ kind: 'error', message: "syntax error near unexpected token `|'" });
    expect(parse(`echo a ;; echo b`)).toEqual({
      kind: 'error',
      message: "syntax error near unexpected token `;;'",
    });
    expect(parse(`echo a ; ; echo b`)).toEqual({
      kind: 'error',
      message: "syntax error near unexpected token `;'",
    });
    expect(parse(`echo a; echo b;`).kind).toBe('ok');
    // what the lab shell does not run is refused rather than passed on as text
    for (const src of ['echo $(date)', 'echo "now `date`"', 'echo `date`'])
      expect(parse(src).kind, src).toBe('error');
    expect(argv(first(`echo '$(date)' '\`x\`'`))).toEqual(['echo', '$(date)', '`x`']);
    expect(parse(`echo >`)).toEqual({
      kind: 'error',
      message: "syntax error near unexpected token `newline'",
    });
    expect(parse(`sleep 5 &`).kind).toBe('error');
  });

  it('ignores comments and blank lines', () => {
    expect(ok(`# a comment\n\necho hi # trailing`).map((a) => argv(a.first.commands[0]!))).toEqual([
      ['echo', 'hi'],
    ]);
  });
});
