// volume.ls: the CNS volumes vCenter keeps for Kubernetes persistent volumes (the vSphere Client's
// Cloud Native Storage > Container Volumes), as govc lists them: `ID  NAME`, with -l the capacity and
// the container cluster, with -i the IDs only.
import type { KubeObject } from '../../../api/types';
import type { CnsVolumeSpec } from '../../../sim/supervisor/cns';
import { clientFlags, outputFlags, type GovcCommand } from './command';
import { byteSize } from './output';

const spec = (v: KubeObject) => v.spec as CnsVolumeSpec;

export const volumeLs: GovcCommand = {
  name: 'volume.ls',
  usage: '[ID...]',
  description: `List CNS volumes.

Examples:
  govc volume.ls
  govc volume.ls -l
  govc volume.ls -ds vsanDatastore
  govc volume.ls df86393b-5ae0-4fca-87d0-b692dbc67d45`,
  flags: (fs) =>
    outputFlags(clientFlags(fs))
      .string('ds', 'Find volume by datastore')
      .bool('i', 'List volume ID only')
      .bool('l', 'Long listing format'),
  run(ctx, fs) {
    const ids = fs.args;
    const ds = fs.str('ds');
    const volumes = ctx.vc
      .list('cnsvolumes')
      .items.filter(
        (v) =>
          (!ids.length || ids.includes(v.metadata.name!) || ids.includes(spec(v).volumeName)) &&
          (!ds || spec(v).datastore === ds),
      );
    const clusterId = (v: KubeObject) => {
      const c = spec(v).cluster;
      return (c && ctx.inventory().nodeOf('ClusterComputeResource', c)?.ref.value) ?? '';
    };
    ctx.write(
      fs,
      () => ({
        volume: volumes.map((v) => ({
          volumeId: { id: v.metadata.name },
          datastoreUrl: `ds:///vmfs/volumes/${spec(v).datastore}/`,
          name: spec(v).volumeName,
          volumeType: spec(v).type,
          storagePolicyId: spec(v).storagePolicy,
          metadata: {
            containerCluster: {
              clusterType: 'KUBERNETES',
              clusterId: clusterId(v),
              vSphereUser: '',
              clusterFlavor: 'WORKLOAD',
            },
            entityMetadata: [
              { entityName: spec(v).volumeName, entityType: 'PERSISTENT_VOLUME', namespace: '' },
              {
                entityName: spec(v).claim,
                entityType: 'PERSISTENT_VOLUME_CLAIM',
                namespace: spec(v).namespace,
              },
            ],
          },
          backingObjectDetails: { capacityInMb: spec(v).capacityMB },
        })),
      }),
      () =>
        fs.flag('i')
          ? volumes.map((v) => `${v.metadata.name}\n`).join('')
          : volumes
              .map(
                (v) =>
                  `${v.metadata.name}\t${spec(v).volumeName}${
                    fs.flag('l')
                      ? `\t${byteSize(spec(v).capacityMB * 2 ** 20)}\tKUBERNETES\t${clusterId(v)}`
                      : ''
                  }\n`,
              )
              .join(''),
      !fs.flag('i'),
    );
  },
};
