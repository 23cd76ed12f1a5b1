/**
 * Errors ingest stores past. A CAP validator refuses them, and `ewx cap validate` says so, but
 * they do not change what the alert says, and national services publish them as a matter of
 * course; refusing their warnings would keep them from every console. So ingest stores such an
 * alert and tells the sender with a warning of its own code; any other error still refuses the
 * message (422). Two kinds:
 *
 * - **Elements out of the schema's order** (`CAP_INVALID_SEQUENCE`): Italy's and Serbia's met
 *   services put `<geocode>` before `<polygon>`. The reader takes CAP elements by name, so the
 *   alert is read whole and as meant (`INGEST_ELEMENTS_OUT_OF_ORDER`).
 * - **A reference to the message itself** (`CAP_CIRCULAR_REFERENCE` naming its own sender,
 *   identifier and sent instant): Macao's SMG on its Updates, Tanzania's TMA on its Alerts. It
 *   says nothing the hub could act on, so it is ignored (`LIFECYCLE_SELF_REFERENCE`). A reference
 *   to another message of the same identifier (sent at another time) still refuses.
 */
import type { CapAlert, CapReference } from '../../protocols/cap/model.ts';
import type { CapReadResult } from '../../protocols/cap/parse.ts';
import { capReferences } from '../../protocols/cap/lists.ts';
import { reason, type Reason, type ReasonCode } from '../../protocols/cap/reasons.ts';
import { instantTripleKey } from '../store/lifecycle.ts';

/** Whether `ref` names `alert` itself: its sender, identifier and sent instant. */
export function namesItself(alert: CapAlert, ref: CapReference): boolean {
  return instantTripleKey(ref) === instantTripleKey(alert);
}

/** Whether every reference of the alert's own sender and identifier names the alert itself. */
function onlyNamesItself(alert: CapAlert): boolean {
  const own = capReferences(alert).filter(
    (ref) => ref.sender === alert.sender && ref.identifier === alert.identifier,
  );
  return own.length > 0 && own.every((ref) => namesItself(alert, ref));
}

/**
 * One warning `code` for the tolerated errors `found` (none when there are none): at the first,
 * its `message` counting the others.
 */
function toleratedAs(found: readonly Reason[], code: ReasonCode, message: string): Reason[] {
  const [first] = found;
  if (first === undefined) return [];
  const more = found.length === 1 ? '' : ` (and ${found.length - 1} more like it)`;
  return [
    reason(code, first.path, message.replace('{first}', first.message).replace('{more}', more)),
  ];
}

/**
 * `read` with the errors above turned into one warning per kind, and valid, when they are its
 * only errors; otherwise `read` as it is.
 */
export function tolerateHarmlessErrors(read: CapReadResult): CapReadResult {
  const alert = read.alert;
  if (alert === undefined || read.valid) return read;
  const errors = read.reasons.filter((r) => r.level === 'error');
  const order = errors.filter((r) => r.code === 'CAP_INVALID_SEQUENCE');
  const circular = errors.filter((r) => r.code === 'CAP_CIRCULAR_REFERENCE');
  if (order.length + circular.length < errors.length) return read;
  if (circular.length > 0 && !onlyNamesItself(alert)) return read;
  const warnings = [
    ...toleratedAs(
      order,
      'INGEST_ELEMENTS_OUT_OF_ORDER',
      "{first}{more}: CAP validators refuse this (CAP_INVALID_SEQUENCE), but the hub reads CAP elements by name, so it stores the alert as it means — put the elements in the schema's order",
    ),
    ...toleratedAs(
      circular,
      'LIFECYCLE_SELF_REFERENCE',
      `<references> names this alert itself (${alert.sender},${alert.identifier},${alert.sent}): CAP references name earlier messages, and CAP validators refuse this one (CAP_CIRCULAR_REFERENCE); the hub stores the alert and ignores that reference — list only the messages it updates or cancels`,
    ),
  ];
  const tolerated = new Set(['CAP_INVALID_SEQUENCE', 'CAP_CIRCULAR_REFERENCE']);
  return {
    ...read,
    reasons: [...read.reasons.filter((r) => !tolerated.has(r.code)), ...warnings],
    valid: true,
  };
}
