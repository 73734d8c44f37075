// A kind served in two versions, as a CRD with a conversion webhook: stored as v2, served as v1 as
// well. Every request answers in the version its path names; discovery and OpenAPI list both.
import { afterEach, describe, expect, it } from 'vitest';
import { compareVersions } from '../../../main/api/conversion';
import type { KindDefinition } from '../../../main/api/registry';
import { int, obj } from '../../../main/api/schema';
import type { Table } from '../../../main/api/table';
import { systemUser, type KubeObject, type Status, type WatchEvent } from '../../../main/api/types';
import {
  aggregatedDiscovery,
  apiGroup,
  groupList,
  resourceList,
} from '../../../main/host/endpoint/discovery';
import { openapiV2, openapiV3, openapiV3Index } from '../../../main/host/endpoint/openapi';
import type { Lab } from '../../../main/sim/lab';
import { inApp } from '../../helpers/kubectl';
import { newLab } from '../../helpers/lab';
import { DEPTH_ANNOTATION, WIDGET_GROUP, widgetKind, widgetV1 } from '../../helpers/widget';

let lab: Lab;
afterEach(() => lab?.close());

const V1 = `/apis/${WIDGET_GROUP}/v1/namespaces/default/widgets`;
const V2 = `/apis/${WIDGET_GROUP}/v2/namespaces/default/widgets`;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const req = (method: string, path: string, body?: unknown, extra: Record<string, unknown> = {}) =>
  lab.api.handle({ method, path, body, user: systemUser, cluster: 'supervisor', ...extra });
const merge = (path: string, body: unknown, query?: Record<string, string>) =>
  req('PATCH', path, body, { contentType: 'application/merge-patch+json', query });
const widgetLab = (): Lab => newLab({ kinds: (r) => r.register(widgetKind) });
const spec = (o: unknown) => (o as KubeObject).spec as Record<string, unknown>;
const meta = (o: unknown) => (o as KubeObject).metadata;

