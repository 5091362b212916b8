// The argument shapes a command receives from the Azure Resources explorer (AzureResourceItem, wrappers whose unwrap()
// gives the inner item, tree ids with an account/tenant prefix), from our tree (armId) and from the palette.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { armIdOf } from '../../../src/azure/explorerItems.ts';

const CLUSTER = '/subscriptions/7a3f9c2e-51b4-4d8a-b6e0-2c9d1f4a8e57/resourceGroups/rb-arc-rg/providers/Microsoft.Kubernetes/connectedClusters/rb-arc-aks';

describe('ARM id of a command argument', () => {
  it('AzureResourceItem: `.resource.id` (the id of the item itself may carry a prefix)', () => {
    const item = {
      id: `/accounts/abc/tenants/def${CLUSTER}`,
      resource: { id: CLUSTER, name: 'rb-arc-aks', subscription: { subscriptionId: '7a3f9c2e-51b4-4d8a-b6e0-2c9d1f4a8e57' }, azureResourceType: { type: 'microsoft.kubernetes/connectedclusters' }, raw: {} },
      portalUrl: { toString: () => 'https://portal.azure.com/#@/resource' + CLUSTER },
    };
    assert.equal(armIdOf(item), CLUSTER);
  });

  it('a wrapper: unwrap() → an item with `.resource`, or one with only an id', () => {
    assert.equal(armIdOf({ unwrap: () => ({ resource: { id: CLUSTER } }) }), CLUSTER);
    assert.equal(armIdOf({ unwrap: () => ({ id: `/accounts/x/tenants/y${CLUSTER}` }) }), CLUSTER);
    // A class-based wrapper: unwrap reads `this`.
    class Wrapper {
      private readonly inner = { resource: { id: CLUSTER } };
      unwrap<T>(): T {
        return this.inner as T;
      }
    }
    assert.equal(armIdOf(new Wrapper()), CLUSTER);
  });

  it('a wrapper that throws or unwraps to itself is read like any object', () => {
    assert.equal(armIdOf({ id: CLUSTER, unwrap: () => { throw new Error('no'); } }), CLUSTER);
    const self: { id: string; unwrap(): unknown } = { id: CLUSTER, unwrap: () => self };
    assert.equal(armIdOf(self), CLUSTER);
  });

  it('our own nodes (armId), plain id strings, and a bare palette call', () => {
    assert.equal(armIdOf({ armId: CLUSTER, id: 'azure/arc:whatever' }), CLUSTER);
    assert.equal(armIdOf(CLUSTER), CLUSTER);
    assert.equal(armIdOf(undefined), undefined);
    assert.equal(armIdOf({ id: 'kubernetes/context:rb-arc-aks' }), undefined);
    assert.equal(armIdOf([{ resource: { id: CLUSTER } }]), undefined, 'a multi-selection array is not an item');
    assert.equal(armIdOf(42), undefined);
  });
});
