// The Switchboard web console: reads the admin API (docs/admin-api.yaml) every 2 s and draws what it gets.
// Read-only. The token comes from the URL fragment (#token=..., never sent to the server) or the form, and is
// kept in this tab's sessionStorage only.
'use strict';

const API = '/admin/v1';
const POLL_MS = 2000;
// The registration counts ask every subscriber's entity (waking the asleep ones): at open, then every 5 min.
const COUNTS_EVERY = 150;
// A search lists the AORs from the journal's tables: again when the text changes, else every 20 s. The bindings of
// the AOR shown are one entity's answer: every poll.
const SEARCH_EVERY = 10;
const WINDOW_S = 600;
const SVG = 'http://www.w3.org/2000/svg';

const $ = id => document.getElementById(id);
let token = '';
let polls = 0;
let timer = 0;
let running = false; // one poll at a time: a search typed meanwhile asks for another right after
let again = false;
let selectedAor = '';
let searched = { text: '', at: 0, found: { aors: [], truncated: false } };

function takeToken() {
  const m = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('switchboard-token', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search); // out of the address bar and history
  }
  token = sessionStorage.getItem('switchboard-token') || '';
}

function askToken(reason) {
  $('token-reason').textContent = reason;
  $('token-form').classList.remove('hidden');
  setStatus('needs the admin token', true);
}

class Unauthorized extends Error {}

async function api(path) {
  const r = await fetch(API + path, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
  if (r.status === 401) throw new Unauthorized();
  if (!r.ok) {
    let msg = r.status + '';
    try { msg += ' ' + (await r.json()).error; } catch (e) { /* not JSON */ }
    throw new Error(path + ': ' + msg);
  }
  return r.json();
}

function setStatus(text, bad) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('bad', !!bad);
}

