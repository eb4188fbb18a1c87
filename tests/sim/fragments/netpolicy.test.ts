import { describe, expect, it } from 'vitest';
import { BUILTIN_DATA_RULES, luhn, Networkd, type FragmentEvent } from '../../../src/sim/fragments/index.ts';

function networkd() {
  const events: FragmentEvent[] = [];
  const n = new Networkd(
    { dataRules: BUILTIN_DATA_RULES, tlsRequired: ['api.vendor.example'], proxied: [{ host: '*.vendor.example', via: 'proxy.vendor.example:3128' }] },
    new Map([['kitchen', 'correct horse battery staple']]),
    { clock: { now: () => 5 }, emit: (e) => events.push(e), networks: ['kitchen', 'neighbour'] },
  );
  return { n, events };
}

describe('the host controls the application VM\'s network', () => {
  it('data matching a sensitive pattern is refused, other data goes out', () => {
    const { n, events } = networkd();
    expect(n.handle({ kind: 'connect', host: 'time.example', port: 443, tls: true, body: 'card 4111 1111 1111 1111' }))
      .toMatchObject({ allowed: false, reason: 'sensitive-data' });
    expect(events[0]).toMatchObject({ type: 'net.blocked', vm: 'app', reason: 'sensitive-data', rule: 'card-number', host: 'time.example' });
    expect(n.handle({ kind: 'connect', host: 'time.example', port: 443, tls: true, body: 'order 4111 1111 1111 1112' })).toMatchObject({ allowed: true });
    expect(n.handle({ kind: 'connect', host: 'x.example', port: 443, tls: true, body: '-----BEGIN RSA PRIVATE KEY-----' })).toMatchObject({ reason: 'sensitive-data' });
    expect([luhn('4111111111111111'), luhn('4111111111111112')]).toEqual([true, false]);
  });

  it('TLS is forced where the policy says, and proxied hosts go through the proxy', () => {
    const { n } = networkd();
    expect(n.handle({ kind: 'connect', host: 'api.vendor.example', port: 80, tls: false })).toMatchObject({ allowed: false, reason: 'plaintext' });
    expect(n.handle({ kind: 'connect', host: 'api.vendor.example', port: 443, tls: true }))
      .toEqual({ allowed: true, via: 'proxy.vendor.example:3128', message: 'api.vendor.example:443 over TLS, through the proxy proxy.vendor.example:3128' });
    expect(n.handle({ kind: 'connect', host: 'time.example', port: 123, tls: false })).toMatchObject({ allowed: true, via: 'direct' });
  });

  it.each([
    [{ kind: 'raw-socket' } as const, 'raw-socket', /forwards only the TCP and UDP connections it opens for the guest under its policy, and answers the guest's ICMP echo requests \(ping\) by sending its own/],
    [{ kind: 'dns', server: '8.8.8.8', name: 'evil.example' } as const, 'dns', /resolved by networkd's resolver/],
  ])('going around networkd (%o) is refused and explained', (req, reason, why) => {
    const { n, events } = networkd();
    expect(n.handle(req)).toMatchObject({ allowed: false, reason, message: expect.stringMatching(why) });
    expect(events).toEqual([expect.objectContaining({ type: 'net.blocked', reason })]);
  });

  it('over vsock the guest asks; the credential never reaches it', () => {
    const { n, events } = networkd();
    expect(n.scan()).toEqual(['kitchen', 'neighbour']);
    const joined = n.join('kitchen');
    expect(joined.ok).toBe(true);
    expect(n.join('neighbour').ok).toBe(false);
    const asked = n.credential('kitchen');
    expect(asked.ok).toBe(false);
    expect(n.ipSettings().address).toMatch(/\/24$/);
    const everything = JSON.stringify([joined, asked, events]);
    expect(everything).not.toContain('correct horse');
    expect(events.map((e) => [e.type, e.op])).toEqual([
      ['vsock.request', 'scan'], ['vsock.request', 'join'], ['vsock.request', 'join'], ['vsock.request', 'credential'], ['vsock.request', 'ip'],
    ]);
  });
});
