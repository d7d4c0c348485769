// The single page served at `/`: static HTML with the style and script inlined. Nothing from an
// event is ever written into this HTML; the script fetches data and builds the DOM itself.
import { createHash } from 'node:crypto';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>apm-weaver · local traces</title>
<link rel="icon" href="data:,">
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
  <h1>apm-weaver</h1>
  <span id="status">connecting…</span>
  <span class="meta">intake: <code id="intake"></code></span>
</header>
<main>
  <aside>
    <h2>Services</h2>
    <ul id="services"></ul>
    <h2>Recent traces (<span id="trace-count">0</span>)</h2>
    <ul id="traces"></ul>
  </aside>
  <section class="detail" id="detail" aria-live="polite"></section>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;

/**
 * Only the inline style and script above may run: even if some text did reach the markup,
 * the browser would refuse to execute it. CSSOM writes (element.style.width) stay allowed.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${cspHash(PAGE_SCRIPT)}`,
  `style-src ${cspHash(PAGE_STYLE)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
