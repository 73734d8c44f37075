// One definition per kind. Everything else — validation, defaulting, REST paths, discovery, kubectl
// columns, explain, field selectors, the editor's JSON schema — derives from these definitions.
import type { Schema } from './schema';
import { obj, str } from './schema';
import { objectMeta } from './kinds/meta';
import type { KubeObject, StatusCause, Verb } from './types';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  description?: string;
  format?: string;
  /** 0: always shown; 1: only with -o wide */
  priority?: number;
  /** a simple JSONPath such as .status.phase (as a CRD's additionalPrinterColumns) */
  jsonPath?: string;
  /** computed cell, as kubectl's built-in printers do (READY 1/1, AGE 5m) */
  value?: (obj: KubeObject, ctx: PrintContext) => string | number | boolean | null;
}

export interface PrintContext {
  /** the lab clock's current time */
  now: Date;
}

export interface ValidationContext {
  /** the object as stored before this write, for updates */
  old?: KubeObject;
}

export interface VirtualContext {
  user: import('./types').UserInfo;
  cluster: string;
  /** asks the API server's authorizer */
  authorize(attrs: {
    verb: string;
    group: string;
    resource: string;
    subresource?: string;
    namespace?: string;
    name?: string;
  }): { allowed: boolean; reason?: string };
}

export type FieldSelectorGetter = (obj: KubeObject) => string | undefined;

export interface KindDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  /** properties of the object beyond apiVersion, kind and metadata (spec, status, data, …) */
  schema: Schema;
  description?: string;
  statusSubresource?: boolean;
  /** metadata.generation is kept and bumped on spec changes (default: the schema has a spec) */
  generation?: boolean;
  /** name format: DNS-1123 subdomain (default) or label, or vSphere inventory names (`SupervisorControlPlaneVM (1)`) */
  nameFormat?: 'subdomain' | 'label' | 'vsphere';
  /** the API-space flavors that serve this kind (`vcenter`, `supervisor`, `guest`); default: all */
  flavors?: string[];
  /** verbs served (default: all) */
  verbs?: Verb[];
  columns: PrinterColumn[];
  /** the Name cell of a table, when the server prints more than the name (a default StorageClass) */
  nameCell?: (obj: KubeObject) => string;
  /** field selectors beyond metadata.name and metadata.namespace */
  fieldSelectors?: Record<string, FieldSelectorGetter>;
  /** defaulting beyond the schema's defaults */
  defaults?(obj: KubeObject): void;
  /** changes a create makes once the object has its uid, before it is stored (a Job's generated selector) */
  prepareForCreate?(obj: KubeObject): void;
  /** validation beyond the schema: immutability, cross-field rules */
  validate?(obj: KubeObject, ctx: ValidationContext): StatusCause[];
  /** a scale subresource, as CRDs declare one (Deployment, ReplicaSet, TanzuKubernetesCluster …) */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /** a kind that is answered, not stored (SelfSubjectAccessReview): create returns what this makes */
  virtualCreate?(obj: KubeObject, ctx: VirtualContext): KubeObject;
  /** initial status on create (status is never taken from a create request for kinds with a status subresource) */
  initialStatus?(obj: KubeObject): Record<string, unknown> | undefined;
}

export interface ResolvedKind extends KindDefinition {
  apiVersion: string;
  /** the whole object's schema: apiVersion, kind, metadata and the kind's own fields */
  fullSchema: Schema;
  keepsGeneration: boolean;
}

export const servedIn = (k: KindDefinition, flavor: string): boolean =>
  !k.flavors || k.flavors.includes(flavor);

const allVerbs: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export class Registry {
  private readonly kinds: ResolvedKind[] = [];
  private readonly byGroupResource = new Map<string, ResolvedKind>();
  /** resolve()'s answers by (name, flavor); names come from users too, so it is kept small */
  private readonly resolved = new Map<string, ResolvedKind | undefined>();
  private readonly byGroupKind = new Map<string, ResolvedKind>();

  register(def: KindDefinition): ResolvedKind {
    const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
    const gr = `${def.group}/${def.plural}`;
    if (this.byGroupResource.has(gr)) throw new Error(`kind already registered: ${gr}`);
    const fullSchema = obj(
      {
        apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
        kind: str('Kind is a string value representing the REST resource this object represents.'),
        metadata: objectMeta,
        ...(def.schema.properties ?? {}),
      },
      def.description ?? def.schema.description,
      def.schema.required ? { required: def.schema.required } : {},
    );
    const resolved: ResolvedKind = {
      verbs: allVerbs,
      nameFormat: 'subdomain',
      ...def,
      apiVersion,
      fullSchema,
      keepsGeneration: def.generation ?? Boolean(def.schema.properties?.spec),
    };
    this.kinds.push(resolved);
    this.resolved.clear();
    this.byGroupResource.set(gr, resolved);
    this.byGroupKind.set(`${def.group}/${def.kind}`, resolved);
    return resolved;
  }

  all(): readonly ResolvedKind[] {
    return this.kinds;
  }

  byResource(group: string, plural: string): ResolvedKind | undefined {
    return this.byGroupResource.get(`${group}/${plural}`);
  }

  byKind(group: string, kind: string): ResolvedKind | undefined {
    return this.byGroupKind.get(`${group}/${kind}`);
  }

  /** Looks a kind up from an apiVersion and kind, as in a manifest. */
  byApiVersionKind(apiVersion: string, kind: string): ResolvedKind | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const k = this.byKind(group, kind);
    return k && k.version === version ? k : undefined;
  }

  /**
   * Resolves what a user types — `pods`, `pod`, `po`, `Pod`, `deployments.apps`, `deploy.v1.apps` — the
   * way kubectl's RESTMapper does. Undefined when nothing matches.
   */
  resolve(name: string, flavor?: string): ResolvedKind | undefined {
    const memo = `${name}\u0000${flavor ?? ''}`;
    if (this.resolved.has(memo)) return this.resolved.get(memo);
    const found = this.lookUp(name, flavor);
    if (this.resolved.size >= 1000) this.resolved.clear();
    this.resolved.set(memo, found);
    return found;
  }

  private lookUp(name: string, flavor?: string): ResolvedKind | undefined {
    const lower = name.toLowerCase();
    const dot = lower.indexOf('.');
    const head = dot < 0 ? lower : lower.slice(0, dot);
    const rest = dot < 0 ? undefined : lower.slice(dot + 1);
    const matches = (k: ResolvedKind): boolean =>
      k.plural === head ||
      k.singular === head ||
      k.kind.toLowerCase() === head ||
      (k.shortNames ?? []).includes(head);
    const inGroup = (k: ResolvedKind): boolean =>
      rest === undefined ||
      k.group === rest ||
      `${k.version}.${k.group}` === rest ||
      (rest === k.version && k.group === '');
    // Core and well-known groups win ties, as kubectl prefers them.
    return this.kinds.find((k) => matches(k) && inGroup(k) && (!flavor || servedIn(k, flavor)));
  }
}
