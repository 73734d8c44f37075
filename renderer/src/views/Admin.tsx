// The administrator's forms, as the vSphere Client offers them: enable Workload Management and
// configure a vSphere Namespace (limits, permissions, storage policies, VM classes). Each runs the govc
// commands that do the same and shows them with their output; long operations show their steps.
import { useState, type ReactNode } from 'react';
import type {
  CommandResult,
  ConfigureNamespace,
  EnableWorkloadManagement,
  Operation,
} from '../../../preload/contract';
import { call } from '../lib/bridge';
import { useT } from '../lib/i18n';
import { useQuery } from '../lib/useLab';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

function Result({ result }: { result?: CommandResult }) {
  const t = useT();
  if (!result) return null;
  return (
    <div className={`result ${result.status === 0 ? 'ok' : 'failed'}`} data-testid="admin-result">
      <small>{t('admin.commands')}</small>
      <pre>{result.output}</pre>
    </div>
  );
}

export function Operations({ ops }: { ops?: Operation[] }) {
  if (!ops?.length) return null;
  return (
    <div className="operations" data-testid="operations">
      {ops.map((op) => {
        const done = op.steps.filter((s) => s.done).length;
        const pct = op.steps.length ? Math.round((done / op.steps.length) * 100) : 0;
        return (
          <div key={op.title} className="operation">
            <div>
              <strong>{op.title}</strong> <span className="muted">{op.phase}</span>
            </div>
            <progress max={100} value={pct} aria-label={op.title} /> <span className="muted">{pct}%</span>
            <ul>
              {op.steps.map((s) => (
                <li key={s.name} className={s.done ? 'done' : 'pending'} title={s.message}>
                  {s.done ? '✔' : '…'} {s.name}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}

export function Admin({ tick }: { tick: number }) {
  const t = useT();
  const { data: choices } = useQuery('admin.choices', {}, tick);
  const { data: ops } = useQuery('view.operations', {}, tick);
  const [wcm, setWcm] = useState<EnableWorkloadManagement>({
    cluster: 'Workload-Cluster',
    networkProvider: 'NSXT_CONTAINER_PLUGIN',
    size: 'TINY',
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
  });
  const [ns, setNs] = useState<ConfigureNamespace>({
    name: 'demo',
    cluster: 'Workload-Cluster',
    create: true,
    storagePolicies: ['k8s-gold'],
    vmClasses: ['best-effort-small', 'guaranteed-medium'],
    permissions: [{ principal: 'devops@vsphere.local', role: 'edit' }],
  });
  const [wcmResult, setWcmResult] = useState<CommandResult>();
  const [nsResult, setNsResult] = useState<CommandResult>();
  const [busy, setBusy] = useState<string>();
  const run = async (what: string, f: () => Promise<CommandResult>, set: (r: CommandResult) => void) => {
    setBusy(what);
    try {
      set(await f());
    } catch (e) {
      set({ command: '', status: 1, output: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(undefined);
    }
  };
  const text = (k: keyof EnableWorkloadManagement) => (
    <input
      data-testid={`wcm-${k}`}
      value={wcm[k]}
      onChange={(e) => setWcm({ ...wcm, [k]: e.target.value })}
    />
  );
  const select = (k: keyof EnableWorkloadManagement, options: string[]) => (
    <select data-testid={`wcm-${k}`} value={wcm[k]} onChange={(e) => setWcm({ ...wcm, [k]: e.target.value })}>
      {[...new Set([wcm[k], ...options])].map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
  const toggle = (list: string[], v: string) =>
    list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
  const nsx = wcm.networkProvider === 'NSXT_CONTAINER_PLUGIN';
  const num = (v: string) => (v.trim() === '' ? undefined : Math.max(0, Math.floor(Number(v)) || 0));
  return (
    <div className="admin" data-testid="admin">
      <Operations ops={ops} />
      <form
        className="form"
        data-testid="wcm-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run('wcm', () => call('admin.enableWorkloadManagement', wcm), setWcmResult);
        }}
      >
        <h3>{t('admin.wcm.title')}</h3>
        <Field label={t('admin.wcm.cluster')}>{select('cluster', choices?.clusters ?? [])}</Field>
        <Field label={t('admin.wcm.network')}>
          <select
            data-testid="wcm-networkProvider"
            value={wcm.networkProvider}
            onChange={(e) =>
              setWcm({
                ...wcm,
                networkProvider: e.target.value as EnableWorkloadManagement['networkProvider'],
              })
            }
          >
            <option value="NSXT_CONTAINER_PLUGIN">{t('admin.wcm.nsx')}</option>
            <option value="VSPHERE_NETWORK">{t('admin.wcm.vds')}</option>
          </select>
        </Field>
        <Field label={t('admin.wcm.size')}>{select('size', ['TINY', 'SMALL', 'MEDIUM', 'LARGE'])}</Field>
        <Field label={t('admin.wcm.mgmtNetwork')}>
          {select('managementNetwork', choices?.networks ?? [])}
        </Field>
        <Field label={t('admin.wcm.startingAddress')}>{text('startingAddress')}</Field>
        <Field label={t('admin.wcm.subnetMask')}>{text('subnetMask')}</Field>
        <Field label={t('admin.wcm.gateway')}>{text('gateway')}</Field>
        <Field label={t('admin.wcm.storage')}>
          {select('storagePolicy', choices?.storagePolicies ?? [])}
        </Field>
        <Field label={t('admin.wcm.serviceCidr')}>{text('serviceCidr')}</Field>
        {nsx && (
          <>
            <Field label={t('admin.wcm.podCidrs')}>{text('podCidrs')}</Field>
            <Field label={t('admin.wcm.ingress')}>{text('ingressCidrs')}</Field>
            <Field label={t('admin.wcm.egress')}>{text('egressCidrs')}</Field>
            <Field label={t('admin.wcm.edge')}>{select('edgeCluster', choices?.edgeClusters ?? [])}</Field>
          </>
        )}
        <button className="primary" type="submit" disabled={busy !== undefined} data-testid="wcm-submit">
          {busy === 'wcm' ? t('admin.running') : t('admin.wcm.submit')}
        </button>
        <Result result={wcmResult} />
      </form>
      <form
        className="form"
        data-testid="ns-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run('ns', () => call('admin.configureNamespace', ns), setNsResult);
        }}
      >
        <h3>{t('admin.ns.title')}</h3>
        <Field label={t('admin.ns.name')}>
          <input
            data-testid="ns-name"
            value={ns.name}
            onChange={(e) => setNs({ ...ns, name: e.target.value })}
            list="namespaces"
          />
          <datalist id="namespaces">
            {choices?.namespaces.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={ns.create}
            onChange={(e) => setNs({ ...ns, create: e.target.checked })}
            data-testid="ns-create"
          />{' '}
          {t('admin.ns.create')}
        </label>
        <Field label={t('admin.ns.cpu')}>
          <input
            inputMode="numeric"
            value={ns.cpuLimitMHz ?? ''}
            onChange={(e) => setNs({ ...ns, cpuLimitMHz: num(e.target.value) })}
          />
        </Field>
        <Field label={t('admin.ns.memory')}>
          <input
            inputMode="numeric"
            value={ns.memoryLimitMB ?? ''}
            onChange={(e) => setNs({ ...ns, memoryLimitMB: num(e.target.value) })}
          />
        </Field>
        <fieldset>
          <legend>{t('admin.ns.storage')}</legend>
          {(choices?.storagePolicies ?? []).map((p) => (
            <div key={p} className="row">
              <label className="check">
                <input
                  type="checkbox"
                  checked={ns.storagePolicies.includes(p)}
                  onChange={() => setNs({ ...ns, storagePolicies: toggle(ns.storagePolicies, p) })}
                />{' '}
                {p}
              </label>
              {ns.storagePolicies.includes(p) && (
                <input
                  className="small"
                  inputMode="numeric"
                  aria-label={t('admin.ns.storageLimit', { policy: p })}
                  placeholder={t('admin.ns.storageLimit', { policy: p })}
                  value={ns.storageLimitsGB?.[p] ?? ''}
                  onChange={(e) => {
                    const v = num(e.target.value);
                    const limits = { ...(ns.storageLimitsGB ?? {}) };
                    if (v === undefined) delete limits[p];
                    else limits[p] = v;
                    setNs({ ...ns, storageLimitsGB: limits });
                  }}
                />
              )}
            </div>
          ))}
        </fieldset>
        <fieldset className="columns">
          <legend>{t('admin.ns.vmClasses')}</legend>
          {(choices?.vmClasses ?? []).map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                checked={ns.vmClasses.includes(c)}
                onChange={() => setNs({ ...ns, vmClasses: toggle(ns.vmClasses, c) })}
              />{' '}
              {c}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('admin.ns.permissions')}</legend>
          {(choices?.users ?? []).map((u) => {
            const p = ns.permissions.find((x) => x.principal === u);
            return (
              <div key={u} className="row">
                <span>{u}</span>
                <select
                  aria-label={`${t('admin.ns.role')} ${u}`}
                  value={p?.role ?? ''}
                  onChange={(e) => {
                    const rest = ns.permissions.filter((x) => x.principal !== u);
                    const role = e.target.value as 'view' | 'edit' | 'owner' | '';
                    setNs({ ...ns, permissions: role ? [...rest, { principal: u, role }] : rest });
                  }}
                >
                  <option value="">{t('admin.ns.role.none')}</option>
                  <option value="view">{t('admin.ns.role.view')}</option>
                  <option value="edit">{t('admin.ns.role.edit')}</option>
                  <option value="owner">{t('admin.ns.role.owner')}</option>
                </select>
              </div>
            );
          })}
        </fieldset>
        <button className="primary" type="submit" disabled={busy !== undefined} data-testid="ns-submit">
          {busy === 'ns' ? t('admin.running') : t('admin.ns.submit')}
        </button>
        <Result result={nsResult} />
      </form>
    </div>
  );
}
