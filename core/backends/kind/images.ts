// Image preload: every image the lab's manifests name (the caller renders them and passes the
// list) is pulled on the host (in parallel, with progress from the engine's pull events) unless
// it is there already, then copied into the nodes with `kind load docker-image`. A second `up` finds the images on the host and works offline.
import type Docker from 'dockerode';
import { KartStreamError } from '../../errors/kartstream-error.ts';
import type { TaskReporter } from '../../tasks/task.ts';
import type { EngineProvider } from './engine-endpoint.ts';
import { kindArgs, runKind } from './kind-cli.ts';
import { PullProgress, type PullEvent } from './pull-progress.ts';

const PULL_CONCURRENCY = 4;

const isPresent = (docker: Docker, image: string): Promise<boolean> =>
  docker
    .getImage(image)
    .inspect()
    .then(
      () => true,
      () => false,
    );

const pullOne = (docker: Docker, image: string, progress: PullProgress, onEvent: () => void): Promise<void> =>
  new Promise((resolve, reject) => {
    docker.pull(image, {}, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error('no pull stream'));
      let failure: string | undefined;
      docker.modem.followProgress(
        stream,
        (finishError: Error | null) =>
          finishError || failure ? reject(finishError ?? new Error(failure)) : resolve(),
        (event: PullEvent) => {
          failure ??= progress.update(image, event);
          onEvent();
        },
      );
    });
  });

/** Runs `work` over `items`, at most `limit` at a time. */
export const inParallel = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  });
  await Promise.all(workers);
};

/** Pulls what is missing on the host (in parallel), then loads every image into the cluster. */
export const preloadImages = async (
  options: {
    docker: Docker;
    kind: string;
    cluster: string;
    provider: EngineProvider;
    images: readonly string[];
  },
  task: TaskReporter,
): Promise<{ pulled: string[]; present: string[] }> => {
  const { docker, images } = options;
  const progress = new PullProgress(images);
  const pulled: string[] = [];
  const present: string[] = [];
  const failed: string[] = [];
  let last = 0;
  const report = (force = false) => {
    if (!force && Date.now() - last < 1000) return;
    last = Date.now();
    task.progress(progress.fraction(), `pulling images: ${progress.summary()}`);
  };
  await inParallel(images, PULL_CONCURRENCY, async (image) => {
    if (await isPresent(docker, image)) {
      present.push(image);
      task.log(`image ${image} is already on the host`);
    } else {
      task.log(`pulling ${image}`);
      try {
        await pullOne(docker, image, progress, report);
        pulled.push(image);
        task.log(`pulled ${image}`);
      } catch (error) {
        failed.push(`${image}: ${(error as Error).message}`);
      }
    }
    progress.finish(image);
    report(true);
  });
  if (failed.length > 0)
    throw new KartStreamError(
      'cluster-failed',
      `failed to pull ${failed.length} of ${images.length} images`,
      {
        details: failed,
        fix: 'check the network (or a registry mirror); images already pulled are kept, so `up` resumes where it stopped',
      },
    );
  task.progress(1, `loading ${images.length} images into the kind nodes`);
  await runKind(options.kind, kindArgs.loadImages({ name: options.cluster, images }), {
    provider: options.provider,
    log: task.log,
    signal: task.signal,
  });
  return { pulled, present };
};
