// The pools a new lab gets, from the topology file: node count, taint and instance type each.
import type { TopologyPreview as Preview, WireError } from '../../../core/contract/wire-types.ts';
import { ErrorMessage } from './ErrorMessage.tsx';

export const TopologyPreview = ({
  preview,
  error,
}: {
  preview: Preview | undefined;
  error: WireError | undefined;
}) => (
  <section className="topology-preview" data-testid="topology-preview" aria-label="Topology preview">
    <h4>Node pools</h4>
    <ErrorMessage error={error} />
    <table className="table compact">
      <thead>
        <tr>
          <th scope="col">Pool</th>
          <th scope="col" className="num">
            Nodes
          </th>
          <th scope="col">Taint</th>
          <th scope="col">EKS instance type</th>
        </tr>
      </thead>
      <tbody>
        {preview
          ? preview.pools.map((pool) => (
              <tr key={pool.name} data-testid={`topology-pool-${pool.name}`} data-nodes={pool.nodes}>
                <th scope="row">{pool.name}</th>
                <td className="num">{pool.nodes}</td>
                <td>
                  <code>{pool.taint}</code>
                </td>
                <td>{pool.instanceType}</td>
              </tr>
            ))
          : !error && (
              <tr>
                <td colSpan={4} className="muted">
                  Reading the topology…
                </td>
              </tr>
            )}
      </tbody>
      {preview && (
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num" data-testid="topology-total">
              {preview.totalNodes}
            </td>
            <td colSpan={2} className="muted">
              from <code>{preview.file}</code>
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  </section>
);
