import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../main/sim/lab';
import { createShell } from '../../../main/shell';
import { newLab } from '../../helpers/lab';
import { defaultScenario } from '../../helpers/scenario';

let lab: Lab;
afterEach(() => lab?.close());

/** Runs a script in a lab shell (stdout and stderr both land in `out`); returns the output and status. */
async function run(script: string): Promise<{ out: string; status: number }> {
  let out = '';
  const session = createShell(lab, { write: (d) => (out += d), terminal: false });
  const status = await session.runScript(script);
  return { out, status };
}

const open = () => (lab = newLab({ scenario: defaultScenario() }));

/** What a failed command must leave alone: every vCenter object's spec and version. */
function snapshot(): string {
  const kinds = [
    'hostsystems',
    'computeclusters',
    'permissions',
    'ssousers',
    'ssogroups',
    'supervisors',
    'virtualmachines',
  ];
  return JSON.stringify(
    kinds.map((k) =>
      lab.world.vc.list(k).items.map((o) => [o.metadata.name, o.metadata.resourceVersion, o.spec]),
    ),
  );
}

const ENABLE =
  'govc namespace.cluster.enable -cluster Workload-Cluster -service-cidr 10.96.0.0/23 -pod-cidrs 10.244.0.0/20 ' +
  '-workload-network.edge-cluster Edge-Cluster-1 -workload-network.ingress-cidrs 192.168.30.0/24 ' +
  '-workload-network.egress-cidrs 192.168.31.0/24 -size TINY -mgmt-network.network "DVPG-Management Network" ' +
  '-mgmt-network.starting-address 192.168.10.100 -mgmt-network.subnet-mask 255.255.255.0 -mgmt-network.gateway 192.168.10.1 ' +
  '-control-plane-storage-policy k8s-gold -ephemeral-storage-policy k8s-gold -image-storage-policy k8s-gold';

describe('govc: usage, flags and errors', () => {
  it('prints the usage without arguments and "did you mean" for a partial command, with status 1', async () => {
    open();
    const bare = await run('govc');
    expect(bare.status).toBe(1);
    expect(bare.out).toMatch(/^Usage: govc <COMMAND> \[COMMON OPTIONS\] \[PATH\]\.\.\./);
    expect(bare.out).toContain('\nAvailable commands:\n  about\n  cluster.change\n');
    expect(await run('govc host')).toEqual({
      out: "govc: command 'host' not found, did you mean:\n  host.info\n  host.maintenance.enter\n  host.maintenance.exit\n",
      status: 1,
    });
    // a vSphere Namespace needs an enabled cluster: vCenter's refusal, as govc prints the vAPI's
    expect(await run('govc namespace.create -cluster Workload-Cluster demo')).toEqual({
      status: 1,
      out: 'govc: 400 Bad Request: {"error_type":"INVALID_ARGUMENT","messages":[{"args":[],"default_message":"cluster Workload-Cluster does not have vSphere Namespaces enabled","id":"vcenter.wcp.namespace.invalid.argument"}]}\n',
    });
  });

  it('answers -h with the command usage on stdout (status 0) and rejects unknown flags as Go flag does', async () => {
    open();
    const h = await run('govc host.maintenance.enter -h');
    expect(h.status).toBe(0);
    expect(h.out).toMatch(
      /^Usage: govc host.maintenance.enter \[OPTIONS\] HOST\.\.\.\n\nPut HOST in maintenance mode\./,
    );
    expect(h.out).toContain('\n  -timeout=0                Timeout\n');
    expect(await run('govc ls -x')).toEqual({ out: 'govc: flag provided but not defined: -x\n', status: 1 });
    expect(await run('govc cluster.change -drs-vmotion-rate')).toEqual({
      out: 'govc: flag needs an argument: -drs-vmotion-rate\n',
      status: 1,
    });
    // a command given no arguments where it needs them prints its usage on stderr, status 1
    const change = await run('govc cluster.change');
    expect(change.status).toBe(1);
    expect(change.out).toMatch(/^Usage: govc cluster.change \[OPTIONS\] CLUSTER\.\.\./);
  });
});

