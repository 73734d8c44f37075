import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Authorizer } from '../../main/api/admission';
import type { Lab } from '../../main/sim/lab';
import { newLab } from '../helpers/lab';
import { haveKubectl, KUBECTL, serveLab, type Served } from '../helpers/kubectl';

if (!haveKubectl)
  console.warn(
    `SKIPPED: the endpoint authorization suite needs kubectl at ${KUBECTL}; none is installed here.`,
  );

describe.skipIf(!haveKubectl)('the endpoint goes through the same authorizer as the shell', () => {
  let lab: Lab;
  let s: Served;
  const authorizer: Authorizer = { authorize: (a) => ({ allowed: a.verb !== 'delete' }) };
  beforeAll(async () => {
    lab = newLab({ authorizer });
    s = await serveLab(lab, 'devops@vsphere.local');
  });
  afterAll(async () => {
    await s?.endpoint.close();
    lab?.close();
    if (s) rmSync(s.dir, { recursive: true, force: true });
  });

  it('refuses with 403 and the message kubectl prints, and can-i says no', async () => {
    await s.kubectl(['create', 'configmap', 'keep', '--from-literal=a=1']);
    const r = await s.kubectl(['delete', 'configmap', 'keep']);
    expect(r).toMatchObject({
      code: 1,
      stderr:
        'Error from server (Forbidden): configmaps "keep" is forbidden: User "sso:devops@vsphere.local" cannot delete resource "configmaps" in API group "" in the namespace "default"\n',
    });
    expect(await s.kubectl(['auth', 'can-i', 'delete', 'configmaps'])).toMatchObject({
      code: 1,
      stdout: 'no\n',
    });
    expect(await s.kubectl(['auth', 'can-i', 'get', 'configmaps'])).toMatchObject({
      code: 0,
      stdout: 'yes\n',
    });
  });
});
