/**
 * What the container readers (Atom/RSS indexes, EDXL-DE) share: the shape of an alert found
 * inside a container and of a link to one.
 */
import type { CapAlert, CapVersion } from './model.ts';
import type { Reason } from './reasons.ts';

/** An alert embedded in a document (a fat feed entry, an EDXL-DE content object, or the document itself). */
export interface EmbeddedCapAlert {
  /** Path of the `<alert>` element, e.g. `/feed[1]/entry[2]/content[1]/alert[1]`. */
  readonly path: string;
  readonly alert: CapAlert | undefined;
  readonly version: CapVersion | undefined;
  /** This alert's reasons (paths into the container). */
  readonly reasons: Reason[];
  readonly valid: boolean;
  /** The entry or content object's own id (Atom id, RSS guid, EDXL-DE distributionID), if any. */
  readonly containerId?: string;
}

/** An entry of a thin index: a link to a CAP alert to fetch. */
export interface CapIndexLink {
  /** Path of the entry or item. */
  readonly path: string;
  /** Atom `<id>` or RSS `<guid>` (falls back to the link). */
  readonly id: string;
  readonly title?: string;
  /** Atom `<updated>` or RSS `<pubDate>` as written. */
  readonly updated?: string;
  /** Where the CAP message is. */
  readonly href: string;
  /** The link's declared media type, if any. */
  readonly type?: string;
}
