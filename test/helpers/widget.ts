// A test-only kind served in two versions, as a CRD with a conversion webhook: Widget in
// widgets.lab.test, stored as v2 (spec.dimensions.size, spec.dimensions.depth) and served as v1 too
// (spec.size; a v2 depth rides along in an annotation, so v2 → v1 → v2 loses nothing).
import type { KindDefinition } from '../../main/api/registry';
import { int, obj, str } from '../../main/api/schema';
import type { KubeObject } from '../../main/api/types';
import { ageColumn } from '../../main/api/printers/columns';

export const WIDGET_GROUP = 'widgets.lab.test';
export const DEPTH_ANNOTATION = 'widgets.lab.test/depth';

type Spec = Record<string, unknown>;
const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const status = obj({ phase: str('What the widget is doing.') });

/** v1 → v2: size moves under dimensions; a depth kept in the annotation comes back. */
function toV2(o: KubeObject): KubeObject {
  const { size, ...spec } = record(o.spec) as Spec;
  const annotations = { ...(o.metadata.annotations ?? {}) };
  const depth = annotations[DEPTH_ANNOTATION];
  delete annotations[DEPTH_ANNOTATION];
  const dimensions: Spec = {};
  if (size !== undefined) dimensions.size = size;
  if (depth !== undefined && /^\d+$/.test(depth)) dimensions.depth = Number(depth);
  return {
    ...o,
    apiVersion: `${WIDGET_GROUP}/v2`,
    metadata: {
      ...o.metadata,
      ...(Object.keys(annotations).length ? { annotations } : { annotations: undefined }),
    },
    ...(o.spec === undefined ? {} : { spec: { ...spec, dimensions } }),
  };
}

/** v2 → v1: dimensions.size becomes size; depth, which v1 cannot hold, goes into an annotation. */
function toV1(o: KubeObject): KubeObject {
  const { dimensions, ...spec } = record(o.spec) as Spec;
  const d = record(dimensions);
  const annotations = { ...(o.metadata.annotations ?? {}) };
  if (d.depth !== undefined) annotations[DEPTH_ANNOTATION] = String(d.depth);
  return {
    ...o,
    apiVersion: `${WIDGET_GROUP}/v1`,
    metadata: { ...o.metadata, ...(Object.keys(annotations).length ? { annotations } : {}) },
    ...(o.spec === undefined ? {} : { spec: { ...spec, ...(d.size !== undefined ? { size: d.size } : {}) } }),
  };
}

export const widgetKind: KindDefinition = {
  group: WIDGET_GROUP,
  version: 'v2',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  shortNames: ['wdg'],
  namespaced: true,
  statusSubresource: true,
  description: 'A Widget, stored as v2.',
  schema: obj({
    spec: obj({
      color: str('The colour of the widget.'),
      dimensions: obj({ size: int('Size in cm.', { minimum: 0 }), depth: int('Depth in cm.') }),
    }),
    status,
  }),
  columns: [
    { name: 'Size', type: 'integer', jsonPath: '.spec.dimensions.size' },
    { name: 'Depth', type: 'integer', jsonPath: '.spec.dimensions.depth' },
    ageColumn('date'),
  ],
  alsoServed: [
    {
      version: 'v1',
      description: 'A Widget as v1 has it.',
      schema: obj({
        spec: obj({ color: str('The colour of the widget.'), size: int('Size in cm.', { minimum: 0 }) }),
        status,
      }),
      columns: [
        { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
        { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
        ageColumn('date'),
      ],
      toStored: toV2,
      fromStored: toV1,
    },
  ],
};

export const widgetV1 = (name: string, size: number, extra: Spec = {}): KubeObject => ({
  apiVersion: `${WIDGET_GROUP}/v1`,
  kind: 'Widget',
  metadata: { name, namespace: 'default' },
  spec: { color: 'red', size, ...extra },
});
