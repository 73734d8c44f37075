// `npm run lab -- labs …`: guided labs and exam mode from the command line, scriptable and testable.
//   labs ls | labs show LAB | labs start LAB | labs check LAB [--step N] | labs hint LAB --step N
//   labs solution LAB --step N | labs exam start [--seed S] [--tasks N] [--minutes M] | labs exam status
//   labs exam finish | labs exam history
import { parseArgs } from 'node:util';
import type { ScenarioSource } from '../shell/commands/lab';
import type { Lab } from '../sim/lab';
import type { ExamAttempt } from './progress';
import { LabCatalogue, Labs, UnknownLabError, type StepResult } from './index';
import { LabFormatError } from './format';
import { LabSetupError } from './environment';
import { ExamError } from './exam';

export const labsUsage = `usage: npm run lab -- labs <command> [flags]

  ls                               the labs, with your progress
  show LAB                         a lab's introduction and steps
  start LAB                        start (or reset) a lab: its scenario and setup, progress back to step 1
  check LAB [--step N]             check a step (default: the one you are on); status 1 if it fails
  hint LAB --step N                a step's hints
  solution LAB --step N            a step's reference solution (commands for the lab shell)
  exam start [--seed S] [--tasks N] [--minutes M]
                                   start an exam: a fresh environment and tasks drawn from the pool
  exam status                      the exam under way: its tasks and the time left
  exam finish                      grade the exam under way: score and a report per task
  exam history                     every attempt and its score

LAB is a lab's id, its number (3) or a unique prefix of its id.
`;

export interface LabsCliIo {
  out(text: string): void;
  err(text: string): void;
}

function formatStep(r: StepResult, verbose: boolean): string {
  const lines = [`step ${r.step} (${r.stepId}) ${r.title}: ${r.passed ? 'PASSED' : 'NOT YET'}`];
  for (const c of r.checks)
    lines.push(`  [${c.passed ? 'x' : ' '}] ${c.description}${verbose || !c.passed ? ` — ${c.found}` : ''}`);
  if (r.hint) lines.push(`  hint: ${r.hint}`);
  return `${lines.join('\n')}\n`;
}