describe('govc: inventory', () => {
  it('shows about, ls and find over the default inventory', async () => {
    open();
    const about = await run('govc about');
    expect(about.out.split('\n').slice(0, 2)).toEqual([
      'FullName:     VMware vCenter Server 7.0.3 build-20150588',
      'Name:         VMware vCenter Server',
    ]);
    expect((await run('govc about -json | grep apiType')).out).toBe('    "apiType": "VirtualCenter",\n');
    expect((await run('govc ls')).out).toBe(
      '/Datacenter/vm\n/Datacenter/network\n/Datacenter/host\n/Datacenter/datastore\n',
    );
    expect((await run('govc ls -l /Datacenter/host/Workload-Cluster')).out).toBe(
      [
        '/Datacenter/host/Workload-Cluster/esxi-01.lab.local (HostSystem)',
        '/Datacenter/host/Workload-Cluster/esxi-02.lab.local (HostSystem)',
        '/Datacenter/host/Workload-Cluster/esxi-03.lab.local (HostSystem)',
        '/Datacenter/host/Workload-Cluster/esxi-04.lab.local (HostSystem)',
        '/Datacenter/host/Workload-Cluster/DVPG-Management Network (DistributedVirtualPortgroup)',
        '/Datacenter/host/Workload-Cluster/DVPG-Workload Network (DistributedVirtualPortgroup)',
        '/Datacenter/host/Workload-Cluster/Resources (ResourcePool)',
        '',
      ].join('\n'),
    );
    expect((await run('govc ls -l /Datacenter')).out).toContain('/Datacenter/host/\n');
    expect((await run('govc ls -t Datastore datastore')).out).toBe('/Datacenter/datastore/vsanDatastore\n');
    expect(await run('govc ls enoent')).toEqual({ out: '', status: 0 });
    expect((await run("govc find -type h -name 'esxi-0[12]*'")).out).toBe(
      '/Datacenter/host/Workload-Cluster/esxi-01.lab.local\n/Datacenter/host/Workload-Cluster/esxi-02.lab.local\n',
    );
    expect((await run('govc find host -type c')).out).toBe('host/Workload-Cluster\n');
    expect((await run('govc find -l / -type n')).out).toBe(
      'DistributedVirtualPortgroup  /Datacenter/network/DVPG-Management Network\n' +
        'DistributedVirtualPortgroup  /Datacenter/network/DVPG-Workload Network\n',
    );
    expect(await run('govc find /nowhere')).toEqual({ out: 'govc: /nowhere not found\n', status: 1 });
  });

  it('lists content libraries and storage policies', async () => {
    open();
    expect((await run('govc library.ls')).out).toBe('/Kubernetes\n');
    expect((await run("govc library.ls '/Kubernetes/*' | wc -l")).out.trim()).toBe('8');
    expect((await run('govc storage.policy.ls')).out).toMatch(
      /^[0-9a-f-]{36} {2}k8s-gold\naa6d5a82-1c88-45da-85d3-3d74b91a5bad {2}vSAN Default Storage Policy\n$/,
    );
    expect(await run('govc storage.policy.ls gold')).toEqual({
      out: 'govc: profile "gold" not found\n',
      status: 1,
    });
  });
});

describe('govc: hosts and clusters', () => {
  it('prints host.info as govc lays it out, and govmomi finder errors', async () => {
    open();
    expect((await run('govc host.info esxi-01.lab.local')).out).toBe(
      [
        'Name:              esxi-01.lab.local',
        '  Path:            /Datacenter/host/Workload-Cluster/esxi-01.lab.local',
        '  Manufacturer:    Dell Inc.',
        '  Logical CPUs:    32 CPUs @ 2400MHz',
        '  Processor type:  Intel(R) Xeon(R) Gold CPU @ 2.40GHz',
        '  CPU usage:       0 MHz (0.0%)',
        '  Memory:          524288MB',
        '  Memory usage:    0 MB (0.0%)',
        '  Boot time:       2026-01-05 09:00:00 +0000 UTC',
        '  State:           connected',
        '',
      ].join('\n'),
    );
    expect(await run('govc host.info')).toEqual({
      out: 'govc: default host resolves to multiple instances, please specify\n',
      status: 1,
    });
    expect(await run('govc host.info esxi-99')).toEqual({
      out: "govc: host 'esxi-99' not found\n",
      status: 1,
    });
    expect(await run("govc host.info -host 'esxi-0*'")).toEqual({
      out: "govc: path 'esxi-0*' resolves to multiple hosts\n",
      status: 1,
    });
    const json = JSON.parse(
      (await run('govc host.info -json /Datacenter/host/Workload-Cluster/esxi-02.lab.local')).out,
    );
    expect(json.hostSystems[0].summary.hardware).toMatchObject({
      numCpuCores: 32,
      cpuMhz: 2400,
      memorySize: 512 * 2 ** 30,
    });
    expect(json.hostSystems[0].self.value).toMatch(/^host-\d+$/);
  });

  it('changes DRS and HA through cluster.change; refuses bad values and changes nothing', async () => {
    open();
    const before = snapshot();
    expect(await run('govc cluster.change -drs-mode bogus Workload-Cluster')).toEqual({
      out: 'govc: ServerFaultCode: A specified parameter was not correct: drsConfig.defaultVmBehavior\n',
      status: 1,
    });
    expect(await run('govc cluster.change -drs-enabled=maybe Workload-Cluster')).toEqual({
      out: 'govc: invalid boolean value "maybe" for -drs-enabled: strconv.ParseBool: parsing "maybe": invalid syntax\n',
      status: 1,
    });
    expect(await run('govc cluster.change -ha-enabled=false Nowhere')).toEqual({
      out: "govc: cluster 'Nowhere' not found\n",
      status: 1,
    });
    expect(snapshot()).toBe(before);
    expect(
      await run(
        'govc cluster.change -drs-mode manual -drs-vmotion-rate 2 -ha-enabled=false Workload-Cluster',
      ),
    ).toEqual({
      out: '',
      status: 0,
    });
    expect(lab.world.vc.get('computeclusters', '', 'Workload-Cluster').spec).toMatchObject({
      drs: { enabled: true, automationLevel: 'manual', migrationThreshold: 4 },
      ha: { enabled: false },
    });
    expect((await run('govc cluster.usage Workload-Cluster | head -n 2')).out).toBe(
      'CPU usage:         0.0%\nCPU capacity:      307.2GHz\n',
    );
  });
});

