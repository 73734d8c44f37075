import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authorizer } from '../../main/api/admission';
import type { Lab } from '../../main/sim/lab';
import { newLab } from '../helpers/lab';
import { haveKubectl, serveLab, type Served, warnSkipped } from '../helpers/kubectl';

warnSkipped('the endpoint authorization suite');

describe.skipIf(!haveKubectl)('the endpoint goes through the same authorizer as the shell', () => {
  let lab: Lab;
  let s: Served;
  const authorizer: Authorizer = { authorize: (a) => ({ allowed: a.verb !== 'delete' }) };
  beforeAll(async () => {
    lab = newLab({ authorizer });
    s = await serveLab(lab, 'devops@vsphere.local');
  });
  afterAll(async () => {
    await s?.close();
    lab?.close();
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
