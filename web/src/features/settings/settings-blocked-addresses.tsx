import { api } from "../../lib/api.ts";
import { ConfirmButton, formatDateTime } from "./settings-common.tsx";
import { ErrorText } from "../../ui/ui.tsx";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";

// Blocked addresses (Owners: blocked_addresses.manage): addresses that collected too many 401 and
// 429 answers on this workspace's routes are blocked for a while, longer each time. The Owner sees
// them and lifts a block (audited) — say, their own office behind a misconfigured integration. A
// block that other workspaces' routes earned too is the operator's to lift (`parley blocks`).

export function BlockedAddressesSection({ workspaceId }: { workspaceId: string }) {
  const blocks = useApiQuery(queryKeys.blockedAddresses(workspaceId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/settings/blocked-addresses", { path: { workspaceId } }).then((answer) => answer.items),
  );
  return (
    <section aria-labelledby="blocked-title" className="panel">
      <h2 id="blocked-title">Blocked addresses</h2>
      <p className="muted">
        An address that is refused too often (wrong credentials, too many requests) is blocked for a minute, then twice as long each time,
        up to a day. Requests from it are refused until the block ends or you lift it.
      </p>
      <ErrorText message={blocks.error} />
      {blocks.data === null && !blocks.error ? (
        <p className="muted" role="status">
          Loading blocked addresses…
        </p>
      ) : blocks.data && blocks.data.length > 0 ? (
        <table className="data-table stack-narrow" aria-label="Blocked addresses">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Blocked</th>
              <th scope="col">Until</th>
              <th scope="col">Times</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {blocks.data.map((block) => (
              <tr key={block.address}>
                <td data-label="Address">
                  <code>{block.address}</code>
                </td>
                <td data-label="Blocked">{formatDateTime(block.blockedAt)}</td>
                <td data-label="Until">{formatDateTime(block.until)}</td>
                <td data-label="Times">{block.level}</td>
                <td data-label="Actions">
                  {block.isShared ? (
                    <span className="muted">Also blocked for other workspaces: ask your operator.</span>
                  ) : (
                    <ConfirmButton
                      label="Unblock"
                      ariaLabel={`Unblock ${block.address}`}
                      title="Unblock this address?"
                      message={
                        <p>
                          Requests from {block.address} are accepted again at once. If it keeps failing it is blocked again, for longer.
                        </p>
                      }
                      confirmLabel="Unblock"
                      onConfirm={async () => {
                        await api("DELETE", "/api/v1/workspaces/{workspaceId}/settings/blocked-addresses/{address}", {
                          path: { workspaceId, address: block.address },
                        });
                        await blocks.reload();
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No address is blocked.</p>
      )}
    </section>
  );
}