describe('govc: Workload Management', () => {
  it('enables the Supervisor with govc flags, lists it, and shows its control-plane VMs', async () => {
    open();
    expect(await run(ENABLE)).toEqual({ out: '', status: 0 });
    expect((await run('govc namespace.cluster.ls -l')).out).toBe(
      '/Datacenter/host/Workload-Cluster  CONFIGURING  <nil>\n',
    );
    expect(lab.world.vc.get('supervisors', '', 'Workload-Cluster').spec).toMatchObject({
      networkProvider: 'NSXT_CONTAINER_PLUGIN',
      serviceCIDR: '10.96.0.0/23',
      podCIDRs: ['10.244.0.0/20'],
      edgeCluster: 'Edge-Cluster-1',
      managementNetwork: {
        network: 'DVPG-Management Network',
        startingAddress: '192.168.10.100',
        addressCount: 5,
      },
      controlPlaneStoragePolicy: 'k8s-gold',
    });
    await run('sleep 20m');
    expect((await run('govc namespace.cluster.ls -l')).out).toBe(
      '/Datacenter/host/Workload-Cluster  RUNNING  READY\n',
    );
    const ls = JSON.parse((await run('govc namespace.cluster.ls -json')).out);
    expect(ls).toEqual([
      {
        cluster: expect.stringMatching(/^domain-c\d+$/),
        cluster_name: 'Workload-Cluster',
        kubernetes_status: 'READY',
        config_status: 'RUNNING',
      },
    ]);
    expect((await run('govc find -type m')).out).toBe(
      [1, 2, 3].map((i) => `/Datacenter/vm/Namespaces/SupervisorControlPlaneVM (${i})\n`).join(''),
    );
    const info = (await run('govc vm.info -r "SupervisorControlPlaneVM (1)"')).out;
    expect(info.split('\n').slice(0, 2)).toEqual([
      'Name:                   SupervisorControlPlaneVM (1)',
      '  Path:                 /Datacenter/vm/Namespaces/SupervisorControlPlaneVM (1)',
    ]);
    expect(info).toContain('\n  Guest name:           VMware Photon OS (64-bit)\n');
    expect(info).toContain('\n  Power state:          poweredOn\n');
    expect(info).toContain('\n  IP address:           192.168.10.100\n');
    expect(info).toContain('\n  Network:              DVPG-Management Network\n');
    expect(await run('govc vm.info no-such-vm')).toEqual({ out: '', status: 0 });
    expect(await run('govc vm.info')).toEqual({ out: 'govc: no argument\n', status: 1 });
  });

  it("refuses enable with govc's own lookup errors and vCenter's checks, creating nothing", async () => {
    open();
    const before = snapshot();
    expect(await run('govc namespace.cluster.enable -cluster Nowhere')).toEqual({
      out: "govc: cluster 'Nowhere' not found\n",
      status: 1,
    });
    expect(
      await run(
        ENABLE.replace('-control-plane-storage-policy k8s-gold', '-control-plane-storage-policy gold'),
      ),
    ).toEqual({
      out: 'govc: error looking up storage policy "gold": profile "gold" not found\n',
      status: 1,
    });
    expect(await run(ENABLE.replace('-workload-network.edge-cluster Edge-Cluster-1', ''))).toEqual({
      out: 'govc: Didn\'t find unique match for edge cluster "", found 0 objects\n',
      status: 1,
    });
    expect(await run(ENABLE.replace('-service-cidr 10.96.0.0/23', ''))).toEqual({
      out: 'govc: invalid service-cidr value: invalid cidr "" supplied, needs to be in form \'192.168.1.0/24\'\n',
      status: 1,
    });
    await run('govc cluster.change -ha-enabled=false Workload-Cluster');
    const afterHa = snapshot();
    const refused = await run(ENABLE);
    expect(refused.status).toBe(1);
    expect(refused.out).toBe(
      'govc: 400 Bad Request: {"error_type":"INVALID_ARGUMENT","messages":[{"args":[],"default_message":"vSphere HA must be enabled","id":"vcenter.wcp.invalid.argument"}]}\n',
    );
    expect(snapshot()).toBe(afterHa);
    expect(afterHa).not.toBe(before);
    expect((await run('govc namespace.cluster.disable -cluster Workload-Cluster')).out).toMatch(
      /^govc: error disabling cluster: 400 Bad Request: .*does not have vSphere Namespaces enabled/,
    );
  });

  it('disables Workload Management: the control plane goes away', async () => {
    open();
    await run(`${ENABLE}; sleep 20m`);
    expect(await run('govc namespace.cluster.disable -cluster Workload-Cluster')).toEqual({
      out: '',
      status: 0,
    });
    await run('sleep 5m');
    expect((await run('govc namespace.cluster.ls; govc find -type m')).out).toBe('');
  });
});

