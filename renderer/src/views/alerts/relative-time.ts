// "since" as people say it: `just now`, `42 s ago`, `3 min ago`, `2 h 5 min ago`, `3 d ago`.

export const timeAgo = (iso: string, now: number): string => {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const s = Math.max(0, Math.floor((now - at) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min ago` : `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
};
