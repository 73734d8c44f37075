// Object queries and watches for the UI, through the API server as the signed-in user: what they may
// not read, they do not get. A resource is named as kubectl names it, PLURAL or PLURAL.GROUP (pods,
// tanzukubernetesclusters.run.tanzu.vmware.com), in the Supervisor's API space.
import type { ResourceRequest } from '../../api/server';
import type { Disposable, KubeObject } from '../../api/types';
import type { Lab } from '../../sim/lab';
import type { EngineEvent } from '../../../preload/contract';
import { signedIn } from './identity';

/** At most this many watches live at once; the oldest goes first (a window that reloads leaves its own). */
const MAX_WATCHES = 64;

function request(lab: Lab, resource: string, namespace?: string, name?: string): ResourceRequest {
  const dot = resource.indexOf('.');
  const plural = dot < 0 ? resource : resource.slice(0, dot);
  const group = dot < 0 ? '' : resource.slice(dot + 1);
  const kind = lab.registry.byResource(group, plural);
  if (!kind) throw new Error(`the server doesn't have a resource type "${resource}"`);
  return {
    verb: 'list',
    user: signedIn(lab).user,
    cluster: 'supervisor',
    group: kind.group,
    version: kind.version,
    resource: kind.plural,
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
  };
}

const statusMessage = (body: unknown) =>
  (body as { message?: string } | undefined)?.message ?? 'request failed';

export class ObjectWatches {
  private readonly watches = new Map<string, Disposable>();
  private counter = 0;

  constructor(
    private readonly lab: Lab,
    private readonly emit: (e: EngineEvent) => void,
  ) {}

  list(resource: string, namespace?: string): KubeObject[] {
    const r = this.lab.api.request(request(this.lab, resource, namespace));
    if (r.status !== 200) throw new Error(statusMessage(r.body));
    return (r.body as { items: KubeObject[] }).items;
  }

  watch(resource: string, namespace?: string, name?: string): string {
    if (!this.lab.api.hasApiSpace('supervisor')) throw new Error('the Supervisor is not running');
    const id = `w${++this.counter}`;
    const r = this.lab.api.watch(
      {
        ...request(this.lab, resource, namespace, name),
        verb: 'watch',
        query: { sendInitialEvents: 'true' },
      },
      (e) => {
        const o = e.object as KubeObject;
        this.emit({
          type: 'objects.event',
          watch: id,
          event: e.type,
          name: o.metadata?.name ?? '',
          namespace: o.metadata?.namespace ?? '',
          resourceVersion: o.metadata?.resourceVersion ?? '',
        });
      },
    );
    if ('error' in r) throw new Error(statusMessage(r.error.body));
    this.watches.set(id, r.watch);
    while (this.watches.size > MAX_WATCHES) this.unwatch(this.watches.keys().next().value!);
    return id;
  }

  unwatch(id: string): void {
    this.watches.get(id)?.dispose();
    this.watches.delete(id);
  }
}
