/**
 * Mutations of text documents (CAP, Atom, RSS, EDXL-DE; also JSON broken as text), as
 * fast-check arbitraries: byte edits, hostile strings spliced in, and XML-aware edits —
 * element text replaced, elements duplicated, tags dropped, deep nesting, many elements.
 */
import fc from 'fast-check';
import { fraction, hostile, sized } from './hostile.ts';

/** One edit of a text (positions as fractions of its length, so they fit every seed). */
export type TextOp =
  | { readonly op: 'flip'; readonly at: number; readonly byte: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'repeat'; readonly at: number; readonly length: number; readonly times: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'element-text'; readonly nth: number; readonly text: string }
  | { readonly op: 'duplicate-element'; readonly nth: number; readonly times: number }
  | { readonly op: 'drop-tag'; readonly nth: number }
  | { readonly op: 'nest'; readonly depth: number }
  | { readonly op: 'many'; readonly count: number };

const hostileText = fc.oneof(
  fc.constantFrom(...hostile),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Arbitrary edits of a text document. */
export const textOp: fc.Arbitrary<TextOp> = fc.oneof(
  fc.record({
    op: fc.constant('flip' as const),
    at: fraction,
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ op: fc.constant('insert' as const), at: fraction, text: hostileText }),
  fc.record({
    op: fc.constant('delete' as const),
    at: fraction,
    length: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({
    op: fc.constant('repeat' as const),
    at: fraction,
    length: fc.integer({ min: 1, max: 200 }),
    times: fc.integer({ min: 2, max: 400 }),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fraction }),
  fc.record({ op: fc.constant('element-text' as const), nth: fc.nat(60), text: hostileText }),
  fc.record({
    op: fc.constant('duplicate-element' as const),
    nth: fc.nat(60),
    times: fc.integer({ min: 2, max: 300 }),
  }),
  fc.record({ op: fc.constant('drop-tag' as const), nth: fc.nat(60) }),
  fc.record({ op: fc.constant('nest' as const), depth: fc.integer({ min: 10, max: 20_000 }) }),
  fc.record({ op: fc.constant('many' as const), count: sized(100, 2_000, 60_000) }),
);

function pos(text: string, at: number): number {
  return Math.min(text.length, Math.floor(at * (text.length + 1)));
}

/** The n-th (mod count) match of `re` in `text`, or undefined. */
function nthMatch(text: string, re: RegExp, n: number): RegExpExecArray | undefined {
  const all = [...text.matchAll(re)];
  return all.length === 0 ? undefined : all[n % all.length];
}

/** Applies one edit. */
export function applyTextOp(text: string, op: TextOp): string {
  switch (op.op) {
    case 'flip': {
      const i = Math.min(pos(text, op.at), Math.max(0, text.length - 1));
      return text.slice(0, i) + String.fromCharCode(op.byte) + text.slice(i + 1);
    }
    case 'insert': {
      const i = pos(text, op.at);
      return text.slice(0, i) + op.text + text.slice(i);
    }
    case 'delete': {
      const i = pos(text, op.at);
      return text.slice(0, i) + text.slice(i + op.length);
    }
    case 'repeat': {
      const i = pos(text, op.at);
      const part = text.slice(i, i + op.length);
      return text.slice(0, i) + part.repeat(op.times) + text.slice(i + op.length);
    }
    case 'truncate':
      return text.slice(0, pos(text, op.at));
    case 'element-text': {
      const m = nthMatch(text, />([^<>]*)</g, op.nth);
      if (m === undefined) return text;
      return `${text.slice(0, m.index + 1)}${op.text}${text.slice(m.index + 1 + (m[1]?.length ?? 0))}`;
    }
    case 'duplicate-element': {
      const m = nthMatch(text, /<([A-Za-z][\w.:-]*)[^<>]*>[^<]*<\/\1>/g, op.nth);
      if (m === undefined) return text;
      return text.slice(0, m.index) + m[0].repeat(op.times) + text.slice(m.index + m[0].length);
    }
    case 'drop-tag': {
      const m = nthMatch(text, /<\/?[A-Za-z][^<>]*>/g, op.nth);
      if (m === undefined) return text;
      return text.slice(0, m.index) + text.slice(m.index + m[0].length);
    }
    case 'nest': {
      const i = text.lastIndexOf('</');
      const at = i < 0 ? text.length : i;
      return text.slice(0, at) + '<n>'.repeat(op.depth) + '</n>'.repeat(op.depth) + text.slice(at);
    }
    case 'many': {
      const i = text.lastIndexOf('</');
      const at = i < 0 ? text.length : i;
      return (
        text.slice(0, at) +
        '<geocode><valueName>x</valueName><value>1</value></geocode>'.repeat(
          Math.ceil(op.count / 3),
        ) +
        text.slice(at)
      );
    }
  }
}