describe('govc: maintenance mode', () => {
  it('evacuates a host by vMotion before it reports maintenance mode, and brings it back', async () => {
    open();
    await run(`${ENABLE}; sleep 20m`);
    const vm = lab.world.vc.get('virtualmachines', '', 'SupervisorControlPlaneVM (1)');
    const host = (vm.status as { host: string }).host;
    const enter = await run(`govc host.maintenance.enter ${host}`);
    expect(enter).toEqual({
      out: `[05-01-26 09:20:20] /Datacenter/host/Workload-Cluster/${host} entering maintenance mode... OK\n`,
      status: 0,
    });
    expect((await run(`govc host.info ${host} | grep State`)).out).toBe(
      '  State:           Maintenance Mode\n',
    );
    const moved = (await run('govc vm.info "SupervisorControlPlaneVM (1)" | grep Host:')).out;
    expect(moved).toMatch(/^ {2}Host: {9}esxi-0\d\.lab\.local\n$/);
    expect(moved).not.toContain(host);
    const again = await run(`govc host.maintenance.enter ${host}`);
    expect(again.status).toBe(1);
    expect(again.out).toContain(
      'entering maintenance mode... Error: The operation is not allowed in the current state.\n',
    );
    expect(again.out).toContain('\ngovc: The operation is not allowed in the current state.\n');
    expect((await run(`govc host.maintenance.exit ${host}; govc host.info ${host} | grep State`)).out).toBe(
      `[05-01-26 09:20:20] /Datacenter/host/Workload-Cluster/${host} exiting maintenance mode... OK\n  State:           connected\n`,
    );
  });

  it('refuses a failed host and times out when nothing can take the VMs, leaving the host as it was', async () => {
    open();
    await run(`${ENABLE}; sleep 20m; lab host fail esxi-02.lab.local; sleep 2m`);
    const before = snapshot();
    const failed = await run('govc host.maintenance.enter esxi-02.lab.local');
    expect(failed.status).toBe(1);
    expect(failed.out).toContain(
      'govc: The operation is not allowed in the current connection state of the host esxi-02.lab.local.\n',
    );
    expect(snapshot()).toBe(before);
    expect((await run('govc host.maintenance.enter esxi-01.lab.local esxi-03.lab.local')).status).toBe(0);
    const last = await run('govc host.maintenance.enter -timeout 120 esxi-04.lab.local');
    expect(last.status).toBe(1);
    expect(last.out).toMatch(
      /esxi-04\.lab\.local entering maintenance mode\.\.\. Error: Operation timed out\.\ngovc: Operation timed out\.\n$/,
    );
    expect(lab.world.vc.get('hostsystems', '', 'esxi-04.lab.local').spec).toMatchObject({
      maintenanceMode: false,
    });
    expect((await run('govc host.info esxi-04.lab.local | grep State')).out).toBe(
      '  State:           connected\n',
    );
  });
});

