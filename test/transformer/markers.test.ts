import { describe, expect, it } from 'vitest';
import {
  MARKER_RE,
  parseMarker,
  parseMarkerOptions,
  specFromMarker,
} from '../../transformer/core/markers.js';

describe('MARKER_RE', () => {
  it.each([
    [' @apm-span', 'span'],
    ['@apm-span', 'span'],
    ['*\n * Charges the card.\n * @apm-span name="charge"\n ', 'span'],
    [' @apm-ignore', 'ignore'],
    [' eslint-disable-line @apm-span', 'span'],
  ])('finds the marker in %j', (text, kind) => {
    expect(MARKER_RE.exec(text)?.[1]).toBe(kind);
  });

  it.each([' @apm-spanner', ' mail me@apm-span.dev', ' @apm-span-x', ' apm-span', ' @APM-SPAN'])(
    'ignores %j',
    (text) => {
      expect(MARKER_RE.test(text)).toBe(false);
    },
  );

  it('takes the options from the marker line only', () => {
    expect(MARKER_RE.exec('* @apm-span leaf\n * @returns x')?.[2]).toBe(' leaf');
  });
});

describe('parseMarker', () => {
  it('returns undefined for comments without a marker', () => {
    expect(parseMarker(' just a comment ')).toBeUndefined();
  });

  it('reads name, dotted type, leaf and labels', () => {
    const marker = parseMarker(
      ' @apm-span name="Checkout charge" type=db.postgresql.query leaf label.team=billing ',
    );
    expect(marker).toEqual({
      kind: 'span',
      options: {
        name: 'Checkout charge',
        type: 'db.postgresql.query',
        leaf: true,
        labels: { team: 'billing' },
      },
      problems: [],
    });
  });

  it('unescapes quoted values and keeps quoted numbers as text', () => {
    const { options } = parseMarkerOptions(
      String.raw`name="say \"hi\"" label.a='1' label.b=2 label.c=true label.d=x1`,
    );
    expect(options).toEqual({ name: 'say "hi"', labels: { a: '1', b: 2, c: true, d: 'x1' } });
  });

  it('accepts leaf=false and reports what it does not understand', () => {
    const { options, problems } = parseMarkerOptions('leaf=false colour=red name= "x');
    expect(options).toEqual({ leaf: false });
    expect(problems).toEqual([
      'unknown marker option "colour"',
      'marker option "name" needs a value',
      'unrecognised marker text "= "x"',
    ]);
  });

  it('drops the stray stars of a one-line JSDoc block', () => {
    expect(parseMarker('* @apm-span name="a" *')?.options).toEqual({ name: 'a' });
  });

  it('has no options for @apm-ignore and never complains about its text', () => {
    expect(parseMarker(' @apm-ignore because it is hot ')).toEqual({
      kind: 'ignore',
      options: {},
      problems: [],
    });
  });
});

describe('specFromMarker', () => {
  it('defaults to the qualified name and the default type', () => {
    expect(specFromMarker(undefined, 'Cart.checkout', 'code.custom')).toEqual({
      name: 'Cart.checkout',
      type: 'code.custom',
    });
  });

  it('copies leaf and labels into the options', () => {
    expect(specFromMarker({ type: 'db', leaf: true, labels: { a: 1 } }, 'f', 'code.custom')).toEqual({
      name: 'f',
      type: 'db',
      options: { leaf: true, labels: { a: 1 } },
    });
  });
});
