// library.ls (content libraries and their items) and storage.policy.ls (VM storage policies).
import type { KubeObject } from '../../../api/types';
import { clientFlags, GovcError, outputFlags, type GovcCommand, type GovcContext } from './command';
import { uuidFrom } from './mo';
import { goJsonTime, goMatch } from './output';

/** The ID vCenter gives the built-in vSAN default policy; other policies get a stable UUID. */
export function policyId(name: string): string {
  return name === 'vSAN Default Storage Policy'
    ? 'aa6d5a82-1c88-45da-85d3-3d74b91a5bad'
    : uuidFrom(`pbm:${name}`);
}

/** pbm ListProfiles: every policy, or the one named. */
export function listProfiles(ctx: GovcContext, name: string): KubeObject[] {
  const all = ctx.vc.list('storagepolicies').items;
  if (!name) return all;
  const p = all.find((x) => x.metadata.name === name);
  if (!p) throw new GovcError(`profile "${name}" not found`);
  return [p];
}

const created = (o: KubeObject) => goJsonTime(Date.parse(o.metadata.creationTimestamp ?? '') || 0);

export const storagePolicyLs: GovcCommand = {
  name: 'storage.policy.ls',
  usage: '[NAME]',
  description: 'VM Storage Policy listing.',
  flags: (fs) => outputFlags(clientFlags(fs)).bool('i', 'List policy ID only'),
  run(ctx, fs) {
    const profiles = listProfiles(ctx, fs.args[0] ?? '');
    ctx.write(
      fs,
      () => ({
        profile: profiles.map((p) => ({
          profileId: { uniqueId: policyId(p.metadata.name!) },
          name: p.metadata.name,
          ...((p.spec as { description?: string }).description
            ? { description: (p.spec as { description?: string }).description }
            : {}),
          creationTime: created(p),
          createdBy: 'Temporary user handle',
          lastUpdatedTime: created(p),
          lastUpdatedBy: 'Temporary user handle',
          profileCategory: 'REQUIREMENT',
          resourceType: { resourceType: 'STORAGE' },
          constraints: {},
          generationId: 0,
          isDefault: false,
        })),
      }),
      () =>
        profiles
          .map((p) => `${policyId(p.metadata.name!)}${fs.flag('i') ? '' : `\t${p.metadata.name}`}\n`)
          .join(''),
      true,
    );
  },
};

interface Item {
  name: string;
  type: string;
  version: string;
  description?: string;
}

interface Found {
  path: string;
  json: Record<string, unknown>;
}

export const libraryLs: GovcCommand = {
  name: 'library.ls',
  usage: '',
  description: 'List libraries, items, and files.',
  flags: (fs) => outputFlags(clientFlags(fs)),
  run(ctx, fs) {
    const libs = ctx.vc.list('contentlibraries').items;
    const matchAll = (token: string, names: { name: string; id: string }[]) => {
      const t = token || '*';
      if (!/[*?]/.test(t)) {
        const byName = names.filter((n) => n.name === t);
        return byName.length ? byName : names.filter((n) => n.id === t);
      }
      return names.filter((n) => {
        try {
          return goMatch(t, n.name);
        } catch (e) {
          throw new GovcError((e as Error).message);
        }
      });
    };
    const found: Found[] = [];
    for (const arg of fs.args.length ? fs.args : ['']) {
      let parts = (arg || '*').replace(/^\//, '').split('/');
      if (parts.length > 3) parts = [parts[0]!, parts[1]!, parts.slice(2).join('/')];
      const libHits = matchAll(
        parts[0]!,
        libs.map((l) => ({ name: l.metadata.name!, id: l.metadata.uid! })),
      ).map((h) => libs.find((l) => l.metadata.uid === h.id)!);
      for (const lib of libHits) {
        const spec = lib.spec as {
          type?: string;
          subscriptionURL?: string;
          datastore?: string;
          items?: Item[];
        };
        const ds = ctx.inventory().datastores.find((d) => d.name === spec.datastore);
        if (parts.length < 2) {
          found.push({
            path: `/${lib.metadata.name}`,
            json: {
              creation_time: created(lib),
              id: lib.metadata.uid,
              last_modified_time: created(lib),
              name: lib.metadata.name,
              storage_backings: [{ datastore_id: ds?.ref.value ?? '', type: 'DATASTORE' }],
              type: spec.type,
              version: '2',
              ...(spec.type === 'SUBSCRIBED'
                ? {
                    subscription_info: {
                      authentication_method: 'NONE',
                      automatic_sync_enabled: true,
                      on_demand: true,
                      subscription_url: spec.subscriptionURL,
                    },
                  }
                : {}),
            },
          });
          continue;
        }
        const items = (spec.items ?? []).map((i) => ({
          ...i,
          id: uuidFrom(`${lib.metadata.uid}/${i.name}`),
        }));
        for (const hit of matchAll(parts[1]!, items)) {
          const item = items.find((i) => i.id === hit.id)!;
          // the lab does not model an item's files: FILE listings come back empty
          if (parts.length >= 3) continue;
          found.push({
            path: `/${lib.metadata.name}/${item.name}`,
            json: {
              cached: spec.type !== 'SUBSCRIBED',
              content_version: '2',
              creation_time: created(lib),
              ...(item.description ? { description: item.description } : {}),
              id: item.id,
              last_modified_time: created(lib),
              library_id: lib.metadata.uid,
              metadata_version: '1',
              name: item.name,
              type: item.type,
              version: '1',
            },
          });
        }
      }
    }
    ctx.write(
      fs,
      () => (found.length ? found.map((f) => f.json) : null),
      () => found.map((f) => `${f.path}\n`).join(''),
    );
  },
};