// ------------------------------------------------------------------ DOM helpers

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells, cls) {
  const tr = el('tr', undefined, cls);
  cells.forEach(c => tr.appendChild(c instanceof Node ? c : el('td', c)));
  return tr;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function age(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

// ------------------------------------------------------------------ sections

function showCluster(c) {
  $('self').textContent = 'node ' + c.self;
  const regions = {};
  (c.regions || []).forEach(r => { (regions[r.node] = regions[r.node] || {})[r.type] = r; });
  const shards = (node, type) => {
    const r = (regions[node] || {})[type];
    return r ? r.shards + ' / ' + r.entities : '–';
  };
  fill($('members'), c.members.map(m => {
    const status = el('td', m.status, m.status === 'Up' ? 'good' : 'bad');
    const unreachable = c.unreachable.includes(m.address);
    if (unreachable) status.textContent += ' (unreachable)';
    return row([m.address + (m.address === c.self ? ' (this node)' : ''), status, m.roles.join(', '),
      shards(m.address, 'Registration'), shards(m.address, 'Call')], unreachable ? 'bad' : '');
  }));
  const u = $('unreachable');
  u.textContent = c.unreachable.length ? 'Unreachable: ' + c.unreachable.join(', ') : '';
  u.classList.toggle('hidden', !c.unreachable.length);
  const j = c.journal || {};
  const jp = $('journal');
  jp.textContent = j.healthy ? 'Journal healthy, ' + j.latencyMs + ' ms round trip'
    : 'Journal NOT healthy: ' + (j.error || 'no answer');
  jp.className = j.healthy ? 'muted' : 'bad';
}

function showCalls(list) {
  const q = $('calls-search').value.trim().toLowerCase();
  const calls = list.calls.filter(c => !q || [c.callId, c.from, c.to, c.node].some(v => (v || '').toLowerCase().includes(q)));
  $('calls-count').textContent = list.calls.length + ' up' + (list.partial ? ' (still reading the journal)' : '')
    + (q ? ', ' + calls.length + ' match' : '');
  fill($('calls-body'), calls.map(c => {
    const tr = row([c.callId, c.from, c.to, c.node, age(c.age || 0)]);
    tr.dataset.callId = c.callId;
    return tr;
  }));
  $('calls-empty').textContent = list.calls.length ? 'No call matches.' : 'No call is up.';
  $('calls-empty').classList.toggle('hidden', calls.length > 0);
}

async function showRegistrations() {
  const q = $('reg-search').value.trim();
  if (polls % COUNTS_EVERY === 0) {
    const n = await api('/registrations');
    $('reg-counts').textContent = n.subscribers + ' subscribers, ' + n.registered + ' registered, '
      + n.bindings + ' bindings (at ' + new Date().toLocaleTimeString() + ')';
  }
  if (!q) {
    fill($('reg-body'), []);
    $('reg-empty').textContent = 'Type part of an address to see its registrations.';
    $('reg-empty').classList.remove('hidden');
    $('bindings').classList.add('hidden');
    return;
  }
  if (q !== searched.text || polls - searched.at >= SEARCH_EVERY) {
    const result = await api('/registrations?search=' + encodeURIComponent(q) + '&limit=50');
    if ($('reg-search').value.trim() !== q) return; // typed on meanwhile: the next poll shows it
    searched = { text: q, at: polls, found: result };
  }
  const found = searched.found;
  if (found.aors.length === 1) selectedAor = found.aors[0].aor;
  fill($('reg-body'), found.aors.map(a => {
    const tr = row([a.aor, el('td', a.status, a.status === 'REGISTERED' ? 'good' : 'muted'), a.bindings],
      'selectable' + (a.aor === selectedAor ? ' selected' : ''));
    tr.dataset.aor = a.aor;
    tr.addEventListener('click', () => { selectedAor = a.aor; refreshSoon(); });
    return tr;
  }));
  $('reg-empty').textContent = found.aors.length ? (found.truncated ? 'More match: type more of the address.' : '')
    : 'No subscriber matches.';
  $('reg-empty').classList.toggle('hidden', found.aors.length > 0 && !found.truncated);
  const shown = found.aors.some(a => a.aor === selectedAor);
  $('bindings').classList.toggle('hidden', !shown);
  if (shown) {
    const r = await api('/registrations/' + encodeURIComponent(selectedAor));
    $('bindings-aor').textContent = r.aor + ': ' + r.status;
    fill($('bindings-body'), r.bindings.map(b => row([b.contact, b.transport, b.source, age(b.expires),
      b.userAgent || '', b.transportNode || ''])));
  }
}

// ------------------------------------------------------------------ charts

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  return [1, 2, 5, 10].map(f => f * p).find(n => n >= v);
}

/** Lines over the last 10 minutes; a null value breaks its line. series: [{name, values, unit}] */
function chart(svg, at, series, opts) {
  const w = svg.clientWidth || 600;
  const h = svg.clientHeight || 170;
  const left = 44, right = 8, top = 18, bottom = 18;
  const now = at.length ? at[at.length - 1] : Date.now();
  const x = t => left + (w - left - right) * (1 - (now - t) / (WINDOW_S * 1000));
  const all = series.flatMap(s => s.values.filter(v => v !== null));
  const max = opts.max || niceMax(Math.max(0, ...all));
  const y = v => top + (h - top - bottom) * (1 - v / max);
  const parts = [];
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  for (let i = 0; i <= 4; i++) {
    const v = max * i / 4;
    parts.push(svgEl('line', { x1: left, x2: w - right, y1: y(v), y2: y(v), class: 'grid' }));
    parts.push(svgEl('text', { x: left - 4, y: y(v) + 3, 'text-anchor': 'end', class: 'axis' }, opts.fmt(v)));
  }
  for (let m = 0; m <= 10; m += 2) {
    parts.push(svgEl('text', { x: x(now - m * 60000), y: h - 4, 'text-anchor': 'middle', class: 'axis' },
      m ? '-' + m + ' min' : 'now'));
  }
  series.forEach((s, k) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      const px = x(at[i]).toFixed(1), py = y(Math.min(v, max)).toFixed(1);
      d += (pen ? 'L' : 'M') + px + ',' + py;
      pen = true;
      const alone = (i === 0 || s.values[i - 1] === null) && (i === s.values.length - 1 || s.values[i + 1] === null);
      if (alone) parts.push(svgEl('circle', { cx: px, cy: py, r: 2.5, class: 'd' + k })); // a line of one point
    });
    if (d) parts.push(svgEl('path', { d, class: 's' + k }));
    const last = [...s.values].reverse().find(v => v !== null);
    parts.push(svgEl('text', { x: left + 4 + k * 170, y: 12, class: 'l' + k },
      s.name + ': ' + (last === undefined ? '–' : opts.fmt(last)) + (s.note ? ' ' + s.note : '')));
  });
  svg.replaceChildren(...parts);
}

