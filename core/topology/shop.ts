// The shop's namespace, the same on every target (kind, sim, EKS).
export const SHOP_NAMESPACE = 'shop';
