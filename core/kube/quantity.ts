// Kubernetes resource quantities ("250m", "1.5Gi", "123456789n", "1e3") as plain numbers, for
// showing usage against requests and allocatable. Precision beyond a float's is not needed here.
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value in base units (cores, bytes); undefined when it is not a quantity. */
export const parseQuantity = (quantity: string | undefined): number | undefined => {
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(quantity?.trim() ?? '');
  if (!match) return undefined;
  const factor = SUFFIX[match[2] ?? ''];
  return factor === undefined ? undefined : Number(match[1]) * factor;
};

/** CPU in millicores, rounded (e.g. "123456789n" → 123). */
export const cpuMillis = (quantity: string | undefined): number | undefined => {
  const cores = parseQuantity(quantity);
  return cores === undefined ? undefined : Math.round(cores * 1000);
};

/** Memory in bytes, rounded. */
export const memoryBytes = (quantity: string | undefined): number | undefined => {
  const bytes = parseQuantity(quantity);
  return bytes === undefined ? undefined : Math.round(bytes);
};
