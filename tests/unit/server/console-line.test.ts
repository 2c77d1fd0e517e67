// The participant console's reading of a typed line: what runs, and what is refused (with a
// message saying why) before anything runs on the server.
import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../../core/server/console-line.ts';

const LAB = 'gameday';
const parse = (line: string) => parseConsoleLine(line, LAB);

describe('the kubectl console line', () => {
  it('runs kubectl with its words, quotes grouping and nothing expanded', () => {
    expect(parse('kubectl get pods -n shop')).toEqual({
      kind: 'run',
      program: 'kubectl',
      args: ['get', 'pods', '-n', 'shop'],
    });
    expect(parse(`kubectl get pods -o jsonpath='{.items[*].metadata.name}'`)).toMatchObject({
      args: ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'],
    });
    expect(parse(`kubectl annotate deploy cartservice note="a; b | c"`)).toMatchObject({
      args: ['annotate', 'deploy', 'cartservice', 'note=a; b | c'],
    });
    expect(parse('kubectl logs -f deploy/cartservice')).toMatchObject({ kind: 'run' });
    expect(parse('   ')).toEqual({ kind: 'empty' });
  });

  it.each([
    ['kubectl get pods; rm -rf ~', '";"'],
    ['kubectl get pods | grep cart', 'pipe'],
    ['kubectl get pods $(whoami)', '$( )'],
    ['kubectl get pods `whoami`', 'backticks'],
    ['kubectl get pods "$(whoami)"', '$( )'],
    ['kubectl get pods > /tmp/pods', '">"'],
    ['kubectl apply -f - < /etc/passwd', '"<"'],
    ['kubectl get pods && echo done', '"&&"'],
    ['kubectl get pods || echo failed', '"||"'],
    ['kubectl get pods &', 'background'],
  ])('refuses shell syntax: %s', (line, what) => {
    const parsed = parse(line);
    expect(parsed.kind).toBe('refused');
    const message = (parsed as { message: string }).message;
    expect(message).toContain(what);
    expect(message).toContain('shell syntax');
    expect(message).not.toContain('\n');
  });

  it.each([
    ['bash', 'not a command here'],
    ['ls /', 'not a command here'],
    ['kubectl exec -it cartservice-0 -- sh', 'kubectl exec is not offered'],
    ['kubectl edit deploy cartservice', 'kubectl edit is not offered'],
    ['kubectl port-forward svc/frontend 8080:80', 'kubectl port-forward is not offered'],
    ['kubectl config view --raw', 'kubectl config is not offered'],
    ['kubectl get pods --kubeconfig /root/.kube/config', '--kubeconfig'],
    ['kubectl get pods --as=admin', '--as'],
    ['kubectl create -f /etc/passwd', '-f'],
    ['kubectl get pods -o go-template-file=/etc/passwd', 'reads a file'],
    ['kubectl frobnicate', 'kubectl frobnicate is not offered'],
    ['kubectl "get pods', 'quote is not closed'],
    ['kartstream down', 'kartstream down is not offered'],
    ['kartstream status --name other', '--name is set for you'],
  ])('refuses what reaches past the cluster: %s', (line, why) => {
    expect(parse(line)).toMatchObject({ kind: 'refused', message: expect.stringContaining(why) as string });
  });

  it("gives read-only kartstream commands the participant's lab", () => {
    expect(parse('kartstream status')).toEqual({
      kind: 'run',
      program: 'kartstream',
      args: ['status', '--name', LAB],
    });
    expect(parse('kartstream scenario status -o json')).toMatchObject({
      args: ['scenario', 'status', '-o', 'json', '--name', LAB],
    });
    expect(parse('kartstream scenario list')).toMatchObject({ args: ['scenario', 'list'] });
    expect(parse('kartstream timeline -o json')).toMatchObject({
      args: ['timeline', '-o', 'json', '--name', LAB],
    });
  });
});
