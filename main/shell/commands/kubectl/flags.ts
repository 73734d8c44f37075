// kubectl's flag syntax (spf13/pflag): -n ns, -nns, -n=ns, --namespace ns, --namespace=ns, bool flags
// (-A, --no-headers, --no-headers=false), and its error texts for unknown flags.

export interface FlagSpec {
  long: string;
  short?: string;
  kind: 'string' | 'bool';
}

export interface Parsed {
  values: Map<string, string | boolean>;
  args: string[];
}

export class FlagError extends Error {}

export function parseFlags(argv: string[], specs: FlagSpec[]): Parsed {
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const values = new Map<string, string | boolean>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const spec = byLong.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (spec.kind === 'bool') values.set(spec.long, eq < 0 ? true : a.slice(eq + 1) !== 'false');
      else if (eq >= 0) values.set(spec.long, a.slice(eq + 1));
      else if (i + 1 < argv.length) values.set(spec.long, argv[++i]!);
      else throw new FlagError(`flag needs an argument: --${name}`);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        if (spec.kind === 'bool') {
          values.set(spec.long, true);
          continue;
        }
        const rest = a.slice(j + 1).replace(/^=/, '');
        if (rest) values.set(spec.long, rest);
        else if (i + 1 < argv.length) values.set(spec.long, argv[++i]!);
        else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
        break;
      }
    } else args.push(a);
  }
  return { values, args };
}
