// Trace assembly and the terminal waterfall: the pieces `apm-weaver serve` and the demo share.
export type { ServiceSummary, StackFrame, Trace, TraceError, TraceEventInput, TraceItem } from './model.js';
export { formatDuration, renderTraceText, type TextRenderOptions } from './render-text.js';
export { type FinishedTrace, TraceFinisher, type TraceFinisherOptions } from './trace-finisher.js';
export { type TraceChange, type TraceListener, TraceStore, type TraceStoreOptions } from './trace-store.js';
export { buildWaterfall, errorTitle, type Waterfall, type WaterfallRow } from './waterfall.js';
