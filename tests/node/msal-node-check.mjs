// Checks that unmodified MSAL for Node signs in to the M365 sandbox tenant under the real host
// names. Run it through run.sh (or with `node --require ./sandbox-preload.cjs`, M365_SANDBOX and
// NODE_EXTRA_CA_CERTS set): the preload routes login.microsoftonline.com etc. to the sandbox.
//
// 1. PublicClientApplication, device code flow for Microsoft Graph (the sandbox approves it);
// 2. acquireTokenSilent for SharePoint (a second resource, from the refresh token);
// 3. ConfidentialClientApplication, client credentials with the seeded confidential app's secret.
// Each token's claims are checked; any failure exits non-zero.
import fs from 'node:fs';
import * as msal from '@azure/msal-node';

const PNP_MANAGEMENT_SHELL = '31359c7f-bd7e-475c-86db-fdb8c937548e';
const TIMEOUT_MS = 60_000;

const descriptorPath = process.env.M365_SANDBOX;
if (!descriptorPath) throw new Error('Set M365_SANDBOX to the sandbox descriptor (sandbox.json).');
const descriptor = JSON.parse(fs.readFileSync(descriptorPath, 'utf8'));
const { tenantId, tenantName, controlUrl } = descriptor;
const authority = `https://login.microsoftonline.com/${tenantId}`;
const graph = 'https://graph.microsoft.com';
const sharePoint = `https://${tenantName}.sharepoint.com`;