describe('govc: permissions and SSO', () => {
  it('lists, sets and removes permissions with inherited ones shown', async () => {
    open();
    expect((await run('govc permissions.ls')).out).toBe(
      'Role   Entity  Principal                     Propagate\n' +
        'Admin  /       VSPHERE.LOCAL\\administrator   Yes\n' +
        'Admin  /       VSPHERE.LOCAL\\Administrators  Yes\n',
    );
    expect(
      await run(
        'govc permissions.set -principal devops@vsphere.local -role ReadOnly /Datacenter/host/Workload-Cluster',
      ),
    ).toEqual({ out: '', status: 0 });
    expect((await run('govc permissions.ls /Datacenter/host/Workload-Cluster/esxi-01.lab.local')).out).toBe(
      'Role      Entity                             Principal                     Propagate\n' +
        'ReadOnly  /Datacenter/host/Workload-Cluster  VSPHERE.LOCAL\\devops          Yes\n' +
        'Admin     /                                  VSPHERE.LOCAL\\administrator   Yes\n' +
        'Admin     /                                  VSPHERE.LOCAL\\Administrators  Yes\n',
    );
    const before = snapshot();
    expect(await run('govc permissions.set -principal devops -role Superhero')).toEqual({
      out: 'govc: role "Superhero" not found\n',
      status: 1,
    });
    expect((await run('govc permissions.set -principal nobody -role ReadOnly')).status).toBe(1);
    expect(await run('govc permissions.ls vsanDatastore')).toEqual({
      out: 'govc: "vsanDatastore" must be qualified with a path\n',
      status: 1,
    });
    expect(await run('govc permissions.remove -principal viewer /Datacenter/host/Workload-Cluster')).toEqual({
      out: 'govc: ServerFaultCode: The object or item referred to could not be found.\n',
      status: 1,
    });
    expect(snapshot()).toBe(before);
    expect(await run('govc permissions.remove -principal devops /Datacenter/host/Workload-Cluster')).toEqual({
      out: '',
      status: 0,
    });
    expect(lab.world.vc.list('permissions').items).toHaveLength(2);
  });

  it('creates users and groups, manages membership, and reports SSO faults', async () => {
    open();
    expect((await run('govc sso.user.ls')).out).toBe('administrator  \ndevops         \nviewer         \n');
    expect(
      await run(
        "govc sso.user.create -p 'VMware1!' -f Ann ann; govc sso.group.create -d 'Platform team' Platform",
      ),
    ).toEqual({
      out: '',
      status: 0,
    });
    const before = snapshot();
    expect(await run("govc sso.user.create -p 'VMware1!' ann")).toEqual({
      out: 'govc: ServerFaultCode: DuplicateName\n',
      status: 1,
    });
    expect(await run('govc sso.group.update -a ghost Platform')).toEqual({
      out: 'govc: user "ghost" not found\n',
      status: 1,
    });
    expect(await run('govc sso.user.rm nobody')).toEqual({
      out: 'govc: ServerFaultCode: NotFound\n',
      status: 1,
    });
    expect((await run('govc sso.user.create ann')).status).toBe(1);
    expect(snapshot()).toBe(before);
    await run('govc sso.group.update -a ann Platform; govc sso.group.update -g -a DevOps Platform');
    expect((await run('govc sso.user.id ann')).out).toBe('person=ann@vsphere.local groups=Platform\n');
    expect((await run('govc sso.group.ls')).out).toBe(
      'DevOps    DevOps engineers\nPlatform  Platform team\n',
    );
    expect((await run('govc sso.group.ls Platform')).out).toBe('DevOps  DevOps engineers\n');
    const users = JSON.parse((await run('govc sso.user.ls -json ann')).out);
    expect(users).toEqual([
      {
        Id: { Name: 'ann', Domain: 'vsphere.local' },
        Alias: null,
        Details: { Description: '', EmailAddress: '', FirstName: 'Ann', LastName: '' },
        Disabled: false,
        Locked: false,
      },
    ]);
    expect(await run('govc sso.user.rm ann; govc sso.user.id ann')).toEqual({
      out: 'govc: "ann": no such user\n',
      status: 1,
    });
    expect(
      (lab.world.vc.get('ssogroups', '', 'Platform@vsphere.local').spec as { members: string[] }).members,
    ).toEqual(['DevOps@vsphere.local']);
  });
});