const minutesLeft = (ms: number) =>
  `${Math.floor(ms / 60_000)}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;

function formatReport(a: ExamAttempt): string {
  const lines = [
    `exam attempt ${a.id} (seed ${a.seed}): ${a.score}/${a.maxScore} points${a.report?.overtime ? ' (finished after the time allowed)' : ''}`,
  ];
  for (const t of a.report?.tasks ?? []) {
    lines.push(`  ${t.scored === t.points ? 'PASS' : 'FAIL'} ${t.scored}/${t.points}  ${t.title}`);
    for (const c of t.checks) lines.push(`        [${c.passed ? 'x' : ' '}] ${c.description} — ${c.found}`);
  }
  return `${lines.join('\n')}\n`;
}

const stepFlag = (v: string | undefined): number | undefined | null => {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : null;
};

/** Runs one `labs` command against an open lab; returns the exit status. */
export async function labsCommand(labs: Labs, argv: string[], io: LabsCliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        step: { type: 'string' },
        seed: { type: 'string' },
        tasks: { type: 'string' },
        minutes: { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
        // chosen by the host (runLabsCli)
        'data-dir': { type: 'string' },
        lab: { type: 'string' },
      },
    });
  } catch (e) {
    io.err(`error: ${(e as Error).message}\n${labsUsage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, ref] = positionals;
  if (values.help) {
    io.out(labsUsage);
    return 0;
  }
  const step = stepFlag(values.step);
  if (step === null) {
    io.err(`error: invalid --step: ${values.step} (a step number from 1)\n`);
    return 2;
  }
  try {
    switch (sub) {
      case 'ls': {
        const rows = labs.list().map((l) => {
          const p = l.progress;
          const state = !p
            ? ''
            : p.finishedAt !== undefined
              ? 'done'
              : `step ${Math.min(p.currentStep + 1, l.steps)}/${l.steps}`;
          return [l.id, l.level, `${l.minutes}m`, String(l.steps), state, l.title];
        });
        const head = ['ID', 'LEVEL', 'TIME', 'STEPS', 'PROGRESS', 'TITLE'];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
        for (const r of [head, ...rows])
          io.out(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('')}\n`);
        return 0;
      }
      case 'show': {
        if (!ref) break;
        const l = labs.get(ref);
        io.out(`${l.title}\n${l.level}, about ${l.minutes} minutes\n\n${l.intro}\n`);
        l.steps.forEach((s, i) => io.out(`\n## Step ${i + 1}: ${s.title}\n\n${s.text}\n`));
        return 0;
      }
      case 'start': {
        if (!ref) break;
        const p = await labs.start(ref);
        const l = labs.get(ref);
        io.out(
          `lab ${l.id} started at lab time ${new Date(p.startedAt).toISOString()}: ${l.title}\nstep 1: ${l.steps[0]!.title}\n`,
        );
        return 0;
      }
      case 'check': {
        if (!ref) break;
        const r = labs.check(ref, step);
        io.out(formatStep(r, values.verbose ?? false));
        return r.passed ? 0 : 1;
      }
      case 'hint':
      case 'solution': {
        if (!ref || step === undefined) {
          io.err(`error: labs ${sub} needs LAB and --step N\n`);
          return 2;
        }
        const lines = sub === 'hint' ? labs.hints(ref, step) : labs.solution(ref, step);
        io.out(lines.length ? `${lines.join('\n')}\n` : 'This step has no hints beyond its checks.\n');
        return 0;
      }
      case 'exam': {
        if (ref === 'start') {
          const tasks = values.tasks === undefined ? undefined : Number(values.tasks);
          const minutes = values.minutes === undefined ? undefined : Number(values.minutes);
          if ((tasks !== undefined && !(tasks >= 1)) || (minutes !== undefined && !(minutes > 0))) {
            io.err('error: --tasks and --minutes take positive numbers\n');
            return 2;
          }
          const v = await labs.exam.start({ seed: values.seed, tasks, minutes });
          io.out(
            `exam attempt ${v.attempt.id} started (seed ${v.attempt.seed}), ${minutesLeft(v.remainingMs)} to go\n`,
          );
          v.tasks.forEach((t, i) =>
            io.out(`\nTask ${i + 1} (${t.points} points): ${t.title}\n${t.text.trim()}\n`),
          );
          return 0;
        }
        if (ref === 'status') {
          const v = labs.exam.current();
          if (!v) {
            io.out('No exam under way. Start one with: labs exam start\n');
            return 0;
          }
          if (v.attempt.finishedAt !== undefined) {
            io.out(`time is up\n${formatReport(v.attempt)}`);
            return 0;
          }
          io.out(`exam attempt ${v.attempt.id}: ${minutesLeft(v.remainingMs)} left\n`);
          v.tasks.forEach((t, i) => io.out(`  Task ${i + 1} (${t.points} points): ${t.title}\n`));
          return 0;
        }
        if (ref === 'finish') {
          io.out(formatReport(labs.exam.finish()));
          return 0;
        }
        if (ref === 'history') {
          const all = labs.exam.attempts();
          if (!all.length) io.out('No exam attempts yet.\n');
          for (const a of all)
            io.out(
              `${a.id}  ${new Date(a.startedAt).toISOString()}  seed ${a.seed}  ${a.finishedAt === undefined ? 'under way' : `${a.score}/${a.maxScore}`}\n`,
            );
          return 0;
        }
        io.err(`error: labs exam ${ref ?? ''}: expected start, status, finish or history\n`);
        return 2;
      }
      default:
        io.err(`${sub ? `error: unknown labs command "${sub}"\n` : ''}${labsUsage}`);
        return 2;
    }
    io.err(`error: labs ${sub} needs a LAB\n`);
    return 2;
  } catch (e) {
    if (e instanceof UnknownLabError || e instanceof LabSetupError || e instanceof ExamError) {
      io.err(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** What the CLI host gives: how to open the lab a command names, the labs and the scenarios. */
export interface LabsCliHost {
  open(o: { dataDir?: string; lab: string }): Lab;
  /** resources/labs */
  root: string;
  scenarios: ScenarioSource;
  io?: LabsCliIo;
}

const stdio: LabsCliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** `npm run lab -- labs …`: opens the lab named by --data-dir/--lab, runs the command, closes the lab. */
export async function runLabsCli(argv: string[], host: LabsCliHost): Promise<number> {
  const io = host.io ?? stdio;
  let catalogue: LabCatalogue;
  try {
    catalogue = LabCatalogue.load(host.root);
  } catch (e) {
    if (!(e instanceof LabFormatError)) throw e;
    io.err(`error: ${e.message}\n`);
    return 1;
  }
  const flag = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    return argv[i]!.includes('=') ? argv[i]!.slice(argv[i]!.indexOf('=') + 1) : argv[i + 1];
  };
  const lab = host.open({ dataDir: flag('data-dir'), lab: flag('lab') ?? 'default' });
  try {
    return await labsCommand(new Labs(lab, { catalogue, scenarios: host.scenarios }), argv, io);
  } finally {
    lab.close();
  }
}
