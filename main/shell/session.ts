// A lab shell session: keystrokes in, terminal output out, like a pty — so one session type serves the
// app's xterm.js, browser mode's WebSocket and a real terminal through the CLI. It parses what the
// learner types (continuing at "> " while input is incomplete), runs it, and keeps $?, variables,
// aliases and the history.
import { FsError, resolvePath, type Workspace } from '../store/files';
import { expandWord, literal, parse, type AndOr, type Command, type Word } from './language/parser';
import { LineEditor, splitKeys } from './lineEditor';
import { commonPrefix } from './completion';

export interface CommandContext {
  argv: string[];
  stdin: string;
  env: Map<string, string>;
  session: Session;
  out(text: string): void;
  err(text: string): void;
  /** aborted by Ctrl-C */
  signal: AbortSignal;
}

/** A command returns its exit status. */
export type CommandFn = (ctx: CommandContext) => number | Promise<number>;

export interface SessionOptions {
  workspace: Workspace;
  commands: Map<string, CommandFn>;
  prompt?: (s: Session) => string;
  /** candidates for Tab at the cursor: the word being completed and what it could become */
  complete?: (s: Session, line: string, cursor: number) => { word: string; candidates: string[] };
  history?: string[];
  /** everything the session writes to the terminal */
  write(data: string): void;
  /** false for scripts and -c: plain \n line ends, no editor output (default true) */
  terminal?: boolean;
  /** `exit` typed in the terminal: the host may close it (the CLI ends) */
  onExit?: (status: number) => void;
  /** a line entered the history (to keep it, as bash's history file does) */
  onHistory?: (entry: string) => void;
  /**
   * Opens text in an editor — the app's YAML editor, or $EDITOR in a real terminal — and gives back
   * what was saved, or undefined when the edit was abandoned.
   */
  edit?: (o: { name: string; text: string; signal: AbortSignal }) => Promise<string | undefined>;
}

const CONTINUATION = '> ';

export class Session {
  readonly env = new Map<string, string>([
    ['HOME', '/'],
    ['PWD', '/'],
  ]);
  readonly aliases = new Map<string, string>([['k', 'kubectl']]);
  readonly editor: LineEditor;
  lastStatus = 0;
  cwd = '/';
  private pending: string[] = [];
  private openHeredoc: { delimiter: string; stripTabs: boolean } | undefined;
  private running: AbortController | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** a submitted line is being handled: keys typed meanwhile wait here, as bash's type-ahead does */
  private busy = false;
  /** keys typed or pasted and not yet taken by the editor (typed ahead while a command runs) */
  private input: string[] = [];
  private inputAt = 0;

  constructor(readonly o: SessionOptions) {
    this.editor = new LineEditor('', o.history ?? []);
  }

  get workspace(): Workspace {
    return this.o.workspace;
  }

  prompt(): string {
    return this.o.prompt ? this.o.prompt(this) : '$ ';
  }

  /** Shows the first prompt. */
  start(): void {
    this.o.write(this.editor.reset(this.prompt()));
  }

  /** Terminal input: keys go to the line editor, a password prompt, or Ctrl-C to the running command. */
  feed(data: string): void {
    if (this.busy && data.includes('\x03') && this.running) {
      this.o.write('^C\r\n');
      this.secret?.resolve(undefined);
      this.secret = undefined;
      this.running.abort();
      this.input = [];
      this.inputAt = 0;
      return;
    }
    for (const k of splitKeys(data)) this.input.push(k);
    if (this.secret) this.pumpSecret();
    else if (!this.busy) this.drain();
  }

  /** Edits text in the session's editor; null when the session has none (scripts, -c). */
  openEditor(name: string, text: string, signal: AbortSignal): Promise<string | undefined> | null {
    return this.o.edit ? this.o.edit({ name, text, signal }) : null;
  }

  /** A password prompt in progress: keys are taken without echo until Enter. */
  private secret: { text: string; resolve(v: string | undefined): void } | undefined;

