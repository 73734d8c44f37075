// kubectl's describers for the kinds the lab serves, each making the requests the real one makes
// (the object, then what it shows beside it: events, pods, replica sets, quotas, a node's lease) and
// writing the same text. Kinds without a describer of their own get the generic one.
import type { Status } from '../../../../api/types';
import { tabbedString, type PrefixWriter } from '../../../printers/tabwriter';
import {
  APPS,
  CORE,
  type DescribeClient,
  describeEvents,
  eventsOrNone,
  type Got,
  type Resource,
  searchEvents,
} from './client';
import {
  annotationsMultiline,
  arr,
  bool,
  byString,
  formatLabelSelector,
  goValue,
  isObj,
  labelsMultiline,
  num,
  obj,
  objs,
  type Obj,
  rfc1123z,
  selectorString,
  since,
  smartLabel,
  sortedKeys,
  stableSort,
  str,
  strMap,
  taintsMultiline,
} from './format';
import { controllerOf, describePodBody, describePodTemplate, intOrString, podTotals } from './pod';
import { describeBinding, describeRole } from './rbac';
import { describePersistentVolume, describePersistentVolumeClaim } from './storage';
import {
  addQuantity,
  milliValue,
  quantityString,
  quantityValue,
  resourceList,
  ZERO,
  type Quantity,
} from '../../../../api/quantity';

/** A describer's answer: the text, or the error kubectl reports instead. */
export type Described = { text: string } | { error: Status };

export type Describer = (c: DescribeClient, namespace: string, name: string) => Described;

const fail = (error: Status): Described => ({ error });

/** Gets the object a describer is about. */
function fetch(c: DescribeClient, r: Resource, namespace: string, name: string): Got<Obj> {
  const got = c.get(r, namespace, name);
  return 'error' in got ? got : { value: got.value as unknown as Obj };
}

const meta = (o: Obj) => obj(o.metadata);
const labelsOf = (o: Obj) => strMap(meta(o).labels);
const annotationsOf = (o: Obj) => strMap(meta(o).annotations);

/** Name, Namespace, Labels and Annotations, as most describers begin. */
function header(w: PrefixWriter, o: Obj): void {
  w.write(0, `Name:\t${str(meta(o).name)}\n`);
  w.write(0, `Namespace:\t${str(meta(o).namespace)}\n`);
  labelsMultiline(w, 'Labels', labelsOf(o));
  annotationsMultiline(w, 'Annotations', annotationsOf(o));
}

/** The events about o when events are shown, undefined when they are not. */
function eventsAbout(c: DescribeClient, o: Obj, kind: string): Obj[] | undefined {
  if (!c.showEvents) return undefined;
  const m = meta(o);
  return eventsOrNone(
    searchEvents(c, { namespace: str(m.namespace), name: str(m.name), kind, uid: str(m.uid) }),
  );
}

const pod: Describer = (c, namespace, name) => {
  const got = fetch(c, CORE('pods'), namespace, name);
  if ('error' in got) {
    // a pod that is gone may still have events: kubectl shows them with the error
    if (c.showEvents) {
      const events = searchEvents(c, { namespace, name });
      if (!('error' in events) && events.value.length)
        return {
          text: tabbedString((w) => {
            w.write(0, `Pod '${name}': error '${got.error.message ?? ''}', but found events.\n`);
            describeEvents(events.value, w, c.now);
          }),
        };
    }
    return fail(got.error);
  }
  const p = got.value;
  let events: Obj[] | undefined;
  if (c.showEvents) {
    const m = meta(p);
    // no kind in this search; a mirror pod's events are about the pod it mirrors
    const mirror = strMap(m.annotations)['kubernetes.io/config.mirror'];
    events = eventsOrNone(
      searchEvents(c, { namespace: str(m.namespace), name: str(m.name), uid: mirror ?? str(m.uid) }),
    );
  }
  return {
    text: tabbedString((w) => {
      describePodBody(p, w, c.now);
      if (events) describeEvents(events, w, c.now);
    }),
  };
};

/** The quota and limit-range sections of a namespace: undefined when the lab serves no such kind. */
function listIfServed(c: DescribeClient, r: Resource, namespace: string): Got<Obj[] | undefined> {
  const got = c.list(r, namespace);
  if ('error' in got) return got.error.code === 404 ? { value: undefined } : got;
  return { value: got.value as unknown as Obj[] };
}

