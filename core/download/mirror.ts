// Release mirrors: with KARTSTREAM_RELEASE_MIRROR=<base>, `https://<host>/<path>` is fetched from
// `<base>/<host>/<path>` instead, so one tree of the origins' own file names (checksum files
// included) can stand in for dl.k8s.io and github.com behind a firewall or offline.

export const RELEASE_MIRROR_ENV = 'KARTSTREAM_RELEASE_MIRROR';

/** Where to fetch an origin URL from: the mirror's copy if a mirror is set, else the URL itself. */
export const mirroredUrl = (url: string, env: NodeJS.ProcessEnv = process.env): string => {
  const base = env[RELEASE_MIRROR_ENV]?.trim();
  if (!base) return url;
  const origin = new URL(url);
  return `${base.replace(/\/+$/, '')}/${origin.host}${origin.pathname}${origin.search}`;
};