  /**
   * Asks for a secret as a password prompt does: the prompt is shown, what is typed is not; Enter ends
   * it. Keys typed ahead count. Scripts have no terminal to ask on: undefined, as Ctrl-C gives.
   */
  readSecret(prompt: string): Promise<string | undefined> {
    if (this.o.terminal === false) return Promise.resolve(undefined);
    this.o.write(prompt);
    return new Promise((resolve) => {
      this.secret = { text: '', resolve };
      this.pumpSecret();
    });
  }

  private pumpSecret(): void {
    while (this.secret && this.inputAt < this.input.length) {
      const k = this.input[this.inputAt++]!;
      if (k === '\r' || k === '\n') {
        const { text, resolve } = this.secret;
        this.secret = undefined;
        this.o.write('\r\n');
        resolve(text);
      } else if (k === '\x7f' || k === '\b') this.secret.text = [...this.secret.text].slice(0, -1).join('');
      else if (k === '\x15') this.secret.text = '';
      else if (!k.startsWith('\x1b') && k >= ' ') this.secret.text += k;
    }
  }

  /** Gives the waiting keys to the editor until a line is submitted (the rest waits for it to run). */
  private drain(): void {
    while (this.inputAt < this.input.length) {
      const { output, events } = this.editor.feed(this.input[this.inputAt++]!);
      this.o.write(output);
      if (this.handle(events)) break;
    }
    if (this.inputAt >= this.input.length) {
      this.input = [];
      this.inputAt = 0;
    }
  }

  /** Acts on editor events; true when a line was submitted (the rest of the input must wait). */
  private handle(events: ReturnType<LineEditor['feed']>['events']): boolean {
    for (const e of events) {
      if (e.kind === 'interrupt') {
        this.pending = [];
        this.openHeredoc = undefined;
        this.lastStatus = 130;
        this.o.write(this.editor.reset(this.prompt()));
      } else if (e.kind === 'complete') {
        this.completeAt(e.line, e.cursor);
      } else if (e.kind === 'eof') {
        this.o.write('exit\r\n');
      } else if (e.kind === 'submit') {
        this.busy = true;
        this.queue = this.queue.then(async () => {
          await this.submit(e.line);
          this.busy = false;
          this.drain();
        });
        return true;
      }
    }
    return false;
  }

  private lastTab = '';

  /** Tab: one candidate is inserted; several extend to their common prefix, and a second Tab lists them. */
  private completeAt(line: string, cursor: number): void {
    if (!this.o.complete) return;
    const { word, candidates } = this.o.complete(this, line, cursor);
    if (candidates.length === 0) {
      this.o.write('\x07');
      return;
    }
    if (candidates.length === 1) {
      const c = candidates[0]!;
      this.o.write(this.editor.insert(c.slice(word.length) + (c.endsWith('/') ? '' : ' ')));
      this.lastTab = '';
      return;
    }
    const prefix = commonPrefix(candidates);
    if (prefix.length > word.length) {
      this.o.write(this.editor.insert(prefix.slice(word.length)));
      this.lastTab = '';
      return;
    }
    const key = `${line}\u0000${cursor}`;
    if (this.lastTab === key) {
      this.o.write(`${this.editor.leave()}\r\n${candidates.join('  ')}\r\n${this.editor.render()}`);
      this.lastTab = '';
    } else {
      this.o.write('\x07');
      this.lastTab = key;
    }
  }

  /** Runs a script to the end (also for `-c` and script files); returns the last status. */
  async runScript(src: string): Promise<number> {
    const r = parse(src);
    if (r.kind === 'incomplete') {
      this.error('syntax error: unexpected end of file');
      return (this.lastStatus = 2);
    }
    if (r.kind === 'error') {
      this.error(r.message);
      return (this.lastStatus = 2);
    }
    await this.execute(r.script);
    return this.lastStatus;
  }

