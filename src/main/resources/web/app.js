// The live dashboard: camera list and latest frames from /api/events (Server-Sent Events), each
// frame drawn on a canvas with its segmentation mask, its boxes above the viewer's score threshold
// (labels with track id, class and score, never piled on top of each other), a short fading trail
// per track, and its out-of-distribution score with an "unsure" badge; per-camera counts of late,
// out-of-order and dead-lettered frames when the server reports them; the committed alerts with
// their counts by rule and their evidence in units. The page state (data-* attributes of each
// camera card, and its hidden list of drawn labels) says what was drawn, for people and for tests.
'use strict';

// Segmentation class ids (model order) to overlay colours; background stays clear.
const MASK_COLOURS = {
  'drivable direct': [40, 200, 90, 110],
  'drivable alternative': [60, 120, 255, 110],
  'lane marking': [255, 220, 0, 230],
};
const BOX_COLOUR = '#ff4d4f';
// Box centres kept per track, and how long a track unseen (capture time) keeps its trail.
const TRAIL_POINTS = 8;
const TRAIL_TTL_MS = 3000;
// A detection is the box of a track when their boxes overlap this much (same class).
const TRACK_IOU = 0.3;

// ---- Numbers: one table of formatters, by exact field name or else by the longest suffix. ----
const round = (v, digits) => {
  const s = v.toFixed(digits);
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
};
// 1 decimal below 10 (2 below 1), whole numbers above: "0.85 s", "1.2 s", "35 s".
const scaled = (v) => round(v, Math.abs(v) < 1 ? 2 : Math.abs(v) < 10 ? 1 : 0);
function sig3(v) {
  if (Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 100) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}
const percent = (v) => `${Math.round(v * 100)}%`;
const FORMATS = {
  score: percent,
  probability: percent,
  confidence: percent,
  fps: (v) => `${round(v, 1)} frames/s`,
  ood: (v) => round(v, 2), // a scaled distance (1: 95th percentile of training), not a share
  _score: percent,
  _prob: percent,
  _ratio: percent,
  _pct: (v) => `${scaled(v)}%`,
  _percent: (v) => `${scaled(v)}%`,
  _ms: (v) => `${round(v, Math.abs(v) < 10 ? 1 : 0)} ms`,
  _s: (v) => `${scaled(v)} s`,
  _m: (v) => `${scaled(v)} m`,
  _km: (v) => `${scaled(v)} km`,
  _px: (v) => `${Math.round(v)} px`,
  _mps: (v) => `${round(v, 1)} m/s`,
  _mps2: (v) => `${round(v, 1)} m/s²`,
  _kmh: (v) => `${Math.round(v)} km/h`,
  _kph: (v) => `${Math.round(v)} km/h`,
  _deg: (v) => `${Math.round(v)}°`,
  _hz: (v) => `${round(v, 1)} Hz`,
  _ts: (v) => fmtTime(v),
  _id: (v) => `#${v}`,
  _ids: (v) => `#${v}`,
};
const UNIT_SUFFIXES = Object.keys(FORMATS)
  .filter((k) => k.startsWith('_'))
  .sort((a, b) => b.length - a.length);

// The formatter of a field: its own, else the one of its longest known suffix, else 3
// significant digits for floats.
function formatter(field) {
  if (Object.prototype.hasOwnProperty.call(FORMATS, field)) return FORMATS[field];
  const suffix = UNIT_SUFFIXES.find((s) => field.endsWith(s));
  return suffix ? FORMATS[suffix] : sig3;
}

// A value of field `field` as text: numbers with their unit, lists item by item, the rest as is.
function fmt(field, v) {
  if (Array.isArray(v)) return v.length === 0 ? '–' : v.map((x) => fmt(field, x)).join(', ');
  if (typeof v === 'number') return Number.isFinite(v) ? formatter(field)(v) : String(v);
  if (v === null || v === undefined) return '–';
  if (typeof v === 'object') {
    return Object.entries(v).map(([k, x]) => `${k} ${fmt(k, x)}`).join(', ');
  }
  return String(v);
}

// A field's name for people: the unit suffix goes (the value carries the unit), underscores too.
function fieldName(field) {
  const suffix = UNIT_SUFFIXES.find((s) => field.endsWith(s) && s !== '_id' && s !== '_ids');
  const base = suffix && field.length > suffix.length ? field.slice(0, -suffix.length) : field;
  return base.replace(/_/g, ' ');
}

