// Commands run on the learner's behalf: the Apply button is `kubectl apply -f`, the admin forms are the
// govc commands an administrator would type, a click in the topology is `kubectl describe` or
// `lab explain`. They run in a lab shell of their own, without a terminal, as the signed-in user, so a
// button does exactly what the command does and shows what the command prints.
import type { Lab } from '../../sim/lab';
import { createShell } from '../../shell';
import type { ScenarioSource } from '../../shell/commands/lab';
import type { CommandResult } from '../../../preload/contract';

/** Quotes a word for the lab shell: single quotes unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export const commandLine = (argv: string[]): string => argv.map(shellQuote).join(' ');

export class CommandRunner {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly lab: Lab,
    private readonly scenarios?: ScenarioSource,
  ) {}

  /** Runs command lines one after another (in order, one at a time), collecting what they print. */
  run(lines: string[]): Promise<CommandResult> {
    const next = this.queue.then(async () => {
      let output = '';
      const session = createShell(this.lab, {
        write: (d) => (output += d),
        terminal: false,
        history: [],
        scenarios: this.scenarios,
      });
      let status = 0;
      for (const line of lines) {
        output += `$ ${line}\n`;
        status = await session.runScript(line);
        if (status !== 0) break;
      }
      this.lab.api.flush();
      return { command: lines.join('\n'), status, output };
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
