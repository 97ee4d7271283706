// The live dashboard: camera list and latest frames from /api/events (Server-Sent Events), each
// frame drawn on a canvas with its segmentation mask, boxes, class names and scores, and its
// out-of-distribution score with an "unsure" badge; the committed alerts with their counts by
// rule. The page state (data-* attributes of each camera card) says what was drawn, for people
// and for tests.
'use strict';

// Segmentation class ids (model order) to overlay colours; background stays clear.
const MASK_COLOURS = {
  'drivable direct': [40, 200, 90, 110],
  'drivable alternative': [60, 120, 255, 110],
  'lane marking': [255, 220, 0, 230],
};
const BOX_COLOUR = '#ff4d4f';

const cards = new Map();

function card(id) {
  let c = cards.get(id);
  if (c) return c;
  const el = document.createElement('article');
  el.className = 'camera';
  el.dataset.camera = id;
  el.dataset.boxes = '0';
  el.dataset.mask = 'none';
  el.dataset.ood = 'none';
  el.dataset.unsure = 'false';
  el.innerHTML =
    '<h3><span class="name"></span><small class="frame"></small></h3>' +
    '<canvas width="384" height="216"></canvas>' +
    '<div class="tags"></div><div class="numbers"></div>';
  el.querySelector('.name').textContent = id;
  const list = document.getElementById('cameras');
  const after = [...list.children].find((x) => x.dataset.camera > id);
  list.insertBefore(el, after || null);
  c = { el, canvas: el.querySelector('canvas') };
  cards.set(id, c);
  return c;
}

function numbers(c, cam) {
  if (cam.instance) c.el.dataset.instance = cam.instance;
  c.el.querySelector('.numbers').textContent =
    `${cam.fps.toFixed(1)} frames/s · latency ${Math.round(cam.latency_ms)} ms · ` +
    `${cam.frames} frames` + (c.el.dataset.instance ? ` · ${c.el.dataset.instance}` : '');
}

function tags(c, frame) {
  const t = c.el.querySelector('.tags');
  t.textContent = '';
  for (const [name, v] of Object.entries(frame.tags || {})) {
    const s = document.createElement('span');
    s.textContent = `${v.label} ${(v.score * 100).toFixed(0)}%`;
    s.title = name;
    t.appendChild(s);
  }
  ood(c, frame.ood);
}

// The out-of-distribution score of a model that has one, and an "unsure" badge above the model's
// threshold (the frame looks unlike its training data: treat its results with care).
function ood(c, o) {
  c.el.dataset.ood = o ? String(o.score) : 'none';
  c.el.dataset.unsure = o && o.unsure ? 'true' : 'false';
  if (!o) return;
  const t = c.el.querySelector('.tags');
  const s = document.createElement('span');
  s.className = 'ood';
  s.textContent = `OOD ${o.score.toFixed(2)}`;
  s.title = `out-of-distribution score (model threshold ${o.threshold})`;
  t.appendChild(s);
  if (o.unsure) {
    const b = document.createElement('span');
    b.className = 'unsure';
    b.textContent = 'unsure';
    b.title = `OOD score ${o.score} above the model's threshold ${o.threshold}:` +
      ' the frame looks unlike the training data';
    t.appendChild(b);
  }
}

function drawMask(ctx, mask, w, h) {
  const bytes = Uint8Array.from(atob(mask.data), (ch) => ch.charCodeAt(0));
  const off = document.createElement('canvas');
  off.width = mask.width;
  off.height = mask.height;
  const octx = off.getContext('2d');
  const img = octx.createImageData(mask.width, mask.height);
  const colours = mask.classes.map((name) => MASK_COLOURS[name] || null);
  let painted = 0;
  for (let i = 0; i < bytes.length; i++) {
    const col = colours[bytes[i]];
    if (!col) continue;
    img.data.set(col, i * 4);
    painted++;
  }
  octx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, w, h);
  ctx.imageSmoothingEnabled = true;
  return painted;
}

function drawBoxes(ctx, frame, w, h) {
  const sx = w / frame.frame_width;
  const sy = h / frame.frame_height;
  ctx.lineWidth = 2;
  ctx.font = '11px system-ui, sans-serif';
  for (const d of frame.detections) {
    const [x1, y1, x2, y2] = d.box;
    ctx.strokeStyle = BOX_COLOUR;
    ctx.strokeRect(x1 * sx, y1 * sy, (x2 - x1) * sx, (y2 - y1) * sy);
    const label = `${d.class} ${(d.score * 100).toFixed(0)}%`;
    const tw = ctx.measureText(label).width + 6;
    const ty = Math.max(0, y1 * sy - 14);
    ctx.fillStyle = BOX_COLOUR;
    ctx.fillRect(x1 * sx, ty, tw, 14);
    ctx.fillStyle = '#fff';
    ctx.fillText(label, x1 * sx + 3, ty + 11);
  }
  return frame.detections.length;
}