// ---- The score threshold: one per page, default the served model's min_score (/api/model). ----
const threshold = { value: 0, floor: 0, fromModel: false };

function thresholdControl() {
  return document.getElementById('score-threshold');
}

function setThreshold(v, redraw = true) {
  const t = Math.min(1, Math.max(threshold.floor, Number.isFinite(v) ? v : threshold.floor));
  threshold.value = t;
  const input = thresholdControl();
  input.value = String(t);
  input.dataset.value = String(t);
  document.getElementById('score-threshold-value').textContent = percent(t);
  if (redraw) cards.forEach(render);
}

// The model's floor and default; a ?min_score=0.5 in the page address overrides the default.
function model(doc) {
  const input = thresholdControl();
  threshold.floor = doc.min_score;
  threshold.fromModel = true;
  input.min = String(doc.min_score);
  input.dataset.default = String(doc.min_score);
  input.title = `hide boxes scoring below this (the model publishes none below ` +
    `${percent(doc.min_score)}: model.min.score of ${doc.model})`;
  document.getElementById('model').textContent = doc.model;
  const asked = parseFloat(new URLSearchParams(location.search).get('min_score'));
  setThreshold(Number.isFinite(asked) ? asked : doc.min_score);
}

function loadModel(attempt = 0) {
  fetch('/api/model')
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then(model)
    .catch(() => setTimeout(() => loadModel(attempt + 1), Math.min(10000, 1000 * (attempt + 1))));
}

// ---- The shadow model against the served one (/api/shadow, polled; hidden without a shadow). ----
function shadowRows(doc) {
  const rows = [
    ['frames compared', `${doc.compared} of ${doc.sampled} sampled`],
    ['dropped', String(doc.dropped)],
  ];
  for (const [a, v] of Object.entries(doc.attribute_agreement)) {
    rows.push([`${a} agreement`, v === null ? '–' : `${(v * 100).toFixed(1)}%`]);
  }
  for (const [k, v] of Object.entries(doc.detection_f1)) {
    rows.push([`${k} F1`, v === null ? '–' : v.toFixed(3)]);
  }
  rows.push(['mask IoU', doc.mask_iou === null ? '–' : doc.mask_iou.toFixed(3)]);
  rows.push(['latency delta',
    doc.mean_latency_delta_ms === null ? '–' : `${doc.mean_latency_delta_ms.toFixed(1)} ms`]);
  return rows;
}

function shadow(doc) {
  const panel = document.getElementById('shadow-panel');
  panel.hidden = !doc.enabled;
  if (!doc.enabled) return;
  document.getElementById('shadow-models').textContent = `${doc.shadow} vs ${doc.incumbent}`;
  const body = document.querySelector('#shadow-figures tbody');
  body.textContent = '';
  for (const [name, value] of shadowRows(doc)) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td></td><td class="n"></td>';
    tr.children[0].textContent = name;
    tr.children[1].textContent = value;
    body.appendChild(tr);
  }
}

function loadShadow() {
  fetch('/api/shadow')
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((doc) => {
      shadow(doc);
      if (doc.enabled) setTimeout(loadShadow, 2000);
    })
    .catch(() => setTimeout(loadShadow, 5000));
}

// ---- Camera cards. ----
const cards = new Map();

function card(id) {
  let c = cards.get(id);
  if (c) return c;
  const el = document.createElement('article');
  el.className = 'camera';
  el.dataset.camera = id;
  el.dataset.boxes = '0';
  el.dataset.detections = '0';
  el.dataset.labels = '0';
  el.dataset.tracks = '';
  el.dataset.mask = 'none';
  el.dataset.ood = 'none';
  el.dataset.unsure = 'false';
  el.innerHTML =
    '<h3><span class="name"></span><small class="frame"></small></h3>' +
    '<canvas width="384" height="216"></canvas>' +
    '<ul class="drawn" hidden></ul>' +
    '<div class="tags"></div><div class="numbers"></div><div class="counts" hidden></div>';
  el.querySelector('.name').textContent = id;
  const list = document.getElementById('cameras');
  const after = [...list.children].find((x) => x.dataset.camera > id);
  list.insertBefore(el, after || null);
  c = { el, canvas: el.querySelector('canvas'), frame: null, img: null, trails: new Map() };
  cards.set(id, c);
  return c;
}

