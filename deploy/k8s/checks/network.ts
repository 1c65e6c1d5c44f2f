// For the manifest tests: decides, as a NetworkPolicy-enforcing cluster would, whether one endpoint may open
// a connection to another's port (label selectors with matchLabels, numeric ports; anything else is refused).
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';

/** A pod (namespace set) or a client outside the cluster (no namespace). */
export interface Endpoint {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
}

export type Protocol = 'TCP' | 'UDP';
type Peer = NonNullable<NonNullable<NonNullable<INetworkPolicy['spec']>['ingress']>[number]['from']>[number];
type Port = NonNullable<NonNullable<NonNullable<INetworkPolicy['spec']>['ingress']>[number]['ports']>[number];
type Selector = Peer['podSelector'];

export function allows(
  policies: INetworkPolicy[],
  from: Endpoint,
  to: Endpoint,
  port: number,
  protocol: Protocol = 'TCP',
): boolean {
  return admits(policies, 'Egress', from, to, port, protocol) && admits(policies, 'Ingress', to, from, port, protocol);
}

/** Whether the policies selecting `subject` let traffic in `direction` with `peer` through (none selecting: yes). */
function admits(
  policies: INetworkPolicy[],
  direction: 'Ingress' | 'Egress',
  subject: Endpoint,
  peer: Endpoint,
  port: number,
  protocol: Protocol,
) {
  if (subject.namespace === undefined) return true;
  const selecting = policies.filter(
    (p) =>
      p.metadata?.namespace === subject.namespace &&
      typesOf(p).includes(direction) &&
      matches(p.spec?.podSelector, subject.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) => {
    const rules =
      direction === 'Ingress'
        ? (p.spec?.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))
        : (p.spec?.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
    return rules.some((r) => peersMatch(r.peers, p.metadata?.namespace, peer) && portsMatch(r.ports, port, protocol));
  });
}

function typesOf(p: INetworkPolicy): string[] {
  return p.spec?.policyTypes ?? ['Ingress', ...(p.spec?.egress ? ['Egress'] : [])];
}

function peersMatch(peers: Peer[] | undefined, policyNamespace: string | undefined, peer: Endpoint): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((p) => {
    if (p.ipBlock) return peer.namespace === undefined;
    if (peer.namespace === undefined) return false;
    const namespaceOk = p.namespaceSelector
      ? matches(p.namespaceSelector, { 'kubernetes.io/metadata.name': peer.namespace })
      : peer.namespace === policyNamespace;
    return namespaceOk && (!p.podSelector || matches(p.podSelector, peer.labels));
  });
}

function portsMatch(ports: Port[] | undefined, port: number, protocol: Protocol): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if (p.port !== undefined && typeof p.port !== 'number')
      throw new Error(`named port ${p.port} in a NetworkPolicy: use numbers`);
    const from = p.port ?? 0;
    const to = p.endPort ?? p.port ?? 65535;
    return (p.protocol ?? 'TCP') === protocol && port >= from && port <= to;
  });
}

function matches(selector: Selector, labels: Record<string, string>): boolean {
  if (!selector) return false;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions in a NetworkPolicy: use matchLabels');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}