function draw(frame) {
  const c = card(frame.camera_id);
  const img = new Image();
  img.onload = () => {
    const w = frame.thumbnail.width;
    const h = frame.thumbnail.height;
    c.canvas.width = w;
    c.canvas.height = h;
    const ctx = c.canvas.getContext('2d');
    ctx.drawImage(img, 0, 0, w, h);
    const painted = frame.mask ? drawMask(ctx, frame.mask, w, h) : 0;
    const boxes = drawBoxes(ctx, frame, w, h);
    c.el.dataset.boxes = String(boxes);
    c.el.dataset.mask = painted > 0 ? 'drawn' : 'none';
    c.el.dataset.frame = frame.frame_id;
    c.el.querySelector('.frame').textContent = `#${frame.frame_seq}`;
    tags(c, frame);
    numbers(c, frame);
  };
  img.src = 'data:image/jpeg;base64,' + frame.thumbnail.jpeg;
}

function stats(s) {
  for (const cam of s.cameras) numbers(card(cam.camera_id), cam);
  const body = document.querySelector('#dead-letters tbody');
  body.textContent = '';
  const rows = Object.entries(s.dead_letters).filter(([, n]) => n > 0);
  if (rows.length === 0) rows.push(['none yet', 0]);
  for (const [reason, n] of rows) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td></td><td class="n"></td>';
    tr.children[0].textContent = reason;
    tr.children[1].textContent = String(n);
    tr.dataset.reason = reason;
    body.appendChild(tr);
  }
}

// Alerts: counts by rule and the newest alerts (the /api/alerts document, pushed when it changes).
function fmtTime(ms) {
  const d = new Date(ms);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function alerts(doc) {
  const panel = document.getElementById('alerts-panel');
  panel.dataset.total = String(doc.total);
  document.getElementById('alerts-total').textContent = doc.enabled ? `${doc.total}` : 'rules off';
  const counts = document.querySelector('#alert-counts tbody');
  counts.textContent = '';
  const rules = Object.entries(doc.by_rule).sort((a, b) => b[1].count - a[1].count);
  if (rules.length === 0) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td></td>';
    tr.children[0].textContent = doc.enabled ? 'none yet' : 'telemetry.enabled=false';
    counts.appendChild(tr);
  }
  for (const [rule, r] of rules) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td><span class="sev"></span> <span class="rule"></span></td><td class="n"></td>';
    tr.dataset.rule = rule;
    tr.dataset.severity = r.severity;
    tr.querySelector('.sev').textContent = r.severity;
    tr.querySelector('.sev').dataset.severity = r.severity;
    tr.querySelector('.rule').textContent = rule;
    tr.children[1].textContent = String(r.count);
    counts.appendChild(tr);
  }
  const list = document.getElementById('alerts');
  list.textContent = '';
  for (const a of doc.alerts) {
    const li = document.createElement('li');
    li.dataset.rule = a.rule_id;
    li.dataset.severity = a.severity;
    li.dataset.vehicle = a.vehicle_id || '';
    li.dataset.frame = a.frame_id;
    li.title = a.description;
    li.innerHTML =
      '<div><span class="sev"></span> <b class="rule"></b> <time></time></div>' +
      '<div class="who"></div><div class="evidence"></div>';
    li.querySelector('.sev').textContent = a.severity;
    li.querySelector('.sev').dataset.severity = a.severity;
    li.querySelector('.rule').textContent = a.rule_id;
    li.querySelector('time').textContent = fmtTime(a.capture_ts);
    li.querySelector('time').dateTime = new Date(a.capture_ts).toISOString();
    li.querySelector('.who').textContent =
      `${a.vehicle_id || 'no vehicle'} · ${a.frame_id}` +
      (a.suppressed > 0 ? ` · ${a.suppressed} suppressed` : '');
    li.querySelector('.evidence').textContent = Object.entries(a.evidence || {})
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ');
    list.appendChild(li);
  }
}

function status(text, state) {
  const el = document.getElementById('status');
  el.textContent = text;
  el.dataset.state = state;
}

function connect() {
  const es = new EventSource('/api/events');
  es.onopen = () => status('live', 'live');
  es.onerror = () => status('reconnecting…', 'connecting');
  es.addEventListener('camera', (e) => draw(JSON.parse(e.data)));
  es.addEventListener('stats', (e) => stats(JSON.parse(e.data)));
  es.addEventListener('alerts', (e) => alerts(JSON.parse(e.data)));
  es.addEventListener('status', (e) => status(JSON.parse(e.data).state, 'connecting'));
}

fetch('/api/cameras')
  .then((r) => (r.ok ? r.json() : { cameras: [] }))
  .then((r) => r.cameras.forEach((cam) => numbers(card(cam.camera_id), cam)))
  .catch(() => {})
  .finally(connect);