describe('a kind served in two versions', () => {
  it('creates in v1 and reads the object in v2 and in v1', () => {
    lab = widgetLab();
    const created = req('POST', V1, widgetV1('a', 3));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      apiVersion: `${WIDGET_GROUP}/v1`,
      kind: 'Widget',
      metadata: { name: 'a', namespace: 'default', generation: 1 },
      spec: { color: 'red', size: 3 },
    });
    const v2 = req('GET', `${V2}/a`);
    expect(v2.body).toMatchObject({ apiVersion: `${WIDGET_GROUP}/v2` });
    expect(spec(v2.body)).toEqual({ color: 'red', dimensions: { size: 3 } });
    const v1 = req('GET', `${V1}/a`);
    expect(v1.body).toEqual(created.body);
    expect(meta(v2.body).resourceVersion).toBe(meta(v1.body).resourceVersion);
    expect(meta(v2.body).uid).toBe(meta(v1.body).uid);
  });

  it('keeps what v1 cannot hold through a read and write in v1 (an annotation carries it)', () => {
    lab = widgetLab();
    const body = {
      apiVersion: `${WIDGET_GROUP}/v2`,
      kind: 'Widget',
      metadata: { name: 'b' },
      spec: { dimensions: { size: 2, depth: 7 } },
    };
    expect(req('POST', V2, body).status).toBe(201);
    const v1 = req('GET', `${V1}/b`).body as KubeObject;
    expect(v1.metadata.annotations).toEqual({ [DEPTH_ANNOTATION]: '7' });
    expect(v1.spec).toEqual({ size: 2 });
    const put = req('PUT', `${V1}/b`, { ...v1, spec: { size: 4 } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ apiVersion: `${WIDGET_GROUP}/v1`, spec: { size: 4 } });
    const stored = req('GET', `${V2}/b`).body as KubeObject;
    expect(stored.spec).toEqual({ dimensions: { size: 4, depth: 7 } });
    expect(stored.metadata.annotations).toBeUndefined();
    expect(stored.metadata.generation).toBe(2);
  });

  it('answers 404 for a version the kind is not served in', () => {
    lab = widgetLab();
    expect(req('GET', `/apis/${WIDGET_GROUP}/v3/namespaces/default/widgets`).status).toBe(404);
    expect(req('POST', `/apis/${WIDGET_GROUP}/v3/namespaces/default/widgets`, widgetV1('x', 1)).status).toBe(
      404,
    );
  });

  it('lists in the version asked for, with selectors and paging over the stored objects', () => {
    lab = widgetLab();
    for (const [n, size] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      req('POST', V1, { ...widgetV1(n, size), metadata: { name: n, labels: { odd: String(size % 2) } } });
    const v1 = req('GET', V1, undefined, { query: { labelSelector: 'odd=1', limit: '1' } }).body as {
      apiVersion: string;
      kind: string;
      items: KubeObject[];
      metadata: { continue?: string };
    };
    expect(v1.apiVersion).toBe(`${WIDGET_GROUP}/v1`);
    expect(v1.kind).toBe('WidgetList');
    expect(v1.items.map((i) => [i.apiVersion, i.metadata.name, spec(i).size])).toEqual([
      [`${WIDGET_GROUP}/v1`, 'a', 1],
    ]);
    const next = req('GET', V1, undefined, {
      query: { labelSelector: 'odd=1', limit: '1', continue: v1.metadata.continue! },
    }).body as { items: KubeObject[] };
    expect(next.items.map((i) => spec(i).size)).toEqual([3]);
    const v2 = req('GET', `/apis/${WIDGET_GROUP}/v2/widgets`).body as {
      apiVersion: string;
      items: KubeObject[];
    };
    expect(v2.apiVersion).toBe(`${WIDGET_GROUP}/v2`);
    expect(v2.items.map((i) => spec(i).dimensions)).toEqual([{ size: 1 }, { size: 2 }, { size: 3 }]);
  });

  it('watches in v1: initial events, later changes made in v2, deletions and bookmarks all come as v1', () => {
    lab = widgetLab();
    req('POST', V1, widgetV1('a', 1));
    const events: WatchEvent[] = [];
    const started = lab.api.watch(
      lab.api.toResourceRequest({
        method: 'GET',
        path: V1,
        query: { watch: 'true', resourceVersion: '0', allowWatchBookmarks: 'true' },
        user: systemUser,
        cluster: 'supervisor',
      }),
      (e) => events.push(e),
    );
    expect('watch' in started).toBe(true);
    merge(`${V2}/a`, { spec: { dimensions: { size: 9 } } });
    req('DELETE', `${V2}/a`);
    lab.api.flush();
    lab.api.hub.bookmark();
    const seen = events.map((e) => [
      e.type,
      (e.object as KubeObject).apiVersion,
      ((e.object as KubeObject).spec as { size?: number } | undefined)?.size,
    ]);
    expect(seen).toEqual([
      ['ADDED', `${WIDGET_GROUP}/v1`, 1],
      ['MODIFIED', `${WIDGET_GROUP}/v1`, 9],
      ['DELETED', `${WIDGET_GROUP}/v1`, 9],
      ['BOOKMARK', `${WIDGET_GROUP}/v1`, undefined],
    ]);
    if ('watch' in started) started.watch.dispose();
  });

  it('patches the object as v1 shows it (merge, strategic, JSON) and stores the result as v2', () => {
    lab = widgetLab();
    req('POST', V1, widgetV1('a', 1));
    const m = merge(`${V1}/a`, { spec: { size: 5 } });
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ apiVersion: `${WIDGET_GROUP}/v1`, spec: { size: 5 } });
    const s = req(
      'PATCH',
      `${V1}/a`,
      { spec: { color: 'blue' } },
      {
        contentType: 'application/strategic-merge-patch+json',
      },
    );
    expect(s.body).toMatchObject({ spec: { color: 'blue', size: 5 } });
    const j = req('PATCH', `${V1}/a`, [{ op: 'replace', path: '/spec/size', value: 6 }], {
      contentType: 'application/json-patch+json',
    });
    expect(j.status).toBe(200);
    expect(spec(req('GET', `${V2}/a`).body)).toEqual({ color: 'blue', dimensions: { size: 6 } });
    // a v2 path does not exist in the v1 object the patch applies to
    const wrong = req('PATCH', `${V1}/a`, [{ op: 'replace', path: '/spec/dimensions/size', value: 1 }], {
      contentType: 'application/json-patch+json',
    });
    expect(wrong.status).toBe(422);
    expect(meta(req('GET', `${V2}/a`).body).generation).toBe(4);
  });

  it('writes nothing for a patch in v1 that changes nothing', () => {
    lab = widgetLab();
    req('POST', V2, {
      apiVersion: `${WIDGET_GROUP}/v2`,
      kind: 'Widget',
      metadata: { name: 'a' },
      spec: { dimensions: { depth: 2, size: 1 }, color: 'red' },
    });
    const before = meta(req('GET', `${V2}/a`).body);
    const same = merge(`${V1}/a`, { spec: { size: 1 } });
    expect(same.status).toBe(200);
    expect(meta(same.body).resourceVersion).toBe(before.resourceVersion);
    expect(meta(req('GET', `${V2}/a`).body)).toEqual(before);
  });

  it('prints Tables with the columns of the version asked for', () => {
    lab = widgetLab();
    req('POST', V1, widgetV1('a', 3));
    const v1 = req('GET', V1, undefined, { accept: TABLE }).body as Table;
    expect(v1.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Size', 'Phase', 'Age']);
    expect(v1.rows[0]!.cells.slice(0, 3)).toEqual(['a', 3, null]);
    const v2 = req('GET', `${V2}/a`, undefined, { accept: TABLE }).body as Table;
    expect(v2.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Size', 'Depth', 'Age']);
    expect(v2.rows[0]!.cells.slice(0, 3)).toEqual(['a', 3, null]);
    const full = req('GET', V1, undefined, { accept: TABLE, query: { includeObject: 'Object' } })
      .body as Table;
    expect((full.rows[0]!.object as KubeObject).apiVersion).toBe(`${WIDGET_GROUP}/v1`);
  });

  it('refuses an unknown v1 field under Strict with its v1 path, and warns under Warn', () => {
    lab = widgetLab();
    const body = widgetV1('a', 3, { dimensions: { size: 3 } });
    const strict = req('POST', V1, body, { query: { fieldValidation: 'Strict' } });
    expect(strict.status).toBe(400);
    expect((strict.body as Status).message).toBe(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.dimensions"',
    );
    expect(req('GET', `${V1}/a`).status).toBe(404);
    const warned = req('POST', V1, body, { query: { fieldValidation: 'Warn' } });
    expect(warned.status).toBe(201);
    expect(warned.warnings).toEqual(['unknown field "spec.dimensions"']);
    expect(spec(warned.body)).toEqual({ color: 'red', size: 3 });
    // the same field is known in v2
    const v2 = req(
      'PUT',
      `${V2}/a`,
      { ...(req('GET', `${V2}/a`).body as object), spec: { dimensions: { size: 4 } } },
      {
        query: { fieldValidation: 'Strict' },
      },
    );
    expect(v2.status).toBe(200);
  });

  it('validates a v1 body against the v1 schema, naming v1 fields, and writes nothing', () => {
    lab = widgetLab();
    const bad = req('POST', V1, widgetV1('a', -1));
    expect(bad.status).toBe(422);
    expect((bad.body as Status).details?.causes?.map((c) => c.field)).toEqual(['spec.size']);
    expect((bad.body as Status).message).toContain('Widget.widgets.lab.test "a" is invalid: spec.size:');
    expect(req('GET', V2).body).toMatchObject({ items: [] });
    expect(req('POST', V1, 'not an object').status).toBe(400);
    expect(req('POST', V1, { ...widgetV1('a', 1), apiVersion: `${WIDGET_GROUP}/v2` }).body).toMatchObject({
      code: 400,
      message: `the API version in the data (${WIDGET_GROUP}/v2) does not match the expected API version (${WIDGET_GROUP}/v1)`,
    });
    req('POST', V1, widgetV1('a', 1));
    const rv = meta(req('GET', `${V2}/a`).body).resourceVersion;
    expect(merge(`${V1}/a`, { spec: { size: 'big' } }).status).toBe(422);
    expect(meta(req('GET', `${V2}/a`).body).resourceVersion).toBe(rv);
  });

  it('answers dry runs, status, deletes and server-side apply in the version asked for', () => {
    lab = widgetLab();
    const dry = req('POST', V1, widgetV1('a', 1), { query: { dryRun: 'All' } });
    expect(dry.status).toBe(201);
    expect(dry.body).toMatchObject({ apiVersion: `${WIDGET_GROUP}/v1`, spec: { size: 1 } });
    expect(req('GET', `${V2}/a`).status).toBe(404);
    const applied = req('PATCH', `${V1}/a`, widgetV1('a', 2), {
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: 'kubectl' },
    });
    expect(applied.status).toBeLessThan(300);
    expect(applied.body).toMatchObject({ apiVersion: `${WIDGET_GROUP}/v1`, spec: { size: 2 } });
    // status from a create is dropped (status subresource); the status subresource writes it
    const current = req('GET', `${V1}/a`).body as KubeObject;
    const st = req('PUT', `${V1}/a/status`, { ...current, status: { phase: 'Rolling' } });
    expect(st.status).toBe(200);
    expect(st.body).toMatchObject({ apiVersion: `${WIDGET_GROUP}/v1`, status: { phase: 'Rolling' } });
    expect((req('GET', `${V2}/a`).body as KubeObject).status).toEqual({ phase: 'Rolling' });
    const sp = req(
      'PATCH',
      `${V1}/a/status`,
      { status: { phase: 'Done' } },
      {
        contentType: 'application/merge-patch+json',
      },
    );
    expect(sp.body).toMatchObject({ status: { phase: 'Done' }, spec: { size: 2 } });
    const del = req('DELETE', `${V1}/a`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ apiVersion: `${WIDGET_GROUP}/v1`, spec: { size: 2 } });
    req('POST', V2, { apiVersion: `${WIDGET_GROUP}/v2`, kind: 'Widget', metadata: { name: 'b' } });
    const all = req('DELETE', V1);
    expect(all.body).toMatchObject({ apiVersion: `${WIDGET_GROUP}/v1`, kind: 'WidgetList' });
    expect((all.body as { items: KubeObject[] }).items.map((i) => i.apiVersion)).toEqual([
      `${WIDGET_GROUP}/v1`,
    ]);
  });

  it('turns a converter that throws into a 500 Status and writes nothing', () => {
    const broken: KindDefinition = {
      ...widgetKind,
      kind: 'Gadget',
      plural: 'gadgets',
      singular: 'gadget',
      shortNames: [],
      alsoServed: [
        {
          version: 'v1',
          schema: obj({ spec: obj({ size: int() }) }),
          toStored: () => {
            throw new Error('no way');
          },
          fromStored: () => null as unknown as KubeObject,
        },
      ],
    };
    lab = newLab({ kinds: (r) => r.register(broken) });
    const path = `/apis/${WIDGET_GROUP}/v1/namespaces/default/gadgets`;
    const res = req('POST', path, { metadata: { name: 'a' }, spec: { size: 1 } });
    expect(res.status).toBe(500);
    expect((res.body as Status).message).toBe(
      `conversion webhook for ${WIDGET_GROUP}/v2, Kind=Gadget failed: converting to ${WIDGET_GROUP}/v2: no way`,
    );
    expect(req('GET', `/apis/${WIDGET_GROUP}/v2/namespaces/default/gadgets`).body).toMatchObject({
      items: [],
    });
    req('POST', `/apis/${WIDGET_GROUP}/v2/namespaces/default/gadgets`, { metadata: { name: 'b' } });
    expect(req('GET', `${path}/b`).status).toBe(500);
  });
});