function describeQuotas(quotas: Obj[], w: PrefixWriter): void {
  if (!quotas.length) {
    w.write(0, 'No resource quota.\n');
    return;
  }
  w.write(0, 'Resource Quotas\n');
  for (const q of stableSort(quotas, (a, b) => byString(str(meta(a).name), str(meta(b).name)))) {
    w.write(1, `Name:\t${str(meta(q).name)}\n`);
    const scopes = arr(obj(q.spec).scopes).map(String).sort(byString);
    if (scopes.length) {
      w.write(1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) {
        const help = QUOTA_SCOPES[s];
        if (help) w.write(1, `* ${help}\n`);
      }
    }
    w.write(1, 'Resource\tUsed\tHard\n');
    w.write(1, '--------\t---\t---\n');
    const hard = resourceList(obj(q.status).hard);
    const used = resourceList(obj(q.status).used);
    for (const r of [...hard.keys()].sort(byString))
      w.write(1, `${r}\t${quantityString(used.get(r) ?? ZERO)}\t${quantityString(hard.get(r)!)}\n`);
  }
}

const QUOTA_SCOPES: Record<string, string> = {
  Terminating:
    'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating:
    'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort:
    'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort:
    'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** One row per resource of each limit (describeLimitRangeSpec). */
function limitRangeRows(range: Obj, prefix: string, w: PrefixWriter): void {
  for (const item of objs(obj(range.spec).limits)) {
    const lists = ['min', 'max', 'defaultRequest', 'default', 'maxLimitRequestRatio'].map((k) =>
      resourceList(item[k]),
    );
    // kubectl walks a Go map here, in no set order: sorted is the deterministic choice
    const names = [...new Set(lists.flatMap((l) => [...l.keys()]))].sort(byString);
    for (const n of names) {
      const cells = lists.map((l) => (l.has(n) ? quantityString(l.get(n)!) : '-'));
      w.write(0, `${prefix}${str(item.type)}\t${n}\t${cells.join('\t')}\n`);
    }
  }
}

const LIMIT_HEADER = 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n';
const LIMIT_RULE = '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n';

function describeLimitRanges(ranges: Obj[], w: PrefixWriter): void {
  if (!ranges.length) {
    w.write(0, 'No LimitRange resource.\n');
    return;
  }
  w.write(0, `Resource Limits\n ${LIMIT_HEADER}`);
  w.write(0, ` ${LIMIT_RULE}`);
  for (const range of ranges) limitRangeRows(range, ' ', w);
}

const limitRange: Describer = (c, namespace, name) => {
  const got = fetch(c, CORE('limitranges'), namespace, name);
  if ('error' in got) return fail(got.error);
  return {
    text: tabbedString((w) => {
      w.write(0, `Name:\t${str(meta(got.value).name)}\n`);
      w.write(0, `Namespace:\t${str(meta(got.value).namespace)}\n`);
      w.write(0, LIMIT_HEADER);
      w.write(0, LIMIT_RULE);
      limitRangeRows(got.value, '', w);
    }),
  };
};

const resourceQuota: Describer = (c, namespace, name) => {
  const got = fetch(c, CORE('resourcequotas'), namespace, name);
  if ('error' in got) return fail(got.error);
  const q = got.value;
  return {
    text: tabbedString((w) => {
      w.write(0, `Name:\t${str(meta(q).name)}\n`);
      w.write(0, `Namespace:\t${str(meta(q).namespace)}\n`);
      const scopes = arr(obj(q.spec).scopes).map(String).sort(byString);
      if (scopes.length) {
        w.write(0, `Scopes:\t${scopes.join(', ')}\n`);
        for (const s of scopes) if (QUOTA_SCOPES[s]) w.write(0, ` * ${QUOTA_SCOPES[s]}\n`);
      }
      w.write(0, 'Resource\tUsed\tHard\n');
      w.write(0, '--------\t----\t----\n');
      const hard = resourceList(obj(q.status).hard);
      const used = resourceList(obj(q.status).used);
      for (const r of [...hard.keys()].sort(byString)) {
        const h = hard.get(r)!;
        let u = used.get(r);
        // a used amount in another format is shown, in whole units, in the hard limit's
        if (!u || u.format !== h.format)
          u = { value: BigInt(u ? quantityValue(u) : 0), scale: 0, format: h.format };
        w.write(0, `${r}\t${quantityString(u)}\t${quantityString(h)}\n`);
      }
    }),
  };
};

/** labels.FormatLabels: `k=v` sorted and joined, `<none>` for none. */
const formatLabels = (m: Record<string, string>): string =>
  sortedKeys(m)
    .map((k) => `${k}=${m[k]}`)
    .join(',') || '<none>';

const storageClass: Describer = (c, _ns, name) => {
  const got = fetch(c, { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' }, '', name);
  if ('error' in got) return fail(got.error);
  const sc = got.value;
  const events = eventsAbout(c, sc, 'StorageClass');
  return {
    text: tabbedString((w) => {
      const a = annotationsOf(sc);
      const isDefault =
        a['storageclass.kubernetes.io/is-default-class'] === 'true' ||
        a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
      w.write(0, `Name:\t${str(meta(sc).name)}\n`);
      w.write(0, `IsDefaultClass:\t${isDefault ? 'Yes' : 'No'}\n`);
      w.write(0, `Annotations:\t${formatLabels(a)}\n`);
      w.write(0, `Provisioner:\t${str(sc.provisioner)}\n`);
      w.write(0, `Parameters:\t${formatLabels(strMap(sc.parameters))}\n`);
      const expansion = sc.allowVolumeExpansion;
      w.write(
        0,
        `AllowVolumeExpansion:\t${typeof expansion === 'boolean' ? (expansion ? 'True' : 'False') : '<unset>'}\n`,
      );
      const options = arr(sc.mountOptions).map(String);
      if (!options.length) w.write(0, 'MountOptions:\t<none>\n');
      else {
        w.write(0, 'MountOptions:\n');
        for (const o of options) w.write(1, `${o}\n`);
      }
      if (typeof sc.reclaimPolicy === 'string') w.write(0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
      if (typeof sc.volumeBindingMode === 'string')
        w.write(0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
      if (Array.isArray(sc.allowedTopologies)) {
        w.write(0, 'AllowedTopologies:\t');
        const terms = objs(sc.allowedTopologies);
        if (!terms.length) w.writeLine('<none>');
        else w.writeLine('');
        terms.forEach((term, i) => {
          w.write(1, `Term ${i}:\t`);
          const reqs = objs(term.matchLabelExpressions);
          if (!reqs.length) w.writeLine('<none>');
          reqs.forEach((r, j) => {
            if (j) w.write(1, '\t');
            const values = arr(r.values).map(String);
            w.write(0, `${str(r.key)} in${values.length ? ` [${values.join(', ')}]` : ''}\n`);
          });
        });
      }
      if (events) describeEvents(events, w, c.now);
    }),
  };
};

const namespace: Describer = (c, _ns, name) => {
  const got = fetch(c, CORE('namespaces'), '', name);
  if ('error' in got) return fail(got.error);
  const ns = got.value;
  const quotas = listIfServed(c, CORE('resourcequotas'), name);
  if ('error' in quotas) return fail(quotas.error);
  const ranges = listIfServed(c, CORE('limitranges'), name);
  if ('error' in ranges) return fail(ranges.error);
  return {
    text: tabbedString((w) => {
      w.write(0, `Name:\t${str(meta(ns).name)}\n`);
      labelsMultiline(w, 'Labels', labelsOf(ns));
      annotationsMultiline(w, 'Annotations', annotationsOf(ns));
      w.write(0, `Status:\t${str(obj(ns.status).phase)}\n`);
      const conditions = objs(obj(ns.status).conditions);
      if (conditions.length) {
        w.write(0, 'Conditions:\n');
        w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
        w.write(1, '----\t------\t------------------\t------\t-------\n');
        for (const x of conditions)
          w.write(
            1,
            `${str(x.type)}\t${str(x.status)}\t${rfc1123z(x.lastTransitionTime)}\t${str(x.reason)}\t${str(x.message)}\n`,
          );
      }
      if (quotas.value) {
        w.write(0, '\n');
        describeQuotas(quotas.value, w);
      }
      if (ranges.value) {
        w.write(0, '\n');
        describeLimitRanges(ranges.value, w);
      }
    }),
  };
};

/** The byte length of a base64 value, as decoded into a Go []byte. */
const decodedLength = (v: unknown): number => Buffer.from(str(v), 'base64').length;

const configMap: Describer = (c, namespace, name) => {
  const got = fetch(c, CORE('configmaps'), namespace, name);
  if ('error' in got) return fail(got.error);
  const cm = got.value;
  let events: Obj[] | undefined;
  if (c.showEvents) {
    // the one describer that fails when its events cannot be listed
    const found = searchEvents(c, {
      namespace: str(meta(cm).namespace),
      name: str(meta(cm).name),
      kind: 'ConfigMap',
      uid: str(meta(cm).uid),
    });
    if ('error' in found) return fail(found.error);
    events = found.value;
  }
  return {
    text: tabbedString((w) => {
      header(w, cm);
      w.write(0, '\nData\n====\n');
      // kubectl walks Go maps here, in an order that changes from run to run: sorted keys are the
      // deterministic choice (and the one kubectl happens to print when a map has a single key)
      const data = strMap(cm.data);
      for (const k of sortedKeys(data)) {
        w.write(0, `${k}:\n----\n`);
        w.write(0, `${data[k]}\n`);
        w.write(0, '\n');
      }
      w.write(0, '\nBinaryData\n====\n');
      const binary = strMap(cm.binaryData);
      for (const k of sortedKeys(binary)) w.write(0, `${k}: ${decodedLength(binary[k])} bytes\n`);
      w.write(0, '\n');
      if (events) describeEvents(events, w, c.now);
    }),
  };
};

const secret: Describer = (c, namespace, name) => {
  const got = fetch(c, CORE('secrets'), namespace, name);
  if ('error' in got) return fail(got.error);
  const s = got.value;
  return {
    text: tabbedString((w) => {
      header(w, s);
      w.write(0, `\nType:\t${str(s.type)}\n`);
      w.write(0, '\nData\n====\n');
      // kubectl iterates a Go map here, so its order is random from run to run; sorting the keys is
      // the honest deterministic choice
      const data = strMap(s.data);
      for (const k of sortedKeys(data)) {
        if (k === 'token' && s.type === 'kubernetes.io/service-account-token')
          w.write(0, `${k}:\t${Buffer.from(data[k]!, 'base64').toString()}\n`);
        else w.write(0, `${k}:\t${decodedLength(data[k])} bytes\n`);
      }
    }),
  };
};

const serviceAccount: Describer = (c, namespace, name) => {
  const got = fetch(c, CORE('serviceaccounts'), namespace, name);
  if ('error' in got) return fail(got.error);
  const sa = got.value;
  const tokens: string[] = [];
  const missing = new Set<string>();
  const secrets = c.list(CORE('secrets'), namespace);
  // secrets that cannot be listed are only not shown
  if (!('error' in secrets)) {
    const existing = new Set<string>();
    for (const s of secrets.value as unknown as Obj[]) {
      const a = annotationsOf(s);
      if (
        s.type === 'kubernetes.io/service-account-token' &&
        a['kubernetes.io/service-account.name'] === str(meta(sa).name) &&
        a['kubernetes.io/service-account.uid'] === str(meta(sa).uid)
      )
        tokens.push(str(meta(s).name));
      existing.add(str(meta(s).name));
    }
    for (const ref of [...objs(sa.secrets), ...objs(sa.imagePullSecrets)])
      if (!existing.has(str(ref.name))) missing.add(str(ref.name));
  }
  const events = eventsAbout(c, sa, 'ServiceAccount');
  return {
    text: tabbedString((w) => {
      header(w, sa);
      const sections: [string, string[]][] = [
        ['Image pull secrets:', objs(sa.imagePullSecrets).map((r) => str(r.name))],
        ['Mountable secrets: ', objs(sa.secrets).map((r) => str(r.name))],
        ['Tokens:            ', tokens],
      ];
      for (const [title, names] of sections) {
        if (!names.length) {
          w.write(0, `${title}\t<none>\n`);
          continue;
        }
        let prefix = title;
        for (const n of names) {
          w.write(0, `${prefix}\t${n}${missing.has(n) ? ' (not found)' : ''}\n`);
          prefix = ' '.repeat(19);
        }
      }
      if (events) describeEvents(events, w, c.now);
    }),
  };
};

/** Endpoints from EndpointSlices for one service port (formatEndpointSlices). */
function formatEndpointSlices(slices: Obj[], portName: string): string {
  if (!slices.length) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const ready = (e: Obj) => {
    const r = obj(e.conditions).ready;
    return r === undefined || r === null || r === true;
  };
  for (const s of slices) {
    const ports = objs(s.ports);
    const endpoints = objs(s.endpoints);
    if (!ports.length) {
      for (const e of endpoints) {
        if (list.length === max) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(String(arr(e.addresses)[0] ?? ''));
        count++;
      }
      continue;
    }
    for (const p of ports) {
      if (str(p.name) !== portName) continue;
      for (const e of endpoints) {
        if (list.length === max) more = true;
        const addr = String(arr(e.addresses)[0] ?? '');
        if (!ready(e)) continue;
        if (!more) list.push(addr.includes(':') ? `[${addr}]:${num(p.port)}` : `${addr}:${num(p.port)}`);
        count++;
      }
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

const service: Describer = (c, namespace, name) => {
  const got = fetch(c, CORE('services'), namespace, name);
  if ('error' in got) return fail(got.error);
  const svc = got.value;
  const slicesGot = c.list(
    { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
    namespace,
    {
      labelSelector: `kubernetes.io/service-name=${name}`,
    },
  );
  const slices = 'error' in slicesGot ? [] : (slicesGot.value as unknown as Obj[]);
  const events = eventsAbout(c, svc, 'Service');
  const spec = obj(svc.spec);
  return {
    text: tabbedString((w) => {
      header(w, svc);
      const selector = strMap(spec.selector);
      const selectorText = sortedKeys(selector)
        .map((k) => `${k}=${selector[k]}`)
        .join(',');
      w.write(0, `Selector:\t${selectorText || '<none>'}\n`);
      w.write(0, `Type:\t${str(spec.type)}\n`);
      if (typeof spec.ipFamilyPolicy === 'string') w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
      const families = arr(spec.ipFamilies).map(String);
      w.write(0, `IP Families:\t${families.length ? families.join(',') : '<none>'}\n`);
      w.write(0, `IP:\t${str(spec.clusterIP)}\n`);
      const ips = arr(spec.clusterIPs).map(String);
      w.write(0, `IPs:\t${ips.length ? ips.join(',') : '<none>'}\n`);
      const external = arr(spec.externalIPs).map(String);
      if (external.length) w.write(0, `External IPs:\t${external.join(',')}\n`);
      if (str(spec.loadBalancerIP)) w.write(0, `Desired LoadBalancer IP:\t${str(spec.loadBalancerIP)}\n`);
      if (str(spec.externalName)) w.write(0, `External Name:\t${str(spec.externalName)}\n`);
      const ingress = objs(obj(obj(svc.status).loadBalancer).ingress);
      if (ingress.length)
        w.write(
          0,
          `LoadBalancer Ingress:\t${ingress
            .map((i) =>
              str(i.ip)
                ? `${str(i.ip)}${typeof i.ipMode === 'string' ? ` (${i.ipMode})` : ''}`
                : str(i.hostname),
            )
            .join(', ')}\n`,
        );
      for (const p of objs(spec.ports)) {
        const portName = str(p.name) || '<unset>';
        const protocol = str(p.protocol);
        w.write(0, `Port:\t${portName}\t${num(p.port)}/${protocol}\n`);
        w.write(0, `TargetPort:\t${intOrString(p.targetPort)}/${protocol}\n`);
        if (num(p.nodePort)) w.write(0, `NodePort:\t${portName}\t${num(p.nodePort)}/${protocol}\n`);
        w.write(0, `Endpoints:\t${formatEndpointSlices(slices, str(p.name))}\n`);
      }
      w.write(0, `Session Affinity:\t${str(spec.sessionAffinity)}\n`);
      if (str(spec.externalTrafficPolicy))
        w.write(0, `External Traffic Policy:\t${str(spec.externalTrafficPolicy)}\n`);
      if (typeof spec.internalTrafficPolicy === 'string')
        w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
      if (num(spec.healthCheckNodePort))
        w.write(0, `HealthCheck NodePort:\t${num(spec.healthCheckNodePort)}\n`);
      const ranges = arr(spec.loadBalancerSourceRanges).map(String);
      if (ranges.length) w.write(0, `LoadBalancer Source Ranges:\t${ranges.join(',')}\n`);
      if (events) describeEvents(events, w, c.now);
    }),
  };
};

/** Pods a controller owns, by phase (getPodStatusForController). */
function podPhases(c: DescribeClient, namespace: string, selector: unknown, uid: string): Got<number[]> {
  const got = c.list(CORE('pods'), namespace, { labelSelector: selectorString(selector) });
  if ('error' in got) return got;
  const counts = [0, 0, 0, 0];
  for (const p of got.value as unknown as Obj[]) {
    const owner = objs(meta(p).ownerReferences).find((r) => r.controller === true);
    if (!owner || str(owner.uid) !== uid) continue;
    const i = ['Running', 'Pending', 'Succeeded', 'Failed'].indexOf(str(obj(p.status).phase));
    if (i >= 0) counts[i]!++;
  }
  return { value: counts };
}

const replicas = (spec: Obj) => (typeof spec.replicas === 'number' ? spec.replicas : 1);

const replicaSet: Describer = (c, namespace, name) => {
  const got = fetch(c, APPS('replicasets'), namespace, name);
  if ('error' in got) return fail(got.error);
  const rs = got.value;
  const spec = obj(rs.spec);
  const phases = podPhases(c, namespace, spec.selector, str(meta(rs).uid));
  const events = eventsAbout(c, rs, 'ReplicaSet');
  return {
    text: tabbedString((w) => {
      w.write(0, `Name:\t${str(meta(rs).name)}\n`);
      w.write(0, `Namespace:\t${str(meta(rs).namespace)}\n`);
      w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
      labelsMultiline(w, 'Labels', labelsOf(rs));
      annotationsMultiline(w, 'Annotations', annotationsOf(rs));
      const controller = controllerOf(rs);
      if (controller) w.write(0, `Controlled By:\t${controller}\n`);
      w.write(0, `Replicas:\t${num(obj(rs.status).replicas)} current / ${replicas(spec)} desired\n`);
      w.write(0, 'Pods Status:\t');
      if ('error' in phases) w.write(0, `error in fetching pods: ${phases.error.message ?? ''}\n`);
      else {
        const [running, waiting, succeeded, failed] = phases.value;
        w.write(0, `${running} Running / ${waiting} Waiting / ${succeeded} Succeeded / ${failed} Failed\n`);
      }
      describePodTemplate(obj(spec.template), w);
      conditionsTable(w, objs(obj(rs.status).conditions));
      if (events) describeEvents(events, w, c.now);
    }),
  };
};

/** The Type/Status/Reason table of deployments and replica sets. */
function conditionsTable(w: PrefixWriter, conditions: Obj[]): void {
  if (!conditions.length) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const x of conditions) w.write(1, `${str(x.type)} \t${str(x.status)}\t${str(x.reason)}\n`);
}

/** Templates equal but for the pod-template-hash label, as apimachinery's semantic equality sees them. */
function sameTemplate(a: unknown, b: unknown): boolean {
  const norm = (v: unknown, key = ''): unknown => {
    if (Array.isArray(v)) return v.length ? v.map((x) => norm(x)) : undefined;
    if (isObj(v)) {
      const out: Obj = {};
      for (const k of Object.keys(v).sort(byString)) {
        if (key === 'labels' && k === 'pod-template-hash') continue;
        const x = norm(v[k], k);
        if (x !== undefined) out[k] = x;
      }
      return Object.keys(out).length ? out : undefined;
    }
    return v === '' || v === 0 || v === false || v === null ? undefined : v;
  };
  const canon = (t: unknown) => {
    const copy = JSON.parse(JSON.stringify(t ?? {})) as Obj;
    for (const c of [...objs(obj(copy.spec).containers), ...objs(obj(copy.spec).initContainers)]) {
      const r = obj(c.resources);
      for (const k of ['limits', 'requests'])
        if (isObj(r[k]))
          r[k] = Object.fromEntries(
            [...resourceList(r[k])].map(([n, q]) => [n, quantityString(q)] as [string, string]),
          );
    }
    return JSON.stringify(norm(copy));
  };
  return canon(a) === canon(b);
}

const deployment: Describer = (c, namespace, name) => {
  const got = fetch(c, APPS('deployments'), namespace, name);
  if ('error' in got) return fail(got.error);
  const d = got.value;
  const spec = obj(d.spec);
  const status = obj(d.status);
  const events = eventsAbout(c, d, 'Deployment');
  let oldSets: Obj[] = [];
  let newSet: Obj | undefined;
  const sets = c.list(APPS('replicasets'), namespace, { labelSelector: selectorString(spec.selector) });
  if (!('error' in sets)) {
    const owned = (sets.value as unknown as Obj[]).filter((rs) =>
      objs(meta(rs).ownerReferences).some((r) => r.controller === true && str(r.uid) === str(meta(d).uid)),
    );
    const created = (o: Obj) => Date.parse(str(meta(o).creationTimestamp)) || 0;
    const sorted = stableSort(
      owned,
      (a, b) => created(a) - created(b) || byString(str(meta(a).name), str(meta(b).name)),
    );
    newSet = sorted.find((rs) => sameTemplate(obj(rs.spec).template, spec.template));
    oldSets = sorted.filter((rs) => rs !== newSet);
  }
  const byLabels = (list: Obj[]) =>
    list
      .map(
        (rs) =>
          `${str(meta(rs).name)} (${num(obj(rs.status).replicas)}/${replicas(obj(rs.spec))} replicas created)`,
      )
      .join(', ') || '<none>';
  return {
    text: tabbedString((w) => {
      w.write(0, `Name:\t${str(meta(d).name)}\n`);
      w.write(0, `Namespace:\t${str(meta(d).namespace)}\n`);
      w.write(0, `CreationTimestamp:\t${rfc1123z(meta(d).creationTimestamp)}\n`);
      labelsMultiline(w, 'Labels', labelsOf(d));
      annotationsMultiline(w, 'Annotations', annotationsOf(d));
      w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
      w.write(
        0,
        `Replicas:\t${replicas(spec)} desired | ${num(status.updatedReplicas)} updated | ${num(status.replicas)} total | ${num(status.availableReplicas)} available | ${num(status.unavailableReplicas)} unavailable\n`,
      );
      const strategy = obj(spec.strategy);
      w.write(0, `StrategyType:\t${str(strategy.type)}\n`);
      w.write(0, `MinReadySeconds:\t${num(spec.minReadySeconds)}\n`);
      if (isObj(strategy.rollingUpdate)) {
        const ru = strategy.rollingUpdate;
        const part = (v: unknown) => (v === undefined || v === null ? '<nil>' : intOrString(v));
        w.write(
          0,
          `RollingUpdateStrategy:\t${part(ru.maxUnavailable)} max unavailable, ${part(ru.maxSurge)} max surge\n`,
        );
      }
      describePodTemplate(obj(spec.template), w);
      conditionsTable(w, objs(status.conditions));
      if (oldSets.length || newSet) {
        w.write(0, `OldReplicaSets:\t${byLabels(oldSets)}\n`);
        w.write(0, `NewReplicaSet:\t${byLabels(newSet ? [newSet] : [])}\n`);
      }
      if (events) describeEvents(events, w, c.now);
    }),
  };
};

/** Go's int64() of a float64 percentage: NaN and infinities come out as the smallest int64. */
const percent = (part: number, whole: number): string => {
  const f = (part / whole) * 100;
  return Number.isFinite(f) ? String(Math.trunc(f)) : '-9223372036854775808';
};

const isHugePages = (n: string) => n.startsWith('hugepages-');

function describeNodeResources(pods: Obj[], node: Obj, w: PrefixWriter, now: Date): void {
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const status = obj(node.status);
  const allocatable = resourceList(
    Object.keys(obj(status.allocatable)).length ? status.allocatable : status.capacity,
  );
  const at = (m: Map<string, Quantity>, n: string) => m.get(n) ?? ZERO;
  const cpu = milliValue(at(allocatable, 'cpu'));
  const memory = quantityValue(at(allocatable, 'memory'));
  const totals = { requests: new Map<string, Quantity>(), limits: new Map<string, Quantity>() };
  for (const p of pods) {
    const req = podTotals(p, 'requests');
    const lim = podTotals(p, 'limits');
    for (const [into, from] of [
      [totals.requests, req],
      [totals.limits, lim],
    ] as const)
      for (const [n, q] of from) {
        const have = into.get(n);
        into.set(n, have ? addQuantity(have, q) : q);
      }
    const cell = (q: Quantity, whole: number, milli: boolean) =>
      `${quantityString(q)} (${percent(milli ? milliValue(q) : quantityValue(q), whole)}%)`;
    w.write(
      1,
      `${str(meta(p).namespace)}\t${str(meta(p).name)}\t\t${cell(at(req, 'cpu'), cpu, true)}\t${cell(at(lim, 'cpu'), cpu, true)}\t${cell(at(req, 'memory'), memory, false)}\t${cell(at(lim, 'memory'), memory, false)}\t${since(meta(p).creationTimestamp, now)}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const row = (n: string, whole: number, milli: boolean) => {
    const value = (q: Quantity) => (milli ? milliValue(q) : quantityValue(q));
    const r = at(totals.requests, n);
    const l = at(totals.limits, n);
    const pr = whole !== 0 ? percent(value(r), whole) : '0';
    const pl = whole !== 0 ? percent(value(l), whole) : '0';
    w.write(1, `${n}\t${quantityString(r)} (${pr}%)\t${quantityString(l)} (${pl}%)\n`);
  };
  row('cpu', cpu, true);
  row('memory', memory, false);
  row('ephemeral-storage', quantityValue(at(allocatable, 'ephemeral-storage')), false);
  const names = [...allocatable.keys()].sort(byString);
  for (const n of names.filter(isHugePages)) row(n, quantityValue(at(allocatable, n)), false);
  for (const n of names.filter(
    (x) => !isHugePages(x) && !['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(x),
  ))
    w.write(1, `${n}\t${quantityString(at(totals.requests, n))}\t${quantityString(at(totals.limits, n))}\n`);
}

/** node-role.kubernetes.io/<role> labels and kubernetes.io/role, sorted (findNodeRoles). */
function nodeRoles(node: Obj): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labelsOf(node))) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort(byString);
}

const node: Describer = (c, _ns, name) => {
  const got = fetch(c, CORE('nodes'), '', name);
  if ('error' in got) return fail(got.error);
  const n = got.value;
  const podsGot = c.list(CORE('pods'), '', {
    fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`,
  });
  let pods: Obj[] | undefined;
  if ('error' in podsGot) {
    if (podsGot.error.reason !== 'Forbidden') return fail(podsGot.error);
  } else pods = podsGot.value as unknown as Obj[];
  let events: Obj[] | undefined;
  if (c.showEvents) {
    // the node controller reports against the node's uid, the kubelet against its name
    const ref = { namespace: '', name, kind: 'Node' };
    events = [
      ...eventsOrNone(searchEvents(c, { ...ref, uid: str(meta(n).uid) })),
      ...eventsOrNone(searchEvents(c, { ...ref, uid: name })),
    ];
  }
  const lease = c.get(
    { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
    'kube-node-lease',
    name,
  );
  const spec = obj(n.spec);
  const status = obj(n.status);
  return {
    text: tabbedString((w) => {
      w.write(0, `Name:\t${str(meta(n).name)}\n`);
      const roles = nodeRoles(n);
      w.write(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
      labelsMultiline(w, 'Labels', labelsOf(n));
      annotationsMultiline(w, 'Annotations', annotationsOf(n));
      w.write(0, `CreationTimestamp:\t${rfc1123z(meta(n).creationTimestamp)}\n`);
      taintsMultiline(w, 'Taints', objs(spec.taints));
      w.write(0, `Unschedulable:\t${bool(spec.unschedulable)}\n`);
      if ('error' in lease) w.write(0, `Lease:\tFailed to get lease: ${lease.error.message ?? ''}\n`);
      else {
        const ls = obj((lease.value as unknown as Obj).spec);
        w.write(0, 'Lease:\n');
        w.write(
          1,
          `HolderIdentity:\t${typeof ls.holderIdentity === 'string' ? ls.holderIdentity : '<unset>'}\n`,
        );
        w.write(1, `AcquireTime:\t${ls.acquireTime ? rfc1123z(ls.acquireTime) : '<unset>'}\n`);
        w.write(1, `RenewTime:\t${ls.renewTime ? rfc1123z(ls.renewTime) : '<unset>'}\n`);
      }
      const conditions = objs(status.conditions);
      if (conditions.length) {
        w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
        w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
        for (const x of conditions)
          w.write(
            1,
            `${str(x.type)} \t${str(x.status)} \t${rfc1123z(x.lastHeartbeatTime)} \t${rfc1123z(x.lastTransitionTime)} \t${str(x.reason)} \t${str(x.message)}\n`,
          );
      }
      w.write(0, 'Addresses:\n');
      for (const a of objs(status.addresses)) w.write(1, `${str(a.type)}:\t${str(a.address)}\n`);
      for (const [title, list] of [
        ['Capacity', resourceList(status.capacity)],
        ['Allocatable', resourceList(status.allocatable)],
      ] as const) {
        if (!list.size) continue;
        w.write(0, `${title}:\n`);
        for (const r of [...list.keys()].sort(byString))
          w.write(0, `  ${r}:\t${quantityString(list.get(r)!)}\n`);
      }
      const info = obj(status.nodeInfo);
      w.write(0, 'System Info:\n');
      for (const [label, key] of [
        ['Machine ID', 'machineID'],
        ['System UUID', 'systemUUID'],
        ['Boot ID', 'bootID'],
        ['Kernel Version', 'kernelVersion'],
        ['OS Image', 'osImage'],
        ['Operating System', 'operatingSystem'],
        ['Architecture', 'architecture'],
        ['Container Runtime Version', 'containerRuntimeVersion'],
        ['Kubelet Version', 'kubeletVersion'],
        ['Kube-Proxy Version', 'kubeProxyVersion'],
      ])
        w.write(0, `  ${label}:\t${str(info[key!])}\n`);
      if (str(spec.podCIDR)) w.write(0, `PodCIDR:\t${str(spec.podCIDR)}\n`);
      const cidrs = arr(spec.podCIDRs).map(String);
      if (cidrs.length) w.write(0, `PodCIDRs:\t${cidrs.join(',')}\n`);
      if (str(spec.providerID)) w.write(0, `ProviderID:\t${str(spec.providerID)}\n`);
      if (pods) describeNodeResources(pods, n, w, c.now);
      else w.write(0, 'Pods:\tnot authorized\n');
      if (events) describeEvents(events, w, c.now);
    }),
  };
};

const SKIPPED = new Set([
  '.metadata.managedFields',
  '.metadata.name',
  '.metadata.namespace',
  '.metadata.labels',
  '.metadata.annotations',
]);

/** Every field, sorted, maps and lists nested a level deeper (printUnstructuredContent). */
function printContent(w: PrefixWriter, level: number, content: Obj, prefix: string): void {
  for (const field of sortedKeys(content)) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (SKIPPED.has(path)) continue;
    if (isObj(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      printContent(w, level + 1, value, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (isObj(child)) printContent(w, level + 1, child, path);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else w.write(level, `${smartLabel(field)}:\t${goValue(value)}\n`);
  }
}

/** The describer for kinds kubectl has none for: the object's fields, then its events. */
export function genericDescriber(r: Resource, apiVersion: string, kind: string): Describer {
  return (c, namespace, name) => {
    const got = fetch(c, r, namespace, name);
    if ('error' in got) return fail(got.error);
    const o: Obj = {
      ...got.value,
      apiVersion: got.value.apiVersion ?? apiVersion,
      kind: got.value.kind ?? kind,
    };
    const events = eventsAbout(c, o, str(o.kind));
    return {
      text: tabbedString((w) => {
        header(w, o);
        printContent(w, 0, o, '');
        if (events) describeEvents(events, w, c.now);
      }),
    };
  };
}

/** kubectl's own describers, by group and kind. */
export const DESCRIBERS: Record<string, Describer> = {
  '/Pod': pod,
  '/Namespace': namespace,
  '/ConfigMap': configMap,
  '/Secret': secret,
  '/ServiceAccount': serviceAccount,
  '/Service': service,
  '/Node': node,
  '/ResourceQuota': resourceQuota,
  '/LimitRange': limitRange,
  '/PersistentVolumeClaim': describePersistentVolumeClaim,
  '/PersistentVolume': describePersistentVolume,
  'apps/Deployment': deployment,
  'apps/ReplicaSet': replicaSet,
  'storage.k8s.io/StorageClass': storageClass,
  'rbac.authorization.k8s.io/Role': describeRole('roles'),
  'rbac.authorization.k8s.io/ClusterRole': describeRole('clusterroles'),
  'rbac.authorization.k8s.io/RoleBinding': describeBinding('rolebindings'),
  'rbac.authorization.k8s.io/ClusterRoleBinding': describeBinding('clusterrolebindings'),
};
