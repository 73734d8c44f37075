import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../main/sim/lab';
import { createShell } from '../../main/shell';
import { adminClient, newLab, pod } from '../helpers/lab';
import { haveKubectl, inApp, serveLab, type Served, warnSkipped } from '../helpers/kubectl';
import { defaultScenario, runningSupervisor } from '../helpers/scenario';

warnSkipped('the differential kubectl describe suite');

const H = 3_600_000;
/** Lab time from the objects' creation to the tests. */
const SETTLE = 10.5 * H;

const ts = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const micro = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');

/**
 * The objects every case describes. Event times sit at half hours before the end of setup, so the
 * ages kubectl computes from the wall clock (hours at this distance) are the ages the lab clock gives.
 */
function populate(lab: Lab): void {
  const c = adminClient(lab);
  const end = lab.clock.nowMs() + SETTLE;
  c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  c.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'empty', labels: { team: 'a' }, annotations: { note: 'x' } },
  });
  c.create(pod('web-1', 'demo', { labels: { app: 'web' } }));
  c.create(pod('web-2', 'demo', { labels: { app: 'web', tier: 'front' } }));
  c.create(pod('db-1', 'demo', { labels: { app: 'db' } }));
  // one key per map: kubectl walks Go maps in a random order
  c.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'demo', labels: { a: 'b' } },
    data: { 'multi.txt': 'line1\nline2\n' },
    binaryData: { blob: 'AAEC' },
  });
  c.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds', namespace: 'demo' },
    stringData: { password: 'hunter2' },
  });
  const sa = c.create({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'robot', namespace: 'demo' },
    secrets: [{ name: 'creds' }, { name: 'gone' }, { name: 'robot-token' }],
    imagePullSecrets: [{ name: 'pull' }, { name: 'creds' }],
  });
  c.create({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/service-account-token',
    metadata: {
      name: 'robot-token',
      namespace: 'demo',
      annotations: {
        'kubernetes.io/service-account.name': 'robot',
        'kubernetes.io/service-account.uid': sa.metadata.uid!,
      },
    },
    data: { token: Buffer.from('eyJhbGciOi.tok').toString('base64') },
  });
  const template = (image: string, hash?: string, extra: Record<string, unknown> = {}) => ({
    metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
    spec: { containers: [{ name: 'nginx', image, ...extra }] },
  });
  const current = {
    ports: [{ containerPort: 80 }],
    resources: { requests: { cpu: '100m' } },
  };
  const dep = c.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'demo',
      labels: { app: 'web' },
      annotations: {
        'deployment.kubernetes.io/revision': '2',
        long: 'v'.repeat(150),
        multi: 'first\nsecond\n',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        ...template('nginx:1.25', undefined, current),
        spec: { serviceAccountName: 'robot', ...template('nginx:1.25', undefined, current).spec },
      },
    },
  });
  c.updateStatus({
    ...dep,
    status: {
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      unavailableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'ok' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ok' },
      ],
    },
  });
  const owner = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'web',
    uid: dep.metadata.uid!,
    controller: true,
  };
  const rs = (name: string, hash: string, n: number, t: { metadata: object; spec: object }) =>
    c.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: 'demo',
        labels: { app: 'web', 'pod-template-hash': hash },
        ownerReferences: [owner],
      },
      spec: {
        replicas: n,
        selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } },
        template: t,
      },
    });
  const rsNew = rs('web-7d4b9c', '7d4b9c', 2, {
    ...template('nginx:1.25', '7d4b9c', current),
    spec: { serviceAccountName: 'robot', ...template('nginx:1.25', '7d4b9c', current).spec },
  });
  c.updateStatus({
    ...rsNew,
    status: {
      replicas: 2,
      readyReplicas: 2,
      conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota' }],
    },
  });
  c.updateStatus({
    ...rs('web-5f6a7b', '5f6a7b', 1, template('nginx:1.24', '5f6a7b')),
    status: { replicas: 1 },
  });
  rs('web-000000', '000000', 0, template('nginx:1.23', '000000'));
  const rich = c.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-7d4b9c-x1',
      namespace: 'demo',
      labels: { app: 'web', 'pod-template-hash': '7d4b9c' },
      annotations: { 'a.b/c': 'd' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7d4b9c',
          uid: rsNew.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: {
      nodeName: 'esxi-01.lab.local',
      priorityClassName: 'high',
      priority: 1000,
      serviceAccountName: 'robot',
      initContainers: [
        {
          name: 'init',
          image: 'busybox:1.36',
          command: ['sh', '-c', 'echo init'],
          resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
        },
      ],
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: {
            limits: { cpu: '500m', memory: '128Mi' },
            requests: { cpu: '0.25', memory: '64Mi', 'ephemeral-storage': '1G' },
          },
          livenessProbe: {
            httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
            initialDelaySeconds: 3,
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
          readinessProbe: {
            tcpSocket: { port: 'http' },
            timeoutSeconds: 1,
            periodSeconds: 5,
            successThreshold: 1,
            failureThreshold: 3,
          },
          startupProbe: {
            exec: { command: ['cat', '/tmp/ok'] },
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 30,
          },
          envFrom: [
            { configMapRef: { name: 'settings' } },
            { secretRef: { name: 'creds', optional: true }, prefix: 'S_' },
          ],
          env: [
            { name: 'MODE', value: 'prod' },
            { name: 'ML', value: 'one\ntwo' },
            { name: 'UID', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.uid' } } },
            {
              name: 'APP',
              valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['app']" } },
            },
            { name: 'NS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
            { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
            { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } },
            {
              name: 'GPU',
              valueFrom: { resourceFieldRef: { resource: 'limits.memory', containerName: 'sidecar' } },
            },
            {
              name: 'COLOR',
              valueFrom: { configMapKeyRef: { name: 'settings', key: 'color', optional: true } },
            },
            { name: 'PASS', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
          ],
          volumeMounts: [
            { name: 'data', mountPath: '/data', subPath: 'sub' },
            { name: 'token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
          ],
        },
        { name: 'sidecar', image: 'busybox:1.36', args: ['sleep', '3600\nmore'] },
      ],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: 'data-pvc' } },
        {
          name: 'token',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [
                    { path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
                  ],
                },
              },
              { secret: { name: 'creds' } },
            ],
          },
        },
        { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
        { name: 'sec', secret: { secretName: 'creds', optional: true } },
        {
          name: 'info',
          downwardAPI: {
            items: [
              { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
              { path: 'cpu', resourceFieldRef: { containerName: 'nginx', resource: 'limits.cpu' } },
            ],
          },
        },
        { name: 'csi', csi: { driver: 'csi.vsphere.vmware.com', volumeAttributes: { b: '2', a: '1' } } },
        { name: 'nfs', nfs: { server: 'nfs.lab', path: '/exports', readOnly: true } },
        { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
        { name: 'cfg', configMap: { name: 'settings' } },
        { name: 'disk', vsphereVolume: { volumePath: '[ds1] vols/disk.vmdk', fsType: 'ext4' } },
      ],
      nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' },
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        { operator: 'Exists' },
        { key: 'a', operator: 'Equal', value: 'b' },
        { effect: 'NoSchedule', operator: 'Exists' },
      ],
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'web' } },
        },
        { maxSkew: 2, topologyKey: 'host', whenUnsatisfiable: 'ScheduleAnyway' },
      ],
    },
  });
  const start = lab.clock.nowMs();
  c.updateStatus({
    ...rich,
    status: {
      phase: 'Running',
      hostIP: '192.168.10.11',
      podIP: '10.244.0.5',
      podIPs: [{ ip: '10.244.0.5' }],
      startTime: ts(start),
      qosClass: 'Burstable',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: ts(start) },
        { type: 'Ready', status: 'False', lastTransitionTime: ts(start) },
      ],
      initContainerStatuses: [
        {
          name: 'init',
          ready: true,
          restartCount: 0,
          image: 'busybox:1.36',
          imageID: 'docker.io/library/busybox@sha256:1',
          containerID: 'containerd://i1',
          state: {
            terminated: {
              exitCode: 0,
              reason: 'Completed',
              startedAt: ts(start),
              finishedAt: ts(start + 2000),
            },
          },
        },
      ],
      containerStatuses: [
        {
          name: 'nginx',
          ready: true,
          restartCount: 2,
          image: 'nginx:1.25',
          imageID: 'docker.io/library/nginx@sha256:2',
          containerID: 'containerd://c1',
          started: true,
          state: { running: { startedAt: ts(start + 5000) } },
          lastState: {
            terminated: {
              exitCode: 137,
              signal: 9,
              reason: 'OOMKilled',
              message: 'killed',
              startedAt: ts(start + 3000),
              finishedAt: ts(start + 4000),
            },
          },
        },
        {
          name: 'sidecar',
          ready: false,
          restartCount: 5,
          image: 'busybox:1.36',
          imageID: '',
          containerID: '',
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
        },
      ],
    },
  });
  c.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'node-pod', namespace: 'default' },
    spec: {
      nodeName: 'esxi-01.lab.local',
      containers: [
        {
          name: 'c',
          image: 'x:1',
          resources: { requests: { cpu: '1500m', memory: '1.5Gi' }, limits: { memory: '2Gi' } },
        },
      ],
    },
  });
  c.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'guaranteed', namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }],
    },
  });
  c.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'demo' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  c.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'np', namespace: 'demo', labels: { x: 'y' } },
    spec: {
      type: 'NodePort',
      selector: { app: 'web', tier: 'front' },
      externalIPs: ['1.2.3.4'],
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
      ],
    },
  });
  const lb = c.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'lb', namespace: 'demo' },
    spec: { type: 'LoadBalancer', ports: [{ port: 443 }], loadBalancerSourceRanges: ['10.0.0.0/8'] },
  });
  c.updateStatus({
    ...lb,
    status: { loadBalancer: { ingress: [{ ip: '192.168.30.2' }, { hostname: 'lb.lab' }] } },
  });
  c.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ext', namespace: 'demo' },
    spec: { type: 'ExternalName', externalName: 'db.example.com' },
  });

  const uid = (resource: string, ns: string, name: string) => c.get(resource, ns, name).metadata.uid!;
  let n = 0;
  const ev = (ns: string, ref: Record<string, unknown>, o: Record<string, unknown>) =>
    c.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `ev-${n++}`, namespace: ns },
      involvedObject: ref,
      ...o,
    });
  const at = (hours: number) => ts(end - hours * H);
  const once = (hours: number) => ({ count: 1, firstTimestamp: at(hours), lastTimestamp: at(hours) });
  const podRef = {
    kind: 'Pod',
    name: 'web-1',
    namespace: 'demo',
    uid: uid('pods', 'demo', 'web-1'),
    apiVersion: 'v1',
  };
  ev('demo', podRef, {
    reason: 'Scheduled',
    message: 'Successfully assigned demo/web-1',
    type: 'Normal',
    source: { component: 'default-scheduler' },
    ...once(9.5),
  });
  ev('demo', podRef, {
    reason: 'BackOff',
    message: '  Back-off restarting  ',
    type: 'Warning',
    count: 3,
    source: { component: 'kubelet', host: 'esx-1' },
    firstTimestamp: at(51.5),
    lastTimestamp: at(8.5),
  });
  ev('demo', podRef, {
    reason: 'Pulled',
    message: 'image pulled',
    type: 'Normal',
    reportingComponent: 'kubelet',
    eventTime: micro(end - 20.5 * H),
    series: { count: 4, lastObservedTime: micro(end - 12.5 * H) },
  });
  // about an earlier pod of the same name: not this one's
  ev(
    'demo',
    { ...podRef, uid: 'other-uid' },
    { reason: 'Old', message: 'before', type: 'Normal', ...once(9.5) },
  );
  ev(
    'demo',
    { kind: 'Deployment', name: 'web', namespace: 'demo', uid: dep.metadata.uid, apiVersion: 'apps/v1' },
    {
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-7d4b9c to 2',
      type: 'Normal',
      source: { component: 'deployment-controller' },
      ...once(30.5),
    },
  );
  ev(
    'demo',
    {
      kind: 'ReplicaSet',
      name: 'web-7d4b9c',
      namespace: 'demo',
      uid: rsNew.metadata.uid,
      apiVersion: 'apps/v1',
    },
    {
      reason: 'SuccessfulCreate',
      message: 'Created pod: web-7d4b9c-x1',
      type: 'Normal',
      count: 2,
      source: { component: 'replicaset-controller' },
      firstTimestamp: at(100.5),
      lastTimestamp: at(10.5),
    },
  );
  const nodeRef = { kind: 'Node', name: 'esxi-01.lab.local' };
  ev(
    'default',
    { ...nodeRef, uid: uid('nodes', '', 'esxi-01.lab.local') },
    {
      reason: 'NodeReady',
      message: 'Node esxi-01.lab.local status is now: NodeReady',
      type: 'Normal',
      source: { component: 'node-controller' },
      ...once(10.5),
    },
  );
  ev(
    'default',
    { ...nodeRef, uid: 'esxi-01.lab.local' },
    {
      reason: 'Starting',
      message: 'Starting spherelet.',
      type: 'Normal',
      source: { component: 'spherelet', host: 'esxi-01.lab.local' },
      ...once(9.5),
    },
  );
  const about = (kind: string, resource: string, name: string) => ({
    kind,
    name,
    namespace: 'demo',
    uid: uid(resource, 'demo', name),
  });
  ev('demo', about('ConfigMap', 'configmaps', 'settings'), {
    reason: 'Updated',
    message: 'config changed',
    type: 'Normal',
    source: { component: 'operator' },
    ...once(11.5),
  });
  ev('demo', about('Service', 'services', 'web'), {
    reason: 'Synced',
    message: 'service synced',
    type: 'Normal',
    source: { component: 'nsx-ncp' },
    ...once(11.5),
  });
  ev('demo', about('ServiceAccount', 'serviceaccounts', 'robot'), {
    reason: 'Created',
    message: 'account made',
    type: 'Normal',
    source: { component: 'sa-controller' },
    ...once(11.5),
  });
  ev('demo', about('Event', 'events', 'ev-0'), {
    reason: 'Meta',
    message: 'an event about an event',
    type: 'Normal',
    source: { component: 'x' },
    ...once(11.5),
  });
  // more shapes: namespace conditions, a pod that is pending with reasons, a selector with expressions
  const emptyNs = c.get('namespaces', '', 'empty');
  c.updateStatus({
    ...emptyNs,
    status: {
      phase: 'Active',
      conditions: [
        {
          type: 'NamespaceDeletionDiscoveryFailure',
          status: 'False',
          reason: 'ResourcesDiscovered',
          message: 'All resources successfully discovered',
          lastTransitionTime: at(12.5),
        },
      ],
    },
  });
  const odd = c.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'odd', namespace: 'demo', labels: { app: 'odd' } },
    spec: {
      readinessGates: [{ conditionType: 'example.com/ready' }, { conditionType: 'example.com/other' }],
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'c',
          image: 'x:1',
          ports: [
            { containerPort: 53, protocol: 'UDP', hostPort: 53 },
            { containerPort: 53, protocol: 'TCP', hostPort: 53 },
          ],
          livenessProbe: { httpGet: { path: 'ready', port: 'web', host: 'fe80::1', scheme: 'HTTPS' } },
          readinessProbe: { grpc: { port: 9000, service: 'health' }, periodSeconds: 1 },
          resources: {
            limits: { cpu: '2', memory: '1G', 'example.com/gpu': '1' },
            requests: { cpu: '2', memory: '1G' },
          },
          securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } },
        },
      ],
    },
  });
  c.updateStatus({
    ...odd,
    status: {
      phase: 'Pending',
      reason: 'Unschedulable',
      message: 'no node\nfits',
      nominatedNodeName: 'esxi-02.lab.local',
      conditions: [
        { type: 'example.com/ready', status: 'True' },
        { type: 'PodScheduled', status: 'False' },
      ],
    },
  });
  ev(
    'demo',
    { kind: 'Pod', name: 'odd', namespace: 'demo', uid: odd.metadata.uid },
    {
      reason: 'FailedScheduling',
      message: '0/7 nodes are available:\n  3 node(s) had taints',
      type: 'Warning',
      count: 12,
      reportingComponent: 'default-scheduler',
      firstTimestamp: at(200.5),
      lastTimestamp: at(9.5),
      related: { kind: 'Node', name: 'esxi-02.lab.local', apiVersion: 'v1' },
    },
  );
  c.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'exprs', namespace: 'demo' },
    spec: {
      selector: {
        matchLabels: { app: 'odd' },
        matchExpressions: [
          { key: 'tier', operator: 'NotIn', values: ['z', 'b'] },
          { key: 'env', operator: 'Exists' },
        ],
      },
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels: { app: 'odd', env: 'x' }, annotations: { note: 'tmpl' } },
        spec: {
          initContainers: [{ name: 'i', image: 'x:1' }],
          containers: [
            {
              name: 'c',
              image: 'x:1',
              env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            },
          ],
          volumes: [{ name: 'v', emptyDir: {} }],
          priorityClassName: 'low',
          nodeSelector: { a: 'b' },
          tolerations: [{ key: 'k', operator: 'Exists' }],
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
          ],
        },
      },
    },
  });

  // kinds served as this suite was written; each is made only where the lab serves it
  const served = (group: string, kind: string) => Boolean(lab.registry.byKind(group, kind));
  if (served('', 'ResourceQuota')) {
    c.create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'demo' },
      spec: { hard: { cpu: '10', memory: '20Gi', pods: '10' } },
    });
    c.updateStatus({
      ...c.get('resourcequotas', 'demo', 'compute'),
      status: {
        hard: { cpu: '10', memory: '20Gi', pods: '10' },
        used: { cpu: '0.25', memory: '1536Mi', pods: '3' },
      },
    });
    c.create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'objects', namespace: 'demo' },
      spec: { hard: { 'count/configmaps': '5' }, scopes: ['NotTerminating', 'BestEffort'] },
    });
  }
  if (served('', 'LimitRange'))
    // one resource per limit: kubectl walks these names as a Go map
    c.create({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'limits', namespace: 'demo' },
      spec: {
        limits: [
          { type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '0.1' }, max: { cpu: '2' } },
          { type: 'Pod', max: { memory: '4Gi' } },
        ],
      },
    });
  if (served('storage.k8s.io', 'StorageClass'))
    c.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gold', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'csi.vsphere.vmware.com',
      parameters: { storagePolicyID: 'aa6d5a82-1c88-45da-85d3-3d74b91a5bad' },
      allowVolumeExpansion: true,
      mountOptions: ['noatime'],
    });
  if (served('vmoperator.vmware.com', 'VirtualMachineClass'))
    c.create({
      apiVersion: 'vmoperator.vmware.com/v1alpha1',
      kind: 'VirtualMachineClass',
      metadata: { name: 'lab-small' },
      spec: { hardware: { cpus: 2, memory: '4Gi' }, description: 'small' },
    });
}

