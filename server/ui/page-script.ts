// The page's script, inlined into the HTML. Plain browser JavaScript (no build step). Every value
// that comes from an event is put into the page with textContent or as a number in a style
// property, never as markup, so hostile payloads cannot inject HTML.
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var state = { traces: [], services: [], service: null, selected: null, detail: null };
  var TYPE_COLOURS = {
    request: '#54b399', db: '#6092c0', external: '#9170b8', http: '#9170b8', messaging: '#d6bf57',
    cache: '#ca8eae', template: '#d36086', app: '#e7664c', code: '#e7664c', storage: '#aa6556', resource: '#b9a888'
  };
  var PALETTE = ['#54b399', '#6092c0', '#d36086', '#9170b8', '#ca8eae', '#d6bf57', '#b9a888', '#da8b45', '#aa6556', '#e7664c'];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function safeClass(value) { return ['success', 'failure', 'unknown'].indexOf(value) >= 0 ? value : 'unknown'; }
  function formatDuration(ms) {
    if (ms === 0) return '0 ms';
    if (ms >= 3600000) return (ms / 3600000).toFixed(1) + ' h';
    if (ms >= 60000) return (ms / 60000).toFixed(1) + ' min';
    if (ms >= 1000) return (ms / 1000).toFixed(ms >= 10000 ? 1 : 2) + ' s';
    if (ms >= 100) return ms.toFixed(0) + ' ms';
    if (ms >= 10) return ms.toFixed(1) + ' ms';
    return ms.toFixed(2) + ' ms';
  }
  function ago(epochMs) {
    var s = Math.max(0, Math.round((Date.now() - epochMs) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    return Math.round(s / 3600) + ' h ago';
  }
  function typeColour(type) {
    var head = String(type).split('.')[0];
    if (Object.prototype.hasOwnProperty.call(TYPE_COLOURS, head)) return TYPE_COLOURS[head];
    var hash = 0;
    for (var i = 0; i < head.length; i++) hash = (hash * 31 + head.charCodeAt(i)) >>> 0;
    return PALETTE[hash % PALETTE.length];
  }
  function getJson(url) {
    return fetch(url, { cache: 'no-store' }).then(function (response) {
      if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
      return response.json();
    });
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  function renderServices() {
    var list = document.getElementById('services');
    clear(list);
    if (state.services.length === 0) { list.appendChild(el('li', 'empty', 'No services yet.')); return; }
    state.services.forEach(function (service) {
      var li = el('li');
      var button = el('button', 'item' + (state.service === service.name ? ' picked' : ''));
      button.type = 'button';
      button.dataset.service = service.name;
      var title = el('div', 'title');
      title.appendChild(el('span', 'name', service.name));
      if (service.errors > 0) title.appendChild(el('span', 'badge failure', plural(service.errors, 'error')));
      button.appendChild(title);
      var sub = el('div', 'sub');
      [service.agent, service.environment, plural(service.transactions, 'transaction'), plural(service.spans, 'span')]
        .forEach(function (part) { if (part) sub.appendChild(el('span', null, part)); });
      button.appendChild(sub);
      button.addEventListener('click', function () {
        state.service = state.service === service.name ? null : service.name;
        renderServices();
        renderTraces();
      });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function renderTraces() {
    var list = document.getElementById('traces');
    clear(list);
    var shown = state.traces.filter(function (trace) {
      return !state.service || trace.services.indexOf(state.service) >= 0;
    });
    document.getElementById('trace-count').textContent = String(shown.length);
    if (shown.length === 0) { list.appendChild(el('li', 'empty', 'Waiting for traces…')); return; }
    shown.forEach(function (trace) {
      var li = el('li');
      var button = el('button', 'item trace' + (state.selected === trace.traceId ? ' picked' : ''));
      button.type = 'button';
      button.dataset.traceId = trace.traceId;
      var title = el('div', 'title');
      title.appendChild(el('span', 'name', trace.name));
      title.appendChild(el('span', null, formatDuration(trace.durationMs)));
      button.appendChild(title);
      var sub = el('div', 'sub');
      sub.appendChild(el('span', null, trace.services.join(', ')));
      sub.appendChild(el('span', null, plural(trace.spanCount, 'span')));
      if (trace.errorCount > 0) sub.appendChild(el('span', 'badge failure', plural(trace.errorCount, 'error')));
      sub.appendChild(el('span', 'badge ' + safeClass(trace.outcome), trace.outcome));
      sub.appendChild(el('span', null, ago(trace.lastReceivedAt)));
      button.appendChild(sub);
      button.addEventListener('click', function () { location.hash = 'trace=' + encodeURIComponent(trace.traceId); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function renderErrors(errors, container) {
    errors.forEach(function (error) {
      var box = el('div', 'error');
      var head = error.type + (error.message ? ': ' + error.message : '') + (error.handled === false ? ' (unhandled)' : '');
      box.appendChild(el('div', 'head', '✖ ' + head));
      if (error.culprit) box.appendChild(el('div', 'culprit', error.culprit));
      if (error.frames.length > 0) {
        var frames = el('ol', 'frames');
        error.frames.slice(0, 10).forEach(function (frame) {
          var where = [frame.file || '?', frame.line, frame.column].filter(function (p) { return p !== undefined && p !== null; }).join(':');
          frames.appendChild(el('li', frame.library ? 'library' : null, frame.function ? frame.function + ' (' + where + ')' : where));
        });
        box.appendChild(frames);
      }
      container.appendChild(box);
    });
  }

  function renderAxis(totalMs) {
    var axis = el('div', 'axis');
    axis.appendChild(el('div', 'label', 'name'));
    var ticks = el('div', 'ticks');
    for (var i = 0; i <= 4; i++) {
      var tick = el('span', 'tick', formatDuration((totalMs * i) / 4));
      tick.style.left = (i * 25) + '%';
      ticks.appendChild(tick);
    }
    axis.appendChild(ticks);
    axis.appendChild(el('div', 'dur', 'duration'));
    return axis;
  }

  function renderDetail() {
    var root = document.getElementById('detail');
    clear(root);
    var w = state.detail;
    if (!w) {
      var known = state.traces.some(function (t) { return t.traceId === state.selected; });
      var text = !state.selected ? 'Pick a trace to see its waterfall.' : known ? 'Loading…' : 'This trace is not kept (any more).';
      root.appendChild(el('p', 'placeholder', text));
      return;
    }
    var head = el('div', 'trace-head');
    head.appendChild(el('h2', null, w.name));
    var facts = el('div', 'facts');
    facts.appendChild(el('span', null, formatDuration(w.durationMs)));
    facts.appendChild(el('span', null, w.services.join(', ')));
    facts.appendChild(el('span', null, plural(w.transactionCount, 'transaction') + ', ' + plural(w.spanCount, 'span') + ', ' + plural(w.errorCount, 'error')));
    facts.appendChild(el('span', 'badge ' + safeClass(w.outcome), w.outcome));
    if (!w.hasRoot && w.rows.length > 0) facts.appendChild(el('span', 'badge', 'root transaction not received'));
    if (w.droppedEvents > 0) facts.appendChild(el('span', 'badge', w.droppedEvents + ' events dropped'));
    facts.appendChild(el('code', null, 'trace ' + w.traceId));
    head.appendChild(facts);
    root.appendChild(head);

    var legend = el('div', 'legend');
    var seen = {};
    w.rows.forEach(function (row) {
      var kind = String(row.type).split('.')[0];
      if (seen[kind]) return;
      seen[kind] = true;
      var item = el('span');
      var swatch = el('span', 'swatch');
      swatch.style.background = typeColour(row.type);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(kind));
      legend.appendChild(item);
    });
    root.appendChild(legend);

    var chart = el('div', 'waterfall');
    chart.id = 'waterfall';
    chart.dataset.traceId = w.traceId;
    if (w.rows.length > 0) chart.appendChild(renderAxis(w.durationMs));
    var total = w.durationMs > 0 ? w.durationMs : 1;
    w.rows.forEach(function (row) {
      var line = el('div', 'row ' + (row.kind === 'transaction' ? 'transaction' : 'span') + ' ' + safeClass(row.outcome));
      line.dataset.id = row.id;
      var label = el('div', 'label');
      label.style.paddingLeft = (8 + Math.min(row.depth, 16) * 16) + 'px';
      var dot = el('span', 'outcome ' + safeClass(row.outcome));
      dot.title = 'outcome: ' + row.outcome;
      label.appendChild(dot);
      var name = el('span', 'name', row.name);
      name.title = row.name + (row.result ? ' (' + row.result + ')' : '') + ' · ' + row.service;
      label.appendChild(name);
      label.appendChild(el('span', 'type', row.type));
      if (row.parentMissing) label.appendChild(el('span', 'missing', '(parent not received)'));
      line.appendChild(label);
      var lane = el('div', 'lane');
      var bar = el('div', 'bar');
      bar.style.left = Math.min(100, Math.max(0, (row.offsetMs / total) * 100)) + '%';
      bar.style.width = Math.min(100, Math.max(0, (row.durationMs / total) * 100)) + '%';
      bar.style.background = typeColour(row.type);
      bar.title = row.type + ' · ' + formatDuration(row.durationMs) + ' · ' + row.outcome;
      lane.appendChild(bar);
      line.appendChild(lane);
      line.appendChild(el('div', 'dur', formatDuration(row.durationMs)));
      chart.appendChild(line);
      if (row.errors.length > 0) {
        var errors = el('div', 'errors');
        errors.style.paddingLeft = (8 + Math.min(row.depth + 1, 17) * 16) + 'px';
        renderErrors(row.errors, errors);
        chart.appendChild(errors);
      }
    });
    if (w.errors.length > 0) {
      var loose = el('div', 'errors');
      renderErrors(w.errors, loose);
      chart.appendChild(loose);
    }
    root.appendChild(chart);
  }

  function selectedFromHash() {
    var match = /^#trace=(.+)$/.exec(location.hash);
    return match ? decodeURIComponent(match[1]) : null;
  }

  var loading = false;
  var again = false;
  function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    var selected = state.selected;
    Promise.all([getJson('api/services'), getJson('api/traces')])
      .then(function (results) {
        state.services = results[0].services;
        state.traces = results[1].traces;
        renderServices();
        renderTraces();
        if (!selected) { state.detail = null; renderDetail(); return; }
        var summary = state.traces.filter(function (t) { return t.traceId === selected; })[0];
        if (state.detail && summary && state.detail.traceId === selected && state.detail.version === summary.version) return;
        return getJson('api/traces/' + encodeURIComponent(selected))
          .then(function (body) { state.detail = body.trace; }, function () { state.detail = null; })
          .then(function () { if (state.selected === selected) renderDetail(); });
      })
      .catch(function () { setStatus('down', 'server unreachable'); })
      .then(function () {
        loading = false;
        if (again) { again = false; refresh(); }
      });
  }

  function setStatus(kind, text) {
    var status = document.getElementById('status');
    status.className = kind;
    status.textContent = text;
  }

  var pending = null;
  function refreshSoon() {
    if (pending) return;
    pending = setTimeout(function () { pending = null; refresh(); }, 150);
  }

  function connect() {
    if (typeof EventSource === 'undefined') {
      setStatus('', 'polling');
      setInterval(refresh, 2000);
      return;
    }
    var source = new EventSource('api/stream');
    source.addEventListener('open', function () { setStatus('live', 'live'); refreshSoon(); });
    source.addEventListener('traces', refreshSoon);
    source.addEventListener('error', function () { setStatus('down', 'reconnecting…'); });
  }

  window.addEventListener('hashchange', function () {
    state.selected = selectedFromHash();
    state.detail = null;
    renderTraces();
    renderDetail();
    refresh();
  });
  state.selected = selectedFromHash();
  document.getElementById('intake').textContent = location.origin + '/intake/v2/events';
  renderDetail();
  refresh();
  connect();
  setInterval(renderTraces, 10000); // keeps the "s ago" labels honest without traffic
})();
`;
