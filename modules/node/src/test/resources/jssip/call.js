// Drives JsSIP (a SIP-over-WebSocket client no one here wrote) in headless Chromium for WebSocketClientTest:
// registers alice over WebSocket (digest), calls the target, hangs up once the call is confirmed.
// Usage: node call.js <ws-url> <user> <password> <domain> <target-uri> [ws-url-for-bob]
// Prints one line per event: "EVENT <name> <detail>", "SENT <first line> | <CSeq>", "RECV <first line> | <CSeq>",
// and "DONE" at the end. Exits non-zero on an error.
'use strict';
const http = require('http');
const path = require('path');
const os = require('os');
const fs = require('fs');
const esbuild = require('esbuild');
const { chromium } = require('playwright-core');

const [wsUrl, user, password, domain, target] = process.argv.slice(2);
if (!target) {
  console.error('usage: node call.js <ws-url> <user> <password> <domain> <target-uri>');
  process.exit(2);
}

// JsSIP's npm package is CommonJS: bundle it for the page
const bundle = esbuild.buildSync({
  entryPoints: [require.resolve('jssip')], bundle: true, format: 'iife', globalName: 'JsSIP',
  platform: 'browser', write: false, logLevel: 'error'
}).outputFiles[0].text;

// a page on a loopback http origin is a secure context: getUserMedia and RTCPeerConnection work there
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><html><body>jssip</body></html>');
});

async function main() {
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const userDataDir = fs.mkdtempSync(path.join(process.env.JSSIP_WORK || os.tmpdir(), 'chromium-'));
  // a fresh profile directory per run (Playwright passes it as --user-data-dir)
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      // the WSS listener's certificate is issued by the test's own CA, which this fresh profile does not know
      '--ignore-certificate-errors']
  });
  try {
    const page = await browser.newPage();
    const verbose = !!process.env.JSSIP_DEBUG; // JsSIP's own log, every message in full
    page.on('console', m => { if (verbose || m.type() === 'error') console.log('CONSOLE ' + m.text()); });
    page.on('pageerror', e => console.log('PAGEERROR ' + e.message));
    await page.exposeFunction('report', line => console.log(line));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.addScriptTag({ content: bundle });
    if (verbose) {
      await page.evaluate(() => JsSIP.debug.enable('JsSIP:*'));
    }
    await page.evaluate(runCall, { wsUrl, user, password, domain, target });
    console.log('DONE');
  } finally {
    await browser.close();
    server.close();
  }
}

// Runs in the page.
function runCall({ wsUrl, user, password, domain, target }) {
  const firstLine = data => {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    const cseq = (text.match(/^CSeq:\s*(.*)$/mi) || [])[1] || '';
    return text.split('\r\n')[0] + ' | ' + cseq.trim();
  };
  // every SIP message on the wire, both ways, for the test to read
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const ws = new NativeWebSocket(url, protocols);
    const send = ws.send.bind(ws);
    ws.send = data => { window.report('SENT ' + firstLine(data)); send(data); };
    ws.addEventListener('message', e => window.report('RECV ' + firstLine(e.data)));
    return ws;
  };
  Object.assign(window.WebSocket, NativeWebSocket);
  window.WebSocket.prototype = NativeWebSocket.prototype;

  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('no end of call within 60 s')), 60000);
    const ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(wsUrl)],
      uri: `sip:${user}@${domain}`, password, register: true, session_timers: false
    });
    ua.on('registrationFailed', e => { clearTimeout(deadline); reject(new Error('registration failed: ' + e.cause)); });
    ua.on('registered', () => {
      window.report('EVENT registered');
      const session = ua.call(target, {
        mediaConstraints: { audio: true, video: false },
        pcConfig: { iceServers: [] },
        eventHandlers: {
          icecandidate: e => e.ready(), // send the offer with the first candidate, not after a gathering timeout
          progress: e => window.report('EVENT progress ' + (e.response ? e.response.status_code : '')),
          accepted: e => window.report('EVENT accepted ' + (e.response ? e.response.status_code : '')),
          confirmed: () => {
            window.report('EVENT confirmed');
            setTimeout(() => session.terminate(), 1000); // BYE
          },
          ended: e => {
            window.report('EVENT ended ' + e.originator + ' ' + e.cause);
            // the BYE's 200 arrives after JsSIP says ended: give it a moment, then unregister and stop
            setTimeout(() => { ua.stop(); clearTimeout(deadline); setTimeout(resolve, 1000); }, 2000);
          },
          failed: e => {
            window.report('EVENT failed ' + e.originator + ' ' + e.cause);
            clearTimeout(deadline);
            setTimeout(resolve, 500);
          }
        }
      });
    });
    ua.start();
  });
}

main().catch(e => { console.error('ERROR ' + e.stack); process.exit(1); });
