// The kind backend's pins: the kind release and the node image it was built and tested with
// (the image by digest, exactly as kind v0.33.0's pkg/apis/config/defaults/image.go names it;
// a unit test reads that file from the Go module cache and holds this constant to it).
export const KIND_MODULE = 'sigs.k8s.io/kind';
export const KIND_VERSION = 'v0.33.0';

/** kind v0.33.0's default node image: Kubernetes v1.37.0, pinned by digest. */
export const KIND_NODE_IMAGE =
  'kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5';

/** Docker labels kind puts on every node container (providers/docker/constants.go). */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
export const KIND_ROLE_LABEL = 'io.x-k8s.kind.role';

/** Env var that points at a kind binary somewhere else (checked for the pinned version too). */
export const KIND_BINARY_ENV = 'KARTSTREAM_KIND';

/** How long kind's own `--wait` may wait for the control plane. */
export const CONTROL_PLANE_WAIT = '5m';