describe('discovery, OpenAPI and names of a kind in two versions', () => {
  it('lists both versions, the preferred one (v2) first', () => {
    lab = widgetLab();
    const group = apiGroup(lab.registry, 'supervisor', WIDGET_GROUP);
    expect(group).toMatchObject({
      name: WIDGET_GROUP,
      versions: [
        { groupVersion: `${WIDGET_GROUP}/v2`, version: 'v2' },
        { groupVersion: `${WIDGET_GROUP}/v1`, version: 'v1' },
      ],
      preferredVersion: { groupVersion: `${WIDGET_GROUP}/v2`, version: 'v2' },
    });
    expect(groupList(lab.registry, 'supervisor').groups.find((g) => g.name === WIDGET_GROUP)).toEqual({
      name: group!.name,
      versions: group!.versions,
      preferredVersion: group!.preferredVersion,
    });
    expect(
      resourceList(lab.registry, 'supervisor', WIDGET_GROUP, 'v1')?.resources.map((r) => r.name),
    ).toEqual(['widgets', 'widgets/status']);
    expect(resourceList(lab.registry, 'supervisor', WIDGET_GROUP, 'v3')).toBeUndefined();
    const agg = aggregatedDiscovery(lab.registry, 'supervisor', false, 'v2').body.items.find(
      (i) => i.metadata.name === WIDGET_GROUP,
    )!;
    expect(agg.versions.map((v) => [v.version, v.resources[0]!.responseKind.version])).toEqual([
      ['v2', 'v2'],
      ['v1', 'v1'],
    ]);
  });

  it('publishes each version schema in OpenAPI v3 and v2', () => {
    lab = widgetLab();
    expect(Object.keys(openapiV3Index(lab.registry, 'supervisor') as { paths: object }).length).toBe(1);
    const paths = (openapiV3Index(lab.registry, 'supervisor') as { paths: Record<string, unknown> }).paths;
    expect(paths[`apis/${WIDGET_GROUP}/v1`]).toBeDefined();
    expect(paths[`apis/${WIDGET_GROUP}/v2`]).toBeDefined();
    const v1 = openapiV3(lab.registry, 'supervisor', WIDGET_GROUP, 'v1') as {
      components: { schemas: Record<string, { properties: { spec: { properties: object } } }> };
    };
    expect(Object.keys(v1.components.schemas)).toEqual(['test.lab.widgets.v1.Widget']);
    expect(
      Object.keys(v1.components.schemas['test.lab.widgets.v1.Widget']!.properties.spec.properties),
    ).toEqual(['color', 'size']);
    const v2 = openapiV2(lab.registry, 'supervisor') as { definitions: Record<string, unknown> };
    expect(Object.keys(v2.definitions).filter((d) => d.includes('Widget'))).toEqual([
      'test.lab.widgets.v2.Widget',
      'test.lab.widgets.v1.Widget',
    ]);
  });

  it('resolves names as kubectl does: the version named, else the preferred one', () => {
    lab = widgetLab();
    const v = (name: string) => lab.registry.resolve(name, 'supervisor')?.apiVersion;
    expect(v('widgets')).toBe(`${WIDGET_GROUP}/v2`);
    expect(v('widgets.widgets.lab.test')).toBe(`${WIDGET_GROUP}/v2`);
    expect(v('widgets.v1.widgets.lab.test')).toBe(`${WIDGET_GROUP}/v1`);
    expect(v('Widget.v1.widgets.lab.test')).toBe(`${WIDGET_GROUP}/v1`);
    // kubectl drops the version when it expands a short name
    expect(v('wdg.v1.widgets.lab.test')).toBe(`${WIDGET_GROUP}/v2`);
    expect(v('widgets.v3.widgets.lab.test')).toBeUndefined();
    expect(lab.registry.byApiVersionKind(`${WIDGET_GROUP}/v1`, 'Widget')?.version).toBe('v1');
    expect(lab.registry.byApiVersionKind(`${WIDGET_GROUP}/v3`, 'Widget')).toBeUndefined();
    // everything else keeps seeing the kind once, as stored
    expect(
      lab.registry
        .all()
        .filter((k) => k.kind === 'Widget')
        .map((k) => k.version),
    ).toEqual(['v2']);
    expect(lab.registry.byKind(WIDGET_GROUP, 'Widget')?.version).toBe('v2');
  });

  it('orders versions as Kubernetes does', () => {
    const order = [
      'v1alpha1',
      'foo1',
      'v2',
      'v1beta1',
      'v10',
      'v11alpha2',
      'v12alpha1',
      'v1',
      'v3beta1',
      'v10beta3',
      'foo10',
      'v11beta2',
    ];
    expect([...order].sort(compareVersions)).toEqual([
      'v10',
      'v2',
      'v1',
      'v11beta2',
      'v10beta3',
      'v3beta1',
      'v1beta1',
      'v12alpha1',
      'v11alpha2',
      'v1alpha1',
      'foo1',
      'foo10',
    ]);
  });
});

