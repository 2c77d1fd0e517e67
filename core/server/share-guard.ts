// The share listener's address and its own Host/Origin rules: it answers only to
// `ADDR:PORT` over HTTPS, only to invite tokens (request-guard.ts does the rest). The address is
// one the user names, or the machine's first non-loopback one; never 0.0.0.0 or ::, which would
// open every interface and leave no single Host to check.
import { isIP } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { Caller } from '../contract/roles.ts';
import { KartStreamError } from '../errors/kartstream-error.ts';
import type { ListenerRules } from './request-guard.ts';

/** `ADDR:PORT` as a Host header carries it (IPv6 in brackets). */
export const shareAuthority = (address: string, port: number): string =>
  isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;

export const shareRules = (
  address: string,
  port: number,
  identify: (token: string) => Caller | undefined,
): ListenerRules => {
  const authority = shareAuthority(address, port).toLowerCase();
  return {
    hostAllowed: (host) => host?.toLowerCase() === authority,
    originAllowed: (origin) => origin === undefined || origin.toLowerCase() === `https://${authority}`,
    hostWhy: 'Host is not the share address',
    identify,
  };
};

const UNSPECIFIED = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/** `--address` as given, once it is one IP address and not "every interface". */
export const checkShareAddress = (address: string): string => {
  if (UNSPECIFIED.has(address))
    throw new KartStreamError('invalid-input', `--address ${address} would listen on every interface`, {
      details: ['sharing listens on one address, so only that address (and its certificate) is reachable'],
      fix: "name this machine's LAN address, e.g. --address 192.168.1.20, or leave --address out for the first one",
    });
  if (!isIP(address))
    throw new KartStreamError('invalid-input', `--address ${JSON.stringify(address)} is not an IP address`, {
      fix: "give one of this machine's addresses, e.g. --address 192.168.1.20 (see `ip addr` or `ipconfig`)",
    });
  return address;
};

/** The machine's first non-loopback address: IPv4 first, then a global IPv6 one. */
export const defaultShareAddress = (
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string => {
  const all = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal);
  const pick =
    all.find((i) => i.family === 'IPv4') ??
    all.find((i) => i.family === 'IPv6' && !/^fe80:/i.test(i.address));
  if (!pick)
    throw new KartStreamError(
      'conflict',
      'this machine has no network address other than loopback to share on',
      {
        fix: 'connect to a network, or name an address with --address',
      },
    );
  return pick.address;
};
