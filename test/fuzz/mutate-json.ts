/**
 * Mutations of JSON values, as fast-check arbitraries: values replaced (hostile strings, huge
 * numbers, other types), keys dropped or added (`__proto__`, `constructor`, server-set fields),
 * deep nesting and long arrays.
 */
import fc from 'fast-check';
import { hostile, sized } from './hostile.ts';

/** One edit of a JSON value (paths pick a node by index in a walk). */
export type JsonOp =
  | { readonly op: 'replace'; readonly node: number; readonly value: unknown }
  | { readonly op: 'drop'; readonly node: number }
  | { readonly op: 'add'; readonly node: number; readonly key: string; readonly value: unknown }
  | { readonly op: 'wrap'; readonly node: number; readonly depth: number }
  | { readonly op: 'grow'; readonly node: number; readonly times: number };

const jsonLeaf = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1e308,
    -1e308,
    2 ** 53 + 1,
    1.5,
    '',
    'unknown',
    'KG',
    'kg-mes',
    'USD',
    'flood',
    '2026-04-02T06:30:00+05:00',
    '2026-04-02',
    'NaN',
    'Infinity',
  ),
  fc.constantFrom<unknown>(...hostile),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Arbitrary edits of a JSON value. */
export const jsonOp: fc.Arbitrary<JsonOp> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), node: fc.nat(200), value: jsonLeaf }),
  fc.record({ op: fc.constant('drop' as const), node: fc.nat(200) }),
  fc.record({
    op: fc.constant('add' as const),
    node: fc.nat(200),
    key: fc.oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        'id',
        'org',
        'seq',
        'createdAt',
        'author',
        '$where',
      ),
      fc.string({ maxLength: 12 }),
    ),
    value: jsonLeaf,
  }),
  fc.record({
    op: fc.constant('wrap' as const),
    node: fc.nat(200),
    depth: sized(1, 100, 1500),
  }),
  fc.record({
    op: fc.constant('grow' as const),
    node: fc.nat(200),
    times: sized(2, 200, 5000),
  }),
);

type Container = Record<string, unknown> | unknown[];

/** The containers of a value and, for each, a way to set or drop one of its entries. */
function nodesOf(root: unknown): { parent: Container; key: string | number }[] {
  const out: { parent: Container; key: string | number }[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (depth > 20 || out.length > 500) return;
    if (Array.isArray(value))
      value.forEach((v, i) => {
        out.push({ parent: value, key: i });
        walk(v, depth + 1);
      });
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) {
        out.push({ parent: value as Record<string, unknown>, key: k });
        walk(v, depth + 1);
      }
  };
  walk(root, 0);
  return out;
}

function setEntry(parent: Container, key: string | number, value: unknown): void {
  // defineProperty, so a key named __proto__ becomes an own property, as JSON.parse makes it.
  Object.defineProperty(parent, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Applies one edit to a copy of `root` (the root itself may be replaced). */
export function applyJsonOp(root: unknown, op: JsonOp): unknown {
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(root ?? null)) as unknown;
  } catch {
    // Nested past what this process's stack serialises: keep the value as it is.
    return root;
  }
  const nodes = nodesOf(copy);
  const target = nodes.length === 0 ? undefined : nodes[op.node % nodes.length];
  if (target === undefined) return op.op === 'replace' ? op.value : copy;
  const current = (target.parent as Record<string | number, unknown>)[target.key];
  switch (op.op) {
    case 'replace':
      setEntry(target.parent, target.key, op.value);
      return copy;
    case 'drop':
      if (Array.isArray(target.parent)) target.parent.splice(Number(target.key), 1);
      else Reflect.deleteProperty(target.parent, target.key);
      return copy;
    case 'add':
      if (typeof current === 'object' && current !== null && !Array.isArray(current))
        setEntry(current as Container, op.key, op.value);
      else
        setEntry(
          target.parent,
          Array.isArray(target.parent) ? target.parent.length : op.key,
          op.value,
        );
      return copy;
    case 'wrap': {
      let wrapped: unknown = current;
      for (let i = 0; i < op.depth; i += 1) wrapped = i % 2 === 0 ? [wrapped] : { v: wrapped };
      setEntry(target.parent, target.key, wrapped);
      return copy;
    }
    case 'grow':
      setEntry(
        target.parent,
        target.key,
        Array.from({ length: op.times }, () => current),
      );
      return copy;
  }
}
