// The page's stylesheet, inlined into the HTML (no external assets, no build step).
export const PAGE_STYLE = `
:root {
  --bg: #f6f7f9; --panel: #ffffff; --text: #1d232b; --muted: #69707d; --line: #e3e6eb;
  --accent: #0b64dd; --failure: #c61e25; --success: #1f8a4c; --unknown: #98a2b3; --pick: #e8f1fd;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
header { display: flex; align-items: center; gap: 16px; padding: 10px 18px; background: #1d232b; color: #fff; }
header h1 { font-size: 15px; margin: 0; font-weight: 600; }
header .meta { color: #b8c0cc; font-size: 12px; }
#status::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px; background: var(--unknown); }
#status.live::before { background: #3ccf7a; }
#status.down::before { background: var(--failure); }
main { flex: 1; display: grid; grid-template-columns: 340px 1fr; min-height: 0; }
aside { border-right: 1px solid var(--line); background: var(--panel); overflow: auto; max-height: calc(100vh - 42px); }
section.detail { overflow: auto; padding: 16px 20px; max-height: calc(100vh - 42px); }
h2 { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 14px 14px 6px; }
ul { list-style: none; margin: 0; padding: 0; }
button.item { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 7px 14px; cursor: pointer; border-bottom: 1px solid var(--line); }
button.item:hover { background: #f0f3f7; }
button.item.picked { background: var(--pick); box-shadow: inset 3px 0 0 var(--accent); }
button.item:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.item .title { display: flex; justify-content: space-between; gap: 8px; font-weight: 500; }
.item .title .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.item .sub { color: var(--muted); font-size: 12px; display: flex; gap: 10px; flex-wrap: wrap; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; background: #eef0f3; color: var(--muted); }
.badge.failure { background: #fde8e8; color: var(--failure); }
.badge.success { background: #e6f5ec; color: var(--success); }
.empty { color: var(--muted); padding: 10px 14px; }
.trace-head h2 { margin: 0 0 4px; font-size: 18px; text-transform: none; letter-spacing: 0; color: var(--text); }
.trace-head .facts { color: var(--muted); display: flex; gap: 14px; flex-wrap: wrap; margin-bottom: 14px; }
.trace-head code { font-size: 12px; }
.waterfall { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
.axis, .row { display: grid; grid-template-columns: minmax(220px, 34%) 1fr 84px; align-items: center; }
.axis { border-bottom: 1px solid var(--line); color: var(--muted); font-size: 11px; height: 26px; }
.axis .label { padding-left: 8px; }
.axis .ticks { position: relative; height: 100%; margin: 0 8px; }
.axis .tick { position: absolute; top: 6px; transform: translateX(-50%); white-space: nowrap; }
.axis .tick:first-child { transform: none; }
.axis .tick:last-child { transform: translateX(-100%); }
.row { min-height: 28px; border-bottom: 1px solid #f0f2f5; }
.row:last-child { border-bottom: 0; }
.row .label { display: flex; align-items: center; gap: 6px; padding: 4px 8px; min-width: 0; }
.row .label .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.row .label .type { color: var(--muted); font-size: 11px; white-space: nowrap; }
.row.transaction .name { font-weight: 600; }
.row .lane { position: relative; height: 28px; margin: 0 8px; background: repeating-linear-gradient(90deg, transparent 0 calc(25% - 1px), #f0f2f5 calc(25% - 1px) 25%); }
.row .bar { position: absolute; top: 7px; height: 14px; min-width: 2px; border-radius: 3px; }
.row.failure .bar { outline: 2px solid var(--failure); outline-offset: 1px; }
.row .dur { text-align: right; padding-right: 10px; font-variant-numeric: tabular-nums; color: var(--muted); }
.outcome { width: 8px; height: 8px; border-radius: 50%; flex: none; background: var(--unknown); }
.outcome.success { background: var(--success); }
.outcome.failure { background: var(--failure); }
.missing { color: var(--muted); font-size: 11px; }
.errors { padding: 2px 8px 8px; }
.errors .error { border-left: 3px solid var(--failure); background: #fff6f6; padding: 6px 10px; margin: 4px 0; border-radius: 0 4px 4px 0; }
.errors .head { color: var(--failure); font-weight: 600; word-break: break-word; }
.errors .culprit { color: var(--muted); font-size: 12px; }
.errors ol { margin: 4px 0 0; padding-left: 18px; font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; }
.errors li.library { color: var(--muted); }
.legend { display: flex; gap: 12px; flex-wrap: wrap; margin: 10px 0; color: var(--muted); font-size: 12px; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.placeholder { color: var(--muted); margin-top: 40px; text-align: center; }
`;
