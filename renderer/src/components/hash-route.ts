// The view and lab live in the URL hash (`#/map?lab=kartstream`), so a reload keeps them. The
// token stays in the path and never goes anywhere else.

export const VIEWS = [
  'labs',
  'map',
  'graph',
  'scenarios',
  'alerts',
  'dashboards',
  'promote',
  'timeline',
  'share',
  'gameday',
] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  view: ViewName | undefined;
  lab: string | undefined;
}

const isView = (value: string): value is ViewName => (VIEWS as readonly string[]).includes(value);

export const parseHash = (hash: string): Route => {
  const match = /^#?\/?([^?]*)(?:\?(.*))?$/.exec(hash);
  const path = match?.[1] ?? '';
  const lab = new URLSearchParams(match?.[2] ?? '').get('lab') || undefined;
  return { view: isView(path) ? path : undefined, lab };
};

export const formatHash = (route: { view: ViewName; lab: string | undefined }): string =>
  `#/${route.view}${route.lab ? `?lab=${encodeURIComponent(route.lab)}` : ''}`;

/**
 * Which lab to show: the one in the URL if it still exists, else the server's default lab, else
 * the first lab; undefined when there are none.
 */
export const pickLab = (
  labs: readonly { name: string }[],
  wanted: string | undefined,
  defaultLab: string | undefined,
): string | undefined => {
  const names = labs.map((l) => l.name);
  if (wanted && names.includes(wanted)) return wanted;
  if (defaultLab && names.includes(defaultLab)) return defaultLab;
  return names[0];
};