describe('the lab shell with a kind in two versions', () => {
  it('applies a v1 manifest to v1, lists both versions, and refuses a v1 typo as the server does', async () => {
    lab = widgetLab();
    const manifest = (field: string) =>
      `apiVersion: ${WIDGET_GROUP}/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  ${field}: 3\n`;
    const applied = await inApp(lab, `cat > w.yaml <<EOF\n${manifest('size')}EOF\nkubectl apply -f w.yaml`);
    expect(applied).toEqual({ code: 0, stdout: `widget.${WIDGET_GROUP}/a created\n`, stderr: '' });
    const typo = await inApp(lab, `cat > w.yaml <<EOF\n${manifest('sise')}EOF\nkubectl apply -f w.yaml`);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.sise"',
    );
    const last = meta(req('GET', `${V2}/a`).body).annotations?.[
      'kubectl.kubernetes.io/last-applied-configuration'
    ];
    expect(JSON.parse(last!)).toMatchObject({ apiVersion: `${WIDGET_GROUP}/v1`, spec: { size: 3 } });
    expect((await inApp(lab, 'kubectl api-versions | grep widgets')).stdout).toBe(
      `${WIDGET_GROUP}/v1\n${WIDGET_GROUP}/v2\n`,
    );
    expect((await inApp(lab, 'kubectl get widgets.v1.widgets.lab.test')).stdout).toBe(
      'NAME   SIZE   PHASE   AGE\na      3              0s\n',
    );
    expect((await inApp(lab, 'kubectl get wdg a -o jsonpath={.spec}')).stdout).toBe(
      '{"dimensions":{"size":3}}',
    );
    const explained = await inApp(lab, `kubectl explain widget.spec --api-version=${WIDGET_GROUP}/v1`);
    expect(explained.stdout).toContain('VERSION:    v1\n');
    expect(explained.stdout).toContain('  size\t<integer>\n');
  });
});
