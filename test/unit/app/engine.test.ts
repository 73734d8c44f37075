// The engine side of the app's contract, on an in-memory lab with the stepped clock: terminal sessions
// that survive a reattach, the editor hook, Apply and Dry run through kubectl, the admin forms through
// govc, and the derived views.
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../preload/contract';
import { AppEngine } from '../../../main/host/app/engine';
import type { Lab } from '../../../main/sim/lab';
import { newLab } from '../../helpers/lab';
import { defaultScenario } from '../../helpers/scenario';

let lab: Lab | undefined;
afterEach(() => lab?.close());

function open() {
  lab = newLab({ scenario: defaultScenario() });
  const engine = new AppEngine({ lab, labPath: ':memory:', version: '0.0.0' });
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  const output = (id: string) =>
    events
      .filter(
        (e): e is Extract<EngineEvent, { type: 'terminal.output' }> =>
          e.type === 'terminal.output' && e.id === id,
      )
      .map((e) => e.data)
      .join('');
  return { lab, engine, events, output };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

const enableForm = {
  cluster: 'Workload-Cluster',
  networkProvider: 'NSXT_CONTAINER_PLUGIN' as const,
  size: 'TINY' as const,
  managementNetwork: 'DVPG-Management Network',
  startingAddress: '192.168.10.100',
  subnetMask: '255.255.255.0',
  gateway: '192.168.10.1',
  storagePolicy: 'k8s-gold',
  serviceCidr: '10.96.0.0/23',
  podCidrs: '10.244.0.0/20',
  ingressCidrs: '192.168.30.0/24',
  egressCidrs: '192.168.31.0/24',
  edgeCluster: 'Edge-Cluster-1',
};

describe('the app engine', () => {
  it('runs terminal sessions, and a reattach gets the session back with its scrollback', async () => {
    const { engine, output } = open();
    const { id, scrollback } = (await engine.call('terminal.open', { cols: 100 })) as {
      id: string;
      scrollback: string;
    };
    expect(scrollback).toContain('administrator@vsphere.local (127.0.0.1) ~ $ ');
    await engine.call('terminal.input', { id, data: 'lab status\r' });
    await settle();
    expect(output(id)).toContain('Workload Management is not enabled');
    const again = (await engine.call('terminal.open', { id, cols: 80 })) as {
      id: string;
      scrollback: string;
      cols: number;
    };
    expect(again.id).toBe(id);
    // the width the scrollback was drawn at, for the window to replay it before it fits the pane
    expect(again.cols).toBe(100);
    expect(again.scrollback).toContain('esxi-04.lab.local');
    expect(await engine.call('terminal.list', {})).toEqual([{ id, title: 'shell 1' }]);
  });

  it('refuses input that breaks the contract', async () => {
    const { engine } = open();
    await expect(engine.call('terminal.input', { id: 't', data: 5 })).rejects.toThrow();
    await expect(engine.call('lab.clock', { speed: 7 })).rejects.toThrow();
  });

  it('opens `edit FILE` in the editor and saves what the editor gives back', async () => {
    const { engine, events, output } = open();
    const { id } = (await engine.call('terminal.open', { cols: 100 })) as { id: string };
    await engine.call('files.write', { path: '/notes.txt', text: 'one\n' });
    await engine.call('terminal.input', { id, data: 'edit notes.txt\r' });
    await settle();
    const req = events.find(
      (e): e is Extract<EngineEvent, { type: 'editor.open' }> => e.type === 'editor.open',
    );
    expect(req).toMatchObject({ name: expect.stringContaining('notes.txt'), text: 'one\n' });
    await engine.call('editor.done', { request: req!.request, text: 'one\ntwo\n' });
    await settle();
    await engine.call('terminal.input', { id, data: 'cat notes.txt\r' });
    await settle();
    expect(output(id)).toMatch(/one\r?\ntwo/);
    expect(await engine.call('files.read', { path: '/notes.txt' })).toEqual({ text: 'one\ntwo\n' });
  });

  it('enables Workload Management from the form with govc and shows the Supervisor coming up', async () => {
    const { engine, lab } = open();
    const r = (await engine.call('admin.enableWorkloadManagement', enableForm)) as {
      status: number;
      output: string;
    };
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/^\$ govc namespace\.cluster\.enable -cluster Workload-Cluster /);
    lab.advance(20 * 60_000);
    const status = (await engine.call('status', {})) as { supervisor: { phase: string } };
    expect(status.supervisor.phase).toBe('RUNNING');
    const topo = (await engine.call('view.topology', {})) as {
      hosts: { vms: { role: string; floatingIP: boolean }[] }[];
    };
    const cps = topo.hosts.flatMap((h) => h.vms).filter((v) => v.role === 'supervisor-control-plane');
    expect(cps).toHaveLength(3);
    expect(cps.filter((v) => v.floatingIP)).toHaveLength(1);
    const ops = (await engine.call('view.operations', {})) as { title: string; steps: { done: boolean }[] }[];
    expect(ops[0]!.title).toBe('Supervisor Workload-Cluster');
  });

  it('configures a namespace through govc, then applies and dry-runs manifests through kubectl', async () => {
    const { engine, lab } = open();
    await engine.call('admin.enableWorkloadManagement', enableForm);
    lab.advance(20 * 60_000);
    const ns = (await engine.call('admin.configureNamespace', {
      name: 'demo',
      cluster: 'Workload-Cluster',
      create: true,
      cpuLimitMHz: 10000,
      storagePolicies: ['k8s-gold'],
      storageLimitsGB: { 'k8s-gold': 50 },
      vmClasses: ['best-effort-small'],
      permissions: [{ principal: 'devops@vsphere.local', role: 'edit' }],
    })) as { status: number; output: string };
    expect(ns.output).toContain(
      '$ govc namespace.create -cluster Workload-Cluster -storage k8s-gold -vmclass best-effort-small demo',
    );
    expect(ns.output).toContain('$ govc namespace.update -cpu-limit 10000 -storage-limit k8s-gold=50 demo');
    expect(ns.output).toContain(
      '$ govc namespace.access.set -principal devops@vsphere.local -role edit demo',
    );
    expect(ns.status).toBe(0);
    lab.settle();
    const cm =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\ndata:\n  a: b\n';
    const dry = (await engine.call('editor.apply', { path: '/cm.yaml', text: cm, dryRun: true })) as {
      output: string;
    };
    expect(dry.output).toContain('configmap/settings created (server dry run)');
    const real = (await engine.call('editor.apply', { path: '/cm.yaml', text: cm, dryRun: false })) as {
      output: string;
    };
    expect(real.output).toContain('configmap/settings created');
    const inv = JSON.stringify(await engine.call('view.inventory', {}));
    expect(inv).toContain('"kind":"VSphereNamespace","name":"demo"');
  });

  it('opens `kubectl edit` in the editor and applies what is saved', async () => {
    const { engine, lab, events, output } = open();
    await engine.call('admin.enableWorkloadManagement', enableForm);
    lab.advance(20 * 60_000);
    await engine.call('admin.configureNamespace', {
      name: 'demo',
      cluster: 'Workload-Cluster',
      create: true,
      storagePolicies: ['k8s-gold'],
      vmClasses: [],
      permissions: [],
    });
    lab.settle();
    const cm =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\ndata:\n  a: b\n';
    await engine.call('editor.apply', { path: '/cm.yaml', text: cm, dryRun: false });
    const { id } = (await engine.call('terminal.open', { cols: 120 })) as { id: string };
    await engine.call('terminal.input', { id, data: 'kubectl edit configmap settings -n demo\r' });
    await settle();
    const req = events.find(
      (e): e is Extract<EngineEvent, { type: 'editor.open' }> => e.type === 'editor.open',
    );
    expect(req?.text).toContain('  a: b\n');
    await engine.call('editor.done', {
      request: req!.request,
      text: req!.text.replace('  a: b\n', '  a: c\n'),
    });
    await settle();
    expect(output(id)).toContain('configmap/settings edited');
    await engine.call('terminal.input', {
      id,
      data: "kubectl get cm settings -n demo -o jsonpath='{.data.a}'\r",
    });
    await settle();
    expect(output(id).split("jsonpath='{.data.a}'").at(-1)).toMatch(/^\r\S*\r\nc\r/);
  });

  it('gives the editor a schema from the registry with the namespace’s live values', async () => {
    const { engine, lab } = open();
    await engine.call('admin.enableWorkloadManagement', enableForm);
    lab.advance(20 * 60_000);
    await engine.call('admin.configureNamespace', {
      name: 'demo',
      cluster: 'Workload-Cluster',
      create: true,
      storagePolicies: ['k8s-gold'],
      vmClasses: ['best-effort-small', 'guaranteed-medium'],
      permissions: [],
    });
    lab.settle();
    // the kubeconfig's context namespace decides the live values: switch it as kubectl would
    const { id } = (await engine.call('terminal.open', { cols: 100 })) as { id: string };
    await engine.call('terminal.input', {
      id,
      data: 'kubectl config set-context --current --namespace=demo\r',
    });
    await settle();
    const { schema } = (await engine.call('editor.schema', {})) as {
      schema: { anyOf: Record<string, unknown>[] };
    };
    const tkc = schema.anyOf.find((s) =>
      String(s.title).startsWith('TanzuKubernetesCluster (run.tanzu.vmware.com/v1alpha2)'),
    );
    const cp = (
      tkc as never as {
        properties: {
          spec: {
            properties: {
              topology: { properties: { controlPlane: { properties: Record<string, { enum?: string[] }> } } };
            };
          };
        };
      }
    ).properties.spec.properties.topology.properties.controlPlane.properties;
    expect(cp.vmClass!.enum).toEqual(['best-effort-small', 'guaranteed-medium']);
    expect(cp.storageClass!.enum).toEqual(['k8s-gold']);
    const templates = (await engine.call('editor.templates', {})) as { id: string; text: string }[];
    expect(templates.map((t) => t.id)).toEqual(['tkc', 'deployment', 'vm']);
    expect(templates[0]!.text).toContain('namespace: demo');
  });

  it('lists and watches objects through the API as the signed-in user', async () => {
    const { engine, lab, events } = open();
    await engine.call('admin.enableWorkloadManagement', enableForm);
    lab.advance(20 * 60_000);
    await engine.call('admin.configureNamespace', {
      name: 'demo',
      cluster: 'Workload-Cluster',
      create: true,
      storagePolicies: ['k8s-gold'],
      vmClasses: [],
      permissions: [],
    });
    lab.settle();
    const { watch } = (await engine.call('objects.watch', { resource: 'configmaps', namespace: 'demo' })) as {
      watch: string;
    };
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\n';
    await engine.call('editor.apply', { path: '/cm.yaml', text: cm, dryRun: false });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'objects.event',
        watch,
        event: 'ADDED',
        name: 'settings',
        namespace: 'demo',
      }),
    );
    const { items } = (await engine.call('objects.list', { resource: 'configmaps', namespace: 'demo' })) as {
      items: { metadata: { name: string } }[];
    };
    expect(items.map((i) => i.metadata.name)).toContain('settings');
    await expect(engine.call('objects.list', { resource: 'tkcs' })).rejects.toThrow(
      'the server doesn\'t have a resource type "tkcs"',
    );
    await engine.call('objects.unwatch', { watch });
    // signed in as the viewer, who has no access to demo: the API refuses
    const { id } = (await engine.call('terminal.open', { cols: 120 })) as { id: string };
    await engine.call('terminal.input', {
      id,
      data: "export KUBECTL_VSPHERE_PASSWORD='VMware1!'; kubectl vsphere login --server=127.0.0.1 --vsphere-username viewer@vsphere.local --insecure-skip-tls-verify\r",
    });
    await settle();
    expect(((await engine.call('status', {})) as { user: string }).user).toBe('viewer@vsphere.local');
    await expect(engine.call('objects.watch', { resource: 'configmaps', namespace: 'demo' })).rejects.toThrow(
      /forbidden/,
    );
  });
});
