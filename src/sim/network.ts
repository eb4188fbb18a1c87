// networkd's egress policy (DOMAIN.md §2: the host controls the network for
// the guest). The policy is a file in the system VM's image, so a participant
// can read it and change it from the system console.

export interface EgressVerdict {
  allowed: boolean;
  /** Why: "allow-list", "category <name>" or "not on the allow-list". */
  reason: string;
  category?: string;
}

export interface EgressPolicy {
  allow: string[];
  block: { pattern: string; category: string }[];
  /** Data rules applied to what the guest sends (card-number, private-key). */
  filters: string[];
  /** Hosts whose plain-text connections networkd wraps in TLS itself. */
  encrypt: string[];
  /** Hosts the guest must reach over TLS: plain text is refused. */
  requireTls: string[];
  proxy: { host: string; via: string }[];
  /** Which of filters/encrypt/proxy come from networkd's built-in defaults (the file names none of that kind). */
  defaults: string[];
}

/**
 * networkd's built-in defaults for the rules the file does not set: the data
 * filters on, the vendor's hosts encrypted by networkd, updates through the
 * vendor's proxy. A `filter`, `encrypt` or `proxy` line (or `filter none`)
 * replaces the default of its kind.
 */
export const NETWORKD_DEFAULTS = {
  filters: ['card-number', 'private-key'],
  encrypt: ['*.vendor.example'],
  proxy: [{ host: 'updates.vendor.example', via: 'proxy.vendor.example:3128' }],
};

export function parseEgress(text: string): EgressPolicy {
  const policy: EgressPolicy = { allow: [], block: [], filters: [], encrypt: [], requireTls: [], proxy: [], defaults: [] };
  const set = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [verb, what, extra] = line.split(/\s+/);
    if (!what) continue;
    if (verb === 'allow') policy.allow.push(what.toLowerCase());
    else if (verb === 'block') policy.block.push({ pattern: what.toLowerCase(), category: extra ?? 'blocked' });
    else if (verb === 'filter') {
      set.add('filters');
      if (what !== 'none') policy.filters.push(what);
    } else if (verb === 'encrypt') {
      set.add('encrypt');
      if (what !== 'none') policy.encrypt.push(what.toLowerCase());
    } else if (verb === 'require-tls') policy.requireTls.push(what.toLowerCase());
    else if (verb === 'proxy') {
      set.add('proxy');
      if (what !== 'none' && extra) policy.proxy.push({ host: what.toLowerCase(), via: extra });
    }
  }
  for (const kind of ['filters', 'encrypt', 'proxy'] as const) {
    if (set.has(kind)) continue;
    policy.defaults.push(kind);
    (policy[kind] as unknown[]).push(...NETWORKD_DEFAULTS[kind]);
  }
  return policy;
}

/** Does an egress pattern (`host`, or `*.domain`: the domain and every name under it) cover `host`? */
export function matches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) || host === pattern.slice(2);
  return host === pattern;
}

export function classify(policy: EgressPolicy, host: string): EgressVerdict {
  const h = host.toLowerCase();
  for (const b of policy.block) {
    if (matches(b.pattern, h)) return { allowed: false, reason: `category ${b.category}`, category: b.category };
  }
  if (policy.allow.some((a) => matches(a, h))) return { allowed: true, reason: 'allow-list' };
  return { allowed: false, reason: 'not on the allow-list' };
}

/** A dotted-quad IPv4 address: a literal, which no resolver is asked about. */
export function isIpv4(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** The guest's own loopback (lo: 127.0.0.0/8, and "localhost" from /etc/hosts): its own kernel answers, nothing leaves the VM. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || (isIpv4(host) && host.startsWith('127.'));
}

/** The address of a host: an IPv4 literal is its own, localhost is 127.0.0.1, a name gets a stable documentation-range address. */
export function addressOf(host: string): string {
  if (isIpv4(host)) return host;
  if (host === 'localhost') return '127.0.0.1';
  let h = 0;
  for (let i = 0; i < host.length; i++) h = (h * 31 + host.charCodeAt(i)) >>> 0;
  return `203.0.113.${(h % 250) + 2}`;
}

/** A host name with a domain, an IPv4 literal, or localhost. */
export const HOST_PATTERN = /^(localhost|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)$/i;
