// The flavors of API space: a Supervisor, a guest (TKC) cluster, and the vCenter inventory.
export const KUBERNETES = ['supervisor', 'guest'];