function showActivity(a) {
  $('edge-note').textContent = a.edge
    ? "Figures of this node's SIP edge only (the node serving this page); in a cluster each transport node has "
      + 'its own: open its console to see it. ' + a.pendingInvites + ' INVITEs awaiting a final response now.'
    : 'This node has no SIP edge (no transport role): open the console of a transport node for its figures.';
  const s = a.series;
  const int = v => (Math.round(v * 10) / 10).toString();
  const sum = (list, n) => list.slice(-n).reduce((t, v) => t + v, 0);
  chart($('chart-register'), s.at, [{ name: 'REGISTER/s', values: s.registers }], { fmt: int });
  chart($('chart-calls'), s.at, [{ name: 'INVITE/s', values: s.invites }, { name: 'answered/s', values: s.answered }],
    { fmt: int });
  const ratio = s.finals.map((f, i) => f ? 100 * s.answered[i] / f : null);
  const f60 = sum(s.finals, 60);
  chart($('chart-ratio'), s.at, [{ name: 'answered %', values: ratio,
    note: f60 ? '(last minute: ' + Math.round(100 * sum(s.answered, 60) / f60) + ' %)' : '' }],
    { fmt: v => Math.round(v) + '', max: 100 });
  chart($('chart-latency'), s.at, [{ name: 'p50', values: s.setupP50Ms }, { name: 'p99', values: s.setupP99Ms }],
    { fmt: v => v >= 10000 ? Math.round(v / 1000) + ' s' : Math.round(v) + '' });
}

// ------------------------------------------------------------------ the poll

async function poll() {
  clearTimeout(timer);
  if (running) {
    again = true;
    return;
  }
  running = true;
  const next = await pollOnce();
  running = false;
  if (next) timer = setTimeout(poll, again ? 150 : POLL_MS);
  again = false;
}

/** One round of questions to the API; false when it needs a token first. */
async function pollOnce() {
  if (!token) {
    askToken('This console reads the admin API: it needs the node\'s admin token (the file admin-token in the '
      + 'data directory, or open /console#token=…).');
    return false;
  }
  try {
    const [cluster, calls, activity] = await Promise.all([api('/cluster'), api('/calls?limit=500'), api('/activity')]);
    showCluster(cluster);
    showCalls(calls);
    showActivity(activity);
    await showRegistrations();
    polls++;
    setStatus('updated ' + new Date().toLocaleTimeString());
    document.body.dataset.polls = polls;
  } catch (e) {
    if (e instanceof Unauthorized) {
      sessionStorage.removeItem('switchboard-token');
      token = '';
      askToken('The node refused this token: give the admin token of this node.');
      return false;
    }
    setStatus('not updated: ' + e.message, true);
  }
  return true;
}

function refreshSoon() {
  if (running) {
    again = true;
    return;
  }
  clearTimeout(timer);
  timer = setTimeout(poll, 150);
}

document.addEventListener('DOMContentLoaded', () => {
  takeToken();
  $('token-form').addEventListener('submit', ev => {
    ev.preventDefault();
    token = $('token-input').value.trim();
    sessionStorage.setItem('switchboard-token', token);
    $('token-input').value = '';
    $('token-form').classList.add('hidden');
    poll();
  });
  $('calls-search').addEventListener('input', refreshSoon);
  $('reg-search').addEventListener('input', refreshSoon);
  window.addEventListener('resize', refreshSoon);
  poll();
});