function numbers(c, cam) {
  if (cam.instance) c.el.dataset.instance = cam.instance;
  c.el.querySelector('.numbers').textContent =
    `${fmt('fps', cam.fps)} · latency ${fmt('latency_ms', cam.latency_ms)} · ` +
    `${cam.frames} frames` + (c.el.dataset.instance ? ` · ${c.el.dataset.instance}` : '');
}

// Per-camera problem counts of the /api/cameras entries (stats events), when the server reports
// them (older servers do not): only the
// non-zero ones are shown; each is also a data-* attribute of the card (absent: not reported).
const COUNTS = [
  ['late', 'late', 'frames that arrived later than the lateness bound'],
  ['outOfOrder', 'out of order', 'frames older than one already seen (skipped by the tracker)'],
  ['deadLettered', 'dropped', 'late or out-of-order frames dead-lettered (LATE, OUT_OF_ORDER)'],
];

function counts(c, cam) {
  const el = c.el.querySelector('.counts');
  el.textContent = '';
  for (const [field, label, title] of COUNTS) {
    const n = cam[field];
    if (!Number.isInteger(n)) {
      delete c.el.dataset[field];
      continue;
    }
    c.el.dataset[field] = String(n);
    if (n === 0) continue;
    if (el.childElementCount > 0) el.append(' · ');
    const s = document.createElement('span');
    s.dataset.count = field;
    s.title = title;
    s.textContent = `${label} ${n}`;
    el.appendChild(s);
  }
  el.hidden = el.childElementCount === 0;
}

function tags(c, frame) {
  const t = c.el.querySelector('.tags');
  t.textContent = '';
  for (const [name, v] of Object.entries(frame.tags || {})) {
    const s = document.createElement('span');
    s.textContent = `${v.label} ${fmt('score', v.score)}`;
    s.title = name;
    t.appendChild(s);
  }
  ood(c, frame.ood);
}

