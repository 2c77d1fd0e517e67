// The share listener's own rules: only `ADDR:PORT` over HTTPS, only invite tokens, never the
// loopback token; and the address it picks or accepts.
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../core/contract/roles.ts';
import { checkListenerRequest, newToken } from '../../../core/server/request-guard.ts';
import { checkShareAddress, defaultShareAddress, shareRules } from '../../../core/server/share-guard.ts';

const PORT = 45443;
const INVITE = newToken();
const LOOPBACK = newToken();
const olga: Caller = {
  kind: 'participant',
  inviteId: 'ab12cd34',
  person: 'Olga',
  role: 'observer',
  lab: 'demo',
};
const rules = shareRules('127.0.0.2', PORT, (token) => (token === INVITE ? olga : undefined));
const url = `/t/${INVITE}/trpc/app.info`;

describe('the share listener guard', () => {
  it('lets an invite token in as its person and role', () => {
    expect(checkListenerRequest({ url, host: `127.0.0.2:${PORT}` }, rules)).toMatchObject({
      ok: true,
      caller: olga,
    });
    expect(
      checkListenerRequest({ url, host: `127.0.0.2:${PORT}`, origin: `https://127.0.0.2:${PORT}` }, rules),
    ).toMatchObject({ ok: true });
  });

  it('refuses the loopback token and unknown tokens', () => {
    for (const token of [LOOPBACK, newToken()])
      expect(checkListenerRequest({ url: `/t/${token}/`, host: `127.0.0.2:${PORT}` }, rules)).toEqual({
        ok: false,
        status: 403,
        why: 'wrong token',
      });
  });

  it('answers only to the share address and port, whatever the token', () => {
    for (const host of [
      `127.0.0.1:${PORT}`,
      `localhost:${PORT}`,
      `127.0.0.2:${PORT + 1}`,
      'evil.example',
      undefined,
    ])
      expect(checkListenerRequest({ url, host }, rules)).toEqual({
        ok: false,
        status: 403,
        why: 'Host is not the share address',
      });
  });

  it('refuses pages of other origins, plain HTTP included', () => {
    for (const origin of [`http://127.0.0.2:${PORT}`, 'https://evil.example', `https://127.0.0.1:${PORT}`])
      expect(checkListenerRequest({ url, host: `127.0.0.2:${PORT}`, origin }, rules)).toMatchObject({
        ok: false,
        why: 'foreign Origin',
      });
  });

  it('brackets an IPv6 address in the Host it expects', () => {
    const v6 = shareRules('fd00::5', PORT, () => olga);
    expect(v6.hostAllowed(`[fd00::5]:${PORT}`)).toBe(true);
    expect(v6.originAllowed(`https://[fd00::5]:${PORT}`)).toBe(true);
    expect(v6.hostAllowed(`fd00::5:${PORT}`)).toBe(false);
  });
});

describe('the share address', () => {
  it('never listens on every interface', () => {
    for (const address of ['0.0.0.0', '::'])
      expect(() => checkShareAddress(address)).toThrow(
        `--address ${address} would listen on every interface`,
      );
  });

  it('wants an IP address', () => {
    expect(() => checkShareAddress('my-laptop.local')).toThrow('is not an IP address');
    expect(checkShareAddress('127.0.0.2')).toBe('127.0.0.2');
  });

  it('defaults to the first non-loopback address, IPv4 before IPv6, never link-local IPv6', () => {
    const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo =>
      ({ address, family, internal, netmask: '', mac: '', cidr: null, scopeid: 0 }) as NetworkInterfaceInfo;
    expect(
      defaultShareAddress({
        lo: [nic('127.0.0.1', 'IPv4', true)],
        eth0: [nic('fe80::1', 'IPv6'), nic('2001:db8::7', 'IPv6'), nic('192.168.1.20', 'IPv4')],
      }),
    ).toBe('192.168.1.20');
    expect(defaultShareAddress({ eth0: [nic('fe80::1', 'IPv6'), nic('2001:db8::7', 'IPv6')] })).toBe(
      '2001:db8::7',
    );
    expect(() => defaultShareAddress({ lo: [nic('127.0.0.1', 'IPv4', true)] })).toThrow(
      'no network address other than loopback',
    );
  });
});
