import { describe, expect, it } from 'vitest';
import { keyFromName, toHex, sign } from '../../../src/sim/crypto/signing.ts';
import {
  builtinPackages, defaultTrustStore, deviceRoot, HOST_NS, START_DELAY_MS, certificateMessage, checkPackage, findPackage,
  issueCertificate, signPackage, type AppPackage,
} from '../../../src/sim/apps/index.ts';
import { setup } from './helpers.ts';

const builtin = (name: string): AppPackage => findPackage(builtinPackages(), name)!;

describe('app packages: certificate chain and content checked', () => {
  it('classifies the built-in packages by checking them', () => {
    expect(checkPackage(builtin('media-player'), defaultTrustStore())).toEqual({ kind: 'trusted', developer: 'media studio developer', root: deviceRoot().name });
    expect(checkPackage(builtin('browser'), defaultTrustStore())).toEqual({ kind: 'untrusted', why: 'it is unsigned' });
    expect(checkPackage(builtin('recipe-book'), defaultTrustStore())).toMatchObject({ kind: 'untrusted', why: expect.stringContaining('not a root in the device') });
    expect(checkPackage(builtin('media-player-tampered'), defaultTrustStore())).toMatchObject({ kind: 'tampered', why: expect.stringContaining('a file was changed') });
  });

  it('trusts recipe-book once its certificate authority is in the trust store: the chain decides, not a flag', () => {
    const ca = keyFromName('unlisted certificate authority');
    const store = { roots: [...defaultTrustStore().roots, { name: ca.name, publicKey: toHex(ca.publicKey) }] };
    expect(checkPackage(builtin('recipe-book'), store)).toMatchObject({ kind: 'trusted', root: ca.name });
  });

  it('given a certificate that names the device root as issuer but was signed by another key, then the app is untrusted', () => {
    const dev = keyFromName('forger');
    const attacker = keyFromName('attacker');
    const body = { subject: dev.name, publicKey: toHex(dev.publicKey), issuer: deviceRoot().name };
    const forged = { ...body, signature: sign(attacker, certificateMessage(body)) };
    const p = signPackage({ ...builtin('recipe-book'), name: 'forged-app', signature: undefined, certificate: undefined }, dev, forged);
    expect(checkPackage(p, defaultTrustStore())).toMatchObject({ kind: 'untrusted', why: expect.stringContaining("that root's key did not sign it") });
  });

  it('given a signed package whose manifest was edited after signing (a bigger memory limit), then it is tampered', () => {
    const p = { ...builtin('media-player'), memoryLimitKiB: 1 << 20 };
    expect(checkPackage(p, defaultTrustStore())).toMatchObject({ kind: 'tampered', why: expect.stringContaining('altered after signing') });
  });

  it('given a package signed by a key other than its certificate\'s, then it is tampered', () => {
    const mp = builtin('media-player');
    const other = keyFromName('someone else');
    const p = signPackage({ ...mp }, other, mp.certificate!);
    expect(checkPackage(p, defaultTrustStore()).kind).toBe('tampered');
    expect(checkPackage(signPackage({ ...mp }, other, issueCertificate(deviceRoot(), other)), defaultTrustStore()).kind).toBe('trusted');
  });
});

describe('the supervisor acts on the check', () => {
  it('refuses a tampered package: app.rejected with reason, no app id, nothing started, the next app goes', () => {
    const { sup, clock, of } = setup();
    sup.launch(['media-player-tampered', 'browser']);
    expect(of('app.rejected')).toEqual([expect.objectContaining({ type: 'app.rejected', vm: 'app', app: 'media-player-tampered', reason: 'tampered' })]);
    expect(of('app.rejected')[0].appId).toBeUndefined();
    expect(sup.resources.free('decoder')).toBe(1);
    clock.advance(START_DELAY_MS.max);
    expect(of('app.launch').map((e) => [e.app, e.appId])).toEqual([['browser', 'app-0001']]);
    expect(sup.table.list(HOST_NS).some((p) => p.owner === 'media-player-tampered')).toBe(false);
  });

  it('runs an app with an invalid certificate in a container, with its memory limit', () => {
    const { sup, clock, of } = setup();
    sup.launch(['recipe-book']);
    clock.advance(START_DELAY_MS.max);
    expect(of('app.launch')[0]).toMatchObject({ app: 'recipe-book', trusted: false, container: 'c1', pid: 1 });
    expect(sup.containers()).toEqual([{ container: 'c1', app: 'recipe-book', appId: 'app-0001', chargeKiB: 900, limitKiB: 4096, processes: 1 }]);
  });
});
