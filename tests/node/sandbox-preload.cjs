'use strict';
// `node --require ./sandbox-preload.cjs …` makes an unmodified Node client talk to the M365
// sandbox tenant under the real Microsoft host names.
//
// Every TLS connection Node makes goes through `tls.connect`: https.Agent (https.request, axios,
// msal-node <= 2) and the fetch bundled with Node (undici, used by msal-node 3+) both look it up on
// the shared `tls` exports object at call time, so replacing that property reroutes them all.
// Connections to a Microsoft host go to 127.0.0.1:<port> with SNI = the real host, so the sandbox
// routes by SNI/Host and Node checks the certificate against the real name (the CA comes from
// NODE_EXTRA_CA_CERTS, which Node reads only at start-up, so the launcher must set it).
//
// Anything else is refused before a socket opens, so a test can never reach the real cloud:
// - TLS to a host that is neither a routed Microsoft host nor loopback fails;
// - net.Socket#connect (the layer under plain http, tls and undici) accepts loopback only;
// - dns.lookup refuses any name that is not loopback.
// A refused connection fails the way a network error does (an 'error' on the returned socket, code
// ESANDBOXREFUSED), not with a synchronous throw from inside http.request: callers then see a
// rejected request they can report, instead of the process crashing in library internals.

const fs = require('node:fs');
const tls = require('node:tls');
const net = require('node:net');
const dns = require('node:dns');

const descriptorPath = process.env.M365_SANDBOX;
if (!descriptorPath) {
  throw new Error('sandbox-preload: set M365_SANDBOX to the sandbox descriptor (sandbox.json).');
}
const descriptor = JSON.parse(fs.readFileSync(descriptorPath, 'utf8'));
const sandboxPort = Number(descriptor.port);
if (!Number.isInteger(sandboxPort) || sandboxPort <= 0) {
  throw new Error(`sandbox-preload: ${descriptorPath} has no valid "port".`);
}
const sandboxHost = '127.0.0.1';

const exactHosts = new Set([
  'login.microsoftonline.com',
  'graph.microsoft.com',
  'manage.office.com',
  'management.azure.com',
  'www.yammer.com',
  'api.yammer.com',
  'graph.windows.net',
]);
const loopbackHosts = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

function normalizeHost(host) {
  return String(host || '').toLowerCase().replace(/\.$/, '');
}

function isSandboxHost(host) {
  const h = normalizeHost(host);
  // The certificate's wildcard covers exactly one label, so only {name}.sharepoint.com is routed.
  return exactHosts.has(h) || /^[a-z0-9-]+\.sharepoint\.com$/.test(h);
}

function isLoopback(host) {
  return host === undefined || host === null || host === '' || loopbackHosts.has(normalizeHost(host));
}

function refuse(what, host) {
  const err = new Error(`sandbox-preload: refused ${what} to '${host}': only the sandbox's Microsoft hosts and loopback are allowed.`);
  err.code = 'ESANDBOXREFUSED';
  return err;
}

function refusedSocket(err) {
  const socket = new net.Socket();
  process.nextTick(() => socket.destroy(err));
  return socket;
}

// tls.connect(options[, cb]) | (port[, host][, options][, cb]) | (path[, options][, cb])
function normalizeTlsArgs(args) {
  const list = Array.from(args);
  const cb = typeof list[list.length - 1] === 'function' ? list.pop() : undefined;
  let options = {};
  if (list[0] !== null && typeof list[0] === 'object') {
    options = { ...list[0] };
  } else {
    if (typeof list[0] === 'number' || /^\d+$/.test(String(list[0]))) {
      options.port = Number(list[0]);
    } else if (typeof list[0] === 'string') {
      options.path = list[0];
    }
    if (typeof list[1] === 'string') {
      options.host = list[1];
      if (list[2] && typeof list[2] === 'object') options = { ...list[2], ...options };
    } else if (list[1] && typeof list[1] === 'object') {
      options = { ...list[1], ...options };
    }
  }
  return { options, cb };
}

const originalTlsConnect = tls.connect;
tls.connect = function sandboxTlsConnect(...args) {
  const { options, cb } = normalizeTlsArgs(args);
  // An already-open socket (a proxy tunnel) was checked by the net guard when it was opened.
  if (!options.socket && !options.path) {
    const host = options.host || options.hostname || 'localhost';
    if (isSandboxHost(host)) {
      options.servername = options.servername || normalizeHost(host);
      options.host = sandboxHost;
      delete options.hostname;
      options.port = sandboxPort;
      if (process.env.M365_SANDBOX_PRELOAD_DEBUG) {
        process.stderr.write(`sandbox-preload: ${options.servername} -> ${sandboxHost}:${sandboxPort}\n`);
      }
    } else if (!isLoopback(host)) {
      return refusedSocket(refuse('TLS connection', host));
    }
  }
  return cb ? originalTlsConnect.call(this, options, cb) : originalTlsConnect.call(this, options);
};

// net.connect normalizes to [options, cb] tagged with an internal symbol; other callers pass
// (options[, cb]) or (port[, host][, cb]) or (path[, cb]).
function socketTarget(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    return first.path ? null : (first.host || first.hostname || 'localhost');
  }
  if (typeof first === 'number' || /^\d+$/.test(String(first))) {
    return typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  return null; // a pipe / unix socket path
}

const originalSocketConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function sandboxSocketConnect(...args) {
  const host = socketTarget(args);
  if (host !== null && !isLoopback(host)) {
    const err = refuse('connection', host);
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return originalSocketConnect.apply(this, args);
};

const originalLookup = dns.lookup;
dns.lookup = function sandboxLookup(hostname, ...rest) {
  if (!isLoopback(hostname) && net.isIP(String(hostname)) === 0) {
    const cb = rest[rest.length - 1];
    const err = refuse('DNS lookup', hostname);
    if (typeof cb === 'function') {
      process.nextTick(cb, err);
      return {};
    }
    throw err;
  }
  return originalLookup.call(this, hostname, ...rest);
};
if (dns.promises && dns.promises.lookup) {
  const originalPromiseLookup = dns.promises.lookup;
  dns.promises.lookup = async function sandboxPromiseLookup(hostname, ...rest) {
    if (!isLoopback(hostname) && net.isIP(String(hostname)) === 0) {
      throw refuse('DNS lookup', hostname);
    }
    return originalPromiseLookup.call(this, hostname, ...rest);
  };
}

module.exports = { isSandboxHost, sandboxPort, descriptor };
