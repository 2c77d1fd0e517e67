// The request options that say which kind of patch a body is: the client sends every patch as a
// JSON patch unless the Content-Type header says otherwise.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

/** A JSON merge patch (RFC 7386): `{ spec: { replicas: 3 } }`. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
/** A strategic merge patch: lists merge by their key (containers by name, ...). */
export const strategicMergePatch = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
/** A JSON patch (RFC 6902): `[{ op: 'replace', path: '/spec/...', value }]`. */
export const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

/** The options for a patch of the type a scenario names. */
export const patchOptions = { merge: mergePatch, strategic: strategicMergePatch, json: jsonPatch } as const;
