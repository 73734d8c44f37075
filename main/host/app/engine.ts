// The engine side of the app's contract: one object per open lab that answers every method of
// preload/contract.ts and pushes engine events (terminal output, edits to open, "the lab changed").
// Both transports — Electron IPC and browser mode's WebSocket — validate with the contract's schemas
// and hand the call here.
import type { Lab } from '../../sim/lab';
import type { ScenarioSource } from '../../shell/commands/lab';
import { createShell } from '../../shell';
import { createHash } from 'node:crypto';
import { Workspace, resolvePath } from '../../store/files';
import { methods, type EngineEvent, type Input, type Method, type Output } from '../../../preload/contract';
import { adminChoices, enableCommand, namespaceCommands } from './admin';
import { CommandRunner, commandLine } from './commands';
import { editorSchema, liveValues, templates } from './editorSchema';
import { signedIn } from './identity';
import { LabsHost } from './labs';
import { ObjectWatches } from './objects';
import { Terminals } from './terminals';
import { activityView, inventoryView, operationsView, topologyView } from './views';

export interface AppEngineOptions {
  lab: Lab;
  labPath: string;
  version: string;
  scenarios?: ScenarioSource;
}

type Handlers = {
  [M in Method]: (input: Output<M> extends never ? never : Input<M>) => Output<M> | Promise<Output<M>>;
};

export class AppEngine {
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  readonly terminals: Terminals;
  private readonly runner: CommandRunner;
  private readonly objects: ObjectWatches;
  /** the labs panel: guided labs over this lab, with their automatic check */
  readonly labs: LabsHost;
  private readonly workspace: Workspace;
  private lastRv = '';
  private lastClock = '';
  private lastKubeconfig = '';
  private readonly handlers: Handlers;