  /** Waits until everything typed so far has run. */
  async idle(): Promise<void> {
    for (let q = this.queue; ; q = this.queue) {
      await q;
      if (q === this.queue) return;
    }
  }

  private async submit(line: string): Promise<void> {
    this.pending.push(line);
    // inside a heredoc body only its delimiter line can change the parse: a long paste stays linear
    const open = this.openHeredoc;
    if (open && (open.stripTabs ? line.replace(/^\t+/, '') : line) !== open.delimiter) {
      this.o.write(this.editor.reset(CONTINUATION));
      return;
    }
    const src = this.pending.join('\n');
    const r = parse(src);
    if (r.kind === 'incomplete') {
      this.openHeredoc = r.heredoc;
      this.o.write(this.editor.reset(CONTINUATION));
      return;
    }
    this.openHeredoc = undefined;
    this.pending = [];
    const known = this.editor.history.length;
    this.editor.remember(src.replace(/\n/g, ' ').length < 4096 ? src : line);
    if (this.editor.history.length > known) this.o.onHistory?.(this.editor.history[known]!);
    if (r.kind === 'error') {
      this.error(r.message);
      this.lastStatus = 2;
    } else await this.execute(r.script);
    this.o.write(this.editor.reset(this.prompt()));
  }

  /** Writes to the terminal: \r\n line ends there, plain \n for scripts. */
  private tty(text: string): void {
    this.o.write(this.o.terminal === false ? text : toTerminal(text));
  }

  private error(message: string): void {
    this.tty(`bash: ${message}\n`);
  }

  private lookup = (name: string): string | undefined =>
    name === '?' ? String(this.lastStatus) : this.env.get(name);

  /** Set by the `exit` builtin: the rest of the script or line does not run. */
  exiting: number | undefined;

  private async execute(script: AndOr[]): Promise<void> {
    this.exiting = undefined;
    for (const item of script) {
      let status = (this.lastStatus = await this.pipeline(item.first.commands));
      for (const next of item.rest) {
        if (this.exiting !== undefined) break;
        if ((next.op === '&&' && status !== 0) || (next.op === '||' && status === 0)) continue;
        status = this.lastStatus = await this.pipeline(next.pipeline.commands);
      }
      if (this.exiting !== undefined) {
        this.lastStatus = this.exiting;
        if (this.o.terminal !== false) {
          // an interactive lab terminal does not close: it says so and starts over, as a new login would
          this.o.write('exit\r\n');
          this.o.onExit?.(this.exiting);
        }
        return;
      }
    }
  }

  /** Pipes are buffered: each command's output is the next one's input. */
  private async pipeline(commands: Command[]): Promise<number> {
    const status = await this.runPipeline(commands);
    // each part of a real pipeline runs in a subshell: an exit there ends only that part
    if (commands.length > 1) this.exiting = undefined;
    return status;
  }

  private async runPipeline(commands: Command[]): Promise<number> {
    let stdin = '';
    let status = 0;
    for (let i = 0; i < commands.length; i++) {
      const last = i === commands.length - 1;
      const r = await this.command(commands[i]!, stdin, !last);
      stdin = r.stdout;
      status = r.status;
    }
    return status;
  }

  private words(ws: Word[]): string[] {
    return ws.flatMap((w) => expandWord(w, this.lookup));
  }