// The out-of-distribution score of a model that has one, and an "unsure" badge above the model's
// threshold (the frame looks unlike its training data: treat its results with care). The badge
// sits in the card's title too, so it stays in sight however many tags there are.
function ood(c, o) {
  c.el.dataset.ood = o ? String(o.score) : 'none';
  c.el.dataset.unsure = o && o.unsure ? 'true' : 'false';
  const h = c.el.querySelector('h3 .unsure');
  if (h) h.remove();
  if (!o) return;
  const t = c.el.querySelector('.tags');
  const s = document.createElement('span');
  s.className = 'ood';
  s.textContent = `OOD ${fmt('ood', o.score)}`;
  s.title = `out-of-distribution score (model threshold ${fmt('threshold', o.threshold)})`;
  t.appendChild(s);
  if (o.unsure) {
    const b = document.createElement('span');
    b.className = 'unsure';
    b.textContent = 'unsure';
    b.title = `OOD score ${fmt('ood', o.score)} above the model's threshold ` +
      `${fmt('threshold', o.threshold)}: the frame looks unlike the training data`;
    c.el.querySelector('h3 .name').after(b);
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

// ---- Tracks: which detection is which track, colours by id, trails of box centres. ----
function iou(a, b) {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

// Greedy one-to-one matching of detections to tracks of the same class, best overlap first:
// the track's id per detection index.
function matchTracks(dets, tracks) {
  const pairs = [];
  dets.forEach((d, i) =>
    tracks.forEach((t, j) => {
      if (t.class !== d.class) return;
      const o = iou(d.box, t.box);
      if (o >= TRACK_IOU) pairs.push([o, i, j]);
    }));
  pairs.sort((a, b) => b[0] - a[0]);
  const byDet = new Map();
  const used = new Set();
  for (const [, i, j] of pairs) {
    if (byDet.has(i) || used.has(j)) continue;
    byDet.set(i, tracks[j]);
    used.add(j);
  }
  return { byDet, used };
}

function trackColour(id) {
  return `hsl(${(id * 137.508) % 360}, 85%, 60%)`;
}

const centre = (b) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

// Adds this frame's confirmed tracks to the camera's trails (frame pixels), once per frame;
// drops the trails of tracks not seen for TRAIL_TTL_MS of capture time, and every trail when
// the camera's clock went back (a restarted camera or a replay).
function updateTrails(c, frame) {
  const now = frame.capture_ts;
  if (c.trailTs !== undefined && now < c.trailTs) c.trails.clear();
  c.trailTs = now;
  for (const t of frame.tracks || []) {
    if (t.state !== 'CONFIRMED') continue;
    let trail = c.trails.get(t.id);
    if (!trail) {
      trail = { points: [], seen: now };
      c.trails.set(t.id, trail);
    }
    trail.points.push(centre(t.box));
    if (trail.points.length > TRAIL_POINTS) trail.points.shift();
    trail.seen = now;
  }
  for (const [id, trail] of c.trails) {
    if (now - trail.seen > TRAIL_TTL_MS) c.trails.delete(id);
  }
}

function drawTrail(ctx, points, colour, sx, sy, alpha) {
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  for (let i = 1; i < points.length; i++) {
    // older segments fainter
    ctx.globalAlpha = alpha * (i / (points.length - 1));
    ctx.beginPath();
    ctx.moveTo(points[i - 1][0] * sx, points[i - 1][1] * sy);
    ctx.lineTo(points[i][0] * sx, points[i][1] * sy);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

// Draws what scores at least the threshold: boxes (a track's in its colour, a lost track's
// prediction dashed), trails, and labels strongest first where they do not cover a drawn label
// (above the box, else inside its top). Returns what was drawn.
function drawObjects(ctx, c, frame, w, h) {
  const sx = w / frame.frame_width;
  const sy = h / frame.frame_height;
  const min = threshold.value;
  const all = frame.detections || [];
  const tracks = frame.tracks || [];
  const { byDet, used } = matchTracks(all, tracks);
  const shown = [];
  all.forEach((d, i) => {
    if (d.score >= min) shown.push({ box: d.box, cls: d.class, score: d.score, track: byDet.get(i) });
  });
  // tracks the tracker keeps without this frame's detection: its prediction, dashed
  tracks.forEach((t, j) => {
    if (!used.has(j) && t.score >= min) {
      shown.push({ box: t.box, cls: t.class, score: t.score, track: t, predicted: true });
    }
  });
  const visibleIds = new Set(shown.filter((o) => o.track).map((o) => o.track.id));
  for (const [id, trail] of c.trails) {
    if (trail.points.length < 2) continue;
    const current = visibleIds.has(id);
    // a trail of a track below the threshold is hidden with its box
    if (!current && tracks.some((t) => t.id === id)) continue;
    drawTrail(ctx, trail.points, trackColour(id), sx, sy, current ? 0.9 : 0.35);
  }
  ctx.font = '11px system-ui, sans-serif';
  for (const o of shown) {
    const [x1, y1, x2, y2] = o.box;
    ctx.strokeStyle = o.track ? trackColour(o.track.id) : BOX_COLOUR;
    ctx.lineWidth = 2;
    ctx.setLineDash(o.predicted ? [4, 3] : []);
    ctx.strokeRect(x1 * sx, y1 * sy, (x2 - x1) * sx, (y2 - y1) * sy);
  }
  ctx.setLineDash([]);
  const labels = [];
  const placed = [];
  // this frame's objects strongest first, then the lost tracks' predictions (only their id)
  const order = (o) => (o.predicted ? -1 : 0) + o.score;
  for (const o of [...shown].sort((a, b) => order(b) - order(a))) {
    const text = o.predicted
      ? `#${o.track.id} lost`
      : (o.track ? `#${o.track.id} ` : '') + `${o.cls} ${fmt('score', o.score)}`;
    const tw = ctx.measureText(text).width + 6;
    const x = Math.min(Math.max(0, o.box[0] * sx), Math.max(0, w - tw));
    const above = { x, y: o.box[1] * sy - 14, w: tw, h: 14 };
    const inside = { x, y: o.box[1] * sy, w: tw, h: 14 };
    const spot = [above, inside].find(
      (r) => r.y >= 0 && r.y + r.h <= h && !placed.some((p) => overlaps(p, r)));
    if (!spot) continue;
    placed.push(spot);
    o.rect = spot;
    ctx.fillStyle = o.track ? trackColour(o.track.id) : BOX_COLOUR;
    ctx.fillRect(spot.x, spot.y, spot.w, spot.h);
    ctx.fillStyle = o.track ? '#111' : '#fff';
    ctx.fillText(text, spot.x + 3, spot.y + 11);
    labels.push({ text, o });
  }
  return { boxes: shown.length, labels, tracks: [...visibleIds] };
}

// What was drawn, for people with screen readers and for tests: one item per drawn label.
function drawnList(c, labels) {
  const ul = c.el.querySelector('ul.drawn');
  ul.textContent = '';
  for (const { text, o } of labels) {
    const li = document.createElement('li');
    li.textContent = text;
    li.dataset.class = o.cls;
    li.dataset.score = String(o.score);
    if (o.track) li.dataset.track = String(o.track.id);
    li.dataset.rect = [o.rect.x, o.rect.y, o.rect.w, o.rect.h].map((v) => v.toFixed(1)).join(',');
    ul.appendChild(li);
  }
}

// Draws a card's latest frame with the current threshold (a new frame, or the threshold moved).
function render(c) {
  const frame = c.frame;
  if (!frame || !c.img) return;
  const w = frame.thumbnail.width;
  const h = frame.thumbnail.height;
  c.canvas.width = w;
  c.canvas.height = h;
  const ctx = c.canvas.getContext('2d');
  ctx.drawImage(c.img, 0, 0, w, h);
  const painted = frame.mask ? drawMask(ctx, frame.mask, w, h) : 0;
  const drawn = drawObjects(ctx, c, frame, w, h);
  drawnList(c, drawn.labels);
  c.el.dataset.boxes = String(drawn.boxes);
  c.el.dataset.detections = String((frame.detections || []).length);
  c.el.dataset.labels = String(drawn.labels.length);
  c.el.dataset.tracks = drawn.tracks.join(' ');
  c.el.dataset.threshold = String(threshold.value);
  c.el.dataset.mask = painted > 0 ? 'drawn' : 'none';
}

function draw(frame) {
  const c = card(frame.camera_id);
  const img = new Image();
  img.onload = () => {
    // an older frame decoded late never replaces a newer one
    if (c.frame && c.frame.capture_ts > frame.capture_ts && c.frame.frame_seq > frame.frame_seq) {
      return;
    }
    if (!c.frame || c.frame.frame_id !== frame.frame_id) updateTrails(c, frame);
    c.frame = frame;
    c.img = img;
    render(c);
    c.el.dataset.frame = frame.frame_id;
    c.el.querySelector('.frame').textContent = `#${frame.frame_seq}`;
    tags(c, frame);
    numbers(c, frame);
  };
  img.src = 'data:image/jpeg;base64,' + frame.thumbnail.jpeg;
}

// A camera's entry of /api/cameras.
function listed(cam) {
  const c = card(cam.camera_id);
  numbers(c, cam);
  counts(c, cam);
}

function stats(s) {
  s.cameras.forEach(listed);
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

// An evidence value as the rules engine writes it (text: a number, "[a, b]" for a list, or words)
// back to numbers and lists, so that fmt can give it its unit.
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
function parseEvidence(v) {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (NUMBER.test(t)) return Number(t);
  if (t.startsWith('[') && t.endsWith(']')) {
    const inner = t.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(/,\s*/).map(parseEvidence);
  }
  return v;
}

// An alert's evidence: one item per field, its value in the field's unit, the raw field name and
// value in the tooltip.
function evidence(el, ev) {
  el.textContent = '';
  for (const [k, v] of Object.entries(ev || {})) {
    if (el.childElementCount > 0) el.append(' · ');
    const s = document.createElement('span');
    s.dataset.field = k;
    s.title = `${k}: ${JSON.stringify(v)}`;
    s.textContent = `${fieldName(k)} ${fmt(k, parseEvidence(v))}`;
    el.appendChild(s);
  }
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
    evidence(li.querySelector('.evidence'), a.evidence);
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

thresholdControl().addEventListener('input', (e) => setThreshold(parseFloat(e.target.value)));
setThreshold(0, false);
loadModel();
loadShadow();
fetch('/api/cameras')
  .then((r) => (r.ok ? r.json() : { cameras: [] }))
  .then((r) => r.cameras.forEach(listed))
  .catch(() => {})
  .finally(connect);
