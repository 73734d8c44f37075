// One definition per kind. Everything else — validation, defaulting, REST paths, discovery, kubectl
// columns, explain, field selectors, the editor's JSON schema — derives from these definitions.
import { compareVersions } from './conversion';
import type { Schema } from './schema';
import { obj, str } from './schema';
import { objectMeta } from './kinds/meta';
import { ageColumn } from './printers/columns';
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

/**
 * A version a kind is served in besides the one it is stored in (a CRD's further `served: true`
 * version): its own schema and columns, and the conversion to and from the stored version. Converters
 * take and return whole objects (each gets its own copy), must be pure, and should never throw: they
 * see whatever a client sends, before validation. Only labels and annotations of the metadata they
 * return are kept, as with a conversion webhook.
 */
export interface ServedVersion {
  version: string;
  /** properties of the object in this version beyond apiVersion, kind and metadata */
  schema: Schema;
  /** this version's printer columns (default: Age only, as a CRD version without any) */
  columns?: PrinterColumn[];
  description?: string;
  /** an object of this version as the stored version holds it */
  toStored(obj: KubeObject): KubeObject;
  /** a stored object as this version shows it */
  fromStored(obj: KubeObject): KubeObject;
}

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
  nameFormat?: 'subdomain' | 'label' | 'vsphere' | 'path';
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
  /** further versions served, converted to and from `version`, the one stored */
  alsoServed?: ServedVersion[];
}

export interface ResolvedKind extends KindDefinition {
  apiVersion: string;
  /** the whole object's schema: apiVersion, kind, metadata and the kind's own fields */
  fullSchema: Schema;
  keepsGeneration: boolean;
  /**
   * On a version served but not stored: the stored version's kind and the converters. Everything that
   * works on stored objects (defaults, validate, field selectors, scale paths, admission) is the stored
   * kind's; a version's own parts are its schema, columns and description.
   */
  conversion?: {
    storage: ResolvedKind;
    toStored(obj: KubeObject): KubeObject;
    fromStored(obj: KubeObject): KubeObject;
  };
}

export const servedIn = (k: KindDefinition, flavor: string): boolean =>
  !k.flavors || k.flavors.includes(flavor);

const apiVersionOf = (group: string, version: string): string => (group ? `${group}/${version}` : version);

/** The whole object's schema: apiVersion, kind and metadata, then the kind's own fields. */
const fullSchemaOf = (schema: Schema, description: string | undefined): Schema =>
  obj(
    {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: objectMeta,
      ...(schema.properties ?? {}),
    },
    description ?? schema.description,
    schema.required ? { required: schema.required } : {},
  );

const allVerbs: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export class Registry {
  private readonly kinds: ResolvedKind[] = [];
  private readonly byGroupResource = new Map<string, ResolvedKind>();
  /** resolve()'s answers by (name, flavor); names come from users too, so it is kept small */
  private readonly resolved = new Map<string, ResolvedKind | undefined>();
  private readonly byGroupKind = new Map<string, ResolvedKind>();
  /** every served version of each kind by group/plural, preferred first */
  private readonly versionsByResource = new Map<string, ResolvedKind[]>();

  register(def: KindDefinition): ResolvedKind {
    const gr = `${def.group}/${def.plural}`;
    if (this.byGroupResource.has(gr)) throw new Error(`kind already registered: ${gr}`);
    const resolved: ResolvedKind = {
      verbs: allVerbs,
      nameFormat: 'subdomain',
      ...def,
      apiVersion: apiVersionOf(def.group, def.version),
      fullSchema: fullSchemaOf(def.schema, def.description),
      keepsGeneration: def.generation ?? Boolean(def.schema.properties?.spec),
    };
    const versions = [resolved];
    for (const sv of def.alsoServed ?? []) {
      if (versions.some((v) => v.version === sv.version))
        throw new Error(`version served twice: ${gr} ${sv.version}`);
      const description = sv.description ?? def.description;
      versions.push({
        ...resolved,
        version: sv.version,
        apiVersion: apiVersionOf(def.group, sv.version),
        schema: sv.schema,
        description,
        fullSchema: fullSchemaOf(sv.schema, description),
        columns: sv.columns ?? [ageColumn('date')],
        defaults: undefined,
        prepareForCreate: undefined,
        validate: undefined,
        initialStatus: undefined,
        virtualCreate: undefined,
        nameCell: undefined,
        conversion: { storage: resolved, toStored: sv.toStored, fromStored: sv.fromStored },
      });
    }
    versions.sort((a, b) => compareVersions(a.version, b.version));
    this.kinds.push(resolved);
    this.resolved.clear();
    this.byGroupResource.set(gr, resolved);
    this.versionsByResource.set(gr, versions);
    this.byGroupKind.set(`${def.group}/${def.kind}`, resolved);
    return resolved;
  }

  /** Every kind, once, in its stored version. */
  all(): readonly ResolvedKind[] {
    return this.kinds;
  }

  /** Every version of every kind: what discovery and OpenAPI list. */
  allVersions(): ResolvedKind[] {
    return this.kinds.flatMap((k) => this.versionsOf(k));
  }

  /** The versions a kind is served in, in Kubernetes' version priority: the preferred one first. */
  versionsOf(kind: ResolvedKind): readonly ResolvedKind[] {
    return this.versionsByResource.get(`${kind.group}/${kind.plural}`) ?? [kind];
  }

  /** The version kubectl picks when none is named (the stored one unless a higher version is served). */
  preferred(kind: ResolvedKind): ResolvedKind {
    return this.versionsOf(kind)[0]!;
  }

  /** A kind by group and plural: in `version` when given (undefined when not served in it), else as stored. */
  byResource(group: string, plural: string, version?: string): ResolvedKind | undefined {
    if (version === undefined) return this.byGroupResource.get(`${group}/${plural}`);
    return this.versionsByResource.get(`${group}/${plural}`)?.find((v) => v.version === version);
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
    return k && this.versionsOf(k).find((v) => v.version === version);
  }

  /**
   * Resolves what a user types — `pods`, `pod`, `po`, `Pod`, `deployments.apps`, `deploy.v1.apps` — the
   * way kubectl's RESTMapper does: in the version named, else in the preferred one. Undefined when
   * nothing matches.
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
    const inVersion = (v: ResolvedKind): boolean =>
      `${v.version}.${v.group}` === rest || (rest === v.version && v.group === '');
    // Core and well-known groups win ties, as kubectl prefers them.
    for (const k of this.kinds) {
      if (!matches(k) || (flavor && !servedIn(k, flavor))) continue;
      if (rest === undefined || k.group === rest) return this.preferred(k);
      // kubectl expands a short name to the group's resource and drops the version (`deploy.v2.apps`)
      const shortName = k.plural !== head && k.singular !== head && k.kind.toLowerCase() !== head;
      if (
        shortName &&
        k.group &&
        /^[^.]+$/.test(rest.slice(0, -k.group.length - 1)) &&
        rest.endsWith(`.${k.group}`)
      )
        return this.preferred(k);
      const v = this.versionsOf(k).find(inVersion);
      if (v) return v;
    }
    return undefined;
  }
}