  private async command(
    cmd: Command,
    stdinIn: string,
    piped: boolean,
  ): Promise<{ status: number; stdout: string }> {
    for (const a of cmd.assignments) {
      if (cmd.words.length === 0) this.env.set(a.name, expandWord(a.value, this.lookup).join(' '));
    }
    let argv = this.words(cmd.words);
    const alias =
      argv[0] !== undefined && cmd.words[0] && literal(cmd.words[0]) === argv[0]
        ? this.aliases.get(argv[0])
        : undefined;
    if (alias) argv = [...alias.split(' '), ...argv.slice(1)];
    let stdin = stdinIn;
    if (cmd.heredoc)
      stdin = cmd.heredoc.expand ? expandHeredoc(cmd.heredoc.body, this.lookup) : cmd.heredoc.body;

    // Redirections, in order as bash does them: each of stdout and stderr goes to the terminal, the pipe,
    // nowhere or a file; a file is opened (created, or truncated for >) before the command runs, and a
    // redirection that cannot be made stops the command with bash's message.
    type Sink = 'tty' | 'null' | 'pipe' | { path: string; text: string };
    const fds: Record<1 | 2, Sink> = { 1: piped ? 'pipe' : 'tty', 2: 'tty' };
    const refuse = (what: string, why: string) => {
      this.tty(`bash: ${what}: ${why}\n`);
      return { status: 1, stdout: '' };
    };
    for (const r of cmd.redirects) {
      if (r.op === '>&') {
        const to = r.target as number;
        if (to !== 1 && to !== 2) return refuse(String(to), 'Bad file descriptor');
        if (r.fd === 1 || r.fd === 2) fds[r.fd] = fds[to];
        continue;
      }
      const target = this.words([r.target as Word]).join(' ');
      if (r.op === '<') {
        try {
          stdin = this.workspace.read(resolvePath(this.cwd, target));
        } catch (e) {
          return refuse(
            target,
            e instanceof FsError && e.code === 'EISDIR' ? 'Is a directory' : 'No such file or directory',
          );
        }
        continue;
      }
      let sink: Sink = 'null';
      if (target !== '/dev/null') {
        const path = resolvePath(this.cwd, target);
        try {
          this.workspace.write(path, '', r.op === '>>');
        } catch (e) {
          if (!(e instanceof FsError)) throw e;
          return refuse(
            target,
            e.code === 'EISDIR'
              ? 'Is a directory'
              : e.code === 'ENOTDIR'
                ? 'Not a directory'
                : 'No such file or directory',
          );
        }
        sink = { path, text: '' };
      }
      if (r.fd === 1 || r.fd === 2) fds[r.fd] = sink;
    }
    let captured = '';
    const send = (sink: Sink, text: string) => {
      if (sink === 'tty') this.tty(text);
      else if (sink === 'pipe') captured += text;
      else if (sink !== 'null') sink.text += text;
    };
    const out = (text: string) => send(fds[1], text);
    const err = (text: string) => send(fds[2], text);
    let status: number;
    if (argv.length === 0) {
      status = 0;
    } else {
      const fn = this.o.commands.get(argv[0]!);
      if (!fn) {
        err(`bash: ${argv[0]}: command not found\n`);
        status = 127;
      } else {
        this.running = new AbortController();
        try {
          status = await fn({
            argv,
            stdin,
            env: this.env,
            session: this,
            out,
            err,
            signal: this.running.signal,
          });
        } catch (e) {
          err(`${argv[0]}: ${e instanceof Error ? e.message : String(e)}\n`);
          status = 1;
        } finally {
          this.running = undefined;
        }
      }
    }
    for (const sink of new Set([fds[1], fds[2]]))
      if (typeof sink === 'object' && sink.text)
        try {
          this.workspace.write(sink.path, sink.text, true);
        } catch (e) {
          // the command removed its own output file (rm -r d > d/log): as on Linux, what it wrote is gone
          if (!(e instanceof FsError)) throw e;
        }
    return { status, stdout: captured };
  }
}

/** Terminals want \r\n. */
const toTerminal = (text: string) => text.replace(/\r?\n/g, '\r\n');

function expandHeredoc(body: string, lookup: (n: string) => string | undefined): string {
  return body
    .replace(/\\\$/g, '\uE000')
    .replace(
      /\$(\{([A-Za-z_][A-Za-z0-9_]*|\?)\}|([A-Za-z_][A-Za-z0-9_]*)|\?)/g,
      (_m, _a, braced: string | undefined, bare: string | undefined) => lookup(braced ?? bare ?? '?') ?? '',
    )
    .replace(/\uE000/g, '$');
}
