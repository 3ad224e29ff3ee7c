import { isIP } from 'node:net';

/**
 * Where a webhook may point (server-side request forgery): in AWS only `https://` to a public host, never an IP literal
 * of a private, loopback, link-local or otherwise internal range, nor `localhost`. The local stack alone allows loopback
 * receivers (`http://127.0.0.1:<port>`), for its tests.
 */
export interface UrlPolicy {
  allowLoopback: boolean;
}

const ipv4Number = (address: string) => address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
const inV4 = (address: string, base: string, bits: number) => {
  const size = 2 ** (32 - bits);
  return Math.floor(ipv4Number(address) / size) === Math.floor(ipv4Number(base) / size);
};

const loopbackV4: [string, number][] = [['127.0.0.0', 8]];
const internalV4: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24],
  ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];

/** The 16 bytes of an IPv6 address as eight 16-bit groups. */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4) {
    const n = ipv4Number(v4);
    text = text.slice(0, -v4.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** Whether an IP address is a loopback one (127.0.0.0/8, ::1, or IPv4 loopback mapped into IPv6). */
function isLoopback(address: string): boolean {
  if (isIP(address) === 4) return loopbackV4.some(([base, bits]) => inV4(address, base, bits));
  const groups = ipv6Groups(address);
  const mapped = mappedV4(groups);
  return mapped ? isLoopback(mapped) : groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1;
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible IPv6 address. */
function mappedV4(groups: number[]): string | undefined {
  const zeros = groups.slice(0, 5).every((group) => group === 0);
  if (!zeros || (groups[5] !== 0xffff && groups[5] !== 0) || (groups[5] === 0 && groups[6] === 0)) return undefined;
  return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
}

/** Whether a receiver at this IP address is refused: internal ranges always, loopback unless the policy allows it. */
export function isRefusedAddress(address: string, policy: UrlPolicy): boolean {
  if (isLoopback(address)) return !policy.allowLoopback;
  if (isIP(address) === 4) return internalV4.some(([base, bits]) => inV4(address, base, bits));
  const groups = ipv6Groups(address);
  const mapped = mappedV4(groups);
  if (mapped) return isRefusedAddress(mapped, policy);
  const first = groups[0]!;
  return (
    groups.every((group) => group === 0) || // unspecified
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xffc0) === 0xfec0 || // site-local fec0::/10 (deprecated, still routed internally)
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x64 && groups[1] === 0xff9b) || // NAT64, which reaches IPv4 ranges through a gateway
    first === 0x2002 || // 6to4, an IPv4 address inside
    (first === 0x2001 && groups[1] === 0) || // Teredo, likewise
    (first === 0x2001 && groups[1] === 0x0db8) // documentation
  );
}

const isLocalName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/** Why a webhook cannot point at this URL, or undefined when it can. */
export function refusedUrl(text: string, policy: UrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'must not carry credentials (the signature authenticates deliveries)';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback = isLocalName(host) || (isIP(host) !== 0 && isLoopback(host));
  if (loopback && policy.allowLoopback) return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be an http(s) URL';
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  if (loopback) return 'must not point at this machine (localhost or a loopback address)';
  if (isIP(host) !== 0 && isRefusedAddress(host, policy)) return 'must not point at a private, link-local or reserved address';
  return undefined;
}