/** A kind the lab does not serve. */
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n';

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: demo
---
apiVersion: v1
kind: Pod
metadata:
  name: web-2
  namespace: demo
---
apiVersion: v1
kind: Namespace
metadata:
  name: empty
`;

describe.skipIf(!haveKubectl)('kubectl describe in the lab shell equals the real kubectl', () => {
  let lab: Lab;
  let s: Served;
  beforeAll(async () => {
    // lab time ends the setup where the wall clock is, so the ages kubectl computes agree
    const start = Math.floor(Date.now() / 1000) * 1000 - 20 * 60_000 - SETTLE;
    lab = newLab({ scenario: defaultScenario(), start });
    runningSupervisor(lab);
    populate(lab);
    lab.advance(SETTLE);
    s = await serveLab(lab);
    // the same files on disk for kubectl and in the lab's workspace for the shell
    const workspace = createShell(lab, { write: () => {}, terminal: false }).workspace;
    for (const [file, text] of [
      ['objects.yaml', MANIFEST],
      ['empty.yaml', ''],
    ]) {
      writeFileSync(join(s.dir, file!), text!);
      workspace.write(`/${file}`, text!);
    }
  });
  afterAll(async () => {
    await s?.close();
    lab?.close();
  });

  /**
   * kubectl's arguments; or those, the in-app command line where it differs (a workspace path for a
   * file on disk, stdin through a pipe) and what the real kubectl reads on stdin.
   */
  const corpus: (string | { line: string; app: string; stdin?: string })[] = [
    // pods: a bare one, one with everything, a guaranteed one, an odd one
    'describe pod web-1 -n demo',
    'describe pod web-7d4b9c-x1 -n demo',
    'describe pods/guaranteed',
    'describe pod odd -n demo',
    'describe pod web-1 -n demo --show-events=false',
    '-n demo describe pod web-1',
    // several objects, prefixes, selectors, all namespaces
    'describe pods web -n demo',
    'describe pods -n demo -l app=web',
    'describe pod web-1 web-2 -n demo',
    'describe pods -A -l tier=front',
    'describe pods -A --show-events=false',
    'describe pods --all-namespaces=false -n demo -l app=db',
    'describe pod -n demo --chunk-size=1 -l app=db',
    'describe pods -A -l app=db --show-events=0',
    'describe cm,secret -n demo',
    'describe all -n demo --show-events=false',
    // every describer
    'describe ns demo',
    'describe namespace empty',
    'describe namespaces',
    'describe ns demo -n demo',
    'describe cm settings -n demo',
    'describe cm -n demo --show-events=false',
    'describe secret creds -n demo',
    'describe secrets -n demo',
    'describe sa robot -n demo',
    'describe sa -n demo',
    'describe deploy web -n demo',
    'describe deployments.apps/web -n demo --show-events=false',
    'describe deploy exprs -n demo',
    'describe deploy -n demo -l app=web',
    'describe rs -n demo',
    'describe rs web-7d4b9c -n demo',
    'describe rs web-5f -n demo',
    'describe node esxi-01.lab.local',
    'describe node esxi-01.lab.local --show-events=false',
    'describe nodes esxi-02',
    'describe nodes 42',
    'describe no -l node-role.kubernetes.io/master --show-events=false',
    'describe no --show-events=false',
    'describe svc -n demo',
    'describe svc web -n demo --show-events=false',
    'describe ev ev-0 -n demo',
    'describe events ev-2 -n demo',
    'describe ev -n demo',
    'describe quota -n demo',
    'describe limits limits -n demo',
    'describe sc gold',
    'describe vmclass lab-small',
    // -f
    { line: 'describe -f objects.yaml', app: 'kubectl describe -f /objects.yaml' },
    { line: 'describe -f objects.yaml -l app=web', app: 'kubectl describe -f /objects.yaml -l app=web' },
    { line: 'describe -f empty.yaml', app: 'kubectl describe -f /empty.yaml' },
    { line: 'describe -f objects.yaml -n other', app: 'kubectl describe -f /objects.yaml -n other' },
    { line: 'describe -f objects.yaml pods', app: 'kubectl describe -f /objects.yaml pods' },
    { line: 'describe -f missing.yaml', app: 'kubectl describe -f missing.yaml' },
    {
      line: 'describe -f -',
      app: `printf '${WIDGET.replace(/\n/g, '\\n')}' | kubectl describe -f -`,
      stdin: WIDGET,
    },
    // what is not there
    'describe pod nope -n demo',
    'describe pods zzz -n demo',
    'describe pod web-1 nope -n demo',
    'describe pod/web-1 pod/nope -n demo',
    'describe pod/nope pod/nope2 -n demo',
    'describe pod db-1 -n kube-system',
    'describe pod db-1 -n nons',
    'describe pods db -n nons',
    'describe pod/db-1 -n nons',
    'describe ns nope',
    'describe widgets',
    'describe pods,widgets -n demo',
    'describe selfsubjectaccessreviews',
    'describe pods -n empty',
    'describe pods -l app=web',
    'describe pods -A -l app=nope',
    'describe nodes -l x=y',
    // what kubectl refuses
    'describe',
    'describe pods --bogus',
    'describe pods -n',
    'describe pods --show-events=maybe',
    'describe po db-1 -n demo -o wide',
    'describe pods web-1 -l app=web -n demo',
    'describe pod/web-1 -l app=web -n demo',
    'describe pods web -A',
    'describe cm,pods settings -n demo',
    'describe pods -l "app in (x"',
    'describe pods/',
    'describe pod web-1 pod/web-2 -n demo',
  ];

  for (const entry of corpus) {
    const { line, app, stdin } = typeof entry === 'string' ? { line: entry, app: `kubectl ${entry}` } : entry;
    it(`kubectl ${line}`, async () => {
      const argv = line
        .match(/"[^"]*"|\S+/g)!
        .map((a) => a.replace(/^"|"$/g, ''))
        .map((a) => (/^(objects|empty)\.yaml$/.test(a) ? join(s.dir, a) : a));
      const real = await s.kubectl(argv, stdin === undefined ? {} : { stdin });
      const ours = await inApp(lab, app);
      expect({ code: ours.code, stdout: ours.stdout, stderr: ours.stderr }).toEqual({
        code: real.code,
        stdout: real.stdout,
        stderr: real.stderr,
      });
    });
  }
});
