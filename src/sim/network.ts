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
}

export function parseEgress(text: string): EgressPolicy {
  const policy: EgressPolicy = { allow: [], block: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [verb, what, category] = line.split(/\s+/);
    if (verb === 'allow' && what) policy.allow.push(what.toLowerCase());
    else if (verb === 'block' && what) policy.block.push({ pattern: what.toLowerCase(), category: category ?? 'blocked' });
  }
  return policy;
}

function matches(pattern: string, host: string): boolean {
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

/** A stable documentation-range address for a host name. */
export function addressOf(host: string): string {
  let h = 0;
  for (let i = 0; i < host.length; i++) h = (h * 31 + host.charCodeAt(i)) >>> 0;
  return `203.0.113.${(h % 250) + 2}`;
}

export const HOST_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;
