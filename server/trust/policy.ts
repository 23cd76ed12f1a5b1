/**
 * What the hub expects of a CAP sender's signatures, and the decision it takes at ingest from
 * the verdict of `protocols/cap/signature.ts`.
 */
import type { Reason, ReasonCode } from '../../protocols/cap/reasons.ts';
import type { SignatureReport } from '../../protocols/cap/signature.ts';
import type { ErrorCode } from '../../protocols/errors.ts';

/** A sender's signature policy. */
export const SignaturePolicy = {
  /** Only alerts signed with a pinned key are accepted. */
  required: 'required',
  /** Unsigned and untrusted alerts are accepted and marked so. */
  optional: 'optional',
  /** Signatures are not expected (the verdict is still recorded). */
  none: 'none',
} as const;
/** One of {@link SignaturePolicy}. */
export type SignaturePolicy = (typeof SignaturePolicy)[keyof typeof SignaturePolicy];

/** The policy values, for schemas and command lines. */
export const signaturePolicies = Object.values(SignaturePolicy) as [
  SignaturePolicy,
  ...SignaturePolicy[],
];

/** Refusal: the code, its message and the reasons kept in quarantine. */
export interface PolicyRefusal {
  readonly code: ErrorCode & ReasonCode;
  readonly message: string;
  readonly reasons: readonly Reason[];
}

/**
 * Applies a sender's policy to a verdict: a broken (invalid) signature is refused whatever the
 * policy; `required` also refuses unsigned and untrusted alerts. Null: accepted.
 */
export function refusalOf(
  report: SignatureReport,
  policy: SignaturePolicy,
  sender: string,
): PolicyRefusal | null {
  if (report.signature === 'invalid') {
    const code = (report.code ?? 'SIG_INVALID') as PolicyRefusal['code'];
    const first = report.reasons[0]?.message ?? 'a signature is broken';
    return { code, message: `the XML signature is refused: ${first}`, reasons: report.reasons };
  }
  if (policy !== 'required') return null;
  if (report.signature === 'unsigned')
    return {
      code: 'SIG_REQUIRED',
      message: `alerts of sender "${sender}" must be signed with its pinned key`,
      reasons: [
        {
          code: 'SIG_REQUIRED',
          level: 'error',
          path: '/alert[1]',
          message: `the policy of sender "${sender}" requires a signature`,
        },
      ],
    };
  if (report.signature === 'untrusted') {
    const code = (report.code ?? 'SIG_UNTRUSTED') as PolicyRefusal['code'];
    return {
      code,
      message: `the alert is not signed with a key pinned for sender "${sender}"`,
      reasons: report.reasons,
    };
  }
  return null;
}