  constructor(private readonly o: AppEngineOptions) {
    const lab = o.lab;
    this.terminals = new Terminals(lab, (e) => this.emit(e), o.scenarios);
    this.runner = new CommandRunner(lab, o.scenarios);
    this.objects = new ObjectWatches(lab, (e) => this.emit(e));
    this.labs = new LabsHost(lab, (e) => this.emit(e), o.scenarios);
    this.workspace = new Workspace(lab.store, () => lab.clock.nowMs());
    // a shell writes the new lab's kubeconfig (the administrator signed in): the status bar and the
    // views act as that user from the start, before any terminal is open
    createShell(lab, { write: () => {}, terminal: false, history: [] });
    const clockState = () => {
      const mode = lab.clock.getMode();
      return {
        now: lab.clock.now().toISOString(),
        mode: mode.kind,
        speed: mode.kind === 'realtime' ? mode.speed : 0,
        paused: lab.clock.isPaused(),
      };
    };
    this.handlers = {
      info: () => ({
        name: 'Supervisor Lab',
        version: o.version,
        lab: o.labPath,
        labTime: lab.clock.now().toISOString(),
      }),
      status: () => {
        const who = signedIn(lab);
        const sup = lab.world.vc.list('supervisors').items[0];
        const ss = (sup?.status ?? {}) as { configStatus?: string; apiEndpoint?: string };
        return {
          clock: clockState(),
          user: who.principal,
          context: who.context,
          namespace: who.namespace,
          supervisor: sup
            ? {
                phase: ss.configStatus ?? 'CONFIGURING',
                cluster: (sup.spec as { cluster: string }).cluster,
                apiEndpoint: ss.apiEndpoint ?? '',
              }
            : null,
          rv: String(lab.store.currentRv()),
        };
      },
      'terminal.open': (i) => this.terminals.open(i.cols, i.id),
      'terminal.list': () => this.terminals.list(),
      'terminal.input': (i) => {
        this.terminals.input(i.id, i.data);
        return { ok: true };
      },
      'terminal.resize': (i) => {
        this.terminals.resize(i.id, i.cols);
        return { ok: true };
      },
      'terminal.close': (i) => {
        this.terminals.close(i.id);
        return { ok: true };
      },
      'editor.done': (i) => {
        this.terminals.editDone(i.request, i.text);
        return { ok: true };
      },
      'files.list': () => this.listFiles('/'),
      'files.read': (i) => ({ text: this.workspace.read(resolvePath('/', i.path)) }),
      'files.write': (i) => {
        this.workspace.write(resolvePath('/', i.path), i.text);
        return { ok: true };
      },
      'editor.schema': () => ({ schema: editorSchema(lab, liveValues(lab, signedIn(lab))) }),
      'editor.templates': () => templates(liveValues(lab, signedIn(lab))),
      'editor.apply': (i) => {
        const path = resolvePath('/', i.path);
        this.workspace.write(path, i.text);
        return this.runner.run([
          commandLine(['kubectl', 'apply', '-f', path, ...(i.dryRun ? ['--dry-run=server'] : [])]),
        ]);
      },
      'lab.clock': (i) => {
        if ('pause' in i) lab.clock.setPaused(i.pause);
        else if ('speed' in i) {
          lab.clock.setMode({ kind: 'realtime', speed: i.speed });
          lab.clock.setPaused(false);
        } else if ('stepped' in i) lab.clock.setMode({ kind: 'stepped' });
        else {
          if (lab.clock.getMode().kind !== 'stepped') lab.clock.setMode({ kind: 'stepped' });
          lab.advance(i.advanceMs);
        }
        lab.saveState();
        this.poll();
        return clockState();
      },
      'lab.host': (i) => {
        const line =
          i.action === 'fail' || i.action === 'recover'
            ? commandLine(['lab', 'host', i.action, i.host])
            : commandLine([
                'govc',
                i.action === 'maintenance-enter' ? 'host.maintenance.enter' : 'host.maintenance.exit',
                i.host,
              ]);
        return this.runner.run([line]);
      },
      'lab.describe': (i) => {
        const line =
          i.what === 'host' || i.what === 'vm'
            ? commandLine(['lab', 'explain', i.what, i.name])
            : i.what === 'namespace'
              ? commandLine(['govc', 'namespace.info', i.name])
              : commandLine(['kubectl', 'describe', i.what, i.name, '-n', i.namespace ?? 'default']);
        return this.runner.run([line]);
      },
      'objects.list': (i) => ({
        items: this.objects.list(i.resource, i.namespace) as unknown as Record<string, unknown>[],
      }),
      'objects.watch': (i) => ({ watch: this.objects.watch(i.resource, i.namespace, i.name) }),
      'objects.unwatch': (i) => {
        this.objects.unwatch(i.watch);
        return { ok: true };
      },
      'view.topology': () => topologyView(lab),
      'view.inventory': () => inventoryView(lab, signedIn(lab)),
      'view.activity': () => activityView(lab, signedIn(lab)),
      'view.operations': () => operationsView(lab, signedIn(lab)),
      'admin.choices': () => adminChoices(lab),
      'admin.enableWorkloadManagement': (i) => this.runner.run(enableCommand(i)),
      ...this.labs.handlers,
      'admin.configureNamespace': (i) =>
        this.runner.run(
          namespaceCommands(i, new Set(lab.world.vc.list('ssogroups').items.map((g) => g.metadata.name!))),
        ),
    };
  }

  /** Serves one call: the input is checked against the contract, the answer too. */
  async call(method: Method, input: unknown): Promise<unknown> {
    const spec = methods[method];
    const checked = spec.input.parse(input);
    const handler = this.handlers[method] as (i: unknown) => unknown;
    const result = await handler(checked);
    this.o.lab.api.flush();
    return spec.output.parse(result);
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called on the host's tick: tells the UI when the lab changed (objects or lab time). */
  poll(): void {
    // a command the learner ran may pass the labs panel's step
    this.labs.poll();
    const rv = String(this.o.lab.store.currentRv());
    const clock = this.o.lab.clock.now().toISOString();
    // a login or a context switch changes who the views act as: the kubeconfig is a workspace file
    let kubeconfig = '';
    try {
      kubeconfig = this.workspace.read('/.kube/config');
    } catch {
      // signed out entirely
    }
    if (rv === this.lastRv && clock === this.lastClock && kubeconfig === this.lastKubeconfig) return;
    this.lastRv = rv;
    this.lastClock = clock;
    this.lastKubeconfig = kubeconfig;
    const session = createHash('sha256').update(kubeconfig).digest('hex').slice(0, 16);
    this.emit({ type: 'lab.changed', rv, clock, session });
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  private listFiles(dir: string): { path: string; dir: boolean }[] {
    const out: { path: string; dir: boolean }[] = [];
    for (const e of this.workspace.list(dir)) {
      if (e.path === dir) continue;
      out.push({ path: e.path, dir: e.dir });
      if (e.dir && out.length < 2000) out.push(...this.listFiles(e.path));
    }
    return out;
  }
}
