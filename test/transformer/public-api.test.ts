import { describe, expect, it } from 'vitest';
import * as babelEntry from '../../transformer/babel.js';
import * as core from '../../transformer/core/index.js';
import * as transformer from '../../transformer/index.js';

describe('public surface', () => {
  it('apm-weaver/transformer exports weave and its named helpers only', () => {
    expect(Object.keys(transformer).sort()).toEqual(['MARKER_RE', 'WeaveOptionsError', 'weave']);
  });

  it('apm-weaver/babel has the plugin as its default export', () => {
    expect(Object.keys(babelEntry)).toEqual(['default']);
    expect(typeof babelEntry.default).toBe('function');
  });

  it('the core front ends build on keeps its names', () => {
    expect(Object.keys(core).sort()).toMatchInlineSnapshot(`
      [
        "ALREADY_WOVEN_RE",
        "ANONYMOUS_SPAN_NAME",
        "DEFAULT_RUNTIME",
        "DEFAULT_SPAN_TYPE",
        "IDENTIFIER_PREFIX",
        "MARKER_RE",
        "SPAN_MARKER_TEXT",
        "WeaveOptionsError",
        "chooseIdentifierPrefix",
        "chooseModuleKind",
        "formatWarning",
        "isAlreadyWoven",
        "mightWeave",
        "parseMarker",
        "parseMarkerOptions",
        "pathsToMatch",
        "planWeave",
        "qualifiedName",
        "renderPreamble",
        "renderRuntimeImport",
        "renderSpanArgs",
        "renderWrap",
        "reportWarnings",
        "resolveWeaveOptions",
        "specFromMarker",
        "splitRule",
        "wrapShape",
      ]
    `);
  });
});
