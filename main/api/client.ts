// A typed, in-process client of the ApiServer for the simulation's controllers, the shell and tests.
// It sends the same ResourceRequests a transport would and throws the Status as an ApiError on failure.
import { fromStored } from './conversion';
import { ApiError, badRequest } from './errors';
import type { PatchType } from './patch';
import type { ResolvedKind } from './registry';
import type { ApiServer, Query, ResourceRequest } from './server';
import type { Disposable, KubeObject, ListObject, UserInfo, WatchEvent } from './types';

export type KindRef = ResolvedKind | string;

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export class ApiClient {
  constructor(
    readonly server: ApiServer,
    readonly user: UserInfo,
    readonly cluster: string,
  ) {}

  kind(ref: KindRef): ResolvedKind {
    if (typeof ref !== 'string') return ref;
    const k = this.server.registry.resolve(ref, this.server.flavorOf(this.cluster));
    if (!k) throw badRequest(`the server doesn't have a resource type "${ref}"`);
    return k;
  }

  get(ref: KindRef, namespace: string, name: string): KubeObject {
    return this.send(this.req('get', ref, { namespace, name })) as KubeObject;
  }

  /** The object, or undefined when it does not exist. */
  tryGet(ref: KindRef, namespace: string, name: string): KubeObject | undefined {
    // the system reads without the request machinery: no authorization to ask, no 404 to build and catch
    if (this.user.groups.includes('system:masters')) {
      const kind = this.kind(ref);
      if (this.server.flavorOf(this.cluster) !== undefined) {
        const obj = this.server.objects.get(kind, this.cluster, kind.namespaced ? namespace : '', name);
        return obj && fromStored(kind, obj);
      }
    }
    try {
      return this.get(ref, namespace, name);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return undefined;
      throw e;
    }
  }

  list(ref: KindRef, o: ListOptions = {}): ListObject {
    const query: Query = {
      labelSelector: o.labelSelector,
      fieldSelector: o.fieldSelector,
      limit: o.limit === undefined ? undefined : String(o.limit),
      continue: o.continue,
    };
    return this.send(this.req('list', ref, { namespace: o.namespace, query })) as ListObject;
  }

  create(obj: KubeObject | Record<string, unknown>, query: Query = {}): KubeObject {
    const o = obj as KubeObject;
    return this.send(
      this.req('create', this.kindOf(o), { namespace: o.metadata?.namespace, body: o, query }),
    ) as KubeObject;
  }

  update(obj: KubeObject, query: Query = {}): KubeObject {
    return this.send(
      this.req('update', this.kindOf(obj), {
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        body: obj,
        query,
      }),
    ) as KubeObject;
  }

  updateStatus(obj: KubeObject): KubeObject {
    return this.send(
      this.req('update', this.kindOf(obj), {
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        body: obj,
        subresource: 'status',
      }),
    ) as KubeObject;
  }

  /**
   * Updates an object and its status in one write: for the system's simulated node agents, whose
   * bookkeeping (an annotation) goes with the status it explains. Refused for anyone else.
   */
  updateWithStatus(obj: KubeObject): KubeObject {
    return this.send(
      this.req('update', this.kindOf(obj), {
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        body: obj,
        withStatus: true,
      }),
    ) as KubeObject;
  }

  /** Binds a pod to a node through pods/binding, as a scheduler does; annotations go onto the pod. */
  bind(namespace: string, name: string, node: string, annotations?: Record<string, string>): void {
    this.send(
      this.req('create', 'pods', {
        namespace,
        name,
        subresource: 'binding',
        body: {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
          target: { apiVersion: 'v1', kind: 'Node', name: node },
        },
      }),
    );
  }

  patch(
    ref: KindRef,
    namespace: string,
    name: string,
    patchType: PatchType,
    patch: unknown,
    query: Query = {},
  ): KubeObject {
    return this.send(
      this.req('patch', ref, { namespace, name, body: patch, patchType, query }),
    ) as KubeObject;
  }

  delete(
    ref: KindRef,
    namespace: string,
    name: string,
    options: Record<string, unknown> = {},
    query: Query = {},
  ): KubeObject {
    return this.send(this.req('delete', ref, { namespace, name, body: options, query })) as KubeObject;
  }

  watch(
    ref: KindRef,
    o: ListOptions & { resourceVersion?: string; allowBookmarks?: boolean },
    listener: (e: WatchEvent) => void,
  ): Disposable {
    const query: Query = {
      labelSelector: o.labelSelector,
      fieldSelector: o.fieldSelector,
      resourceVersion: o.resourceVersion,
      allowWatchBookmarks: o.allowBookmarks ? 'true' : undefined,
    };
    const res = this.server.watch(this.req('watch', ref, { namespace: o.namespace, query }), listener);
    if ('error' in res) throw new ApiError(res.error.body as never);
    return res.watch;
  }

  private kindOf(obj: KubeObject): ResolvedKind {
    const k = this.server.registry.byApiVersionKind(String(obj.apiVersion ?? ''), String(obj.kind ?? ''));
    if (!k)
      throw badRequest(`no matches for kind "${String(obj.kind)}" in version "${String(obj.apiVersion)}"`);
    return k;
  }

  private req(verb: ResourceRequest['verb'], ref: KindRef, rest: Partial<ResourceRequest>): ResourceRequest {
    const k = this.kind(ref);
    return {
      verb,
      user: this.user,
      cluster: this.cluster,
      group: k.group,
      version: k.version,
      resource: k.plural,
      ...rest,
    };
  }

  private send(r: ResourceRequest): unknown {
    const res = this.server.request(r);
    if (res.status >= 400) throw new ApiError(res.body as never);
    return res.body;
  }
}
