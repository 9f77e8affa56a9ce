#!/usr/bin/env node
// Answers the M365 sandbox's auto-approving authorize page without a browser: GETs the authorize URL (the last
// argument), trusting only the sandbox CA of $M365_SANDBOX, and posts the page's auto-submitting form_post (or follows
// its redirect) to the loopback redirect URI, as a browser would. For hosted-engine tests as $env:BROWSER.
// Exit 0 once the listener answered; 1 otherwise (the reason on stderr, never the code).
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';

const url = new URL(process.argv[process.argv.length - 1]);
const descriptor = JSON.parse(fs.readFileSync(process.env.M365_SANDBOX, 'utf8'));
const ca = fs.readFileSync(descriptor.caCertificatePath);
const deadline = setTimeout(() => { console.error('answer-form-post: timed out'); process.exit(1); }, 30_000);

function get(target) {
  return new Promise((resolve, reject) => {
    https.get(target, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, location: res.headers.location, body }));
    }).on('error', reject);
  });
}

function send(target, method, body) {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) };
    const req = http.request(target, { method, headers }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// MSAL starts listening just after it handed the URL over: retry the loopback for a few seconds.
async function deliver(target, method, body) {
  for (let attempt = 0; ; attempt++) {
    try { return await send(target, method, body); } catch (e) {
      if (attempt > 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

try {
  const page = await get(url);
  let status;
  if (page.status >= 300 && page.status < 400 && page.location) {
    status = await deliver(page.location, 'GET');
  } else {
    const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(page.body);
    if (!form) throw new Error(`the page (HTTP ${page.status}) has no form_post answer`);
    const fields = [...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
      .map((m) => `${encodeURIComponent(decode(m[1]))}=${encodeURIComponent(decode(m[2]))}`).join('&');
    status = await deliver(decode(form[1]), 'POST', fields);
  }
  console.error(`answer-form-post: the listener answered ${status}`);
  clearTimeout(deadline);
} catch (e) {
  console.error(`answer-form-post: ${e.message}`);
  process.exit(1);
}
