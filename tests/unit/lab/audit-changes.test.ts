// Audit events as the timeline's changes: the person from their ServiceAccount, the lab owner as
// `local`, and the cluster's own writers (controllers, kubelets, KWOK) left out.
import { describe, expect, it } from 'vitest';
import { auditChange, auditChanges, type AuditEvent } from '../../../core/lab/audit-log.ts';

const people = new Map([['person-ana', 'Ana']]);
const event = (over: Partial<AuditEvent>): AuditEvent => ({
  stage: 'ResponseComplete',
  verb: 'patch',
  user: { username: 'system:serviceaccount:kartstream-team:person-ana' },
  userAgent: 'kubectl/v1.32.0',
  objectRef: {
    resource: 'deployments',
    subresource: 'scale',
    namespace: 'shop',
    name: 'cartservice',
    apiGroup: 'apps',
  },
  responseStatus: { code: 200 },
  stageTimestamp: '2026-12-05T21:00:00.123456Z',
  ...over,
});

describe('audit events as changes', () => {
  it('names the person of a team ServiceAccount and says what they did', () => {
    expect(auditChange(event({}), people)).toEqual({
      at: '2026-12-05T21:00:00.123456Z',
      actor: 'Ana',
      verb: 'patch',
      resource: 'deployments/scale',
      namespace: 'shop',
      name: 'cartservice',
      text: 'Ana scaled deployment cartservice in shop',
    });
    expect(
      auditChange(
        event({ verb: 'delete', objectRef: { resource: 'pods', namespace: 'shop', name: 'cart-1' } }),
        people,
      )?.text,
    ).toBe('Ana deleted pod cart-1 in shop');
  });

  it('attributes the lab admin identity to the local user', () => {
    const change = auditChange(
      event({ user: { username: 'kubernetes-admin', groups: ['system:masters'] } }),
      people,
    );
    expect(change?.actor).toBe('local');
  });

  it('leaves out controllers, nodes, KWOK, failed writes and reads', () => {
    const left = [
      event({ user: { username: 'system:serviceaccount:kube-system:replicaset-controller' } }),
      event({ user: { username: 'system:node:frontend-1' } }),
      event({ user: { username: 'kubernetes-admin' }, userAgent: 'kwok/v0.7.0 (linux/amd64)' }),
      event({ user: { username: 'kwok-admin' }, userAgent: 'kube-controller-manager/v0.0.0 (linux/amd64)' }),
      event({ responseStatus: { code: 403 } }),
      event({ verb: 'get' }),
      event({ stage: 'ResponseStarted' }),
    ];
    expect(left.map((e) => auditChange(e, people))).toEqual(left.map(() => undefined));
  });

  it('keeps a ServiceAccount it cannot name as itself, and skips lines that are not events', () => {
    const text = [
      JSON.stringify(event({ user: { username: 'system:serviceaccount:kartstream-team:person-zed' } })),
      '{"torn',
      '',
    ].join('\n');
    expect(auditChanges(text, people).map((c) => c.actor)).toEqual(['person-zed']);
  });
});