let failures = 0;
function check(label, condition, detail) {
  if (condition) {
    console.log(`  ok   ${label}`);
  } else {
    failures++;
    console.log(`  FAIL ${label}${detail === undefined ? '' : `: ${detail}`}`);
  }
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function decodeJwt(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) throw new Error('the access token is not a JWT');
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

// Prints only non-secret claims; the token itself is never printed.
function checkToken(label, result, expected) {
  const claims = decodeJwt(result.accessToken);
  console.log(`${label}: aud=${claims.aud} idtyp=${claims.idtyp} tid=${claims.tid} appid=${claims.appid}` +
    (claims.scp ? ` scp="${claims.scp}"` : '') + (claims.roles ? ` roles=${JSON.stringify(claims.roles)}` : '') +
    ` upn=${claims.upn ?? '-'} expiresOn=${result.expiresOn?.toISOString?.() ?? result.expiresOn}`);
  check(`${label} aud is ${expected.aud}`, claims.aud === expected.aud, claims.aud);
  check(`${label} idtyp is ${expected.idtyp}`, claims.idtyp === expected.idtyp, claims.idtyp);
  check(`${label} tid is the sandbox tenant`, claims.tid === tenantId, claims.tid);
  check(`${label} appid is ${expected.appId}`, claims.appid === expected.appId, claims.appid);
  check(`${label} expires in the future`, typeof claims.exp === 'number' && claims.exp * 1000 > Date.now(), claims.exp);
  if (expected.idtyp === 'user') {
    check(`${label} has delegated scopes (scp)`, typeof claims.scp === 'string' && claims.scp.length > 0, claims.scp);
  } else {
    check(`${label} has no scp`, claims.scp === undefined, claims.scp);
  }
  // MSAL takes result.tenantId from the id token, which app-only answers (rightly) do not carry.
  if (expected.idtyp === 'user') {
    check(`${label} MSAL reports tenant`, result.tenantId === tenantId, result.tenantId);
  }
  return claims;
}

async function seed() {
  const response = await fetch(`${controlUrl}/seed`);
  if (!response.ok) throw new Error(`GET ${controlUrl}/seed answered ${response.status}`);
  return response.json();
}

const loggerOptions = {
  loggerCallback(level, message) {
    if (process.env.MSAL_LOG) console.error(`[msal ${level}] ${message}`);
  },
  piiLoggingEnabled: false,
  logLevel: msal.LogLevel.Verbose,
};

async function delegated() {
  console.log(`\n# PublicClientApplication ${PNP_MANAGEMENT_SHELL}, authority ${authority}`);
  const pca = new msal.PublicClientApplication({
    auth: { clientId: PNP_MANAGEMENT_SHELL, authority },
    system: { loggerOptions },
  });

  let deviceCodeMessage;
  const graphResult = await withTimeout(pca.acquireTokenByDeviceCode({
    scopes: [`${graph}/.default`],
    deviceCodeCallback(response) {
      deviceCodeMessage = response;
      console.log(`device code: user_code=${response.userCode} verification_uri=${response.verificationUri} interval=${response.interval}s`);
    },
  }), 'device code flow');
  check('device code callback ran', deviceCodeMessage !== undefined);
  check('device code result has an account', Boolean(graphResult?.account), JSON.stringify(graphResult?.account));
  checkToken('graph (device code)', graphResult, { aud: graph, idtyp: 'user', appId: PNP_MANAGEMENT_SHELL });
  check('account username is a UPN', /@/.test(graphResult.account?.username ?? ''), graphResult.account?.username);
  check('id token claims carry the tenant', graphResult.idTokenClaims?.tid === tenantId, graphResult.idTokenClaims?.tid);

  const accounts = await pca.getTokenCache().getAllAccounts();
  check('token cache holds one account', accounts.length === 1, accounts.length);

  const spResult = await withTimeout(pca.acquireTokenSilent({
    account: accounts[0],
    scopes: [`${sharePoint}/.default`],
  }), 'acquireTokenSilent for SharePoint');
  check('SharePoint token came from the network (refresh token)', spResult.fromCache === false, spResult.fromCache);
  checkToken('sharepoint (silent)', spResult, { aud: sharePoint, idtyp: 'user', appId: PNP_MANAGEMENT_SHELL });

  // The Graph token must still be in the cache after the SharePoint refresh: the sandbox echoes
  // only resource scopes, so MSAL does not drop the earlier resource's token.
  const graphAgain = await withTimeout(pca.acquireTokenSilent({
    account: accounts[0],
    scopes: [`${graph}/.default`],
  }), 'acquireTokenSilent for Graph');
  check('Graph token is still served from the cache', graphAgain.fromCache === true, graphAgain.fromCache);
  checkToken('graph (silent, cached)', graphAgain, { aud: graph, idtyp: 'user', appId: PNP_MANAGEMENT_SHELL });

  const me = await fetch(`${graph}/v1.0/me`, { headers: { Authorization: `Bearer ${graphResult.accessToken}` } });
  const meBody = await me.json().catch(() => ({}));
  console.log(`GET ${graph}/v1.0/me -> ${me.status} ${meBody.userPrincipalName ?? ''}`);
  check('Graph /v1.0/me accepts the device-code token', me.status === 200, me.status);

  const web = await fetch(`${sharePoint}/_api/web?$select=Title,Url`, {
    headers: { Authorization: `Bearer ${spResult.accessToken}`, Accept: 'application/json;odata=nometadata' },
  });
  console.log(`GET ${sharePoint}/_api/web -> ${web.status}`);
  check('SharePoint /_api/web accepts the silent token', web.status === 200, web.status);
}

async function appOnly(seeded) {
  const app = (seeded.apps ?? []).find((a) => !a.isPublicClient && a.clientSecret);
  if (!app) {
    check('the seed has a confidential app with a secret', false);
    return;
  }
  console.log(`\n# ConfidentialClientApplication ${app.appId} (${app.displayName}), client secret`);
  const cca = new msal.ConfidentialClientApplication({
    auth: { clientId: app.appId, authority, clientSecret: app.clientSecret },
    system: { loggerOptions },
  });
  const result = await withTimeout(cca.acquireTokenByClientCredential({ scopes: [`${graph}/.default`] }),
    'client credentials');
  const claims = checkToken('graph (client credentials)', result, { aud: graph, idtyp: 'app', appId: app.appId });
  check('app-only token has roles', Array.isArray(claims.roles) && claims.roles.length > 0, JSON.stringify(claims.roles));
  check('app-only result has no account', result.account === null || result.account === undefined, JSON.stringify(result.account));

  const wrong = new msal.ConfidentialClientApplication({
    auth: { clientId: app.appId, authority, clientSecret: 'not-the-secret' },
    system: { loggerOptions },
  });
  const error = await withTimeout(wrong.acquireTokenByClientCredential({ scopes: [`${graph}/.default`] }), 'bad secret')
    .then(() => undefined, (e) => e);
  console.log(`wrong secret -> ${error?.errorCode}: ${String(error?.errorMessage ?? error?.message).split('\n')[0]}`);
  check('a wrong secret is rejected with AADSTS7000215', /AADSTS7000215/.test(String(error?.errorMessage ?? error?.message)),
    error?.message);
}

async function requestLog() {
  const response = await fetch(`${controlUrl}/requests`);
  if (!response.ok) throw new Error(`GET ${controlUrl}/requests answered ${response.status}`);
  return response.json();
}

// The sandbox's log shows what MSAL really sent, under which Host.
function checkRequestLog(entries) {
  console.log('\n# sandbox request log (this run)');
  for (const e of entries) {
    console.log(`  ${e.method} ${e.host}${e.path} -> ${e.status}` +
      (e.grantType ? ` grant=${e.grantType}` : '') + (e.audience ? ` aud=${e.audience}` : ''));
  }
  const token = entries.filter((e) => e.host === 'login.microsoftonline.com' && e.path === `/${tenantId}/oauth2/v2.0/token`);
  check('device code was requested at login.microsoftonline.com',
    entries.some((e) => e.method === 'POST' && e.host === 'login.microsoftonline.com' && e.path === `/${tenantId}/oauth2/v2.0/devicecode` && e.status === 200));
  check('MSAL polled while authorization was pending (400) before the 200',
    token.some((e) => e.grantType === 'device_code' && e.status === 400) &&
    token.some((e) => e.grantType === 'device_code' && e.status === 200 && e.audience === graph));
  check('the SharePoint token came from a refresh_token grant',
    token.some((e) => e.grantType === 'refresh_token' && e.status === 200 && e.audience === sharePoint));
  check('client credentials gave a Graph token',
    token.some((e) => e.grantType === 'client_credentials' && e.status === 200 && e.audience === graph));
  check('resource calls carried the real Host',
    entries.some((e) => e.host === 'graph.microsoft.com' && e.path === '/v1.0/me' && e.status === 200) &&
    entries.some((e) => e.host === `${tenantName}.sharepoint.com` && e.path === '/_api/web' && e.status === 200));
}

try {
  const seeded = await seed();
  const logStart = (await requestLog()).length;
  await delegated();
  await appOnly(seeded);
  checkRequestLog((await requestLog()).slice(logStart));
} catch (error) {
  failures++;
  console.error(`\nFAIL unexpected error: ${error?.errorCode ?? ''} ${error?.message ?? error}`);
  if (error?.stack) console.error(error.stack);
}

console.log(failures === 0 ? '\nmsal-node check: PASS' : `\nmsal-node check: FAIL (${failures} failed)`);
process.exit(failures === 0 ? 0 : 1);
