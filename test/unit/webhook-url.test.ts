import { describe, expect, it } from 'vitest';
import { isRefusedAddress, refusedUrl } from '../../functions/integrations/domain/webhook-url.ts';

const aws = { allowLoopback: false };
const local = { allowLoopback: true };

describe('where a webhook may point in AWS', () => {
  it('accepts an https URL on a public host, with a port, path and query', () => {
    for (const url of ['https://hooks.example.com/talent-relay', 'https://ats.example.com:8443/in?tenant=acme', 'https://203.0.114.7/hook', 'https://[2606:4700::1111]/hook']) {
      expect(refusedUrl(url, aws), url).toBeUndefined();
    }
  });

  it('refuses any scheme but https', () => {
    for (const url of ['http://hooks.example.com/x', 'ftp://hooks.example.com/x', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(refusedUrl(url, aws), url).toBe('must be an https:// URL');
    }
  });

  it('refuses localhost and loopback addresses, however they are written', () => {
    for (const url of ['https://localhost/x', 'https://api.localhost/x', 'https://127.0.0.1/x', 'https://127.1.2.3/x', 'https://2130706433/x', 'https://0x7f000001/x', 'https://[::1]/x', 'https://[::ffff:127.0.0.1]/x']) {
      expect(refusedUrl(url, aws), url).toMatch(/must not point at this machine/);
    }
  });

  it('refuses IP literals in private, link-local, shared and reserved ranges', () => {
    for (const url of [
      'https://10.0.0.1/x', 'https://172.16.5.4/x', 'https://172.31.255.255/x', 'https://192.168.1.1/x', 'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/x', 'https://0.0.0.0/x', 'https://224.0.0.1/x', 'https://[fd00::1]/x', 'https://[fe80::1]/x', 'https://[::]/x', 'https://[::ffff:10.0.0.1]/x',
      'https://[::ffff:a9fe:a9fe]/x', 'https://[64:ff9b::a9fe:a9fe]/x', 'https://[2002:a00:1::1]/x', 'https://[2001:0:4136:e378::1]/x', 'https://192.88.99.1/x',
    ]) {
      expect(refusedUrl(url, aws), url).toMatch(/private, link-local or reserved/);
    }
  });

  it('accepts addresses just outside the private ranges', () => {
    for (const url of ['https://172.32.0.1/x', 'https://11.0.0.1/x', 'https://192.169.0.1/x', 'https://169.253.255.255/x']) {
      expect(refusedUrl(url, aws), url).toBeUndefined();
    }
  });

  it('refuses credentials in the URL and text that is no URL', () => {
    expect(refusedUrl('https://user:pass@hooks.example.com/x', aws)).toMatch(/credentials/);
    expect(refusedUrl('hooks.example.com/x', aws)).toBe('not a URL');
  });
});

describe('where a webhook may point on the local stack', () => {
  it('accepts http and https receivers on loopback addresses and localhost', () => {
    for (const url of ['http://127.0.0.1:4567/hook', 'http://localhost:4567/hook', 'https://[::1]:4567/hook']) expect(refusedUrl(url, local), url).toBeUndefined();
  });

  it('still refuses plain http to other hosts and private addresses', () => {
    expect(refusedUrl('http://hooks.example.com/x', local)).toBe('must be an https:// URL');
    expect(refusedUrl('https://10.1.2.3/x', local)).toMatch(/private/);
  });
});

describe('addresses a delivery refuses to connect to (after name resolution)', () => {
  it('refuses internal addresses always and loopback unless allowed', () => {
    expect(isRefusedAddress('10.20.30.40', local)).toBe(true);
    expect(isRefusedAddress('fc00::5', local)).toBe(true);
    expect(isRefusedAddress('127.0.0.1', aws)).toBe(true);
    expect(isRefusedAddress('127.0.0.1', local)).toBe(false);
    expect(isRefusedAddress('::1', local)).toBe(false);
  });

  it('lets public addresses through', () => {
    for (const address of ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '::ffff:93.184.215.14']) expect(isRefusedAddress(address, aws), address).toBe(false);
  });
});
