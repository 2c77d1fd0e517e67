// Progress of parallel image pulls, from the engine's pull events (POST /images/create streams
// JSON lines: {status, id, progressDetail: {current, total}} per layer, {error} on failure).
// An image's share is the mean of its layers' shares (all layers are announced up front with
// "Pulling fs layer", their sizes only once each download starts), so progress never goes back.

export interface PullEvent {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

interface Layer {
  current: number;
  total: number;
  done: boolean;
}

const DONE = /^(Download complete|Pull complete|Already exists)$/;
const MIB = 1024 * 1024;
const size = (bytes: number) =>
  bytes >= 1024 * MIB ? `${(bytes / 1024 / MIB).toFixed(1)} GiB` : `${Math.round(bytes / MIB)} MiB`;

export class PullProgress {
  private readonly layers = new Map<string, Map<string, Layer>>();
  private readonly finished = new Set<string>();

  constructor(private readonly images: readonly string[]) {}

  /** Takes one event of `image`'s pull; returns the error text if the event is a failure. */
  update(image: string, event: PullEvent): string | undefined {
    if (event.error) return event.errorDetail?.message ?? event.error;
    if (!event.id || !event.status || /^Pulling from /.test(event.status)) return undefined;
    let layers = this.layers.get(image);
    if (!layers) this.layers.set(image, (layers = new Map()));
    const layer = layers.get(event.id) ?? { current: 0, total: 0, done: false };
    layers.set(event.id, layer);
    if (event.status === 'Downloading' && event.progressDetail?.total) {
      layer.total = event.progressDetail.total;
      layer.current = event.progressDetail.current ?? layer.current;
    }
    if (DONE.test(event.status)) {
      layer.done = true;
      layer.current = layer.total;
    }
    return undefined;
  }

  /** Marks an image as there (pulled, or present before). */
  finish(image: string): void {
    this.finished.add(image);
  }

  /** 0..1: finished images count whole; the rest by the mean share of their layers. */
  fraction(): number {
    if (this.images.length === 0) return 1;
    const perImage = this.images.map((image) => {
      if (this.finished.has(image)) return 1;
      const layers = [...(this.layers.get(image)?.values() ?? [])];
      if (layers.length === 0) return 0;
      const share = (l: Layer) => (l.done ? 1 : l.total > 0 ? l.current / l.total : 0);
      return Math.min(0.99, layers.reduce((s, l) => s + share(l), 0) / layers.length);
    });
    return perImage.reduce((a, b) => a + b, 0) / this.images.length;
  }

  /** e.g. "4 of 11 images there, 312 MiB of 1.2 GiB downloaded". */
  summary(): string {
    const layers = [...this.layers.values()].flatMap((m) => [...m.values()]);
    const current = layers.reduce((s, l) => s + l.current, 0);
    const total = layers.reduce((s, l) => s + l.total, 0);
    const bytes = total > 0 ? `, ${size(current)} of ${size(total)} downloaded` : '';
    return `${this.finished.size} of ${this.images.length} images there${bytes}`;
  }
}
