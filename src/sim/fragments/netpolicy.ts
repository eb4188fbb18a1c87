// The host's control of the application VM's network (DOMAIN.md §2): the guest's
// network device is paravirtual, so every connection is opened by networkd in the
// system VM on the guest's behalf. networkd can therefore refuse data that
// matches a sensitive pattern, insist on TLS or send a destination through a
// proxy, and the guest has nothing to go around it with: no raw socket, no
// resolver but networkd's, no route but its virtual link. Credentials stay in
// the system VM: the guest asks over vsock and is told the outcome, never the secret.

import type { EventSink } from './events.ts';

export interface DataRule {
  name: string;
  /** True when the outgoing data contains what the rule protects. */
  matches(body: string): boolean;
}

/** Luhn check (ISO/IEC 7812) of a digit string: payment card numbers pass, most random digit runs do not. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export const BUILTIN_DATA_RULES: DataRule[] = [
  { name: 'card-number', matches: (b) => (b.match(/\b(?:\d[ -]?){13,19}\b/g) ?? []).some((m) => luhn(m.replace(/[ -]/g, ''))) },
  { name: 'private-key', matches: (b) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(b) },
];

export interface NetPolicy {
  dataRules: DataRule[];
  /** Hosts that must be reached over TLS ("*" for all): plain connections are refused. */
  tlsRequired: string[];
  /** Hosts whose plain connections networkd encrypts itself (it opens TLS to the host on the guest's behalf). */
  encrypted?: string[];
  /** Hosts sent through a proxy, and which proxy. */
  proxied: { host: string; via: string }[];
}

export type GuestNetRequest =
  | { kind: 'connect'; host: string; port: number; tls: boolean; body?: string }
  | { kind: 'raw-socket' }
  | { kind: 'dns'; server: string; name: string };

export type NetVerdict =
  | { allowed: true; via: string; message: string; encryptedBy?: 'networkd' }
  | { allowed: false; reason: 'sensitive-data' | 'plaintext' | 'raw-socket' | 'dns'; message: string };

const matchHost = (pattern: string, host: string) =>
  pattern === '*' || pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)));

export class Networkd {
  constructor(
    readonly policy: NetPolicy,
    /** Credentials held by the system VM, by network name. Never returned to the guest. */
    private readonly credentials: Map<string, string>,
    private readonly env: { clock: { now(): number }; emit: EventSink; networks?: string[] },
  ) {}

  private block(reason: Exclude<NetVerdict, { allowed: true }>['reason'], message: string, detail: Record<string, unknown> = {}): NetVerdict {
    this.env.emit({ t: this.env.clock.now(), type: 'net.blocked', vm: 'app', reason, message, ...detail });
    return { allowed: false, reason, message };
  }

  /** A network request from the application VM, as networkd sees it. */
  handle(req: GuestNetRequest): NetVerdict {
    switch (req.kind) {
      case 'raw-socket':
        return this.block('raw-socket', 'Raw IP packets dropped: the guest may open a raw socket on its virtio-net link, but networkd in the system VM forwards only the TCP and UDP connections it opens for the guest under its policy, and answers the guest\'s ICMP echo requests (ping) by sending its own, so hand-built packets never reach the real network.');
      case 'dns':
        return this.block('dns', `DNS query to ${req.server} refused: names are resolved by networkd's resolver in the system VM, which applies the egress policy; other resolvers are not reachable.`, { host: req.server });
      case 'connect': {
        const body = req.body ?? '';
        for (const rule of this.policy.dataRules) {
          if (rule.matches(body)) {
            return this.block('sensitive-data', `Data to ${req.host} refused: it contains a ${rule.name}, which the policy keeps on the device.`, { host: req.host, rule: rule.name });
          }
        }
        if (!req.tls && this.policy.tlsRequired.some((p) => matchHost(p, req.host))) {
          return this.block('plaintext', `Plain-text connection to ${req.host}:${req.port} refused: the policy requires TLS to this host.`, { host: req.host });
        }
        const proxy = this.policy.proxied.find((p) => matchHost(p.host, req.host));
        const via = proxy ? proxy.via : 'direct';
        const through = proxy ? `, through the proxy ${proxy.via}` : '';
        if (!req.tls && (this.policy.encrypted ?? []).some((p) => matchHost(p, req.host))) {
          return { allowed: true, via, encryptedBy: 'networkd', message: `${req.host}:443 over TLS opened by networkd for the guest's plain-text request${through}` };
        }
        return { allowed: true, via, message: `${req.host}:${req.port} ${req.tls ? 'over TLS' : 'in plain text'}${through}` };
      }
    }
  }

  private vsock(op: string, message: string, verdict: 'ok' | 'refused' = 'ok', request = op): void {
    this.env.emit({ t: this.env.clock.now(), type: 'vsock.request', vm: 'app', op, request, verdict, message });
  }

  /** vsock: the guest asks the system VM to scan for networks. */
  scan(): string[] {
    const found = [...(this.env.networks ?? [...this.credentials.keys()])].sort();
    this.vsock('scan', `The application VM asked networkd to scan: ${found.length} network(s) found.`);
    return found;
  }

  /** vsock: join a network with the credential the system VM holds; the answer never contains it. */
  join(network: string): { ok: boolean; message: string } {
    // networkd scans with its adapter: a network not in range cannot be joined, credential or not.
    if (this.env.networks && !this.env.networks.includes(network)) {
      this.vsock('join', `The application VM asked to join ${network}: refused, not in range.`, 'refused', `join ${network}`);
      return { ok: false, message: `no network ${network} in range (wifi scan lists them)` };
    }
    const known = this.credentials.has(network);
    const message = known
      ? `Joined ${network} with the credential held by the system VM.`
      : `No credential for ${network} in the system VM: an administrator sets it there (the guest cannot).`;
    this.vsock('join', `The application VM asked to join ${network}: ${known ? 'joined' : 'refused, no credential'}.`, known ? 'ok' : 'refused', `join ${network}`);
    return { ok: known, message };
  }

  /** vsock: the guest asks for a credential itself; always refused. */
  credential(network: string): { ok: false; message: string } {
    this.vsock('credential', `The application VM asked for the credential of ${network}: refused.`, 'refused', `credential ${network}`);
    return { ok: false, message: `The credential of ${network} is held by the system VM and is never given to the application VM; ask networkd to join instead.` };
  }

  /** vsock: the guest asks for its IP settings. */
  ipSettings(): { address: string; gateway: string; dns: string } {
    this.vsock('ip', 'The application VM asked for its IP settings.');
    return { address: '10.0.2.15/24', gateway: '10.0.2.2', dns: '10.0.2.2' };
  }
}
